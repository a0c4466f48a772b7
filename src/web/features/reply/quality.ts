import type { Quality } from './api.ts';

/** What the live quality hints show: all clear, or a warning listing each flag. */
export type QualityView =
  | { kind: 'ok'; score: number }
  | { kind: 'warning'; score: number; items: { flag: string; key: string; fallback: string }[] };

/**
 * The server's quality check as the hints display it: the score rounded; each flag by its translation key
 * `reply.quality.flags.<flag>`, falling back to the server's own hint for that flag, then to the flag.
 */
export function qualityView(quality: Quality): QualityView {
  const score = Math.round(quality.score);
  if (quality.flags.length === 0) {
    return { kind: 'ok', score };
  }
  return {
    kind: 'warning',
    score,
    items: quality.flags.map((flag, i) => ({
      flag,
      key: `reply.quality.flags.${flag}`,
      fallback: quality.hints[i] ?? flag,
    })),
  };
}

/** Whether the form is worth checking: the server is asked only once a suggestion has been typed. */
export function shouldCheckQuality(input: { suggestion: string } | null): boolean {
  return input !== null && input.suggestion !== '';
}
