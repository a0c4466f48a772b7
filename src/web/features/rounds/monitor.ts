import type { Invitation } from './api.ts';

/** The round monitor's states of a unit's reply, in the order the monitor counts them. */
export const MONITOR_STATES = ['acknowledged', 'drafting', 'sent', 'late', 'silent'] as const;
export type MonitorState = (typeof MONITOR_STATES)[number] | 'invited';

/** Where a unit's reply stands: sent (or deemed so) first, then silent, late, drafting, acknowledged. */
export function monitorState(inv: Pick<Invitation, 'status' | 'late'>): MonitorState {
  if (inv.status === 'sent' || inv.status === 'deemed_no_objection') {
    return 'sent';
  }
  if (inv.status === 'silent') {
    return 'silent';
  }
  if (inv.late) {
    return 'late';
  }
  if (inv.status === 'drafting' || inv.status === 'in_review' || inv.status === 'signed_off') {
    return 'drafting';
  }
  return inv.status === 'acknowledged' ? 'acknowledged' : 'invited';
}

/** How many invitations are in each monitor state. */
export function countMonitorStates(
  invitations: Pick<Invitation, 'status' | 'late'>[],
): Map<MonitorState, number> {
  const counts = new Map<MonitorState, number>();
  for (const inv of invitations) {
    const s = monitorState(inv);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return counts;
}

export const monitorStateColor: Record<MonitorState, string> = {
  invited: 'default',
  acknowledged: 'cyan',
  drafting: 'blue',
  sent: 'green',
  late: 'orange',
  silent: 'red',
};

/**
 * Whether a unit can be reminded (催办): the round is open and the unit has not sent a reply yet (a unit
 * that sent once and drafts its next version has replied). Mirrors the server, which decides anyway.
 */
export function canRemind(inv: Pick<Invitation, 'status' | 'replyVersion'>, roundStatus: string): boolean {
  return (
    roundStatus === 'open' &&
    inv.status !== 'sent' &&
    inv.status !== 'deemed_no_objection' &&
    inv.replyVersion === 0
  );
}

/** The invitations "remind all not yet sent" reaches, in monitor order. */
export const remindable = <T extends Pick<Invitation, 'status' | 'replyVersion'>>(
  invitations: readonly T[],
  roundStatus: string,
): T[] => invitations.filter((inv) => canRemind(inv, roundStatus));
