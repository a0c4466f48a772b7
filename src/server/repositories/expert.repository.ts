import type { Insertable, Selectable, Updateable } from 'kysely';
import type { ConflictStatus } from '../../domain/conflict-rules.ts';
import type { Executor } from '../db/executor.ts';
import type {
  ConsultationStatus,
  ExpertAnswerTable,
  ExpertAssignmentStatus,
  ExpertAssignmentTable,
  ExpertConsultationTable,
  ExpertProfileTable,
} from '../db/tables/expert.ts';

/* The expert roster, consultations, invitations of experts and their answers (专家咨询). */

export type ConsultationRow = Selectable<ExpertConsultationTable>;
export type AssignmentRow = Selectable<ExpertAssignmentTable>;
export type AnswerRow = Selectable<ExpertAnswerTable>;

const parseList = (json: string): string[] => JSON.parse(json) as string[];

// ---- roster ------------------------------------------------------------------------------------------

export interface ExpertRecord {
  id: string;
  login: string;
  name: string;
  email: string | null;
  unitId: string | null;
  status: 'active' | 'disabled';
  fields: string[];
  title: string | null;
  organisation: string | null;
  bio: string | null;
  profileUpdatedAt: string | null;
}

function expertQuery(db: Executor) {
  return db
    .selectFrom('user')
    .innerJoin('user_role', (join) =>
      join.onRef('user_role.user_id', '=', 'user.id').on('user_role.role', '=', 'expert'),
    )
    .leftJoin('expert_profile', 'expert_profile.user_id', 'user.id')
    .select([
      'user.id',
      'user.login',
      'user.name',
      'user.email',
      'user.unit_id',
      'user.status',
      'expert_profile.fields',
      'expert_profile.title',
      'expert_profile.organisation',
      'expert_profile.bio',
      'expert_profile.updated_at',
    ]);
}

type ExpertJoinRow = Awaited<ReturnType<ReturnType<typeof expertQuery>['executeTakeFirstOrThrow']>>;

const toExpert = (row: ExpertJoinRow): ExpertRecord => ({
  id: row.id,
  login: row.login,
  name: row.name,
  email: row.email,
  unitId: row.unit_id,
  status: row.status,
  fields: row.fields ? parseList(row.fields) : [],
  title: row.title,
  organisation: row.organisation,
  bio: row.bio,
  profileUpdatedAt: row.updated_at,
});

/** Users holding the expert role, with their profiles, by name. */
export async function listExperts(
  db: Executor,
  options: { activeOnly?: boolean } = {},
): Promise<ExpertRecord[]> {
  let query = expertQuery(db).orderBy('user.name').orderBy('user.login');
  if (options.activeOnly) {
    query = query.where('user.status', '=', 'active');
  }
  return (await query.execute()).map(toExpert);
}

/** The user as an expert, or null when there is no such user or they do not hold the expert role. */
export async function findExpert(db: Executor, userId: string): Promise<ExpertRecord | null> {
  const row = await expertQuery(db).where('user.id', '=', userId).executeTakeFirst();
  return row ? toExpert(row) : null;
}

export async function findExperts(db: Executor, userIds: readonly string[]): Promise<ExpertRecord[]> {
  if (userIds.length === 0) {
    return [];
  }
  return (
    await expertQuery(db)
      .where('user.id', 'in', [...userIds])
      .execute()
  ).map(toExpert);
}

export async function upsertExpertProfile(db: Executor, row: Insertable<ExpertProfileTable>): Promise<void> {
  const existing = await db
    .selectFrom('expert_profile')
    .select('user_id')
    .where('user_id', '=', row.user_id)
    .executeTakeFirst();
  if (existing) {
    const { user_id: userId, created_at: _createdAt, ...changes } = row;
    await db.updateTable('expert_profile').set(changes).where('user_id', '=', userId).execute();
  } else {
    await db.insertInto('expert_profile').values(row).execute();
  }
}

// ---- consultations -----------------------------------------------------------------------------------

