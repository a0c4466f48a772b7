import type { Kysely } from 'kysely';

/* Frozen once released. Near-duplicate links: pairs of a round's opinions that are near-duplicates of each
 * other and yet sit in different clusters or alone (clusters never chain texts), found by the machine at
 * each re-clustering and shown beside a cluster as merge suggestions. A pair is stored once, the earlier
 * opinion (in the round's order) first. Same for SQLite and PostgreSQL. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('duplicate_link')
    .addColumn('round_id', 'text', (c) => c.notNull().references('round.id').onDelete('cascade'))
    .addColumn('opinion_id', 'text', (c) => c.notNull().references('opinion.id').onDelete('cascade'))
    .addColumn('similar_id', 'text', (c) => c.notNull().references('opinion.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('duplicate_link_pk', ['opinion_id', 'similar_id'])
    .execute();
  await db.schema.createIndex('duplicate_link_round_idx').on('duplicate_link').column('round_id').execute();
  await db.schema
    .createIndex('duplicate_link_similar_idx')
    .on('duplicate_link')
    .column('similar_id')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('duplicate_link').execute();
}
