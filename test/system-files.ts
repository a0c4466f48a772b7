import { existsSync } from 'node:fs';

/**
 * Whether a file the system provides (a browser, a font) is installed, for tests that need it: they run
 * where it is; in CI it must be (.ci/run installs it), so its absence fails there; elsewhere they are
 * skipped with a notice naming what is skipped.
 */
export function systemFileAvailable(path: string, what: { installWith: string; tests: string }): boolean {
  if (existsSync(path)) {
    return true;
  }
  if (process.env.CI === 'true') {
    throw new Error(`${path} is required in CI (${what.installWith})`);
  }
  console.warn(`⚠ ${path} not found: ${what.tests} are SKIPPED`);
  return false;
}
