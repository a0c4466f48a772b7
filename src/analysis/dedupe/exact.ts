/*
 * The exact reference: every pair of texts whose shingle sets reach the threshold, found without
 * comparing all pairs (PPJoin: prefix filtering over an inverted index, with the size and positional
 * filters), for measuring the recall and precision of the LSH clusters.
 *
 * Texts with the same similarity key form one group (their Jaccard index is 1) and are joined once.
 * Shingles are identified by a 64-bit hash (two independent 32-bit mixes), so the chance that any two
 * distinct shingles of a corpus of 10 million share an identifier is below 1 in 300,000.
 */
import type { NormalizeOptions } from '../normalize.ts';
import { fmix32, similarityKey } from '../normalize.ts';
import { resolveThreshold } from './cluster.ts';
import { SHINGLE_SIZE, minimumOverlap } from './shingles.ts';

export interface ExactPairsOptions extends NormalizeOptions {
  /** Jaccard threshold (default 0.8). */
  threshold?: number;
}

export interface SimilarPairs {
  threshold: number;
  /** Group of each text (texts with the same similarity key), or -1 for an empty text. */
  groupOf: Int32Array;
  /** Texts in each group. */
  groupSize: Int32Array;
  /** Similar pairs of distinct groups, flattened: [a0, b0, a1, b1, …] with a < b. */
  pairs: Int32Array;
  /** Similar pairs of texts: pairs within groups plus the products of similar groups' sizes. */
  textPairs: number;
}

export interface PairEvaluation {
  /** Pairs of texts the reference finds similar. */
  truePairs: number;
  /** Pairs of texts sharing a predicted cluster. */
  predictedPairs: number;
  /** Predicted pairs that are similar. */
  truePositives: number;
  recall: number;
  precision: number;
}

const B = 0x01000193;
const B2 = 0x5bd1e995;

/** Shingle identifiers (two independent 32-bit hashes each) interned to dense token numbers. */
class TokenTable {
  private high = new Uint32Array(1 << 16);
  private low = new Uint32Array(1 << 16);
  private token = new Int32Array(1 << 16).fill(-1);
  size = 0;

  intern(high: number, low: number): number {
    if (this.size * 2 >= this.token.length) {
      this.grow();
    }
    const mask = this.token.length - 1;
    let at = high & mask;
    for (;;) {
      const token = this.token[at]!;
      if (token === -1) {
        this.high[at] = high;
        this.low[at] = low;
        this.token[at] = this.size;
        return this.size++;
      }
      if (this.high[at] === high && this.low[at] === low) {
        return token;
      }
      at = (at + 1) & mask;
    }
  }

  private grow(): void {
    const { high, low, token } = this;
    const capacity = token.length * 2;
    this.high = new Uint32Array(capacity);
    this.low = new Uint32Array(capacity);
    this.token = new Int32Array(capacity).fill(-1);
    const mask = capacity - 1;
    for (let i = 0; i < token.length; i++) {
      if (token[i] === -1) {
        continue;
      }
      let at = high[i]! & mask;
      while (this.token[at] !== -1) {
        at = (at + 1) & mask;
      }
      this.high[at] = high[i]!;
      this.low[at] = low[i]!;
      this.token[at] = token[i]!;
    }
  }
}

/**
 * Token sets of the similarity keys: each shingle a token numbered rarest first (the order prefix
 * filtering wants), each set sorted ascending.
 */
