import type { Kysely } from 'kysely';

/* Frozen once released. A round's submitted opinions in the order they came in (submitted_at, then id), read
 * a page at a time from where the last page ended: the round's analysis reads every opinion of a round
 * this way, and without the order in an index each page sorted the whole round again. Same for SQLite and
 * PostgreSQL. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('opinion_round_submitted_idx')
    .on('opinion')
    .columns(['round_id', 'status', 'submitted_at', 'id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('opinion_round_submitted_idx').execute();
}
