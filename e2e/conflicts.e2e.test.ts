import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.ts';
import type { Services } from '../src/server/services/index.ts';
import { createServices } from '../src/server/services/index.ts';
import type { FigureConflictRound } from '../test/conflict-factories.ts';
import { createFigureConflictRound } from '../test/conflict-factories.ts';
import type { E2E } from './harness.ts';
import { browserAvailable, snap, startE2E } from './harness.ts';
import type { Person } from './ui.ts';
import { PHONE, confirmVia, createPerson, fitsWidth, signIn, visible } from './ui.ts';

interface Scenario {
  s: FigureConflictRound;
  organizer: Person;
  experts: [Person, Person];
  regNos: Map<string, string>;
}

/** Waits until no analysis job is queued or running (the server's own worker runs them). */
async function settleAnalysis(e2e: E2E): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { n } = await e2e.server.database.db
      .selectFrom('job')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', 'like', 'analysis.%')
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirstOrThrow();
    if (Number(n) === 0) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`${n} analysis jobs still pending after a minute`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Two units disagree on 第二条's growth target (+20% against +15%, one of them writing in English); the
 * analysis has run, and two experts in economy and planning are on the roster.
 */
async function buildScenario(e2e: E2E, services: Services): Promise<Scenario> {
  const database = e2e.server.database;
  const s = await createFigureConflictRound(database);
  const organizer = await createPerson(services, '规划处周编制', ['organizer'], s.round.ownerUnit.id);
  const wang = await createPerson(services, '王经济教授', ['expert'], null);
  const chen = await createPerson(services, 'Dr. Chen', ['expert'], null);
  await services.experts.setProfile(organizer.actor, wang.actor.userId!, {
    fields: ['economy'],
    title: '教授',
    organisation: '省社会科学院',
  });
  await services.experts.setProfile(organizer.actor, chen.actor.userId!, {
    fields: ['economy', 'planning'],
    title: 'Senior researcher',
    organisation: 'Institute of Planning',
  });
  await services.analysis.runRoundAnalysis(organizer.actor, s.round.roundId);
  await settleAnalysis(e2e);
  const rows = await database.db
    .selectFrom('opinion')
    .select(['id', 'reg_no'])
    .where('id', 'in', [s.high.id, s.low.id])
    .execute();
  const regNos = new Map(rows.map((r) => [r.id, r.reg_no ?? '']));
  return { s, organizer, experts: [wang, chen], regNos };
}

