/**
 * Turns the blocks of a draft (headings and paragraphs, from any reader) into a clause tree: 篇/章/节/条,
 * 一、（一）1.（1）① enumerations, 专栏 boxes and unnumbered headings. Pure; no I/O.
 */
import {
  CHINESE_NUMERAL_CHARS,
  CIRCLED_CLASS,
  parseChineseNumber,
  parseCircledNumber,
  toAsciiDigits,
} from './chinese-numerals.ts';
import type { Block, ClauseKind, ParsedClause, ParsedDocument } from './clause.ts';
import { NUMBERED_KIND_RANK } from './clause.ts';

/** A clause marker found at the start of a paragraph. */
export interface ClauseMarker {
  kind: Exclude<ClauseKind, 'heading' | 'paragraph'>;
  /** As written, internal whitespace removed: '第十二条', '（三）', '1.', '专栏1'. */
  number: string;
  ordinal: number | null;
  /** What follows the marker, trimmed. */
  rest: string;
}

export interface DetectMarkerOptions {
  /** Accept 第X条 directly followed by text (no whitespace): only for documents that never put a space there. */
  allowUnspacedArticle?: boolean;
}

/** Longest heading (in characters) for an enumeration line to count as a heading rather than text. */
const SHORT_HEADING = 30;
/** Headings of up to this many characters lose the spaces between Chinese characters (总 则 → 总则). */
const COLLAPSIBLE_HEADING = 12;
const MAX_WARNINGS = 20;
const MAX_TITLE_LINES = 3;

const CN = `[${CHINESE_NUMERAL_CHARS}]+`;
const NUM = `(?:[${CHINESE_NUMERAL_CHARS}]+|[0-9０-９]+)`;
const SENTENCE_PUNCTUATION = /[。；;！!？?：:]/;
const HEADING_BREAKERS = /[。；;！!？?：:，,]/;
const CJK = '\\u3400-\\u9fff\\uf900-\\ufaff';
const CJK_GAP = new RegExp(`(?<=[${CJK}])\\s+(?=[${CJK}])`, 'g');

const DIVISION_RE = new RegExp(`^第\\s*(${NUM})\\s*(编|篇|部分|章|节)(.*)$`);
const ARTICLE_RE = new RegExp(`^第\\s*(${NUM})\\s*条((?:之\\s*${CN})?)(?=[\\s【]|$)\\s*(.*)$`);
const UNSPACED_ARTICLE_RE = new RegExp(`^第(${NUM})条((?:之${CN})?)(.*)$`);
const CN_ENUM_RE = new RegExp(`^(${CN})\\s*、\\s*(.*)$`);
const CN_PAREN_RE = new RegExp(`^[（(]\\s*(${CN})\\s*[）)]\\s*(.*)$`);
const ARABIC_PAREN_RE = /^[（(]\s*([0-9０-９]{1,3})\s*[）)]\s*(.*)$/;
const ARABIC_RE = /^([0-9０-９]{1,3})(?:[.．](?![0-9０-９])|、)\s*(.*)$/;
const CIRCLED_RE = new RegExp(`^([${CIRCLED_CLASS}])\\s*(.*)$`);
const BOX_RE = new RegExp(`^专栏\\s*(?:(${NUM})\\s*[:：、.．]?|[:：])\\s*(.*)$`);
/** 第三章的规定…, 第二节所列… : a sentence about a division, not a division. */
const DIVISION_REFERENCE = /^(的|规定|所|中|之|至|到|和|与|及|或|以|条|款|项|[、，。；,;])/;
/** 第二十三条的规定…: what an unspaced "article" must not continue with. */
const ARTICLE_REFERENCE = /^(的|规定|所|中|之|至|到|和|与|及|或|以|第|款|项|[、，。；,;：:])/;

