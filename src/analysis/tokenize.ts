/**
 * Tokenisation of Chinese, English and mixed text, done once per text and reused by every analysis.
 *
 * Text is scanned into spans: runs of Han characters go to the Chinese segmenter (@node-rs/jieba with the
 * planning-term dictionary; Intl.Segmenter when the native module cannot load), other letters and digits
 * form words and numbers, emoji sequences form one token each, and whitespace and punctuation separate.
 * Token texts are normalised (NFKC, lower case); offsets point into the original text.
 */
import { createRequire } from 'node:module';
import { PLANNING_TERMS } from './planning-terms.ts';
import { isStopWord } from './stopwords.ts';

export type TokenKind = 'han' | 'word' | 'number' | 'emoji';

export interface Token {
  /** Normalised text (NFKC, lower case). */
  text: string;
  /** UTF-16 offsets of the token in the original text: `text.slice(start, end)`. */
  start: number;
  end: number;
  kind: TokenKind;
  /** A Chinese or English function word. */
  stop: boolean;
}

export interface TokenizedText {
  /** The original text. */
  text: string;
  tokens: Token[];
  /** Every token's normalised text, in order. */
  words: string[];
  /** The words that are not stop words (nor bare numbers): what topics and key phrases use. */
  terms: string[];
}

export type ChineseSegmenterName = 'jieba' | 'intl';

interface JiebaInstance {
  cut(sentence: string, hmm?: boolean | null): string[];
  loadDict(dict: Uint8Array): void;
}

interface JiebaModule {
  Jieba: { withDict(dict: Uint8Array): JiebaInstance };
}

interface ChineseSegmenter {
  name: ChineseSegmenterName;
  /** Segments Han-only runs; returns one list of words per run. */
  segmentRuns(runs: readonly string[]): string[][];
  addTerms(terms: readonly string[]): void;
}

/** Frequency given to user terms: high enough that the term beats its parts in jieba's DAG. */
const USER_TERM_FREQUENCY = 50_000;
/** Separator between Han runs when they are segmented in one call; never part of a Han run. */
const RUN_SEPARATOR = '\n';

let segmenter: ChineseSegmenter | undefined;
const userTerms = new Set<string>(PLANNING_TERMS);

