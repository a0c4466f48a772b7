import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database.ts';
import type { DB } from './schema.ts';

/** Anything a repository can run a statement on: the database or an open transaction. */
export type Executor = Kysely<DB> | Transaction<DB>;
export type Tx = Transaction<DB>;

/** Runs `fn` in one transaction: every multi-row change commits whole or not at all. */
export function inTransaction<T>(database: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return database.db.transaction().execute(fn);
}

/**
 * `inTransaction` for bulk writes whose references the writer answers for: rows it inserted first in
 * the same transaction, and rows it read, which it must look for again once it has written (then no other
 * writer can remove them before it commits).
 *
 * On SQLite foreign keys are not checked statement by statement while it runs: each check is a lookup
 * in the parent's index, and an update that sets a reference checks it twice (the old value and the
 * new), which costs more than the update itself. SQLite changes the setting only outside a transaction,
 * so it is changed on the connection held for the whole run, where no other statement can come between,
 * and put back after, whether `fn` succeeds or fails. PostgreSQL checks them as always.
 */
export function inBulkTransaction<T>(database: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const connection = database.sqlite;
  if (connection === null) {
    return inTransaction(database, fn);
  }
  return database.db.connection().execute(async (db) => {
    const checked = connection.pragma('foreign_keys', { simple: true }) as number;
    connection.pragma('foreign_keys = OFF');
    try {
      return await db.transaction().execute(fn);
    } finally {
      connection.pragma(`foreign_keys = ${checked === 1 ? 'ON' : 'OFF'}`);
    }
  });
}
