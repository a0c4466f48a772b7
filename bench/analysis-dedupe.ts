/*
 * Near-duplicate detection (src/analysis/dedupe): quality on the real STEM-OPT comments against the
 * exact all-pairs similarity, and single-thread throughput on a synthetic corpus (sentences of the
 * STEM-OPT comments recombined into new comments, 30% of them edited copies of 500 campaign templates)
 * from which the one-million-comment figures are projected. Run alone: `npx tsx bench/analysis-dedupe.ts`
 * (BENCH_DEDUPE_TEXTS sets the synthetic corpus size).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'csv-parse/sync';
import type { DuplicateOptions, DuplicateResult } from '../src/analysis/dedupe/cluster.ts';
import { clusterSignatures, findDuplicates, textsToVerify } from '../src/analysis/dedupe/cluster.ts';
import { evaluatePairs, exactSimilarPairs } from '../src/analysis/dedupe/exact.ts';
import {
  createShingleBuffer,
  packShingleSets,
  packedShinglesOf,
  shingleSet,
} from '../src/analysis/dedupe/shingles.ts';
import { computeSignatures } from '../src/analysis/dedupe/signature.ts';
import * as OpenCC from 'opencc-js';
import { needsConversion, normalize, similarityKey } from '../src/analysis/normalize.ts';
import { opinionText, prng } from './texts.ts';

export const STEM_OPT = 'comments/ICEB-2015-0002_stem_opt_comments.csv';

export interface ClusterFigures {
  clusters: number;
  clusteredTexts: number;
  singletons: number;
  exactDuplicates: number;
  emptyTexts: number;
  largest: number[];
  /** Clusters by size: "2", "3", "4-5", "6-10", "11-100", "101+". */
  sizeHistogram: Record<string, number>;
}

export interface NormalizationFigures {
  /** Characters per second of `normalize`, single thread, by kind of text. */
  englishCharsPerSecond: number;
  simplifiedChineseCharsPerSecond: number;
  traditionalChineseCharsPerSecond: number;
  /** Simplified texts holding a character that sends them through the traditional → simplified converter. */
  simplifiedConvertedShare: number;
  simplifiedWithoutConversionCharsPerSecond: number;
}

export interface AnalysisDedupeFigures {
  normalization: NormalizationFigures;
  stemOpt?: {
    texts: number;
    characters: number;
    threshold: number;
    exactPairsSeconds: number;
    truePairs: number;
    clusterSeconds: number;
    /** Cluster pairs against the exact pairs, complete linkage (the default). */
    recall: number;
    precision: number;
    /**
     * Every near-duplicate pair found: the cluster pairs and the links between texts the clusters leave
     * apart (`findDuplicates` with `links`), against the exact pairs.
     */
    withLinks: {
      recall: number;
      precision: number;
      links: number;
      linkVerifications: number;
      seconds: number;
    };
    /** The same with the representative-only linkage (`coreSize: 1`). */
    representativeOnly: { recall: number; precision: number };
    /** Share of the exact pairs that LSH puts in one bucket at least once (or are exact duplicates). */
    candidateRecall: number;
    /**
     * The most any clustering can recall at precision 1: each text's similar pairs inside a cluster are at
     * most the largest group of texts all similar to each other and to it (null when too costly).
     */
    recallCeiling: number | null;
    clusters: ClusterFigures;
  };
  synthetic: {
    texts: number;
    characters: number;
    normalizeCharsPerSecond: number;
    signaturesPerSecond: number;
    signatureCharsPerSecond: number;
    signatureSeconds: number;
    /** Clustering with shingle sets computed on demand on the clustering thread. */
    clusterSeconds: number;
    /** The same split for a worker pool: which texts need verifying, their packed sets, then clustering. */
    withPackedSets: {
      textsToVerify: number;
      findSeconds: number;
      packSeconds: number;
      clusterSeconds: number;
    };
    /** Pair recall and precision against the known campaign copies. */
    campaignRecall: number;
    campaignPrecision: number;
    clusters: ClusterFigures;
    heapUsedMegabytes: number;
    /**
     * One million texts like these: signatures and packed sets on 2 worker threads (half the
     * single-thread time), finding the texts to verify and clustering on the main thread.
     */
    projectedMillion: {
      signatureSeconds: number;
      packSeconds: number;
      clusterSeconds: number;
      totalSeconds: number;
    };
  };
}

