import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { importDraftDocument } from '../src/documents/read-document.ts';
import { flattenClauses } from '../src/domain/clause.ts';
import { loadConfig } from '../src/server/config.ts';
import type { Database, Dialect } from '../src/server/db/database.ts';
import { openDatabase, openSqlite } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { inTransaction } from '../src/server/db/executor.ts';
import { CLI_ACTOR } from '../src/server/services/context.ts';
import { createServices } from '../src/server/services/index.ts';
import { benchHttpOpinions } from './http-opinions.ts';
import { benchPortalLoad } from './portal-load.ts';
import { benchAnalysisClassify } from './analysis-classify.ts';
import { benchAnalysisDedupe } from './analysis-dedupe.ts';
import { DEFAULT_ROUNDS as DEFAULT_MILLION_ROUNDS, benchAnalysisMillion } from './analysis-million.ts';
import { benchMetricsExport } from './metrics-export.ts';
import { syntheticDraft } from './synthetic.ts';
import { benchWeb } from './web.ts';

const PG_URL = process.env.CONCORD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const FIXTURES = process.env.CONCORD_FIXTURES ?? new URL('../../shared/fixtures/', import.meta.url).pathname;

type Figures = Record<string, number | string>;

async function pgDatabase(): Promise<Database | null> {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  await admin.query('drop database if exists concord_bench with (force)');
  await admin.query('create database concord_bench');
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = '/concord_bench';
  return openDatabase(url.toString());
}

async function freshDatabase(dialect: Dialect, dir: string): Promise<Database | null> {
  const database =
    dialect === 'sqlite' ? openSqlite(new SQLite(join(dir, `bench-${Date.now()}.db`))) : await pgDatabase();
  if (database) {
    await migrateToLatest(database);
  }
  return database;
}

function drafts(): { name: string; data: Buffer }[] {
  const list = [
    {
      name: 'synthetic-1000-articles.md',
      data: Buffer.from(syntheticDraft({ chapters: 20, articlesPerChapter: 50 })),
    },
  ];
  const dir = join(FIXTURES, 'drafts');
  if (existsSync(dir)) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
      list.push({ name: file, data: readFileSync(join(dir, file)) });
    }
  } else {
    console.warn(`fixtures absent at ${dir}: benchmarking the synthetic draft only`);
  }
  return list;
}

async function benchParse(): Promise<Figures> {
  const files = drafts();
  const bytes = files.reduce((n, f) => n + f.data.length, 0);
  let clauses = 0;
  const rounds = 5;
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const file of files) {
      clauses += flattenClauses(await importDraftDocument({ fileName: file.name, data: file.data })).length;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    files: files.length,
    clausesPerSecond: Math.round(clauses / seconds),
    megabytesPerSecond: Number(((bytes * rounds) / 1e6 / seconds).toFixed(2)),
  };
}

async function benchImport(dialect: Dialect, dir: string): Promise<Figures | null> {
  const database = await freshDatabase(dialect, dir);
  if (!database) {
    return null;
  }
  try {
    const services = createServices({
      database,
      config: loadConfig({ CONCORD_DATABASE_URL: 'sqlite::memory:' }),
    });
    const plan = await services.plans.createPlan(CLI_ACTOR, { name: 'bench' });
    const versions = [0, 1, 2, 3].map((variant) =>
      Buffer.from(syntheticDraft({ chapters: 20, articlesPerChapter: 50, variant })),
    );
    let clauses = 0;
    const start = performance.now();
    for (const [i, data] of versions.entries()) {
      const result = await services.drafts.importVersion(CLI_ACTOR, {
        planId: plan.id,
        fileName: `v${i + 1}.md`,
        data,
      });
      clauses += result.version.clauseCount;
    }
    const seconds = (performance.now() - start) / 1000;
    return {
      versions: versions.length,
      clausesPerVersion: clauses / versions.length,
      versionsPerSecond: Number((versions.length / seconds).toFixed(2)),
      clausesPerSecond: Math.round(clauses / seconds),
    };
  } finally {
    await database.close();
  }
}

async function benchLedger(dialect: Dialect, dir: string, events: number): Promise<Figures | null> {
  const database = await freshDatabase(dialect, dir);
  if (!database) {
    return null;
  }
  try {
    const services = createServices({
      database,
      config: loadConfig({ CONCORD_DATABASE_URL: 'sqlite::memory:' }),
    });
    const payload = {
      planId: 'p',
      text: '建议将第十二条修改为：到2030年，全省数字经济核心产业增加值占比达到15%。',
    };
    // One event per transaction: the cost of a state change's ledger entry.
    const single = Math.min(events, 2000);
    let start = performance.now();
    for (let i = 0; i < single; i++) {
      await inTransaction(database, (tx) =>
        services.ledger.append(tx, {
          actor: 'bench',
          entity: 'opinion',
          id: `o${i}`,
          event: 'opinion.submitted',
          payload,
        }),
      );
    }
    const perTransaction = single / ((performance.now() - start) / 1000);
    // Many events per transaction: bulk work such as an import.
    start = performance.now();
    const batch = 500;
    for (let done = single; done < events; done += batch) {
      await inTransaction(database, async (tx) => {
        for (let i = 0; i < batch && done + i < events; i++) {
          await services.ledger.append(tx, {
            actor: 'bench',
            entity: 'opinion',
            id: `o${done + i}`,
            event: 'opinion.submitted',
            payload,
          });
        }
      });
    }
    const batched = (events - single) / ((performance.now() - start) / 1000);
    start = performance.now();
    const result = await services.ledger.verify();
    const verifySeconds = (performance.now() - start) / 1000;
    if (!result.ok || result.checked !== events) {
      throw new Error(`ledger verify failed in the benchmark: ${JSON.stringify(result)}`);
    }
    return {
      events,
      appendsPerSecondOnePerTransaction: Math.round(perTransaction),
      appendsPerSecondBatched: Math.round(batched),
      verifiedPerSecond: Math.round(events / verifySeconds),
    };
  } finally {
    await database.close();
  }
}

