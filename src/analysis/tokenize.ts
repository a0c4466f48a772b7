/**
 * Tokenisation of Chinese, English and mixed text, done once per text and reused by every analysis.
 *
 * Text is scanned into spans (spans.ts): runs of Han characters go to the Chinese segmenter
 * (@node-rs/jieba with the planning-term dictionary; Intl.Segmenter when the native module cannot load),
 * other letters and digits form words and numbers, emoji sequences form one token each, and whitespace
 * and punctuation separate. Token texts are normalised (NFKC, lower case); offsets point into the
 * original text.
 */
import { createRequire } from 'node:module';
import { fnvSeed, fnvStep } from './normalize.ts';
import { PLANNING_TERMS } from './planning-terms.ts';
import { HanRunScanner, SpanScanner } from './spans.ts';
import { isStopWord } from './stopwords.ts';
import { endsHash } from './word-table.ts';

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
  /**
   * Segments Han-only runs joined by RUN_SEPARATOR; returns their words in order, with a RUN_SEPARATOR
   * between the words of one run and the next.
   */
  segmentJoined(joined: string): string[];
  addTerms(terms: readonly string[]): void;
}

/** Frequency given to user terms: high enough that the term beats its parts in jieba's DAG. */
const USER_TERM_FREQUENCY = 50_000;
/** Separator between Han runs when they are segmented in one call; never part of a Han run. */
const RUN_SEPARATOR = '\n';

let segmenter: ChineseSegmenter | undefined;
const userTerms = new Set<string>(PLANNING_TERMS);

/**
 * The words of Han runs met recently, by run. A run is segmented on its own (the runs of a text are
 * joined by separators the segmenter cuts at), so its words are the same wherever it occurs; and the
 * sentences of a campaign recur from comment to comment. Two generations: when the newer is full, the
 * older is dropped, and a run found in the older moves to the newer.
 *
 * A run is looked up where it lies in its text, by a hash of its characters, in open-addressing tables
 * of typed arrays: no string is cut from the text to ask, and none is hashed by the engine (a Map keyed
 * by runs spent more time hashing and comparing them than the segmenter saved).
 *
 * A run just segmented is remembered (`offer`) only when it was segmented once before: most runs met
 * once are met only once (the edits that make each copy of a campaign's text its own), and remembering
 * them would cost their keys and lists, their copying by the collector, and the place of runs that recur.
 */
export class RunWords {
  private newer: RunGeneration;
  private older: RunGeneration;
  private readonly sightings: RunSightings;

  constructor(private readonly capacity: number) {
    this.newer = new RunGeneration(capacity);
    this.older = new RunGeneration(capacity);
    this.sightings = new RunSightings(capacity * 4);
  }

  /** The words of the run `text[start..end)`, if remembered. */
  find(text: string, start: number, end: number): readonly string[] | undefined {
    const hash = runHash(text, start, end);
    const at = this.newer.find(text, start, end, hash);
    if (at !== -1) {
      return this.newer.words[at];
    }
    const old = this.older.find(text, start, end, hash);
    if (old === -1) {
      return undefined;
    }
    const words = this.older.words[old]!;
    this.add(this.older.keys[old]!, hash, words);
    return words;
  }

  set(run: string, words: readonly string[]): void {
    this.add(run, runHash(run, 0, run.length), words);
  }

  /**
   * Remembers the words the segmenter gave for a run if it segmented the same characters before (or a
   * run of the same hash); else notes the run as seen. Words that do not spell the run are not remembered.
   */
  offer(run: string, words: readonly string[]): void {
    const hash = runHash(run, 0, run.length);
    if (!this.sightings.sightedBefore(hash)) {
      return;
    }
    // Keyed by a string of its own (the segmenter's word, or the words joined), not by a slice that
    // would keep a whole text alive.
    const key = words.length === 1 ? words[0]! : words.join('');
    if (key === run) {
      this.add(key, hash, words);
    }
  }

