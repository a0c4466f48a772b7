import { describe, expect, it } from 'vitest';
import { assignStratifiedFolds, scoreAccuracy, scoreClass, scoreMeanF1 } from './evaluate.ts';
import { createRandom, shuffleInPlace } from './random.ts';

describe('random', () => {
  it('repeats with the same seed and differs with another', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    expect(first.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('shuffles in place into a permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = shuffleInPlace([...items], createRandom(1));
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
    expect(shuffleInPlace([], createRandom(1))).toEqual([]);
  });
});

describe('assignStratifiedFolds', () => {
  it('spreads every stratum evenly over the folds, deterministically', () => {
    const strata = [...Array<string>(10).fill('a'), ...Array<string>(5).fill('b')];
    const folds = assignStratifiedFolds(strata, 5, 42);
    expect(folds).toEqual(assignStratifiedFolds(strata, 5, 42));
    for (let f = 0; f < 5; f++) {
      expect(strata.filter((s, i) => s === 'a' && folds[i] === f)).toHaveLength(2);
      expect(strata.filter((s, i) => s === 'b' && folds[i] === f)).toHaveLength(1);
    }
    expect(assignStratifiedFolds([], 5, 1)).toEqual([]);
  });
});

describe('scores', () => {
  const gold = ['support', 'oppose', 'none', 'support', 'oppose'];
  const predicted = ['support', 'support', 'none', 'support', 'oppose'];

  it('computes precision, recall and F1 per class', () => {
    const support = scoreClass(gold, predicted, 'support');
    expect(support.precision).toBeCloseTo(2 / 3);
    expect(support.recall).toBe(1);
    expect(support.f1).toBeCloseTo(0.8);
    expect(support.support).toBe(2);
    expect(scoreClass(gold, predicted, 'modify')).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
  });

  it('averages F1 over the chosen labels (the NLPCC F_avg)', () => {
    expect(scoreMeanF1(gold, predicted, ['support', 'oppose'])).toBeCloseTo((0.8 + 2 / 3) / 2);
    expect(scoreMeanF1(gold, predicted, [])).toBe(0);
  });

  it('computes accuracy', () => {
    expect(scoreAccuracy(gold, predicted)).toBeCloseTo(0.8);
    expect(scoreAccuracy([], [])).toBe(0);
  });
});
