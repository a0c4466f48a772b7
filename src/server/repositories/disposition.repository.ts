import type { Insertable, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../db/executor.ts';
import type {
  DispositionStatus,
  DispositionTable,
  FollowUpTable,
  OpinionTable,
  ReasonTemplateTable,
  RoundTable,
} from '../db/schema.ts';

/* Assessment (研判) and dispositions (处理意见): the opinion columns they own, dispositions, reason
 * templates and follow-ups. Rounds and opinions themselves belong to their own repositories; the few
 * reads here are what assessment needs. */

export type RoundRow = Selectable<RoundTable>;
export type OpinionRow = Selectable<OpinionTable>;
export type DispositionRow = Selectable<DispositionTable>;

export interface AssessedOpinion {
  id: string;
  roundId: string;
  unitId: string | null;
  regNo: string | null;
  clauseStableId: string | null;
  suggestion: string;
  reasons: string | null;
  proposedText: string | null;
  kind: OpinionRow['kind'];
  blocking: boolean;
  priority: OpinionRow['priority'];
  assigneeId: string | null;
  dispositionStatus: OpinionRow['disposition_status'];
  submittedAt: string | null;
}

export const toAssessedOpinion = (row: OpinionRow): AssessedOpinion => ({
  id: row.id,
  roundId: row.round_id,
  unitId: row.unit_id,
  regNo: row.reg_no,
  clauseStableId: row.clause_stable_id,
  suggestion: row.suggestion,
  reasons: row.reasons,
  proposedText: row.proposed_text,
  kind: row.kind,
  blocking: row.blocking === 1,
  priority: row.priority,
  assigneeId: row.assignee_id,
  dispositionStatus: row.disposition_status,
  submittedAt: row.submitted_at,
});

export interface DispositionRecord {
  id: string;
  opinionId: string;
  code: DispositionRow['code'];
  reason: string | null;
  basis: DispositionRow['basis'];
  status: DispositionStatus;
  proposedBy: string | null;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  objectionId: string | null;
  createdAt: string;
}

export const toDisposition = (row: DispositionRow): DispositionRecord => ({
  id: row.id,
  opinionId: row.opinion_id,
  code: row.code,
  reason: row.reason,
  basis: row.basis,
  status: row.status,
  proposedBy: row.proposed_by,
  proposedAt: row.proposed_at,
  decidedBy: row.decided_by,
  decidedAt: row.decided_at,
  objectionId: row.objection_id,
  createdAt: row.created_at,
});

export async function findRoundRow(db: Executor, id: string): Promise<RoundRow | undefined> {
  return db.selectFrom('round').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The submitted opinions of a round among `ids`. */
export async function listSubmittedOpinions(
  db: Executor,
  roundId: string,
  ids: string[],
): Promise<OpinionRow[]> {
  if (ids.length === 0) {
    return [];
  }
  return db
    .selectFrom('opinion')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('status', '=', 'submitted')
    .where('id', 'in', ids)
    .execute();
}

export async function updateOpinionAssessment(
  db: Executor,
  id: string,
  changes: Pick<Updateable<OpinionTable>, 'priority' | 'assignee_id' | 'disposition_status' | 'updated_at'>,
): Promise<void> {
  await db.updateTable('opinion').set(changes).where('id', '=', id).execute();
}

/**
 * A round's submitted opinions for assessment, by registration number, a page at a time (keyset on
 * registration number and id). A missing number sorts as the empty string: SQLite and PostgreSQL place NULL
 * differently, and the keyset must see the same order the query sorts by on both.
 */
export async function listAssessmentQueue(
  db: Executor,
  options: {
    roundId: string;
    assigneeId?: string;
    status?: OpinionRow['disposition_status'];
    after: { regNo: string; id: string } | null;
    limit: number;
  },
): Promise<OpinionRow[]> {
  const regNo = sql<string>`coalesce(reg_no, '')`;
  let query = db
    .selectFrom('opinion')
    .selectAll()
    .where('round_id', '=', options.roundId)
    .where('status', '=', 'submitted');
  if (options.assigneeId !== undefined) {
    query = query.where('assignee_id', '=', options.assigneeId);
  }
  if (options.status !== undefined) {
    query = query.where('disposition_status', '=', options.status);
  }
  const after = options.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb(regNo, '>', after.regNo), eb.and([eb(regNo, '=', after.regNo), eb('id', '>', after.id)])]),
    );
  }
  return query.orderBy(regNo).orderBy('id').limit(options.limit).execute();
}

