/*
 * Near-duplicate clusters from LSH band keys.
 *
 * Texts are taken in order. Exact duplicates (same normalised text) join the cluster of their first copy
 * without further work. Any other text looks up its band keys: each LSH bucket remembers the clusters
 * (a few at most) of the texts that fell into it, and the text is verified, by the exact Jaccard index of
 * the shingle sets, against each such cluster, most shared bands first. It joins the first cluster whose
 * representative (its earliest text) and core (its first members, 8 by default) it is similar to;
 * otherwise it founds a cluster of its own. Candidate pairs are never listed, so a campaign of 100,000
 * copies costs 100,000 lookups, not 5 billion pairs.
 *
 * Similarity is not transitive, and every pair inside a cluster counts as a pair of near-duplicates, so
 * clusters must not chain texts: a cluster no larger than its core is complete (all its pairs are
 * similar), and every member of a larger one is similar to the representative and the whole core.
 * Jaccard distance being a metric, a newcomer close enough to the representative is similar to a core
 * member close to it without counting.
 */
import { AppError } from '../../domain/errors.ts';
import type { NormalizeOptions } from '../normalize.ts';
import { similarityKey } from '../normalize.ts';
import type { DuplicateLinks } from './links.ts';
import { linkDuplicates } from './links.ts';
import { createShingleBuffer, isSimilar, minimumOverlap, overlapAtLeast, shingleSet } from './shingles.ts';
import type { SignatureChunk, SignatureOptions } from './signature.ts';
import { computeSignatures } from './signature.ts';

export const DEFAULT_THRESHOLD = 0.8;

/** Sets kept by `ShingleCache` when it has no budget (a power of two): views, a few megabytes. */
const RECENT_SETS = 16384;
const EMPTY_SET = new Uint32Array(0);
/** Shingle values a `ShingleCache` keeps by default: 24 million, about 100 MB. */
const DEFAULT_CACHE_VALUES = 24_000_000;
/** Bands `planClustering` groups in one pass over the texts' rows. */
const BANDS_A_PASS = 4;

export interface ClusterOptions {
  /** Jaccard index of the shingle sets at or above which two texts are near-duplicates (default 0.8). */
  threshold?: number;
  /** Representatives a text is verified against at most (default: the number of bands). */
  maxVerifications?: number;
  /** Distinct clusters an LSH bucket remembers (default 8). */
  bucketClusters?: number;
  /**
   * Members a newcomer must be similar to: the cluster's first `coreSize` members, the representative
   * first (default 8). A cluster no larger than its core is complete: every pair of its members is
   * similar. 1 checks the representative only.
   */
  coreSize?: number;
}

export interface ClusterSignaturesOptions extends ClusterOptions {
  /** The sorted shingle set of text `index`: `shingleSet(similarityKey(text))` with the same options. */
  shinglesOf: (index: number) => Uint32Array;
  /**
   * Shingle values kept in memory for reuse (default 24 million, about 100 MB); 0 when `shinglesOf` is
   * itself cheap, e.g. over sets packed in advance (`packedShinglesOf`).
   */
  cacheValues?: number;
  /** `planClustering(signatures)`, when already made (e.g. to list the texts to verify). */
  plan?: ClusterPlan;
}

export interface DuplicateLinkOptions {
  /** Also find the near-duplicate pairs the clusters leave apart (`DuplicateResult.links`). */
  links?: boolean;
  /** Earlier texts outside its cluster verified for one text at most, for links (default 32). */
  linkCandidates?: number;
}

export type DuplicateOptions = ClusterOptions & SignatureOptions & DuplicateLinkOptions;

export interface DuplicateCluster {
  /** Position in `clusters`. */
  id: number;
  /** Index of the cluster's earliest text; every member is verified similar to it and to the core. */
  representative: number;
  /** Indexes of the member texts, ascending, the representative first. */
  members: number[];
}

export interface DuplicateStats {
  texts: number;
  /** Texts with nothing left after normalisation: never duplicates. */
  emptyTexts: number;
  /** Texts whose normalised text equals an earlier one. */
  exactDuplicates: number;
  /** Texts in a cluster of two or more. */
  clusteredTexts: number;
  clusters: number;
  largestCluster: number;
  /** Exact similarity computations (candidate text against a representative). */
  verifications: number;
  /** Verifications that reached the threshold. */
  verified: number;
}

export interface DuplicateResult {
  threshold: number;
  /** Cluster id of each text (position in `clusters`), or -1 for a text alike to no other. */
  clusterOf: Int32Array;
  /** Index of the earliest text with the same normalised text, or -1 for the first (or only) copy. */
  exactDuplicateOf: Int32Array;
  /** Clusters of two or more texts, in order of their representatives. */
  clusters: DuplicateCluster[];
  stats: DuplicateStats;
  /** With `links`: near-duplicate pairs of texts in different clusters or alone (`linkDuplicates`). */
  links?: DuplicateLinks;
}

export function resolveThreshold(threshold: number | undefined): number {
  const value = threshold ?? DEFAULT_THRESHOLD;
  if (!(value > 0 && value <= 1)) {
    throw new AppError('validation_failed', 'threshold must be in (0, 1]', { field: 'threshold' });
  }
  return value;
}

/**
 * The clusters of each band group's texts, at most `limit` a group, in the order they came. A group's
 * first cluster sits beside its head; the others, when there are any, in a block of `limit` entries of
 * its own (their number, then the clusters), so that reading a group's clusters touches one or two
 * cache lines rather than a list strewn over memory.
 */
class GroupBuckets {
  /** Per group, at `2 * group`: its first cluster plus one (0 for none); then its block plus one (0 for none). */
  private readonly heads: Int32Array;
  private blocks: Int32Array;
  private blocksUsed = 0;

  constructor(
    groups: number,
    private readonly limit: number,
  ) {
    this.heads = new Int32Array(groups * 2);
    this.blocks = new Int32Array(limit > 1 ? 1024 * limit : 0);
  }

