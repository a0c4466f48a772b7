import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { chromium } from 'playwright-core';
import { loadConfig } from '../src/server/config.ts';
import type { Role } from '../src/server/db/schema.ts';
import type { RunningServer } from '../src/server/main.ts';
import { startServer } from '../src/server/main.ts';
import { CLI_ACTOR } from '../src/server/services/context.ts';
import { createServices } from '../src/server/services/index.ts';
import { ensureWebBuilt } from '../src/server/web-build.ts';
import { createBenchRound, fillRound, freshDatabaseUrl } from './fixtures.ts';

/*
 * The web app in headless Chromium (Debian's, as the browser tests use): the gzip size of the JavaScript
 * the sign-in page and the liaison's reply page load, and the time from navigation to the first rows of the
 * organizer's opinion table for a round of `opinions` opinions (median of 3 loads), against the built app
 * served by a real server on a SQLite database filled like bench/metrics-export.ts fills it.
 */

export const CHROMIUM = process.env.CONCORD_CHROMIUM ?? '/usr/bin/chromium';

export interface PageScripts {
  /** Script responses the page loaded (lazy route chunks included). */
  scripts: number;
  bytes: number;
  gzipBytes: number;
}

export interface WebFigures {
  /**
   * False when the served build is a development one (antd's `css-dev-only` class names): a build made in a
   * process with NODE_ENV set otherwise (vitest sets `test`) bundles React's and antd's development code.
   */
  productionBuild: boolean;
  signInPage: PageScripts;
  replyPage: PageScripts;
  opinionTable: {
    opinions: number;
    insertSeconds: number;
    /** Navigation to /rounds/:id, a click on the 意见 tab, until the table shows its first rows. */
    firstRowsMs: number[];
    medianMs: number;
  };
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const TIMEOUT = 60_000;
/** The organizer's opinion table (RoundPage, the 意见 tab): the body rows of the page's only virtual table. */
const OPINION_ROWS = '.ant-table-tbody-virtual .ant-table-row';

/** Sums the script responses of a page as they arrive: raw bytes and each body gzip-compressed. */
function recordScripts(page: Page): () => Promise<PageScripts> {
  const pending: Promise<{ bytes: number; gzipBytes: number } | null>[] = [];
  const measure = async (response: Response) => {
    const type = response.request().resourceType();
    const isScript =
      type === 'script' ||
      /javascript/.test(response.headers()['content-type'] ?? '') ||
      /\.m?js$/.test(new URL(response.url()).pathname);
    if (!isScript || response.status() !== 200) {
      return null;
    }
    const body = await response.body();
    const encoding = response.headers()['content-encoding'];
    // The server compresses: what went over the wire is the compressed size.
    const wire = encoding === 'gzip' ? Number(response.headers()['content-length'] ?? NaN) : NaN;
    return { bytes: body.length, gzipBytes: Number.isFinite(wire) ? wire : gzipSync(body).length };
  };
  page.on('response', (response) => {
    pending.push(measure(response).catch(() => null));
  });
  return async () => {
    const seen = (await Promise.all(pending)).filter((s) => s !== null);
    return {
      scripts: seen.length,
      bytes: seen.reduce((n, s) => n + s.bytes, 0),
      gzipBytes: seen.reduce((n, s) => n + s.gzipBytes, 0),
    };
  };
}

async function signIn(context: BrowserContext, url: string, login: string, password: string): Promise<void> {
  // A GET first: the CSRF cookie is set on the first response.
  await context.request.get(`${url}/api/v1/auth/me`);
  const csrf = (await context.cookies(url)).find((c) => c.name === 'concord_csrf')?.value;
  const response = await context.request.post(`${url}/api/v1/auth/login`, {
    data: { login, password },
    headers: csrf ? { 'x-csrf-token': decodeURIComponent(csrf) } : {},
  });
  if (!response.ok()) {
    throw new Error(`sign-in of ${login} failed: ${response.status()} ${await response.text()}`);
  }
}

async function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
}

/** The scripts a page loads from a cold cache, until the network is idle after `ready` shows. */
async function scriptsOf(
  browser: Browser,
  url: string,
  ready: string,
  account?: { login: string; password: string },
): Promise<PageScripts & { productionBuild: boolean }> {
  const context = await newContext(browser);
  try {
    if (account) {
      await signIn(context, new URL(url).origin, account.login, account.password);
    }
    const page = await context.newPage();
    const done = recordScripts(page);
    await page.goto(url, { timeout: TIMEOUT });
    await page.waitForSelector(ready, { timeout: TIMEOUT });
    await page.waitForLoadState('networkidle', { timeout: TIMEOUT });
    const productionBuild = await page.evaluate(() => !document.querySelector('[class*="css-dev-only"]'));
    return { ...(await done()), productionBuild };
  } finally {
    await context.close();
  }
}

