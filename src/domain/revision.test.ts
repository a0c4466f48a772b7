import { describe, expect, it } from 'vitest';
import type { BaseClause, RevisionChange } from './revision.ts';
import { applyChanges, formatMarker, publishable } from './revision.ts';

const base: BaseClause[] = [
  {
    stableId: 'c1',
    parentStableId: null,
    kind: 'chapter',
    number: '第一章',
    ordinal: 1,
    heading: '总则',
    text: '',
  },
  {
    stableId: 'a1',
    parentStableId: 'c1',
    kind: 'article',
    number: '第一条',
    ordinal: 1,
    heading: null,
    text: '甲。',
  },
  {
    stableId: 'a2',
    parentStableId: 'c1',
    kind: 'article',
    number: '第二条',
    ordinal: 2,
    heading: null,
    text: '乙：',
  },
  {
    stableId: 'p1',
    parentStableId: 'a2',
    kind: 'cn-paren',
    number: '（一）',
    ordinal: 1,
    heading: null,
    text: '子一；',
  },
  {
    stableId: 'p2',
    parentStableId: 'a2',
    kind: 'cn-paren',
    number: '（二）',
    ordinal: 2,
    heading: null,
    text: '子二。',
  },
  {
    stableId: 'c2',
    parentStableId: null,
    kind: 'chapter',
    number: '第二章',
    ordinal: 2,
    heading: '附则',
    text: '',
  },
  {
    stableId: 'a3',
    parentStableId: 'c2',
    kind: 'article',
    number: '第三条',
    ordinal: 3,
    heading: null,
    text: '丙。',
  },
];

const change = (
  c: Partial<RevisionChange> & Pick<RevisionChange, 'id' | 'stableId' | 'kind'>,
): RevisionChange => ({
  afterStableId: null,
  newText: null,
  newHeading: null,
  opinionIds: [],
  reason: null,
  ...c,
});

describe('applyChanges', () => {
  it('edits text in place and keeps numbers when nothing is inserted or deleted', () => {
    const out = applyChanges(base, [change({ id: 'x', stableId: 'a1', kind: 'edit', newText: '甲甲。' })]);
    expect(out.find((c) => c.stableId === 'a1')).toMatchObject({
      status: 'edited',
      text: '甲甲。',
      previous: { text: '甲。' },
    });
    expect(out.map((c) => c.number)).toEqual(base.map((c) => c.number));
  });

  it('inserts after a subtree and renumbers continuous articles and per-parent items', () => {
    const out = applyChanges(base, [
      change({ id: 'i', stableId: 'n1', kind: 'insert', afterStableId: 'a2', newText: '新增。' }),
      change({ id: 'd', stableId: 'p1', kind: 'delete' }),
    ]);
    const kept = publishable(out);
    expect(kept.map((c) => `${c.number}:${c.stableId}`)).toEqual([
      '第一章:c1',
      '第一条:a1',
      '第二条:a2',
      '（一）:p2',
      '第三条:n1',
      '第二章:c2',
      '第四条:a3',
    ]);
    expect(kept.find((c) => c.stableId === 'a3')?.path).toBe('第二章/第四条');
    expect(out.find((c) => c.stableId === 'p1')?.status).toBe('deleted');
  });

  it('deletes a whole subtree and formats markers', () => {
    const out = applyChanges(base, [change({ id: 'd', stableId: 'a2', kind: 'delete' })]);
    expect(publishable(out).map((c) => c.stableId)).toEqual(['c1', 'a1', 'c2', 'a3']);
    expect(publishable(out).find((c) => c.stableId === 'a3')?.number).toBe('第二条');
    expect(formatMarker('article', 12)).toBe('第十二条');
    expect(formatMarker('arabic', 3, { number: '2．', ordinal: 2 })).toBe('3．');
    expect(formatMarker('circled', 2)).toBe('②');
  });
});