  /** Adds the group's clusters to `candidates`. */
  collect(group: number, candidates: CandidateList): void {
    const first = this.heads[2 * group]!;
    if (first === 0) {
      return;
    }
    candidates.add(first - 1);
    const block = this.heads[2 * group + 1]! - 1;
    if (block === -1) {
      return;
    }
    const { blocks } = this;
    const end = block + 1 + blocks[block]!;
    for (let entry = block + 1; entry < end; entry++) {
      candidates.add(blocks[entry]!);
    }
  }

  /** Records `cluster` among the group's clusters, unless it is there or the group is full. */
  add(group: number, cluster: number): void {
    const { heads, limit } = this;
    const first = heads[2 * group]!;
    if (first === 0) {
      heads[2 * group] = cluster + 1;
      return;
    }
    if (first === cluster + 1 || limit === 1) {
      return;
    }
    let block = heads[2 * group + 1]! - 1;
    if (block === -1) {
      if (this.blocksUsed + limit > this.blocks.length) {
        this.blocks = doubled(this.blocks);
      }
      block = this.blocksUsed;
      this.blocksUsed += limit;
      heads[2 * group + 1] = block + 1;
    }
    const { blocks } = this;
    const length = blocks[block]!;
    const end = block + 1 + length;
    for (let entry = block + 1; entry < end; entry++) {
      if (blocks[entry] === cluster) {
        return;
      }
    }
    // The first cluster and `length` more.
    if (length + 1 < limit) {
      blocks[end] = cluster;
      blocks[block] = length + 1;
    }
  }
}

/** The clusters met through a text's band groups, each with the number of groups it was met through. */
class CandidateList {
  readonly clusters: Int32Array;
  readonly hits: Int32Array;
  count = 0;

  constructor(capacity: number) {
    this.clusters = new Int32Array(capacity);
    this.hits = new Int32Array(capacity);
  }

  add(cluster: number): void {
    const { clusters, hits, count } = this;
    for (let k = 0; k < count; k++) {
      if (clusters[k] === cluster) {
        hits[k]!++;
        return;
      }
    }
    clusters[count] = cluster;
    hits[count] = 1;
    this.count = count + 1;
  }

  /** Orders the candidates by groups met through, most first, ties in the order met (insertion sort: a handful). */
  sort(): void {
    const { clusters, hits, count } = this;
    for (let k = 1; k < count; k++) {
      const cluster = clusters[k]!;
      const hit = hits[k]!;
      let j = k - 1;
      while (j >= 0 && hits[j]! < hit) {
        clusters[j + 1] = clusters[j]!;
        hits[j + 1] = hits[j]!;
        j--;
      }
      clusters[j + 1] = cluster;
      hits[j + 1] = hit;
    }
  }
}

/** Exact duplicates by the 64-bit hash of the normalised text: the earliest index per hash. */
function findExactDuplicates(signatures: SignatureChunk): {
  exactDuplicateOf: Int32Array;
  duplicates: number;
} {
  const { count, exactHashes, shingleCounts } = signatures;
  const exactDuplicateOf = new Int32Array(count).fill(-1);
  const capacity = Math.max(16, Math.ceil(count / 0.6));
  const scale = capacity / 4294967296;
  const slots = new Int32Array(capacity).fill(-1);
  let duplicates = 0;
  for (let i = 0; i < count; i++) {
    if (shingleCounts[i] === 0) {
      continue;
    }
    const high = exactHashes[2 * i]!;
    const low = exactHashes[2 * i + 1]!;
    let at = Math.floor(high * scale);
    for (;;) {
      const first = slots[at]!;
      if (first === -1) {
        slots[at] = i;
        break;
      }
      if (exactHashes[2 * first] === high && exactHashes[2 * first + 1] === low) {
        exactDuplicateOf[i] = first;
        duplicates++;
        break;
      }
      at = at + 1 === capacity ? 0 : at + 1;
    }
  }
  return { exactDuplicateOf, duplicates };
}

/** What clustering needs besides the signatures: `planClustering`. */
export interface ClusterPlan {
  /** Index of the earliest text with the same normalised text, or -1. */
  exactDuplicateOf: Int32Array;
  duplicates: number;
  emptyTexts: number;
  bands: number;
  /**
   * `count × bands`: text i's group for band b at `i * bands + b`, the groups numbering the band keys
   * that two or more distinct texts (neither empty nor exact duplicates) share, in the order clustering
   * meets them; -1 where the text is alone with its key, and for empty texts and exact duplicates.
   */
  groupOf: Int32Array;
  groups: number;
  /** The texts in a group, ascending: those whose similarity clustering will verify. */
  verify: Int32Array;
  /** Shingles of each text (`SignatureChunk.shingleCounts`): what verifying it costs, roughly. */
  shingleCounts: Uint32Array;
}

/**
 * What grouping the band keys needs and fills in: the distinct texts (neither empty nor an exact
 * duplicate), and per text its group in each band and whether it has any. The arrays are in memory
 * threads can share when the grouping is split between threads (`planClusteringSplit`).
 */
export interface BandGrouping {
  bandKeys: Uint32Array;
  bands: number;
  /** The distinct texts, ascending, in the first `distinctCount` entries. */
  distinct: Int32Array;
  distinctCount: number;
  /** `count × bands`, as `ClusterPlan.groupOf` (filled in for the distinct texts). */
  groupOf: Int32Array;
  /** 1 for a text sharing a band key with another. */
  marked: Uint8Array;
}

interface PlanStart {
  grouping: BandGrouping;
  exactDuplicateOf: Int32Array;
  duplicates: number;
  emptyTexts: number;
}

/** Memory of `bytes` bytes, which other threads can share if `shared`. */
const memory = (bytes: number, shared: boolean): ArrayBufferLike =>
  shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);

