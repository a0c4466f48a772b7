import type { HolidayCalendar } from './working-days.ts';
import { addWorkingDays, chinaDate, isDateString, isWorkingDay } from './working-days.ts';

/*
 * When units that have not sent their reply are reminded (催办) and their lateness is reported upwards
 * (督办). Every reminder falls on a working day of the PRC calendar (holidays off, 调休 make-up days on):
 *  - before_deadline: N working days before the deadline, for each N of the round's settings;
 *  - overdue_head: the first working day after the deadline, to the unit's head;
 *  - overdue_leader: a further `leaderAfterDays` working days on, to the leader of the plan's unit.
 */

export type AutomaticReminderRule = 'before_deadline' | 'overdue_head' | 'overdue_leader';
export type ReminderRule = AutomaticReminderRule | 'manual';

export interface ReminderSettings {
  /** Working days before the deadline on which units that have not sent are reminded. */
  beforeDays: number[];
  /** Working days after the unit head was told that the leader is told. */
  leaderAfterDays: number;
  /** Off: the sweep sends nothing for the round (manual reminders still work). */
  enabled: boolean;
}

export const DEFAULT_REMINDER_SETTINGS: Readonly<ReminderSettings> = Object.freeze({
  beforeDays: [3, 1],
  leaderAfterDays: 2,
  enabled: true,
});

export const MAX_BEFORE_DAYS = 30;
export const MAX_LEADER_AFTER_DAYS = 30;

/** Reminders go out in office hours: from 09:00 China time on their day, not at midnight. */
export const SEND_FROM_CHINA_HOUR = 9;

export interface ScheduledReminder {
  rule: AutomaticReminderRule;
  /** China-local working day the reminder is due. */
  dueOn: string;
  /** For before_deadline: working days before the deadline; for overdue rules: working days after it. */
  offset: number;
}

const CHINA_OFFSET_HOURS = 8;

/** Checks settings and gives them in canonical form (distinct days, largest first); throws RangeError. */
export function normalizeReminderSettings(input: Partial<ReminderSettings>): ReminderSettings {
  const beforeDays = input.beforeDays ?? DEFAULT_REMINDER_SETTINGS.beforeDays;
  const leaderAfterDays = input.leaderAfterDays ?? DEFAULT_REMINDER_SETTINGS.leaderAfterDays;
  for (const n of beforeDays) {
    if (!Number.isInteger(n) || n < 1 || n > MAX_BEFORE_DAYS) {
      throw new RangeError(`beforeDays: whole numbers from 1 to ${MAX_BEFORE_DAYS}, got ${n}`);
    }
  }
  if (!Number.isInteger(leaderAfterDays) || leaderAfterDays < 1 || leaderAfterDays > MAX_LEADER_AFTER_DAYS) {
    throw new RangeError(
      `leaderAfterDays: a whole number from 1 to ${MAX_LEADER_AFTER_DAYS}, got ${leaderAfterDays}`,
    );
  }
  return {
    beforeDays: [...new Set(beforeDays)].sort((a, b) => b - a),
    leaderAfterDays,
    enabled: input.enabled ?? true,
  };
}

/** The `n`th working day before `date` (`date` itself not counted). */
export function subtractWorkingDays(calendar: HolidayCalendar, date: string, n: number): string {
  if (!isDateString(date)) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  }
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
  }
  let day = date;
  for (let left = n; left > 0;) {
    day = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    if (isWorkingDay(calendar, day)) {
      left -= 1;
    }
  }
  return day;
}

/** Every automatic reminder of an invitation due on `deadline`, in date order. */
export function reminderSchedule(
  calendar: HolidayCalendar,
  deadline: string,
  settings: ReminderSettings,
): ScheduledReminder[] {
  const before = settings.beforeDays.map((n): ScheduledReminder => ({
    rule: 'before_deadline',
    dueOn: subtractWorkingDays(calendar, deadline, n),
    offset: n,
  }));
  const headDay = addWorkingDays(calendar, deadline, 1);
  const escalations: ScheduledReminder[] = [
    { rule: 'overdue_head', dueOn: headDay, offset: 1 },
    {
      rule: 'overdue_leader',
      dueOn: addWorkingDays(calendar, headDay, settings.leaderAfterDays),
      offset: 1 + settings.leaderAfterDays,
    },
  ];
  return [...before, ...escalations].sort((a, b) => a.dueOn.localeCompare(b.dueOn) || b.offset - a.offset);
}

/** The key that makes a reminder happen once, however many sweeps run on however many instances. */
export const reminderKey = (invitationId: string, r: Pick<ScheduledReminder, 'rule' | 'dueOn'>): string =>
  `${invitationId}:${r.rule}:${r.dueOn}`;

/**
 * The reminders to send now to a unit that has not replied. Nothing is sent on a day off or before office
 * hours; a before-deadline reminder missed (the server was down) is sent late only while the deadline has
 * not passed, and of several missed ones only the latest, so a unit never gets a burst of stale reminders;
 * an escalation missed is still sent, since the lateness it reports still stands.
 */
export function dueReminders(options: {
  calendar: HolidayCalendar;
  deadline: string;
  settings: ReminderSettings;
  now: Date;
  /** reminderKey of the reminders already sent for the invitation. */
  sent: ReadonlySet<string>;
  invitationId: string;
}): ScheduledReminder[] {
  const { calendar, deadline, settings, now, sent, invitationId } = options;
  if (!settings.enabled) {
    return [];
  }
  const today = chinaDate(now);
  const chinaHour = (now.getUTCHours() + CHINA_OFFSET_HOURS) % 24;
  if (!isWorkingDay(calendar, today) || chinaHour < SEND_FROM_CHINA_HOUR) {
    return [];
  }
  const schedule = reminderSchedule(calendar, deadline, settings).filter((r) => r.dueOn <= today);
  const due: ScheduledReminder[] = [];
  const before = schedule.filter((r) => r.rule === 'before_deadline');
  const latestBefore = before[before.length - 1];
  if (latestBefore && today <= deadline && !sent.has(reminderKey(invitationId, latestBefore))) {
    due.push(latestBefore);
  }
  for (const r of schedule) {
    if (r.rule !== 'before_deadline' && !sent.has(reminderKey(invitationId, r))) {
      due.push(r);
    }
  }
  return due;
}

/** The next automatic reminder of a unit that has not replied (due now or still to come), for the round monitor. */
export function nextReminder(options: Parameters<typeof dueReminders>[0]): ScheduledReminder | null {
  const due = dueReminders(options);
  if (due[0]) {
    return due[0];
  }
  const { calendar, deadline, settings, now, sent, invitationId } = options;
  if (!settings.enabled) {
    return null;
  }
  const today = chinaDate(now);
  return (
    reminderSchedule(calendar, deadline, settings).find(
      (r) => !sent.has(reminderKey(invitationId, r)) && (r.dueOn >= today || r.rule !== 'before_deadline'),
    ) ?? null
  );
}
