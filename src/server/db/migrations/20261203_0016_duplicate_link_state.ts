import type { Kysely } from 'kysely';

/* Frozen once released. What a round's near-duplicate links were when the analysis last wrote them: how many,
 * and a digest of the set of pairs. A round's analysis job that finds the same links again (most jobs of a
 * mass campaign after a few more comments) then compares nothing but the digest and the count. Anything
 * else that writes a round's links (an import) removes the row. Same for SQLite and PostgreSQL. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('duplicate_link_state')
    .addColumn('round_id', 'text', (c) => c.primaryKey().references('round.id').onDelete('cascade'))
    .addColumn('links', 'integer', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('duplicate_link_state').execute();
}
