/**
 * What every browser test does in the app: sign people in on their own browser context, answer Ant
 * Design's confirmations and selects, and create the people of a scenario through the services.
 */
import { randomBytes } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Role } from '../src/server/db/schema.ts';
import type { Actor } from '../src/server/services/context.ts';
import { CLI_ACTOR } from '../src/server/services/context.ts';
import type { Services } from '../src/server/services/index.ts';
import type { E2E } from './harness.ts';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 740 };
/** The password of the people a scenario creates (no first-sign-in change). */
export const PASSWORD = 'e2e-password-123';

export interface Person {
  login: string;
  name: string;
  /** The person as the services see them, for setting a scenario up without the browser. */
  actor: Actor;
}

/** Creates a person with a known password through the services, as an administrator would. */
export async function createPerson(
  services: Services,
  name: string,
  roles: Role[],
  unitId: string | null,
): Promise<Person> {
  const login = `e2e-${randomBytes(3).toString('hex')}`;
  const user = await services.users.createUser(CLI_ACTOR, {
    login,
    name,
    roles,
    unitId,
    password: PASSWORD,
    mustChangePassword: false,
  });
  return { login, name, actor: { userId: user.id, login, name, roles, unitId, via: 'session' } };
}

/** A fresh browser context (zh-CN, downloads allowed), closed with the E2E. */
export async function newPage(e2e: E2E, viewport = DESKTOP): Promise<Page> {
  const context = await e2e.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true });
  return context.newPage();
}

/** Fills in the sign-in form of the page at the app's root. */
export async function submitSignIn(page: Page, e2e: E2E, login: string, password: string): Promise<void> {
  await page.goto(e2e.url);
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

/** Signs a person in on a fresh browser context, waiting for their home page. */
export async function signIn(
  e2e: E2E,
  person: { login: string; name: string },
  viewport = DESKTOP,
): Promise<Page> {
  const page = await newPage(e2e, viewport);
  await submitSignIn(page, e2e, person.login, PASSWORD);
  await expect
    .poll(() => page.getByTestId('current-user').textContent(), { timeout: 10_000 })
    .toContain(person.name);
  return page;
}

/** The Popconfirm open on the page. */
export const openPopconfirm = (page: Page) => page.locator('.ant-popconfirm').filter({ visible: true });

/**
 * Confirms the open Popconfirm with its OK button. It does not wait for the popup to close: when the
 * confirmed action removes the button the popup belongs to, the popup may linger while it animates out.
 */
export async function confirm(page: Page, okText = '确定'): Promise<void> {
  // An earlier confirmed popup may still be animating out: wait until this one is the only one shown.
  await expect.poll(() => openPopconfirm(page).count(), { timeout: 5_000 }).toBe(1);
  await openPopconfirm(page).getByRole('button', { name: okText }).click();
}

/**
 * Clicks `trigger` and confirms the Popconfirm it opens with its OK button. A popup confirmed just before
 * may still be animating out; until it is gone, the OK button found could be its own, which then
 * vanishes under the click: so no popup may be shown when the trigger is clicked.
 */
export async function confirmVia(page: Page, trigger: Locator, okText = '确定'): Promise<void> {
  await expect.poll(() => openPopconfirm(page).count(), { timeout: 5_000 }).toBe(0);
  await trigger.click();
  await confirm(page, okText);
}

/** Picks an option of the antd Select labelled `label`. */
export async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).click();
  await page
    .locator('.ant-select-dropdown')
    .filter({ visible: true })
    .locator(`.ant-select-item-option[title="${option}"]`)
    .click();
}

/** For expect.poll: whether a text is visible on the page. */
export const visible = (page: Page, text: string | RegExp) => () => page.getByText(text).first().isVisible();

/** Whether the page fits the viewport's width (tables scroll inside themselves). */
export const fitsWidth = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
