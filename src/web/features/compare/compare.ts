/** Side-by-side comparison of two versions: the shapes of `GET /versions/:id/diff` and what each side shows. */
export type DiffStatus = 'unchanged' | 'changed' | 'renumbered' | 'added' | 'removed';

export interface DiffSegment {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface ClauseSnapshot {
  key: string;
  number: string | null;
  heading: string | null;
  text: string;
  path: string;
}

export interface ClauseDiff {
  stableId: string | null;
  status: DiffStatus;
  previous?: ClauseSnapshot;
  next?: ClauseSnapshot;
  segments?: DiffSegment[];
  headingSegments?: DiffSegment[];
  moved?: boolean;
}

export const DIFF_STATUSES: readonly DiffStatus[] = [
  'changed',
  'added',
  'removed',
  'renumbered',
  'unchanged',
];

export type DiffSummary = Record<DiffStatus, number>;

export function summarize(entries: readonly ClauseDiff[]): DiffSummary {
  const summary: DiffSummary = { unchanged: 0, changed: 0, renumbered: 0, added: 0, removed: 0 };
  for (const entry of entries) {
    summary[entry.status] += 1;
  }
  return summary;
}

/** A piece of one side's text: plain, or marked as deleted (left) / inserted (right). */
export interface SidePiece {
  text: string;
  mark: 'none' | 'deleted' | 'inserted';
}

/**
 * What one side shows: the previous side is equal + deleted segments, the next side equal + inserted ones.
 * Without segments the side's whole text is shown, marked when the clause only exists on that side.
 */
export function sidePieces(entry: ClauseDiff, side: 'previous' | 'next'): SidePiece[] {
  const snapshot = entry[side];
  if (!snapshot) {
    return [];
  }
  if (entry.segments && entry.segments.length > 0) {
    const own = side === 'previous' ? 'delete' : 'insert';
    return entry.segments
      .filter((s) => s.op === 'equal' || s.op === own)
      .map((s) => ({
        text: s.text,
        mark: s.op === 'equal' ? 'none' : side === 'previous' ? 'deleted' : 'inserted',
      }));
  }
  if (snapshot.text === '') {
    return [];
  }
  const only = entry.status === 'removed' || entry.status === 'added';
  return [{ text: snapshot.text, mark: only ? (side === 'previous' ? 'deleted' : 'inserted') : 'none' }];
}

/** "第十二条 → 第十五条" when a clause changed its number; null otherwise. */
export function renumbering(entry: ClauseDiff): { from: string; to: string } | null {
  const from = entry.previous?.number;
  const to = entry.next?.number;
  return from && to && from !== to ? { from, to } : null;
}

export function visibleEntries(
  entries: readonly ClauseDiff[],
  statuses: readonly DiffStatus[],
): ClauseDiff[] {
  return entries.filter((entry) => statuses.includes(entry.status));
}
