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
import type { NormalizeOptions } from '../normalize.ts';
import { fmix32, hash64Into, normalize } from '../normalize.ts';
import { createShingleBuffer, fillShingles } from './shingles.ts';

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

/** Reusable state of one signature computation (one per thread). */
interface SignatureState {
  options: ResolvedSignatureOptions;
  bins: number;
  permutation: number;
  probes: Uint16Array;
  bandSeeds: Uint32Array;
  values: Uint32Array;
  filled: Uint8Array;
}

function createState(options: ResolvedSignatureOptions): SignatureState {
  const bins = options.bands * options.rows;
  const bandSeeds = new Uint32Array(options.bands);
  for (let b = 0; b < options.bands; b++) {
    bandSeeds[b] = fmix32(Math.imul(b + 1, 0x9e3779b1) ^ options.seed);
  }
  return {
    options,
    bins,
    permutation: fmix32(Math.imul(options.seed, 0x85ebca6b) + 0x27d4eb2f),
    probes: probeOrders(bins, options.seed),
    bandSeeds,
    values: new Uint32Array(bins),
    filled: new Uint8Array(bins),
  };
}

/** The OPH MinHash signature of `count` shingle hashes, densified, into `state.values`. */
function fillSignature(state: SignatureState, shingles: Uint32Array, count: number): void {
  const { bins, values, filled, probes, permutation } = state;
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
  if (filledCount === bins || filledCount === 0) {
    return;
  }
  for (let bin = 0; bin < bins; bin++) {
    if (filled[bin] === 1) {
      continue;
    }
    const base = bin * bins;
    for (let a = 0; a < bins; a++) {
      const source = probes[base + a]!;
      if (filled[source] === 1) {
        values[bin] = values[source]!;
        break;
      }
    }
  }
}

/** Hashes each band's rows of `state.values` to one key, written at `out[offset + band]`. */
function fillBandKeys(state: SignatureState, out: Uint32Array, offset: number): void {
  const { bands, rows } = state.options;
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
  const resolved = resolveSignatureOptions(options);
  const state = createState(resolved);
  const { bands } = resolved;
  const count = texts.length;
  const bandKeys = new Uint32Array(count * bands);
  const exactHashes = new Uint32Array(count * 2);
  const shingleCounts = new Uint32Array(count);
  const buffer = createShingleBuffer();
  const normalizeOptions = { traditionalToSimplified: resolved.traditionalToSimplified };
  for (let i = 0; i < count; i++) {
    const normalized = normalize(texts[i] ?? '', normalizeOptions);
    if (normalized === '') {
      continue;
    }
    hash64Into(normalized, exactHashes, i * 2);
    const shingles = fillShingles(normalized.toLowerCase(), buffer);
    shingleCounts[i] = shingles;
    fillSignature(state, buffer.hashes, shingles);
    fillBandKeys(state, bandKeys, i * bands);
  }
  return { count, bands, rows: resolved.rows, seed: resolved.seed, bandKeys, exactHashes, shingleCounts };
}

/**
 * The full MinHash signature (bands × rows values) of one similarity key's shingles: for tests and for
 * estimating a similarity without the texts. The share of equal positions in two signatures estimates
 * the Jaccard index of the texts.
 */
export function minhashSignature(shingles: Uint32Array, options: SignatureOptions = {}): Uint32Array {
  const state = createState(resolveSignatureOptions(options));
  fillSignature(state, shingles, shingles.length);
  return state.values.slice();
}

/** Joins chunks computed apart (in order) into one; all must share bands, rows and seed. */
export function concatSignatures(chunks: readonly SignatureChunk[]): SignatureChunk {
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
  if (chunks.length === 1) {
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
  const bandKeys = new Uint32Array(count * first.bands);
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
