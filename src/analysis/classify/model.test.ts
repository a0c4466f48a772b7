import { describe, expect, it } from 'vitest';
import { tokenize } from '../tokenize.ts';
import { fitVectorizer, vectorize } from './features.ts';
import {
  modelJson,
  parseLinearModel,
  parseModelJson,
  predictClass,
  scoreLinear,
  sigmoid,
  trainOneVsRest,
} from './model.ts';

const examples: [string, string[]][] = [
  ['加快轨道交通建设，增开地铁线路', ['transport']],
  ['公交线路太少，建议增加公交班次', ['transport']],
  ['高速公路收费过高，影响物流', ['transport', 'economy']],
  ['降低企业税费，优化营商环境', ['economy']],
  ['支持民营企业融资，减税降费', ['economy']],
  ['扩大就业，提高居民收入', ['economy']],
  ['增加公园绿地，治理河道污染', ['environment']],
  ['减少工业排放，改善空气质量', ['environment']],
  ['More bus routes and subway lines', ['transport']],
  ['Cut taxes for small firms', ['economy']],
];
const docs = examples.map(([text]) => tokenize(text));
const vectorizer = fitVectorizer(docs);
const x = docs.map((d) => vectorize(vectorizer, d));
const classes = ['transport', 'economy', 'environment'];
const dimensions = vectorizer.features.length;

describe('trainOneVsRest', () => {
  it('learns a multi-class problem', () => {
    const model = trainOneVsRest({ x, labels: examples.map(([, l]) => l[0]!), classes, dimensions });
    expect(model.classes).toEqual(classes);
    examples.forEach(([, labels], i) => {
      expect(predictClass(model, x[i]!)).toBe(labels[0]);
    });
    expect(predictClass(model, vectorize(vectorizer, tokenize('地铁')))).toBe('transport');
  });

  it('learns a multi-label problem with logistic regression', () => {
    const model = trainOneVsRest({
      x,
      labels: examples.map(([, l]) => l),
      classes,
      dimensions,
      train: { loss: 'logistic', C: 10 },
    });
    const scores = scoreLinear(model, x[2]!).map(sigmoid);
    expect(scores[0]).toBeGreaterThan(0.5);
    expect(scores[1]).toBeGreaterThan(0.5);
    expect(scores[2]).toBeLessThan(0.5);
  });

  it('supports naive Bayes scaling and class weights', () => {
    for (const train of [
      { naiveBayes: 1 },
      { classWeight: 'none' as const },
      { classWeight: { environment: 3 } },
    ]) {
      const model = trainOneVsRest({ x, labels: examples.map(([, l]) => l[0]!), classes, dimensions, train });
      expect(predictClass(model, x[6]!)).toBe('environment');
    }
  });

  it('is deterministic and survives a JSON round trip', () => {
    const train = { seed: 5 };
    const a = trainOneVsRest({ x, labels: examples.map(([, l]) => l[0]!), classes, dimensions, train });
    const b = trainOneVsRest({ x, labels: examples.map(([, l]) => l[0]!), classes, dimensions, train });
    expect(a).toEqual(b);
    const copy = parseLinearModel(JSON.stringify(a));
    expect(copy).toEqual(a);
    expect(scoreLinear(copy, x[0]!)).toEqual(scoreLinear(a, x[0]!));
  });

  it('stores its long arrays of numbers in 32 bits, wherever it sits in a model', () => {
    const model = trainOneVsRest({ x, labels: examples.map(([, l]) => l[0]!), classes, dimensions });
    const idf = Array.from({ length: 40 }, (_, i) => 1 + Math.log(41 / (1 + i)));
    const wrapped = {
      kind: 'ensemble',
      members: [{ model, scale: 2 }],
      idf,
      few: [0.1, 0.2],
      words: ['a', 'b'],
    };
    const json = modelJson(wrapped);
    expect(json.length).toBeLessThan(JSON.stringify(wrapped).length / 2);
    expect(JSON.parse(json)).toMatchObject({ idf: { f32: expect.any(String) }, few: [0.1, 0.2] });
    const back = parseModelJson(json) as typeof wrapped;
    expect(back).toMatchObject({
      kind: 'ensemble',
      few: [0.1, 0.2],
      words: ['a', 'b'],
      members: [{ scale: 2 }],
    });
    expect(back.idf).toEqual(idf.map(Math.fround));
    const copy = parseLinearModel(back.members[0]!.model);
    expect(copy.classes).toEqual(model.classes);
    expect(copy.weights).toEqual(model.weights.map((row) => row.map(Math.fround)));
    for (const xi of x) {
      scoreLinear(copy, xi).forEach((score, c) => expect(score).toBeCloseTo(scoreLinear(model, xi)[c]!, 5));
    }
    // A linear model on its own, from its text.
    expect(parseLinearModel(modelJson(model)).weights).toEqual(copy.weights);
    // Packed numbers that are not base64 of 32-bit values are refused, naming the model.
    for (const f32 of ['%%%', btoa('abc')]) {
      expect(() => parseModelJson(JSON.stringify({ weights: [{ f32 }] }))).toThrow('not a model');
    }
  });

  it('scores empty text by the bias alone and handles a model without classes', () => {
    const model = trainOneVsRest({ x, labels: examples.map(([, l]) => l[0]!), classes, dimensions });
    expect(scoreLinear(model, vectorize(vectorizer, tokenize('')))).toEqual(model.bias);
    const none = trainOneVsRest({ x, labels: examples.map(() => []), classes: [], dimensions });
    expect(predictClass(none, x[0]!)).toBeUndefined();
  });

  it('refuses what is not a model', () => {
    expect(() => parseLinearModel('{}')).toThrow('not a linear model');
    expect(() =>
      parseLinearModel({ type: 'linear-ovr', classes: ['a'], weights: [[1]], bias: [], dimensions: 1 }),
    ).toThrow();
  });
});

describe('sigmoid', () => {
  it('maps decision values to probabilities', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(50)).toBeCloseTo(1);
    expect(sigmoid(-50)).toBeCloseTo(0);
  });
});
