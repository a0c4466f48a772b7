import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../db/executor.ts';
import type {
  DeliveryStatus,
  DigestMode,
  NotificationDeliveryTable,
  NotificationKind,
  NotificationLocale,
  NotificationPreferenceTable,
  NotificationTable,
  NotificationWebhookTable,
  WebhookProvider,
} from '../db/tables/notification.ts';

/* Notifications: the in-app inbox, preferences of users and units, units' group robots and deliveries. */

export type NotificationRow = Selectable<NotificationTable>;
export type DeliveryRow = Selectable<NotificationDeliveryTable>;
export type WebhookRow = Selectable<NotificationWebhookTable>;
export type PreferenceRow = Selectable<NotificationPreferenceTable>;

export interface Recipient {
  id: string;
  email: string | null;
  unitId: string | null;
  roles: string[];
}

// ---- recipients -------------------------------------------------------------------------------------

/** Active users among `userIds`, and active users of `unitIds`, with their roles. */
export async function findRecipients(
  db: Executor,
  input: { userIds: string[]; unitIds: string[] },
): Promise<Recipient[]> {
  if (input.userIds.length === 0 && input.unitIds.length === 0) {
    return [];
  }
  const rows = await db
    .selectFrom('user')
    .leftJoin('user_role', 'user_role.user_id', 'user.id')
    .select(['user.id', 'user.email', 'user.unit_id', 'user_role.role'])
    .where('user.status', '=', 'active')
    .where((eb) => {
      const ors = [];
      if (input.userIds.length > 0) {
        ors.push(eb('user.id', 'in', input.userIds));
      }
      if (input.unitIds.length > 0) {
        ors.push(eb('user.unit_id', 'in', input.unitIds));
      }
      return eb.or(ors);
    })
    .execute();
  const byId = new Map<string, Recipient>();
  for (const row of rows) {
    let recipient = byId.get(row.id);
    if (!recipient) {
      recipient = { id: row.id, email: row.email, unitId: row.unit_id, roles: [] };
      byId.set(row.id, recipient);
    }
    if (row.role) {
      recipient.roles.push(row.role);
    }
  }
  return [...byId.values()];
}

export async function listPreferences(db: Executor, userIds: string[]): Promise<PreferenceRow[]> {
  if (userIds.length === 0) {
    return [];
  }
  return db.selectFrom('notification_preference').selectAll().where('user_id', 'in', userIds).execute();
}

export interface UserSetting {
  userId: string;
  digest: DigestMode;
  locale: NotificationLocale;
}

export async function listUserSettings(db: Executor, userIds: string[]): Promise<UserSetting[]> {
  if (userIds.length === 0) {
    return [];
  }
  const rows = await db
    .selectFrom('notification_user_setting')
    .selectAll()
    .where('user_id', 'in', userIds)
    .execute();
  return rows.map((row) => ({ userId: row.user_id, digest: row.digest, locale: row.locale }));
}

export async function upsertUserSetting(db: Executor, input: UserSetting & { now: string }): Promise<void> {
  await db
    .insertInto('notification_user_setting')
    .values({ user_id: input.userId, digest: input.digest, locale: input.locale, updated_at: input.now })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({ digest: input.digest, locale: input.locale, updated_at: input.now }),
    )
    .execute();
}

export async function replacePreferences(
  db: Executor,
  input: {
    userId: string;
    preferences: { kind: NotificationKind; inApp: boolean; email: boolean }[];
    now: string;
  },
): Promise<void> {
  await db.deleteFrom('notification_preference').where('user_id', '=', input.userId).execute();
  if (input.preferences.length === 0) {
    return;
  }
  await db
    .insertInto('notification_preference')
    .values(
      input.preferences.map((p) => ({
        user_id: input.userId,
        kind: p.kind,
        in_app: p.inApp ? 1 : 0,
        email: p.email ? 1 : 0,
        updated_at: input.now,
      })),
    )
    .execute();
}

// ---- units ------------------------------------------------------------------------------------------

export interface UnitSetting {
  unitId: string;
  webhookKinds: NotificationKind[];
  digest: DigestMode;
  locale: NotificationLocale;
  updatedBy: string | null;
  updatedAt: string | null;
}

