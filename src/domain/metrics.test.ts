import { describe, expect, it } from 'vitest';
import {
  EMPTY_COUNTS,
  addCounts,
  chinaDateOfHour,
  computeRates,
  countDispositionCodes,
  countRatings,
  daysBetween,
  meanOf,
  rate,
  summarizeDurations,
  sumRepliesByChinaDay,
  unitScore,
} from './metrics.ts';

describe('metrics formulas', () => {
  it('gives null, not 0, when the denominator is 0', () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(3, 4)).toBe(0.75);
    expect(computeRates(EMPTY_COUNTS)).toEqual({
      participationRate: null,
      onTimeRate: null,
      validOpinionRatio: null,
      adoptionRate: null,
      satisfaction: null,
      objectionRate: null,
      levelFit: null,
    });
  });

  it('computes the §5 rates from counts', () => {
    const counts = addCounts(EMPTY_COUNTS, {
      invited: 4,
      sent: 3,
      onTime: 2,
      opinions: 10,
      valid: 8,
      disposed: 5,
      adopted: 2,
      partiallyAdopted: 1,
      reflected: 1,
      rated: 4,
      satisfied: 3,
      objected: 1,
    });
    expect(computeRates(counts)).toEqual({
      participationRate: 0.75,
      onTimeRate: 0.5,
      validOpinionRatio: 0.8,
      adoptionRate: 0.6,
      satisfaction: 0.75,
      objectionRate: 0.2,
      levelFit: 0.4,
    });
  });

  it('measures cycles in days and summarises durations', () => {
    expect(daysBetween('2026-03-01T00:00:00Z', '2026-03-11T12:00:00Z')).toBe(10.5);
    expect(daysBetween(null, '2026-03-11T12:00:00Z')).toBeNull();
    expect(summarizeDurations([])).toBeNull();
    expect(summarizeDurations([5, 1, 3])).toEqual({ median: 3, max: 5 });
    expect(summarizeDurations([4, 1, 3, 2])).toEqual({ median: 2.5, max: 4 });
    expect(meanOf([null, 2, 4])).toBe(3);
    expect(meanOf([null])).toBeNull();
  });

  it('scores a unit over the known rates, renormalising the weights', () => {
    expect(unitScore({ timeliness: 1, validity: 0.5, adoption: 0 })).toBe(55);
    expect(unitScore({ timeliness: 1, validity: null, adoption: null })).toBe(100);
    expect(unitScore({ timeliness: null, validity: null, adoption: null })).toBeNull();
    expect(
      unitScore({ timeliness: 0, validity: 1, adoption: 1 }, { timeliness: 1, validity: 0, adoption: 1 }),
    ).toBe(50);
  });
});

describe('replies per China-local day', () => {
  it('reads the China date of a UTC hour', () => {
    expect(chinaDateOfHour('2026-03-01T15')).toBe('2026-03-01');
    expect(chinaDateOfHour('2026-03-01T16')).toBe('2026-03-02');
    expect(chinaDateOfHour('2026-12-31T23')).toBe('2027-01-01');
    expect(chinaDateOfHour('2026-03-01')).toBeNull();
    expect(chinaDateOfHour('not an hour')).toBeNull();
  });

  it('sums hours into days at the Beijing midnight, in date order', () => {
    expect(
      sumRepliesByChinaDay([
        { hour: '2026-03-03T02', onTime: 0, late: 1 },
        { hour: '2026-03-01T01', onTime: 2, late: 0 },
        { hour: '2026-03-01T15', onTime: 1, late: 0 },
        { hour: '2026-03-01T16', onTime: 1, late: 0 },
        { hour: 'garbage', onTime: 9, late: 9 },
      ]),
    ).toEqual([
      { date: '2026-03-01', onTime: 3, late: 0 },
      { date: '2026-03-02', onTime: 1, late: 0 },
      { date: '2026-03-03', onTime: 0, late: 1 },
    ]);
    expect(sumRepliesByChinaDay([])).toEqual([]);
  });
});

describe('dispositions per code and feedback ratings', () => {
  it('keeps every code in one order and ignores unknown ones', () => {
    const counts = countDispositionCodes([
      { code: 'not_adopted', n: 2 },
      { code: 'adopted', n: 3 },
      { code: 'adopted', n: 1 },
      { code: 'something_else', n: 5 },
    ]);
    expect(Object.keys(counts)).toEqual([
      'adopted',
      'partially_adopted',
      'not_adopted',
      'already_reflected',
      'explained',
      'for_reference',
      'out_of_scope',
    ]);
    expect(counts).toMatchObject({ adopted: 4, not_adopted: 2, partially_adopted: 0 });
  });

  it('counts ratings, confirmations and objections apart', () => {
    expect(
      countRatings([
        { response: 'rated', rating: 'satisfied', n: 3 },
        { response: 'rated', rating: 'basically_satisfied', n: 2 },
        { response: 'rated', rating: 'unsatisfied', n: 1 },
        { response: 'confirmed', rating: null, n: 4 },
        { response: 'objected', rating: null, n: 1 },
      ]),
    ).toEqual({ satisfied: 3, basicallySatisfied: 2, unsatisfied: 1, confirmed: 4, objected: 1 });
  });
});
