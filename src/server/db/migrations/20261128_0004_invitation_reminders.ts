import type { Kysely } from 'kysely';

/* Frozen once released. Reminders to invited units that have not sent their reply: when the last one went
 * out and how many have. Same for SQLite and PostgreSQL. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // One column per statement: SQLite adds a single column per ALTER TABLE.
  await db.schema.alterTable('round_invitation').addColumn('last_reminded_at', 'text').execute();
  await db.schema
    .alterTable('round_invitation')
    .addColumn('reminder_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('round_invitation').dropColumn('reminder_count').execute();
  await db.schema.alterTable('round_invitation').dropColumn('last_reminded_at').execute();
}
