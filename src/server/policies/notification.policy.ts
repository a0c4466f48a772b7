import type { Actor } from '../services/context.ts';
import { isAdmin } from './user.policy.ts';

/** A unit's robots and notification settings: administrators, and the head of that unit. */
export const canManageUnitNotifications = (actor: Actor, unitId: string): boolean =>
  isAdmin(actor) || (actor.unitId === unitId && actor.roles.includes('unit_head'));

/** Deliveries and their dead-letter list name other people's addresses: administrators only. */
export const canManageDeliveries = (actor: Actor): boolean => isAdmin(actor);

/** Everyone signed in as a person has an inbox and preferences; scripts and the system do not. */
export const hasInbox = (actor: Actor): actor is Actor & { userId: string } => actor.userId !== null;
