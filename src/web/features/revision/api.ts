import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api.ts';

export interface RevisionChange {
  id: string;
  stableId: string;
  kind: string;
  oldText: string | null;
  newText: string | null;
  newHeading: string | null;
  opinionIds: string[];
  reason: string | null;
}

export interface RevisionClause {
  stableId: string;
  parentStableId: string | null;
  kind: string;
  number: string | null;
  heading: string | null;
  text: string;
  depth: number;
  path: string;
  status: string;
  changeId: string | null;
}

export interface RevisionView {
  revision: {
    id: string;
    planId: string;
    baseVersionId: string;
    status: string;
    publishedVersionId: string | null;
    createdAt: string;
    publishedAt: string | null;
  };
  changes: RevisionChange[];
  clauses: RevisionClause[];
}

export interface Consistency {
  adoptedWithoutChange: string[];
  changesWithoutOpinion: string[];
}

const storageKey = (planId: string) => `concord.revision.${planId}`;

/** The id of the plan's open revision this browser knows of (the API has no listing of revisions). */
export function rememberedRevision(planId: string): string | null {
  return localStorage.getItem(storageKey(planId));
}

export function rememberRevision(planId: string, revisionId: string | null): void {
  if (revisionId) {
    localStorage.setItem(storageKey(planId), revisionId);
  } else {
    localStorage.removeItem(storageKey(planId));
  }
}

export function useRevision(revisionId: string | null) {
  return useQuery({
    queryKey: ['revision', revisionId],
    queryFn: () => api<RevisionView>(`/revisions/${revisionId}`),
    enabled: Boolean(revisionId),
    retry: false,
  });
}

/** Starts a revision, or finds the plan's open one (the server answers 409 with its id). */
export function useStartRevision(planId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (): Promise<string> => {
      try {
        const view = await api<RevisionView>(`/plans/${planId}/revisions`, { method: 'POST' });
        client.setQueryData(['revision', view.revision.id], view);
        return view.revision.id;
      } catch (error) {
        const existing = (error as ApiError).details as { revisionId?: string } | undefined;
        if (error instanceof ApiError && error.status === 409 && existing?.revisionId) {
          return existing.revisionId;
        }
        throw error;
      }
    },
    onSuccess: (id) => rememberRevision(planId, id),
  });
}

function useRevisionWrite<I>(
  revisionId: string | null,
  request: (id: string, input: I) => Promise<RevisionView>,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: I) => request(revisionId ?? '', input),
    onSuccess: async (view) => {
      client.setQueryData(['revision', revisionId], view);
      await client.invalidateQueries({ queryKey: ['revision', revisionId, 'consistency'] });
    },
  });
}

export function useAcceptOpinion(revisionId: string | null) {
  return useRevisionWrite(revisionId, (id, opinionId: string) =>
    api<RevisionView>(`/revisions/${id}/accept`, { method: 'POST', body: { opinionId } }),
  );
}

export function useEditClause(revisionId: string | null) {
  return useRevisionWrite(
    revisionId,
    (
      id,
      input: {
        stableId: string;
        text: string;
        heading?: string | null;
        reason?: string | null;
        opinionIds?: string[];
      },
    ) =>
      api<RevisionView>(`/revisions/${id}/clauses/${input.stableId}`, {
        method: 'PUT',
        body: {
          text: input.text,
          heading: input.heading ?? null,
          reason: input.reason ?? null,
          ...(input.opinionIds ? { opinionIds: input.opinionIds } : {}),
        },
      }),
  );
}

export function useConsistency(revisionId: string | null, enabled: boolean) {
  return useQuery({
    queryKey: ['revision', revisionId, 'consistency'],
    queryFn: () => api<Consistency>(`/revisions/${revisionId}/consistency`),
    enabled: Boolean(revisionId) && enabled,
  });
}

export function usePublishRevision(planId: string, revisionId: string | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (label: string | undefined) =>
      api<{ version: { id: string; seq: number; label: string } }>(`/revisions/${revisionId}/publish`, {
        method: 'POST',
        body: label ? { label } : {},
      }),
    onSuccess: async () => {
      rememberRevision(planId, null);
      await client.invalidateQueries({ queryKey: ['revision', revisionId] });
      await client.invalidateQueries({ queryKey: ['plan', planId] });
      await client.invalidateQueries({ queryKey: ['plans'] });
    },
  });
}
