import { describe, expect, it } from 'vitest';
import { tokenize } from '../tokenize.ts';
import { assignTopics, scoreTopics } from './assign.ts';
import { trainTopicModel } from './model.ts';
import type { Taxonomy } from './taxonomy.ts';

const taxonomy: Taxonomy = {
  topics: [
    { id: 'transport', name: '交通', keywords: ['地铁'] },
    { id: 'housing', name: '住房', keywords: ['住房'] },
    { id: 'education', name: '教育', keywords: ['学校', 'school'] },
  ],
  minLabels: 3,
};

const labelled = [
  ['增开地铁线路', ['transport']],
  ['公交站点太远', ['transport']],
  ['地铁太挤', ['transport']],
  ['老旧小区加装电梯', ['housing']],
  ['房租太高', ['housing']],
  ['增加公租房', ['housing']],
].map(([text, labels]) => ({ doc: tokenize(text as string), labels: labels as string[] }));
const model = trainTopicModel({ taxonomy, labelled })!;

describe('assignTopics', () => {
  it('lets labels given by a person win', () => {
    expect(
      assignTopics({ doc: tokenize('地铁'), taxonomy, model, personLabels: ['housing', 'housing'] }),
    ).toEqual([{ label: 'housing', score: 1, source: 'person' }]);
  });

  it('uses the model for learned topics and rules for the others', () => {
    const assigned = assignTopics({ doc: tokenize('地铁线路太少，学校也不够'), taxonomy, model });
    expect(assigned.map((a) => [a.label, a.source])).toEqual(
      expect.arrayContaining([
        ['transport', 'machine'],
        ['education', 'rule'],
      ]),
    );
    for (const a of assigned) {
      expect(a.score).toBeGreaterThanOrEqual(0.5);
      expect(a.score).toBeLessThanOrEqual(1);
    }
  });

  it('uses rules alone without a model (cold start)', () => {
    expect(assignTopics({ doc: tokenize('住房和学校'), taxonomy })).toEqual([
      { label: 'education', score: 0.6, source: 'rule' },
      { label: 'housing', score: 0.6, source: 'rule' },
    ]);
    expect(assignTopics({ doc: tokenize('new school'), taxonomy, model: null })[0]?.label).toBe('education');
  });

  it('applies the threshold but scoreTopics keeps every score', () => {
    const doc = tokenize('地铁线路太少');
    const strict = { ...taxonomy, threshold: 0.999 };
    expect(assignTopics({ doc, taxonomy: strict, model })).toEqual([]);
    expect(scoreTopics({ doc, taxonomy: strict, model }).map((a) => a.label)).toEqual(
      expect.arrayContaining(['transport', 'housing']),
    );
  });

  it('handles empty, one-character, emoji, mixed and 100 KB texts', () => {
    for (const text of ['', '房', '🏠', '地铁subway', '住房问题。'.repeat(20_000)]) {
      const assigned = assignTopics({ doc: tokenize(text), taxonomy, model });
      expect(Array.isArray(assigned)).toBe(true);
    }
    expect(assignTopics({ doc: tokenize(''), taxonomy })).toEqual([]);
  });
});
