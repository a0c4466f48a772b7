/*
 * Near-duplicate links: pairs of texts that are near-duplicates of each other and yet sit apart, in two
 * clusters or alone. Clusters never chain texts (cluster.ts), so a text similar to members of two
 * clusters joins one of them at most, and a text similar to a member but not to the core stays out. A
 * link names such a pair, as evidence for a person merging clusters; the clusters and their links
 * together name every near-duplicate pair found.
 *
 * The candidates are the texts that share a band key with a text (the groups of `ClusterPlan`) and are
 * outside its cluster; each is verified by the exact similarity of the shingle sets. A group's texts are
 * ordered by the earliest text of their cluster, so a text passes over its own cluster's texts in one
 * step and stops at the first cluster that begins after it.
 */
import type { ClusterPartition, ClusterPlan } from './cluster.ts';
import { isSimilar } from './shingles.ts';

/**
 * Candidates verified for one text at most, by default: the texts of a campaign split into many clusters
 * would otherwise each be verified against thousands. On the STEM-OPT comments, clusters and links find
 * 0.992 of the similar pairs with 32, and 0.997 with 128.
 */
export const DEFAULT_LINK_CANDIDATES = 32;
/** Candidates gathered per candidate verified, to choose those sharing the most band keys. */
const GATHERED_PER_CANDIDATE = 4;

export interface LinkOptions {
  threshold: number;
  /** Earlier texts outside its cluster verified for one text at most (default 32). */
  maxCandidates?: number;
  /** The sorted shingle set of text `index`; the array may be reused by the next call. */
  shinglesOf: (index: number) => Uint32Array;
  /** Told now and then how many of the texts have been linked, of how many. */
  onProgress?: (done: number, total: number) => void;
}

export interface DuplicateLinks {
  /** Linked pairs of texts, flattened: [a0, b0, a1, b1, …], a < b, ordered by b then a. */
  pairs: Int32Array;
  /** Similarity computations made. */
  verifications: number;
}

/**
 * The near-duplicate pairs of distinct texts (neither empty nor exact duplicates) that `clusterOf` (a
 * cluster id per text, -1 for none, as `DuplicateResult` gives it) leaves in different clusters.
 */
export function linkDuplicates(
  plan: ClusterPlan,
  clusterOf: Int32Array,
  representatives: readonly number[],
  options: LinkOptions,
): DuplicateLinks {
  return finish(linkDuplicatesInSteps(plan, clusterOf, representatives, options));
}

/**
 * `linkDuplicates` for the texts of one partition (`partitionPlan`), clustered on their own: `founders`
 * holds the founder of each of its texts' clusters, in the partition's order (itself when alone), as
 * `PartitionClusterer` gives it; `count` is the number of texts of the whole corpus.
 */
export function linkPartition(
  partition: ClusterPartition,
  founders: Int32Array,
  count: number,
  options: LinkOptions,
): DuplicateLinks {
  const { texts, bands, groupOf, groups } = partition;
  const founderOf = new Int32Array(count);
  for (let k = 0; k < texts.length; k++) {
    founderOf[texts[k]!] = founders[k]!;
  }
  return finish(
    linkSteps(
      { texts, rowAt: (k) => k * bands, groupOf, groups, bands, count },
      (i) => founderOf[i]!,
      options,
    ),
  );
}

/** Texts in band groups, as a plan or a partition holds them. */
interface LinkGroups {
  /** The texts, ascending. */
  texts: Int32Array;
  /** Where the groups of `texts[k]` start in `groupOf` (`bands` of them, -1 for none). */
  rowAt: (k: number) => number;
  groupOf: Int32Array;
  groups: number;
  bands: number;
  /** Texts of the corpus: every text index is below it. */
  count: number;
}

/** Entries of the groups sorted, or texts linked, between two steps of `linkSteps`. */
const STEP_ENTRIES = 65_536;
const STEP_TEXTS = 4096;

/**
 * Links found a step at a time: each `next()` does a slice of the work, and the last gives the links. A
 * thread that serves others meanwhile gives them their turns between steps.
 */
export type LinkSteps = Generator<void, DuplicateLinks, void>;

/** `linkDuplicates` as steps (`LinkSteps`). */
export function linkDuplicatesInSteps(
  plan: ClusterPlan,
  clusterOf: Int32Array,
  representatives: readonly number[],
  options: LinkOptions,
): LinkSteps {
  const { groupOf, groups, bands, verify } = plan;
  return linkSteps(
    { texts: verify, rowAt: (k) => verify[k]! * bands, groupOf, groups, bands, count: clusterOf.length },
    (i) => {
      const cluster = clusterOf[i]!;
      return cluster === -1 ? i : representatives[cluster]!;
    },
    options,
  );
}

/** Runs steps to the end. */
function finish(steps: LinkSteps): DuplicateLinks {
  for (;;) {
    const step = steps.next();
    if (step.done === true) {
      return step.value;
    }
  }
}

/** Each group's texts (`members`, from `start[g]`), ordered by cluster head then by text. */
interface GroupIndex {
  start: Int32Array;
  members: Int32Array;
  /** Per entry: its text's cluster head. */
  heads: Int32Array;
  /** Per entry: where the entries of the same cluster head end. */
  runEnd: Int32Array;
}

