/** A sparse vector: feature indices in ascending order, without repeats, and their values. */
export interface SparseVector {
  indices: Uint32Array;
  values: Float64Array;
}

/** Builds a sparse vector from (index, value) entries, summing repeats and dropping zeros. */
export function createSparseVector(entries: Iterable<readonly [number, number]>): SparseVector {
  const sums = new Map<number, number>();
  for (const [index, value] of entries) {
    sums.set(index, (sums.get(index) ?? 0) + value);
  }
  const sorted = [...sums].filter(([, value]) => value !== 0).sort((a, b) => a[0] - b[0]);
  return {
    indices: Uint32Array.from(sorted, ([index]) => index),
    values: Float64Array.from(sorted, ([, value]) => value),
  };
}

/** Squared Euclidean norm. */
export function squaredNorm(x: SparseVector): number {
  let sum = 0;
  for (const v of x.values) {
    sum += v * v;
  }
  return sum;
}

/** Dot product of a sparse vector with a dense one (indices beyond the dense length count as zero). */
export function dotDense(x: SparseVector, dense: ArrayLike<number>): number {
  let sum = 0;
  const { indices, values } = x;
  for (let k = 0; k < indices.length; k++) {
    const index = indices[k]!;
    if (index < dense.length) {
      sum += values[k]! * dense[index]!;
    }
  }
  return sum;
}

/** dense += scale · x. */
export function addScaled(dense: Float64Array, x: SparseVector, scale: number): void {
  const { indices, values } = x;
  for (let k = 0; k < indices.length; k++) {
    dense[indices[k]!]! += scale * values[k]!;
  }
}

/** A copy scaled to unit Euclidean length (the zero vector stays zero). */
export function normalizeL2(x: SparseVector): SparseVector {
  const norm = Math.sqrt(squaredNorm(x));
  if (norm === 0) {
    return x;
  }
  return { indices: x.indices, values: x.values.map((v) => v / norm) };
}

/** 2^21: positions within one vector are packed below this factor for a comparator-free sort. */
const PACK = 2097152;

/**
 * A sparse vector from parallel lists of distinct indices and values, in any order. Sorts without a
 * comparator by packing (index, position) into one double; exact while index · 2^21 < 2^53.
 */
export function createSortedSparseVector(
  indices: readonly number[],
  values: readonly number[],
): SparseVector {
  const n = indices.length;
  const out: SparseVector = { indices: new Uint32Array(n), values: new Float64Array(n) };
  if (n >= PACK) {
    const order = Array.from(indices.keys()).sort((a, b) => indices[a]! - indices[b]!);
    order.forEach((k, j) => {
      out.indices[j] = indices[k]!;
      out.values[j] = values[k]!;
    });
    return out;
  }
  const packed = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    packed[k] = indices[k]! * PACK + k;
  }
  packed.sort();
  for (let j = 0; j < n; j++) {
    const k = packed[j]! % PACK;
    out.indices[j] = indices[k]!;
    out.values[j] = values[k]!;
  }
  return out;
}
