/*
 * The quality check of an opinion (意见质量检查): pure, run while the person types and again on every save.
 * It scores how far the opinion follows the template 针对条款 + 具体建议 + 理由依据 and flags answers that
 * say nothing ("同意", "无意见", "建议进一步完善", "I agree", "no comment"). The score feeds the valid-opinion
 * ratio (有效意见占比). English is measured by words (one word weighs two Chinese characters), and reasons
 * written in the suggestion itself ("因为…", "because …") count when the reasons field is empty.
 * It is bundled into the web app: no Node API, no segmenter; src/analysis/quality.ts adds what needs them.
 */

export type OpinionKindInput = 'substantive' | 'editorial' | 'question';

export interface OpinionQualityInput {
  suggestion: string;
  reasons?: string | null;
  proposedText?: string | null;
  quote?: string | null;
  /** A clause's stable id; null = the whole draft (a valid target); undefined = no target chosen yet. */
  clauseStableId?: string | null;
  kind?: OpinionKindInput;
}

/** Stable codes; the web app and the metrics count them. */
export type QualityFlag = 'no_target' | 'vague' | 'too_short' | 'no_reasons' | 'not_specific';
export const QUALITY_FLAGS: readonly QualityFlag[] = [
  'no_target',
  'vague',
  'too_short',
  'no_reasons',
  'not_specific',
];

/** What a list of opinions can be narrowed to: valid (有效) or not, or carrying one flag. */
export type QualityFilter = 'valid' | 'invalid' | QualityFlag;
export const QUALITY_FILTERS: readonly QualityFilter[] = ['valid', 'invalid', ...QUALITY_FLAGS];

export interface OpinionQuality {
  /** 0..1, two decimals. */
  score: number;
  flags: QualityFlag[];
  /** Chinese sentences for the person typing, one per flag. */
  hints: string[];
}

/** An opinion at or above this score, and not flagged vague, counts as valid (有效意见). */
export const QUALITY_PASS_SCORE = 0.6;

export const passesQualityCheck = (quality: Pick<OpinionQuality, 'score' | 'flags'>): boolean =>
  quality.score >= QUALITY_PASS_SCORE && !quality.flags.includes('vague');

/** Phrases that, alone, carry no concrete proposal. Longest first so that removal is greedy. */
const VAGUE_PHRASES = [
  '建议进一步加强研究',
  '建议进一步完善',
  '建议进一步研究',
  '建议进一步加强',
  '建议进一步明确',
  '建议进一步细化',
  '建议进一步优化',
  '建议加大支持力度',
  '建议认真研究',
  '建议深入研究',
  '建议统筹考虑',
  '建议统筹推进',
  '建议高度重视',
  '建议重点关注',
  '建议抓好落实',
  '建议认真落实',
  '建议予以考虑',
  '建议酌情考虑',
  '建议加大力度',
  '建议加强',
  '建议完善',
  '建议研究',
  '建议细化',
  '建议优化',
  '进一步完善',
  '进一步研究',
  '进一步加强',
  '进一步明确',
  '进一步细化',
  '进一步优化',
  '加大力度',
  '原则同意',
  '原则上同意',
  '完全同意',
  '表示同意',
  '没有修改意见',
  '没有其他意见',
  '没有意见',
  '没有异议',
  '暂无意见',
  '无修改意见',
  '无修改建议',
  '无其他意见',
  '无补充意见',
  '无意见',
  '无异议',
  '总体可行',
  '基本可行',
  '写得很好',
  '非常好',
  '很全面',
  '很有必要',
  '同意',
  '赞同',
  '赞成',
  '拥护',
  '认可',
  '支持',
  '很好',
  '可以',
];

/** The Chinese stock phrases as one pattern: one pass over the text instead of one per phrase. */
const VAGUE_PATTERN = new RegExp(VAGUE_PHRASES.join('|'), 'gu');

