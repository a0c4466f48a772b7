import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../db/executor.ts';
import type {
  FeedbackLetterTable,
  FeedbackResponseTable,
  ObjectionTable,
  OpinionTable,
  RoundStatus,
} from '../db/schema.ts';

/* Feedback letters (反馈), the units' responses and objections (异议). */

export type LetterRow = Selectable<FeedbackLetterTable>;
export type ResponseRow = Selectable<FeedbackResponseTable>;
export type ObjectionRow = Selectable<ObjectionTable>;

export interface LetterRecord {
  id: string;
  roundId: string;
  unitId: string;
  status: LetterRow['status'];
  sentBy: string | null;
  sentAt: string | null;
  objectionDeadline: string | null;
  createdAt: string;
}

export const toLetter = (row: LetterRow): LetterRecord => ({
  id: row.id,
  roundId: row.round_id,
  unitId: row.unit_id,
  status: row.status,
  sentBy: row.sent_by,
  sentAt: row.sent_at,
  objectionDeadline: row.objection_deadline,
  createdAt: row.created_at,
});

export interface ResponseRecord {
  id: string;
  letterId: string;
  opinionId: string;
  response: ResponseRow['response'];
  rating: ResponseRow['rating'];
  respondedBy: string | null;
  respondedAt: string;
}

export const toResponse = (row: ResponseRow): ResponseRecord => ({
  id: row.id,
  letterId: row.letter_id,
  opinionId: row.opinion_id,
  response: row.response,
  rating: row.rating,
  respondedBy: row.responded_by,
  respondedAt: row.responded_at,
});

export interface ObjectionRecord {
  id: string;
  opinionId: string;
  dispositionId: string;
  roundNo: number;
  reasons: string;
  evidence: unknown[];
  status: ObjectionRow['status'];
  raisedBy: string | null;
  raisedAt: string;
  reviewerId: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
}

export const toObjection = (row: ObjectionRow): ObjectionRecord => ({
  id: row.id,
  opinionId: row.opinion_id,
  dispositionId: row.disposition_id,
  roundNo: row.round_no,
  reasons: row.reasons,
  evidence: JSON.parse(row.evidence) as unknown[],
  status: row.status,
  raisedBy: row.raised_by,
  raisedAt: row.raised_at,
  reviewerId: row.reviewer_id,
  reviewedAt: row.reviewed_at,
  reviewNote: row.review_note,
});

export async function setRoundStatus(
  db: Executor,
  id: string,
  status: RoundStatus,
  at: string,
): Promise<void> {
  await db.updateTable('round').set({ status, updated_at: at }).where('id', '=', id).execute();
}

/** The round's submitted opinions, by unit then registration number. */
export async function listRoundSubmittedOpinions(
  db: Executor,
  roundId: string,
): Promise<Selectable<OpinionTable>[]> {
  return db
    .selectFrom('opinion')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('status', '=', 'submitted')
    .orderBy('unit_id')
    .orderBy('reg_no')
    .orderBy('id')
    .execute();
}

/** A unit's submitted opinions in a round. */
export async function listUnitSubmittedOpinions(
  db: Executor,
  roundId: string,
  unitId: string,
): Promise<Selectable<OpinionTable>[]> {
  return db
    .selectFrom('opinion')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('unit_id', '=', unitId)
    .where('status', '=', 'submitted')
    .orderBy('reg_no')
    .orderBy('id')
    .execute();
}

export async function insertLetter(db: Executor, row: Insertable<FeedbackLetterTable>): Promise<void> {
  await db.insertInto('feedback_letter').values(row).execute();
}

export async function findLetter(db: Executor, id: string): Promise<LetterRow | undefined> {
  return db.selectFrom('feedback_letter').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findLetterFor(
  db: Executor,
  roundId: string,
  unitId: string,
): Promise<LetterRow | undefined> {
  return db
    .selectFrom('feedback_letter')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
}

/** A round's letters, all or one unit's. */
export async function listLetters(
  db: Executor,
  roundId: string,
  unitId: string | null,
): Promise<LetterRecord[]> {
  let query = db.selectFrom('feedback_letter').selectAll().where('round_id', '=', roundId);
  if (unitId !== null) {
    query = query.where('unit_id', '=', unitId);
  }
  const rows = await query.orderBy('created_at').orderBy('unit_id').execute();
  return rows.map(toLetter);
}

export async function insertResponse(db: Executor, row: Insertable<FeedbackResponseTable>): Promise<void> {
  await db.insertInto('feedback_response').values(row).execute();
}

export async function findResponse(db: Executor, id: string): Promise<ResponseRecord | null> {
  const row = await db.selectFrom('feedback_response').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toResponse(row) : null;
}

export async function listResponses(db: Executor, letterId: string): Promise<ResponseRecord[]> {
  const rows = await db
    .selectFrom('feedback_response')
    .selectAll()
    .where('letter_id', '=', letterId)
    .orderBy('responded_at')
    .orderBy('id')
    .execute();
  return rows.map(toResponse);
}

export async function insertObjection(db: Executor, row: Insertable<ObjectionTable>): Promise<void> {
  await db.insertInto('objection').values(row).execute();
}

export async function findObjection(db: Executor, id: string): Promise<ObjectionRow | undefined> {
  return db.selectFrom('objection').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateObjection(
  db: Executor,
  id: string,
  changes: Updateable<ObjectionTable>,
): Promise<void> {
  await db.updateTable('objection').set(changes).where('id', '=', id).execute();
}

/** An opinion's objections, in round order. */
export async function listOpinionObjections(db: Executor, opinionId: string): Promise<ObjectionRow[]> {
  return db
    .selectFrom('objection')
    .selectAll()
    .where('opinion_id', '=', opinionId)
    .orderBy('round_no')
    .execute();
}

/** A round's objections (or one unit's), with the unit that raised them. */
export async function listRoundObjections(
  db: Executor,
  roundId: string,
  unitId: string | null,
): Promise<(ObjectionRecord & { unitId: string | null })[]> {
  let query = db
    .selectFrom('objection')
    .innerJoin('opinion', 'opinion.id', 'objection.opinion_id')
    .selectAll('objection')
    .select('opinion.unit_id as unit_id')
    .where('opinion.round_id', '=', roundId);
  if (unitId !== null) {
    query = query.where('opinion.unit_id', '=', unitId);
  }
  const rows = await query.orderBy('objection.raised_at').orderBy('objection.id').execute();
  return rows.map((row) => ({ ...toObjection(row), unitId: row.unit_id }));
}
