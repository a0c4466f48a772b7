import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
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

/*
 * Checkpoints of the write-ahead log on a thread of their own: copying the log into the database file and
 * syncing it is the slowest part of a commit when SQLite does it itself, and a checkpoint can run beside
 * the writer. Every few hundred milliseconds a passive checkpoint copies what has been committed.
 */
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.module);
const db = new SQLite(workerData.path);
db.pragma('busy_timeout = 5000');
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.close(); });
`;
const CHECKPOINT_INTERVAL_MS = 250;

function checkpointInBackground(connection: SQLite.Database, path: string): () => Promise<void> {
  connection.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(CHECKPOINTER, {
    eval: true,
    workerData: {
      module: createRequire(import.meta.url).resolve('better-sqlite3'),
      path: resolve(path),
      intervalMs: CHECKPOINT_INTERVAL_MS,
    },
  });
  worker.unref();
  return async () => {
    const exited = new Promise<void>((done) => worker.once('exit', () => done()));
    worker.ref();
    worker.postMessage('stop');
    await exited;
    // The last word is the writer's: whatever the log still holds goes into the file.
    connection.pragma('wal_checkpoint(TRUNCATE)');
  };
}

export function openDatabase(
  url: string,
  options: {
    poolSize?: number;
    onError?: (error: Error) => void;
    /** SQLite in a file: checkpoint the write-ahead log on a thread of its own (a server's many commits). */
    backgroundCheckpoint?: boolean;
  } = {},
): Database {
  if (dialectOf(url) === 'sqlite') {
    const path = url.slice('sqlite:'.length) || './data/concord.db';
    if (path === ':memory:') {
      return openSqlite(new SQLite(path), url);
    }
    mkdirSync(dirname(resolve(path)), { recursive: true });
    const database = openSqlite(new SQLite(path), url);
    if (!options.backgroundCheckpoint) {
      return database;
    }
    const stopCheckpoints = checkpointInBackground(database.sqlite!, path);
    return {
      ...database,
      close: async () => {
        await stopCheckpoints();
        await database.close();
      },
    };
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