/** Exact duplicates, the distinct texts and room for their groups. */
function startPlan(signatures: SignatureChunk, shared: boolean): PlanStart {
  const { count, bands, bandKeys, shingleCounts } = signatures;
  const { exactDuplicateOf, duplicates } = findExactDuplicates(signatures);
  let emptyTexts = 0;
  let distinctCount = 0;
  const distinct = new Int32Array(memory(count * 4, shared));
  for (let i = 0; i < count; i++) {
    if (shingleCounts[i] === 0) {
      emptyTexts++;
    } else if (exactDuplicateOf[i] === -1) {
      distinct[distinctCount++] = i;
    }
  }
  const grouping: BandGrouping = {
    bandKeys,
    bands,
    distinct,
    distinctCount,
    groupOf: new Int32Array(memory(count * bands * 4, shared)),
    marked: new Uint8Array(memory(count, shared)),
  };
  return { grouping, exactDuplicateOf, duplicates, emptyTexts };
}

/**
 * Groups the keys of bands `first` to `last` (exclusive) that two or more distinct texts share, numbering
 * the groups from `firstGroup` (default 0): writes each distinct text's group in those bands (-1 for a key
 * of its own) and marks the texts with any. Returns the number of groups numbered so far (`firstGroup` and
 * those made). Bands are independent of one another, so threads can take different bands of the same
 * grouping at once.
 */
export function groupBands(grouping: BandGrouping, first: number, last: number, firstGroup = 0): number {
  const { bandKeys, bands, distinct, distinctCount, groupOf, marked } = grouping;
  const keyGroups = new BandKeyGroups(distinctCount);
  // A few bands at a time: each pass over the rows of `bandKeys` and `groupOf` (a cache line a text)
  // then serves several bands.
  const block = Math.min(last - first, BANDS_A_PASS);
  const blockKeys = new Uint32Array(block * distinctCount);
  const blockGroups = new Int32Array(block * distinctCount);
  let groups = firstGroup;
  for (let from = first; from < last; from += block) {
    const width = Math.min(block, last - from);
    for (let d = 0; d < distinctCount; d++) {
      const row = distinct[d]! * bands + from;
      for (let w = 0; w < width; w++) {
        blockKeys[w * distinctCount + d] = bandKeys[row + w]!;
      }
    }
    for (let w = 0; w < width; w++) {
      const at = w * distinctCount;
      groups = keyGroups.group(
        blockKeys.subarray(at, at + distinctCount),
        blockGroups.subarray(at, at + distinctCount),
        groups,
      );
    }
    for (let d = 0; d < distinctCount; d++) {
      const i = distinct[d]!;
      const row = i * bands + from;
      for (let w = 0; w < width; w++) {
        const group = blockGroups[w * distinctCount + d]!;
        groupOf[row + w] = group;
        if (group !== -1) {
          marked[i] = 1;
        }
      }
    }
  }
  return groups;
}

/**
 * The plan from the grouped bands: `groups` groups in all, those of bands from `split.from` on numbered
 * from 0 again (grouped apart), to be counted after the first `split.offset`.
 */
function finishPlan(
  signatures: SignatureChunk,
  start: PlanStart,
  groups: number,
  split: { from: number; offset: number } | null,
): ClusterPlan {
  const { count, bands, shingleCounts } = signatures;
  const { exactDuplicateOf, duplicates, emptyTexts } = start;
  const { groupOf, marked } = start.grouping;
  // Empty texts and exact duplicates were left out of the groups.
  for (let i = 0; i < count; i++) {
    if (shingleCounts[i] === 0 || exactDuplicateOf[i] !== -1) {
      for (let at = i * bands; at < (i + 1) * bands; at++) {
        groupOf[at] = -1;
      }
    }
  }
  let verifyCount = 0;
  for (let i = 0; i < count; i++) {
    verifyCount += marked[i]!;
  }
  const verify = new Int32Array(verifyCount);
  for (let i = 0, k = 0; i < count; i++) {
    if (marked[i] === 1) {
      verify[k++] = i;
    }
  }
  numberGroupsInOrder(groupOf, verify, bands, groups, split);
  return { exactDuplicateOf, duplicates, emptyTexts, bands, groupOf, groups, verify, shingleCounts };
}

/**
 * Exact duplicates, and the band keys texts share: a key only one text has leads to no candidate, so
 * clustering looks up shared keys alone, by their group number, and passes over a text with none.
 */
export function planClustering(signatures: SignatureChunk): ClusterPlan {
  const start = startPlan(signatures, false);
  const groups = groupBands(start.grouping, 0, signatures.bands);
  return finishPlan(signatures, start, groups, null);
}

/**
 * `planClustering` with the grouping of half the bands handed to another thread (`elsewhere`, which
 * runs `groupBands` over the same memory and gives the groups it made): the same plan. With `pause`, this
 * thread's half is grouped a few bands at a time, and `pause` awaited in between (a thread that serves
 * others meanwhile gives them their turns there).
 */
export async function planClusteringSplit(
  signatures: SignatureChunk,
  elsewhere: (grouping: BandGrouping, first: number, last: number) => Promise<number>,
  pause?: () => Promise<void>,
): Promise<ClusterPlan> {
  const { bands } = signatures;
  const start = startPlan(signatures, true);
  const from = Math.ceil(bands / 2);
  const other = elsewhere(start.grouping, from, bands);
  let own = 0;
  try {
    const step = pause === undefined ? from : BANDS_A_PASS;
    for (let band = 0; band < from; band += step) {
      own = groupBands(start.grouping, band, Math.min(from, band + step), own);
      if (pause !== undefined) {
        await pause();
      }
    }
  } catch (error) {
    // This thread's failure is the one raised; the other thread's answer, whatever it is, goes unheard.
    other.catch(() => undefined);
    throw error;
  }
  const theirs = await other;
  return finishPlan(signatures, start, own + theirs, { from, offset: own });
}

