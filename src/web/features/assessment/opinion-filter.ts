import type { QualityFilter } from '../../../domain/opinion-quality.ts';

export { QUALITY_FILTERS } from '../../../domain/opinion-quality.ts';
export type { QualityFilter };

/** What the organizer's opinion table narrows a round's opinions to; each maps to one query parameter. */
export interface OpinionFilter {
  clause?: string;
  unit?: string;
  level?: 'province' | 'city' | 'county';
  status?: 'draft' | 'submitted' | 'withdrawn';
  kind?: 'substantive' | 'editorial' | 'question';
  /** Valid (有效) or not, or one quality flag. */
  quality?: QualityFilter;
  /** The plan's side only; `none`: no priority set yet. */
  priority?: 'core' | 'secondary' | 'none';
  /** The plan's side only. */
  dispositionStatus?: 'pending' | 'proposed' | 'approved';
  /** With (true) or without (false) a proposed text. */
  hasProposal?: boolean;
}

/** The filter keys in the order the query string lists them (stable, so equal filters give equal URLs). */
const KEYS: readonly (keyof OpinionFilter)[] = [
  'clause',
  'unit',
  'level',
  'status',
  'kind',
  'quality',
  'priority',
  'dispositionStatus',
  'hasProposal',
];

/** Whether a filter value narrows the list: empty strings are not set. */
const isSet = (value: OpinionFilter[keyof OpinionFilter] | null): boolean =>
  value !== undefined && value !== null && value !== '';

/** The query string of the set filters (empty values left out), as the list and its count take them. */
export function filterQuery(filter: OpinionFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = filter[key];
    if (isSet(value)) {
      params.set(key, String(value));
    }
  }
  return params;
}

/** The query string of one page of `GET /rounds/:id/opinions`: the filters, page size and cursor. */
export function opinionQuery(
  filter: OpinionFilter,
  page: { limit: number; cursor?: string | null },
): URLSearchParams {
  const params = filterQuery(filter);
  params.set('limit', String(page.limit));
  if (page.cursor) {
    params.set('cursor', page.cursor);
  }
  return params;
}

/** How many filters are set (what "clear filters" would undo). */
export const activeFilters = (filter: OpinionFilter): number =>
  KEYS.filter((key) => isSet(filter[key])).length;

/** The filter with `key` set to `value`, or without it when `value` is empty. */
export function withFilter<K extends keyof OpinionFilter>(
  filter: OpinionFilter,
  key: K,
  value: OpinionFilter[K] | undefined | null,
): OpinionFilter {
  const next = { ...filter };
  if (value !== undefined && value !== null && value !== '') {
    next[key] = value;
  } else {
    delete next[key];
  }
  return next;
}
