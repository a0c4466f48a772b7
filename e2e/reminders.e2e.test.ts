import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.ts';
import { CLI_ACTOR } from '../src/server/services/context.ts';
import type { Services } from '../src/server/services/index.ts';
import { createServices } from '../src/server/services/index.ts';
import { markReplied } from '../test/reminder-factories.ts';
import type { E2E } from './harness.ts';
import { browserAvailable, snap, startE2E } from './harness.ts';
import { PHONE, createPerson, fitsWidth, signIn, visible } from './ui.ts';

const DRAFT = [
  '# 某省数字经济发展规划（征求意见稿）',
  '',
  '第一条 加快数字基础设施建设。',
  '',
  '第二条 到2030年，数字经济核心产业增加值占地区生产总值比重达到15%。',
].join('\n');

/** An instant at 10:00 Beijing time on a China-local day. */
const beijing = (day: string): Date => new Date(`${day}T10:00:00+08:00`);

describe.skipIf(!browserAvailable())(
  'reminders and supervision in the round monitor, in a real browser',
  () => {
    let e2e: E2E;
    let services: Services;
    beforeAll(async () => {
      e2e = await startE2E();
      services = createServices({ database: e2e.server.database, config: loadConfig({}) });
    }, 120_000);
    afterAll(async () => {
      await e2e?.close();
    });

    /** The reminders tab of the round page. */
    async function openReminders(page: Page, roundId: string): Promise<void> {
      await page.goto(`${e2e.url}/rounds/${roundId}`);
      await page.getByRole('tab', { name: '催办督办' }).click();
      await expect
        .poll(() => page.getByTestId('reminders-panel').isVisible(), { timeout: 10_000 })
        .toBe(true);
    }

    const rowOf = (page: Page, unit: string) =>
      page.getByTestId('reminders-panel').locator('.ant-table-row').filter({ hasText: unit });

    it('shows the schedule, keeps the settings, sends a reminder by hand and shows the automatic ones', async () => {
      // ---- set-up through the services: an open round, one unit silent, one that has replied ----
      const fgw = await services.units.createUnit(CLI_ACTOR, {
        code: 'FGW',
        name: '省发展改革委',
        level: 'province',
      });
      const jxt = await services.units.createUnit(CLI_ACTOR, {
        code: 'JXT',
        name: '省工业和信息化厅',
        level: 'province',
      });
      const kjt = await services.units.createUnit(CLI_ACTOR, {
        code: 'KJT',
        name: '省科学技术厅',
        level: 'province',
      });
      const organizer = await createPerson(services, '规划处张编制', ['organizer'], fgw.id);
      await createPerson(services, '工信厅赵联络', ['liaison'], jxt.id);
      await createPerson(services, '工信厅钱处长', ['unit_head'], jxt.id);
      const plan = await services.plans.createPlan(organizer.actor, { name: '数字经济发展规划' });
      const imported = await services.drafts.importVersion(organizer.actor, {
        planId: plan.id,
        fileName: 'draft.md',
        data: Buffer.from(DRAFT),
      });
      const round = await services.rounds.createRound(organizer.actor, plan.id, {
        versionId: imported.version.id,
        title: '第一轮部门征求意见',
        kind: 'internal',
        opensAt: new Date().toISOString(),
        workingDays: 10,
        scope: null,
        visibility: 'after_close',
        silencePolicy: 'no_reply',
        invitations: [{ unitId: jxt.id }, { unitId: kjt.id }],
      });
      await services.rounds.scheduleRound(organizer.actor, round.id);
      await services.rounds.openRound(organizer.actor, round.id);
      const invitations = await services.rounds.listInvitations(organizer.actor, round.id);
      const jxtInvitation = invitations.find((i) => i.unitId === jxt.id)!;
      const kjtInvitation = invitations.find((i) => i.unitId === kjt.id)!;
      await markReplied(e2e.server.database, kjtInvitation.id);
      const defaults = await services.reminders.getSettings(organizer.actor, round.id);
      expect(defaults.beforeDays).toEqual([3, 1]);

      // ---- 1. the monitor's reminders tab: the schedule, and each unit's next reminder ----
      const page = await signIn(e2e, organizer);
      await openReminders(page, round.id);
      const schedule = page.getByTestId('reminder-schedule');
      await expect
        .poll(() => schedule.textContent())
        .toContain(`${defaults.schedule[0]!.dueOn}：截止前 3 个工作日`);
      expect(await schedule.textContent()).toContain('截止前 1 个工作日');
      expect(await schedule.textContent()).toContain('督办单位负责人');
      expect(await schedule.textContent()).toContain('报告规划牵头单位领导');
      const silent = rowOf(page, '省工业和信息化厅');
      const replied = rowOf(page, '省科学技术厅');
      await expect
        .poll(() => silent.getByTestId('next-reminder').textContent())
        .toBe(`${defaults.schedule[0]!.dueOn}截止前催办`);
      expect(await silent.getByTestId('deadline').textContent()).toMatch(/剩余 \d+ 个工作日/);
      expect(await replied.textContent()).toContain('已反馈，不再提醒');
      expect(await replied.getByRole('button', { name: '催办 省科学技术厅' }).isDisabled()).toBe(true);
      expect(await silent.getByRole('button', { name: '催办 省工业和信息化厅' }).isDisabled()).toBe(false);
      await snap(page, 'reminders-01-schedule');

      // ---- 2. the settings: the server's refusal shows on its field; 2 and 1 days are saved ----
      const settings = page.getByTestId('reminder-settings');
      const days = settings.getByLabel('截止前提醒（工作日）');
      await days.click();
      await days.press('Backspace');
      await days.press('Backspace');
      await days.fill('2');
      await days.press('Enter');
      await days.fill('1');
      await days.press('Enter');
      await page.keyboard.press('Escape');
      const leader = settings.getByLabel('督办单位负责人后再过几个工作日报告领导');
      await leader.fill('31');
      await settings.getByRole('button', { name: '保存设置' }).click();
      await expect
        .poll(() => settings.locator('.ant-form-item-explain-error').textContent(), { timeout: 10_000 })
        .toContain('未能保存');
      expect((await services.reminders.getSettings(organizer.actor, round.id)).isDefault).toBe(true);
      await leader.fill('2');
      await settings.getByRole('button', { name: '保存设置' }).click();
      await expect.poll(visible(page, '提醒设置已保存'), { timeout: 10_000 }).toBe(true);
      // The earlier refusal's message leaves with an animation.
      await expect
        .poll(() => settings.locator('.ant-form-item-explain-error').count(), { timeout: 5_000 })
        .toBe(0);
      const saved = await services.reminders.getSettings(organizer.actor, round.id);
      expect(saved).toMatchObject({ beforeDays: [2, 1], leaderAfterDays: 2, isDefault: false });
      await expect
        .poll(() => schedule.textContent())
        .toContain(`${saved.schedule[0]!.dueOn}：截止前 2 个工作日`);
      expect(await schedule.textContent()).not.toContain('截止前 3 个工作日');
      // Reloaded, the form and the schedule show what was saved.
      await page.reload();
      await page.getByRole('tab', { name: '催办督办' }).click();
      await expect.poll(() => schedule.textContent(), { timeout: 10_000 }).toContain('截止前 2 个工作日');
      const tags = await settings
        .locator('.ant-select')
        .filter({ has: page.getByLabel('截止前提醒（工作日）') })
        .textContent();
      expect(tags).toContain('2');
      expect(tags).toContain('1');
      expect(tags).not.toContain('3');
      await expect
        .poll(() => rowOf(page, '省工业和信息化厅').getByTestId('next-reminder').textContent())
        .toBe(`${saved.schedule[0]!.dueOn}截止前催办`);
      await snap(page, 'reminders-02-settings');

      // ---- 3. a reminder by hand, with a note, to the unit that has not replied ----
      const note = '请于截止日期前报送反馈意见 <b>谢谢</b>';
      await rowOf(page, '省工业和信息化厅').getByRole('button', { name: '催办 省工业和信息化厅' }).click();
      const dialog = page.getByRole('dialog');
      await expect.poll(() => dialog.textContent()).toContain('催办省工业和信息化厅');
      await dialog.getByLabel('附言（可选）').fill(note);
      await dialog.getByRole('button', { name: '发送催办' }).click();
      await expect.poll(visible(page, '已向省工业和信息化厅发送催办'), { timeout: 10_000 }).toBe(true);
      const sent = rowOf(page, '省工业和信息化厅').getByTestId('sent-reminder');
      await expect.poll(() => sent.count(), { timeout: 10_000 }).toBe(1);
      const manual = await sent.first().textContent();
      expect(manual).toContain('人工催办');
      expect(manual).toContain('规划处张编制发送');
      expect(manual).toContain('通知 2 人'); // the liaison and the head
      expect(manual).toContain(`附言：${note}`); // as text, not HTML
      expect(await sent.first().locator('b').count()).toBe(0);
      const stored = await e2e.server.database.db
        .selectFrom('reminder')
        .select(['rule', 'note', 'sent_by'])
        .where('invitation_id', '=', jxtInvitation.id)
        .execute();
      expect(stored).toEqual([{ rule: 'manual', note, sent_by: organizer.actor.userId }]);
      // The monitor's count follows.
      await page.getByRole('tab', { name: '回复进度' }).click();
      await expect
        .poll(() => page.getByTestId('last-reminded').first().textContent(), { timeout: 10_000 })
        .toContain('已催办 1 次');
      await page.getByRole('tab', { name: '催办督办' }).click();
      await snap(page, 'reminders-03-manual');

      // ---- 4. the automatic sweep on the day of the two-day reminder ----
      const sweeper = createServices({
        database: e2e.server.database,
        config: loadConfig({}),
        now: () => beijing(saved.schedule[0]!.dueOn),
      });
      const swept = await sweeper.reminders.sweep({ roundId: round.id });
      expect(swept.sent.map((s) => [s.invitationId, s.rule])).toEqual([
        [jxtInvitation.id, 'before_deadline'],
      ]);
      await page.reload();
      await page.getByRole('tab', { name: '催办督办' }).click();
      const after = rowOf(page, '省工业和信息化厅').getByTestId('sent-reminder');
      await expect.poll(() => after.count(), { timeout: 10_000 }).toBe(2);
      const automatic = await after.filter({ hasText: '截止前催办' }).textContent();
      expect(automatic).toContain('系统自动发送');
      expect(automatic).not.toContain('附言');
      // The next reminder moves on to the last working day before the deadline.
      await expect
        .poll(() => rowOf(page, '省工业和信息化厅').getByTestId('next-reminder').textContent())
        .toBe(`${saved.schedule[1]!.dueOn}截止前催办`);
      await snap(page, 'reminders-04-automatic');

      // ---- 5. on a phone: the panel fits, the table scrolls inside itself ----
      const phone = await signIn(e2e, organizer, PHONE);
      await phone.goto(`${e2e.url}/rounds/${round.id}`);
      await phone.getByRole('tab', { name: '催办督办' }).click();
      await expect
        .poll(() => phone.getByTestId('reminders-panel').isVisible(), { timeout: 10_000 })
        .toBe(true);
      expect(await fitsWidth(phone)).toBe(true);
      await snap(phone, 'reminders-05-phone');
    }, 180_000);
  },
);
