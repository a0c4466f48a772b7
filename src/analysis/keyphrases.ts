/**
 * Key phrases (核心诉求) of an opinion and of a clause's opinions.
 *
 * Candidates are runs of adjacent content tokens (no stop word, number, punctuation or emoji between
 * them), taken one to three tokens long: Chinese words joined without a space ("算力调度平台"), English
 * words with one ("renewable energy share"). A single Chinese character is never a phrase on its own nor
 * at either end of one. Each candidate scores TF × IDF × a length bonus × a planning-term bonus; the IDF
 * comes from `PhraseStats` built over the organiser's corpus, or, without them, from a smoothed prior that
 * trusts long and specific words more than short and generic ones. The best are returned, skipping any
 * that shares a word with one already chosen, so that a phrase and its parts are not listed together.
 */
import { PLANNING_TERMS } from './planning-terms.ts';
import type { Token, TokenizedText } from './tokenize.ts';
import { tokenize } from './tokenize.ts';
import { wordTable } from './word-table.ts';

export interface Keyphrase {
  text: string;
  score: number;
}

export interface PhraseStats {
  documents: number;
  /** Number of documents each candidate phrase (and word) occurs in. */
  documentFrequency: ReadonlyMap<string, number>;
}

export interface KeyphraseOptions {
  /** How many phrases to return (default 8). */
  limit?: number;
  stats?: PhraseStats;
}

const DEFAULT_LIMIT = 8;
const MAX_PHRASE_TOKENS = 3;
const MAX_HAN_PHRASE_CHARS = 10;

const PLANNING: ReadonlySet<string> = new Set(PLANNING_TERMS);

/**
 * Words of the opinion genre that are never part of a key phrase: how people frame an opinion
 * ("建议", "I think"), what it is about in general ("规划", "comment"), and stance words (stance has its own
 * analysis).
 */
const FRAME_WORDS: ReadonlySet<string> = new Set(
  `建议 认为 希望 意见 提出 应该 应当 需要 必须 进一步 我们 我 非常 目前 同时 此外 另外 总之 其中 条款 本条 该条 条文
  草案 征求意见稿 规划 文件 内容 部分 方面 相关 有关 情况 问题 表述 修改 修改为 改为 调整 删除 增加 同意 支持 反对 赞同 无
  没有 不 很 好 可以 能够 为了 以便 确保 尽快 切实 认真 充分 积极 有效 合理 适当 明显 主要 重要 重点 一定 进行 实现
  考虑 研究 参考 结合 建立健全 工作 现在 已经 目前 今后 未来 当前 上述 以下 如下 包括 等等 其他 一些
  like think believe please would could should must may might also dear sincerely thank thanks regards just
  really comment comments commenter proposal proposed propose proposes rule rules regulation regulations suggest
  suggests suggestion recommend recommends writing write written strongly agree agrees disagree support supports
  supported oppose opposes opposed favor favour against yes no not don't doesn't isn't i'm i've we're it's
  believe hope want wants need needs make makes made get gets got many much lot lots thing things way ways`
    .split(/\s+/u)
    .filter((w) => w !== ''),
);

/** Common policy verbs and nouns: allowed in phrases but weighed low on their own. */
const GENERIC_WORDS: ReadonlySet<string> = new Set(
  `加强 完善 推进 推动 提高 提升 加快 加大 促进 实施 落实 做好 开展 建立 健全 强化 优化 明确 发展 建设 管理 服务 政策
  措施 机制 体系 能力 水平 力度 作用 保障 提供 鼓励 引导 坚持 统筹 协调 创新 推广 完成 相应 有关部门 部门 单位 地方 各地
  企业 社会 群体 人员 人民 群众 政府 国家 全省 全市 我省 我市
  new use used using well good better best important ensure provide provides improve improved include includes
  including increase decrease allow allows people time year years work working current currently also
  government agency program programs policy policies system able will`
    .split(/\s+/u)
    .filter((w) => w !== ''),
);

const GENERIC_WEIGHT = 0.3;
const PLANNING_BONUS = 1.5;
const LENGTH_BONUS = 0.25;

/** The IDF prior without corpus statistics: longer words are rarer and say more. */
function priorWeight(token: Token): number {
  const length = token.text.length;
  if (token.kind === 'han') {
    return length <= 1 ? 0.5 : length === 2 ? 1 : length === 3 ? 1.4 : 1.7;
  }
  return length <= 3 ? 0.8 : length <= 6 ? 1 : 1.3;
}

