/*
 * The quality check of an opinion (意见质量检查): pure, run while the person types and again on every save.
 * It scores how far the opinion follows the template 针对条款 + 具体建议 + 理由依据 and flags answers that
 * say nothing ("同意", "无意见", "建议进一步完善"). The score feeds the valid-opinion ratio (有效意见占比).
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
  '建议进一步完善',
  '建议进一步研究',
  '建议进一步加强',
  '建议进一步明确',
  '建议进一步细化',
  '建议进一步优化',
  '建议认真研究',
  '建议统筹考虑',
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
  '原则同意',
  '原则上同意',
  '完全同意',
  '表示同意',
  '没有意见',
  '暂无意见',
  '无修改意见',
  '无意见',
  '无异议',
  '同意',
  '赞同',
  '支持',
  '很好',
  '可以',
];

/** Filler words that remain once vague phrases are removed and still say nothing. */
const FILLER = /[的了和与及等有关相关内容方面工作部分我单位本单位我们该此本条款条文规划草案稿文件]/gu;

/** Named measures: the suggestion says what to do, to what, or by how much. */
const MEASURE_PATTERNS: RegExp[] = [
  /修改为|改为|调整为|表述为|替换为|增加|增补|补充|新增|增设|删除|删去|取消|合并|拆分|提高|降低|下调|上调|延长|缩短/u,
  /建立|设立|制定|出台|编制|实施|开展|明确由|纳入|列入|写入|设置|实行|推行/u,
  /制度|机制|办法|标准|平台|清单|目录|指标|项目|工程|专项|基金|试点|考核|规程|条例/u,
  /第[一二三四五六七八九十百零〇\d]+[编章节条款项]/u,
  /[“"「『][^”"」』]{2,}[”"」』]/u,
];

const NUMBER = /\d|[一二三四五六七八九十百千万亿]+(个|项|年|月|日|天|万|亿|元|倍|成|%|％|百分点)|百分之/u;

/** Letters and digits only: punctuation and spaces do not make an opinion longer. */
const meaningful = (text: string): string => text.replace(/[\s\p{P}\p{S}]/gu, '');

/** What is left of a text once every vague phrase and filler word is taken out. */
function residue(text: string): string {
  let rest = meaningful(text);
  for (const phrase of VAGUE_PHRASES) {
    rest = rest.replaceAll(phrase, '');
  }
  return rest.replace(FILLER, '').replace(/建议|意见|认为/gu, '');
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

/** Scores one opinion; deterministic and cheap enough to run on every keystroke. */
export function checkOpinionQuality(input: OpinionQualityInput): OpinionQuality {
  const kind = input.kind ?? 'substantive';
  const suggestion = input.suggestion ?? '';
  const flags: QualityFlag[] = [];
  const body = meaningful(suggestion);
  const concrete = residue(suggestion);
  const combined = [suggestion, input.proposedText ?? '', input.quote ?? ''].join('\n');

  const hasTarget = input.clauseStableId !== undefined;
  const hasReasons = hasText(input.reasons) && meaningful(input.reasons).length >= 4;
  const hasProposed = hasText(input.proposedText);
  const hasQuote = hasText(input.quote);
  const hasNumber = NUMBER.test(combined) || NUMBER.test(input.reasons ?? '');
  const hasMeasure = MEASURE_PATTERNS.some((pattern) => pattern.test(combined));
  // Vague: the suggestion is nothing but stock phrases, or a stock phrase with next to nothing concrete.
  const vague = body.length > 0 && concrete.length < 6 && !hasProposed && !hasNumber && !hasMeasure;

  if (!hasTarget) {
    flags.push('no_target');
  }
  if (vague || body.length === 0) {
    flags.push('vague');
  }
  if (body.length < 10) {
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
  if (!vague && body.length > 0) {
    score += body.length >= 20 ? 0.3 : body.length >= 10 ? 0.2 : 0.1;
  }
  if (kind === 'question') {
    // A question needs no reasons or replacement text; clarity and a target are what count.
    score += hasReasons ? 0.3 : 0.2;
    score += hasQuote || hasNumber || hasMeasure ? 0.3 : 0.2;
  } else {
    score += hasReasons ? (meaningful(input.reasons ?? '').length >= 15 ? 0.25 : 0.15) : 0;
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