/** English stock answers, matched on whole words in lower case; longest first. */
const VAGUE_ENGLISH = [
  'i strongly support this proposal',
  'i support this proposal',
  'i fully support',
  'i strongly support',
  'i strongly agree',
  'i completely agree',
  'nothing to add',
  'no further comments',
  'no further comment',
  'no objections',
  'no objection',
  'no comments',
  'no comment',
  'needs further study',
  'needs improvement',
  'should be improved',
  'should be strengthened',
  'further study',
  'please consider',
  'looks good to me',
  'looks good',
  'sounds good',
  'well done',
  'good job',
  'i agree',
  'i support',
  'agreed',
  'agree',
  'support',
  'approve',
  'approved',
  'lgtm',
  'n/a',
  'none',
  'fine',
  'okay',
  'ok',
  'good',
  'great',
  'yes',
];
const VAGUE_ENGLISH_PATTERN = new RegExp(
  `\\b(?:${VAGUE_ENGLISH.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})\\b`,
  'g',
);

/** English words that carry no proposal: function words and the genre's own vocabulary. */
const ENGLISH_FILLER = new Set(
  `a an the and or but of to in on at by for with from as is are was were be been it its this that these those
  i we you he she they me us my our your their them it's i'm very really just also so too all any some
  comment comments rule rules proposal proposed regulation plan draft section please thank thanks dear
  sir madam sincerely regards think believe feel would could should will can may might must strongly fully
  completely totally here there about much more`
    .split(/\s+/u)
    .filter((w) => w !== ''),
);

/** Filler words that remain once vague phrases are removed and still say nothing. */
const FILLER_CHARS = '的了和与及等有关相关内容方面工作部分我单位本单位我们该此本条款条文规划草案稿文件';
const FILLER = new RegExp(`[${FILLER_CHARS}]`, 'gu');

/**
 * Named measures: the suggestion says what to do, to what, or by how much. In Chinese, words and clause
 * numbers (第三条); then quotations, English verbs and parts of a text.
 */
const MEASURE_WORDS_HAN: readonly string[] = [
  '修改为|改为|调整为|表述为|替换为|增加|增补|补充|新增|增设|删除|删去|取消|合并|拆分|提高|降低|下调|上调|延长|缩短',
  '建立|设立|制定|出台|编制|实施|开展|明确由|纳入|列入|写入|设置|实行|推行',
  '制度|机制|办法|标准|平台|清单|目录|指标|项目|工程|专项|基金|试点|考核|规程|条例',
]
  .join('|')
  .split('|');
const CLAUSE_NUMBER = /第[一二三四五六七八九十百零〇\d]+[编章节条款项]/uy;
const CLAUSE_MARK = '第'.charCodeAt(0);
/** Quotation marks around a replacement text: “…”, "…", 「…」, 『…』 (the ASCII mark opens and closes). */
const isOpeningQuote = (c: number): boolean => c === 0x201c || c === 0x22 || c === 0x300c || c === 0x300e;
const isClosingQuote = (c: number): boolean => c === 0x201d || c === 0x22 || c === 0x300d || c === 0x300f;
/** Any closing mark (isClosingQuote). */
const CLOSING_MARK = /[\u201d"\u300d\u300f]/;

/**
 * Whether the text quotes something: an opening mark, two characters or more that are no closing mark,
 * then a closing mark; what /[“"「『][^”"」』]{2,}[”"」』]/u matches, in one pass. That pattern, tried from
 * every opening mark to the end of the text, takes time in the square of a long run of opening marks
 * without a closing one (over a minute for 200,000 of them).
 */
export function hasQuotation(text: string): boolean {
  // Only a closing mark ends a quotation: most texts hold none, and a pattern finds that faster.
  if (!CLOSING_MARK.test(text)) {
    return false;
  }
  // In code points, as the pattern counts: the position reached, and the earliest opening mark since
  // the last closing one (-1 for none).
  let at = 0;
  let open = -1;
  for (let k = 0; k < text.length; k++, at++) {
    const c = text.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(k + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        k++; // a surrogate pair: one character, no mark
      }
      continue;
    }
    if (isClosingQuote(c)) {
      if (open !== -1 && at - open > 2) {
        return true;
      }
      open = isOpeningQuote(c) ? at : -1;
    } else if (open === -1 && isOpeningQuote(c)) {
      open = at;
    }
  }
  return false;
}
const MEASURE_VERBS =
  'change|amend|replace|revise|reword|insert|delete|remove|strike|increase|decrease|reduce|raise|lower|extend|shorten|require|establish|create|exempt|exclude|cap|limit|fund|allocate|prohibit|mandate';
