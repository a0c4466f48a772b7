/**
 * The shared real-world fixtures live beside the checkout (../shared/fixtures), not in the project; a
 * machine without them skips the tests that need them and says so. CONCORD_FIXTURES points elsewhere.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportedDocument } from '../src/documents/read-document.ts';
import { importDraftDocument } from '../src/documents/read-document.ts';
import type { Block, FlatClause } from '../src/domain/clause.ts';
import { flattenClauses } from '../src/domain/clause.ts';
import { parseClauses } from '../src/domain/clause-parser.ts';

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

/** The same local regulation before and after its revision: the real pair for matching and diffing. */
export const SHANGHAI_2020 = 'drafts/上海市优化营商环境条例(2020-04-10).md';
export const SHANGHAI_2024 = 'drafts/上海市优化营商环境条例(2024-09-27).md';

/** Clauses of a small document written line by line, one paragraph a line. */
export function clausesOfLines(text: string): FlatClause[] {
  const blocks: Block[] = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => ({ type: 'paragraph', text: line }));
  return flattenClauses(parseClauses(blocks));
}
