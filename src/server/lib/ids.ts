import { createHash, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';

const RANDOM_POOL = Buffer.alloc(10 * 512);
let poolOffset = RANDOM_POOL.length;

/**
 * A new row id: a UUID version 7 (RFC 9562), the time in milliseconds then 74 random bits. Rows written
 * one after another get ids that sort one after another, so they go to the end of their indexes instead of
 * all over them (a page written once, not one page per row).
 */
export function newId(): string {
  if (poolOffset + 10 > RANDOM_POOL.length) {
    randomFillSync(RANDOM_POOL);
    poolOffset = 0;
  }
  const r = RANDOM_POOL;
  const o = poolOffset;
  poolOffset += 10;
  const time = Date.now().toString(16).padStart(12, '0');
  const hex = (i: number): string => r[o + i]!.toString(16).padStart(2, '0');
  return (
    `${time.slice(0, 8)}-${time.slice(8, 12)}-` +
    `7${(r[o]! & 0x0f).toString(16)}${hex(1)}-` +
    `${((r[o + 2]! & 0x3f) | 0x80).toString(16)}${hex(3)}-` +
    `${hex(4)}${hex(5)}${hex(6)}${hex(7)}${hex(8)}${hex(9)}`
  );
}

/** A random secret, URL-safe. 32 bytes by default. */
export const newSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Fast hash for high-entropy secrets (session and API tokens); passwords use argon2id instead. */
export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export const addSeconds = (date: Date, seconds: number): Date => new Date(date.getTime() + seconds * 1000);