const seconds = (start: number): number => Number(((performance.now() - start) / 1000).toFixed(2));
const round = (value: number, digits = 4): number => Number(value.toFixed(digits));

/** The comment texts of the STEM-OPT docket (column `commentText`). */
export function readStemOptComments(fixturesDir: string): string[] | null {
  const file = join(fixturesDir, STEM_OPT);
  if (!existsSync(file)) {
    return null;
  }
  const rows = parse<Record<string, string>>(readFileSync(file), { columns: true, skip_empty_lines: true });
  return rows.map((row) => row.commentText ?? '');
}

export function clusterFigures(result: DuplicateResult): ClusterFigures {
  const sizes = result.clusters.map((cluster) => cluster.members.length).sort((a, b) => b - a);
  const buckets: [string, number, number][] = [
    ['2', 2, 2],
    ['3', 3, 3],
    ['4-5', 4, 5],
    ['6-10', 6, 10],
    ['11-100', 11, 100],
    ['101+', 101, Infinity],
  ];
  const sizeHistogram: Record<string, number> = {};
  for (const [label, low, high] of buckets) {
    sizeHistogram[label] = sizes.filter((size) => size >= low && size <= high).length;
  }
  const { stats } = result;
  return {
    clusters: stats.clusters,
    clusteredTexts: stats.clusteredTexts,
    singletons: stats.texts - stats.emptyTexts - stats.clusteredTexts,
    exactDuplicates: stats.exactDuplicates,
    emptyTexts: stats.emptyTexts,
    largest: sizes.slice(0, 10),
    sizeHistogram,
  };
}

/**
 * A synthetic corpus: `count` comments recombined from the sentences of `source` (2–3 sentences each,
 * some 300 characters), 30% of them copies of 500 campaign templates (3–4 sentences) with small edits
 * (one or two words replaced, added or dropped; sometimes a name). `campaignOf[i]` is the template of
 * text i, or -1.
 */
export function syntheticComments(
  source: readonly string[],
  count: number,
  seed = 7,
): { texts: string[]; campaignOf: Int32Array } {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const sentences = source
    .flatMap((text) => text.split(/(?<=[.!?。！？])\s+/))
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length >= 20 && sentence.length <= 400);
  const compose = (low: number, high: number): string =>
    Array.from({ length: low + Math.floor(random() * (high - low + 1)) }, () => pick(sentences)).join(' ');
  const templates = Array.from({ length: 500 }, () => compose(3, 4));
  const words = ['strongly', 'really', 'please', 'hereby', 'fully', 'also', 'indeed', 'truly'];
  const names = ['John', 'Mary', 'Wei', 'Priya', 'Carlos', 'Anna', 'Ahmed', 'Li', 'Sarah', 'David'];
  // A copy of a form letter: one or two words replaced, added or dropped; sometimes a signature.
  const edit = (template: string): string => {
    let tokens = template.split(' ');
    const edits = 1 + Math.floor(random() * 2);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(random() * tokens.length);
      const roll = random();
      if (roll < 0.4) {
        tokens[at] = pick(words);
      } else if (roll < 0.7 || tokens.length < 10) {
        tokens = [...tokens.slice(0, at), pick(words), ...tokens.slice(at)];
      } else {
        tokens = [...tokens.slice(0, at), ...tokens.slice(at + 1)];
      }
    }
    const text = tokens.join(' ');
    return random() < 0.2 ? `${text} ${pick(names)}` : text;
  };
  const texts: string[] = [];
  const campaignOf = new Int32Array(count).fill(-1);
  for (let i = 0; i < count; i++) {
    if (random() < 0.3) {
      const template = Math.floor(random() * templates.length);
      campaignOf[i] = template;
      texts.push(edit(templates[template]!));
    } else {
      texts.push(compose(2, 3));
    }
  }
  return { texts, campaignOf };
}

