import type { DispositionCode, ObjectionStatus, RoundKind, RoundStatus } from '../db/schema.ts';
import type { Executor } from '../db/executor.ts';
import type { RevisionRecord } from './revision.repository.ts';
import { OPEN_REVISION_STATES, toRevision } from './revision.repository.ts';

/*
 * The leaders' dashboard: a handful of aggregate queries over the plans an actor may read, each grouped by
 * plan, so that the page costs the same for one plan or a hundred. Counts come back as strings on
 * PostgreSQL.
 */

const num = (value: string | number | bigint | null | undefined): number => Number(value ?? 0);

const ADOPTED: DispositionCode[] = ['adopted', 'partially_adopted'];
const UNDECIDED_OBJECTIONS: ObjectionStatus[] = ['open', 'escalated'];

export interface VersionBrief {
  id: string;
  planId: string;
  seq: number;
  label: string;
  createdAt: string;
}

export async function listVersionBriefs(
  db: Executor,
  versionIds: readonly string[],
): Promise<VersionBrief[]> {
  if (versionIds.length === 0) {
    return [];
  }
  const rows = await db
    .selectFrom('draft_version')
    .select(['id', 'plan_id', 'seq', 'label', 'created_at'])
    .where('id', 'in', [...versionIds])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    planId: r.plan_id,
    seq: r.seq,
    label: r.label,
    createdAt: r.created_at,
  }));
}

/** Rounds per plan and state. */
export async function countRoundsByState(
  db: Executor,
  planIds: readonly string[],
): Promise<{ planId: string; status: RoundStatus; n: number }[]> {
  const rows = await db
    .selectFrom('round')
    .select((eb) => ['round.plan_id', 'round.status', eb.fn.countAll().as('n')])
    .where('round.plan_id', 'in', [...planIds])
    .groupBy(['round.plan_id', 'round.status'])
    .execute();
  return rows.map((r) => ({ planId: r.plan_id, status: r.status, n: num(r.n) }));
}

export interface OpenRoundResponse {
  roundId: string;
  planId: string;
  seq: number;
  title: string;
  kind: RoundKind;
  deadline: string;
  closesAt: string;
  invited: number;
  /** Invited units that have sent a reply (any version, 无意见 included). */
  replied: number;
}

/** The open rounds of the plans with their invitations and the invitations answered so far. */
export async function listOpenRoundResponses(
  db: Executor,
  planIds: readonly string[],
): Promise<OpenRoundResponse[]> {
  const rows = await db
    .selectFrom('round')
    .leftJoin('round_invitation as ri', 'ri.round_id', 'round.id')
    .select((eb) => {
      const replied = eb.exists(
        eb.selectFrom('unit_reply as ur').select('ur.id').whereRef('ur.invitation_id', '=', 'ri.id'),
      );
      return [
        'round.id',
        'round.plan_id',
        'round.seq',
        'round.title',
        'round.kind',
        'round.deadline',
        'round.closes_at',
        eb.fn.count('ri.id').as('invited'),
        eb.fn.sum(eb.case().when(replied).then(1).else(0).end()).as('replied'),
      ];
    })
    .where('round.plan_id', 'in', [...planIds])
    .where('round.status', '=', 'open')
    .groupBy([
      'round.id',
      'round.plan_id',
      'round.seq',
      'round.title',
      'round.kind',
      'round.deadline',
      'round.closes_at',
    ])
    .orderBy('round.closes_at')
    .orderBy('round.id')
    .execute();
  return rows.map((r) => ({
    roundId: r.id,
    planId: r.plan_id,
    seq: r.seq,
    title: r.title,
    kind: r.kind,
    deadline: r.deadline,
    closesAt: r.closes_at,
    invited: num(r.invited),
    replied: num(r.replied),
  }));
}

