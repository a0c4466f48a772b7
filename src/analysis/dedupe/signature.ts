/*
 * MinHash signatures by one-permutation hashing (OPH): one hash of each shingle picks a bin (its high
 * part) and competes for the bin's minimum, so a signature of K = bands × rows values costs one pass over
 * the shingles instead of K. Bins left empty by short texts borrow the value of the first filled bin in a
 * fixed, seeded probe order per bin (optimal densification), which keeps the chance that two texts agree
 * on a bin equal to their Jaccard index. Signatures are reduced at once to one 32-bit key per LSH band:
 * that is all the banding needs, 64 bytes a text at 16 bands instead of 512.
 *
 * `computeSignatures` is pure and works on any chunk of texts, so a worker pool can compute chunks in
 * parallel and hand the typed arrays (transferable) to the thread that clusters them.
 */
import { AppError } from '../../domain/errors.ts';
import type { NormalizeOptions, NormalizedCodes } from '../normalize.ts';
import {
  createNormalizedCodes,
  fmix32,
  fnvSeed,
  hash64CodesInto,
  hash64Finish,
  murmurSeed,
  normalizeCodes,
} from '../normalize.ts';
import type { ShingleBuffer } from './shingles.ts';
import { SHINGLE_SIZE, createShingleBuffer, fillShinglesFromCodes } from './shingles.ts';

export interface SignatureOptions extends NormalizeOptions {
  /** LSH bands (default 16). */
  bands?: number;
  /** MinHash values per band (default 8). A pair at Jaccard s shares a band with chance 1 − (1 − s^rows)^bands. */
  rows?: number;
  /** Seed of the hash functions (default fixed): signatures are comparable only under one seed. */
  seed?: number;
}

export type ResolvedSignatureOptions = Required<SignatureOptions>;

export const DEFAULT_SIGNATURE_OPTIONS: ResolvedSignatureOptions = {
  bands: 16,
  rows: 8,
  seed: 0x5eed,
  traditionalToSimplified: true,
};

/** Signatures of a chunk of texts, as typed arrays indexed by the text's position in the chunk. */
export interface SignatureChunk {
  count: number;
  bands: number;
  rows: number;
  seed: number;
  /** `count × bands` band keys: text i's key for band b at `i * bands + b`. */
  bandKeys: Uint32Array;
  /** `count × 2`: the 64-bit hash of each normalised text (exact duplicates share it). */
  exactHashes: Uint32Array;
  /** Shingles of each text (with repeats); 0 for an empty text, which is never a duplicate. */
  shingleCounts: Uint32Array;
}