const MEASURE_PARTS = 'section|article|paragraph|clause|item';
const MEASURE_PATTERNS_LATIN: RegExp[] = [
  new RegExp(`\\b(?:${MEASURE_VERBS})\\w*\\b`, 'iu'),
  new RegExp(`\\b(?:${MEASURE_PARTS})\\s+\\(?\\d|§\\s*\\d`, 'iu'),
];

const alternation = (patterns: readonly RegExp[], flags: string): RegExp =>
  new RegExp(patterns.map((pattern) => `(?:${pattern.source})`).join('|'), flags);

/*
 * A text names a measure when it holds one of the words or when one of the patterns above matches it,
 * case-insensitive. They are looked for by script, each part only when the text can match it: see
 * scanChinese, and ENGLISH_MARKERS for the English patterns, which match the same without the u flag
 * (much faster) in any text without ſ or K.
 */
const MEASURE_LATIN = alternation(MEASURE_PATTERNS_LATIN, 'iu');
/** Every Chinese measure and reason marker begins with a character of this block. */
const HAN_START = /[\u4e00-\u9fff]/;
/** Every English measure and reason marker begins with an ASCII letter or §. */
const LATIN_START = /[A-Za-z§]/;

/**
 * A number: a digit, a Chinese numeral followed by a unit (三项, 十亿元), or 百分之. One numeral before the
 * unit is enough to know a run of them has one; a pattern for the whole run ([一…亿]+ then the unit) tries
 * every run from each of its numerals and takes time in the square of a long run without a unit.
 */
const NUMBER = /\d|[一二三四五六七八九十百千万亿](?:个|项|年|月|日|天|万|亿|元|倍|成|%|％|百分点)|百分之/u;

/** Whether the text holds a number (NUMBER). */
export function mentionsNumber(text: string): boolean {
  return NUMBER.test(text);
}

/**
 * Reasons given inside the suggestion itself ("因为…", "because …"): they count when the reasons field is
 * empty, provided enough follows the marker to be a reason.
 */
const INLINE_REASON_ZH =
  '因为|由于|鉴于|考虑到|原因是|理由是|主要是|依据|根据《|据统计|数据显示|调查显示|目前|现状是|否则';
const INLINE_REASON_EN_MARKERS =
  'because|since|due to|given that|according to|data shows?|evidence|otherwise|as a result';
const INLINE_REASON_EN = new RegExp(`\\b(?:${INLINE_REASON_EN_MARKERS})\\b`, 'iu');
const INLINE_REASON_MIN = 8;

/*
 * The English measures and reason markers (group 1) as one pattern, for one scan of an English text
 * without ſ or K instead of two. No reason marker can begin inside a measure or the other way round, so
 * a scan from left to right meets the first reason marker. "\w*\b" after a verb always holds: it is left
 * out. The measure "§ 5", rare, is looked for apart (SECTION_SIGN).
 */
const ENGLISH_MARKERS = new RegExp(
  `\\b(?:${MEASURE_VERBS}|(?:${MEASURE_PARTS})\\s+\\(?\\d|(${INLINE_REASON_EN_MARKERS})\\b)`,
  'gi',
);
const SECTION_SIGN = /§\s*\d/;

/** What a text says in one language: whether it names a measure, where its first reason marker ends. */
interface Markers {
  measure: boolean;
  /** Where the first reason marker ends; -1 without one. */
  reasonEnd: number;
}

/**
 * True when the text holds ſ (long s) or K (Kelvin sign): case-insensitive Unicode patterns take them for
 * s and k (and as word characters), other patterns do not.
 */
const hasCaseTwins = (text: string): boolean => text.includes('ſ') || text.includes('\u212a');

