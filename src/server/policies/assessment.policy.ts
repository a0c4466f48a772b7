import type { Role } from '../db/schema.ts';
import type { Actor } from '../services/context.ts';
import type { PlanScope } from './plan.policy.ts';
import { canManagePlan, canReadPlan } from './plan.policy.ts';

/*
 * Who may assess opinions (研判), dispose of them, send feedback and review objections (复核). The plan's
 * organizers do the work; a leader of the plan's unit (or above) approves and decides escalations.
 */

const isLeaderOver = (actor: Actor, plan: PlanScope): boolean =>
  actor.roles.includes('leader') && actor.unitId !== null && plan.ownerUnitLineage.includes(actor.unitId);

/** Assess, propose dispositions, send feedback: the plan's organizers and administrators. */
export const canAssess = (actor: Actor, plan: PlanScope): boolean => canManagePlan(actor, plan);

/** Approve or reject a proposed disposition: the plan's organizers, its leaders, administrators. */
export const canApproveDisposition = (actor: Actor, plan: PlanScope): boolean =>
  canManagePlan(actor, plan) || isLeaderOver(actor, plan);

/** Review an objection: an organizer of the plan or a leader over it. */
export const canReviewObjection = (actor: Actor, plan: PlanScope): boolean =>
  canManagePlan(actor, plan) || isLeaderOver(actor, plan);

/** Decide an escalated objection (高层协调): a leader over the plan, or an administrator. */
export const canDecideObjection = (actor: Actor, plan: PlanScope): boolean =>
  actor.roles.includes('admin') || isLeaderOver(actor, plan);

/** See every letter, objection and disposition history of a plan's rounds. */
export const canSeeAllFeedback = (actor: Actor, plan: PlanScope): boolean => canReadPlan(actor, plan);

/** A unit reads its own letter; anyone who may read the plan reads all of them. */
export const canReadLetter = (actor: Actor, plan: PlanScope, letterUnitId: string): boolean =>
  canReadPlan(actor, plan) || actor.unitId === letterUnitId;

/** The unit answers its letter through its liaison or its head. */
export const canRespondToLetter = (actor: Actor, letterUnitId: string): boolean =>
  actor.unitId === letterUnitId && (actor.roles.includes('liaison') || actor.roles.includes('unit_head'));

/** Assessors are organizers of the plan's own unit. */
export const isAssignableAssessor = (
  user: { roles: Role[]; unitId: string | null; status: string },
  plan: PlanScope,
): boolean =>
  user.status === 'active' &&
  user.roles.includes('organizer') &&
  user.unitId !== null &&
  user.unitId === plan.ownerUnitId;

/** Global reason templates: any organizer or administrator; plan templates: the plan's organizers. */
export const canUseTemplates = (actor: Actor): boolean =>
  actor.roles.includes('admin') || actor.roles.includes('organizer') || actor.roles.includes('leader');

export const canCreateGlobalTemplate = (actor: Actor): boolean =>
  actor.roles.includes('admin') || actor.roles.includes('organizer');

/** Deleting a global template: its author or an administrator. */
export const canDeleteGlobalTemplate = (actor: Actor, createdBy: string | null): boolean =>
  actor.roles.includes('admin') || (actor.userId !== null && actor.userId === createdBy);
