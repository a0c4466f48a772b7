import type { RoundStatus, Visibility } from '../db/schema.ts';
import type { Actor } from '../services/context.ts';
import { isPlanSide, othersVisible } from './opinion.policy.ts';
import type { PlanScope } from './plan.policy.ts';

/*
 * Who takes part in a discussion thread. Reading and posting go together: whoever reads a thread may
 * write in it.
 *
 * - The plan's side (administrators, the plan unit's organizers, leaders of that unit or above) takes part
 *   in every thread of the round.
 * - A clause thread is among the units invited to the round (the round's scope decides which clauses may
 *   carry a thread at all), and follows the round's visibility rule: an invited unit takes part only while
 *   it could see other units' opinions (`othersVisible`). A message is a position, so while a round hides
 *   positions ("never", or "after_close" before closing) clause threads are between the plan's side alone,
 *   and the units join when the round lets them see each other.
 * - A conflict thread is among the units that are parties to the conflict: they know each other's
 *   positions already, so the round's visibility does not hide it from them.
 * - A round still in draft has no invited readers: only the plan's side sees it.
 */

export type ThreadSubject =
  | { kind: 'clause' }
  | {
      kind: 'conflict';
      /** The units on the sides of the conflict. */
      partyUnitIds: readonly string[];
    };

export interface ThreadAccess {
  plan: PlanScope;
  round: { status: RoundStatus; visibility: Visibility };
  /** Whether the actor's unit is invited to the round. */
  actorUnitInvited: boolean;
  subject: ThreadSubject;
}

export function canReadThread(actor: Actor, access: ThreadAccess): boolean {
  if (isPlanSide(actor, access.plan)) {
    return true;
  }
  if (actor.unitId === null || access.round.status === 'draft') {
    return false;
  }
  if (access.subject.kind === 'conflict') {
    return access.subject.partyUnitIds.includes(actor.unitId);
  }
  return access.actorUnitInvited && othersVisible(access.round.visibility, access.round.status);
}

/** Posting, and starting a thread on a subject, belong to whoever may read it. */
export const canPostInThread = canReadThread;

/** How long after posting the author may still edit or delete a message. */
export const MESSAGE_EDIT_WINDOW_MS = 15 * 60_000;

/**
 * Why the actor may not change a message, or null when they may: only its author, only within the window
 * after posting, and never once deleted.
 */
export function messageChangeRefusal(
  actor: Actor,
  message: { authorId: string | null; createdAt: string; deletedAt: string | null },
  now: Date,
): 'not_author' | 'window_passed' | 'deleted' | null {
  if (actor.userId === null || message.authorId !== actor.userId) {
    return 'not_author';
  }
  if (message.deletedAt !== null) {
    return 'deleted';
  }
  if (now.getTime() - new Date(message.createdAt).getTime() > MESSAGE_EDIT_WINDOW_MS) {
    return 'window_passed';
  }
  return null;
}
