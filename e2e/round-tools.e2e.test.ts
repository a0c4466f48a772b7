import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.ts';
import type { Role } from '../src/server/db/schema.ts';
import { CLI_ACTOR } from '../src/server/services/context.ts';
import type { Services } from '../src/server/services/index.ts';
import { createServices } from '../src/server/services/index.ts';
import { sheetRows } from '../test/documents.ts';
import type { E2E } from './harness.ts';
import { browserAvailable, snap, startE2E } from './harness.ts';
import { choose, confirmVia, createPerson, signIn } from './ui.ts';

const DESKTOP = { width: 1440, height: 900 };

const DRAFT = [
  '# 某省“十五五”综合交通运输发展规划（征求意见稿）',
  '',
  '## 第一章 总体要求',
  '',
  '第一条 坚持以人民为中心的发展思想，加快建设人民满意交通。',
  '',
  '第二条 到2030年，全省高速公路通车里程达到8000公里，县县通高速。',
  '',
  '## 第二章 重点任务',
  '',
  '第三条 完善综合立体交通网，推进铁路、公路、水运、航空协调发展。',
  '',
  '第四条 推动交通运输绿色低碳转型，提高新能源车辆比例。',
].join('\n');

const TEMPLATE = '该事项属于其他部门职责，已转有关部门研究办理。';

