import { afterEach, beforeEach, expect, it } from 'vitest';
import type { LiveMessage } from '../src/server/services/live-bus.ts';
import { userChannel } from '../src/server/services/notification.service.ts';
import type { TestApp } from './app.ts';
import { createTestApp } from './app.ts';
import { describeDb } from './db.ts';
import { createUnit, createUser } from './factories.ts';
import { notifyNow, setEmail } from './notification-factories.ts';

const subject = { zh: '请对《规划纲要》提出意见', en: 'Please comment on the plan outline' };
const body = { zh: '截止日期为 12 月 5 日。🙂', en: 'The deadline is 5 December. 🙂' };

describeDb('notifications: inbox, preferences, unit robots', (db) => {
  let t: TestApp;
  let clock: Date;
  beforeEach(async () => {
    clock = new Date('2026-12-01T02:00:00.000Z');
    t = await createTestApp(db(), { now: () => clock, env: { CONCORD_SECRET_KEY: 'test-secret-key' } });
  });
  afterEach(() => t.close());

  it('lists notifications with the unread count, deduplicates and marks read', async () => {
    const user = await createUser(db(), { roles: ['liaison'] });
    await notifyNow(t.services, {
      userIds: [user.id],
      kind: 'invited',
      subject,
      body,
      link: '/rounds/r1',
      dedupeKey: 'invite:r1',
    });
    await notifyNow(t.services, {
      userIds: [user.id],
      kind: 'invited',
      subject,
      body,
      dedupeKey: 'invite:r1',
    });
    clock = new Date(clock.getTime() + 1000);
    await notifyNow(t.services, {
      userIds: [user.id],
      kind: 'mentioned',
      subject: { zh: '', en: '' },
      body: { zh: '张', en: 'x' },
      entity: { kind: 'thread', id: 't1' },
    });
    const client = await t.signIn(user);
    const list = await client.get('/api/v1/me/notifications');
    expect(list.statusCode).toBe(200);
    const page = list.json<{
      items: { id: string; kind: string; subject: { zh: string }; link: string | null; entity: unknown }[];
      total: number;
      unread: number;
    }>();
    expect(page.total).toBe(2);
    expect(page.unread).toBe(2);
    expect(page.items.map((n) => n.kind)).toEqual(['mentioned', 'invited']);
    expect(page.items[1]!.subject.zh).toBe(subject.zh);
    expect(page.items[1]!.link).toBe('/rounds/r1');
    expect(page.items[0]!.entity).toEqual({ kind: 'thread', id: 't1' });

    const one = await client.post('/api/v1/me/notifications/read', { ids: [page.items[1]!.id] });
    expect(one.json()).toEqual({ updated: 1, unread: 1 });
    const unreadOnly = await client.get('/api/v1/me/notifications?unread=true');
    expect(unreadOnly.json<{ items: unknown[] }>().items).toHaveLength(1);
    const all = await client.post('/api/v1/me/notifications/read', { all: true });
    expect(all.json()).toEqual({ updated: 1, unread: 0 });
    expect((await client.post('/api/v1/me/notifications/read', {})).statusCode).toBe(400);

    // Someone else's inbox is out of reach: marking their ids read changes nothing.
    const other = await createUser(db());
    await notifyNow(t.services, { userIds: [other.id], kind: 'reminder', subject, body });
    const theirs = await db()
      .db.selectFrom('notification')
      .select('id')
      .where('user_id', '=', other.id)
      .execute();
    const attempt = await client.post('/api/v1/me/notifications/read', { ids: theirs.map((r) => r.id) });
    expect(attempt.json()).toEqual({ updated: 0, unread: 0 });
  });

  it('publishes the unread count on the user channel', async () => {
    const user = await createUser(db());
    const messages: LiveMessage[] = [];
    const unsubscribe = await t.services.bus.subscribe(userChannel(user.id), (m) => messages.push(m));
    try {
      await notifyNow(t.services, { userIds: [user.id], kind: 'feedback_received', subject, body });
      await expect.poll(() => messages.length, { timeout: 3000 }).toBeGreaterThan(0);
      expect(messages[0]!.payload).toMatchObject({
        type: 'notification',
        kind: 'feedback_received',
        unread: 1,
      });
    } finally {
      unsubscribe();
    }
  });

  it('reaches a unit through its liaisons and heads, and every member where it has none', async () => {
    const staffed = await createUnit(db());
    const liaison = await createUser(db(), { roles: ['liaison'], unitId: staffed.id });
    const clerk = await createUser(db(), { roles: ['expert'], unitId: staffed.id });
    const bare = await createUnit(db());
    const member = await createUser(db(), { roles: ['organizer'], unitId: bare.id });
    await notifyNow(t.services, { unitIds: [staffed.id, bare.id], kind: 'deadline_near', subject, body });
    const rows = await db().db.selectFrom('notification').select('user_id').execute();
    expect(rows.map((r) => r.user_id).sort()).toEqual([liaison.id, member.id].sort());
    expect(rows.map((r) => r.user_id)).not.toContain(clerk.id);
  });

  it('follows preferences: in-app off, e-mail off, and the daily digest', async () => {
    const user = await createUser(db());
    await setEmail(db(), user.id, 'li.lei@example.gov.cn');
    const client = await t.signIn(user);
    const defaults = await client.get('/api/v1/me/notification-preferences');
    expect(defaults.json<{ digest: string; kinds: { inApp: boolean; email: boolean }[] }>()).toMatchObject({
      digest: 'none',
      locale: 'zh',
    });
    expect(
      defaults.json<{ kinds: { inApp: boolean; email: boolean }[] }>().kinds.every((k) => k.inApp && k.email),
    ).toBe(true);

    const put = await client.put('/api/v1/me/notification-preferences', {
      digest: 'daily',
      locale: 'en',
      kinds: [
        { kind: 'invited', inApp: true, email: false },
        { kind: 'mentioned', inApp: false, email: true },
      ],
    });
    expect(put.statusCode).toBe(200);
    const prefs = put.json<{
      digest: string;
      locale: string;
      kinds: { kind: string; inApp: boolean; email: boolean }[];
    }>();
    expect(prefs.digest).toBe('daily');
    expect(prefs.kinds.find((k) => k.kind === 'invited')).toEqual({
      kind: 'invited',
      inApp: true,
      email: false,
    });

    await notifyNow(t.services, { userIds: [user.id], kind: 'invited', subject, body });
    await notifyNow(t.services, { userIds: [user.id], kind: 'mentioned', subject, body });
    const notes = await db()
      .db.selectFrom('notification')
      .select('kind')
      .where('user_id', '=', user.id)
      .execute();
    expect(notes.map((n) => n.kind)).toEqual(['invited']);
    const deliveries = await db().db.selectFrom('notification_delivery').selectAll().execute();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      kind: 'mentioned',
      channel: 'email',
      digest: 1,
      status: 'pending',
    });
    // Held for the digest: no job sends it now.
    const jobs = await db()
      .db.selectFrom('job')
      .select('kind')
      .where('kind', '=', 'notification.deliver')
      .execute();
    expect(jobs).toHaveLength(0);
    const ledger = await db()
      .db.selectFrom('ledger_event')
      .select('event')
      .where('event', '=', 'notification.preferences_changed')
      .execute();
    expect(ledger).toHaveLength(1);
  });

  it('keeps unit robot secrets encrypted and never returns them', async () => {
    const unit = await createUnit(db());
    const head = await createUser(db(), { roles: ['unit_head'], unitId: unit.id });
    const outsider = await createUser(db(), { roles: ['liaison'], unitId: unit.id });
    const client = await t.signIn(head);
    const put = await client.put(`/api/v1/units/${unit.id}/notification-settings`, {
      webhookKinds: ['invited', 'overdue'],
      webhooks: [
        {
          provider: 'dingtalk',
          name: '办公室群',
          url: 'https://oapi.dingtalk.com/robot/send?access_token=abc',
          secret: 'SECdingtalk-secret',
        },
        {
          provider: 'wecom',
          name: 'WeCom group',
          url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send',
          secret: 'wecom-key-123',
        },
      ],
    });
    expect(put.statusCode).toBe(200);
    const view = put.json<{
      webhookKinds: string[];
      webhooks: { id: string; url: string; hasSecret: boolean }[];
    }>();
    expect(view.webhookKinds).toEqual(['invited', 'overdue']);
    expect(view.webhooks.map((w) => w.hasSecret)).toEqual([true, true]);
    expect(JSON.stringify(view)).not.toContain('secret-');
    expect(JSON.stringify(view)).not.toContain('access_token');
    const stored = await db().db.selectFrom('notification_webhook').select('secret').execute();
    expect(stored.every((row) => row.secret?.startsWith('v1:'))).toBe(true);
    expect(JSON.stringify(stored)).not.toContain('dingtalk-secret');
    const ledger = await db()
      .db.selectFrom('ledger_event')
      .select('payload')
      .where('event', '=', 'notification.unit_settings_changed')
      .execute();
    expect(JSON.stringify(ledger)).not.toContain('dingtalk-secret');

    // Keeping one robot by id (secret untouched) and dropping the other.
    const keep = view.webhooks[0]!;
    const again = await client.put(`/api/v1/units/${unit.id}/notification-settings`, {
      webhooks: [
        {
          id: keep.id,
          provider: 'dingtalk',
          name: '办公室群（新）',
          url: 'https://oapi.dingtalk.com/robot/send?access_token=abc',
        },
      ],
    });
    expect(again.json<{ webhooks: { name: string; hasSecret: boolean }[] }>().webhooks).toEqual([
      expect.objectContaining({ name: '办公室群（新）', hasSecret: true }),
    ]);
    // Without a URL a kept robot keeps its stored one, key and all; a new robot needs one.
    const renamed = await client.put(`/api/v1/units/${unit.id}/notification-settings`, {
      webhooks: [{ id: keep.id, provider: 'dingtalk', name: '办公室群（改名）' }],
    });
    expect(renamed.statusCode).toBe(200);
    const kept = await db()
      .db.selectFrom('notification_webhook')
      .select(['name', 'url'])
      .where('id', '=', keep.id)
      .executeTakeFirstOrThrow();
    expect(kept).toEqual({
      name: '办公室群（改名）',
      url: 'https://oapi.dingtalk.com/robot/send?access_token=abc',
    });
    const noUrl = await client.put(`/api/v1/units/${unit.id}/notification-settings`, {
      webhooks: [{ provider: 'wecom', name: 'no url' }],
    });
    expect(noUrl.statusCode).toBe(400);
    expect(noUrl.json<{ error: { details: { field: string } } }>().error.details.field).toBe('webhooks.url');

    const refused = await (
      await t.signIn(outsider)
    ).put(`/api/v1/units/${unit.id}/notification-settings`, { digest: 'daily' });
    expect(refused.statusCode).toBe(403);
    const badUrl = await client.put(`/api/v1/units/${unit.id}/notification-settings`, {
      webhooks: [{ provider: 'wecom', name: 'x', url: 'javascript:alert(1)' }],
    });
    expect(badUrl.statusCode).toBe(400);

    // Robots hear only the kinds chosen.
    await notifyNow(t.services, { unitIds: [unit.id], kind: 'mentioned', subject, body });
    await notifyNow(t.services, { unitIds: [unit.id], kind: 'invited', subject, body });
    const hooks = await db()
      .db.selectFrom('notification_delivery')
      .select('kind')
      .where('channel', '=', 'webhook')
      .execute();
    expect(hooks.map((h) => h.kind)).toEqual(['invited']);
  });

  it('shows deliveries to administrators only', async () => {
    const admin = await createUser(db(), { roles: ['admin'] });
    const user = await createUser(db(), { roles: ['liaison'] });
    expect((await (await t.signIn(user)).get('/api/v1/admin/notification-deliveries')).statusCode).toBe(403);
    const list = await (await t.signIn(admin)).get('/api/v1/admin/notification-deliveries?status=dead');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([]);
  });

  it('clips a 100 KB body and keeps mixed scripts intact', async () => {
    const user = await createUser(db());
    const long = '规划意见 mixed 文本 😀 '.repeat(6000);
    await notifyNow(t.services, {
      userIds: [user.id],
      kind: 'reminder',
      subject: { zh: 'A', en: 'B' },
      body: { zh: long, en: long },
    });
    const row = await db().db.selectFrom('notification').selectAll().executeTakeFirstOrThrow();
    expect(row.body_zh.length).toBeLessThanOrEqual(20_000);
    expect(row.body_zh.startsWith('规划意见 mixed 文本 😀')).toBe(true);
  });
});
