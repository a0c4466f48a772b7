import { AppError } from '../../domain/errors.ts';
import type { Database } from '../db/database.ts';
import type { Executor } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import type {
  DeliveryStatus,
  DigestMode,
  NotificationKind,
  NotificationLocale,
  WebhookProvider,
} from '../db/tables/notification.ts';
import { JobQueue } from '../jobs/queue.ts';
import { addSeconds, newId } from '../lib/ids.ts';
import type { Mailer } from '../notify/mail.ts';
import { createMailer, renderMail } from '../notify/mail.ts';
import { openSecret, sealSecret } from '../notify/secrets.ts';
import type { PostWebhook } from '../notify/webhooks.ts';
import { createWebhookPoster, renderWebhookText } from '../notify/webhooks.ts';
import {
  canManageDeliveries,
  canManageUnitNotifications,
  hasInbox,
} from '../policies/notification.policy.ts';
import type { DeliveryRow, NotificationRow, WebhookRow } from '../repositories/notification.repository.ts';
import {
  bundleDeliveries,
  claimDelivery,
  countNotifications,
  deleteWebhooks,
  findDelivery,
  findRecipients,
  findWebhook,
  insertDeliveries,
  insertNotification,
  insertWebhook,
  listDeliveries,
  listDigestPending,
  listNotifications,
  listPreferences,
  listUnitSettings,
  listUserSettings,
  listWebhooks,
  markNotificationsRead,
  replacePreferences,
  requeueDelivery,
  settleDelivery,
  updateWebhook,
  upsertUnitSetting,
  upsertUserSetting,
} from '../repositories/notification.repository.ts';
import { findUnitRecord } from '../repositories/unit.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';
import { LiveBus } from './live-bus.ts';

export type { NotificationKind } from '../db/tables/notification.ts';

export const NOTIFICATION_KINDS: readonly NotificationKind[] = [
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
];

export const NOTIFICATION_DELIVER = 'notification.deliver';
export const NOTIFICATION_DIGEST = 'notification.digest';

export interface Bilingual {
  zh: string;
  en: string;
}

export interface NotifyInput {
  /** Users to notify by name. */
  userIds?: string[];
  /** Units to notify: their liaisons and unit heads (every active member where it has neither), and their group robots. */
  unitIds?: string[];
  kind: NotificationKind;
  subject: Bilingual;
  body: Bilingual;
  /** Where in the application the notification leads (a path such as /rounds/…). */
  link?: string | null;
  entity?: { kind: string; id: string } | null;
  /** The same key again notifies nobody twice (per user, and per robot). */
  dedupeKey?: string | null;
}

/** What a delivery carries: the message in both languages and the language to send it in. */
export interface DeliveryContent {
  subject: Bilingual;
  body: Bilingual;
  link: string | null;
  locale: NotificationLocale;
  /** For a digest: the bundled messages. */
  items?: { kind: NotificationKind; subject: Bilingual; body: Bilingual; link: string | null }[];
  /** Sent to someone outside the system (a public commenter) rather than to a user: no preferences to mention. */
  audience?: 'public';
}

/** The channel on which a user's unread count changes. */
export const userChannel = (userId: string): string => `user:${userId}`;

const SUBJECT_MAX = 300;
const BODY_MAX = 20_000;
const DIGEST_BATCH = 2000;
/** How long one sending attempt holds its claim before another worker may try. */
const SEND_LEASE_SECONDS = 120;

// One publish-only bus per database: publishing needs no subscription, so it holds no resources.
const publishers = new WeakMap<Database, LiveBus>();
function publisherFor(ctx: ServiceContext): LiveBus {
  let bus = publishers.get(ctx.database);
  if (!bus) {
    bus = new LiveBus(ctx.database, { now: ctx.now });
    publishers.set(ctx.database, bus);
  }
  return bus;
}

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const unique = <T>(values: T[]): T[] => [...new Set(values)];

/**
 * Tells users (and units) about an event, inside the caller's transaction: in-app notifications per the
 * users' preferences, and e-mail and group-robot deliveries queued as jobs (or held for the digest). All of
 * it exists only if the caller's transaction commits.
 */