export interface ConsultationRecord {
  id: string;
  planId: string;
  roundId: string;
  conflictId: string | null;
  title: string;
  questions: string[];
  opinionIds: string[];
  minAnswers: number;
  deadline: string | null;
  revealAfterAnswer: boolean;
  status: ConsultationStatus;
  createdBy: string | null;
  createdAt: string;
  closedBy: string | null;
  closedAt: string | null;
  forced: boolean;
  closeReason: string | null;
}

export const toConsultation = (row: ConsultationRow): ConsultationRecord => ({
  id: row.id,
  planId: row.plan_id,
  roundId: row.round_id,
  conflictId: row.conflict_id,
  title: row.title,
  questions: parseList(row.questions),
  opinionIds: parseList(row.opinion_ids),
  minAnswers: row.min_answers,
  deadline: row.deadline,
  revealAfterAnswer: row.reveal_after_answer === 1,
  status: row.status,
  createdBy: row.created_by,
  createdAt: row.created_at,
  closedBy: row.closed_by,
  closedAt: row.closed_at,
  forced: row.forced === 1,
  closeReason: row.close_reason,
});

export async function insertConsultation(
  db: Executor,
  row: Insertable<ExpertConsultationTable>,
): Promise<void> {
  await db.insertInto('expert_consultation').values(row).execute();
}

