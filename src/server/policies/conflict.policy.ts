import type { Actor } from '../services/context.ts';
import type { PlanScope } from './plan.policy.ts';
import { canManagePlan, canReadPlan } from './plan.policy.ts';

/*
 * Who handles 分歧事项: the plan's organizers open and work on conflicts; leaders over the plan read them and
 * decide at their rung of the ladder (checked with the ladder rules); units read the conflicts their own
 * opinions are in, nothing else.
 */

/** Open, work on, escalate and resolve conflicts at the team level. */
export const canManageConflicts = (actor: Actor, plan: PlanScope): boolean => canManagePlan(actor, plan);

/** Read every conflict of the plan's rounds: organizers, leaders over the plan, administrators. */
export const canReadAllConflicts = (actor: Actor, plan: PlanScope): boolean => canReadPlan(actor, plan);

/** A unit reads a conflict in which one of its opinions is a party. */
export const canReadConflictAsParty = (actor: Actor, partyUnitIds: readonly (string | null)[]): boolean =>
  actor.unitId !== null && partyUnitIds.includes(actor.unitId);

/**
 * May stand on a rung above the team: a leader over the plan (the ladder then narrows by role and user),
 * or an administrator.
 */
export const mayClimbLadder = (actor: Actor, plan: PlanScope): boolean =>
  actor.roles.includes('admin') ||
  (actor.roles.includes('leader') && actor.unitId !== null && plan.ownerUnitLineage.includes(actor.unitId));
