import type { Executor } from '../db/executor.ts';

/**
 * Fixed-window counter kept in the database, so every server instance sees the same count.
 * Returns the count after this hit.
 */
export async function hitRateLimit(
  db: Executor,
  options: { key: string; windowStart: string },
): Promise<number> {
  const row = await db
    .insertInto('rate_limit')
    .values({ key: options.key, window_start: options.windowStart, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        count: eb
          .case()
          .when('rate_limit.window_start', '=', options.windowStart)
          .then(eb('rate_limit.count', '+', 1))
          .else(1)
          .end(),
        window_start: options.windowStart,
      })),
    )
    .returning('count')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function deleteStaleRateLimits(db: Executor, before: string): Promise<void> {
  await db.deleteFrom('rate_limit').where('window_start', '<', before).execute();
}

/**
 * Counts several hits on several fixed-window counters in one statement (each key once), returning every
 * key's count after them: a window that has moved on starts again from the hits.
 */
export async function hitRateLimits(
  db: Executor,
  hits: readonly { key: string; windowStart: string; count: number }[],
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (hits.length === 0) {
    return counts;
  }
  const rows = await db
    .insertInto('rate_limit')
    .values(hits.map((hit) => ({ key: hit.key, window_start: hit.windowStart, count: hit.count })))
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        count: eb
          .case()
          .when('rate_limit.window_start', '=', eb.ref('excluded.window_start'))
          .then(eb('rate_limit.count', '+', eb.ref('excluded.count')))
          .else(eb.ref('excluded.count'))
          .end(),
        window_start: eb.ref('excluded.window_start'),
      })),
    )
    .returning(['key', 'count'])
    .execute();
  for (const row of rows) {
    counts.set(row.key, Number(row.count));
  }
  return counts;
}

/** Takes back hits that were refused, so a refused flood stays exactly at the limit. */
export async function returnRateLimitHits(
  db: Executor,
  options: { key: string; windowStart: string; count: number },
): Promise<void> {
  await db
    .updateTable('rate_limit')
    .set((eb) => ({ count: eb('count', '-', options.count) }))
    .where('key', '=', options.key)
    .where('window_start', '=', options.windowStart)
    .execute();
}
