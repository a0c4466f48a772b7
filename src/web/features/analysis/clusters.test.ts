import { describe, expect, it } from 'vitest';
import { canMerge, canSplit, mergeOrder, toggleId } from './clusters.ts';

describe('cluster review', () => {
  const clusters = [
    { id: 'a', size: 3 },
    { id: 'b', size: 12 },
    { id: 'c', size: 3 },
    { id: 'd', size: 5 },
  ];

  it('merges into the largest picked cluster, ties in list order', () => {
    expect(mergeOrder(['c', 'a', 'b'], clusters)).toEqual(['b', 'a', 'c']);
    expect(mergeOrder(['d', 'a'], clusters)).toEqual(['d', 'a']);
  });

  it('leaves out clusters no longer listed and repeated ids', () => {
    expect(mergeOrder(['gone', 'a', 'a', 'c'], clusters)).toEqual(['a', 'c']);
    expect(mergeOrder([], clusters)).toEqual([]);
    expect(mergeOrder(['a'], [])).toEqual([]);
  });

  it('splits only when something leaves and something stays', () => {
    expect(canSplit(0, 5)).toBe(false);
    expect(canSplit(1, 5)).toBe(true);
    expect(canSplit(4, 5)).toBe(true);
    expect(canSplit(5, 5)).toBe(false);
    expect(canSplit(1, 1)).toBe(false);
  });

  it('merges two clusters or more', () => {
    expect(canMerge(0)).toBe(false);
    expect(canMerge(1)).toBe(false);
    expect(canMerge(2)).toBe(true);
  });

  it('picks and unpicks ids in the order they were picked', () => {
    expect(toggleId([], 'x', true)).toEqual(['x']);
    expect(toggleId(['x', 'y'], 'x', true)).toEqual(['y', 'x']);
    expect(toggleId(['x', 'y'], 'x', false)).toEqual(['y']);
    expect(toggleId(['x'], 'z', false)).toEqual(['x']);
  });
});
