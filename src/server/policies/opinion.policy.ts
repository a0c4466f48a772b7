import type { OpinionStatus, RoundStatus, Visibility } from '../db/schema.ts';
import type { Actor } from '../services/context.ts';
import type { PlanScope } from './plan.policy.ts';
import { canManagePlan, canReadPlan } from './plan.policy.ts';

/*
 * Who may draft, send and read opinions and unit replies. A unit drafts privately: its members see all of
 * its opinions, drafts included; other invited units see submitted ones only as the round's visibility
 * allows; the plan's side (organizers, leaders above, administrators) sees everything sent, never drafts.
 */

/** The plan's own side: administrators, its unit's organizers, and leaders of that unit or above. */
export const isPlanSide = (actor: Actor, plan: PlanScope): boolean =>
  canManagePlan(actor, plan) || (actor.roles.includes('leader') && canReadPlan(actor, plan));

/** Any signed-in member of the unit (liaisons' colleagues included) reads the unit's own drafts. */
export const isUnitMember = (actor: Actor, unitId: string | null): boolean =>
  unitId !== null && actor.unitId === unitId;

/** Liaisons and unit heads draft, edit and withdraw their unit's opinions. */
export const canDraftForUnit = (actor: Actor, unitId: string | null): boolean =>
  isUnitMember(actor, unitId) && (actor.roles.includes('liaison') || actor.roles.includes('unit_head'));

export const canSubmitForReview = (actor: Actor, unitId: string): boolean =>
  isUnitMember(actor, unitId) && actor.roles.includes('liaison');

/** 签发 and returning for changes belong to the unit head alone. */
export const canSignOff = (actor: Actor, unitId: string): boolean =>
  isUnitMember(actor, unitId) && actor.roles.includes('unit_head');

export const canSendReply = canDraftForUnit;

/** Whether other units' submitted opinions are shown, given the round's rule and state. */
export function othersVisible(visibility: Visibility, roundStatus: RoundStatus): boolean {
  if (visibility === 'always') {
    return true;
  }
  if (visibility === 'never') {
    return false;
  }
  return !['draft', 'scheduled', 'open'].includes(roundStatus);
}

export interface OpinionReadContext {
  plan: PlanScope;
  visibility: Visibility;
  roundStatus: RoundStatus;
  /** Whether the actor's unit is invited to the round. */
  actorUnitInvited: boolean;
}

export function canReadOpinion(
  actor: Actor,
  context: OpinionReadContext,
  opinion: { unitId: string | null; status: OpinionStatus; submittedAt: string | null },
): boolean {
  if (isUnitMember(actor, opinion.unitId)) {
    return true;
  }
  if (isPlanSide(actor, context.plan)) {
    return opinion.submittedAt !== null;
  }
  return (
    context.actorUnitInvited &&
    opinion.status === 'submitted' &&
    othersVisible(context.visibility, context.roundStatus)
  );
}

/** A unit's replies: its own members and the plan's side. */
export const canReadReplies = (actor: Actor, plan: PlanScope, unitId: string): boolean =>
  isUnitMember(actor, unitId) || isPlanSide(actor, plan);
