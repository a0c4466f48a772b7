import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { EMPTY_COUNTS } from './metrics.ts';
import {
  DEFAULT_UNIT_ASSESSMENT_WEIGHTS,
  componentRates,
  describeComponents,
  rankByScore,
  validateWeights,
  weightedScore,
} from './unit-assessment.ts';

const counts = { ...EMPTY_COUNTS };

describe('componentRates', () => {
  it('reads each component from the counts', () => {
    const rates = componentRates({
      ...counts,
      invited: 4,
      sent: 3,
      onTime: 2,
      opinions: 5,
      valid: 4,
      disposed: 4,
      adopted: 1,
      partiallyAdopted: 1,
      rated: 3,
    });
    expect(rates).toEqual({ onTime: 0.5, completeness: 0.75, validity: 0.8, adoption: 0.5, feedback: 0.75 });
  });

  it('leaves unknown what has no denominator, and caps feedback at 1', () => {
    expect(componentRates(counts)).toEqual({
      onTime: null,
      completeness: null,
      validity: null,
      adoption: null,
      feedback: null,
    });
    expect(componentRates({ ...counts, disposed: 1, rated: 2 }).feedback).toBe(1);
  });
});

describe('weightedScore', () => {
  it('weights the components (hand computation)', () => {
    // 0.3·1 + 0.2·1 + 0.2·0.5 + 0.2·0.25 + 0.1·0 = 0.65
    const rates = { onTime: 1, completeness: 1, validity: 0.5, adoption: 0.25, feedback: 0 };
    expect(weightedScore(rates, DEFAULT_UNIT_ASSESSMENT_WEIGHTS)).toBe(65);
  });

  it('renormalises over the known components', () => {
    // only on time (30) and completeness (20) known: (30·1 + 20·0.5) / 50 = 0.8
    const rates = { onTime: 1, completeness: 0.5, validity: null, adoption: null, feedback: null };
    expect(weightedScore(rates, DEFAULT_UNIT_ASSESSMENT_WEIGHTS)).toBe(80);
  });

  it('is null when nothing weighted is known', () => {
    const rates = { onTime: null, completeness: null, validity: null, adoption: null, feedback: 1 };
    expect(weightedScore(rates, { ...DEFAULT_UNIT_ASSESSMENT_WEIGHTS, feedback: 0 })).toBeNull();
  });

  it('changes with the weights', () => {
    const fast = { onTime: 1, completeness: 1, validity: 0.2, adoption: 0.2, feedback: 0.2 };
    const thoughtful = { onTime: 0.2, completeness: 1, validity: 1, adoption: 1, feedback: 0.2 };
    const timely = { onTime: 70, completeness: 10, validity: 10, adoption: 5, feedback: 5 };
    const quality = { onTime: 5, completeness: 10, validity: 40, adoption: 40, feedback: 5 };
    expect(weightedScore(fast, timely)!).toBeGreaterThan(weightedScore(thoughtful, timely)!);
    expect(weightedScore(fast, quality)!).toBeLessThan(weightedScore(thoughtful, quality)!);
  });
});

describe('validateWeights', () => {
  const fieldOf = (input: Record<string, unknown>): unknown => {
    try {
      validateWeights(input);
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      return (error as AppError).details;
    }
    return null;
  };

  it('accepts weights adding up to 100, decimals included', () => {
    expect(validateWeights(DEFAULT_UNIT_ASSESSMENT_WEIGHTS)).toEqual(DEFAULT_UNIT_ASSESSMENT_WEIGHTS);
    const thirds = { onTime: 33.3, completeness: 33.3, validity: 33.4, adoption: 0, feedback: 0 };
    expect(validateWeights(thirds)).toEqual(thirds);
  });

  it('names the field that is out of range, missing or unknown', () => {
    expect(fieldOf({ ...DEFAULT_UNIT_ASSESSMENT_WEIGHTS, adoption: 120, onTime: -70 })).toMatchObject({
      field: 'weights.onTime',
    });
    expect(fieldOf({ ...DEFAULT_UNIT_ASSESSMENT_WEIGHTS, validity: 101, adoption: -1 })).toMatchObject({
      field: 'weights.validity',
    });
    const { feedback: _omitted, ...missing } = DEFAULT_UNIT_ASSESSMENT_WEIGHTS;
    expect(fieldOf(missing)).toMatchObject({ field: 'weights.feedback' });
    expect(fieldOf({ ...DEFAULT_UNIT_ASSESSMENT_WEIGHTS, onTime: Number.NaN })).toMatchObject({
      field: 'weights.onTime',
    });
    expect(fieldOf({ ...DEFAULT_UNIT_ASSESSMENT_WEIGHTS, speed: 0 })).toMatchObject({
      field: 'weights.speed',
    });
  });

  it('refuses a sum other than 100', () => {
    expect(fieldOf({ ...DEFAULT_UNIT_ASSESSMENT_WEIGHTS, feedback: 20 })).toMatchObject({
      field: 'weights',
      sum: 110,
    });
    expect(fieldOf({ onTime: 0, completeness: 0, validity: 0, adoption: 0, feedback: 0 })).toMatchObject({
      field: 'weights',
    });
  });
});

describe('rankByScore', () => {
  it('gives ties one rank and skips the next', () => {
    expect(rankByScore([80, 95, 80, 60, null])).toEqual([2, 1, 2, 4, null]);
  });

  it('handles no scores and one score', () => {
    expect(rankByScore([])).toEqual([]);
    expect(rankByScore([null])).toEqual([null]);
    expect(rankByScore([0])).toEqual([1]);
  });
});

describe('describeComponents', () => {
  it('writes strengths and weaknesses in Chinese, strongest and weakest first', () => {
    const rates = { onTime: 0.95, completeness: 1, validity: 0.5, adoption: 0.25, feedback: null };
    const { strengths, weaknesses } = describeComponents(rates, DEFAULT_UNIT_ASSESSMENT_WEIGHTS);
    expect(strengths).toHaveLength(2);
    expect(strengths[0]).toMatch(/^反馈完整率达到100%/);
    expect(strengths[1]).toMatch(/^按时反馈率达到95%/);
    expect(weaknesses[0]).toMatch(/^意见采纳率仅为25%/);
    expect(weaknesses[1]).toMatch(/^有效意见占比仅为50%/);
  });

  it('says nothing of components with no weight or no data', () => {
    const rates = { onTime: 0.1, completeness: null, validity: null, adoption: null, feedback: null };
    expect(describeComponents(rates, { ...DEFAULT_UNIT_ASSESSMENT_WEIGHTS, onTime: 0 })).toEqual({
      strengths: [],
      weaknesses: [],
    });
  });
});
