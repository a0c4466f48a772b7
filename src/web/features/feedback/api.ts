import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.ts';

export type Rating = 'satisfied' | 'basically_satisfied' | 'unsatisfied';

export interface FeedbackResponse {
  id: string;
  opinionId: string;
  response: 'confirmed' | 'rated' | 'objected';
  rating: Rating | null;
  respondedAt: string;
}

export interface Objection {
  id: string;
  opinionId: string;
  roundNo: number;
  reasons: string;
  status: 'open' | 'upheld' | 'changed' | 'escalated' | 'dissent_recorded';
  raisedAt: string;
  reviewNote: string | null;
}

export interface LetterItem {
  opinion: {
    id: string;
    regNo: string | null;
    clauseStableId: string | null;
    suggestion: string;
    reasons: string | null;
    proposedText: string | null;
  };
  disposition: {
    id: string;
    code: string;
    label: string;
    reason: string | null;
    basis: string | null;
  } | null;
  responses: FeedbackResponse[];
  objections: Objection[];
  objectionOpenUntil: string | null;
}

export interface Letter {
  id: string;
  roundId: string;
  unitId: string;
  status: 'draft' | 'sent';
  sentAt: string | null;
  objectionDeadline: string | null;
  items: LetterItem[];
}

export interface RespondInput {
  opinionId: string;
  response: 'confirmed' | 'rated' | 'objected';
  rating?: Rating | null;
  reasons?: string | null;
}

export function useLetter(letterId: string | undefined) {
  return useQuery({
    queryKey: ['feedback', letterId],
    queryFn: () => api<Letter>(`/feedback/${letterId}`),
    enabled: Boolean(letterId),
  });
}

export function useRespond(letterId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: RespondInput) =>
      api(`/feedback/${letterId}/responses`, { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['feedback', letterId] }),
  });
}