/**
 * Renumbers the groups in the order clustering first meets them (text by text, band by band), so that
 * the groups of texts placed about the same time lie close together in its tables. With a `split`, the
 * groups of the bands from `split.from` on were numbered apart, and count after the first `split.offset`.
 */
function numberGroupsInOrder(
  groupOf: Int32Array,
  verify: Int32Array,
  bands: number,
  groups: number,
  split: { from: number; offset: number } | null,
): void {
  const renumbered = new Int32Array(groups).fill(-1);
  const splitFrom = split === null ? bands : split.from;
  const offset = split === null ? 0 : split.offset;
  let next = 0;
  for (let k = 0; k < verify.length; k++) {
    const at = verify[k]! * bands;
    for (let b = 0; b < bands; b++) {
      let group = groupOf[at + b]!;
      if (group !== -1) {
        if (b >= splitFrom) {
          group += offset;
        }
        let number = renumbered[group]!;
        if (number === -1) {
          number = next++;
          renumbered[group] = number;
        }
        groupOf[at + b] = number;
      }
    }
  }
}

/**
 * The groups of one band's keys. One hash table over a million keys misses the cache at nearly every
 * probe; the keys are first spread by their top bits into buckets of about a thousand (two sequential
 * passes, which keep the texts in order within a bucket), and each bucket's keys are then matched in a
 * table small enough to stay in the cache.
 */
class BandKeyGroups {
  private readonly bucketBits: number;
  private readonly bucketStart: Int32Array;
  private readonly sortedKey: Uint32Array;
  private readonly sortedText: Int32Array;
  /**
   * The table's slots: the stamp of the bucket that last used the slot (a slot with an older one is free,
   * so nothing is cleared between buckets), its key, and the first text with the key, or `-2 - group`
   * once a second one came.
   */
  private tableStamp = new Int32Array(0);
  private tableKey = new Uint32Array(0);
  private tableHolder = new Int32Array(0);
  /** Buckets matched so far. */
  private stamp = 0;

  constructor(private readonly texts: number) {
    this.sortedKey = new Uint32Array(texts);
    this.sortedText = new Int32Array(texts);
    this.bucketBits = Math.min(16, Math.max(1, Math.ceil(Math.log2(texts / 1024))));
    this.bucketStart = new Int32Array((1 << this.bucketBits) + 1);
  }

  /**
   * Numbers the keys of `bandKey` (one a text) shared by two or more texts from `firstGroup`, writing
   * each text's group, or -1, to `groupOfText`; returns the next group.
   */
  group(bandKey: Uint32Array, groupOfText: Int32Array, firstGroup: number): number {
    const { texts, sortedKey, sortedText, bucketStart } = this;
    const buckets = 1 << this.bucketBits;
    const shift = 32 - this.bucketBits;
    bucketStart.fill(0);
    for (let d = 0; d < texts; d++) {
      bucketStart[(bandKey[d]! >>> shift) + 1]!++;
    }
    let largest = 0;
    for (let k = 0; k < buckets; k++) {
      largest = Math.max(largest, bucketStart[k + 1]!);
      bucketStart[k + 1]! += bucketStart[k]!;
    }
    this.reserve(largest);
    // Each text to its bucket, in text order; the starts move up to the ends on the way.
    for (let d = 0; d < texts; d++) {
      const key = bandKey[d]!;
      const at = bucketStart[key >>> shift]!++;
      sortedKey[at] = key;
      sortedText[at] = d;
    }
    const { tableStamp, tableKey, tableHolder } = this;
    const mask = tableStamp.length - 1;
    let groups = firstGroup;
    let start = 0;
    for (let k = 0; k < buckets; k++) {
      const end = bucketStart[k]!;
      const stamp = ++this.stamp;
      for (let at = start; at < end; at++) {
        const key = sortedKey[at]!;
        const d = sortedText[at]!;
        let slot = key & mask;
        for (;;) {
          if (tableStamp[slot] !== stamp) {
            tableStamp[slot] = stamp;
            tableKey[slot] = key;
            tableHolder[slot] = d;
            groupOfText[d] = -1;
            break;
          }
          if (tableKey[slot] === key) {
            const holder = tableHolder[slot]!;
            let group: number;
            if (holder >= 0) {
              group = groups++;
              tableHolder[slot] = -2 - group;
              groupOfText[holder] = group;
            } else {
              group = -2 - holder;
            }
            groupOfText[d] = group;
            break;
          }
          slot = (slot + 1) & mask;
        }
      }
      start = end;
    }
    return groups;
  }

  /** A table of a power of two slots, at least twice the keys of the largest bucket. */
  private reserve(keys: number): void {
    if (this.tableStamp.length >= 2 * keys) {
      return;
    }
    const size = 1 << Math.max(4, Math.ceil(Math.log2(2 * keys + 1)));
    this.tableStamp = new Int32Array(size);
    this.tableKey = new Uint32Array(size);
    this.tableHolder = new Int32Array(size);
    this.stamp = 0;
  }
}

/**
 * Indexes of the texts clustering will verify: those (neither empty nor an exact duplicate) sharing a
 * band key with another such text. A worker pool can compute their shingle sets in advance
 * (`packShingleSets`), sparing the clustering thread the normalisation of each.
 */
export function textsToVerify(signatures: SignatureChunk): Int32Array {
  return planClustering(signatures).verify;
}

/**
 * Shingle sets of recently verified texts (representatives and core members stay hot), in two
 * generations of at most half the `budget` values each: when the newer is full it becomes the older and
 * the older is dropped, and a set found in the older moves to the newer. Nearly what a least recently
 * used order keeps, at the cost of one look-up per hit: keeping that order moved each set hit to the end
 * of a Map, a deletion and an insertion, and clustering and linking 400,000 comments on one thread took
 * a tenth longer so. With no budget
 * (`shinglesOf` cheap, e.g. views of packed sets), the last set asked for in each of `RECENT_SETS` slots
 * (by text index) is kept: the representatives and cores of busy clusters are asked for again and again,
 * and an array look-up spares the call and the view it makes.
 */
