/** The near-duplicate threshold of a round: Jaccard similarity of 5-character shingles, 0.5–1. */
export const MIN_THRESHOLD = 0.5;
export const MAX_THRESHOLD = 1;
export const DEFAULT_THRESHOLD = 0.8;
export const THRESHOLD_STEP = 0.01;

/**
 * A typed or slid value as the server takes it: within 0.5–1 and to two decimals (finer steps change no
 * cluster a person could tell apart); anything not a number falls back to `fallback`.
 */
export function clampThreshold(value: number | null | undefined, fallback = DEFAULT_THRESHOLD): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? value : fallback;
  const clamped = Math.min(MAX_THRESHOLD, Math.max(MIN_THRESHOLD, n));
  return Math.round(clamped * 100) / 100;
}

/** Whether applying `next` would change anything (the same value to two decimals does not). */
export const thresholdChanged = (current: number, next: number): boolean =>
  clampThreshold(current) !== clampThreshold(next);
