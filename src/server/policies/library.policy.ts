import type { LibraryVisibility } from '../db/tables/library.ts';
import type { Actor } from '../services/context.ts';

/** What the rules need to know of a library item (a document or an indicator). */
export interface LibraryItemScope {
  ownerUnitId: string;
  planId: string | null;
  visibility: LibraryVisibility;
}

/** The plans the actor takes part in (owned or invited, by the actor's unit), as the service found them. */
export interface LibraryReader {
  actor: Actor;
  planIds: readonly string[];
}

const isAdmin = (actor: Actor): boolean => actor.roles.includes('admin');

/**
 * Who sees an item: administrators; its owner unit; everyone for 'all'; for 'plan', the units taking part in
 * the plan (its owner and the units invited to its rounds). 'unit' keeps it inside the owner unit.
 */
export function canReadLibraryItem(reader: LibraryReader, item: LibraryItemScope): boolean {
  const { actor } = reader;
  if (isAdmin(actor) || item.visibility === 'all') {
    return true;
  }
  if (actor.unitId !== null && actor.unitId === item.ownerUnitId) {
    return true;
  }
  return item.visibility === 'plan' && item.planId !== null && reader.planIds.includes(item.planId);
}

/** Who adds to the library: anyone working for a unit (the item belongs to it) and administrators. */
export const canAddToLibrary = (actor: Actor): boolean =>
  isAdmin(actor) ||
  (actor.unitId !== null &&
    (actor.roles.includes('organizer') ||
      actor.roles.includes('liaison') ||
      actor.roles.includes('unit_head') ||
      actor.roles.includes('leader')));

/** Who removes an item: administrators, the person who added it, and organizers of its owner unit. */
export const canDeleteLibraryItem = (
  actor: Actor,
  item: LibraryItemScope & { addedBy: string | null },
): boolean =>
  isAdmin(actor) ||
  (actor.userId !== null && actor.userId === item.addedBy) ||
  (actor.roles.includes('organizer') && actor.unitId !== null && actor.unitId === item.ownerUnitId);

/** Who cites: whoever may add to the library (experts cite through their answers, not here). */
export const canCite = (actor: Actor): boolean => canAddToLibrary(actor);