  private add(run: string, hash: number, words: readonly string[]): void {
    if (this.newer.size >= this.capacity) {
      const emptied = this.older;
      emptied.clear();
      this.older = this.newer;
      this.newer = emptied;
    }
    this.newer.add(run, hash, words);
  }

  clear(): void {
    this.newer.clear();
    this.older.clear();
    this.sightings.clear();
  }
}

/**
 * Hashes of runs segmented and not remembered, in an open-addressing table of at least `capacity` slots;
 * when half of them are taken, all are forgotten. A run whose hash another run had is taken for seen and
 * remembered at its first sighting: it costs a place in RunWords, never a wrong word.
 */
class RunSightings {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private used = 0;

  constructor(capacity: number) {
    let size = 16;
    while (size < capacity) {
      size *= 2;
    }
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  /** Whether `hash` (never 0) was noted before; notes it if not. */
  sightedBefore(hash: number): boolean {
    const { slots, mask } = this;
    let slot = (hash ^ (hash >>> 15)) & mask;
    for (let held = slots[slot]!; held !== 0; held = slots[slot]!) {
      if (held === hash) {
        return true;
      }
      slot = (slot + 1) & mask;
    }
    if (this.used * 2 >= slots.length) {
      this.clear();
      return this.sightedBefore(hash);
    }
    slots[slot] = hash;
    this.used++;
    return false;
  }

  clear(): void {
    if (this.used > 0) {
      this.slots.fill(0);
      this.used = 0;
    }
  }
}

/** The FNV half of `hash64Into` over the UTF-16 units of `text[start..end)`; never 0 (an empty slot). */
function runHash(text: string, start: number, end: number): number {
  let hash = fnvSeed(end - start);
  for (let i = start; i < end; i++) {
    hash = fnvStep(hash, text.charCodeAt(i));
  }
  return hash | 1;
}

/** One generation of RunWords: runs and their words, found by hash in a table at most a quarter full. */
class RunGeneration {
  size = 0;
  readonly keys: string[] = [];
  readonly words: (readonly string[])[] = [];
  private readonly mask: number;
  /** Per slot: the run's hash (0: empty) and its index among `keys` and `words`. */
  private readonly slotHash: Int32Array;
  private readonly slotEntry: Int32Array;

  constructor(capacity: number) {
    let slots = 16;
    while (slots < capacity * 4) {
      slots *= 2;
    }
    this.mask = slots - 1;
    this.slotHash = new Int32Array(slots);
    this.slotEntry = new Int32Array(slots);
  }

  /** The index of the run `text[start..end)` of this hash, or -1. */
  find(text: string, start: number, end: number, hash: number): number {
    const { slotHash, slotEntry, mask, keys } = this;
    const length = end - start;
    for (let slot = (hash ^ (hash >>> 15)) & mask; ; slot = (slot + 1) & mask) {
      const held = slotHash[slot]!;
      if (held === 0) {
        return -1;
      }
      if (held === hash) {
        const entry = slotEntry[slot]!;
        const key = keys[entry]!;
        if (key.length === length && text.startsWith(key, start)) {
          return entry;
        }
      }
    }
  }

  add(run: string, hash: number, words: readonly string[]): void {
    const { slotHash, mask } = this;
    let slot = (hash ^ (hash >>> 15)) & mask;
    while (slotHash[slot] !== 0) {
      slot = (slot + 1) & mask;
    }
    slotHash[slot] = hash;
    this.slotEntry[slot] = this.size;
    this.keys.push(run);
    this.words.push(words);
    this.size++;
  }

