import type { OpinionBrief } from './api.ts';

/** The tabs of a round's analysis page, as its address names them. */
export const ANALYSIS_TABS = ['overview', 'clusters', 'topics', 'stance', 'conflicts', 'summaries'] as const;
export type AnalysisTab = (typeof ANALYSIS_TABS)[number];

/** The tab an address asks for, the overview when it names none or one that does not exist. */
export const tabOf = (value: string | null): AnalysisTab =>
  (ANALYSIS_TABS as readonly string[]).includes(value ?? '') ? (value as AnalysisTab) : 'overview';

/** How an opinion is named in a label: its registration number, else the start of its id. */
export const opinionName = (o: Pick<OpinionBrief, 'id' | 'regNo'>): string => o.regNo ?? o.id.slice(0, 8);

/**
 * The address of a round's analysis page on a tab, with a clause chosen and an opinion open in its
 * drawer (each only when given), so that a summary's sentence or a cluster's member is a plain link.
 */
export function analysisHref(
  roundId: string,
  where: { tab?: AnalysisTab; clause?: string; opinion?: string } = {},
): string {
  const params = new URLSearchParams();
  if (where.tab) {
    params.set('tab', where.tab);
  }
  if (where.clause) {
    params.set('clause', where.clause);
  }
  if (where.opinion) {
    params.set('opinion', where.opinion);
  }
  const query = params.toString();
  return `/rounds/${encodeURIComponent(roundId)}/analysis${query ? `?${query}` : ''}`;
}
