/**
 * The shared real-world fixtures live beside the checkout (../shared/fixtures), not in the project; a
 * machine without them skips the tests that need them and says so. CONCORD_FIXTURES points elsewhere.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportedDocument } from '../src/documents/read-document.ts';
import { importDraftDocument } from '../src/documents/read-document.ts';

/** Absolute path of the fixtures folder (env CONCORD_FIXTURES, else ../shared/fixtures beside the project). */
export function fixturesDir(): string {
  const fromEnv = process.env.CONCORD_FIXTURES;
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return resolve(fromEnv);
  }
  return fileURLToPath(new URL('../../shared/fixtures/', import.meta.url));
}

export function fixturePath(relPath: string): string {
  return join(fixturesDir(), relPath);
}

/** True when the fixtures folder (or the given file or folder inside it) exists. */
export function fixturesAvailable(relPath = ''): boolean {
  return existsSync(fixturePath(relPath));
}

export function readFixture(relPath: string): Buffer {
  return readFileSync(fixturePath(relPath));
}

/** Files of a fixtures sub-folder whose name ends with `suffix`, sorted; [] when absent. */
export function listFixtures(subdir: string, suffix = ''): string[] {
  const dir = fixturePath(subdir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return [];
  }
  return readdirSync(dir)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => join(subdir, name));
}

/** Reads and parses a fixture draft through the real import pipeline. */
export async function importFixture(relPath: string): Promise<ImportedDocument> {
  const fileName = relPath.split('/').at(-1) ?? relPath;
  return importDraftDocument({ fileName, data: readFixture(relPath) });
}

/** Call at the top of a test file: prints why its fixture tests are skipped on a machine without them. */
export function warnIfFixturesAbsent(what: string, relPath = ''): boolean {
  const available = fixturesAvailable(relPath);
  if (!available) {
    console.warn(`fixtures absent (${fixturePath(relPath)}): skipped ${what}`);
  }
  return available;
}
