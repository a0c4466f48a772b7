import { solveChallenge } from 'altcha-lib/v1';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  PORTAL_CAPTCHA_PRUNE,
  createHandlers,
  schedulePortalCaptchaPrune,
} from '../src/server/jobs/handlers.ts';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import { createUser } from './factories.ts';
import { parseMail, runDueJobs, startSmtp } from './notification-factories.ts';
import { comment, fromAddress } from './portal-factories.ts';

/* What the portal keeps of a commenter, whom it tells of moderation, and its housekeeping. */

const KEY = 'portal-privacy-test-key';
const HOUR = 3600_000;
const YEAR = String(365 * 24 * 3600);

interface Receipt {
  receiptNo: string;
  status: string;
}

describeDb('public comment portal: commenters, notices and housekeeping', (db) => {
  let clock: Date;
  let round: TestRound;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const apps: TestApp[] = [];

  /** An app on the shared clock, with e-mail to the test SMTP server and the secret key set. */
  const app = async (env: Record<string, string> = {}): Promise<TestApp> => {
    const t = await createTestApp(db(), {
      now: () => clock,
      env: {
        CONCORD_PORTAL_CAPTCHA: 'off',
        CONCORD_SECRET_KEY: KEY,
        CONCORD_SMTP_URL: smtp.url,
        CONCORD_MAIL_FROM: 'Concord <noreply@concord.test>',
        // The clock moves by hours: sessions must outlast it.
        CONCORD_SESSION_IDLE_SECONDS: YEAR,
        CONCORD_SESSION_ABSOLUTE_SECONDS: YEAR,
        ...env,
      },
    });
    apps.push(t);
    return t;
  };
  const setModeration = async (organizer: TestClient, moderation: 'pre' | 'post') =>
    expect((await organizer.put(`/api/v1/rounds/${round.roundId}/portal`, { moderation })).statusCode).toBe(
      200,
    );
  const submit = (t: TestApp, overrides: Record<string, unknown> = {}) =>
    fromAddress(t).post(`/api/v1/public/rounds/${round.roundId}/comments`, comment(overrides));
  /** The ids of pending comments, by receipt number. */
  const pendingIds = async (organizer: TestClient) =>
    new Map(
      (await organizer.get(`/api/v1/rounds/${round.roundId}/portal/comments?status=pending`))
        .json<{ items: { id: string; receiptNo: string }[] }>()
        .items.map((i) => [i.receiptNo, i.id]),
    );

  beforeEach(async () => {
    clock = new Date();
    smtp = await startSmtp();
    round = await createRound(db(), {
      kind: 'public',
      units: 0,
      opensAt: new Date(clock.getTime() - 24 * HOUR).toISOString(),
      closesAt: new Date(clock.getTime() + 30 * 24 * HOUR).toISOString(),
    });
  });
  afterEach(async () => {
    for (const t of apps.splice(0)) {
      t.services.notifications.close();
      await t.close();
    }
    await smtp.close();
  });

  it('stores a commenter’s name and contact encrypted; only the round’s moderators read them', async () => {
    const t = await app();
    const organizer = await t.signIn(round.organizer);
    await setModeration(organizer, 'post');
    const name = '王小明';
    const phone = '13812345678';
    const sent = await submit(t, { anonymous: false, name, contact: phone });
    expect(sent.statusCode).toBe(201);
    await submit(t); // anonymous

    const rows = await db().db.selectFrom('portal_commenter').selectAll().execute();
    expect(rows).toHaveLength(1);
    const raw = JSON.stringify(rows);
    expect(raw).not.toContain(name);
    expect(raw).not.toContain(phone);
    expect(rows[0]!.contact).toMatch(/^v1:/);
    expect(rows[0]!.name).toMatch(/^v1:/);

    const queue = (await organizer.get(`/api/v1/rounds/${round.roundId}/portal/comments`)).json<{
      items: { id: string; named: boolean }[];
    }>();
    const named = queue.items.find((i) => i.named)!;
    const anonymous = queue.items.find((i) => !i.named)!;
    const looked = await organizer.get(`/api/v1/portal/comments/${named.id}/commenter`);
    expect(looked.statusCode).toBe(200);
    expect(looked.headers['cache-control']).toBe('no-store');
    expect(looked.json()).toEqual({ commentId: named.id, anonymous: false, name, contact: phone });
    expect((await organizer.get(`/api/v1/portal/comments/${anonymous.id}/commenter`)).json()).toEqual({
      commentId: anonymous.id,
      anonymous: true,
      name: null,
      contact: null,
    });

    // Each look is recorded, without the personal data itself.
    const events = await db()
      .db.selectFrom('ledger_event')
      .select(['entity_id', 'payload', 'actor'])
      .where('event', '=', 'portal.commenter_viewed')
      .execute();
    expect(events.map((e) => e.entity_id)).toEqual([named.id]);
    expect(JSON.stringify(events)).not.toContain(phone);

    // Nobody else: not the public, not a leader of the plan's unit, not another plan's organizer.
    const url = `/api/v1/portal/comments/${named.id}/commenter`;
    // Under another key nothing can be read, and it says so.
    const rekeyed = await app({ CONCORD_SECRET_KEY: 'another-key' });
    const refused = await (await rekeyed.signIn(round.organizer)).get(url);
    expect(refused.statusCode).toBe(503);
    expect(refused.body).not.toContain(phone);
    expect((await t.anonymous.get(url)).statusCode).toBe(401);
    expect((await (await t.signIn(round.leader)).get(url)).statusCode).toBe(403);
    const stranger = await createRound(db());
    expect((await (await t.signIn(stranger.organizer)).get(url)).statusCode).toBe(403);
    const bodies = [
      sent.body,
      (await t.anonymous.get(`/api/v1/public/rounds/${round.roundId}`)).body,
      (await t.anonymous.get(`/api/v1/public/rounds/${round.roundId}/comments`)).body,
      (await t.anonymous.get(`/api/v1/public/receipts/${sent.json<Receipt>().receiptNo}`)).body,
      (await organizer.get(`/api/v1/rounds/${round.roundId}/portal/comments`)).body,
    ];
    for (const body of bodies) {
      expect(body).not.toContain(name);
      expect(body).not.toContain(phone);
    }
  });

  it('e-mails a commenter who left an e-mail address the outcome of moderation, in their language', async () => {
    const t = await app();
    const organizer = await t.signIn(round.organizer);
    const admin = await t.signIn(await createUser(db(), { roles: ['admin'] }));
    const zh = await submit(t, { anonymous: false, name: '李华', contact: 'li.hua@example.cn' });
    const en = await submit(t, {
      anonymous: false,
      name: 'Jane Doe',
      contact: 'jane.doe@example.com',
      suggestion: 'Add a target for rural broadband coverage.',
      reasons: null,
    });
    const phone = await submit(t, { anonymous: false, name: '张三', contact: '13900001111' });
    const ids = await pendingIds(organizer);
    const [zhId, enId, phoneId] = [zh, en, phone].map((r) => ids.get(r.json<Receipt>().receiptNo));
    expect([zhId, enId, phoneId].every(Boolean)).toBe(true);

    const moderate = (id: string, body: Record<string, unknown>) =>
      organizer.post(`/api/v1/portal/comments/${id}/moderate`, body);
    expect((await moderate(zhId!, { action: 'approve' })).statusCode).toBe(200);
    expect(
      (await moderate(enId!, { action: 'reject', reason: 'Not about this plan <b>spam</b>' })).statusCode,
    ).toBe(200);
    expect((await moderate(phoneId!, { action: 'approve' })).statusCode).toBe(200);

    // Sealed in the delivery too: the address is opened only to send.
    const deliveries = await db().db.selectFrom('notification_delivery').selectAll().execute();
    expect(deliveries).toHaveLength(2);
    expect(JSON.stringify(deliveries)).not.toMatch(/li\.hua@example\.cn|jane\.doe@example\.com/);
    expect(
      deliveries.every((d) => d.user_id === null && d.unit_id === null && d.kind === 'comment_moderated'),
    ).toBe(true);

    expect((await runDueJobs(t.services, ['notification.deliver'])).map((o) => o.status)).toEqual([
      'succeeded',
      'succeeded',
    ]);
    expect(smtp.mails.map((m) => m.to[0]).sort()).toEqual(['jane.doe@example.com', 'li.hua@example.cn']);
    const zhMail = parseMail(smtp.mails.find((m) => m.to[0] === 'li.hua@example.cn')!.raw);
    expect(zhMail.subject).toBe(`[协同征求意见平台] 您的意见已公开：${'第一轮征求意见'}`);
    expect(zhMail.text).toContain(zh.json<Receipt>().receiptNo);
    expect(zhMail.text).toContain(`/p/${round.roundId}`);
    expect(zhMail.text).toContain('您在提交公众意见时留下了此邮箱地址');
    expect(zhMail.text).not.toContain('通知设置');
    const enMail = parseMail(smtp.mails.find((m) => m.to[0] === 'jane.doe@example.com')!.raw);
    expect(enMail.subject).toBe('[Concord] Your comment was not published: 第一轮征求意见');
    expect(enMail.text).toContain(en.json<Receipt>().receiptNo);
    expect(enMail.text).toContain('Reason: Not about this plan <b>spam</b>');
    expect(enMail.html).not.toContain('<b>spam</b>');
    expect(enMail.text).toContain('you left this address with your public comment');

    // Under another key the address cannot be read: moderation goes on, without an e-mail.
    const rekeyed = await app({ CONCORD_SECRET_KEY: 'another-key' });
    const hidden = await (
      await rekeyed.signIn(round.organizer)
    ).post(`/api/v1/portal/comments/${zhId!}/moderate`, { action: 'hide', reason: '重复内容' });
    expect(hidden.statusCode).toBe(200);
    expect(await db().db.selectFrom('notification_delivery').select('id').execute()).toHaveLength(2);

    // Administrators see the deliveries with the address masked.
    const listed = (await admin.get('/api/v1/admin/notification-deliveries')).json<{ target: string }[]>();
    expect(listed.map((d) => d.target).sort()).toEqual(['j***@example.com', 'l***@example.cn']);
    // Commenters are no users: nobody's inbox holds their outcome.
    expect(
      await db().db.selectFrom('notification').select('id').where('kind', '=', 'comment_moderated').execute(),
    ).toHaveLength(1); // the moderators' notice of the queue, below
  });

  it('tells the moderators that comments await them, at most once per round and hour', async () => {
    const t = await app();
    const organizer = await t.signIn(round.organizer);
    const second = await createUser(db(), { roles: ['organizer'], unitId: round.ownerUnit.id });
    const notices = (userId: string) =>
      db()
        .db.selectFrom('notification')
        .select(['kind', 'link', 'entity_id', 'subject_zh'])
        .where('user_id', '=', userId)
        .where('kind', '=', 'comment_moderated')
        .execute();

    const burst = await Promise.all(
      Array.from({ length: 5 }, (_, i) => submit(t, { suggestion: `第${i}条：建议增加农村充电桩。` })),
    );
    expect(burst.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    for (const userId of [round.organizer.id, second.id]) {
      expect(await notices(userId)).toEqual([
        {
          kind: 'comment_moderated',
          link: `/rounds/${round.roundId}/moderation`,
          entity_id: round.roundId,
          subject_zh: '公众意见待审核：第一轮征求意见',
        },
      ]);
    }
    // Not the leader, who does not moderate.
    expect(await notices(round.leader.id)).toEqual([]);
    // Another instance in the same hour does not repeat it.
    const other = await app();
    expect((await submit(other)).statusCode).toBe(201);
    expect(await notices(round.organizer.id)).toHaveLength(1);

    // The next hour: once more.
    clock = new Date(clock.getTime() + HOUR);
    await submit(t);
    await submit(other);
    expect(await notices(round.organizer.id)).toHaveLength(2);

    // Published at once (post-moderation): nothing awaits anybody.
    await setModeration(organizer, 'post');
    clock = new Date(clock.getTime() + HOUR);
    expect((await submit(t)).json<Receipt>().status).toBe('published');
    expect(await notices(round.organizer.id)).toHaveLength(2);
  });

  it('prunes spent CAPTCHA solutions once they expire, in an hourly job run once across instances', async () => {
    const t = await app({ CONCORD_PORTAL_CAPTCHA: 'on', CONCORD_PORTAL_CAPTCHA_MAX_NUMBER: '1000' });
    const solved = async (): Promise<string> => {
      const challenge = (await t.anonymous.get('/api/v1/public/captcha')).json<{
        algorithm: string;
        challenge: string;
        salt: string;
        signature: string;
        maxnumber: number;
      }>();
      const solution = await solveChallenge(
        challenge.challenge,
        challenge.salt,
        challenge.algorithm,
        challenge.maxnumber,
      ).promise;
      return Buffer.from(
        JSON.stringify({
          algorithm: challenge.algorithm,
          challenge: challenge.challenge,
          number: solution!.number,
          salt: challenge.salt,
          signature: challenge.signature,
        }),
      ).toString('base64');
    };
    const spent = () =>
      db()
        .db.selectFrom('portal_captcha_use')
        .select(['signature', 'expires_at'])
        .orderBy('expires_at')
        .execute();

    // Challenges live ten minutes: one spent now, one spent six minutes later.
    expect((await submit(t, { captcha: await solved() })).statusCode).toBe(201);
    clock = new Date(clock.getTime() + 6 * 60_000);
    expect((await submit(t, { captcha: await solved() })).statusCode).toBe(201);
    const [early, late] = await spent();
    expect(late).toBeDefined();

    // Twelve minutes in: the first has expired, the second has not.
    clock = new Date(clock.getTime() + 6 * 60_000);
    const one = await schedulePortalCaptchaPrune(t.services.jobs, t.services.ctx);
    const other = await app();
    expect((await schedulePortalCaptchaPrune(other.services.jobs, other.services.ctx)).id).toBe(one.id);
    expect(await runDueJobs(t.services, [PORTAL_CAPTCHA_PRUNE])).toEqual([
      { kind: PORTAL_CAPTCHA_PRUNE, status: 'succeeded' },
    ]);
    expect(await spent()).toEqual([late]);
    expect(early!.expires_at < clock.toISOString()).toBe(true);

    // Running the handler again deletes nothing; the next hour has its own job.
    const handler = createHandlers(t.services)[PORTAL_CAPTCHA_PRUNE]!;
    const helpers = { progress: async () => undefined, signal: new AbortController().signal };
    expect(await handler(one, helpers)).toMatchObject({ status: 'skipped', result: { deletedCaptchas: 0 } });
    clock = new Date(clock.getTime() + HOUR);
    expect((await schedulePortalCaptchaPrune(t.services.jobs, t.services.ctx)).id).not.toBe(one.id);
    expect(await runDueJobs(t.services, [PORTAL_CAPTCHA_PRUNE])).toEqual([
      { kind: PORTAL_CAPTCHA_PRUNE, status: 'succeeded' },
    ]);
    expect(await spent()).toEqual([]);
  });
});
