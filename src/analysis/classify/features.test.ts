import { describe, expect, it } from 'vitest';
import { tokenize } from '../tokenize.ts';
import { encodeCorpus, fitSubsetVectorizer } from './corpus.ts';
import {
  DEFAULT_FEATURE_OPTIONS,
  countDimensions,
  countFeatures,
  fitVectorizer,
  fitVectorizerFromCounts,
  normalizeForCharacters,
  vectorize,
  vectorizeCounts,
} from './features.ts';
import { squaredNorm } from './sparse.ts';

const texts = [
  '我支持开放二胎政策',
  '坚决反对春节放鞭炮，污染太严重',
  'I support the plan 👍 支持',
  '建议将第三条修改为：到2030年完成',
  '',
  '好',
];
const docs = texts.map(tokenize);

describe('countFeatures', () => {
  it('counts word unigrams, bigrams and character n-grams', () => {
    const counts = countFeatures(tokenize('不支持不支持'));
    expect(counts.get('w:支持')).toBe(2);
    expect(counts.get('w:不 支持')).toBe(2);
    expect(counts.get('c:不支持')).toBe(2);
    expect(counts.get('c:持')).toBe(2);
  });

  it('drops stop-word unigrams when asked, keeping them in bigrams', () => {
    const counts = countFeatures(tokenize('我的建议'), { ...DEFAULT_FEATURE_OPTIONS, dropStopWords: true });
    expect(counts.has('w:的')).toBe(false);
    expect(counts.has('w:我 的')).toBe(true);
  });

  it('handles empty, one-character, emoji, mixed and English text', () => {
    expect(countFeatures(tokenize('')).size).toBe(0);
    expect([...countFeatures(tokenize('好')).keys()].sort()).toEqual(['c:好', 'w:好']);
    expect(countFeatures(tokenize('👍')).get('w:👍')).toBe(1);
    expect(countFeatures(tokenize('5G网络 OK')).get('w:5g')).toBe(1);
    expect(countFeatures(tokenize('Good plan')).get('c:goo')).toBe(1);
  });

  it('reads characters without links and with collapsed whitespace', () => {
    expect(normalizeForCharacters('看 https://t.cn/abc  这里\n\nＡＢ')).toBe('看 这里 ab');
  });
});

describe('vectorizer', () => {
  it('learns a dictionary with idf and gives unit-length vectors', () => {
    const vectorizer = fitVectorizer(docs);
    expect(countDimensions(vectorizer)).toBe(vectorizer.features.length);
    expect(vectorizer.idf).toHaveLength(vectorizer.features.length);
    const x = vectorize(vectorizer, docs[0]!);
    expect(squaredNorm(x)).toBeCloseTo(1, 10);
    expect([...x.indices]).toEqual([...x.indices].sort((a, b) => a - b));
    expect(vectorize(vectorizer, docs[4]!).indices.length).toBe(0);
    expect(vectorize(vectorizer, tokenize('完全陌生的词汇xyz')).values.every((v) => Number.isFinite(v))).toBe(
      true,
    );
  });

  it('weighs rarer features higher and orders frequent features first', () => {
    const vectorizer = fitVectorizer(docs, { charNgrams: null });
    const idf = (key: string): number => vectorizer.idf[vectorizer.features.indexOf(key)]!;
    expect(idf('w:支持')).toBeLessThan(idf('w:污染'));
    const df = vectorizer.features.map((f) => docs.filter((d) => countFeatures(d).has(f)).length);
    expect(df).toEqual([...df].sort((a, b) => b - a));
  });

  it('drops rare features with minDf and survives a JSON round trip', () => {
    const vectorizer = fitVectorizer(docs, { minDf: 2 });
    expect(vectorizer.features.every((f) => docs.filter((d) => countFeatures(d).has(f)).length >= 2)).toBe(
      true,
    );
    const copy = JSON.parse(JSON.stringify(vectorizer)) as typeof vectorizer;
    expect(vectorize(copy, docs[1]!)).toEqual(vectorize(vectorizer, docs[1]!));
  });

  it('handles 100 KB of text', () => {
    const big = tokenize('优化营商环境，支持民营企业发展。'.repeat(6000));
    const vectorizer = fitVectorizer([big, docs[0]!]);
    expect(squaredNorm(vectorize(vectorizer, big))).toBeCloseTo(1, 10);
  });
});

describe('encoded corpus', () => {
  it('gives the same vectors as the direct path for any subset', () => {
    const counts = docs.map((d) => countFeatures(d));
    const corpus = encodeCorpus(counts);
    const subset = [0, 1, 3, 5];
    const fitted = fitSubsetVectorizer(corpus, subset);
    const direct = fitVectorizerFromCounts(
      subset.map((i) => counts[i]!),
      DEFAULT_FEATURE_OPTIONS,
    );
    expect(fitted.vectorizer).toEqual(direct);
    for (let i = 0; i < docs.length; i++) {
      expect(fitted.vectorizeDocument(i)).toEqual(vectorizeCounts(direct, counts[i]!));
    }
  });
});
