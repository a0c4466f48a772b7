import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.ts';
import type { Role } from '../src/server/db/schema.ts';
import { CLI_ACTOR } from '../src/server/services/context.ts';
import { createServices } from '../src/server/services/index.ts';
import type { E2E } from './harness.ts';
import { sheetRows } from '../test/documents.ts';
import { browserAvailable, snap, startE2E } from './harness.ts';
import { choose, confirmVia, createPerson, PHONE, signIn, visible } from './ui.ts';

/** A short 十五五-style draft: chapters (第一章) and articles (第一条). */
async function draftDocx(): Promise<Buffer> {
  const p = (text: string) => new Paragraph({ text });
  return Packer.toBuffer(
    new Document({
      sections: [
        {
          children: [
            new Paragraph({
              text: '某省“十五五”综合交通运输发展规划（征求意见稿）',
              heading: HeadingLevel.TITLE,
            }),
            new Paragraph({ text: '第一章　总体要求', heading: HeadingLevel.HEADING_1 }),
            p('第一条　坚持以人民为中心的发展思想，加快建设人民满意交通。'),
            p('第二条　到2030年，全省高速公路通车里程达到8000公里，县县通高速。'),
            new Paragraph({ text: '第二章　重点任务', heading: HeadingLevel.HEADING_1 }),
            p('第三条　完善综合立体交通网，推进铁路、公路、水运、航空协调发展。'),
            p('第四条　推动交通运输绿色低碳转型，提高新能源车辆比例。'),
          ],
        },
      ],
    }),
  );
}