export function resolveSignatureOptions(options: SignatureOptions = {}): ResolvedSignatureOptions {
  const resolved = { ...DEFAULT_SIGNATURE_OPTIONS, ...stripUndefined(options) };
  for (const field of ['bands', 'rows'] as const) {
    const value = resolved[field];
    if (!Number.isInteger(value) || value < 1) {
      throw new AppError('validation_failed', `${field} must be a positive integer`, { field });
    }
  }
  if (resolved.bands * resolved.rows > 4096) {
    throw new AppError('validation_failed', 'bands × rows must not exceed 4096', { field: 'rows' });
  }
  if (!Number.isInteger(resolved.seed)) {
    throw new AppError('validation_failed', 'seed must be an integer', { field: 'seed' });
  }
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** mulberry32: a small seeded generator for the probe orders. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const probeCache = new Map<string, Uint16Array>();

/** For each bin, a seeded random order of all bins: where an empty bin looks for a value to borrow. */
function probeOrders(bins: number, seed: number): Uint16Array {
  const cacheKey = `${bins}:${seed}`;
  let probes = probeCache.get(cacheKey);
  if (probes === undefined) {
    const random = generator(seed ^ 0x2545f491);
    probes = new Uint16Array(bins * bins);
    for (let bin = 0; bin < bins; bin++) {
      const row = probes.subarray(bin * bins, (bin + 1) * bins);
      for (let j = 0; j < bins; j++) {
        row[j] = j;
      }
      for (let j = bins - 1; j > 0; j--) {
        const k = Math.floor(random() * (j + 1));
        const swap = row[j]!;
        row[j] = row[k]!;
        row[k] = swap;
      }
    }
    probeCache.set(cacheKey, probes);
  }
  return probes;
}

/** Bins up to which a state keeps the ranks of its probe orders (`bins²` values: 2 MB at 1,024). */
const MAX_RANKED_BINS = 1024;

/**
 * The inverse of the probe orders: `ranks[bin * bins + other]` is where `other` comes in `bin`'s order.
 * The first filled bin of an order is then the filled bin of least rank in it.
 */
function probeRanks(probes: Uint16Array, bins: number): Uint16Array {
  const ranks = new Uint16Array(bins * bins);
  for (let bin = 0; bin < bins; bin++) {
    const base = bin * bins;
    for (let j = 0; j < bins; j++) {
      ranks[base + probes[base + j]!] = j;
    }
  }
  return ranks;
}

/** Reusable state of the signature computations with one set of options (one per thread: `stateFor`). */
interface SignatureState {
  bands: number;
  rows: number;
  bins: number;
  permutation: number;
  probes: Uint16Array;
  /** `probeRanks` of the probe orders, made when a signature first needs them (none past MAX_RANKED_BINS). */
  ranks: Uint16Array | null;
  bandSeeds: Uint32Array;
  values: Uint32Array;
  filled: Uint8Array;
  /** For 2^k bins, k ≥ 2: 32 − k, the bits of a value below its bin number; else 0. */
  lowBits: number;
  /** Per bin, the least low bits seen so far (2^lowBits while empty). */
  lows: Int32Array;
  /** Scratch lists of the empty bins and of the filled ones. */
  empties: Uint16Array;
  fills: Uint16Array;
  normalizeOptions: NormalizeOptions;
  normalized: NormalizedCodes;
  buffer: ShingleBuffer;
}

const stateCache = new Map<string, SignatureState>();

/**
 * The state for some options, made once per thread and reused: computations do not overlap, and a
 * state object made anew for each chunk would make the compiler drop the code it built for the last.
 */
function stateFor(options: ResolvedSignatureOptions): SignatureState {
  const cacheKey = `${options.bands}:${options.rows}:${options.seed}:${options.traditionalToSimplified}`;
  let state = stateCache.get(cacheKey);
  if (state === undefined) {
    state = createState(options);
    stateCache.set(cacheKey, state);
  }
  return state;
}

function createState(options: ResolvedSignatureOptions): SignatureState {
  const bins = options.bands * options.rows;
  const bandSeeds = new Uint32Array(options.bands);
  for (let b = 0; b < options.bands; b++) {
    bandSeeds[b] = fmix32(Math.imul(b + 1, 0x9e3779b1) ^ options.seed);
  }
  return {
    bands: options.bands,
    rows: options.rows,
    bins,
    permutation: fmix32(Math.imul(options.seed, 0x85ebca6b) + 0x27d4eb2f),
    probes: probeOrders(bins, options.seed),
    ranks: null,
    bandSeeds,
    values: new Uint32Array(bins),
    filled: new Uint8Array(bins),
    lowBits: bins >= 4 && (bins & (bins - 1)) === 0 ? 32 - Math.log2(bins) : 0,
    lows: new Int32Array(bins),
    empties: new Uint16Array(bins),
    fills: new Uint16Array(bins),
    normalizeOptions: { traditionalToSimplified: options.traditionalToSimplified },
    normalized: createNormalizedCodes(),
    buffer: createShingleBuffer(),
  };
}

/** The OPH MinHash signature of `count` shingle hashes, densified, into `state.values`. */
function fillSignature(state: SignatureState, shingles: Uint32Array, count: number): void {
  densifyPartial(
    state,
    state.lowBits > 0 ? fillBinsByLowBits(state, shingles, count) : fillBins(state, shingles, count),
  );
}

/** Densifies a signature with `filledCount` bins filled, unless all or none are. */
function densifyPartial(state: SignatureState, filledCount: number): void {
  const { bins } = state;
  if (filledCount === bins || filledCount === 0) {
    return;
  }
  if (filledCount * filledCount * SPARSE_FACTOR <= bins && bins <= MAX_RANKED_BINS) {
    densifySparse(state);
  } else {
    densify(state);
  }
}

/**
 * Filled bins below which `densifySparse` is used: when `filled² × SPARSE_FACTOR ≤ bins`. Probing costs
 * about bins / filled steps per empty bin, the ranks `filled`; a step of the ranks is the dearer.
 */
const SPARSE_FACTOR = 3;

/**
 * The bin of a mixed hash x is floor(x · bins / 2^32): for 2^k bins its top k bits, so the values of one
 * bin differ only in their low 32 − k bits. Their differences then fit a signed 32-bit integer, and each
 * bin's minimum is kept without a branch (a branch on "smaller?" would be mispredicted half the time).
 */
function fillBinsByLowBits(state: SignatureState, shingles: Uint32Array, count: number): number {
  const { permutation, lowBits, lows } = state;
  const mask = (1 << lowBits) - 1;
  lows.fill(1 << lowBits);
  for (let i = 0; i < count; i++) {
    const x = fmix32(shingles[i]! ^ permutation);
    const bin = x >>> lowBits;
    const low = lows[bin]!;
    const difference = (x & mask) - low;
    lows[bin] = low + (difference & (difference >> 31));
  }
  return settleLows(state);
}

/** Sets the values and filled flags of the bins from `state.lows`; returns the number filled. */
function settleLows(state: SignatureState): number {
  const { bins, values, filled, lowBits, lows } = state;
  let filledCount = 0;
  for (let bin = 0; bin < bins; bin++) {
    const low = lows[bin]!;
    // 1 for a bin left empty (its low bits still 2^lowBits), whose value is then 0xffffffff.
    const empty = low >>> lowBits;
    filled[bin] = 1 - empty;
    filledCount += 1 - empty;
    values[bin] = (bin << lowBits) | low | -empty;
  }
  return filledCount;
}

/**
 * The exact hash, the shingles and their bins (as `fillBinsByLowBits`) of a normalised text in one
 * pass over its code units, for the common case: a key that is the code units themselves, ASCII letters
 * folded (see `normalizeCodes`), of ten code units or more (at least five characters), no surrogate,
 * and 2^k bins. The serial mixing of the exact hash then overlaps with the shingle arithmetic. Writes the
 * hash to `hashes[at]` and `hashes[at + 1]` and the shingle hashes (in text order, as `fillShinglesFromCodes`)
 * to `shingles`, returns the number of shingles (-1 at a surrogate: nothing usable written then);
 * `settleLows` finishes the bins.
 *
 * The steps are written out rather than called (`fnvStep` and `murmurStep` of `hash64CodesInto`,
 * `isAsciiUpper`, `scramble` and `shingleHash` of the shingles, `fmix32`): the loop runs a fifth faster so.
 * They must stay the same computations; the tests compare the results with those of the separate steps.
 */
function signCodes(
  state: SignatureState,
  codes: Uint16Array,
  length: number,
  hashes: Uint32Array,
  at: number,
  shingles: Uint32Array,
): number {
  const { permutation, lowBits, lows } = state;
  const mask = (1 << lowBits) - 1;
  lows.fill(1 << lowBits);
  let a = fnvSeed(length);
  let b = murmurSeed(length);
  // As in `fillShinglesFromCodes`: the last four code points scrambled, `p3` the latest.
  let p0 = 0;
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const cp = codes[i]!;
    if ((cp & 0xf800) === 0xd800) {
      // A surrogate (rare here: from a conversion only) is left to the general path.
      return -1;
    }
    // fnvStep and murmurStep.
    a = Math.imul(a ^ cp, 0x01000193);
    let m = Math.imul(cp, 0xcc9e2d51);
    m = (m << 15) | (m >>> 17);
    b ^= Math.imul(m, 0x1b873593);
    b = (Math.imul((b << 13) | (b >>> 19), 5) + 0xe6546b64) | 0;
    // scramble(cp + isAsciiUpper(cp) * 0x20).
    const folded = cp + ((~((cp - 0x41) | (0x5a - cp)) >>> 31) << 5);
    let k = Math.imul(folded, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    if (n >= SHINGLE_SIZE - 1) {
      // fmix32(shingleHash(p0, p1, p2, p3, k) ^ permutation).
      let h = p0;
      h = (Math.imul(h, 0x01000193) + p1) | 0;
      h = (Math.imul(h, 0x01000193) + p2) | 0;
      h = (Math.imul(h, 0x01000193) + p3) | 0;
      // The shingle's hash itself (shingleHash), kept for its sorted set.
      const shingle = (Math.imul(h, 0x01000193) + k) | 0;
      shingles[n - SHINGLE_SIZE + 1] = shingle;
      h = shingle ^ permutation;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      const x = (h ^ (h >>> 16)) >>> 0;
      const bin = x >>> lowBits;
      const low = lows[bin]!;
      const difference = (x & mask) - low;
      lows[bin] = low + (difference & (difference >> 31));
    }
    p0 = p1;
    p1 = p2;
    p2 = p3;
    p3 = k;
    n++;
  }
  hash64Finish(a, b, hashes, at);
  return n - SHINGLE_SIZE + 1;
}

function fillBins(state: SignatureState, shingles: Uint32Array, count: number): number {
  const { bins, values, filled, permutation } = state;
  values.fill(0xffffffff);
  filled.fill(0);
  const scale = bins / 4294967296;
  let filledCount = 0;
  for (let i = 0; i < count; i++) {
    const x = fmix32(shingles[i]! ^ permutation);
    const bin = Math.floor(x * scale);
    if (filled[bin] === 0) {
      filled[bin] = 1;
      filledCount++;
      values[bin] = x;
    } else if (x < values[bin]!) {
      values[bin] = x;
    }
  }
  return filledCount;
}

/** Each empty bin borrows the value of the first filled bin in its probe order. */
function densify(state: SignatureState): void {
  const { bins, values, filled, probes, empties } = state;
  // The empty bins, listed without a branch (whether a bin is filled is a coin toss for short texts).
  let emptyCount = 0;
  for (let bin = 0; bin < bins; bin++) {
    empties[emptyCount] = bin;
    emptyCount += 1 - filled[bin]!;
  }
  for (let e = 0; e < emptyCount; e++) {
    const bin = empties[e]!;
    const base = bin * bins;
    values[bin] =
      values[bins >= 4 ? firstFilledOfFour(probes, filled, base) : firstFilled(probes, filled, base)]!;
  }
}

/**
 * `densify` for a signature with few bins filled (a short text): each empty bin borrows the value of the
 * filled bin that comes first in its probe order, found by comparing the filled bins' ranks in that order
 * rather than by walking the order past the empty ones (some bins / filled steps each). The same values.
 */
function densifySparse(state: SignatureState): void {
  const { bins, values, filled, fills } = state;
  const ranks = (state.ranks ??= probeRanks(state.probes, bins));
  let fillCount = 0;
  for (let bin = 0; bin < bins; bin++) {
    fills[fillCount] = bin;
    fillCount += filled[bin]!;
  }
  for (let bin = 0; bin < bins; bin++) {
    if (filled[bin] === 1) {
      continue;
    }
    const base = bin * bins;
    let pick = fills[0]!;
    let least = ranks[base + pick]!;
    for (let f = 1; f < fillCount; f++) {
      const other = fills[f]!;
      const rank = ranks[base + other]!;
      if (rank < least) {
        least = rank;
        pick = other;
      }
    }
    values[bin] = values[pick]!;
  }
}

/** The first filled bin of the probe order at `base` (there is one). */
function firstFilled(probes: Uint16Array, filled: Uint8Array, base: number): number {
  let at = base;
  while (filled[probes[at]!] === 0) {
    at++;
  }
  return probes[at]!;
}

/**
 * `firstFilled` for 4 bins or more: the first four probes are read at once and the first filled one of
 * them picked by arithmetic, which spares a mispredicted loop exit per empty bin in most cases.
 */
function firstFilledOfFour(probes: Uint16Array, filled: Uint8Array, base: number): number {
  const s0 = probes[base]!;
  const s1 = probes[base + 1]!;
  const s2 = probes[base + 2]!;
  const s3 = probes[base + 3]!;
  const f0 = filled[s0]!;
  const f1 = filled[s1]!;
  const f2 = filled[s2]!;
  if ((f0 | f1 | f2 | filled[s3]!) === 0) {
    return firstFilled(probes, filled, base + 4);
  }
  // From the last to the first: each filled one replaces the pick (x & -1 is x, x & -0 is 0).
  let pick = s3;
  pick += (s2 - pick) & -f2;
  pick += (s1 - pick) & -f1;
  pick += (s0 - pick) & -f0;
  return pick;
}

/** Hashes each band's rows of `state.values` to one key, written at `out[offset + band]`. */
function fillBandKeys(state: SignatureState, out: Uint32Array, offset: number): void {
  const { bands, rows } = state;
  const values = state.values;
  for (let b = 0; b < bands; b++) {
    let h = state.bandSeeds[b]!;
    const start = b * rows;
    for (let r = 0; r < rows; r++) {
      let k = Math.imul(values[start + r]!, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      h ^= Math.imul(k, 0x1b873593);
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    }
    out[offset + b] = fmix32(h ^ rows);
  }
}

/**
 * Band keys, exact-duplicate hashes and shingle counts of a chunk of texts. Pure: the same texts and
 * options give the same arrays on any thread, so chunks computed apart can be joined with
 * `concatSignatures`.
 */
export function computeSignatures(texts: readonly string[], options: SignatureOptions = {}): SignatureChunk {
  return signChunk(texts, options, null).signatures;
}

/**
 * The shingle hashes of the texts of a chunk, packed: text i's are `values[offsets[i]..offsets[i + 1])`,
 * in text order, repeats included (as `fillShingles(similarityKey(text))` writes them); sorted without
 * repeats (`sortUnique`), they are the text's shingle set.
 */
export interface ChunkShingles {
  offsets: Uint32Array;
  values: Uint32Array;
}

/**
 * `computeSignatures`, and the shingles of the texts besides, from the same pass over each text: what the
 * clustering verifies candidates with, without normalising and hashing the texts again. They are left
 * unsorted: most texts are never verified.
 *
 * The shingles are written from the start of `space(capacity)`, an array of at least `capacity` values
 * (as many as the texts have characters; the values returned are then a view of it), or of a new array;
 * only a text that NFKC lengthens can make them move to a larger one.
 */
export function computeSignaturesAndShingles(
  texts: readonly string[],
  options: SignatureOptions = {},
  space: (capacity: number) => Uint32Array = (capacity) => new Uint32Array(capacity),
): { signatures: SignatureChunk; shingles: ChunkShingles } {
  let capacity = 0;
  for (const text of texts) {
    capacity += text.length;
  }
  const shingles = {
    offsets: new Uint32Array(texts.length + 1),
    values: space(Math.max(16, capacity)),
  };
  const { signatures } = signChunk(texts, options, shingles);
  return {
    signatures,
    shingles: {
      offsets: shingles.offsets,
      values: shingles.values.subarray(0, shingles.offsets[texts.length]),
    },
  };
}

function signChunk(
  texts: readonly string[],
  options: SignatureOptions,
  kept: ChunkShingles | null,
): { signatures: SignatureChunk } {
  const resolved = resolveSignatureOptions(options);
  const state = stateFor(resolved);
  const { bands } = resolved;
  const count = texts.length;
  const chunk: SignatureChunk = {
    count,
    bands,
    rows: resolved.rows,
    seed: resolved.seed,
    bandKeys: new Uint32Array(count * bands),
    exactHashes: new Uint32Array(count * 2),
    shingleCounts: new Uint32Array(count),
  };
  for (let i = 0; i < count; i++) {
    // One call per text: the compiler optimises the work of a text as a function of its own.
    const shingles = signText(state, texts[i] ?? '', chunk, i);
    if (kept !== null) {
      keepShingles(kept, i, state.buffer.hashes, shingles);
    }
  }
  return { signatures: chunk };
}

/** Appends the `count` shingle hashes of text `i` to the packed shingles. */
function keepShingles(kept: ChunkShingles, i: number, hashes: Uint32Array, count: number): void {
  const used = kept.offsets[i]!;
  if (used + count > kept.values.length) {
    // NFKC lengthened a text: more shingles than the chunk's characters.
    const grown = new Uint32Array(Math.max(Math.ceil(kept.values.length * 1.25), used + count));
    grown.set(kept.values.subarray(0, used));
    kept.values = grown;
  }
  kept.values.set(hashes.subarray(0, count), used);
  kept.offsets[i + 1] = used + count;
}

/**
 * The exact hash, shingle count and band keys of text `i` of a chunk, written to its arrays; its shingle
 * hashes are left in `state.buffer.hashes`. Returns the number of shingles.
 */
function signText(state: SignatureState, text: string, chunk: SignatureChunk, i: number): number {
  const { normalized, buffer } = state;
  const length = normalizeCodes(text, normalized, state.normalizeOptions, true);
  if (length === 0) {
    return 0;
  }
  if (buffer.hashes.length < length) {
    const capacity = Math.max(length, buffer.hashes.length * 2);
    buffer.hashes = new Uint32Array(capacity);
    buffer.units = new Uint16Array(capacity);
  }
  const simple = normalized.keyCodes === normalized.codes && length >= 2 * SHINGLE_SIZE && state.lowBits > 0;
  let shingles = simple
    ? signCodes(state, normalized.codes, length, chunk.exactHashes, i * 2, buffer.hashes)
    : -1;
  if (shingles >= 0) {
    densifyPartial(state, settleLows(state));
  } else {
    hash64CodesInto(normalized.codes, length, chunk.exactHashes, i * 2);
    shingles = fillShinglesFromCodes(normalized.keyCodes, normalized.keyLength, buffer);
    fillSignature(state, buffer.hashes, shingles);
  }
  chunk.shingleCounts[i] = shingles;
  fillBandKeys(state, chunk.bandKeys, i * chunk.bands);
  return shingles;
}

/**
 * The full MinHash signature (bands × rows values) of one similarity key's shingles: for tests and for
 * estimating a similarity without the texts. The share of equal positions in two signatures estimates
 * the Jaccard index of the texts.
 */
export function minhashSignature(shingles: Uint32Array, options: SignatureOptions = {}): Uint32Array {
  const state = stateFor(resolveSignatureOptions(options));
  fillSignature(state, shingles, shingles.length);
  return state.values.slice();
}

/**
 * Joins chunks computed apart (in order) into one; all must share bands, rows and seed. `shared`: the
 * band keys go to memory other threads can share (a SharedArrayBuffer), for a plan made by two.
 */
export function concatSignatures(chunks: readonly SignatureChunk[], shared = false): SignatureChunk {
  const first = chunks[0];
  if (first === undefined) {
    const { bands, rows, seed } = DEFAULT_SIGNATURE_OPTIONS;
    return {
      count: 0,
      bands,
      rows,
      seed,
      bandKeys: new Uint32Array(0),
      exactHashes: new Uint32Array(0),
      shingleCounts: new Uint32Array(0),
    };
  }
  if (chunks.length === 1 && !shared) {
    return first;
  }
  for (const chunk of chunks) {
    if (chunk.bands !== first.bands || chunk.rows !== first.rows || chunk.seed !== first.seed) {
      throw new AppError('validation_failed', 'signature chunks computed with different parameters', {
        field: 'signatures',
      });
    }
  }
  const count = chunks.reduce((n, chunk) => n + chunk.count, 0);
  const keys = count * first.bands;
  const bandKeys = new Uint32Array(shared ? new SharedArrayBuffer(keys * 4) : new ArrayBuffer(keys * 4));
  const exactHashes = new Uint32Array(count * 2);
  const shingleCounts = new Uint32Array(count);
  let at = 0;
  for (const chunk of chunks) {
    bandKeys.set(chunk.bandKeys, at * first.bands);
    exactHashes.set(chunk.exactHashes, at * 2);
    shingleCounts.set(chunk.shingleCounts, at);
    at += chunk.count;
  }
  return {
    count,
    bands: first.bands,
    rows: first.rows,
    seed: first.seed,
    bandKeys,
    exactHashes,
    shingleCounts,
  };
}
