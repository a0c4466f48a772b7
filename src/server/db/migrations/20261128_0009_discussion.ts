import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/* Frozen once released. Live discussion threads on a clause of a round or on a conflict, their messages
 * (plain text with the user ids they mention, numbered per thread so clients page and catch up by number)
 * and each person's read marker for unread counts. Same for SQLite and PostgreSQL. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('discussion_thread')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('round.id').onDelete('cascade'))
    // Exactly one of the two subjects is set: a clause of the round's draft, or a conflict.
    .addColumn('clause_stable_id', 'text')
    .addColumn('conflict_id', 'text', (c) => c.references('conflict.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_message_at', 'text')
    .addColumn('message_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addCheckConstraint(
      'discussion_thread_subject_check',
      sql`(clause_stable_id is null) <> (conflict_id is null)`,
    )
    .execute();
  await db.schema
    .createIndex('discussion_thread_round_clause_idx')
    .on('discussion_thread')
    .columns(['round_id', 'clause_stable_id'])
    .execute();
  await db.schema
    .createIndex('discussion_thread_conflict_idx')
    .on('discussion_thread')
    .column('conflict_id')
    .execute();

  await db.schema
    .createTable('discussion_message')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('thread_id', 'text', (c) => c.notNull().references('discussion_thread.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.references('user.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('mentions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'text')
    .addColumn('deleted_at', 'text')
    .addUniqueConstraint('discussion_message_thread_seq_unique', ['thread_id', 'seq'])
    .execute();

  await db.schema
    .createTable('discussion_read')
    .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('thread_id', 'text', (c) => c.notNull().references('discussion_thread.id').onDelete('cascade'))
    .addColumn('last_read_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_read_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('discussion_read_pk', ['user_id', 'thread_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('discussion_read').execute();
  await db.schema.dropTable('discussion_message').execute();
  await db.schema.dropTable('discussion_thread').execute();
}
