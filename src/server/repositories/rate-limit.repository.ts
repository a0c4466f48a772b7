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
