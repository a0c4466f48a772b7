/**
 * One-vs-rest linear models over sparse vectors, for multi-class (one label per example) and multi-label
 * (any number of labels) problems, with class weights against imbalance and, optionally, naive Bayes
 * log-count-ratio scaling of the features per class (NBSVM, Wang and Manning 2012), folded into the
 * weights. A model is plain data: `modelJson` (or JSON.stringify) stores it, `parseLinearModel` reads it
 * back.
 */
import { AppError } from '../../domain/errors.ts';
import type { BinaryProblem, Loss, SolverOptions } from './linear.ts';
import { DEFAULT_SOLVER_OPTIONS, trainBinary } from './linear.ts';
import type { SparseVector } from './sparse.ts';
import { dotDense } from './sparse.ts';

export interface LinearModel {
  type: 'linear-ovr';
  loss: Loss;
  classes: string[];
  dimensions: number;
  /** Per class, one weight per feature. */
  weights: number[][];
  bias: number[];
}

export interface TrainOptions extends SolverOptions {
  /** Inverse regularisation strength. */
  C: number;
  /**
   * 'balanced': each binary problem weighs positives and negatives inversely to their counts;
   * a record: a weight per class applied to its positive examples; 'none': all examples cost C.
   */
  classWeight: 'balanced' | 'none' | Readonly<Record<string, number>>;
  /** Naive Bayes feature scaling with this smoothing (e.g. 1); null for none. */
  naiveBayes: number | null;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  ...DEFAULT_SOLVER_OPTIONS,
  C: 1,
  classWeight: 'balanced',
  naiveBayes: null,
};

/** Labels of one example: a single label (multi-class) or a list (multi-label; may be empty). */
export type ExampleLabels = string | readonly string[];

function labelSet(labels: ExampleLabels): ReadonlySet<string> {
  return new Set(typeof labels === 'string' ? [labels] : labels);
}

function naiveBayesRatio(
  x: readonly SparseVector[],
  positive: readonly boolean[],
  dimensions: number,
  smoothing: number,
): Float64Array {
  const p = new Float64Array(dimensions).fill(smoothing);
  const q = new Float64Array(dimensions).fill(smoothing);
  x.forEach((xi, i) => {
    const target = positive[i] ? p : q;
    for (const index of xi.indices) {
      target[index]! += 1;
    }
  });
  let pSum = 0;
  let qSum = 0;
  for (let j = 0; j < dimensions; j++) {
    pSum += p[j]!;
    qSum += q[j]!;
  }
  const r = new Float64Array(dimensions);
  for (let j = 0; j < dimensions; j++) {
    r[j] = Math.log(p[j]! / pSum / (q[j]! / qSum));
  }
  return r;
}

function scaleVector(x: SparseVector, r: Float64Array): SparseVector {
  return { indices: x.indices, values: x.values.map((v, k) => v * r[x.indices[k]!]!) };
}

/**
 * Trains one binary classifier per class (its examples against all others). `classes` fixes the order
 * of the outputs; labels outside it are ignored.
 */
export function trainOneVsRest(options: {
  x: readonly SparseVector[];
  labels: readonly ExampleLabels[];
  classes: readonly string[];
  dimensions: number;
  train?: Partial<TrainOptions>;
}): LinearModel {
  const train = { ...DEFAULT_TRAIN_OPTIONS, ...options.train };
  const { x, dimensions } = options;
  const sets = options.labels.map(labelSet);
  const weights: number[][] = [];
  const bias: number[] = [];
  options.classes.forEach((label, c) => {
    const positive = sets.map((set) => set.has(label));
    const nPositive = positive.filter(Boolean).length;
    const nNegative = positive.length - nPositive;
    let positiveCost = train.C;
    let negativeCost = train.C;
    if (train.classWeight === 'balanced') {
      positiveCost = nPositive > 0 ? (train.C * positive.length) / (2 * nPositive) : train.C;
      negativeCost = nNegative > 0 ? (train.C * positive.length) / (2 * nNegative) : train.C;
    } else if (train.classWeight !== 'none') {
      positiveCost = train.C * (train.classWeight[label] ?? 1);
    }
    const ratio =
      train.naiveBayes === null ? null : naiveBayesRatio(x, positive, dimensions, train.naiveBayes);
    const problem: BinaryProblem = {
      x: ratio === null ? x : x.map((xi) => scaleVector(xi, ratio)),
      y: positive.map((p) => (p ? 1 : -1)),
      cost: positive.map((p) => (p ? positiveCost : negativeCost)),
      dimensions,
    };
    const solved = trainBinary(problem, { ...train, seed: train.seed + c });
    const w = solved.weights;
    if (ratio !== null) {
      for (let j = 0; j < dimensions; j++) {
        w[j] = w[j]! * ratio[j]!;
      }
    }
    weights.push(Array.from(w));
    bias.push(solved.bias);
  });
  return {
    type: 'linear-ovr',
    loss: train.loss,
    classes: [...options.classes],
    dimensions,
    weights,
    bias,
  };
}

