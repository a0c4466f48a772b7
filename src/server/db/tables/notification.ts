/* Tables of notifications (in-app inbox, e-mail, DingTalk and WeCom webhooks), preferences and deliveries (see the migration of the same name). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NotificationTables {}