export async function findConsultationRow(db: Executor, id: string): Promise<ConsultationRow | undefined> {
  return db.selectFrom('expert_consultation').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateConsultation(
  db: Executor,
  id: string,
  changes: Updateable<ExpertConsultationTable>,
): Promise<void> {
  await db.updateTable('expert_consultation').set(changes).where('id', '=', id).execute();
}

export async function listRoundConsultations(db: Executor, roundId: string): Promise<ConsultationRecord[]> {
  const rows = await db
    .selectFrom('expert_consultation')
    .selectAll()
    .where('round_id', '=', roundId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toConsultation);
}

/** Per consultation: experts invited, answered, declined. */
export async function countAssignmentsByStatus(
  db: Executor,
  consultationIds: readonly string[],
): Promise<Map<string, Record<ExpertAssignmentStatus, number>>> {
  const map = new Map<string, Record<ExpertAssignmentStatus, number>>();
  if (consultationIds.length === 0) {
    return map;
  }
  const rows = await db
    .selectFrom('expert_assignment')
    .select(['consultation_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('consultation_id', 'in', [...consultationIds])
    .groupBy(['consultation_id', 'status'])
    .execute();
  for (const row of rows) {
    const counts = map.get(row.consultation_id) ?? { invited: 0, answered: 0, declined: 0 };
    counts[row.status] = Number(row.n);
    map.set(row.consultation_id, counts);
  }
  return map;
}

// ---- assignments -------------------------------------------------------------------------------------

export interface AssignmentRecord {
  consultationId: string;
  expertId: string;
  expertName: string;
  status: ExpertAssignmentStatus;
  invitedAt: string;
  answeredAt: string | null;
  declinedAt: string | null;
  declineReason: string | null;
}

export async function insertAssignments(
  db: Executor,
  rows: Insertable<ExpertAssignmentTable>[],
): Promise<void> {
  if (rows.length > 0) {
    await db.insertInto('expert_assignment').values(rows).execute();
  }
}

export async function findAssignment(
  db: Executor,
  consultationId: string,
  expertId: string,
): Promise<AssignmentRow | undefined> {
  return db
    .selectFrom('expert_assignment')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .where('expert_id', '=', expertId)
    .executeTakeFirst();
}

export async function updateAssignment(
  db: Executor,
  key: { consultationId: string; expertId: string },
  changes: Updateable<ExpertAssignmentTable>,
): Promise<void> {
  await db
    .updateTable('expert_assignment')
    .set(changes)
    .where('consultation_id', '=', key.consultationId)
    .where('expert_id', '=', key.expertId)
    .execute();
}

export async function listAssignments(
  db: Executor,
  consultationId: string,
  expertId?: string,
): Promise<AssignmentRecord[]> {
  let query = db
    .selectFrom('expert_assignment')
    .innerJoin('user', 'user.id', 'expert_assignment.expert_id')
    .selectAll('expert_assignment')
    .select('user.name as expert_name')
    .where('expert_assignment.consultation_id', '=', consultationId)
    .orderBy('user.name')
    .orderBy('expert_assignment.expert_id');
  if (expertId !== undefined) {
    query = query.where('expert_assignment.expert_id', '=', expertId);
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    consultationId: row.consultation_id,
    expertId: row.expert_id,
    expertName: row.expert_name,
    status: row.status,
    invitedAt: row.invited_at,
    answeredAt: row.answered_at,
    declinedAt: row.declined_at,
    declineReason: row.decline_reason,
  }));
}

export interface InboxRow {
  consultation: ConsultationRecord;
  myStatus: ExpertAssignmentStatus;
  invitedAt: string;
  answeredAt: string | null;
}

/** The consultations an expert is invited to, open ones first, the nearest deadline first. */
export async function listExpertInbox(
  db: Executor,
  expertId: string,
  options: { includeClosed: boolean },
): Promise<InboxRow[]> {
  let query = db
    .selectFrom('expert_assignment')
    .innerJoin('expert_consultation', 'expert_consultation.id', 'expert_assignment.consultation_id')
    .selectAll('expert_consultation')
    .select([
      'expert_assignment.status as my_status',
      'expert_assignment.invited_at',
      'expert_assignment.answered_at',
    ])
    .where('expert_assignment.expert_id', '=', expertId);
  if (!options.includeClosed) {
    query = query.where('expert_consultation.status', '=', 'open');
  }
  const rows = await query.execute();
  const items = rows.map((row) => ({
    consultation: toConsultation(row),
    myStatus: row.my_status,
    invitedAt: row.invited_at,
    answeredAt: row.answered_at,
  }));
  // Open before closed; then by deadline (none last), then newest invitation first.
  return items.sort(
    (a, b) =>
      Number(a.consultation.status !== 'open') - Number(b.consultation.status !== 'open') ||
      (a.consultation.deadline ?? '\uffff').localeCompare(b.consultation.deadline ?? '\uffff') ||
      b.invitedAt.localeCompare(a.invitedAt),
  );
}

// ---- answers -----------------------------------------------------------------------------------------

export interface AnswerRecord {
  id: string;
  consultationId: string;
  expertId: string;
  recommendation: string;
  feasibility: number;
  reasons: string;
  answers: string[];
  signedName: string;
  signedAt: string;
  ledgerSeq: number;
  ledgerHash: string;
}

export const toAnswer = (row: AnswerRow): AnswerRecord => ({
  id: row.id,
  consultationId: row.consultation_id,
  expertId: row.expert_id,
  recommendation: row.recommendation,
  feasibility: row.feasibility,
  reasons: row.reasons,
  answers: parseList(row.answers),
  signedName: row.signed_name,
  signedAt: row.signed_at,
  ledgerSeq: row.ledger_seq,
  ledgerHash: row.ledger_hash,
});

export async function insertAnswer(db: Executor, row: Insertable<ExpertAnswerTable>): Promise<void> {
  await db.insertInto('expert_answer').values(row).execute();
}

export async function listAnswers(db: Executor, consultationId: string): Promise<AnswerRecord[]> {
  const rows = await db
    .selectFrom('expert_answer')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .orderBy('signed_at')
    .orderBy('id')
    .execute();
  return rows.map(toAnswer);
}

export async function findAnswer(
  db: Executor,
  consultationId: string,
  expertId: string,
): Promise<AnswerRecord | null> {
  const row = await db
    .selectFrom('expert_answer')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .where('expert_id', '=', expertId)
    .executeTakeFirst();
  return row ? toAnswer(row) : null;
}

export async function countAnswers(db: Executor, consultationId: string): Promise<number> {
  const row = await db
    .selectFrom('expert_answer')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('consultation_id', '=', consultationId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---- what the experts are asked about ----------------------------------------------------------------

/** An opinion as an expert sees it: the unit's suggestion and reasons beside the clause it targets. */
export interface ConsultedOpinion {
  id: string;
  roundId: string;
  regNo: string | null;
  unitId: string | null;
  unitName: string | null;
  status: string;
  submittedAt: string | null;
  suggestion: string;
  reasons: string | null;
  proposedText: string | null;
  quote: string | null;
  clause: { stableId: string; number: string | null; heading: string | null; text: string } | null;
}

/** The opinions with their units and clause texts, in the order of `ids`; unknown ids are left out. */
export async function listConsultedOpinions(
  db: Executor,
  ids: readonly string[],
): Promise<ConsultedOpinion[]> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await db
    .selectFrom('opinion')
    .leftJoin('unit', 'unit.id', 'opinion.unit_id')
    .leftJoin('clause', 'clause.id', 'opinion.clause_id')
    .select([
      'opinion.id',
      'opinion.round_id',
      'opinion.reg_no',
      'opinion.unit_id',
      'unit.name as unit_name',
      'opinion.status',
      'opinion.submitted_at',
      'opinion.suggestion',
      'opinion.reasons',
      'opinion.proposed_text',
      'opinion.quote',
      'opinion.clause_stable_id',
      'clause.number as clause_number',
      'clause.heading as clause_heading',
      'clause.text as clause_text',
    ])
    .where('opinion.id', 'in', [...ids])
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) {
      return [];
    }
    return [
      {
        id: row.id,
        roundId: row.round_id,
        regNo: row.reg_no,
        unitId: row.unit_id,
        unitName: row.unit_name,
        status: row.status,
        submittedAt: row.submitted_at,
        suggestion: row.suggestion,
        reasons: row.reasons,
        proposedText: row.proposed_text,
        quote: row.quote,
        clause:
          row.clause_stable_id && row.clause_text !== null
            ? {
                stableId: row.clause_stable_id,
                number: row.clause_number,
                heading: row.clause_heading,
                text: row.clause_text,
              }
            : null,
      },
    ];
  });
}

