/**
 * Routing of clauses to the units they concern: each unit's responsibility list (职责清单: keywords and
 * area names) is looked for in the clause text, and the matches are weighted by how specific a keyword
 * is. The result suggests whom to invite to a round and which targeted questions to put to them.
 *
 * Both sides are compared in one form (NFKC, traditional → simplified, lower case), so "充電樁" in a
 * responsibility list finds "充电桩" in the clause and "ＥＶ" finds "EV".
 */
import type { Figure } from './figures.ts';
import { extractFigures } from './figures.ts';
import { normalize } from './normalize.ts';
import { tokenize } from './tokenize.ts';

export interface UnitProfile {
  id: string;
  name: string;
  keywords: readonly string[];
  areas?: readonly string[];
}

export interface RoutingSuggestion {
  unitId: string;
  score: number;
  /** The unit's keywords and area names found in the clause, as the unit wrote them, strongest first. */
  matched: string[];
}

export interface RoutingOptions {
  /** At most this many units per clause (default: every unit that matches). */
  limit?: number;
}

/** Weight of a keyword found only through its words (all present, not side by side). */
const WORDS_ONLY_QUALITY = 0.6;
/** Extra weight per natural-log unit of repeated occurrences. */
const REPEAT_BONUS = 0.25;

const HAN = /\p{Script=Han}/u;
/** Administrative suffixes an area name is often written without (杭州市 → 杭州). */
const AREA_SUFFIX = /(?:特别行政区|自治区|自治州|自治县|新区|省|市|区|县|镇|乡|街道)$/u;

interface Term {
  /** The keyword or area as the unit wrote it. */
  original: string;
  /** Normalised form that is looked for in the clause. */
  key: string;
  han: boolean;
  /** Its words, stemmed, in order: what must stand side by side in the clause. */
  sequence: string[];
  /** The same without stop words: what must all occur somewhere for a match by words. */
  words: string[];
}

interface PreparedUnit {
  id: string;
  order: number;
  terms: Term[];
}

interface PreparedUnits {
  units: PreparedUnit[];
  /** Specificity of each normalised key: 1 for a key only one unit lists, less the more units share it. */
  weight: Map<string, number>;
}

interface PreparedClause {
  key: string;
  /** Token boundaries (offsets into `key`). */
  boundaries: Set<number>;
  /** Stemmed words in order, and the set of them. */
  words: string[];
  wordSet: Set<string>;
}

function normalizeKey(text: string): string {
  return normalize(text).toLowerCase();
}

/** A light English stem so that "roads" finds "road" and "facilities" finds "facility". */
function stem(word: string): string {
  let w = word.replace(/'s$/u, '');
  if (!/^[a-z]+$/u.test(w)) {
    return w;
  }
  if (w.length > 4 && w.endsWith('ies')) {
    w = `${w.slice(0, -3)}y`;
  } else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) {
    w = w.slice(0, -1);
  }
  return w;
}

function wordsOf(text: string, dropStopWords: boolean): string[] {
  return tokenize(text)
    .tokens.filter((t) => !(dropStopWords && t.stop))
    .map((t) => stem(t.text));
}

function termOf(original: string, key: string): Term {
  return { original, key, han: HAN.test(key), sequence: wordsOf(key, false), words: wordsOf(key, true) };
}

function prepareUnits(units: readonly UnitProfile[]): PreparedUnits {
  const prepared: PreparedUnit[] = [];
  const unitsPerKey = new Map<string, number>();
  units.forEach((unit, order) => {
    const terms = new Map<string, Term>();
    const add = (original: string, key: string): void => {
      if (key !== '' && !terms.has(key)) {
        terms.set(key, termOf(original, key));
      }
    };
    for (const keyword of unit.keywords) {
      add(keyword, normalizeKey(keyword));
    }
    for (const area of unit.areas ?? []) {
      const key = normalizeKey(area);
      add(area, key);
      // "杭州市" is also written "杭州"; a one-character remainder would match far too much.
      const short = key.replace(AREA_SUFFIX, '');
      if ([...short].length >= 2) {
        add(area, short);
      }
    }
    for (const key of terms.keys()) {
      unitsPerKey.set(key, (unitsPerKey.get(key) ?? 0) + 1);
    }
    prepared.push({ id: unit.id, order, terms: [...terms.values()] });
  });
  const n = Math.max(1, units.length);
  const weight = new Map<string, number>();
  for (const [key, df] of unitsPerKey) {
    // An idf scaled to 1 for a key that one unit alone lists.
    weight.set(key, n === 1 ? 1 : Math.log(1 + n / df) / Math.log(1 + n));
  }
  return { units: prepared, weight };
}