const SECTIONS = [
  'parse',
  'import',
  'ledger',
  'http',
  'portal',
  'metrics',
  'web',
  'analysis',
  'million',
] as const;
type Section = (typeof SECTIONS)[number];
const USAGE = `usage: npx tsx bench/run.ts [--only <section>[,<section>…]]

Runs the benchmarks and writes bench/results/*.json (latest.json only for a full run).
sections: ${SECTIONS.join(', ')}
  parse    draft parsing                      import   draft import (SQLite, PostgreSQL)
  ledger   ledger appends and verification    http     opinion intake over HTTP
  portal   public comments over HTTP at a target rate (SQLite), with one abusive address
  metrics  metrics and exports at scale       web      the web app in headless Chromium
  analysis stance, topics and near-duplicates on the real comment fixtures
  million  concord analyze over 1,000,000 synthetic comments, against jieba alone on both cores
environment: BENCH_LEDGER_EVENTS, BENCH_SKIP_HTTP=1, BENCH_HTTP_SECONDS, BENCH_HTTP_CONCURRENCY,
  BENCH_HTTP_MAX_REQUESTS, BENCH_METRICS_OPINIONS, BENCH_EXPORT_ROWS, BENCH_DEDUPE_TEXTS, CONCORD_WEB_BUILD,
  CONCORD_CHROMIUM, CONCORD_BENCH_COMMENTS (million: corpus size), CONCORD_BENCH_ROUNDS (million: analyze runs),
  BENCH_PORTAL_RATE, BENCH_PORTAL_SECONDS, BENCH_PORTAL_IN_FLIGHT`;

function parseArgs(argv: string[]): ReadonlySet<Section> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  const at = argv.indexOf('--only');
  if (at === -1) {
    return new Set(SECTIONS);
  }
  const names = (argv[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) {
    console.error(
      `--only takes one or more of ${SECTIONS.join(', ')}${unknown.length ? `, not ${unknown.join(', ')}` : ''}`,
    );
    process.exit(2);
  }
  return new Set(names as Section[]);
}

const only = parseArgs(process.argv.slice(2));
const full = only.size === SECTIONS.length;
const dir = join(process.cwd(), 'data', 'bench');
mkdirSync(dir, { recursive: true });
const events = Number(process.env.BENCH_LEDGER_EVENTS ?? 50_000);
const results: Record<string, unknown> = {
  at: new Date().toISOString(),
  node: process.version,
  ...(full ? {} : { only: [...only] }),
};
if (only.has('parse')) {
  results.parse = await benchParse();
}
for (const dialect of ['sqlite', 'postgres'] as const) {
  if (!only.has('import') && !only.has('ledger')) {
    break;
  }
  const imported = await benchImport(dialect, dir);
  if (!imported) {
    console.warn(`PostgreSQL not reachable at ${PG_URL}: skipped its benchmarks`);
    continue;
  }
  if (only.has('import')) {
    results[`draftImport.${dialect}`] = imported;
  }
  if (only.has('ledger')) {
    results[`ledger.${dialect}`] = await benchLedger(dialect, dir, events);
  }
}

