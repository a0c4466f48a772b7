import { useInfiniteQuery, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../../api.ts';

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

export interface AssessedOpinion {
  id: string;
  priority: 'core' | 'secondary' | null;
  dispositionStatus: 'pending' | 'proposed' | 'approved';
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
  code: DispositionCode;
  basis: Basis | null;
  text: string;
}

export interface OpinionFilter {
  clause?: string;
  unit?: string;
  status?: Opinion['status'];
  kind?: Opinion['kind'];
}

const PAGE = 200;

function opinionsPath(roundId: string, filter: OpinionFilter, cursor: string | null): string {
  const params = new URLSearchParams({ limit: String(PAGE) });
  for (const [key, value] of Object.entries(filter)) {
    if (value) {
      params.set(key, String(value));
    }
  }
  if (cursor) {
    params.set('cursor', cursor);
  }
  return `/rounds/${roundId}/opinions?${params.toString()}`;
}

/**
 * A round's opinions, page by page: the first page shows at once and the rest load in the background,
 * so a round of 100,000 opinions shows its first rows without waiting for the last.
 */
export function useRoundOpinions(roundId: string, filter: OpinionFilter = {}) {
  const query = useInfiniteQuery({
    queryKey: ['round', roundId, 'opinions', filter],
    queryFn: ({ pageParam }) => api<OpinionPage>(opinionsPath(roundId, filter, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isError } = query;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && !isError) {
      void fetchNextPage();
    }
  }, [hasNextPage, isFetchingNextPage, isError, fetchNextPage]);
  return query;
}

async function allOpinions(roundId: string): Promise<Opinion[]> {
  const items: Opinion[] = [];
  let cursor: string | null = null;
  do {
    const page: OpinionPage = await api<OpinionPage>(opinionsPath(roundId, {}, cursor));
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** Every opinion of several rounds (for per-clause counts across a plan). */
export function usePlanOpinions(roundIds: string[]) {
  return useQueries({
    queries: roundIds.map((roundId) => ({
      queryKey: ['round', roundId, 'opinions', 'all'],
      queryFn: () => allOpinions(roundId),
    })),
    combine: (results) => ({
      data: results.flatMap((r) => r.data ?? []),
      isPending: results.some((r) => r.isPending),
      error: results.find((r) => r.error)?.error ?? null,
    }),
  });
}

export function useAssessmentQueue(roundId: string, enabled = true) {
  return useQuery({
    queryKey: ['round', roundId, 'assessment-queue'],
    queryFn: () => api<AssessedOpinion[]>(`/rounds/${roundId}/assessment-queue`),
    enabled,
  });
}

export function useDispositions(opinionId: string | undefined) {
  return useQuery({
    queryKey: ['opinion', opinionId, 'dispositions'],
    queryFn: () => api<Disposition[]>(`/opinions/${opinionId}/dispositions`),
    enabled: Boolean(opinionId),
  });
}

export function useReasonTemplates() {
  return useQuery({
    queryKey: ['reason-templates'],
    queryFn: () => api<ReasonTemplate[]>('/reason-templates'),
  });
}

function useInvalidateAssessment(roundId: string) {
  const client = useQueryClient();
  return async (opinionId?: string) => {
    await client.invalidateQueries({ queryKey: ['round', roundId, 'assessment-queue'] });
    await client.invalidateQueries({ queryKey: ['round', roundId, 'objections'] });
    if (opinionId) {
      await client.invalidateQueries({ queryKey: ['opinion', opinionId] });
    }
  };
}

export function useProposeDisposition(roundId: string) {
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
    onSuccess: (d) => invalidate(d.opinionId),
  });
}

export function useDecideDisposition(roundId: string) {
  const invalidate = useInvalidateAssessment(roundId);
  return useMutation({
    mutationFn: (input: { id: string; decision: 'approve' | 'reject' }) =>
      api<Disposition>(`/dispositions/${input.id}/${input.decision}`, {
        method: 'POST',
        ...(input.decision === 'reject' ? { body: {} } : {}),
      }),
    onSuccess: (d) => invalidate(d.opinionId),
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
    onSuccess: (o) => invalidate(o.opinionId),
  });
}
