/*
 * Stance and topics measured on the NLPCC 2016 stance training set (2,986 labelled Weibo posts, 5 targets):
 * stance F_avg = (F1 FAVOR + F1 AGAINST) / 2 per target by stratified 5-fold cross-validation (seed 42),
 * and topics (the post's target) learned from 20 labelled posts per target, mean over 5 seeds.
 */
import { describe, expect, it } from 'vitest';
import { NLPCC_STANCE_FIXTURE, evaluateNlpcc, parseNlpccStance } from '../bench/analysis-classify.ts';
import { readFixture, warnIfFixturesAbsent } from './fixtures.ts';

const available = warnIfFixturesAbsent('the NLPCC stance and topic evaluation', NLPCC_STANCE_FIXTURE);

describe.skipIf(!available)('NLPCC 2016 stance training set', () => {
  it('parses 2,986 labelled posts over 5 targets', () => {
    const posts = parseNlpccStance(readFixture(NLPCC_STANCE_FIXTURE));
    expect(posts).toHaveLength(2986);
    expect(new Set(posts.map((p) => p.target)).size).toBe(5);
    expect(posts.find((p) => p.id === '1708')?.text.startsWith('“以色列')).toBe(true);
  });

  it('reaches the measured stance F_avg and topic accuracy', { timeout: 120_000 }, () => {
    const posts = parseNlpccStance(readFixture(NLPCC_STANCE_FIXTURE));
    const figures = evaluateNlpcc(posts);
    console.log(JSON.stringify({ stance: figures.stance, topics: figures.topics }, null, 2));
    // An ensemble of diverse linear members reaches 0.700 here (a plain SVM: 0.681; the two-member
    // ensemble before it: 0.687); linear models over word and character n-grams level out near it.
    expect(figures.stance.fAvgMean).toBeGreaterThanOrEqual(0.695);
    for (const value of Object.values(figures.stance.fAvgPerTarget)) {
      expect(value).toBeGreaterThan(0.6);
    }
    expect(figures.stance.trainSecondsPerFold).toBeLessThan(15);
    // A plain TF-IDF + logistic regression from the same 20 labels per target: 0.955.
    expect(figures.topics.accuracyMean).toBeGreaterThanOrEqual(0.97);
    for (const accuracy of figures.topics.accuracies) {
      expect(accuracy).toBeGreaterThanOrEqual(0.965);
    }
  });
});