function idf(stats: PhraseStats, text: string): number | undefined {
  const df = stats.documentFrequency.get(text);
  return df === undefined ? undefined : Math.log((stats.documents + 1) / (df + 1)) + 1;
}

function tokenWeight(token: Token, stats: PhraseStats | undefined): number {
  let weight: number;
  if (stats === undefined) {
    weight = priorWeight(token);
  } else {
    // A word the corpus never saw is as rare as can be.
    weight = idf(stats, token.text) ?? Math.log(stats.documents + 1) + 1;
  }
  if (GENERIC_WORDS.has(token.text)) {
    weight *= GENERIC_WEIGHT;
  }
  return weight;
}

/** Chinese tokens that are numbering or quantity words, never key phrases (第三条, 不少于, 每年). */
const HAN_NOT_CONTENT = /^(?:第|[零〇一二两三四五六七八九十百千万亿]+[个项条款章节年月日次批]?$)/u;
/** The characters HAN_NOT_CONTENT can start with, as a bit set over UTF-16 units. */
const HAN_NOT_CONTENT_START = new Uint32Array(0x10000 / 32);
for (const c of '第零〇一二两三四五六七八九十百千万亿') {
  const code = c.charCodeAt(0);
  HAN_NOT_CONTENT_START[code >>> 5]! |= 1 << (code & 31);
}

/** True when HAN_NOT_CONTENT may match: any other first character rules it out. */
function mayBeHanNumbering(text: string): boolean {
  const code = text.charCodeAt(0);
  return ((HAN_NOT_CONTENT_START[code >>> 5]! >>> (code & 31)) & 1) !== 0;
}

/** What the word lists say of a token's text, and whether the token is content. */
const FRAME = 1;
const GENERIC = 2;
const PLANNING_TERM = 4;
const CONTENT = 8;

/** Every listed word with its flags: one lookup per token instead of one per list. */
const WORD_FLAGS = (() => {
  const flags = new Map<string, number>();
  const lists: [ReadonlySet<string>, number][] = [
    [FRAME_WORDS, FRAME],
    [GENERIC_WORDS, GENERIC],
    [PLANNING, PLANNING_TERM],
  ];
  for (const [words, flag] of lists) {
    for (const word of words) {
      if (word !== '') {
        flags.set(word, (flags.get(word) ?? 0) | flag);
      }
    }
  }
  return wordTable(flags);
})();

/**
 * The flags of a token's text, with CONTENT when the token may stand in a phrase: no stop word, frame
 * word, numbering word, one-letter or digit-led English word, number or emoji.
 */
function classify(token: Token): number {
  const text = token.text;
  const flags = Math.max(WORD_FLAGS(text), 0);
  if (token.stop || (flags & FRAME) !== 0) {
    return flags;
  }
  if (token.kind === 'han') {
    const numbering = mayBeHanNumbering(text) && HAN_NOT_CONTENT.test(text);
    return numbering ? flags : flags | CONTENT;
  }
  if (token.kind === 'word' && text.length >= 2) {
    const first = text.charCodeAt(0);
    return first >= 0x30 && first <= 0x39 ? flags : flags | CONTENT;
  }
  return flags;
}

const isContent = (token: Token): boolean => (classify(token) & CONTENT) !== 0;

/**
 * True when two content tokens may stand in one phrase: the same script and nothing but a little white
 * space (between English words) separating them.
 */
function adjacent(text: string, a: Token, b: Token): boolean {
  if (a.kind !== b.kind) {
    return false;
  }
  const gap = b.start - a.end;
  if (gap === 0) {
    return true;
  }
  if (gap > 2 || a.kind !== 'word') {
    return false;
  }
  for (let i = a.end; i < b.start; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) {
      return false;
    }
  }
  return true;
}

interface Candidate {
  text: string;
  /** The member words, for overlap checks. */
  words: string[];
  count: number;
  /** Position of the first occurrence, for deterministic ties. */
  first: number;
  weight: number;
  score: number;
}

/** Per-call scratch space, reused so that a call allocates little beyond its candidates. */
let runTokens: Token[] = [];
let runWeights = new Float64Array(64);

/**
 * Visits every candidate phrase of a tokenized text once per occurrence. `visit` gets the phrase, the
 * run of content tokens it comes from, where in the run it starts and how many tokens it has.
 */
