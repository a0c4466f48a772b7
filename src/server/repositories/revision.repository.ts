import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../db/executor.ts';
import type { ClauseChangeTable, DispositionCode, OpinionStatus, RevisionTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';

export type RevisionRow = Selectable<RevisionTable>;
export type ClauseChangeRow = Selectable<ClauseChangeTable>;

export interface RevisionRecord {
  id: string;
  planId: string;
  baseVersionId: string;
  status: RevisionRow['status'];
  publishedVersionId: string | null;
  createdBy: string | null;
  createdAt: string;
  publishedAt: string | null;
}

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

export async function findOpenRevision(db: Executor, planId: string): Promise<RevisionRecord | null> {
  const row = await db
    .selectFrom('revision')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return row ? toRevision(row) : null;
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
