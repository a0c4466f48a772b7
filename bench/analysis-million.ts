/*
 * The million-comment benchmark: `concord analyze` over a synthetic mass campaign (bench/analysis-corpus.ts,
 * half Chinese, half English), against @node-rs/jieba alone segmenting the same texts on both cores.
 *
 * Measured in one run, on the same file:
 * - jieba alone: two worker threads, each holding half of the texts (read before the clock starts) and
 *   segmenting them with the dictionary setup of src/analysis/tokenize.ts (`cut(text, true)`);
 * - `concord analyze --in FILE --out OUT.jsonl` as a child process: wall time from spawn to exit, peak
 *   resident memory (`/usr/bin/time -v` when present, which covers the worker threads: they share the
 *   process), CPU time, and the cluster figures it reports.
 * The two take turns, jieba first and last (jieba, analyze, jieba, analyze, jieba, analyze, jieba for three
 * rounds): the host's speed drifts from minute to minute, so each analyze run is compared with the mean of
 * the jieba runs just before and after it, and the ratio reported is the median over the rounds (of three,
 * one run disturbed by the host's other load moves it little).
 * Targets: ≤ 60 s wall, ≤ 2048 MiB, analyze/jieba ≤ 2.0. The machine's other load inflates wall times; CPU
 * seconds (user + system) are printed beside them.
 *
 * The host's cost of fresh memory is measured too (`freshMemoryMsPerGiB`): the time to touch each page of
 * memory just allocated. Jieba alone takes little memory; `concord analyze` takes over a GiB, page by page,
 * so a host on which a page's first touch is dear (a virtual machine whose memory its host hands out
 * lazily, or takes back when freed) weighs on the analysis and not on jieba, and the ratio with it.
 *
 * CONCORD_BENCH_COMMENTS sets the corpus size (default 1,000,000), CONCORD_BENCH_ROUNDS the number of
 * analyze runs (default 3). Run alone:
 * `npx tsx bench/analysis-million.ts`, or as the `million` section of `npm run bench`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { PLANNING_TERMS } from '../src/analysis/planning-terms.ts';
import type { CorpusSummary as CorpusFileSummary } from './analysis-corpus.ts';
import { readCorpusSources, writeSyntheticCorpus } from './analysis-corpus.ts';
import type { CommentImportFigures } from './comment-import.ts';
import { benchCommentImport } from './comment-import.ts';

export interface MillionFigures {
  comments: number;
  corpus: CorpusFileSummary & { generateSeconds: number };
  /** Medians of the jieba runs; `runs` in the order they ran (one before each analyze run, one after the last). */
  jieba: { workers: number; wallSeconds: number; cpuSeconds: number; runs: JiebaRun[] };
  analyze: {
    /** Median of the runs (memory: the largest peak); the cluster figures are the first run's. */
    wallSeconds: number;
    cpuSeconds: number | null;
    peakMiB: number;
    /** How the peak was measured: 'time -v' (the child's max RSS) or the CLI's own report. */
    peakSource: string;
    workers: number;
    clusters: number;
    clusteredRecords: number;
    largestClusters: number[];
    clusterSizes: Record<string, number>;
    exactDuplicates: number;
    reused: number;
    phases: Record<string, number>;
    runs: {
      wallSeconds: number;
      cpuSeconds: number | null;
      peakMiB: number;
      freshPages: number | null;
      phases: Record<string, number>;
    }[];
  };
  /**
   * Median over the analyze runs of each run's wall time over the mean of the two jieba runs around it:
   * the host's speed drifts, and a run is compared with jieba measured just before and just after it.
   */
  ratio: number;
  /** Each analyze run's ratio, in order. */
  ratios: number[];
  cpuRatio: number | null;
  targets: { wallSeconds: number; peakMiB: number; ratio: number };
  targetsMet: { wall: boolean; memory: boolean; ratio: boolean };
  /** `concord import comments` of the same file into a fresh SQLite database. */
  import: CommentImportFigures;
  /** The host: milliseconds to touch every page of a GiB of fresh memory (the median of a few tries). */
  host: { freshMemoryMsPerGiB: number };
  /**
   * Pages touched for the first time (minor page faults; medians of the runs) by `concord analyze` and by
   * jieba alone, and the CPU seconds they cost at the host's price of a fresh page: a part of each run's
   * time that grows with the memory it takes, and that hosts price very differently.
   */
  freshMemory: {
    analyzePages: number | null;
    analyzeSeconds: number | null;
    jiebaPages: number;
    jiebaSeconds: number;
  };
}

/** Analyze runs by default (CONCORD_BENCH_ROUNDS). */
export const DEFAULT_ROUNDS = 3;

const BIN = new URL('../bin/concord.js', import.meta.url).pathname;
const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

