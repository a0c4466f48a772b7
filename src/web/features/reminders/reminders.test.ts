import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api.ts';
import {
  parseBeforeDays,
  remindBlocked,
  ruleColor,
  scheduleMessage,
  settingsFieldErrors,
  settingsFormValues,
} from './reminders.ts';

describe('parseBeforeDays', () => {
  it('gives distinct whole numbers, largest first', () => {
    expect(parseBeforeDays(['1', '3', ' 2 ', '3', 5])).toEqual({ days: [5, 3, 2, 1], invalid: [] });
  });

  it('reads full-width digits typed with a Chinese input method', () => {
    expect(parseBeforeDays(['３', '１０'])).toEqual({ days: [10, 3], invalid: [] });
  });

  it('gives back what is not a whole number from 1, and skips blanks', () => {
    expect(parseBeforeDays(['2', '0', '-1', '1.5', '三', 'abc', '  '])).toEqual({
      days: [2],
      invalid: ['0', '-1', '1.5', '三', 'abc'],
    });
  });

  it('leaves ranges to the server: large numbers pass through', () => {
    expect(parseBeforeDays(['31'])).toEqual({ days: [31], invalid: [] });
  });

  it('is empty for no days (no reminders before the deadline)', () => {
    expect(parseBeforeDays([])).toEqual({ days: [], invalid: [] });
  });
});

describe('settingsFormValues', () => {
  it('holds the days as the tags the form edits', () => {
    expect(settingsFormValues({ beforeDays: [3, 1], leaderAfterDays: 2, enabled: false })).toEqual({
      beforeDays: ['3', '1'],
      leaderAfterDays: 2,
      enabled: false,
    });
  });
});

describe('settingsFieldErrors', () => {
  it("puts schema validation problems on the field their path names, the first of each field's", () => {
    const error = new ApiError(400, 'validation_failed', 'body.leaderAfterDays must be <= 30', [
      { field: 'body.leaderAfterDays', problem: 'must be <= 30' },
      { field: 'body.beforeDays.1', problem: 'must be >= 1' },
      { field: 'body.beforeDays.2', problem: 'must be integer' },
    ]);
    expect(settingsFieldErrors(error)).toEqual({
      leaderAfterDays: 'must be <= 30',
      beforeDays: 'must be >= 1',
    });
  });

  it("puts the service's own refusal on the field it names, with its message", () => {
    const error = new ApiError(400, 'validation_failed', 'beforeDays: whole numbers from 1 to 30, got 40', {
      field: 'beforeDays',
    });
    expect(settingsFieldErrors(error)).toEqual({
      beforeDays: 'beforeDays: whole numbers from 1 to 30, got 40',
    });
  });

  it('blames no field for a closed round, a refusal, an unknown field or another error', () => {
    expect(
      settingsFieldErrors(
        new ApiError(409, 'conflict', 'Reminders are set before a round closes', {
          field: 'status',
          state: 'closed',
        }),
      ),
    ).toBeNull();
    expect(settingsFieldErrors(new ApiError(403, 'forbidden', 'Only organizers'))).toBeNull();
    expect(
      settingsFieldErrors(
        new ApiError(400, 'validation_failed', 'body must be object', [{ field: 'body', problem: 'x' }]),
      ),
    ).toBeNull();
    expect(settingsFieldErrors(new Error('network'))).toBeNull();
    expect(settingsFieldErrors('oops')).toBeNull();
  });
});

describe('remindBlocked', () => {
  it('allows a unit that has not replied while the round is open', () => {
    expect(remindBlocked({ replied: false }, 'open')).toBeNull();
  });

  it('blocks a unit that has replied, whatever the round', () => {
    expect(remindBlocked({ replied: true }, 'open')).toBe('replied');
    expect(remindBlocked({ replied: true }, 'closed')).toBe('replied');
  });

  it('blocks every unit while the round is not open', () => {
    for (const status of ['draft', 'scheduled', 'closed', 'assessing', 'finished']) {
      expect(remindBlocked({ replied: false }, status)).toBe('notOpen');
    }
  });
});

describe('scheduleMessage', () => {
  it('describes each rule with its day and working days', () => {
    expect(scheduleMessage({ rule: 'before_deadline', dueOn: '2026-09-28', offset: 3 })).toEqual({
      key: 'reminders.schedule.before_deadline',
      values: { date: '2026-09-28', count: 3 },
    });
    expect(scheduleMessage({ rule: 'overdue_head', dueOn: '2026-10-09', offset: 1 })).toEqual({
      key: 'reminders.schedule.overdue_head',
      values: { date: '2026-10-09' },
    });
    expect(scheduleMessage({ rule: 'overdue_leader', dueOn: '2026-10-12', offset: 3 })).toEqual({
      key: 'reminders.schedule.overdue_leader',
      values: { date: '2026-10-12', count: 3 },
    });
  });
});

describe('ruleColor', () => {
  it('sets escalations apart from reminders', () => {
    expect(new Set(Object.values(ruleColor)).size).toBe(4);
    expect(ruleColor.overdue_leader).toBe('red');
  });
});