  clear(): void {
    if (this.size > 0) {
      this.slotHash.fill(0);
      this.keys.length = 0;
      this.words.length = 0;
      this.size = 0;
    }
  }
}

/**
 * Runs remembered per generation (about 20 MB each), for the hundreds of thousands of distinct runs of a mass
 * campaign (a run found is many times cheaper than one segmented).
 */
const runWords = new RunWords(100_000);

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
    // Jieba cuts the text between separators on its own, and returns each separator as a word.
    segmentJoined: (joined) => jieba.cut(joined, true),
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
    segmentJoined(joined) {
      const out: string[] = [];
      for (const run of joined.split(RUN_SEPARATOR)) {
        if (out.length > 0) {
          out.push(RUN_SEPARATOR);
        }
        const pieces = Array.from(intl.segment(run), (s) => s.segment);
        // ICU knows nothing of planning terms: merge consecutive pieces that spell one (longest first).
        for (let i = 0; i < pieces.length;) {
          let take = 1;
          let joinedPieces = pieces[i]!;
          for (let j = i + 1; j < Math.min(pieces.length, i + MAX_MERGE_SEGMENTS); j++) {
            joinedPieces += pieces[j]!;
            if (joinedPieces.length > longest) {
              break;
            }
            if (userTerms.has(joinedPieces)) {
              take = j - i + 1;
            }
          }
          out.push(pieces.slice(i, i + take).join(''));
          i += take;
        }
      }
      return out;
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
  runWords.clear();
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
  runWords.clear();
}

/** Characters NFKC may change in Han text: CJK radicals, Kangxi radicals, compatibility ideographs. */
const HAN_COMPATIBILITY = /[\u2E80-\u2FDF\uF900-\uFAFF]/u;
const PLAIN_ASCII = /^[\x20-\x7E]*$/u;

function normalizeToken(text: string, kind: TokenKind): string {
  if (kind === 'han' ? !HAN_COMPATIBILITY.test(text) : PLAIN_ASCII.test(text)) {
    return text.toLowerCase();
  }
  return text.normalize('NFKC').toLowerCase();
}

function makeToken(raw: string, start: number, kind: TokenKind): Token {
  const normalized =
    kind === 'word' ? normalizeToken(raw, kind).replaceAll('’', "'") : normalizeToken(raw, kind);
  return new TokenRecord(normalized, start, start + raw.length, kind, isStopWord(normalized));
}

/*
 * What tokenize returns is made by constructors and Array.of, not by literals: V8 watches how long the
 * objects of each literal live, and once a caller keeps many results (a corpus tokenised up front) it
 * allocates every later one of that literal in the old generation, where results that die young, as
 * most do, are costly to collect.
 */
class TokenRecord implements Token {
  constructor(
    public text: string,
    public start: number,
    public end: number,
    public kind: TokenKind,
    public stop: boolean,
  ) {}
}

/**
 * A tokenised text: its tokens, added in order, and its words and terms read from them when first asked
 * for (many analyses never ask: three arrays grown token by token cost more than the tokens themselves).
 */
class TokenizedRecord implements TokenizedText {
  tokens: Token[] = Array.of<Token>();
  // Private to the class itself, so that two results compare equal whether or not they were asked yet.
  #words: string[] | null = null;
  #terms: string[] | null = null;

  constructor(public text: string) {}

  get words(): string[] {
    return (this.#words ??= this.tokens.map(tokenText));
  }

  get terms(): string[] {
    if (this.#terms === null) {
      const terms = Array.of<string>();
      for (const token of this.tokens) {
        if (!token.stop && token.kind !== 'number') {
          terms.push(token.text);
        }
      }
      this.#terms = terms;
    }
    return this.#terms;
  }

  add(token: Token): void {
    this.tokens.push(token);
  }
}

const tokenText = (token: Token): string => token.text;

/**
 * The token of a word, number or emoji spanning `start` to `end` in the text; `ascii`: the span is
 * known to hold ASCII letters and digits only.
 */
function spanToken(text: string, start: number, end: number, kind: TokenKind, ascii: boolean): Token {
  const raw = text.slice(start, end);
  if (!ascii) {
    for (let k = start; k < end; k++) {
      if (text.charCodeAt(k) >= 0x80) {
        return makeToken(raw, start, kind);
      }
    }
  }
  // Letters, digits and [.,:%'] only: the lower case is the normal form.
  const normalized = raw.toLowerCase();
  return new TokenRecord(normalized, start, end, kind, isStopWord(normalized));
}

/**
 * The words of Han runs, segmented in one call (joined by RUN_SEPARATOR), offered to be remembered
 * (`RunWords.offer`). The words spell their run; anything unexpected from the segmenter is kept whole
 * rather than lost (and such a run is not remembered).
 */
function segmentRuns(runs: readonly string[]): (readonly string[])[] {
  const pieces = chineseSegmenter().segmentJoined(runs.join(RUN_SEPARATOR));
  const words = new Array<readonly string[]>(runs.length);
  let next = 0;
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r]!;
    const spelled: string[] = [];
    let used = 0;
    let whole = true;
    for (; next < pieces.length && pieces[next] !== RUN_SEPARATOR; next++) {
      const piece = pieces[next]!;
      if (whole && piece.length > 0 && piece.length <= run.length - used) {
        spelled.push(internWord(piece));
        used += piece.length;
      } else {
        whole = false;
      }
    }
    next++;
    if (used < run.length) {
      spelled.push(run.slice(used));
    } else if (whole) {
      runWords.offer(run, spelled);
    }
    words[r] = spelled;
  }
  return words;
}