export async function listUnitSettings(db: Executor, unitIds: string[]): Promise<UnitSetting[]> {
  if (unitIds.length === 0) {
    return [];
  }
  const rows = await db
    .selectFrom('notification_unit_setting')
    .selectAll()
    .where('unit_id', 'in', unitIds)
    .execute();
  return rows.map((row) => ({
    unitId: row.unit_id,
    webhookKinds: JSON.parse(row.webhook_kinds) as NotificationKind[],
    digest: row.digest,
    locale: row.locale,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  }));
}

export async function upsertUnitSetting(
  db: Executor,
  input: Omit<UnitSetting, 'updatedAt'> & { now: string },
): Promise<void> {
  const values = {
    webhook_kinds: JSON.stringify(input.webhookKinds),
    digest: input.digest,
    locale: input.locale,
    updated_by: input.updatedBy,
    updated_at: input.now,
  };
  await db
    .insertInto('notification_unit_setting')
    .values({ unit_id: input.unitId, ...values })
    .onConflict((oc) => oc.column('unit_id').doUpdateSet(values))
    .execute();
}

export async function listWebhooks(
  db: Executor,
  unitIds: string[],
  options: { enabledOnly?: boolean } = {},
): Promise<WebhookRow[]> {
  if (unitIds.length === 0) {
    return [];
  }
  let query = db.selectFrom('notification_webhook').selectAll().where('unit_id', 'in', unitIds);
  if (options.enabledOnly) {
    query = query.where('enabled', '=', 1);
  }
  return query.orderBy('created_at').orderBy('id').execute();
}