function tokenSets(keys: readonly string[]): Int32Array[] {
  const table = new TokenTable();
  let frequency = new Int32Array(1 << 16);
  let lastSeen = new Int32Array(1 << 16).fill(-1);
  let laneA = new Int32Array(1024);
  let laneB = new Int32Array(1024);
  let scratch = new Int32Array(1024);
  const sets = keys.map((key, record) => {
    if (laneA.length < key.length) {
      laneA = new Int32Array(key.length * 2);
      laneB = new Int32Array(key.length * 2);
      scratch = new Int32Array(key.length * 2);
    }
    // Each code point scrambled once per lane; each shingle is then a polynomial over five of them.
    let n = 0;
    for (const char of key) {
      const cp = char.codePointAt(0) ?? 0;
      let scrambled = Math.imul(cp, 0xcc9e2d51);
      scrambled = (scrambled << 15) | (scrambled >>> 17);
      laneA[n] = Math.imul(scrambled, 0x1b873593);
      laneB[n] = fmix32(cp ^ 0x6a09e667);
      n++;
    }
    const width = Math.min(n, SHINGLE_SIZE);
    const count = n === 0 ? 0 : n - width + 1;
    const short = n < SHINGLE_SIZE ? Math.imul(n, 0x9e3779b1) : 0;
    let distinct = 0;
    for (let i = 0; i < count; i++) {
      let a = 0;
      let b = 0;
      for (let k = i; k < i + width; k++) {
        a = (Math.imul(a, B) + laneA[k]!) | 0;
        b = (Math.imul(b, B2) + laneB[k]!) | 0;
      }
      const token = table.intern(fmix32(a ^ short), fmix32(b ^ short));
      if (token >= frequency.length) {
        const grownFrequency = new Int32Array(frequency.length * 2);
        grownFrequency.set(frequency);
        frequency = grownFrequency;
        const grownSeen = new Int32Array(lastSeen.length * 2).fill(-1);
        grownSeen.set(lastSeen);
        lastSeen = grownSeen;
      }
      if (lastSeen[token] !== record) {
        lastSeen[token] = record;
        frequency[token]!++;
        scratch[distinct++] = token;
      }
    }
    return scratch.slice(0, distinct);
  });
  // Rank tokens by frequency, rarest first (a counting sort: frequencies are at most the record count).
  const tokens = table.size;
  const byCount = new Int32Array(keys.length + 2);
  for (let t = 0; t < tokens; t++) {
    byCount[frequency[t]! + 1]!++;
  }
  for (let f = 1; f < byCount.length; f++) {
    byCount[f]! += byCount[f - 1]!;
  }
  const rank = new Int32Array(tokens);
  for (let t = 0; t < tokens; t++) {
    rank[t] = byCount[frequency[t]!]!++;
  }
  for (const set of sets) {
    for (let i = 0; i < set.length; i++) {
      set[i] = rank[set[i]!]!;
    }
    set.sort();
  }
  return sets;
}

/** Whether two sorted token sets share at least `need` tokens (stops as soon as they cannot). */
function sharesAtLeast(a: Int32Array, b: Int32Array, need: number): boolean {
  let i = 0;
  let j = 0;
  let shared = 0;
  const na = a.length;
  const nb = b.length;
  while (i < na && j < nb) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      shared++;
      i++;
      j++;
      if (shared >= need) {
        return true;
      }
    } else {
      if (x < y) {
        i++;
      } else {
        j++;
      }
      if (shared + Math.min(na - i, nb - j) < need) {
        return false;
      }
    }
  }
  return shared >= need;
}

