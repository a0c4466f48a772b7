import { describe, expect, it } from 'vitest';
import { answerBody, answerProblems, expertsByField, scoreBars } from './answers.ts';

describe('answerProblems', () => {
  it('accepts a complete answer in Chinese or English', () => {
    expect(
      answerProblems(
        { recommendation: '维持15%', feasibility: 4, reasons: '预测序列支持', answers: ['可行'] },
        1,
      ),
    ).toEqual([]);
    expect(
      answerProblems({ recommendation: 'Keep 15% 🚀', feasibility: 1, reasons: 'x', answers: ['y', 'z'] }, 2),
    ).toEqual([]);
  });

  it('names every missing part, blank text counting as missing', () => {
    expect(
      answerProblems({ recommendation: '  ', feasibility: null, reasons: '', answers: ['ok', ' '] }, 3),
    ).toEqual([
      { field: 'recommendation' },
      { field: 'feasibility' },
      { field: 'reasons' },
      { field: 'answers', index: 1 },
      { field: 'answers', index: 2 },
    ]);
  });

  it('refuses scores outside 1–5 or not whole', () => {
    for (const feasibility of [0, 6, 2.5, Number.NaN]) {
      expect(answerProblems({ recommendation: 'a', reasons: 'b', feasibility }, 0)).toEqual([
        { field: 'feasibility' },
      ]);
    }
  });
});

describe('answerBody', () => {
  it('trims and gives one answer per question', () => {
    expect(
      answerBody({ recommendation: ' 建议 ', feasibility: 3, reasons: '理由\n', answers: [' a '] }, 2),
    ).toEqual({
      recommendation: '建议',
      feasibility: 3,
      reasons: '理由',
      answers: ['a', ''],
    });
    const long = '长'.repeat(100_000);
    expect(answerBody({ recommendation: long, feasibility: 5, reasons: 'r' }, 0).recommendation).toHaveLength(
      100_000,
    );
  });
});

describe('expertsByField', () => {
  it('lists an expert under each field and those without a profile apart', () => {
    const byField = expertsByField([
      { id: 'a', fields: ['economy', 'law'] },
      { id: 'b', fields: ['economy'] },
      { id: 'c', fields: [] },
    ]);
    expect(byField.get('economy')?.map((e) => e.id)).toEqual(['a', 'b']);
    expect(byField.get('law')?.map((e) => e.id)).toEqual(['a']);
    expect(byField.get('')?.map((e) => e.id)).toEqual(['c']);
    expect(expertsByField([]).size).toBe(0);
  });
});

describe('scoreBars', () => {
  it('scales the distribution to the largest bar', () => {
    expect(scoreBars([0, 1, 0, 2, 0])).toEqual([0, 50, 0, 100, 0]);
    expect(scoreBars([0, 0, 0, 0, 0])).toEqual([0, 0, 0, 0, 0]);
  });
});
