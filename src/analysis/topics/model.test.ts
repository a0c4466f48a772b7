import { describe, expect, it } from 'vitest';
import { modelJson } from '../classify/model.ts';
import { tokenize } from '../tokenize.ts';
import type { TopicExample } from './model.ts';
import { parseTopicModel, scoreTopicModel, trainTopicModel } from './model.ts';
import type { Taxonomy } from './taxonomy.ts';

const taxonomy: Taxonomy = {
  topics: [
    { id: 'transport', name: '交通' },
    { id: 'housing', name: '住房' },
    { id: 'rare', name: '少见' },
  ],
  minLabels: 3,
};

const labelled: TopicExample[] = [
  ['增开地铁线路，缩短发车间隔', ['transport']],
  ['公交站点太远，建议加密公交线网', ['transport']],
  ['地铁早高峰太挤，建议增加车次', ['transport']],
  ['老旧小区改造要加装电梯', ['housing']],
  ['保障性租赁住房供应不足，房租太高', ['housing']],
  ['建议增加人才公寓和公租房', ['housing']],
  ['小区停车难，地铁站离小区远', ['transport', 'housing']],
  ['其他意见', ['rare']],
].map(([text, labels]) => ({ doc: tokenize(text as string), labels: labels as string[] }));

const unlabelled = [
  '地铁票价偏高',
  '公交车太少',
  '房租上涨太快',
  '加装电梯费用谁出',
  '地铁和公交换乘不便',
  '公租房申请条件太严',
].map(tokenize);

describe('trainTopicModel', () => {
  it('learns the topics with enough labels only', () => {
    const model = trainTopicModel({ taxonomy, labelled })!;
    expect(model.topics).toEqual(['transport', 'housing']);
    expect(model.labelCounts).toEqual({ transport: 4, housing: 4, rare: 1 });
    expect(model.naiveBayes).toBeNull();
  });

  it('returns null when no topic has enough labels', () => {
    expect(trainTopicModel({ taxonomy: { ...taxonomy, minLabels: 10 }, labelled })).toBeNull();
    expect(trainTopicModel({ taxonomy, labelled: [] })).toBeNull();
  });

  it('scores new opinions with the regression alone', () => {
    const model = trainTopicModel({ taxonomy, labelled })!;
    const scores = scoreTopicModel(model, tokenize('地铁线路太少'));
    expect(scores.get('transport')!).toBeGreaterThan(scores.get('housing')!);
  });

  it('refines with unlabelled opinions', () => {
    const model = trainTopicModel({ taxonomy, labelled, unlabelled })!;
    expect(model.naiveBayes).not.toBeNull();
    expect(model.naiveBayes!.logRatio).toHaveLength(2);
    const transport = scoreTopicModel(model, tokenize('地铁票价和公交'));
    expect(transport.get('transport')!).toBeGreaterThan(0);
    expect(transport.get('housing')!).toBeLessThan(0);
    const housing = scoreTopicModel(model, tokenize('公租房房租'));
    expect(housing.get('housing')!).toBeGreaterThan(housing.get('transport')!);
  });

  it('handles empty, one-character, emoji, English, mixed and 100 KB texts', () => {
    const model = trainTopicModel({ taxonomy, labelled, unlabelled })!;
    for (const text of ['', '车', '🚇', 'more subway lines', '地铁subway', '地铁线路太少。'.repeat(15_000)]) {
      for (const value of scoreTopicModel(model, tokenize(text)).values()) {
        expect(Number.isFinite(value)).toBe(true);
      }
    }
  });

  it('is deterministic and survives a JSON round trip', () => {
    const model = trainTopicModel({ taxonomy, labelled, unlabelled })!;
    expect(trainTopicModel({ taxonomy, labelled, unlabelled })).toEqual(model);
    const copy = parseTopicModel(JSON.stringify(model));
    const doc = tokenize('地铁换乘');
    expect(scoreTopicModel(copy, doc)).toEqual(scoreTopicModel(model, doc));
    const plain = trainTopicModel({ taxonomy, labelled })!;
    expect(scoreTopicModel(parseTopicModel(JSON.stringify(plain)), doc)).toEqual(scoreTopicModel(plain, doc));
    // Stored as the service stores it: the long arrays of numbers in 32 bits, the same topics.
    const compact = parseTopicModel(modelJson(model));
    expect(compact.vectorizer.features).toEqual(model.vectorizer.features);
    const [read, trained] = [scoreTopicModel(compact, doc), scoreTopicModel(model, doc)];
    expect([...read.keys()]).toEqual([...trained.keys()]);
    expect(trained.size).toBeGreaterThan(0);
    for (const [topic, score] of trained) {
      expect(read.get(topic)).toBeCloseTo(score, 4);
    }
    expect(() => parseTopicModel('{"type":"x"}')).toThrow('not a topic model');
    expect(() =>
      parseTopicModel({ ...model, naiveBayes: { features: ['a'], logRatio: [[1]], logPriorOdds: [0] } }),
    ).toThrow();
  });
});