/** The English markers of a text; the reason marker only when `reasons` asks for it. */
function scanEnglish(text: string, reasons: boolean): Markers {
  if (!LATIN_START.test(text)) {
    return { measure: false, reasonEnd: -1 };
  }
  if (hasCaseTwins(text)) {
    const reason = reasons ? INLINE_REASON_EN.exec(text) : null;
    return {
      measure: MEASURE_LATIN.test(text),
      reasonEnd: reason === null ? -1 : reason.index + reason[0].length,
    };
  }
  const found: Markers = { measure: text.includes('§') && SECTION_SIGN.test(text), reasonEnd: -1 };
  ENGLISH_MARKERS.lastIndex = 0;
  while (!found.measure || (reasons && found.reasonEnd < 0)) {
    const match = ENGLISH_MARKERS.exec(text);
    if (match === null) {
      break;
    }
    if (match[1] === undefined) {
      found.measure = true;
    } else if (found.reasonEnd < 0) {
      found.reasonEnd = match.index + match[0].length;
    }
  }
  return found;
}

/** Words by their first two characters (first × 65536 + second), in the order of their list. */
function wordsByPair(words: readonly string[]): ReadonlyMap<number, readonly string[]> {
  const index = new Map<number, string[]>();
  for (const word of words) {
    const key = word.charCodeAt(0) * 0x10000 + word.charCodeAt(1);
    index.set(key, [...(index.get(key) ?? []), word]);
  }
  return index;
}

const MEASURE_BY_PAIR = wordsByPair(MEASURE_WORDS_HAN);
const REASON_BY_PAIR = wordsByPair(INLINE_REASON_ZH.split('|'));

/** A slot of PAIR_KINDS for two code units. */
const pairSlot = (first: number, second: number): number => ((first << 5) ^ second) & 0xffff;
const MEASURE_PAIR = 1;
const REASON_PAIR = 2;
/**
 * Which lists may have a word that begins with two given characters (MEASURE_PAIR, REASON_PAIR), by
 * their slot: two characters whose slot is empty begin no word, which is the case of most pairs in a text.
 */
const PAIR_KINDS: Uint8Array = (() => {
  const kinds = new Uint8Array(0x10000);
  for (const [index, kind] of [
    [MEASURE_BY_PAIR, MEASURE_PAIR],
    [REASON_BY_PAIR, REASON_PAIR],
  ] as const) {
    for (const key of index.keys()) {
      kinds[pairSlot(Math.floor(key / 0x10000), key % 0x10000)]! |= kind;
    }
  }
  return kinds;
})();

/** The first word of the list of `index` that the text holds at `at`, or undefined. */
function wordAt(text: string, at: number, index: ReadonlyMap<number, readonly string[]>): string | undefined {
  const words = index.get(text.charCodeAt(at) * 0x10000 + text.charCodeAt(at + 1));
  return words?.find((word) => text.startsWith(word, at));
}

/**
 * The Chinese markers of a text in one pass over its pairs of characters: whether it names a measure
 * (a word of MEASURE_WORDS_HAN or a CLAUSE_NUMBER) and, when `reasons` asks for it, where the first
 * reason marker (INLINE_REASON_ZH, the first of the list at the first place) ends.
 */
function scanChinese(text: string, reasons: boolean): Markers {
  const found: Markers = { measure: false, reasonEnd: -1 };
  if (!HAN_START.test(text)) {
    return found;
  }
  for (let i = 0; i + 1 < text.length && (!found.measure || (reasons && found.reasonEnd < 0)); i++) {
    const code = text.charCodeAt(i);
    const kinds = PAIR_KINDS[pairSlot(code, text.charCodeAt(i + 1))]!;
    if (!found.measure) {
      found.measure =
        ((kinds & MEASURE_PAIR) !== 0 && wordAt(text, i, MEASURE_BY_PAIR) !== undefined) ||
        (code === CLAUSE_MARK && clauseNumberAt(text, i));
    }
    if (reasons && found.reasonEnd < 0 && (kinds & REASON_PAIR) !== 0) {
      const marker = wordAt(text, i, REASON_BY_PAIR);
      found.reasonEnd = marker === undefined ? -1 : i + marker.length;
    }
  }
  return found;
}

function clauseNumberAt(text: string, at: number): boolean {
  CLAUSE_NUMBER.lastIndex = at;
  return CLAUSE_NUMBER.test(text);
}

