/**
 * A revision as pure data: the base version's clauses plus the recorded changes give the revised clause
 * list, renumbered where numbering was continuous ("原第十二条 → 现第十三条"), with the old text of each
 * changed clause for redlines and comparison tables.
 */
import type { ClauseKind } from './clause.ts';
import { clauseLabel } from './clause.ts';
import { toChineseNumber } from './chinese-numerals.ts';

export interface BaseClause {
  stableId: string;
  parentStableId: string | null;
  kind: ClauseKind;
  number: string | null;
  ordinal: number | null;
  heading: string | null;
  text: string;
}

export type ChangeKind = 'edit' | 'insert' | 'delete';

export interface RevisionChange {
  id: string;
  stableId: string;
  kind: ChangeKind;
  afterStableId: string | null;
  newText: string | null;
  newHeading: string | null;
  opinionIds: string[];
  reason: string | null;
}

export type RevisedStatus = 'unchanged' | 'edited' | 'inserted' | 'deleted';

export interface RevisedClause {
  stableId: string;
  parentStableId: string | null;
  kind: ClauseKind;
  /** The number after renumbering (the base number when nothing moved). */
  number: string | null;
  ordinal: number | null;
  heading: string | null;
  text: string;
  depth: number;
  siblingIndex: number;
  path: string;
  status: RevisedStatus;
  /** In the base version; null for inserted clauses. */
  previous: { number: string | null; heading: string | null; text: string } | null;
  changeId: string | null;
}

interface Node {
  clause: BaseClause;
  status: RevisedStatus;
  previous: RevisedClause['previous'];
  changeId: string | null;
  insertedAfter: string | null;
  children: Node[];
}

/** Kinds numbered continuously through the whole document; the others restart under each parent. */
const CONTINUOUS: ReadonlySet<ClauseKind> = new Set<ClauseKind>(['part', 'chapter', 'article']);
const NUMBERED: ReadonlySet<ClauseKind> = new Set<ClauseKind>([
  'part',
  'chapter',
  'section',
  'article',
  'cn-enum',
  'cn-paren',
  'arabic',
  'arabic-paren',
  'circled',
]);

const CHINESE_FORMATS: Partial<Record<ClauseKind, (cn: string) => string>> = {
  part: (cn) => `第${cn}编`,
  chapter: (cn) => `第${cn}章`,
  section: (cn) => `第${cn}节`,
  article: (cn) => `第${cn}条`,
  'cn-enum': (cn) => `${cn}、`,
  'cn-paren': (cn) => `（${cn}）`,
};

/** The marker of clause kind `kind` numbered `n`, in the style of `template` (the clause's old marker) when given. */
export function formatMarker(
  kind: ClauseKind,
  n: number,
  template?: { number: string; ordinal: number },
): string {
  if (kind === 'circled') {
    return n >= 1 && n <= 20 ? String.fromCodePoint(0x2460 + n - 1) : `（${n}）`;
  }
  if (kind === 'arabic' || kind === 'arabic-paren') {
    if (template && template.number.includes(String(template.ordinal))) {
      return template.number.replace(String(template.ordinal), String(n));
    }
    return kind === 'arabic' ? `${n}.` : `（${n}）`;
  }
  const format = CHINESE_FORMATS[kind];
  const cn = toChineseNumber(n);
  if (template) {
    const old = toChineseNumber(template.ordinal);
    if (template.number.includes(old)) {
      return template.number.replace(old, cn);
    }
  }
  return format ? format(cn) : String(n);
}

/**
 * Applies the changes to the base clauses. Deleting a clause deletes its subtree; an insert goes after the
 * subtree of the clause it follows, as its sibling of the same kind. Deleted clauses stay in the result
 * (status `deleted`, no number) so redlines can show them; `publishable` filters them out.
 */