class ShingleCache {
  private newer = new Map<number, Uint32Array>();
  private older = new Map<number, Uint32Array>();
  /** Values in the newer generation's sets. */
  private newerValues = 0;
  private readonly recentIndex = new Int32Array(RECENT_SETS).fill(-1);
  private readonly recentSet = new Array<Uint32Array>(RECENT_SETS).fill(EMPTY_SET);

  constructor(
    private readonly shinglesOf: (index: number) => Uint32Array,
    private readonly budget: number,
  ) {}

  get(index: number): Uint32Array {
    if (this.budget === 0) {
      const slot = index & (RECENT_SETS - 1);
      if (this.recentIndex[slot] === index) {
        return this.recentSet[slot]!;
      }
      const set = this.shinglesOf(index);
      this.recentIndex[slot] = index;
      this.recentSet[slot] = set;
      return set;
    }
    const set = this.newer.get(index);
    if (set !== undefined) {
      return set;
    }
    const found = this.older.get(index) ?? this.shinglesOf(index);
    this.put(index, found);
    return found;
  }

  put(index: number, set: Uint32Array): void {
    if (this.budget === 0 || this.newer.has(index)) {
      return;
    }
    if (this.newerValues + set.length > this.budget / 2 && this.newer.size > 0) {
      this.older = this.newer;
      this.newer = new Map();
      this.newerValues = 0;
    }
    this.newer.set(index, set);
    this.newerValues += set.length;
  }
}

/**
 * Clusters texts from their signatures (`computeSignatures`, possibly in chunks joined with
 * `concatSignatures`). Runs on one thread; `shinglesOf` recomputes the shingle set of a text when a
 * candidate needs verifying.
 */
export function clusterSignatures(
  signatures: SignatureChunk,
  options: ClusterSignaturesOptions,
): DuplicateResult {
  const clusterer = new SignatureClusterer(signatures, options);
  clusterer.advance(signatures.count);
  return clusterer.result();
}

/**
 * `clusterSignatures` in steps: `advance(n)` takes the texts up to `n` (exclusive), so the clustering can
 * start while the shingle sets of later texts are still being computed. Text i asks `shinglesOf` only for
 * texts up to i that `textsToVerify` lists (itself, and the representatives and cores of earlier
 * clusters): once those are known up to n, `advance(n)` can run.
 */
export class SignatureClusterer {
  private readonly plan: ClusterPlan;
  private readonly core: GroupClusterer;
  /** The founding text (representative) of each text's cluster; -1 for empty texts. */
  private readonly founder: Int32Array;
  private adoptedVerifications = 0;
  private adoptedVerified = 0;
  private next = 0;
  /** Position in `plan.verify` of the first text to verify not yet taken. */
  private nextToVerify = 0;

  constructor(
    private readonly signatures: SignatureChunk,
    options: ClusterSignaturesOptions,
  ) {
    const { count, bands } = signatures;
    this.plan = options.plan ?? planClustering(signatures);
    if (this.plan.groupOf.length !== count * bands) {
      throw new AppError('internal', 'the clustering plan was made for other signatures');
    }
    this.core = new GroupClusterer({ ...options, bands, groups: this.plan.groups });
    this.founder = new Int32Array(count).fill(-1);
  }

  /** Texts clustered so far. */
  get position(): number {
    return this.next;
  }

  /** Clusters the texts from the current position up to `upTo` (exclusive). */
  advance(upTo: number): void {
    const { shingleCounts } = this.signatures;
    const { exactDuplicateOf, groupOf, bands, verify } = this.plan;
    const { founder, core } = this;
    const end = Math.min(upTo, this.signatures.count);
    let toVerify = this.nextToVerify;
    for (let i = this.next; i < end; i++) {
      if (shingleCounts[i] === 0) {
        continue;
      }
      const original = exactDuplicateOf[i]!;
      if (original !== -1) {
        founder[i] = founder[original]!;
        continue;
      }
      // A text with no band key in common with another is a cluster of its own no later text can find.
      // Only the texts to verify have one, unless they were handed to another partition.
      founder[i] = i;
      if (verify[toVerify] === i) {
        toVerify++;
        const at = i * bands;
        let shared = false;
        for (let b = 0; b < bands && !shared; b++) {
          shared = groupOf[at + b] !== -1;
        }
        if (shared) {
          founder[i] = core.place(i, groupOf, at);
        }
      }
    }
    this.nextToVerify = toVerify;
    this.next = Math.max(this.next, end);
  }

  /**
   * Takes the founders of texts clustered elsewhere (a `ClusterPartition` held out of this clusterer's
   * plan by `partitionPlan`), with the similarity computations that found them.
   */
  adopt(texts: Int32Array, founders: Int32Array, verifications: number, verified: number): void {
    if (texts.length !== founders.length) {
      throw new AppError('internal', 'adopted texts and founders differ in number');
    }
    for (let k = 0; k < texts.length; k++) {
      this.founder[texts[k]!] = founders[k]!;
    }
    this.adoptedVerifications += verifications;
    this.adoptedVerified += verified;
  }

  /** The clusters of every text; all texts must have been taken (`advance(count)`). */
  result(): DuplicateResult {
    if (this.next < this.signatures.count) {
      throw new AppError('internal', `clustering stopped at text ${this.next} of ${this.signatures.count}`);
    }
    const { exactDuplicateOf } = this.plan;
    // Copies follow their first copy, whose founder may have been adopted after they were taken.
    for (let i = 0; i < this.founder.length; i++) {
      const original = exactDuplicateOf[i]!;
      if (original !== -1) {
        this.founder[i] = this.founder[original]!;
      }
    }
    return assembleClusters({
      threshold: this.core.threshold,
      founder: this.founder,
      exactDuplicateOf,
      emptyTexts: this.plan.emptyTexts,
      duplicates: this.plan.duplicates,
      verifications: this.core.verifications + this.adoptedVerifications,
      verified: this.core.verified + this.adoptedVerified,
    });
  }
}

