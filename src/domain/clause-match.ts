/**
 * Carries clause identity from one draft version to the next ("原第十二条 → 现第十五条"): every clause of the new
 * version gets the stable id of the clause it continues, or none. Doubtful pairs are reported as 'uncertain'
 * for a person to confirm; nothing below the confidence threshold is matched silently.
 *
 * Pass 1, exact: the same kind and the same normalised heading + text (the number is ignored).
 * Pass 2, similar: character-bigram Dice coefficient, best pairs first; ≥ 0.8 is 'changed' (keeps the id),
 *         0.5–0.8 is 'uncertain' (candidate only).
 * Pass 3, position: same kind, parent continuing the same clause, same place among its siblings → 'uncertain'.
 */
import type { ClauseKind, FlatClause } from './clause.ts';

export type MatchStatus = 'matched' | 'changed' | 'new' | 'uncertain';
export type MatchPass = 'exact' | 'similar' | 'aligned' | 'position';

export interface ClauseMatch {
  /** Key of the clause in the new version. */
  key: string;
  /** The previous clause's stable id for 'matched' and 'changed'; null for 'new' and 'uncertain'. */
  stableId: string | null;
  status: MatchStatus;
  /** For 'uncertain': the previous clause a person should confirm or reject. */
  candidateStableId?: string;
  /** Similarity (0–1) with the previous clause it was paired with. */
  score?: number;
  pass?: MatchPass;
}

export interface MatchCounts {
  matched: number;
  changed: number;
  new: number;
  removed: number;
  uncertain: number;
}

export interface MatchOutcome {
  /** One per clause of the new version, in its order. */
  results: ClauseMatch[];
  /** Stable ids of previous clauses that nothing in the new version continues, in previous order. */
  removed: string[];
  counts: MatchCounts;
}

export interface MatchOptions {
  /** Dice score from which a similar clause keeps its id as 'changed'. Default 0.8. */
  changedThreshold?: number;
  /** Dice score from which a similar clause is offered as 'uncertain'. Default 0.5. */
  uncertainThreshold?: number;
  /**
   * Dice score from which a similar clause keeps its id when its nearest matched neighbours of the same kind,
   * before and after it, continue clauses on either side of its candidate in the same order. Default 0.65.
   */
  alignedThreshold?: number;
  /** Pass 3 (same parent, same position). Default true. */
  positionPass?: boolean;
  /** Least similarity for a pass-3 candidate: below it two clauses at the same place share nothing. Default 0.15. */
  positionMinScore?: number;
}

const DEFAULT_CHANGED = 0.8;
const DEFAULT_UNCERTAIN = 0.5;
const DEFAULT_ALIGNED = 0.65;
const DEFAULT_POSITION_MIN = 0.15;
/** Candidates kept per new clause in pass 2; bounds memory on documents full of near-identical items. */
const MAX_CANDIDATES = 32;
const ROOT = '\u0000root';
/** Between heading and text in clauseContent, so that they cannot run into each other. */
const SEPARATOR = '\u0001';

/** Text as compared across versions: NFKC (full-width punctuation → half-width), straight quotes, no whitespace. */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[“”„‟＂]/g, '"')
    .replace(/[‘’‚‛＇]/g, "'")
    .replace(/\s+/g, '');
}

/** The heading and text of a clause as one comparable string ('' when the clause has neither). */
export function clauseContent(clause: Pick<FlatClause, 'heading' | 'text'>): string {
  const heading = normalizeForMatch(clause.heading ?? '');
  const text = normalizeForMatch(clause.text);
  if (heading === '') {
    return text;
  }
  return text === '' ? heading : `${heading}${SEPARATOR}${text}`;
}

interface Grams {
  counts: Map<string, number>;
  size: number;
}

