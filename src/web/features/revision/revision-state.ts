/*
 * What a person may do with a revision in its current state, as the page shows it. It mirrors the server's
 * revision machine and policies (draft → submitted → approved → published; returned → draft); the server
 * decides anyway and the page shows its refusals.
 */

export type RevisionStatus = 'draft' | 'submitted' | 'approved' | 'published';

export const OPEN_REVISION_STATUSES: readonly string[] = ['draft', 'submitted', 'approved'];

/** The plan's open revision in a list from the server (newest first), or null. */
export function findOpenRevision<T extends { status: string }>(revisions: readonly T[]): T | null {
  return revisions.find((r) => OPEN_REVISION_STATUSES.includes(r.status)) ?? null;
}

export interface RevisionActions {
  /** Clauses may be edited, inserted and deleted, and proposals accepted. */
  editable: boolean;
  canSubmit: boolean;
  canWithdraw: boolean;
  /** The publish control is shown (to the organizers until published)… */
  showPublish: boolean;
  /** …and enabled only once a leader approved. */
  canPublish: boolean;
  /** A leader may approve or return the submitted revision. */
  canDecide: boolean;
  /** A leader looks at a revision they submitted themselves: someone else decides (审核分离). */
  ownSubmission: boolean;
  /** The leader's return note is shown while the organizers edit again. */
  showReturnNote: boolean;
}

export function revisionActions(
  revision: { status: string; submittedBy: string | null; returnNote: string | null },
  me: { id: string; roles: readonly string[] },
): RevisionActions {
  const editor = me.roles.includes('organizer') || me.roles.includes('admin');
  const leader = me.roles.includes('leader');
  const { status } = revision;
  const mine = revision.submittedBy !== null && revision.submittedBy === me.id;
  return {
    editable: editor && status === 'draft',
    canSubmit: editor && status === 'draft',
    canWithdraw: editor && (status === 'submitted' || status === 'approved'),
    showPublish: editor && status !== 'published',
    canPublish: editor && status === 'approved',
    canDecide: leader && status === 'submitted' && !mine,
    ownSubmission: leader && status === 'submitted' && mine,
    showReturnNote: status === 'draft' && Boolean(revision.returnNote),
  };
}

/** A clause's label in confirmations and button names: its path and heading, or its number. */
export function clauseLabel(clause: { path: string; number: string | null; heading: string | null }): string {
  return [clause.path || clause.number, clause.heading].filter(Boolean).join(' ') || '—';
}
