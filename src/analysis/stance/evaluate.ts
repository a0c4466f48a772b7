/**
 * Cross-validation of the stance model with the NLPCC 2016 measure: F_avg = (F1 support + F1 oppose) / 2
 * over a target's test posts. Folds are stratified by target and stance with a fixed seed; each fold's
 * model learns only from the other folds.
 */
import { assignStratifiedFolds, scoreMeanF1 } from '../classify/evaluate.ts';
import type { Stance } from './lexicon.ts';
import type { StanceExample, StanceTrainOptions } from './model.ts';
import { predictStance, trainStanceModel } from './model.ts';

export interface StanceCvResult {
  /** Per target: F_avg averaged over the folds. */
  perTarget: Record<string, number>;
  /** Per target: F_avg of the pooled predictions of all folds. */
  perTargetPooled: Record<string, number>;
  /** Macro mean over targets of `perTarget`. */
  mean: number;
  meanPooled: number;
  /** Seconds spent training, summed over folds. */
  trainSeconds: number;
  folds: number;
}

const MEASURED: readonly Stance[] = ['support', 'oppose'];

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** k-fold cross-validation of `trainStanceModel` on labelled examples. */
export function crossValidateStance(options: {
  examples: readonly StanceExample[];
  folds?: number;
  seed?: number;
  train?: Partial<StanceTrainOptions>;
  /** A clock in milliseconds (performance.now), for the training time. */
  now?: () => number;
}): StanceCvResult {
  const { examples } = options;
  const k = options.folds ?? 5;
  const now = options.now ?? (() => 0);
  const fold = assignStratifiedFolds(
    examples.map((e) => `${e.target}\u0000${e.stance}`),
    k,
    options.seed ?? 42,
  );
  const predicted: Stance[] = new Array<Stance>(examples.length).fill('none');
  const targets = [...new Set(examples.map((e) => e.target))];
  const perFold = new Map<string, number[]>(targets.map((t) => [t, []]));
  let trainMs = 0;
  for (let f = 0; f < k; f++) {
    const train = examples.filter((_, i) => fold[i] !== f);
    const start = now();
    const model = trainStanceModel(train, { shared: false, ...options.train });
    trainMs += now() - start;
    examples.forEach((e, i) => {
      if (fold[i] === f) {
        predicted[i] = predictStance(model, e.doc, e.target).stance;
      }
    });
    for (const target of targets) {
      const test = examples.map((_, i) => i).filter((i) => fold[i] === f && examples[i]!.target === target);
      perFold.get(target)!.push(
        scoreMeanF1(
          test.map((i) => examples[i]!.stance),
          test.map((i) => predicted[i]!),
          MEASURED,
        ),
      );
    }
  }
  const perTarget: Record<string, number> = {};
  const perTargetPooled: Record<string, number> = {};
  for (const target of targets) {
    const all = examples.map((_, i) => i).filter((i) => examples[i]!.target === target);
    perTarget[target] = mean(perFold.get(target)!);
    perTargetPooled[target] = scoreMeanF1(
      all.map((i) => examples[i]!.stance),
      all.map((i) => predicted[i]!),
      MEASURED,
    );
  }
  return {
    perTarget,
    perTargetPooled,
    mean: mean(Object.values(perTarget)),
    meanPooled: mean(Object.values(perTargetPooled)),
    trainSeconds: trainMs / 1000,
    folds: k,
  };
}
