/*
 * Character shingles of a similarity key (see `similarityKey`): every run of 5 consecutive code points
 * (not UTF-16 units, so an emoji is one character), hashed to a 32-bit integer. A text shorter than 5
 * characters is one shingle, the whole text; an empty text has none and is never similar to anything.
 * The near-duplicate similarity is the Jaccard index of two texts' shingle sets.
 */
import { AppError } from '../../domain/errors.ts';
import type { NormalizedCodes } from '../normalize.ts';
import { createNormalizedCodes, fmix32, normalizeCodes, writeCodes } from '../normalize.ts';

export const SHINGLE_SIZE = 5;

/** A growable scratch buffer, owned by its caller, that shingle hashes are written into. */
export interface ShingleBuffer {
  hashes: Uint32Array;
  /** The UTF-16 code units of the key being shingled. */
  units: Uint16Array;
}

export function createShingleBuffer(capacity = 1024): ShingleBuffer {
  return { hashes: new Uint32Array(capacity), units: new Uint16Array(capacity) };
}

const HORNER = 0x01000193;

function reserve(buffer: ShingleBuffer, length: number): void {
  if (buffer.units.length < length) {
    const capacity = Math.max(length, buffer.units.length * 2);
    buffer.units = new Uint16Array(capacity);
    buffer.hashes = new Uint32Array(capacity);
  }
}

/**
 * Writes the shingle hashes of `key` (in text order, repeats included) to `buffer.hashes` and returns
 * how many there are.
 */
export function fillShingles(key: string, buffer: ShingleBuffer): number {
  reserve(buffer, key.length);
  writeCodes(key, buffer.units, 0);
  return hashShingles(buffer.units, key.length, buffer.hashes, false);
}

/** `fillShingles(similarityKey(text), buffer)`, without building the key. */
export function fillKeyShingles(text: string, normalized: NormalizedCodes, buffer: ShingleBuffer): number {
  normalizeCodes(text, normalized, {}, true);
  return fillShinglesFromCodes(normalized.keyCodes, normalized.keyLength, buffer);
}

/**
 * `fillShingles` of the string made of the UTF-16 code units `codes[0..length)` with its ASCII letters
 * in lower case (see `normalizeCodes`).
 */
export function fillShinglesFromCodes(codes: Uint16Array, length: number, buffer: ShingleBuffer): number {
  reserve(buffer, length);
  return hashShingles(codes, length, buffer.hashes, true);
}

/**
 * The shingle hashes of the code units `codes[0..length)`, ASCII letters in lower case if `foldAscii`,
 * written to `out`; returns how many.
 */
function hashShingles(codes: Uint16Array, length: number, out: Uint32Array, foldAscii: boolean): number {
  if (length < 2 * SHINGLE_SIZE) {
    // Fewer than ten code units may be fewer than five characters: see `hashShortKey`.
    return hashShortKey(codes, length, out, foldAscii);
  }
  // The last four code points, scrambled, `p3` the latest (0 before the fourth).
  let p0 = 0;
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  let n = 0;
  const fold = foldAscii ? 0x20 : 0;
  // The high half of a surrogate pair, read with the low half (one step per code unit keeps the loop
  // simple for the compiler).
  let high = 0;
  for (let i = 0; i < length; i++) {
    let cp = codes[i]!;
    if (high !== 0) {
      cp = ((high - 0xd800) << 10) + (cp - 0xdc00) + 0x10000;
      high = 0;
    } else if ((cp & 0xfc00) === 0xd800 && i + 1 < length && (codes[i + 1]! & 0xfc00) === 0xdc00) {
      high = cp;
      continue;
    }
    const k = scramble(cp + isAsciiUpper(cp) * fold);
    if (n >= SHINGLE_SIZE - 1) {
      out[n - SHINGLE_SIZE + 1] = shingleHash(p0, p1, p2, p3, k);
    }
    p0 = p1;
    p1 = p2;
    p2 = p3;
    p3 = k;
    n++;
  }
  return n - SHINGLE_SIZE + 1;
}

/**
 * 1 for A to Z, else 0, without a branch (letters and spaces alternate too irregularly to predict).
 * Adding 0x20 times it folds an ASCII letter to lower case.
 */
function isAsciiUpper(codePoint: number): number {
  return ~((codePoint - 0x41) | (0x5a - codePoint)) >>> 31;
}