function* linkSteps(grouped: LinkGroups, headOf: (i: number) => number, options: LinkOptions): LinkSteps {
  const { texts, rowAt, groupOf, groups, bands } = grouped;
  // Each group's texts, by cluster head then by text.
  const start = new Int32Array(groups + 1);
  for (let k = 0; k < texts.length; k++) {
    const row = rowAt(k);
    for (let at = row; at < row + bands; at++) {
      const group = groupOf[at]!;
      if (group !== -1) {
        start[group + 1]!++;
      }
    }
  }
  for (let g = 0; g < groups; g++) {
    start[g + 1]! += start[g]!;
  }
  const members = new Int32Array(start[groups]!);
  const filled = start.slice(0, groups);
  for (let k = 0; k < texts.length; k++) {
    const row = rowAt(k);
    for (let at = row; at < row + bands; at++) {
      const group = groupOf[at]!;
      if (group !== -1) {
        members[filled[group]!++] = texts[k]!;
      }
    }
  }
  const index: GroupIndex = {
    start,
    members,
    heads: new Int32Array(members.length),
    runEnd: new Int32Array(members.length),
  };
  for (let g = 0; g < groups;) {
    g = sortGroups(index, g, groups, headOf);
    yield;
  }
  const state: LinkState = {
    grouped,
    index,
    headOf,
    options,
    limit: options.maxCandidates ?? DEFAULT_LINK_CANDIDATES,
    seenBy: new Int32Array(grouped.count).fill(-1),
    sharedBands: new Int32Array(grouped.count),
    candidates: [],
    pairs: [],
    verifications: 0,
  };
  for (let t = 0; t < texts.length; t += STEP_TEXTS) {
    options.onProgress?.(t, texts.length);
    linkTexts(state, t, Math.min(texts.length, t + STEP_TEXTS));
    yield;
  }
  options.onProgress?.(texts.length, texts.length);
  return { pairs: Int32Array.from(state.pairs), verifications: state.verifications };
}

/**
 * Orders the entries of groups from `from` on by cluster head then by text, until STEP_ENTRIES entries
 * or the last group; returns the group after the last it ordered.
 */
function sortGroups(index: GroupIndex, from: number, groups: number, headOf: (i: number) => number): number {
  const { start, members, heads, runEnd } = index;
  const until = start[from]! + STEP_ENTRIES;
  let g = from;
  for (; g < groups && (g === from || start[g]! < until); g++) {
    const first = start[g]!;
    const list = Array.from(members.subarray(first, start[g + 1]));
    list.sort((a, b) => headOf(a) - headOf(b) || a - b);
    for (let k = 0; k < list.length; k++) {
      members[first + k] = list[k]!;
      heads[first + k] = headOf(list[k]!);
    }
    for (let k = list.length - 1; k >= 0; k--) {
      const last = k === list.length - 1 || heads[first + k] !== heads[first + k + 1];
      runEnd[first + k] = last ? first + k + 1 : runEnd[first + k + 1]!;
    }
  }
  return g;
}

interface LinkState {
  grouped: LinkGroups;
  index: GroupIndex;
  headOf: (i: number) => number;
  options: LinkOptions;
  limit: number;
  seenBy: Int32Array;
  /** Per candidate of the text at hand: the bands it shares with it. */
  sharedBands: Int32Array;
  candidates: number[];
  /** The pairs found so far, flattened. */
  pairs: number[];
  verifications: number;
}

/** Links texts `grouped.texts[from..to)` to the earlier texts they are alike to. */
function linkTexts(state: LinkState, from: number, to: number): void {
  const { grouped, headOf, options, limit, seenBy, sharedBands, candidates, pairs } = state;
  const { texts, rowAt, groupOf, bands } = grouped;
  const { start, members, heads, runEnd } = state.index;
  // Gathered beyond the limit, so that the candidates verified are those sharing the most bands.
  const gather = limit * GATHERED_PER_CANDIDATE;
  for (let t = from; t < to; t++) {
    const i = texts[t]!;
    const head = headOf(i);
    candidates.length = 0;
    const row = rowAt(t);
    for (let at = row; at < row + bands; at++) {
      const group = groupOf[at]!;
      if (group === -1) {
        continue;
      }
      const end = start[group + 1]!;
      for (let k = start[group]!; k < end; k++) {
        const other = heads[k]!;
        if (other >= i) {
          break; // this cluster and the later ones begin after text i
        }
        if (other === head) {
          k = runEnd[k]! - 1;
          continue;
        }
        const j = members[k]!;
        if (j >= i) {
          k = runEnd[k]! - 1; // the rest of this cluster's texts come after text i
          continue;
        }
        if (seenBy[j] === i) {
          sharedBands[j]!++;
        } else if (candidates.length < gather) {
          seenBy[j] = i;
          sharedBands[j] = 1;
          candidates.push(j);
        }
      }
    }
    if (candidates.length === 0) {
      continue;
    }
    candidates.sort((a, b) => sharedBands[b]! - sharedBands[a]! || a - b);
    if (candidates.length > limit) {
      candidates.length = limit;
    }
    candidates.sort((a, b) => a - b);
    const own = options.shinglesOf(i).slice();
    for (const j of candidates) {
      state.verifications++;
      if (isSimilar(own, options.shinglesOf(j), options.threshold)) {
        pairs.push(j, i);
      }
    }
  }
}
