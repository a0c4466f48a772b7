import type { Opinion } from '../assessment/api.ts';

/** Per clause of a plan's draft: the heat strip's counts of its opinions. */
export interface ClauseCounts {
  total: number;
  blocking: number;
  proposals: number;
  flagged: number;
}

type Counted = Pick<Opinion, 'clauseStableId' | 'status' | 'blocking' | 'proposedText' | 'quality'>;

/** Counts by clause stable id; opinions on the whole draft and withdrawn opinions are not counted. */
export function countByClause(opinions: Counted[]): Map<string, ClauseCounts> {
  const counts = new Map<string, ClauseCounts>();
  for (const opinion of opinions) {
    if (!opinion.clauseStableId || opinion.status === 'withdrawn') {
      continue;
    }
    const c = counts.get(opinion.clauseStableId) ?? { total: 0, blocking: 0, proposals: 0, flagged: 0 };
    c.total += 1;
    c.blocking += opinion.blocking ? 1 : 0;
    c.proposals += opinion.proposedText ? 1 : 0;
    c.flagged += opinion.quality.flags.length > 0 ? 1 : 0;
    counts.set(opinion.clauseStableId, c);
  }
  return counts;
}