/** Each code point is scrambled once (Murmur3's key mix), so that the shingle hash mixes well. */
function scramble(codePoint: number): number {
  const k = Math.imul(codePoint, 0xcc9e2d51);
  return Math.imul((k << 15) | (k >>> 17), 0x1b873593);
}

/**
 * A polynomial over the scrambled code points identifies the 5-gram (two 5-grams share it with chance
 * about 2^-32); MinHash mixes it further before use.
 */
function shingleHash(c0: number, c1: number, c2: number, c3: number, c4: number): number {
  let h = c0;
  h = (Math.imul(h, HORNER) + c1) | 0;
  h = (Math.imul(h, HORNER) + c2) | 0;
  h = (Math.imul(h, HORNER) + c3) | 0;
  return (Math.imul(h, HORNER) + c4) >>> 0;
}

/**
 * `hashShingles` of a key of fewer than ten code units. One shorter than five characters is one shingle:
 * the polynomial of its code points, mixed with their number.
 */
function hashShortKey(codes: Uint16Array, length: number, out: Uint32Array, foldAscii: boolean): number {
  const cps: number[] = [];
  for (let i = 0; i < length; i++) {
    let cp = codes[i]!;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < length) {
      const low = codes[i + 1]!;
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = ((cp - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
        i++;
      }
    }
    cps.push(scramble(foldAscii && cp >= 0x41 && cp <= 0x5a ? cp + 0x20 : cp));
  }
  const n = cps.length;
  if (n === 0) {
    return 0;
  }
  if (n < SHINGLE_SIZE) {
    let h = 0;
    for (const k of cps) {
      h = (Math.imul(h, HORNER) + k) | 0;
    }
    out[0] = fmix32(h ^ Math.imul(n, 0x9e3779b1));
    return 1;
  }
  for (let i = 0; i + SHINGLE_SIZE <= n; i++) {
    out[i] = shingleHash(cps[i]!, cps[i + 1]!, cps[i + 2]!, cps[i + 3]!, cps[i + 4]!);
  }
  return n - SHINGLE_SIZE + 1;
}

let bucketStarts = new Int32Array(0);
let sortScratch = new Uint32Array(0);

/**
 * Writes `source[from..from+count)` sorted ascending to `into[at..at+count)` (the two may be the same
 * place): one counting pass into 2^k buckets by the top bits (about one value per bucket, the hashes
 * being uniform), which leaves the values nearly sorted, then one insertion sort into place. Several
 * times faster than the built-in sort on the few hundred values of a comment.
 */
function sortHashesInto(
  source: Uint32Array,
  from: number,
  count: number,
  into: Uint32Array,
  at: number,
): void {
  if (count < 32 || count > 1 << 16) {
    if (source !== into || from !== at) {
      into.set(source.subarray(from, from + count), at);
    }
    into.subarray(at, at + count).sort();
    return;
  }
  const bits = 32 - Math.clz32(count - 1);
  const buckets = 1 << bits;
  const shift = 32 - bits;
  if (bucketStarts.length < buckets) {
    bucketStarts = new Int32Array(buckets);
  }
  if (sortScratch.length < count) {
    sortScratch = new Uint32Array(Math.max(count, sortScratch.length * 2));
  }
  const starts = bucketStarts;
  const scratch = sortScratch;
  const end = from + count;
  starts.fill(0, 0, buckets);
  for (let i = from; i < end; i++) {
    starts[source[i]! >>> shift]!++;
  }
  let sum = 0;
  for (let b = 0; b < buckets; b++) {
    const size = starts[b]!;
    starts[b] = sum;
    sum += size;
  }
  for (let i = from; i < end; i++) {
    const value = source[i]!;
    scratch[starts[value >>> shift]!++] = value;
  }
  // Values out of order are within one bucket of each other: each moves back a step or two at most.
  into[at] = scratch[0]!;
  for (let i = 1; i < count; i++) {
    const value = scratch[i]!;
    let j = at + i - 1;
    let before = into[j]!;
    if (before <= value) {
      into[j + 1] = value;
      continue;
    }
    do {
      into[j + 1] = before;
      j--;
    } while (j >= at && (before = into[j]!) > value);
    into[j + 1] = value;
  }
}

/**
 * Writes the distinct values of `source[from..from+count)`, sorted ascending, from `into[at]` on (the two
 * may be the same place); returns how many there are. `into` must have room for `count` values there.
 */