export async function benchWeb(dir: string, options: { opinions: number }): Promise<WebFigures | null> {
  if (!existsSync(CHROMIUM)) {
    console.warn(`Chromium not found at ${CHROMIUM}: the web benchmarks are skipped`);
    return null;
  }
  if (await ensureWebBuilt()) {
    console.warn('web app built (it was missing or stale)');
  }
  const url = (await freshDatabaseUrl('sqlite', dir, 'web'))!;
  let server: RunningServer | null = null;
  let browser: Browser | null = null;
  try {
    server = await startServer(
      loadConfig({ CONCORD_DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', CONCORD_LOG_LEVEL: 'warn' }),
    );
    const origin = server.url.replace('localhost', '127.0.0.1');
    const { database } = server;
    const services = createServices({ database, config: loadConfig({ CONCORD_DATABASE_URL: url }) });
    const account = async (roles: Role[], unitId: string | null) => {
      const login = `bench-${roles[0]}-${randomBytes(3).toString('hex')}`;
      const password = `Bench-${randomBytes(8).toString('hex')}`;
      await services.users.createUser(CLI_ACTOR, {
        login,
        name: login,
        roles,
        unitId,
        password,
        mustChangePassword: false,
      });
      return { login, password };
    };

    const big = await createBenchRound(database, {
      units: 30,
      articles: 200,
      status: 'assessing',
      title: '第一轮征求意见',
    });
    const filled = await fillRound(database, big, { opinions: options.opinions, seed: 1 });
    const small = await createBenchRound(database, {
      units: 3,
      articles: 200,
      status: 'open',
      title: '第二轮征求意见',
    });
    const plan = await database.db
      .selectFrom('plan')
      .select('owner_unit_id')
      .where('id', '=', big.planId)
      .executeTakeFirstOrThrow();
    const organizer = await account(['organizer'], plan.owner_unit_id);
    const liaison = await account(['liaison'], small.units[0]!.unitId);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const { productionBuild, ...signInPage } = await scriptsOf(browser, `${origin}/`, 'input[type=password]');
    if (!productionBuild) {
      console.warn(
        '⚠ dist/web is a development build: rebuild it with `npx vite build` for meaningful sizes',
      );
    }
    const { productionBuild: _, ...replyPage } = await scriptsOf(
      browser,
      `${origin}/invitations/${small.units[0]!.invitationId}`,
      '[data-testid=clause]',
      liaison,
    );

    const context = await newContext(browser);
    const firstRowsMs: number[] = [];
    try {
      await signIn(context, origin, organizer.login, organizer.password);
      for (let run = 0; run < 3; run++) {
        const page = await context.newPage();
        const start = performance.now();
        await page.goto(`${origin}/rounds/${big.roundId}`, { timeout: TIMEOUT });
        await page.getByRole('tab', { name: '意见', exact: true }).click({ timeout: TIMEOUT });
        await page.waitForSelector(OPINION_ROWS, { timeout: TIMEOUT });
        firstRowsMs.push(Number((performance.now() - start).toFixed(1)));
        // The rest of the 100,000 rows load in the background: leave them to the closed page.
        await page.close();
      }
    } finally {
      await context.close();
    }
    return {
      productionBuild,
      signInPage,
      replyPage,
      opinionTable: {
        opinions: filled.opinions,
        insertSeconds: Number(filled.seconds.toFixed(2)),
        firstRowsMs,
        medianMs: median(firstRowsMs),
      },
    };
  } finally {
    await browser?.close();
    await server?.stop();
    const path = url.slice('sqlite:'.length);
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(`${path}${suffix}`, { force: true });
    }
  }
}

// `npx tsx bench/web.ts`: the web figures alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = join(process.cwd(), 'data', 'bench');
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const figures = await benchWeb(dir, { opinions: Number(process.env.BENCH_WEB_OPINIONS ?? 100_000) });
  console.log(
    JSON.stringify({ web: figures, seconds: Math.round((performance.now() - started) / 1000) }, null, 2),
  );
}
