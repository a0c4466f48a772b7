import pg from 'pg';

/** The PostgreSQL server the suite uses: CONCORD_TEST_PG_URL, or the local server on 127.0.0.1:5432. */
export const PG_ADMIN_URL = process.env.CONCORD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function pgUrlFor(database: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withPgClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** PostgreSQL is required in CI (CI=true) and whenever CONCORD_REQUIRE_POSTGRES=1. */
export const postgresRequired = (): boolean =>
  process.env.CI === 'true' || process.env.CONCORD_REQUIRE_POSTGRES === '1';

/** Test databases of a run are named `<run>_t_…` after its template `<run>_template`, so concurrent runs never touch each other's. */
export const testDatabasePrefix = (template: string): string => template.replace(/_template$/, '_t_');