/** PPJoin over token sets: similar pairs of set indexes, flattened. */
function joinSets(sets: Int32Array[], threshold: number): Int32Array {
  const count = sets.length;
  const order = Array.from(sets.keys()).sort((a, b) => sets[a]!.length - sets[b]!.length || a - b);
  const size = order.map((set) => sets[set]!.length);
  const ceil = (value: number): number => Math.ceil(value - 1e-9);
  const indexPrefix = (n: number): number =>
    Math.max(0, n - ceil(((2 * threshold) / (1 + threshold)) * n) + 1);
  // Inverted lists laid out in one array: the index prefixes' lengths are known in advance.
  let tokens = 0;
  for (const set of sets) {
    for (const token of set) {
      tokens = Math.max(tokens, token + 1);
    }
  }
  const listStart = new Int32Array(tokens + 1);
  for (let x = 0; x < count; x++) {
    const set = sets[order[x]!]!;
    const prefix = Math.min(set.length, indexPrefix(set.length));
    for (let i = 0; i < prefix; i++) {
      listStart[set[i]! + 1]!++;
    }
  }
  for (let w = 0; w < tokens; w++) {
    listStart[w + 1]! += listStart[w]!;
  }
  const listBegin = listStart.slice(0, tokens);
  const listEnd = listStart.slice(0, tokens);
  const entries = listStart[tokens]!;
  const entryRecord = new Int32Array(entries);
  const entryPosition = new Int32Array(entries);
  const overlap = new Int32Array(count);
  const touched = new Int32Array(count);
  let pairs = new Int32Array(1024);
  let pairCount = 0;

  for (let x = 0; x < count; x++) {
    const set = sets[order[x]!]!;
    const sx = set.length;
    if (sx === 0) {
      continue;
    }
    const minSize = ceil(threshold * sx);
    const probe = Math.min(sx, sx - minSize + 1);
    let touchedCount = 0;
    for (let i = 0; i < probe; i++) {
      const w = set[i]!;
      let begin = listBegin[w]!;
      const end = listEnd[w]!;
      while (begin < end && size[entryRecord[begin]!]! < minSize) {
        begin++;
      }
      listBegin[w] = begin;
      for (let e = begin; e < end; e++) {
        const y = entryRecord[e]!;
        const a = overlap[y]!;
        if (a < 0) {
          continue;
        }
        const sy = size[y]!;
        const bound = 1 + Math.min(sx - i - 1, sy - entryPosition[e]! - 1);
        if (a === 0) {
          touched[touchedCount++] = y;
        }
        overlap[y] = a + bound >= minimumOverlap(sx, sy, threshold) ? a + 1 : -1;
      }
    }
    for (let k = 0; k < touchedCount; k++) {
      const y = touched[k]!;
      if (overlap[y]! > 0) {
        const other = sets[order[y]!]!;
        if (sharesAtLeast(set, other, minimumOverlap(sx, other.length, threshold))) {
          if (pairCount + 2 > pairs.length) {
            const grown = new Int32Array(pairs.length * 2);
            grown.set(pairs);
            pairs = grown;
          }
          const a = order[x]!;
          const b = order[y]!;
          pairs[pairCount++] = Math.min(a, b);
          pairs[pairCount++] = Math.max(a, b);
        }
      }
      overlap[y] = 0;
    }
    const prefix = Math.min(sx, indexPrefix(sx));
    for (let i = 0; i < prefix; i++) {
      const w = set[i]!;
      const e = listEnd[w]!;
      entryRecord[e] = x;
      entryPosition[e] = i;
      listEnd[w] = e + 1;
    }
  }
  return pairs.slice(0, pairCount);
}

/**
 * Every pair of texts whose similarity (Jaccard index of the character 5-gram shingle sets of their
 * similarity keys) reaches the threshold, computed exactly. Seconds for tens of thousands of texts.
 */
export function exactSimilarPairs(texts: readonly string[], options: ExactPairsOptions = {}): SimilarPairs {
  const threshold = resolveThreshold(options.threshold);
  const normalizeOptions: NormalizeOptions = {
    traditionalToSimplified: options.traditionalToSimplified ?? true,
  };
  const groupOf = new Int32Array(texts.length).fill(-1);
  const groupIds = new Map<string, number>();
  const keys: string[] = [];
  const sizes: number[] = [];
  texts.forEach((text, i) => {
    const key = similarityKey(text, normalizeOptions);
    if (key === '') {
      return;
    }
    let group = groupIds.get(key);
    if (group === undefined) {
      group = keys.length;
      groupIds.set(key, group);
      keys.push(key);
      sizes.push(0);
    }
    sizes[group]!++;
    groupOf[i] = group;
  });
  const groupSize = Int32Array.from(sizes);
  const pairs = joinSets(tokenSets(keys), threshold);
  let textPairs = 0;
  for (const size of groupSize) {
    textPairs += (size * (size - 1)) / 2;
  }
  for (let k = 0; k < pairs.length; k += 2) {
    textPairs += groupSize[pairs[k]!]! * groupSize[pairs[k + 1]!]!;
  }
  return { threshold, groupOf, groupSize, pairs, textPairs };
}

/**
 * Pair recall and precision of a clustering against the exact reference: the predicted pairs are all
 * pairs of texts within each cluster (`clusterOf`, -1 for none), and with `links` (pairs of texts,
 * flattened, as `linkDuplicates` gives them), the pairs of their copies in different clusters: a link
 * between two texts holds for each text with the same similarity key as either.
 */
