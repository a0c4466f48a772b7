import { ApiError } from '../../api.ts';
import type { ReminderRule, ReminderSettings, ScheduledReminder } from './api.ts';

/** Pure display and form logic of the round monitor's reminders (催办) and supervision (督办). */

export const ruleColor: Record<ReminderRule, string> = {
  before_deadline: 'blue',
  overdue_head: 'orange',
  overdue_leader: 'red',
  manual: 'purple',
};

/** Full-width digits (typed with a Chinese input method) as ASCII ones. */
const asciiDigits = (text: string): string =>
  text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));

/**
 * The working days before the deadline as the form holds them (typed tags) turned into the list the server
 * takes: whole numbers from 1, each once, largest first; whatever is not such a number is given back.
 */
export function parseBeforeDays(values: readonly (string | number)[]): { days: number[]; invalid: string[] } {
  const days = new Set<number>();
  const invalid: string[] = [];
  for (const value of values) {
    const text = asciiDigits(String(value)).trim();
    if (text === '') {
      continue;
    }
    const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (Number.isSafeInteger(n) && n >= 1) {
      days.add(n);
    } else {
      invalid.push(String(value).trim());
    }
  }
  return { days: [...days].sort((a, b) => b - a), invalid };
}

export interface SettingsFormValues {
  beforeDays: string[];
  leaderAfterDays: number | null;
  enabled: boolean;
}

export const settingsFormValues = (
  s: Pick<ReminderSettings, 'beforeDays' | 'leaderAfterDays' | 'enabled'>,
): SettingsFormValues => ({
  beforeDays: s.beforeDays.map(String),
  leaderAfterDays: s.leaderAfterDays,
  enabled: s.enabled,
});

export type SettingsField = 'beforeDays' | 'leaderAfterDays' | 'enabled';
const SETTINGS_FIELDS: ReadonlySet<string> = new Set<SettingsField>([
  'beforeDays',
  'leaderAfterDays',
  'enabled',
]);

/**
 * The server's refusal of the settings, by form field: its own check names the field
 * (`{ field: 'leaderAfterDays' }`), schema validation lists problems by path (`body.beforeDays.0`). Null
 * when no field is to blame (a closed round, no permission…), for a general error instead.
 */
export function settingsFieldErrors(error: unknown): Partial<Record<SettingsField, string>> | null {
  if (!(error instanceof ApiError) || error.status !== 400) {
    return null;
  }
  const errors: Partial<Record<SettingsField, string>> = {};
  const details = error.details;
  if (Array.isArray(details)) {
    for (const d of details as unknown[]) {
      if (d && typeof d === 'object') {
        const { field, problem } = d as { field?: unknown; problem?: unknown };
        const name = typeof field === 'string' ? field.replace(/^body\./, '').split('.')[0] : undefined;
        if (name && SETTINGS_FIELDS.has(name) && !errors[name as SettingsField]) {
          errors[name as SettingsField] = typeof problem === 'string' ? problem : error.message;
        }
      }
    }
  } else if (details && typeof details === 'object') {
    const field = (details as { field?: unknown }).field;
    if (typeof field === 'string' && SETTINGS_FIELDS.has(field)) {
      errors[field as SettingsField] = error.message;
    }
  }
  return Object.keys(errors).length > 0 ? errors : null;
}

/** Why a unit cannot be reminded by hand now, or null when it can (the server decides anyway). */
export function remindBlocked(
  invitation: { replied: boolean },
  roundStatus: string,
): 'replied' | 'notOpen' | null {
  if (invitation.replied) {
    return 'replied';
  }
  return roundStatus === 'open' ? null : 'notOpen';
}

/** The i18n message describing a scheduled reminder: when, and who hears of it. */
export type ScheduleMessage =
  | { key: 'reminders.schedule.before_deadline'; values: { date: string; count: number } }
  | { key: 'reminders.schedule.overdue_head'; values: { date: string } }
  | { key: 'reminders.schedule.overdue_leader'; values: { date: string; count: number } };

export function scheduleMessage(s: ScheduledReminder): ScheduleMessage {
  switch (s.rule) {
    case 'before_deadline':
      return { key: 'reminders.schedule.before_deadline', values: { date: s.dueOn, count: s.offset } };
    case 'overdue_head':
      return { key: 'reminders.schedule.overdue_head', values: { date: s.dueOn } };
    case 'overdue_leader':
      return { key: 'reminders.schedule.overdue_leader', values: { date: s.dueOn, count: s.offset } };
  }
}
