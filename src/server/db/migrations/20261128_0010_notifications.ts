import type { Kysely } from 'kysely';

/* Frozen once released. Notifications (in-app inbox, e-mail, DingTalk and WeCom webhooks), preferences and deliveries. Same for SQLite and PostgreSQL. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notification')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_zh', 'text', (c) => c.notNull())
    .addColumn('subject_en', 'text', (c) => c.notNull())
    .addColumn('body_zh', 'text', (c) => c.notNull())
    .addColumn('body_en', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('entity_kind', 'text')
    .addColumn('entity_id', 'text')
    .addColumn('dedupe_key', 'text')
    .addColumn('read_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('notification_user_dedupe_unique', ['user_id', 'dedupe_key'])
    .execute();
  await db.schema
    .createIndex('notification_user_created_idx')
    .on('notification')
    .columns(['user_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('notification_user_unread_idx')
    .on('notification')
    .columns(['user_id', 'read_at'])
    .execute();

  await db.schema
    .createTable('notification_preference')
    .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('in_app', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('email', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_preference_pk', ['user_id', 'kind'])
    .execute();

  await db.schema
    .createTable('notification_user_setting')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('user.id').onDelete('cascade'))
    .addColumn('digest', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('zh'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notification_unit_setting')
    .addColumn('unit_id', 'text', (c) => c.primaryKey().references('unit.id').onDelete('cascade'))
    .addColumn('webhook_kinds', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('digest', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('zh'))
    .addColumn('updated_by', 'text', (c) => c.references('user.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notification_webhook')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('notification_webhook_unit_idx')
    .on('notification_webhook')
    .column('unit_id')
    .execute();

  await db.schema
    .createTable('notification_delivery')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notification_id', 'text', (c) => c.references('notification.id').onDelete('set null'))
    .addColumn('user_id', 'text', (c) => c.references('user.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.references('unit.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('digest', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('bundled_into', 'text')
    .addColumn('dedupe_key', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('notification_delivery_dedupe_unique', ['channel', 'target', 'dedupe_key'])
    .execute();
  await db.schema
    .createIndex('notification_delivery_status_idx')
    .on('notification_delivery')
    .columns(['status', 'updated_at'])
    .execute();
  await db.schema
    .createIndex('notification_delivery_digest_idx')
    .on('notification_delivery')
    .columns(['digest', 'status', 'channel', 'target'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notification_delivery').ifExists().execute();
  await db.schema.dropTable('notification_webhook').ifExists().execute();
  await db.schema.dropTable('notification_unit_setting').ifExists().execute();
  await db.schema.dropTable('notification_user_setting').ifExists().execute();
  await db.schema.dropTable('notification_preference').ifExists().execute();
  await db.schema.dropTable('notification').ifExists().execute();
}