export function evaluatePairs(
  clusterOf: Int32Array,
  reference: SimilarPairs,
  links?: Int32Array,
): PairEvaluation {
  const count = clusterOf.length;
  const clusterSizes = new Map<number, number>();
  for (const cluster of clusterOf) {
    if (cluster >= 0) {
      clusterSizes.set(cluster, (clusterSizes.get(cluster) ?? 0) + 1);
    }
  }
  let predictedPairs = 0;
  for (const size of clusterSizes.values()) {
    predictedPairs += (size * (size - 1)) / 2;
  }
  // For each group: how many of its texts fall in each cluster (a text in no cluster is alone).
  const { groupOf, groupSize, pairs } = reference;
  const groups = groupSize.length;
  const texts = Array.from({ length: count }, (_, i) => i).filter((i) => groupOf[i]! >= 0);
  const cellOf = (i: number): number => (clusterOf[i]! >= 0 ? clusterOf[i]! : -(i + 2));
  texts.sort((a, b) => groupOf[a]! - groupOf[b]! || cellOf(a) - cellOf(b));
  const cellStart = new Int32Array(groups + 1);
  const cellCluster: number[] = [];
  const cellCount: number[] = [];
  let truePositives = 0;
  let t = 0;
  for (let g = 0; g < groups; g++) {
    cellStart[g] = cellCluster.length;
    while (t < texts.length && groupOf[texts[t]!] === g) {
      const cell = cellOf(texts[t]!);
      if (cellCluster.length > cellStart[g]! && cellCluster[cellCluster.length - 1] === cell) {
        cellCount[cellCount.length - 1]!++;
      } else {
        cellCluster.push(cell);
        cellCount.push(1);
      }
      t++;
    }
  }
  cellStart[groups] = cellCluster.length;
  for (let c = 0; c < cellCount.length; c++) {
    truePositives += (cellCount[c]! * (cellCount[c]! - 1)) / 2;
  }
  for (let k = 0; k < pairs.length; k += 2) {
    const a = pairs[k]!;
    const b = pairs[k + 1]!;
    for (let ca = cellStart[a]!; ca < cellStart[a + 1]!; ca++) {
      for (let cb = cellStart[b]!; cb < cellStart[b + 1]!; cb++) {
        if (cellCluster[ca] === cellCluster[cb]) {
          truePositives += cellCount[ca]! * cellCount[cb]!;
        }
      }
    }
  }
  if (links !== undefined) {
    const linked = linkedPairs(links, reference, { cellStart, cellCluster, cellCount });
    predictedPairs += linked.predicted;
    truePositives += linked.truePositives;
  }
  const truePairs = reference.textPairs;
  return {
    truePairs,
    predictedPairs,
    truePositives,
    recall: truePairs === 0 ? 1 : truePositives / truePairs,
    precision: predictedPairs === 0 ? 1 : truePositives / predictedPairs,
  };
}

/** Per reference group, its texts by cluster: cells `cellStart[g]..cellStart[g + 1]` of `evaluatePairs`. */
interface GroupCells {
  cellStart: Int32Array;
  cellCluster: readonly number[];
  cellCount: readonly number[];
}

/**
 * The pairs links predict beyond the clusters: for each pair of reference groups a link joins, the pairs
 * of their texts in different clusters; all of them similar when the reference pairs the two groups.
 */
function linkedPairs(
  links: Int32Array,
  reference: SimilarPairs,
  cells: GroupCells,
): { predicted: number; truePositives: number } {
  const { groupOf, groupSize, pairs } = reference;
  const groups = groupSize.length;
  const similar = new Set<number>();
  for (let k = 0; k < pairs.length; k += 2) {
    similar.add(pairs[k]! * groups + pairs[k + 1]!);
  }
  const counted = new Set<number>();
  const { cellStart, cellCluster, cellCount } = cells;
  let predicted = 0;
  let truePositives = 0;
  for (let k = 0; k < links.length; k += 2) {
    const x = groupOf[links[k]!]!;
    const y = groupOf[links[k + 1]!]!;
    if (x < 0 || y < 0 || x === y) {
      continue;
    }
    const key = Math.min(x, y) * groups + Math.max(x, y);
    if (counted.has(key)) {
      continue;
    }
    counted.add(key);
    let apart = 0;
    for (let ca = cellStart[x]!; ca < cellStart[x + 1]!; ca++) {
      for (let cb = cellStart[y]!; cb < cellStart[y + 1]!; cb++) {
        if (cellCluster[ca] !== cellCluster[cb]) {
          apart += cellCount[ca]! * cellCount[cb]!;
        }
      }
    }
    predicted += apart;
    if (similar.has(key)) {
      truePositives += apart;
    }
  }
  return { predicted, truePositives };
}
