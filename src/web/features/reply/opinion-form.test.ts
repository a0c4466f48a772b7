import { describe, expect, it } from 'vitest';
import { emptyForm, orNull, toInput, WHOLE } from './opinion-form.ts';

describe('orNull', () => {
  it('trims text and turns blanks into null', () => {
    expect(orNull('  理由  ')).toBe('理由');
    expect(orNull('   ')).toBeNull();
    expect(orNull('')).toBeNull();
    expect(orNull(undefined)).toBeNull();
  });
});

describe('toInput', () => {
  it('sends an opinion on the whole draft with a null clause', () => {
    expect(toInput({ ...emptyForm, suggestion: ' 建议增加实施保障章节 ' })).toEqual({
      clauseStableId: null,
      quote: null,
      suggestion: '建议增加实施保障章节',
      reasons: null,
      proposedText: null,
      kind: 'substantive',
      blocking: false,
    });
  });

  it('keeps a clause, trims every text and reads blocking as a boolean', () => {
    expect(
      toInput({
        clauseStableId: 'clause-12',
        quote: '「到2030年」',
        suggestion: '建议修改目标年份',
        reasons: ' 与国家规划衔接 ',
        proposedText: '到2029年底前',
        kind: 'editorial',
        blocking: true,
      }),
    ).toEqual({
      clauseStableId: 'clause-12',
      quote: '「到2030年」',
      suggestion: '建议修改目标年份',
      reasons: '与国家规划衔接',
      proposedText: '到2029年底前',
      kind: 'editorial',
      blocking: true,
    });
  });

  it('sends an empty suggestion as an empty string (the server refuses it)', () => {
    expect(toInput({ clauseStableId: WHOLE, kind: 'question' }).suggestion).toBe('');
    expect(toInput({ clauseStableId: WHOLE, kind: 'question' }).blocking).toBe(false);
  });
});
