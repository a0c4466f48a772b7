import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import {
  infiniteQueryOptions,
  useInfiniteQuery,
  useMutation,
  usePrefetchInfiniteQuery,
  useQueries,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api } from '../../api.ts';
import type { OpinionFilter } from './opinion-filter.ts';
import { filterQuery, opinionQuery } from './opinion-filter.ts';

export type { OpinionFilter };

export interface Opinion {
  id: string;
  roundId: string;
  unitId: string | null;
  regNo: string | null;
  clauseStableId: string | null;
  quote: string | null;
  suggestion: string;
  reasons: string | null;
  proposedText: string | null;
  kind: 'substantive' | 'editorial' | 'question';
  blocking: boolean;
  status: 'draft' | 'submitted' | 'withdrawn';
  quality: { score: number; flags: string[] };
  level: string | null;
  submittedAt: string | null;
  /** The plan's side only: internal until feedback goes out. */
  priority?: 'core' | 'secondary' | null;
  assigneeId?: string | null;
  dispositionStatus?: 'pending' | 'proposed' | 'approved';
}

export interface OpinionPage {
  items: Opinion[];
  nextCursor: string | null;
}

// One list of codes and bases for server and browser: the domain's (a pure module).
import type { DispositionBasis as Basis, DispositionCode } from '../../../domain/disposition-rules.ts';

export type { Basis, DispositionCode };
export {
  DISPOSITION_BASES as basisCodes,
  DISPOSITION_CODES as dispositionCodes,
} from '../../../domain/disposition-rules.ts';

export interface Disposition {
  id: string;
  opinionId: string;
  code: DispositionCode;
  reason: string | null;
  basis: Basis | null;
  status: 'proposed' | 'approved' | 'rejected' | 'superseded';
  proposedBy: string | null;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface Objection {
  id: string;
  opinionId: string;
  dispositionId: string;
  roundNo: number;
  reasons: string;
  status: 'open' | 'upheld' | 'changed' | 'escalated' | 'dissent_recorded';
  raisedAt: string;
  reviewedAt: string | null;
  reviewNote: string | null;
  unitId: string | null;
}

export interface ReasonTemplate {
  id: string;
  /** Null: a global template, for every plan. */
  planId: string | null;
  code: DispositionCode;
  basis: Basis | null;
  text: string;
}

/** Rows per page of the opinion table: a screenful and a half at a time. */
export const OPINION_PAGE = 200;

function opinionsPath(roundId: string, filter: OpinionFilter, cursor: string | null): string {
  return `/rounds/${roundId}/opinions?${opinionQuery(filter, { limit: OPINION_PAGE, cursor }).toString()}`;
}

const roundOpinions = (roundId: string, filter: OpinionFilter) =>
  infiniteQueryOptions({
    queryKey: ['round', roundId, 'opinions', filter],
    queryFn: ({ pageParam }) => api<OpinionPage>(opinionsPath(roundId, filter, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // The prefetched first page is not fetched again when the table shows it; changes mark it stale.
    staleTime: 30_000,
  });

/**
 * A round's opinions, a page at a time as the table scrolls (`fetchNextPage`): a round of 100,000 opinions
 * shows its first rows after one request, and only the pages someone scrolls to are ever loaded.
 */
export function useRoundOpinions(roundId: string, filter: OpinionFilter = {}) {
  return useInfiniteQuery(roundOpinions(roundId, filter));
}

/** Starts loading the first page of a round's opinions (unfiltered) while the rest of the page loads. */
export function usePrefetchRoundOpinions(roundId: string) {
  usePrefetchInfiniteQuery(roundOpinions(roundId, {}));
}

/**
 * How many opinions match `filter`. Asked for only once the first page is in (and only when there is more
 * than one page), so that the first rows never wait for counting a large round.
 */
export function useOpinionCount(roundId: string, filter: OpinionFilter, enabled: boolean) {
  return useQuery({
    queryKey: ['round', roundId, 'opinions', 'count', filter],
    queryFn: () =>
      api<{ total: number }>(`/rounds/${roundId}/opinions/count?${filterQuery(filter).toString()}`),
    enabled,
  });
}

/** How many opinions match `filter` across several rounds (e.g. a plan's proposed texts), summed. */
export function useRoundsOpinionCount(roundIds: readonly string[], filter: OpinionFilter) {
  return useQueries({
    queries: roundIds.map((roundId) => ({
      queryKey: ['round', roundId, 'opinions', 'count', filter],
      queryFn: () =>
        api<{ total: number }>(`/rounds/${roundId}/opinions/count?${filterQuery(filter).toString()}`),
    })),
    combine: (results) => ({
      total: results.reduce((sum, r) => sum + (r.data?.total ?? 0), 0),
      isPending: results.some((r) => r.isPending),
      error: results.find((r) => r.error)?.error ?? null,
    }),
  });
}

/** Several opinions by id (e.g. those a consistency check names), each loaded and cached on its own. */
export function useOpinionsById(ids: readonly string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: ['opinion', id],
      queryFn: () => api<Opinion>(`/opinions/${id}`),
    })),
    combine: (results) => new Map(results.flatMap((r) => (r.data ? [[r.data.id, r.data] as const] : []))),
  });
}

/**
 * Applies `patch` to the loaded rows of the round's opinion table, whatever its filter, and marks the
 * lists stale without refetching every loaded page now: a filter that no longer matches is refetched when
 * it is next shown.
 */
