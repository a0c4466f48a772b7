/**
 * Extractive summary of a clause's opinions: the sentences that say what most opinions say, each quoted
 * verbatim from its opinion and linked to it, so a reader can always check the source.
 *
 * Sentences are compared as TF-IDF vectors of Chinese character bigrams and other words (no segmenter is
 * needed, so this stays cheap and runs anywhere). A sentence's score is its cosine with the centroid of
 * all sentences (each opinion weighing the same however long it is), mildly raised by its likeness to the
 * clause; sentences are then chosen by maximal marginal relevance so that the summary does not repeat
 * itself. Identical and near-identical sentences (form letters) are read once: the first is quoted and
 * the other opinions saying it are listed in `supporting`.
 */
import { isStopWord } from './stopwords.ts';

export interface SummarySource {
  id: string;
  text: string;
}

export interface SummarySentence {
  /** Verbatim: `source.text.slice(start, end)`. */
  text: string;
  opinionId: string;
  start: number;
  end: number;
  score: number;
  /** Ids of other opinions saying nearly the same, in input order. */
  supporting: string[];
}

export interface SummaryOptions {
  /** At most this many sentences (default 5). */
  maxSentences?: number;
  /** At most this many characters in all (default 600); a sentence longer than this is never quoted. */
  maxChars?: number;
  /** The clause the opinions are about: sentences close to it rank a little higher, copies of it not at all. */
  clauseText?: string;
}

export interface SentenceSpan {
  text: string;
  start: number;
  end: number;
}

const DEFAULT_MAX_SENTENCES = 5;
const DEFAULT_MAX_CHARS = 600;
/** Weight of relevance against redundancy when choosing the next sentence. */
const MMR_LAMBDA = 0.7;
/** Sentences at least this similar are one sentence (a form letter with small edits). */
const NEAR_IDENTICAL = 0.8;
/** A sentence this similar to the clause merely repeats it. */
const QUOTES_CLAUSE = 0.9;
/** Sentences with fewer letters or digits than this say too little to quote. */
const MIN_SENTENCE_CHARS = 6;
const CLAUSE_WEIGHT = 0.25;

// ---------------------------------------------------------------------------------------------------
// Sentences.

/** Sentence ends: Chinese and Western terminators, ellipses, line breaks; '.' is checked separately. */
const BOUNDARY = /[。！？!?；;…]+|\.+|\n+/gu;
/** Closing quotes and brackets that belong to the sentence before them. */
const CLOSERS = /[”’"'）)\]】」』》〉]+/uy;
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'st',
  'jr',
  'sr',
  'inc',
  'co',
  'corp',
  'ltd',
  'vs',
  'etc',
  'e.g',
  'i.e',
  'eg',
  'ie',
  'no',
  'nos',
  'art',
  'sec',
  'fig',
  'al',
  'cf',
  'approx',
  'u.s',
  'u.k',
  'p',
  'pp',
]);
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const WORD_BEFORE = /([\p{L}.]+)$/u;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** True when a full stop at `at` ends a sentence (not a decimal point, an abbreviation or an initial). */
function endsSentence(text: string, at: number, length: number): boolean {
  const after = at + length;
  if (after < text.length && !/[\s”’"'）)\]】」』》]/u.test(text[after]!)) {
    return false; // 1.5, e.g.x, www.example.org
  }
  if (length > 1) {
    return true; // an ellipsis
  }
  if (at > 0 && isDigit(text.charCodeAt(at - 1)) && after < text.length && isDigit(text.charCodeAt(after))) {
    return false;
  }
  const word = WORD_BEFORE.exec(text.slice(Math.max(0, at - 12), at))?.[1]?.toLowerCase();
  if (word === undefined) {
    return true;
  }
  if (ABBREVIATIONS.has(word)) {
    return false;
  }
  // A single capital initial ("J. Smith", "U.S."), unless the next word starts a new sentence anyway.
  return !(word.length === 1 && /\p{Lu}/u.test(text[at - 1]!));
}

/**
 * Splits a text into sentences with their UTF-16 offsets (Intl.Segmenter's sentence mode would split
 * after "Mr." and "U.S." and not at "；", hence rules of our own): `text.slice(start, end) === sentence.text`.
 * Chinese and Western terminators end a sentence (closing quotes stay with it), as do line breaks;
 * surrounding white space is left out, and pieces without a letter or digit are dropped.
 */
export function splitSentences(text: string): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  let from = 0;
  const push = (start: number, end: number): void => {
    let s = start;
    let e = end;
    while (s < e && /\s/u.test(text[s]!)) {
      s++;
    }
    while (e > s && /\s/u.test(text[e - 1]!)) {
      e--;
    }
    if (e > s) {
      const piece = text.slice(s, e);
      if (LETTER_OR_DIGIT.test(piece)) {
        out.push({ text: piece, start: s, end: e });
      }
    }
  };
  BOUNDARY.lastIndex = 0;
  for (let match = BOUNDARY.exec(text); match !== null; match = BOUNDARY.exec(text)) {
    const mark = match[0];
    if (mark[0] === '.' && !endsSentence(text, match.index, mark.length)) {
      continue;
    }
    let end = match.index + mark.length;
    if (mark[0] !== '\n') {
      CLOSERS.lastIndex = end;
      if (CLOSERS.exec(text) !== null) {
        end = CLOSERS.lastIndex;
      }
    }
    push(from, end);
    from = end;
    BOUNDARY.lastIndex = end;
  }
  push(from, text.length);
  return out;
}