/** Submitted opinions per plan, those with an approved disposition, and those adopted (fully or partly). */
export async function countOpinionsByPlan(
  db: Executor,
  planIds: readonly string[],
): Promise<{ planId: string; received: number; disposed: number; adopted: number }[]> {
  const rows = await db
    .selectFrom('opinion as o')
    .innerJoin('round', 'round.id', 'o.round_id')
    .leftJoin('disposition as d', (join) =>
      join.onRef('d.opinion_id', '=', 'o.id').on('d.status', '=', 'approved'),
    )
    .select((eb) => [
      'round.plan_id',
      eb.fn.count('o.id').as('received'),
      eb.fn.sum(eb.case().when('d.id', 'is not', null).then(1).else(0).end()).as('disposed'),
      eb.fn.sum(eb.case().when('d.code', 'in', ADOPTED).then(1).else(0).end()).as('adopted'),
    ])
    .where('round.plan_id', 'in', [...planIds])
    .where('o.status', '=', 'submitted')
    .groupBy('round.plan_id')
    .execute();
  return rows.map((r) => ({
    planId: r.plan_id,
    received: num(r.received),
    disposed: num(r.disposed),
    adopted: num(r.adopted),
  }));
}

/** Objections not yet decided per plan: waiting for review (复核) or escalated (高层协调). */
export async function countOpenObjectionsByPlan(
  db: Executor,
  planIds: readonly string[],
): Promise<{ planId: string; open: number; escalated: number }[]> {
  const rows = await db
    .selectFrom('objection as ob')
    .innerJoin('opinion as o', 'o.id', 'ob.opinion_id')
    .innerJoin('round', 'round.id', 'o.round_id')
    .select((eb) => [
      'round.plan_id',
      eb.fn.sum(eb.case().when('ob.status', '=', 'open').then(1).else(0).end()).as('open'),
      eb.fn.sum(eb.case().when('ob.status', '=', 'escalated').then(1).else(0).end()).as('escalated'),
    ])
    .where('round.plan_id', 'in', [...planIds])
    .where('ob.status', 'in', UNDECIDED_OBJECTIONS)
    .groupBy('round.plan_id')
    .execute();
  return rows.map((r) => ({ planId: r.plan_id, open: num(r.open), escalated: num(r.escalated) }));
}

/** The open revision of each plan that has one. */
export async function listOpenRevisions(db: Executor, planIds: readonly string[]): Promise<RevisionRecord[]> {
  const rows = await db
    .selectFrom('revision')
    .selectAll()
    .where('plan_id', 'in', [...planIds])
    .where('status', 'in', OPEN_REVISION_STATES)
    .orderBy('created_at')
    .execute();
  return rows.map(toRevision);
}

export interface PendingUrgentRound {
  roundId: string;
  planId: string;
  seq: number;
  title: string;
  kind: RoundKind;
  status: RoundStatus;
  urgentReason: string | null;
  opensAt: string;
  deadline: string;
  workingDays: number;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: string;
}

/** Urgent rounds whose shortened period waits for a leader's decision. */
export async function listPendingUrgentRounds(
  db: Executor,
  planIds: readonly string[],
): Promise<PendingUrgentRound[]> {
  const rows = await db
    .selectFrom('round')
    .leftJoin('user', 'user.id', 'round.created_by')
    .select([
      'round.id',
      'round.plan_id',
      'round.seq',
      'round.title',
      'round.kind',
      'round.status',
      'round.urgent_reason',
      'round.opens_at',
      'round.deadline',
      'round.working_days',
      'round.created_by',
      'user.name as created_by_name',
      'round.created_at',
    ])
    .where('round.plan_id', 'in', [...planIds])
    .where('round.urgent_status', '=', 'pending')
    .orderBy('round.opens_at')
    .orderBy('round.id')
    .execute();
  return rows.map((r) => ({
    roundId: r.id,
    planId: r.plan_id,
    seq: r.seq,
    title: r.title,
    kind: r.kind,
    status: r.status,
    urgentReason: r.urgent_reason,
    opensAt: r.opens_at,
    deadline: r.deadline,
    workingDays: r.working_days,
    createdBy: r.created_by,
    createdByName: r.created_by_name,
    createdAt: r.created_at,
  }));
}

