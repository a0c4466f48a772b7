/**
 * The quality check of an opinion (src/domain/opinion-quality.ts) improved with what the analysis knows:
 * figures with a target, planning terms and concrete key phrases show a specific opinion even when none
 * of the typing-time patterns match. It keeps the typing-time flags and score scale, so both count the
 * same in the valid-opinion ratio.
 *
 * A bare text (an imported comment, a CLI record `{id, text}`) has no clause chosen and no separate
 * reasons: it is scored as an opinion on the whole draft, and never flagged `no_target`. Pass `clauseId`
 * (even `undefined`) to check the target as the typing-time check does.
 */
import type { QualityFlag } from '../domain/opinion-quality.ts';
import { checkOpinionQuality } from '../domain/opinion-quality.ts';
import type { Figure } from './figures.ts';
import { extractFigures } from './figures.ts';
import type { Keyphrase } from './keyphrases.ts';
import { PLANNING_TERMS } from './planning-terms.ts';

export interface TextQuality {
  /** 0..1, two decimals. */
  score: number;
  flags: QualityFlag[];
}

export interface QualityInput {
  text: string;
  reasons?: string | null;
  proposedText?: string | null;
  quote?: string | null;
  /** A clause's stable id; null = the whole draft; undefined (when given) = no target chosen yet. */
  clauseId?: string | null;
  kind?: 'substantive' | 'editorial' | 'question';
  /** Figures of `text`, when already extracted (else they are extracted here). */
  figures?: readonly Figure[];
  /** Key phrases of `text`, when already extracted (they are not computed here: that needs the segmenter). */
  keyphrases?: readonly (Keyphrase | string)[];
}

/** Score added for each kind of specificity the analysis finds, up to SPECIFICITY_MAX in all. */
const SPECIFICITY_STEP = 0.04;
const SPECIFICITY_MAX = 0.1;
/** What the typing-time check gives a named measure (see opinion-quality.ts). */
const SPECIFIC_SCORE = 0.07;

/** Only terms that begin with a character of this block are looked for: most Chinese ones. */
const isTermStart = (code: number): boolean => code >= 0x3400 && code <= 0x9fff;
/** The same block: a text without any of its characters (most English ones) names no term. */
const TERM_START_BLOCK = /[\u3400-\u9fff]/;

/** Planning terms by their first two characters (as one number, first × 65536 + second). */
const TERMS_BY_PREFIX: ReadonlyMap<number, readonly string[]> = (() => {
  const index = new Map<number, string[]>();
  for (const term of PLANNING_TERMS) {
    if (term.length >= 2 && isTermStart(term.charCodeAt(0))) {
      const prefix = term.charCodeAt(0) * 0x10000 + term.charCodeAt(1);
      const list = index.get(prefix) ?? [];
      list.push(term);
      index.set(prefix, list);
    }
  }
  return index;
})();

/** A slot of PAIR_FILTER for two code units. */
const pairSlot = (first: number, second: number): number => ((first << 5) ^ second) & 0xffff;

/**
 * The slots of the first two characters of the planning terms: two characters whose slot is empty begin
 * no term, which is the case of almost every pair in a text and of most key phrases.
 */
const PAIR_FILTER: Uint8Array = (() => {
  const filter = new Uint8Array(0x10000);
  for (const term of PLANNING_TERMS) {
    if (term.length >= 2) {
      filter[pairSlot(term.charCodeAt(0), term.charCodeAt(1))] = 1;
    }
  }
  return filter;
})();

/** True when the text names a planning term (高质量发展, 城市更新, 专精特新 …). */
export function mentionsPlanningTerm(text: string): boolean {
  const first = text.search(TERM_START_BLOCK);
  if (first < 0) {
    return false;
  }
  let next = text.charCodeAt(first);
  for (let i = first; i + 1 < text.length; i++) {
    const code = next;
    next = text.charCodeAt(i + 1);
    if (PAIR_FILTER[pairSlot(code, next)] === 0) {
      continue;
    }
    const terms = TERMS_BY_PREFIX.get(code * 0x10000 + next);
    if (terms !== undefined) {
      for (const term of terms) {
        if (text.startsWith(term, i)) {
          return true;
        }
      }
    }
  }
  return false;
}