/** A sentence longer than this is quoted by its clauses (at commas), so a summary is not one long sentence. */
const LONG_SENTENCE = 160;
const CLAUSE_BREAK = /[，,：:]/gu;

/** The sentences of a text, long ones cut at commas into pieces of at most LONG_SENTENCE where possible. */
function quotableSpans(text: string): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  for (const sentence of splitSentences(text)) {
    if (sentence.text.length <= LONG_SENTENCE) {
      out.push(sentence);
      continue;
    }
    let from = 0;
    let lastBreak = -1;
    const cut = (to: number): void => {
      const raw = sentence.text.slice(from, to);
      const lead = raw.length - raw.trimStart().length;
      const piece = raw.trim();
      if (piece !== '' && LETTER_OR_DIGIT.test(piece)) {
        const start = sentence.start + from + lead;
        out.push({ text: piece, start, end: start + piece.length });
      }
      from = to;
    };
    CLAUSE_BREAK.lastIndex = 0;
    for (let m = CLAUSE_BREAK.exec(sentence.text); m !== null; m = CLAUSE_BREAK.exec(sentence.text)) {
      const end = m.index + 1;
      if (end - from > LONG_SENTENCE && lastBreak > from) {
        cut(lastBreak);
      }
      lastBreak = end;
    }
    if (sentence.text.length - from > LONG_SENTENCE && lastBreak > from) {
      cut(lastBreak);
    }
    cut(sentence.text.length);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Vectors.

/** A sparse unit vector: feature ids in ascending order with their weights. */
interface SparseVector {
  ids: Int32Array;
  weights: Float64Array;
}

const FEATURE = /[\p{Script=Han}]+|[\p{L}\p{N}]+/gu;
const HAN = /^\p{Script=Han}/u;

/** Character bigrams of Chinese runs (a lone character as itself) and non-stop words of other scripts. */
function features(text: string, into: Map<string, number>): void {
  const normalized = text.normalize('NFKC').toLowerCase();
  FEATURE.lastIndex = 0;
  for (let m = FEATURE.exec(normalized); m !== null; m = FEATURE.exec(normalized)) {
    const run = m[0];
    if (HAN.test(run)) {
      if (run.length === 1) {
        into.set(run, (into.get(run) ?? 0) + 1);
      }
      for (let i = 0; i + 1 < run.length; i++) {
        const bigram = run.slice(i, i + 2);
        into.set(bigram, (into.get(bigram) ?? 0) + 1);
      }
    } else if (!isStopWord(run)) {
      into.set(run, (into.get(run) ?? 0) + 1);
    }
  }
}

function dot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i]!;
    const y = b.ids[j]!;
    if (x === y) {
      sum += a.weights[i]! * b.weights[j]!;
      i++;
      j++;
    } else if (x < y) {
      i++;
    } else {
      j++;
    }
  }
  return sum;
}