/**
 * One string for most words the segmenter gives again and again: it makes a new string of every word of
 * every call, and the runs remembered would otherwise each keep copies of the same few thousand words.
 * A word is kept in a slot chosen by its length and first and last characters, and given back for an
 * equal word that lands there later; a word that finds another in its slot takes the slot. A Map keyed by
 * the words cost more (it hashes every character of each, and grows large) than it saved.
 */
const WORD_SLOTS = 1 << 16;
const segmentedWords: string[] = new Array<string>(WORD_SLOTS).fill('');

function internWord(word: string): string {
  const slot = endsHash(word) >>> 16;
  const known = segmentedWords[slot]!;
  if (known === word) {
    return known;
  }
  segmentedWords[slot] = word;
  return word;
}

/** Characters of Han runs handed to the segmenter at once by `segmentNewRuns`. */
const SEGMENT_BATCH = 4096;

/**
 * Tokenises texts together: each is scanned once, its tokens made in order, and each Han run met gets
 * the words `segmentNewRuns` found for it (`prepared`, for texts[t] its text `prepared.at[t]`; else it is
 * called on these texts), which segments the runs not remembered, of all the texts, in a few calls.
 * Gives what `tokenize` gives for each.
 */
export function tokenizeAll(texts: readonly string[], prepared?: PreparedTexts): TokenizedText[] {
  const { runs: found, at } = prepared ?? { runs: segmentNewRuns(texts), at: null };
  const docs = new Array<TokenizedText>(texts.length);
  for (let t = 0; t < texts.length; t++) {
    const text = texts[t]!;
    const doc = new TokenizedRecord(text);
    const spans = new SpanScanner(text);
    const index = at === null ? t : at[t]!;
    // The text's runs as prepared, from `run` up to `last` (none when another text was prepared there).
    let run = found.firstRun(index, text);
    const last = run === -1 ? -1 : found.endRun(index);
    // Han characters have no case: a text without compatibility forms is its own normal form, and so is
    // every word of its runs. Asked at its first run.
    let plain: boolean | null = null;
    while (spans.next()) {
      const { start, end } = spans;
      if (spans.kind !== 'han') {
        doc.add(spanToken(text, start, end, spans.kind, spans.ascii));
        continue;
      }
      // The prepared run in this place if it spans the same characters; else the run is looked up, or
      // segmented on its own.
      const words =
        (run < last ? found.wordsAt(run++, start, end) : undefined) ??
        runWords.find(text, start, end) ??
        segmentRuns([text.slice(start, end)])[0]!;
      plain ??= !HAN_COMPATIBILITY.test(text);
      let offset = start;
      for (const word of words) {
        const wordEnd = offset + word.length;
        doc.add(
          plain
            ? new TokenRecord(word, offset, wordEnd, 'han', isStopWord(word))
            : makeToken(word, offset, 'han'),
        );
        offset = wordEnd;
      }
    }
    docs[t] = doc;
  }
  return docs;
}

const hanRuns = new HanRunScanner();