export async function insertDisposition(db: Executor, row: Insertable<DispositionTable>): Promise<void> {
  await db.insertInto('disposition').values(row).execute();
}

export async function findDisposition(db: Executor, id: string): Promise<DispositionRow | undefined> {
  return db.selectFrom('disposition').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The opinion's disposition in `status` (at most one proposed and one approved at a time). */
export async function findDispositionInStatus(
  db: Executor,
  opinionId: string,
  status: DispositionStatus,
): Promise<DispositionRow | undefined> {
  return db
    .selectFrom('disposition')
    .selectAll()
    .where('opinion_id', '=', opinionId)
    .where('status', '=', status)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

export async function updateDisposition(
  db: Executor,
  id: string,
  changes: Updateable<DispositionTable>,
): Promise<void> {
  await db.updateTable('disposition').set(changes).where('id', '=', id).execute();
}

/** Every disposition of an opinion, oldest first. */
export async function listDispositions(db: Executor, opinionId: string): Promise<DispositionRecord[]> {
  const rows = await db
    .selectFrom('disposition')
    .selectAll()
    .where('opinion_id', '=', opinionId)
    .orderBy('created_at')
    .orderBy('proposed_at')
    .execute();
  return rows.map(toDisposition);
}

/** The approved dispositions of many opinions, by opinion id. */
export async function mapApprovedDispositions(
  db: Executor,
  opinionIds: string[],
): Promise<Map<string, DispositionRecord>> {
  const map = new Map<string, DispositionRecord>();
  if (opinionIds.length === 0) {
    return map;
  }
  const rows = await db
    .selectFrom('disposition')
    .selectAll()
    .where('opinion_id', 'in', opinionIds)
    .where('status', '=', 'approved')
    .execute();
  for (const row of rows) {
    map.set(row.opinion_id, toDisposition(row));
  }
  return map;
}

export async function insertFollowUp(db: Executor, row: Insertable<FollowUpTable>): Promise<void> {
  await db.insertInto('follow_up').values(row).execute();
}

export async function hasFollowUp(db: Executor, opinionId: string): Promise<boolean> {
  const row = await db
    .selectFrom('follow_up')
    .select('id')
    .where('opinion_id', '=', opinionId)
    .executeTakeFirst();
  return row !== undefined;
}

// ---- reason templates ---------------------------------------------------------------------------------

export interface ReasonTemplateRecord {
  id: string;
  planId: string | null;
  code: ReasonTemplateTable['code'];
  basis: ReasonTemplateTable['basis'];
  text: string;
  createdBy: string | null;
  createdAt: string;
}

const toTemplate = (row: Selectable<ReasonTemplateTable>): ReasonTemplateRecord => ({
  id: row.id,
  planId: row.plan_id,
  code: row.code,
  basis: row.basis,
  text: row.text,
  createdBy: row.created_by,
  createdAt: row.created_at,
});

export async function insertReasonTemplate(
  db: Executor,
  row: Insertable<ReasonTemplateTable>,
): Promise<void> {
  await db.insertInto('reason_template').values(row).execute();
}

export async function findReasonTemplate(db: Executor, id: string): Promise<ReasonTemplateRecord | null> {
  const row = await db.selectFrom('reason_template').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toTemplate(row) : null;
}

/** Global templates, plus the plan's own when `planId` is given. */
export async function listReasonTemplates(
  db: Executor,
  planId: string | null,
): Promise<ReasonTemplateRecord[]> {
  let query = db.selectFrom('reason_template').selectAll();
  query =
    planId === null
      ? query.where('plan_id', 'is', null)
      : query.where((eb) => eb.or([eb('plan_id', 'is', null), eb('plan_id', '=', planId)]));
  const rows = await query.orderBy('code').orderBy('created_at').orderBy('id').execute();
  return rows.map(toTemplate);
}

export async function deleteReasonTemplate(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('reason_template').where('id', '=', id).execute();
}
