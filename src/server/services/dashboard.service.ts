import { rate } from '../../domain/metrics.ts';
import type { RevisionStatus, RoundStatus } from '../db/schema.ts';
import { canDecideObjection } from '../policies/assessment.policy.ts';
import type { PlanScope } from '../policies/plan.policy.ts';
import { canApproveRevision, isOwnSubmission } from '../policies/revision.policy.ts';
import { canDecideUrgent } from '../policies/round.policy.ts';
import type {
  EscalatedObjection,
  OpenRoundResponse,
  PendingUrgentRound,
  SubmittedRevision,
} from '../repositories/dashboard.repository.ts';
import {
  countOpenObjectionsByPlan,
  countOpinionsByPlan,
  countRoundsByState,
  listEscalatedObjections,
  listOpenRevisions,
  listOpenRoundResponses,
  listPendingUrgentRounds,
  listSubmittedRevisions,
  listVersionBriefs,
} from '../repositories/dashboard.repository.ts';
import type { PlanRecord } from '../repositories/plan.repository.ts';
import { listUnitAncestorIds } from '../repositories/unit.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import type { PlanService } from './plan.service.ts';

const ROUND_STATES: readonly RoundStatus[] = [
  'draft',
  'scheduled',
  'open',
  'closed',
  'assessing',
  'feedback',
  'finished',
];

export interface DashboardPlan {
  id: string;
  name: string;
  ownerUnitId: string | null;
  updatedAt: string;
  currentVersion: { id: string; seq: number; label: string; createdAt: string } | null;
  rounds: Record<RoundStatus, number>;
  openRounds: (Omit<OpenRoundResponse, 'planId'> & { responseRate: number | null })[];
  opinions: { received: number; disposed: number; adopted: number; adoptionRate: number | null };
  objections: { open: number; escalated: number };
  openRevision: { id: string; status: RevisionStatus } | null;
}

type WithPlanName<T> = T & { planName: string };

export interface PendingApprovals {
  urgentRounds: WithPlanName<PendingUrgentRound>[];
  revisions: WithPlanName<SubmittedRevision>[];
  objections: WithPlanName<EscalatedObjection>[];
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
  /** What the actor may decide now: only items this actor's decision would be accepted for. */
  pending: PendingApprovals;
}

const emptyRounds = (): Record<RoundStatus, number> =>
  Object.fromEntries(ROUND_STATES.map((s) => [s, 0])) as Record<RoundStatus, number>;

