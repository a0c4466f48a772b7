import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.ts';

export type InvitationStatus =
  | 'invited'
  | 'acknowledged'
  | 'drafting'
  | 'in_review'
  | 'signed_off'
  | 'sent'
  | 'silent'
  | 'deemed_no_objection';

export interface TargetedQuestion {
  clauseStableId: string;
  question: string;
}

/** One solicitation in the unit's inbox (GET /invitations/mine). */
export interface MyInvitation {
  id: string;
  roundId: string;
  unitId: string;
  unitName: string;
  mandatory: boolean;
  questions: TargetedQuestion[];
  status: InvitationStatus;
  deadline: string;
  extended: boolean;
  late: boolean;
  acknowledgedAt: string | null;
  replyVersion: number;
  roundTitle: string;
  roundSeq: number;
  roundStatus: string;
  roundKind: 'internal' | 'public';
  planId: string;
  planName: string;
  versionId: string;
  workingDaysLeft: number;
}

export const MINE_KEY = ['invitations', 'mine'] as const;

export function useMyInvitations() {
  return useQuery({ queryKey: MINE_KEY, queryFn: () => api<MyInvitation[]>('/invitations/mine') });
}

export function useAcknowledge() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/invitations/${id}/acknowledge`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: MINE_KEY }),
  });
}

/** A sent feedback letter header (GET /rounds/:id/feedback). */
export interface LetterHeader {
  id: string;
  roundId: string;
  unitId: string;
  status: 'draft' | 'sent';
  sentAt: string | null;
  objectionDeadline: string | null;
}

export function useRoundLetters(roundId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['rounds', roundId, 'feedback'],
    queryFn: () => api<LetterHeader[]>(`/rounds/${roundId}/feedback`),
    enabled,
  });
}
