import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  calendarDaysBetween,
  chinaDate,
  endOfChinaDay,
  isWorkingDay,
  officialCalendar,
  uncoveredYears,
  withOverrides,
  workingDaysBetween,
} from './working-days.ts';

const cal = officialCalendar();

describe('working days on the PRC calendar', () => {
  it('knows weekends, holidays and make-up workdays (调休)', () => {
    expect(isWorkingDay(cal, '2026-09-30')).toBe(true); // Wednesday
    expect(isWorkingDay(cal, '2026-10-01')).toBe(false); // National Day
    expect(isWorkingDay(cal, '2026-10-07')).toBe(false);
    expect(isWorkingDay(cal, '2026-10-10')).toBe(true); // a Saturday worked in lieu
    expect(isWorkingDay(cal, '2026-09-27')).toBe(false); // an ordinary Sunday
    expect(isWorkingDay(cal, '2026-02-17')).toBe(false); // Spring Festival
  });

  it('adds working days across the National Day holiday', () => {
    // From Tuesday 29 September 2026: 30 Sep is the 1st, then 1–7 Oct are off, 8 Oct (Thu) the 2nd …
    expect(addWorkingDays(cal, '2026-09-29', 1)).toBe('2026-09-30');
    expect(addWorkingDays(cal, '2026-09-29', 2)).toBe('2026-10-08');
    expect(addWorkingDays(cal, '2026-09-29', 5)).toBe('2026-10-12'); // 8, 9, 10 (Sat, in lieu), 12
    expect(addWorkingDays(cal, '2026-09-29', 0)).toBe('2026-09-29');
    expect(workingDaysBetween(cal, '2026-09-29', '2026-10-12')).toBe(5);
    expect(calendarDaysBetween('2026-09-29', '2026-10-12')).toBe(13);
  });

  it('takes administrators’ overrides for years the package lacks and for local days off', () => {
    expect(uncoveredYears(cal, '2026-12-01', '2027-02-01')).toEqual([2027]);
    expect(isWorkingDay(cal, '2027-01-01')).toBe(true); // a Friday, unknown as a holiday
    const local = withOverrides(cal, [
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
      { date: '2026-12-07', kind: 'holiday', name: '地方假日' },
      { date: '2026-12-13', kind: 'workday', name: '调休' },
    ]);
    expect(isWorkingDay(local, '2027-01-01')).toBe(false);
    expect(isWorkingDay(local, '2026-12-07')).toBe(false);
    expect(isWorkingDay(local, '2026-12-13')).toBe(true);
    expect(uncoveredYears(local, '2026-12-01', '2027-02-01')).toEqual([]);
  });

  it('speaks China-local dates', () => {
    expect(chinaDate(new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
    expect(endOfChinaDay('2026-03-02')).toBe('2026-03-02T16:00:00.000Z');
    expect(() => addWorkingDays(cal, '2026-02-30', 1)).toThrow(RangeError);
    expect(() => addWorkingDays(cal, '2026-02-03', -1)).toThrow(RangeError);
  });
});
