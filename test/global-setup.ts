import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { ensureWebBuilt } from '../src/server/web-build.ts';
import { PG_ADMIN_URL, pgUrlFor, postgresRequired, withPgClient } from './pg.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string | null;
  }
}

const RUN = `concord_run${process.pid}`;
const TEMPLATE = `${RUN}_template`;

async function dropTestDatabases(): Promise<void> {
  await withPgClient(PG_ADMIN_URL, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `select datname from pg_database where starts_with(datname, $1)`,
      [RUN],
    );
    for (const { datname } of rows) {
      await client.query(`drop database if exists "${datname}" with (force)`);
    }
  });
}

/**
 * Migrates one PostgreSQL template database for the whole run; each test copies it
 * (CREATE DATABASE … TEMPLATE). Without a reachable server the PostgreSQL half is skipped and the run says
 * so — unless PostgreSQL is required (CI), where that is a failure.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Built once here, not raced by browser test files running in parallel.
  await ensureWebBuilt();
  try {
    await withPgClient(PG_ADMIN_URL, async (client) => {
      await client.query(`drop database if exists "${TEMPLATE}" with (force)`);
      await client.query(`create database "${TEMPLATE}"`);
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (postgresRequired()) {
      throw new Error(`PostgreSQL is required (CI) but ${PG_ADMIN_URL} cannot be reached: ${reason}`, {
        cause: error,
      });
    }
    console.warn(
      `\n⚠ PostgreSQL not reachable at ${PG_ADMIN_URL} (${reason}): the PostgreSQL half of the database tests is SKIPPED; SQLite tests run.\n`,
    );
    project.provide('pgTemplate', null);
    return () => Promise.resolve();
  }
  const database = openDatabase(pgUrlFor(TEMPLATE), { poolSize: 1 });
  try {
    await migrateToLatest(database);
  } finally {
    await database.close();
  }
  project.provide('pgTemplate', TEMPLATE);
  return dropTestDatabases;
}
