import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../db/executor.ts';
import type {
  ExtensionRequestTable,
  InvitationStatus,
  RoundInvitationTable,
  RoundStatus,
  RoundTable,
  UnitLevel,
} from '../db/schema.ts';

export type RoundRow = RoundTable;

export interface RoundRecord {
  id: string;
  planId: string;
  versionId: string;
  seq: number;
  title: string;
  kind: RoundTable['kind'];
  status: RoundStatus;
  scope: string[] | null;
  visibility: RoundTable['visibility'];
  silencePolicy: RoundTable['silence_policy'];
  opensAt: string;
  deadline: string;
  closesAt: string;
  workingDays: number;
  urgent: boolean;
  urgentReason: string | null;
  urgentStatus: RoundTable['urgent_status'];
  urgentDecidedBy: string | null;
  objectionWindowDays: number;
  maxObjectionRounds: number;
  previousRoundId: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  openedAt: string | null;
  closedAt: string | null;
  finishedAt: string | null;
  /** Near-duplicate threshold of this round; null for the default. */
  dedupeThreshold: number | null;
}

export function toRoundRecord(row: RoundTable): RoundRecord {
  return {
    id: row.id,
    planId: row.plan_id,
    versionId: row.version_id,
    seq: Number(row.seq),
    title: row.title,
    kind: row.kind,
    status: row.status,
    scope: row.scope ? (JSON.parse(row.scope) as string[]) : null,
    visibility: row.visibility,
    silencePolicy: row.silence_policy,
    opensAt: row.opens_at,
    deadline: row.deadline,
    closesAt: row.closes_at,
    workingDays: Number(row.working_days),
    urgent: Number(row.urgent) === 1,
    urgentReason: row.urgent_reason,
    urgentStatus: row.urgent_status,
    urgentDecidedBy: row.urgent_decided_by,
    objectionWindowDays: Number(row.objection_window_days),
    maxObjectionRounds: Number(row.max_objection_rounds),
    previousRoundId: row.previous_round_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    finishedAt: row.finished_at,
    dedupeThreshold:
      row.dedupe_threshold === null || row.dedupe_threshold === undefined
        ? null
        : Number(row.dedupe_threshold),
  };
}

export interface InvitationRecord {
  id: string;
  roundId: string;
  unitId: string;
  unitName: string;
  unitCode: string;
  mandatory: boolean;
  level: UnitLevel;
  forwardedByUnitId: string | null;
  forwardedByUnitName: string | null;
  questions: { clauseStableId: string; question: string }[];
  status: InvitationStatus;
  /** The unit's own deadline after an extension; null: the round's. */
  deadline: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  replyVersion: number;
  late: boolean;
  createdAt: string;
  updatedAt: string;
  lastRemindedAt: string | null;
  reminderCount: number;
}

export interface ExtensionRecord {
  id: string;
  invitationId: string;
  requestedUntil: string;
  reason: string;
  status: ExtensionRequestTable['status'];
  requestedBy: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  createdAt: string;
}

const toExtension = (row: ExtensionRequestTable): ExtensionRecord => ({
  id: row.id,
  invitationId: row.invitation_id,
  requestedUntil: row.requested_until,
  reason: row.reason,
  status: row.status,
  requestedBy: row.requested_by,
  decidedBy: row.decided_by,
  decidedAt: row.decided_at,
  createdAt: row.created_at,
});

// ---- rounds ------------------------------------------------------------------------------------------

export async function insertRound(db: Executor, row: Insertable<RoundTable>): Promise<void> {
  await db.insertInto('round').values(row).execute();
}

export async function findRound(db: Executor, id: string): Promise<RoundRecord | null> {
  const row = await db.selectFrom('round').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRoundRecord(row) : null;
}

export async function listRoundsOfPlan(db: Executor, planId: string): Promise<RoundRecord[]> {
  const rows = await db
    .selectFrom('round')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('seq')
    .execute();
  return rows.map(toRoundRecord);
}

export async function nextRoundSeq(db: Executor, planId: string): Promise<number> {
  const row = await db
    .selectFrom('round')
    .select((eb) => eb.fn.max('seq').as('n'))
    .where('plan_id', '=', planId)
    .executeTakeFirst();
  return Number(row?.n ?? 0) + 1;
}

/**
 * Changes a round only while it is still in `from`: two racing changes cannot both apply. False when the
 * round has moved on meanwhile.
 */
