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
const STARTS_WITH_DIGIT = /^\d/u;

const isContent = (token: Token): boolean =>
  !token.stop &&
  (token.kind === 'han'
    ? !FRAME_WORDS.has(token.text) && !HAN_NOT_CONTENT.test(token.text)
    : token.kind === 'word' &&
      token.text.length >= 2 &&
      !FRAME_WORDS.has(token.text) &&
      !STARTS_WITH_DIGIT.test(token.text));

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

/** What `extractKeyphrases` needs to know of a word, looked up once per distinct word and kept. */
interface WordInfo {
  content: boolean;
  generic: boolean;
  planning: boolean;
  /** The prior weight (generic words already discounted). */
  prior: number;
  /** The call that last counted this word, and its count in that call: term frequency without a map. */
  stamp: number;
  count: number;
  /** The call in which a chosen phrase last used this word. */
  used: number;
}

/** Bounded so that a campaign's vocabulary cannot grow it without end. */
const WORD_CACHE_LIMIT = 200_000;
const wordCache = new Map<string, WordInfo>();
let call = 0;

function wordInfo(token: Token): WordInfo {
  let info = wordCache.get(token.text);
  if (info === undefined) {
    if (wordCache.size >= WORD_CACHE_LIMIT) {
      wordCache.clear();
    }
    const generic = GENERIC_WORDS.has(token.text);
    info = {
      content: isContent(token),
      generic,
      planning: PLANNING.has(token.text),
      prior: priorWeight(token) * (generic ? GENERIC_WEIGHT : 1),
      stamp: 0,
      count: 0,
      used: 0,
    };
    wordCache.set(token.text, info);
  }
  return info;
}

/** Scratch space of `extractKeyphrases`, reused across calls: it runs on every opinion of a campaign. */
let scratchTokens: Token[] = [];
let scratchInfo: WordInfo[] = [];
let scratchRun = new Int32Array(256);
let scratchWeight = new Float64Array(256);
let candidateFrom = new Int32Array(1024);
let candidateSize = new Uint8Array(1024);
let candidateScore = new Float64Array(1024);

function ensureTokenScratch(size: number): void {
  if (scratchRun.length < size) {
    const capacity = Math.max(size, scratchRun.length * 2);
    scratchRun = new Int32Array(capacity);
    scratchWeight = new Float64Array(capacity);
  }
  if (candidateFrom.length < size * MAX_PHRASE_TOKENS) {
    const capacity = Math.max(size * MAX_PHRASE_TOKENS, candidateFrom.length * 2);
    candidateFrom = new Int32Array(capacity);
    candidateSize = new Uint8Array(capacity);
    candidateScore = new Float64Array(capacity);
  }
}

function joinPhrase(tokens: readonly Token[], from: number, n: number): string {
  let phrase = tokens[from]!.text;
  for (let i = from + 1; i < from + n; i++) {
    const token = tokens[i]!;
    phrase += token.kind === 'word' ? ` ${token.text}` : token.text;
  }
  return phrase;
}

