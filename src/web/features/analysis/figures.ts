import type { Figure, FigureDirection } from './api.ts';

const DIRECTIONS: ReadonlySet<string> = new Set<FigureDirection>([
  'increase',
  'decrease',
  'at_least',
  'at_most',
  'reach',
  'equal',
]);

/** The figure's direction when it is one the interface names; others are shown as their text only. */
export const knownDirection = (direction: string | null | undefined): FigureDirection | null =>
  direction && DIRECTIONS.has(direction) ? (direction as FigureDirection) : null;

/** A number for display: at most three decimals, no trailing zeros, no exponent for large amounts. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) {
    return '';
  }
  return String(Math.round(value * 1000) / 1000);
}

/** The amount of a figure: "20%", "100–120亿元", or "" when it has no value. */
export function figureAmount(figure: Figure): string {
  if (typeof figure.value !== 'number' || !Number.isFinite(figure.value)) {
    return '';
  }
  const range =
    typeof figure.upper === 'number' && Number.isFinite(figure.upper) && figure.upper !== figure.value
      ? `${formatValue(figure.value)}–${formatValue(figure.upper)}`
      : formatValue(figure.value);
  return `${range}${figure.unit ?? ''}`;
}

/**
 * One line describing a figure beyond its own text: its target, direction, amount and year, each only when
 * known (`directionLabel` names a direction in the interface's language).
 */
export function figureDetail(figure: Figure, directionLabel: (d: FigureDirection) => string): string {
  const direction = knownDirection(figure.direction);
  return [
    figure.target?.trim() || null,
    direction ? directionLabel(direction) : null,
    figureAmount(figure) || null,
    typeof figure.year === 'number' ? String(figure.year) : null,
  ]
    .filter((part): part is string => part !== null)
    .join(' · ');
}
