/** Pure helpers of the unit assessment page: query strings, download addresses, weight sums, sorting. */
import type { AssessmentComponent, AssessmentWeightSet } from '../../../domain/unit-assessment.ts';
import { ASSESSMENT_COMPONENTS } from '../../../domain/unit-assessment.ts';

export interface AssessmentPeriodQuery {
  from: string;
  to: string;
  level?: 'province' | 'city' | 'county' | null;
  ownerUnitId?: string | null;
}

/** The query string of a period (empty values left out). */
export function assessmentSearch(query: AssessmentPeriodQuery): string {
  const params = new URLSearchParams({ from: query.from, to: query.to });
  if (query.level) {
    params.set('level', query.level);
  }
  if (query.ownerUnitId) {
    params.set('ownerUnitId', query.ownerUnitId);
  }
  return params.toString();
}

/** Where a unit's .docx report downloads from. */
export const reportHref = (unitId: string, query: AssessmentPeriodQuery): string =>
  `/api/v1/unit-assessment/units/${encodeURIComponent(unitId)}/report.docx?${assessmentSearch(query)}`;

/** The calendar year up to today (China-local dates), the default period. */
export function defaultPeriod(now: Date): { from: string; to: string } {
  const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

/** Sum of the weights, rounded to avoid 33.3 + 33.3 + 33.4 reading as 99.99999. */
export const weightsSum = (weights: AssessmentWeightSet): number =>
  Math.round(
    ASSESSMENT_COMPONENTS.reduce((n, k) => n + (Number.isFinite(weights[k]) ? weights[k] : 0), 0) * 1000,
  ) / 1000;

/** The first weight out of range, or 'sum' when they do not add up to 100; null when the set is valid. */
export function weightsProblem(weights: AssessmentWeightSet): AssessmentComponent | 'sum' | null {
  const bad = ASSESSMENT_COMPONENTS.find(
    (k) => !Number.isFinite(weights[k]) || weights[k] < 0 || weights[k] > 100,
  );
  if (bad) {
    return bad;
  }
  return Math.abs(weightsSum(weights) - 100) > 1e-6 ? 'sum' : null;
}

/** A rate 0..1 as a percentage with at most one decimal; a dash when unknown. */
export const formatShare = (value: number | null): string =>
  value === null ? '—' : `${Math.round(value * 1000) / 10}%`;

/**
 * Ascending comparison for a table sorter with unknown values (null) last in either direction: the table
 * reverses the result for a descending sort, so nulls then compare as the smallest.
 */
export function compareNullable(
  a: number | null,
  b: number | null,
  order: 'ascend' | 'descend' | null = 'ascend',
): number {
  if (a === null || b === null) {
    const last = order === 'descend' ? -1 : 1;
    return a === b ? 0 : a === null ? last : -last;
  }
  return a - b;
}
