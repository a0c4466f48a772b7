import type { Kysely } from 'kysely';

/* Frozen once released. What a round's clustering left behind when the analysis last rebuilt its clusters:
 * a digest of everything a rebuild reads (the submitted opinions in order with their analyses and clusters,
 * the clusters, the threshold, the links' state) and the counts it gave. A round's analysis job that finds
 * the same digest again has nothing to rebuild: the same inputs give the same clusters. Same for SQLite and
 * PostgreSQL. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cluster_state')
    .addColumn('round_id', 'text', (c) => c.primaryKey().references('round.id').onDelete('cascade'))
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('clusters', 'integer', (c) => c.notNull())
    .addColumn('clustered', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cluster_state').execute();
}
