import type { Insertable } from 'kysely';
import type { FlatClause, ClauseKind } from '../../domain/clause.ts';
import type { Executor } from '../db/executor.ts';
import type {
  ClauseMatchReviewRow,
  ClauseMatchReviewTable,
  ClauseRow,
  DraftVersionRow,
  DraftVersionTable,
  NewClause,
} from '../db/schema.ts';

export interface VersionRecord {
  id: string;
  planId: string;
  seq: number;
  label: string;
  title: string | null;
  sourceName: string;
  format: DraftVersionRow['format'];
  clauseCount: number;
  counts: Record<string, number>;
  warnings: string[];
  previousVersionId: string | null;
  match: Record<string, number> | null;
  createdBy: string | null;
  createdAt: string;
}

export function toVersion(row: DraftVersionRow): VersionRecord {
  return {
    id: row.id,
    planId: row.plan_id,
    seq: row.seq,
    label: row.label,
    title: row.title,
    sourceName: row.source_name,
    format: row.format,
    clauseCount: row.clause_count,
    counts: JSON.parse(row.counts) as Record<string, number>,
    warnings: JSON.parse(row.warnings) as string[],
    previousVersionId: row.previous_version_id,
    match: row.match_counts ? (JSON.parse(row.match_counts) as Record<string, number>) : null,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/** A stored clause as the matcher and differ see it. */
export function toFlatClause(row: ClauseRow): FlatClause & { id: string } {
  return {
    id: row.id,
    key: row.id,
    stableId: row.stable_id,
    parentKey: row.parent_id,
    kind: row.kind as ClauseKind,
    number: row.number,
    heading: row.heading,
    text: row.text,
    siblingIndex: row.sibling_index,
    path: row.path,
    ordinal: row.ordinal,
    depth: row.depth,
  };
}

export async function insertVersion(db: Executor, row: Insertable<DraftVersionTable>): Promise<void> {
  await db.insertInto('draft_version').values(row).execute();
}

const CLAUSE_CHUNK = 500;

export async function insertClauses(db: Executor, rows: NewClause[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CLAUSE_CHUNK) {
    await db
      .insertInto('clause')
      .values(rows.slice(i, i + CLAUSE_CHUNK))
      .execute();
  }
}

export async function insertMatchReviews(
  db: Executor,
  rows: Insertable<ClauseMatchReviewTable>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CLAUSE_CHUNK) {
    await db
      .insertInto('clause_match_review')
      .values(rows.slice(i, i + CLAUSE_CHUNK))
      .execute();
  }
}

export async function findVersion(db: Executor, id: string): Promise<VersionRecord | null> {
  const row = await db.selectFrom('draft_version').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toVersion(row) : null;
}

export async function listVersions(db: Executor, planId: string): Promise<VersionRecord[]> {
  const rows = await db
    .selectFrom('draft_version')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('seq')
    .execute();
  return rows.map(toVersion);
}

export async function latestVersion(db: Executor, planId: string): Promise<VersionRecord | null> {
  const row = await db
    .selectFrom('draft_version')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toVersion(row) : null;
}

export async function listClauses(db: Executor, versionId: string): Promise<ClauseRow[]> {
  return db
    .selectFrom('clause')
    .selectAll()
    .where('version_id', '=', versionId)
    .orderBy('position')
    .execute();
}

export async function findClause(db: Executor, id: string): Promise<ClauseRow | undefined> {
  return db.selectFrom('clause').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function clauseWithStableId(
  db: Executor,
  versionId: string,
  stableId: string,
): Promise<ClauseRow | undefined> {
  return db
    .selectFrom('clause')
    .selectAll()
    .where('version_id', '=', versionId)
    .where('stable_id', '=', stableId)
    .executeTakeFirst();
}

export async function setClauseStableId(db: Executor, clauseId: string, stableId: string): Promise<void> {
  await db.updateTable('clause').set({ stable_id: stableId }).where('id', '=', clauseId).execute();
}

export async function listMatchReviews(
  db: Executor,
  versionId: string,
  status?: ClauseMatchReviewRow['status'],
): Promise<ClauseMatchReviewRow[]> {
  let query = db.selectFrom('clause_match_review').selectAll().where('version_id', '=', versionId);
  if (status) {
    query = query.where('status', '=', status);
  }
  return query.orderBy('created_at').orderBy('id').execute();
}

export async function findMatchReview(db: Executor, id: string): Promise<ClauseMatchReviewRow | undefined> {
  return db.selectFrom('clause_match_review').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function resolveMatchReview(
  db: Executor,
  id: string,
  change: { status: 'accepted' | 'rejected'; resolvedBy: string | null; resolvedAt: string },
): Promise<void> {
  await db
    .updateTable('clause_match_review')
    .set({ status: change.status, resolved_by: change.resolvedBy, resolved_at: change.resolvedAt })
    .where('id', '=', id)
    .execute();
}

export async function updateVersionMatchCounts(
  db: Executor,
  id: string,
  counts: Record<string, number>,
): Promise<void> {
  await db
    .updateTable('draft_version')
    .set({ match_counts: JSON.stringify(counts) })
    .where('id', '=', id)
    .execute();
}
