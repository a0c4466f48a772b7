import type { Actor } from '../services/context.ts';
import { isAdmin } from './user.policy.ts';

/** The unit directory is no secret among staff: every signed-in user may read it (to address units). */
export const canReadUnits = (_actor: Actor): boolean => true;

/** Only administrators create, edit and import units. */
export const canManageUnits = (actor: Actor): boolean => isAdmin(actor);
