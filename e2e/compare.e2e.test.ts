import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.ts';
import { CLI_ACTOR } from '../src/server/services/context.ts';
import { createServices } from '../src/server/services/index.ts';
import { fixturesAvailable, readFixture, SHANGHAI_2020, SHANGHAI_2024 } from '../test/fixtures.ts';
import type { E2E } from './harness.ts';
import { browserAvailable, snap, startE2E } from './harness.ts';
import { createPerson, PHONE, signIn } from './ui.ts';

describe.skipIf(!browserAvailable() || !fixturesAvailable(SHANGHAI_2024))(
  'comparing two versions of a real regulation side by side, in a real browser',
  () => {
    let e2e: E2E;
    beforeAll(async () => {
      e2e = await startE2E();
    }, 120_000);
    afterAll(async () => {
      await e2e?.close();
    });

    it('shows the Shanghai regulation of 2020 against 2024 with the counts the server computes', async () => {
      const services = createServices({ database: e2e.server.database, config: loadConfig({}) });
      const unit = await services.units.createUnit(CLI_ACTOR, {
        code: 'SFB',
        name: '市司法局',
        level: 'city',
      });
      const organizer = await createPerson(services, '法规处编制', ['organizer'], unit.id);
      const actor = organizer.actor;
      const plan = await services.plans.createPlan(actor, { name: '上海市优化营商环境条例' });
      const v1 = await services.drafts.importVersion(actor, {
        planId: plan.id,
        fileName: '上海市优化营商环境条例(2020).md',
        data: readFixture(SHANGHAI_2020),
      });
      const v2 = await services.drafts.importVersion(actor, {
        planId: plan.id,
        fileName: '上海市优化营商环境条例(2024).md',
        data: readFixture(SHANGHAI_2024),
      });
      const diff = await services.drafts.diff(actor, v2.version.id, v1.version.id);
      const count = (status: string) => diff.filter((d) => d.status === status).length;
      const differing = diff.length - count('unchanged');
      expect(count('changed')).toBeGreaterThan(10);

      const page = await signIn(e2e, organizer, { width: 1280, height: 900 });
      await page.goto(`${e2e.url}/plans/${plan.id}`);
      await page.getByRole('link', { name: '版本对照' }).click();
      await expect.poll(() => page.url()).toContain(`/versions/${v2.version.id}/compare`);
      const summary = page.getByTestId('diff-summary');
      await expect.poll(() => summary.textContent()).toContain(`共 ${diff.length} 条`);
      expect(await summary.textContent()).toContain(`修改 ${count('changed')}`);
      expect(await summary.textContent()).toContain(`新增 ${count('added')}`);
      expect(await summary.textContent()).toContain(`删除 ${count('removed')}`);
      // By default everything but the unchanged clauses is listed.
      await expect.poll(() => page.getByTestId('diff-row').count()).toBe(differing);
      expect(await page.locator('[data-status="changed"] del').count()).toBeGreaterThan(0);
      expect(await page.locator('[data-status="changed"] ins').count()).toBeGreaterThan(0);
      await snap(page, 'compare-desktop');

      // Only the additions, then everything.
      for (const label of ['修改', '删除', '仅编号变化']) {
        await page.getByRole('checkbox', { name: new RegExp(`^${label} \\(`) }).uncheck();
      }
      await expect.poll(() => page.getByTestId('diff-row').count()).toBe(count('added'));
      await page.getByRole('checkbox', { name: /^未变 \(/ }).check();
      await expect.poll(() => page.getByTestId('diff-row').count()).toBe(count('added') + count('unchanged'));

      // On a phone the two sides stack.
      const phone = await signIn(e2e, organizer, PHONE);
      await phone.goto(`${e2e.url}/versions/${v2.version.id}/compare?against=${v1.version.id}`);
      await expect.poll(() => phone.getByTestId('diff-row').count()).toBe(differing);
      const row = phone.getByTestId('diff-row').first();
      const [left, right] = await Promise.all([
        row.getByLabel('原版本').boundingBox(),
        row.getByLabel('新版本').boundingBox(),
      ]);
      expect(right!.y).toBeGreaterThan(left!.y);
      await snap(phone, 'compare-phone');
    });
  },
);