/** Character bigrams (a one-character string is its own gram). */
function bigrams(s: string): Grams {
  const chars = Array.from(s.split(SEPARATOR).join(''));
  const counts = new Map<string, number>();
  if (chars.length === 1) {
    counts.set(chars[0] ?? '', 1);
    return { counts, size: 1 };
  }
  for (let i = 0; i + 1 < chars.length; i++) {
    const gram = (chars[i] ?? '') + (chars[i + 1] ?? '');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return { counts, size: Math.max(chars.length - 1, 0) };
}

function overlap(a: Grams, b: Grams): number {
  const [small, large] = a.counts.size <= b.counts.size ? [a, b] : [b, a];
  let shared = 0;
  for (const [gram, count] of small.counts) {
    const other = large.counts.get(gram);
    if (other !== undefined) {
      shared += Math.min(count, other);
    }
  }
  return shared;
}

function dice(a: Grams, b: Grams): number {
  if (a.size + b.size === 0) {
    return 1;
  }
  return (2 * overlap(a, b)) / (a.size + b.size);
}

/** Dice coefficient of the character bigrams of two texts, after normalisation (1 = identical). */
export function textSimilarity(a: string, b: string): number {
  return dice(bigrams(normalizeForMatch(a)), bigrams(normalizeForMatch(b)));
}

/** Bigrams as interned integers with their counts: the form the index works on. */
interface GramVector {
  ids: Int32Array;
  counts: Int32Array;
  size: number;
}

class GramInterner {
  private readonly ids = new Map<string, number>();

  vector(g: Grams): GramVector {
    const ids = new Int32Array(g.counts.size);
    const counts = new Int32Array(g.counts.size);
    let k = 0;
    for (const [gram, count] of g.counts) {
      let id = this.ids.get(gram);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(gram, id);
      }
      ids[k] = id;
      counts[k] = count;
      k += 1;
    }
    return { ids, counts, size: g.size };
  }
}

/**
 * Inverted index of bigrams over the previous clauses of one kind (ScanCount): a query walks the postings of
 * its own bigrams and accumulates the exact multiset overlap with every clause it meets, in typed arrays, so the
 * cost is the number of shared bigram occurrences rather than all pairs of strings.
 */
class BigramIndex {
  private readonly postingIds: number[][] = [];
  private readonly postingCounts: number[][] = [];
  private readonly overlap: Int32Array;
  private readonly touched: Int32Array;

  constructor(
    private readonly vectors: ReadonlyMap<number, GramVector>,
    capacity: number,
  ) {
    for (const [id, v] of vectors) {
      for (let k = 0; k < v.ids.length; k++) {
        const gram = v.ids[k] ?? 0;
        let ids = this.postingIds[gram];
        let counts = this.postingCounts[gram];
        if (ids === undefined || counts === undefined) {
          ids = [];
          counts = [];
          this.postingIds[gram] = ids;
          this.postingCounts[gram] = counts;
        }
        ids.push(id);
        counts.push(v.counts[k] ?? 0);
      }
    }
    this.overlap = new Int32Array(capacity);
    this.touched = new Int32Array(capacity);
  }

  /** Previous clauses with Dice ≥ threshold, best first (at most `limit`). */
  search(query: GramVector, threshold: number, limit: number): Array<{ id: number; score: number }> {
    const a = query.size;
    if (a === 0) {
      return [];
    }
    let touchedCount = 0;
    for (let k = 0; k < query.ids.length; k++) {
      const ids = this.postingIds[query.ids[k] ?? 0];
      const counts = this.postingCounts[query.ids[k] ?? 0];
      if (ids === undefined || counts === undefined) {
        continue;
      }
      const mine = query.counts[k] ?? 0;
      for (let j = 0; j < ids.length; j++) {
        const id = ids[j] ?? 0;
        if (this.overlap[id] === 0) {
          this.touched[touchedCount] = id;
          touchedCount += 1;
        }
        this.overlap[id] = (this.overlap[id] ?? 0) + Math.min(mine, counts[j] ?? 0);
      }
    }
    const found: Array<{ id: number; score: number }> = [];
    for (let k = 0; k < touchedCount; k++) {
      const id = this.touched[k] ?? 0;
      const shared = this.overlap[id] ?? 0;
      this.overlap[id] = 0;
      const b = this.vectors.get(id)?.size ?? 0;
      const score = (2 * shared) / (a + b);
      if (score >= threshold) {
        found.push({ id, score });
      }
    }
    found.sort((x, y) => y.score - x.score || x.id - y.id);
    return found.length > limit ? found.slice(0, limit) : found;
  }
}

function requireStableIds(previous: readonly FlatClause[]): string[] {
  const seen = new Set<string>();
  return previous.map((clause) => {
    const id = clause.stableId;
    if (id === undefined || id === '') {
      throw new TypeError(`matchClauses: previous clause ${clause.key} has no stableId`);
    }
    if (seen.has(id)) {
      throw new TypeError(`matchClauses: stableId ${id} occurs twice in the previous version`);
    }
    seen.add(id);
    return id;
  });
}

