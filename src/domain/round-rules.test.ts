import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import type { ScopeClause } from './round-rules.ts';
import {
  checkCalendarCoverage,
  clausesInScope,
  computeRoundPeriod,
  decideUrgency,
  findPeriodShortfall,
  generateTargetedQuestions,
} from './round-rules.ts';
import { officialCalendar, withOverrides } from './working-days.ts';

const cal = officialCalendar();
// 09:00 in Beijing on Tuesday 29 September 2026.
const opensAt = new Date('2026-09-29T01:00:00Z');

describe('round periods', () => {
  it('counts the deadline in working days across the National Day holiday', () => {
    const period = computeRoundPeriod(cal, { opensAt, workingDays: 5 });
    expect(period).toEqual({
      startDate: '2026-09-29',
      deadline: '2026-10-12',
      closesAt: '2026-10-12T16:00:00.000Z',
      workingDays: 5,
      calendarDays: 13,
    });
  });

  it('takes a deadline date instead and counts its working days', () => {
    const period = computeRoundPeriod(cal, { opensAt, deadline: '2026-10-09' });
    expect(period).toMatchObject({ workingDays: 3, calendarDays: 10 });
    expect(() => computeRoundPeriod(cal, { opensAt })).toThrow(AppError);
    expect(() => computeRoundPeriod(cal, { opensAt, workingDays: 5, deadline: '2026-10-20' })).toThrow(
      /one of the two/,
    );
    expect(() => computeRoundPeriod(cal, { opensAt, deadline: '2026-09-29' })).toThrow(/after the day/);
    expect(() => computeRoundPeriod(cal, { opensAt, deadline: '2026-13-01' })).toThrow(/YYYY-MM-DD/);
  });

  it('enforces minimum periods by kind', () => {
    // Monday 2 November 2026: 4 working days end on Friday 6 November.
    const monday = new Date('2026-11-02T02:00:00Z');
    const four = computeRoundPeriod(cal, { opensAt: monday, workingDays: 4 });
    expect(findPeriodShortfall('internal', four, 'workingDays')?.message).toMatch(/5 working days/);
    const five = computeRoundPeriod(cal, { opensAt: monday, workingDays: 5 });
    expect(five.calendarDays).toBe(7);
    expect(findPeriodShortfall('internal', five, 'workingDays')).toBeNull();
    // Five working days in six calendar days: Saturday 10 October 2026 is worked in lieu (调休).
    const short = computeRoundPeriod(cal, { opensAt: new Date('2026-10-07T02:00:00Z'), workingDays: 5 });
    expect(short).toMatchObject({ deadline: '2026-10-13', workingDays: 5, calendarDays: 6 });
    expect(findPeriodShortfall('internal', short, 'workingDays')?.message).toMatch(/7 calendar days/);
    const public29 = computeRoundPeriod(cal, { opensAt: monday, deadline: '2026-12-01' });
    expect(public29.calendarDays).toBe(29);
    expect(findPeriodShortfall('public', public29, 'deadline')?.message).toMatch(/30 days/);
    const public30 = computeRoundPeriod(cal, { opensAt: monday, deadline: '2026-12-02' });
    expect(findPeriodShortfall('public', public30, 'deadline')).toBeNull();
  });

  it('lets a shorter period through only as urgent, pending a leader', () => {
    const period = computeRoundPeriod(cal, { opensAt, workingDays: 2 });
    let error: unknown;
    try {
      decideUrgency('internal', period, { field: 'workingDays', urgentReason: null });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(422);
    expect((error as AppError).details).toMatchObject({ field: 'workingDays' });
    expect(decideUrgency('internal', period, { field: 'workingDays', urgentReason: '省政府限期报送' })).toBe(
      'pending',
    );
    const long = computeRoundPeriod(cal, { opensAt, workingDays: 10 });
    expect(decideUrgency('internal', long, { field: 'workingDays', urgentReason: null })).toBe('none');
  });

  it('refuses a deadline in a year the calendar does not cover, until overrides exist', () => {
    const period = computeRoundPeriod(cal, { opensAt: new Date('2026-12-20T02:00:00Z'), workingDays: 10 });
    expect(() => checkCalendarCoverage(cal, period, 'workingDays')).toThrow(/2027/);
    const covered = withOverrides(cal, [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }]);
    expect(() => checkCalendarCoverage(covered, period, 'workingDays')).not.toThrow();
  });
});

describe('targeted questions', () => {
  const clauses: ScopeClause[] = [
    { stableId: 'c1', parentStableId: null, number: '第一章', heading: '总则', text: '', path: '第一章' },
    {
      stableId: 'a1',
      parentStableId: 'c1',
      number: '第一条',
      heading: null,
      text: '加快发展数字经济，推进数据要素市场化配置。',
      path: '第一章/第一条',
    },
    { stableId: 'c2', parentStableId: null, number: '第二章', heading: '生态环境', text: '', path: '第二章' },
    {
      stableId: 'a2',
      parentStableId: 'c2',
      number: '第十二条',
      heading: null,
      text: '推动数字经济与生态环境保护融合，建设智慧环保平台。',
      path: '第二章/第十二条',
    },
    {
      stableId: 'a3',
      parentStableId: 'c2',
      number: '第十三条',
      heading: null,
      text: '强化水资源刚性约束。',
      path: '第二章/第十三条',
    },
  ];

  it('targets the clauses whose text carries the unit’s keywords, in document order', () => {
    expect(generateTargetedQuestions(['数字经济', '生态环境'], clauses)).toEqual([
      { clauseStableId: 'a1', question: '请重点就第一条（涉及：数字经济）提出意见' },
      { clauseStableId: 'c2', question: '请重点就第二章（涉及：生态环境）提出意见' },
      { clauseStableId: 'a2', question: '请重点就第十二条（涉及：数字经济、生态环境）提出意见' },
    ]);
    expect(generateTargetedQuestions([], clauses)).toEqual([]);
    expect(generateTargetedQuestions(['航空航天'], clauses)).toEqual([]);
  });

  it('keeps the clauses with most keywords when there are too many', () => {
    const questions = generateTargetedQuestions(['数字经济', '生态环境'], clauses, 1);
    expect(questions.map((q) => q.clauseStableId)).toEqual(['a2']);
  });

  it('stays within the round’s scope', () => {
    const inScope = clausesInScope(clauses, ['c2']);
    expect(inScope.map((c) => c.stableId)).toEqual(['c2', 'a2', 'a3']);
    expect(generateTargetedQuestions(['数字经济'], inScope).map((q) => q.clauseStableId)).toEqual(['a2']);
    expect(clausesInScope(clauses, null)).toHaveLength(5);
  });
});
