import { describe, expect, it } from 'vitest';
import { tokenize } from '../tokenize.ts';
import type { Stance } from './lexicon.ts';
import type { StanceEnsemble, StanceExample, StanceModel } from './model.ts';
import { modelJson } from '../classify/model.ts';
import { countStanceFeatures, parseStanceModel, predictStance, trainStanceModel } from './model.ts';
import { DEFAULT_FEATURE_OPTIONS } from '../classify/features.ts';

const rows: [string, string, Stance][] = [
  ['c1', '支持延长公园开放时间，晚上散步更方便', 'support'],
  ['c1', '赞成，公园晚上开放很好', 'support'],
  ['c1', '同意这一条，市民需要夜间活动场所', 'support'],
  ['c1', '公园开放到晚上十点非常好', 'support'],
  ['c1', '反对，夜间开放噪音扰民', 'oppose'],
  ['c1', '不同意，晚上开放安全隐患大', 'oppose'],
  ['c1', '夜里开放会吵到周边居民，反对', 'oppose'],
  ['c1', '不赞成延长，管理成本太高', 'oppose'],
  ['c1', '建议将开放时间改为晚上九点', 'modify'],
  ['c1', '建议修改为夏季延长冬季不延长', 'modify'],
  ['c1', '建议将十点改为九点半', 'modify'],
  ['c1', '建议增加分季节的开放时间表述', 'modify'],
  ['c2', '支持垃圾分类', 'support'],
  ['c2', '反对垃圾分类罚款', 'oppose'],
];
const examples: StanceExample[] = rows.map(([target, text, stance]) => ({
  target,
  doc: tokenize(text),
  stance,
}));

