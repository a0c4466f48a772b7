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
import { createShingleBuffer, isSimilar, minimumOverlap, overlapAtLeast, shingleSet } from './shingles.ts';
import type { SignatureChunk, SignatureOptions } from './signature.ts';
import { computeSignatures } from './signature.ts';

export const DEFAULT_THRESHOLD = 0.8;

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

export type DuplicateOptions = ClusterOptions & SignatureOptions;

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
}

export function resolveThreshold(threshold: number | undefined): number {
  const value = threshold ?? DEFAULT_THRESHOLD;
  if (!(value > 0 && value <= 1)) {
    throw new AppError('validation_failed', 'threshold must be in (0, 1]', { field: 'threshold' });
  }
  return value;
}

/**
 * The clusters of each band group's texts: the first (stored plus one, 0 for none) and further ones in
 * overflow lists, at most `limit` a group.
 */
class GroupBuckets {
  private readonly first: Int32Array;
  /** Head of each group's overflow list, plus one (0 for none). */
  private readonly more: Int32Array;
  private overflowCluster: Int32Array;
  private overflowNext: Int32Array;
  private overflowCount = 0;

  constructor(
    groups: number,
    private readonly limit: number,
  ) {
    this.first = new Int32Array(groups);
    this.more = new Int32Array(groups);
    this.overflowCluster = new Int32Array(1024);
    this.overflowNext = new Int32Array(1024);
  }

  /** Calls `visit` with each cluster of the group, in the order they came. */
  forEachCluster(group: number, visit: (cluster: number) => void): void {
    const first = this.first[group]!;
    if (first === 0) {
      return;
    }
    visit(first - 1);
    for (let entry = this.more[group]! - 1; entry !== -1; entry = this.overflowNext[entry]!) {
      visit(this.overflowCluster[entry]!);
    }
  }

