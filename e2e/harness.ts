import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { loadConfig } from '../src/server/config.ts';
import type { RunningServer } from '../src/server/main.ts';
import { startServer } from '../src/server/main.ts';
import type { Role } from '../src/server/db/schema.ts';
import { CLI_ACTOR } from '../src/server/services/context.ts';
import { createServices } from '../src/server/services/index.ts';
import { ensureWebBuilt, PROJECT_ROOT } from '../src/server/web-build.ts';
import { systemFileAvailable } from '../test/system-files.ts';

/** Debian's Chromium (apt-get install chromium), or CONCORD_CHROMIUM. */
export const CHROMIUM = process.env.CONCORD_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(PROJECT_ROOT, 'e2e', 'screenshots');

/** Browser tests run where Chromium is installed (apt-get install chromium). */
export const browserAvailable = (): boolean =>
  systemFileAvailable(CHROMIUM, { installWith: 'apt-get install -y chromium', tests: 'the browser tests' });

export interface E2E {
  server: RunningServer;
  browser: Browser;
  url: string;
  admin: { login: string; password: string };
  /** A browser context that is closed with the rest. */
  newContext(options: BrowserContextOptions): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** The built app on a fresh SQLite database, served on a free port, and a headless Chromium. */
export async function startE2E(): Promise<E2E> {
  await ensureWebBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'concord-e2e-'));
  const server = await startServer(
    loadConfig({
      CONCORD_DATABASE_URL: `sqlite:${join(dir, 'concord.db')}`,
      PORT: '0',
      HOST: '127.0.0.1',
      CONCORD_LOG_LEVEL: 'warn',
    }),
  );
  const browser = await chromium.launch({
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
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    url: server.url.replace('localhost', '127.0.0.1'),
    admin: server.firstAdmin!,
    async newContext(options) {
      // Without animations, a popup is gone once closed: none lingers to take the next click.
      const context = await browser.newContext({ reducedMotion: 'reduce', ...options });
      contexts.push(context);
      return context;
    },
    async close() {
      await Promise.all(contexts.map((c) => c.close()));
      await browser.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new account with a one-time password, as an administrator would create it. */
export async function createAccount(
  e2e: E2E,
  options: { roles: Role[]; unitId?: string | null; name?: string },
): Promise<{ login: string; password: string }> {
  const services = createServices({ database: e2e.server.database, config: loadConfig({}) });
  const login = `user-${randomBytes(3).toString('hex')}`;
  const password = `one-time-${randomBytes(4).toString('hex')}`;
  await services.users.createUser(CLI_ACTOR, {
    login,
    name: options.name ?? login,
    roles: options.roles,
    unitId: options.unitId ?? null,
    password,
    mustChangePassword: true,
  });
  return { login, password };
}

/** Saves a screenshot of the page under e2e/screenshots/ (not committed). */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
