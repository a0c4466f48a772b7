/*
 * Per-function CPU cost of the record analysis, in µs per record, over a sample of the synthetic corpus
 * (NLPCC posts and STEM-OPT comments, half Chinese, half English: bench/analysis-corpus.ts). It shows
 * where the time of `concord analyze` goes, beside @node-rs/jieba alone segmenting the same texts.
 *
 * Each function runs over the whole sample after a warm-up pass; the best of a few rounds is kept (the
 * machine is shared). It runs again over each language's half of the sample, to show each language's
 * costs against jieba's: jieba's grow with a text's length, while part of the analysis's is paid per
 * record whatever its length (short Chinese posts, long English comments).
 *
 * Run with `npx tsx bench/analysis-profile.ts`; CONCORD_PROFILE_RECORDS sets the sample size (default
 * 20,000), CONCORD_PROFILE_ROUNDS the rounds (default 3).
 */
import { createRequire } from 'node:module';
import { computeSignatures } from '../src/analysis/dedupe/signature.ts';
import { extractFigures } from '../src/analysis/figures.ts';
import { extractKeyphrases } from '../src/analysis/keyphrases.ts';
import { exactHash } from '../src/analysis/normalize.ts';
import { DEFAULT_KEYPHRASE_LIMIT } from '../src/analysis/pipeline.ts';
import { PLANNING_TERMS } from '../src/analysis/planning-terms.ts';
import { assessQuality } from '../src/analysis/quality.ts';
import { decideStanceByLexicon } from '../src/analysis/stance/lexicon.ts';
import type { TokenizedText } from '../src/analysis/tokenize.ts';
import { getChineseSegmenterName, tokenize } from '../src/analysis/tokenize.ts';
import { checkOpinionQuality } from '../src/domain/opinion-quality.ts';
import { readCorpusSources, syntheticCorpus } from './analysis-corpus.ts';

export interface ProfileRow {
  name: string;
  microsPerRecord: number;
}

/** The profile of the whole sample and of each language's half (texts with a Han character: Chinese). */
export interface LanguageProfile {
  records: { all: number; chinese: number; english: number };
  rows: { name: string; all: number; chinese: number; english: number }[];
}

const HAN = /\p{Script=Han}/u;

export function profileByLanguage(texts: readonly string[], rounds = 3): LanguageProfile {
  const chinese = texts.filter((t) => HAN.test(t));
  const english = texts.filter((t) => !HAN.test(t));
  const all = profileAnalysis(texts, rounds);
  const zh = profileAnalysis(chinese, rounds);
  const en = profileAnalysis(english, rounds);
  return {
    records: { all: texts.length, chinese: chinese.length, english: english.length },
    rows: all.map((row, i) => ({
      name: row.name,
      all: row.microsPerRecord,
      chinese: zh[i]!.microsPerRecord,
      english: en[i]!.microsPerRecord,
    })),
  };
}

/** CPU µs per record of `run` over `count` records: the best of `rounds` after one warm-up. */
function measure(count: number, rounds: number, run: () => unknown): number {
  run();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const cpu = process.cpuUsage();
    run();
    const used = process.cpuUsage(cpu);
    best = Math.min(best, (used.user + used.system) / count);
  }
  return Number(best.toFixed(1));
}

/** Jieba alone with the dictionary of tokenize.ts, as bench/analysis-million.ts measures it. */
function jiebaCut(): (text: string) => string[] {
  const require = createRequire(import.meta.url);
  const { Jieba } = require('@node-rs/jieba') as {
    Jieba: {
      withDict(dict: Uint8Array): {
        cut(text: string, hmm: boolean): string[];
        loadDict(d: Uint8Array): void;
      };
    };
  };
  const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
  const jieba = Jieba.withDict(dict);
  const user = PLANNING_TERMS.filter((t) => t.trim() !== '' && !/\s/u.test(t))
    .map((t) => `${t} 50000 n`)
    .join('\n');
  jieba.loadDict(new TextEncoder().encode(`${user}\n`));
  return (text) => jieba.cut(text, true);
}

export function profileAnalysis(texts: readonly string[], rounds = 3): ProfileRow[] {
  const n = texts.length;
  const cut = jiebaCut();
  const docs: TokenizedText[] = texts.map((t) => tokenize(t));
  const figures = texts.map((t) => extractFigures(t));
  const keyphrases = docs.map((d) => extractKeyphrases(d, { limit: DEFAULT_KEYPHRASE_LIMIT }));
  const rows: [string, () => unknown][] = [
    ['jieba alone (cut, hmm)', () => texts.forEach((t) => cut(t))],
    ['tokenize', () => texts.forEach((t) => tokenize(t))],
    [
      'assessQuality',
      () =>
        texts.forEach((text, i) =>
          assessQuality({
            text,
            reasons: null,
            proposedText: null,
            figures: figures[i]!,
            keyphrases: keyphrases[i]!,
          }),
        ),
    ],
    [
      '  checkOpinionQuality',
      () =>
        texts.forEach((text) =>
          checkOpinionQuality({
            suggestion: text,
            reasons: null,
            proposedText: null,
            quote: null,
            clauseStableId: null,
            kind: 'substantive',
          }),
        ),
    ],
    [
      'extractKeyphrases',
      () => docs.forEach((d) => extractKeyphrases(d, { limit: DEFAULT_KEYPHRASE_LIMIT })),
    ],
    ['computeSignatures (MinHash)', () => computeSignatures(texts)],
    ['stance lexicon', () => docs.forEach((d) => decideStanceByLexicon(d))],
    ['extractFigures', () => texts.forEach((t) => extractFigures(t))],
    ['exactHash', () => texts.forEach((t) => exactHash(t))],
  ];
  return rows.map(([name, run]) => ({ name, microsPerRecord: measure(n, rounds, run) }));
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const dir = process.env.CONCORD_FIXTURES ?? new URL('../../shared/fixtures/', import.meta.url).pathname;
  const sources = readCorpusSources(dir);
  if (sources === null) {
    console.error(`fixtures absent at ${dir}`);
    process.exitCode = 1;
  } else {
    const count = Number(process.env.CONCORD_PROFILE_RECORDS ?? 20_000);
    const rounds = Number(process.env.CONCORD_PROFILE_ROUNDS ?? 3);
    const texts = Array.from(syntheticCorpus(sources, { count }), (c) => c.text);
    const { records, rows } = profileByLanguage(texts, rounds);
    console.log(
      `analysis profile: ${count} records, segmenter ${getChineseSegmenterName()}, CPU µs per record (best of ${rounds})`,
    );
    const cell = (value: number | string): string =>
      (typeof value === 'number' ? value.toFixed(1) : value).padStart(10);
    console.log(`  ${''.padEnd(30)} ${cell('all')} ${cell('Chinese')} ${cell('English')}`);
    console.log(
      `  ${'records'.padEnd(30)} ${cell(String(records.all))} ${cell(String(records.chinese))} ${cell(String(records.english))}`,
    );
    for (const row of rows) {
      console.log(`  ${row.name.padEnd(30)} ${cell(row.all)} ${cell(row.chinese)} ${cell(row.english)}`);
    }
  }
}
