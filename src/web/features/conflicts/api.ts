import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.ts';
import type { Figure } from '../analysis/api.ts';

/* Conflicts (分歧事项) among units' opinions, their resolution methods, escalation and the decision. */

export type ConflictStatus = 'open' | 'in_resolution' | 'resolved' | 'escalated' | 'decided';
export const CONFLICT_STATUSES: readonly ConflictStatus[] = [
  'open',
  'in_resolution',
  'escalated',
  'resolved',
  'decided',
];
export type MethodKind = 'meeting' | 'data' | 'expert' | 'pilot';
export const METHOD_KINDS: readonly MethodKind[] = ['meeting', 'data', 'expert', 'pilot'];
export type MethodStatus = 'planned' | 'running' | 'done' | 'cancelled';
export const METHOD_STATUSES: readonly MethodStatus[] = ['planned', 'running', 'done', 'cancelled'];
export type DispositionCode =
  | 'adopted'
  | 'partially_adopted'
  | 'not_adopted'
  | 'already_reflected'
  | 'explained'
  | 'for_reference'
  | 'out_of_scope';
export const DISPOSITION_CODES: readonly DispositionCode[] = [
  'adopted',
  'partially_adopted',
  'not_adopted',
  'already_reflected',
  'explained',
  'for_reference',
  'out_of_scope',
];

export interface UnitRef {
  id: string;
  name: string;
}

export interface ConflictSummary {
  id: string;
  planId: string;
  roundId: string;
  clauseStableId: string;
  clauseNumber: string | null;
  title: string;
  status: ConflictStatus;
  level: number | null;
  levelName: string | null;
  createdFrom: 'person' | 'candidate';
  units: UnitRef[];
  openedAt: string;
  settledAt: string | null;
  ageDays: number;
  parties: number;
  methods: number;
}

export interface Party {
  id: string;
  opinionId: string;
  regNo: string | null;
  unitId: string | null;
  unitName: string | null;
  side: string;
  position: string | null;
  suggestion: string;
  proposedText: string | null;
  figures: Figure[];
  outcomeCode: DispositionCode | null;
  dispositionId: string | null;
}

export interface Rung {
  rank: number;
  name: string;
  role: 'organizer' | 'leader' | 'admin';
  userIds: string[];
}

export interface Attendee {
  unitId: string | null;
  unitName: string | null;
  people: string[];
}

export interface FollowUpAction {
  text: string;
  ownerUnitId: string | null;
  due: string | null;
  done: boolean;
}

export interface Meeting {
  agenda: string[];
  startsAt: string | null;
  place: string | null;
  attendees: Attendee[];
  minutes: string | null;
  decisions: string[];
  actions: FollowUpAction[];
}

export interface SheetInput {
  name: string;
  label?: string | null;
  value: number | null;
  unit?: string | null;
  source?: { itemId: string; passage?: string | null } | null;
}

export interface Sheet {
  question: string | null;
  inputs: SheetInput[];
  formula: string;
  resultUnit: string | null;
  conclusion: string | null;
  result: { value: number; shown: string; calculatedAt: string } | null;
}

export interface Pilot {
  scope: string;
  unitIds: string[];
  startsOn: string | null;
  endsOn: string | null;
  successCriteria: string;
  result: string | null;
  followUpIds: string[];
}

