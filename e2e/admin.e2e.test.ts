import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './harness.ts';
import { browserAvailable, snap, startE2E } from './harness.ts';
import {
  choose,
  confirm as confirmOpen,
  fitsWidth,
  newPage,
  openPopconfirm,
  PHONE,
  submitSignIn,
  visible,
} from './ui.ts';

const ADMIN_PASSWORD = 'admin-new-password-1';

/** The unit directory as a planning office keeps it in Excel: Chinese headers, a child before its parent. */
const UNITS_CSV = [
  '编码,名称,上级编码,层级,职责领域,关键词',
  '330106,西湖区发改局,330100,县,发展规划,西湖',
  '330100,杭州市发改委,330000,市,发展规划、投资,杭州',
  '330000,浙江省发改委,,省,发展规划|投资|价格,规划',
  '330108,滨江区发改局,330100,县,,',
].join('\r\n');

const BAD_CSV = ['code,name,parent_code,level', 'X1,某单位,,乡镇', 'X2,,,county'].join('\n');

const pad = (n: number) => String(n).padStart(2, '0');

/** Polls like expect.poll, but allows for page loads on a busy machine. */
const until = <T>(check: () => T | Promise<T>) => expect.poll(check, { timeout: 10_000 });

describe.skipIf(!browserAvailable())('the administrator’s pages, in a real browser', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  /** Confirms the open Popconfirm and waits until it has gone (the buttons under it stay). */
  async function confirm(page: Page, okText: string): Promise<void> {
    await confirmOpen(page, okText);
    await until(() => openPopconfirm(page).count()).toBe(0);
  }

  async function changePassword(page: Page, current: string, next: string): Promise<void> {
    await until(() => page.getByText('修改初始密码').isVisible()).toBe(true);
    await page.getByLabel('当前密码').fill(current);
    await page.getByLabel('新密码').fill(next);
    await page.getByRole('button', { name: '保存' }).click();
    await until(() => page.getByTestId('current-user').isVisible()).toBe(true);
  }

  /** Picks a node of the antd TreeSelect labelled `label` in the open dialog, until the dialog shows it. */
  async function chooseInTree(page: Page, label: string, node: string): Promise<void> {
    const dialog = page.getByRole('dialog');
    await expect
      .poll(async () => {
        if (!(await dialog.textContent())?.includes(node)) {
          await page.getByLabel(label, { exact: true }).click();
          await page
            .locator('.ant-select-dropdown')
            .filter({ visible: true })
            .locator(`.ant-select-tree-node-content-wrapper[title="${node}"]`)
            .click({ timeout: 2_000 })
            .catch(() => undefined);
        }
        return (await dialog.textContent())?.includes(node);
      })
      .toBe(true);
  }

  it('imports units, creates a user who signs in, marks a holiday, and speaks English', async () => {
    // ---- the first administrator signs in with the one-time password and chooses a new one ----
    const admin = await newPage(e2e);
    await submitSignIn(admin, e2e, e2e.admin.login, e2e.admin.password);
    await changePassword(admin, e2e.admin.password, ADMIN_PASSWORD);

    // ---- units: a refused file names its rows, a good one builds the tree ----
    await admin.getByRole('link', { name: '单位管理' }).click();
    await until(visible(admin, '尚无单位')).toBe(true);
    const template = await admin.getByTestId('unit-csv-template').getAttribute('href');
    expect(template?.startsWith('data:text/csv;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(template ?? '')).toContain('编码,名称,上级编码,层级,职责领域,关键词');

    const fileInput = admin.locator('input[type="file"]');
    await fileInput.setInputFiles({
      name: '有误的名录.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(BAD_CSV),
    });
    const problems = admin.getByTestId('unit-import-problems');
    await until(() => problems.isVisible()).toBe(true);
    await until(() => problems.textContent()).toContain('未导入任何单位');
    await expect
      .poll(() => problems.getByRole('row').filter({ hasText: '层级' }).textContent())
      .toContain('2');
    await expect
      .poll(() => problems.getByRole('row').filter({ hasText: '名称' }).textContent())
      .toContain('3');
    await snap(admin, 'admin-units-import-problems');

    await fileInput.setInputFiles({
      name: '单位名录.csv',
      mimeType: 'text/csv',
      buffer: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(UNITS_CSV, 'utf8')]),
    });
    const result = admin.getByTestId('unit-import-result');
    await until(() => result.isVisible()).toBe(true);
    await until(() => result.textContent()).toContain('新增 4 个');
    const tree = admin.getByTestId('unit-tree');
    await until(() => tree.locator('tr.ant-table-row-level-0').textContent()).toContain('浙江省发改委');
    await until(() => tree.locator('tr.ant-table-row-level-1').textContent()).toContain('杭州市发改委');
    await until(() => tree.locator('tr.ant-table-row-level-2').count()).toBe(2);
    await until(() => tree.textContent()).toContain('滨江区发改局');
    await until(() => tree.textContent()).toContain('价格');
    await snap(admin, 'admin-units-tree');

    // Edit a unit's name; a unit with sub-units cannot be deleted, an unused one can, after confirming.
    await admin.getByRole('button', { name: '编辑 滨江区发改局' }).click();
    await admin.getByLabel('单位名称', { exact: true }).fill('滨江区发展和改革局');
    await admin.getByRole('button', { name: '保存' }).click();
    await until(() => tree.textContent()).toContain('滨江区发展和改革局');
    await admin.getByRole('button', { name: '删除 杭州市发改委' }).click();
    await confirm(admin, '删除');
    await until(visible(admin, /无法删除「杭州市发改委」：仍有下级单位 2 个/)).toBe(true);
    await admin.getByRole('button', { name: '删除 滨江区发展和改革局' }).click();
    await confirm(admin, '删除');
    await until(() => tree.locator('tr.ant-table-row-level-2').count()).toBe(1);
    await until(() => tree.textContent()).not.toContain('滨江区');

    // ---- users: a liaison of the city unit, with a one-time password drawn by the server ----
    await admin.getByRole('link', { name: '用户管理' }).click();
    await until(() => admin.getByTestId('user-table').textContent()).toContain(e2e.admin.login);
    await admin.getByRole('button', { name: '新建用户' }).click();
    const login = `liaison-${Date.now().toString(36)}`;
    await admin.getByLabel('账号', { exact: true }).fill(login);
    await admin.getByLabel('姓名', { exact: true }).fill('杭州市联络员');
    await choose(admin, '角色', '部门联络员');
    // A multiple select stays open after a choice: clicking elsewhere in the form closes it.
    await admin.getByLabel('姓名', { exact: true }).click();
    await chooseInTree(admin, '所属单位', '杭州市发改委');
    await snap(admin, 'admin-user-create-form');
    await admin.getByRole('button', { name: '创建' }).click();
    const reveal = admin.getByTestId('one-time-password');
    await until(() => reveal.isVisible()).toBe(true);
    const oneTimePassword = (await reveal.textContent())?.trim() ?? '';
    expect(oneTimePassword).toMatch(/^\w{4}-\w{4}-\w{4}$/);
    expect(await admin.getByRole('button', { name: /复制/ }).count()).toBeGreaterThan(0);
    await snap(admin, 'admin-user-one-time-password');
    await admin.getByRole('button', { name: '我已记下，关闭' }).click();
    const row = admin.getByTestId('user-table').getByRole('row').filter({ hasText: login });
    await until(() => row.textContent()).toContain('杭州市发改委');
    await until(() => row.textContent()).toContain('部门联络员');
    await until(() => row.textContent()).toContain('待改初始密码');
    await snap(admin, 'admin-users');

    // ---- the new user signs in with it, must choose a password, and may not open the admin pages ----
    const liaison = await newPage(e2e, PHONE);
    await submitSignIn(liaison, e2e, login, oneTimePassword);
    await changePassword(liaison, oneTimePassword, 'liaison-password-1');
    await until(() => liaison.getByTestId('current-user').textContent()).toContain('杭州市联络员');
    await liaison.goto(`${e2e.url}/admin/users`);
    await until(visible(liaison, '无权访问')).toBe(true);
    await snap(liaison, 'admin-no-permission-phone');

    // ---- calendar: a local holiday in the middle of this month, shown on the grid ----
    await admin.getByRole('link', { name: '节假日' }).click();
    await until(() => admin.getByTestId('holiday-calendar').isVisible()).toBe(true);
    // A weekday of the month on screen: the 15th, or the Monday after it.
    const now = new Date();
    let day = 15;
    while ([0, 6].includes(new Date(now.getFullYear(), now.getMonth(), day).getDay())) {
      day++;
    }
    const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(day)}`;
    await admin.locator(`td[title="${date}"]`).click();
    const dialog = admin.getByRole('dialog');
    await until(() => dialog.textContent()).toContain(`调整 ${date}`);
    await dialog.getByLabel('放假（休息日）').check();
    await dialog.getByLabel('名称').fill('地方纪念日');
    await dialog.getByLabel('本地').check();
    await dialog.getByRole('button', { name: '保存调整' }).click();
    await until(() => dialog.isVisible()).toBe(false);
    const cell = admin.locator(`td[title="${date}"]`);
    await until(() => cell.textContent()).toContain('地方纪念日');
    await until(() => cell.textContent()).toContain('休');
    await until(() => admin.getByTestId('calendar-overrides').textContent()).toContain('地方纪念日');
    await admin.getByLabel('工作日数').fill('10');
    await until(() => admin.getByTestId('deadline-result').textContent()).toContain('截止日');
    await snap(admin, 'admin-calendar');

    // The built-in official calendar: National Day 2026 and its make-up workday on Saturday 10 October.
    await admin.getByLabel('跳转到月份').fill('2026-10');
    await until(() => admin.getByTestId('calendar-month').textContent()).toBe('2026年10月');
    await until(() => admin.locator('td[title="2026-10-01"]').textContent()).toContain('国庆节');
    await until(() => admin.locator('td[title="2026-10-10"]').textContent()).toContain('班');
    await snap(admin, 'admin-calendar-national-day');

    // ---- English, once ----
    await admin.getByRole('button', { name: 'English' }).click();
    await until(visible(admin, 'Holidays and make-up workdays')).toBe(true);
    await until(visible(admin, 'Deadline calculator')).toBe(true);
    await until(() => admin.getByRole('button', { name: 'Next month' }).isVisible()).toBe(true);
    await snap(admin, 'admin-calendar-en');
  }, 180_000);

  it('fits a phone screen (375 px) on every admin page', async () => {
    const page = await newPage(e2e, PHONE);
    await submitSignIn(page, e2e, e2e.admin.login, ADMIN_PASSWORD);
    await until(() => page.getByTestId('current-user').isVisible()).toBe(true);
    for (const [path, ready, name] of [
      ['/admin/units', () => page.getByTestId('unit-tree').isVisible(), 'units'],
      ['/admin/users', () => page.getByTestId('user-table').isVisible(), 'users'],
      ['/admin/calendar', () => page.getByTestId('holiday-calendar').isVisible(), 'calendar'],
    ] as const) {
      await page.goto(`${e2e.url}${path}`);
      await until(ready).toBe(true);
      expect(await fitsWidth(page), `${path} is wider than the phone`).toBe(true);
      await snap(page, `admin-${name}-phone`);
    }
  }, 60_000);
});
