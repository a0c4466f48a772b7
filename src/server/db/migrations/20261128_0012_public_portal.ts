import type { Kysely } from 'kysely';

/* Frozen once released. The public comment portal: commenters, moderation and published summaries. Same for SQLite and PostgreSQL. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('portal_round')
    .addColumn('round_id', 'text', (c) => c.primaryKey().references('round.id').onDelete('cascade'))
    .addColumn('moderation', 'text', (c) => c.notNull().defaultTo('pre'))
    .addColumn('summary', 'text')
    .addColumn('summary_published_at', 'text')
    .addColumn('summary_published_by', 'text', (c) => c.references('user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('portal_comment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('round.id').onDelete('cascade'))
    .addColumn('receipt_no', 'text', (c) => c.notNull().unique())
    .addColumn('clause_stable_id', 'text')
    .addColumn('clause_id', 'text', (c) => c.references('clause.id'))
    .addColumn('suggestion', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text')
    .addColumn('proposed_text', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('opinion_id', 'text', (c) => c.references('opinion.id').onDelete('set null'))
    .addColumn('anonymous', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('client_hash', 'text', (c) => c.notNull())
    .addColumn('moderation_reason', 'text')
    .addColumn('moderated_by', 'text', (c) => c.references('user.id'))
    .addColumn('moderated_at', 'text')
    .addColumn('redacted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('portal_comment_round_status_idx')
    .on('portal_comment')
    .columns(['round_id', 'status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('portal_comment_opinion_idx')
    .on('portal_comment')
    .column('opinion_id')
    .execute();

  await db.schema
    .createTable('portal_commenter')
    .addColumn('comment_id', 'text', (c) =>
      c.primaryKey().references('portal_comment.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('contact', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('portal_redaction')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('comment_id', 'text', (c) => c.notNull().references('portal_comment.id').onDelete('cascade'))
    .addColumn('kinds', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('redacted_by', 'text', (c) => c.references('user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('portal_redaction_comment_idx')
    .on('portal_redaction')
    .column('comment_id')
    .execute();

  await db.schema
    .createTable('portal_captcha_use')
    .addColumn('signature', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('portal_captcha_use_expires_idx')
    .on('portal_captcha_use')
    .column('expires_at')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'portal_captcha_use',
    'portal_redaction',
    'portal_commenter',
    'portal_comment',
    'portal_round',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
