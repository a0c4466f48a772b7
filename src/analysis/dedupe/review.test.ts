import { describe, expect, it } from 'vitest';
import { findDuplicates } from './cluster.ts';
import type { ReviewCluster } from './review.ts';
import { confirmCluster, mergeClusters, splitCluster, toReviewClusters } from './review.ts';

const clusters: ReviewCluster[] = [
  { id: 'c1', representative: 'o1', members: ['o1', 'o2', 'o3', 'o4'], status: 'machine' },
  { id: 'c2', representative: 'o7', members: ['o5', 'o7'], status: 'machine' },
  { id: 'c3', representative: 'o8', members: ['o8', 'o9', 'o10'], status: 'confirmed' },
];

describe('toReviewClusters', () => {
  it('names members by the identity of their comments', () => {
    const letter =
      '我们坚决支持本规划关于加快建设数字经济的目标，建议进一步明确各部门职责分工，加大财政资金支持力度。';
    const result = findDuplicates([letter, '完全无关的另一条意见，建议删除第十二条。', letter]);
    const ids = ['op-a', 'op-b', 'op-c'];
    expect(
      toReviewClusters(result, { memberOf: (i) => ids[i]!, clusterId: (k) => `round1-dup-${k}` }),
    ).toEqual([{ id: 'round1-dup-0', representative: 'op-a', members: ['op-a', 'op-c'], status: 'machine' }]);
  });
});

describe('confirmCluster', () => {
  it('marks one cluster confirmed and leaves the input unchanged', () => {
    const next = confirmCluster(clusters, 'c1');
    expect(next[0]!.status).toBe('confirmed');
    expect(next[1]).toBe(clusters[1]);
    expect(clusters[0]!.status).toBe('machine');
  });

  it('refuses an unknown cluster', () => {
    expect(() => confirmCluster(clusters, 'nope')).toThrow(/no duplicate cluster nope/);
  });
});

describe('splitCluster', () => {
  it('moves members into a new cluster after the original', () => {
    const next = splitCluster(clusters, { clusterId: 'c1', members: ['o4', 'o2'], newId: 'c1b' });
    expect(next.map((c) => c.id)).toEqual(['c1', 'c1b', 'c2', 'c3']);
    expect(next[0]).toEqual({ id: 'c1', representative: 'o1', members: ['o1', 'o3'], status: 'edited' });
    expect(next[1]).toEqual({ id: 'c1b', representative: 'o2', members: ['o2', 'o4'], status: 'edited' });
    expect(clusters[0]!.members).toHaveLength(4);
  });

  it('gives the remaining cluster a new representative when its own was moved', () => {
    const next = splitCluster(clusters, { clusterId: 'c1', members: ['o1'], newId: 'c1b' });
    expect(next[0]!.representative).toBe('o2');
    expect(next[1]).toMatchObject({ representative: 'o1', members: ['o1'] });
  });

  it('refuses strangers, empty sides and a taken id', () => {
    expect(() => splitCluster(clusters, { clusterId: 'c1', members: ['o9'], newId: 'x' })).toThrow(
      /not a member/,
    );
    expect(() => splitCluster(clusters, { clusterId: 'c1', members: [], newId: 'x' })).toThrow(/both sides/);
    expect(() => splitCluster(clusters, { clusterId: 'c2', members: ['o5', 'o7'], newId: 'x' })).toThrow(
      /both sides/,
    );
    expect(() => splitCluster(clusters, { clusterId: 'c2', members: ['o5'], newId: 'c3' })).toThrow(
      /already exists/,
    );
  });
});

describe('mergeClusters', () => {
  it('merges into the first listed place, represented by the largest cluster’s representative', () => {
    const next = mergeClusters(clusters, { clusterIds: ['c2', 'c1'] });
    expect(next.map((c) => c.id)).toEqual(['c2', 'c3']);
    expect(next[0]).toEqual({
      id: 'c2',
      representative: 'o1',
      members: ['o5', 'o7', 'o1', 'o2', 'o3', 'o4'],
      status: 'edited',
    });
  });

  it('takes a new id and a chosen representative', () => {
    const next = mergeClusters(clusters, { clusterIds: ['c1', 'c3'], newId: 'm1', representative: 'o9' });
    expect(next.map((c) => c.id)).toEqual(['m1', 'c2']);
    expect(next[0]).toMatchObject({ representative: 'o9', status: 'edited' });
    expect(next[0]!.members).toHaveLength(7);
  });

  it('works with numeric member ids', () => {
    const numeric: ReviewCluster<number>[] = [
      { id: 'a', representative: 1, members: [1, 2], status: 'machine' },
      { id: 'b', representative: 3, members: [3, 4, 5], status: 'machine' },
    ];
    expect(mergeClusters(numeric, { clusterIds: ['a', 'b'] })).toEqual([
      { id: 'a', representative: 3, members: [1, 2, 3, 4, 5], status: 'edited' },
    ]);
  });

  it('refuses fewer than two clusters, unknown ones, a taken id and an outside representative', () => {
    expect(() => mergeClusters(clusters, { clusterIds: ['c1'] })).toThrow(/two clusters/);
    expect(() => mergeClusters(clusters, { clusterIds: ['c1', 'c1'] })).toThrow(/two clusters/);
    expect(() => mergeClusters(clusters, { clusterIds: ['c1', 'zz'] })).toThrow(/no duplicate cluster zz/);
    expect(() => mergeClusters(clusters, { clusterIds: ['c1', 'c2'], newId: 'c3' })).toThrow(
      /already exists/,
    );
    expect(() => mergeClusters(clusters, { clusterIds: ['c1', 'c2'], representative: 'o9' })).toThrow(
      /not a member/,
    );
  });
});
