import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/server/db/database.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

const sizeOf = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

describe('SQLite checkpoints on a thread of their own', () => {
  it('moves committed pages from the log into the file without the writer, and empties the log on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'concord-ckpt-'));
    dirs.push(dir);
    const path = join(dir, 'db.sqlite');
    const database = openDatabase(`sqlite:${path}`, { backgroundCheckpoint: true });
    await sql`create table t (id integer primary key, body text)`.execute(database.db);
    const body = 'x'.repeat(1000);
    await database.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 4000; i++) {
        await sql`insert into t (body) values (${body})`.execute(tx);
      }
    });
    // Committed: in the log, and (no checkpoint by the writer) not yet in the file.
    expect(sizeOf(`${path}-wal`)).toBeGreaterThan(4_000_000);
    const started = Date.now();
    while (sizeOf(path) < 4_000_000 && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(sizeOf(path)).toBeGreaterThan(4_000_000);
    const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(database.db);
    expect(rows[0]!.n).toBe(4000);
    await database.close();
    expect(sizeOf(`${path}-wal`)).toBe(0);
  });
});
