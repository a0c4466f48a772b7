import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.ts';

export type RoundStatus = 'draft' | 'scheduled' | 'open' | 'closed' | 'assessing' | 'feedback' | 'finished';

export interface Round {
  id: string;
  planId: string;
  versionId: string;
  seq: number;
  title: string;
  kind: 'internal' | 'public';
  status: RoundStatus;
  scope: string[] | null;
  visibility: 'never' | 'after_close' | 'always';
  silencePolicy: 'no_reply' | 'deemed_no_objection';
  opensAt: string;
  deadline: string;
  closesAt: string;
  workingDays: number;
  urgent: boolean;
  urgentReason: string | null;
  urgentStatus: string;
  objectionWindowDays: number;
  maxObjectionRounds: number;
  openedAt: string | null;
  closedAt: string | null;
  finishedAt: string | null;
}

export interface Invitation {
  id: string;
  roundId: string;
  unitId: string;
  unitName: string;
  unitCode: string;
  mandatory: boolean;
  level: 'province' | 'city' | 'county';
  forwardedByUnitName: string | null;
  questions: { clauseStableId: string; question: string }[];
  status: string;
  deadline: string;
  extended: boolean;
  late: boolean;
  acknowledgedAt: string | null;
  replyVersion: number;
}

export interface Unit {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  level: 'province' | 'city' | 'county';
  areas: string[];
  keywords: string[];
}

export interface Deadline {
  from: string;
  workingDays: number;
  deadline: string;
  closesAt: string;
  calendarDays: number;
  uncoveredYears: number[];
}

export interface NewRound {
  versionId: string;
  title: string;
  kind: 'internal' | 'public';
  opensAt: string;
  workingDays?: number | null;
  scope: string[] | null;
  visibility: Round['visibility'];
  silencePolicy: Round['silencePolicy'];
  urgent?: { reason: string } | null;
  invitations?: { unitId: string; mandatory?: boolean }[];
}

export function usePlanRounds(planId: string) {
  return useQuery({
    queryKey: ['plan', planId, 'rounds'],
    queryFn: () => api<Round[]>(`/plans/${planId}/rounds`),
  });
}

export function useRound(roundId: string) {
  return useQuery({ queryKey: ['round', roundId], queryFn: () => api<Round>(`/rounds/${roundId}`) });
}

export function useInvitations(roundId: string) {
  return useQuery({
    queryKey: ['round', roundId, 'invitations'],
    queryFn: () => api<Invitation[]>(`/rounds/${roundId}/invitations`),
  });
}

export function useUnits() {
  return useQuery({ queryKey: ['units'], queryFn: () => api<Unit[]>('/units'), staleTime: 60_000 });
}

export function useDeadline(from: string | undefined, workingDays: number | undefined) {
  return useQuery({
    queryKey: ['deadline', from, workingDays],
    queryFn: () => api<Deadline>(`/calendar/deadline?from=${from}&workingDays=${workingDays}`),
    enabled: Boolean(from) && typeof workingDays === 'number' && workingDays >= 0,
    staleTime: 60_000,
  });
}

export function useCreateRound(planId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: NewRound) => api<Round>(`/plans/${planId}/rounds`, { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['plan', planId, 'rounds'] }),
  });
}

export type RoundAction =
  'schedule' | 'unschedule' | 'open' | 'close' | 'start-assessment' | 'feedback' | 'finish';

/** Which actions a round's state allows (mirrors the server's state machine; the server decides anyway). */
export const actionsByStatus: Record<RoundStatus, RoundAction[]> = {
  draft: ['schedule'],
  scheduled: ['unschedule', 'open'],
  open: ['close'],
  closed: ['start-assessment'],
  assessing: ['feedback'],
  feedback: ['finish'],
  finished: [],
};

export function useRoundAction(roundId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: RoundAction) => api<unknown>(`/rounds/${roundId}/${action}`, { method: 'POST' }),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: ['round', roundId] });
      await client.invalidateQueries({ queryKey: ['plan'] });
    },
  });
}