function forEachCandidate(
  tokenized: TokenizedText,
  stats: PhraseStats | undefined,
  visit: (text: string, run: readonly Token[], weights: Float64Array, from: number, n: number) => void,
): void {
  const { tokens, text } = tokenized;
  const run = runTokens;
  let length = 0;
  const flush = (): void => {
    for (let i = 0; i < length; i++) {
      const head = run[i]!;
      if (head.kind === 'han' && head.text.length === 1) {
        continue; // a phrase never starts with a single Chinese character
      }
      let phrase = head.text;
      let hanChars = head.kind === 'han' ? head.text.length : 0;
      for (let n = 1; n <= MAX_PHRASE_TOKENS && i + n <= length; n++) {
        const last = run[i + n - 1]!;
        if (n > 1) {
          phrase += last.kind === 'word' ? ` ${last.text}` : last.text;
          hanChars += last.kind === 'han' ? last.text.length : 0;
          if (hanChars > MAX_HAN_PHRASE_CHARS) {
            break;
          }
        }
        if (last.kind === 'han' && last.text.length === 1) {
          continue; // nor ends with one
        }
        visit(phrase, run, runWeights, i, n);
      }
    }
    length = 0;
  };
  let previous: Token | undefined;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    // A word right after a number is its unit (2027年前, 3个, 2亿元), not a phrase.
    if (
      !isContent(token) ||
      (previous === undefined &&
        t > 0 &&
        tokens[t - 1]!.kind === 'number' &&
        tokens[t - 1]!.end === token.start)
    ) {
      flush();
      previous = undefined;
      continue;
    }
    if (previous !== undefined && !adjacent(text, previous, token)) {
      flush();
    }
    if (length === runWeights.length) {
      const grown = new Float64Array(length * 2);
      grown.set(runWeights);
      runWeights = grown;
    }
    run[length] = token;
    runWeights[length] = tokenWeight(token, stats);
    length++;
    previous = token;
  }
  flush();
  run.length = 0;
  runTokens = run;
}

function phraseWeight(
  phrase: string,
  run: readonly Token[],
  weights: Float64Array,
  from: number,
  n: number,
  stats: PhraseStats | undefined,
): number {
  let sum = 0;
  let generic = 0;
  let planning = PLANNING.has(phrase);
  for (let i = from; i < from + n; i++) {
    const member = run[i]!.text;
    sum += weights[i]!;
    if (GENERIC_WORDS.has(member)) {
      generic++;
    }
    if (!planning && n > 1 && PLANNING.has(member)) {
      planning = true;
    }
  }
  if (generic === n) {
    return 0; // nothing but policy boilerplate ("加强管理")
  }
  let weight = sum / n;
  if (stats !== undefined && n > 1) {
    const own = idf(stats, phrase);
    if (own !== undefined) {
      weight = Math.max(weight, own);
    }
  }
  weight *= 1 + LENGTH_BONUS * (n - 1);
  return planning ? weight * PLANNING_BONUS : weight;
}

function collect(
  tokenized: TokenizedText,
  stats: PhraseStats | undefined,
  into: Map<string, Candidate>,
): void {
  let order = 0;
  forEachCandidate(tokenized, stats, (text, run, weights, from, n) => {
    order++;
    const seen = into.get(text);
    if (seen !== undefined) {
      seen.count++;
      return;
    }
    const weight = phraseWeight(text, run, weights, from, n, stats);
    if (weight > 0) {
      const words = n === 1 ? [text] : run.slice(from, from + n).map((m) => m.text);
      into.set(text, { text, words, count: 1, first: order, weight, score: 0 });
    }
  });
}

/** Best first; a candidate sharing a word with one already chosen is skipped. */
function select(ranked: readonly Candidate[], limit: number): Keyphrase[] {
  const out: Keyphrase[] = [];
  const used = new Set<string>();
  for (const candidate of ranked) {
    if (out.length >= limit) {
      break;
    }
    if (candidate.words.some((w) => used.has(w))) {
      continue;
    }
    for (const w of candidate.words) {
      used.add(w);
    }
    out.push({ text: candidate.text, score: Math.round(candidate.score * 1000) / 1000 });
  }
  return out;
}

const byScore = (a: Candidate, b: Candidate): number =>
  b.score - a.score || a.first - b.first || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);

const asTokenized = (input: string | TokenizedText): TokenizedText =>
  typeof input === 'string' ? tokenize(input) : input;