interface JiebaRun {
  wallSeconds: number;
  cpuSeconds: number;
  /** Pages the process touched for the first time meanwhile (minor page faults, all threads). */
  freshPages: number;
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Ratios of analyze runs to jieba runs measured around them: `jieba[k]` ran just before `analyze[k]` and
 * `jieba[k + 1]` just after it, so there is one jieba run more than analyze runs.
 */
export function bracketedRatios(jieba: readonly number[], analyze: readonly number[]): number[] {
  if (jieba.length !== analyze.length + 1) {
    throw new RangeError(
      `${analyze.length} analyze runs need ${analyze.length + 1} jieba runs, not ${jieba.length}`,
    );
  }
  return analyze.map((seconds, k) => round(seconds / ((jieba[k]! + jieba[k + 1]!) / 2)));
}

const PAGE = 4096;

/**
 * Milliseconds per GiB to touch, one byte a page, `mib` MiB of memory just allocated, the median of
 * `tries`: a large allocation takes pages the process has not used, each given its frame on first touch.
 */
export function measureFreshMemory(mib = 256, tries = 3): number {
  const times: number[] = [];
  for (let t = 0; t < tries; t++) {
    const bytes = new Uint8Array(mib * 2 ** 20);
    const start = performance.now();
    for (let at = 0; at < bytes.length; at += PAGE) {
      bytes[at] = 1;
    }
    times.push(((performance.now() - start) * 1024) / mib);
  }
  return Math.round(median(times));
}

/** CPU seconds that touching `pages` fresh pages takes at the host's `msPerGiB` (measureFreshMemory). */
export function freshMemorySeconds(pages: number, msPerGiB: number): number {
  return round((pages * PAGE * msPerGiB) / 2 ** 30 / 1000);
}

/** Same dictionary as tokenize.ts: jieba's own, then the planning terms at a high frequency. */
function userDictionary(): string {
  return `${PLANNING_TERMS.filter((t) => t.trim() !== '' && !/\s/u.test(t))
    .map((t) => `${t} 50000 n`)
    .join('\n')}\n`;
}

/*
 * A jieba worker (plain JavaScript: it needs no TypeScript loader). It reads its half of the records
 * (every `workers`-th block of 64 lines from its index: the corpus alternates Chinese and English lines, so
 * taking every other line would hand one thread all the Chinese) before reporting ready, then segments
 * them when told to.
 */
const JIEBA_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const req = createRequire(workerData.resolveFrom);
const { Jieba } = req('@node-rs/jieba');
const { dict } = req('@node-rs/jieba/dict');
const jieba = Jieba.withDict(dict);
jieba.loadDict(new TextEncoder().encode(workerData.userDict));
const data = readFileSync(workerData.file);
const texts = [];
for (let start = 0, line = 0; start < data.length; line++) {
  let end = data.indexOf(10, start);
  if (end === -1) end = data.length;
  if (Math.floor(line / 64) % workerData.workers === workerData.index && end > start) {
    texts.push(JSON.parse(data.toString('utf8', start, end)).text);
  }
  start = end + 1;
}
jieba.cut('预热分词', true);
parentPort.postMessage({ ready: texts.length });
parentPort.once('message', () => {
  let pieces = 0;
  for (const text of texts) pieces += jieba.cut(text, true).length;
  parentPort.postMessage({ pieces });
});
`;

/** Wall seconds for `workers` threads to segment their share of the file's texts, and the process's CPU time. */
export async function measureJiebaAlone(file: string, workers = 2): Promise<JiebaRun> {
  const threads = Array.from(
    { length: workers },
    (_, index) =>
      new Worker(JIEBA_WORKER, {
        eval: true,
        workerData: { file, index, workers, userDict: userDictionary(), resolveFrom: import.meta.url },
      }),
  );
  const next = (worker: Worker): Promise<unknown> =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  try {
    await Promise.all(threads.map(next));
    const start = performance.now();
    // Process-wide CPU time (all threads): this thread only waits meanwhile.
    const cpu = process.cpuUsage();
    const faults = process.resourceUsage().minorPageFault;
    const done = Promise.all(threads.map(next));
    threads.forEach((worker) => worker.postMessage('go'));
    await done;
    const used = process.cpuUsage(cpu);
    return {
      wallSeconds: round((performance.now() - start) / 1000),
      cpuSeconds: round((used.user + used.system) / 1e6),
      freshPages: process.resourceUsage().minorPageFault - faults,
    };
  } finally {
    await Promise.all(threads.map((worker) => worker.terminate()));
  }
}

interface AnalyzeRun {
  wallSeconds: number;
  cpuSeconds: number | null;
  /** Minor page faults of the child (`time -v`), null without it. */
  freshPages: number | null;
  peakMiB: number;
  peakSource: string;
  summary: CorpusSummaryJson;
}

interface CorpusSummaryJson {
  records: number;
  workers: number;
  clusters: number;
  clusteredRecords: number;
  largestClusters: number[];
  clusterSizes: Record<string, number>;
  exactDuplicates: number;
  reused: number;
  maxRssMiB: number;
  seconds: Record<string, number>;
}

/** Runs `concord --json analyze` as a child process, under `/usr/bin/time -v` when it exists. */
export function runAnalyze(input: string, output: string): Promise<AnalyzeRun> {
  const timed = existsSync('/usr/bin/time');
  const command = timed ? '/usr/bin/time' : process.execPath;
  const args = [
    ...(timed ? ['-v', process.execPath] : []),
    BIN,
    '--json',
    'analyze',
    '--in',
    input,
    '--out',
    output,
  ];
  const start = performance.now();
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const wallSeconds = round((performance.now() - start) / 1000);
      if (error) {
        reject(new Error(`concord analyze failed: ${stderr.slice(-2000) || error.message}`));
        return;
      }
      const summary = JSON.parse(stdout) as CorpusSummaryJson;
      const field = (name: string): number | null => {
        const match = new RegExp(`${name}: ([\\d.:]+)`, 'u').exec(stderr);
        return match ? Number(match[1]) : null;
      };
      const rssKb = field('Maximum resident set size \\(kbytes\\)');
      const user = field('User time \\(seconds\\)');
      const system = field('System time \\(seconds\\)');
      resolve({
        wallSeconds,
        cpuSeconds: user === null || system === null ? null : round(user + system),
        freshPages: field('Minor \\(reclaiming a frame\\) page faults'),
        peakMiB: rssKb === null ? summary.maxRssMiB : Math.round(rssKb / 1024),
        peakSource: rssKb === null ? 'concord (process.resourceUsage)' : 'time -v',
        summary,
      });
    });
  });
}

/** The benchmark: null when the fixtures are absent. */
export async function benchAnalysisMillion(
  fixturesDir: string,
  options: { comments?: number; rounds?: number } = {},
): Promise<MillionFigures | null> {
  const sources = readCorpusSources(fixturesDir);
  if (sources === null) {
    return null;
  }
  const comments = options.comments ?? 1_000_000;
  const rounds = Math.max(1, options.rounds ?? DEFAULT_ROUNDS);
  const dir = mkdtempSync(join(tmpdir(), 'concord-million-'));
  try {
    const file = join(dir, 'comments.jsonl');
    const start = performance.now();
    const corpus = writeSyntheticCorpus(file, sources, { count: comments });
    const generateSeconds = round((performance.now() - start) / 1000);
    console.warn(
      `million: ${comments} comments (${Math.round(statSync(file).size / 2 ** 20)} MiB) generated in ${generateSeconds} s; jieba alone on 2 threads…`,
    );
    // Jieba alone and `concord analyze` take turns, jieba first and last.
    const jiebaRuns: JiebaRun[] = [];
    const runs: AnalyzeRun[] = [];
    for (let k = 0; k < rounds; k++) {
      jiebaRuns.push(await measureJiebaAlone(file, 2));
      console.warn(
        `million: jieba alone ${jiebaRuns.at(-1)!.wallSeconds} s; concord analyze (${k + 1} of ${rounds})…`,
      );
      runs.push(await runAnalyze(file, join(dir, 'out.jsonl')));
      console.warn(`million: concord analyze ${runs.at(-1)!.wallSeconds} s; jieba alone…`);
    }
    jiebaRuns.push(await measureJiebaAlone(file, 2));
    console.warn(
      `million: jieba alone ${jiebaRuns.at(-1)!.wallSeconds} s; concord import comments into SQLite…`,
    );
    const imported = await benchCommentImport(file);
    const host = { freshMemoryMsPerGiB: measureFreshMemory() };
    const analyzePages = runs.every((r) => r.freshPages !== null)
      ? Math.round(median(runs.map((r) => r.freshPages!)))
      : null;
    const jiebaPages = Math.round(median(jiebaRuns.map((r) => r.freshPages)));
    const freshMemory = {
      analyzePages,
      analyzeSeconds:
        analyzePages === null ? null : freshMemorySeconds(analyzePages, host.freshMemoryMsPerGiB),
      jiebaPages,
      jiebaSeconds: freshMemorySeconds(jiebaPages, host.freshMemoryMsPerGiB),
    };
    const run = runs[0]!;
    const s = run.summary;
    const jieba = {
      wallSeconds: round(median(jiebaRuns.map((r) => r.wallSeconds))),
      cpuSeconds: round(median(jiebaRuns.map((r) => r.cpuSeconds))),
    };
    const wallSeconds = round(median(runs.map((r) => r.wallSeconds)));
    const cpuRuns = runs.map((r) => r.cpuSeconds).filter((c): c is number => c !== null);
    const cpuSeconds = cpuRuns.length === runs.length ? round(median(cpuRuns)) : null;
    const peakMiB = Math.max(...runs.map((r) => r.peakMiB));
    const targets = { wallSeconds: 60, peakMiB: 2048, ratio: 2 };
    const ratios = bracketedRatios(
      jiebaRuns.map((r) => r.wallSeconds),
      runs.map((r) => r.wallSeconds),
    );
    const ratio = round(median(ratios));
    const figures: MillionFigures = {
      comments,
      corpus: { ...corpus, generateSeconds },
      jieba: { workers: 2, ...jieba, runs: jiebaRuns },
      analyze: {
        wallSeconds,
        cpuSeconds,
        peakMiB,
        peakSource: run.peakSource,
        workers: s.workers,
        clusters: s.clusters,
        clusteredRecords: s.clusteredRecords,
        largestClusters: s.largestClusters,
        clusterSizes: s.clusterSizes,
        exactDuplicates: s.exactDuplicates,
        reused: s.reused,
        phases: s.seconds,
        runs: runs.map((r) => ({
          wallSeconds: r.wallSeconds,
          cpuSeconds: r.cpuSeconds,
          peakMiB: r.peakMiB,
          freshPages: r.freshPages,
          phases: r.summary.seconds,
        })),
      },
      ratio,
      ratios,
      cpuRatio: cpuSeconds === null ? null : round(cpuSeconds / jieba.cpuSeconds),
      targets,
      import: imported,
      host,
      freshMemory,
      targetsMet: {
        wall: wallSeconds <= targets.wallSeconds,
        memory: peakMiB <= targets.peakMiB,
        ratio: ratio <= targets.ratio,
      },
    };
    const mark = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
    console.warn(
      [
        `million: concord analyze over ${comments} comments on ${cpus().length} cores`,
        `  wall ${wallSeconds} s, median of ${runs.map((r) => r.wallSeconds).join(', ')} (target ≤ ${targets.wallSeconds}: ${mark(figures.targetsMet.wall)}), CPU ${cpuSeconds ?? '?'} s`,
        `  peak ${peakMiB} MiB (${run.peakSource}; target ≤ ${targets.peakMiB}: ${mark(figures.targetsMet.memory)})`,
        `  jieba alone ${jiebaRuns.map((r) => r.wallSeconds).join(', ')} s wall (before, between and after), median CPU ${jieba.cpuSeconds} s`,
        `  ratio analyze/jieba ${ratio}, median of ${ratios.join(', ')} (each run over the jieba runs around it; target ≤ ${targets.ratio}: ${mark(figures.targetsMet.ratio)}), CPU ratio ${figures.cpuRatio ?? '?'}`,
        `  clusters ${s.clusters} holding ${s.clusteredRecords} comments; largest ${s.largestClusters.join(', ')}; sizes ${JSON.stringify(s.clusterSizes)}`,
        `  concord import comments into SQLite: ${imported.wallSeconds} s wall (target ≤ ${imported.target.wallSeconds}: ${mark(imported.targetMet)}), CPU ${imported.cpuSeconds ?? '?'} s, peak ${imported.peakMiB ?? '?'} MiB, database ${imported.databaseMiB} MiB, ${imported.imported} opinions in ${imported.clusters} clusters`,
        `  the round's analysis job afterwards: ${imported.roundJob.wallSeconds} s wall, the server's longest stall ${imported.roundJob.longestStallMs} ms`,
        `  the same job again, nothing new: ${imported.roundJobAgain.wallSeconds} s wall, the server's longest stall ${imported.roundJobAgain.longestStallMs} ms`,
        `  the host: ${host.freshMemoryMsPerGiB} ms to touch each page of a fresh GiB; pages touched fresh: concord analyze ${freshMemory.analyzePages ?? '?'} (about ${freshMemory.analyzeSeconds ?? '?'} s of CPU at that price), jieba alone ${jiebaPages} (about ${freshMemory.jiebaSeconds} s)`,
      ].join('\n'),
    );
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const dir = process.env.CONCORD_FIXTURES ?? new URL('../../shared/fixtures/', import.meta.url).pathname;
  const comments = Number(process.env.CONCORD_BENCH_COMMENTS ?? 1_000_000);
  const rounds = Number(process.env.CONCORD_BENCH_ROUNDS ?? DEFAULT_ROUNDS);
  const figures = await benchAnalysisMillion(dir, { comments, rounds });
  if (figures === null) {
    console.error(`fixtures absent at ${dir}`);
    process.exitCode = 1;
  } else {
    console.log(JSON.stringify(figures, null, 2));
  }
}