export async function notify(tx: Executor, ctx: ServiceContext, input: NotifyInput): Promise<void> {
  const userIds = unique(input.userIds ?? []);
  const unitIds = unique(input.unitIds ?? []);
  if (userIds.length === 0 && unitIds.length === 0) {
    return;
  }
  const now = ctx.now().toISOString();
  const subject = { zh: clip(input.subject.zh, SUBJECT_MAX), en: clip(input.subject.en, SUBJECT_MAX) };
  const body = { zh: clip(input.body.zh, BODY_MAX), en: clip(input.body.en, BODY_MAX) };
  const link = input.link ?? null;
  const dedupeKey = input.dedupeKey ?? null;

  const candidates = await findRecipients(tx, { userIds, unitIds });
  const named = new Set(userIds);
  const recipients = candidates.filter((user) => {
    if (named.has(user.id)) {
      return true;
    }
    // A unit is reached through the people who act for it; members at large only where it has none.
    const unitMembers = candidates.filter((other) => other.unitId === user.unitId);
    const responsible = unitMembers.filter((other) =>
      other.roles.some((role) => role === 'liaison' || role === 'unit_head'),
    );
    return responsible.length === 0 || responsible.includes(user);
  });

  const recipientIds = recipients.map((user) => user.id);
  const preferences = new Map(
    (await listPreferences(tx, recipientIds))
      .filter((row) => row.kind === input.kind)
      .map((row) => [row.user_id, row]),
  );
  const settings = new Map((await listUserSettings(tx, recipientIds)).map((row) => [row.userId, row]));
  const maxAttempts = ctx.config.notifyMaxAttempts;
  const deliveries: Parameters<typeof insertDeliveries>[1] = [];
  const notified: string[] = [];

  for (const user of recipients) {
    const preference = preferences.get(user.id);
    const setting = settings.get(user.id);
    let notificationId: string | null = null;
    if (!preference || preference.in_app === 1) {
      const id = newId();
      const inserted = await insertNotification(tx, {
        id,
        user_id: user.id,
        kind: input.kind,
        subject_zh: subject.zh,
        subject_en: subject.en,
        body_zh: body.zh,
        body_en: body.en,
        link,
        entity_kind: input.entity?.kind ?? null,
        entity_id: input.entity?.id ?? null,
        dedupe_key: dedupeKey,
        read_at: null,
        created_at: now,
      });
      if (!inserted) {
        continue; // already told about this event
      }
      notificationId = id;
      notified.push(user.id);
    }
    if (user.email && (!preference || preference.email === 1)) {
      const content: DeliveryContent = { subject, body, link, locale: setting?.locale ?? 'zh' };
      deliveries.push({
        id: newId(),
        notification_id: notificationId,
        user_id: user.id,
        unit_id: null,
        channel: 'email',
        target: user.email,
        kind: input.kind,
        content: JSON.stringify(content),
        digest: setting?.digest === 'daily' ? 1 : 0,
        status: 'pending',
        attempts: 0,
        max_attempts: maxAttempts,
        last_error: null,
        locked_until: null,
        bundled_into: null,
        dedupe_key: dedupeKey,
        sent_at: null,
        created_at: now,
        updated_at: now,
      });
    }
  }

  if (unitIds.length > 0) {
    const unitSettings = new Map((await listUnitSettings(tx, unitIds)).map((row) => [row.unitId, row]));
    for (const webhook of await listWebhooks(tx, unitIds, { enabledOnly: true })) {
      const setting = unitSettings.get(webhook.unit_id);
      // Without settings a unit's robots hear every kind.
      if (setting && !setting.webhookKinds.includes(input.kind)) {
        continue;
      }
      const content: DeliveryContent = { subject, body, link, locale: setting?.locale ?? 'zh' };
      deliveries.push({
        id: newId(),
        notification_id: null,
        user_id: null,
        unit_id: webhook.unit_id,
        channel: 'webhook',
        target: webhook.id,
        kind: input.kind,
        content: JSON.stringify(content),
        digest: setting?.digest === 'daily' ? 1 : 0,
        status: 'pending',
        attempts: 0,
        max_attempts: maxAttempts,
        last_error: null,
        locked_until: null,
        bundled_into: null,
        dedupe_key: dedupeKey,
        sent_at: null,
        created_at: now,
        updated_at: now,
      });
    }
  }

  const inserted = new Set(await insertDeliveries(tx, deliveries));
  const queue = new JobQueue(ctx);
  for (const delivery of deliveries) {
    if (inserted.has(delivery.id) && delivery.digest === 0) {
      await enqueueDelivery(tx, queue, delivery.id, 0, maxAttempts);
    }
  }
  const bus = publisherFor(ctx);
  for (const userId of notified) {
    const { unread } = await countNotifications(tx, userId);
    await bus.publish(tx, userChannel(userId), { type: 'notification', kind: input.kind, unread });
  }
}