function prepareClause(text: string): PreparedClause {
  const key = normalizeKey(text);
  const { tokens } = tokenize(key);
  const boundaries = new Set<number>();
  for (const token of tokens) {
    boundaries.add(token.start);
    boundaries.add(token.end);
  }
  const words = tokens.map((t) => stem(t.text));
  return { key, boundaries, words, wordSet: new Set(words) };
}

interface TermMatch {
  term: Term;
  quality: number;
  count: number;
  /** Where a Chinese keyword occurs, to drop a shorter keyword found only inside a longer one. */
  spans: [number, number][];
}

/**
 * Occurrences of a Chinese keyword that do not cut across words of the clause: at least one end must
 * fall on a token boundary (a one-character keyword must be a token of its own), so "交通" is found in
 * "交通运输" but not in "公交通勤".
 */
function hanSpans(term: Term, clause: PreparedClause): [number, number][] {
  const spans: [number, number][] = [];
  const single = [...term.key].length === 1;
  for (let at = clause.key.indexOf(term.key); at !== -1; at = clause.key.indexOf(term.key, at + 1)) {
    const end = at + term.key.length;
    const startOk = clause.boundaries.has(at);
    const endOk = clause.boundaries.has(end);
    if (single ? startOk && endOk : startOk || endOk) {
      spans.push([at, end]);
    }
  }
  return spans;
}

/** Occurrences of a keyword's words side by side in the clause (whole words, not parts of words). */
function countWordSequence(all: readonly string[], clause: PreparedClause): number {
  if (all.length === 0) {
    return 0;
  }
  let count = 0;
  for (let i = 0; i + all.length <= clause.words.length; i++) {
    let k = 0;
    while (k < all.length && clause.words[i + k] === all[k]) {
      k++;
    }
    if (k === all.length) {
      count++;
    }
  }
  return count;
}

function matchTerm(term: Term, clause: PreparedClause): TermMatch | null {
  if (term.han) {
    const spans = hanSpans(term, clause);
    if (spans.length > 0) {
      return { term, quality: 1, count: spans.length, spans };
    }
  } else {
    const count = countWordSequence(term.sequence, clause);
    if (count > 0) {
      return { term, quality: 1, count, spans: [] };
    }
  }
  // Found through segmentation: all the keyword's words are in the clause, though not side by side
  // ("交通运输" in "交通和运输", "public transport" in "transport for the public").
  if (term.words.length >= 2 && term.words.every((w) => clause.wordSet.has(w))) {
    return { term, quality: WORDS_ONLY_QUALITY, count: 1, spans: [] };
  }
  return null;
}

function insideLonger(match: TermMatch, matches: readonly TermMatch[]): boolean {
  if (match.spans.length === 0) {
    return false;
  }
  return matches.some(
    (other) =>
      other !== match &&
      other.term.key.length > match.term.key.length &&
      match.spans.every(([s, e]) => other.spans.some(([os, oe]) => os <= s && e <= oe)),
  );
}

function routePrepared(clause: PreparedClause, prepared: PreparedUnits, limit: number): RoutingSuggestion[] {
  if (clause.key === '') {
    return [];
  }
  const ranked: { suggestion: RoutingSuggestion; order: number }[] = [];
  for (const unit of prepared.units) {
    const matches: TermMatch[] = [];
    for (const term of unit.terms) {
      const match = matchTerm(term, clause);
      if (match !== null) {
        matches.push(match);
      }
    }
    if (matches.length === 0) {
      continue;
    }
    const scored: { original: string; value: number }[] = [];
    for (const match of matches) {
      // "充电基础设施" already says what "基础设施" would add for the same unit.
      if (insideLonger(match, matches)) {
        continue;
      }
      const weight = prepared.weight.get(match.term.key) ?? 1;
      const value = weight * match.quality * (1 + REPEAT_BONUS * Math.log(match.count));
      scored.push({ original: match.term.original, value });
    }
    scored.sort((a, b) => b.value - a.value);
    const matched: string[] = [];
    let score = 0;
    for (const { original, value } of scored) {
      score += value;
      if (!matched.includes(original)) {
        matched.push(original);
      }
    }
    ranked.push({ suggestion: { unitId: unit.id, score: round(score), matched }, order: unit.order });
  }
  ranked.sort(
    (a, b) =>
      b.suggestion.score - a.suggestion.score ||
      b.suggestion.matched.length - a.suggestion.matched.length ||
      a.order - b.order,
  );
  return ranked.slice(0, limit).map((r) => r.suggestion);
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function resolveLimit(limit: number | undefined): number {
  return limit === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(limit));
}

