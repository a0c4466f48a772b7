import { randomBytes } from 'node:crypto';

/*
 * Ids for rows written in bulk, in the order they are written: UUID version 7 (RFC 9562), the time in
 * milliseconds first, then random bits fixed for the run, then a counter, so every id of a run sorts after
 * the one before it. A million rows keyed this way go into the end of their primary-key index instead of
 * all over it, and so do the rows that refer to them (analyses, topic labels). Two runs differ in their
 * time and in 42 random bits.
 *
 * Layout: tttttttt-tttt-7rrr-vrrr-ccccccccrrrr (t time, r random, v the variant with two random bits,
 * c a 32-bit counter).
 */

const COUNTER_LIMIT = 2 ** 32;

const hex = (value: number, width: number): string => value.toString(16).padStart(width, '0');

/** A generator of ids, each greater (as text, and as a UUID) than the one before. */
export function orderedIds(now: Date = new Date()): () => string {
  const millis = hex(now.getTime(), 12);
  const random = randomBytes(6);
  const randA = hex(random.readUInt16BE(0) & 0x0fff, 3);
  const variant = hex(0x8000 | (random.readUInt16BE(2) & 0x3fff), 4);
  const tail = hex(random.readUInt16BE(4), 4);
  const prefix = `${millis.slice(0, 8)}-${millis.slice(8)}-7${randA}-${variant}-`;
  let counter = 0;
  return () => {
    if (counter >= COUNTER_LIMIT) {
      throw new RangeError('An id generator makes at most 2^32 ids.');
    }
    return `${prefix}${hex(counter++, 8)}${tail}`;
  };
}
