import { describe, expect, it } from 'vitest';
import type { BinaryProblem } from './linear.ts';
import { trainBinary } from './linear.ts';
import { createSparseVector, dotDense } from './sparse.ts';

/** Two clusters in three dimensions: positives lean on feature 0, negatives on feature 1. */
function problem(): BinaryProblem {
  const rows: [number, number, number, number][] = [
    [1, 0.9, 0.1, 0],
    [1, 0.8, 0, 0.2],
    [1, 1, 0.2, 0.1],
    [-1, 0.1, 0.9, 0],
    [-1, 0, 1, 0.3],
    [-1, 0.2, 0.8, 0.1],
  ];
  return {
    x: rows.map(([, a, b, c]) =>
      createSparseVector([
        [0, a],
        [1, b],
        [2, c],
      ]),
    ),
    y: rows.map(([y]) => y),
    cost: rows.map(() => 1),
    dimensions: 3,
  };
}

describe('trainBinary', () => {
  for (const loss of ['squared_hinge', 'hinge', 'logistic'] as const) {
    it(`separates two clusters (${loss})`, () => {
      const p = problem();
      const { weights, bias } = trainBinary(p, { loss, epsilon: 1e-4 });
      p.x.forEach((x, i) => {
        expect(Math.sign(dotDense(x, weights) + bias)).toBe(p.y[i]);
      });
      expect(weights[0]).toBeGreaterThan(0);
      expect(weights[1]).toBeLessThan(0);
    });
  }

  it('reaches the optimum of logistic regression (gradient near zero)', () => {
    const p = problem();
    const { weights, bias } = trainBinary(p, { loss: 'logistic', epsilon: 1e-6, maxIterations: 5000 });
    // Gradient of ½‖w‖² + ½b² + C Σ log(1 + exp(−y (w·x + b))).
    const grad = [...weights, bias];
    p.x.forEach((x, i) => {
      const margin = p.y[i]! * (dotDense(x, weights) + bias);
      const factor = (-p.cost[i]! * p.y[i]!) / (1 + Math.exp(margin));
      x.indices.forEach((j, k) => {
        grad[j] = grad[j]! + factor * x.values[k]!;
      });
      grad[3] = grad[3]! + factor;
    });
    for (const g of grad) {
      expect(Math.abs(g)).toBeLessThan(1e-3);
    }
  });

  it('is deterministic for a seed', () => {
    const a = trainBinary(problem(), { seed: 3 });
    const b = trainBinary(problem(), { seed: 3 });
    expect([...a.weights]).toEqual([...b.weights]);
    expect(a.bias).toBe(b.bias);
  });

  it('weighs costly examples more', () => {
    const p = problem();
    const light = trainBinary(p, { epsilon: 1e-4 });
    const heavy = trainBinary({ ...p, cost: p.y.map((y) => (y > 0 ? 10 : 1)) }, { epsilon: 1e-4 });
    expect(heavy.bias).toBeGreaterThan(light.bias);
  });

  it('copes with no examples and with empty vectors', () => {
    const empty = trainBinary({ x: [], y: [], cost: [], dimensions: 2 });
    expect([...empty.weights]).toEqual([0, 0]);
    const blank = trainBinary({
      x: [createSparseVector([]), createSparseVector([])],
      y: [1, -1],
      cost: [1, 1],
      dimensions: 1,
    });
    expect(Number.isFinite(blank.bias)).toBe(true);
  });
});