const DATE_LINE_RE =
  /^(?:[0-9０-９]{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*日$/;
const SIGNATURE_NOTE_RE = /^[（(](?:此件|本件|此文|本文)[^）)]{0,20}[）)]$/;
const ATTACHMENT_RE = /^附\s*件\s*[0-9０-９一二三四五六七八九十]*$/;
const DATE_PREFIX_RE = /^(?:[0-9０-９]{4}|[〇○零一二三四五六七八九]{4})\s*年/;
const TOC_TITLE_RE = /^目\s*录$/;
/** 第一章 总则……3; after a 目录 line also 第一章 总则 3 or 一、总体要求\t5. */
const TOC_LEADER_RE = /^(.{1,60}?)\s*[.…·．・]{2,}\s*[0-9０-９]{1,3}$/;
const TOC_LOOSE_RE = /^(.{1,60}?)[\s.…·．・]+([0-9０-９]{1,3})$/;
const MIN_TOC_ENTRIES = 3;
const TITLE_SUFFIX_RE =
  /(意见|通知|方案|规划|纲要|条例|办法|规定|决定|批复|复函|函|答复|报告|细则|计划|法|通告|公告|决议|指引|指南|标准|建议|请示|规则|章程|守则|制度|措施|要点|清单|目录|说明|草案|征求意见稿)$/;

const length = (s: string): number => [...s].length;

/** Trims, drops zero-width characters and collapses whitespace runs (a run with a tab stays one tab). */
export function normalizeBlockText(text: string): string {
  return text
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/\s+/g, (run) => (run.includes('\t') ? '\t' : ' '))
    .trim();
}

/** Removes the spaces a typesetter puts between the characters of short headings: '总 则' → '总则'. */
export function collapseHeading(heading: string): string {
  const h = heading.trim();
  if (length(h.replace(/\s/g, '')) > COLLAPSIBLE_HEADING) {
    return h;
  }
  return h.replace(CJK_GAP, '');
}

function compact(s: string): string {
  return s.replace(/\s+/g, '');
}

function chineseOrdinal(numeral: string): number | null {
  return parseChineseNumber(compact(numeral));
}

/** The clause marker at the start of a (normalised) paragraph, or null. */
export function detectMarker(text: string, options: DetectMarkerOptions = {}): ClauseMarker | null {
  const first = text.charAt(0);
  if (first === '第') {
    return detectDivisionOrArticle(text, options);
  }
  if (first === '（' || first === '(') {
    const cn = CN_PAREN_RE.exec(text);
    if (cn) {
      const ordinal = chineseOrdinal(cn[1] ?? '');
      if (ordinal !== null && ordinal > 0) {
        return marker('cn-paren', compact(text.slice(0, text.length - (cn[2] ?? '').length)), ordinal, cn[2]);
      }
    }
    const ar = ARABIC_PAREN_RE.exec(text);
    if (ar) {
      const ordinal = Number(toAsciiDigits(ar[1] ?? ''));
      if (ordinal > 0) {
        return marker(
          'arabic-paren',
          compact(text.slice(0, text.length - (ar[2] ?? '').length)),
          ordinal,
          ar[2],
        );
      }
    }
    return null;
  }
  if (first === '专') {
    const box = BOX_RE.exec(text);
    if (box) {
      const ordinal = box[1] === undefined ? null : chineseOrdinal(box[1]);
      return marker('box', box[1] === undefined ? '专栏' : `专栏${compact(box[1])}`, ordinal, box[2]);
    }
    return null;
  }
  if (/[0-9０-９]/.test(first)) {
    const ar = ARABIC_RE.exec(text);
    if (ar) {
      const ordinal = Number(toAsciiDigits(ar[1] ?? ''));
      if (ordinal > 0) {
        return marker('arabic', compact(text.slice(0, text.length - (ar[2] ?? '').length)), ordinal, ar[2]);
      }
    }
    return null;
  }
  const circled = CIRCLED_RE.exec(text);
  if (circled) {
    return marker('circled', circled[1] ?? '', parseCircledNumber(circled[1] ?? ''), circled[2]);
  }
  const enumMatch = CN_ENUM_RE.exec(text);
  if (enumMatch && enumMatch[1] !== '两') {
    const ordinal = chineseOrdinal(enumMatch[1] ?? '');
    if (ordinal !== null && ordinal > 0) {
      return marker('cn-enum', `${enumMatch[1] ?? ''}、`, ordinal, enumMatch[2]);
    }
  }
  return null;
}

