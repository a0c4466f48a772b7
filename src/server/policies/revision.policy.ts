import type { Actor } from '../services/context.ts';
import type { PlanScope } from './plan.policy.ts';
import { canManagePlan, canReadPlan } from './plan.policy.ts';

/** Who edits and publishes a revision: the plan's organizers (and administrators). */
export const canEditRevision = (actor: Actor, plan: PlanScope): boolean => canManagePlan(actor, plan);

/** Who reads a revision, its consistency check and the plan-wide exports: its editors and the leaders above. */
export const canViewRevision = (actor: Actor, plan: PlanScope): boolean =>
  canManagePlan(actor, plan) || (actor.roles.includes('leader') && canReadPlan(actor, plan));
