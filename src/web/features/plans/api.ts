import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, uploadFile } from '../../api.ts';
import type { ClauseCounts } from './clause-counts.ts';

export interface Plan {
  id: string;
  name: string;
  description: string | null;
  versionCount: number;
  latestVersionId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface MatchSummary {
  matched: number;
  changed: number;
  new: number;
  removed: number;
  uncertain: number;
}

export interface Version {
  id: string;
  planId: string;
  seq: number;
  label: string;
  title: string | null;
  sourceName: string;
  format: string;
  clauseCount: number;
  counts: Record<string, number>;
  warnings: string[];
  previousVersionId: string | null;
  match: MatchSummary | null;
  createdAt: string;
}

export interface Clause {
  id: string;
  stableId: string;
  kind: string;
  number: string | null;
  heading: string | null;
  text: string;
  path: string;
  children: Clause[];
}

export interface ImportResult {
  version: Version;
  counts: Record<string, number>;
  match: MatchSummary | null;
  warnings: string[];
}

export interface MatchReview {
  id: string;
  versionId: string;
  status: string;
  reason: string;
  score: number | null;
  clause: {
    stableId?: string;
    number?: string | null;
    heading?: string | null;
    text?: string;
    path?: string;
  } | null;
  candidate: {
    stableId: string;
    number: string | null;
    heading: string | null;
    text: string;
    path: string;
  } | null;
}

export function usePlans() {
  return useQuery({ queryKey: ['plans'], queryFn: () => api<Plan[]>('/plans') });
}

export function usePlan(planId: string) {
  return useQuery({ queryKey: ['plan', planId], queryFn: () => api<Plan>(`/plans/${planId}`) });
}

export function useCreatePlan() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; description?: string | null }) =>
      api<Plan>('/plans', { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['plans'] }),
  });
}

export function useVersions(planId: string) {
  return useQuery({
    queryKey: ['plan', planId, 'versions'],
    queryFn: () => api<Version[]>(`/plans/${planId}/versions`),
  });
}

export function useVersion(versionId: string | undefined) {
  return useQuery({
    queryKey: ['version', versionId],
    queryFn: () => api<{ version: Version; clauses: Clause[] }>(`/versions/${versionId}`),
    enabled: Boolean(versionId),
  });
}

export function useMatchReviews(versionId: string | undefined) {
  return useQuery({
    queryKey: ['version', versionId, 'match-reviews'],
    queryFn: () => api<MatchReview[]>(`/versions/${versionId}/match-reviews`),
    enabled: Boolean(versionId),
  });
}

export function useResolveMatch(versionId: string | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; decision: 'accept' | 'reject' }) =>
      api<MatchReview>(`/match-reviews/${input.id}/resolve`, {
        method: 'POST',
        body: { decision: input.decision },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['version', versionId] }),
  });
}

/** Uploads a draft file with XMLHttpRequest, so that the upload's progress can be shown. */
export function uploadDraft(
  planId: string,
  file: File,
  onProgress: (percent: number) => void,
): Promise<ImportResult> {
  return uploadFile<ImportResult>(`/plans/${planId}/versions`, file, onProgress);
}

export function useUploadDraft(planId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { file: File; onProgress: (percent: number) => void }) =>
      uploadDraft(planId, input.file, input.onProgress),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['plan', planId] });
      await client.invalidateQueries({ queryKey: ['plans'] });
    },
  });
}

/** Per clause, the tally of the plan's submitted opinions across its rounds (the heat strip). */
export function useClauseCounts(planId: string) {
  return useQuery({
    queryKey: ['plan', planId, 'clause-counts'],
    queryFn: () => api<ClauseCounts[]>(`/plans/${planId}/clause-counts`),
  });
}