function userDictionary(terms: Iterable<string>): Uint8Array {
  const lines: string[] = [];
  for (const term of terms) {
    if (term.trim() !== '' && !/\s/u.test(term)) {
      lines.push(`${term} ${USER_TERM_FREQUENCY} n`);
    }
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

function createJiebaSegmenter(): ChineseSegmenter {
  const require = createRequire(import.meta.url);
  const { Jieba } = require('@node-rs/jieba') as JiebaModule;
  const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
  const jieba = Jieba.withDict(dict);
  jieba.loadDict(userDictionary(userTerms));
  return {
    name: 'jieba',
    segmentRuns(runs) {
      const out: string[][] = [];
      let current: string[] = [];
      for (const piece of jieba.cut(runs.join(RUN_SEPARATOR), true)) {
        if (piece === RUN_SEPARATOR) {
          out.push(current);
          current = [];
        } else {
          current.push(piece);
        }
      }
      out.push(current);
      return out;
    },
    addTerms(terms) {
      jieba.loadDict(userDictionary(terms));
    },
  };
}

/** Longest term of the user dictionary, in segments, that the fallback merges back together. */
const MAX_MERGE_SEGMENTS = 8;

function createIntlSegmenter(): ChineseSegmenter {
  const intl = new Intl.Segmenter('zh', { granularity: 'word' });
  let longest = 0;
  for (const term of userTerms) {
    longest = Math.max(longest, term.length);
  }
  return {
    name: 'intl',
    segmentRuns(runs) {
      return runs.map((run) => {
        const pieces = Array.from(intl.segment(run), (s) => s.segment);
        // ICU knows nothing of planning terms: merge consecutive pieces that spell one (longest first).
        const merged: string[] = [];
        for (let i = 0; i < pieces.length;) {
          let take = 1;
          let joined = pieces[i]!;
          for (let j = i + 1; j < Math.min(pieces.length, i + MAX_MERGE_SEGMENTS); j++) {
            joined += pieces[j]!;
            if (joined.length > longest) {
              break;
            }
            if (userTerms.has(joined)) {
              take = j - i + 1;
            }
          }
          merged.push(pieces.slice(i, i + take).join(''));
          i += take;
        }
        return merged;
      });
    },
    addTerms(terms) {
      for (const term of terms) {
        longest = Math.max(longest, term.length);
      }
    },
  };
}

function chineseSegmenter(): ChineseSegmenter {
  if (segmenter === undefined) {
    try {
      segmenter = createJiebaSegmenter();
    } catch {
      segmenter = createIntlSegmenter();
    }
  }
  return segmenter;
}

/** Which Chinese segmenter is in use (loads it on first call). */
export function getChineseSegmenterName(): ChineseSegmenterName {
  return chineseSegmenter().name;
}

/**
 * Chooses the Chinese segmenter: 'intl' forces the Intl.Segmenter fallback, 'jieba' tries jieba again
 * (falling back if it cannot load). Returns the one in use.
 */
export function selectChineseSegmenter(name: ChineseSegmenterName): ChineseSegmenterName {
  segmenter = undefined;
  if (name === 'intl') {
    segmenter = createIntlSegmenter();
  }
  return chineseSegmenter().name;
}

/** Adds terms (a plan's own vocabulary, topic keywords) to the segmentation dictionary of this process. */
export function addUserTerms(terms: readonly string[]): void {
  const fresh = terms.map((t) => t.normalize('NFKC').trim()).filter((t) => t !== '' && !userTerms.has(t));
  if (fresh.length === 0) {
    return;
  }
  for (const term of fresh) {
    userTerms.add(term);
  }
  segmenter?.addTerms(fresh);
}

/*
 * One alternation, tried in order: a Han run (with 〇), a decimal number, an emoji sequence (flags,
 * keycaps, modifiers, ZWJ sequences), a word of other letters and digits (apostrophes inside kept).
 * Numbered groups, in that order: a match allocates no groups object.
 */
const SPAN =
  /([\p{Script=Han}\u3007]+)|(\p{Nd}+(?:[.,:]\p{Nd}+)*%?(?![\p{L}\p{Nd}]))|(\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3|\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F)?(?:\u200D\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F)?)*)|((?:(?!\p{Script=Han})[\p{L}\p{Nd}])(?:(?!\p{Script=Han})[\p{L}\p{M}\p{Nd}])*(?:['’](?:(?!\p{Script=Han})\p{L})+)*)/gu;

/*
 * SPAN restricted to ASCII text, where it can match only numbers and words: the same alternatives with
 * ASCII classes, so the same spans, without Unicode property lookups.
 */
const ASCII_SPAN = /(\d+(?:[.,:]\d+)*%?(?![A-Za-z\d]))|([A-Za-z\d]+(?:'[A-Za-z]+)*)/g;
/** Any character above U+007F: its absence lets the ASCII scan run. */
const NON_ASCII = /[\u0080-\uFFFF]/;
const DIGITS = /^\p{Nd}+$/u;

/** Characters NFKC may change in Han text: CJK radicals, Kangxi radicals, compatibility ideographs. */
const HAN_COMPATIBILITY = /[\u2E80-\u2FDF\uF900-\uFAFF]/u;
const PLAIN_ASCII = /^[\x20-\x7E]*$/u;

function normalizeToken(text: string, kind: TokenKind): string {
  if (kind === 'han' ? !HAN_COMPATIBILITY.test(text) : PLAIN_ASCII.test(text)) {
    return text.toLowerCase();
  }
  return text.normalize('NFKC').toLowerCase();
}

/** A token whose text is already normalised. */
function normalizedToken(normalized: string, start: number, end: number, kind: TokenKind): Token {
  return { text: normalized, start, end, kind, stop: isStopWord(normalized) };
}

function makeToken(text: string, start: number, kind: TokenKind): Token {
  const normalized =
    kind === 'word' ? normalizeToken(text, kind).replaceAll('’', "'") : normalizeToken(text, kind);
  return normalizedToken(normalized, start, start + text.length, kind);
}

/** Tokens of a text with no character above U+007F: numbers and words only, no Han run to segment. */
function tokenizeAscii(text: string): Token[] {
  const tokens: Token[] = [];
  ASCII_SPAN.lastIndex = 0;
  for (let match = ASCII_SPAN.exec(text); match !== null; match = ASCII_SPAN.exec(text)) {
    const number = match[1];
    const start = match.index;
    if (number !== undefined) {
      tokens.push(normalizedToken(number, start, start + number.length, 'number'));
    } else {
      const word = match[2]!;
      const kind: TokenKind = DIGITS.test(word) ? 'number' : 'word';
      tokens.push(normalizedToken(word.toLowerCase(), start, start + word.length, kind));
    }
  }
  return tokens;
}

/** Tokens of any text: Han runs are segmented together, in one call of the segmenter. */
function tokenizeMixed(text: string): Token[] {
  /** Tokens in order, with the index of a Han run where that run's words go. */
  const items: (Token | number)[] = [];
  const hanRuns: string[] = [];
  const hanStarts: number[] = [];
  SPAN.lastIndex = 0;
  for (let match = SPAN.exec(text); match !== null; match = SPAN.exec(text)) {
    const start = match.index;
    if (match[1] !== undefined) {
      items.push(hanRuns.length);
      hanRuns.push(match[1]);
      hanStarts.push(start);
    } else if (match[2] !== undefined) {
      items.push(makeToken(match[2], start, 'number'));
    } else if (match[3] !== undefined) {
      items.push(makeToken(match[3], start, 'emoji'));
    } else if (match[4] !== undefined) {
      const kind: TokenKind = DIGITS.test(match[4]) ? 'number' : 'word';
      items.push(makeToken(match[4], start, kind));
    }
  }
  const segmented = hanRuns.length > 0 ? chineseSegmenter().segmentRuns(hanRuns) : [];
  const tokens: Token[] = [];
  for (const item of items) {
    if (typeof item !== 'number') {
      tokens.push(item);
      continue;
    }
    const run = hanRuns[item]!;
    // Han characters have no case: a run without compatibility forms is its own normal form, and so
    // is every piece of it.
    const plain = !HAN_COMPATIBILITY.test(run);
    let offset = hanStarts[item]!;
    let rest = run.length;
    // The pieces spell the run; anything unexpected is kept whole rather than lost.
    for (const piece of segmented[item] ?? []) {
      if (piece.length === 0 || piece.length > rest) {
        break;
      }
      tokens.push(
        plain
          ? normalizedToken(piece, offset, offset + piece.length, 'han')
          : makeToken(piece, offset, 'han'),
      );
      offset += piece.length;
      rest -= piece.length;
    }
    if (rest > 0) {
      tokens.push(makeToken(run.slice(run.length - rest), offset, 'han'));
    }
  }
  return tokens;
}

/**
 * Tokenises a text once: Chinese words, English words (lower case), numbers and emoji, with offsets.
 * Empty or whitespace-only text gives no tokens.
 */
export function tokenize(text: string): TokenizedText {
  const tokens = NON_ASCII.test(text) ? tokenizeMixed(text) : tokenizeAscii(text);
  const words: string[] = new Array<string>(tokens.length);
  const terms: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    words[i] = token.text;
    if (!token.stop && token.kind !== 'number') {
      terms.push(token.text);
    }
  }
  return { text, tokens, words, terms };
}

/** Chinese segmentation of a text: the words of its Han runs (other characters are not returned). */
export function segmentChinese(text: string): string[] {
  return tokenize(text)
    .tokens.filter((t) => t.kind === 'han')
    .map((t) => t.text);
}

/** English tokenisation: lower-case words and numbers, without stop words when `keepStopWords` is false. */
export function tokenizeEnglish(text: string, keepStopWords = true): string[] {
  return tokenize(text)
    .tokens.filter((t) => t.kind === 'word' || t.kind === 'number')
    .filter((t) => keepStopWords || !t.stop)
    .map((t) => t.text);
}
