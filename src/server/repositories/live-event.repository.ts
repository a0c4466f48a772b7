import { sql } from 'kysely';
import type { Executor } from '../db/executor.ts';

/* The live_event table: large payloads behind a NOTIFY, and the whole channel on SQLite. */

export async function insertLiveEvent(
  db: Executor,
  event: { channel: string; payload: string; at: string },
): Promise<number> {
  const row = await db
    .insertInto('live_event')
    .values({ channel: event.channel, payload: event.payload, created_at: event.at })
    .returning('seq')
    .executeTakeFirstOrThrow();
  return Number(row.seq);
}

export async function readLiveEvent(db: Executor, seq: number): Promise<string | null> {
  const row = await db.selectFrom('live_event').select('payload').where('seq', '=', seq).executeTakeFirst();
  return row?.payload ?? null;
}

export async function maxLiveEventSeq(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('live_event')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

export async function readLiveEventsAfter(
  db: Executor,
  options: { afterSeq: number; limit: number },
): Promise<{ seq: number; channel: string; payload: string }[]> {
  const rows = await db
    .selectFrom('live_event')
    .select(['seq', 'channel', 'payload'])
    .where('seq', '>', options.afterSeq)
    .orderBy('seq')
    .limit(options.limit)
    .execute();
  return rows.map((row) => ({ seq: Number(row.seq), channel: row.channel, payload: row.payload }));
}

/** Deletes rows older than `before` (and, when given, already read: seq ≤ maxSeq). */
export async function pruneLiveEvents(
  db: Executor,
  options: { before: string; maxSeq: number | null },
): Promise<void> {
  let query = db.deleteFrom('live_event').where('created_at', '<', options.before);
  if (options.maxSeq !== null) {
    query = query.where('seq', '<=', options.maxSeq);
  }
  await query.execute();
}

/** PostgreSQL NOTIFY inside the caller's transaction: delivered when it commits, dropped if it rolls back. */
export async function notifyChannel(db: Executor, channel: string, message: string): Promise<void> {
  await sql`select pg_notify(${channel}, ${message})`.execute(db);
}