/** Document frequencies of every candidate phrase and word over a corpus, for `stats`. */
export function buildPhraseStats(texts: Iterable<string | TokenizedText>): PhraseStats {
  const documentFrequency = new Map<string, number>();
  let documents = 0;
  const seen = new Set<string>();
  for (const input of texts) {
    documents++;
    seen.clear();
    const tokenized = asTokenized(input);
    for (const token of tokenized.tokens) {
      if (isContent(token)) {
        seen.add(token.text);
      }
    }
    forEachCandidate(tokenized, undefined, (text) => {
      seen.add(text);
    });
    for (const text of seen) {
      documentFrequency.set(text, (documentFrequency.get(text) ?? 0) + 1);
    }
  }
  return { documents, documentFrequency };
}

/**
 * Scratch space of `extractKeyphrases`, reused across calls: it runs on every opinion of a campaign.
 * Content tokens are numbered in order; each distinct word of the call, and each candidate phrase, too.
 * Sized for texts of up to `capacity` tokens.
 */
function createScratch(capacity: number) {
  let slots = 16;
  while (slots < capacity * 2) {
    slots *= 2;
  }
  const candidates = capacity * MAX_PHRASE_TOKENS;
  return {
    capacity,
    /** Per content token: its index among the tokens, run, word, flags, Chinese length (0 for English), weight. */
    token: new Int32Array(capacity),
    run: new Int32Array(capacity),
    word: new Int32Array(capacity),
    flags: new Uint8Array(capacity),
    han: new Int32Array(capacity),
    weight: new Float64Array(capacity),
    /** Per content token: the next one of the same word (-1 for none); its first candidate phrase. */
    nextSame: new Int32Array(capacity),
    firstCandidate: new Int32Array(capacity + 1),
    /** Per word: its hash, count, first and last content token, and whether a chosen phrase has it. */
    wordHash: new Int32Array(capacity),
    wordCount: new Int32Array(capacity),
    wordFirst: new Int32Array(capacity),
    wordLast: new Int32Array(capacity),
    wordUsed: new Uint8Array(capacity),
    words: 0,
    /** Open-addressing table from a word's hash to its number; a slot is taken when its stamp is the call's. */
    slotStamp: new Int32Array(slots),
    slotWord: new Int32Array(slots),
    stamp: 0,
    /**
     * Per candidate phrase: first content token, size and score; the score of a candidate that shares a
     * word with a chosen one is set to -Infinity (scores are otherwise finite).
     */
    from: new Int32Array(candidates),
    size: new Uint8Array(candidates),
    score: new Float64Array(candidates),
  };
}

let scratch = createScratch(256);

/** Makes room for a text of `tokens` tokens and starts a new call. */
function prepareScratch(tokens: number): void {
  if (tokens > scratch.capacity) {
    scratch = createScratch(Math.max(tokens, scratch.capacity * 2));
  } else if (scratch.stamp === 0x7fffffff) {
    scratch = createScratch(scratch.capacity); // stamps would wrap: start afresh
  }
  scratch.stamp++;
  scratch.words = 0;
}

/** A hash from a few characters only: words that share them are told apart by comparing them. */
function hashWord(text: string): number {
  const length = text.length;
  const ends = Math.imul(text.charCodeAt(0), 0x9e3779b1) ^ Math.imul(text.charCodeAt(length - 1), 0x85ebca6b);
  return ends ^ Math.imul(text.charCodeAt(length >> 1) + length, 0xc2b2ae35);
}

/**
 * Records content token `at` (token `t` of the text) as an occurrence of its word: returns the word's
 * number (a new one if the call has not seen it), its count raised by one and the token linked to the
 * word's previous occurrence.
 */
function countWord(tokens: readonly Token[], t: number, at: number): number {
  const s = scratch;
  const text = tokens[t]!.text;
  const hash = hashWord(text);
  const mask = s.slotStamp.length - 1;
  s.nextSame[at] = -1;
  let slot = (hash ^ (hash >>> 16)) & mask;
  while (s.slotStamp[slot] === s.stamp) {
    const word = s.slotWord[slot]!;
    if (s.wordHash[word] === hash && tokens[s.token[s.wordFirst[word]!]!]!.text === text) {
      s.wordCount[word]!++;
      s.nextSame[s.wordLast[word]!] = at;
      s.wordLast[word] = at;
      return word;
    }
    slot = (slot + 1) & mask;
  }
  const word = s.words++;
  s.slotStamp[slot] = s.stamp;
  s.slotWord[slot] = word;
  s.wordHash[word] = hash;
  s.wordCount[word] = 1;
  s.wordFirst[word] = at;
  s.wordLast[word] = at;
  s.wordUsed[word] = 0;
  return word;
}