function detectDivisionOrArticle(text: string, options: DetectMarkerOptions): ClauseMarker | null {
  const article = ARTICLE_RE.exec(text);
  if (article) {
    const ordinal = chineseOrdinal(article[1] ?? '');
    if (ordinal !== null && ordinal > 0) {
      return marker('article', compact(`第${article[1] ?? ''}条${article[2] ?? ''}`), ordinal, article[3]);
    }
  }
  if (options.allowUnspacedArticle) {
    const unspaced = UNSPACED_ARTICLE_RE.exec(text);
    if (unspaced && !ARTICLE_REFERENCE.test(unspaced[3] ?? '')) {
      const ordinal = chineseOrdinal(unspaced[1] ?? '');
      if (ordinal !== null && ordinal > 0) {
        return marker('article', `第${unspaced[1] ?? ''}条${unspaced[2] ?? ''}`, ordinal, unspaced[3]);
      }
    }
  }
  const division = DIVISION_RE.exec(text);
  if (division) {
    const ordinal = chineseOrdinal(division[1] ?? '');
    const rest = division[3] ?? '';
    const separated = rest === '' || /^\s/.test(rest);
    const plausible =
      separated ||
      (length(rest) <= SHORT_HEADING && !HEADING_BREAKERS.test(rest) && !DIVISION_REFERENCE.test(rest));
    if (ordinal !== null && ordinal > 0 && plausible) {
      const unit = division[2] ?? '';
      const kind = unit === '章' ? 'chapter' : unit === '节' ? 'section' : 'part';
      return marker(kind, compact(`第${division[1] ?? ''}${unit}`), ordinal, rest);
    }
  }
  return null;
}

function marker(
  kind: ClauseMarker['kind'],
  number: string,
  ordinal: number | null,
  rest: string | undefined,
): ClauseMarker {
  return { kind, number, ordinal, rest: (rest ?? '').trim() };
}

/** A short line without sentence punctuation inside: reads as a heading. */
function isHeadingLike(text: string): boolean {
  const body = text.replace(/[。.]$/, '');
  return body !== '' && length(body) <= SHORT_HEADING && !HEADING_BREAKERS.test(body) && !body.includes('\t');
}

/**
 * Heading and text of an enumeration item outside articles: a short line is a heading; a short first sentence
 * followed by more text is a heading; anything else is text.
 */
export function splitEnumerationHeading(rest: string): { heading: string | null; text: string } {
  if (rest === '') {
    return { heading: null, text: '' };
  }
  if (rest.includes('\t')) {
    return { heading: null, text: rest }; // a table row
  }
  const body = rest.replace(/[。.]$/, '');
  if (length(body) <= SHORT_HEADING && !SENTENCE_PUNCTUATION.test(body)) {
    return { heading: collapseHeading(body), text: '' };
  }
  const stop = rest.indexOf('。');
  if (stop > 0 && stop < rest.length - 1) {
    const first = rest.slice(0, stop);
    if (length(first) <= SHORT_HEADING && !SENTENCE_PUNCTUATION.test(first)) {
      return { heading: collapseHeading(first), text: rest.slice(stop + 1).trim() };
    }
  }
  return { heading: null, text: rest };
}

/** 【立法目的】为了… → heading 立法目的, text 为了… */
function splitBracketHeading(rest: string): { heading: string | null; text: string } {
  const m = /^【([^】]*)】\s*(.*)$/.exec(rest);
  if (m) {
    const heading = (m[1] ?? '').trim();
    return { heading: heading === '' ? null : collapseHeading(heading), text: (m[2] ?? '').trim() };
  }
  return { heading: null, text: rest };
}

