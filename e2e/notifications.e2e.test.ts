import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.ts';
import type { Services } from '../src/server/services/index.ts';
import { createServices } from '../src/server/services/index.ts';
import type { TestRound } from '../test/consultation-factories.ts';
import { createRound } from '../test/consultation-factories.ts';
import type { TestUser } from '../test/factories.ts';
import { answerJson, notifyNow, startHookServer } from '../test/notification-factories.ts';
import type { E2E } from './harness.ts';
import { browserAvailable, snap, startE2E } from './harness.ts';
import {
  DESKTOP,
  PASSWORD,
  PHONE,
  choose,
  createPerson,
  fitsWidth,
  newPage,
  submitSignIn,
  visible,
} from './ui.ts';

const DAY = 86_400_000;

/** A round scheduled to open tomorrow (so the server's own round tick leaves it alone), one unit invited. */
const scheduledRound = (e2e: E2E): Promise<TestRound> =>
  createRound(e2e.server.database, {
    status: 'scheduled',
    units: 1,
    opensAt: new Date(Date.now() + DAY).toISOString(),
    closesAt: new Date(Date.now() + 20 * DAY).toISOString(),
  });

/**
 * Signs a factory user in on a fresh browser context and waits until the header follows their live
 * channel: the events stream answers only once the server has subscribed, so nothing published later is missed.
 */
async function signInLive(e2e: E2E, user: TestUser, viewport = DESKTOP): Promise<Page> {
  const page = await newPage(e2e, viewport);
  const live = page.waitForResponse(
    (response) => response.url().includes(`/api/v1/events?channel=${encodeURIComponent(`user:${user.id}`)}`),
    { timeout: 20_000 },
  );
  await submitSignIn(page, e2e, user.login, user.password);
  await expect
    .poll(() => page.getByTestId('current-user').textContent(), { timeout: 15_000 })
    .toContain(user.name);
  expect((await live).status()).toBe(200);
  return page;
}

/** The header's bell, by the count it announces. */
const bell = (page: Page, count: number) => page.getByRole('link', { name: `通知：${count} 条未读` });

/** A person's session on the API, as the web app holds it: the cookie and the CSRF token echoed on writes. */
async function apiSession(e2e: E2E, user: { login: string; password: string }) {
  const context = await e2e.newContext({});
  const login = await context.request.post(`${e2e.url}/api/v1/auth/login`, {
    data: { login: user.login, password: user.password },
  });
  expect(login.status()).toBe(200);
  const csrf = (await context.cookies()).find((cookie) => cookie.name === 'concord_csrf')?.value ?? '';
  return {
    post: (path: string, data?: unknown) =>
      context.request.post(`${e2e.url}/api/v1${path}`, {
        headers: { 'x-csrf-token': csrf },
        ...(data === undefined ? {} : { data }),
      }),
  };
}

async function deliveryOf(e2e: E2E, subject: string) {
  const rows = await e2e.server.database.db
    .selectFrom('notification_delivery')
    .select(['id', 'status', 'attempts', 'content'])
    .where('channel', '=', 'webhook')
    .execute();
  return rows.find((row) => row.content.includes(subject));
}