export interface AddressMailInput {
  /** The e-mail address; it is stored sealed (see notify/secrets.ts) and opened only to send. */
  address: string;
  kind: NotificationKind;
  subject: Bilingual;
  body: Bilingual;
  link?: string | null;
  locale?: NotificationLocale;
}

/**
 * Queues one e-mail to an address outside the system (a public commenter, who is no user), inside the
 * caller's transaction: a delivery with neither user nor unit, sent and retried like every other, and
 * shown to administrators only masked.
 */
export async function queueAddressMail(
  tx: Executor,
  ctx: ServiceContext,
  input: AddressMailInput,
): Promise<void> {
  const now = ctx.now().toISOString();
  const maxAttempts = ctx.config.notifyMaxAttempts;
  const content: DeliveryContent = {
    subject: { zh: clip(input.subject.zh, SUBJECT_MAX), en: clip(input.subject.en, SUBJECT_MAX) },
    body: { zh: clip(input.body.zh, BODY_MAX), en: clip(input.body.en, BODY_MAX) },
    link: input.link ?? null,
    locale: input.locale ?? 'zh',
    audience: 'public',
  };
  const id = newId();
  await insertDeliveries(tx, [
    {
      id,
      notification_id: null,
      user_id: null,
      unit_id: null,
      channel: 'email',
      target: sealSecret(input.address, ctx.config.secretKey),
      kind: input.kind,
      content: JSON.stringify(content),
      digest: 0,
      status: 'pending',
      attempts: 0,
      max_attempts: maxAttempts,
      last_error: null,
      locked_until: null,
      bundled_into: null,
      dedupe_key: null,
      sent_at: null,
      created_at: now,
      updated_at: now,
    },
  ]);
  await enqueueDelivery(tx, new JobQueue(ctx), id, 0, maxAttempts);
}

/** A delivery to an address outside the system: its target is sealed. */
const toOutsider = (row: DeliveryRow): boolean =>
  row.channel === 'email' && row.user_id === null && row.unit_id === null;

/** w***@example.com: enough for an administrator to tell deliveries apart, not to read the address. */
function maskedAddress(sealed: string, secretKey: string | null): string {
  try {
    const address = openSecret(sealed, secretKey);
    const at = address.lastIndexOf('@');
    return at > 0 ? `${address.slice(0, 1)}***${address.slice(at)}` : '***';
  } catch {
    return '***';
  }
}

function enqueueDelivery(
  tx: Executor,
  queue: JobQueue,
  deliveryId: string,
  round: number,
  maxAttempts: number,
): Promise<unknown> {
  return queue.enqueue(tx, {
    kind: NOTIFICATION_DELIVER,
    payload: { deliveryId },
    maxAttempts,
    // One job per delivery and retry round, so a delivery is never queued twice at once.
    dedupeKey: `${NOTIFICATION_DELIVER}:${deliveryId}:${round}`,
  });
}

// ---- views --------------------------------------------------------------------------------------------

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  subject: Bilingual;
  body: Bilingual;
  link: string | null;
  entity: { kind: string; id: string } | null;
  readAt: string | null;
  createdAt: string;
}

export interface PreferencesView {
  digest: DigestMode;
  locale: NotificationLocale;
  kinds: { kind: NotificationKind; inApp: boolean; email: boolean }[];
}

export interface WebhookView {
  id: string;
  provider: WebhookProvider;
  name: string;
  /** The URL without its query string, which may hold a key. */
  url: string;
  hasSecret: boolean;
  enabled: boolean;
}

export interface UnitSettingsView {
  unitId: string;
  digest: DigestMode;
  locale: NotificationLocale;
  webhookKinds: NotificationKind[];
  webhooks: WebhookView[];
}

