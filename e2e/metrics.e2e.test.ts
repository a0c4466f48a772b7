import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.ts';
import type { DispositionCode, Role, UnitLevel } from '../src/server/db/schema.ts';
import { CLI_ACTOR } from '../src/server/services/context.ts';
import { createServices } from '../src/server/services/index.ts';
import { SAMPLE_DRAFT } from '../test/consultation-factories.ts';
import type { E2E } from './harness.ts';
import { SCREENSHOTS, browserAvailable, snap, startE2E } from './harness.ts';
import type { Person } from './ui.ts';
import { createPerson, PHONE, signIn } from './ui.ts';

const DAY = 86_400_000;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Scenario {
  planId: string;
  roundId: string;
  organizer: Person;
}

/**
 * One round through the services on a private clock, a month ago: four units invited; 交通厅 and 工信厅
 * reply on time, 生态环境厅 late (after the round closed), 某市 never. Five opinions get approved
 * dispositions (采纳 2, 部分采纳 1, 不采纳 1, 留作参考 1); the units rate them, and one objection is
 * reviewed and upheld.
 */
async function buildScenario(e2e: E2E): Promise<Scenario> {
  let clock = Date.now() - 30 * DAY;
  const advance = (days: number): void => {
    clock += days * DAY;
  };
  const services = createServices({
    database: e2e.server.database,
    config: loadConfig({}),
    now: () => new Date(clock),
  });
  const suffix = randomBytes(2).toString('hex');
  const unit = async (code: string, name: string, level: UnitLevel) =>
    services.units.createUnit(CLI_ACTOR, { code: `${code}-${suffix}`, name, level, areas: [] });
  const person = (name: string, roles: Role[], unitId: string) => createPerson(services, name, roles, unitId);

  const owner = await unit('FGW', '省发展改革委', 'province');
  const organizer = await person('规划处张编制', ['organizer'], owner.id);
  const approver = await person('规划处李审核', ['organizer'], owner.id);
  const leader = await person('领导小组王组长', ['leader'], owner.id);
  const invited = [
    await unit('JTT', '省交通运输厅', 'province'),
    await unit('GXT', '省工业和信息化厅', 'province'),
    await unit('STT', '省生态环境厅', 'province'),
    await unit('JZ', '江州市人民政府', 'city'),
  ] as const;
  const people = new Map<string, { liaison: Person; head: Person }>();
  for (const u of invited) {
    people.set(u.id, {
      liaison: await person(`${u.name}联络员`, ['liaison'], u.id),
      head: await person(`${u.name}负责人`, ['unit_head'], u.id),
    });
  }
  const of = (unitId: string) => people.get(unitId)!;

  const plan = await services.plans.createPlan(organizer.actor, {
    name: '某省数字经济发展规划',
    ownerUnitId: owner.id,
  });
  const version = await services.drafts.importVersion(organizer.actor, {
    planId: plan.id,
    fileName: '数字经济发展规划（征求意见稿）.md',
    data: Buffer.from(SAMPLE_DRAFT),
  });
  const tree = await services.drafts.getClauseTree(organizer.actor, version.version.id);
  const article = (n: number): string => {
    const found: string[] = [];
    const walk = (nodes: typeof tree.clauses): void => {
      for (const c of nodes) {
        if (c.kind === 'article') {
          found.push(c.stableId);
        }
        walk(c.children);
      }
    };
    walk(tree.clauses);
    return found[n]!;
  };

  const round = await services.rounds.createRound(organizer.actor, plan.id, {
    versionId: version.version.id,
    title: '第一轮部门征求意见',
    kind: 'internal',
    opensAt: new Date(clock + 60 * 60 * 1000).toISOString(),
    workingDays: 10,
    scope: null,
    visibility: 'after_close',
    silencePolicy: 'no_reply',
    invitations: invited.map((u, i) => ({ unitId: u.id, mandatory: i < 2 })),
  });
  await services.rounds.scheduleRound(organizer.actor, round.id);
  advance(1 / 12);
  await services.rounds.openRound(organizer.actor, round.id);
  const invitationOf = new Map(
    (await services.rounds.listInvitations(organizer.actor, round.id)).map((inv) => [inv.unitId, inv.id]),
  );

  const opinion = async (unitId: string, clause: number, suggestion: string) =>
    (
      await services.opinions.createOpinion(of(unitId).liaison.actor, round.id, {
        clauseStableId: article(clause),
        suggestion,
        reasons: '根据本单位职责和近三年统计数据测算，现有表述难以落实。',
        proposedText: null,
        kind: 'substantive',
        blocking: false,
      })
    ).id;
  const send = async (unitId: string, late = false) => {
    const invitationId = invitationOf.get(unitId)!;
    const { liaison, head } = of(unitId);
    if (late) {
      await services.replies.startDrafting(liaison.actor, invitationId);
    }
    await services.replies.submitForReview(liaison.actor, invitationId);
    await services.replies.signOff(head.actor, invitationId);
    await services.replies.send(liaison.actor, invitationId, { position: 'agree_with_amendments', late });
  };

  const [transport, industry, ecology] = invited;
  const mine = {
    transport: [
      await opinion(transport.id, 1, '建议将数字经济核心产业增加值占比目标由15%调整为12%。'),
      await opinion(transport.id, 2, '建议在算力中心布局中统筹考虑交通枢纽的算力需求。'),
    ],
    industry: [
      await opinion(industry.id, 1, '建议明确工业互联网标识解析节点的建设数量和完成时限。'),
      await opinion(industry.id, 3, '建议补充公共数据授权运营的安全管理要求。'),
    ],
    ecology: [await opinion(ecology.id, 4, '建议增加数据中心能耗和碳排放强度的约束性指标。')],
  };
  advance(1);
  await send(transport.id);
  advance(2);
  await send(industry.id);
  advance(16);
  await services.rounds.closeRound(organizer.actor, round.id);
  advance(1);
  await send(ecology.id, true);
  await services.rounds.startAssessment(organizer.actor, round.id);

  const decisions: [string, DispositionCode][] = [
    [mine.transport[0]!, 'partially_adopted'],
    [mine.transport[1]!, 'adopted'],
    [mine.industry[0]!, 'adopted'],
    [mine.industry[1]!, 'not_adopted'],
    [mine.ecology[0]!, 'for_reference'],
  ];
  advance(1);
  for (const [opinionId, code] of decisions) {
    const proposal = await services.dispositions.proposeDisposition(organizer.actor, opinionId, {
      code,
      ...(code === 'adopted' ? {} : { reason: '已结合全省实际统筹考虑。', basis: 'data' as const }),
    });
    await services.dispositions.approveDisposition(approver.actor, proposal.id);
  }

  advance(1);
  const letters = await services.feedback.sendFeedback(organizer.actor, round.id);
  advance(1);
  let objectionId: string | null = null;
  for (const letter of letters) {
    const liaison = of(letter.unitId).liaison.actor;
    const view = await services.feedback.getLetter(liaison, letter.id);
    for (const item of view.items) {
      const code = item.disposition?.code;
      const objected = code === 'not_adopted';
      const outcome = await services.feedback.respond(liaison, letter.id, {
        opinionId: item.opinion.id,
        response: objected ? 'objected' : 'rated',
        rating: objected
          ? null
          : code === 'for_reference'
            ? 'unsatisfied'
            : code === 'adopted'
              ? 'satisfied'
              : 'basically_satisfied',
        reasons: objected ? '处理理由未回应我单位提供的测算依据，请予复核。' : null,
      });
      objectionId = outcome.objection?.id ?? objectionId;
    }
  }
  if (objectionId) {
    await services.feedback.reviewObjection(leader.actor, objectionId, {
      outcome: 'uphold',
      note: '经复核，维持原处理意见。',
    });
  }
  return { planId: plan.id, roundId: round.id, organizer };
}

