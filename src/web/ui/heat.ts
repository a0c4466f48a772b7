/** Pure logic of the heat strip: which cells show and how dark each is. */

export interface HeatCell {
  key: string;
  label: string;
  value: number;
  color: string;
}

/** Cells with zero are left out, so a quiet item stays quiet. */
export function shownCells(cells: HeatCell[]): HeatCell[] {
  return cells.filter((c) => c.value > 0);
}

/** From 0.45 (a count of zero) to 1 (a count of `max` or more). */
export function heatOpacity(value: number, max: number): number {
  return 0.45 + 0.55 * Math.min(1, value / max);
}