// ---------------------------------------------------------------------------------------------------

/** One distinct sentence (after folding white space, punctuation and case) and every opinion saying it. */
interface SentenceGroup {
  /** First occurrence, in input order. */
  text: string;
  opinionId: string;
  start: number;
  end: number;
  order: number;
  terms: Map<string, number>;
  /** TF-IDF: what the sentence says that others do not, for centrality and redundancy. */
  vector: SparseVector;
  /** TF only: how the sentence reads, for folding near-identical sentences (a changed number is rare, not different). */
  shape: SparseVector;
  /** Per-occurrence weights (1/√sentences of the opinion), summed. */
  weight: number;
  opinions: string[];
  score: number;
}

const FOLD = /[\s\p{P}\p{S}]+/gu;
const EMPTY: SparseVector = { ids: new Int32Array(0), weights: new Float64Array(0) };

/**
 * Extractive summary of one clause's opinions: only sentences quoted verbatim from the sources, each
 * linked to its opinion; central and diverse, near-identical sentences folded into `supporting`.
 * Deterministic: ties go to the earlier opinion and sentence.
 */
export function summarizeClause(
  sources: readonly SummarySource[],
  options: SummaryOptions = {},
): SummarySentence[] {
  const maxSentences = options.maxSentences ?? DEFAULT_MAX_SENTENCES;
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  if (maxSentences <= 0 || maxChars <= 0) {
    return [];
  }
  // 1. Distinct sentences, with the opinions saying each.
  const groups = new Map<string, SentenceGroup>();
  const documentFrequency = new Map<string, number>();
  let order = 0;
  for (const source of sources) {
    const sentences = quotableSpans(source.text);
    const share = sentences.length === 0 ? 0 : 1 / Math.sqrt(sentences.length);
    const seenInOpinion = new Set<string>();
    for (const sentence of sentences) {
      const key = sentence.text.normalize('NFKC').toLowerCase().replace(FOLD, '');
      if (key.length < MIN_SENTENCE_CHARS) {
        continue;
      }
      let group = groups.get(key);
      if (group === undefined) {
        const terms = new Map<string, number>();
        features(sentence.text, terms);
        if (terms.size === 0) {
          continue;
        }
        group = {
          text: sentence.text,
          opinionId: source.id,
          start: sentence.start,
          end: sentence.end,
          order: order++,
          terms,
          vector: EMPTY,
          shape: EMPTY,
          weight: 0,
          opinions: [],
          score: 0,
        };
        groups.set(key, group);
      }
      group.weight += share;
      if (!group.opinions.includes(source.id)) {
        group.opinions.push(source.id);
      }
      for (const term of group.terms.keys()) {
        if (!seenInOpinion.has(term)) {
          seenInOpinion.add(term);
          documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
        }
      }
    }
  }
  if (groups.size === 0) {
    return [];
  }
  // 2. TF-IDF unit vectors over interned feature ids; the centroid of all occurrences.
  const featureIds = new Map<string, number>();
  const documents = sources.length;
  const vectorize = (
    terms: ReadonlyMap<string, number>,
    addUnknown: boolean,
    useIdf = true,
  ): SparseVector => {
    const entries: [number, number][] = [];
    let norm = 0;
    for (const [term, tf] of terms) {
      let id = featureIds.get(term);
      if (id === undefined) {
        if (!addUnknown) {
          continue;
        }
        id = featureIds.size;
        featureIds.set(term, id);
      }
      const df = documentFrequency.get(term) ?? 0;
      const weight = (1 + Math.log(tf)) * (useIdf ? Math.log((documents + 1) / (df + 1)) + 1 : 1);
      entries.push([id, weight]);
      norm += weight * weight;
    }
    entries.sort((a, b) => a[0] - b[0]);
    norm = Math.sqrt(norm) || 1;
    return {
      ids: Int32Array.from(entries, (e) => e[0]),
      weights: Float64Array.from(entries, (e) => e[1] / norm),
    };
  };
  const all = [...groups.values()];
  for (const group of all) {
    group.vector = vectorize(group.terms, true);
    group.shape = vectorize(group.terms, true, false);
  }
  const centroid = new Float64Array(featureIds.size);
  for (const group of all) {
    for (let k = 0; k < group.vector.ids.length; k++) {
      centroid[group.vector.ids[k]!]! += group.weight * group.vector.weights[k]!;
    }
  }
  let centroidNorm = 0;
  for (const value of centroid) {
    centroidNorm += value * value;
  }
  centroidNorm = Math.sqrt(centroidNorm) || 1;
  let clause: SparseVector | null = null;
  if (options.clauseText !== undefined && options.clauseText.trim() !== '') {
    const terms = new Map<string, number>();
    features(options.clauseText, terms);
    clause = vectorize(terms, false);
  }
  // 3. Scores: centrality, a little relevance to the clause; copies of the clause and overlong sentences out.
  const candidates: SentenceGroup[] = [];
  for (const group of all) {
    if (group.text.length > maxChars) {
      continue;
    }
    let centrality = 0;
    for (let k = 0; k < group.vector.ids.length; k++) {
      centrality += centroid[group.vector.ids[k]!]! * group.vector.weights[k]!;
    }
    centrality /= centroidNorm;
    let score = centrality;
    if (clause !== null) {
      const relevance = dot(group.vector, clause);
      if (relevance >= QUOTES_CLAUSE) {
        continue;
      }
      score = centrality * (1 - CLAUSE_WEIGHT) + relevance * CLAUSE_WEIGHT;
    }
    group.score = score;
    candidates.push(group);
  }
  candidates.sort((a, b) => b.score - a.score || a.order - b.order);
  const top = candidates[0]?.score ?? 0;
  // 4. Maximal marginal relevance; each chosen sentence absorbs the near-identical ones.
  const chosen: SentenceGroup[] = [];
  const supporting = new Map<SentenceGroup, string[]>();
  const folded = new Set<SentenceGroup>();
  let chars = 0;
  while (chosen.length < maxSentences) {
    let best: SentenceGroup | null = null;
    let bestValue = -Infinity;
    for (const candidate of candidates) {
      if (folded.has(candidate) || candidate.text.length + chars > maxChars) {
        continue;
      }
      let redundancy = 0;
      for (const picked of chosen) {
        redundancy = Math.max(redundancy, dot(candidate.vector, picked.vector));
      }
      const value = MMR_LAMBDA * (top > 0 ? candidate.score / top : 0) - (1 - MMR_LAMBDA) * redundancy;
      if (value > bestValue) {
        best = candidate;
        bestValue = value;
      }
    }
    if (best === null) {
      break;
    }
    folded.add(best);
    chosen.push(best);
    chars += best.text.length;
    const ids = new Set<string>(best.opinions);
    for (const other of all) {
      if (!folded.has(other) && dot(best.shape, other.shape) >= NEAR_IDENTICAL) {
        folded.add(other);
        for (const id of other.opinions) {
          ids.add(id);
        }
      }
    }
    ids.delete(best.opinionId);
    // Input order of the opinions.
    supporting.set(best, [...ids]);
  }
  const position = new Map<string, number>();
  sources.forEach((source, i) => {
    if (!position.has(source.id)) {
      position.set(source.id, i);
    }
  });
  return chosen.map((group) => ({
    text: group.text,
    opinionId: group.opinionId,
    start: group.start,
    end: group.end,
    score: Math.round(group.score * 1000) / 1000,
    supporting: (supporting.get(group) ?? []).sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0)),
  }));
}
