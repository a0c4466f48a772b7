import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLD, clampThreshold, thresholdChanged } from './threshold.ts';

describe('near-duplicate threshold', () => {
  it('keeps a value within 0.5–1 to two decimals', () => {
    expect(clampThreshold(0.8)).toBe(0.8);
    expect(clampThreshold(0.856)).toBe(0.86);
    expect(clampThreshold(0.2)).toBe(0.5);
    expect(clampThreshold(1.4)).toBe(1);
    expect(clampThreshold(0.5)).toBe(0.5);
    expect(clampThreshold(1)).toBe(1);
  });

  it('falls back when the field is empty or not a number', () => {
    expect(clampThreshold(null)).toBe(DEFAULT_THRESHOLD);
    expect(clampThreshold(undefined)).toBe(DEFAULT_THRESHOLD);
    expect(clampThreshold(Number.NaN)).toBe(DEFAULT_THRESHOLD);
    expect(clampThreshold(Number.POSITIVE_INFINITY, 0.9)).toBe(0.9);
  });

  it('sees no change in the same value to two decimals', () => {
    expect(thresholdChanged(0.8, 0.801)).toBe(false);
    expect(thresholdChanged(0.8, 0.81)).toBe(true);
    expect(thresholdChanged(1, 3)).toBe(false);
  });
});
