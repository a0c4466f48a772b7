/*
 * Multi-row writes in chunks small enough for both dialects' bound parameter limits (SQLite 32,766,
 * PostgreSQL 65,535) and large enough that one statement carries hundreds of rows.
 */

export const MAX_PARAMETERS = 30_000;

/** Calls `insert` once per chunk of `rows`, sized by the number of columns of the first row. */
export async function insertChunked<T extends object>(
  rows: readonly T[],
  insert: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]!).length));
  for (let start = 0; start < rows.length; start += size) {
    await insert(rows.slice(start, start + size));
  }
}
