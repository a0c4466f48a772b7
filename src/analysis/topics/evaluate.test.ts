import { describe, expect, it } from 'vitest';
import { tokenize } from '../tokenize.ts';
import { evaluateFewLabelTopics } from './evaluate.ts';

describe('evaluateFewLabelTopics', () => {
  it('learns from a few labels per topic and scores the rest', () => {
    const texts: string[] = [];
    const topics: string[] = [];
    for (let i = 0; i < 12; i++) {
      texts.push(`地铁第${i}号线公交换乘`, `住房租金第${i}期公租房`);
      topics.push('transport', 'housing');
    }
    const result = evaluateFewLabelTopics({ docs: texts.map(tokenize), topics, perTopic: 3, seeds: [1, 2] });
    expect(result.accuracies).toHaveLength(2);
    expect(result.mean).toBeGreaterThan(0.9);
    const again = evaluateFewLabelTopics({ docs: texts.map(tokenize), topics, perTopic: 3, seeds: [1, 2] });
    expect(again.accuracies).toEqual(result.accuracies);
  });
});
