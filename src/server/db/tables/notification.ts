/* Tables of notifications (in-app inbox, e-mail, DingTalk and WeCom webhooks), preferences and deliveries (see the migration of the same name). */

export type NotificationKind =
  | 'invited'
  | 'deadline_near'
  | 'overdue'
  | 'sign_off_requested'
  | 'feedback_received'
  | 'objection_received'
  | 'review_done'
  | 'mentioned'
  | 'conflict_escalated'
  | 'expert_consultation'
  | 'comment_moderated'
  | 'reminder';

export type NotificationChannel = 'in_app' | 'email' | 'webhook';
export type DigestMode = 'none' | 'daily';
export type NotificationLocale = 'zh' | 'en';
export type WebhookProvider = 'dingtalk' | 'wecom';
/** pending: waiting (or held for the digest); sending: claimed by one worker; failed: will be retried; dead: gave up. */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'dead';

/** One entry of a user's in-app inbox, in both languages. */
export interface NotificationTable {
  id: string;
  user_id: string;
  kind: NotificationKind;
  subject_zh: string;
  subject_en: string;
  body_zh: string;
  body_en: string;
  link: string | null;
  entity_kind: string | null;
  entity_id: string | null;
  /** At most one notification per user and key, so an event raised twice notifies once. */
  dedupe_key: string | null;
  read_at: string | null;
  created_at: string;
}

/** A user's choice of channels for one kind; a kind without a row uses the defaults (all channels on). */
export interface NotificationPreferenceTable {
  user_id: string;
  kind: NotificationKind;
  in_app: number;
  email: number;
  updated_at: string;
}

/** A user's settings that hold for every kind. */
export interface NotificationUserSettingTable {
  user_id: string;
  digest: DigestMode;
  locale: NotificationLocale;
  updated_at: string;
}

/** A unit's settings: which kinds reach its group robots, and whether they are bundled daily. */
export interface NotificationUnitSettingTable {
  unit_id: string;
  /** JSON NotificationKind[]: the kinds sent to the unit's webhooks. */
  webhook_kinds: string;
  digest: DigestMode;
  locale: NotificationLocale;
  updated_by: string | null;
  updated_at: string;
}

/** A group robot of a unit (DingTalk or WeCom). The secret is stored encrypted and never returned. */
export interface NotificationWebhookTable {
  id: string;
  unit_id: string;
  provider: WebhookProvider;
  name: string;
  url: string;
  secret: string | null;
  enabled: number;
  created_at: string;
  updated_at: string;
}

/** One message to send on one channel to one target, with its attempts. */
export interface NotificationDeliveryTable {
  id: string;
  notification_id: string | null;
  user_id: string | null;
  unit_id: string | null;
  channel: 'email' | 'webhook';
  /**
   * The e-mail address, or the id of the webhook. A delivery with neither user nor unit goes to an address
   * outside the system (a public commenter): its address is sealed (notify/secrets.ts).
   */
  target: string;
  kind: NotificationKind;
  /** JSON {subject:{zh,en}, body:{zh,en}, link, locale}. */
  content: string;
  /** 1: held for the daily digest instead of sent at once. */
  digest: number;
  status: DeliveryStatus;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  /** While `sending`: until when the claim holds; a worker that died loses it then. */
  locked_until: string | null;
  /** Set when a digest delivery is sent inside the bundle of another. */
  bundled_into: string | null;
  /** At most one delivery per channel, target and key, so an event raised twice is sent once. */
  dedupe_key: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface NotificationTables {
  notification: NotificationTable;
  notification_preference: NotificationPreferenceTable;
  notification_user_setting: NotificationUserSettingTable;
  notification_unit_setting: NotificationUnitSettingTable;
  notification_webhook: NotificationWebhookTable;
  notification_delivery: NotificationDeliveryTable;
}