/**
 * Segments the Han runs of the texts not remembered yet, in calls of a few thousand characters, and
 * remembers their words; returns the words of every run of the texts, for `tokenizeAll`. Called on many
 * texts before they are tokenised a few at a time, it keeps the segmenter's calls together: between other
 * work each call starts with its dictionary out of the processor's caches, and costs several times more
 * per run.
 */
export function segmentNewRuns(texts: readonly string[]): PreparedRuns {
  const prepared = new PreparedRuns(texts);
  const unknown: string[] = [];
  const indexOf = new Map<string, number>();
  // Per run not remembered: where it is among the prepared runs, and among those to segment.
  const pending: number[] = [];
  for (let t = 0; t < texts.length; t++) {
    const text = texts[t]!;
    const runs = hanRuns.reset(text);
    while (runs.next()) {
      const words = runWords.find(text, runs.start, runs.end);
      const at = prepared.add(runs.start, runs.end, words ?? null);
      if (words === undefined) {
        const run = text.slice(runs.start, runs.end);
        let index = indexOf.get(run);
        if (index === undefined) {
          index = unknown.length;
          indexOf.set(run, index);
          unknown.push(run);
        }
        pending.push(at, index);
      }
    }
    prepared.endText(t);
  }
  hanRuns.reset('');
  const segmented = segmentInBatches(unknown);
  for (let k = 0; k < pending.length; k += 2) {
    prepared.words[pending[k]!] = segmented[pending[k + 1]!]!;
  }
  return prepared;
}

/**
 * The words of the Han runs of some texts, as `segmentNewRuns` found them, with where each run starts and
 * ends in its text: text t's runs are those from `starts[t]` to `starts[t + 1]`. `tokenizeAll` takes a
 * run's words from here only where its own scan finds, in the same order, a run spanning the same
 * characters.
 */
export class PreparedRuns {
  readonly words: (readonly string[] | null)[] = [];
  /** Where each run starts and ends (exclusive) in its text. */
  private readonly offsets: number[] = [];
  private readonly ends: number[] = [];
  private readonly starts: Int32Array;

  constructor(private readonly texts: readonly string[]) {
    this.starts = new Int32Array(texts.length + 1);
  }

  add(offset: number, end: number, words: readonly string[] | null): number {
    this.offsets.push(offset);
    this.ends.push(end);
    return this.words.push(words) - 1;
  }

  endText(t: number): void {
    this.starts[t + 1] = this.words.length;
  }

  /** The first run of text t, or -1 when `text` is not text t. */
  firstRun(t: number, text: string): number {
    return this.texts[t] === text ? this.starts[t]! : -1;
  }

  /** Where the runs of text t end: the first run of the next text. */
  endRun(t: number): number {
    return this.starts[t + 1]!;
  }

  /** The words of run k if it spans `start` to `end` of its text (as it should), else undefined. */
  wordsAt(k: number, start: number, end: number): readonly string[] | undefined {
    return this.offsets[k] === start && this.ends[k] === end ? (this.words[k] ?? undefined) : undefined;
  }
}

/** Texts whose runs were prepared: `runs`, and for each text tokenised, its index there. */
export interface PreparedTexts {
  runs: PreparedRuns;
  at: readonly number[];
}

/** The words of each run, segmented SEGMENT_BATCH characters at a time. */
function segmentInBatches(runs: readonly string[]): (readonly string[])[] {
  const segmented: (readonly string[])[] = [];
  for (let from = 0; from < runs.length;) {
    let to = from;
    for (let characters = 0; to < runs.length && characters < SEGMENT_BATCH; to++) {
      characters += runs[to]!.length;
    }
    for (const words of segmentRuns(runs.slice(from, to))) {
      segmented.push(words);
    }
    from = to;
  }
  return segmented;
}

/**
 * Tokenises a text once: Chinese words, English words (lower case), numbers and emoji, with offsets.
 * Empty or whitespace-only text gives no tokens.
 */
export function tokenize(text: string): TokenizedText {
  return tokenizeAll([text])[0]!;
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