/** Pair recall and precision of clusters against known groups (`groupOf`, -1 for none). */
export function evaluateAgainstGroups(
  clusterOf: Int32Array,
  groupOf: Int32Array,
): { recall: number; precision: number } {
  const pairsOf = (counts: Map<string | number, number>): number =>
    [...counts.values()].reduce((n, c) => n + (c * (c - 1)) / 2, 0);
  const predicted = new Map<number, number>();
  const truth = new Map<number, number>();
  const both = new Map<string, number>();
  for (let i = 0; i < clusterOf.length; i++) {
    const cluster = clusterOf[i]!;
    const group = groupOf[i]!;
    if (cluster >= 0) {
      predicted.set(cluster, (predicted.get(cluster) ?? 0) + 1);
    }
    if (group >= 0) {
      truth.set(group, (truth.get(group) ?? 0) + 1);
    }
    if (cluster >= 0 && group >= 0) {
      const key = `${cluster}:${group}`;
      both.set(key, (both.get(key) ?? 0) + 1);
    }
  }
  const hits = pairsOf(both);
  const predictedPairs = pairsOf(predicted);
  const truePairs = pairsOf(truth);
  return {
    recall: truePairs === 0 ? 1 : hits / truePairs,
    precision: predictedPairs === 0 ? 1 : hits / predictedPairs,
  };
}

/** Share of the exact pairs whose texts share at least one LSH band key (exact duplicates count as found). */
function candidateRecall(texts: readonly string[], pairs: ReturnType<typeof exactSimilarPairs>): number {
  const signatures = computeSignatures(texts);
  const { bands, bandKeys } = signatures;
  const firstOfGroup = new Map<number, number>();
  pairs.groupOf.forEach((group, i) => {
    if (group >= 0 && !firstOfGroup.has(group)) {
      firstOfGroup.set(group, i);
    }
  });
  let found = 0;
  for (const size of pairs.groupSize) {
    found += (size * (size - 1)) / 2;
  }
  for (let k = 0; k < pairs.pairs.length; k += 2) {
    const a = firstOfGroup.get(pairs.pairs[k]!)!;
    const b = firstOfGroup.get(pairs.pairs[k + 1]!)!;
    for (let band = 0; band < bands; band++) {
      if (bandKeys[a * bands + band] === bandKeys[b * bands + band]) {
        found += pairs.groupSize[pairs.pairs[k]!]! * pairs.groupSize[pairs.pairs[k + 1]!]!;
        break;
      }
    }
  }
  return pairs.textPairs === 0 ? 1 : found / pairs.textPairs;
}

/**
 * Σ over texts of (ω(t) − 1) / 2 over the similar pairs, ω(t) the largest set of texts all similar to each
 * other and to t (found exactly, groups weighted by size): no partition covers more similar pairs
 * without a dissimilar one. Null when a text has more than `limit` similar neighbours.
 */
export function recallCeiling(reference: ReturnType<typeof exactSimilarPairs>, limit = 200): number | null {
  const { groupSize, pairs } = reference;
  const neighbours = new Map<number, Set<number>>();
  const link = (a: number, b: number): void => {
    let set = neighbours.get(a);
    if (set === undefined) {
      set = new Set();
      neighbours.set(a, set);
    }
    set.add(b);
  };
  for (let k = 0; k < pairs.length; k += 2) {
    link(pairs[k]!, pairs[k + 1]!);
    link(pairs[k + 1]!, pairs[k]!);
  }
  if ([...neighbours.values()].some((set) => set.size > limit)) {
    return null;
  }
  const weight = (group: number): number => groupSize[group]!;
  const heaviestClique = (candidates: number[]): number => {
    let best = 0;
    const grow = (taken: number, rest: number[]): void => {
      if (rest.length === 0) {
        best = Math.max(best, taken);
        return;
      }
      if (taken + rest.reduce((n, g) => n + weight(g), 0) <= best) {
        return;
      }
      const [first, ...others] = rest;
      const adjacent = neighbours.get(first!)!;
      grow(
        taken + weight(first!),
        others.filter((g) => adjacent.has(g)),
      );
      grow(taken, others);
    };
    grow(0, candidates);
    return best;
  };
  let bound = 0;
  for (let group = 0; group < groupSize.length; group++) {
    const size = weight(group);
    const omega = size + heaviestClique([...(neighbours.get(group) ?? [])]);
    bound += (size * (omega - 1)) / 2;
  }
  return reference.textPairs === 0 ? 1 : round(bound / reference.textPairs);
}