// ---- conflicts the experts are consulted on ----------------------------------------------------------

export interface ConsultedConflict {
  id: string;
  planId: string;
  roundId: string;
  clauseStableId: string;
  title: string;
  summary: string | null;
  status: ConflictStatus;
  /** The conflict's opinions, side by side. */
  parties: { opinionId: string; unitId: string | null; side: string; position: string | null }[];
}

export async function findConsultedConflict(db: Executor, id: string): Promise<ConsultedConflict | null> {
  const row = await db
    .selectFrom('conflict')
    .select(['id', 'plan_id', 'round_id', 'clause_stable_id', 'title', 'summary', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) {
    return null;
  }
  const parties = await db
    .selectFrom('conflict_party')
    .select(['opinion_id', 'unit_id', 'side', 'position'])
    .where('conflict_id', '=', id)
    .orderBy('side')
    .orderBy('id')
    .execute();
  return {
    id: row.id,
    planId: row.plan_id,
    roundId: row.round_id,
    clauseStableId: row.clause_stable_id,
    title: row.title,
    summary: row.summary,
    status: row.status,
    parties: parties.map((p) => ({
      opinionId: p.opinion_id,
      unitId: p.unit_id,
      side: p.side,
      position: p.position,
    })),
  };
}

/** The consultation as one of its conflict's resolution methods (kind 'expert'). */
export async function insertExpertMethod(
  db: Executor,
  row: {
    id: string;
    conflictId: string;
    consultationId: string;
    title: string;
    record: Record<string, unknown>;
    createdBy: string | null;
    at: string;
  },
): Promise<void> {
  await db
    .insertInto('conflict_method')
    .values({
      id: row.id,
      conflict_id: row.conflictId,
      kind: 'expert',
      title: row.title,
      status: 'running',
      record: JSON.stringify(row.record),
      consultation_id: row.consultationId,
      created_by: row.createdBy,
      created_at: row.at,
      updated_at: row.at,
    })
    .execute();
}

/** Marks the conflict's method of a consultation done, with what the experts concluded. */
export async function completeExpertMethod(
  db: Executor,
  consultationId: string,
  record: Record<string, unknown>,
  at: string,
): Promise<void> {
  await db
    .updateTable('conflict_method')
    .set({ status: 'done', record: JSON.stringify(record), updated_at: at })
    .where('consultation_id', '=', consultationId)
    .where('kind', '=', 'expert')
    .execute();
}
