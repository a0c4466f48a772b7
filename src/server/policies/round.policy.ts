import type { Actor } from '../services/context.ts';
import type { PlanScope } from './plan.policy.ts';
import { canManagePlan, canReadPlan } from './plan.policy.ts';

/** Rounds are created and run by the plan's organizers (and administrators). */
export const canManageRound = (actor: Actor, plan: PlanScope): boolean => canManagePlan(actor, plan);

/**
 * Who sees a round: whoever may read the plan (administrators, its unit, leaders above it), and members
 * of a unit invited to the round once it has left draft.
 */
export function canReadRound(
  actor: Actor,
  subject: { plan: PlanScope | null; status: string; invitedUnitIds: readonly string[] },
): boolean {
  if (subject.plan && canReadPlan(actor, subject.plan)) {
    return true;
  }
  return subject.status !== 'draft' && actor.unitId !== null && subject.invitedUnitIds.includes(actor.unitId);
}

/** Whoever may read the plan sees every invitation; an invited unit sees its own and those it forwarded. */
export function canSeeInvitation(
  actor: Actor,
  subject: { plan: PlanScope | null; unitId: string; forwardedByUnitId: string | null },
): boolean {
  if (subject.plan && canReadPlan(actor, subject.plan)) {
    return true;
  }
  return (
    actor.unitId !== null && (actor.unitId === subject.unitId || actor.unitId === subject.forwardedByUnitId)
  );
}

/** An urgent (shortened) round is approved or refused by a leader of the plan's unit or a unit above it. */
export const canDecideUrgent = (actor: Actor, plan: PlanScope): boolean =>
  actor.roles.includes('leader') && actor.unitId !== null && plan.ownerUnitLineage.includes(actor.unitId);

/** A unit's liaison or head acts for it on an invitation: acknowledges, forwards, asks for more time. */
export const canActForUnit = (actor: Actor, unitId: string): boolean =>
  actor.unitId === unitId && (actor.roles.includes('liaison') || actor.roles.includes('unit_head'));

/** A unit forwards a solicitation only to units below it (direct or indirect children). */
export const canForwardTo = (
  fromUnitSubtree: readonly string[],
  fromUnitId: string,
  toUnitId: string,
): boolean => toUnitId !== fromUnitId && fromUnitSubtree.includes(toUnitId);

/**
 * Members of a unit invited to an opened round on a version may read that version's clauses even though
 * the plan belongs to another unit. `invitedToVersion` comes from `isUnitInvitedToVersion`.
 */
export const canReadVersionThroughRound = (actor: Actor, invitedToVersion: boolean): boolean =>
  actor.unitId !== null && invitedToVersion;