export interface GroupClustererOptions extends ClusterOptions {
  bands: number;
  /** Number of band groups (`ClusterPlan.groups`, or a partition's). */
  groups: number;
  shinglesOf: (index: number) => Uint32Array;
  cacheValues?: number;
}

/**
 * The placing of texts that share band keys, one at a time in ascending order: each joins the first
 * cluster found through its band groups that it fits, or founds its own.
 *
 * Clusters are numbered by slot, in the order they were founded: the buckets hold slots, and each
 * slot's founder and core sit in typed arrays, so that placing a text allocates nothing and looks
 * nothing up by key.
 */
export class GroupClusterer {
  readonly threshold: number;
  verifications = 0;
  verified = 0;
  private readonly maxVerifications: number;
  private readonly coreSize: number;
  private readonly bands: number;
  private readonly buckets: GroupBuckets;
  private readonly candidates: CandidateList;
  private readonly shinglesOf: (index: number) => Uint32Array;
  private readonly cache: ShingleCache;
  private slots = 0;
  /** The founding text (representative) of each cluster, by slot. */
  private founders = new Int32Array(1024);
  /**
   * Where each cluster's core members after the representative start in `coreMembers`, plus one (0 while
   * it has none): room for `coreSize - 1` of them is taken when the first joins.
   */
  private coreStart = new Int32Array(1024);
  /** Core members after the representative, by slot. */
  private coreLength = new Int32Array(1024);
  private coreMembers: Int32Array;
  /** Each core member's Jaccard distance to its representative. */
  private coreDistances: Float64Array;
  private coreUsed = 0;

  constructor(options: GroupClustererOptions) {
    this.threshold = resolveThreshold(options.threshold);
    this.bands = options.bands;
    this.maxVerifications = Math.max(1, options.maxVerifications ?? options.bands);
    const bucketClusters = Math.max(1, options.bucketClusters ?? 8);
    this.coreSize = Math.max(1, options.coreSize ?? 8);
    this.buckets = new GroupBuckets(options.groups, bucketClusters);
    this.candidates = new CandidateList(options.bands * bucketClusters);
    this.shinglesOf = options.shinglesOf;
    this.cache = new ShingleCache(options.shinglesOf, options.cacheValues ?? DEFAULT_CACHE_VALUES);
    this.coreMembers = new Int32Array(256 * (this.coreSize - 1));
    this.coreDistances = new Float64Array(this.coreMembers.length);
  }

  /**
   * Places text `i`, whose groups are `groupOf[at]` to `groupOf[at + bands - 1]` (-1 for a band key it
   * shares with none): returns the founder of its cluster (`i` itself for a new one).
   */
  place(i: number, groupOf: Int32Array, at: number): number {
    const { bands, buckets, candidates } = this;
    candidates.count = 0;
    for (let b = 0; b < bands; b++) {
      const group = groupOf[at + b]!;
      if (group !== -1) {
        buckets.collect(group, candidates);
      }
    }
    let slot = -1;
    if (candidates.count > 0) {
      candidates.sort();
      const own = this.shinglesOf(i);
      const tries = Math.min(candidates.count, this.maxVerifications);
      for (let k = 0; k < tries && slot === -1; k++) {
        slot = this.tryJoin(i, own, candidates.clusters[k]!);
      }
      this.cache.put(i, own);
    }
    if (slot === -1) {
      slot = this.found(i);
    }
    for (let b = 0; b < bands; b++) {
      const group = groupOf[at + b]!;
      if (group !== -1) {
        buckets.add(group, slot);
      }
    }
    return this.founders[slot]!;
  }

  /**
   * Verifies text `i` (set `own`) against the cluster in `slot`, its representative then its core; on
   * success adds it to the core while there is room and returns the slot, else -1.
   */
  private tryJoin(i: number, own: Uint32Array, slot: number): number {
    const { cache, threshold } = this;
    this.verifications++;
    const distance = jaccardDistance(own, cache.get(this.founders[slot]!), threshold);
    if (distance > 1 - threshold + 1e-12) {
      return -1;
    }
    this.verified++;
    const start = this.coreStart[slot]! - 1;
    const length = this.coreLength[slot]!;
    for (let m = start; m < start + length; m++) {
      // Jaccard distance is a metric: close enough to the representative on both sides settles it.
      if (distance + this.coreDistances[m]! <= 1 - threshold - 1e-12) {
        continue;
      }
      this.verifications++;
      if (!isSimilar(own, cache.get(this.coreMembers[m]!), threshold)) {
        return -1;
      }
      this.verified++;
    }
    if (length + 1 < this.coreSize) {
      this.joinCore(slot, i, distance);
    }
    return slot;
  }

  private joinCore(slot: number, i: number, distance: number): void {
    let start = this.coreStart[slot]! - 1;
    if (start === -1) {
      const room = this.coreSize - 1;
      if (this.coreUsed + room > this.coreMembers.length) {
        this.coreMembers = doubled(this.coreMembers);
        const distances = new Float64Array(this.coreMembers.length);
        distances.set(this.coreDistances);
        this.coreDistances = distances;
      }
      start = this.coreUsed;
      this.coreUsed += room;
      this.coreStart[slot] = start + 1;
    }
    const length = this.coreLength[slot]!;
    this.coreMembers[start + length] = i;
    this.coreDistances[start + length] = distance;
    this.coreLength[slot] = length + 1;
  }

