/*
 * Stance and topics on the NLPCC 2016 stance training set (shared fixtures): stance F_avg per target by
 * stratified 5-fold cross-validation, topics learned from 20 labelled posts per target, training time,
 * and the single-thread speed of tokenisation. `benchAnalysisClassify` returns the figures, or null when
 * the fixture is absent. Run alone: `npx tsx bench/analysis-classify.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'csv-parse/sync';
import type { Stance } from '../src/analysis/stance/lexicon.ts';
import { crossValidateStance } from '../src/analysis/stance/evaluate.ts';
import { evaluateFewLabelTopics } from '../src/analysis/topics/evaluate.ts';
import { getChineseSegmenterName, tokenize } from '../src/analysis/tokenize.ts';

export const NLPCC_STANCE_FIXTURE = 'comments/nlpcc2016_stance_train.tsv';

export interface NlpccPost {
  id: string;
  target: string;
  text: string;
  stance: Stance;
}

const STANCE_OF: Record<string, Stance> = { FAVOR: 'support', AGAINST: 'oppose', NONE: 'none' };

/**
 * Parses the NLPCC TSV (UTF-8 with BOM; header ID, TARGET, TEXT, STANCE; quoted fields may hold tabs
 * and line breaks). Posts without a stance (14 in the training set) are left out.
 */
export function parseNlpccStance(data: Buffer | string): NlpccPost[] {
  const rows = parse<Record<string, string | undefined>>(data, {
    delimiter: '\t',
    bom: true,
    columns: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
  });
  return rows.flatMap((row) => {
    const stance = STANCE_OF[(row.STANCE ?? '').trim()];
    const text = (row.TEXT ?? '').trim();
    return stance === undefined || text === ''
      ? []
      : [{ id: row.ID ?? '', target: (row.TARGET ?? '').trim(), text, stance }];
  });
}

export interface AnalysisClassifyFigures {
  posts: number;
  segmenter: string;
  tokenize: {
    texts: number;
    seconds: number;
    textsPerSecond: number;
    tokensPerSecond: number;
    charsPerSecond: number;
  };
  stance: {
    folds: number;
    seed: number;
    fAvgPerTarget: Record<string, number>;
    fAvgMean: number;
    fAvgPooledPerTarget: Record<string, number>;
    fAvgPooledMean: number;
    trainSecondsPerFold: number;
    postsPerFold: number;
  };
  topics: {
    labelledPerTopic: number;
    seeds: number[];
    accuracies: number[];
    accuracyMean: number;
    trainSecondsPerRun: number;
  };
  seconds: number;
}

const round = (value: number, digits = 4): number => Number(value.toFixed(digits));

function roundAll(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, round(v)]));
}

/** Evaluates stance and topics on the parsed posts. */
export function evaluateNlpcc(
  posts: readonly NlpccPost[],
  options: { folds?: number; seed?: number; topicSeeds?: number[]; perTopic?: number } = {},
): AnalysisClassifyFigures {
  const started = performance.now();
  // Tokenise once (reused by every analysis); the first call loads the segmenter, so warm it up first.
  tokenize('预热分词器');
  const tokenStart = performance.now();
  const docs = posts.map((p) => tokenize(p.text));
  const tokenSeconds = (performance.now() - tokenStart) / 1000;
  const tokens = docs.reduce((n, d) => n + d.tokens.length, 0);
  const chars = posts.reduce((n, p) => n + p.text.length, 0);
  const folds = options.folds ?? 5;
  const seed = options.seed ?? 42;
  const cv = crossValidateStance({
    examples: posts.map((p, i) => ({ doc: docs[i]!, target: p.target, stance: p.stance })),
    folds,
    seed,
    now: () => performance.now(),
  });
  const topicSeeds = options.topicSeeds ?? [1, 2, 3, 4, 5];
  const perTopic = options.perTopic ?? 20;
  const topics = evaluateFewLabelTopics({
    docs,
    topics: posts.map((p) => p.target),
    perTopic,
    seeds: topicSeeds,
    now: () => performance.now(),
  });
  return {
    posts: posts.length,
    segmenter: getChineseSegmenterName(),
    tokenize: {
      texts: posts.length,
      seconds: round(tokenSeconds, 3),
      textsPerSecond: Math.round(posts.length / tokenSeconds),
      tokensPerSecond: Math.round(tokens / tokenSeconds),
      charsPerSecond: Math.round(chars / tokenSeconds),
    },
    stance: {
      folds,
      seed,
      fAvgPerTarget: roundAll(cv.perTarget),
      fAvgMean: round(cv.mean),
      fAvgPooledPerTarget: roundAll(cv.perTargetPooled),
      fAvgPooledMean: round(cv.meanPooled),
      trainSecondsPerFold: round(cv.trainSeconds / folds, 3),
      postsPerFold: Math.round((posts.length * (folds - 1)) / folds),
    },
    topics: {
      labelledPerTopic: perTopic,
      seeds: topicSeeds,
      accuracies: topics.accuracies.map((a) => round(a)),
      accuracyMean: round(topics.mean),
      trainSecondsPerRun: round(topics.trainSeconds / topicSeeds.length, 3),
    },
    seconds: round((performance.now() - started) / 1000, 1),
  };
}

/** Tokenisation speed on one thread over the texts, repeated until at least `minSeconds` have passed. */
export function measureTokenizeSpeed(
  texts: readonly string[],
  minSeconds = 2,
): { textsPerSecond: number; tokensPerSecond: number } {
  tokenize('预热分词器');
  let done = 0;
  let tokens = 0;
  const start = performance.now();
  while ((performance.now() - start) / 1000 < minSeconds) {
    for (const text of texts) {
      tokens += tokenize(text).tokens.length;
    }
    done += texts.length;
  }
  const seconds = (performance.now() - start) / 1000;
  return { textsPerSecond: Math.round(done / seconds), tokensPerSecond: Math.round(tokens / seconds) };
}

/** The figures of this benchmark, or null when the fixture is absent from `fixturesDir`. */
export function benchAnalysisClassify(fixturesDir: string): AnalysisClassifyFigures | null {
  const file = join(fixturesDir, NLPCC_STANCE_FIXTURE);
  if (!existsSync(file)) {
    return null;
  }
  const posts = parseNlpccStance(readFileSync(file));
  const figures = evaluateNlpcc(posts);
  const speed = measureTokenizeSpeed(posts.map((p) => p.text));
  figures.tokenize.textsPerSecond = speed.textsPerSecond;
  figures.tokenize.tokensPerSecond = speed.tokensPerSecond;
  return figures;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const dir = process.env.CONCORD_FIXTURES ?? new URL('../../shared/fixtures/', import.meta.url).pathname;
  const figures = benchAnalysisClassify(dir);
  if (figures === null) {
    console.warn(`fixture absent: ${join(dir, NLPCC_STANCE_FIXTURE)}`);
  } else {
    console.log(JSON.stringify(figures, null, 2));
  }
}
