import { describe, expect, it } from 'vitest';
import type { ScheduledReminder } from './reminder-rules.ts';
import {
  DEFAULT_REMINDER_SETTINGS,
  dueReminders,
  nextReminder,
  normalizeReminderSettings,
  reminderKey,
  reminderSchedule,
  subtractWorkingDays,
} from './reminder-rules.ts';
import { officialCalendar, withOverrides } from './working-days.ts';

const cal = officialCalendar();
const settings = normalizeReminderSettings({});

/** 10:00 in Beijing on a China-local day. */
const at = (day: string, hour = 10): Date =>
  new Date(Date.parse(`${day}T00:00:00Z`) + (hour - 8) * 3_600_000);

const days = (rs: ScheduledReminder[]) => rs.map((r) => `${r.rule}@${r.dueOn}`);

describe('reminder schedule on the working-day calendar', () => {
  it('counts back over National Day and forward over a 调休 Saturday', () => {
    // Deadline Thursday 8 October 2026: 1–7 October are off, Saturday 10 October is worked in lieu.
    expect(days(reminderSchedule(cal, '2026-10-08', settings))).toEqual([
      'before_deadline@2026-09-28',
      'before_deadline@2026-09-30',
      'overdue_head@2026-10-09',
      'overdue_leader@2026-10-12', // 10 Oct (Sat, worked) and 12 Oct (Mon)
    ]);
  });

  it('skips a weekend and a local holiday added by an administrator', () => {
    const local = withOverrides(cal, [{ date: '2026-12-07', kind: 'holiday', name: '地方假日' }]);
    expect(days(reminderSchedule(local, '2026-12-08', settings))).toEqual([
      'before_deadline@2026-12-02',
      'before_deadline@2026-12-04',
      'overdue_head@2026-12-09',
      'overdue_leader@2026-12-11',
    ]);
    // Without the local holiday, Monday 7 December is the day before.
    expect(reminderSchedule(cal, '2026-12-08', settings)[1]!.dueOn).toBe('2026-12-07');
  });

  it('subtracts working days and refuses nonsense', () => {
    expect(subtractWorkingDays(cal, '2026-10-12', 1)).toBe('2026-10-10');
    expect(subtractWorkingDays(cal, '2026-10-12', 0)).toBe('2026-10-12');
    expect(() => subtractWorkingDays(cal, '2026-02-30', 1)).toThrow(RangeError);
    expect(() => subtractWorkingDays(cal, '2026-10-12', -1)).toThrow(RangeError);
  });

  it('normalizes settings: defaults 3 and 1 and 2, distinct days largest first, bounds checked', () => {
    expect(settings).toEqual({ beforeDays: [3, 1], leaderAfterDays: 2, enabled: true });
    expect(DEFAULT_REMINDER_SETTINGS.beforeDays).toEqual([3, 1]);
    expect(normalizeReminderSettings({ beforeDays: [1, 5, 1], leaderAfterDays: 4 })).toEqual({
      beforeDays: [5, 1],
      leaderAfterDays: 4,
      enabled: true,
    });
    expect(normalizeReminderSettings({ beforeDays: [] }).beforeDays).toEqual([]);
    for (const bad of [
      { beforeDays: [0] },
      { beforeDays: [1.5] },
      { beforeDays: [31] },
      { leaderAfterDays: 0 },
    ]) {
      expect(() => normalizeReminderSettings(bad)).toThrow(RangeError);
    }
  });
});

describe('which reminders are due', () => {
  const base = {
    calendar: cal,
    deadline: '2026-10-08',
    settings,
    invitationId: 'inv',
    sent: new Set<string>(),
  };

  it('fires on its working day from 09:00 Beijing time, never on a day off', () => {
    expect(days(dueReminders({ ...base, now: at('2026-09-28') }))).toEqual(['before_deadline@2026-09-28']);
    expect(dueReminders({ ...base, now: at('2026-09-28', 8) })).toEqual([]); // before office hours
    expect(dueReminders({ ...base, now: at('2026-09-27') })).toEqual([]); // Sunday
    expect(dueReminders({ ...base, now: at('2026-10-03') })).toEqual([]); // National Day
    expect(days(dueReminders({ ...base, now: at('2026-10-09') }))).toEqual(['overdue_head@2026-10-09']);
  });

  it('sends a missed before-deadline reminder once, only the latest, and never after the deadline', () => {
    // Server down on 28 and 30 September: on 8 October only the 1-day reminder is due.
    expect(days(dueReminders({ ...base, now: at('2026-10-08') }))).toEqual(['before_deadline@2026-09-30']);
    const sent = new Set([reminderKey('inv', { rule: 'before_deadline', dueOn: '2026-09-30' })]);
    expect(dueReminders({ ...base, sent, now: at('2026-10-08') })).toEqual([]);
    // After the deadline it is too late to remind; the lateness is reported instead.
    expect(days(dueReminders({ ...base, now: at('2026-10-12') }))).toEqual([
      'overdue_head@2026-10-09',
      'overdue_leader@2026-10-12',
    ]);
  });

  it('sends nothing twice and nothing when switched off', () => {
    const sent = new Set([
      reminderKey('inv', { rule: 'overdue_head', dueOn: '2026-10-09' }),
      reminderKey('inv', { rule: 'overdue_leader', dueOn: '2026-10-12' }),
    ]);
    expect(dueReminders({ ...base, sent, now: at('2026-10-13') })).toEqual([]);
    const off = { ...settings, enabled: false };
    expect(dueReminders({ ...base, settings: off, now: at('2026-09-28') })).toEqual([]);
    expect(nextReminder({ ...base, settings: off, now: at('2026-09-28') })).toBeNull();
  });

  it('tells the monitor what comes next', () => {
    expect(nextReminder({ ...base, now: at('2026-09-25') })).toMatchObject({ dueOn: '2026-09-28' });
    const sent = new Set([reminderKey('inv', { rule: 'before_deadline', dueOn: '2026-09-28' })]);
    expect(nextReminder({ ...base, sent, now: at('2026-09-29') })).toMatchObject({
      rule: 'before_deadline',
      dueOn: '2026-09-30',
    });
    // On a day off an escalation still owed is next.
    expect(nextReminder({ ...base, now: at('2026-10-11') })).toMatchObject({ rule: 'overdue_head' });
  });
});
