import { randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, inject } from 'vitest';
import type { Database, Dialect } from '../src/server/db/database.ts';
import { openDatabase, openSqlite } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { PG_ADMIN_URL, pgUrlFor, testDatabasePrefix, withPgClient } from './pg.ts';

let sqliteTemplate: Buffer | null = null;

async function sqliteTemplateImage(): Promise<Buffer> {
  if (!sqliteTemplate) {
    const connection = new SQLite(':memory:');
    const database = openSqlite(connection);
    await migrateToLatest(database);
    sqliteTemplate = connection.serialize();
    await database.close();
  }
  return sqliteTemplate;
}

/** The dialects this run tests: SQLite always, PostgreSQL when the global setup reached it. */
export function testDialects(): Dialect[] {
  return inject('pgTemplate') ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh, migrated, empty database: SQLite copied from an in-memory template, PostgreSQL from a template database. */
export async function createTestDatabase(dialect: Dialect): Promise<Database> {
  if (dialect === 'sqlite') {
    return openSqlite(new SQLite(await sqliteTemplateImage()));
  }
  const template = inject('pgTemplate');
  if (!template) {
    throw new Error('PostgreSQL is not available in this run');
  }
  const name = `${testDatabasePrefix(template)}${randomBytes(6).toString('hex')}`;
  await withPgClient(PG_ADMIN_URL, (client) =>
    client.query(`create database "${name}" template "${template}"`),
  );
  const database = openDatabase(pgUrlFor(name), { poolSize: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      await withPgClient(PG_ADMIN_URL, (client) =>
        client.query(`drop database if exists "${name}" with (force)`),
      );
    },
  };
}

/**
 * Runs `body` once per dialect, with a fresh database for every test: `const db = useDb(); … db().db`.
 */
export function describeDb(name: string, body: (database: () => Database, dialect: Dialect) => void): void {
  describe.each(testDialects())(`${name} [%s]`, (dialect) => {
    let database: Database | null = null;
    beforeEach(async () => {
      database = await createTestDatabase(dialect);
    });
    afterEach(async () => {
      await database?.close();
      database = null;
    });
    body(() => {
      if (!database) {
        throw new Error('database used outside a test');
      }
      return database;
    }, dialect);
  });
}