export function sortUniqueInto(
  source: Uint32Array,
  from: number,
  count: number,
  into: Uint32Array,
  at: number,
): number {
  if (count === 0) {
    return 0;
  }
  sortHashesInto(source, from, count, into, at);
  let last = at;
  const end = at + count;
  for (let i = at + 1; i < end; i++) {
    const value = into[i]!;
    if (value !== into[last]) {
      into[++last] = value;
    }
  }
  return last - at + 1;
}

/** Sorts the first `count` values of `values` and removes repeats in place; returns the distinct count. */
export function sortUnique(values: Uint32Array, count: number): number {
  return sortUniqueInto(values, 0, count, values, 0);
}

/** The shingle set of a similarity key: distinct 32-bit shingle hashes, sorted ascending. */
export function shingleSet(
  key: string,
  buffer: ShingleBuffer = createShingleBuffer(key.length),
): Uint32Array {
  const count = fillShingles(key, buffer);
  return buffer.hashes.slice(0, sortUnique(buffer.hashes, count));
}

/** How many values two sorted, repeat-free arrays share. */
export function intersectionSize(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) {
      i++;
    } else {
      j++;
    }
  }
  return shared;
}

/** Jaccard index of two shingle sets (sorted, repeat-free); 0 when either is empty. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || b.length === 0) {
    return 0;
  }
  const shared = intersectionSize(a, b);
  return shared / (a.length + b.length - shared);
}

/**
 * Whether sets of sizes `sizeA` and `sizeB` sharing `overlap` elements reach Jaccard ≥ `threshold`,
 * decided without dividing (overlap ≥ t/(1+t)·(|A|+|B|)), with a tolerance for rounding so that an
 * exact 4/5 meets 0.8. The one test of the threshold used everywhere.
 */
export function meetsThreshold(overlap: number, sizeA: number, sizeB: number, threshold: number): boolean {
  if (overlap === 0) {
    return false;
  }
  return overlap * (1 + threshold) >= threshold * (sizeA + sizeB) - 1e-9;
}

/** The smallest overlap that reaches the threshold for sets of sizes `sizeA` and `sizeB`. */
export function minimumOverlap(sizeA: number, sizeB: number, threshold: number): number {
  return Math.max(1, Math.ceil((threshold * (sizeA + sizeB)) / (1 + threshold) - 1e-9));
}

/** Merge steps between two checks of whether the overlap can still reach what is needed. */
const MERGE_BLOCK = 64;

/**
 * How many values two sorted, repeat-free arrays share if at least `need`, else -1: the merge stops
 * once the values passed over in either array leave too few to make up the difference, so dissimilar
 * pairs cost little. The merge steps are free of branches (which the processor could not predict: each
 * goes either way about as often), and the check comes once per block of steps; stopping a block late
 * changes nothing, since an overlap that cannot reach `need` gives -1 at the end as well.
 */
export function overlapAtLeast(a: Uint32Array, b: Uint32Array, need: number): number {
  const na = a.length;
  const nb = b.length;
  // Values of `a` (or `b`) that may be passed over before the overlap can no longer reach `need`.
  const slackA = na - need;
  const slackB = nb - need;
  if (slackA < 0 || slackB < 0) {
    return -1;
  }
  let i = 0;
  let j = 0;
  let shared = 0;
  for (;;) {
    const steps = Math.min(na - i, nb - j, MERGE_BLOCK);
    if (steps <= 0) {
      break;
    }
    for (let k = 0; k < steps; k++) {
      const x = a[i]!;
      const y = b[j]!;
      const le = Number(x <= y);
      const ge = Number(x >= y);
      shared += le & ge;
      i += le;
      j += ge;
    }
    if (i - shared > slackA || j - shared > slackB) {
      return -1;
    }
  }
  return shared >= need ? shared : -1;
}

/** Whether two shingle sets are near-duplicates at `threshold`. */
export function isSimilar(a: Uint32Array, b: Uint32Array, threshold: number): boolean {
  if (a.length === 0 || b.length === 0) {
    return false;
  }
  const small = Math.min(a.length, b.length);
  const large = Math.max(a.length, b.length);
  // Size filter: J ≤ |small| / |large|.
  if (small < threshold * large - 1e-9) {
    return false;
  }
  return overlapAtLeast(a, b, minimumOverlap(a.length, b.length, threshold)) !== -1;
}

