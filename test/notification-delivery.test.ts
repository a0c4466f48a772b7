import { afterEach, beforeEach, expect, it } from 'vitest';
import { dingtalkSign } from '../src/server/notify/webhooks.ts';
import type { TestApp } from './app.ts';
import { createTestApp } from './app.ts';
import { describeDb } from './db.ts';
import { createUnit, createUser } from './factories.ts';
import {
  answerJson,
  notifyNow,
  parseMail,
  runDueJobs,
  setEmail,
  startHookServer,
  startSmtp,
} from './notification-factories.ts';

const DELIVER = ['notification.deliver'];
const subject = { zh: '征求意见：国土空间规划', en: 'Request for comments: spatial plan' };
const body = {
  zh: '请于 12 月 5 日前提交意见。<script>alert(1)</script>',
  en: 'Please reply by 5 December. <b>now</b>',
};

describeDb('notification deliveries', (db) => {
  let clock: Date;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const apps: TestApp[] = [];
  const advance = (seconds: number): void => {
    clock = new Date(clock.getTime() + seconds * 1000);
  };
  const app = async (env: Record<string, string> = {}): Promise<TestApp> => {
    const t = await createTestApp(db(), {
      now: () => clock,
      env: {
        CONCORD_SMTP_URL: smtp.url,
        CONCORD_MAIL_FROM: 'Concord <noreply@concord.test>',
        CONCORD_WEBHOOK_TIMEOUT_MS: '300',
        CONCORD_NOTIFY_MAX_ATTEMPTS: '3',
        CONCORD_SECRET_KEY: 'delivery-test-key',
        ...env,
      },
    });
    apps.push(t);
    return t;
  };

  beforeEach(async () => {
    clock = new Date('2026-12-01T02:00:00.000Z');
    smtp = await startSmtp();
  });
  afterEach(async () => {
    for (const t of apps.splice(0)) {
      t.services.notifications.close();
      await t.close();
    }
    await smtp.close();
  });

  it('sends e-mail through a real SMTP server in Chinese and English', async () => {
    const t = await app();
    const zhUser = await createUser(db());
    const enUser = await createUser(db());
    await setEmail(db(), zhUser.id, 'wang.fang@example.gov.cn');
    await setEmail(db(), enUser.id, 'li.lei@example.gov.cn');
    await (await t.signIn(enUser)).put('/api/v1/me/notification-preferences', { locale: 'en' });
    await notifyNow(t.services, {
      userIds: [zhUser.id, enUser.id],
      kind: 'invited',
      subject,
      body,
      link: '/rounds/r1',
    });

    const outcomes = await runDueJobs(t.services, DELIVER);
    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'succeeded']);
    expect(smtp.mails).toHaveLength(2);
    const zh = smtp.mails.find((m) => m.to.includes('wang.fang@example.gov.cn'))!;
    const en = smtp.mails.find((m) => m.to.includes('li.lei@example.gov.cn'))!;
    expect(zh.to).toEqual(['wang.fang@example.gov.cn']);
    expect(zh.from).toBe('noreply@concord.test');
    const zhMail = parseMail(zh.raw);
    expect(zhMail.subject).toBe('[协同征求意见平台] 征求意见：国土空间规划');
    expect(zhMail.text).toContain('请于 12 月 5 日前提交意见。');
    expect(zhMail.text).toContain('查看详情: /rounds/r1');
    // User text never becomes markup.
    expect(zhMail.html).not.toContain('<script>');
    expect(zhMail.html).toContain('&lt;script&gt;');
    const enMail = parseMail(en.raw);
    expect(enMail.subject).toBe('[Concord] Request for comments: spatial plan');
    expect(enMail.text).toContain('Please reply by 5 December.');
    expect(enMail.text).toContain('Notification preferences');

    const rows = await db().db.selectFrom('notification_delivery').selectAll().execute();
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1 && r.sent_at !== null)).toBe(true);
    // Running the jobs again sends nothing more.
    expect(await runDueJobs(t.services, DELIVER)).toEqual([]);
    expect(smtp.mails).toHaveLength(2);
  });

  it('records a refused recipient (550) as failed, then dead, visible to an administrator', async () => {
    const t = await app();
    const admin = await createUser(db(), { roles: ['admin'] });
    const user = await createUser(db());
    await setEmail(db(), user.id, 'refuse.me@example.gov.cn');
    await notifyNow(t.services, { userIds: [user.id], kind: 'overdue', subject, body });

    expect((await runDueJobs(t.services, DELIVER)).map((o) => o.status)).toEqual(['failed']);
    let row = await db().db.selectFrom('notification_delivery').selectAll().executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(row.last_error).toMatch(/550|refused|Mailbox unavailable/i);
    for (let i = 0; i < 2; i += 1) {
      advance(3600);
      await runDueJobs(t.services, DELIVER);
    }
    row = await db().db.selectFrom('notification_delivery').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'dead', attempts: 3 });
    expect(smtp.mails).toHaveLength(0);
    // Nothing lost: the in-app notification is there.
    expect(await db().db.selectFrom('notification').select('id').execute()).toHaveLength(1);

    const client = await t.signIn(admin);
    const dead = await client.get('/api/v1/admin/notification-deliveries?status=dead');
    expect(dead.json<{ id: string; target: string; lastError: string }[]>()).toEqual([
      expect.objectContaining({
        id: row.id,
        target: 'refuse.me@example.gov.cn',
        status: 'dead',
        attempts: 3,
      }),
    ]);
    const retried = await client.post(`/api/v1/admin/notification-deliveries/${row.id}/retry`);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await client.post(`/api/v1/admin/notification-deliveries/${row.id}/retry`)).statusCode).toBe(409);
    expect((await runDueJobs(t.services, DELIVER)).map((o) => o.status)).toEqual(['failed']);
  });

  it('signs DingTalk requests and formats WeCom messages as their robots expect', async () => {
    const dingSecret = 'SEC0123456789abcdef';
    const wecomKey = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
    const checks: string[] = [];
    const hooks = await startHookServer((request, _index, res) => {
      if (request.url.pathname === '/robot/send') {
        const timestamp = request.url.searchParams.get('timestamp') ?? '';
        const sign = request.url.searchParams.get('sign') ?? '';
        const fresh = Math.abs(Number(timestamp) - clock.getTime()) < 3600_000;
        const ok =
          fresh &&
          sign === dingtalkSign(timestamp, dingSecret) &&
          request.url.searchParams.get('access_token') === 'tok';
        checks.push(`dingtalk:${ok}`);
        answerJson(
          res,
          200,
          ok ? { errcode: 0, errmsg: 'ok' } : { errcode: 310000, errmsg: 'sign not match' },
        );
        return;
      }
      const ok = request.url.searchParams.get('key') === wecomKey;
      checks.push(`wecom:${ok}`);
      answerJson(
        res,
        200,
        ok ? { errcode: 0, errmsg: 'ok' } : { errcode: 93000, errmsg: 'invalid webhook url' },
      );
    });
    try {
      const t = await app();
      const unit = await createUnit(db());
      const admin = await createUser(db(), { roles: ['admin'] });
      const put = await (
        await t.signIn(admin)
      ).put(`/api/v1/units/${unit.id}/notification-settings`, {
        webhooks: [
          {
            provider: 'dingtalk',
            name: '钉钉群',
            url: `${hooks.url}/robot/send?access_token=tok`,
            secret: dingSecret,
          },
          {
            provider: 'wecom',
            name: '企业微信群',
            url: `${hooks.url}/cgi-bin/webhook/send`,
            secret: wecomKey,
          },
        ],
      });
      expect(put.statusCode).toBe(200);
      await notifyNow(t.services, {
        unitIds: [unit.id],
        kind: 'overdue',
        subject,
        body,
        link: 'https://concord.example/rounds/r1',
      });
      expect((await runDueJobs(t.services, DELIVER)).map((o) => o.status)).toEqual([
        'succeeded',
        'succeeded',
      ]);
      expect(checks.sort()).toEqual(['dingtalk:true', 'wecom:true']);
      const ding = hooks.requests.find((r) => r.url.pathname === '/robot/send')!.body as {
        msgtype: string;
        markdown: { title: string; text: string };
      };
      expect(ding.msgtype).toBe('markdown');
      expect(ding.markdown.title).toBe(subject.zh);
      expect(ding.markdown.text).toContain('请于 12 月 5 日前提交意见。');
      expect(ding.markdown.text).toContain('[查看详情](https://concord.example/rounds/r1)');
      const wecom = hooks.requests.find((r) => r.url.pathname.startsWith('/cgi-bin'))!.body as {
        msgtype: string;
        markdown: { content: string };
      };
      expect(wecom.msgtype).toBe('markdown');
      expect(wecom.markdown.content).toContain(subject.zh);
      expect(Buffer.byteLength(wecom.markdown.content)).toBeLessThanOrEqual(4096);
    } finally {
      await hooks.close();
    }
  });

  it('retries a robot that answers 500 and then times out, and succeeds on the third attempt', async () => {
    const hooks = await startHookServer((_request, index, res) => {
      if (index === 0) {
        answerJson(res, 500, { error: 'internal' });
      } else if (index === 1) {
        setTimeout(() => answerJson(res, 200, { errcode: 0 }), 1500); // past the 300 ms timeout
      } else {
        answerJson(res, 200, { errcode: 0, errmsg: 'ok' });
      }
    });
    try {
      const t = await app();
      const unit = await createUnit(db());
      await t.services.notifications.setUnitSettings(
        { userId: null, login: 'system', name: 'system', roles: ['admin'], unitId: null, via: 'system' },
        unit.id,
        {
          webhooks: [
            {
              provider: 'dingtalk',
              name: 'robot',
              url: `${hooks.url}/robot/send?access_token=x`,
              secret: 'SECx',
            },
          ],
        },
      );
      await notifyNow(t.services, { unitIds: [unit.id], kind: 'reminder', subject, body });
      const first = await runDueJobs(t.services, DELIVER);
      expect(first).toEqual([
        expect.objectContaining({ status: 'failed', error: expect.stringMatching(/HTTP 500/) }),
      ]);
      advance(2);
      const second = await runDueJobs(t.services, DELIVER);
      expect(second).toEqual([
        expect.objectContaining({ status: 'failed', error: expect.stringMatching(/300 ms/) }),
      ]);
      // Backoff: not due again before its time.
      expect(await runDueJobs(t.services, DELIVER)).toEqual([]);
      advance(4);
      expect((await runDueJobs(t.services, DELIVER)).map((o) => o.status)).toEqual(['succeeded']);
      const row = await db().db.selectFrom('notification_delivery').selectAll().executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'sent', attempts: 3 });
      expect(hooks.requests).toHaveLength(3);
    } finally {
      await hooks.close();
    }
  });

  it('never sends twice when two instances run the same delivery', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const hooks = await startHookServer((_request, _index, res) => {
      void gate.then(() => answerJson(res, 200, { errcode: 0 }));
    });
    try {
      const one = await app();
      const two = await app();
      const unit = await createUnit(db());
      await one.services.notifications.setUnitSettings(
        { userId: null, login: 'system', name: 'system', roles: ['admin'], unitId: null, via: 'system' },
        unit.id,
        { webhooks: [{ provider: 'wecom', name: 'robot', url: `${hooks.url}/cgi-bin/webhook/send?key=k` }] },
      );
      await notifyNow(one.services, { unitIds: [unit.id], kind: 'reminder', subject, body });
      const row = await db().db.selectFrom('notification_delivery').select('id').executeTakeFirstOrThrow();
      const a = one.services.notifications.deliver(row.id);
      const b = two.services.notifications.deliver(row.id);
      await expect.poll(() => hooks.requests.length, { timeout: 3000 }).toBe(1);
      release();
      const results = await Promise.all([a, b]);
      expect(results.map((r) => r.status).sort()).toEqual(['sent', 'skipped']);
      expect(await one.services.notifications.deliver(row.id)).toEqual({ status: 'skipped', reason: 'sent' });
      expect(hooks.requests).toHaveLength(1);
    } finally {
      await hooks.close();
    }
  });

  it('bundles held deliveries into one daily digest per recipient, once', async () => {
    const t = await app();
    const user = await createUser(db());
    await setEmail(db(), user.id, 'digest@example.gov.cn');
    await (await t.signIn(user)).put('/api/v1/me/notification-preferences', { digest: 'daily' });
    await notifyNow(t.services, { userIds: [user.id], kind: 'invited', subject, body });
    await notifyNow(t.services, {
      userIds: [user.id],
      kind: 'mentioned',
      subject: { zh: '有人提到了您 😀', en: 'Mentioned' },
      body: { zh: '见第 3 条', en: 'See clause 3' },
    });
    expect(await runDueJobs(t.services, DELIVER)).toEqual([]);
    expect(await t.services.notifications.digest()).toEqual({ bundles: 1, deliveries: 2 });
    expect(await t.services.notifications.digest()).toEqual({ bundles: 0, deliveries: 0 });
    expect((await runDueJobs(t.services, DELIVER)).map((o) => o.status)).toEqual(['succeeded']);
    expect(smtp.mails).toHaveLength(1);
    const mail = parseMail(smtp.mails[0]!.raw);
    expect(mail.subject).toBe('[协同征求意见平台] 每日汇总：2 条通知');
    expect(mail.text).toContain('征求意见邀请 · 征求意见：国土空间规划');
    expect(mail.text).toContain('有人提到了您 · 有人提到了您 😀');
    const statuses = await db().db.selectFrom('notification_delivery').select('status').execute();
    expect(statuses.map((s) => s.status)).toEqual(['sent', 'sent', 'sent']);
  });
});
