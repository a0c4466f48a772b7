/**
 * 部门考核 (SPEC §5): a weighted score per unit over the rounds of a period, built from the unit's §5 counts.
 * Weights are percentages (0–100, summing to 100) so they read the way offices write them in an
 * assessment scheme ("按时反馈 30%"). Pure: the counts come from the metrics repository.
 */

import { AppError } from './errors.ts';
import type { MetricCounts } from './metrics.ts';
import { rate } from './metrics.ts';

/** The components, in the order a report lists them. */
export const ASSESSMENT_COMPONENTS = ['onTime', 'completeness', 'validity', 'adoption', 'feedback'] as const;
export type AssessmentComponent = (typeof ASSESSMENT_COMPONENTS)[number];

export type AssessmentWeightSet = Record<AssessmentComponent, number>;
export type ComponentRates = Record<AssessmentComponent, number | null>;

/** Timeliness counts most; then that the unit answered at all, what it said, its effect, its feedback. */
export const DEFAULT_UNIT_ASSESSMENT_WEIGHTS: AssessmentWeightSet = {
  onTime: 30,
  completeness: 20,
  validity: 20,
  adoption: 20,
  feedback: 10,
};

export const COMPONENT_LABELS_ZH: Record<AssessmentComponent, string> = {
  onTime: '按时反馈率',
  completeness: '反馈完整率',
  validity: '有效意见占比',
  adoption: '意见采纳率',
  feedback: '反馈评价参与率',
};

/**
 * The component rates (0..1, null when undefined) of a unit's summed counts:
 * on time = replied by the deadline / invited; completeness = replied at all (incl. 无意见) / invited;
 * validity = opinions passing the quality check / opinions; adoption = (adopted + partially) / disposed;
 * feedback = disposed opinions the unit rated in its feedback letter / disposed.
 */
export function componentRates(c: MetricCounts): ComponentRates {
  const feedback = rate(c.rated, c.disposed);
  return {
    onTime: rate(c.onTime, c.invited),
    completeness: rate(c.sent, c.invited),
    validity: rate(c.valid, c.opinions),
    adoption: rate(c.adopted + c.partiallyAdopted, c.disposed),
    // A re-rated response could count twice; a share above 1 would reward that.
    feedback: feedback === null ? null : Math.min(1, feedback),
  };
}

const SUM_TOLERANCE = 1e-6;

/**
 * Checks a weight set: every component a finite number in 0..100, and the whole summing to 100.
 * Throws `validation_failed` naming the first offending field (`weights.onTime`, or `weights` for the sum).
 */
export function validateWeights(input: Partial<Record<string, unknown>>): AssessmentWeightSet {
  const out = {} as AssessmentWeightSet;
  for (const key of ASSESSMENT_COMPONENTS) {
    const value = input[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new AppError('validation_failed', `weights.${key} must be a number from 0 to 100.`, {
        field: `weights.${key}`,
      });
    }
    if (value < 0 || value > 100) {
      throw new AppError('validation_failed', `weights.${key} must be between 0 and 100 (got ${value}).`, {
        field: `weights.${key}`,
      });
    }
    out[key] = value;
  }
  const unknown = Object.keys(input).filter((k) => !(ASSESSMENT_COMPONENTS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new AppError('validation_failed', `Unknown weight ${unknown[0]}.`, {
      field: `weights.${unknown[0]}`,
    });
  }
  const sum = ASSESSMENT_COMPONENTS.reduce((n, k) => n + out[k], 0);
  if (Math.abs(sum - 100) > SUM_TOLERANCE) {
    throw new AppError('validation_failed', `The weights must add up to 100% (they add up to ${sum}%).`, {
      field: 'weights',
      sum,
    });
  }
  return out;
}

/**
 * The weighted score 0..100 (one decimal) over the components that are known. An unknown component (a
 * unit with no opinions has no validity) drops out and the other weights are renormalised, so saying
 * nothing is neither rewarded nor punished twice. Null when no weighted component is known.
 */
export function weightedScore(rates: ComponentRates, weights: AssessmentWeightSet): number | null {
  let sum = 0;
  let weight = 0;
  for (const key of ASSESSMENT_COMPONENTS) {
    const value = rates[key];
    if (value !== null && weights[key] > 0) {
      sum += value * weights[key];
      weight += weights[key];
    }
  }
  return weight === 0 ? null : Math.round((sum / weight) * 1000) / 10;
}

/**
 * Standard competition ranks ("1224") by score, highest first: equal scores share a rank and the next
 * rank skips. Items without a score get no rank.
 */
export function rankByScore(scores: readonly (number | null)[]): (number | null)[] {
  const known = scores.filter((s): s is number => s !== null);
  return scores.map((s) => (s === null ? null : known.filter((other) => other > s).length + 1));
}

const STRONG = 0.9;
const WEAK = 0.6;
const pct = (value: number): string => `${Math.round(value * 1000) / 10}%`;

/**
 * Sentences in Chinese on what the unit did well and where it fell short, from its component rates,
 * strongest (or weakest) first among the weighted components. Thresholds: ≥ 90% is a strength, < 60% a
 * weakness.
 */
export function describeComponents(
  rates: ComponentRates,
  weights: AssessmentWeightSet,
): { strengths: string[]; weaknesses: string[] } {
  const known = ASSESSMENT_COMPONENTS.filter((k) => weights[k] > 0 && rates[k] !== null).map((k) => ({
    key: k,
    value: rates[k]!,
  }));
  const strengths = known
    .filter((c) => c.value >= STRONG)
    .sort((a, b) => b.value - a.value)
    .map((c) => `${COMPONENT_LABELS_ZH[c.key]}达到${pct(c.value)}，${STRENGTH_TEXT[c.key]}`);
  const weaknesses = known
    .filter((c) => c.value < WEAK)
    .sort((a, b) => a.value - b.value)
    .map((c) => `${COMPONENT_LABELS_ZH[c.key]}仅为${pct(c.value)}，${WEAKNESS_TEXT[c.key]}`);
  return { strengths, weaknesses };
}

const STRENGTH_TEXT: Record<AssessmentComponent, string> = {
  onTime: '能够在规定时限内反馈意见。',
  completeness: '对征求意见事项做到了件件有回复。',
  validity: '所提意见内容具体、理由充分。',
  adoption: '所提意见针对性强，多数被采纳。',
  feedback: '能够认真对待处理结果并及时评价。',
};

const WEAKNESS_TEXT: Record<AssessmentComponent, string> = {
  onTime: '建议加强时限管理，在截止日期前报送意见。',
  completeness: '存在未反馈情况，建议明确专人负责、按时报送。',
  validity: '部分意见表述笼统或缺少理由，建议提出具体修改建议并说明依据。',
  adoption: '建议加强调查研究，提高意见的针对性和可操作性。',
  feedback: '建议对处理结果及时进行满意度评价。',
};
