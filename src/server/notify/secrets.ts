import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/*
 * Secrets at rest (group robots' secrets, public commenters' names and contacts): AES-256-GCM under a key
 * derived from CONCORD_SECRET_KEY. Without a key they are stored as given (marked so), and in either case
 * never returned by a public endpoint.
 */

const ENCRYPTED = 'v1:';
const PLAIN = 'plain:';

/** Whether a stored value was written by `sealSecret` (encrypted, or marked as stored without a key). */
export const isSealed = (stored: string): boolean => stored.startsWith(ENCRYPTED) || stored.startsWith(PLAIN);

const keyOf = (secretKey: string): Buffer => createHash('sha256').update(secretKey, 'utf8').digest();

export function sealSecret(secret: string, secretKey: string | null): string {
  if (secretKey === null) {
    return `${PLAIN}${secret}`;
  }
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secretKey), iv);
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `${ENCRYPTED}${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64')}`;
}

export function openSecret(stored: string, secretKey: string | null): string {
  if (stored.startsWith(PLAIN)) {
    return stored.slice(PLAIN.length);
  }
  if (!stored.startsWith(ENCRYPTED)) {
    throw new Error('Unknown format of a stored secret.');
  }
  if (secretKey === null) {
    throw new Error('A stored secret is encrypted but CONCORD_SECRET_KEY is not set.');
  }
  const raw = Buffer.from(stored.slice(ENCRYPTED.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(secretKey), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
