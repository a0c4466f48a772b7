import { describe, expect, it } from 'vitest';
import {
  MAX_KEYWORD,
  MAX_KEYWORDS,
  keywordsText,
  lackingLabels,
  newTopicKey,
  parseKeywords,
  toInputs,
  toRows,
  topicProblems,
} from './taxonomy.ts';

describe('taxonomy editor', () => {
  it('splits keywords at commas, 、 and semicolons, not at spaces', () => {
    expect(parseKeywords('算力、数据中心，public data; 5G ;；\n算力')).toEqual([
      '算力',
      '数据中心',
      'public data',
      '5G',
    ]);
    expect(parseKeywords('')).toEqual([]);
    expect(parseKeywords('、，,')).toEqual([]);
    expect(parseKeywords('碳')).toEqual(['碳']);
    expect(parseKeywords('🌱 绿色、green')).toEqual(['🌱 绿色', 'green']);
  });

  it('keeps keywords within the server limits, even from 100 KB of text', () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `词${i}`).join('、');
    expect(text.length).toBeGreaterThan(100_000);
    const keywords = parseKeywords(text);
    expect(keywords).toHaveLength(MAX_KEYWORDS);
    expect(parseKeywords('长'.repeat(500))[0]).toHaveLength(MAX_KEYWORD);
  });

  it('round-trips topics through the editor rows in their order', () => {
    const rows = toRows([
      { id: '2', key: 'data', label: '数据要素', keywords: ['公共数据', 'data'], position: 1 },
      { id: '1', key: 'computing', label: '算力', keywords: [], position: 0 },
    ]);
    expect(rows).toEqual([
      { key: 'computing', label: '算力', keywords: '' },
      { key: 'data', label: '数据要素', keywords: '公共数据、data' },
    ]);
    expect(toInputs([{ key: ' data ', label: ' 数据 ', keywords: keywordsText(['a', 'b']) }])).toEqual([
      { key: 'data', label: '数据', keywords: ['a', 'b'] },
    ]);
  });

  it('names what keeps rows from being saved', () => {
    expect(
      topicProblems([
        { key: 'a', label: '算力', keywords: '' },
        { key: 'a', label: '', keywords: '' },
        { key: ' ', label: 'x'.repeat(101), keywords: '' },
        { key: 'k'.repeat(61), label: 'Energy', keywords: '' },
      ]),
    ).toEqual([
      { index: 1, problem: 'keyDuplicate' },
      { index: 1, problem: 'labelRequired' },
      { index: 2, problem: 'keyRequired' },
      { index: 2, problem: 'labelTooLong' },
      { index: 3, problem: 'keyTooLong' },
    ]);
    expect(topicProblems([])).toEqual([]);
  });

  it('finds a key no row uses', () => {
    expect(newTopicKey([])).toBe('topic-1');
    expect(newTopicKey([{ key: 'topic-2' }])).toBe('topic-3');
    expect(newTopicKey([{ key: 'topic-2' }, { key: 'topic-3' }])).toBe('topic-4');
  });
});

describe('a refusal to learn', () => {
  it('reads which topics lack labels from the error details', () => {
    expect(
      lackingLabels({
        field: 'labels',
        lacking: [
          { key: 'computing', labels: 3, needed: 10 },
          { key: '数据', labels: 0, needed: 10, extra: true },
          { key: 7, labels: 1, needed: 10 },
          null,
        ],
      }),
    ).toEqual([
      { key: 'computing', labels: 3, needed: 10 },
      { key: '数据', labels: 0, needed: 10 },
    ]);
    expect(lackingLabels({ lacking: [] })).toEqual([]);
  });

  it('finds nothing in other details', () => {
    expect(lackingLabels(undefined)).toBeNull();
    expect(lackingLabels(null)).toBeNull();
    expect(lackingLabels({ field: 'topics' })).toBeNull();
    expect(lackingLabels('lacking')).toBeNull();
  });
});
