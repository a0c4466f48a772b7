import type { Kysely } from 'kysely';

/* Frozen once released. Reminders before deadlines and supervision of overdue units: per-round settings
 * and one row per reminder sent, automatic or by hand. Same for SQLite and PostgreSQL. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reminder_setting')
    .addColumn('round_id', 'text', (c) => c.primaryKey().references('round.id').onDelete('cascade'))
    .addColumn('before_days', 'text', (c) => c.notNull())
    .addColumn('leader_after_days', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_by', 'text', (c) => c.references('user.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('reminder')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('round.id').onDelete('cascade'))
    .addColumn('invitation_id', 'text', (c) =>
      c.notNull().references('round_invitation.id').onDelete('cascade'),
    )
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('sent_by', 'text', (c) => c.references('user.id'))
    .addColumn('recipients', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('note', 'text')
    // invitation:rule:due_on for automatic reminders, so a second sweep inserts nothing; null for manual ones.
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .execute();
  await db.schema
    .createIndex('reminder_invitation_idx')
    .on('reminder')
    .columns(['invitation_id', 'sent_at'])
    .execute();
  await db.schema.createIndex('reminder_round_idx').on('reminder').columns(['round_id', 'sent_at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('reminder').execute();
  await db.schema.dropTable('reminder_setting').execute();
}
