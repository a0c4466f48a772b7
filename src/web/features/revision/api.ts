import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api.ts';
import type { RevisionStatus } from './revision-state.ts';

export interface RevisionChange {
  id: string;
  stableId: string;
  kind: string;
  afterStableId: string | null;
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

export interface Revision {
  id: string;
  planId: string;
  baseVersionId: string;
  status: RevisionStatus;
  publishedVersionId: string | null;
  createdBy: string | null;
  createdAt: string;
  publishedAt: string | null;
  submittedBy: string | null;
  submittedAt: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  returnedBy: string | null;
  returnedAt: string | null;
  returnNote: string | null;
}

/** A revision in the plan's list, with its base version, number of changes and the people's names. */
export interface RevisionSummary extends Revision {
  baseVersion: { id: string; seq: number; label: string };
  changeCount: number;
  createdByName: string | null;
  submittedByName: string | null;
  approvedByName: string | null;
  returnedByName: string | null;
}

export interface RevisionView {
  revision: Revision;
  changes: RevisionChange[];
  clauses: RevisionClause[];
}

export interface Consistency {
  adoptedWithoutChange: string[];
  changesWithoutOpinion: string[];
}

const revisionsKey = (planId: string) => ['plan', planId, 'revisions'];

/** The plan's revisions, newest first: the open one is found here. */
export function useRevisions(planId: string) {
  return useQuery({
    queryKey: revisionsKey(planId),
    queryFn: () => api<RevisionSummary[]>(`/plans/${planId}/revisions`),
  });
}

export function useRevision(revisionId: string | null) {
  return useQuery({
    queryKey: ['revision', revisionId],
    queryFn: () => api<RevisionView>(`/revisions/${revisionId}`),
    enabled: Boolean(revisionId),
    retry: false,
  });
}

/** Starts a revision; when someone else started one meanwhile, the server names it (409) and it is used. */
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
    onSuccess: () => client.invalidateQueries({ queryKey: revisionsKey(planId) }),
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
      await client.invalidateQueries({ queryKey: revisionsKey(view.revision.planId) });
    },
  });
}

export function useAcceptOpinion(revisionId: string | null) {
  return useRevisionWrite(revisionId, (id, opinionId: string) =>
    api<RevisionView>(`/revisions/${id}/accept`, { method: 'POST', body: { opinionId } }),
  );
}

export interface ClauseInput {
  text: string;
  heading?: string | null;
  reason?: string | null;
  opinionIds?: string[];
}

const clauseBody = (input: ClauseInput) => ({
  text: input.text,
  heading: input.heading ?? null,
  reason: input.reason ?? null,
  ...(input.opinionIds ? { opinionIds: input.opinionIds } : {}),
});

export function useEditClause(revisionId: string | null) {
  return useRevisionWrite(revisionId, (id, input: ClauseInput & { stableId: string }) =>
    api<RevisionView>(`/revisions/${id}/clauses/${input.stableId}`, {
      method: 'PUT',
      body: clauseBody(input),
    }),
  );
}

/** Inserts a new clause after another, as its sibling of the same kind. */
export function useInsertClause(revisionId: string | null) {
  return useRevisionWrite(revisionId, (id, input: ClauseInput & { afterStableId: string }) =>
    api<RevisionView>(`/revisions/${id}/clauses`, {
      method: 'POST',
      body: { afterStableId: input.afterStableId, ...clauseBody(input) },
    }),
  );
}

/** Deletes a clause and its subtree (an inserted clause is simply dropped). */
export function useDeleteClause(revisionId: string | null) {
  return useRevisionWrite(revisionId, (id, stableId: string) =>
    api<RevisionView>(`/revisions/${id}/clauses/${stableId}`, { method: 'DELETE' }),
  );
}

export type RevisionStep =
  { action: 'submit' } | { action: 'withdraw' } | { action: 'approve' } | { action: 'return'; note: string };

/** Submits for approval, withdraws, approves or returns the revision; the dashboard follows. */
export function useRevisionStep(revisionId: string | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (step: RevisionStep) =>
      api<RevisionView>(`/revisions/${revisionId}/${step.action}`, {
        method: 'POST',
        body: step.action === 'return' ? { note: step.note } : {},
      }),
    onSuccess: async (view) => {
      client.setQueryData(['revision', revisionId], view);
      await client.invalidateQueries({ queryKey: revisionsKey(view.revision.planId) });
      await client.invalidateQueries({ queryKey: ['dashboard'] });
    },
  });
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
      await client.invalidateQueries({ queryKey: ['revision', revisionId] });
      await client.invalidateQueries({ queryKey: ['plan', planId] });
      await client.invalidateQueries({ queryKey: ['plans'] });
      await client.invalidateQueries({ queryKey: ['dashboard'] });
    },
  });
}
