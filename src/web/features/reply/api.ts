import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.ts';
import { MINE_KEY } from '../inbox/api.ts';

export interface ClauseNode {
  id: string;
  stableId: string;
  kind: string;
  number: string | null;
  heading: string | null;
  text: string;
  path: string;
  children: ClauseNode[];
}

export interface VersionWithClauses {
  version: { id: string; planId: string; label?: string; seq?: number };
  clauses: ClauseNode[];
}

export type OpinionKind = 'substantive' | 'editorial' | 'question';

export interface Opinion {
  id: string;
  roundId: string;
  invitationId: string | null;
  unitId: string | null;
  authorId: string | null;
  regNo: string | null;
  clauseStableId: string | null;
  quote: string | null;
  suggestion: string;
  reasons: string | null;
  proposedText: string | null;
  kind: OpinionKind;
  blocking: boolean;
  status: 'draft' | 'submitted' | 'withdrawn';
  quality: { score: number; flags: string[] };
  createdAt: string;
  updatedAt: string;
}

export interface OpinionInput {
  clauseStableId: string | null;
  quote?: string | null;
  suggestion: string;
  reasons?: string | null;
  proposedText?: string | null;
  kind: OpinionKind;
  blocking?: boolean;
}

export interface Quality {
  score: number;
  flags: string[];
  hints: string[];
}

export type Position = 'no_opinion' | 'agree_in_principle' | 'agree_with_amendments' | 'disagree';

export interface Receipt {
  replyId: string;
  number: string;
  version: number;
  sentAt: string;
  late: boolean;
  ledger: { seq: number; hash: string; alg: string };
}

export interface SentReply {
  id: string;
  invitationId: string;
  version: number;
  number: string;
  position: Position;
  summary: string | null;
  opinionIds: string[];
  sentAt: string;
  late: boolean;
  receipt: Receipt;
}

/** Flattens a clause tree in document order, with each clause's depth. */
export function flattenClauses(nodes: ClauseNode[], depth = 0): { clause: ClauseNode; depth: number }[] {
  return nodes.flatMap((clause) => [
    { clause, depth },
    ...flattenClauses(Array.isArray(clause.children) ? clause.children : [], depth + 1),
  ]);
}

export function useVersion(versionId: string | undefined) {
  return useQuery({
    queryKey: ['versions', versionId],
    queryFn: () => api<VersionWithClauses>(`/versions/${versionId}`),
    enabled: Boolean(versionId),
    staleTime: Infinity, // a version is immutable
  });
}

const opinionsKey = (roundId: string, unitId: string) => ['rounds', roundId, 'opinions', unitId] as const;

/** The unit's opinions in a round, colleagues' drafts included. */
export function useUnitOpinions(roundId: string | undefined, unitId: string | undefined) {
  return useQuery({
    queryKey: opinionsKey(roundId ?? '', unitId ?? ''),
    queryFn: async () => {
      const items: Opinion[] = [];
      let cursor: string | null = null;
      do {
        const params = new URLSearchParams({ unit: unitId!, limit: '200' });
        if (cursor) {
          params.set('cursor', cursor);
        }
        const page: { items: Opinion[]; nextCursor: string | null } = await api(
          `/rounds/${roundId}/opinions?${params.toString()}`,
        );
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && items.length < 2000);
      return items;
    },
    enabled: Boolean(roundId && unitId),
  });
}

export function useOpinionActions(roundId: string, unitId: string) {
  const client = useQueryClient();
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: opinionsKey(roundId, unitId) });
    await client.invalidateQueries({ queryKey: MINE_KEY });
  };
  return {
    create: useMutation({
      mutationFn: (input: OpinionInput) =>
        api<Opinion>(`/rounds/${roundId}/opinions`, { method: 'POST', body: input }),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: ({ id, input }: { id: string; input: Partial<OpinionInput> }) =>
        api<Opinion>(`/opinions/${id}`, { method: 'PATCH', body: input }),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: (id: string) => api(`/opinions/${id}`, { method: 'DELETE' }),
      onSuccess: refresh,
    }),
  };
}

export function checkQuality(input: Partial<OpinionInput> & { suggestion: string }): Promise<Quality> {
  return api<Quality>('/opinions/quality-check', { method: 'POST', body: input });
}

export type ReplyStep = 'start-drafting' | 'submit-for-review' | 'sign-off';

export function useReplyActions(invitationId: string, roundId: string, unitId: string) {
  const client = useQueryClient();
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: MINE_KEY });
    await client.invalidateQueries({ queryKey: ['invitations', invitationId, 'replies'] });
    await client.invalidateQueries({ queryKey: opinionsKey(roundId, unitId) });
  };
  return {
    step: useMutation({
      mutationFn: (step: ReplyStep) => api(`/invitations/${invitationId}/${step}`, { method: 'POST' }),
      onSuccess: refresh,
    }),
    returnForChanges: useMutation({
      mutationFn: (note: string) =>
        api(`/invitations/${invitationId}/return`, { method: 'POST', body: { note } }),
      onSuccess: refresh,
    }),
    send: useMutation({
      mutationFn: (body: { position: Position; summary?: string | null; late?: boolean }) =>
        api<Receipt>(`/invitations/${invitationId}/send`, { method: 'POST', body }),
      onSuccess: refresh,
    }),
  };
}

export function useReplies(invitationId: string | undefined) {
  return useQuery({
    queryKey: ['invitations', invitationId, 'replies'],
    queryFn: () => api<SentReply[]>(`/invitations/${invitationId}/replies`),
    enabled: Boolean(invitationId),
  });
}