async function patchOpinions(
  client: QueryClient,
  roundId: string,
  ids: ReadonlySet<string>,
  patch: Partial<Opinion>,
): Promise<void> {
  client.setQueriesData<InfiniteData<OpinionPage>>({ queryKey: ['round', roundId, 'opinions'] }, (data) =>
    data?.pages
      ? {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            items: page.items.map((o) => (ids.has(o.id) ? { ...o, ...patch } : o)),
          })),
        }
      : data,
  );
  await client.invalidateQueries({ queryKey: ['round', roundId, 'opinions'], refetchType: 'none' });
}

export function useDispositions(opinionId: string | undefined) {
  return useQuery({
    queryKey: ['opinion', opinionId, 'dispositions'],
    queryFn: () => api<Disposition[]>(`/opinions/${opinionId}/dispositions`),
    enabled: Boolean(opinionId),
  });
}

/** The reason templates an organizer can use in a plan: global ones and the plan's own. */
export function useReasonTemplates(planId?: string) {
  return useQuery({
    queryKey: ['reason-templates', planId ?? null],
    queryFn: () =>
      api<ReasonTemplate[]>(
        planId ? `/reason-templates?planId=${encodeURIComponent(planId)}` : '/reason-templates',
      ),
  });
}

export function useCreateReasonTemplate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      planId: string | null;
      code: DispositionCode;
      basis: Basis | null;
      text: string;
    }) => api<ReasonTemplate>('/reason-templates', { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['reason-templates'] }),
  });
}

export function useDeleteReasonTemplate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/reason-templates/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['reason-templates'] }),
  });
}

function useInvalidateAssessment(roundId: string) {
  const client = useQueryClient();
  return async (opinionId?: string) => {
    await client.invalidateQueries({ queryKey: ['round', roundId, 'objections'] });
    if (opinionId) {
      await client.invalidateQueries({ queryKey: ['opinion', opinionId] });
    }
  };
}

/** Sets an opinion's priority (研判); the table's row shows it at once. */
export function useAssessOpinion(roundId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { opinionId: string; priority: 'core' | 'secondary' | null }) =>
      api<{ id: string; priority: 'core' | 'secondary' | null }>(`/opinions/${input.opinionId}/assessment`, {
        method: 'PATCH',
        body: { priority: input.priority },
      }),
    onSuccess: (o) => patchOpinions(client, roundId, new Set([o.id]), { priority: o.priority }),
  });
}

export function useProposeDisposition(roundId: string) {
  const client = useQueryClient();
  const invalidate = useInvalidateAssessment(roundId);
  return useMutation({
    mutationFn: (input: {
      opinionId: string;
      code: DispositionCode;
      reason?: string | null;
      basis?: Basis | null;
    }) =>
      api<Disposition>(`/opinions/${input.opinionId}/dispositions`, {
        method: 'POST',
        body: { code: input.code, reason: input.reason ?? null, basis: input.basis ?? null },
      }),
    onSuccess: async (d) => {
      await patchOpinions(client, roundId, new Set([d.opinionId]), { dispositionStatus: 'proposed' });
      await invalidate(d.opinionId);
    },
  });
}

/**
 * Proposes one disposition for many opinions at once (all or nothing on the server); the error of a
 * refusal carries the opinions that could not take it.
 */
export function useProposeBulk(roundId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      opinionIds: string[];
      code: DispositionCode;
      reason: string | null;
      basis: Basis | null;
      templateId: string | null;
    }) => api<Disposition[]>(`/rounds/${roundId}/dispositions/bulk`, { method: 'POST', body: input }),
    onSuccess: async (created) => {
      await patchOpinions(client, roundId, new Set(created.map((d) => d.opinionId)), {
        dispositionStatus: 'proposed',
      });
      await client.invalidateQueries({ queryKey: ['opinion'] });
    },
  });
}

export function useDecideDisposition(roundId: string) {
  const client = useQueryClient();
  const invalidate = useInvalidateAssessment(roundId);
  return useMutation({
    mutationFn: (input: { id: string; decision: 'approve' | 'reject' }) =>
      api<Disposition>(`/dispositions/${input.id}/${input.decision}`, {
        method: 'POST',
        ...(input.decision === 'reject' ? { body: {} } : {}),
      }),
    onSuccess: async (d) => {
      await invalidate(d.opinionId);
      // A rejection leaves the opinion approved if an earlier disposition was, else pending.
      const history =
        d.status === 'approved'
          ? []
          : await client.fetchQuery({
              queryKey: ['opinion', d.opinionId, 'dispositions'],
              queryFn: () => api<Disposition[]>(`/opinions/${d.opinionId}/dispositions`),
            });
      const approved = d.status === 'approved' || history.some((x) => x.status === 'approved');
      await patchOpinions(client, roundId, new Set([d.opinionId]), {
        dispositionStatus: approved ? 'approved' : 'pending',
      });
    },
  });
}

export function useObjections(roundId: string, enabled = true) {
  return useQuery({
    queryKey: ['round', roundId, 'objections'],
    queryFn: () => api<Objection[]>(`/rounds/${roundId}/objections`),
    enabled,
  });
}

export function useReviewObjection(roundId: string) {
  const client = useQueryClient();
  const invalidate = useInvalidateAssessment(roundId);
  return useMutation({
    mutationFn: (input: {
      id: string;
      outcome: 'uphold' | 'change' | 'escalate';
      note: string;
      newDisposition?: { code: DispositionCode; reason?: string | null; basis?: Basis | null };
    }) =>
      api<Objection>(`/objections/${input.id}/review`, {
        method: 'POST',
        body: {
          outcome: input.outcome,
          note: input.note,
          ...(input.newDisposition ? { newDisposition: input.newDisposition } : {}),
        },
      }),
    onSuccess: async (o) => {
      await client.invalidateQueries({ queryKey: ['round', roundId, 'opinions'], refetchType: 'none' });
      await invalidate(o.opinionId);
    },
  });
}