export function benchNormalization(english: readonly string[]): NormalizationFigures {
  const random = prng(5);
  const simplified = Array.from({ length: 30_000 }, () => {
    const opinion = opinionText(random);
    return `${opinion.suggestion}${opinion.reasons}${opinion.proposedText ?? ''}`;
  });
  // opencc-js's bundled declarations do not resolve under NodeNext: type the one call used.
  const { Converter } = OpenCC as unknown as {
    Converter: (options: { from: string; to: string }) => (text: string) => string;
  };
  const toTraditional = Converter({ from: 'cn', to: 'tw' });
  const traditional = simplified.slice(0, 5000).map((text) => toTraditional(text));
  const rate = (texts: readonly string[], options = {}): number => {
    const characters = texts.reduce((n, text) => n + text.length, 0);
    normalize(texts[0] ?? '', options);
    const start = performance.now();
    for (const text of texts) {
      normalize(text, options);
    }
    return Math.round(characters / ((performance.now() - start) / 1000));
  };
  return {
    englishCharsPerSecond: rate(english),
    simplifiedChineseCharsPerSecond: rate(simplified),
    traditionalChineseCharsPerSecond: rate(traditional),
    simplifiedConvertedShare: round(
      simplified.filter((text) => needsConversion(text)).length / simplified.length,
      3,
    ),
    simplifiedWithoutConversionCharsPerSecond: rate(simplified, { traditionalToSimplified: false }),
  };
}

export function benchStemOpt(
  texts: readonly string[],
  options: DuplicateOptions = {},
): AnalysisDedupeFigures['stemOpt'] {
  const threshold = options.threshold ?? 0.8;
  let start = performance.now();
  const exact = exactSimilarPairs(texts, { threshold });
  const exactPairsSeconds = seconds(start);
  start = performance.now();
  const result = findDuplicates(texts, options);
  const clusterSeconds = seconds(start);
  const evaluation = evaluatePairs(result.clusterOf, exact);
  start = performance.now();
  const linked = findDuplicates(texts, { ...options, links: true });
  const linkSeconds = seconds(start);
  const links = linked.links!;
  const withLinks = evaluatePairs(linked.clusterOf, exact, links.pairs);
  const loose = evaluatePairs(findDuplicates(texts, { ...options, coreSize: 1 }).clusterOf, exact);
  return {
    texts: texts.length,
    characters: texts.reduce((n, text) => n + text.length, 0),
    threshold,
    exactPairsSeconds,
    truePairs: exact.textPairs,
    clusterSeconds,
    recall: round(evaluation.recall),
    precision: round(evaluation.precision),
    withLinks: {
      recall: round(withLinks.recall),
      precision: round(withLinks.precision),
      links: links.pairs.length / 2,
      linkVerifications: links.verifications,
      seconds: linkSeconds,
    },
    representativeOnly: { recall: round(loose.recall), precision: round(loose.precision) },
    candidateRecall: round(candidateRecall(texts, exact)),
    recallCeiling: recallCeiling(exact),
    clusters: clusterFigures(result),
  };
}