/**
 * Which units a clause concerns: a unit's responsibility keywords (and area names) found in the clause
 * text (exact and via segmentation, with traditional/simplified and full/half width normalised),
 * weighted by keyword specificity (a keyword many units share counts less). A score of about 1 is one
 * keyword no other unit lists. Sorted by score; units with no match are left out.
 */
export function routeClause(
  clauseText: string,
  units: readonly UnitProfile[],
  options: RoutingOptions = {},
): RoutingSuggestion[] {
  return routePrepared(prepareClause(clauseText), prepareUnits(units), resolveLimit(options.limit));
}

/** `routeClause` for many clauses at once (the units are prepared once); keyed by clause id. */
export function routeClauses(
  clauses: readonly { id: string; text: string }[],
  units: readonly UnitProfile[],
  options: RoutingOptions = {},
): Map<string, RoutingSuggestion[]> {
  const prepared = prepareUnits(units);
  const limit = resolveLimit(options.limit);
  const out = new Map<string, RoutingSuggestion[]>();
  for (const clause of clauses) {
    out.set(clause.id, routePrepared(prepareClause(clause.text), prepared, limit));
  }
  return out;
}

/** Questions name at most this many keywords and figures. */
const MAX_QUESTION_KEYWORDS = 3;
const MAX_QUESTION_FIGURES = 3;

/** A figure quoted with the words before it in its clause part reads on its own; longer ones do not. */
const MAX_FIGURE_PHRASE = 60;
/** Where a part of a sentence ends: Chinese and English punctuation (a point only before a space). */
const PART_END = /[，。；;！？!?：:\n]|[.,](?=\s)/gu;

/** "到2027年公共充电桩达到5万个" for the figure "达到5万个": the figure with what it is about. */
function figurePhrase(text: string, figure: Figure): string {
  // Only the stretch a quotable phrase could start in is searched, however long the clause.
  const windowStart = Math.max(0, figure.start - 2 * MAX_FIGURE_PHRASE);
  let from = windowStart;
  for (const match of text.slice(windowStart, figure.start).matchAll(PART_END)) {
    from = windowStart + match.index + match[0].length;
  }
  const phrase = text.slice(from, figure.end).trim();
  if (phrase !== '' && [...phrase].length <= MAX_FIGURE_PHRASE) {
    return phrase;
  }
  const year =
    figure.year !== null && HAN.test(figure.text) && !figure.text.includes(String(figure.year))
      ? `${figure.year}年`
      : '';
  return `${year}${figure.text.trim()}`;
}

/** "第十二条" as written, "12" → "第12条", "（三）" → "第（三）项"; "本条" when the clause has no number. */
function clauseReference(number: string | null | undefined): string {
  const n = number?.trim() ?? '';
  if (n === '') {
    return '本条';
  }
  if (/^第.+[编篇章节条款项]$/u.test(n)) {
    return n;
  }
  const bare = n.replace(/[、.．:：\s]+$/u, '');
  if (/^[\d一二三四五六七八九十百千零〇两]+(?:\.\d+)*$/u.test(bare)) {
    return `第${bare}条`;
  }
  if (/^[（(][^）)]+[）)]$|^[\u2460-\u2473]$/u.test(bare)) {
    return `第${bare}项`;
  }
  return bare;
}

/**
 * Targeted questions (zh-CN) to ask the unit about the clause, from the matched keywords and any figures
 * in the clause: "第X条涉及“充电基础设施”，请结合贵单位职责提出具体意见。", "本条提出“2027年达到100亿元”，
 * 请评估该目标的可行性。"
 */
export function suggestQuestions(
  clause: { number?: string | null; text: string },
  suggestion: RoutingSuggestion,
): string[] {
  const questions: string[] = [];
  const keywords = suggestion.matched.filter((k) => k.trim() !== '').slice(0, MAX_QUESTION_KEYWORDS);
  if (keywords.length > 0) {
    const quoted = keywords.map((k) => `“${k.trim()}”`).join('、');
    questions.push(`${clauseReference(clause.number)}涉及${quoted}，请结合贵单位职责提出具体意见。`);
  }
  const phrases: string[] = [];
  for (const figure of extractFigures(clause.text)) {
    const phrase = figurePhrase(clause.text, figure);
    const last = phrases.at(-1);
    if (phrase === '' || phrases.includes(phrase)) {
      continue;
    }
    if (last !== undefined && phrase.startsWith(last)) {
      // "由15%提高到20%" says all that "由15%" said.
      phrases[phrases.length - 1] = phrase;
    } else if (phrases.length < MAX_QUESTION_FIGURES) {
      phrases.push(phrase);
    }
  }
  for (const phrase of phrases) {
    questions.push(`本条提出“${phrase}”，请评估该目标的可行性。`);
  }
  return questions;
}
