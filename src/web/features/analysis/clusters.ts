import type { Cluster } from './api.ts';

/**
 * The clusters to merge, in the order the server takes them: the first named absorbs the others, so the
 * largest goes first (its representative stays); equal sizes keep the order they were listed in.
 * Ids not among `clusters` (no longer listed) are left out.
 */
export function mergeOrder(
  selected: readonly string[],
  clusters: readonly Pick<Cluster, 'id' | 'size'>[],
): string[] {
  const wanted = new Set(selected);
  return clusters
    .map((c, index) => ({ c, index }))
    .filter(({ c }) => wanted.has(c.id))
    .sort((x, y) => y.c.size - x.c.size || x.index - y.index)
    .map(({ c }) => c.id)
    .filter((id, i, all) => all.indexOf(id) === i);
}

/** A split takes at least one opinion out and leaves at least one in (the server's rule). */
export const canSplit = (picked: number, clusterSize: number): boolean => picked > 0 && picked < clusterSize;

/** A merge needs two clusters or more. */
export const canMerge = (picked: number): boolean => picked >= 2;

/** `list` with `id` in or out, in the order ids were picked. */
export function toggleId(list: readonly string[], id: string, on: boolean): string[] {
  const without = list.filter((x) => x !== id);
  return on ? [...without, id] : without;
}
