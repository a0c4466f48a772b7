import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import type { SqliteDialectConfig } from 'kysely';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  readonly url: string;
  /** A raw PostgreSQL pool (for LISTEN/NOTIFY); null on SQLite. */
  readonly pgPool: pg.Pool | null;
  /**
   * The raw SQLite connection, for bulk writes through prepared statements (they run inside whatever
   * transaction Kysely has open on it: there is one connection); null on PostgreSQL.
   */
  readonly sqlite: SQLite.Database | null;
  close(): Promise<void>;
}

// bigint columns (ledger seq, live event seq) fit comfortably in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export function dialectOf(url: string): Dialect {
  return url.startsWith('sqlite:') ? 'sqlite' : 'postgres';
}

/** Applies the pragmas every Concord SQLite connection runs with. */
export function configureSqlite(connection: SQLite.Database): SQLite.Database {
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  return connection;
}

/** Prepared statements kept per connection: preparing costs as much as running a small statement. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The connection as Kysely sees it, preparing each SQL text once: Kysely prepares every query it runs, and
 * the same few hundred texts come back all the time. Least recently used statements are dropped.
 */
function cachingStatements(connection: SQLite.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      connection.close();
    },
    prepare: (sql: string) => {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = connection.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) {
          cache.delete(cache.keys().next().value as string);
        }
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

export function openSqlite(connection: SQLite.Database, url = 'sqlite::memory:'): Database {
  configureSqlite(connection);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: cachingStatements(connection) }) });
  return {
    db,
    dialect: 'sqlite',
    url,
    pgPool: null,
    sqlite: connection,
    close: () => db.destroy(),
  };
}

export function openDatabase(
  url: string,
  options: { poolSize?: number; onError?: (error: Error) => void } = {},
): Database {
  if (dialectOf(url) === 'sqlite') {
    const path = url.slice('sqlite:'.length) || './data/concord.db';
    if (path !== ':memory:') {
      mkdirSync(dirname(resolve(path)), { recursive: true });
    }
    return openSqlite(new SQLite(path), url);
  }
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle client that loses its connection (a server restart) must not take the process down: the pool
  // drops it and opens a new one on the next query.
  pool.on('error', (error) => options.onError?.(error));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    url,
    pgPool: pool,
    sqlite: null,
    close: () => db.destroy(),
  };
}