describe.skipIf(!browserAvailable())('the metrics dashboard, in a real browser', () => {
  let e2e: E2E;
  let scenario: Scenario;
  beforeAll(async () => {
    e2e = await startE2E();
    scenario = await buildScenario(e2e);
  }, 180_000);
  afterAll(async () => {
    await e2e?.close();
  });

  // The charts animate in for about a second; screenshots wait for them to settle.
  const settle = (page: Page) => page.waitForTimeout(1200);
  const chart = (page: Page, key: string) => page.getByTestId(`chart-${key}`);
  const label = (page: Page, key: string) =>
    chart(page, key).locator('div[role="img"]').getAttribute('aria-label');

  it('shows the round in figures and charts, downloads a chart as PNG and speaks English', async () => {
    const page = await signIn(e2e, scenario.organizer);

    // From the plan's header to the plan's metrics (all rounds).
    await page.goto(`${e2e.url}/plans/${scenario.planId}`);
    await page.getByRole('button', { name: '统计分析' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/plans/${scenario.planId}/metrics`);
    await expect
      .poll(() => page.getByTestId('headline-participationRate').textContent(), { timeout: 15_000 })
      .toContain('75%');
    await expect.poll(() => page.getByTestId('headline-onTimeRate').textContent()).toContain('50%');
    await expect
      .poll(() => page.getByTestId('headline-onTimeRate').textContent())
      .toContain('2/4 家单位按期回复');

    // One round picked from the scope selector.
    await page.getByLabel('统计范围').click();
    await page
      .locator('.ant-select-dropdown')
      .filter({ visible: true })
      .locator('.ant-select-item-option[title="第一轮部门征求意见"]')
      .click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/rounds/${scenario.roundId}/metrics`);

    // Every chart that has data is drawn on a canvas, named by its figures.
    for (const key of [
      'participationByUnit',
      'timeline',
      'adoptionByUnit',
      'byCode',
      'satisfaction',
      'objections',
    ]) {
      await expect
        .poll(() => chart(page, key).locator('canvas').count(), { timeout: 15_000 })
        .toBeGreaterThan(0);
    }
    expect(await label(page, 'participationByUnit')).toContain('总体参与率 75%，意见回收率 50%（邀请 4 家）');
    expect(await label(page, 'participationByUnit')).toContain('江州市人民政府 参与率 0%，意见回收率 0%');
    const timeline = await label(page, 'timeline');
    expect(timeline).toContain('邀请 4 家，按期回复 2 家，逾期回复 1 家，未回复 1 家；截止日');
    expect(await label(page, 'byCode')).toContain('共审定 5 条，采纳率 60%');
    expect(await label(page, 'byCode')).toContain('采纳 2 条，部分采纳 1 条，不采纳 1 条，留作参考 1 条');
    expect(await label(page, 'adoptionByUnit')).toContain('省交通运输厅 采纳 1 条，部分采纳 1 条');
    expect(await label(page, 'satisfaction')).toContain('满意 2 条，基本满意 1 条，不满意 1 条；满意度 75%');
    expect(await label(page, 'objections')).toContain('提出异议 1 件：待复核 0 件，维持原处理 1 件');
    // The level chart: province units 2/3 on time, the city silent.
    expect(await label(page, 'participationByLevel')).toContain('省级 参与率 100%，意见回收率 66.7%');
    expect(await label(page, 'participationByLevel')).toContain('市级 参与率 0%');

    const table = page.getByTestId('unit-table');
    await expect.poll(() => table.locator('tr.ant-table-row').count()).toBe(4);
    await expect
      .poll(() => table.locator('tr.ant-table-row').filter({ hasText: '省工业和信息化厅' }).textContent())
      .toContain('50%');
    await settle(page);
    await snap(page, 'metrics-01-round-zh');

    // Download the replies chart as a PNG image.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载图片：回复进度与截止日' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('回复进度与截止日.png');
    const png = readFileSync(await download.path());
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // IHDR height: (320 + the title's 56) × pixel ratio 2.
    expect(png.readUInt32BE(20)).toBe(752);
    await download.saveAs(join(SCREENSHOTS, 'metrics-04-downloaded-chart.png'));

    // The same page in English.
    await page.getByRole('button', { name: 'English' }).click();
    await expect
      .poll(() => chart(page, 'timeline').getByText('Replies over time against the deadline').isVisible())
      .toBe(true);
    await expect
      .poll(() => label(page, 'timeline'))
      .toContain('4 units invited: 2 replied on time, 1 late, 1 not at all; Deadline');
    await expect
      .poll(() => page.getByTestId('headline-onTimeRate').textContent())
      .toContain('On-time response');
    await expect
      .poll(() => page.getByRole('button', { name: 'Download image: Dispositions by code' }).isVisible())
      .toBe(true);
    await settle(page);
    await snap(page, 'metrics-02-round-en');
  }, 180_000);

  it('fits a phone and shows an empty state for a round nobody has answered', async () => {
    const services = createServices({ database: e2e.server.database, config: loadConfig({}) });
    const versions = await services.drafts.listVersions(scenario.organizer.actor, scenario.planId);
    const invitations = await services.rounds.listInvitations(scenario.organizer.actor, scenario.roundId);
    const quiet = await services.rounds.createRound(scenario.organizer.actor, scenario.planId, {
      versionId: versions[0]!.id,
      title: '第二轮征求意见',
      kind: 'internal',
      opensAt: new Date(Date.now() + DAY).toISOString(),
      workingDays: 10,
      scope: null,
      visibility: 'after_close',
      silencePolicy: 'no_reply',
      invitations: invitations.slice(0, 2).map((inv) => ({ unitId: inv.unitId })),
    });
    const page = await signIn(e2e, scenario.organizer, PHONE);
    await page.goto(`${e2e.url}/rounds/${quiet.id}/metrics`);
    await expect
      .poll(() => page.getByTestId('headline-participationRate').textContent(), { timeout: 15_000 })
      .toContain('0%');
    await expect.poll(() => chart(page, 'timeline').textContent()).toContain('尚无单位回复');
    await expect.poll(() => chart(page, 'byCode').textContent()).toContain('尚无审定的处理意见');
    expect(await chart(page, 'timeline').locator('canvas').count()).toBe(0);
    await expect.poll(() => chart(page, 'participationByUnit').locator('canvas').count()).toBeGreaterThan(0);
    // Nothing spills sideways on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await settle(page);
    await snap(page, 'metrics-03-empty-phone');
  }, 120_000);
});
