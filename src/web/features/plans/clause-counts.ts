import type { HeatCell } from '../../ui/heat.ts';

/** Per clause of a plan's draft: the server's tally of the submitted opinions on it. */
export interface ClauseCounts {
  clauseStableId: string;
  total: number;
  blocking: number;
  proposals: number;
  flagged: number;
  /** Not yet carrying an approved disposition. */
  open: number;
}

/** The tallies keyed by clause stable id (a clause without opinions has none). */
export function countsByClause(list: readonly ClauseCounts[]): Map<string, ClauseCounts> {
  return new Map(list.map((c) => [c.clauseStableId, c]));
}

export type HeatKey = 'total' | 'open' | 'blocking' | 'proposals' | 'flagged';

const HEAT: readonly { key: HeatKey; color: string }[] = [
  { key: 'total', color: 'blue' },
  { key: 'open', color: 'gold' },
  { key: 'blocking', color: 'red' },
  { key: 'proposals', color: 'green' },
  { key: 'flagged', color: 'orange' },
];

/** One clause's heat strip, in a fixed order, each cell named by `label`. */
export function heatCells(counts: ClauseCounts, label: (key: HeatKey) => string): HeatCell[] {
  return HEAT.map(({ key, color }) => ({ key, label: label(key), value: counts[key], color }));
}
