import type { ReminderRule, ReminderSettings } from '../../domain/reminder-rules.ts';
import type { Executor } from '../db/executor.ts';
import type { InvitationStatus, Role, RoundStatus } from '../db/schema.ts';
import type { ReminderTable } from '../db/tables/reminder.ts';

export interface ReminderRecord {
  id: string;
  roundId: string;
  invitationId: string;
  rule: ReminderRule;
  dueOn: string;
  deadline: string;
  sentAt: string;
  sentBy: string | null;
  recipients: string[];
  note: string | null;
  dedupeKey: string | null;
}

export interface StoredReminderSettings extends ReminderSettings {
  updatedBy: string | null;
  updatedAt: string;
}

/** An invitation whose unit has not replied, with what the sweep needs to decide on reminders. */
export interface ReminderCandidate {
  invitationId: string;
  invitationStatus: InvitationStatus;
  unitId: string;
  unitName: string;
  roundId: string;
  roundTitle: string;
  roundStatus: RoundStatus;
  /** The invitation's own deadline after an extension, else the round's. */
  deadline: string;
  planId: string;
  planName: string;
  planOwnerUnitId: string | null;
}

const toReminder = (row: ReminderTable): ReminderRecord => ({
  id: row.id,
  roundId: row.round_id,
  invitationId: row.invitation_id,
  rule: row.rule,
  dueOn: row.due_on,
  deadline: row.deadline,
  sentAt: row.sent_at,
  sentBy: row.sent_by,
  recipients: JSON.parse(row.recipients) as string[],
  note: row.note,
  dedupeKey: row.dedupe_key,
});

export async function findReminderSettings(
  db: Executor,
  roundId: string,
): Promise<StoredReminderSettings | null> {
  const row = await db
    .selectFrom('reminder_setting')
    .selectAll()
    .where('round_id', '=', roundId)
    .executeTakeFirst();
  return row
    ? {
        beforeDays: JSON.parse(row.before_days) as number[],
        leaderAfterDays: Number(row.leader_after_days),
        enabled: Number(row.enabled) === 1,
        updatedBy: row.updated_by,
        updatedAt: row.updated_at,
      }
    : null;
}

export async function upsertReminderSettings(
  db: Executor,
  roundId: string,
  settings: ReminderSettings,
  by: { userId: string | null; at: string },
): Promise<void> {
  const values = {
    before_days: JSON.stringify(settings.beforeDays),
    leader_after_days: settings.leaderAfterDays,
    enabled: settings.enabled ? 1 : 0,
    updated_by: by.userId,
    updated_at: by.at,
  };
  await db
    .insertInto('reminder_setting')
    .values({ round_id: roundId, ...values })
    .onConflict((oc) => oc.column('round_id').doUpdateSet(values))
    .execute();
}

/** Records a reminder; false when one with the same dedupe key exists (another sweep sent it). */
export async function insertReminder(db: Executor, row: ReminderTable): Promise<boolean> {
  const inserted = await db
    .insertInto('reminder')
    .values(row)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** A reminder with the name of the person who sent it by hand (null for the automatic ones). */
export interface RoundReminderRecord extends ReminderRecord {
  sentByName: string | null;
}

/** A round's reminders, oldest first. */
export async function listRemindersOfRound(db: Executor, roundId: string): Promise<RoundReminderRecord[]> {
  const rows = await db
    .selectFrom('reminder')
    .leftJoin('user as sender', 'sender.id', 'reminder.sent_by')
    .selectAll('reminder')
    .select('sender.name as sent_by_name')
    .where('reminder.round_id', '=', roundId)
    .orderBy('reminder.sent_at')
    .orderBy('reminder.id')
    .execute();
  return rows.map((row) => ({ ...toReminder(row), sentByName: row.sent_by_name }));
}

/** The dedupe keys of the automatic reminders already sent about these invitations. */
export async function listSentReminderKeys(
  db: Executor,
  invitationIds: readonly string[],
): Promise<Set<string>> {
  const keys = new Set<string>();
  // Chunks keep the statement under SQLite's bound-parameter limit.
  for (let i = 0; i < invitationIds.length; i += 500) {
    const rows = await db
      .selectFrom('reminder')
      .select('dedupe_key')
      .where('invitation_id', 'in', invitationIds.slice(i, i + 500))
      .where('dedupe_key', 'is not', null)
      .execute();
    for (const row of rows) {
      keys.add(row.dedupe_key!);
    }
  }
  return keys;
}

/**
 * Invitations whose unit has not replied (never sent a version, not deemed to agree) in rounds that are
 * open, or closed and not yet past assessment, where lateness is still worth reporting.
 */
export async function listReminderCandidates(
  db: Executor,
  options: { roundId?: string } = {},
): Promise<ReminderCandidate[]> {
  let query = db
    .selectFrom('round_invitation')
    .innerJoin('round', 'round.id', 'round_invitation.round_id')
    .innerJoin('plan', 'plan.id', 'round.plan_id')
    .innerJoin('unit', 'unit.id', 'round_invitation.unit_id')
    .select([
      'round_invitation.id as invitation_id',
      'round_invitation.status as invitation_status',
      'round_invitation.unit_id',
      'unit.name as unit_name',
      'round_invitation.deadline as invitation_deadline',
      'round.id as round_id',
      'round.title as round_title',
      'round.status as round_status',
      'round.deadline as round_deadline',
      'plan.id as plan_id',
      'plan.name as plan_name',
      'plan.owner_unit_id',
    ])
    .where('round.status', 'in', ['open', 'closed', 'assessing'])
    .where('round_invitation.status', 'not in', ['sent', 'deemed_no_objection'])
    .where('round_invitation.reply_version', '=', 0);
  if (options.roundId) {
    query = query.where('round.id', '=', options.roundId);
  }
  const rows = await query.orderBy('round.id').orderBy('round_invitation.id').execute();
  return rows.map((r) => ({
    invitationId: r.invitation_id,
    invitationStatus: r.invitation_status,
    unitId: r.unit_id,
    unitName: r.unit_name,
    roundId: r.round_id,
    roundTitle: r.round_title,
    roundStatus: r.round_status,
    deadline: r.invitation_deadline ?? r.round_deadline,
    planId: r.plan_id,
    planName: r.plan_name,
    planOwnerUnitId: r.owner_unit_id,
  }));
}

/** Active users of a unit holding a role, by id. */
export async function listUnitUserIdsWithRole(db: Executor, unitId: string, role: Role): Promise<string[]> {
  const rows = await db
    .selectFrom('user')
    .innerJoin('user_role', 'user_role.user_id', 'user.id')
    .select('user.id')
    .where('user.unit_id', '=', unitId)
    .where('user.status', '=', 'active')
    .where('user_role.role', '=', role)
    .orderBy('user.id')
    .execute();
  return rows.map((r) => r.id);
}
