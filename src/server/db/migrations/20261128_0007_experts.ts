import type { Kysely } from 'kysely';

/* Frozen once released. Expert roster and independent expert consultations: a profile per expert (fields of
 * expertise, title, organisation), consultations of a round on a conflict or on chosen opinions with their
 * questions and the minimum number of answers, the experts invited to each, and their signed answers, one
 * per expert and frozen once sent. Same for SQLite and PostgreSQL. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('expert_profile')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('user.id').onDelete('cascade'))
    .addColumn('fields', 'text', (c) => c.notNull().defaultTo('[]')) // JSON string[]: technology, economy, law …
    .addColumn('title', 'text')
    .addColumn('organisation', 'text')
    .addColumn('bio', 'text')
    .addColumn('updated_by', 'text', (c) => c.references('user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('expert_consultation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plan.id'))
    .addColumn('round_id', 'text', (c) => c.notNull().references('round.id'))
    .addColumn('conflict_id', 'text', (c) => c.references('conflict.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('questions', 'text', (c) => c.notNull()) // JSON string[]
    .addColumn('opinion_ids', 'text', (c) => c.notNull().defaultTo('[]')) // JSON string[]
    .addColumn('min_answers', 'integer', (c) => c.notNull())
    .addColumn('deadline', 'text') // ISO instant; null = none
    .addColumn('reveal_after_answer', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull()) // open | closed
    .addColumn('created_by', 'text', (c) => c.references('user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_by', 'text', (c) => c.references('user.id'))
    .addColumn('closed_at', 'text')
    .addColumn('forced', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('close_reason', 'text')
    .execute();
  await db.schema
    .createIndex('expert_consultation_round_idx')
    .on('expert_consultation')
    .columns(['round_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('expert_consultation_conflict_idx')
    .on('expert_consultation')
    .column('conflict_id')
    .execute();

  await db.schema
    .createTable('expert_assignment')
    .addColumn('consultation_id', 'text', (c) =>
      c.notNull().references('expert_consultation.id').onDelete('cascade'),
    )
    .addColumn('expert_id', 'text', (c) => c.notNull().references('user.id'))
    .addColumn('status', 'text', (c) => c.notNull()) // invited | answered | declined
    .addColumn('invited_at', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text')
    .addColumn('declined_at', 'text')
    .addColumn('decline_reason', 'text')
    .addPrimaryKeyConstraint('expert_assignment_pk', ['consultation_id', 'expert_id'])
    .execute();
  await db.schema
    .createIndex('expert_assignment_expert_idx')
    .on('expert_assignment')
    .columns(['expert_id', 'status'])
    .execute();

  await db.schema
    .createTable('expert_answer')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('consultation_id', 'text', (c) =>
      c.notNull().references('expert_consultation.id').onDelete('cascade'),
    )
    .addColumn('expert_id', 'text', (c) => c.notNull().references('user.id'))
    .addColumn('recommendation', 'text', (c) => c.notNull())
    .addColumn('feasibility', 'integer', (c) => c.notNull()) // 1–5
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('answers', 'text', (c) => c.notNull().defaultTo('[]')) // JSON string[], one per question
    .addColumn('signed_name', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addColumn('ledger_seq', 'integer', (c) => c.notNull())
    .addColumn('ledger_hash', 'text', (c) => c.notNull())
    // One answer per expert and consultation, even when two requests race.
    .addUniqueConstraint('expert_answer_once_uq', ['consultation_id', 'expert_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('expert_answer').execute();
  await db.schema.dropTable('expert_assignment').execute();
  await db.schema.dropTable('expert_consultation').execute();
  await db.schema.dropTable('expert_profile').execute();
}