/**
 * Step 1: the content tokens, numbered by run (a maximal stretch of adjacent content tokens), with
 * their words, flags and weights. Returns how many there are.
 */
function findContent(tokens: readonly Token[], text: string, stats: PhraseStats | undefined): number {
  const { token: index, run: runs, word: words, flags: flagsOf, han, weight: weights } = scratch;
  let count = 0;
  let run = 0;
  let previous: Token | undefined;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    const flags = token.stop || token.kind === 'number' || token.kind === 'emoji' ? 0 : classify(token);
    // A word right after a number is its unit (2027年前, 3个, 2亿元), not a phrase.
    const unit =
      (flags & CONTENT) !== 0 &&
      t > 0 &&
      tokens[t - 1]!.kind === 'number' &&
      tokens[t - 1]!.end === token.start;
    if ((flags & CONTENT) === 0 || unit) {
      if (previous !== undefined) {
        run++;
        previous = undefined;
      }
      continue;
    }
    if (previous !== undefined && !adjacent(text, previous, token)) {
      run++;
    }
    const generic = (flags & GENERIC) !== 0;
    index[count] = t;
    runs[count] = run;
    words[count] = countWord(tokens, t, count);
    flagsOf[count] = flags;
    han[count] = token.kind === 'han' ? token.text.length : 0;
    if (stats === undefined) {
      weights[count] = priorWeight(token) * (generic ? GENERIC_WEIGHT : 1);
    } else {
      // A word the corpus never saw is as rare as can be.
      const weight = idf(stats, token.text) ?? Math.log(stats.documents + 1) + 1;
      weights[count] = generic ? weight * GENERIC_WEIGHT : weight;
    }
    count++;
    previous = token;
  }
  return count;
}

function joinContent(tokens: readonly Token[], from: number, n: number): string {
  let phrase = tokens[scratch.token[from]!]!.text;
  for (let i = from + 1; i < from + n; i++) {
    const token = tokens[scratch.token[i]!]!;
    phrase += token.kind === 'word' ? ` ${token.text}` : token.text;
  }
  return phrase;
}

/**
 * Step 2: the candidate phrases (first content token, size, score), in order of first token, then
 * size. Returns how many there are.
 */
function scoreCandidates(tokens: readonly Token[], content: number, stats: PhraseStats | undefined): number {
  const { run, han, weight: weights, word, wordCount, flags: flagsOf, firstCandidate } = scratch;
  const { from, size, score } = scratch;
  let count = 0;
  for (let i = 0; i < content; i++) {
    firstCandidate[i] = count;
    if (han[i] === 1) {
      continue; // a phrase never starts with a single Chinese character
    }
    let sum = 0;
    let generic = 0;
    let planning = false;
    let tf = Infinity;
    let hanChars = 0;
    for (let n = 1; n <= MAX_PHRASE_TOKENS && i + n <= content; n++) {
      const j = i + n - 1;
      if (run[j] !== run[i]) {
        break;
      }
      hanChars += han[j]!;
      if (n > 1 && hanChars > MAX_HAN_PHRASE_CHARS) {
        break;
      }
      sum += weights[j]!;
      tf = Math.min(tf, wordCount[word[j]!]!);
      const flags = flagsOf[j]!;
      if ((flags & GENERIC) !== 0) {
        generic++;
      }
      planning ||= (flags & PLANNING_TERM) !== 0;
      if (han[j] === 1 || generic === n) {
        continue; // nor ends with one; nothing but policy boilerplate ("加强管理") is no phrase
      }
      let weight = sum / n;
      if (stats !== undefined && n > 1) {
        const own = idf(stats, joinContent(tokens, i, n));
        if (own !== undefined) {
          weight = Math.max(weight, own);
        }
      }
      weight *= 1 + LENGTH_BONUS * (n - 1);
      if (planning) {
        weight *= PLANNING_BONUS;
      }
      from[count] = i;
      size[count] = n;
      score[count] = tf === 1 ? weight : (1 + Math.log(tf)) * weight;
      count++;
    }
  }
  firstCandidate[content] = count;
  return count;
}