export interface SubmittedRevision {
  revisionId: string;
  planId: string;
  baseVersion: { id: string; seq: number; label: string };
  submittedBy: string | null;
  submittedByName: string | null;
  submittedAt: string | null;
  changeCount: number;
}

/** Revisions submitted for a leader's approval. */
export async function listSubmittedRevisions(
  db: Executor,
  planIds: readonly string[],
): Promise<SubmittedRevision[]> {
  const rows = await db
    .selectFrom('revision')
    .innerJoin('draft_version as v', 'v.id', 'revision.base_version_id')
    .leftJoin('user', 'user.id', 'revision.submitted_by')
    .select((eb) => [
      'revision.id',
      'revision.plan_id',
      'revision.base_version_id',
      'v.seq',
      'v.label',
      'revision.submitted_by',
      'user.name as submitted_by_name',
      'revision.submitted_at',
      eb
        .selectFrom('clause_change')
        .whereRef('clause_change.revision_id', '=', 'revision.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('change_count'),
    ])
    .where('revision.plan_id', 'in', [...planIds])
    .where('revision.status', '=', 'submitted')
    .orderBy('revision.submitted_at')
    .orderBy('revision.id')
    .execute();
  return rows.map((r) => ({
    revisionId: r.id,
    planId: r.plan_id,
    baseVersion: { id: r.base_version_id, seq: r.seq, label: r.label },
    submittedBy: r.submitted_by,
    submittedByName: r.submitted_by_name,
    submittedAt: r.submitted_at,
    changeCount: num(r.change_count),
  }));
}

export interface EscalatedObjection {
  objectionId: string;
  planId: string;
  roundId: string;
  roundTitle: string;
  roundNo: number;
  reasons: string;
  reviewNote: string | null;
  raisedAt: string;
  reviewedAt: string | null;
  opinion: {
    id: string;
    regNo: string | null;
    suggestion: string;
    unitName: string | null;
    clauseNumber: string | null;
  };
  disposition: { id: string; code: DispositionCode; reason: string | null; decidedBy: string | null };
}

/**
 * Objections escalated to a leader (高层协调) in rounds that are still in feedback, where a decision can
 * be made.
 */
export async function listEscalatedObjections(
  db: Executor,
  planIds: readonly string[],
): Promise<EscalatedObjection[]> {
  const rows = await db
    .selectFrom('objection as ob')
    .innerJoin('opinion as o', 'o.id', 'ob.opinion_id')
    .innerJoin('round', 'round.id', 'o.round_id')
    .innerJoin('disposition as d', 'd.id', 'ob.disposition_id')
    .leftJoin('unit', 'unit.id', 'o.unit_id')
    .leftJoin('clause', 'clause.id', 'o.clause_id')
    .select([
      'ob.id',
      'round.plan_id',
      'round.id as round_id',
      'round.title as round_title',
      'ob.round_no',
      'ob.reasons',
      'ob.review_note',
      'ob.raised_at',
      'ob.reviewed_at',
      'o.id as opinion_id',
      'o.reg_no',
      'o.suggestion',
      'unit.name as unit_name',
      'clause.number as clause_number',
      'd.id as disposition_id',
      'd.code',
      'd.reason as disposition_reason',
      'd.decided_by',
    ])
    .where('round.plan_id', 'in', [...planIds])
    .where('round.status', '=', 'feedback')
    .where('ob.status', '=', 'escalated')
    .orderBy('ob.reviewed_at')
    .orderBy('ob.id')
    .execute();
  return rows.map((r) => ({
    objectionId: r.id,
    planId: r.plan_id,
    roundId: r.round_id,
    roundTitle: r.round_title,
    roundNo: r.round_no,
    reasons: r.reasons,
    reviewNote: r.review_note,
    raisedAt: r.raised_at,
    reviewedAt: r.reviewed_at,
    opinion: {
      id: r.opinion_id,
      regNo: r.reg_no,
      suggestion: r.suggestion,
      unitName: r.unit_name,
      clauseNumber: r.clause_number,
    },
    disposition: {
      id: r.disposition_id,
      code: r.code,
      reason: r.disposition_reason,
      decidedBy: r.decided_by,
    },
  }));
}