  /** A new cluster founded by text `i`: its slot. */
  private found(i: number): number {
    const slot = this.slots++;
    if (slot === this.founders.length) {
      this.founders = doubled(this.founders);
      this.coreStart = doubled(this.coreStart);
      this.coreLength = doubled(this.coreLength);
    }
    this.founders[slot] = i;
    return slot;
  }
}

/**
 * Estimated work of placing a connected component of `texts` texts with `shingles` shingles in all: each
 * verification of a text costs about its shingles plus a fixed part (worth some 200 shingles), and texts
 * meet more clusters, and fuller cores, the larger their component, about log2 of its size up to a
 * representative and a default core of 8. Text count alone is a poor guide: at a million comments, a
 * text in a campaign of thousands costs ten times one in a pair.
 */
function componentWork(texts: number, shingles: number): number {
  return Math.min(9, Math.log2(texts)) * (shingles + 200 * texts);
}

/** A copy of `array` twice as long, the rest zeros. */
function doubled(array: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}

/** Texts of the plan clustered apart: no band group joins one of them to a text outside. */
export interface ClusterPartition {
  /** The texts, ascending. */
  texts: Int32Array;
  bands: number;
  /** `texts.length × bands`: the groups of text `texts[k]` from `k * bands`, numbered within the partition. */
  groupOf: Int32Array;
  groups: number;
}

/**
 * Splits the texts to verify into `parts` partitions of whole connected components (texts joined by
 * shared band keys), of about equal work (`componentWork`). The first is left in the plan, its groups
 * renumbered as the partition's; the texts of the others are taken out of it (their groups set to -1):
 * a `SignatureClusterer` over the plan clusters the first, each other partition is clustered on its own
 * (`PartitionClusterer`) and adopted.
 */
export function partitionPlan(plan: ClusterPlan, parts: number): ClusterPartition[] {
  const { verify, groupOf, bands, groups, shingleCounts } = plan;
  // Connected components, by union-find over the first text of each group.
  const parent = new Int32Array(verify.length);
  for (let k = 0; k < verify.length; k++) {
    parent[k] = k;
  }
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const firstOf = new Int32Array(groups).fill(-1);
  for (let k = 0; k < verify.length; k++) {
    const at = verify[k]! * bands;
    for (let b = 0; b < bands; b++) {
      const group = groupOf[at + b]!;
      if (group === -1) {
        continue;
      }
      if (firstOf[group] === -1) {
        firstOf[group] = k;
      } else {
        const x = find(k);
        const y = find(firstOf[group]!);
        if (x !== y) {
          parent[Math.max(x, y)] = Math.min(x, y);
        }
      }
    }
  }
  // Components to partitions, each to the least loaded so far, in order of their first text.
  const size = new Int32Array(verify.length);
  const shingles = new Float64Array(verify.length);
  for (let k = 0; k < verify.length; k++) {
    const root = find(k);
    size[root]!++;
    shingles[root]! += shingleCounts[verify[k]!]!;
  }
  /** Texts given to each partition so far, and their estimated work. */
  const counts = new Array<number>(parts).fill(0);
  const loads = new Array<number>(parts).fill(0);
  const partOfRoot = new Int32Array(verify.length).fill(-1);
  for (let k = 0; k < verify.length; k++) {
    if (find(k) !== k) {
      continue;
    }
    let best = 0;
    for (let p = 1; p < parts; p++) {
      if (loads[p]! < loads[best]!) {
        best = p;
      }
    }
    partOfRoot[k] = best;
    counts[best]! += size[k]!;
    loads[best]! += componentWork(size[k]!, shingles[k]!);
  }
  const partitions: ClusterPartition[] = counts.map((n) => ({
    texts: new Int32Array(n),
    bands,
    groupOf: new Int32Array(n * bands),
    groups: 0,
  }));
  const filled = new Array<number>(parts).fill(0);
  const renumbered = new Int32Array(groups).fill(-1);
  for (let k = 0; k < verify.length; k++) {
    const p = partOfRoot[find(k)]!;
    const partition = partitions[p]!;
    const index = verify[k]!;
    const row = filled[p]!++;
    partition.texts[row] = index;
    for (let b = 0; b < bands; b++) {
      const group = groupOf[index * bands + b]!;
      let local = -1;
      if (group !== -1) {
        local = renumbered[group]!;
        if (local === -1) {
          local = partition.groups++;
          renumbered[group] = local;
        }
      }
      partition.groupOf[row * bands + b] = local;
      groupOf[index * bands + b] = p === 0 ? local : -1;
    }
  }
  // The plan keeps the first partition's own numbers: its clusterer's tables then hold its groups alone.
  plan.groups = partitions[0]!.groups;
  return partitions;
}

/**
 * Clusters one partition of the texts as their shingle sets arrive (`add`, in any order): it advances
 * through the partition's texts as far as their sets are in.
 */
export class PartitionClusterer {
  private readonly core: GroupClusterer;
  private readonly founders: Int32Array;
  private next = 0;

  constructor(
    private readonly partition: ClusterPartition,
    options: ClusterOptions & { shinglesOf: (index: number) => Uint32Array | undefined },
  ) {
    const shinglesOf = (index: number): Uint32Array => {
      const set = options.shinglesOf(index);
      if (set === undefined) {
        throw new AppError('internal', `record ${index} was not prepared for verification`);
      }
      return set;
    };
    this.core = new GroupClusterer({
      ...options,
      bands: partition.bands,
      groups: partition.groups,
      shinglesOf,
      cacheValues: 0,
    });
    this.founders = new Int32Array(partition.texts.length);
  }

  /** Texts of the partition placed so far. */
  get position(): number {
    return this.next;
  }

  /** Places the partition's texts in order while `ready(index)` says the set of the next one is in. */
  advance(ready: (index: number) => boolean): void {
    const { texts, groupOf, bands } = this.partition;
    while (this.next < texts.length && ready(texts[this.next]!)) {
      const k = this.next++;
      this.founders[k] = this.core.place(texts[k]!, groupOf, k * bands);
    }
  }

