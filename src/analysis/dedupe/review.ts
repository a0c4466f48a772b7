/*
 * People's decisions on near-duplicate clusters, as pure functions over a plain structure: confirm a
 * cluster, split members off into a cluster of their own, merge clusters. Members are the comments'
 * own identities (ids); a comment is never copied or folded into another, only grouped. Each function
 * returns a new list and leaves its input unchanged.
 */
import { AppError } from '../../domain/errors.ts';
import type { DuplicateResult } from './cluster.ts';

/** `machine`: as found; `confirmed`: a person accepted it; `edited`: a person split or merged it. */
export type ClusterReviewStatus = 'machine' | 'confirmed' | 'edited';

export interface ReviewCluster<M extends string | number = string> {
  id: string;
  /** The member shown for the cluster (the text the others were found similar to). */
  representative: M;
  /** Member identities, in order; the representative among them. */
  members: M[];
  status: ClusterReviewStatus;
}

/** Review clusters from `findDuplicates`: members by the identity of each text (e.g. opinion ids). */
export function toReviewClusters<M extends string | number>(
  result: DuplicateResult,
  identify: { memberOf: (index: number) => M; clusterId: (clusterIndex: number) => string },
): ReviewCluster<M>[] {
  return result.clusters.map((cluster) => ({
    id: identify.clusterId(cluster.id),
    representative: identify.memberOf(cluster.representative),
    members: cluster.members.map(identify.memberOf),
    status: 'machine',
  }));
}

function indexOfCluster<M extends string | number>(
  clusters: readonly ReviewCluster<M>[],
  id: string,
): number {
  const index = clusters.findIndex((cluster) => cluster.id === id);
  if (index === -1) {
    throw new AppError('not_found', `no duplicate cluster ${id}`, { field: 'clusterId', clusterId: id });
  }
  return index;
}

/** Marks a cluster as confirmed by a person. */
export function confirmCluster<M extends string | number>(
  clusters: readonly ReviewCluster<M>[],
  clusterId: string,
): ReviewCluster<M>[] {
  const index = indexOfCluster(clusters, clusterId);
  return clusters.map((cluster, i) => (i === index ? { ...cluster, status: 'confirmed' } : cluster));
}

/**
 * Moves `members` out of a cluster into a new cluster `newId`, placed right after it. Both keep at least
 * one member; the remaining cluster keeps its representative unless it was moved (then its first
 * remaining member represents it), and the new cluster is represented by the first moved member.
 */
export function splitCluster<M extends string | number>(
  clusters: readonly ReviewCluster<M>[],
  split: { clusterId: string; members: readonly M[]; newId: string },
): ReviewCluster<M>[] {
  const index = indexOfCluster(clusters, split.clusterId);
  const cluster = clusters[index]!;
  if (clusters.some((other) => other.id === split.newId)) {
    throw new AppError('conflict', `duplicate cluster ${split.newId} already exists`, { field: 'newId' });
  }
  const moving = new Set(split.members);
  const stranger = [...moving].find((member) => !cluster.members.includes(member));
  if (stranger !== undefined) {
    throw new AppError('validation_failed', `${String(stranger)} is not a member of cluster ${cluster.id}`, {
      field: 'members',
    });
  }
  const moved = cluster.members.filter((member) => moving.has(member));
  const kept = cluster.members.filter((member) => !moving.has(member));
  if (moved.length === 0 || kept.length === 0) {
    throw new AppError('rule_violated', 'a split leaves members on both sides', { field: 'members' });
  }
  const remaining: ReviewCluster<M> = {
    id: cluster.id,
    representative: moving.has(cluster.representative) ? kept[0]! : cluster.representative,
    members: kept,
    status: 'edited',
  };
  const created: ReviewCluster<M> = {
    id: split.newId,
    representative: moved[0]!,
    members: moved,
    status: 'edited',
  };
  return [...clusters.slice(0, index), remaining, created, ...clusters.slice(index + 1)];
}

/**
 * Merges clusters into one, in the place of the first listed, under `newId` (default: the first
 * listed id). Its representative is `representative` when given (a member of one of them), else the
 * representative of the largest (the first listed among equals); members keep their order, cluster by
 * cluster.
 */
export function mergeClusters<M extends string | number>(
  clusters: readonly ReviewCluster<M>[],
  merge: { clusterIds: readonly string[]; newId?: string; representative?: M },
): ReviewCluster<M>[] {
  const ids = [...new Set(merge.clusterIds)];
  if (ids.length < 2) {
    throw new AppError('validation_failed', 'a merge needs two clusters or more', { field: 'clusterIds' });
  }
  const indexes = ids.map((id) => indexOfCluster(clusters, id));
  const merging = indexes.map((i) => clusters[i]!);
  const newId = merge.newId ?? ids[0]!;
  if (!ids.includes(newId) && clusters.some((cluster) => cluster.id === newId)) {
    throw new AppError('conflict', `duplicate cluster ${newId} already exists`, { field: 'newId' });
  }
  const members = [...new Set(merging.flatMap((cluster) => cluster.members))];
  let representative = merge.representative;
  if (representative === undefined) {
    const largest = merging.reduce((best, cluster) =>
      cluster.members.length > best.members.length ? cluster : best,
    );
    representative = largest.representative;
  } else if (!members.includes(representative)) {
    throw new AppError(
      'validation_failed',
      `${String(representative)} is not a member of the merged clusters`,
      {
        field: 'representative',
      },
    );
  }
  const merged: ReviewCluster<M> = { id: newId, representative, members, status: 'edited' };
  const first = Math.min(...indexes);
  const removed = new Set(indexes);
  return clusters.flatMap((cluster, i) => (i === first ? [merged] : removed.has(i) ? [] : [cluster]));
}