export function applyChanges(
  base: readonly BaseClause[],
  changes: readonly RevisionChange[],
): RevisedClause[] {
  const byStable = new Map<string, Node>();
  const roots: Node[] = [];
  const parentOf = new Map<string, Node | null>();
  for (const clause of base) {
    const node: Node = {
      clause,
      status: 'unchanged',
      previous: { number: clause.number, heading: clause.heading, text: clause.text },
      changeId: null,
      insertedAfter: null,
      children: [],
    };
    byStable.set(clause.stableId, node);
    const parent = clause.parentStableId ? (byStable.get(clause.parentStableId) ?? null) : null;
    parentOf.set(clause.stableId, parent);
    (parent ? parent.children : roots).push(node);
  }
  for (const change of changes.filter((c) => c.kind === 'insert')) {
    const after = change.afterStableId ? byStable.get(change.afterStableId) : undefined;
    if (!after) {
      continue;
    }
    const parent = parentOf.get(after.clause.stableId) ?? null;
    const siblings = parent ? parent.children : roots;
    let index = siblings.indexOf(after) + 1;
    while (siblings[index]?.insertedAfter === after.clause.stableId) {
      index += 1;
    }
    const node: Node = {
      clause: {
        stableId: change.stableId,
        parentStableId: parent?.clause.stableId ?? null,
        kind: after.clause.kind,
        number: null,
        ordinal: null,
        heading: change.newHeading,
        text: change.newText ?? '',
      },
      status: 'inserted',
      previous: null,
      changeId: change.id,
      insertedAfter: after.clause.stableId,
      children: [],
    };
    siblings.splice(index, 0, node);
    byStable.set(change.stableId, node);
    parentOf.set(change.stableId, parent);
  }
  for (const change of changes) {
    const node = byStable.get(change.stableId);
    if (!node || change.kind === 'insert') {
      continue;
    }
    node.changeId = change.id;
    if (change.kind === 'delete') {
      markDeleted(node);
    } else {
      node.status = 'edited';
      node.clause = {
        ...node.clause,
        text: change.newText ?? node.clause.text,
        heading: change.newHeading ?? node.clause.heading,
      };
    }
  }
  const out: RevisedClause[] = [];
  const visit = (nodes: Node[], parentPath: string | null, depth: number): void => {
    let siblingIndex = 0;
    for (const node of nodes) {
      const deleted = node.status === 'deleted';
      const c = node.clause;
      const index = deleted ? -1 : siblingIndex++;
      const label = clauseLabel(c, Math.max(index, 0));
      const path = parentPath === null ? label : `${parentPath}/${label}`;
      out.push({
        stableId: c.stableId,
        parentStableId: c.parentStableId,
        kind: c.kind,
        number: c.number,
        ordinal: c.ordinal,
        heading: c.heading,
        text: c.text,
        depth,
        siblingIndex: index,
        path,
        status: node.status,
        previous: node.previous,
        changeId: node.changeId,
      });
      visit(node.children, path, depth + 1);
    }
  };
  visit(roots, null, 0);
  return renumber(out, base);
}

function markDeleted(node: Node): void {
  node.status = 'deleted';
  for (const child of node.children) {
    markDeleted(child);
  }
}

/** Whether the base numbering of each sequence was 1, 2, 3 … (only then is renumbering safe). */
function sequenceKey(kind: ClauseKind, parentStableId: string | null): string {
  return CONTINUOUS.has(kind) ? kind : `${kind}|${parentStableId ?? ''}`;
}

function renumber(clauses: RevisedClause[], base: readonly BaseClause[]): RevisedClause[] {
  const consecutive = new Map<string, boolean>();
  const seen = new Map<string, number>();
  const templates = new Map<string, { number: string; ordinal: number }>();
  for (const c of base) {
    if (!NUMBERED.has(c.kind) || c.ordinal === null || c.number === null) {
      continue;
    }
    const key = sequenceKey(c.kind, c.parentStableId);
    const expected = (seen.get(key) ?? 0) + 1;
    seen.set(key, c.ordinal);
    consecutive.set(key, (consecutive.get(key) ?? true) && c.ordinal === expected);
    templates.set(c.kind, { number: c.number, ordinal: c.ordinal });
  }
  const counters = new Map<string, number>();
  const touched = clauses.some((c) => c.status === 'inserted' || c.status === 'deleted');
  const renumbered = clauses.map((c) => {
    if (c.status === 'deleted' || !NUMBERED.has(c.kind)) {
      return c;
    }
    const key = sequenceKey(c.kind, c.parentStableId);
    const numberedSequence = consecutive.get(key) === true;
    if (!touched || !numberedSequence || (c.status !== 'inserted' && c.ordinal === null)) {
      return c;
    }
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    if (c.ordinal === n && c.number !== null) {
      return c;
    }
    const template =
      c.number !== null && c.ordinal !== null
        ? { number: c.number, ordinal: c.ordinal }
        : templates.get(c.kind);
    return { ...c, ordinal: n, number: formatMarker(c.kind, n, template) };
  });
  // Paths follow the new numbers.
  const pathOf = new Map<string, string>();
  return renumbered.map((c) => {
    if (c.status === 'deleted') {
      return c;
    }
    const label = clauseLabel(c, c.siblingIndex);
    const parentPath = c.parentStableId ? pathOf.get(c.parentStableId) : undefined;
    const path = parentPath === undefined ? label : `${parentPath}/${label}`;
    pathOf.set(c.stableId, path);
    return { ...c, path };
  });
}

/** The clauses of the published version: deleted ones dropped. */
export const publishable = (clauses: readonly RevisedClause[]): RevisedClause[] =>
  clauses.filter((c) => c.status !== 'deleted');
