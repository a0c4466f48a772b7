import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe } from 'vitest';
import type { Database, Dialect } from '../src/server/db/database.ts';
import { createTestDatabase, testDialects } from './db.ts';

const BIN = new URL('../bin/concord.js', import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: <T = Record<string, unknown>>() => T;
}

/** Runs `concord …` in a child process against the given database. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: { ...process.env, ...env, CONCORD_LOG_LEVEL: 'warn' },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T });
      },
    );
  });
}

export interface CliDatabase {
  url: string;
  /** Open for direct inspection in the test (SQLite: the same file). */
  database: Database | null;
}

/** A fresh database per test that a child process can reach: a SQLite file or a PostgreSQL database. */
export function describeCli(name: string, body: (target: () => CliDatabase, dialect: Dialect) => void): void {
  describe.each(testDialects())(`${name} [%s]`, (dialect) => {
    let target: CliDatabase | null = null;
    let cleanup: () => Promise<void> = () => Promise.resolve();
    beforeEach(async () => {
      if (dialect === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'concord-cli-'));
        target = { url: `sqlite:${join(dir, 'concord.db')}`, database: null };
        cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
      } else {
        const database = await createTestDatabase('postgres');
        target = { url: database.url, database };
        cleanup = () => database.close();
      }
    });
    afterEach(async () => {
      await cleanup();
      target = null;
    });
    body(() => {
      if (!target) {
        throw new Error('used outside a test');
      }
      return target;
    }, dialect);
  });
}
