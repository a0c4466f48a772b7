import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.ts';

/* Expert consultation (专家咨询): the roster, consultations, the expert's inbox and answer, the summary. */

export const EXPERT_FIELDS = [
  'technology',
  'economy',
  'management',
  'law',
  'environment',
  'planning',
  'finance',
  'society',
] as const;

export interface Expert {
  id: string;
  login: string;
  name: string;
  email: string | null;
  unitId: string | null;
  status: 'active' | 'disabled';
  fields: string[];
  title: string | null;
  organisation: string | null;
  bio: string | null;
}

export interface Consultation {
  id: string;
  planId: string;
  roundId: string;
  conflictId: string | null;
  title: string;
  questions: string[];
  opinionIds: string[];
  minAnswers: number;
  deadline: string | null;
  revealAfterAnswer: boolean;
  status: 'open' | 'closed';
  createdAt: string;
  closedAt: string | null;
  forced: boolean;
  closeReason: string | null;
}

export type AssignmentStatus = 'invited' | 'answered' | 'declined';

export interface InboxItem extends Consultation {
  myStatus: AssignmentStatus;
  invitedAt: string;
  answeredAt: string | null;
}

export interface Answer {
  id: string;
  consultationId: string;
  expertId: string;
  recommendation: string;
  feasibility: number;
  reasons: string;
  answers: string[];
  signedName: string;
  signedAt: string;
}

export interface ConsultedOpinion {
  id: string;
  regNo: string | null;
  unitName: string | null;
  suggestion: string;
  reasons: string | null;
  proposedText: string | null;
  clause: { stableId: string; number: string | null; heading: string | null; text: string } | null;
}

export interface ConsultationView {
  consultation: Consultation;
  conflict: {
    id: string;
    title: string;
    summary: string | null;
    status: string;
    parties: { opinionId: string; unitId: string | null; side: string; position: string | null }[];
  } | null;
  opinions: ConsultedOpinion[];
  assignments: {
    expertId: string;
    expertName: string;
    status: AssignmentStatus;
    answeredAt: string | null;
    declineReason: string | null;
  }[];
  myAnswer: Answer | null;
  answers: Answer[] | null;
  answersHiddenReason: string | null;
}

export interface ConsultationSummary {
  consultationId: string;
  title: string;
  status: 'open' | 'closed';
  questions: string[];
  minAnswers: number;
  invited: number;
  answered: number;
  declined: number;
  pending: number;
  minimumMet: boolean;
  meanScore: number | null;
  medianScore: number | null;
  scoreCounts: number[];
  experts: {
    expertId: string;
    name: string;
    fields: string[];
    title: string | null;
    organisation: string | null;
    status: AssignmentStatus;
    recommendation: string | null;
    feasibility: number | null;
    reasons: string | null;
    answers: string[] | null;
    signedAt: string | null;
  }[];
  byQuestion: {
    index: number;
    question: string;
    answers: { expertId: string; name: string; answer: string }[];
  }[];
}

export interface NewConsultation {
  title: string;
  questions: string[];
  expertIds: string[];
  conflictId?: string;
  opinionIds?: string[];
  minAnswers?: number;
  deadline?: string | null;
}

export interface AnswerInput {
  recommendation: string;
  feasibility: number;
  reasons: string;
  answers: string[];
}

export const expertKeys = {
  roster: (field: string | undefined) => ['experts', 'roster', field ?? null] as const,
  inbox: (includeClosed: boolean) => ['experts', 'inbox', includeClosed] as const,
  consultation: (id: string) => ['experts', 'consultation', id] as const,
  summary: (id: string) => ['experts', 'consultation', id, 'summary'] as const,
};

export function useRoster(field: string | undefined) {
  return useQuery({
    queryKey: expertKeys.roster(field),
    queryFn: () => api<Expert[]>(`/experts${field ? `?field=${encodeURIComponent(field)}` : ''}`),
  });
}

export function useCreateConsultation(roundId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewConsultation) =>
      api<ConsultationView>(`/rounds/${roundId}/consultations`, { method: 'POST', body }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['experts'] });
      await client.invalidateQueries({ queryKey: ['conflicts'] });
    },
  });
}

export function useExpertInbox(includeClosed: boolean) {
  return useQuery({
    queryKey: expertKeys.inbox(includeClosed),
    queryFn: () => api<InboxItem[]>(`/experts/me/consultations?includeClosed=${includeClosed}`),
  });
}

export function useConsultation(id: string) {
  return useQuery({
    queryKey: expertKeys.consultation(id),
    queryFn: () => api<ConsultationView>(`/consultations/${id}`),
  });
}

export function useConsultationSummary(id: string) {
  return useQuery({
    queryKey: expertKeys.summary(id),
    queryFn: () => api<ConsultationSummary>(`/consultations/${id}/summary`),
    // Experts answer on their own time: the organizer's view catches up without a reload.
    refetchInterval: (q) => (q.state.data?.status === 'open' && q.state.data.pending > 0 ? 15_000 : false),
  });
}

export function useSubmitAnswer(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: AnswerInput) => api<Answer>(`/consultations/${id}/answer`, { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['experts'] }),
  });
}

export function useDecline(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => api(`/consultations/${id}/decline`, { method: 'POST', body: { reason } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['experts'] }),
  });
}

export function useCloseConsultation(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { force?: boolean; reason?: string | null }) =>
      api<Consultation>(`/consultations/${id}/close`, { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['experts'] }),
  });
}