  /** The founders of all the partition's texts, in its order, and the similarity computations made. */
  result(): { founders: Int32Array; verifications: number; verified: number } {
    if (this.next < this.partition.texts.length) {
      throw new AppError(
        'internal',
        `partition clustering stopped at text ${this.next} of ${this.partition.texts.length}`,
      );
    }
    return { founders: this.founders, verifications: this.core.verifications, verified: this.core.verified };
  }
}

/**
 * Jaccard distance (1 − J) of two shingle sets, or 1 as soon as the size filter shows they cannot reach
 * `threshold`.
 */
function jaccardDistance(a: Uint32Array, b: Uint32Array, threshold: number): number {
  if (a.length === 0 || b.length === 0) {
    return 1;
  }
  if (Math.min(a.length, b.length) < threshold * Math.max(a.length, b.length) - 1e-9) {
    return 1;
  }
  const shared = overlapAtLeast(a, b, minimumOverlap(a.length, b.length, threshold));
  return shared === -1 ? 1 : 1 - shared / (a.length + b.length - shared);
}

function assembleClusters(input: {
  threshold: number;
  founder: Int32Array;
  exactDuplicateOf: Int32Array;
  emptyTexts: number;
  duplicates: number;
  verifications: number;
  verified: number;
}): DuplicateResult {
  const { founder } = input;
  const count = founder.length;
  const sizes = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const f = founder[i]!;
    if (f !== -1) {
      sizes[f]!++;
    }
  }
  const clusterOf = new Int32Array(count).fill(-1);
  const idOfFounder = new Int32Array(count).fill(-1);
  const clusters: DuplicateCluster[] = [];
  let clusteredTexts = 0;
  let largestCluster = 0;
  for (let i = 0; i < count; i++) {
    const f = founder[i]!;
    if (f === -1 || sizes[f]! < 2) {
      continue;
    }
    let id = idOfFounder[f]!;
    if (id === -1) {
      id = clusters.length;
      idOfFounder[f] = id;
      clusters.push({ id, representative: f, members: [] });
      largestCluster = Math.max(largestCluster, sizes[f]!);
    }
    clusters[id]!.members.push(i);
    clusterOf[i] = id;
    clusteredTexts++;
  }
  return {
    threshold: input.threshold,
    clusterOf,
    exactDuplicateOf: input.exactDuplicateOf,
    clusters,
    stats: {
      texts: count,
      emptyTexts: input.emptyTexts,
      exactDuplicates: input.duplicates,
      clusteredTexts,
      clusters: clusters.length,
      largestCluster,
      verifications: input.verifications,
      verified: input.verified,
    },
  };
}

/**
 * `shinglesOf` remembering the sets it made, as many as `ShingleCache` keeps by default: a text is a
 * candidate of the many texts after it that share its band keys, and its set costs more to make again
 * than to keep.
 */
function cachedShingles(shinglesOf: (index: number) => Uint32Array): (index: number) => Uint32Array {
  const cache = new ShingleCache(shinglesOf, DEFAULT_CACHE_VALUES);
  return (index) => cache.get(index);
}

/** What clustering and linking `texts` on this thread start from: their signatures' plan and shingle sets. */
function prepareTexts(
  texts: readonly string[],
  options: SignatureOptions,
): { signatures: SignatureChunk; plan: ClusterPlan; shinglesOf: (index: number) => Uint32Array } {
  const signatures = computeSignatures(texts, options);
  const normalizeOptions: NormalizeOptions = {
    traditionalToSimplified: options.traditionalToSimplified ?? true,
  };
  const buffer = createShingleBuffer();
  const shinglesOf = (index: number): Uint32Array =>
    shingleSet(similarityKey(texts[index] ?? '', normalizeOptions), buffer);
  return { signatures, plan: planClustering(signatures), shinglesOf };
}

/**
 * Near-duplicate clusters of `texts` on this thread: signatures, then clustering. For a million texts,
 * compute the signatures in chunks on worker threads (`computeSignatures`) and call `clusterSignatures`.
 */
export function findDuplicates(texts: readonly string[], options: DuplicateOptions = {}): DuplicateResult {
  resolveThreshold(options.threshold);
  const { signatures, plan, shinglesOf } = prepareTexts(texts, options);
  const result = clusterSignatures(signatures, { ...options, plan, shinglesOf });
  if (options.links === true) {
    result.links = linkDuplicates(
      plan,
      result.clusterOf,
      result.clusters.map((cluster) => cluster.representative),
      {
        threshold: result.threshold,
        shinglesOf: cachedShingles(shinglesOf),
        maxCandidates: options.linkCandidates,
      },
    );
  }
  return result;
}

/**
 * The near-duplicate links among texts grouped already, by people or an earlier clustering: `groupOf[i]`
 * names text i's group (any number; -1 alone), and texts of one group are never linked to each other. As
 * `findDuplicates` gives them for its own clusters (exact duplicates of a text stand for it).
 */
export function findLinks(
  texts: readonly string[],
  groupOf: Int32Array,
  options: Omit<DuplicateOptions, 'links'> = {},
): DuplicateLinks {
  const threshold = resolveThreshold(options.threshold);
  const { plan, shinglesOf } = prepareTexts(texts, options);
  // Each group stands for its earliest text, as a cluster for its founder.
  const earliest = new Map<number, number>();
  const clusterOf = new Int32Array(texts.length).fill(-1);
  const heads: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    const group = groupOf[i]!;
    if (group === -1) {
      continue;
    }
    let index = earliest.get(group);
    if (index === undefined) {
      index = heads.push(i) - 1;
      earliest.set(group, index);
    }
    clusterOf[i] = index;
  }
  return linkDuplicates(plan, clusterOf, heads, {
    threshold,
    shinglesOf: cachedShingles(shinglesOf),
    maxCandidates: options.linkCandidates,
  });
}
