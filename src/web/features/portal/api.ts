import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { solveChallenge } from 'altcha-lib/v1';
import { ApiError, api } from '../../api.ts';

/* The public comment portal's API: the public page, comments, the summary, and the moderation queue. */

export interface PublicClause {
  stableId: string;
  kind: string;
  number: string | null;
  heading: string | null;
  text: string;
  depth: number;
  comments: number;
}

export interface PublicRound {
  id: string;
  title: string;
  status: string;
  opensAt: string;
  closesAt: string;
  deadline: string;
  accepting: boolean;
  moderation: 'pre' | 'post';
  captcha: boolean;
  summaryPublished: boolean;
  comments: number;
  clauses: PublicClause[];
}

export interface CommentDraft {
  clauseStableId: string | null;
  suggestion: string;
  reasons: string | null;
  proposedText: string | null;
  anonymous: boolean;
  name: string | null;
  contact: string | null;
  consent: boolean;
}

export interface Receipt {
  receiptNo: string;
  status: 'pending' | 'published' | 'rejected' | 'hidden';
  submittedAt: string;
  message: { zh: string; en: string };
}

export interface SummaryCluster {
  size: number;
  representative: string;
  dispositions: { code: string; count: number }[];
  response: { code: string; reason: string | null } | null;
}

export interface PublicSummary {
  roundId: string;
  title: string;
  publishedAt: string;
  comments: number;
  clauses: {
    clauseStableId: string | null;
    number: string | null;
    heading: string | null;
    excerpt: string | null;
    comments: number;
    clusters: SummaryCluster[];
  }[];
}

export type CommentStatus = 'pending' | 'published' | 'rejected' | 'hidden';

export interface QueueComment {
  id: string;
  clauseStableId: string | null;
  suggestion: string;
  reasons: string | null;
  proposedText: string | null;
  createdAt: string;
  receiptNo: string;
  status: CommentStatus;
  anonymous: boolean;
  named: boolean;
  opinionId: string | null;
  moderationReason: string | null;
  redacted: boolean;
  personalData: boolean;
}

export interface PortalSettings {
  roundId: string;
  moderation: 'pre' | 'post';
  summaryPublishedAt: string | null;
  counts: Record<CommentStatus, number>;
}

export const usePublicRound = (roundId: string) =>
  useQuery({
    queryKey: ['public-round', roundId],
    queryFn: () => api<PublicRound>(`/public/rounds/${roundId}`),
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 2,
  });

export const usePublicSummary = (roundId: string, enabled: boolean) =>
  useQuery({
    queryKey: ['public-summary', roundId],
    queryFn: () => api<PublicSummary>(`/public/rounds/${roundId}/summary`),
    enabled,
  });

interface Challenge {
  enabled: boolean;
  algorithm: string;
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}

/** Solves the server's proof-of-work challenge in the browser (no third party, no tracking). */
async function solveCaptcha(): Promise<string | null> {
  const challenge = await api<Challenge>('/public/captcha');
  if (!challenge.enabled) {
    return null;
  }
  const solution = await solveChallenge(
    challenge.challenge,
    challenge.salt,
    challenge.algorithm,
    challenge.maxnumber,
  ).promise;
  if (!solution) {
    throw new ApiError(400, 'captcha_failed', 'CAPTCHA not solved');
  }
  return btoa(
    JSON.stringify({
      algorithm: challenge.algorithm,
      challenge: challenge.challenge,
      number: solution.number,
      salt: challenge.salt,
      signature: challenge.signature,
    }),
  );
}

export function useSubmitComment(roundId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (draft: CommentDraft) => {
      const captcha = await solveCaptcha();
      return api<Receipt>(`/public/rounds/${roundId}/comments`, {
        method: 'POST',
        body: { ...draft, captcha },
      });
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['public-round', roundId] }),
  });
}

export const usePortalSettings = (roundId: string) =>
  useQuery({
    queryKey: ['portal-settings', roundId],
    queryFn: () => api<PortalSettings>(`/rounds/${roundId}/portal`),
  });

export const useModerationQueue = (roundId: string, status: CommentStatus) =>
  useQuery({
    queryKey: ['portal-queue', roundId, status],
    queryFn: () =>
      api<{ total: number; items: QueueComment[] }>(
        `/rounds/${roundId}/portal/comments?status=${status}&limit=100`,
      ),
  });

function usePortalMutation<T>(roundId: string, fn: (input: T) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['portal-queue', roundId] });
      await client.invalidateQueries({ queryKey: ['portal-settings', roundId] });
    },
  });
}

export const useSetModeration = (roundId: string) =>
  usePortalMutation(roundId, (moderation: 'pre' | 'post') =>
    api(`/rounds/${roundId}/portal`, { method: 'PUT', body: { moderation } }),
  );

export const useModerate = (roundId: string) =>
  usePortalMutation(
    roundId,
    (input: { id: string; action: 'approve' | 'reject' | 'hide' | 'restore'; reason: string | null }) =>
      api(`/portal/comments/${input.id}/moderate`, {
        method: 'POST',
        body: { action: input.action, reason: input.reason },
      }),
  );

export const useRedact = (roundId: string) =>
  usePortalMutation(roundId, (input: { id: string; reason: string; spans: string[] }) =>
    api(`/portal/comments/${input.id}/redact`, {
      method: 'POST',
      body: { reason: input.reason, spans: input.spans },
    }),
  );

export const usePublishSummary = (roundId: string) =>
  usePortalMutation(roundId, () => api(`/rounds/${roundId}/portal/summary`, { method: 'POST' }));

/** A named commenter's name and contact, for the round's moderators (each look is recorded). */
export interface Commenter {
  commentId: string;
  anonymous: boolean;
  name: string | null;
  contact: string | null;
}

export const fetchCommenter = (commentId: string): Promise<Commenter> =>
  api<Commenter>(`/portal/comments/${commentId}/commenter`);
