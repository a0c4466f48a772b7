import type { Insertable, Updateable } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { Executor } from '../db/executor.ts';
import type {
  ClauseChangeTable,
  DispositionCode,
  OpinionStatus,
  RevisionStatus,
  RevisionTable,
} from '../db/schema.ts';
import type { Selectable } from 'kysely';

export type RevisionRow = Selectable<RevisionTable>;
export type ClauseChangeRow = Selectable<ClauseChangeTable>;
export type RevisionUpdate = Updateable<RevisionTable>;

export interface RevisionRecord {
  id: string;
  planId: string;
  baseVersionId: string;
  status: RevisionRow['status'];
  publishedVersionId: string | null;
  createdBy: string | null;
  createdAt: string;
  publishedAt: string | null;
  submittedBy: string | null;
  submittedAt: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  returnedBy: string | null;
  returnedAt: string | null;
  returnNote: string | null;
}

/** A revision in a plan's list: with its base version, its number of changes and the people's names. */
export interface RevisionSummary extends RevisionRecord {
  baseVersion: { id: string; seq: number; label: string };
  changeCount: number;
  createdByName: string | null;
  submittedByName: string | null;
  approvedByName: string | null;
  returnedByName: string | null;
}

/** The states in which a plan's revision is still open (one per plan). */
export const OPEN_REVISION_STATES: readonly RevisionStatus[] = ['draft', 'submitted', 'approved'];

export interface ClauseChangeRecord {
  id: string;
  revisionId: string;
  stableId: string;
  kind: ClauseChangeRow['kind'];
  afterStableId: string | null;
  oldText: string | null;
  newText: string | null;
  newHeading: string | null;
  opinionIds: string[];
  reason: string | null;
  authorId: string | null;
  createdAt: string;
  updatedAt: string;
}

export const toRevision = (row: RevisionRow): RevisionRecord => ({
  id: row.id,
  planId: row.plan_id,
  baseVersionId: row.base_version_id,
  status: row.status,
  publishedVersionId: row.published_version_id,
  createdBy: row.created_by,
  createdAt: row.created_at,
  publishedAt: row.published_at,
  submittedBy: row.submitted_by,
  submittedAt: row.submitted_at,
  approvedBy: row.approved_by,
  approvedAt: row.approved_at,
  returnedBy: row.returned_by,
  returnedAt: row.returned_at,
  returnNote: row.return_note,
});

