import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
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

export function openSqlite(connection: SQLite.Database, url = 'sqlite::memory:'): Database {
  configureSqlite(connection);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: connection }) });
  return {
    db,
    dialect: 'sqlite',
    url,
    pgPool: null,
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
    close: () => db.destroy(),
  };
}
