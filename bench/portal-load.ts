import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { API_PREFIX, buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import type { Database } from '../src/server/db/database.ts';
import { openDatabase } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { createServices } from '../src/server/services/index.ts';
import { createBenchRound, freshDatabaseUrl } from './fixtures.ts';
import type { PortalLoadRequest, PortalLoadResult } from './portal-load-client.ts';

/*
 * The public comment portal under load, on SQLite: the real HTTP application on a fresh database file, a
 * public round under post-moderation (every comment becomes an opinion with its analysis queued at once,
 * the heavier path), CAPTCHA off, the default limits per address. A separate process sends comments at the
 * target rate from many addresses, and one abusive address beyond its limit. Afterwards every accepted
 * comment must be a row (counted and matched by receipt number), the honest traffic must have met no 429
 * and the abusive address no more than its limit. The job worker does not run: the analysis backlog is
 * what the queue holds afterwards, reported, not measured against the intake.
 */

export interface PortalLoadFigures {
  targetPerSecond: number;
  seconds: number;
  sent: number;
  accepted: number;
  acceptedPerSecond: number;
  errors: number;
  honestRateLimited: number;
  latencyMs: PortalLoadResult['honest']['latencyMs'];
  throttledSends: number;
  commentRows: number;
  opinionRows: number;
  lost: number;
  unknownReceipts: number;
  abusive: { sent: number; accepted: number; rateLimited: number; allowedAtMost: number; p99Ms: number };
  queuedAnalysisJobs: number;
  firstError?: string;
}

function runClient(request: PortalLoadRequest): Promise<PortalLoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./portal-load-client.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
    });
    let settled = false;
    child.on('message', (message: { ok: boolean; result?: PortalLoadResult; error?: string }) => {
      settled = true;
      if (message.ok && message.result) {
        resolve(message.result);
      } else {
        reject(new Error(`portal load client failed: ${message.error}`));
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!settled) {
        reject(new Error(`portal load client exited with ${code} before reporting`));
      }
    });
    child.send(request);
  });
}

async function countRows(
  database: Database,
  table: 'portal_comment' | 'opinion',
  roundId: string,
): Promise<number> {
  const row = await database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('round_id', '=', roundId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function benchPortalLoad(
  dir: string,
  options: { rate: number; seconds: number; maxInFlight: number },
): Promise<PortalLoadFigures> {
  const url = (await freshDatabaseUrl('sqlite', dir, 'portal'))!;
  const config = loadConfig({
    CONCORD_DATABASE_URL: url,
    PORT: '0',
    HOST: '127.0.0.1',
    CONCORD_PORTAL_CAPTCHA: 'off',
    CONCORD_LOG_LEVEL: process.env.BENCH_HTTP_LOG_LEVEL ?? 'warn',
  });
  // As the server opens it.
  const database = openDatabase(url, { backgroundCheckpoint: true });
  let app: FastifyInstance | null = null;
  try {
    await migrateToLatest(database);
    const services = createServices({ database, config });
    app = await buildApp({ services, logger: { level: config.logLevel } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    const round = await createBenchRound(database, {
      units: 0,
      articles: 40,
      status: 'open',
      title: '公开征求意见',
    });
    const now = Date.now();
    await database.db
      .updateTable('round')
      .set({
        kind: 'public',
        opens_at: new Date(now - 86400_000).toISOString(),
        closes_at: new Date(now + 30 * 86400_000).toISOString(),
      })
      .where('id', '=', round.roundId)
      .execute();
    const stamp = new Date(now).toISOString();
    await database.db
      .insertInto('portal_round')
      .values({
        round_id: round.roundId,
        moderation: 'post',
        summary: null,
        summary_published_at: null,
        summary_published_by: null,
        created_at: stamp,
        updated_at: stamp,
      })
      .execute();

    const load = await runClient({
      port,
      path: `${API_PREFIX}/public/rounds/${round.roundId}/comments`,
      clauseStableIds: round.articles.map((a) => a.stableId),
      rate: options.rate,
      seconds: options.seconds,
      // Under the per-minute limit whatever minute windows the run spans.
      perAddress: Math.max(1, Math.floor(config.portalRatePerMinute / 2)),
      maxInFlight: options.maxInFlight,
      abusiveRate: 20,
    });

    const commentRows = await countRows(database, 'portal_comment', round.roundId);
    const opinionRows = await countRows(database, 'opinion', round.roundId);
    const stored = new Set<string>();
    const rows = await database.db
      .selectFrom('portal_comment')
      .select('receipt_no')
      .where('round_id', '=', round.roundId)
      .execute();
    for (const row of rows) {
      stored.add(row.receipt_no);
    }
    const receipts = [...load.honest.receipts, ...load.abusive.receipts];
    const missing = receipts.filter((r) => !stored.has(r)).length;
    const jobs = await database.db
      .selectFrom('job')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('kind', '=', 'analysis.opinion')
      .executeTakeFirstOrThrow();
    const honestAccepted = load.honest.statuses['201'] ?? 0;
    const abusiveAccepted = load.abusive.statuses['201'] ?? 0;
    // The run may span minute windows: the limit holds per window started.
    const windows = Math.ceil(load.seconds / 60) + 1;
    const firstError = load.honest.firstError ?? load.abusive.firstError;
    return {
      targetPerSecond: options.rate,
      seconds: load.seconds,
      sent: load.honest.sent,
      accepted: honestAccepted,
      acceptedPerSecond: Math.round(honestAccepted / load.seconds),
      errors: load.honest.sent - honestAccepted,
      honestRateLimited: load.honest.statuses['429'] ?? 0,
      latencyMs: load.honest.latencyMs,
      throttledSends: load.throttledSends,
      commentRows,
      opinionRows,
      // Accepted but not in the database; and rows beyond what was accepted.
      lost: missing,
      unknownReceipts: commentRows - (receipts.length - missing),
      abusive: {
        sent: load.abusive.sent,
        accepted: abusiveAccepted,
        rateLimited: load.abusive.statuses['429'] ?? 0,
        allowedAtMost: Math.min(config.portalRatePerMinute * windows, config.portalRatePerDay),
        p99Ms: load.abusive.latencyMs.p99,
      },
      queuedAnalysisJobs: Number(jobs.n),
      ...(firstError ? { firstError } : {}),
    };
  } finally {
    await app?.close();
    await database.close();
    // Tens of thousands of comments: the file is not kept once counted.
    const path = url.slice('sqlite:'.length);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      rmSync(file, { force: true });
    }
  }
}