/** Blocks every candidate phrase that holds content token `at`. */
function blockCandidatesAt(at: number): void {
  const { firstCandidate, size, score } = scratch;
  for (let i = Math.max(0, at - MAX_PHRASE_TOKENS + 1); i <= at; i++) {
    const end = firstCandidate[i + 1]!;
    for (let c = firstCandidate[i]!; c < end; c++) {
      if (i + size[c]! > at) {
        score[c] = -Infinity;
      }
    }
  }
}

/** Chooses candidate c: every candidate sharing a word with it (c too) is blocked from now on. */
function choose(tokens: readonly Token[], c: number, out: Keyphrase[]): void {
  const s = scratch;
  const from = s.from[c]!;
  const n = s.size[c]!;
  out.push({ text: joinContent(tokens, from, n), score: Math.round(s.score[c]! * 1000) / 1000 });
  for (let i = from; i < from + n; i++) {
    const word = s.word[i]!;
    if (s.wordUsed[word] === 0) {
      s.wordUsed[word] = 1;
      for (let at = s.wordFirst[word]!; at >= 0; at = s.nextSame[at]!) {
        blockCandidatesAt(at);
      }
    }
  }
}

/** Up to this limit, step 3 finds each phrase by a scan; beyond, it sorts once. */
const SCAN_LIMIT = 16;

/**
 * Step 3: the best candidates, skipping any that shares a word with one chosen. That is, again and
 * again, the best candidate not blocked (the earliest among equal scores): a few scans of the scores
 * cost less than a sort.
 */
function selectCandidates(tokens: readonly Token[], count: number, limit: number): Keyphrase[] {
  const score = scratch.score;
  const out: Keyphrase[] = [];
  if (limit > SCAN_LIMIT) {
    const order = Array.from({ length: count }, (_, c) => c).sort((a, b) => score[b]! - score[a]! || a - b);
    for (let k = 0; k < count && out.length < limit; k++) {
      if (score[order[k]!] !== -Infinity) {
        choose(tokens, order[k]!, out);
      }
    }
    return out;
  }
  while (out.length < limit) {
    let best = -1;
    let bestScore = -Infinity;
    for (let c = 0; c < count; c++) {
      if (score[c]! > bestScore) {
        best = c;
        bestScore = score[c]!;
      }
    }
    if (best < 0) {
      break;
    }
    choose(tokens, best, out);
  }
  return out;
}

/**
 * Key phrases of one opinion (核心诉求), best first; multiword phrases joined from adjacent content
 * tokens (Chinese without spaces, English with). Accepts an already tokenized text.
 *
 * It runs on every opinion of a campaign, so it works on token indices in reused typed arrays and builds
 * the text of a phrase only for those it returns. A multiword phrase's term frequency is taken as the
 * least frequency of its words (an upper bound, exact whenever its words occur once, as in nearly every
 * opinion).
 */
export function extractKeyphrases(
  input: string | TokenizedText,
  options: KeyphraseOptions = {},
): Keyphrase[] {
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (limit <= 0) {
    return [];
  }
  const { stats } = options;
  const { tokens, text } = asTokenized(input);
  prepareScratch(tokens.length);
  const content = findContent(tokens, text, stats);
  const candidates = scoreCandidates(tokens, content, stats);
  return selectCandidates(tokens, candidates, limit);
}

/**
 * Key phrases of a clause from all its opinions: phrases many opinions share rank first (each opinion
 * counts once per phrase, so one long opinion cannot outvote the rest).
 */
export function clauseKeyphrases(
  inputs: readonly (string | TokenizedText)[],
  options: KeyphraseOptions = {},
): Keyphrase[] {
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (limit <= 0 || inputs.length === 0) {
    return [];
  }
  const merged = new Map<string, Candidate>();
  const own = new Map<string, Candidate>();
  let order = 0;
  for (const input of inputs) {
    own.clear();
    collect(asTokenized(input), options.stats, own);
    for (const candidate of own.values()) {
      const seen = merged.get(candidate.text);
      if (seen === undefined) {
        candidate.count = 1;
        candidate.first += order;
        merged.set(candidate.text, candidate);
      } else {
        seen.count++;
      }
    }
    order += 1_000_000;
  }
  const ranked = [...merged.values()];
  for (const candidate of ranked) {
    candidate.score = candidate.count * candidate.weight;
  }
  ranked.sort(byScore);
  return select(ranked, limit);
}