/** The leaders' overview of every plan they may read, and what waits for their decision. */
export class DashboardService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly plans: PlanService,
  ) {}

  /** The scope (owner unit and its lineage) of each plan, reading each owner unit's ancestors once. */
  private async scopesOf(plans: readonly PlanRecord[]): Promise<Map<string, PlanScope>> {
    const db = this.ctx.database.db;
    const lineages = new Map<string, string[]>();
    for (const unitId of new Set(plans.map((p) => p.ownerUnitId).filter((u): u is string => u !== null))) {
      lineages.set(unitId, [unitId, ...(await listUnitAncestorIds(db, unitId))]);
    }
    return new Map(
      plans.map((p) => [
        p.id,
        {
          ownerUnitId: p.ownerUnitId,
          ownerUnitLineage: p.ownerUnitId ? (lineages.get(p.ownerUnitId) ?? []) : [],
        },
      ]),
    );
  }

  async getDashboard(actor: Actor): Promise<Dashboard> {
    const db = this.ctx.database.db;
    // The same scope as the plan list: administrators all, leaders their unit and below, others their unit.
    const plans = await this.plans.listPlans(actor);
    const planIds = plans.map((p) => p.id);
    const generatedAt = this.ctx.now().toISOString();
    if (planIds.length === 0) {
      return {
        generatedAt,
        totals: {
          plans: 0,
          openRounds: 0,
          received: 0,
          disposed: 0,
          adopted: 0,
          openObjections: 0,
          pendingApprovals: 0,
        },
        plans: [],
        pending: { urgentRounds: [], revisions: [], objections: [] },
      };
    }
    const [
      versions,
      rounds,
      openRounds,
      opinions,
      objections,
      revisions,
      urgent,
      submitted,
      escalated,
      scopes,
    ] = await Promise.all([
      listVersionBriefs(
        db,
        plans.map((p) => p.latestVersionId).filter((v): v is string => v !== null),
      ),
      countRoundsByState(db, planIds),
      listOpenRoundResponses(db, planIds),
      countOpinionsByPlan(db, planIds),
      countOpenObjectionsByPlan(db, planIds),
      listOpenRevisions(db, planIds),
      listPendingUrgentRounds(db, planIds),
      listSubmittedRevisions(db, planIds),
      listEscalatedObjections(db, planIds),
      this.scopesOf(plans),
    ]);

    const byPlan = new Map<string, DashboardPlan>(
      plans.map((p) => [
        p.id,
        {
          id: p.id,
          name: p.name,
          ownerUnitId: p.ownerUnitId,
          updatedAt: p.updatedAt,
          currentVersion: null,
          rounds: emptyRounds(),
          openRounds: [],
          opinions: { received: 0, disposed: 0, adopted: 0, adoptionRate: null },
          objections: { open: 0, escalated: 0 },
          openRevision: null,
        },
      ]),
    );
    for (const v of versions) {
      const plan = byPlan.get(v.planId);
      if (plan) {
        plan.currentVersion = { id: v.id, seq: v.seq, label: v.label, createdAt: v.createdAt };
      }
    }
    for (const r of rounds) {
      const plan = byPlan.get(r.planId);
      if (plan) {
        plan.rounds[r.status] += r.n;
      }
    }
    for (const { planId, ...round } of openRounds) {
      byPlan.get(planId)?.openRounds.push({ ...round, responseRate: rate(round.replied, round.invited) });
    }
    for (const o of opinions) {
      const plan = byPlan.get(o.planId);
      if (plan) {
        plan.opinions = {
          received: o.received,
          disposed: o.disposed,
          adopted: o.adopted,
          adoptionRate: rate(o.adopted, o.disposed),
        };
      }
    }
    for (const o of objections) {
      const plan = byPlan.get(o.planId);
      if (plan) {
        plan.objections = { open: o.open, escalated: o.escalated };
      }
    }
    for (const r of revisions) {
      const plan = byPlan.get(r.planId);
      if (plan) {
        plan.openRevision = { id: r.id, status: r.status };
      }
    }

    // Pending approvals: the policies that the deciding endpoints apply, so nothing listed is refused.
    const nameOf = (planId: string): string => byPlan.get(planId)?.name ?? planId;
    const scopeOf = (planId: string): PlanScope =>
      scopes.get(planId) ?? { ownerUnitId: null, ownerUnitLineage: [] };
    const pending: PendingApprovals = {
      urgentRounds: urgent
        .filter((r) => canDecideUrgent(actor, scopeOf(r.planId)))
        .map((r) => ({ ...r, planName: nameOf(r.planId) })),
      revisions: submitted
        .filter(
          (r) =>
            canApproveRevision(actor, scopeOf(r.planId)) &&
            !isOwnSubmission(actor, { submittedBy: r.submittedBy }),
        )
        .map((r) => ({ ...r, planName: nameOf(r.planId) })),
      objections: escalated
        .filter(
          (o) =>
            canDecideObjection(actor, scopeOf(o.planId)) &&
            // 复核回避: who approved the disputed disposition does not decide the objection to it.
            !(actor.userId !== null && o.disposition.decidedBy === actor.userId),
        )
        .map((o) => ({ ...o, planName: nameOf(o.planId) })),
    };

    const list = [...byPlan.values()];
    const sum = (pick: (p: DashboardPlan) => number): number => list.reduce((n, p) => n + pick(p), 0);
    return {
      generatedAt,
      totals: {
        plans: list.length,
        openRounds: sum((p) => p.openRounds.length),
        received: sum((p) => p.opinions.received),
        disposed: sum((p) => p.opinions.disposed),
        adopted: sum((p) => p.opinions.adopted),
        openObjections: sum((p) => p.objections.open + p.objections.escalated),
        pendingApprovals: pending.urgentRounds.length + pending.revisions.length + pending.objections.length,
      },
      plans: list,
      pending,
    };
  }
}
