import type { Kysely } from 'kysely';
import { PostgresAdapter, sql } from 'kysely';

/* Frozen once released. The data library: documents (the file itself and its text split into passages),
 * full-text search over the passages, tables of indicators, and citations from opinions, dispositions,
 * conflicts and calculation sheets. Same tables for SQLite and PostgreSQL; only the full-text index differs:
 * an FTS5 table kept in step by triggers on SQLite, a GIN index over tsvector('simple') on PostgreSQL. Both
 * index `library_passage.tokens`, the passage's words as the application segmented them (jieba for Chinese),
 * separated by spaces, so neither database needs a Chinese parser. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const binary = postgres ? 'bytea' : 'blob';

  await db.schema
    .createTable('library_document')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('plan_id', 'text', (c) => c.references('plan.id').onDelete('cascade'))
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('year', 'integer')
    .addColumn('issuing_body', 'text')
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('data', binary, (c) => c.notNull())
    .addColumn('page_count', 'integer')
    .addColumn('passage_count', 'integer', (c) => c.notNull())
    .addColumn('char_count', 'integer', (c) => c.notNull())
    .addColumn('warnings', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('uploaded_by', 'text', (c) => c.references('user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('library_document_owner_idx')
    .on('library_document')
    .columns(['owner_unit_id', 'created_at'])
    .execute();
  await db.schema.createIndex('library_document_plan_idx').on('library_document').column('plan_id').execute();

  await db.schema
    .createTable('library_passage')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_id', 'text', (c) =>
      c.notNull().references('library_document.id').onDelete('cascade'),
    )
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('page', 'integer')
    .addColumn('label', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('tokens', 'text', (c) => c.notNull())
    .addUniqueConstraint('library_passage_document_ordinal_unique', ['document_id', 'ordinal'])
    .execute();

  if (postgres) {
    // Stored, so ranking reads each matching passage's vector instead of parsing its tokens again.
    await sql`alter table library_passage add column tokens_tsv tsvector generated always as (to_tsvector('simple', tokens)) stored`.execute(
      db,
    );
    await sql`create index library_passage_tokens_idx on library_passage using gin (tokens_tsv)`.execute(db);
  } else {
    // A standalone FTS5 table: the passage id rides along unindexed. Triggers keep it in step with the
    // passages, so every writer stays dialect-free; deleting a document removes its rows in one statement.
    await sql`create virtual table library_passage_fts using fts5(passage_id unindexed, document_id unindexed, tokens, tokenize = 'unicode61 remove_diacritics 2')`.execute(
      db,
    );
    await sql`create trigger library_passage_fts_insert after insert on library_passage begin
      insert into library_passage_fts (passage_id, document_id, tokens) values (new.id, new.document_id, new.tokens);
    end`.execute(db);
    await sql`create trigger library_document_fts_delete after delete on library_document begin
      delete from library_passage_fts where document_id = old.id;
    end`.execute(db);
  }

  await db.schema
    .createTable('library_indicator')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('plan_id', 'text', (c) => c.references('plan.id').onDelete('cascade'))
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.references('library_document.id').onDelete('set null'))
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'real', (c) => c.notNull())
    .addColumn('unit', 'text')
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('region', 'text')
    .addColumn('source', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('library_indicator_owner_idx')
    .on('library_indicator')
    .columns(['owner_unit_id', 'name', 'year'])
    .execute();
  await db.schema
    .createIndex('library_indicator_plan_idx')
    .on('library_indicator')
    .column('plan_id')
    .execute();

  await db.schema
    .createTable('citation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('from_kind', 'text', (c) => c.notNull())
    .addColumn('from_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.references('library_document.id').onDelete('cascade'))
    .addColumn('passage_id', 'text', (c) => c.references('library_passage.id').onDelete('cascade'))
    .addColumn('indicator_id', 'text', (c) => c.references('library_indicator.id').onDelete('cascade'))
    .addColumn('quote', 'text')
    .addColumn('created_by', 'text', (c) => c.references('user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('citation_from_idx').on('citation').columns(['from_kind', 'from_id']).execute();
  await db.schema.createIndex('citation_document_idx').on('citation').column('document_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.dropTable('citation').execute();
  await db.schema.dropTable('library_indicator').execute();
  if (!postgres) {
    await sql`drop trigger library_document_fts_delete`.execute(db);
    await sql`drop table library_passage_fts`.execute(db);
  }
  await db.schema.dropTable('library_passage').execute();
  await db.schema.dropTable('library_document').execute();
}