export async function updateRound(
  db: Executor,
  id: string,
  from: RoundStatus,
  changes: Updateable<RoundTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('round')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Scheduled rounds due to open at `now` whose urgency (if any) a leader has approved. */
export async function listRoundsDueToOpen(db: Executor, now: string): Promise<string[]> {
  const rows = await db
    .selectFrom('round')
    .select('id')
    .where('status', '=', 'scheduled')
    .where('opens_at', '<=', now)
    .where('urgent_status', 'not in', ['pending', 'refused'])
    .orderBy('opens_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Open rounds whose own deadline has passed (units with an extension may still hold them open). */
export async function listRoundsPastCloseTime(db: Executor, now: string): Promise<string[]> {
  const rows = await db
    .selectFrom('round')
    .select('id')
    .where('status', '=', 'open')
    .where('closes_at', '<=', now)
    .orderBy('closes_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** The stable ids of a version's clauses, in document order, with what targeted questions need. */
export async function listVersionClauses(
  db: Executor,
  versionId: string,
): Promise<
  {
    stableId: string;
    parentStableId: string | null;
    number: string | null;
    heading: string | null;
    text: string;
    path: string;
  }[]
> {
  const rows = await db
    .selectFrom('clause')
    .leftJoin('clause as parent', 'parent.id', 'clause.parent_id')
    .select([
      'clause.stable_id',
      'parent.stable_id as parent_stable_id',
      'clause.number',
      'clause.heading',
      'clause.text',
      'clause.path',
    ])
    .where('clause.version_id', '=', versionId)
    .orderBy('clause.position')
    .execute();
  return rows.map((r) => ({
    stableId: r.stable_id,
    parentStableId: r.parent_stable_id,
    number: r.number,
    heading: r.heading,
    text: r.text,
    path: r.path,
  }));
}

// ---- invitations -------------------------------------------------------------------------------------

function selectInvitations(db: Executor) {
  return db
    .selectFrom('round_invitation')
    .innerJoin('unit', 'unit.id', 'round_invitation.unit_id')
    .leftJoin('unit as forwarder', 'forwarder.id', 'round_invitation.forwarded_by_unit_id')
    .selectAll('round_invitation')
    .select(['unit.name as unit_name', 'unit.code as unit_code', 'forwarder.name as forwarder_name']);
}

function toInvitation(
  row: Selectable<RoundInvitationTable> & {
    unit_name: string;
    unit_code: string;
    forwarder_name: string | null;
  },
): InvitationRecord {
  return {
    id: row.id,
    roundId: row.round_id,
    unitId: row.unit_id,
    unitName: row.unit_name,
    unitCode: row.unit_code,
    mandatory: Number(row.mandatory) === 1,
    level: row.level,
    forwardedByUnitId: row.forwarded_by_unit_id,
    forwardedByUnitName: row.forwarder_name,
    questions: JSON.parse(row.questions) as InvitationRecord['questions'],
    status: row.status,
    deadline: row.deadline,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    replyVersion: Number(row.reply_version),
    late: Number(row.late) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastRemindedAt: row.last_reminded_at,
    reminderCount: Number(row.reminder_count),
  };
}

export async function insertInvitations(
  db: Executor,
  rows: Insertable<RoundInvitationTable>[],
): Promise<void> {
  if (rows.length > 0) {
    await db.insertInto('round_invitation').values(rows).execute();
  }
}

export async function findInvitation(db: Executor, id: string): Promise<InvitationRecord | null> {
  const row = await selectInvitations(db).where('round_invitation.id', '=', id).executeTakeFirst();
  return row ? toInvitation(row) : null;
}

/** A round's invitations, by level (province first) then unit code. */
export async function listInvitations(db: Executor, roundId: string): Promise<InvitationRecord[]> {
  const rows = await selectInvitations(db)
    .where('round_invitation.round_id', '=', roundId)
    .orderBy('unit.code')
    .execute();
  return rows.map(toInvitation);
}

export async function countInvitations(db: Executor, roundId: string): Promise<number> {
  const row = await db
    .selectFrom('round_invitation')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('round_id', '=', roundId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Changes an invitation only while it is still in `from`. */
export async function updateInvitation(
  db: Executor,
  id: string,
  from: InvitationStatus,
  changes: Updateable<RoundInvitationTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('round_invitation')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Records a reminder to an invitation still in `from` (counts it, stamps it); false when the invitation has
 * moved on meanwhile, e.g. the unit sent its reply.
 */
export async function recordReminder(
  db: Executor,
  id: string,
  from: InvitationStatus,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('round_invitation')
    .set((eb) => ({
      last_reminded_at: at,
      reminder_count: eb('reminder_count', '+', 1),
      updated_at: at,
    }))
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The rounds (ids) inviting `unitId`, of one plan, not counting rounds still in draft. */
export async function listRoundIdsInvitingUnit(
  db: Executor,
  planId: string,
  unitId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('round_invitation')
    .innerJoin('round', 'round.id', 'round_invitation.round_id')
    .select('round.id')
    .where('round.plan_id', '=', planId)
    .where('round_invitation.unit_id', '=', unitId)
    .where('round.status', '<>', 'draft')
    .execute();
  return rows.map((r) => r.id);
}

/** A unit's invitations across rounds that have left draft, with their round and plan, newest round first. */
export async function listInvitationsOfUnit(
  db: Executor,
  unitId: string,
): Promise<{ invitation: InvitationRecord; round: RoundRecord; planName: string }[]> {
  const rows = await selectInvitations(db)
    .innerJoin('round', 'round.id', 'round_invitation.round_id')
    .innerJoin('plan', 'plan.id', 'round.plan_id')
    .select('plan.name as plan_name')
    .where('round_invitation.unit_id', '=', unitId)
    .where('round.status', '<>', 'draft')
    .orderBy('round.opens_at', 'desc')
    .orderBy('round_invitation.id')
    .execute();
  if (rows.length === 0) {
    return [];
  }
  const rounds = await db
    .selectFrom('round')
    .selectAll()
    .where(
      'id',
      'in',
      rows.map((r) => r.round_id),
    )
    .execute();
  const byId = new Map(rounds.map((r) => [r.id, toRoundRecord(r)] as const));
  return rows.map((r) => ({
    invitation: toInvitation(r),
    round: byId.get(r.round_id)!,
    planName: r.plan_name,
  }));
}

/** Whether the unit was invited to the round (its people may see their own rows). */
export async function isUnitInvited(db: Executor, roundId: string, unitId: string): Promise<boolean> {
  const row = await db
    .selectFrom('round_invitation')
    .select('id')
    .where('round_id', '=', roundId)
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether `unitId` is invited to a round on `versionId` that has opened (so the draft was sent to it). */
export async function isUnitInvitedToVersion(
  db: Executor,
  unitId: string,
  versionId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('round_invitation')
    .innerJoin('round', 'round.id', 'round_invitation.round_id')
    .select('round_invitation.id')
    .where('round.version_id', '=', versionId)
    .where('round_invitation.unit_id', '=', unitId)
    .where('round.status', 'not in', ['draft', 'scheduled'])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

// ---- extension requests ------------------------------------------------------------------------------

export async function insertExtension(db: Executor, row: Insertable<ExtensionRequestTable>): Promise<void> {
  await db.insertInto('extension_request').values(row).execute();
}

export async function findExtension(db: Executor, id: string): Promise<ExtensionRecord | null> {
  const row = await db.selectFrom('extension_request').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toExtension(row) : null;
}

export async function listExtensionsOfRound(db: Executor, roundId: string): Promise<ExtensionRecord[]> {
  const rows = await db
    .selectFrom('extension_request')
    .innerJoin('round_invitation', 'round_invitation.id', 'extension_request.invitation_id')
    .selectAll('extension_request')
    .where('round_invitation.round_id', '=', roundId)
    .orderBy('extension_request.created_at')
    .orderBy('extension_request.id')
    .execute();
  return rows.map(toExtension);
}

export async function hasPendingExtension(db: Executor, invitationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('extension_request')
    .select('id')
    .where('invitation_id', '=', invitationId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row !== undefined;
}

/** Decides a pending request; false when it was decided meanwhile. */
export async function decideExtension(
  db: Executor,
  id: string,
  decision: { status: 'granted' | 'refused'; decidedBy: string | null; decidedAt: string },
): Promise<boolean> {
  const result = await db
    .updateTable('extension_request')
    .set({ status: decision.status, decided_by: decision.decidedBy, decided_at: decision.decidedAt })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Sets an invitation's own deadline (an extension), whatever its status. */
export async function setInvitationDeadline(
  db: Executor,
  id: string,
  deadline: string,
  at: string,
): Promise<void> {
  await db.updateTable('round_invitation').set({ deadline, updated_at: at }).where('id', '=', id).execute();
}