/** A line that may be (part of) a title: short, no sentence punctuation, no marker, not a date. */
function isTitleLike(text: string, continuation = false): boolean {
  const n = length(text);
  return (
    n >= 2 &&
    n <= 60 &&
    !SENTENCE_PUNCTUATION.test(text) &&
    !/[，,、]$/.test(text) &&
    (continuation || !/^[（(【《“"]/.test(text)) &&
    !DATE_PREFIX_RE.test(text) &&
    !/^[0-9０-９]/.test(text) &&
    !TOC_TITLE_RE.test(text) &&
    !ATTACHMENT_RE.test(text) &&
    detectMarker(text) === null
  );
}

function hasTitleSuffix(text: string): boolean {
  return TITLE_SUFFIX_RE.test(text.replace(/\s*[（(][^（）()]*[）)]$/, ''));
}

interface TitleResult {
  title: string | null;
  consumed: Set<number>;
}

/** The first H1 near the top, or a leading title line (possibly broken over two or three lines). */
function detectTitle(blocks: readonly Block[]): TitleResult {
  const consumed = new Set<number>();
  const firstHeading = blocks.findIndex((b) => b.type === 'heading');
  const h1 = blocks[firstHeading];
  if (
    h1?.type === 'heading' &&
    h1.level === 1 &&
    firstHeading <= 4 &&
    detectMarker(h1.text) === null &&
    !ATTACHMENT_RE.test(h1.text) &&
    blocks.slice(0, firstHeading).every((b) => detectMarker(b.text) === null)
  ) {
    consumed.add(firstHeading);
    return { title: collapseHeading(h1.text), consumed };
  }
  const first = blocks[0];
  if (first?.type !== 'paragraph' || blocks.length < 2 || !isTitleLike(first.text)) {
    return { title: null, consumed };
  }
  // A long title is often broken over two or three lines: take the longest run that ends like a title.
  let title = first.text;
  let used = 1;
  let joined = first.text;
  for (let n = 2; n <= MAX_TITLE_LINES; n++) {
    const next = blocks[n - 1];
    if (next?.type !== 'paragraph' || !isTitleLike(next.text, true) || length(joined + next.text) > 80) {
      break;
    }
    joined += next.text;
    if (hasTitleSuffix(joined)) {
      title = joined;
      used = n;
    }
  }
  for (let i = 0; i < used; i++) {
    consumed.add(i);
  }
  return { title, consumed };
}

/** 国务院 / 2019年1月27日 / （此件公开发布）: closing signature blocks, as [start, end) ranges. */
function detectSignatures(blocks: readonly Block[], consumed: ReadonlySet<number>): Map<number, number> {
  const ranges = new Map<number, number>();
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    if (block?.type !== 'paragraph' || consumed.has(i) || !DATE_LINE_RE.test(block.text)) {
      continue;
    }
    const prev = blocks[i - 1];
    const orgLine =
      prev?.type === 'paragraph' &&
      !consumed.has(i - 1) &&
      length(prev.text) <= 30 &&
      !HEADING_BREAKERS.test(prev.text) &&
      detectMarker(prev.text) === null &&
      !ATTACHMENT_RE.test(prev.text);
    let end = i + 1;
    while (blocks[end]?.type === 'paragraph' && SIGNATURE_NOTE_RE.test(blocks[end]?.text ?? '')) {
      end += 1;
    }
    if (!orgLine && end === i + 1) {
      continue;
    }
    const start = orgLine ? i - 1 : i;
    if (ranges.has(start)) {
      continue;
    }
    ranges.set(start, end);
    i = end - 1;
  }
  return ranges;
}

/**
 * Some documents never put a space after 第X条. When no article is written with one, paragraphs that start
 * with 第X条 and continue the sequence 1, 2, 3 … are taken as articles.
 */
function detectUnspacedArticles(
  blocks: readonly Block[],
  consumed: ReadonlySet<number>,
  warnings: string[],
): Set<number> {
  const accepted = new Set<number>();
  if (blocks.some((b) => detectMarker(b.text)?.kind === 'article')) {
    return accepted;
  }
  let expected = 1;
  blocks.forEach((block, i) => {
    if (consumed.has(i)) {
      return;
    }
    const m = detectMarker(block.text, { allowUnspacedArticle: true });
    if (m?.kind === 'article' && (m.ordinal === expected || m.ordinal === 1)) {
      if (m.ordinal === 1 && expected !== 1 && accepted.size > 0) {
        expected = 1; // a second document (attachment) numbering from 1 again
      }
      accepted.add(i);
      expected = (m.ordinal ?? 0) + 1;
    }
  });
  if (accepted.size < 3) {
    return new Set();
  }
  warnings.push(
    `Articles were written without a space after 第X条; ${accepted.size} paragraphs continuing the sequence 第一条, 第二条 … were taken as articles.`,
  );
  return accepted;
}

function tocPage(text: string, loose: boolean): number | null {
  const m = (loose ? TOC_LOOSE_RE : TOC_LEADER_RE).exec(text);
  if (m === null) {
    return null;
  }
  const page = /([0-9０-９]{1,3})$/.exec(text)?.[1];
  return page === undefined ? null : Number(toAsciiDigits(page));
}

/**
 * A table of contents (目录 followed by entries with page numbers, or a run of entries with dot leaders) would
 * repeat every chapter as an empty clause: its lines are marked as consumed.
 */
function detectTableOfContents(blocks: readonly Block[], consumed: Set<number>, warnings: string[]): void {
  let skipped = 0;
  for (let i = 0; i < blocks.length; i++) {
    if (consumed.has(i)) {
      continue;
    }
    const titled = TOC_TITLE_RE.test(blocks[i]?.text ?? '');
    const start = titled ? i + 1 : i;
    let end = start;
    let lastPage = 0;
    while (end < blocks.length && !consumed.has(end)) {
      const page = tocPage(blocks[end]?.text ?? '', titled);
      if (page === null || page < lastPage) {
        break;
      }
      lastPage = page;
      end += 1;
    }
    if (end - start >= MIN_TOC_ENTRIES || (titled && end - start >= 1)) {
      for (let k = i; k < end; k++) {
        consumed.add(k);
      }
      skipped += end - i;
      i = end - 1;
    }
  }
  if (skipped > 0) {
    warnings.push(`A table of contents (${skipped} lines) was left out of the clauses.`);
  }
}

interface Builder {
  kind: ClauseKind;
  number: string | null;
  ordinal: number | null;
  heading: string | null;
  lines: string[];
  children: Builder[];
  level?: number;
}

interface Entry {
  node: Builder;
  /** Rank of a numbered clause; a box holds the rank of the markers that close it; null for headings. */
  rank: number | null;
  origin: 'heading' | 'paragraph';
  level: number | null;
  isBox: boolean;
  /** A free paragraph (preamble, text between documents): never a parent. */
  isParagraph: boolean;
}

const RANK_ARTICLE = NUMBERED_KIND_RANK.article ?? 3;
const RANK_DEEPEST = NUMBERED_KIND_RANK.circled ?? 8;
const RANK_LIST_ITEM = NUMBERED_KIND_RANK['cn-paren'] ?? 5;

function rankOf(kind: ClauseKind): number | null {
  return NUMBERED_KIND_RANK[kind] ?? null;
}

function newBuilder(kind: ClauseKind, number: string | null, ordinal: number | null): Builder {
  return { kind, number, ordinal, heading: null, lines: [], children: [] };
}

class TreeBuilder {
  readonly roots: Builder[] = [];
  private stack: Entry[] = [];
  /** A numbered clause with nothing after its marker: the next short line may be its heading. */
  private awaitingHeading: Builder | null = null;

  private top(): Entry | undefined {
    return this.stack.at(-1);
  }

  private closeFrom(predicate: (entry: Entry) => boolean): void {
    const j = this.stack.findIndex(predicate);
    if (j >= 0) {
      this.stack.length = j;
    }
  }

  private attach(node: Builder): void {
    const top = this.top();
    (top ? top.node.children : this.roots).push(node);
  }

  private insideArticle(): boolean {
    return this.stack.some((e) => e.node.kind === 'article');
  }

  closeAll(): void {
    this.stack = [];
    this.awaitingHeading = null;
  }

  addMarker(m: ClauseMarker, origin: 'heading' | 'paragraph', level: number | null): void {
    this.awaitingHeading = null;
    if (m.kind === 'box') {
      this.addBox(m, origin, level);
      return;
    }
    const rank = rankOf(m.kind) ?? RANK_DEEPEST;
    if (origin === 'heading') {
      const headingLevel = level ?? 1;
      this.closeFrom(
        (e) =>
          e.isParagraph ||
          e.isBox ||
          (e.rank !== null && e.rank >= rank) ||
          (e.origin === 'heading' && e.rank === null && (e.level ?? 0) >= headingLevel),
      );
    } else {
      this.closeFrom((e) => e.isParagraph || (e.rank !== null && e.rank >= rank));
    }
    const node = newBuilder(m.kind, m.number, m.ordinal);
    if (m.kind === 'part' || m.kind === 'chapter' || m.kind === 'section') {
      node.heading = m.rest === '' ? null : collapseHeading(m.rest);
    } else if (m.kind === 'article') {
      const split = splitBracketHeading(m.rest);
      if (origin === 'heading' && split.heading === null && isHeadingLike(split.text)) {
        node.heading = collapseHeading(split.text.replace(/[。.]$/, ''));
      } else {
        node.heading = split.heading;
        this.pushLine(node, split.text);
      }
    } else if (this.insideArticle()) {
      this.pushLine(node, m.rest);
    } else if (origin === 'heading') {
      node.heading = m.rest === '' ? null : collapseHeading(m.rest);
    } else if (this.continuesList(m.kind)) {
      this.pushLine(node, m.rest);
    } else {
      const split = splitEnumerationHeading(m.rest);
      node.heading = split.heading;
      this.pushLine(node, split.text);
    }
    this.attach(node);
    this.stack.push({ node, rank, origin, level, isBox: false, isParagraph: false });
    if (m.rest === '' && m.kind !== 'article' && origin === 'paragraph') {
      this.awaitingHeading = node;
    }
  }

  /** The previous item of the same kind is a list entry ending in ；or ，: this item is one too, not a heading. */
  private continuesList(kind: ClauseKind): boolean {
    const top = this.top();
    const siblings = top ? top.node.children : this.roots;
    const previous = siblings.at(-1);
    const lastLine = previous?.lines.at(-1) ?? '';
    return previous?.kind === kind && previous.heading === null && /[；;，,]$/.test(lastLine);
  }

  private addBox(m: ClauseMarker, origin: 'heading' | 'paragraph', level: number | null): void {
    // A 专栏 illustrates a section (一、, 第X节, a heading-only item), not the body item that happens to
    // precede it: list items with text of their own are closed first.
    this.closeFrom(
      (e) =>
        e.isParagraph || e.isBox || (e.rank !== null && e.rank >= RANK_LIST_ITEM && e.node.lines.length > 0),
    );
    const parent = this.top();
    const siblings = parent ? parent.node.children : this.roots;
    const siblingRanks = siblings.map((s) => rankOf(s.kind)).filter((r): r is number => r !== null);
    // The box holds what follows it until a marker at its parent's child level (or above) appears.
    const closeRank = siblingRanks.length > 0 ? Math.min(...siblingRanks) : (parent?.rank ?? RANK_DEEPEST);
    const node = newBuilder('box', m.number, m.ordinal);
    node.heading = m.rest === '' ? null : collapseHeading(m.rest);
    this.attach(node);
    this.stack.push({ node, rank: closeRank, origin, level, isBox: true, isParagraph: false });
    if (m.rest === '' && origin === 'paragraph') {
      this.awaitingHeading = node;
    }
  }

  addHeading(text: string, level: number): void {
    this.awaitingHeading = null;
    this.closeFrom(
      (e) =>
        e.isParagraph ||
        e.isBox ||
        (e.origin === 'heading' && (e.level ?? 0) >= level) ||
        (e.origin === 'paragraph' && e.rank !== null && e.rank >= RANK_ARTICLE),
    );
    const node = newBuilder('heading', null, null);
    node.heading = collapseHeading(text);
    node.level = level;
    this.attach(node);
    this.stack.push({ node, rank: null, origin: 'heading', level, isBox: false, isParagraph: false });
  }

  /** An attachment (附件) starts a new top-level part of the document. */
  addAttachment(text: string): void {
    this.closeAll();
    this.addHeading(compact(text), 1);
  }

  /** A closing signature (organisation, date, 此件公开发布): its own top-level paragraph. */
  addSignature(lines: readonly string[]): void {
    this.closeAll();
    const node = newBuilder('paragraph', null, null);
    node.lines.push(...lines);
    this.roots.push(node);
  }

  addParagraph(text: string): void {
    const awaiting = this.awaitingHeading;
    this.awaitingHeading = null;
    if (awaiting && awaiting.heading === null && awaiting.lines.length === 0 && isHeadingLike(text)) {
      awaiting.heading = collapseHeading(text.replace(/[。.]$/, ''));
      return;
    }
    const top = this.top();
    if (!top) {
      const node = newBuilder('paragraph', null, null);
      node.lines.push(text);
      this.roots.push(node);
      this.stack.push({
        node,
        rank: null,
        origin: 'paragraph',
        level: null,
        isBox: false,
        isParagraph: true,
      });
      return;
    }
    // Laws put 款 after 项: inside an article, text after enumeration items belongs to the article.
    const articleIndex = this.stack.findIndex((e) => e.node.kind === 'article');
    if (
      articleIndex >= 0 &&
      articleIndex < this.stack.length - 1 &&
      this.stack.slice(articleIndex + 1).every((e) => e.origin === 'paragraph' && !e.isBox)
    ) {
      this.stack.length = articleIndex + 1;
    }
    this.pushLine(this.top()?.node ?? top.node, text);
  }

  private pushLine(node: Builder, text: string): void {
    if (text !== '') {
      node.lines.push(text);
    }
  }
}

function toParsed(nodes: readonly Builder[]): ParsedClause[] {
  return nodes.map((b) => {
    const clause: ParsedClause = {
      kind: b.kind,
      number: b.number,
      ordinal: b.ordinal,
      heading: b.heading,
      text: b.lines.join('\n'),
      children: toParsed(b.children),
    };
    if (b.level !== undefined) {
      clause.level = b.level;
    }
    return clause;
  });
}

/** Kinds numbered continuously through the whole document (a restart at 1 begins a new document). */
const GLOBAL_SEQUENCE_KINDS: ReadonlySet<ClauseKind> = new Set(['part', 'chapter', 'article']);

function checkNumbering(clauses: readonly ParsedClause[], warnings: string[]): void {
  const found: string[] = [];
  const lastGlobal = new Map<ClauseKind, ParsedClause>();
  const check = (
    prev: ParsedClause | undefined,
    cur: ParsedClause,
    where: string,
    restartable: boolean,
  ): void => {
    if (cur.ordinal === null || cur.number === null || cur.number.includes('之')) {
      return;
    }
    if (prev === undefined || prev.ordinal === null) {
      return;
    }
    if (cur.ordinal !== prev.ordinal + 1 && !(restartable && cur.ordinal === 1)) {
      found.push(`Numbering jumps from ${prev.number ?? '?'} to ${cur.number}${where}.`);
    }
  };
  const visit = (items: readonly ParsedClause[], parent: ParsedClause | null): void => {
    const lastLocal = new Map<ClauseKind, ParsedClause>();
    const where = parent === null ? '' : ` (in ${parent.number ?? parent.heading ?? 'an unnumbered clause'})`;
    for (const item of items) {
      if (item.ordinal !== null && item.kind !== 'paragraph' && item.kind !== 'heading') {
        if (GLOBAL_SEQUENCE_KINDS.has(item.kind)) {
          check(lastGlobal.get(item.kind), item, '', true);
          lastGlobal.set(item.kind, item);
        } else {
          check(lastLocal.get(item.kind), item, where, false);
          lastLocal.set(item.kind, item);
        }
      }
      visit(item.children, item);
    }
  };
  visit(clauses, null);
  warnings.push(...found.slice(0, MAX_WARNINGS));
  if (found.length > MAX_WARNINGS) {
    warnings.push(`… and ${found.length - MAX_WARNINGS} more numbering irregularities.`);
  }
}

export const NO_STRUCTURE_WARNING = 'No clause numbering was recognised; each paragraph became one clause.';

/**
 * Builds the clause tree of a document.
 *
 * Numbered clauses nest by rank (篇 < 章 < 节 < 条 < 一、 < （一） < 1. < （1） < ①); unnumbered headings nest
 * by level and hold the numbered content that follows them; unmarked paragraphs are the text of the innermost
 * open clause (inside an article, of the article once its items have begun).
 */
export function parseClauses(input: readonly Block[]): ParsedDocument {
  const blocks: Block[] = input
    .map((b): Block => ({ ...b, text: normalizeBlockText(b.text) }))
    .filter((b) => b.text !== '');
  const warnings: string[] = [];
  const { title, consumed } = detectTitle(blocks);
  detectTableOfContents(blocks, consumed, warnings);
  const signatures = detectSignatures(blocks, consumed);
  const unspaced = detectUnspacedArticles(blocks, consumed, warnings);
  const inSignature = new Set<number>();
  for (const [start, end] of signatures) {
    for (let i = start; i < end; i++) {
      inSignature.add(i);
    }
  }
  const markers = blocks.map((b, i) =>
    consumed.has(i) || inSignature.has(i)
      ? null
      : detectMarker(b.text, { allowUnspacedArticle: unspaced.has(i) }),
  );
  const hasStructure = blocks.some(
    (b, i) => !consumed.has(i) && !inSignature.has(i) && (b.type === 'heading' || markers[i] !== null),
  );

  if (!hasStructure) {
    const clauses = blocks
      .filter((_, i) => !consumed.has(i))
      .map((b): ParsedClause => ({
        kind: 'paragraph',
        number: null,
        ordinal: null,
        heading: null,
        text: b.text,
        children: [],
      }));
    if (clauses.length > 0) {
      warnings.push(NO_STRUCTURE_WARNING);
    }
    return { title, clauses, warnings };
  }

  const tree = new TreeBuilder();
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    if (block === undefined || consumed.has(i)) {
      continue;
    }
    const signatureEnd = signatures.get(i);
    if (signatureEnd !== undefined) {
      tree.addSignature(blocks.slice(i, signatureEnd).map((b) => b.text));
      i = signatureEnd - 1;
      continue;
    }
    const m = markers[i] ?? null;
    if (block.type === 'heading') {
      if (m) {
        tree.addMarker(m, 'heading', block.level);
      } else {
        tree.addHeading(block.text, block.level);
      }
    } else if (m) {
      tree.addMarker(m, 'paragraph', null);
    } else if (ATTACHMENT_RE.test(block.text)) {
      tree.addAttachment(block.text);
    } else {
      tree.addParagraph(block.text);
    }
  }
  const clauses = toParsed(tree.roots);
  checkNumbering(clauses, warnings);
  return { title, clauses, warnings };
}
