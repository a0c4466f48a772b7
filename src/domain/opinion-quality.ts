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
const FILLER = /[的了和与及等有关相关内容方面工作部分我单位本单位我们该此本条款条文规划草案稿文件]/gu;

/** Named measures: the suggestion says what to do, to what, or by how much. */
const MEASURE_PATTERNS: RegExp[] = [
  /修改为|改为|调整为|表述为|替换为|增加|增补|补充|新增|增设|删除|删去|取消|合并|拆分|提高|降低|下调|上调|延长|缩短/u,
  /建立|设立|制定|出台|编制|实施|开展|明确由|纳入|列入|写入|设置|实行|推行/u,
  /制度|机制|办法|标准|平台|清单|目录|指标|项目|工程|专项|基金|试点|考核|规程|条例/u,
  /第[一二三四五六七八九十百零〇\d]+[编章节条款项]/u,
  /[“"「『][^”"」』]{2,}[”"」』]/u,
  /\b(?:change|amend|replace|revise|reword|insert|delete|remove|strike|increase|decrease|reduce|raise|lower|extend|shorten|require|establish|create|exempt|exclude|cap|limit|fund|allocate|prohibit|mandate)\w*\b/iu,
  /\b(?:section|article|paragraph|clause|item)\s+\(?\d|§\s*\d/iu,
];

/** The named measures as one pattern: one scan of the text instead of one per pattern. */
const MEASURE = new RegExp(MEASURE_PATTERNS.map((pattern) => `(?:${pattern.source})`).join('|'), 'iu');

const NUMBER = /\d|[一二三四五六七八九十百千万亿]+(个|项|年|月|日|天|万|亿|元|倍|成|%|％|百分点)|百分之/u;

/**
 * Reasons given inside the suggestion itself ("因为…", "because …"): they count when the reasons field is
 * empty, provided enough follows the marker to be a reason.
 */
const INLINE_REASON_ZH =
  /因为|由于|鉴于|考虑到|原因是|理由是|主要是|依据|根据《|据统计|数据显示|调查显示|目前|现状是|否则/u;
const INLINE_REASON_EN =
  /\b(?:because|since|due to|given that|according to|data shows?|evidence|otherwise|as a result)\b/iu;
const INLINE_REASON_MIN = 8;
/*
 * A cheap necessary condition of INLINE_REASON_EN, tried first (case-insensitive Unicode matching is
 * slow): each marker without the letters s and k, which that pattern also matches as ſ and K.
 */
const INLINE_REASON_EN_HINT = /becau|ince|due to|given that|according to|data |evidence|otherwi| a re/i;

/** Latin-script words: each counts as two characters of Chinese, the information an English word carries. */
const LATIN_WORD = /[A-Za-z\u00C0-\u024F]+(?:['’][A-Za-z]+)?/gu;
const LATIN_WORD_WEIGHT = 'ww';
const HAS_LATIN = /[A-Za-z\u00C0-\u024F]/u;

/** Letters and digits only: punctuation and spaces do not make an opinion longer. */
const meaningful = (text: string): string => text.replace(/[\s\p{P}\p{S}]/gu, '');

/** How much a text says, in Chinese characters: an English word counts as two. */
const meaningfulLength = (text: string): number =>
  meaningful(HAS_LATIN.test(text) ? text.replace(LATIN_WORD, LATIN_WORD_WEIGHT) : text).length;

/** Code units of the first look at a long text: usually enough to reach any threshold. */
const PREFIX_LENGTH = 160;

/**
 * meaningfulLength, exact below `cap` and at least `cap` otherwise. A prefix never says more than the
 * whole text, so when a prefix reaches the cap the rest of a long text need not be read.
 */
function meaningfulLengthUpTo(text: string, cap: number): number {
  if (text.length > PREFIX_LENGTH) {
    // Cut between code points, never inside a surrogate pair.
    const code = text.charCodeAt(PREFIX_LENGTH - 1);
    const end = code >= 0xd800 && code <= 0xdbff ? PREFIX_LENGTH + 1 : PREFIX_LENGTH;
    const prefix = meaningfulLength(text.slice(0, end));
    if (prefix >= cap) {
      return prefix;
    }
  }
  return meaningfulLength(text);
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
  return rest.length + english * LATIN_WORD_WEIGHT.length;
}

const HINTS: Record<QualityFlag, string> = {
  no_target: '请选择意见针对的条款，或注明针对草案全文。',
  vague: '意见较为笼统（如“同意”“建议进一步完善”），请写明具体修改建议：改什么、怎么改。',
  too_short: '意见内容过短，请说明具体问题和修改建议。',
  no_reasons: '请补充理由或依据（政策文件、数据、实际情况等），便于研判采纳。',
  not_specific: '建议提出具体措施、数字指标或“建议修改为”的替换文字，使意见可操作。',
};

const hasText = (value: string | null | undefined): value is string =>
  typeof value === 'string' && meaningful(value).length > 0;

/** True when the suggestion gives its own reasons ("因为…", "because …"). */
function hasInlineReasons(suggestion: string): boolean {
  for (const pattern of [INLINE_REASON_ZH, INLINE_REASON_EN]) {
    if (pattern === INLINE_REASON_EN && !INLINE_REASON_EN_HINT.test(suggestion)) {
      continue;
    }
    const match = pattern.exec(suggestion);
    if (
      match !== null &&
      meaningfulLengthUpTo(suggestion.slice(match.index + match[0].length), INLINE_REASON_MIN) >=
        INLINE_REASON_MIN
    ) {
      return true;
    }
  }
  return false;
}

/** Scores one opinion; deterministic and cheap enough to run on every keystroke. */
export function checkOpinionQuality(input: OpinionQualityInput): OpinionQuality {
  const kind = input.kind ?? 'substantive';
  const suggestion = input.suggestion ?? '';
  const flags: QualityFlag[] = [];
  // Only thresholds up to 20 are ever compared with the length of the suggestion.
  const body = meaningfulLengthUpTo(suggestion, 20);
  const combined = [suggestion, input.proposedText ?? '', input.quote ?? ''].join('\n');

  const hasTarget = input.clauseStableId !== undefined;
  const reasonsField = hasText(input.reasons) && meaningfulLength(input.reasons) >= 4;
  const hasReasons = reasonsField || (kind !== 'question' && hasInlineReasons(suggestion));
  const hasProposed = hasText(input.proposedText);
  const hasQuote = hasText(input.quote);
  const hasNumber = NUMBER.test(combined) || NUMBER.test(input.reasons ?? '');
  const hasMeasure = MEASURE.test(combined);
  // Vague: the suggestion is nothing but stock phrases, or a stock phrase with next to nothing concrete.
  // The residue, the costliest part, is computed only when the rest leaves the question open.
  const vague = body > 0 && !hasProposed && !hasNumber && !hasMeasure && residueLength(suggestion) < 6;

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
      ? meaningfulLength(input.reasons ?? '') >= 15
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
