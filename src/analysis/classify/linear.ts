/**
 * Binary linear classifiers trained by dual coordinate descent, as in LIBLINEAR (Hsieh et al. 2008 for
 * the SVM, Yu, Huang and Lin 2011 for logistic regression): L2-regularised, with a bias feature of value
 * 1 (regularised like the other weights) and a cost per example so classes can be weighted.
 */
import { createRandom, shuffleInPlace } from './random.ts';
import type { SparseVector } from './sparse.ts';
import { addScaled, dotDense, squaredNorm } from './sparse.ts';

/** 'hinge' and 'squared_hinge' are support vector machines; 'logistic' is logistic regression. */
export type Loss = 'hinge' | 'squared_hinge' | 'logistic';

export interface BinaryProblem {
  x: readonly SparseVector[];
  /** +1 or -1 per example. */
  y: readonly number[];
  /** Cost (C times the class weight) per example. */
  cost: readonly number[];
  dimensions: number;
}

export interface SolverOptions {
  loss: Loss;
  /** Stopping tolerance on the projected gradient. */
  epsilon: number;
  maxIterations: number;
  seed: number;
}

export const DEFAULT_SOLVER_OPTIONS: SolverOptions = {
  loss: 'squared_hinge',
  epsilon: 0.1,
  maxIterations: 1000,
  seed: 1,
};

export interface BinaryWeights {
  weights: Float64Array;
  bias: number;
  iterations: number;
}

/** Bias feature value. */
const BIAS = 1;

function solveSvm(problem: BinaryProblem, options: SolverOptions): BinaryWeights {
  const { x, y, cost, dimensions } = problem;
  const n = x.length;
  const squaredHinge = options.loss === 'squared_hinge';
  const w = new Float64Array(dimensions);
  let bias = 0;
  const alpha = new Float64Array(n);
  const diag = cost.map((c) => (squaredHinge ? 0.5 / c : 0));
  const upper = cost.map((c) => (squaredHinge ? Infinity : c));
  const qii = x.map((xi, i) => squaredNorm(xi) + BIAS * BIAS + diag[i]!);
  const order = Array.from({ length: n }, (_, i) => i);
  const random = createRandom(options.seed);
  let iteration = 0;
  for (; iteration < options.maxIterations; iteration++) {
    shuffleInPlace(order, random);
    let maxPg = -Infinity;
    let minPg = Infinity;
    for (const i of order) {
      const yi = y[i]!;
      const xi = x[i]!;
      const g = yi * (dotDense(xi, w) + bias * BIAS) - 1 + diag[i]! * alpha[i]!;
      let pg = g;
      if (alpha[i] === 0) {
        pg = Math.min(g, 0);
      } else if (alpha[i] === upper[i]) {
        pg = Math.max(g, 0);
      }
      maxPg = Math.max(maxPg, pg);
      minPg = Math.min(minPg, pg);
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i]!;
        const next = Math.min(Math.max(old - g / qii[i]!, 0), upper[i]!);
        alpha[i] = next;
        const delta = (next - old) * yi;
        addScaled(w, xi, delta);
        bias += delta * BIAS;
      }
    }
    if (n === 0 || maxPg - minPg <= options.epsilon) {
      iteration++;
      break;
    }
  }
  return { weights: w, bias, iterations: iteration };
}

function solveLogistic(problem: BinaryProblem, options: SolverOptions): BinaryWeights {
  const { x, y, cost, dimensions } = problem;
  const n = x.length;
  const w = new Float64Array(dimensions);
  let bias = 0;
  // alpha[2i] is the dual variable, alpha[2i+1] = cost[i] - alpha[2i]; both stay strictly inside (0, C).
  const alpha = new Float64Array(2 * n);
  const xx = x.map((xi) => squaredNorm(xi) + BIAS * BIAS);
  for (let i = 0; i < n; i++) {
    alpha[2 * i] = Math.min(0.001 * cost[i]!, 1e-8);
    alpha[2 * i + 1] = cost[i]! - alpha[2 * i]!;
    addScaled(w, x[i]!, y[i]! * alpha[2 * i]!);
    bias += y[i]! * alpha[2 * i]! * BIAS;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  const random = createRandom(options.seed);
  const maxInner = 100;
  const innerEpsMin = Math.min(1e-8, options.epsilon);
  let innerEps = 1e-2;
  let iteration = 0;
  for (; iteration < options.maxIterations; iteration++) {
    shuffleInPlace(order, random);
    let newtonIterations = 0;
    let gMax = 0;
    for (const i of order) {
      const yi = y[i]!;
      const xi = x[i]!;
      const c = cost[i]!;
      const a = xx[i]!;
      const b = yi * (dotDense(xi, w) + bias * BIAS);
      // Solve the one-variable subproblem in whichever of the two coupled variables is smaller.
      let first = 0;
      let second = 1;
      let sign = 1;
      if (0.5 * a * (alpha[2 * i + second]! - alpha[2 * i + first]!) + b < 0) {
        first = 1;
        second = 0;
        sign = -1;
      }
      const old = alpha[2 * i + first]!;
      let z = old;
      if (c - z < 0.5 * c) {
        z *= 0.1;
      }
      let gp = a * (z - old) + sign * b + Math.log(z / (c - z));
      gMax = Math.max(gMax, Math.abs(gp));
      let inner = 0;
      while (inner <= maxInner) {
        if (Math.abs(gp) < innerEps) {
          break;
        }
        const gpp = a + c / (c - z) / z;
        const next = z - gp / gpp;
        z = next <= 0 ? z * 0.1 : next;
        gp = a * (z - old) + sign * b + Math.log(z / (c - z));
        newtonIterations++;
        inner++;
      }
      if (inner > 0) {
        alpha[2 * i + first] = z;
        alpha[2 * i + second] = c - z;
        const delta = sign * (z - old) * yi;
        addScaled(w, xi, delta);
        bias += delta * BIAS;
      }
    }
    if (gMax < options.epsilon) {
      iteration++;
      break;
    }
    if (newtonIterations <= n / 10) {
      innerEps = Math.max(innerEpsMin, 0.1 * innerEps);
    }
  }
  return { weights: w, bias, iterations: iteration };
}

/** Trains a binary linear classifier; the decision value is w·x + bias, positive for class +1. */
export function trainBinary(problem: BinaryProblem, options: Partial<SolverOptions> = {}): BinaryWeights {
  const full = { ...DEFAULT_SOLVER_OPTIONS, ...options };
  return full.loss === 'logistic' ? solveLogistic(problem, full) : solveSvm(problem, full);
}
