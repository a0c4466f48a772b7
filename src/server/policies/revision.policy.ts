import type { Actor } from '../services/context.ts';
import type { PlanScope } from './plan.policy.ts';
import { canManagePlan, canReadPlan } from './plan.policy.ts';

/** Who edits, submits for approval and publishes a revision: the plan's organizers (and administrators). */
export const canEditRevision = (actor: Actor, plan: PlanScope): boolean => canManagePlan(actor, plan);

/** Who reads a revision, its consistency check and the plan-wide exports: its editors and the leaders above. */
export const canViewRevision = (actor: Actor, plan: PlanScope): boolean =>
  canManagePlan(actor, plan) || (actor.roles.includes('leader') && canReadPlan(actor, plan));

/** Who approves a submitted revision or returns it: a leader of the plan's unit or of a unit above it. */
export const canApproveRevision = (actor: Actor, plan: PlanScope): boolean =>
  actor.roles.includes('leader') && actor.unitId !== null && plan.ownerUnitLineage.includes(actor.unitId);

/** Four-eyes (审核分离): nobody approves a revision they submitted themselves. */
export const isOwnSubmission = (actor: Actor, revision: { submittedBy: string | null }): boolean =>
  actor.userId !== null && actor.userId === revision.submittedBy;
