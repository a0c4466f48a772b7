import type { RawBuilder, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { Executor } from '../db/executor.ts';
import type {
  CitationFromKind,
  CitationTable,
  IndicatorKind,
  LibraryDocumentKind,
  LibraryDocumentTable,
  LibraryFormat,
  LibraryIndicatorTable,
  LibraryPassageTable,
  LibraryVisibility,
} from '../db/tables/library.ts';

/**
 * What of the library an actor may see: everything (administrators), or the items shared with all, those
 * of the actor's unit, and those shared with a plan the actor takes part in.
 */
export type LibraryScope = { all: true } | { all: false; unitId: string | null; planIds: string[] };

export interface DocumentRecord {
  id: string;
  ownerUnitId: string;
  planId: string | null;
  visibility: LibraryVisibility;
  kind: LibraryDocumentKind;
  title: string;
  source: string | null;
  year: number | null;
  issuingBody: string | null;
  fileName: string;
  format: LibraryFormat;
  contentType: string;
  size: number;
  sha256: string;
  pageCount: number | null;
  passageCount: number;
  charCount: number;
  warnings: string[];
  uploadedBy: string | null;
  createdAt: string;
}

export interface PassageRecord {
  id: string;
  documentId: string;
  ordinal: number;
  page: number | null;
  label: string | null;
  text: string;
}

export interface IndicatorRecord {
  id: string;
  ownerUnitId: string;
  planId: string | null;
  visibility: LibraryVisibility;
  documentId: string | null;
  importId: string;
  rowNumber: number;
  name: string;
  value: number;
  unit: string | null;
  year: number;
  region: string | null;
  source: string | null;
  kind: IndicatorKind;
  createdBy: string | null;
  createdAt: string;
}

export interface CitationRecord {
  id: string;
  fromKind: CitationFromKind;
  fromId: string;
  documentId: string | null;
  passageId: string | null;
  indicatorId: string | null;
  quote: string | null;
  createdBy: string | null;
  createdAt: string;
}

/**
 * A parsed search: every term must match; a term matches when any of its alternatives does, and an
 * alternative when all its tokens do (a long Chinese word or the pieces it is indexed with).
 */
export type SearchQuery = string[][][];

export interface SearchHit {
  passage: PassageRecord;
  document: DocumentRecord;
  /** Higher is better, comparable within one result list only. */
  score: number;
}

const DOCUMENT_COLUMNS = [
  'd.id',
  'd.owner_unit_id',
  'd.plan_id',
  'd.visibility',
  'd.kind',
  'd.title',
  'd.source',
  'd.year',
  'd.issuing_body',
  'd.file_name',
  'd.format',
  'd.content_type',
  'd.size',
  'd.sha256',
  'd.page_count',
  'd.passage_count',
  'd.char_count',
  'd.warnings',
  'd.uploaded_by',
  'd.created_at',
] as const;

type DocumentRow = Omit<Selectable<LibraryDocumentTable>, 'data'>;

const toDocument = (row: DocumentRow): DocumentRecord => ({
  id: row.id,
  ownerUnitId: row.owner_unit_id,
  planId: row.plan_id,
  visibility: row.visibility,
  kind: row.kind,
  title: row.title,
  source: row.source,
  year: row.year,
  issuingBody: row.issuing_body,
  fileName: row.file_name,
  format: row.format,
  contentType: row.content_type,
  size: Number(row.size),
  sha256: row.sha256,
  pageCount: row.page_count,
  passageCount: row.passage_count,
  charCount: row.char_count,
  warnings: JSON.parse(row.warnings) as string[],
  uploadedBy: row.uploaded_by,
  createdAt: row.created_at,
});

const toPassage = (row: Omit<Selectable<LibraryPassageTable>, 'tokens'>): PassageRecord => ({
  id: row.id,
  documentId: row.document_id,
  ordinal: row.ordinal,
  page: row.page,
  label: row.label,
  text: row.text,
});

const toIndicator = (row: Selectable<LibraryIndicatorTable>): IndicatorRecord => ({
  id: row.id,
  ownerUnitId: row.owner_unit_id,
  planId: row.plan_id,
  visibility: row.visibility,
  documentId: row.document_id,
  importId: row.import_id,
  rowNumber: row.row_number,
  name: row.name,
  value: Number(row.value),
  unit: row.unit,
  year: row.year,
  region: row.region,
  source: row.source,
  kind: row.kind,
  createdBy: row.created_by,
  createdAt: row.created_at,
});

const toCitation = (row: Selectable<CitationTable>): CitationRecord => ({
  id: row.id,
  fromKind: row.from_kind,
  fromId: row.from_id,
  documentId: row.document_id,
  passageId: row.passage_id,
  indicatorId: row.indicator_id,
  quote: row.quote,
  createdBy: row.created_by,
  createdAt: row.created_at,
});

/** The visibility rule as SQL, for a table aliased `alias` with owner_unit_id, plan_id and visibility. */
function visibleTo(scope: LibraryScope, alias: 'd' | 'i'): RawBuilder<boolean> {
  if (scope.all) {
    return sql<boolean>`1 = 1`;
  }
  const ref = (column: string) => sql.ref(`${alias}.${column}`);
  const either: RawBuilder<boolean>[] = [sql<boolean>`${ref('visibility')} = 'all'`];
  if (scope.unitId) {
    either.push(sql<boolean>`${ref('owner_unit_id')} = ${scope.unitId}`);
  }
  if (scope.planIds.length > 0) {
    either.push(
      sql<boolean>`(${ref('visibility')} = 'plan' and ${ref('plan_id')} in (${sql.join(scope.planIds)}))`,
    );
  }
  return sql<boolean>`(${sql.join(either, sql` or `)})`;
}

// ------------------------------------------------------------------------------------------ scope

/** Plans a unit takes part in: those it owns and those with a round it is invited to. */
export async function listPlanIdsOfUnits(db: Executor, unitIds: string[]): Promise<string[]> {
  if (unitIds.length === 0) {
    return [];
  }
  const owned = await db.selectFrom('plan').select('id').where('owner_unit_id', 'in', unitIds).execute();
  const invited = await db
    .selectFrom('round_invitation as ri')
    .innerJoin('round as r', 'r.id', 'ri.round_id')
    .select('r.plan_id as id')
    .where('ri.unit_id', 'in', unitIds)
    .distinct()
    .execute();
  return [...new Set([...owned, ...invited].map((row) => row.id))];
}

/** Whether a unit is invited to any round of a plan. */
export async function isUnitInvitedToPlan(db: Executor, planId: string, unitId: string): Promise<boolean> {
  const row = await db
    .selectFrom('round_invitation as ri')
    .innerJoin('round as r', 'r.id', 'ri.round_id')
    .select('ri.id')
    .where('r.plan_id', '=', planId)
    .where('ri.unit_id', '=', unitId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

// -------------------------------------------------------------------------------------- documents

export async function insertDocument(
  db: Executor,
  document: LibraryDocumentTable,
  passages: LibraryPassageTable[],
): Promise<void> {
  await db.insertInto('library_document').values(document).execute();
  // Batches stay well under SQLite's bound-parameter limit.
  for (let i = 0; i < passages.length; i += 500) {
    await db
      .insertInto('library_passage')
      .values(passages.slice(i, i + 500))
      .execute();
  }
}

export async function findDocument(db: Executor, id: string): Promise<DocumentRecord | undefined> {
  const row = await db
    .selectFrom('library_document as d')
    .select(DOCUMENT_COLUMNS)
    .where('d.id', '=', id)
    .executeTakeFirst();
  return row ? toDocument(row) : undefined;
}

export async function findDocumentFile(
  db: Executor,
  id: string,
): Promise<{ fileName: string; contentType: string; sha256: string; data: Buffer } | undefined> {
  const row = await db
    .selectFrom('library_document')
    .select(['file_name', 'content_type', 'sha256', 'data'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row
    ? {
        fileName: row.file_name,
        contentType: row.content_type,
        sha256: row.sha256,
        data: Buffer.from(row.data),
      }
    : undefined;
}

export interface DocumentFilter {
  kind?: LibraryDocumentKind;
  year?: number;
  planId?: string;
  /** Part of the title, source or issuing body. */
  text?: string;
  limit: number;
  offset: number;
}

export async function listDocuments(
  db: Executor,
  scope: LibraryScope,
  filter: DocumentFilter,
): Promise<{ items: DocumentRecord[]; total: number }> {
  let query = db.selectFrom('library_document as d').where(visibleTo(scope, 'd'));
  if (filter.kind) {
    query = query.where('d.kind', '=', filter.kind);
  }
  if (filter.year !== undefined) {
    query = query.where('d.year', '=', filter.year);
  }
  if (filter.planId) {
    query = query.where('d.plan_id', '=', filter.planId);
  }
  if (filter.text) {
    const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or(
        (['d.title', 'd.source', 'd.issuing_body'] as const).map(
          (column) => sql<boolean>`lower(${sql.ref(column)}) like lower(${pattern}) escape '\\'`,
        ),
      ),
    );
  }
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await query
    .select(DOCUMENT_COLUMNS)
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { items: rows.map(toDocument), total: Number(total.n) };
}

/** Deletes a document; its passages, its citations and (on SQLite) its full-text rows go with it. */
export async function deleteDocument(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('citation').where('document_id', '=', id).execute();
  await db
    .deleteFrom('citation')
    .where('passage_id', 'in', db.selectFrom('library_passage').select('id').where('document_id', '=', id))
    .execute();
  await db
    .updateTable('library_indicator')
    .set({ document_id: null })
    .where('document_id', '=', id)
    .execute();
  await db.deleteFrom('library_passage').where('document_id', '=', id).execute();
  await db.deleteFrom('library_document').where('id', '=', id).execute();
}

export async function countCitationsOfDocument(db: Executor, id: string): Promise<number> {
  const row = await db
    .selectFrom('citation')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('document_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// --------------------------------------------------------------------------------------- passages

export async function findPassage(db: Executor, id: string): Promise<PassageRecord | undefined> {
  const row = await db
    .selectFrom('library_passage')
    .select(['id', 'document_id', 'ordinal', 'page', 'label', 'text'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toPassage(row) : undefined;
}

/** The passages of a document from ordinal `from` to `to`, in order. */
export async function listPassageRange(
  db: Executor,
  documentId: string,
  range: { from: number; to: number },
): Promise<PassageRecord[]> {
  const rows = await db
    .selectFrom('library_passage')
    .select(['id', 'document_id', 'ordinal', 'page', 'label', 'text'])
    .where('document_id', '=', documentId)
    .where('ordinal', '>=', range.from)
    .where('ordinal', '<=', range.to)
    .orderBy('ordinal')
    .execute();
  return rows.map(toPassage);
}

// ----------------------------------------------------------------------------------------- search

const quoteFts5 = (token: string): string => `"${token.replace(/"/g, '""')}"`;
const quoteTsquery = (token: string): string => `'${token.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

function renderQuery(query: SearchQuery, quote: (token: string) => string, and: string, or: string): string {
  return query
    .map((alternatives) => `(${alternatives.map((tokens) => `(${tokens.map(quote).join(and)})`).join(or)})`)
    .join(and);
}

/** The FTS5 MATCH expression of a query (exported for its tests). */
export const renderFts5Query = (query: SearchQuery): string => renderQuery(query, quoteFts5, ' AND ', ' OR ');
/** The to_tsquery('simple', …) text of a query. */
export const renderTsquery = (query: SearchQuery): string => renderQuery(query, quoteTsquery, ' & ', ' | ');

export interface SearchFilter {
  kind?: LibraryDocumentKind;
  year?: number;
  planId?: string;
  limit: number;
}

/**
 * Ranked passages matching every term of `query` in documents the scope sees: FTS5 with bm25 on SQLite,
 * tsvector('simple') with ts_rank on PostgreSQL. Both index the same space-separated tokens.
 */
export async function searchPassages(
  db: Executor,
  dialect: Dialect,
  options: { query: SearchQuery; scope: LibraryScope; filter: SearchFilter },
): Promise<SearchHit[]> {
  if (options.query.length === 0) {
    return [];
  }
  return dialect === 'postgres' ? searchPostgres(db, options) : searchSqlite(db, options);
}

type SearchOptions = { query: SearchQuery; scope: LibraryScope; filter: SearchFilter };

async function searchSqlite(db: Executor, { query, scope, filter }: SearchOptions): Promise<SearchHit[]> {
  const match = renderFts5Query(query);
  // bm25() is lower for better matches; it is negated so both dialects rank "higher is better".
  const fts = sql<{
    passage_id: string;
    score: number;
  }>`(select passage_id, -bm25(library_passage_fts) as score from library_passage_fts where library_passage_fts match ${match})`;
  let builder = db
    .selectFrom('library_passage as p')
    .innerJoin(fts.as('f'), (join) => join.onRef('f.passage_id', '=', 'p.id'))
    .innerJoin('library_document as d', 'd.id', 'p.document_id')
    .where(visibleTo(scope, 'd'));
  if (filter.kind) {
    builder = builder.where('d.kind', '=', filter.kind);
  }
  if (filter.year !== undefined) {
    builder = builder.where('d.year', '=', filter.year);
  }
  if (filter.planId) {
    builder = builder.where('d.plan_id', '=', filter.planId);
  }
  const rows = await builder
    .select(DOCUMENT_COLUMNS)
    .select([
      'p.id as p_id',
      'p.ordinal as p_ordinal',
      'p.page as p_page',
      'p.label as p_label',
      'p.text as p_text',
      'f.score as score',
    ])
    .orderBy('score', 'desc')
    .orderBy('p.id')
    .limit(filter.limit)
    .execute();
  return rows.map(toHit);
}

async function searchPostgres(db: Executor, { query, scope, filter }: SearchOptions): Promise<SearchHit[]> {
  const tsquery = sql`to_tsquery('simple', ${renderTsquery(query)})`;
  const vector = sql.ref('p.tokens_tsv');
  let builder = db
    .selectFrom('library_passage as p')
    .innerJoin('library_document as d', 'd.id', 'p.document_id')
    .where(sql<boolean>`${vector} @@ ${tsquery}`)
    .where(visibleTo(scope, 'd'));
  if (filter.kind) {
    builder = builder.where('d.kind', '=', filter.kind);
  }
  if (filter.year !== undefined) {
    builder = builder.where('d.year', '=', filter.year);
  }
  if (filter.planId) {
    builder = builder.where('d.plan_id', '=', filter.planId);
  }
  const rows = await builder
    .select(DOCUMENT_COLUMNS)
    .select([
      'p.id as p_id',
      'p.ordinal as p_ordinal',
      'p.page as p_page',
      'p.label as p_label',
      'p.text as p_text',
      sql<number>`ts_rank(${vector}, ${tsquery})`.as('score'),
    ])
    .orderBy('score', 'desc')
    .orderBy('p.id')
    .limit(filter.limit)
    .execute();
  return rows.map(toHit);
}

function toHit(
  row: DocumentRow & {
    p_id: string;
    p_ordinal: number;
    p_page: number | null;
    p_label: string | null;
    p_text: string;
    score: number;
  },
): SearchHit {
  return {
    document: toDocument(row),
    passage: {
      id: row.p_id,
      documentId: row.id,
      ordinal: row.p_ordinal,
      page: row.p_page,
      label: row.p_label,
      text: row.p_text,
    },
    score: Number(row.score),
  };
}

// ------------------------------------------------------------------------------------- indicators

export async function insertIndicators(db: Executor, rows: LibraryIndicatorTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('library_indicator')
      .values(rows.slice(i, i + 200))
      .execute();
  }
}

export async function findIndicator(db: Executor, id: string): Promise<IndicatorRecord | undefined> {
  const row = await db.selectFrom('library_indicator').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toIndicator(row) : undefined;
}

export interface IndicatorFilter {
  /** Part of the name. */
  name?: string;
  year?: number;
  region?: string;
  kind?: IndicatorKind;
  planId?: string;
  documentId?: string;
  importId?: string;
  limit: number;
  offset: number;
}

export async function listIndicators(
  db: Executor,
  scope: LibraryScope,
  filter: IndicatorFilter,
): Promise<{ items: IndicatorRecord[]; total: number }> {
  let query = db.selectFrom('library_indicator as i').where(visibleTo(scope, 'i'));
  if (filter.name) {
    const pattern = `%${filter.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`lower(i.name) like lower(${pattern}) escape '\\'`);
  }
  if (filter.year !== undefined) {
    query = query.where('i.year', '=', filter.year);
  }
  if (filter.region) {
    query = query.where('i.region', '=', filter.region);
  }
  if (filter.kind) {
    query = query.where('i.kind', '=', filter.kind);
  }
  if (filter.planId) {
    query = query.where('i.plan_id', '=', filter.planId);
  }
  if (filter.documentId) {
    query = query.where('i.document_id', '=', filter.documentId);
  }
  if (filter.importId) {
    query = query.where('i.import_id', '=', filter.importId);
  }
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll('i')
    .orderBy('i.name')
    .orderBy('i.year')
    .orderBy('i.id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { items: rows.map(toIndicator), total: Number(total.n) };
}

// -------------------------------------------------------------------------------------- citations

export async function insertCitation(db: Executor, row: CitationTable): Promise<void> {
  await db.insertInto('citation').values(row).execute();
}

export async function findCitation(db: Executor, id: string): Promise<CitationRecord | undefined> {
  const row = await db.selectFrom('citation').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toCitation(row) : undefined;
}

export async function listCitationsFrom(
  db: Executor,
  from: { kind: CitationFromKind; id: string },
): Promise<CitationRecord[]> {
  const rows = await db
    .selectFrom('citation')
    .selectAll()
    .where('from_kind', '=', from.kind)
    .where('from_id', '=', from.id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toCitation);
}

/** Whether the thing a citation is made from exists (a calculation sheet lives with its conflict). */
export async function citingItemExists(db: Executor, kind: CitationFromKind, id: string): Promise<boolean> {
  if (kind === 'opinion') {
    return (
      (await db.selectFrom('opinion').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
    );
  }
  if (kind === 'disposition') {
    return (
      (await db.selectFrom('disposition').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
    );
  }
  return true;
}
