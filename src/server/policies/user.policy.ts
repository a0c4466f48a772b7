import type { UserRecord } from '../repositories/user.repository.ts';
import type { Actor } from '../services/context.ts';

export const isAdmin = (actor: Actor): boolean => actor.roles.includes('admin');

export const canManageUsers = (actor: Actor): boolean => isAdmin(actor);

/** Users see themselves and the accounts of their own unit; administrators see everyone. */
export const canReadUser = (actor: Actor, user: Pick<UserRecord, 'id' | 'unitId'>): boolean =>
  isAdmin(actor) || actor.userId === user.id || (actor.unitId !== null && actor.unitId === user.unitId);

/** Which accounts a listing may show: all (administrators), or only the actor's own unit (and self). */
export const userListScope = (actor: Actor): { all: true } | { all: false; unitId: string | null } =>
  isAdmin(actor) ? { all: true } : { all: false, unitId: actor.unitId };
