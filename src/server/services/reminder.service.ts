import { AppError } from '../../domain/errors.ts';
import type {
  AutomaticReminderRule,
  ReminderRule,
  ReminderSettings,
  ScheduledReminder,
} from '../../domain/reminder-rules.ts';
import {
  DEFAULT_REMINDER_SETTINGS,
  dueReminders,
  nextReminder,
  normalizeReminderSettings,
  reminderKey,
  reminderSchedule,
} from '../../domain/reminder-rules.ts';
import type { HolidayCalendar } from '../../domain/working-days.ts';
import {
  chinaDate,
  isWorkingDay,
  officialCalendar,
  withOverrides,
  workingDaysBetween,
} from '../../domain/working-days.ts';
import type { Executor, Tx } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import type { Role, RoundStatus } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { canManageRound } from '../policies/round.policy.ts';
import { listCalendarDays } from '../repositories/calendar.repository.ts';
import type { ReminderCandidate, ReminderRecord } from '../repositories/reminder.repository.ts';
import {
  findReminderSettings,
  insertReminder,
  listReminderCandidates,
  listRemindersOfRound,
  listSentReminderKeys,
  listUnitUserIdsWithRole,
  upsertReminderSettings,
} from '../repositories/reminder.repository.ts';
import {
  findInvitation,
  findRound,
  listInvitations,
  recordReminder,
} from '../repositories/round.repository.ts';
import type { CalendarService } from './calendar.service.ts';
import type { Actor, ServiceContext } from './context.ts';
import { SYSTEM_ACTOR, actorRef } from './context.ts';
import type { NotificationKind } from './notification.service.ts';
import { notify } from './notification.service.ts';
import type { PlanService } from './plan.service.ts';

export interface ReminderSettingsView extends ReminderSettings {
  roundId: string;
  /** No settings saved for the round: the defaults apply. */
  isDefault: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
  /** The automatic reminders of a unit due on the round's own deadline. */
  schedule: ScheduledReminder[];
}

export type ReminderView = Omit<ReminderRecord, 'dedupeKey' | 'roundId'>;

/** A reminder in the round monitor, with who sent it by hand. */
export interface MonitoredReminderView extends ReminderView {
  sentByName: string | null;
}

export interface InvitationRemindersView {
  invitationId: string;
  unitId: string;
  unitName: string;
  status: string;
  deadline: string;
  /** Working days from today (counted if a working day) to the deadline; negative: working days overdue. */
  workingDaysLeft: number;
  replied: boolean;
  reminders: MonitoredReminderView[];
  /** The next automatic reminder (due now or to come); null once replied or nothing is left. */
  next: ScheduledReminder | null;
}

export interface RoundRemindersView {
  roundId: string;
  settings: ReminderSettingsView;
  invitations: InvitationRemindersView[];
}

export interface SweepResult {
  sent: { invitationId: string; rule: AutomaticReminderRule; dueOn: string; reminderId: string }[];
}

/** Rounds where lateness is still reported; before-deadline reminders go out only while a round is open. */
const SUPERVISED: ReadonlySet<RoundStatus> = new Set(['open', 'closed', 'assessing']);
const SETTINGS_EDITABLE: ReadonlySet<RoundStatus> = new Set(['draft', 'scheduled', 'open']);

const replied = (i: { status: string; replyVersion: number }): boolean =>
  i.status === 'sent' || i.status === 'deemed_no_objection' || i.replyVersion > 0;

async function settingsOf(tx: Executor, roundId: string) {
  const stored = await findReminderSettings(tx, roundId);
  return {
    settings: stored ?? {
      ...DEFAULT_REMINDER_SETTINGS,
      beforeDays: [...DEFAULT_REMINDER_SETTINGS.beforeDays],
    },
    stored,
  };
}

/**
 * Who hears of a reminder: the people of `unitId` holding `roles`. A reminder to the unit itself also goes to
 * its group robots (`withUnit`); when nobody holds the roles the unit as a whole is told instead.
 */
