import { describe, expect, it } from 'vitest';
import type { TopicLabel, TopicReviewItem } from './api.ts';
import { groupReview, presentTopicIds, topicChanges, topicDecision } from './review.ts';

const item = (
  id: string,
  topicId: string,
  score: number,
  excerpt = '建议加快算力中心布局。',
): TopicReviewItem => ({
  id,
  regNo: `R-${id}`,
  unitId: 'u1',
  unitName: '省数据局',
  clauseStableId: 'c1',
  excerpt,
  topicId,
  key: topicId,
  label: topicId === 'computing' ? '算力' : 'Data',
  score,
});

const label = (topicId: string, rejected: boolean, source: TopicLabel['source'] = 'machine'): TopicLabel => ({
  topicId,
  key: topicId,
  label: topicId,
  score: 0.7,
  source,
  rejected,
  labelledBy: null,
  labelledAt: '2026-03-01T00:00:00.000Z',
});

describe('topic review', () => {
  it('shows each opinion once, where its least confident label stands', () => {
    const groups = groupReview([
      item('o1', 'computing', 0.51),
      item('o2', 'data', 0.52, 'The platform should publish its energy use 😀'),
      item('o1', 'data', 0.6),
      item('o3', 'computing', 0.9, ''),
    ]);
    expect(groups.map((g) => g.opinion.id)).toEqual(['o1', 'o2', 'o3']);
    expect(groups[0]!.labels.map((l) => [l.topicId, l.score])).toEqual([
      ['computing', 0.51],
      ['data', 0.6],
    ]);
    expect(groups[0]!.opinion).toEqual({
      id: 'o1',
      regNo: 'R-o1',
      unitId: 'u1',
      unitName: '省数据局',
      clauseStableId: 'c1',
      excerpt: '建议加快算力中心布局。',
    });
    expect(groups[1]!.opinion.excerpt).toContain('😀');
    expect(groups[2]!.opinion.excerpt).toBe('');
  });

  it('keeps one row per opinion and topic when pages overlap, and nothing from nothing', () => {
    const groups = groupReview([item('o1', 'computing', 0.5), item('o1', 'computing', 0.5)]);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.labels).toHaveLength(1);
    expect(groupReview([])).toEqual([]);
  });

  it('holds many opinions', () => {
    const items = Array.from({ length: 2000 }, (_, i) =>
      item(`o${i % 500}`, i < 1000 ? 'computing' : 'data', i / 2000),
    );
    const groups = groupReview(items);
    expect(groups).toHaveLength(500);
    expect(groups.every((g) => g.labels.length === 2)).toBe(true);
  });

  it('counts a topic as present unless a person rejected it', () => {
    expect(
      presentTopicIds([label('a', false), label('b', true, 'human'), label('c', false, 'human')]),
    ).toEqual(['a', 'c']);
    expect(presentTopicIds([])).toEqual([]);
  });

  it('sends only what a new choice changes', () => {
    expect(topicChanges(['a', 'b'], ['b', 'c'])).toEqual([
      { topicId: 'c', present: true },
      { topicId: 'a', present: false },
    ]);
    expect(topicChanges(['a'], ['a'])).toEqual([]);
    expect(topicChanges([], [])).toEqual([]);
  });

  it('decides every offered topic when a person changes the labels in the review', () => {
    expect(topicDecision(['computing', 'data'], ['data', 'energy'])).toEqual([
      { topicId: 'computing', present: false },
      { topicId: 'data', present: true },
      { topicId: 'energy', present: true },
    ]);
    expect(topicDecision(['computing'], [])).toEqual([{ topicId: 'computing', present: false }]);
  });
});
