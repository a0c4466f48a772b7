import { describe, expect, it } from 'vitest';
import type { ClauseDiff } from './compare.ts';
import { renumbering, sidePieces, summarize, visibleEntries } from './compare.ts';

const snapshot = (number: string, text: string) => ({ key: number, number, heading: null, text, path: '1' });

const changed: ClauseDiff = {
  stableId: 's1',
  status: 'changed',
  previous: snapshot('第二条', '到2030年通车里程达到8000公里。'),
  next: snapshot('第三条', '到2030年通车里程达到9000公里。'),
  segments: [
    { op: 'equal', text: '到2030年通车里程达到' },
    { op: 'delete', text: '8' },
    { op: 'insert', text: '9' },
    { op: 'equal', text: '000公里。' },
  ],
};
const added: ClauseDiff = { stableId: null, status: 'added', next: snapshot('第四条', '新增条款。') };
const removed: ClauseDiff = {
  stableId: 's2',
  status: 'removed',
  previous: snapshot('第五条', '删去的条款。'),
};
const same: ClauseDiff = {
  stableId: 's3',
  status: 'unchanged',
  previous: snapshot('第一条', '总则。'),
  next: snapshot('第一条', '总则。'),
  segments: [{ op: 'equal', text: '总则。' }],
};

describe('version comparison', () => {
  it('counts the clauses per status', () => {
    expect(summarize([changed, added, removed, same, same])).toEqual({
      unchanged: 2,
      changed: 1,
      renumbered: 0,
      added: 1,
      removed: 1,
    });
  });

  it('shows the deletions on the left and the insertions on the right', () => {
    expect(sidePieces(changed, 'previous')).toEqual([
      { text: '到2030年通车里程达到', mark: 'none' },
      { text: '8', mark: 'deleted' },
      { text: '000公里。', mark: 'none' },
    ]);
    expect(
      sidePieces(changed, 'next')
        .map((p) => p.text)
        .join(''),
    ).toBe('到2030年通车里程达到9000公里。');
    expect(sidePieces(changed, 'next')[1]).toEqual({ text: '9', mark: 'inserted' });
  });

  it('marks a clause that exists on one side only, and leaves the other side empty', () => {
    expect(sidePieces(added, 'next')).toEqual([{ text: '新增条款。', mark: 'inserted' }]);
    expect(sidePieces(added, 'previous')).toEqual([]);
    expect(sidePieces(removed, 'previous')).toEqual([{ text: '删去的条款。', mark: 'deleted' }]);
  });

  it('names a renumbering and filters by status', () => {
    expect(renumbering(changed)).toEqual({ from: '第二条', to: '第三条' });
    expect(renumbering(same)).toBeNull();
    expect(visibleEntries([changed, added, same], ['changed', 'added'])).toEqual([changed, added]);
  });
});
