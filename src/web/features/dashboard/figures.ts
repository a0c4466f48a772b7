import type { RoundStatus } from '../rounds/api.ts';
import type { Dashboard, DashboardPlan } from './api.ts';

/*
 * The dashboard's figures as the page shows them: rates as percentages, the round states worth showing,
 * the plans that need attention first, and how long an approval has waited. Pure, so it is tested alone.
 */

const ROUND_ORDER: readonly RoundStatus[] = [
  'open',
  'scheduled',
  'draft',
  'closed',
  'assessing',
  'feedback',
  'finished',
];

/** numerator / denominator, or null when there is nothing to divide by. */
export const ratio = (numerator: number, denominator: number): number | null =>
  denominator > 0 ? numerator / denominator : null;

/** A rate in 0..1 as "66.7%"; "—" when there is none (nothing to divide by is not 0%). */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) {
    return '—';
  }
  const percent = Math.round(rate * 1000) / 10;
  return `${Number.isInteger(percent) ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

/** A rate in 0..1 as a whole percent for a progress bar (0 when there is none). */
export const percentOf = (rate: number | null | undefined): number =>
  rate === null || rate === undefined || !Number.isFinite(rate) ? 0 : Math.round(rate * 100);

/** "v2 送审稿", or just "v1" when the label is the default one. */
export function versionName(version: { seq: number; label: string }): string {
  const label = version.label.trim();
  return !label || label === `v${version.seq}` ? `v${version.seq}` : `v${version.seq} ${label}`;
}

/** The round states a plan has rounds in, open ones first, with their counts. */
export function activeRoundStates(
  rounds: Partial<Record<RoundStatus, number>>,
): { state: RoundStatus; count: number }[] {
  return ROUND_ORDER.map((state) => ({ state, count: rounds[state] ?? 0 })).filter((r) => r.count > 0);
}

/** How many things of a plan wait for a decision: escalated objections and a submitted revision. */
export const attentionOf = (plan: DashboardPlan): number =>
  plan.objections.escalated + (plan.openRevision?.status === 'submitted' ? 1 : 0);

/** Plans needing a decision first, then those with open rounds, then the most recently changed. */
export function sortPlans(plans: readonly DashboardPlan[]): DashboardPlan[] {
  return [...plans].sort(
    (a, b) =>
      attentionOf(b) - attentionOf(a) ||
      b.openRounds.length - a.openRounds.length ||
      b.updatedAt.localeCompare(a.updatedAt) ||
      a.name.localeCompare(b.name),
  );
}

export interface ApprovalCounts {
  urgentRounds: number;
  revisions: number;
  objections: number;
  total: number;
}

export function countApprovals(pending: Dashboard['pending']): ApprovalCounts {
  const urgentRounds = pending.urgentRounds.length;
  const revisions = pending.revisions.length;
  const objections = pending.objections.length;
  return { urgentRounds, revisions, objections, total: urgentRounds + revisions + objections };
}

const DAY_MS = 86_400_000;

/** Whole days an item has waited since `since` (0 on the same day); null when the time is unknown. */
export function waitingDays(since: string | null | undefined, now: Date): number | null {
  if (!since) {
    return null;
  }
  const start = Date.parse(since);
  if (Number.isNaN(start)) {
    return null;
  }
  return Math.max(0, Math.floor((now.getTime() - start) / DAY_MS));
}

/** Oldest first: what has waited longest is decided first. Items without a time go last. */
export function oldestFirst<T>(items: readonly T[], since: (item: T) => string | null): T[] {
  return [...items].sort((a, b) => {
    const x = since(a);
    const y = since(b);
    if (x === y) {
      return 0;
    }
    if (x === null) {
      return 1;
    }
    if (y === null) {
      return -1;
    }
    return x.localeCompare(y);
  });
}
