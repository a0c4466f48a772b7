/**
 * Compares two versions of a draft clause by clause, through stable ids, for redlines ("原第十二条 → 现第十五条",
 * what was inserted and deleted) and for delta rounds (only changed clauses).
 */
import { diffChars } from 'diff';
import type { FlatClause } from './clause.ts';

export type DiffStatus = 'unchanged' | 'changed' | 'renumbered' | 'added' | 'removed';

export interface ClauseSnapshot {
  key: string;
  number: string | null;
  heading: string | null;
  text: string;
  path: string;
}

export interface DiffSegment {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface ClauseDiff {
  /** null only for a new clause that has not been given a stable id yet. */
  stableId: string | null;
  /**
   * unchanged: same number, heading and text; renumbered: same heading and text, another number;
   * changed: heading or text differ; added / removed: only in the next / previous version.
   */
  status: DiffStatus;
  previous?: ClauseSnapshot;
  next?: ClauseSnapshot;
  /** Character diff of the text (previous → next): equal + delete gives the old text, equal + insert the new. */
  segments?: DiffSegment[];
  /** Character diff of the heading, when the heading changed. */
  headingSegments?: DiffSegment[];
  /** The clause sits under a different parent than before. */
  moved?: boolean;
}

export type DiffSummary = Record<DiffStatus, number>;

/** Above this many edits the diff gives up and shows the whole text deleted and re-inserted. */
const MAX_EDIT_LENGTH = 5000;

/**
 * Character-level diff of two texts. Single equal characters stranded between changes are folded into the
 * change, which reads better for Chinese than a confetti of one-character matches.
 */
export function diffText(before: string, after: string): DiffSegment[] {
  if (before === after) {
    return before === '' ? [] : [{ op: 'equal', text: before }];
  }
  if (before === '') {
    return [{ op: 'insert', text: after }];
  }
  if (after === '') {
    return [{ op: 'delete', text: before }];
  }
  const changes = diffChars(before, after, { maxEditLength: MAX_EDIT_LENGTH });
  if (changes === undefined) {
    return [
      { op: 'delete', text: before },
      { op: 'insert', text: after },
    ];
  }
  const segments: DiffSegment[] = changes
    .filter((c) => c.value !== '')
    .map((c) => ({ op: c.added ? 'insert' : c.removed ? 'delete' : 'equal', text: c.value }));
  return cleanupSegments(segments);
}

/** Folds one-character equal runs between changes into the change and merges neighbouring segments. */
function cleanupSegments(segments: readonly DiffSegment[]): DiffSegment[] {
  const folded: DiffSegment[] = [];
  segments.forEach((segment, index) => {
    const before = segments[index - 1];
    const after = segments[index + 1];
    if (
      segment.op === 'equal' &&
      [...segment.text].length === 1 &&
      before !== undefined &&
      after !== undefined &&
      before.op !== 'equal' &&
      after.op !== 'equal'
    ) {
      folded.push({ op: 'delete', text: segment.text }, { op: 'insert', text: segment.text });
    } else {
      folded.push(segment);
    }
  });
  // Within each run of changes: all deletions first, then all insertions, each merged into one segment.
  const out: DiffSegment[] = [];
  let deleted = '';
  let inserted = '';
  const flush = (): void => {
    if (deleted !== '') {
      out.push({ op: 'delete', text: deleted });
    }
    if (inserted !== '') {
      out.push({ op: 'insert', text: inserted });
    }
    deleted = '';
    inserted = '';
  };
  for (const segment of folded) {
    if (segment.op === 'delete') {
      deleted += segment.text;
    } else if (segment.op === 'insert') {
      inserted += segment.text;
    } else {
      flush();
      const last = out.at(-1);
      if (last?.op === 'equal') {
        last.text += segment.text;
      } else {
        out.push({ ...segment });
      }
    }
  }
  flush();
  return out;
}

function snapshot(clause: FlatClause): ClauseSnapshot {
  return {
    key: clause.key,
    number: clause.number,
    heading: clause.heading,
    text: clause.text,
    path: clause.path,
  };
}

/**
 * Diff of two versions by stable id, in the order of the next version; a removed clause is placed after its
 * previous sibling (or right after its parent when it was the first child).
 */
export function diffVersions(previous: readonly FlatClause[], next: readonly FlatClause[]): ClauseDiff[] {
  const prevById = new Map<string, number>();
  previous.forEach((c, p) => {
    if (c.stableId !== undefined && !prevById.has(c.stableId)) {
      prevById.set(c.stableId, p);
    }
  });
  const nextById = new Map<string, number>();
  next.forEach((c, i) => {
    if (c.stableId !== undefined && !nextById.has(c.stableId)) {
      nextById.set(c.stableId, i);
    }
  });
  const prevByKey = new Map(previous.map((c) => [c.key, c]));
  const nextByKey = new Map(next.map((c) => [c.key, c]));

  const entryFor = (c: FlatClause, i: number): ClauseDiff => {
    const id = c.stableId;
    const p = id === undefined || nextById.get(id) !== i ? undefined : prevById.get(id);
    const before = p === undefined ? undefined : previous[p];
    if (before === undefined) {
      return { stableId: id ?? null, status: 'added', next: snapshot(c), segments: diffText('', c.text) };
    }
    const headingChanged = (before.heading ?? '') !== (c.heading ?? '');
    const textChanged = before.text !== c.text;
    const status: DiffStatus =
      headingChanged || textChanged ? 'changed' : before.number !== c.number ? 'renumbered' : 'unchanged';
    const entry: ClauseDiff = {
      stableId: id ?? null,
      status,
      previous: snapshot(before),
      next: snapshot(c),
      segments: diffText(before.text, c.text),
    };
    if (headingChanged) {
      entry.headingSegments = diffText(before.heading ?? '', c.heading ?? '');
    }
    const prevParent = before.parentKey === null ? null : (prevByKey.get(before.parentKey)?.stableId ?? null);
    const nextParent = c.parentKey === null ? null : (nextByKey.get(c.parentKey)?.stableId ?? null);
    if (prevParent !== nextParent) {
      entry.moved = true;
    }
    return entry;
  };

  // Where each removed clause goes: after the subtree of its nearest surviving previous sibling, else right
  // after its surviving parent, else where its removed sibling or parent went; -1 is the very beginning.
  const subtreeEnd = new Map<string, number>();
  for (let i = next.length - 1; i >= 0; i--) {
    const c = next[i];
    if (c === undefined) {
      continue;
    }
    const end = subtreeEnd.get(c.key) ?? i;
    subtreeEnd.set(c.key, end);
    if (c.parentKey !== null) {
      subtreeEnd.set(c.parentKey, Math.max(subtreeEnd.get(c.parentKey) ?? 0, end));
    }
  }
  const survivingIndex = (c: FlatClause): number | undefined => {
    const i = c.stableId === undefined ? undefined : nextById.get(c.stableId);
    return i;
  };
  const childrenOf = new Map<string | null, FlatClause[]>();
  for (const c of previous) {
    const list = childrenOf.get(c.parentKey);
    if (list) {
      list.push(c);
    } else {
      childrenOf.set(c.parentKey, [c]);
    }
  }
  const slotCache = new Map<string, number>();
  const slotOf = (c: FlatClause): number => {
    const cached = slotCache.get(c.key);
    if (cached !== undefined) {
      return cached;
    }
    let slot = -1;
    const siblings = childrenOf.get(c.parentKey) ?? [];
    const position = siblings.indexOf(c);
    const prevSibling = position > 0 ? siblings[position - 1] : undefined;
    if (prevSibling !== undefined) {
      const i = survivingIndex(prevSibling);
      const nextClause = i === undefined ? undefined : next[i];
      slot = nextClause === undefined ? slotOf(prevSibling) : (subtreeEnd.get(nextClause.key) ?? i ?? -1);
    } else if (c.parentKey !== null) {
      const parent = prevByKey.get(c.parentKey);
      if (parent !== undefined) {
        const i = survivingIndex(parent);
        slot = i === undefined ? slotOf(parent) : i;
      }
    }
    slotCache.set(c.key, slot);
    return slot;
  };
  const removedAt = new Map<number, ClauseDiff[]>();
  for (const c of previous) {
    if (c.stableId !== undefined && nextById.has(c.stableId)) {
      continue;
    }
    const slot = slotOf(c);
    const entry: ClauseDiff = {
      stableId: c.stableId ?? null,
      status: 'removed',
      previous: snapshot(c),
      segments: diffText(c.text, ''),
    };
    const list = removedAt.get(slot);
    if (list) {
      list.push(entry);
    } else {
      removedAt.set(slot, [entry]);
    }
  }

  const out: ClauseDiff[] = [...(removedAt.get(-1) ?? [])];
  next.forEach((c, i) => {
    out.push(entryFor(c, i));
    out.push(...(removedAt.get(i) ?? []));
  });
  return out;
}

/** Number of entries of each status. */
export function summarizeDiff(entries: readonly ClauseDiff[]): DiffSummary {
  const summary: DiffSummary = { unchanged: 0, changed: 0, renumbered: 0, added: 0, removed: 0 };
  for (const entry of entries) {
    summary[entry.status] += 1;
  }
  return summary;
}