/** Matches the clauses of a new version to those of the previous one (which carry stable ids). */
export function matchClauses(
  previous: readonly FlatClause[],
  next: readonly FlatClause[],
  options: MatchOptions = {},
): MatchOutcome {
  const changedThreshold = options.changedThreshold ?? DEFAULT_CHANGED;
  const uncertainThreshold = options.uncertainThreshold ?? DEFAULT_UNCERTAIN;
  const prevIds = requireStableIds(previous);
  const prevIndexByKey = new Map(previous.map((c, i) => [c.key, i]));
  const nextIndexByKey = new Map(next.map((c, i) => [c.key, i]));
  const prevParentId = previous.map((c) => {
    if (c.parentKey === null) {
      return ROOT;
    }
    const parent = prevIndexByKey.get(c.parentKey);
    return parent === undefined ? null : (prevIds[parent] ?? null);
  });
  const nextParent = next.map((c) => (c.parentKey === null ? null : (nextIndexByKey.get(c.parentKey) ?? -1)));
  const prevContent = previous.map(clauseContent);
  const nextContent = next.map(clauseContent);

  const used = new Array<boolean>(previous.length).fill(false);
  const results: Array<ClauseMatch | undefined> = new Array<ClauseMatch | undefined>(next.length);
  /** The stable id a new clause continues, once known (matched or changed). */
  const assigned = new Array<string | null>(next.length).fill(null);

  const parentIdOfNext = (i: number): string | null => {
    const parent = nextParent[i];
    if (parent === null || parent === undefined) {
      return ROOT;
    }
    return parent < 0 ? null : (assigned[parent] ?? null);
  };
  const settle = (i: number, p: number, status: MatchStatus, score: number, pass: MatchPass): void => {
    used[p] = true;
    const id = prevIds[p] ?? null;
    const key = next[i]?.key ?? '';
    if (status === 'uncertain') {
      results[i] = { key, stableId: null, status, candidateStableId: id ?? undefined, score, pass };
    } else {
      assigned[i] = id;
      results[i] = { key, stableId: id, status, score, pass };
    }
  };

  // Pass 1: exact content, same kind.
  const groupKey = (kind: ClauseKind, content: string): string => `${kind}\u0000${content}`;
  const prevGroups = new Map<string, number[]>();
  previous.forEach((c, p) => {
    const content = prevContent[p] ?? '';
    if (content !== '') {
      const key = groupKey(c.kind, content);
      const group = prevGroups.get(key);
      if (group) {
        group.push(p);
      } else {
        prevGroups.set(key, [p]);
      }
    }
  });
  const nextGroupSize = new Map<string, number>();
  next.forEach((c, i) => {
    const content = nextContent[i] ?? '';
    if (content !== '') {
      const key = groupKey(c.kind, content);
      nextGroupSize.set(key, (nextGroupSize.get(key) ?? 0) + 1);
    }
  });
  const exactKeyOf = (i: number): string | null => {
    const c = next[i];
    const content = nextContent[i] ?? '';
    return c === undefined || content === '' ? null : groupKey(c.kind, content);
  };
  // 1a: texts that occur once on each side.
  next.forEach((_, i) => {
    const key = exactKeyOf(i);
    const group = key === null ? undefined : prevGroups.get(key);
    if (key !== null && group?.length === 1 && nextGroupSize.get(key) === 1 && group[0] !== undefined) {
      settle(i, group[0], 'matched', 1, 'exact');
    }
  });
  // 1b: repeated texts, under a parent that continues the same clause; 1c: the rest, in order.
  for (const sameParentOnly of [true, false]) {
    next.forEach((_, i) => {
      if (results[i] !== undefined) {
        return;
      }
      const key = exactKeyOf(i);
      const group = key === null ? undefined : prevGroups.get(key);
      if (group === undefined) {
        return;
      }
      const parentId = parentIdOfNext(i);
      const p = group.find((candidate) =>
        used[candidate]
          ? false
          : !sameParentOnly || (parentId !== null && prevParentId[candidate] === parentId),
      );
      if (p !== undefined) {
        settle(i, p, 'matched', 1, 'exact');
      }
    });
  }

  // Pass 2: similar content, same kind, best pairs first.
  const interner = new GramInterner();
  const remainingByKind = new Map<ClauseKind, Map<number, GramVector>>();
  previous.forEach((c, p) => {
    if (!used[p] && (prevContent[p] ?? '') !== '') {
      let byKind = remainingByKind.get(c.kind);
      if (byKind === undefined) {
        byKind = new Map();
        remainingByKind.set(c.kind, byKind);
      }
      byKind.set(p, interner.vector(bigrams(prevContent[p] ?? '')));
    }
  });
  const indexes = new Map<ClauseKind, BigramIndex>();
  for (const [kind, vectors] of remainingByKind) {
    indexes.set(kind, new BigramIndex(vectors, previous.length));
  }
  interface Pair {
    i: number;
    p: number;
    score: number;
    sameParent: boolean;
    distance: number;
  }
  const pairs: Pair[] = [];
  next.forEach((c, i) => {
    const content = nextContent[i] ?? '';
    const index = indexes.get(c.kind);
    if (results[i] !== undefined || content === '' || index === undefined) {
      return;
    }
    const parentId = parentIdOfNext(i);
    for (const { id: p, score } of index.search(
      interner.vector(bigrams(content)),
      uncertainThreshold,
      MAX_CANDIDATES,
    )) {
      pairs.push({
        i,
        p,
        score,
        sameParent: parentId !== null && prevParentId[p] === parentId,
        distance: Math.abs(i / Math.max(next.length, 1) - p / Math.max(previous.length, 1)),
      });
    }
  });
  pairs.sort(
    (x, y) =>
      y.score - x.score ||
      Number(y.sameParent) - Number(x.sameParent) ||
      x.distance - y.distance ||
      x.i - y.i ||
      x.p - y.p,
  );
  for (const pair of pairs) {
    if (results[pair.i] !== undefined || used[pair.p]) {
      continue;
    }
    const status: MatchStatus = pair.score >= changedThreshold ? 'changed' : 'uncertain';
    settle(pair.i, pair.p, status, round(pair.score), 'similar');
  }

  // Pass 2b: a fairly similar clause that sits where its candidate sat — between the same matched neighbours,
  // in the same order — is the same clause, edited. Repeated, since each promotion anchors its neighbours.
  const alignedThreshold = options.alignedThreshold ?? DEFAULT_ALIGNED;
  const prevIndexOfId = new Map(prevIds.map((id, p) => [id, p]));
  const anchorOf = (j: number): number | undefined => {
    const id = assigned[j];
    return id === null || id === undefined ? undefined : prevIndexOfId.get(id);
  };
  const nearestAnchor = (i: number, step: 1 | -1): number | null | undefined => {
    const kind = next[i]?.kind;
    for (let j = i + step; j >= 0 && j < next.length; j += step) {
      if (next[j]?.kind === kind) {
        const anchor = anchorOf(j);
        if (anchor !== undefined) {
          return anchor;
        }
      }
    }
    return null; // the edge of the document
  };
  for (let promoted = true; promoted;) {
    promoted = false;
    results.forEach((result, i) => {
      if (
        result?.status !== 'uncertain' ||
        result.pass !== 'similar' ||
        (result.score ?? 0) < alignedThreshold
      ) {
        return;
      }
      const p =
        result.candidateStableId === undefined ? undefined : prevIndexOfId.get(result.candidateStableId);
      const before = nearestAnchor(i, -1);
      const after = nearestAnchor(i, 1);
      if (p === undefined || (before === null && after === null)) {
        return;
      }
      if ((before === null || (before ?? -1) < p) && (after === null || (after ?? Infinity) > p)) {
        settle(i, p, 'changed', result.score ?? 0, 'aligned');
        promoted = true;
      }
    });
  }

  // Pass 3: same kind, same place under a parent that continues the same clause.
  if (options.positionPass !== false) {
    const byPosition = new Map<string, number>();
    previous.forEach((c, p) => {
      const parentId = prevParentId[p];
      if (!used[p] && parentId !== null && parentId !== undefined) {
        byPosition.set(`${parentId}\u0000${c.kind}\u0000${c.siblingIndex}`, p);
      }
    });
    next.forEach((c, i) => {
      if (results[i] !== undefined) {
        return;
      }
      const parentId = parentIdOfNext(i);
      const p =
        parentId === null ? undefined : byPosition.get(`${parentId}\u0000${c.kind}\u0000${c.siblingIndex}`);
      if (p !== undefined && !used[p]) {
        const score = dice(bigrams(prevContent[p] ?? ''), bigrams(nextContent[i] ?? ''));
        if (score >= (options.positionMinScore ?? DEFAULT_POSITION_MIN)) {
          settle(i, p, 'uncertain', round(score), 'position');
        }
      }
    });
  }

  const final: ClauseMatch[] = next.map(
    (c, i) => results[i] ?? { key: c.key, stableId: null, status: 'new' },
  );
  const removed = prevIds.filter((_, p) => !used[p]);
  const counts: MatchCounts = { matched: 0, changed: 0, new: 0, removed: removed.length, uncertain: 0 };
  for (const r of final) {
    counts[r.status] += 1;
  }
  return { results: final, removed, counts };
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}