describe.skipIf(!browserAvailable())('conflicts and expert consultation, in a real browser', () => {
  let e2e: E2E;
  let services: Services;
  let scenario: Scenario;
  beforeAll(async () => {
    e2e = await startE2E();
    services = createServices({ database: e2e.server.database, config: loadConfig({}) });
    scenario = await buildScenario(e2e, services);
  }, 180_000);
  afterAll(async () => {
    await e2e?.close();
  });

  /** An expert answers in their own browser: inbox, the consultation, the form, sent and read-only. */
  async function answerAsExpert(
    expert: Person,
    answer: { recommendation: string; score: number; reasons: string; question: string },
    notVisible: string[],
  ): Promise<Page> {
    const page = await signIn(e2e, expert);
    // Experts land on their consultations.
    await expect.poll(() => new URL(page.url()).pathname).toBe('/expert');
    const item = page.getByTestId('expert-inbox-item').first();
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toContain('待答复');
    await item.getByRole('link').click();
    await expect.poll(visible(page, '请独立作答'), { timeout: 10_000 }).toBe(true);
    // Both sides of the conflict are shown to the expert …
    await expect.poll(visible(page, scenario.s.round.invited[0]!.unit.name)).toBe(true);
    // … and no other expert's answer, before this one is sent.
    for (const text of notVisible) {
      expect(await page.getByText(text).count()).toBe(0);
    }
    await page.getByLabel('建议', { exact: true }).fill(answer.recommendation);
    // The score buttons' inputs are visually hidden: click the button that wraps the input.
    await page
      .locator('.ant-radio-button-wrapper', {
        has: page.getByRole('radio', { name: new RegExp(`^${answer.score} 分`) }),
      })
      .click();
    await page.getByLabel('理由', { exact: true }).fill(answer.reasons);
    await page.getByLabel(/^1\. /).fill(answer.question);
    await confirmVia(page, page.getByRole('button', { name: '签名并发送' }));
    await expect.poll(visible(page, '答复已发送'), { timeout: 10_000 }).toBe(true);
    // Read-only once sent: the form is gone, the signed answer shown.
    expect(await page.getByRole('button', { name: '签名并发送' }).count()).toBe(0);
    expect(await page.getByTestId('my-answer').textContent()).toContain(answer.recommendation);
    return page;
  }

  it('opens a conflict from the analysis, consults two experts, resolves it and writes the dispositions', async () => {
    const { s, organizer, experts, regNos } = scenario;
    const page = await signIn(e2e, organizer);

    // ---- the organizer confirms the analysis' candidate as a conflict ----
    await page.goto(`${e2e.url}/rounds/${s.round.roundId}/analysis`);
    await page.getByRole('tab', { name: '分歧线索' }).click();
    const candidate = page.getByTestId('conflict-candidate').first();
    await expect.poll(() => candidate.textContent(), { timeout: 15_000 }).toContain('20%');
    await snap(page, 'conflicts-candidate');
    await confirmVia(page, candidate.getByRole('button', { name: '确认为分歧' }));
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 10_000 }).toMatch(/^\/conflicts\//);
    const conflictPath = new URL(page.url()).pathname;
    await expect.poll(() => page.getByTestId('conflict-status').first().textContent()).toBe('待协调');
    // The parties side by side, with their figures.
    const sides = page.getByTestId('conflict-side');
    await expect.poll(() => sides.count()).toBe(2);
    // Which unit is side A follows the candidate's order; each side carries its unit's figure.
    const sideOf = (unit: string) => sides.filter({ hasText: unit });
    expect(await sideOf(s.round.invited[0]!.unit.name).textContent()).toContain('20%');
    expect(await sideOf(s.round.invited[1]!.unit.name).textContent()).toContain('15%');
    // The ladder starts at the drafting team.
    await expect.poll(visible(page, '编制组长')).toBe(true);

    // ---- the board lists it by clause and by unit pair ----
    await page.goto(`${e2e.url}/rounds/${s.round.roundId}`);
    await page.getByRole('link', { name: '分歧事项' }).click();
    await expect.poll(() => page.getByTestId('conflict-row').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('conflict-group').first().textContent()).toContain('第二条');
    await page.getByText('按单位组合').click();
    await expect
      .poll(() => page.getByTestId('conflict-group').first().textContent())
      .toContain(`${s.round.invited[0]!.unit.name}`);
    await snap(page, 'conflicts-board');
    await page.getByTestId('conflict-row').getByRole('link').first().click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(conflictPath);

    // ---- two experts are invited, picked by field from the roster ----
    await page.getByRole('button', { name: '专家咨询' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('专业领域').click();
    await page
      .locator('.ant-select-dropdown')
      .filter({ visible: true })
      .getByText('经济', { exact: true })
      .click();
    // The list closes with an animation; until it has, its options cover the roster below it.
    await expect.poll(() => page.locator('.ant-select-dropdown').filter({ visible: true }).count()).toBe(0);
    await dialog.getByRole('checkbox', { name: experts[0].name }).check();
    await dialog.getByRole('checkbox', { name: experts[1].name }).check();
    await dialog.getByRole('button', { name: '发送给 2 位专家' }).click();
    const summary = page.getByTestId('consultation-summary');
    await expect.poll(() => summary.textContent(), { timeout: 10_000 }).toContain('已答复 0/2');
    await expect.poll(() => page.getByTestId('conflict-status').first().textContent()).toBe('协调中');

    // ---- each expert answers independently in their own browser ----
    const first = {
      recommendation: '维持年均增长15%的目标',
      score: 4,
      reasons: '统计局预测序列支持15%，20%缺乏数据支撑。',
      question: '15%一方更可行。',
    };
    const second = {
      recommendation: 'Keep 15% and state a stretch goal 🚀',
      score: 3,
      reasons: 'The forecast series supports 15%; 20% would need new capacity.',
      question: 'The 15% side, with a stretch goal.',
    };
    const wangPage = await answerAsExpert(experts[0], first, [second.recommendation]);
    await snap(wangPage, 'conflicts-expert-answered');
    // The second expert sees nothing of the first's answer before sending.
    const chenPage = await answerAsExpert(experts[1], second, [first.recommendation, first.reasons]);
    await chenPage.setViewportSize(PHONE);
    expect(await fitsWidth(chenPage)).toBe(true);
    await snap(chenPage, 'conflicts-expert-phone');

    // ---- the organizer sees both answers side by side ----
    await page.reload();
    await expect.poll(() => summary.textContent(), { timeout: 10_000 }).toContain('已答复 2/2');
    const answers = page.getByTestId('expert-answer');
    await expect.poll(() => answers.count()).toBe(2);
    const cards = [
      (await answers.nth(0).textContent()) ?? '',
      (await answers.nth(1).textContent()) ?? '',
    ].join('|');
    expect(cards).toContain(first.recommendation);
    expect(cards).toContain(second.recommendation);
    expect(cards).toContain('4/5');
    expect(cards).toContain('3/5');
    expect(await summary.textContent()).toContain('已达最少答复数');
    await snap(page, 'conflicts-summary');

    // ---- the organizer resolves it with a decision and an outcome per opinion ----
    const decision = '经专家咨询，维持年均增长15%的目标，另在专栏中表述力争更高目标。';
    await page.getByLabel('决定', { exact: true }).fill(decision);
    const outcome = async (unit: string, code: string) => {
      await page.getByLabel(`${unit} 意见的处理结果`).click();
      await page
        .locator('.ant-select-dropdown')
        .filter({ visible: true })
        .locator(`.ant-select-item-option[title="${code}"]`)
        .click();
      // The next select's dropdown is told apart only once this one has closed.
      await expect.poll(() => page.locator('.ant-select-dropdown').filter({ visible: true }).count()).toBe(0);
    };
    await outcome(s.round.invited[0]!.unit.name, '部分采纳');
    await outcome(s.round.invited[1]!.unit.name, '采纳');
    await page.getByRole('button', { name: '协调解决' }).click();
    await expect
      .poll(() => page.getByTestId('conflict-status').first().textContent(), { timeout: 10_000 })
      .toBe('已解决');
    expect(await page.getByTestId('conflict-decision').textContent()).toContain(decision);
    const outcomes = page.getByTestId('party-outcome');
    await expect
      .poll(async () => (await outcomes.allTextContents()).sort())
      .toEqual(['部分采纳', '采纳'].sort());
    expect(await sideOf(s.round.invited[0]!.unit.name).getByTestId('party-outcome').textContent()).toBe(
      '部分采纳',
    );
    await snap(page, 'conflicts-resolved');

    // ---- the dispositions show the decision: round page → opinions → the opinion's drawer ----
    await page.goto(`${e2e.url}/rounds/${s.round.roundId}`);
    await page.getByRole('tab', { name: '意见' }).click();
    await page.getByRole('button', { name: `研判 ${regNos.get(s.high.id)}` }).click();
    const drawer = page.locator('.ant-drawer').filter({ visible: true });
    await expect.poll(() => drawer.textContent(), { timeout: 10_000 }).toContain(decision);
    const drawerText = (await drawer.textContent()) ?? '';
    expect(drawerText).toContain('部分采纳');
    expect(drawerText).toContain('已审定');
    expect(drawerText).toContain('与其他单位意见冲突');
    await snap(page, 'conflicts-disposition');

    // The ledger holds the story.
    const events = (await e2e.server.database.db.selectFrom('ledger_event').select('event').execute()).map(
      (e) => e.event,
    );
    for (const name of ['conflict.opened', 'conflict.resolved', 'disposition.approved']) {
      expect(events).toContain(name);
    }
  }, 180_000);

  it('discusses the conflict live between the organizer and a party unit, and searches the data library', async () => {
    const { s, organizer } = scenario;
    const { id: conflictId } = await e2e.server.database.db
      .selectFrom('conflict')
      .select('id')
      .where('round_id', '=', s.round.roundId)
      .executeTakeFirstOrThrow();
    const liaison = await createPerson(services, '发改委刘联络', ['liaison'], s.round.invited[0]!.unit.id);
    const page = await signIn(e2e, organizer);
    const unitPage = await signIn(e2e, liaison, PHONE);

    // ---- the organizer starts a thread on the conflict; the unit watches it ----
    await page.goto(`${e2e.url}/conflicts/${conflictId}`);
    await page.getByRole('button', { name: '发起讨论' }).click();
    await expect.poll(visible(page, '实时'), { timeout: 10_000 }).toBe(true);
    await unitPage.goto(`${e2e.url}/conflicts/${conflictId}`);
    await expect.poll(visible(unitPage, '实时'), { timeout: 10_000 }).toBe(true);

    // A message appears on the other page without a reload; markup stays text.
    const body = `@${liaison.login} 请补充2025年基数的出处 <b>表3-2</b> 📊`;
    await page.getByLabel('消息', { exact: true }).fill(body);
    await page.getByRole('button', { name: '发送' }).click();
    const unitMessages = unitPage.getByTestId('discussion-message');
    await expect.poll(() => unitMessages.count(), { timeout: 10_000 }).toBe(1);
    expect(await unitMessages.first().textContent()).toContain('<b>表3-2</b> 📊');
    expect(await unitPage.locator('[data-testid="discussion-message"] b').count()).toBe(0);
    await unitPage.getByLabel('消息', { exact: true }).fill('Source: the 2025 yearbook, table 3-2.');
    await unitPage.getByRole('button', { name: '发送' }).click();
    await expect
      .poll(() => page.getByTestId('discussion-message').last().textContent(), { timeout: 10_000 })
      .toContain('yearbook, table 3-2');
    expect(await fitsWidth(unitPage)).toBe(true);
    await snap(unitPage, 'conflicts-discussion-phone');

    // ---- the library: upload a text with its metadata, then find a Chinese phrase in it ----
    await page.goto(`${e2e.url}/library`);
    await page.getByRole('tab', { name: '上传' }).click();
    await page.locator('input[type=file]').setInputFiles({
      name: '2025年统计年鉴摘要.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(
        '第三章 数字经济\n2025年全省数字经济核心产业增加值为5200亿元，预测2030年约为5980亿元。\nThe forecast series supports a growth of 15%.\n',
      ),
    });
    await page.getByLabel('来源').fill('省统计局');
    await page.getByLabel('发布机构').fill('省统计局');
    await page.getByRole('button', { name: '上传', exact: true }).click();
    await expect.poll(() => page.getByTestId('upload-done').count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole('tab', { name: '全文检索' }).click();
    await page.getByLabel('检索', { exact: true }).fill('核心产业增加值');
    await page.getByLabel('检索', { exact: true }).press('Enter');
    const result = page.getByTestId('search-result').first();
    await expect.poll(() => result.textContent(), { timeout: 10_000 }).toContain('5200亿元');
    expect(await result.locator('mark').count()).toBeGreaterThan(0);
    await snap(page, 'conflicts-library-search');
  }, 120_000);
});