export const toChange = (row: ClauseChangeRow): ClauseChangeRecord => ({
  id: row.id,
  revisionId: row.revision_id,
  stableId: row.clause_stable_id,
  kind: row.kind,
  afterStableId: row.after_stable_id,
  oldText: row.old_text,
  newText: row.new_text,
  newHeading: row.new_heading,
  opinionIds: JSON.parse(row.opinion_ids) as string[],
  reason: row.reason,
  authorId: row.author_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function insertRevision(db: Executor, row: Insertable<RevisionTable>): Promise<void> {
  await db.insertInto('revision').values(row).execute();
}

export async function findRevision(db: Executor, id: string): Promise<RevisionRecord | null> {
  const row = await db.selectFrom('revision').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRevision(row) : null;
}

/**
 * Reads a revision inside a transaction that is about to change it (or its changes), locking its row on
 * PostgreSQL so that an edit and a submission cannot interleave; SQLite serialises writers already.
 */
export async function lockRevision(
  tx: Executor,
  id: string,
  dialect: Dialect,
): Promise<RevisionRecord | null> {
  let query = tx.selectFrom('revision').selectAll().where('id', '=', id);
  if (dialect === 'postgres') {
    query = query.forUpdate();
  }
  const row = await query.executeTakeFirst();
  return row ? toRevision(row) : null;
}

/** The plan's open revision (being edited, waiting for approval, or approved and not yet published). */
export async function findOpenRevision(db: Executor, planId: string): Promise<RevisionRecord | null> {
  const row = await db
    .selectFrom('revision')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('status', 'in', OPEN_REVISION_STATES)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row ? toRevision(row) : null;
}

/** Every revision of a plan, newest first, with its base version, change count and people's names. */
export async function listRevisionsOfPlan(db: Executor, planId: string): Promise<RevisionSummary[]> {
  const rows = await db
    .selectFrom('revision')
    .innerJoin('draft_version as v', 'v.id', 'revision.base_version_id')
    .leftJoin('user as creator', 'creator.id', 'revision.created_by')
    .leftJoin('user as submitter', 'submitter.id', 'revision.submitted_by')
    .leftJoin('user as approver', 'approver.id', 'revision.approved_by')
    .leftJoin('user as returner', 'returner.id', 'revision.returned_by')
    .selectAll('revision')
    .select((eb) => [
      'v.seq as base_seq',
      'v.label as base_label',
      'creator.name as created_by_name',
      'submitter.name as submitted_by_name',
      'approver.name as approved_by_name',
      'returner.name as returned_by_name',
      eb
        .selectFrom('clause_change')
        .whereRef('clause_change.revision_id', '=', 'revision.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('change_count'),
    ])
    .where('revision.plan_id', '=', planId)
    .orderBy('revision.created_at', 'desc')
    .orderBy('revision.id', 'desc')
    .execute();
  return rows.map((row) => ({
    ...toRevision(row),
    baseVersion: { id: row.base_version_id, seq: row.base_seq, label: row.base_label },
    changeCount: Number(row.change_count ?? 0),
    createdByName: row.created_by_name,
    submittedByName: row.submitted_by_name,
    approvedByName: row.approved_by_name,
    returnedByName: row.returned_by_name,
  }));
}

/**
 * Moves a revision from one state to another with the columns that record the step; returns false when it
 * was no longer in `from` (the caller holds the row lock, so this is a safeguard, not the check).
 */
export async function updateRevisionState(
  db: Executor,
  id: string,
  change: { from: RevisionStatus; set: RevisionUpdate & { status: RevisionStatus } },
): Promise<boolean> {
  const result = await db
    .updateTable('revision')
    .set(change.set)
    .where('id', '=', id)
    .where('status', '=', change.from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The latest revision (open or published) based on a version: what a round's exports show. */
export async function latestRevisionOnVersion(
  db: Executor,
  versionId: string,
): Promise<RevisionRecord | null> {
  const row = await db
    .selectFrom('revision')
    .selectAll()
    .where('base_version_id', '=', versionId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toRevision(row) : null;
}

export async function markRevisionPublished(
  db: Executor,
  id: string,
  change: { versionId: string; at: string },
): Promise<void> {
  await db
    .updateTable('revision')
    .set({ status: 'published', published_version_id: change.versionId, published_at: change.at })
    .where('id', '=', id)
    .where('status', '=', 'approved')
    .execute();
}

export async function listChanges(db: Executor, revisionId: string): Promise<ClauseChangeRecord[]> {
  const rows = await db
    .selectFrom('clause_change')
    .selectAll()
    .where('revision_id', '=', revisionId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toChange);
}

export async function insertChange(db: Executor, row: Insertable<ClauseChangeTable>): Promise<void> {
  await db.insertInto('clause_change').values(row).execute();
}

export async function updateChange(
  db: Executor,
  id: string,
  change: Updateable<ClauseChangeTable>,
): Promise<void> {
  await db.updateTable('clause_change').set(change).where('id', '=', id).execute();
}

export async function deleteChange(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('clause_change').where('id', '=', id).execute();
}

export interface OpinionForRevision {
  id: string;
  roundId: string;
  planId: string;
  versionId: string;
  clauseStableId: string | null;
  clauseId: string | null;
  proposedText: string | null;
  status: OpinionStatus;
  regNo: string | null;
}

export async function findOpinionForRevision(db: Executor, id: string): Promise<OpinionForRevision | null> {
  const row = await db
    .selectFrom('opinion')
    .innerJoin('round', 'round.id', 'opinion.round_id')
    .select([
      'opinion.id',
      'opinion.round_id',
      'round.plan_id',
      'round.version_id',
      'opinion.clause_stable_id',
      'opinion.clause_id',
      'opinion.proposed_text',
      'opinion.status',
      'opinion.reg_no',
    ])
    .where('opinion.id', '=', id)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        roundId: row.round_id,
        planId: row.plan_id,
        versionId: row.version_id,
        clauseStableId: row.clause_stable_id,
        clauseId: row.clause_id,
        proposedText: row.proposed_text,
        status: row.status,
        regNo: row.reg_no,
      }
    : null;
}

/** Opinions of the plan's rounds with an approved adopted / partially adopted disposition. */
export async function listAdoptedOpinionIds(db: Executor, planId: string): Promise<string[]> {
  const adopted: DispositionCode[] = ['adopted', 'partially_adopted'];
  const rows = await db
    .selectFrom('opinion')
    .innerJoin('round', 'round.id', 'opinion.round_id')
    .innerJoin('disposition', 'disposition.opinion_id', 'opinion.id')
    .select('opinion.id')
    .distinct()
    .where('round.plan_id', '=', planId)
    .where('opinion.status', '=', 'submitted')
    .where('disposition.status', '=', 'approved')
    .where('disposition.code', 'in', adopted)
    .orderBy('opinion.id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Submitted opinions of the plan on a clause of `versionId` with no approved disposition: the ones that
 * follow their clause into the next version.
 */
export async function listOpenOpinionsOnVersion(
  db: Executor,
  versionId: string,
): Promise<{ id: string; clauseStableId: string | null; clauseId: string | null }[]> {
  const rows = await db
    .selectFrom('opinion')
    .innerJoin('clause', 'clause.id', 'opinion.clause_id')
    .select(['opinion.id', 'opinion.clause_stable_id', 'opinion.clause_id'])
    .where('clause.version_id', '=', versionId)
    .where('opinion.status', '=', 'submitted')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('disposition')
            .select('disposition.id')
            .whereRef('disposition.opinion_id', '=', 'opinion.id')
            .where('disposition.status', '=', 'approved'),
        ),
      ),
    )
    .orderBy('opinion.id')
    .execute();
  return rows.map((r) => ({ id: r.id, clauseStableId: r.clause_stable_id, clauseId: r.clause_id }));
}

export async function moveOpinionToClause(
  db: Executor,
  opinionId: string,
  clause: { id: string; stableId: string },
  at: string,
): Promise<void> {
  await db
    .updateTable('opinion')
    .set({ clause_id: clause.id, clause_stable_id: clause.stableId, updated_at: at })
    .where('id', '=', opinionId)
    .execute();
}
