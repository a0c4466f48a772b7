import type { Kysely } from 'kysely';

/* Frozen once released. A leader's approval of a revision before it is published: who submitted it, who
 * approved it, and who returned it with which note. Same for SQLite and PostgreSQL. */

const COLUMNS = [
  'submitted_by',
  'submitted_at',
  'approved_by',
  'approved_at',
  'returned_by',
  'returned_at',
  'return_note',
] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // One column per statement: SQLite adds a single column per ALTER TABLE.
  for (const column of COLUMNS) {
    await db.schema
      .alterTable('revision')
      .addColumn(column, 'text', (c) => (column.endsWith('_by') ? c.references('user.id') : c))
      .execute();
  }
  await db.schema
    .createIndex('revision_plan_status_idx')
    .on('revision')
    .columns(['plan_id', 'status'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('revision_plan_status_idx').execute();
  for (const column of [...COLUMNS].reverse()) {
    await db.schema.alterTable('revision').dropColumn(column).execute();
  }
}