/** The next day of `date` (YYYY-MM-DD) plus `days`. */
const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!browserAvailable())(
  'the organizer’s round tools: filters, bulk disposition, reminders, extensions, per-unit exports',
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

    const person = (name: string, roles: Role[], unitId: string) =>
      createPerson(services, name, roles, unitId);

    async function clear(page: Page, label: string): Promise<void> {
      const select = page.locator('.ant-form-item').filter({ has: page.getByLabel(label, { exact: true }) });
      await select.hover();
      await select.locator('.ant-select-clear').click();
    }

    const count = (page: Page) => page.getByTestId('opinion-count').textContent();
    /** The opinion table's rows (the only virtual table; its rows are divs without the row role). */
    const opinionRows = (page: Page) => page.locator('.ant-table-tbody-virtual .ant-table-row');
    const db = () => e2e.server.database.db;

    it('filters by priority and quality, bulk-proposes with a template, reminds, extends and exports per unit', async () => {
      // ---- set-up through the services: a plan, an open round, one unit's sent reply ----
      const fgw = await services.units.createUnit(CLI_ACTOR, {
        code: 'FGW',
        name: '省发展改革委',
        level: 'province',
      });
      const jtt = await services.units.createUnit(CLI_ACTOR, {
        code: 'JTT',
        name: '省交通运输厅',
        level: 'province',
      });
      const czt = await services.units.createUnit(CLI_ACTOR, {
        code: 'CZT',
        name: '省财政厅',
        level: 'province',
      });
      const organizer = await person('规划处张编制', ['organizer'], fgw.id);
      const liaison = await person('交通厅赵联络', ['liaison'], jtt.id);
      const head = await person('交通厅钱处长', ['unit_head'], jtt.id);
      const financeLiaison = await person('财政厅孙联络', ['liaison'], czt.id);

      const plan = await services.plans.createPlan(organizer.actor, { name: '综合交通运输发展规划' });
      const imported = await services.drafts.importVersion(organizer.actor, {
        planId: plan.id,
        fileName: 'draft.md',
        data: Buffer.from(DRAFT),
      });
      const articles = await db()
        .selectFrom('clause')
        .select(['stable_id', 'number'])
        .where('version_id', '=', imported.version.id)
        .where('kind', '=', 'article')
        .orderBy('position')
        .execute();
      const round = await services.rounds.createRound(organizer.actor, plan.id, {
        versionId: imported.version.id,
        title: '第一轮部门征求意见',
        kind: 'internal',
        opensAt: new Date().toISOString(),
        workingDays: 10,
        scope: null,
        visibility: 'after_close',
        silencePolicy: 'no_reply',
        invitations: [{ unitId: jtt.id }, { unitId: czt.id }],
      });
      await services.rounds.scheduleRound(organizer.actor, round.id);
      await services.rounds.openRound(organizer.actor, round.id);
      const invitations = await services.rounds.listInvitations(organizer.actor, round.id);
      const jttInvitation = invitations.find((i) => i.unitId === jtt.id)!;
      const cztInvitation = invitations.find((i) => i.unitId === czt.id)!;

      const opinion = (clause: number | null, suggestion: string, reasons: string | null) =>
        services.opinions.createOpinion(liaison.actor, round.id, {
          clauseStableId: clause === null ? null : articles[clause]!.stable_id,
          suggestion,
          reasons,
          kind: 'substantive',
        });
      const core1 = await opinion(
        1,
        '建议将高速公路通车里程目标由8000公里调整为8500公里。',
        '根据国家综合立体交通网规划纲要和本省在建项目测算，2030年可建成8500公里。',
      );
      const core2 = await opinion(
        2,
        '建议增加“建设沿江高铁通道”的表述。',
        '沿江高铁已列入国家中长期铁路网规划，应在本规划中体现。',
      );
      await opinion(3, '建议将新能源车辆比例目标明确为40%。', '参照国家新能源汽车产业发展规划。');
      await opinion(0, '同意', null);
      await services.replies.submitForReview(liaison.actor, jttInvitation.id);
      await services.replies.signOff(head.actor, jttInvitation.id);
      await services.replies.send(liaison.actor, jttInvitation.id, { position: 'agree_with_amendments' });
      for (const o of [core1, core2]) {
        await services.dispositions.assessOpinion(organizer.actor, o.id, { priority: 'core' });
      }
      const until = addDays(round.deadline, 7);
      const extension = await services.rounds.requestExtension(financeLiaison.actor, cztInvitation.id, {
        until,
        reason: '需征求市县财政部门意见',
      });

      // ---- 1. the monitor: remind the silent unit, then everyone not yet sent ----
      const org = await signIn(e2e, organizer, DESKTOP);
      await org.goto(`${e2e.url}/rounds/${round.id}`);
      await expect.poll(() => org.getByTestId('round-status').textContent()).toBe('征求中');
      expect(await org.getByRole('link', { name: /轮次统计/ }).getAttribute('href')).toBe(
        `/rounds/${round.id}/metrics`,
      );
      // The unit that sent cannot be reminded; the silent one can.
      await expect.poll(() => org.getByRole('button', { name: '催办 省交通运输厅' }).count()).toBe(0);
      await org.getByRole('button', { name: '催办 省财政厅' }).click();
      await expect
        .poll(() => org.getByRole('status').first().textContent())
        .toContain('已向省财政厅发出催办并登记（第 1 次）');
      await expect.poll(() => org.getByTestId('last-reminded').textContent()).toContain('已催办 1 次');
      await snap(org, 'round-01-reminded');
      await confirmVia(org, org.getByRole('button', { name: '催办全部未回复单位（1）' }));
      await expect.poll(() => org.getByTestId('last-reminded').textContent()).toContain('已催办 2 次');
      const reminded = await db()
        .selectFrom('round_invitation')
        .select(['reminder_count', 'last_reminded_at'])
        .where('id', '=', cztInvitation.id)
        .executeTakeFirstOrThrow();
      expect(Number(reminded.reminder_count)).toBe(2);
      expect(reminded.last_reminded_at).not.toBeNull();
      const reminderEvents = await db()
        .selectFrom('ledger_event')
        .select('entity_id')
        .where('event', '=', 'invitation.reminded')
        .execute();
      expect(reminderEvents.map((e) => e.entity_id)).toEqual([cztInvitation.id, cztInvitation.id]);

      // ---- 2. the extension request, with its working days, granted ----
      const extensions = org.getByTestId('extensions');
      await expect.poll(() => extensions.textContent()).toContain(until);
      await expect
        .poll(() => extensions.textContent())
        .toContain(`较本轮截止日延长 ${extension.extraWorkingDays} 个工作日`);
      expect(extension.extraWorkingDays).toBeGreaterThan(0);
      await snap(org, 'round-02-extension-request');
      await confirmVia(org, extensions.getByRole('button', { name: '同意延期 省财政厅' }));
      await expect.poll(() => extensions.textContent()).toContain('已同意');
      await expect.poll(() => org.getByText(`${until} (已延期)`).count()).toBe(1);
      await snap(org, 'round-03-extension-granted');
      const granted = await db()
        .selectFrom('extension_request')
        .innerJoin('round_invitation', 'round_invitation.id', 'extension_request.invitation_id')
        .select(['extension_request.status', 'round_invitation.deadline'])
        .where('extension_request.id', '=', extension.id)
        .executeTakeFirstOrThrow();
      expect(granted).toEqual({ status: 'granted', deadline: until });

      // ---- 3. the opinion table: filters by priority and by quality ----
      await org.getByRole('tab', { name: '意见' }).click();
      await expect.poll(() => count(org)).toContain('共 4 条意见');
      await choose(org, '按优先级筛选', '核心');
      await expect.poll(() => count(org)).toContain('共 2 条意见');
      await snap(org, 'round-04-filter-priority');
      await clear(org, '按优先级筛选');
      await expect.poll(() => count(org)).toContain('共 4 条意见');
      await choose(org, '按质量筛选', '存在问题：空泛');
      await expect.poll(() => count(org)).toContain('共 1 条意见');
      await expect.poll(() => opinionRows(org).first().textContent()).toContain('同意');
      await choose(org, '按质量筛选', '有效意见');
      await expect.poll(() => count(org)).toContain('共 3 条意见');
      await snap(org, 'round-05-filter-quality');
      await clear(org, '按质量筛选');

      // ---- 4. a reason template, kept in the small modal ----
      await org.getByRole('button', { name: '理由模板' }).click();
      const modal = () => org.locator('.ant-modal').filter({ visible: true });
      await expect.poll(() => modal().textContent()).toContain('暂无理由模板');
      await choose(org, '处理结果', '解释说明');
      await choose(org, '依据类别', '职责分工');
      await modal().getByLabel('理由内容').fill(TEMPLATE);
      await modal().getByRole('button', { name: '新增模板' }).click();
      await expect.poll(() => modal().getByTestId('reason-templates').textContent()).toContain(TEMPLATE);
      await snap(org, 'round-06-templates');
      await modal().getByRole('button', { name: '关闭' }).first().click();
      await expect.poll(() => modal().count()).toBe(0);

      // ---- 5. bulk: select all core opinions, propose 解释说明 with the template ----
      await choose(org, '按优先级筛选', '核心');
      await expect.poll(() => count(org)).toContain('共 2 条意见');
      await org.getByRole('button', { name: '选中全部 2 条符合条件的意见' }).click();
      await expect.poll(() => org.getByTestId('picked-count').textContent()).toBe('已选 2 条');
      await org.getByRole('button', { name: '批量处理' }).click();
      await expect.poll(() => modal().textContent()).toContain('已选 2 条');
      await choose(org, '处理结果', '解释说明');
      await choose(org, '理由模板', TEMPLATE);
      await expect.poll(() => modal().getByLabel('处理理由').inputValue()).toBe(TEMPLATE);
      await modal().getByRole('button', { name: '对 2 条意见提交' }).click();
      await expect
        .poll(() => modal().getByTestId('bulk-result').textContent())
        .toContain('已对 2 条意见提出处理意见，待审核');
      await snap(org, 'round-07-bulk-proposed');
      await modal()
        .getByRole('button', { name: /关闭|Close/ })
        .first()
        .click();
      await expect.poll(() => opinionRows(org).filter({ hasText: '待审核' }).count()).toBe(2);
      await expect.poll(() => org.getByTestId('picked-count').textContent()).toBe('已选 0 条');
      const proposed = await db()
        .selectFrom('disposition')
        .innerJoin('opinion', 'opinion.id', 'disposition.opinion_id')
        .select(['disposition.opinion_id', 'disposition.code', 'disposition.reason', 'disposition.basis'])
        .where('disposition.status', '=', 'proposed')
        .where('opinion.round_id', '=', round.id)
        .orderBy('opinion.reg_no')
        .execute();
      expect(proposed.map((d) => d.opinion_id).sort()).toEqual([core1.id, core2.id].sort());
      for (const d of proposed) {
        expect(d).toMatchObject({ code: 'explained', reason: TEMPLATE, basis: 'responsibilities' });
      }
      const statuses = await db()
        .selectFrom('opinion')
        .select(['id', 'disposition_status'])
        .where('round_id', '=', round.id)
        .execute();
      expect(
        statuses
          .filter((o) => o.disposition_status === 'proposed')
          .map((o) => o.id)
          .sort(),
      ).toEqual([core1.id, core2.id].sort());

      // ---- 6. a per-unit export: the opinion summary of 省交通运输厅 ----
      await org.getByRole('tab', { name: '导出' }).click();
      await choose(org, '选择单位', '省交通运输厅');
      const [download] = await Promise.all([
        org.waitForEvent('download'),
        org.getByRole('link', { name: '意见汇总表（省交通运输厅） .xlsx' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/省交通运输厅\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(await download.path());
      const rows = sheetRows(workbook.worksheets[0]!);
      expect(rows).toHaveLength(5);
      const unitColumn = rows[0]!.indexOf('提出单位');
      expect(rows.slice(1).every((r) => r[unitColumn] === '省交通运输厅')).toBe(true);
      await snap(org, 'round-08-unit-export');
    }, 300_000);
  },
);