// Consultation at scale: opinion intake through the HTTP API, metrics of a 100,000-opinion round, exports.
const skipHttp = process.env.BENCH_SKIP_HTTP === '1' || !only.has('http');
const http = {
  seconds: Number(process.env.BENCH_HTTP_SECONDS ?? 15),
  concurrency: Number(process.env.BENCH_HTTP_CONCURRENCY ?? 50),
  maxRequests: Number(process.env.BENCH_HTTP_MAX_REQUESTS ?? 200_000),
};
const scale = {
  metricsOpinions: Number(process.env.BENCH_METRICS_OPINIONS ?? 100_000),
  exportOpinions: Number(process.env.BENCH_EXPORT_ROWS ?? 10_000),
  units: 30,
};
const failures: string[] = [];
for (const dialect of ['sqlite', 'postgres'] as const) {
  if (!only.has('http') && !only.has('metrics')) {
    break;
  }
  if (skipHttp) {
    console.warn(`HTTP opinion intake on ${dialect} skipped`);
  } else {
    console.warn(`HTTP opinion intake on ${dialect}: ${http.concurrency} clients for ${http.seconds} s…`);
    const figures = await benchHttpOpinions(dialect, dir, http);
    if (!figures) {
      console.warn(`PostgreSQL not reachable at ${PG_URL}: HTTP opinion intake on PostgreSQL skipped`);
    } else {
      results[`httpOpinions.${dialect}`] = figures;
      if (figures.errors > 0 || figures.lost !== 0) {
        failures.push(
          `httpOpinions.${dialect}: ${figures.errors} errors, ${figures.lost} lost (${figures.firstError ?? ''})`,
        );
      }
    }
  }
  if (!only.has('metrics')) {
    continue;
  }
  console.warn(
    `metrics (${scale.metricsOpinions} opinions) and exports (${scale.exportOpinions} rows) on ${dialect}…`,
  );
  const figures = await benchMetricsExport(dialect, dir, scale);
  if (!figures) {
    console.warn(`PostgreSQL not reachable at ${PG_URL}: metrics and export on PostgreSQL skipped`);
  } else {
    results[`metricsExport.${dialect}`] = figures;
  }
}
// The public comment portal: comments a second from many addresses, none lost, one abusive address held.
if (only.has('portal')) {
  const portal = {
    rate: Number(process.env.BENCH_PORTAL_RATE ?? 2000),
    seconds: Number(process.env.BENCH_PORTAL_SECONDS ?? 60),
    maxInFlight: Number(process.env.BENCH_PORTAL_IN_FLIGHT ?? 256),
  };
  console.warn(`public portal on sqlite: ${portal.rate} comments/s for ${portal.seconds} s…`);
  const figures = await benchPortalLoad(dir, portal);
  results['portal.sqlite'] = figures;
  console.warn(
    `portal: ${figures.acceptedPerSecond}/s accepted of ${portal.rate}/s targeted, p99 ${figures.latencyMs.p99} ms, ` +
      `lost ${figures.lost}, abusive address ${figures.abusive.accepted} accepted / ${figures.abusive.rateLimited} refused`,
  );
  if (
    figures.lost !== 0 ||
    figures.unknownReceipts !== 0 ||
    figures.errors > 0 ||
    figures.abusive.accepted > figures.abusive.allowedAtMost
  ) {
    failures.push(
      `portal.sqlite: ${figures.errors} errors, ${figures.lost} lost, ${figures.unknownReceipts} unknown rows, abusive ${figures.abusive.accepted} accepted (${figures.firstError ?? ''})`,
    );
  }
}
// The web app in headless Chromium: JavaScript sizes, and the opinion table of a 100,000-opinion round.
if (only.has('web')) {
  console.warn(`web app in headless Chromium (opinion table of ${scale.metricsOpinions} opinions)…`);
  const web = await benchWeb(dir, { opinions: scale.metricsOpinions });
  if (web) {
    results.web = web;
  }
}
// Analysis on the real comment fixtures: stance and topics by cross-validation, segmentation speed.
if (only.has('analysis')) {
  console.warn('analysis: stance (5-fold) and few-label topics on NLPCC 2016…');
  const classify = benchAnalysisClassify(FIXTURES);
  if (classify) {
    results['analysis.classify'] = classify;
  } else {
    console.warn(`fixtures absent at ${FIXTURES}: analysis benchmarks skipped`);
  }
  console.warn('analysis: near-duplicates on STEM-OPT against exact all-pairs, and a synthetic corpus…');
  results['analysis.dedupe'] = benchAnalysisDedupe(FIXTURES, {
    syntheticTexts: Number(process.env.BENCH_DEDUPE_TEXTS ?? 200_000),
  });
}
// One million comments through `concord analyze`, against jieba alone segmenting the same texts.
if (only.has('million')) {
  const comments = Number(process.env.CONCORD_BENCH_COMMENTS ?? 1_000_000);
  console.warn(`million: concord analyze over ${comments} synthetic comments, and jieba alone…`);
  const rounds = Number(process.env.CONCORD_BENCH_ROUNDS ?? DEFAULT_MILLION_ROUNDS);
  const million = await benchAnalysisMillion(FIXTURES, { comments, rounds });
  if (million) {
    results['analysis.million'] = million;
  } else {
    console.warn(`fixtures absent at ${FIXTURES}: the million-comment benchmark skipped`);
  }
}
console.log(JSON.stringify(results, null, 2));
mkdirSync(join(process.cwd(), 'bench', 'results'), { recursive: true });
const file = join(
  process.cwd(),
  'bench',
  'results',
  `${full ? 'foundation' : [...only].join('-')}-${results.at as string}.json`.replaceAll(':', '-'),
);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
// A partial run does not stand for the whole set of figures.
if (full) {
  writeFileSync(
    join(process.cwd(), 'bench', 'results', 'latest.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  );
}
console.log(`written to ${file}`);
if (failures.length > 0) {
  console.error(`benchmark checks failed:\n${failures.join('\n')}`);
  process.exitCode = 1;
}
