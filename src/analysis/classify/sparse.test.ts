import { describe, expect, it } from 'vitest';
import {
  addScaled,
  createSortedSparseVector,
  createSparseVector,
  dotDense,
  normalizeL2,
  squaredNorm,
} from './sparse.ts';

describe('sparse vectors', () => {
  it('builds sorted vectors, summing repeats and dropping zeros', () => {
    const x = createSparseVector([
      [5, 1],
      [2, 2],
      [5, 1],
      [9, 0],
    ]);
    expect([...x.indices]).toEqual([2, 5]);
    expect([...x.values]).toEqual([2, 2]);
    expect(createSparseVector([]).indices.length).toBe(0);
  });

  it('sorts parallel lists without a comparator', () => {
    const x = createSortedSparseVector([7, 1, 4_000_000, 3], [0.7, 0.1, 0.4, 0.3]);
    expect([...x.indices]).toEqual([1, 3, 7, 4_000_000]);
    expect([...x.values]).toEqual([0.1, 0.3, 0.7, 0.4]);
    expect(createSortedSparseVector([], []).values.length).toBe(0);
  });

  it('computes norms, dot products and updates', () => {
    const x = createSparseVector([
      [0, 3],
      [2, 4],
    ]);
    expect(squaredNorm(x)).toBe(25);
    const dense = new Float64Array([1, 1, 1]);
    expect(dotDense(x, dense)).toBe(7);
    expect(dotDense(x, [1])).toBe(3);
    addScaled(dense, x, 2);
    expect([...dense]).toEqual([7, 1, 9]);
    const unit = normalizeL2(x);
    expect(squaredNorm(unit)).toBeCloseTo(1, 12);
    const zero = createSparseVector([]);
    expect(normalizeL2(zero)).toBe(zero);
  });
});
