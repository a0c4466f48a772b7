import type { LabelSource, Stance, StanceCounts } from './api.ts';
import { STANCES } from './api.ts';

/** Tag colours: agreement green, opposition red, a change asked for orange. */
export const STANCE_COLORS: Record<Stance, string> = {
  support: 'green',
  oppose: 'red',
  modify: 'orange',
  none: 'default',
};

/** Bar colours of the same (antd's green, red, orange and grey). */
export const STANCE_STROKES: Record<Stance, string> = {
  support: '#52c41a',
  oppose: '#ff4d4f',
  modify: '#fa8c16',
  none: '#bfbfbf',
};

/**
 * Each stance's count and share in whole percent. The shares add up to 100 (largest remainders get the
 * rounding), so a bar or a sentence never shows 101%; all zero when there is nothing to count.
 */
export function stanceShares(counts: StanceCounts): { stance: Stance; count: number; percent: number }[] {
  const total = STANCES.reduce((sum, s) => sum + Math.max(0, counts[s]), 0);
  if (total === 0) {
    return STANCES.map((stance) => ({ stance, count: 0, percent: 0 }));
  }
  const exact = STANCES.map((stance) => {
    const count = Math.max(0, counts[stance]);
    return { stance, count, raw: (count / total) * 100 };
  });
  const floors = exact.map((e) => Math.floor(e.raw));
  let left = 100 - floors.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => ({ i, rest: e.raw - Math.floor(e.raw) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) {
      break;
    }
    floors[i] = (floors[i] ?? 0) + 1;
    left -= 1;
  }
  return exact.map((e, i) => ({ stance: e.stance, count: e.count, percent: floors[i] ?? 0 }));
}

export interface StanceFilter {
  /** `unknown`: not analysed yet (no stance at all). */
  stance?: Stance | 'unknown';
  source?: LabelSource;
}

/** A machine score as a percent for display (`—` when there is none, e.g. a person's label). */
export const scoreText = (score: number | null | undefined): string =>
  typeof score === 'number' && Number.isFinite(score) ? `${Math.round(score * 100)}%` : '—';
