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