describe.skipIf(!browserAvailable())(
  'a consultation round from draft to published revision, in a real browser',
  () => {
    let e2e: E2E;
    beforeAll(async () => {
      e2e = await startE2E();
    }, 120_000);
    afterAll(async () => {
      await e2e?.close();
    });

    it('imports a .docx draft, collects two opinions, disposes, reviews an objection, publishes and exports', async () => {
      // ---- set-up through the services: units and people (the UI is not the subject here) ----
      const services = createServices({ database: e2e.server.database, config: loadConfig({}) });
      const ndrc = await services.units.createUnit(CLI_ACTOR, {
        code: 'FGW',
        name: '省发展改革委',
        level: 'province',
        areas: ['规划'],
      });
      const transport = await services.units.createUnit(CLI_ACTOR, {
        code: 'JTT',
        name: '省交通运输厅',
        level: 'province',
        areas: ['交通运输'],
        keywords: ['公路', '铁路'],
      });
      const person = (name: string, roles: Role[], unitId: string) =>
        createPerson(services, name, roles, unitId);
      const organizer = await person('规划处张编制', ['organizer'], ndrc.id);
      const approver = await person('规划处李审核', ['organizer'], ndrc.id);
      const reviewer = await person('法规处王复核', ['organizer'], ndrc.id);
      const leader = await person('发展改革委陈主任', ['leader'], ndrc.id);
      const liaison = await person('交通厅赵联络', ['liaison'], transport.id);
      const head = await person('交通厅钱处长', ['unit_head'], transport.id);

      // ---- 1. the organizer creates the plan, imports the .docx draft, creates and opens a round ----
      const org = await signIn(e2e, organizer);
      await expect.poll(visible(org, '规划列表')).toBe(true);
      await org.getByRole('button', { name: '新建规划' }).click();
      await org.getByLabel('规划名称').fill('某省“十五五”综合交通运输发展规划');
      await org.getByRole('button', { name: '创建' }).click();
      await expect.poll(visible(org, '尚无草案版本，请上传草案。')).toBe(true);
      const planUrl = org.url();
      await org.locator('input[type="file"]').setInputFiles({
        name: '十五五综合交通规划（征求意见稿）.docx',
        mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        buffer: await draftDocx(),
      });
      const report = org.getByTestId('import-report');
      await expect.poll(() => report.isVisible(), { timeout: 15_000 }).toBe(true);
      await expect.poll(() => report.textContent()).toMatch(/已导入.*共 \d+ 条/);
      await expect.poll(() => report.textContent()).toContain('章');
      await expect.poll(visible(org, '第二条')).toBe(true);
      await snap(org, 'consultation-01-workspace-import');

      await org.getByRole('button', { name: '新建征求轮次' }).click();
      await org.getByLabel('轮次名称').fill('第一轮部门征求意见');
      // Ten working days always span the internal minimum of seven calendar days, whatever today is.
      await org.getByLabel('征求期限（工作日）').fill('10');
      await expect.poll(() => org.getByTestId('computed-deadline').textContent()).toContain('截止日');
      await expect.poll(() => org.getByTestId('computed-deadline').textContent()).not.toContain('期限不足');
      await org.getByRole('tree', { name: '征求单位' }).getByText('省交通运输厅').click();
      await expect.poll(visible(org, '已选 1 个单位')).toBe(true);
      await snap(org, 'consultation-02-wizard');
      await org.getByRole('button', { name: '创建轮次' }).click();
      await expect.poll(visible(org, '已创建：第一轮部门征求意见')).toBe(true);
      await org.getByRole('button', { name: '安排发布' }).click();
      await confirmVia(org, org.getByRole('button', { name: '开启征求' }), '确定');
      await expect
        .poll(() => org.getByTestId('round-status').textContent(), { timeout: 10_000 })
        .toBe('征求中');
      const roundUrl = org.url();
      await snap(org, 'consultation-03-round-open');

      // ---- 2. the liaison, on a phone, drafts two opinions; the head signs off and sends ----
      const lia = await signIn(e2e, liaison, PHONE);
      await expect.poll(visible(lia, '征求意见收件箱')).toBe(true);
      const invitation = lia.getByTestId('invitation').filter({ hasText: '第一轮部门征求意见' });
      await expect.poll(() => invitation.textContent()).toContain('待签收');
      await snap(lia, 'consultation-04-inbox-phone');
      await invitation.getByRole('button', { name: '打开' }).click();
      await expect.poll(visible(lia, '阅读草案')).toBe(true);
      await snap(lia, 'consultation-05-reply-draft-phone');

      const clause = (number: string) => lia.getByTestId('clause').filter({ hasText: number });
      await clause('第一条').getByRole('button', { name: '对此条提意见' }).click();
      await lia.getByLabel('具体建议').fill('同意');
      const hints = lia.getByTestId('quality-hints');
      await expect.poll(() => hints.textContent(), { timeout: 10_000 }).toContain('意见空泛');
      await snap(lia, 'consultation-06-vague-hint-phone');
      await lia.getByRole('button', { name: '保存草稿' }).click();
      await expect.poll(() => lia.getByTestId('opinion').count()).toBe(1);

      await lia.getByRole('tab', { name: '阅读草案' }).click();
      await clause('第二条').getByRole('button', { name: '对此条提意见' }).click();
      await lia.getByLabel('具体建议').fill('建议将高速公路通车里程目标由8000公里调整为8500公里。');
      await lia
        .getByLabel('理由依据')
        .fill('根据国家综合立体交通网规划纲要和本省在建项目测算，2030年可建成8500公里。');
      await lia.getByLabel('建议修改为').fill('到2030年，全省高速公路通车里程达到8500公里，县县通高速。');
      await lia.getByRole('button', { name: '保存草稿' }).click();
      await expect.poll(() => lia.getByTestId('opinion').count()).toBe(2);
      await snap(lia, 'consultation-07-opinions-phone');

      await lia.getByRole('tab', { name: '审核与发送' }).click();
      await confirmVia(lia, lia.getByRole('button', { name: '提交审核' }), '提交审核');
      await expect.poll(visible(lia, '等待部门负责人签发')).toBe(true);
      await snap(lia, 'consultation-08-submitted-phone');

      const hd = await signIn(e2e, head);
      await hd
        .getByTestId('invitation')
        .filter({ hasText: '第一轮部门征求意见' })
        .getByRole('button', { name: '打开' })
        .click();
      await hd.getByRole('tab', { name: '审核与发送' }).click();
      await confirmVia(hd, hd.getByRole('button', { name: '签发' }), '签发');
      await expect.poll(visible(hd, '发送回复')).toBe(true);
      await hd.getByRole('radio', { name: '有修改意见' }).check();
      await confirmVia(hd, hd.getByRole('button', { name: '发送', exact: true }), '发送');
      const receipt = hd.getByTestId('receipt');
      await expect.poll(() => receipt.textContent(), { timeout: 10_000 }).toContain('有修改意见');
      await expect.poll(() => receipt.textContent()).toContain('第 1 版');
      await snap(hd, 'consultation-09-receipt');

      // ---- the plan workspace: each clause's heat strip, and a clause's opinions in the drawer ----
      await org.goto(planUrl);
      const treeClause = (text: string) =>
        org.locator('[data-testid^="clause-"]').filter({ hasText: text }).first();
      const heat = (text: string) => treeClause(text).locator('.ant-tag');
      await expect
        .poll(() => heat('8000公里').allTextContents())
        .toEqual(['意见 1', '未办结 1', '修改建议 1']);
      await expect
        .poll(() => heat('人民满意交通').allTextContents())
        .toEqual(['意见 1', '未办结 1', '待完善 1']);
      expect(await heat('绿色低碳').count()).toBe(0);
      await treeClause('8000公里').getByText('第二条', { exact: true }).click();
      const clauseDrawer = org.locator('.ant-drawer').filter({ visible: true });
      await expect.poll(() => clauseDrawer.textContent()).toContain('8500公里');
      expect(await clauseDrawer.textContent()).not.toContain('同意');
      await snap(org, 'consultation-09b-workspace-heat');
      await clauseDrawer
        .getByRole('button', { name: /关闭|Close/ })
        .first()
        .click();

      // ---- 3. the organizer closes, assesses and proposes; a second organizer approves; feedback goes out ----
      await org.goto(roundUrl);
      await confirmVia(org, org.getByRole('button', { name: '截止征求' }), '确定');
      await expect.poll(() => org.getByTestId('round-status').textContent()).toBe('已截止');
      await org.getByRole('button', { name: '开始研判' }).click();
      await expect.poll(() => org.getByTestId('round-status').textContent()).toBe('研判中');
      await org.getByRole('tab', { name: '意见' }).click();
      await expect.poll(() => org.getByTestId('opinion-count').textContent()).toContain('共 2 条意见');
      await snap(org, 'consultation-10-opinion-table');

      // The table is virtualised: its rows are divs without the row role.
      const row = (page: Page, text: string) => page.locator('.ant-table-row').filter({ hasText: text });
      const drawer = (page: Page) => page.locator('.ant-drawer').filter({ visible: true });
      const closeDrawer = async (page: Page) => {
        await drawer(page)
          .getByRole('button', { name: /关闭|Close/ })
          .first()
          .click();
        await expect.poll(() => drawer(page).count()).toBe(0);
      };
      await row(org, '8500公里').getByRole('button', { name: /研判/ }).click();
      await choose(org, '处理结果', '采纳');
      await drawer(org).getByRole('button', { name: '提交处理意见' }).click();
      await expect.poll(() => drawer(org).textContent()).toContain('待审核');
      await snap(org, 'consultation-11-propose-adopted');
      await closeDrawer(org);
      await row(org, '同意').getByRole('button', { name: /研判/ }).click();
      await choose(org, '处理结果', '不采纳');
      await choose(org, '依据类别', '其他');
      await org.getByLabel('处理理由').fill('意见未提出具体修改内容，无法据以修改。');
      await drawer(org).getByRole('button', { name: '提交处理意见' }).click();
      await expect.poll(() => drawer(org).textContent()).toContain('待审核');
      await snap(org, 'consultation-12-propose-not-adopted');
      await closeDrawer(org);

      const apr = await signIn(e2e, approver);
      await apr.goto(roundUrl);
      await apr.getByRole('tab', { name: '意见' }).click();
      for (const text of ['8500公里', '同意']) {
        await row(apr, text).getByRole('button', { name: /研判/ }).click();
        await drawer(apr).getByRole('button', { name: '审核通过' }).click();
        await expect.poll(() => drawer(apr).textContent()).toContain('已审定');
        await closeDrawer(apr);
      }
      await expect.poll(() => row(apr, '同意').textContent()).toContain('已审定');
      await snap(apr, 'consultation-13-approved');

      await org.reload();
      await confirmVia(org, org.getByRole('button', { name: '发送反馈' }), '确定');
      await expect.poll(() => org.getByTestId('round-status').textContent()).toBe('反馈中');
      await snap(org, 'consultation-14-feedback-sent');

      // ---- 4. the liaison objects to the not-adopted opinion; a third organizer reviews it ----
      await lia.goto(`${e2e.url}/inbox`);
      await lia.getByRole('link', { name: '反馈函' }).click();
      await expect.poll(visible(lia, '意见采纳情况反馈函')).toBe(true);
      const notAdopted = lia.getByTestId('feedback-item').filter({ hasText: '不采纳' });
      await expect.poll(() => notAdopted.textContent()).toContain('意见未提出具体修改内容');
      await snap(lia, 'consultation-15-feedback-phone');
      await notAdopted.getByRole('button', { name: '提出异议' }).click();
      await notAdopted.getByLabel('异议理由').fill('本单位同意该条表述，请将意见记为“已体现”而非“不采纳”。');
      await confirmVia(lia, notAdopted.getByRole('button', { name: '提交异议' }), '提交异议');
      await expect.poll(() => notAdopted.textContent()).toContain('复核中');
      await snap(lia, 'consultation-16-objected-phone');

      const rev = await signIn(e2e, reviewer);
      await rev.goto(roundUrl);
      await rev.getByRole('tab', { name: '异议复核' }).click();
      await expect.poll(visible(rev, '待复核')).toBe(true);
      await rev.getByLabel('复核说明').fill('原处理依据充分，维持不采纳。');
      await rev.getByRole('button', { name: '提交复核' }).click();
      await expect.poll(visible(rev, '维持原处理')).toBe(true);
      await snap(rev, 'consultation-17-objection-reviewed');

      // ---- 5. the organizer accepts the proposed text and submits it; a leader approves; the organizer
      //         publishes and downloads 意见采纳情况表 ----
      await org.goto(`${planUrl}/revision`);
      await org.getByRole('button', { name: '开始修订' }).click();
      await org.getByRole('button', { name: /采用建议文本/ }).click();
      await expect.poll(visible(org, '已采用')).toBe(true);
      await expect.poll(visible(org, '共 1 处修改')).toBe(true);
      await snap(org, 'consultation-18-revision');
      await confirmVia(org, org.getByRole('button', { name: '提交审批' }), '提交审批');
      await expect.poll(() => org.getByTestId('revision-status').textContent()).toBe('待审批');

      const ldr = await signIn(e2e, leader);
      await ldr.goto(`${e2e.url}/approvals`);
      const pendingRevision = ldr.getByTestId('pending-revision');
      await expect.poll(() => pendingRevision.textContent()).toContain('共 1 处修改');
      await confirmVia(ldr, pendingRevision.getByRole('button', { name: /^批准/ }), '批准');
      await expect.poll(visible(ldr, '没有待审批的修改稿')).toBe(true);
      await snap(ldr, 'consultation-18b-revision-approved');

      await org.reload();
      await expect.poll(() => org.getByTestId('revision-status').textContent()).toBe('已批准');
      await confirmVia(org, org.getByRole('button', { name: '发布修改稿' }), '确定');
      await expect.poll(visible(org, /已发布 v2/), { timeout: 10_000 }).toBe(true);
      await snap(org, 'consultation-19-published');

      await org.goto(roundUrl);
      await org.getByRole('tab', { name: '导出' }).click();
      const [download] = await Promise.all([
        org.waitForEvent('download'),
        org.getByRole('link', { name: '意见采纳情况表 .xlsx' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(await download.path());
      const rows = sheetRows(workbook.worksheets[0]!);
      expect(rows).toHaveLength(3);
      expect(rows[0]).toContain('处理意见');
      const codeColumn = rows[0]!.indexOf('处理意见');
      const byText = (text: string) => rows.find((r) => r.some((cell) => cell.includes(text)))!;
      expect(byText('8500公里')[codeColumn]).toBe('采纳');
      expect(byText('意见未提出具体修改内容')[codeColumn]).toBe('不采纳');
      expect(byText('意见未提出具体修改内容')).toContain('省交通运输厅');
      await snap(org, 'consultation-20-exports');

      // ---- 6. the interface in English ----
      await org.getByRole('button', { name: 'English' }).click();
      await expect.poll(() => org.getByRole('tab', { name: 'Exports' }).isVisible()).toBe(true);
      await expect.poll(() => org.getByTestId('round-status').textContent()).toBe('Feedback');
      await expect
        .poll(() => org.getByRole('link', { name: 'Disposition table .xlsx' }).isVisible())
        .toBe(true);
      await snap(org, 'consultation-21-round-en');
    }, 300_000);
  },
);