/**
 * Key phrases of one opinion (核心诉求), best first; multiword phrases joined from adjacent content
 * tokens (Chinese without spaces, English with). Accepts an already tokenized text.
 *
 * It runs on every opinion of a campaign, so it works on token indices, keeps what it learns of each
 * word across calls, and builds the text of a phrase only for those it returns. A multiword phrase's
 * term frequency is taken as the least frequency of its words (an upper bound, exact whenever its words
 * occur once, as in nearly every opinion).
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
  ensureTokenScratch(tokens.length + 1);
  const stamp = ++call;
  const content = scratchTokens;
  const infos = scratchInfo;
  content.length = 0;
  infos.length = 0;
  // 1. Content tokens, numbered by run, with their weights and frequencies.
  let run = 0;
  let previous: Token | undefined;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    if (token.stop || token.kind === 'number' || token.kind === 'emoji') {
      if (previous !== undefined) {
        run++;
        previous = undefined;
      }
      continue;
    }
    const info = wordInfo(token);
    // A word right after a number is its unit (2027年前, 3个, 2亿元), not a phrase.
    const unit = t > 0 && tokens[t - 1]!.kind === 'number' && tokens[t - 1]!.end === token.start;
    if (!info.content || unit) {
      if (previous !== undefined) {
        run++;
        previous = undefined;
      }
      continue;
    }
    if (previous !== undefined && !adjacent(text, previous, token)) {
      run++;
    }
    const at = content.length;
    content.push(token);
    infos.push(info);
    scratchRun[at] = run;
    if (stats === undefined) {
      scratchWeight[at] = info.prior;
    } else {
      // A word the corpus never saw is as rare as can be.
      const weight = idf(stats, token.text) ?? Math.log(stats.documents + 1) + 1;
      scratchWeight[at] = info.generic ? weight * GENERIC_WEIGHT : weight;
    }
    if (info.stamp !== stamp) {
      info.stamp = stamp;
      info.count = 0;
    }
    info.count++;
    previous = token;
  }
  // 2. Candidates: (first token, size, score).
  let count = 0;
  for (let i = 0; i < content.length; i++) {
    const head = content[i]!;
    if (head.kind === 'han' && head.text.length === 1) {
      continue; // a phrase never starts with a single Chinese character
    }
    let sum = 0;
    let generic = 0;
    let planning = false;
    let tf = Infinity;
    let hanChars = 0;
    for (let n = 1; n <= MAX_PHRASE_TOKENS && i + n <= content.length; n++) {
      const j = i + n - 1;
      if (scratchRun[j] !== scratchRun[i]) {
        break;
      }
      const last = content[j]!;
      const info = infos[j]!;
      if (last.kind === 'han') {
        hanChars += last.text.length;
        if (n > 1 && hanChars > MAX_HAN_PHRASE_CHARS) {
          break;
        }
      }
      sum += scratchWeight[j]!;
      tf = Math.min(tf, info.count);
      if (info.generic) {
        generic++;
      }
      planning ||= info.planning;
      if ((last.kind === 'han' && last.text.length === 1) || generic === n) {
        continue; // nor ends with one; nothing but policy boilerplate ("加强管理") is no phrase
      }
      let weight = sum / n;
      if (stats !== undefined && n > 1) {
        const own = idf(stats, joinPhrase(content, i, n));
        if (own !== undefined) {
          weight = Math.max(weight, own);
        }
      }
      weight *= 1 + LENGTH_BONUS * (n - 1);
      if (planning) {
        weight *= PLANNING_BONUS;
      }
      candidateFrom[count] = i;
      candidateSize[count] = n;
      candidateScore[count] = tf === 1 ? weight : (1 + Math.log(tf)) * weight;
      count++;
    }
  }
  // 3. Best first (ties: earlier, then shorter), skipping any that shares a word with one chosen.
  const order: number[] = new Array<number>(count);
  for (let c = 0; c < count; c++) {
    order[c] = c;
  }
  order.sort(
    (a, b) =>
      candidateScore[b]! - candidateScore[a]! ||
      candidateFrom[a]! - candidateFrom[b]! ||
      candidateSize[a]! - candidateSize[b]!,
  );
  const out: Keyphrase[] = [];
  for (let k = 0; k < count && out.length < limit; k++) {
    const c = order[k]!;
    const from = candidateFrom[c]!;
    const n = candidateSize[c]!;
    let overlaps = false;
    for (let i = from; i < from + n; i++) {
      if (infos[i]!.used === stamp) {
        overlaps = true;
        break;
      }
    }
    if (overlaps) {
      continue;
    }
    for (let i = from; i < from + n; i++) {
      infos[i]!.used = stamp;
    }
    out.push({ text: joinPhrase(content, from, n), score: Math.round(candidateScore[c]! * 1000) / 1000 });
  }
  content.length = 0;
  infos.length = 0;
  scratchTokens = content;
  scratchInfo = infos;
  return out;
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
