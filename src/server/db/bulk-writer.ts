import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Statement } from 'better-sqlite3';
import { MAX_PARAMETERS } from './chunked.ts';
import type { CompiledQuery } from 'kysely';
import type { Database } from './database.ts';
import type { Executor, Tx } from './executor.ts';
import type { DB } from './schema.ts';

/*
 * Bulk reads and writes. Bulk writes of many rows of one table inside an open transaction. Rows are given as arrays of the
 * columns that differ from row to row, in a fixed order; the columns every row shares are given once. On
 * SQLite each row runs one prepared statement on the connection the transaction holds (no query building,
 * no parameter objects); on PostgreSQL rows are buffered and sent in multi-row statements sized for its
 * bound-parameter limit. Both write the same values.
 */

export interface TableWriter {
  add(values: readonly unknown[]): void;
  /** Sends what is buffered (PostgreSQL; SQLite has written each row already). */
  flush(): Promise<void>;
}

/**
 * A writer of one table: `columns` name the values of each row in order; `shared` holds the columns every
 * row has in common. Shared columns that are null are left out of the statement: the columns an import
 * leaves empty have no default but null.
 */
export function tableWriter<T extends object>(
  database: Database,
  tx: Tx,
  table: keyof DB,
  columns: readonly (keyof T & string)[],
  shared: Partial<T>,
): TableWriter {
  const sharedColumns = (Object.keys(shared) as (keyof T & string)[]).filter((c) => shared[c] !== null);
  const sharedValues = sharedColumns.map((c) => shared[c]);
  const connection = database.sqlite;
  if (connection !== null) {
    const names = [...columns, ...sharedColumns];
    const statement: Statement = connection.prepare(
      `insert into "${table}" (${names.map((n) => `"${n}"`).join(', ')}) values (${names.map(() => '?').join(', ')})`,
    );
    return {
      add: (values) => {
        statement.run(values, sharedValues);
      },
      flush: () => Promise.resolve(),
    };
  }
  const chunk = Math.max(1, Math.floor(MAX_PARAMETERS / (columns.length + sharedColumns.length)));
  let pending: Record<string, unknown>[] = [];
  const base: Record<string, unknown> = {};
  sharedColumns.forEach((c, k) => {
    base[c] = sharedValues[k];
  });
  return {
    add: (values) => {
      const row: Record<string, unknown> = { ...base };
      for (let k = 0; k < columns.length; k++) {
        row[columns[k]!] = values[k];
      }
      pending.push(row);
    },
    flush: async () => {
      const rows = pending;
      pending = [];
      for (let start = 0; start < rows.length; start += chunk) {
        await tx
          .insertInto(table)
          .values(rows.slice(start, start + chunk))
          .execute();
      }
    },
  };
}

/**
 * Pages of SQLite's cache while a bulk write runs (256 MiB, taken only as it fills): indexes keyed by text
 * ids grow in no particular order, and a page that has left the cache must be read back from the
 * write-ahead log before it can change again.
 */
const BULK_CACHE_KIB = 256 * 1024;

/**
 * Gives the SQLite connection a cache for a bulk write; returns what puts it back as it was (call it
 * whether or not the writes succeeded). Nothing to do on PostgreSQL.
 */
export function widenCache(database: Database): () => void {
  const connection = database.sqlite;
  if (connection === null) {
    return () => undefined;
  }
  const cacheSize = connection.pragma('cache_size', { simple: true }) as number;
  if (cacheSize <= -BULK_CACHE_KIB) {
    return () => undefined;
  }
  connection.pragma(`cache_size = -${BULK_CACHE_KIB}`);
  return () => {
    connection.pragma(`cache_size = ${cacheSize}`);
  };
}

/** What `readRows` needs of a select query. */
interface RowSource<R> {
  compile(): CompiledQuery<R>;
  execute(): Promise<R[]>;
}

/**
 * The rows of a select run on `db` (the database or a transaction open on it). better-sqlite3 answers
 * synchronously: there the rows are read through one statement's iterator, and the event loop takes a
 * turn every `every` rows, so that reading a round of a million opinions does not hold the server
 * meanwhile; the connection stays held throughout (no other statement can come between). PostgreSQL's
 * answer comes over the network: the query runs as usual.
 */
export async function readRows<R>(
  database: Database,
  db: Executor,
  query: RowSource<R>,
  every = 20_000,
): Promise<R[]> {
  const rows: R[] = [];
  await forEachRow(database, db, query, (row) => rows.push(row), every);
  return rows;
}

/**
 * Hands each row of a select run on `db` to `take`, in order, as `readRows` reads them; on SQLite the rows
 * are not held, each goes once taken.
 */
export async function forEachRow<R>(
  database: Database,
  db: Executor,
  query: RowSource<R>,
  take: (row: R) => void,
  every = 20_000,
): Promise<void> {
  const connection = database.sqlite;
  if (connection === null) {
    for (const row of await query.execute()) {
      take(row);
    }
    return;
  }
  const read = async (): Promise<void> => {
    const { sql, parameters } = query.compile();
    let count = 0;
    for (const row of connection.prepare(sql).iterate(parameters)) {
      take(row as R);
      if (++count % every === 0) {
        await nextTurn();
      }
    }
  };
  await (db.isTransaction ? read() : db.connection().execute(read));
}