describe.skipIf(!browserAvailable())('notifications, in a real browser', () => {
  let e2e: E2E;
  let services: Services;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    e2e = await startE2E();
    services = createServices({ database: e2e.server.database, config: loadConfig({}) });
  }, 240_000);
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('counts a new notification live, lists it in Chinese, marks all read and saves preferences', async () => {
    const round = await scheduledRound(e2e);
    const liaison = round.invited[0]!.liaison;
    const page = await signInLive(e2e, liaison, PHONE);
    await expect.poll(() => bell(page, 0).isVisible(), { timeout: 10_000 }).toBe(true);
    // Marks this page load: a reload would lose it.
    await page.evaluate(() => Object.assign(window, { notificationsLoad: 'first' }));

    // The organizer opens the round through the API; the unit's liaison is told.
    const organizer = await apiSession(e2e, round.organizer);
    expect((await organizer.post(`/rounds/${round.roundId}/open`)).status()).toBe(200);
    await expect.poll(() => bell(page, 1).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.evaluate(() => (window as { notificationsLoad?: string }).notificationsLoad)).toBe(
      'first',
    );

    // The inbox, in Chinese, fitting a phone.
    await bell(page, 1).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/notifications');
    const item = page.getByTestId('notification-item');
    await expect.poll(() => item.count(), { timeout: 10_000 }).toBe(1);
    const text = await item.textContent();
    expect(text).toContain('征求意见邀请');
    expect(text).toContain('征求意见：第一轮征求意见');
    expect(text).toContain('未读');
    expect(await item.getAttribute('data-unread')).toBe('true');
    await expect.poll(visible(page, '今天')).toBe(true);
    expect(await fitsWidth(page)).toBe(true);
    await snap(page, 'notifications-inbox-phone');

    await page.getByRole('button', { name: '全部标为已读' }).click();
    await expect.poll(() => bell(page, 0).isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => item.getAttribute('data-unread')).toBe('false');
    expect(await page.getByTestId('notification-summary').textContent()).toBe('共 1 条，未读 0 条');
    // The item leads the unit to its solicitations.
    await item.getByRole('link', { name: '查看' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/inbox');

    // Preferences: no e-mail for reminders, kept across a reload.
    await page.goto(`${e2e.url}/notifications`);
    await page.getByRole('tab', { name: '通知设置' }).click();
    const reminderEmail = page.getByRole('checkbox', { name: '督办提醒：邮件' });
    await expect.poll(() => reminderEmail.isChecked(), { timeout: 10_000 }).toBe(true);
    await reminderEmail.uncheck();
    await page.getByRole('button', { name: '保存设置' }).click();
    await expect.poll(visible(page, '通知设置已保存'), { timeout: 10_000 }).toBe(true);
    expect(await fitsWidth(page)).toBe(true);
    await page.reload();
    await expect.poll(() => new URL(page.url()).search).toBe('?tab=preferences');
    await expect
      .poll(() => page.getByRole('checkbox', { name: '督办提醒：邮件' }).isChecked(), { timeout: 10_000 })
      .toBe(false);
    expect(await page.getByRole('checkbox', { name: '督办提醒：站内' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: '征求意见邀请：邮件' }).isChecked()).toBe(true);
    const stored = await e2e.server.database.db
      .selectFrom('notification_preference')
      .selectAll()
      .where('user_id', '=', liaison.id)
      .execute();
    expect(stored.map((row) => [row.kind, row.in_app, row.email])).toEqual([['reminder', 1, 0]]);
  }, 120_000);

  it('lets a unit head add a group robot and an administrator retry its dead delivery', async () => {
    let healthy = false;
    const hook = await startHookServer((_request, _index, res) =>
      healthy ? answerJson(res, 200, { errcode: 0, errmsg: 'ok' }) : answerJson(res, 500, { errcode: -1 }),
    );
    closers.push(hook.close);
    const round = await scheduledRound(e2e);
    const { unit, head } = round.invited[0]!;

    // ---- the unit head adds the unit's DingTalk robot ----
    const headPage = await signInLive(e2e, head);
    await headPage.goto(`${e2e.url}/notifications`);
    await headPage.getByRole('tab', { name: '单位群机器人' }).click();
    await expect.poll(visible(headPage, '尚未添加群机器人'), { timeout: 10_000 }).toBe(true);
    await headPage.getByRole('button', { name: '添加群机器人' }).click();
    await headPage.getByRole('button', { name: '保存', exact: true }).click();
    // A new robot needs its name and address.
    await expect.poll(visible(headPage, '请填写名称')).toBe(true);
    await headPage.getByLabel('名称').fill('办公室值班群');
    await headPage.getByLabel('机器人地址（Webhook）').fill(`${hook.url}/robot/send?access_token=tok123`);
    await headPage.getByLabel(/^密钥/).fill('SECe2e-secret');
    await headPage.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(visible(headPage, '单位通知设置已保存'), { timeout: 10_000 }).toBe(true);
    const robot = headPage.getByTestId('robot');
    expect(await robot.getByTestId('secret-state').textContent()).toBe('已设置');
    // The address is shown without its key, and the secret never comes back.
    const robotText = (await robot.textContent()) ?? '';
    expect(robotText).toContain(`${hook.url}/robot/send`);
    expect(robotText).not.toContain('tok123');
    expect(await headPage.getByLabel(/^密钥/).inputValue()).toBe('');
    await snap(headPage, 'notifications-unit-robot');

    // ---- a reminder to the unit fails at the robot and, allowed one attempt, is given up ----
    const subject = `督办：请于本周内反馈-${round.roundId.slice(-6)}`;
    const oneAttempt = createServices({
      database: e2e.server.database,
      config: loadConfig({ CONCORD_NOTIFY_MAX_ATTEMPTS: '1' }),
    });
    await notifyNow(oneAttempt, {
      unitIds: [unit.id],
      kind: 'reminder',
      subject: { zh: subject, en: subject },
      body: { zh: '请尽快反馈意见。', en: 'Please reply soon.' },
      link: `/rounds/${round.roundId}`,
    });
    await expect.poll(async () => (await deliveryOf(e2e, subject))?.status, { timeout: 20_000 }).toBe('dead');
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]!.url.searchParams.get('access_token')).toBe('tok123');

    // ---- the administrator finds it among the dead letters and retries it ----
    const admin = await createPerson(services, '系统管理员甲', ['admin'], null);
    const adminPage = await newPage(e2e);
    await submitSignIn(adminPage, e2e, admin.login, PASSWORD);
    await expect
      .poll(() => adminPage.getByTestId('current-user').textContent(), { timeout: 15_000 })
      .toContain(admin.name);
    await adminPage.goto(`${e2e.url}/admin/deliveries`);
    await expect.poll(visible(adminPage, '通知投递'), { timeout: 10_000 }).toBe(true);
    const row = adminPage.getByRole('row').filter({ hasText: subject });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    // The robot is named by its unit once the unit directory has loaded.
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain(`${unit.name} 的群机器人`);
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain('已放弃');
    expect(rowText).toContain('督办提醒');
    expect(rowText).toContain('1 / 1');
    expect(await row.getByTestId('delivery-error').textContent()).toContain('HTTP 500');
    await snap(adminPage, 'notifications-dead-letters');

    healthy = true;
    await row.getByRole('button', { name: `重试 ${subject}` }).click();
    await expect.poll(visible(adminPage, '已重新排队发送'), { timeout: 10_000 }).toBe(true);
    // It leaves the dead letters, and the robot gets it this time.
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(async () => (await deliveryOf(e2e, subject))?.status, { timeout: 20_000 }).toBe('sent');
    expect(hook.requests).toHaveLength(2);
    // Signed with the secret the unit head typed.
    expect(hook.requests[1]!.url.searchParams.get('sign')).toBeTruthy();
    await choose(adminPage, '状态', '已发送');
    await expect
      .poll(() => adminPage.getByRole('row').filter({ hasText: subject }).textContent(), { timeout: 10_000 })
      .toContain('已发送');
  }, 180_000);
});
