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
  lastRemindedAt: string | null;
  reminderCount: number;
}

export interface Extension {
  id: string;
  invitationId: string;
  unitId: string;
  requestedUntil: string;
  reason: string;
  status: 'pending' | 'granted' | 'refused';
  requestedBy: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  createdAt: string;
  /** Working days the requested date lies beyond the round's own deadline. */
  extraWorkingDays: number;
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
  invitations?: {
    unitId: string;
    mandatory?: boolean;
    questions?: { clauseStableId: string; question: string }[];
  }[];
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

export interface RemindAllResult {
  reminded: Invitation[];
  failed: { invitation: Invitation; message: string }[];
}

/** Reminds each of `invitations` in turn, carrying on past a refusal, and reports both. */
export function useRemindAll(roundId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (invitations: Invitation[]): Promise<RemindAllResult> => {
      const result: RemindAllResult = { reminded: [], failed: [] };
      for (const invitation of invitations) {
        try {
          result.reminded.push(
            await api<Invitation>(`/invitations/${invitation.id}/remind`, { method: 'POST', body: {} }),
          );
        } catch (error) {
          result.failed.push({ invitation, message: error instanceof Error ? error.message : String(error) });
        }
      }
      return result;
    },
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ['round', roundId, 'invitations'] }),
        client.invalidateQueries({ queryKey: ['round', roundId, 'reminders'] }),
      ]),
  });
}

export function useExtensions(roundId: string) {
  return useQuery({
    queryKey: ['round', roundId, 'extensions'],
    queryFn: () => api<Extension[]>(`/rounds/${roundId}/extensions`),
  });
}

/** Grants or refuses a request for more time; granting moves the unit's deadline (and may reopen the round). */
export function useDecideExtension(roundId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; decision: 'grant' | 'refuse' }) =>
      api<Extension>(`/extensions/${input.id}/${input.decision}`, { method: 'POST' }),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: ['round', roundId], exact: true });
      await client.invalidateQueries({ queryKey: ['round', roundId, 'invitations'] });
      await client.invalidateQueries({ queryKey: ['round', roundId, 'extensions'] });
      await client.invalidateQueries({ queryKey: ['round', roundId, 'reminders'] });
    },
  });
}
