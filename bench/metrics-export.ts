import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/server/config.ts';
import type { Dialect } from '../src/server/db/database.ts';
import { openDatabase } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { createServices } from '../src/server/services/index.ts';
import { createBenchRound, fillRound, freshDatabaseUrl } from './fixtures.ts';

/*
 * The §5 metrics of a round of `metricsOpinions` submitted opinions (~30 units over three levels, ~60%
 * approved dispositions), median of 3 runs; and the export of a round of `exportOpinions` opinions as the
 * opinions .xlsx and the dispositions .docx.
 */

export interface MetricsExportFigures {
  setup: {
    opinions: number;
    dispositions: number;
    approvedDispositions: number;
    /** Opinions, dispositions, feedback responses and objections inserted. */
    rows: number;
    insertSeconds: number;
    rowsPerSecond: number;
  };
  metrics: { opinions: number; units: number; runsMs: number[]; medianMs: number };
  export: {
    rows: number;
    opinionsXlsx: { ms: number; bytes: number };
    dispositionsDocx: { ms: number; bytes: number };
  };
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (start: number): number => Number((performance.now() - start).toFixed(1));

export async function benchMetricsExport(
  dialect: Dialect,
  dir: string,
  options: { metricsOpinions: number; exportOpinions: number; units: number },
): Promise<MetricsExportFigures | null> {
  const url = await freshDatabaseUrl(
    dialect,
    dir,
    dialect === 'sqlite' ? 'metrics' : 'concord_bench_metrics',
  );
  if (!url) {
    return null;
  }
  const database = openDatabase(url);
  try {
    await migrateToLatest(database);
    const services = createServices({ database, config: loadConfig({ CONCORD_DATABASE_URL: url }) });

    const big = await createBenchRound(database, {
      units: options.units,
      articles: 200,
      status: 'feedback',
      title: '第一轮征求意见',
    });
    const filled = await fillRound(database, big, { opinions: options.metricsOpinions, seed: 1 });
    if (dialect === 'postgres') {
      // Fresh bulk-loaded tables: give the planner statistics, as autovacuum would shortly.
      await database.pgPool!.query('analyze');
    }
    const runsMs: number[] = [];
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      const metrics = await services.metrics.roundMetrics(big.organizer, big.roundId);
      runsMs.push(ms(start));
      if (metrics.counts.opinions !== options.metricsOpinions) {
        throw new Error(
          `metrics counted ${metrics.counts.opinions} opinions, ${options.metricsOpinions} inserted`,
        );
      }
    }

    const small = await createBenchRound(database, {
      units: options.units,
      articles: 200,
      status: 'feedback',
      title: '第二轮征求意见',
    });
    await fillRound(database, small, { opinions: options.exportOpinions, seed: 2 });
    if (dialect === 'postgres') {
      await database.pgPool!.query('analyze');
    }
    let start = performance.now();
    const xlsx = await services.exports.exportRound(small.organizer, {
      roundId: small.roundId,
      kind: 'opinions',
      format: 'xlsx',
    });
    const xlsxMs = ms(start);
    start = performance.now();
    const docx = await services.exports.exportRound(small.organizer, {
      roundId: small.roundId,
      kind: 'dispositions',
      format: 'docx',
    });
    const docxMs = ms(start);

    return {
      setup: {
        opinions: filled.opinions,
        dispositions: filled.dispositions,
        approvedDispositions: filled.approved,
        rows: filled.rows,
        insertSeconds: Number(filled.seconds.toFixed(2)),
        rowsPerSecond: Math.round(filled.rows / filled.seconds),
      },
      metrics: { opinions: options.metricsOpinions, units: options.units, runsMs, medianMs: median(runsMs) },
      export: {
        rows: options.exportOpinions,
        opinionsXlsx: { ms: xlsxMs, bytes: xlsx.data.length },
        dispositionsDocx: { ms: docxMs, bytes: docx.data.length },
      },
    };
  } finally {
    await database.close();
    if (dialect === 'sqlite') {
      // 110,000 opinions make a large file: keep data/bench small between runs.
      const path = url.slice('sqlite:'.length);
      for (const suffix of ['', '-wal', '-shm']) {
        rmSync(`${path}${suffix}`, { force: true });
      }
    }
  }
}
