import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/server/db/database.ts';
import type { Database } from '../src/server/db/database.ts';
import type { AccessMode } from '../src/server/db/sole-access.ts';
import { withSoleAccess } from '../src/server/db/sole-access.ts';

const dirs: string[] = [];
const open: { close: () => unknown }[] = [];
afterEach(async () => {
  for (const handle of open.splice(0).reverse()) {
    await handle.close();
  }
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A database file with a table `t` of `rows` rows, opened as Concord opens it. */
async function databaseFile(rows = 3): Promise<{ database: Database; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'concord-sole-'));
  dirs.push(dir);
  const path = join(dir, 'concord.db');
  const database = openDatabase(`sqlite:${path}`);
  open.push(database);
  await sql`create table t (id integer primary key, body text not null)`.execute(database.db);
  for (let i = 0; i < rows; i++) {
    await sql`insert into t (body) values (${`row ${i}`})`.execute(database.db);
  }
  return { database, path };
}

/** Another connection to the file, as another process would open it (no waiting for locks). */
function otherConnection(path: string): SQLite.Database {
  const connection = new SQLite(path, { timeout: 0 });
  open.push(connection);
  return connection;
}

const count = (connection: SQLite.Database): number =>
  (connection.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;

const journalOf = (database: Database): unknown => database.sqlite!.pragma('journal_mode', { simple: true });

async function insertMany(database: Database, n: number): Promise<void> {
  await database.db.transaction().execute(async (tx) => {
    for (let i = 0; i < n; i++) {
      await sql`insert into t (body) values (${`bulk ${i}`})`.execute(tx);
    }
  });
}

describe('sole access to an SQLite file for a bulk write', () => {
  it('writes without the log when nothing else has the file open, and shares it again after', async () => {
    const { database, path } = await databaseFile();
    let during: { mode: AccessMode; journal: unknown; others: string } | null = null;
    const result = await withSoleAccess(database, async (mode) => {
      await insertMany(database, 500);
      let others = 'read';
      try {
        count(new SQLite(path, { timeout: 0 }));
      } catch (error) {
        others = (error as { code: string }).code;
      }
      during = { mode, journal: journalOf(database), others };
      return 'done';
    });
    expect(result).toBe('done');
    expect(during).toEqual({ mode: 'sole', journal: 'delete', others: 'SQLITE_BUSY' });
    // Shared again: the log is back, and another connection reads and writes beside this one.
    expect(journalOf(database)).toBe('wal');
    const other = otherConnection(path);
    expect(count(other)).toBe(503);
    other.prepare('INSERT INTO t (body) VALUES (?)').run('from another');
    const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(database.db);
    expect(rows[0]!.n).toBe(504);
  });

  it('writes through the log, at once and beside them, when another connection has the file open', async () => {
    const { database, path } = await databaseFile();
    // A connection that has read the file (as a running server has) keeps its share of the log.
    const other = otherConnection(path);
    expect(count(other)).toBe(3);
    const timeout = database.sqlite!.pragma('busy_timeout', { simple: true });
    const seen = await withSoleAccess(database, async (mode) => {
      // The other connection reads what was committed before, while this one writes.
      const before = count(other);
      await insertMany(database, 50);
      return { mode, journal: journalOf(database), before, after: count(other) };
    });
    expect(seen).toEqual({ mode: 'shared', journal: 'wal', before: 3, after: 53 });
    expect(database.sqlite!.pragma('busy_timeout', { simple: true })).toBe(timeout);
    expect(database.sqlite!.pragma('locking_mode', { simple: true })).toBe('normal');
  });

  it('takes back a failed bulk write whole, and shares the file again', async () => {
    const { database, path } = await databaseFile(10);
    // Enough rows that SQLite writes pages to the file before the transaction fails.
    database.sqlite!.pragma('cache_size = 20');
    await expect(
      withSoleAccess(database, async (mode) => {
        expect(mode).toBe('sole');
        await database.db.transaction().execute(async (tx) => {
          await sql`update t set body = ${'changed'}`.execute(tx);
          for (let i = 0; i < 3000; i++) {
            await sql`insert into t (body) values (${`bulk ${i} ${'x'.repeat(200)}`})`.execute(tx);
          }
          throw new Error('the import failed half-way');
        });
      }),
    ).rejects.toThrow('the import failed half-way');
    expect(journalOf(database)).toBe('wal');
    const other = otherConnection(path);
    expect(count(other)).toBe(10);
    const changed = other.prepare("SELECT count(*) AS n FROM t WHERE body = 'changed'").get() as {
      n: number;
    };
    expect(changed.n).toBe(0);
  });

  it('leaves an in-memory database as it is', async () => {
    const database = openDatabase('sqlite::memory:');
    open.push(database);
    const mode = await withSoleAccess(database, async (given) => given);
    expect(mode).toBe('shared');
    expect(journalOf(database)).toBe('memory');
  });
});