export interface DeliveryView {
  id: string;
  channel: 'email' | 'webhook';
  target: string;
  kind: NotificationKind;
  userId: string | null;
  unitId: string | null;
  subject: string;
  digest: boolean;
  status: DeliveryStatus;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  sentAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookInput {
  /** An existing robot to keep or change; absent: a new one. */
  id?: string;
  provider: WebhookProvider;
  name: string;
  /** The robot's URL; absent keeps the stored one of an existing robot (the view shows it without its query). */
  url?: string;
  /** A new secret; absent keeps the stored one, null removes it. */
  secret?: string | null;
  enabled?: boolean;
}

function presentNotification(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    kind: row.kind,
    subject: { zh: row.subject_zh, en: row.subject_en },
    body: { zh: row.body_zh, en: row.body_en },
    link: row.link,
    entity: row.entity_kind && row.entity_id ? { kind: row.entity_kind, id: row.entity_id } : null,
    readAt: row.read_at,
    createdAt: row.created_at,
  };
}

const stripQuery = (url: string): string => url.replace(/[?#].*$/, '');

function presentWebhook(row: WebhookRow): WebhookView {
  return {
    id: row.id,
    provider: row.provider,
    name: row.name,
    url: stripQuery(row.url),
    hasSecret: row.secret !== null,
    enabled: row.enabled === 1,
  };
}

function presentDelivery(row: DeliveryRow, secretKey: string | null): DeliveryView {
  const content = JSON.parse(row.content) as DeliveryContent;
  return {
    id: row.id,
    channel: row.channel,
    target: toOutsider(row) ? maskedAddress(row.target, secretKey) : row.target,
    kind: row.kind,
    userId: row.user_id,
    unitId: row.unit_id,
    subject: content.subject[content.locale],
    digest: row.digest === 1,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lastError: row.last_error,
    sentAt: row.sent_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function validateWebhookUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('validation_failed', 'A robot URL must be an absolute http(s) URL.', { field: 'url' });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new AppError('validation_failed', 'A robot URL must be an absolute http(s) URL.', { field: 'url' });
  }
}

export interface NotificationServiceDeps {
  mailer?: Mailer;
  postWebhook?: PostWebhook;
}

/** The inbox, preferences, units' robots, and sending deliveries (the job handlers call `deliver` and `digest`). */
export class NotificationService {
  private mailerInstance: Mailer | null;
  private readonly postWebhook: PostWebhook;

  constructor(
    private readonly ctx: ServiceContext,
    deps: NotificationServiceDeps = {},
  ) {
    this.mailerInstance = deps.mailer ?? null;
    this.postWebhook =
      deps.postWebhook ?? createWebhookPoster({ timeoutMs: ctx.config.webhookTimeoutMs, now: ctx.now });
  }

  /** Built on first use, so an instance that never sends opens no SMTP connection. */
  private get mailer(): Mailer {
    this.mailerInstance ??= createMailer({
      url: this.ctx.config.smtpUrl,
      from: this.ctx.config.mailFrom,
      timeoutMs: this.ctx.config.webhookTimeoutMs * 2,
    });
    return this.mailerInstance;
  }

  close(): void {
    this.mailerInstance?.close();
  }

  // ---- inbox ------------------------------------------------------------------------------------------

  async listInbox(
    actor: Actor,
    options: { limit: number; offset: number; unreadOnly: boolean },
  ): Promise<{ items: NotificationView[]; total: number; unread: number }> {
    const userId = this.requireInbox(actor);
    const db = this.ctx.database.db;
    const [rows, counts] = await Promise.all([
      listNotifications(db, { userId, ...options }),
      countNotifications(db, userId),
    ]);
    return { items: rows.map(presentNotification), ...counts };
  }

  async markRead(
    actor: Actor,
    input: { ids?: string[]; all?: boolean },
  ): Promise<{ updated: number; unread: number }> {
    const userId = this.requireInbox(actor);
    if (!input.all && (!input.ids || input.ids.length === 0)) {
      throw new AppError('validation_failed', 'Give the ids to mark read, or all: true.', { field: 'ids' });
    }
    return inTransaction(this.ctx.database, async (tx) => {
      const updated = await markNotificationsRead(tx, {
        userId,
        ids: input.all ? 'all' : unique(input.ids ?? []),
        now: this.ctx.now().toISOString(),
      });
      const { unread } = await countNotifications(tx, userId);
      if (updated > 0) {
        await publisherFor(this.ctx).publish(tx, userChannel(userId), { type: 'notification.read', unread });
      }
      return { updated, unread };
    });
  }

  // ---- preferences ------------------------------------------------------------------------------------

  async getPreferences(actor: Actor): Promise<PreferencesView> {
    const userId = this.requireInbox(actor);
    return this.readPreferences(userId);
  }

  private async readPreferences(userId: string): Promise<PreferencesView> {
    const db = this.ctx.database.db;
    const rows = new Map((await listPreferences(db, [userId])).map((row) => [row.kind, row]));
    const [setting] = await listUserSettings(db, [userId]);
    return {
      digest: setting?.digest ?? 'none',
      locale: setting?.locale ?? 'zh',
      kinds: NOTIFICATION_KINDS.map((kind) => {
        const row = rows.get(kind);
        return { kind, inApp: row ? row.in_app === 1 : true, email: row ? row.email === 1 : true };
      }),
    };
  }

  async setPreferences(
    actor: Actor,
    input: {
      digest?: DigestMode;
      locale?: NotificationLocale;
      kinds?: { kind: NotificationKind; inApp: boolean; email: boolean }[];
    },
  ): Promise<PreferencesView> {
    const userId = this.requireInbox(actor);
    const before = await this.readPreferences(userId);
    const now = this.ctx.now().toISOString();
    await inTransaction(this.ctx.database, async (tx) => {
      await upsertUserSetting(tx, {
        userId,
        digest: input.digest ?? before.digest,
        locale: input.locale ?? before.locale,
        now,
      });
      if (input.kinds) {
        const merged = new Map(before.kinds.map((k) => [k.kind, k]));
        for (const k of input.kinds) {
          merged.set(k.kind, k);
        }
        // Only choices that differ from the default are stored.
        await replacePreferences(tx, {
          userId,
          preferences: [...merged.values()].filter((k) => !k.inApp || !k.email),
          now,
        });
      }
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'user',
        id: userId,
        event: 'notification.preferences_changed',
        payload: { before: { digest: before.digest, locale: before.locale }, after: input },
      });
    });
    return this.readPreferences(userId);
  }

  // ---- units ------------------------------------------------------------------------------------------

  async getUnitSettings(actor: Actor, unitId: string): Promise<UnitSettingsView> {
    await this.requireUnit(actor, unitId);
    return this.readUnitSettings(unitId);
  }

  private async readUnitSettings(unitId: string): Promise<UnitSettingsView> {
    const db = this.ctx.database.db;
    const [setting] = await listUnitSettings(db, [unitId]);
    return {
      unitId,
      digest: setting?.digest ?? 'none',
      locale: setting?.locale ?? 'zh',
      webhookKinds: setting?.webhookKinds ?? [...NOTIFICATION_KINDS],
      webhooks: (await listWebhooks(db, [unitId])).map(presentWebhook),
    };
  }

  /** Replaces the unit's settings and robots: robots not listed are removed; secrets are kept unless given. */
  async setUnitSettings(
    actor: Actor,
    unitId: string,
    input: {
      digest?: DigestMode;
      locale?: NotificationLocale;
      webhookKinds?: NotificationKind[];
      webhooks?: WebhookInput[];
    },
  ): Promise<UnitSettingsView> {
    await this.requireUnit(actor, unitId);
    for (const webhook of input.webhooks ?? []) {
      if (webhook.url !== undefined) {
        validateWebhookUrl(webhook.url);
      }
    }
    const before = await this.readUnitSettings(unitId);
    const now = this.ctx.now().toISOString();
    const secretKey = this.ctx.config.secretKey;
    await inTransaction(this.ctx.database, async (tx) => {
      await upsertUnitSetting(tx, {
        unitId,
        digest: input.digest ?? before.digest,
        locale: input.locale ?? before.locale,
        webhookKinds: unique(input.webhookKinds ?? before.webhookKinds),
        updatedBy: actor.userId,
        now,
      });
      if (input.webhooks) {
        const existing = new Map((await listWebhooks(tx, [unitId])).map((row) => [row.id, row]));
        const kept = new Set<string>();
        for (const webhook of input.webhooks) {
          const current = webhook.id ? existing.get(webhook.id) : undefined;
          if (webhook.id && !current) {
            throw new AppError('not_found', 'No such robot in this unit.', { field: 'webhooks.id' });
          }
          const secret =
            webhook.secret === undefined
              ? (current?.secret ?? null)
              : webhook.secret === null || webhook.secret === ''
                ? null
                : sealSecret(webhook.secret, secretKey);
          if (current) {
            kept.add(current.id);
            await updateWebhook(tx, {
              id: current.id,
              name: webhook.name,
              url: webhook.url ?? current.url,
              secret,
              enabled: webhook.enabled ?? true,
              now,
            });
          } else {
            if (webhook.url === undefined) {
              throw new AppError('validation_failed', 'A new robot needs its URL.', {
                field: 'webhooks.url',
              });
            }
            await insertWebhook(tx, {
              id: newId(),
              unitId,
              provider: webhook.provider,
              name: webhook.name,
              url: webhook.url,
              secret,
              enabled: webhook.enabled ?? true,
              now,
            });
          }
        }
        await deleteWebhooks(
          tx,
          [...existing.keys()].filter((id) => !kept.has(id)),
        );
      }
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'unit',
        id: unitId,
        event: 'notification.unit_settings_changed',
        // Never the secrets, nor URLs with their keys.
        payload: {
          before: { ...before, webhooks: before.webhooks },
          after: {
            digest: input.digest,
            locale: input.locale,
            webhookKinds: input.webhookKinds,
            webhooks: input.webhooks?.map((w) => ({
              id: w.id ?? null,
              provider: w.provider,
              name: w.name,
              url: w.url === undefined ? null : stripQuery(w.url),
              secretChanged: w.secret !== undefined,
            })),
          },
        },
      });
    });
    return this.readUnitSettings(unitId);
  }

  // ---- deliveries (administrators) --------------------------------------------------------------------

  async listDeliveries(
    actor: Actor,
    options: { status: DeliveryStatus | null; limit: number; offset: number },
  ): Promise<DeliveryView[]> {
    if (!canManageDeliveries(actor)) {
      throw new AppError('forbidden', 'Only administrators see notification deliveries.');
    }
    return (await listDeliveries(this.ctx.database.db, options)).map((row) =>
      presentDelivery(row, this.ctx.config.secretKey),
    );
  }

  /** Sends a failed or dead delivery again, with a fresh set of attempts. */
  async retryDelivery(actor: Actor, id: string): Promise<DeliveryView> {
    if (!canManageDeliveries(actor)) {
      throw new AppError('forbidden', 'Only administrators retry notification deliveries.');
    }
    const now = this.ctx.now();
    const row = await inTransaction(this.ctx.database, async (tx) => {
      const requeued = await requeueDelivery(tx, { id, now: now.toISOString() });
      if (!requeued) {
        const existing = await findDelivery(tx, id);
        throw existing
          ? new AppError(
              'conflict',
              `Only failed or dead deliveries can be retried; this one is ${existing.status}.`,
              {
                status: existing.status,
              },
            )
          : new AppError('not_found', 'No such delivery.', { field: 'id' });
      }
      await enqueueDelivery(tx, new JobQueue(this.ctx), id, now.getTime(), requeued.max_attempts);
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'notification_delivery',
        id,
        event: 'notification.delivery_retried',
        payload: { channel: requeued.channel, lastError: requeued.last_error },
      });
      return requeued;
    });
    return presentDelivery(row, this.ctx.config.secretKey);
  }

  // ---- sending (job handlers) -------------------------------------------------------------------------

  /**
   * Sends one delivery. Claiming it first means one worker at a time sends it, and a delivery already sent
   * or dead is never sent again. A failure is recorded and thrown, so the queue retries it with backoff;
   * the last allowed attempt leaves it dead, in the list administrators see.
   */
  async deliver(deliveryId: string): Promise<{ status: 'sent' | 'skipped'; reason?: string }> {
    const db = this.ctx.database.db;
    const now = this.ctx.now();
    const claimed = await claimDelivery(db, {
      id: deliveryId,
      now: now.toISOString(),
      lockedUntil: addSeconds(now, SEND_LEASE_SECONDS).toISOString(),
    });
    if (!claimed) {
      const row = await findDelivery(db, deliveryId);
      return { status: 'skipped', reason: row ? row.status : 'missing' };
    }
    try {
      await this.send(claimed);
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
      const dead = claimed.attempts >= claimed.max_attempts;
      await inTransaction(this.ctx.database, async (tx) => {
        await settleDelivery(tx, {
          id: deliveryId,
          status: dead ? 'dead' : 'failed',
          error: message,
          now: this.ctx.now().toISOString(),
        });
        if (dead) {
          await this.ctx.ledger.append(tx, {
            actor: 'system',
            entity: 'notification_delivery',
            id: deliveryId,
            event: 'notification.delivery_dead',
            payload: { channel: claimed.channel, attempts: claimed.attempts, lastError: message },
          });
        }
      });
      throw error instanceof Error ? error : new Error(message);
    }
    await settleDelivery(db, {
      id: deliveryId,
      status: 'sent',
      error: null,
      now: this.ctx.now().toISOString(),
    });
    return { status: 'sent' };
  }

  private async send(delivery: DeliveryRow): Promise<void> {
    const content = JSON.parse(delivery.content) as DeliveryContent;
    if (delivery.channel === 'email') {
      const to = toOutsider(delivery)
        ? openSecret(delivery.target, this.ctx.config.secretKey)
        : delivery.target;
      await this.mailer.send({ to, mail: renderMail(content) });
      return;
    }
    const webhook = await listWebhooksById(this.ctx, delivery.target);
    if (!webhook) {
      throw new Error('The robot of this delivery has been removed.');
    }
    await this.postWebhook({
      provider: webhook.provider,
      url: webhook.url,
      secret: webhook.secret === null ? null : openSecret(webhook.secret, this.ctx.config.secretKey),
      message: renderWebhookText(content),
    });
  }

  /**
   * Bundles the deliveries held for the digest into one message per recipient (address or robot) and
   * queues it. Running twice bundles nothing twice: a held delivery is tied to one bundle only.
   */
  async digest(): Promise<{ bundles: number; deliveries: number }> {
    const held = await listDigestPending(this.ctx.database.db, DIGEST_BATCH);
    const groups = new Map<string, DeliveryRow[]>();
    for (const row of held) {
      const key = `${row.channel}\u0000${row.target}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    let bundles = 0;
    let deliveries = 0;
    const queue = new JobQueue(this.ctx);
    for (const rows of groups.values()) {
      const first = rows[0]!;
      const contents = rows.map((row) => ({ row, content: JSON.parse(row.content) as DeliveryContent }));
      const locale = contents.at(-1)!.content.locale;
      const bundle: DeliveryContent = {
        locale,
        subject: { zh: '每日汇总', en: 'Daily digest' },
        body: { zh: '', en: '' },
        link: null,
        items: contents.map(({ row, content }) => ({
          kind: row.kind,
          subject: content.subject,
          body: content.body,
          link: content.link,
        })),
      };
      const now = this.ctx.now().toISOString();
      const bundleId = newId();
      const bundled = await inTransaction(this.ctx.database, async (tx) => {
        await insertDeliveries(tx, [
          {
            id: bundleId,
            notification_id: null,
            user_id: first.user_id,
            unit_id: first.unit_id,
            channel: first.channel,
            target: first.target,
            kind: first.kind,
            content: JSON.stringify(bundle),
            digest: 0,
            status: 'pending',
            attempts: 0,
            max_attempts: this.ctx.config.notifyMaxAttempts,
            last_error: null,
            locked_until: null,
            bundled_into: null,
            dedupe_key: null,
            sent_at: null,
            created_at: now,
            updated_at: now,
          },
        ]);
        const count = await bundleDeliveries(tx, { ids: rows.map((row) => row.id), bundleId, now });
        if (count !== rows.length) {
          // Another digest run took some of them meanwhile: leave them all to it.
          throw new DigestRace();
        }
        await enqueueDelivery(tx, queue, bundleId, 0, this.ctx.config.notifyMaxAttempts);
        return count;
      }).catch((error: unknown) => {
        if (error instanceof DigestRace) {
          return 0;
        }
        throw error;
      });
      if (bundled > 0) {
        bundles += 1;
        deliveries += bundled;
      }
    }
    return { bundles, deliveries };
  }

  private requireInbox(actor: Actor): string {
    if (!hasInbox(actor)) {
      throw new AppError('forbidden', 'Only people have an inbox.');
    }
    return actor.userId;
  }

  private async requireUnit(actor: Actor, unitId: string): Promise<void> {
    if (!canManageUnitNotifications(actor, unitId)) {
      throw new AppError('forbidden', "You may not change this unit's notification settings.");
    }
    if (!(await findUnitRecord(this.ctx.database.db, unitId))) {
      throw new AppError('not_found', 'No such unit.', { field: 'id' });
    }
  }
}

class DigestRace extends Error {}

async function listWebhooksById(ctx: ServiceContext, id: string): Promise<WebhookRow | undefined> {
  return findWebhook(ctx.database.db, id);
}
