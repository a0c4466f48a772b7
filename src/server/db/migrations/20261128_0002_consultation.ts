import type { Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

/* Frozen once released. The consultation loop: rounds, invitations, replies, opinions, dispositions,
 * feedback, objections, revisions, and the working-day calendar. Same for SQLite and PostgreSQL. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
  await db.schema
    .createTable('calendar_day')
    .addColumn('date', 'text', (c) => c.primaryKey()) // YYYY-MM-DD
    .addColumn('kind', 'text', (c) => c.notNull()) // holiday | workday
    .addColumn('name', 'text')
    .addColumn('scope', 'text', (c) => c.notNull()) // national | local
    .addColumn('created_by', 'text', (c) => c.references('user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('round')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plan.id'))
    .addColumn('version_id', 'text', (c) => c.notNull().references('draft_version.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // internal | public
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('scope', 'text') // JSON string[] of clause stable ids (chapters); null = the whole draft
    .addColumn('visibility', 'text', (c) => c.notNull()) // never | after_close | always
    .addColumn('silence_policy', 'text', (c) => c.notNull()) // no_reply | deemed_no_objection
    .addColumn('opens_at', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull()) // YYYY-MM-DD, the last day replies are on time
    .addColumn('closes_at', 'text', (c) => c.notNull()) // the instant the deadline day ends
    .addColumn('working_days', 'integer', (c) => c.notNull())
    .addColumn('urgent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('urgent_reason', 'text')
    .addColumn('urgent_status', 'text', (c) => c.notNull().defaultTo('none')) // none | pending | approved | refused
    .addColumn('urgent_decided_by', 'text', (c) => c.references('user.id'))
    .addColumn('objection_window_days', 'integer', (c) => c.notNull())
    .addColumn('max_objection_rounds', 'integer', (c) => c.notNull())
    .addColumn('previous_round_id', 'text', (c) => c.references('round.id'))
    .addColumn('created_by', 'text', (c) => c.references('user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('finished_at', 'text')
    .addUniqueConstraint('round_plan_seq_uq', ['plan_id', 'seq'])
    .execute();
  await db.schema.createIndex('round_status_idx').on('round').columns(['status', 'opens_at']).execute();

  await db.schema
    .createTable('round_invitation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('round.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('mandatory', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('level', 'text', (c) => c.notNull()) // the unit's level when invited
    .addColumn('forwarded_by_unit_id', 'text', (c) => c.references('unit.id')) // cascade: who forwarded it
    .addColumn('questions', 'text', (c) => c.notNull().defaultTo('[]')) // JSON [{clauseStableId, question}]
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text') // YYYY-MM-DD after an extension; null = the round's
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text', (c) => c.references('user.id'))
    .addColumn('reply_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('round_invitation_uq', ['round_id', 'unit_id'])
    .execute();
  await db.schema.createIndex('round_invitation_unit_idx').on('round_invitation').column('unit_id').execute();

  await db.schema
    .createTable('extension_request')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('invitation_id', 'text', (c) => c.notNull().references('round_invitation.id'))
    .addColumn('requested_until', 'text', (c) => c.notNull()) // YYYY-MM-DD
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | granted | refused
    .addColumn('requested_by', 'text', (c) => c.references('user.id'))
    .addColumn('decided_by', 'text', (c) => c.references('user.id'))
    .addColumn('decided_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('unit_reply')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('invitation_id', 'text', (c) => c.notNull().references('round_invitation.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull()) // receipt number, e.g. R2-015-v1
    .addColumn('position', 'text', (c) => c.notNull()) // no_opinion | agree_in_principle | agree_with_amendments | disagree
    .addColumn('summary', 'text')
    .addColumn('opinion_ids', 'text', (c) => c.notNull()) // JSON string[]: the frozen content
    .addColumn('snapshot', 'text', (c) => c.notNull()) // JSON of the opinions as sent
    .addColumn('signed_off_by', 'text', (c) => c.references('user.id'))
    .addColumn('signed_off_at', 'text')
    .addColumn('sent_by', 'text', (c) => c.references('user.id'))
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ledger_seq', 'bigint', (c) => c.notNull())
    .addColumn('ledger_hash', 'text', (c) => c.notNull())
    .addUniqueConstraint('unit_reply_version_uq', ['invitation_id', 'version'])
    .execute();

  await db.schema
    .createTable('opinion')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('round.id'))
    .addColumn('invitation_id', 'text', (c) => c.references('round_invitation.id'))
    .addColumn('unit_id', 'text', (c) => c.references('unit.id'))
    .addColumn('author_id', 'text', (c) => c.references('user.id'))
    .addColumn('reg_no', 'text') // registration number, given when first sent
    .addColumn('clause_stable_id', 'text') // null: the whole draft
    .addColumn('clause_id', 'text', (c) => c.references('clause.id'))
    .addColumn('quote', 'text')
    .addColumn('suggestion', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text')
    .addColumn('proposed_text', 'text')
    .addColumn('kind', 'text', (c) => c.notNull()) // substantive | editorial | question
    .addColumn('blocking', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull()) // draft | submitted | withdrawn
    .addColumn('quality_score', 'real', (c) => c.notNull())
    .addColumn('quality_flags', 'text', (c) => c.notNull()) // JSON string[]
    .addColumn('priority', 'text') // core | secondary
    .addColumn('assignee_id', 'text', (c) => c.references('user.id'))
    .addColumn('level', 'text') // the unit's level
    .addColumn('forwarded_by_unit_id', 'text', (c) => c.references('unit.id'))
    .addColumn('carried_from_id', 'text', (c) => c.references('opinion.id'))
    .addColumn('disposition_status', 'text', (c) => c.notNull().defaultTo('pending')) // pending | proposed | approved
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('withdrawn_at', 'text')
    .execute();
  await db.schema.createIndex('opinion_round_idx').on('opinion').columns(['round_id', 'status']).execute();
  // The opinion table pages through a round in creation order (keyset on created_at, id).
  await db.schema
    .createIndex('opinion_round_created_idx')
    .on('opinion')
    .columns(['round_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('opinion_invitation_idx').on('opinion').column('invitation_id').execute();
  await db.schema
    .createIndex('opinion_clause_idx')
    .on('opinion')
    .columns(['round_id', 'clause_stable_id'])
    .execute();
  await db.schema
    .createIndex('opinion_assignee_idx')
    .on('opinion')
    .columns(['assignee_id', 'disposition_status'])
    .execute();
  await db.schema
    .createIndex('opinion_reg_no_uq')
    .on('opinion')
    .columns(['round_id', 'reg_no'])
    .unique()
    .execute();

  await db.schema
    .createTable('opinion_evidence')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('opinion_id', 'text', (c) => c.notNull().references('opinion.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('data', binary, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('reason_template')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.references('plan.id')) // null: for every plan
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('basis', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('disposition')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('opinion_id', 'text', (c) => c.notNull().references('opinion.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('basis', 'text') // law_policy | data | responsibilities | conflict | out_of_scope | other
    .addColumn('status', 'text', (c) => c.notNull()) // proposed | approved | rejected | superseded
    .addColumn('proposed_by', 'text', (c) => c.references('user.id'))
    .addColumn('proposed_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('user.id'))
    .addColumn('decided_at', 'text')
    .addColumn('objection_id', 'text') // set when this disposition answers an objection's review
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('disposition_opinion_idx')
    .on('disposition')
    .columns(['opinion_id', 'status'])
    .execute();

  await db.schema
    .createTable('feedback_letter')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('round.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('status', 'text', (c) => c.notNull()) // draft | sent
    .addColumn('sent_by', 'text', (c) => c.references('user.id'))
    .addColumn('sent_at', 'text')
    .addColumn('objection_deadline', 'text') // ISO instant
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('feedback_letter_uq', ['round_id', 'unit_id'])
    .execute();

  await db.schema
    .createTable('feedback_response')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('letter_id', 'text', (c) => c.notNull().references('feedback_letter.id'))
    .addColumn('opinion_id', 'text', (c) => c.notNull().references('opinion.id'))
    .addColumn('response', 'text', (c) => c.notNull()) // confirmed | rated | objected
    .addColumn('rating', 'text') // satisfied | basically_satisfied | unsatisfied
    .addColumn('responded_by', 'text', (c) => c.references('user.id'))
    .addColumn('responded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('feedback_response_opinion_idx')
    .on('feedback_response')
    .column('opinion_id')
    .execute();

  await db.schema
    .createTable('objection')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('opinion_id', 'text', (c) => c.notNull().references('opinion.id'))
    .addColumn('disposition_id', 'text', (c) => c.notNull().references('disposition.id'))
    .addColumn('round_no', 'integer', (c) => c.notNull()) // 1, 2 … up to the round's bound
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull().defaultTo('[]')) // JSON
    .addColumn('status', 'text', (c) => c.notNull()) // open | upheld | changed | escalated | dissent_recorded
    .addColumn('raised_by', 'text', (c) => c.references('user.id'))
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('reviewer_id', 'text', (c) => c.references('user.id'))
    .addColumn('reviewed_at', 'text')
    .addColumn('review_note', 'text')
    .execute();
  await db.schema.createIndex('objection_opinion_idx').on('objection').column('opinion_id').execute();

  await db.schema
    .createTable('follow_up')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plan.id'))
    .addColumn('opinion_id', 'text', (c) => c.notNull().references('opinion.id'))
    .addColumn('status', 'text', (c) => c.notNull()) // open | done
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('revision')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plan.id'))
    .addColumn('base_version_id', 'text', (c) => c.notNull().references('draft_version.id'))
    .addColumn('status', 'text', (c) => c.notNull()) // draft | published
    .addColumn('published_version_id', 'text', (c) => c.references('draft_version.id'))
    .addColumn('created_by', 'text', (c) => c.references('user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .execute();

  await db.schema
    .createTable('clause_change')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('revision_id', 'text', (c) => c.notNull().references('revision.id'))
    .addColumn('clause_stable_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // edit | insert | delete
    .addColumn('after_stable_id', 'text') // insert: the clause it follows
    .addColumn('old_text', 'text')
    .addColumn('new_text', 'text')
    .addColumn('new_heading', 'text')
    .addColumn('opinion_ids', 'text', (c) => c.notNull().defaultTo('[]')) // JSON string[]
    .addColumn('reason', 'text')
    .addColumn('author_id', 'text', (c) => c.references('user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('clause_change_revision_idx')
    .on('clause_change')
    .columns(['revision_id', 'clause_stable_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'clause_change',
    'revision',
    'follow_up',
    'objection',
    'feedback_response',
    'feedback_letter',
    'disposition',
    'reason_template',
    'opinion_evidence',
    'opinion',
    'unit_reply',
    'extension_request',
    'round_invitation',
    'round',
    'calendar_day',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
