/** Evaluation helpers: stratified folds, per-class F1, accuracy. */
import { createRandom, shuffleInPlace } from './random.ts';

/**
 * Assigns each example to one of `k` folds so that every stratum (a label, or target and label) is
 * spread evenly: strata are shuffled with the seed and dealt round-robin, continuing across strata.
 */
export function assignStratifiedFolds(strata: readonly string[], k: number, seed: number): number[] {
  const byStratum = new Map<string, number[]>();
  strata.forEach((stratum, i) => {
    const list = byStratum.get(stratum) ?? [];
    list.push(i);
    byStratum.set(stratum, list);
  });
  const random = createRandom(seed);
  const folds = new Array<number>(strata.length).fill(0);
  let next = 0;
  for (const stratum of [...byStratum.keys()].sort()) {
    for (const i of shuffleInPlace(byStratum.get(stratum)!, random)) {
      folds[i] = next;
      next = (next + 1) % k;
    }
  }
  return folds;
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Precision, recall and F1 of one class (0 when undefined). */
export function scoreClass(
  gold: readonly string[],
  predicted: readonly string[],
  label: string,
): ClassScores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  gold.forEach((g, i) => {
    const p = predicted[i];
    if (p === label && g === label) {
      tp++;
    } else if (p === label) {
      fp++;
    } else if (g === label) {
      fn++;
    }
  });
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, support: tp + fn };
}

/** Mean F1 over the given labels (the NLPCC stance measure with labels = [support, oppose]). */
export function scoreMeanF1(
  gold: readonly string[],
  predicted: readonly string[],
  labels: readonly string[],
): number {
  if (labels.length === 0) {
    return 0;
  }
  return labels.reduce((sum, label) => sum + scoreClass(gold, predicted, label).f1, 0) / labels.length;
}

/** Share of examples predicted right. */
export function scoreAccuracy(gold: readonly string[], predicted: readonly string[]): number {
  if (gold.length === 0) {
    return 0;
  }
  return gold.filter((g, i) => predicted[i] === g).length / gold.length;
}
