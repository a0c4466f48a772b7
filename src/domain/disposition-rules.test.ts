import { describe, expect, it } from 'vitest';
import {
  DISPOSITION_CODES,
  DISPOSITION_LABELS,
  countsAsAdopted,
  countsAsReflected,
  createsFollowUp,
  isWithinWindow,
  nextObjectionRound,
  objectionDeadline,
  objectionOpenUntil,
  requiresReason,
  validateDisposition,
} from './disposition-rules.ts';
import { AppError } from './errors.ts';

const fieldOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).details;
  }
  throw new Error('expected an error');
};

describe('disposition codes', () => {
  it('has the seven codes of the spec with Chinese labels', () => {
    expect(DISPOSITION_CODES).toHaveLength(7);
    expect(DISPOSITION_LABELS.adopted).toBe('采纳');
    expect(DISPOSITION_LABELS.out_of_scope).toBe('不属于本规划范围');
  });

  it('needs a reason and basis for everything but adopted', () => {
    expect(DISPOSITION_CODES.filter(requiresReason)).toEqual(
      DISPOSITION_CODES.filter((c) => c !== 'adopted'),
    );
    expect(validateDisposition({ code: 'adopted' })).toEqual({ code: 'adopted', reason: null, basis: null });
    for (const code of DISPOSITION_CODES.filter(requiresReason)) {
      expect(fieldOf(() => validateDisposition({ code, basis: 'data' }))).toMatchObject({ field: 'reason' });
      expect(fieldOf(() => validateDisposition({ code, reason: '  ', basis: 'data' }))).toMatchObject({
        field: 'reason',
      });
      expect(fieldOf(() => validateDisposition({ code, reason: '理由' }))).toMatchObject({ field: 'basis' });
      expect(validateDisposition({ code, reason: ' 理由 ', basis: 'law_policy' })).toEqual({
        code,
        reason: '理由',
        basis: 'law_policy',
      });
    }
    expect(fieldOf(() => validateDisposition({ code: 'explained' }, 'newDisposition.'))).toMatchObject({
      field: 'newDisposition.reason',
    });
  });

  it('counts adopted and partially adopted as adopted; reflected adds already_reflected', () => {
    expect(DISPOSITION_CODES.filter(countsAsAdopted)).toEqual(['adopted', 'partially_adopted']);
    expect(DISPOSITION_CODES.filter(countsAsReflected)).toEqual([
      'adopted',
      'partially_adopted',
      'already_reflected',
    ]);
    expect(DISPOSITION_CODES.filter(createsFollowUp)).toEqual(['for_reference']);
  });
});

describe('objection window and bound', () => {
  it('ends the window the given calendar days after sending', () => {
    expect(objectionDeadline('2026-12-01T02:00:00.000Z', 5)).toBe('2026-12-06T02:00:00.000Z');
    expect(isWithinWindow(new Date('2026-12-06T01:59:59.999Z'), '2026-12-06T02:00:00.000Z')).toBe(true);
    expect(isWithinWindow(new Date('2026-12-06T02:00:00.000Z'), '2026-12-06T02:00:00.000Z')).toBe(false);
  });

  it('gives a fresh window after a review, never shorter than the letter', () => {
    const letterDeadline = '2026-12-06T00:00:00.000Z';
    expect(objectionOpenUntil({ letterDeadline, lastReviewedAt: null, windowDays: 5 })).toBe(letterDeadline);
    expect(
      objectionOpenUntil({ letterDeadline, lastReviewedAt: '2026-12-10T00:00:00.000Z', windowDays: 5 }),
    ).toBe('2026-12-15T00:00:00.000Z');
    expect(
      objectionOpenUntil({ letterDeadline, lastReviewedAt: '2026-11-20T00:00:00.000Z', windowDays: 5 }),
    ).toBe(letterDeadline);
  });

  it('numbers objection rounds and refuses the one past the bound', () => {
    expect(nextObjectionRound(0, 2)).toEqual({ allowed: true, roundNo: 1 });
    expect(nextObjectionRound(1, 2)).toEqual({ allowed: true, roundNo: 2 });
    expect(nextObjectionRound(2, 2)).toEqual({ allowed: false, roundNo: null });
    expect(nextObjectionRound(0, 0)).toEqual({ allowed: false, roundNo: null });
  });
});