const PLANNING_SET: ReadonlySet<string> = new Set(PLANNING_TERMS);

/** True when the phrase is a planning term: most phrases are turned down by their first two characters. */
const isPlanningTerm = (phrase: string): boolean =>
  (phrase.length < 2 || PAIR_FILTER[pairSlot(phrase.charCodeAt(0), phrase.charCodeAt(1))] === 1) &&
  PLANNING_SET.has(phrase);
const SPACE = /\s/u;
const HAN = /\p{Script=Han}/u;
/** The CJK Unified Ideographs block: every character in it is of the Han script. */
const isCommonHan = (code: number): boolean => code >= 0x4e00 && code <= 0x9fff;
/** Any non-white-space character: a text without one is empty once trimmed. */
const NOT_SPACE = /\S/u;

/**
 * A key phrase that names something concrete besides a planning term: several words, or a long word
 * (four Chinese characters, eight letters): eight code units are long in any script, four in Chinese.
 */
function isConcreteWording(phrase: string): boolean {
  const length = phrase.length;
  if (length >= 8) {
    return true;
  }
  switch (plainScript(phrase)) {
    case 'han':
      return length >= 4;
    case 'ascii':
      return false;
    default:
      return (length >= 4 && HAN.test(phrase)) || SPACE.test(phrase); // several words: "renewable energy"
  }
}

/**
 * 'han' when every character of the text is in the CJK Unified Ideographs block, 'ascii' when every one
 * is printable ASCII but the space; null otherwise. Either way the text holds no white space.
 */
function plainScript(text: string): 'han' | 'ascii' | null {
  let han = true;
  let ascii = true;
  for (let i = 0; i < text.length && (han || ascii); i++) {
    const code = text.charCodeAt(i);
    han &&= isCommonHan(code);
    ascii &&= code > 0x20 && code < 0x7f;
  }
  return han ? 'han' : ascii ? 'ascii' : null;
}

function hasTargetedFigure(figures: readonly Figure[]): boolean {
  for (let i = 0; i < figures.length; i++) {
    if (figures[i]!.target !== null) {
      return true;
    }
  }
  return false;
}

/**
 * The quality check improved with analysis: specificity from figures, key phrases and planning terms;
 * vague patterns; reasons present; template completeness. Works on a bare text and on a full opinion.
 */
export function assessQuality(input: QualityInput): TextQuality {
  const checksTarget = 'clauseId' in input;
  const base = checkOpinionQuality({
    suggestion: input.text,
    reasons: input.reasons ?? null,
    proposedText: input.proposedText ?? null,
    quote: input.quote ?? null,
    clauseStableId: checksTarget ? input.clauseId : null,
    kind: input.kind ?? 'substantive',
  });
  // Without `clauseId`, the text is checked as an opinion on the whole draft: never flagged no_target.
  const flags = base.flags;
  if (flags.includes('vague') || !NOT_SPACE.test(input.text)) {
    return { score: base.score, flags };
  }

  const figures = input.figures ?? extractFigures(input.text);
  let named = false;
  let concrete = 0;
  const keyphrases = input.keyphrases ?? [];
  for (let i = 0; i < keyphrases.length; i++) {
    const k = keyphrases[i]!;
    const phrase = typeof k === 'string' ? k : k.text;
    const term = isPlanningTerm(phrase);
    named ||= term;
    if (term || isConcreteWording(phrase)) {
      concrete++;
    }
  }
  const planning = named || mentionsPlanningTerm(input.text);
  const signals =
    (hasTargetedFigure(figures) ? 1 : 0) +
    (figures.length > 0 ? 1 : 0) +
    (planning ? 1 : 0) +
    (concrete >= 2 ? 1 : 0);

  let score = base.score + Math.min(SPECIFICITY_MAX, signals * SPECIFICITY_STEP);
  // A figure, or a planning term or concrete phrases, say what is meant even without a named measure:
  // such an opinion earns what a named measure earns at typing time.
  const specific = figures.length > 0 || (planning && concrete >= 1) || concrete >= 2;
  let kept = flags;
  if (specific && flags.includes('not_specific')) {
    kept = flags.filter((flag) => flag !== 'not_specific');
    score += SPECIFIC_SCORE;
  }
  score = Math.round(Math.min(1, score) * 100) / 100;
  return { score, flags: kept };
}
