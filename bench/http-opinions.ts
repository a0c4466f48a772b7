import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { API_PREFIX } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import type { Dialect } from '../src/server/db/database.ts';
import { startServer } from '../src/server/main.ts';
import { createBenchRound, freshDatabaseUrl } from './fixtures.ts';
import type { LoadRequest, LoadResult } from './load-client.ts';

/*
 * Opinion intake through the real server: startServer on a fresh database, an open round with one invited
 * unit, its liaison signs in and creates an API token (so no CSRF), then `concurrency` clients POST valid
 * opinions for BENCH_HTTP_SECONDS from a separate process. Afterwards every 201 must be a row.
 */

export interface HttpFigures {
  concurrency: number;
  seconds: number;
  requests: number;
  created: number;
  errors: number;
  requestsPerSecond: number;
  latencyMs: LoadResult['latencyMs'];
  opinionRows: number;
  lost: number;
  firstError?: string;
}

async function json(response: Response): Promise<Record<string, unknown>> {
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) {
    throw new Error(`${response.url}: ${response.status} ${JSON.stringify(body)}`);
  }
  return body;
}

/** Signs in through the API and creates an API token there, as a script's owner would. */
async function apiToken(base: string, login: string, password: string): Promise<string> {
  const signIn = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  const cookies = signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  const { csrfToken } = await json(signIn);
  const created = await json(
    await fetch(`${base}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cookies, 'x-csrf-token': String(csrfToken) },
      body: JSON.stringify({ name: 'bench' }),
    }),
  );
  return String(created.token);
}

function runLoad(request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./load-client.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
    });
    let settled = false;
    child.on('message', (message: { ok: boolean; result?: LoadResult; error?: string }) => {
      settled = true;
      if (message.ok && message.result) {
        resolve(message.result);
      } else {
        reject(new Error(`load client failed: ${message.error}`));
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!settled) {
        reject(new Error(`load client exited with ${code} before reporting`));
      }
    });
    child.send(request);
  });
}

export async function benchHttpOpinions(
  dialect: Dialect,
  dir: string,
  options: { seconds: number; concurrency: number; maxRequests: number },
): Promise<HttpFigures | null> {
  const url = await freshDatabaseUrl(dialect, dir, dialect === 'sqlite' ? 'http' : 'concord_bench_http');
  if (!url) {
    return null;
  }
  const server = await startServer(
    loadConfig({
      CONCORD_DATABASE_URL: url,
      PORT: '0',
      HOST: '127.0.0.1',
      // Per-request info logs would measure the terminal; warnings and errors still show.
      CONCORD_LOG_LEVEL: process.env.BENCH_HTTP_LOG_LEVEL ?? 'warn',
    }),
  );
  try {
    const address = server.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const base = `http://127.0.0.1:${port}${API_PREFIX}`;
    const round = await createBenchRound(server.database, {
      units: 1,
      articles: 40,
      status: 'open',
      title: '第一轮征求意见',
    });
    const liaison = round.units[0]!.liaison;
    const token = await apiToken(base, liaison.login, liaison.password);
    const path = `${API_PREFIX}/rounds/${round.roundId}/opinions`;
    // One request first: the unit's invitation moves to drafting on its first opinion.
    await json(
      await fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          clauseStableId: round.articles[0]!.stableId,
          suggestion: '建议将“达到15%”修改为“达到12%”，与全省产业基础相适应。',
          reasons: '2025年全省核心产业增加值占比约为9.8%，年均提高1个百分点以上难度较大。',
          kind: 'substantive',
        }),
      }),
    );
    const load = await runLoad({
      port,
      path,
      token,
      clauseStableIds: round.articles.map((a) => a.stableId),
      concurrency: options.concurrency,
      seconds: options.seconds,
      maxRequests: options.maxRequests,
    });
    const counted = await server.database.db
      .selectFrom('opinion')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('round_id', '=', round.roundId)
      .executeTakeFirstOrThrow();
    const opinionRows = Number(counted.n);
    const errors = load.sent - load.created;
    return {
      concurrency: options.concurrency,
      seconds: load.seconds,
      requests: load.sent,
      created: load.created,
      errors,
      requestsPerSecond: load.requestsPerSecond,
      latencyMs: load.latencyMs,
      opinionRows,
      // The warm-up request's row is the one more.
      lost: load.created + 1 - opinionRows,
      ...(load.firstError ? { firstError: load.firstError } : {}),
    };
  } finally {
    await server.stop();
  }
}
