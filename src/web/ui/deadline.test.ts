import { describe, expect, it } from 'vitest';
import { deadlineColor, deadlineMessage, deadlineState, isPastChinaDay } from './deadline.ts';

describe('deadlineState', () => {
  it('is done once the reply is no longer owed, whatever the days left', () => {
    expect(deadlineState(-3, true)).toBe('done');
    expect(deadlineState(10, true)).toBe('done');
  });

  it('grades the working days left', () => {
    expect(deadlineState(-1, false)).toBe('overdue');
    expect(deadlineState(0, false)).toBe('today');
    expect(deadlineState(1, false)).toBe('today');
    expect(deadlineState(2, false)).toBe('soon');
    expect(deadlineState(3, false)).toBe('soon');
    expect(deadlineState(4, false)).toBe('normal');
  });

  it('has a colour for every state', () => {
    for (const state of ['done', 'overdue', 'today', 'soon', 'normal'] as const) {
      expect(deadlineColor[state]).toBeTypeOf('string');
    }
    expect(deadlineColor.overdue).toBe('red');
  });
});

describe('deadlineMessage', () => {
  it('shows the date once done', () => {
    expect(deadlineMessage(-2, '2026-03-02', true)).toEqual({
      key: 'inbox.deadlineOn',
      values: { date: '2026-03-02' },
    });
  });

  it('counts overdue working days as a positive number', () => {
    expect(deadlineMessage(-2, '2026-03-02', false)).toEqual({ key: 'inbox.overdue', values: { count: 2 } });
  });

  it('says due today on the last day and counts the days left before it', () => {
    expect(deadlineMessage(0, '2026-03-02', false)).toEqual({ key: 'inbox.dueToday', values: {} });
    expect(deadlineMessage(1, '2026-03-02', false)).toEqual({ key: 'inbox.daysLeft', values: { count: 1 } });
    expect(deadlineMessage(7, '2026-03-02', false)).toEqual({ key: 'inbox.daysLeft', values: { count: 7 } });
  });
});

describe('isPastChinaDay', () => {
  it('ends the day at midnight China time (UTC+8)', () => {
    // 2026-03-02 in Beijing ends at 2026-03-02T16:00:00Z.
    expect(isPastChinaDay('2026-03-02', new Date('2026-03-02T15:59:59.999Z'))).toBe(false);
    expect(isPastChinaDay('2026-03-02', new Date('2026-03-02T16:00:00.000Z'))).toBe(true);
  });

  it('is not past during the day itself, even before it starts in UTC', () => {
    expect(isPastChinaDay('2026-03-02', new Date('2026-03-01T17:00:00Z'))).toBe(false);
  });

  it('is never past for a date it cannot read', () => {
    expect(isPastChinaDay('not a date', new Date('2100-01-01T00:00:00Z'))).toBe(false);
    expect(isPastChinaDay('', new Date())).toBe(false);
  });
});
