import { describe, expect, it } from 'vitest';
import { countUnread, matchPeople, mergeMessages } from './messages.ts';

const msg = (
  id: string,
  seq: number,
  body = '',
  authorId: string | null = 'u1',
  deletedAt: string | null = null,
) => ({
  id,
  seq,
  body,
  authorId,
  deletedAt,
});

describe('mergeMessages', () => {
  it('adds live messages in order of seq and keeps one copy of each', () => {
    const page = [msg('a', 1, '第一条'), msg('b', 2, 'second')];
    const merged = mergeMessages(page, [msg('c', 3, '🚀'), msg('b', 2, 'second')]);
    expect(merged.map((m) => m.id)).toEqual(['a', 'b', 'c']);
  });

  it('replaces an edited or deleted message with its later copy', () => {
    const merged = mergeMessages([msg('a', 1, '原文')], [msg('a', 1, '', 'u1', '2025-01-01T00:00:00Z')]);
    expect(merged).toEqual([msg('a', 1, '', 'u1', '2025-01-01T00:00:00Z')]);
  });

  it('handles an event that arrives before the page and empty inputs', () => {
    expect(mergeMessages([], [])).toEqual([]);
    expect(mergeMessages([msg('b', 2)], [msg('a', 1)]).map((m) => m.seq)).toEqual([1, 2]);
  });

  it('merges a large thread', () => {
    const many = Array.from({ length: 5000 }, (_, i) => msg(`m${i}`, i + 1, 'x'.repeat(20)));
    const merged = mergeMessages(many.slice(0, 4000), many.slice(3000).reverse());
    expect(merged).toHaveLength(5000);
    expect(merged[4999]!.seq).toBe(5000);
  });
});

describe('countUnread', () => {
  it('counts messages by others after the marker, not deleted ones', () => {
    const messages = [
      msg('a', 1, 'x', 'u2'),
      msg('b', 2, 'x', 'me'),
      msg('c', 3, 'x', 'u2'),
      msg('d', 4, '', 'u2', '2025-01-01T00:00:00Z'),
    ];
    expect(countUnread(messages, 0, 'me')).toBe(2);
    expect(countUnread(messages, 1, 'me')).toBe(1);
    expect(countUnread(messages, 4, 'me')).toBe(0);
    expect(countUnread([], 0, 'me')).toBe(0);
  });
});

describe('matchPeople', () => {
  const people = [
    { id: '1', login: 'zhang.san', name: '张三' },
    { id: '2', login: 'ann', name: 'Ann Lee' },
    { id: '3', login: 'li', name: '李四😀' },
    { id: '4', login: 'joanna', name: 'Joanna' },
  ];

  it('finds people by login or name, prefixes first', () => {
    expect(matchPeople(people, 'ann').map((p) => p.id)).toEqual(['2', '4']);
    expect(matchPeople(people, '张').map((p) => p.id)).toEqual(['1']);
    expect(matchPeople(people, 'ZHANG').map((p) => p.id)).toEqual(['1']);
    expect(matchPeople(people, '😀').map((p) => p.id)).toEqual(['3']);
  });

  it('lists everyone for an empty query and nobody for a stranger', () => {
    expect(matchPeople(people, '')).toHaveLength(4);
    expect(matchPeople(people, '王')).toEqual([]);
    expect(matchPeople(people, 'a', 1)).toHaveLength(1);
  });
});
