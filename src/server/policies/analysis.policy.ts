import type { Actor } from '../services/context.ts';
import { isPlanSide } from './opinion.policy.ts';
import type { PlanScope } from './plan.policy.ts';
import { canManagePlan } from './plan.policy.ts';

/*
 * Machine analysis reads across every unit's opinions, so it belongs to the plan's side alone: invited
 * units and experts never see it, not even of their own opinions.
 */

/** Who reads a plan's analysis: its organizers, the leaders of its unit or above, administrators. */
export const canViewAnalysis = (actor: Actor, plan: PlanScope): boolean => isPlanSide(actor, plan);

/** Who changes it (taxonomy, labels, cluster reviews, thresholds, training): the plan's organizers. */
export const canReviewAnalysis = (actor: Actor, plan: PlanScope): boolean => canManagePlan(actor, plan);
