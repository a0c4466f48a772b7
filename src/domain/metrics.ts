/**
 * The consultation metrics of SPEC §5 as pure formulas over counts. Repositories count in SQL (GROUP BY);
 * these functions turn the counts into rates, cycles and scores. Rates are in 0..1 and null when the
 * denominator is 0, so "nobody was invited" never reads as 0%.
 */

import type { DispositionCode } from './disposition-rules.ts';
import { DISPOSITION_CODES } from './disposition-rules.ts';

/** numerator / denominator, or null when there is nothing to divide by. */
export function rate(numerator: number, denominator: number): number | null {
  if (!Number.isFinite(denominator) || denominator <= 0) {
    return null;
  }
  return numerator / denominator;
}

const DAY_MS = 86_400_000;

/** Days (fractional, 2 decimals) from one ISO instant to another; null when either is missing. */
export function daysBetween(from: string | null | undefined, to: string | null | undefined): number | null {
  if (!from || !to) {
    return null;
  }
  const start = Date.parse(from);
  const end = Date.parse(to);
  if (Number.isNaN(start) || Number.isNaN(end)) {
    return null;
  }
  return Math.round(((end - start) / DAY_MS) * 100) / 100;
}

/** Median and maximum of a list of durations; null for an empty list (no conflicts yet). */
export function summarizeDurations(days: readonly number[]): { median: number; max: number } | null {
  if (days.length === 0) {
    return null;
  }
  const sorted = [...days].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? sorted[mid]! : Math.round(((sorted[mid - 1]! + sorted[mid]!) / 2) * 100) / 100;
  return { median, max: sorted[sorted.length - 1]! };
}

/** Mean of the values that are known; null when none is. */
export function meanOf(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) {
    return null;
  }
  return Math.round((known.reduce((a, b) => a + b, 0) / known.length) * 100) / 100;
}

export interface AssessmentWeights {
  timeliness: number;
  validity: number;
  adoption: number;
}

/** 部门考核 default weights: timeliness counts most, then the quality of what was said, then its effect. */
export const DEFAULT_ASSESSMENT_WEIGHTS: AssessmentWeights = {
  timeliness: 0.4,
  validity: 0.3,
  adoption: 0.3,
};

/**
 * A unit's weighted score 0..100 over the rates that are known; unknown rates (no opinions, nothing
 * disposed) drop out and the remaining weights are renormalised. Null when nothing is known.
 */
export function unitScore(
  rates: { timeliness: number | null; validity: number | null; adoption: number | null },
  weights: AssessmentWeights = DEFAULT_ASSESSMENT_WEIGHTS,
): number | null {
  let sum = 0;
  let weight = 0;
  for (const key of ['timeliness', 'validity', 'adoption'] as const) {
    const value = rates[key];
    if (value !== null && weights[key] > 0) {
      sum += value * weights[key];
      weight += weights[key];
    }
  }
  return weight === 0 ? null : Math.round((sum / weight) * 1000) / 10;
}

/** Counts of one group (a round, a plan, a unit or a level) as the repository returns them. */
export interface MetricCounts {
  invited: number;
  sent: number;
  onTime: number;
  opinions: number;
  valid: number;
  disposed: number;
  adopted: number;
  partiallyAdopted: number;
  reflected: number;
  rated: number;
  satisfied: number;
  objected: number;
}

export const EMPTY_COUNTS: MetricCounts = {
  invited: 0,
  sent: 0,
  onTime: 0,
  opinions: 0,
  valid: 0,
  disposed: 0,
  adopted: 0,
  partiallyAdopted: 0,
  reflected: 0,
  rated: 0,
  satisfied: 0,
  objected: 0,
};

export function addCounts(a: MetricCounts, b: Partial<MetricCounts>): MetricCounts {
  const out = { ...a };
  for (const key of Object.keys(EMPTY_COUNTS) as (keyof MetricCounts)[]) {
    out[key] += b[key] ?? 0;
  }
  return out;
}

