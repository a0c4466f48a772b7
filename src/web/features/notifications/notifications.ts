/** Pure display logic of notifications: kinds, where one leads, live events, day groups, robot edits. */

export const NOTIFICATION_KINDS = [
  'invited',
  'deadline_near',
  'overdue',
  'sign_off_requested',
  'feedback_received',
  'objection_received',
  'review_done',
  'mentioned',
  'conflict_escalated',
  'expert_consultation',
  'comment_moderated',
  'reminder',
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const isNotificationKind = (value: unknown): value is NotificationKind =>
  typeof value === 'string' && (NOTIFICATION_KINDS as readonly string[]).includes(value);

/** The i18n key of a kind's label. */
export const kindLabelKey = (kind: NotificationKind) => `notifications.kinds.${kind}` as const;

export const kindColor: Record<NotificationKind, string> = {
  invited: 'blue',
  deadline_near: 'orange',
  overdue: 'red',
  sign_off_requested: 'purple',
  feedback_received: 'green',
  objection_received: 'volcano',
  review_done: 'cyan',
  mentioned: 'geekblue',
  conflict_escalated: 'magenta',
  expert_consultation: 'gold',
  comment_moderated: 'lime',
  reminder: 'orange',
};

const UNIT_WORK = ['invited', 'deadline_near', 'overdue', 'reminder'] as const;
const PLAN_SIDE = ['admin', 'organizer', 'leader'];

const isPlanSide = (roles: readonly string[]): boolean => roles.some((role) => PLAN_SIDE.includes(role));

/**
 * `/plans/<id>?clause=<stableId>`, the plan workspace with a clause's drawer open, rebuilt with that one
 * parameter; null for any other path, or without a clause.
 */
function workspaceClausePath(path: string, query: string): string | null {
  const plan = /^\/plans\/([^/]+)$/.exec(path);
  const clause = plan ? new URLSearchParams(query).get('clause') : null;
  return plan && clause ? `/plans/${plan[1]}?${new URLSearchParams({ clause }).toString()}` : null;
}

/**
 * The page of the app a notification leads to, or null where the app has none. The server names objects
 * by path; a unit's people work on a round from their inbox of solicitations, not the organizer's page.
 */
export function notificationPath(
  notification: { kind: NotificationKind; link: string | null },
  roles: readonly string[],
): string | null {
  const link = notification.link;
  // Only paths inside the app: never another origin ("//host") or a scheme.
  if (!link || !/^\/[^/\\]/.test(link)) {
    return null;
  }
  const [beforeHash = ''] = link.split('#');
  const [path = '', query = ''] = beforeHash.split('?');
  const clausePath = workspaceClausePath(path, query);
  if (clausePath) {
    // Only the plan's side works in the plan workspace; a unit reads no clause thread in the app.
    return isPlanSide(roles) ? clausePath : null;
  }
  const consultation = /^\/consultations\/([^/]+)$/.exec(path);
  if (consultation) {
    return `/expert/consultations/${consultation[1]}`;
  }
  const round = /^\/rounds\/([^/]+)(?:\/objections\/[^/]+)?$/.exec(path);
  if (round) {
    const unitSide = !isPlanSide(roles);
    return unitSide && (UNIT_WORK as readonly string[]).includes(notification.kind)
      ? '/inbox'
      : `/rounds/${round[1]}`;
  }
  if (/^\/(?:conflicts|feedback|invitations|plans|expert\/consultations)\/[^/]+$/.test(path)) {
    return path;
  }
  return null;
}

/** What an event on the user's live channel says about their inbox, or null when it is about something else. */
export interface UnreadEvent {
  unread: number;
  /** A notification arrived (rather than some being read). */
  arrived: boolean;
}

export function readUnreadEvent(data: unknown): UnreadEvent | null {
  if (typeof data !== 'object' || data === null) {
    return null;
  }
  const { type, unread } = data as { type?: unknown; unread?: unknown };
  if (
    (type !== 'notification' && type !== 'notification.read') ||
    typeof unread !== 'number' ||
    !Number.isInteger(unread) ||
    unread < 0
  ) {
    return null;
  }
  return { unread, arrived: type === 'notification' };
}

export type DayGroup = 'today' | 'yesterday' | 'earlier';

const dayStart = (date: Date): number =>
  new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();

/** Notifications (newest first) in groups of today, yesterday and earlier, by the viewer's local day. */
export function groupByDay<T extends { createdAt: string }>(
  items: readonly T[],
  now: Date,
): { group: DayGroup; items: T[] }[] {
  const today = dayStart(now);
  const yesterday = dayStart(new Date(today - 12 * 3_600_000));
  const groups = new Map<DayGroup, T[]>();
  for (const item of items) {
    const at = new Date(item.createdAt).getTime();
    const group: DayGroup = at >= today ? 'today' : at >= yesterday ? 'yesterday' : 'earlier';
    groups.set(group, [...(groups.get(group) ?? []), item]);
  }
  return (['today', 'yesterday', 'earlier'] as const)
    .filter((group) => groups.has(group))
    .map((group) => ({ group, items: groups.get(group)! }));
}

export type WebhookProvider = 'dingtalk' | 'wecom';

/** A group robot as the settings form edits it. */
export interface RobotDraft {
  /** The form's own key of the row. */
  key: string;
  /** The stored robot; absent for a new one. */
  id?: string;
  provider: WebhookProvider;
  name: string;
  /** A new address; empty keeps the stored one of an existing robot. */
  url: string;
  /** The address stored, without its parameters (shown, never sent back). */
  savedUrl: string | null;
  hasSecret: boolean;
  /** A new secret; empty keeps the stored one. */
  secret: string;
  clearSecret: boolean;
  enabled: boolean;
}

export interface RobotInput {
  id?: string;
  provider: WebhookProvider;
  name: string;
  url?: string;
  secret?: string | null;
  enabled: boolean;
}

/** The robots as the server's settings route takes them: an address or a secret only when changed. */
export function robotInputs(drafts: readonly RobotDraft[]): RobotInput[] {
  return drafts.map((draft) => {
    const url = draft.url.trim();
    const secret = draft.secret.trim();
    return {
      ...(draft.id ? { id: draft.id } : {}),
      provider: draft.provider,
      name: draft.name.trim(),
      ...(url || !draft.id ? { url } : {}),
      ...(secret ? { secret } : draft.clearSecret && draft.hasSecret ? { secret: null } : {}),
      enabled: draft.enabled,
    };
  });
}

/** The fields a robot still lacks before it can be saved (i18n keys of their labels). */
export function missingRobotFields(draft: RobotDraft): ('name' | 'url')[] {
  const missing: ('name' | 'url')[] = [];
  if (!draft.name.trim()) {
    missing.push('name');
  }
  if (!draft.id && !draft.url.trim()) {
    missing.push('url');
  }
  return missing;
}
