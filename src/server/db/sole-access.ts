/*
 * Sole access to an SQLite database file for a bulk write from the command line.
 *
 * Every Concord connection keeps the file in write-ahead-log mode, so that a server's readers go on while
 * a writer commits. A bulk write of a million rows in one transaction gains nothing from that: no other
 * writer can commit meanwhile anyway, and every page it writes goes twice through the file system, once
 * into the log and once more when the log is copied into the database after the commit (which nothing
 * else overlaps: over a gigabyte, for a million comments). With the file to itself, the connection writes
 * in rollback-journal mode instead: pages beyond the file's old end, nearly all of a bulk import's, go
 * straight into the database, and only pages that held data before are copied to the journal, so that a
 * failure still takes everything back.
 *
 * It takes the file for itself only when no other connection is using it (a server running on the same
 * database, another command): then the switch fails at once and the write goes through the log as
 * always. While it holds the file, other connections wait or fail with "database is locked". Afterwards
 * the file is put back in write-ahead-log mode, as every connection would put it when it opens the file.
 */
import type { Database as SQLiteConnection } from 'better-sqlite3';
import type { Database } from './database.ts';

/** How the connection came to write: with the file to itself, or through the log beside others. */
export type AccessMode = 'sole' | 'shared';

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/** Gives the lock back: the next lock the connection takes is let go at the end of its transaction. */
function unlock(connection: SQLiteConnection): void {
  connection.pragma('locking_mode = NORMAL');
  connection.prepare('SELECT count(*) FROM sqlite_master').get();
}

/**
 * Takes the file for this connection in rollback-journal mode if no other connection is using it;
 * returns whether it did. Asks once, without waiting for others to let go.
 */
function takeSoleAccess(connection: SQLiteConnection): boolean {
  if (connection.pragma('journal_mode', { simple: true }) !== 'wal') {
    return false;
  }
  const timeout = connection.pragma('busy_timeout', { simple: true }) as number;
  connection.pragma('busy_timeout = 0');
  try {
    connection.pragma('locking_mode = EXCLUSIVE');
    let mode: unknown = 'wal';
    try {
      mode = connection.pragma('journal_mode = DELETE', { simple: true });
    } catch (error) {
      if (!isBusy(error)) {
        throw error;
      }
    }
    if (mode === 'delete') {
      return true;
    }
    unlock(connection);
    return false;
  } finally {
    connection.pragma(`busy_timeout = ${timeout}`);
  }
}

/** Back to write-ahead-log mode, the file shared again. */
function giveBack(connection: SQLiteConnection): void {
  unlock(connection);
  try {
    connection.pragma('journal_mode = WAL');
  } catch (error) {
    // Another connection took the file first: it set write-ahead-log mode itself when it opened it.
    if (!isBusy(error)) {
      throw error;
    }
  }
}

/**
 * Runs `fn`, a bulk write, with the SQLite file to this connection alone when nothing else is using it;
 * otherwise, and on PostgreSQL or an in-memory database, as it is. `fn` learns which.
 */
export async function withSoleAccess<T>(
  database: Database,
  fn: (mode: AccessMode) => Promise<T>,
): Promise<T> {
  const connection = database.sqlite;
  if (connection === null || !takeSoleAccess(connection)) {
    return fn('shared');
  }
  try {
    return await fn('sole');
  } finally {
    giveBack(connection);
  }
}