/**
 * Shingle sets of some texts packed in one typed array (set k is `values[offsets[k]..offsets[k + 1])`),
 * so a worker thread can compute them and hand them over without copying.
 */
export interface PackedShingleSets {
  /** Index of each packed text in the whole corpus. */
  indexes: Int32Array;
  offsets: Uint32Array;
  values: Uint32Array;
}

/**
 * Scratch of `packShingleSets`, made once (the keys are computed before the buffer is used, so even a
 * `keyOf` that packed again would not disturb it).
 */
const packScratch = { buffer: createShingleBuffer(), normalized: createNormalizedCodes() };

/**
 * The shingle sets of `texts[indexes[k]]` (their similarity keys: `keyOf`, by default `similarityKey`
 * with the default options, read without building the key string), packed. `offset` is added to the
 * indexes recorded, for a chunk of a larger corpus.
 */
export function packShingleSets(
  texts: readonly string[],
  options: { indexes: ArrayLike<number>; offset?: number; keyOf?: (text: string) => string },
): PackedShingleSets {
  const { indexes, offset = 0, keyOf } = options;
  const { buffer, normalized } = packScratch;
  const offsets = new Uint32Array(indexes.length + 1);
  // A text has fewer shingles than characters (NFKC rarely lengthens one): one allocation, no copy.
  let capacity = 0;
  for (let k = 0; k < indexes.length; k++) {
    capacity += Math.max(1, (texts[indexes[k]!] ?? '').length);
  }
  let values = new Uint32Array(capacity);
  let used = 0;
  for (let k = 0; k < indexes.length; k++) {
    const text = texts[indexes[k]!] ?? '';
    const count =
      keyOf === undefined ? fillKeyShingles(text, normalized, buffer) : fillShingles(keyOf(text), buffer);
    const distinct = sortUnique(buffer.hashes, count);
    if (used + distinct > values.length) {
      const grown = new Uint32Array(Math.max(Math.ceil(values.length * 1.25), used + distinct));
      grown.set(values.subarray(0, used));
      values = grown;
    }
    values.set(buffer.hashes.subarray(0, distinct), used);
    used += distinct;
    offsets[k + 1] = used;
  }
  const recorded = new Int32Array(indexes.length);
  for (let k = 0; k < indexes.length; k++) {
    recorded[k] = indexes[k]! + offset;
  }
  return {
    indexes: recorded,
    offsets,
    values: used > values.length * 0.8 ? values.subarray(0, used) : values.slice(0, used),
  };
}

/** Packed shingle sets of a corpus of `count` texts by text index, added as they arrive. */
export class PackedShingleIndex {
  private readonly part: Int32Array;
  private readonly position: Int32Array;
  private readonly parts: PackedShingleSets[] = [];

  constructor(count: number) {
    this.part = new Int32Array(count).fill(-1);
    this.position = new Int32Array(count);
  }

  add(packed: PackedShingleSets): void {
    const p = this.parts.length;
    this.parts.push(packed);
    const { indexes } = packed;
    for (let k = 0; k < indexes.length; k++) {
      this.part[indexes[k]!] = p;
      this.position[indexes[k]!] = k;
    }
  }

  has(index: number): boolean {
    return (this.part[index] ?? -1) !== -1;
  }

  /** The set of text `index`, or undefined when it was not packed. */
  get(index: number): Uint32Array | undefined {
    const p = this.part[index] ?? -1;
    if (p === -1) {
      return undefined;
    }
    const { offsets, values } = this.parts[p]!;
    const k = this.position[index]!;
    return values.subarray(offsets[k], offsets[k + 1]);
  }

  /** The set of text `index`, which must have been packed. */
  require(index: number): Uint32Array {
    const set = this.get(index);
    if (set === undefined) {
      throw new AppError('internal', `record ${index} was not prepared for verification`);
    }
    return set;
  }
}

/**
 * A `shinglesOf` for `clusterSignatures` reading packed sets of a corpus of `count` texts; a text not
 * packed is computed by `fallback`.
 */
export function packedShinglesOf(
  count: number,
  parts: readonly PackedShingleSets[],
  fallback: (index: number) => Uint32Array,
): (index: number) => Uint32Array {
  const index = new PackedShingleIndex(count);
  for (const packed of parts) {
    index.add(packed);
  }
  return (i) => index.get(i) ?? fallback(i);
}
