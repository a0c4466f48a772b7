import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './harness.ts';
import { browserAvailable, createAccount, snap, startE2E } from './harness.ts';

describe.skipIf(!browserAvailable())('signing in, in a real browser', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  it('moves nothing for people who asked their system for reduced motion', async () => {
    // The length of antd's motions, read where the sign-in button is.
    const motionOf = async (reducedMotion: 'reduce' | 'no-preference'): Promise<string> => {
      const context = await e2e.browser.newContext({ locale: 'zh-CN', reducedMotion });
      try {
        const page = await context.newPage();
        await page.goto(e2e.url);
        const button = page.getByRole('button', { name: '登录' });
        await expect.poll(() => button.isVisible()).toBe(true);
        return await button.evaluate((element) =>
          getComputedStyle(element).getPropertyValue('--ant-motion-duration-mid').trim(),
        );
      } finally {
        await context.close();
      }
    };
    expect(await motionOf('reduce')).toBe('0s');
    expect(await motionOf('no-preference')).toBe('0.2s');
  });

  for (const viewport of [
    { name: 'desktop', width: 1280, height: 800 },
    { name: 'phone', width: 375, height: 740 },
  ]) {
    it(`asks for a new password on the first sign-in, then switches to English (${viewport.name})`, async () => {
      const context = await e2e.browser.newContext({ viewport, locale: 'zh-CN' });
      const page = await context.newPage();
      const account = await createAccount(e2e, { roles: ['admin'], name: '系统管理员' });
      try {
        await page.goto(e2e.url);
        await expect.poll(() => page.getByRole('heading', { name: /登录/ }).isVisible()).toBe(true);
        await snap(page, `sign-in-${viewport.name}`);

        await page.getByLabel('账号').fill(account.login);
        await page.getByLabel('密码').fill('wrong-password-1');
        await page.getByRole('button', { name: '登录' }).click();
        await expect.poll(() => page.getByText('登录失败').isVisible()).toBe(true);

        await page.getByLabel('密码').fill(account.password);
        await page.getByRole('button', { name: '登录' }).click();
        await expect.poll(() => page.getByText('修改初始密码').isVisible()).toBe(true);
        await page.getByLabel('当前密码').fill(account.password);
        await page.getByLabel('新密码').fill('a-new-password-123');
        await page.getByRole('button', { name: '保存' }).click();
        await expect.poll(() => page.getByText('规划列表').isVisible(), { timeout: 10_000 }).toBe(true);
        await snap(page, `plans-zh-${viewport.name}`);
        expect(new URL(page.url()).pathname).toBe('/plans');

        await page.getByRole('button', { name: 'English' }).click();
        await expect.poll(() => page.getByText('Plans', { exact: true }).first().isVisible()).toBe(true);
        await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
        await snap(page, `plans-en-${viewport.name}`);
        await page.getByRole('button', { name: 'Sign out' }).click();
        await expect.poll(() => page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
      } finally {
        await context.close();
      }
    });
  }
});