export interface Method {
  id: string;
  conflictId: string;
  kind: MethodKind;
  title: string;
  status: MethodStatus;
  meeting: Meeting | null;
  sheet: Sheet | null;
  pilot: Pilot | null;
  note: string | null;
  consultationId: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Escalation {
  fromLevel: number | null;
  toLevel: number;
  fromName: string | null;
  toName: string;
  by: string | null;
  reason: string;
  at: string;
}

export interface Conflict extends Omit<ConflictSummary, 'parties' | 'methods'> {
  summary: string | null;
  clauseText: string | null;
  createdBy: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decision: string | null;
  decisionCode: DispositionCode | null;
  updatedAt: string;
  sides: { side: string; parties: Party[] }[];
  methods: Method[];
  escalations: Escalation[];
  ladder: Rung[];
  can: { manage: boolean; escalate: boolean; resolve: boolean; decide: boolean };
}

export interface Agenda {
  conflictId: string;
  title: string;
  items: string[];
  parties: { side: string; unitName: string | null; position: string | null; figures: string[] }[];
  text: string;
}

export interface ConflictMetrics {
  roundId: string;
  total: number;
  counts: Record<ConflictStatus, number>;
  everEscalated: number;
  resolutionDays: { settled: number; median: number | null; mean: number | null; max: number | null };
}

export interface BoardFilter {
  status?: ConflictStatus;
  clauseStableId?: string;
  unitId?: string;
  otherUnitId?: string;
}

export interface DecisionInput {
  decision: string;
  code?: DispositionCode | null;
  outcomes?: { opinionId: string; code: DispositionCode; reason?: string | null }[];
}

export type MethodPatch = Partial<{
  title: string | null;
  status: MethodStatus;
  meeting: Partial<Omit<Meeting, 'attendees'> & { attendees: Attendee[] }>;
  sheet: Partial<Omit<Sheet, 'result'>>;
  pilot: Partial<Omit<Pilot, 'followUpIds'>>;
  note: string | null;
}>;

const query = (params: Record<string, string | undefined>) =>
  Object.entries(params)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
    .join('&');

export const conflictKeys = {
  board: (roundId: string, filter: BoardFilter) => ['conflicts', 'round', roundId, 'board', filter] as const,
  metrics: (roundId: string) => ['conflicts', 'round', roundId, 'metrics'] as const,
  conflict: (id: string) => ['conflicts', 'conflict', id] as const,
  agenda: (id: string) => ['conflicts', 'conflict', id, 'agenda'] as const,
};

export function useConflictBoard(roundId: string, filter: BoardFilter) {
  return useQuery({
    queryKey: conflictKeys.board(roundId, filter),
    queryFn: () => api<{ items: ConflictSummary[] }>(`/rounds/${roundId}/conflicts?${query({ ...filter })}`),
  });
}

export function useConflictMetrics(roundId: string) {
  return useQuery({
    queryKey: conflictKeys.metrics(roundId),
    queryFn: () => api<ConflictMetrics>(`/rounds/${roundId}/conflict-metrics`),
    retry: false,
  });
}

export function useConflict(id: string) {
  return useQuery({
    queryKey: conflictKeys.conflict(id),
    queryFn: () => api<Conflict>(`/conflicts/${id}`),
  });
}

export function useAgenda(id: string, enabled: boolean) {
  return useQuery({
    queryKey: conflictKeys.agenda(id),
    queryFn: () => api<Agenda>(`/conflicts/${id}/agenda`),
    enabled,
  });
}

/** After a change: the conflict, the boards, and the opinions whose dispositions it may have written. */
function useRefresh() {
  const client = useQueryClient();
  return async (conflict?: Conflict) => {
    if (conflict) {
      client.setQueryData(conflictKeys.conflict(conflict.id), conflict);
    }
    await client.invalidateQueries({ queryKey: ['conflicts'] });
    await client.invalidateQueries({ queryKey: ['opinion'] });
    if (conflict) {
      await client.invalidateQueries({ queryKey: ['round', conflict.roundId, 'opinions'] });
    }
  };
}

export function useOpenConflict(roundId: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: {
      opinionIds: string[];
      title?: string | null;
      createdFrom?: 'person' | 'candidate';
    }) => api<Conflict>(`/rounds/${roundId}/conflicts`, { method: 'POST', body }),
    onSuccess: (conflict) => refresh(conflict),
  });
}

export function useEscalate(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (reason: string) =>
      api<Conflict>(`/conflicts/${id}/escalate`, { method: 'POST', body: { reason } }),
    onSuccess: (conflict) => refresh(conflict),
  });
}

export function useSettle(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ how, body }: { how: 'resolve' | 'decide'; body: DecisionInput }) =>
      api<Conflict>(`/conflicts/${id}/${how}`, { method: 'POST', body }),
    onSuccess: (conflict) => refresh(conflict),
  });
}

export function useAddMethod(conflictId: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: { kind: MethodKind } & MethodPatch) =>
      api<Method>(`/conflicts/${conflictId}/methods`, { method: 'POST', body }),
    onSuccess: () => refresh(),
  });
}

export function useUpdateMethod(methodId: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: MethodPatch) => api<Method>(`/methods/${methodId}`, { method: 'PATCH', body }),
    onSuccess: () => refresh(),
  });
}

export function useCalculate(methodId: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: Partial<Omit<Sheet, 'result'>>) =>
      api<Method>(`/methods/${methodId}/calculate`, { method: 'POST', body }),
    onSuccess: () => refresh(),
  });
}