export interface MetricRates {
  participationRate: number | null;
  onTimeRate: number | null;
  validOpinionRatio: number | null;
  adoptionRate: number | null;
  satisfaction: number | null;
  objectionRate: number | null;
  /** 层级适配率: share of the group's opinions adopted, partially adopted or already reflected. */
  levelFit: number | null;
}

/** The §5 rates of one group of counts. */
export function computeRates(c: MetricCounts): MetricRates {
  return {
    participationRate: rate(c.sent, c.invited),
    onTimeRate: rate(c.onTime, c.invited),
    validOpinionRatio: rate(c.valid, c.opinions),
    adoptionRate: rate(c.adopted + c.partiallyAdopted, c.disposed),
    satisfaction: rate(c.satisfied, c.rated),
    objectionRate: rate(c.objected, c.disposed),
    levelFit: rate(c.adopted + c.partiallyAdopted + c.reflected, c.opinions),
  };
}

/** First replies of one UTC hour (`YYYY-MM-DDTHH`), as the repository groups them. */
export interface HourlyReplies {
  hour: string;
  onTime: number;
  late: number;
}

/** First replies of one China-local day (UTC+8), for the "replies over time against the deadline" chart. */
export interface DailyReplies {
  date: string;
  onTime: number;
  late: number;
}

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The China-local date (`YYYY-MM-DD`) of a UTC hour `YYYY-MM-DDTHH`; null when it is not one. */
export function chinaDateOfHour(hour: string): string | null {
  const instant = Date.parse(`${hour}:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}$/.test(hour) || Number.isNaN(instant)) {
    return null;
  }
  return new Date(instant + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Sums hourly counts into China-local days, in date order. SQL groups by the UTC hour because both
 * dialects can cut it from ISO text; the day boundary of Beijing time falls on a UTC hour (16:00).
 */
export function sumRepliesByChinaDay(hours: readonly HourlyReplies[]): DailyReplies[] {
  const days = new Map<string, DailyReplies>();
  for (const h of hours) {
    const date = chinaDateOfHour(h.hour);
    if (date === null) {
      continue;
    }
    const day = days.get(date) ?? { date, onTime: 0, late: 0 };
    day.onTime += h.onTime;
    day.late += h.late;
    days.set(date, day);
  }
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** Approved dispositions per code, every code present (zero when unused) so charts keep one order. */
export type DispositionCounts = Record<DispositionCode, number>;

export function countDispositionCodes(rows: readonly { code: string; n: number }[]): DispositionCounts {
  const out = Object.fromEntries(DISPOSITION_CODES.map((c) => [c, 0])) as DispositionCounts;
  for (const row of rows) {
    if ((DISPOSITION_CODES as readonly string[]).includes(row.code)) {
      out[row.code as DispositionCode] += row.n;
    }
  }
  return out;
}

/** Feedback responses: the three ratings, plain confirmations and objections. */
export interface RatingCounts {
  satisfied: number;
  basicallySatisfied: number;
  unsatisfied: number;
  confirmed: number;
  objected: number;
}

export function countRatings(
  rows: readonly { response: string; rating: string | null; n: number }[],
): RatingCounts {
  const out: RatingCounts = {
    satisfied: 0,
    basicallySatisfied: 0,
    unsatisfied: 0,
    confirmed: 0,
    objected: 0,
  };
  for (const row of rows) {
    if (row.rating === 'satisfied') {
      out.satisfied += row.n;
    } else if (row.rating === 'basically_satisfied') {
      out.basicallySatisfied += row.n;
    } else if (row.rating === 'unsatisfied') {
      out.unsatisfied += row.n;
    } else if (row.response === 'confirmed') {
      out.confirmed += row.n;
    } else if (row.response === 'objected') {
      out.objected += row.n;
    }
  }
  return out;
}
