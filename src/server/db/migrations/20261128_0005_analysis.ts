import type { Kysely } from 'kysely';

/* Frozen once released. Machine analysis of opinions and what people make of it: per-opinion results
 * (stance, key phrases, figures, near-duplicate cluster), topic taxonomies per plan with labels that say
 * whether a person or the machine gave them, near-duplicate clusters with their review state, models
 * learned from the organizer's labels, and a per-round similarity threshold. Same for SQLite and
 * PostgreSQL. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('round').addColumn('dedupe_threshold', 'real').execute();
  // Where an imported comment came from (its id in the source file), so importing a file again adds nothing twice.
  await db.schema.alterTable('opinion').addColumn('external_ref', 'text').execute();
  await db.schema
    .createIndex('opinion_round_external_ref_idx')
    .on('opinion')
    .columns(['round_id', 'external_ref'])
    .execute();

  await db.schema
    .createTable('topic')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plan.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('keywords', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('topic_plan_key_unique', ['plan_id', 'key'])
    .execute();

  await db.schema
    .createTable('duplicate_cluster')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('round.id').onDelete('cascade'))
    .addColumn('representative_id', 'text', (c) => c.notNull().references('opinion.id'))
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('machine'))
    .addColumn('threshold', 'real', (c) => c.notNull())
    .addColumn('reviewed_by', 'text', (c) => c.references('user.id'))
    .addColumn('reviewed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('duplicate_cluster_round_idx')
    .on('duplicate_cluster')
    .columns(['round_id', 'size'])
    .execute();

  await db.schema
    .createTable('opinion_analysis')
    .addColumn('opinion_id', 'text', (c) => c.primaryKey().references('opinion.id').onDelete('cascade'))
    .addColumn('round_id', 'text', (c) => c.notNull().references('round.id').onDelete('cascade'))
    .addColumn('input_hash', 'text', (c) => c.notNull())
    .addColumn('text_hash', 'text', (c) => c.notNull())
    .addColumn('stance', 'text')
    .addColumn('stance_score', 'real')
    .addColumn('stance_source', 'text', (c) => c.notNull().defaultTo('machine'))
    .addColumn('keyphrases', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('figures', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('cluster_id', 'text', (c) => c.references('duplicate_cluster.id').onDelete('set null'))
    .addColumn('duplicate_of', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('analyzed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('opinion_analysis_round_cluster_idx')
    .on('opinion_analysis')
    .columns(['round_id', 'cluster_id'])
    .execute();
  await db.schema
    .createIndex('opinion_analysis_round_hash_idx')
    .on('opinion_analysis')
    .columns(['round_id', 'text_hash'])
    .execute();

  await db.schema
    .createTable('opinion_topic')
    .addColumn('opinion_id', 'text', (c) => c.notNull().references('opinion.id').onDelete('cascade'))
    .addColumn('topic_id', 'text', (c) => c.notNull().references('topic.id').onDelete('cascade'))
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('labelled_by', 'text', (c) => c.references('user.id'))
    .addColumn('labelled_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('opinion_topic_pk', ['opinion_id', 'topic_id'])
    .execute();
  await db.schema
    .createIndex('opinion_topic_topic_idx')
    .on('opinion_topic')
    .columns(['topic_id', 'source'])
    .execute();

  await db.schema
    .createTable('analysis_model')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plan.id').onDelete('cascade'))
    .addColumn('task', 'text', (c) => c.notNull())
    .addColumn('label_count', 'integer', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('trained_by', 'text', (c) => c.references('user.id'))
    .addColumn('trained_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('analysis_model_plan_task_unique', ['plan_id', 'task'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('analysis_model').execute();
  await db.schema.dropTable('opinion_topic').execute();
  await db.schema.dropTable('opinion_analysis').execute();
  await db.schema.dropTable('duplicate_cluster').execute();
  await db.schema.dropTable('topic').execute();
  await db.schema.dropIndex('opinion_round_external_ref_idx').execute();
  await db.schema.alterTable('opinion').dropColumn('external_ref').execute();
  await db.schema.alterTable('round').dropColumn('dedupe_threshold').execute();
}