describe('trainStanceModel and predictStance', () => {
  const model = trainStanceModel(examples, { minLabelsPerTarget: 10 });

  it('learns a model for a target with enough labels and a shared one', () => {
    expect(Object.keys(model.targets)).toEqual(['c1']);
    expect(model.targets.c1!.labels).toBe(12);
    expect(model.shared).not.toBeNull();
  });

  it('predicts with the target model on its own examples', () => {
    const correct = examples.filter(
      (e) => e.target === 'c1' && predictStance(model, e.doc, 'c1').stance === e.stance,
    );
    expect(correct.length).toBeGreaterThanOrEqual(11);
    const prediction = predictStance(model, tokenize('建议将开放时间改为晚上八点'), 'c1');
    expect(prediction).toMatchObject({ stance: 'modify', source: 'machine', model: 'target' });
    expect(prediction.score).toBeGreaterThan(0);
    expect(prediction.score).toBeLessThanOrEqual(1);
  });

  it('falls back to the shared model, then to the lexicon', () => {
    expect(predictStance(model, tokenize('支持'), 'c2').model).toBe('shared');
    expect(predictStance(model, tokenize('支持'), 'unknown').model).toBe('shared');
    const alone = trainStanceModel(examples, { shared: false });
    expect(predictStance(alone, tokenize('我支持'), 'c9')).toMatchObject({
      stance: 'support',
      source: 'lexicon',
    });
    expect(predictStance(null, tokenize('建议删除本条'), 'c1')).toMatchObject({
      stance: 'modify',
      model: 'lexicon',
    });
  });

  it('handles empty, one-character, emoji, English, mixed and 100 KB texts', () => {
    for (const text of [
      '',
      '好',
      '👍👍',
      'I oppose this',
      '支持this plan',
      '建议将开放时间改为九点。'.repeat(8500),
    ]) {
      const prediction = predictStance(model, tokenize(text), 'c1');
      expect(['support', 'oppose', 'modify', 'none']).toContain(prediction.stance);
      expect(Number.isFinite(prediction.score)).toBe(true);
    }
  });

  it('trains nothing from no labels', () => {
    const empty = trainStanceModel([]);
    expect(empty.targets).toEqual({});
    expect(empty.shared).toBeNull();
    expect(predictStance(empty, tokenize('反对'), 'c1').source).toBe('lexicon');
  });

  it('is deterministic and survives a JSON round trip', () => {
    expect(trainStanceModel(examples)).toEqual(model);
    const copy = parseStanceModel(JSON.stringify(model));
    for (const e of examples) {
      expect(predictStance(copy, e.doc, e.target)).toEqual(predictStance(model, e.doc, e.target));
    }
    expect(() => parseStanceModel('{"type":"other"}')).toThrow('not a stance model');
    expect(() => parseStanceModel({ type: 'stance-model', version: 1, targets: { c1: {} } })).toThrow();
  });

  it('is stored with its weights and idf in 32 bits and decides the same', () => {
    const compact = modelJson(model);
    expect(compact.length).toBeLessThan(JSON.stringify(model).length * 0.6);
    const copy = parseStanceModel(compact);
    for (const e of examples) {
      const [read, trained] = [predictStance(copy, e.doc, e.target), predictStance(model, e.doc, e.target)];
      expect(read.stance).toBe(trained.stance);
      expect(read.score).toBeCloseTo(trained.score, 3);
    }
  });

  it('trains diverse members over two feature views, each weighed by its spread', () => {
    const ensemble = model.targets.c1!;
    expect(ensemble.members).toHaveLength(4);
    expect(ensemble.vectorizers).toHaveLength(2);
    const charsOnly = ensemble.vectorizers[1]!;
    expect(charsOnly.options.wordNgrams).toBe(0);
    // Only character n-grams and the lexicon's cues: no words.
    expect(charsOnly.features.every((f) => f.startsWith('c:') || f.startsWith('w:⟨'))).toBe(true);
    expect(charsOnly.features).toContain('w:⟨oppose⟩');
    expect(ensemble.vectorizers[0]!.features).toContain('w:支持');
    expect(ensemble.members.map((m) => m.model.loss)).toEqual([
      'squared_hinge',
      'squared_hinge',
      'squared_hinge',
      'logistic',
    ]);
    for (const member of ensemble.members) {
      expect(member.scale).toBeGreaterThan(0);
      expect(Number.isFinite(member.scale)).toBe(true);
      expect(member.model.dimensions).toBe(ensemble.vectorizers[member.vectorizer]!.features.length);
    }
  });

  it('reads version 1 models (one vectoriser, members summed alike)', () => {
    const two = trainStanceModel(examples, {
      members: [
        { C: 0.3, naiveBayes: 1 },
        { C: 0.3, naiveBayes: null },
      ],
    });
    const v1 = (ensemble: StanceEnsemble) => ({
      vectorizer: ensemble.vectorizers[0],
      members: ensemble.members.map((m) => m.model),
      labels: ensemble.labels,
    });
    const old = JSON.stringify({
      type: 'stance-model',
      version: 1,
      features: two.features,
      targets: { c1: v1(two.targets.c1!) },
      shared: v1(two.shared!),
    });
    const read = parseStanceModel(old);
    expect(read.version).toBe(2);
    expect(read.targets.c1!.members.map((m) => [m.vectorizer, m.scale])).toEqual([
      [0, 1],
      [0, 1],
    ]);
    const prediction = predictStance(read, tokenize('建议将开放时间改为晚上八点'), 'c1');
    expect(prediction).toMatchObject({ stance: 'modify', model: 'target' });
    expect(predictStance(read, tokenize('支持'), 'c2').model).toBe('shared');
  });

  it('rejects members that do not fit their vectoriser', () => {
    const data = JSON.parse(JSON.stringify(model)) as StanceModel;
    data.targets.c1!.members[0]!.vectorizer = 5;
    expect(() => parseStanceModel(data)).toThrow('not a stance model');
    const swapped = JSON.parse(JSON.stringify(model)) as StanceModel;
    swapped.targets.c1!.members[0]!.vectorizer = 1;
    expect(() => parseStanceModel(swapped)).toThrow('not a stance model');
  });

  it('adds the lexicon cues to the features', () => {
    const counts = countStanceFeatures(tokenize('不支持'), DEFAULT_FEATURE_OPTIONS);
    expect(counts.get('w:⟨oppose⟩')).toBe(1);
    expect(counts.has('w:⟨support⟩')).toBe(false);
  });
});
