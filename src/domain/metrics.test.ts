import { describe, expect, it } from 'vitest';
import {
  EMPTY_COUNTS,
  addCounts,
  computeRates,
  daysBetween,
  meanOf,
  rate,
  summarizeDurations,
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