/** Latin-script words: each counts as two characters of Chinese, the information an English word carries. */
const LATIN_WORD = /[A-Za-z\u00C0-\u024F]+(?:['’][A-Za-z]+)?/gu;
const LATIN_WORD_WEIGHT = 2;
const HAS_LATIN = /[A-Za-z\u00C0-\u024F]/u;

/** Spaces, punctuation and symbols: they do not make an opinion longer. */
const NOT_MEANINGFUL = /[\s\p{P}\p{S}]/u;
const NOT_MEANINGFUL_ALL = new RegExp(NOT_MEANINGFUL.source, 'gu');
const HAS_MEANINGFUL = /[^\s\p{P}\p{S}]/u;

/** Letters and digits only: punctuation and spaces do not make an opinion longer. */
const meaningful = (text: string): string => text.replace(NOT_MEANINGFUL_ALL, '');

const isAsciiLetter = (code: number): boolean => (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;
/** A letter of LATIN_WORD's first part. */
const isLatinLetter = (code: number): boolean => isAsciiLetter(code) || (code >= 0xc0 && code <= 0x24f);

/** Per UTF-16 code unit, filled on first sight: 0 not yet known, 1 meaningful, 2 not (NOT_MEANINGFUL). */
const UNIT_CLASS = new Uint8Array(0x10000);
/** The same for code points beyond the BMP (emoji …). */
const ASTRAL_MEANINGFUL = new Map<number, boolean>();

/** 1 when the code unit, as a code point of its own, counts; 0 when it is a space, punctuation or symbol. */
function unitWeight(code: number): number {
  let known = UNIT_CLASS[code]!;
  if (known === 0) {
    known = NOT_MEANINGFUL.test(String.fromCharCode(code)) ? 2 : 1;
    UNIT_CLASS[code] = known;
  }
  return known === 1 ? 1 : 0;
}

function astralMeaningful(codePoint: number): boolean {
  let known = ASTRAL_MEANINGFUL.get(codePoint);
  if (known === undefined) {
    known = !NOT_MEANINGFUL.test(String.fromCodePoint(codePoint));
    ASTRAL_MEANINGFUL.set(codePoint, known);
  }
  return known;
}

/** Where the Latin word that goes on at `at` ends (LATIN_WORD: letters, then an optional 's, 't …). */
function latinWordEnd(text: string, at: number, end: number): number {
  let i = at;
  while (i < end && isLatinLetter(text.charCodeAt(i))) {
    i++;
  }
  const mark = i < end ? text.charCodeAt(i) : 0;
  if ((mark === 0x27 || mark === 0x2019) && i + 1 < end && isAsciiLetter(text.charCodeAt(i + 1))) {
    i += 2;
    while (i < end && isAsciiLetter(text.charCodeAt(i))) {
      i++;
    }
  }
  return i;
}

/**
 * How much text[from, end) says, in Chinese characters: letters and digits count, spaces, punctuation and
 * symbols do not, and an English (Latin-script) word counts as two. Counting stops once `cap` is reached,
 * so the result is exact below `cap` and at least `cap` otherwise: a long text need not be read to the end.
 */
function meaningfulLength(text: string, cap = Infinity, from = 0, end = text.length): number {
  let length = 0;
  let i = from;
  while (i < end && length < cap) {
    const code = text.charCodeAt(i);
    if (isLatinLetter(code)) {
      i = latinWordEnd(text, i + 1, end);
      length += LATIN_WORD_WEIGHT;
    } else if (
      code >= 0xd800 &&
      code <= 0xdbff &&
      i + 1 < end &&
      (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    ) {
      length += astralMeaningful(text.codePointAt(i)!) ? 2 : 0;
      i += 2;
    } else {
      length += unitWeight(code);
      i++;
    }
  }
  return length;
}

/** What the residue cannot lose: the characters of vague phrases, filler and 建议/意见/认为. */
const RESIDUE_REMOVABLE: ReadonlySet<number> = new Set(
  [...VAGUE_PHRASES, FILLER_CHARS, '建议意见认为'].flatMap((s) => [...s].map((c) => c.charCodeAt(0))),
);
/** Words of the English stock answers and filler: the English residue may lose them. */
const ENGLISH_REMOVABLE: ReadonlySet<string> = new Set([
  ...ENGLISH_FILLER,
  ...VAGUE_ENGLISH.flatMap((phrase) => phrase.match(/[a-z]+/gu) ?? []),
]);

/** An edge of a plain English word: the ends of the text, or ASCII that is no letter or apostrophe. */
function isPlainWordEdge(text: string, at: number): boolean {
  if (at < 0 || at >= text.length) {
    return true;
  }
  const code = text.charCodeAt(at);
  return code < 0x80 && !isAsciiLetter(code) && code !== 0x27;
}

/**
 * True when residueLength(text) is surely at least `limit`, from what the residue cannot lose: Chinese
 * characters outside the vague phrases and filler, and plain English words outside the stock answers and
 * filler. False when that is not enough to tell.
 */
function residueSurelyReaches(text: string, limit: number): boolean {
  let sure = 0;
  for (let i = 0; i < text.length && sure < limit; i++) {
    const code = text.charCodeAt(i);
    if (isAsciiLetter(code)) {
      let end = i + 1;
      while (end < text.length && isAsciiLetter(text.charCodeAt(end))) {
        end++;
      }
      if (
        isPlainWordEdge(text, i - 1) &&
        isPlainWordEdge(text, end) &&
        !ENGLISH_REMOVABLE.has(text.slice(i, end).toLowerCase())
      ) {
        sure += LATIN_WORD_WEIGHT;
      }
      i = end - 1;
    } else if (
      !isLatinLetter(code) &&
      (code < 0xd800 || code > 0xdfff) &&
      unitWeight(code) === 1 &&
      !RESIDUE_REMOVABLE.has(code)
    ) {
      sure++;
    }
  }
  return sure >= limit;
}

/** What is left of a text once every vague phrase and filler word is taken out, in Chinese characters. */
function residueLength(text: string): number {
  const latin = HAS_LATIN.test(text);
  const rest = meaningful(latin ? text.replace(LATIN_WORD, ' ') : text)
    .replace(VAGUE_PATTERN, '')
    .replace(FILLER, '')
    .replace(/建议|意见|认为/gu, '');
  if (!latin) {
    return rest.length;
  }
  // English: the content words left once stock answers and filler are gone.
  let english = 0;
  const lower = text.toLowerCase().replace(VAGUE_ENGLISH_PATTERN, ' ');
  for (const word of lower.match(LATIN_WORD) ?? []) {
    if (!ENGLISH_FILLER.has(word)) {
      english++;
    }
  }
  return rest.length + english * LATIN_WORD_WEIGHT;
}

/** The residue of a text is below `limit`: most texts say enough to tell without computing it. */
const residueBelow = (text: string, limit: number): boolean =>
  !residueSurelyReaches(text, limit) && residueLength(text) < limit;

const HINTS: Record<QualityFlag, string> = {
  no_target: '请选择意见针对的条款，或注明针对草案全文。',
  vague: '意见较为笼统（如“同意”“建议进一步完善”），请写明具体修改建议：改什么、怎么改。',
  too_short: '意见内容过短，请说明具体问题和修改建议。',
  no_reasons: '请补充理由或依据（政策文件、数据、实际情况等），便于研判采纳。',
  not_specific: '建议提出具体措施、数字指标或“建议修改为”的替换文字，使意见可操作。',
};

const hasText = (value: string | null | undefined): value is string =>
  typeof value === 'string' && HAS_MEANINGFUL.test(value);

/** Markers of a text in both languages, when already scanned. */
interface Scanned {
  chinese: Markers;
  english: Markers;
}

/** True when the text names a measure; `scanned`: its markers, when already scanned. */
function namesMeasure(text: string, scanned: Scanned | null): boolean {
  return (
    (scanned?.chinese ?? scanChinese(text, false)).measure ||
    hasQuotation(text) ||
    (scanned?.english ?? scanEnglish(text, false)).measure
  );
}

const reasonFollows = (suggestion: string, markerEnd: number): boolean =>
  meaningfulLength(suggestion, INLINE_REASON_MIN, markerEnd) >= INLINE_REASON_MIN;

/**
 * True when the suggestion gives its own reasons ("因为…", "because …"): after the first marker in either
 * language, enough to be a reason. `scanned`: its markers, when already scanned.
 */
function hasInlineReasons(suggestion: string, scanned: Scanned | null): boolean {
  const chinese = (scanned?.chinese ?? scanChinese(suggestion, true)).reasonEnd;
  if (chinese >= 0 && reasonFollows(suggestion, chinese)) {
    return true;
  }
  const english = (scanned?.english ?? scanEnglish(suggestion, true)).reasonEnd;
  return english >= 0 && reasonFollows(suggestion, english);
}

/** Scores one opinion; deterministic and cheap enough to run on every keystroke. */
export function checkOpinionQuality(input: OpinionQualityInput): OpinionQuality {
  const kind = input.kind ?? 'substantive';
  const suggestion = input.suggestion ?? '';
  const proposedText = input.proposedText ?? '';
  const quote = input.quote ?? '';
  const flags: QualityFlag[] = [];
  // Only thresholds up to 20 are ever compared with the length of the suggestion.
  const body = meaningfulLength(suggestion, 20);
  // Of the patterns, only a quotation can run across the line breaks that join the parts: a suggestion
  // alone is read as it is.
  const combined =
    proposedText === '' && quote === '' ? suggestion : [suggestion, proposedText, quote].join('\n');

  const hasTarget = input.clauseStableId !== undefined;
  const reasonsField = hasText(input.reasons) && meaningfulLength(input.reasons, 4) >= 4;
  const needsInlineReasons = !reasonsField && kind !== 'question';
  // One scan per language finds the measures and reason markers when both look at the same text.
  const scanned =
    combined === suggestion
      ? {
          chinese: scanChinese(suggestion, needsInlineReasons),
          english: scanEnglish(suggestion, needsInlineReasons),
        }
      : null;
  const hasReasons = reasonsField || (needsInlineReasons && hasInlineReasons(suggestion, scanned));
  const hasProposed = hasText(input.proposedText);
  const hasQuote = hasText(input.quote);
  const hasNumber = mentionsNumber(combined) || mentionsNumber(input.reasons ?? '');
  const hasMeasure = namesMeasure(combined, scanned);
  // Vague: the suggestion is nothing but stock phrases, or a stock phrase with next to nothing concrete.
  // The residue, the costliest part, is computed only when the rest leaves the question open.
  const vague = body > 0 && !hasProposed && !hasNumber && !hasMeasure && residueBelow(suggestion, 6);

  if (!hasTarget) {
    flags.push('no_target');
  }
  if (vague || body === 0) {
    flags.push('vague');
  }
  if (body < 10) {
    flags.push('too_short');
  }
  if (!hasReasons && kind !== 'question') {
    flags.push('no_reasons');
  }
  if (kind !== 'question' && !hasProposed && !hasNumber && !hasMeasure) {
    flags.push('not_specific');
  }

  let score = 0;
  score += hasTarget ? (input.clauseStableId === null ? 0.1 : 0.15) : 0;
  if (!vague && body > 0) {
    score += body >= 20 ? 0.3 : body >= 10 ? 0.2 : 0.1;
  }
  if (kind === 'question') {
    // A question needs no reasons or replacement text; clarity and a target are what count.
    score += hasReasons ? 0.3 : 0.2;
    score += hasQuote || hasNumber || hasMeasure ? 0.3 : 0.2;
  } else {
    score += reasonsField
      ? meaningfulLength(input.reasons ?? '', 15) >= 15
        ? 0.25
        : 0.15
      : hasReasons
        ? 0.15
        : 0;
    score += hasProposed ? 0.15 : 0;
    score += hasNumber ? 0.08 : 0;
    score += hasMeasure ? 0.07 : 0;
    score += hasQuote ? 0.05 : 0;
  }
  if (vague) {
    score = Math.min(score, 0.2);
  }
  score = Math.round(Math.max(0, Math.min(1, score)) * 100) / 100;
  return { score, flags, hints: flags.map((flag) => HINTS[flag]) };
}