async function recipientsOf(
  tx: Tx,
  unitId: string | null,
  roles: Role[],
  withUnit: boolean,
): Promise<{ userIds: string[]; unitIds: string[] }> {
  if (!unitId) {
    return { userIds: [], unitIds: [] };
  }
  const userIds: string[] = [];
  for (const role of roles) {
    userIds.push(...(await listUnitUserIdsWithRole(tx, unitId, role)));
  }
  const distinct = [...new Set(userIds)];
  return { userIds: distinct, unitIds: withUnit || distinct.length === 0 ? [unitId] : [] };
}

interface ReminderMessage {
  rule: ReminderRule;
  unitName: string;
  planName: string;
  roundTitle: string;
  deadline: string;
  /** Working days left before the deadline (before_deadline) or overdue (escalations). */
  workingDays: number;
  note: string | null;
}

function messageOf(m: ReminderMessage): {
  subject: { zh: string; en: string };
  body: { zh: string; en: string };
} {
  const note = m.note ? { zh: `\n附言：${m.note}`, en: `\nNote: ${m.note}` } : { zh: '', en: '' };
  if (m.rule === 'overdue_head' || m.rule === 'overdue_leader') {
    return {
      subject: {
        zh: `【督办】${m.unitName}逾期未反馈《${m.planName}》意见`,
        en: `Overdue: ${m.unitName} has not replied on "${m.planName}"`,
      },
      body: {
        zh: `${m.roundTitle}的反馈截止日期为${m.deadline}，${m.unitName}已逾期${m.workingDays}个工作日仍未报送意见，请督促办理。`,
        en: `The reply to ${m.roundTitle} was due on ${m.deadline}; ${m.unitName} is ${m.workingDays} working day(s) overdue. Please see that it is sent.`,
      },
    };
  }
  return {
    subject: {
      zh: `【催办】请于${m.deadline}前反馈《${m.planName}》意见`,
      en: `Reminder: your reply on "${m.planName}" is due on ${m.deadline}`,
    },
    body: {
      zh: `${m.unitName}尚未报送对《${m.planName}》（${m.roundTitle}）的反馈意见，截止日期为${m.deadline}，还有${m.workingDays}个工作日。${note.zh}`,
      en: `${m.unitName} has not yet sent its reply on "${m.planName}" (${m.roundTitle}), due on ${m.deadline}: ${m.workingDays} working day(s) left.${note.en}`,
    },
  };
}

/**
 * Hands a reminder to the notification channels (in-app inbox, e-mail, group robots) inside the
 * reminder's transaction, so a reminder is recorded and queued for delivery together or not at all.
 */
async function deliverReminder(
  tx: Tx,
  ctx: ServiceContext,
  input: {
    recipients: { userIds: string[]; unitIds: string[] };
    message: ReminderMessage;
    roundId: string;
    invitationId: string;
    reminderId: string;
  },
): Promise<void> {
  const { subject, body } = messageOf(input.message);
  const { rule } = input.message;
  // 督办 of a late unit is `overdue`; the automatic 催办 before a deadline is `deadline_near`; an
  // organizer's own reminder stays `reminder`.
  const kind: NotificationKind =
    rule === 'overdue_head' || rule === 'overdue_leader'
      ? 'overdue'
      : rule === 'before_deadline'
        ? 'deadline_near'
        : 'reminder';
  await notify(tx, ctx, {
    userIds: input.recipients.userIds,
    unitIds: input.recipients.unitIds,
    kind,
    subject,
    body,
    link: `/rounds/${input.roundId}`,
    entity: { kind: 'round_invitation', id: input.invitationId },
    dedupeKey: `reminder:${input.reminderId}`,
  });
}

/**
 * Records an organizer's reminder by hand, inside the transaction that counts it on the invitation (see
 * RoundService#remind), and sends it to the unit's liaisons, head and group robots.
 */
