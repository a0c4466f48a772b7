import { describe, expect, it } from 'vitest';
import {
  bracketedRatios,
  freshMemorySeconds,
  measureFreshMemory,
  median,
} from '../bench/analysis-million.ts';

describe('the million-comment benchmark’s ratio', () => {
  it('takes medians of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('compares each analyze run with the jieba runs just before and after it', () => {
    // jieba 10 s, then analyze 21 s, jieba 11 s, analyze 30 s, jieba 14 s.
    expect(bracketedRatios([10, 11, 14], [21, 30])).toEqual([2, 2.4]);
  });

  it('needs one jieba run more than analyze runs', () => {
    expect(() => bracketedRatios([10, 11], [21, 30])).toThrow(RangeError);
  });
});

describe('the million-comment benchmark’s host figure', () => {
  it('times the first touch of fresh memory per GiB', () => {
    const msPerGiB = measureFreshMemory(8, 3);
    expect(Number.isInteger(msPerGiB)).toBe(true);
    expect(msPerGiB).toBeGreaterThan(0);
  });

  it('prices pages touched fresh at the host’s cost of a GiB', () => {
    // A GiB is 262,144 pages of 4 KiB.
    expect(freshMemorySeconds(262_144, 3000)).toBe(3);
    expect(freshMemorySeconds(131_072, 500)).toBe(0.25);
    expect(freshMemorySeconds(0, 3000)).toBe(0);
  });
});
