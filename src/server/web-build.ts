import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, the web app's sources and its build. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_SOURCE = join(PROJECT_ROOT, 'src', 'web');
/** Where the app is built and served from; CONCORD_WEB_BUILD moves it (e.g. one build per checkout). */
export const WEB_BUILD = process.env.CONCORD_WEB_BUILD ?? join(PROJECT_ROOT, 'dist', 'web');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) {
    return stat.mtimeMs;
  }
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when the build is missing or older than any source of the web app. */
export function webBuildIsStale(): boolean {
  const index = join(WEB_BUILD, 'index.html');
  if (!existsSync(index)) {
    return true;
  }
  const sources = Math.max(newestMtime(WEB_SOURCE), newestMtime(join(PROJECT_ROOT, 'vite.config.ts')));
  return statSync(index).mtimeMs < sources;
}

/** Builds the web app with Vite when the build is missing or stale; returns whether it built. */
export async function ensureWebBuilt(onBuild?: () => void): Promise<boolean> {
  if (!existsSync(WEB_SOURCE) || !webBuildIsStale()) {
    return false;
  }
  onBuild?.();
  const { build } = await import('vite');
  // Always a production build: under a test runner NODE_ENV is 'test', which would bundle React's and
  // antd's development code (bigger and slower).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(PROJECT_ROOT, 'vite.config.ts'),
      root: WEB_SOURCE,
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: WEB_BUILD, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  return true;
}