export async function recordManualReminder(
  tx: Tx,
  ctx: ServiceContext,
  input: { invitationId: string; actor: Actor; note: string | null; at: string },
): Promise<ReminderRecord> {
  const invitation = await findInvitation(tx, input.invitationId);
  const round = invitation ? await findRound(tx, invitation.roundId) : null;
  if (!invitation || !round) {
    throw new AppError('not_found', 'No such invitation.', { field: 'invitationId' });
  }
  const plan = await tx
    .selectFrom('plan')
    .select('name')
    .where('id', '=', round.planId)
    .executeTakeFirstOrThrow();
  const calendar = await loadCalendarIn(tx);
  const deadline = invitation.deadline ?? round.deadline;
  const recipients = await recipientsOf(tx, invitation.unitId, ['liaison', 'unit_head'], true);
  const row = {
    id: newId(),
    round_id: round.id,
    invitation_id: invitation.id,
    rule: 'manual' as const,
    due_on: chinaDate(new Date(input.at)),
    deadline,
    sent_at: input.at,
    sent_by: input.actor.userId,
    recipients: JSON.stringify(recipients.userIds),
    note: input.note,
    dedupe_key: null,
  };
  await insertReminder(tx, row);
  await deliverReminder(tx, ctx, {
    recipients,
    roundId: round.id,
    invitationId: invitation.id,
    reminderId: row.id,
    message: {
      rule: 'manual',
      unitName: invitation.unitName,
      planName: plan.name,
      roundTitle: round.title,
      deadline,
      workingDays: workingDaysLeft(calendar, row.due_on, deadline),
      note: input.note,
    },
  });
  return { ...toView(row), roundId: row.round_id, dedupeKey: null };
}

const workingDaysLeft = (calendar: HolidayCalendar, today: string, deadline: string): number =>
  today >= deadline ? 0 : workingDaysBetween(calendar, today, deadline);

const loadCalendarIn = async (tx: Tx): Promise<HolidayCalendar> =>
  withOverrides(officialCalendar(), await listCalendarDays(tx));

function toView(row: {
  id: string;
  invitation_id: string;
  rule: ReminderRule;
  due_on: string;
  deadline: string;
  sent_at: string;
  sent_by: string | null;
  recipients: string;
  note: string | null;
}): ReminderView {
  return {
    id: row.id,
    invitationId: row.invitation_id,
    rule: row.rule,
    dueOn: row.due_on,
    deadline: row.deadline,
    sentAt: row.sent_at,
    sentBy: row.sent_by,
    recipients: JSON.parse(row.recipients) as string[],
    note: row.note,
  };
}