export function benchSynthetic(source: readonly string[], count: number): AnalysisDedupeFigures['synthetic'] {
  const { texts, campaignOf } = syntheticComments(source, count);
  const characters = texts.reduce((n, text) => n + text.length, 0);
  let start = performance.now();
  for (const text of texts) {
    normalize(text);
  }
  const normalizeSeconds = (performance.now() - start) / 1000;
  start = performance.now();
  const signatures = computeSignatures(texts);
  const signatureSeconds = (performance.now() - start) / 1000;
  start = performance.now();
  const buffer = createShingleBuffer();
  const result = clusterSignatures(signatures, {
    shinglesOf: (index) => shingleSet(similarityKey(texts[index] ?? ''), buffer),
  });
  const clusterSeconds = (performance.now() - start) / 1000;
  start = performance.now();
  const verify = textsToVerify(signatures);
  const findSeconds = (performance.now() - start) / 1000;
  start = performance.now();
  const packed = packShingleSets(texts, { indexes: verify, keyOf: (text) => similarityKey(text) });
  const packSeconds = (performance.now() - start) / 1000;
  start = performance.now();
  const again = clusterSignatures(signatures, {
    shinglesOf: packedShinglesOf(count, [packed], (index) =>
      shingleSet(similarityKey(texts[index] ?? ''), buffer),
    ),
    cacheValues: 0,
  });
  const packedClusterSeconds = (performance.now() - start) / 1000;
  if (again.stats.clusters !== result.stats.clusters) {
    throw new Error('clusters from packed shingle sets differ');
  }
  const heapUsedMegabytes = Math.round(process.memoryUsage().heapUsed / 1e6);
  const quality = evaluateAgainstGroups(result.clusterOf, campaignOf);
  const scale = 1_000_000 / count;
  const projectedSignatures = (signatureSeconds * scale) / 2;
  const projectedPack = (packSeconds * scale) / 2;
  const projectedCluster = (findSeconds + packedClusterSeconds) * scale;
  return {
    texts: count,
    characters,
    normalizeCharsPerSecond: Math.round(characters / normalizeSeconds),
    signaturesPerSecond: Math.round(count / signatureSeconds),
    signatureCharsPerSecond: Math.round(characters / signatureSeconds),
    signatureSeconds: round(signatureSeconds, 2),
    clusterSeconds: round(clusterSeconds, 2),
    withPackedSets: {
      textsToVerify: verify.length,
      findSeconds: round(findSeconds, 2),
      packSeconds: round(packSeconds, 2),
      clusterSeconds: round(packedClusterSeconds, 2),
    },
    campaignRecall: round(quality.recall),
    campaignPrecision: round(quality.precision),
    clusters: clusterFigures(result),
    heapUsedMegabytes,
    projectedMillion: {
      signatureSeconds: round(projectedSignatures, 1),
      packSeconds: round(projectedPack, 1),
      clusterSeconds: round(projectedCluster, 1),
      totalSeconds: round(projectedSignatures + projectedPack + projectedCluster, 1),
    },
  };
}

/**
 * The benchmark for `npm run bench`: STEM-OPT quality when the fixtures are present, and throughput on
 * `syntheticTexts` synthetic comments (default 200,000; recombined from the benchmark's Chinese opinion texts
 * when the fixtures are absent).
 */
export function benchAnalysisDedupe(
  fixturesDir: string,
  options: { syntheticTexts?: number } = {},
): AnalysisDedupeFigures {
  const stem = readStemOptComments(fixturesDir);
  if (stem === null) {
    console.warn(`fixtures absent at ${fixturesDir}: near-duplicate quality on STEM-OPT skipped`);
  }
  const random = prng(11);
  const source =
    stem ??
    Array.from({ length: 5000 }, () => {
      const opinion = opinionText(random);
      return `${opinion.suggestion}${opinion.reasons}${opinion.proposedText ?? ''}`;
    });
  return {
    normalization: benchNormalization(source.slice(0, 20_000)),
    ...(stem === null ? {} : { stemOpt: benchStemOpt(stem) }),
    synthetic: benchSynthetic(source, options.syntheticTexts ?? 200_000),
  };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const dir = process.env.CONCORD_FIXTURES ?? new URL('../../shared/fixtures/', import.meta.url).pathname;
  const count = Number(process.env.BENCH_DEDUPE_TEXTS ?? 200_000);
  console.log(JSON.stringify(benchAnalysisDedupe(dir, { syntheticTexts: count }), null, 2));
}
