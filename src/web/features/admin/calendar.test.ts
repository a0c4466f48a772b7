import { describe, expect, it } from 'vitest';
import type { CalendarDay } from './calendar.ts';
import {
  classifyDay,
  dateWithWeekday,
  daysByDate,
  holidaysIn,
  isDateString,
  isWeekend,
  localDateString,
  monthNames,
  monthOf,
  monthTitle,
  monthViewRange,
  overridesIn,
  toDateString,
  weekdayNames,
} from './calendar.ts';

const days: CalendarDay[] = [
  { date: '2026-10-01', kind: 'holiday', name: '国庆节', source: 'official', scope: 'national' },
  { date: '2026-10-03', kind: 'holiday', name: '国庆节', source: 'official', scope: 'national' },
  { date: '2026-10-07', kind: 'holiday', name: '国庆节', source: 'official', scope: 'national' },
  { date: '2026-10-10', kind: 'workday', name: '国庆节', source: 'official', scope: 'national' },
  { date: '2026-10-20', kind: 'holiday', name: '地方纪念日', source: 'override', scope: 'local' },
  { date: '2026-10-21', kind: 'workday', name: null, source: 'override', scope: 'national' },
  { date: '2026-11-09', kind: 'holiday', name: null, source: 'override', scope: 'local' },
];
const byDate = daysByDate(days);

describe('classifyDay', () => {
  it('marks holidays as rest days with their names', () => {
    expect(classifyDay('2026-10-01', byDate)).toEqual({
      date: '2026-10-01',
      mark: 'rest',
      weekend: false,
      working: false,
      name: '国庆节',
      source: 'official',
      scope: 'national',
    });
  });

  it('marks a weekend made a working day (调休) as work', () => {
    expect(classifyDay('2026-10-10', byDate)).toMatchObject({ mark: 'work', weekend: true, working: true });
  });

  it('shows overrides with their source and scope', () => {
    expect(classifyDay('2026-10-20', byDate)).toMatchObject({
      mark: 'rest',
      source: 'override',
      scope: 'local',
      name: '地方纪念日',
    });
    expect(classifyDay('2026-10-21', byDate)).toMatchObject({ mark: 'work', working: true, name: null });
  });

  it('leaves ordinary days unmarked: weekdays work, weekends rest', () => {
    expect(classifyDay('2026-10-14', byDate)).toMatchObject({ mark: null, weekend: false, working: true });
    expect(classifyDay('2026-10-18', byDate)).toMatchObject({ mark: null, weekend: true, working: false });
  });
});

describe('dates and months', () => {
  it('tells weekends and valid dates', () => {
    expect(isWeekend('2026-10-17')).toBe(true);
    expect(isWeekend('2026-10-19')).toBe(false);
    expect(isDateString('2026-02-28')).toBe(true);
    expect(isDateString('2026-02-30')).toBe(false);
    expect(isDateString('2026-2-3')).toBe(false);
    expect(toDateString(2026, 3, 9)).toBe('2026-03-09');
    expect(monthOf('2026-10-20')).toEqual({ year: 2026, month: 10 });
  });

  it('loads the month before to the month after, across year ends', () => {
    expect(monthViewRange({ year: 2026, month: 10 })).toEqual({ from: '2026-09-01', to: '2026-11-30' });
    expect(monthViewRange({ year: 2026, month: 1 })).toEqual({ from: '2025-12-01', to: '2026-02-28' });
    expect(monthViewRange({ year: 2027, month: 12 })).toEqual({ from: '2027-11-01', to: '2028-01-31' });
    expect(monthViewRange({ year: 2028, month: 1 })).toEqual({ from: '2027-12-01', to: '2028-02-29' });
  });

  it('lists the overrides of a month', () => {
    expect(overridesIn(days, { year: 2026, month: 10 }).map((d) => d.date)).toEqual([
      '2026-10-20',
      '2026-10-21',
    ]);
    expect(overridesIn(days, { year: 2026, month: 12 })).toEqual([]);
  });

  it('summarises the named holidays of a month as spans', () => {
    expect(holidaysIn(days, { year: 2026, month: 10 })).toEqual([
      { name: '国庆节', from: '2026-10-01', to: '2026-10-07' },
      { name: '地方纪念日', from: '2026-10-20', to: '2026-10-20' },
    ]);
    expect(holidaysIn(days, { year: 2026, month: 11 })).toEqual([]);
  });
});

describe('names in the interface language', () => {
  it('names weekdays from Sunday and months from January', () => {
    expect(weekdayNames('zh-CN')).toEqual(['周日', '周一', '周二', '周三', '周四', '周五', '周六']);
    expect(weekdayNames('en')[0]).toBe('Sun');
    expect(weekdayNames('zh-CN', 'narrow')).toEqual(['日', '一', '二', '三', '四', '五', '六']);
    expect(monthNames('zh-CN')[9]).toBe('10月');
    expect(monthNames('en')[0]).toBe('Jan');
  });

  it('titles a month and labels a date with its weekday', () => {
    expect(monthTitle({ year: 2026, month: 10 }, 'zh-CN')).toBe('2026年10月');
    expect(monthTitle({ year: 2026, month: 10 }, 'en')).toBe('October 2026');
    expect(dateWithWeekday('2026-10-01', 'zh-CN')).toBe('2026-10-01（周四）');
    expect(dateWithWeekday('2026-10-01', 'en')).toBe('2026-10-01 (Thu)');
  });

  it('gives the local date', () => {
    expect(localDateString(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
  });
});
