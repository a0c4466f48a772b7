import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.ts';
import type { Basis, DispositionCode } from '../assessment/api.ts';
import type { RoundStatus } from '../rounds/api.ts';

export interface DashboardPlan {
  id: string;
  name: string;
  ownerUnitId: string | null;
  updatedAt: string;
  currentVersion: { id: string; seq: number; label: string; createdAt: string } | null;
  rounds: Record<RoundStatus, number>;
  openRounds: {
    roundId: string;
    seq: number;
    title: string;
    kind: string;
    deadline: string;
    closesAt: string;
    invited: number;
    replied: number;
    responseRate: number | null;
  }[];
  opinions: { received: number; disposed: number; adopted: number; adoptionRate: number | null };
  objections: { open: number; escalated: number };
  openRevision: { id: string; status: string } | null;
}

export interface PendingUrgentRound {
  roundId: string;
  planId: string;
  planName: string;
  seq: number;
  title: string;
  kind: 'internal' | 'public';
  status: string;
  urgentReason: string | null;
  opensAt: string;
  deadline: string;
  workingDays: number;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: string;
}

export interface PendingRevision {
  revisionId: string;
  planId: string;
  planName: string;
  baseVersion: { id: string; seq: number; label: string };
  submittedBy: string | null;
  submittedByName: string | null;
  submittedAt: string | null;
  changeCount: number;
}

export interface PendingObjection {
  objectionId: string;
  planId: string;
  planName: string;
  roundId: string;
  roundTitle: string;
  roundNo: number;
  reasons: string;
  reviewNote: string | null;
  raisedAt: string;
  reviewedAt: string | null;
  opinion: {
    id: string;
    regNo: string | null;
    suggestion: string;
    unitName: string | null;
    clauseNumber: string | null;
  };
  disposition: { id: string; code: DispositionCode; reason: string | null; decidedBy: string | null };
}

export interface Dashboard {
  generatedAt: string;
  totals: {
    plans: number;
    openRounds: number;
    received: number;
    disposed: number;
    adopted: number;
    openObjections: number;
    pendingApprovals: number;
  };
  plans: DashboardPlan[];
  pending: {
    urgentRounds: PendingUrgentRound[];
    revisions: PendingRevision[];
    objections: PendingObjection[];
  };
}

export function useDashboard() {
  return useQuery({ queryKey: ['dashboard'], queryFn: () => api<Dashboard>('/dashboard') });
}

/** A leader approves or refuses the shortened period of an urgent round. */
export function useDecideUrgent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { roundId: string; decision: 'approve' | 'refuse' }) =>
      api<unknown>(`/rounds/${input.roundId}/urgent/${input.decision}`, { method: 'POST', body: {} }),
    onSuccess: async (_data, input) => {
      await client.invalidateQueries({ queryKey: ['dashboard'] });
      await client.invalidateQueries({ queryKey: ['round', input.roundId] });
    },
  });
}

export interface ObjectionDecision {
  outcome: 'uphold' | 'change' | 'record_dissent';
  note: string;
  newDisposition?: { code: DispositionCode; reason: string | null; basis: Basis | null };
}

/** A leader decides an escalated objection (高层协调). */
export function useDecideObjection() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { objectionId: string; decision: ObjectionDecision }) =>
      api<unknown>(`/objections/${input.objectionId}/decide`, { method: 'POST', body: input.decision }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['dashboard'] }),
  });
}