  /** Records `cluster` among the group's clusters. */
  add(group: number, cluster: number): void {
    const first = this.first[group]!;
    if (first === 0) {
      this.first[group] = cluster + 1;
      return;
    }
    if (first === cluster + 1) {
      return;
    }
    let length = 1;
    let last = -1;
    for (let entry = this.more[group]! - 1; entry !== -1; entry = this.overflowNext[entry]!) {
      if (this.overflowCluster[entry] === cluster) {
        return;
      }
      length++;
      last = entry;
    }
    if (length >= this.limit) {
      return;
    }
    if (this.overflowCount === this.overflowCluster.length) {
      const grownCluster = new Int32Array(this.overflowCount * 2);
      grownCluster.set(this.overflowCluster);
      this.overflowCluster = grownCluster;
      const grownNext = new Int32Array(this.overflowCount * 2);
      grownNext.set(this.overflowNext);
      this.overflowNext = grownNext;
    }
    const entry = this.overflowCount++;
    this.overflowCluster[entry] = cluster;
    this.overflowNext[entry] = -1;
    if (last === -1) {
      this.more[group] = entry + 1;
    } else {
      this.overflowNext[last] = entry;
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
   * that two or more distinct texts (neither empty nor exact duplicates) share; -1 where the text is
   * alone with its key, and for empty texts and exact duplicates.
   */
  groupOf: Int32Array;
  groups: number;
  /** The texts in a group, ascending: those whose similarity clustering will verify. */
  verify: Int32Array;
}

/**
 * Exact duplicates, and the band keys texts share: a key only one text has leads to no candidate, so
 * clustering looks up shared keys alone, by their group number, and passes over a text with none.
 */
export function planClustering(signatures: SignatureChunk): ClusterPlan {
  const { count, bands, bandKeys, shingleCounts } = signatures;
  const { exactDuplicateOf, duplicates } = findExactDuplicates(signatures);
  let emptyTexts = 0;
  let distinctCount = 0;
  const distinct = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    if (shingleCounts[i] === 0) {
      emptyTexts++;
    } else if (exactDuplicateOf[i] === -1) {
      distinct[distinctCount++] = i;
    }
  }
  const capacity = Math.max(16, Math.ceil(distinctCount / 0.6));
  const scale = capacity / 4294967296;
  const keys = new Uint32Array(capacity);
  /** First text with the key, or -2 once a second one arrives (its group then in `slotGroup`); -1 for a free slot. */
  const holders = new Int32Array(capacity);
  const slotGroup = new Int32Array(capacity);
  const groupOf = new Int32Array(count * bands).fill(-1);
  const marked = new Uint8Array(count);
  let groups = 0;
  for (let b = 0; b < bands; b++) {
    holders.fill(-1);
    for (let d = 0; d < distinctCount; d++) {
      const i = distinct[d]!;
      const key = bandKeys[i * bands + b]!;
      let at = Math.floor(key * scale);
      for (;;) {
        const holder = holders[at]!;
        if (holder === -1) {
          keys[at] = key;
          holders[at] = i;
          break;
        }
        if (keys[at] === key) {
          let group: number;
          if (holder >= 0) {
            group = groups++;
            slotGroup[at] = group;
            groupOf[holder * bands + b] = group;
            marked[holder] = 1;
            holders[at] = -2;
          } else {
            group = slotGroup[at]!;
          }
          groupOf[i * bands + b] = group;
          marked[i] = 1;
          break;
        }
        at = at + 1 === capacity ? 0 : at + 1;
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
  return { exactDuplicateOf, duplicates, emptyTexts, bands, groupOf, groups, verify };
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
 * Shingle sets of recently verified texts (representatives and core members stay hot), least recently
 * used dropped first once the sets hold more than `budget` values.
 */
class ShingleCache {
  private readonly sets = new Map<number, Uint32Array>();
  private size = 0;

  constructor(
    private readonly shinglesOf: (index: number) => Uint32Array,
    private readonly budget: number,
  ) {}

  get(index: number): Uint32Array {
    if (this.budget === 0) {
      return this.shinglesOf(index);
    }
    const set = this.sets.get(index);
    if (set === undefined) {
      const computed = this.shinglesOf(index);
      this.put(index, computed);
      return computed;
    }
    this.sets.delete(index);
    this.sets.set(index, set);
    return set;
  }

  put(index: number, set: Uint32Array): void {
    if (this.budget === 0) {
      return;
    }
    const previous = this.sets.get(index);
    if (previous !== undefined) {
      this.sets.delete(index);
      this.size -= previous.length;
    }
    this.sets.set(index, set);
    this.size += set.length;
    while (this.size > this.budget && this.sets.size > 1) {
      const [oldest, oldestSet] = this.sets.entries().next().value as [number, Uint32Array];
      this.sets.delete(oldest);
      this.size -= oldestSet.length;
    }
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
    const { exactDuplicateOf, groupOf, bands } = this.plan;
    const { founder, core } = this;
    const end = Math.min(upTo, this.signatures.count);
    for (let i = this.next; i < end; i++) {
      if (shingleCounts[i] === 0) {
        continue;
      }
      const original = exactDuplicateOf[i]!;
      if (original !== -1) {
        founder[i] = founder[original]!;
        continue;
      }
      const at = i * bands;
      let shared = false;
      for (let b = 0; b < bands && !shared; b++) {
        shared = groupOf[at + b] !== -1;
      }
      // A text with no band key in common with another is a cluster of its own no later text can find.
      founder[i] = shared ? core.place(i, groupOf, at) : i;
    }
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
 */
export class GroupClusterer {
  readonly threshold: number;
  verifications = 0;
  verified = 0;
  private readonly maxVerifications: number;
  private readonly coreSize: number;
  /** Members after the representative of each cluster's core, and their distances to it. */
  private readonly cores = new Map<number, { members: number[]; distances: number[] }>();
  private readonly buckets: GroupBuckets;
  private readonly cache: ShingleCache;
  private readonly candidates: Int32Array;
  private readonly hits: Int32Array;
  private readonly bands: number;
  private candidateCount = 0;

  constructor(private readonly options: GroupClustererOptions) {
    this.threshold = resolveThreshold(options.threshold);
    this.bands = options.bands;
    this.maxVerifications = Math.max(1, options.maxVerifications ?? options.bands);
    const bucketClusters = Math.max(1, options.bucketClusters ?? 8);
    this.coreSize = Math.max(1, options.coreSize ?? 8);
    this.buckets = new GroupBuckets(options.groups, bucketClusters);
    this.cache = new ShingleCache(options.shinglesOf, options.cacheValues ?? 24_000_000);
    this.candidates = new Int32Array(options.bands * bucketClusters);
    this.hits = new Int32Array(options.bands * bucketClusters);
  }

  private readonly addCandidate = (cluster: number): void => {
    const { candidates, hits } = this;
    for (let k = 0; k < this.candidateCount; k++) {
      if (candidates[k] === cluster) {
        hits[k]!++;
        return;
      }
    }
    candidates[this.candidateCount] = cluster;
    hits[this.candidateCount] = 1;
    this.candidateCount++;
  };

  /**
   * Places text `i`, whose groups are `groupOf[at]` to `groupOf[at + bands - 1]` (-1 for a band key it
   * shares with none): returns the founder of its cluster (`i` itself for a new one).
   */
  place(i: number, groupOf: Int32Array, at: number): number {
    const { bands, buckets, candidates, cores, cache, threshold } = this;
    this.candidateCount = 0;
    for (let b = 0; b < bands; b++) {
      const group = groupOf[at + b]!;
      if (group !== -1) {
        buckets.forEachCluster(group, this.addCandidate);
      }
    }
    let cluster = -1;
    const candidateCount = this.candidateCount;
    if (candidateCount > 0) {
      sortCandidates(candidates, this.hits, candidateCount);
      const own = this.options.shinglesOf(i);
      const tries = Math.min(candidateCount, this.maxVerifications);
      for (let k = 0; k < tries && cluster === -1; k++) {
        const representative = candidates[k]!;
        this.verifications++;
        const distance = jaccardDistance(own, cache.get(representative), threshold);
        if (distance > 1 - threshold + 1e-12) {
          continue;
        }
        this.verified++;
        const core = cores.get(representative);
        let fits = true;
        if (core !== undefined) {
          for (let m = 0; m < core.members.length; m++) {
            // Jaccard distance is a metric: close enough to the representative on both sides settles it.
            if (distance + core.distances[m]! <= 1 - threshold - 1e-12) {
              continue;
            }
            this.verifications++;
            if (!isSimilar(own, cache.get(core.members[m]!), threshold)) {
              fits = false;
              break;
            }
            this.verified++;
          }
        }
        if (fits) {
          cluster = representative;
          if (this.coreSize > 1) {
            if (core === undefined) {
              cores.set(representative, { members: [i], distances: [distance] });
            } else if (core.members.length + 1 < this.coreSize) {
              core.members.push(i);
              core.distances.push(distance);
            }
          }
        }
      }
      cache.put(i, own);
    }
    if (cluster === -1) {
      cluster = i;
    }
    for (let b = 0; b < bands; b++) {
      const group = groupOf[at + b]!;
      if (group !== -1) {
        buckets.add(group, cluster);
      }
    }
    return cluster;
  }
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
 * shared band keys), of about equal size. The first is left in the plan; the texts of the others are
 * taken out of it (their groups set to -1): a `SignatureClusterer` over the plan clusters the first,
 * each other partition is clustered on its own (`PartitionClusterer`) and adopted.
 */
export function partitionPlan(plan: ClusterPlan, parts: number): ClusterPartition[] {
  const { verify, groupOf, bands, groups } = plan;
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
  // Components to partitions, each to the smallest so far, in order of their first text.
  const size = new Int32Array(verify.length);
  for (let k = 0; k < verify.length; k++) {
    size[find(k)]!++;
  }
  /** Texts given to each partition so far. */
  const counts = new Array<number>(parts).fill(0);
  const partOfRoot = new Int32Array(verify.length).fill(-1);
  for (let k = 0; k < verify.length; k++) {
    if (find(k) !== k) {
      continue;
    }
    let best = 0;
    for (let p = 1; p < parts; p++) {
      if (counts[p]! < counts[best]!) {
        best = p;
      }
    }
    partOfRoot[k] = best;
    counts[best]! += size[k]!;
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
      if (p !== 0) {
        groupOf[index * bands + b] = -1;
      }
    }
  }
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

/** Orders candidates by shared bands, most first (insertion sort: a handful of entries). */
function sortCandidates(candidates: Int32Array, hits: Int32Array, count: number): void {
  for (let k = 1; k < count; k++) {
    const cluster = candidates[k]!;
    const hit = hits[k]!;
    let j = k - 1;
    while (j >= 0 && hits[j]! < hit) {
      candidates[j + 1] = candidates[j]!;
      hits[j + 1] = hits[j]!;
      j--;
    }
    candidates[j + 1] = cluster;
    hits[j + 1] = hit;
  }
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
 * Near-duplicate clusters of `texts` on this thread: signatures, then clustering. For a million texts,
 * compute the signatures in chunks on worker threads (`computeSignatures`) and call `clusterSignatures`.
 */
export function findDuplicates(texts: readonly string[], options: DuplicateOptions = {}): DuplicateResult {
  resolveThreshold(options.threshold);
  const signatures = computeSignatures(texts, options);
  const normalizeOptions: NormalizeOptions = {
    traditionalToSimplified: options.traditionalToSimplified ?? true,
  };
  const buffer = createShingleBuffer();
  return clusterSignatures(signatures, {
    ...options,
    shinglesOf: (index) => shingleSet(similarityKey(texts[index] ?? '', normalizeOptions), buffer),
  });
}
