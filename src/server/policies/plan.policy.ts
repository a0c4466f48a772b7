import type { Actor } from '../services/context.ts';

export interface PlanScope {
  /** Null for a plan started without a unit (from the CLI): only administrators handle it until one is set. */
  ownerUnitId: string | null;
  /** The owner unit and every unit above it. */
  ownerUnitLineage: string[];
}

/** Administrators and organizers start plans; an organizer's plan belongs to the organizer's unit. */
export const canCreatePlan = (actor: Actor): boolean =>
  actor.roles.includes('admin') || (actor.roles.includes('organizer') && actor.unitId !== null);

/**
 * Who may see a plan: administrators; members of the owning unit; leaders of that unit or of any unit
 * above it. Invited units reach a plan through its rounds.
 */
export function canReadPlan(actor: Actor, plan: PlanScope): boolean {
  if (actor.roles.includes('admin')) {
    return true;
  }
  if (actor.unitId === null || plan.ownerUnitId === null) {
    return false;
  }
  if (actor.unitId === plan.ownerUnitId) {
    return true;
  }
  return actor.roles.includes('leader') && plan.ownerUnitLineage.includes(actor.unitId);
}

/** Who may change a plan (import versions, resolve clause matches): administrators and its unit's organizers. */
export const canManagePlan = (actor: Actor, plan: PlanScope): boolean =>
  actor.roles.includes('admin') ||
  (actor.roles.includes('organizer') && actor.unitId !== null && actor.unitId === plan.ownerUnitId);
