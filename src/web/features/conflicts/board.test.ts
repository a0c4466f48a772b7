import { describe, expect, it } from 'vitest';
import {
  ageTone,
  badInputNames,
  calculationErrorField,
  groupByClause,
  groupByUnitPair,
  ladderSteps,
  linesOf,
  wholeDays,
} from './board.ts';

const item = (id: string, clause: string, units: [string, string][], ageDays: number) => ({
  id,
  clauseStableId: clause,
  clauseNumber: clause === 'c2' ? '第二条' : null,
  units: units.map(([uid, name]) => ({ id: uid, name })),
  ageDays,
  status: 'open',
});

describe('groupByClause', () => {
  it('groups conflicts by clause, the longest waiting first', () => {
    const groups = groupByClause([
      item(
        'x',
        'c2',
        [
          ['u1', '发改委'],
          ['u2', '统计局'],
        ],
        3,
      ),
      item(
        'y',
        'c5',
        [
          ['u1', '发改委'],
          ['u3', 'Finance'],
        ],
        10,
      ),
      item(
        'z',
        'c2',
        [
          ['u2', '统计局'],
          ['u3', 'Finance'],
        ],
        1,
      ),
    ]);
    expect(groups.map((g) => [g.label, g.items.map((i) => i.id)])).toEqual([
      ['c5', ['y']],
      ['第二条', ['x', 'z']],
    ]);
    expect(groupByClause([])).toEqual([]);
  });
});

describe('groupByUnitPair', () => {
  it('counts A–B and B–A as one pair and a three-unit conflict under each of its pairs', () => {
    const groups = groupByUnitPair([
      item(
        'x',
        'c2',
        [
          ['u1', '发改委'],
          ['u2', '统计局'],
        ],
        3,
      ),
      item(
        'y',
        'c5',
        [
          ['u2', '统计局'],
          ['u1', '发改委'],
        ],
        8,
      ),
      item(
        'z',
        'c7',
        [
          ['u1', '发改委'],
          ['u2', '统计局'],
          ['u3', '工信厅😀'],
        ],
        1,
      ),
    ]);
    expect(groups.map((g) => [g.label, g.items.map((i) => i.id)])).toEqual([
      ['发改委 ↔ 统计局', ['y', 'x', 'z']],
      ['发改委 ↔ 工信厅😀', ['z']],
      ['统计局 ↔ 工信厅😀', ['z']],
    ]);
  });

  it('leaves out a conflict with one unit only', () => {
    expect(
      groupByUnitPair([
        item(
          'x',
          'c2',
          [
            ['u1', 'A'],
            ['u1', 'A'],
          ],
          1,
        ),
      ]),
    ).toEqual([]);
  });
});

describe('ages', () => {
  it('shows whole days and flags the old ones while unsettled', () => {
    expect(wholeDays(2.9)).toBe(2);
    expect(wholeDays(-1)).toBe(0);
    expect(wholeDays(Number.NaN)).toBe(0);
    expect(ageTone(3, false)).toBe('default');
    expect(ageTone(7, false)).toBe('warning');
    expect(ageTone(45, false)).toBe('error');
    expect(ageTone(45, true)).toBe('default');
  });
});

describe('ladderSteps', () => {
  const rungs = [
    { rank: 2, name: '分管领导' },
    { rank: 0, name: '编制组长' },
    { rank: 1, name: '牵头单位负责人' },
    { rank: 3, name: '主要领导' },
  ];
  it('marks the passed, current and coming rungs', () => {
    expect(ladderSteps(rungs, 2).map((s) => `${s.rung.name}:${s.state}`)).toEqual([
      '编制组长:passed',
      '牵头单位负责人:passed',
      '分管领导:current',
      '主要领导:ahead',
    ]);
    expect(ladderSteps(rungs, null)[0]!.state).toBe('current');
    expect(ladderSteps([], 1)).toEqual([]);
  });
});

describe('calculationErrorField', () => {
  it('puts a refused calculation at its field', () => {
    expect(calculationErrorField({ input: 'base2025' })).toEqual({ input: 'base2025' });
    expect(calculationErrorField({ field: 'formula', symbol: 'growth' })).toBe('formula');
    expect(calculationErrorField({ symbol: 'x' })).toBe('formula');
    expect(calculationErrorField(undefined)).toBe('sheet');
    expect(calculationErrorField('division')).toBe('sheet');
  });
});

describe('badInputNames', () => {
  it('flags names a formula cannot use and duplicates', () => {
    expect([...badInputNames(['base2025', 'forecast2030'])]).toEqual([]);
    expect([...badInputNames(['基数', '', 'a', 'a', '1x', 'ok_1'])].sort()).toEqual([0, 1, 2, 3, 4]);
    expect([...badInputNames(['x'.repeat(65)])]).toEqual([0]);
  });
});

describe('linesOf', () => {
  it('splits a text area into items', () => {
    expect(linesOf('议程一\r\n\n  Agenda two  \n')).toEqual(['议程一', 'Agenda two']);
    expect(linesOf('')).toEqual([]);
    expect(linesOf(null)).toEqual([]);
    expect(linesOf('x'.repeat(100_000))).toHaveLength(1);
  });
});