export function findWebhook(db: Executor, id: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('notification_webhook').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertWebhook(
  db: Executor,
  row: {
    id: string;
    unitId: string;
    provider: WebhookProvider;
    name: string;
    url: string;
    secret: string | null;
    enabled: boolean;
    now: string;
  },
): Promise<void> {
  await db
    .insertInto('notification_webhook')
    .values({
      id: row.id,
      unit_id: row.unitId,
      provider: row.provider,
      name: row.name,
      url: row.url,
      secret: row.secret,
      enabled: row.enabled ? 1 : 0,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute();
}

export async function updateWebhook(
  db: Executor,
  row: { id: string; name: string; url: string; secret: string | null; enabled: boolean; now: string },
): Promise<void> {
  await db
    .updateTable('notification_webhook')
    .set({
      name: row.name,
      url: row.url,
      secret: row.secret,
      enabled: row.enabled ? 1 : 0,
      updated_at: row.now,
    })
    .where('id', '=', row.id)
    .execute();
}

export async function deleteWebhooks(db: Executor, ids: string[]): Promise<void> {
  if (ids.length > 0) {
    await db.deleteFrom('notification_webhook').where('id', 'in', ids).execute();
  }
}

// ---- inbox ------------------------------------------------------------------------------------------

/** Inserts a notification unless the user already has one with the same dedupe key; true if inserted. */
export async function insertNotification(db: Executor, row: Insertable<NotificationTable>): Promise<boolean> {
  const inserted = await db
    .insertInto('notification')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function listNotifications(
  db: Executor,
  input: { userId: string; unreadOnly: boolean; limit: number; offset: number },
): Promise<NotificationRow[]> {
  let query = db.selectFrom('notification').selectAll().where('user_id', '=', input.userId);
  if (input.unreadOnly) {
    query = query.where('read_at', 'is', null);
  }
  return query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit)
    .offset(input.offset)
    .execute();
}

export async function countNotifications(
  db: Executor,
  userId: string,
): Promise<{ total: number; unread: number }> {
  const row = await db
    .selectFrom('notification')
    .select((eb) => [
      eb.fn.countAll().as('total'),
      eb.fn.count(eb.case().when('read_at', 'is', null).then(1).end()).as('unread'),
    ])
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), unread: Number(row.unread) };
}

/** Marks the user's notifications read (all, or those of `ids`); returns how many changed. */
export async function markNotificationsRead(
  db: Executor,
  input: { userId: string; ids: string[] | 'all'; now: string },
): Promise<number> {
  if (input.ids !== 'all' && input.ids.length === 0) {
    return 0;
  }
  let query = db
    .updateTable('notification')
    .set({ read_at: input.now })
    .where('user_id', '=', input.userId)
    .where('read_at', 'is', null);
  if (input.ids !== 'all') {
    query = query.where('id', 'in', input.ids);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// ---- deliveries -------------------------------------------------------------------------------------

/** Inserts deliveries, skipping any whose dedupe key is taken; returns the ids actually inserted. */
export async function insertDeliveries(
  db: Executor,
  rows: Insertable<NotificationDeliveryTable>[],
): Promise<string[]> {
  const ids: string[] = [];
  // Chunked: SQLite allows a limited number of bound parameters per statement.
  for (let i = 0; i < rows.length; i += 40) {
    const inserted = await db
      .insertInto('notification_delivery')
      .values(rows.slice(i, i + 40))
      .onConflict((oc) => oc.columns(['channel', 'target', 'dedupe_key']).doNothing())
      .returning('id')
      .execute();
    ids.push(...inserted.map((row) => row.id));
  }
  return ids;
}

export function findDelivery(db: Executor, id: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('notification_delivery').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Takes a delivery for sending in one statement: only one worker on any instance gets it, and a delivery
 * already sent or dead is never taken. A claim whose worker died can be taken again once it expires.
 */
export async function claimDelivery(
  db: Executor,
  input: { id: string; now: string; lockedUntil: string },
): Promise<DeliveryRow | null> {
  const row = await db
    .updateTable('notification_delivery')
    .set((eb) => ({
      status: 'sending',
      attempts: eb('attempts', '+', 1),
      locked_until: input.lockedUntil,
      updated_at: input.now,
    }))
    .where('id', '=', input.id)
    .where('digest', '=', 0)
    .where((eb) =>
      eb.or([
        eb('status', 'in', ['pending', 'failed']),
        eb.and([eb('status', '=', 'sending'), eb('locked_until', '<', input.now)]),
      ]),
    )
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** Records the outcome of the attempt that holds the claim; also settles the deliveries bundled into it. */
export async function settleDelivery(
  db: Executor,
  input: { id: string; status: DeliveryStatus; error: string | null; now: string },
): Promise<DeliveryRow | null> {
  const row = await db
    .updateTable('notification_delivery')
    .set({
      status: input.status,
      last_error: input.error,
      locked_until: null,
      sent_at: input.status === 'sent' ? input.now : null,
      updated_at: input.now,
    })
    .where('id', '=', input.id)
    .where('status', '=', 'sending')
    .returningAll()
    .executeTakeFirst();
  if (row && input.status === 'sent') {
    await db
      .updateTable('notification_delivery')
      .set({ status: 'sent', sent_at: input.now, updated_at: input.now })
      .where('bundled_into', '=', input.id)
      .execute();
  }
  return row ?? null;
}

export async function listDeliveries(
  db: Executor,
  input: { status: DeliveryStatus | null; limit: number; offset: number },
): Promise<DeliveryRow[]> {
  let query = db.selectFrom('notification_delivery').selectAll();
  if (input.status) {
    query = query.where('status', '=', input.status);
  }
  return query
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit)
    .offset(input.offset)
    .execute();
}

/** Puts a failed or dead delivery back to pending with a fresh set of attempts. */
export async function requeueDelivery(
  db: Executor,
  input: { id: string; now: string },
): Promise<DeliveryRow | null> {
  const row = await db
    .updateTable('notification_delivery')
    .set({ status: 'pending', attempts: 0, locked_until: null, updated_at: input.now })
    .where('id', '=', input.id)
    .where('status', 'in', ['failed', 'dead'])
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** Deliveries held for the digest and not yet bundled. */
export function listDigestPending(db: Executor, limit: number): Promise<DeliveryRow[]> {
  return db
    .selectFrom('notification_delivery')
    .selectAll()
    .where('digest', '=', 1)
    .where('status', '=', 'pending')
    .where('bundled_into', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Ties held deliveries to their bundle; only those still unbundled, so two digest runs never bundle one twice. */
export async function bundleDeliveries(
  db: Executor,
  input: { ids: string[]; bundleId: string; now: string },
): Promise<number> {
  if (input.ids.length === 0) {
    return 0;
  }
  const result = await db
    .updateTable('notification_delivery')
    .set({ bundled_into: input.bundleId, updated_at: input.now })
    .where('id', 'in', input.ids)
    .where('bundled_into', 'is', null)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
