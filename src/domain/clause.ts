/**
 * The clause tree of a draft version (篇/章/节/条/款/项; 一、（一）1.（1）①; 专栏 boxes) and its flat form.
 */

export type ClauseKind =
  | 'part'
  | 'chapter'
  | 'section'
  | 'article'
  | 'cn-enum'
  | 'cn-paren'
  | 'arabic'
  | 'arabic-paren'
  | 'circled'
  | 'heading'
  | 'box'
  | 'paragraph';

export const CLAUSE_KINDS: readonly ClauseKind[] = [
  'part',
  'chapter',
  'section',
  'article',
  'cn-enum',
  'cn-paren',
  'arabic',
  'arabic-paren',
  'circled',
  'heading',
  'box',
  'paragraph',
];

/** Numbered kinds from the outermost to the innermost (篇 → 章 → 节 → 条 → 一、 → （一） → 1. → （1） → ①). */
export const NUMBERED_KIND_RANK: Readonly<Partial<Record<ClauseKind, number>>> = {
  part: 0,
  chapter: 1,
  section: 2,
  article: 3,
  'cn-enum': 4,
  'cn-paren': 5,
  arabic: 6,
  'arabic-paren': 7,
  circled: 8,
};

/** What a reader yields: headings (Markdown `#`, Word heading styles) and paragraphs, in document order. */
export type Block = { type: 'heading'; level: number; text: string } | { type: 'paragraph'; text: string };

export interface ParsedClause {
  kind: ClauseKind;
  /** The clause's own marker as written: '第十二条', '第一章', '（三）', '一、', '1.', '（1）', '①', '专栏1'; null when unnumbered. */
  number: string | null;
  /** Numeric value of the marker (第十二条 → 12, （三） → 3). */
  ordinal: number | null;
  /** '总则' for '第一章 总 则', '总体要求' for '一、总体要求'. */
  heading: string | null;
  /** Own text only, paragraphs joined with '\n'; children excluded. */
  text: string;
  children: ParsedClause[];
  /** Heading level (1–6) of an unnumbered heading; absent for every other kind. */
  level?: number;
}

export interface ParsedDocument {
  title: string | null;
  clauses: ParsedClause[];
  warnings: string[];
}

export interface FlatClause {
  /** Unique within one version: the sibling indices from the root, e.g. '2.0.12'. */
  key: string;
  /** Identity across versions; assigned by the caller (the database), absent on a fresh import. */
  stableId?: string;
  parentKey: string | null;
  kind: ClauseKind;
  number: string | null;
  heading: string | null;
  text: string;
  siblingIndex: number;
  /** '第二章/第一节/第十三条/（一）': the number (or heading) of each level. */
  path: string;
  ordinal?: number | null;
  /** 0 for top-level clauses. */
  depth?: number;
  level?: number;
}

export interface FlattenOptions {
  /** Prepended to every key, e.g. a version id, to make keys unique across versions. */
  keyPrefix?: string;
  /** Separator of path segments; '/' by default. */
  pathSeparator?: string;
}

/** The label of one clause inside a path: its number, else its heading, else ¶ and its position. */
export function clauseLabel(clause: Pick<ParsedClause, 'number' | 'heading'>, siblingIndex: number): string {
  if (clause.number !== null && clause.number !== '') {
    return clause.number;
  }
  if (clause.heading !== null && clause.heading !== '') {
    return clause.heading;
  }
  return `¶${siblingIndex + 1}`;
}

/** Pre-order list of a clause tree, with keys, parent keys and paths. */
export function flattenClauses(
  doc: readonly ParsedClause[] | ParsedDocument,
  options: FlattenOptions = {},
): FlatClause[] {
  const roots = isParsedDocument(doc) ? doc.clauses : doc;
  const prefix = options.keyPrefix ?? '';
  const separator = options.pathSeparator ?? '/';
  const out: FlatClause[] = [];
  const visit = (
    clauses: readonly ParsedClause[],
    parentKey: string | null,
    parentPath: string | null,
    depth: number,
  ): void => {
    clauses.forEach((clause, siblingIndex) => {
      const key = parentKey === null ? `${prefix}${siblingIndex}` : `${parentKey}.${siblingIndex}`;
      const label = clauseLabel(clause, siblingIndex);
      const path = parentPath === null ? label : `${parentPath}${separator}${label}`;
      const flat: FlatClause = {
        key,
        parentKey,
        kind: clause.kind,
        number: clause.number,
        heading: clause.heading,
        text: clause.text,
        siblingIndex,
        path,
        ordinal: clause.ordinal,
        depth,
      };
      if (clause.level !== undefined) {
        flat.level = clause.level;
      }
      out.push(flat);
      visit(clause.children, key, path, depth + 1);
    });
  };
  visit(roots, null, null, 0);
  return out;
}

function isParsedDocument(doc: readonly ParsedClause[] | ParsedDocument): doc is ParsedDocument {
  return !Array.isArray(doc);
}

/** Number of clauses of each kind, in a tree (all levels) or a flat list. */
export function countByKind(
  clauses: readonly ParsedClause[] | readonly FlatClause[] | ParsedDocument,
): Record<ClauseKind, number> {
  const counts = Object.fromEntries(CLAUSE_KINDS.map((kind) => [kind, 0])) as Record<ClauseKind, number>;
  const list: readonly (ParsedClause | FlatClause)[] = Array.isArray(clauses)
    ? (clauses as readonly (ParsedClause | FlatClause)[])
    : (clauses as ParsedDocument).clauses;
  const visit = (items: readonly (ParsedClause | FlatClause)[]): void => {
    for (const item of items) {
      counts[item.kind] += 1;
      if ('children' in item) {
        visit(item.children);
      }
    }
  };
  visit(list);
  return counts;
}

/** Depth-first walk of a clause tree with each clause's parent (null at the top). */
export function walkClauses(
  clauses: readonly ParsedClause[],
  visit: (clause: ParsedClause, parent: ParsedClause | null, depth: number) => void,
): void {
  const go = (items: readonly ParsedClause[], parent: ParsedClause | null, depth: number): void => {
    for (const item of items) {
      visit(item, parent, depth);
      go(item.children, item, depth + 1);
    }
  };
  go(clauses, null, 0);
}
