import type { Kysely } from 'kysely';

/* Frozen once released. A round's analysis job reads every analysed opinion's cluster and first copy
 * (`round_id`, then those columns). With them and the opinion's id in the round's index of clusters, the
 * job reads that index alone: the rows themselves, each with its key phrases and figures, are ten times
 * the size. The index still finds a round's opinions by cluster. Same for SQLite and PostgreSQL. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('opinion_analysis_round_cluster_idx').execute();
  await db.schema
    .createIndex('opinion_analysis_round_links_idx')
    .on('opinion_analysis')
    .columns(['round_id', 'cluster_id', 'duplicate_of', 'opinion_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('opinion_analysis_round_links_idx').execute();
  await db.schema
    .createIndex('opinion_analysis_round_cluster_idx')
    .on('opinion_analysis')
    .columns(['round_id', 'cluster_id'])
    .execute();
}