/** Decision values w·x + b per class, in the model's class order. */
export function scoreLinear(model: LinearModel, x: SparseVector): number[] {
  return model.weights.map((w, c) => dotDense(x, w) + model.bias[c]!);
}

/** Logistic function: a decision value of a logistic model as a probability. */
export function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

/** The class with the highest decision value (the first on ties); undefined for a model with no class. */
export function predictClass(model: LinearModel, x: SparseVector): string | undefined {
  const scores = scoreLinear(model, x);
  let best = -1;
  scores.forEach((s, c) => {
    if (best < 0 || s > scores[best]!) {
      best = c;
    }
  });
  return model.classes[best];
}

/** Arrays of at least this many numbers (weights, idf) are stored in 32 bits by `modelJson`. */
const PACKED_FROM = 16;

/** Bytes turned into characters at a time: `String.fromCharCode` takes them as arguments. */
const BASE64_CHUNK = 0x2000;

/** Numbers as the base64 of their values in 32 bits (seven significant digits). */
function packNumbers(values: readonly number[]): { f32: string } {
  const bytes = new Uint8Array(Float32Array.from(values).buffer);
  let binary = '';
  for (let at = 0; at < bytes.length; at += BASE64_CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(at, at + BASE64_CHUNK));
  }
  return { f32: btoa(binary) };
}

/** `packNumbers` undone, or null when the text is not the base64 of 32-bit numbers. */
function unpackNumbers(text: string): number[] | null {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  if (binary.length % 4 !== 0) {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return Array.from(new Float32Array(bytes.buffer));
}

const isPacked = (value: unknown): value is { f32: string } =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  typeof (value as { f32?: unknown }).f32 === 'string' &&
  Object.keys(value).length === 1;

/**
 * The JSON of a model (linear, a stance ensemble, a topic model): its long arrays of numbers (weights,
 * idf) in 32 bits, in base64, where written out as numbers they take two to three times the room (a
 * stance model learned from 3,000 posts: 114 MB as numbers, 57 MB so). `parseModelJson` reads it back.
 */
export function modelJson(model: unknown): string {
  return JSON.stringify(model, (_key, value: unknown) =>
    Array.isArray(value) &&
    value.length >= PACKED_FROM &&
    value.every((v) => typeof v === 'number' && Number.isFinite(v))
      ? packNumbers(value as number[])
      : value,
  );
}

/** Parses the JSON of a model, written by `modelJson` or as plain JSON. */
export function parseModelJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (!isPacked(value)) {
      return value;
    }
    const numbers = unpackNumbers(value.f32);
    if (numbers === null) {
      throw new AppError(
        'validation_failed',
        'not a model: packed numbers that are not base64 of 32-bit values',
        {
          field: 'model',
        },
      );
    }
    return numbers;
  });
}

/** Reads back a model from JSON (checks its shape). */
export function parseLinearModel(json: unknown): LinearModel {
  const data: unknown = typeof json === 'string' ? parseModelJson(json) : json;
  const model = data as Partial<LinearModel> | null;
  if (
    model === null ||
    typeof model !== 'object' ||
    model.type !== 'linear-ovr' ||
    !Array.isArray(model.classes) ||
    !Array.isArray(model.weights) ||
    !Array.isArray(model.bias) ||
    typeof model.dimensions !== 'number' ||
    model.weights.length !== model.classes.length ||
    model.bias.length !== model.classes.length ||
    model.weights.some((w) => !Array.isArray(w) || w.length !== model.dimensions)
  ) {
    throw new AppError('validation_failed', 'not a linear model', { field: 'model' });
  }
  return model as LinearModel;
}
