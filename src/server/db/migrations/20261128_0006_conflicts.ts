import type { Kysely } from 'kysely';

/* Frozen once released. Conflicts and their resolution methods (meetings, calculation sheets, pilots), the
 * escalation ladder. Same for SQLite and PostgreSQL.
 *
 * The ladder is stored per plan in `escalation_rung` (rank 0 = the drafting team); a plan without rungs
 * uses the default ladder of the domain rules (编制组长 → 牵头单位负责人 → 分管领导 → 主要领导), so that
 * default lives in one place. A method's record (agenda, minutes, calculation sheet, pilot) is JSON in
 * `conflict_method.record`, shaped by its kind; an expert method points to a consultation of a later
 * migration through `consultation_id`, without a foreign key. Dispositions written back from a decision
 * are linked from `conflict_party.disposition_id`. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('escalation_rung')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plan.id').onDelete('cascade'))
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('user_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_by', 'text', (c) => c.references('user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('escalation_rung_plan_rank_unique', ['plan_id', 'rank'])
    .execute();

  await db.schema
    .createTable('conflict')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plan.id').onDelete('cascade'))
    .addColumn('round_id', 'text', (c) => c.notNull().references('round.id').onDelete('cascade'))
    .addColumn('clause_stable_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('level', 'integer')
    .addColumn('created_from', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('user.id'))
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text', (c) => c.references('user.id'))
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text', (c) => c.references('user.id'))
    .addColumn('decision', 'text')
    .addColumn('decision_code', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conflict_round_idx').on('conflict').columns(['round_id', 'status']).execute();
  await db.schema
    .createIndex('conflict_round_clause_idx')
    .on('conflict')
    .columns(['round_id', 'clause_stable_id'])
    .execute();

  await db.schema
    .createTable('conflict_party')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conflict_id', 'text', (c) => c.notNull().references('conflict.id').onDelete('cascade'))
    .addColumn('opinion_id', 'text', (c) => c.notNull().references('opinion.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.references('unit.id'))
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('position', 'text')
    .addColumn('figures', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('outcome_code', 'text')
    .addColumn('disposition_id', 'text', (c) => c.references('disposition.id'))
    .addUniqueConstraint('conflict_party_conflict_opinion_unique', ['conflict_id', 'opinion_id'])
    .execute();
  await db.schema
    .createIndex('conflict_party_opinion_idx')
    .on('conflict_party')
    .column('opinion_id')
    .execute();

  await db.schema
    .createTable('conflict_escalation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conflict_id', 'text', (c) => c.notNull().references('conflict.id').onDelete('cascade'))
    .addColumn('from_level', 'integer')
    .addColumn('to_level', 'integer', (c) => c.notNull())
    .addColumn('by', 'text', (c) => c.references('user.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('conflict_escalation_conflict_idx')
    .on('conflict_escalation')
    .columns(['conflict_id', 'at'])
    .execute();

  await db.schema
    .createTable('conflict_method')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conflict_id', 'text', (c) => c.notNull().references('conflict.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('record', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('consultation_id', 'text')
    .addColumn('created_by', 'text', (c) => c.references('user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('conflict_method_conflict_idx')
    .on('conflict_method')
    .columns(['conflict_id', 'created_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('conflict_method').execute();
  await db.schema.dropTable('conflict_escalation').execute();
  await db.schema.dropTable('conflict_party').execute();
  await db.schema.dropTable('conflict').execute();
  await db.schema.dropTable('escalation_rung').execute();
}