/** Reminders before deadlines and supervision (督办) of units that have not replied. */
export class ReminderService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly plans: PlanService,
    private readonly calendar: CalendarService,
  ) {}

  private async loadRound(actor: Actor, roundId: string, manage: boolean) {
    const round = await findRound(this.ctx.database.db, roundId);
    if (!round) {
      throw new AppError('not_found', 'No such round.', { field: 'roundId' });
    }
    const { scope } = await this.plans.loadPlan(actor, round.planId);
    if (manage && !canManageRound(actor, scope)) {
      throw new AppError('forbidden', "Only the plan's organizers set a round's reminders.");
    }
    return round;
  }

  private async settingsView(roundId: string, deadline: string): Promise<ReminderSettingsView> {
    const { settings, stored } = await settingsOf(this.ctx.database.db, roundId);
    const calendar = await this.calendar.loadCalendar();
    return {
      roundId,
      beforeDays: settings.beforeDays,
      leaderAfterDays: settings.leaderAfterDays,
      enabled: settings.enabled,
      isDefault: stored === null,
      updatedBy: stored?.updatedBy ?? null,
      updatedAt: stored?.updatedAt ?? null,
      schedule: reminderSchedule(calendar, deadline, settings),
    };
  }

  /** A round's reminder settings, for whoever may read its plan. */
  async getSettings(actor: Actor, roundId: string): Promise<ReminderSettingsView> {
    const round = await this.loadRound(actor, roundId, false);
    return this.settingsView(round.id, round.deadline);
  }

  /** Sets a round's reminder settings while the round has not closed. */
  async updateSettings(
    actor: Actor,
    roundId: string,
    input: Partial<ReminderSettings>,
  ): Promise<ReminderSettingsView> {
    const round = await this.loadRound(actor, roundId, true);
    if (!SETTINGS_EDITABLE.has(round.status)) {
      throw new AppError('conflict', `Reminders are set before a round closes, not when ${round.status}.`, {
        field: 'status',
        state: round.status,
      });
    }
    let settings: ReminderSettings;
    try {
      settings = normalizeReminderSettings(input);
    } catch (error) {
      throw new AppError('validation_failed', (error as Error).message, {
        field: (error as Error).message.startsWith('leaderAfterDays') ? 'leaderAfterDays' : 'beforeDays',
      });
    }
    await inTransaction(this.ctx.database, async (tx) => {
      const { settings: before, stored } = await settingsOf(tx, round.id);
      await upsertReminderSettings(tx, round.id, settings, {
        userId: actor.userId,
        at: this.ctx.now().toISOString(),
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'round',
        id: round.id,
        event: 'round.reminder_settings_set',
        payload: {
          before: stored
            ? {
                beforeDays: before.beforeDays,
                leaderAfterDays: before.leaderAfterDays,
                enabled: before.enabled,
              }
            : null,
          after: settings,
        },
      });
    });
    return this.settingsView(round.id, round.deadline);
  }

  /** For the round monitor: per invitation the reminders sent and the next one due. */
  async listRoundReminders(actor: Actor, roundId: string): Promise<RoundRemindersView> {
    const round = await this.loadRound(actor, roundId, false);
    const db = this.ctx.database.db;
    const [invitations, reminders, settings, calendar] = await Promise.all([
      listInvitations(db, round.id),
      listRemindersOfRound(db, round.id),
      this.settingsView(round.id, round.deadline),
      this.calendar.loadCalendar(),
    ]);
    const sent = new Set(reminders.flatMap((r) => (r.dedupeKey ? [r.dedupeKey] : [])));
    const now = this.ctx.now();
    const today = chinaDate(now);
    return {
      roundId: round.id,
      settings,
      invitations: invitations.map((i) => {
        const deadline = i.deadline ?? round.deadline;
        const done = replied(i);
        // Before-deadline reminders go out only while the round is open; escalations also after it closed.
        const upcoming = SETTINGS_EDITABLE.has(round.status)
          ? settings
          : SUPERVISED.has(round.status)
            ? { ...settings, beforeDays: [] }
            : null;
        const next =
          done || !upcoming
            ? null
            : nextReminder({ calendar, deadline, settings: upcoming, now, sent, invitationId: i.id });
        return {
          invitationId: i.id,
          unitId: i.unitId,
          unitName: i.unitName,
          status: i.status,
          deadline,
          workingDaysLeft:
            deadline >= today
              ? workingDaysBetween(calendar, today, deadline) + (isWorkingDay(calendar, today) ? 1 : 0)
              : -workingDaysBetween(calendar, deadline, today),
          replied: done,
          reminders: reminders
            .filter((r) => r.invitationId === i.id)
            .map(({ dedupeKey: _k, roundId: _r, ...r }) => r),
          next,
        };
      }),
    };
  }

  /**
   * Sends every automatic reminder that is due: to units that have not replied before their deadline, to
   * their heads once overdue, and to the leader of the plan's unit later. Each reminder is one transaction
   * (row, invitation count, ledger event, notification); its dedupe key makes a second sweep, on this or
   * another instance, send nothing again.
   */
  async sweep(options: { roundId?: string } = {}): Promise<SweepResult> {
    const db = this.ctx.database.db;
    const now = this.ctx.now();
    const candidates = await listReminderCandidates(db, options);
    if (candidates.length === 0) {
      return { sent: [] };
    }
    const calendar = await this.calendar.loadCalendar();
    const sentKeys = await listSentReminderKeys(
      db,
      candidates.map((c) => c.invitationId),
    );
    const settingsByRound = new Map<string, ReminderSettings>();
    const result: SweepResult = { sent: [] };
    for (const candidate of candidates) {
      let settings = settingsByRound.get(candidate.roundId);
      if (!settings) {
        settings = (await settingsOf(db, candidate.roundId)).settings;
        settingsByRound.set(candidate.roundId, settings);
      }
      const due = dueReminders({
        calendar,
        deadline: candidate.deadline,
        settings,
        now,
        sent: sentKeys,
        invitationId: candidate.invitationId,
      }).filter((r) => r.rule !== 'before_deadline' || candidate.roundStatus === 'open');
      for (const reminder of due) {
        const id = await this.sendAutomatic(candidate, reminder, calendar, now);
        if (id) {
          result.sent.push({
            invitationId: candidate.invitationId,
            rule: reminder.rule,
            dueOn: reminder.dueOn,
            reminderId: id,
          });
        }
      }
    }
    return result;
  }

  private async sendAutomatic(
    candidate: ReminderCandidate,
    reminder: ScheduledReminder,
    calendar: HolidayCalendar,
    now: Date,
  ): Promise<string | null> {
    const at = now.toISOString();
    return inTransaction(this.ctx.database, async (tx) => {
      // The unit may have replied since the candidates were read.
      const invitation = await findInvitation(tx, candidate.invitationId);
      if (!invitation || replied(invitation)) {
        return null;
      }
      const recipients =
        reminder.rule === 'before_deadline'
          ? await recipientsOf(tx, candidate.unitId, ['liaison', 'unit_head'], true)
          : reminder.rule === 'overdue_head'
            ? await recipientsOf(tx, candidate.unitId, ['unit_head'], false)
            : await recipientsOf(tx, candidate.planOwnerUnitId, ['leader'], false);
      const row = {
        id: newId(),
        round_id: candidate.roundId,
        invitation_id: candidate.invitationId,
        rule: reminder.rule,
        due_on: reminder.dueOn,
        deadline: candidate.deadline,
        sent_at: at,
        sent_by: null,
        recipients: JSON.stringify(recipients.userIds),
        note: null,
        dedupe_key: reminderKey(candidate.invitationId, reminder),
      };
      if (!(await insertReminder(tx, row))) {
        return null;
      }
      if (reminder.rule === 'before_deadline') {
        await recordReminder(tx, invitation.id, invitation.status, at);
      }
      const today = chinaDate(now);
      await this.ctx.ledger.append(tx, {
        actor: actorRef(SYSTEM_ACTOR),
        entity: 'round_invitation',
        id: candidate.invitationId,
        event: 'reminder.sent',
        payload: {
          reminderId: row.id,
          roundId: candidate.roundId,
          unitId: candidate.unitId,
          rule: reminder.rule,
          dueOn: reminder.dueOn,
          deadline: candidate.deadline,
          recipients: recipients.userIds,
          recipientUnits: recipients.unitIds,
        },
      });
      await deliverReminder(tx, this.ctx, {
        recipients,
        roundId: candidate.roundId,
        invitationId: candidate.invitationId,
        reminderId: row.id,
        message: {
          rule: reminder.rule,
          unitName: candidate.unitName,
          planName: candidate.planName,
          roundTitle: candidate.roundTitle,
          deadline: candidate.deadline,
          workingDays:
            reminder.rule === 'before_deadline'
              ? workingDaysLeft(calendar, today, candidate.deadline)
              : workingDaysBetween(calendar, candidate.deadline, today),
          note: null,
        },
      });
      return row.id;
    });
  }
}
