import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.ts';
import type { Services } from '../src/server/services/index.ts';
import { createServices } from '../src/server/services/index.ts';
import { FORM_COPIES, driftingLetters, submitOpinion } from '../test/analysis-app.ts';
import type { TestRound } from '../test/consultation-factories.ts';
import { createRound } from '../test/consultation-factories.ts';
import { createUnit } from '../test/factories.ts';
import type { E2E } from './harness.ts';
import { browserAvailable, snap, startE2E } from './harness.ts';
import type { Person } from './ui.ts';
import { PHONE, choose, confirmVia, createPerson, fitsWidth, signIn, visible } from './ui.ts';

/** A second campaign's letter, on the same clause but in other words (a person may merge the two). */
const SECOND_LETTER =
  '恳请保留算力中心建设补贴。我们是一家位于开发区的软件企业，每年租用算力的费用占研发支出三成以上，补贴一旦取消，企业将难以为继。建议省里继续实行现行补贴办法，并简化申报手续，让更多企业受益。';
const SECOND_COPIES = [
  SECOND_LETTER,
  SECOND_LETTER.replace('软件企业', '科技企业'),
  SECOND_LETTER.replace('开发区', '高新区'),
];
const ENGLISH_LETTER =
  'We urge the province to keep the subsidy for computing centres in Article 3. Small firms rely on affordable computing power, and removing the subsidy would slow down the digital transformation of local industry.';

interface Scenario {
  round: TestRound;
  organizer: Person;
  pro: { id: string; regNo: string | null };
  con: { id: string; regNo: string | null };
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
 * A round of the sample draft with three invited units: two form-letter campaigns on 第三条 (five and three
 * copies with small edits), an English letter sent twice, and two units disagreeing on 第二条's target;
 * a taxonomy of three topics, a unit whose responsibilities mention 算力中心, and the analysis run.
 */
async function buildScenario(e2e: E2E, services: Services): Promise<Scenario> {
  const database = e2e.server.database;
  const round = await createRound(database, { units: 3 });
  const organizer = await createPerson(services, '规划处张编制', ['organizer'], round.ownerUnit.id);
  await createUnit(database, { name: '省数据局', keywords: ['算力中心', '公共数据'] });
  const [a, b, c] = round.invited as [
    TestRound['invited'][0],
    TestRound['invited'][0],
    TestRound['invited'][0],
  ];
  const third = round.articles[2]!;
  for (const [i, text] of FORM_COPIES.entries()) {
    await submitOpinion(database, round, { invited: [a, b, c][i % 3], clause: third, suggestion: text });
  }
  for (const [i, text] of SECOND_COPIES.entries()) {
    await submitOpinion(database, round, { invited: [c, b, a][i % 3], clause: third, suggestion: text });
  }
  for (const invited of [a, b]) {
    await submitOpinion(database, round, { invited, clause: round.articles[3]!, suggestion: ENGLISH_LETTER });
  }
  const second = round.articles[1]!;
  const pro = await submitOpinion(database, round, {
    invited: a,
    clause: second,
    suggestion: '支持第二条，到2030年比重达到15%的目标符合全省实际，应予保留。',
    reasons: '近三年核心产业增加值年均增长12%以上。',
  });
  const con = await submitOpinion(database, round, {
    invited: b,
    clause: second,
    suggestion: '反对第二条的目标，15%明显过高，建议到2030年达到12%。',
    proposedText: '到2030年，全省数字经济核心产业增加值占地区生产总值比重达到12%。',
  });
  await services.analysis.replaceTopics(organizer.actor, round.planId, {
    topics: [
      { key: 'computing', label: '算力设施', keywords: ['算力', '算力中心', 'computing'] },
      { key: 'finance', label: '财政支持', keywords: ['补贴', '财政', 'subsidy'] },
      { key: 'target', label: '发展目标', keywords: ['目标', '比重'] },
    ],
  });
  await services.analysis.runRoundAnalysis(organizer.actor, round.roundId);
  await settleAnalysis(e2e);
  // Two people read 第二条 the same way the units wrote it.
  await services.analysis.labelStance(organizer.actor, pro.id, 'support');
  await services.analysis.labelStance(organizer.actor, con.id, 'oppose');
  await settleAnalysis(e2e);
  return { round, organizer, pro, con };
}

describe.skipIf(!browserAvailable())('the analysis views, in a real browser', () => {
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

  const tab = (page: Page, name: string) => page.getByRole('tab', { name }).click();
  const clusterRow = (page: Page, text: string): Locator =>
    page.getByTestId('cluster-row').filter({ hasText: text });
  const sizeOf = (row: Locator) => row.getByTestId('cluster-size').first().textContent();
  /** The figure of an overview statistic. */
  const count = async (page: Page, key: string) =>
    Number(
      (
        await page.getByTestId(`analysis-count-${key}`).locator('.ant-statistic-content').textContent()
      )?.replace(/\D/g, ''),
    );

  it('reviews clusters, topics, stances, conflicts and clause summaries as an organizer', async () => {
    const { round, organizer } = scenario;
    const page = await signIn(e2e, organizer);

    // ---- from the round to its analysis: the overview ----
    await page.goto(`${e2e.url}/rounds/${round.roundId}`);
    await page.getByRole('link', { name: '智能分析' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/rounds/${round.roundId}/analysis`);
    await expect.poll(() => count(page, 'submitted'), { timeout: 15_000 }).toBe(12);
    expect(await count(page, 'analyzed')).toBe(12);
    expect(await count(page, 'pending')).toBe(0);
    // The two campaigns and the English letter sent twice.
    expect(await count(page, 'clusterCount')).toBe(3);
    expect(await count(page, 'clusteredOpinions')).toBe(10);
    await snap(page, 'analysis-overview');

    // ---- clusters: the five-letter campaign first; confirm it ----
    await tab(page, '相似意见');
    const campaign = clusterRow(page, '我们强烈建议保留第三条');
    await expect.poll(() => sizeOf(campaign), { timeout: 10_000 }).toBe('5 条');
    expect(await page.getByTestId('cluster-row').first().textContent()).toContain('5 条');
    await confirmVia(page, campaign.getByRole('button', { name: '确认分组' }));
    await expect.poll(() => campaign.getByTestId('cluster-status').textContent()).toBe('已确认');

    // Split: take the copy with an emoji out of the campaign.
    await campaign.getByRole('button', { name: '查看组内意见' }).click();
    const members = campaign.getByTestId('cluster-members');
    await expect.poll(() => members.locator('li').count()).toBe(5);
    const emoji = members.locator('li').filter({ hasText: '🙏' });
    await emoji.getByRole('checkbox').check();
    await confirmVia(page, campaign.getByRole('button', { name: '移出所选意见（1）' }));
    await expect.poll(() => sizeOf(clusterRow(page, '我们强烈建议保留第三条').first())).toBe('4 条');
    await expect
      .poll(() =>
        clusterRow(page, '我们强烈建议保留第三条').first().getByTestId('cluster-status').textContent(),
      )
      .toBe('已调整');

    // The member who left is a cluster of its own now, reviewed as well.
    const alone = page.getByTestId('cluster-row').filter({ hasText: '🙏' });
    await expect.poll(() => sizeOf(alone.last())).toBe('1 条');
    await clusterRow(page, '我们强烈建议保留第三条')
      .first()
      .getByRole('button', { name: '收起组内意见' })
      .click();

    // Merge: the second campaign into the first (the larger keeps its representative).
    await clusterRow(page, '我们强烈建议保留第三条')
      .first()
      .getByLabel(/^选择分组/)
      .check();
    await clusterRow(page, '恳请保留算力中心建设补贴')
      .getByLabel(/^选择分组/)
      .check();
    await confirmVia(page, page.getByRole('button', { name: '合并所选分组' }));
    await expect.poll(() => clusterRow(page, '恳请保留算力中心建设补贴').count()).toBe(0);
    await expect.poll(() => sizeOf(clusterRow(page, '我们强烈建议保留第三条').first())).toBe('7 条');
    await snap(page, 'analysis-clusters');

    // ---- topic review: change one opinion's topics and see them marked as a person's ----
    await tab(page, '议题复核');
    const item = page.getByTestId('topic-review-item').first();
    await expect.poll(() => item.isVisible(), { timeout: 10_000 }).toBe(true);
    await item.getByRole('button', { name: '修改议题' }).click();
    await item.locator('.ant-select').click();
    const option = page
      .locator('.ant-select-dropdown')
      .filter({ visible: true })
      .locator('.ant-select-item-option[title="发展目标"]');
    if (!(await option.getAttribute('aria-selected').catch(() => null))?.includes('true')) {
      await option.click();
    }
    await page.keyboard.press('Escape');
    await item.getByRole('button', { name: '保存' }).click();
    const reviewed = page.getByTestId('topic-reviewed').first();
    await expect.poll(() => reviewed.isVisible()).toBe(true);
    const target = reviewed.getByTestId('topic-label-target');
    await expect.poll(() => target.getAttribute('data-source')).toBe('human');
    expect(await target.textContent()).toContain('人工');
    await snap(page, 'analysis-topics');

    // ---- stance: the counts, and the hand-set stances marked as a person's ----
    await tab(page, '立场');
    await expect.poll(() => page.getByTestId('stance-count-oppose').textContent()).toMatch(/反对 [1-9]/);
    const conRow = page.getByTestId('stance-row').filter({ hasText: '15%明显过高' });
    await expect.poll(() => conRow.textContent(), { timeout: 10_000 }).toContain('人工');
    expect(await conRow.textContent()).toContain('反对');
    // The filters ask the server, over the whole round: the two calls people made, then the opposed one.
    await choose(page, '按判定来源筛选', '人工');
    await expect.poll(() => page.getByTestId('stance-row').count(), { timeout: 10_000 }).toBe(2);
    await choose(page, '按立场筛选', '反对');
    await expect.poll(() => page.getByTestId('stance-row').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('stance-row').textContent()).toContain('15%明显过高');

    // ---- conflict candidates: 第二条, the two units side by side ----
    await tab(page, '分歧线索');
    const candidate = page.getByTestId('conflict-candidate').first();
    await expect.poll(() => candidate.textContent(), { timeout: 10_000 }).toContain('立场相反');
    const text = (await candidate.textContent()) ?? '';
    expect(text).toContain(round.invited[0]!.unit.name);
    expect(text).toContain(round.invited[1]!.unit.name);
    expect(text).toContain('15%明显过高');

    // ---- clause summary: key phrases, quoted sentences, and a sentence followed to its opinion ----
    await tab(page, '条款综述');
    await page.getByLabel('选择条款').click();
    await page
      .locator('.ant-select-dropdown')
      .filter({ visible: true })
      .locator('.ant-select-item-option')
      .filter({ hasText: '第三条' })
      .first()
      .click();
    const summary = page.getByTestId('clause-summary');
    // The letters of 第三条 are about computing centres and their subsidy, not 第二条's target.
    await expect
      .poll(() => summary.getByTestId('summary-sentence').first().textContent(), { timeout: 10_000 })
      .toMatch(/算力|补贴|computing/);
    await expect
      .poll(() => summary.getByTestId('summary-sentence').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(await summary.getByTestId('clause-keyphrases').locator('.ant-tag').count()).toBeGreaterThan(0);
    const sentence = summary.getByTestId('summary-sentence').first();
    const quoted = ((await sentence.locator('.ant-typography').first().textContent()) ?? '').replace(
      /^“|”$/g,
      '',
    );
    expect(quoted.length).toBeGreaterThan(0);
    await sentence.getByRole('link', { name: /^查看意见/ }).click();
    const drawer = page.getByTestId('analysis-opinion-drawer');
    await expect.poll(() => drawer.isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => drawer.textContent()).toContain(quoted);
    expect(new URL(page.url()).searchParams.get('opinion')).not.toBeNull();
    await expect.poll(() => drawer.getByTestId('opinion-analysis').textContent()).toContain('相似意见组');
    await snap(page, 'analysis-opinion');
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.isVisible()).toBe(false);

    // Without a language model the draft button says so calmly.
    await page.getByRole('button', { name: '用语言模型起草综述' }).click();
    await expect.poll(visible(page, '未配置语言模型')).toBe(true);
    await snap(page, 'analysis-summary');

    // ---- the near-duplicate threshold: applied, the job followed to its end ----
    await tab(page, '概览');
    const threshold = page.getByRole('spinbutton', { name: '相似度阈值' });
    await threshold.fill('0.9');
    await threshold.blur();
    await confirmVia(page, page.getByRole('button', { name: '按新阈值重新归组' }));
    await expect
      .poll(() => page.getByTestId('analysis-job').getAttribute('data-status'), { timeout: 30_000 })
      .toMatch(/succeeded|skipped/);
    await expect.poll(() => page.getByTestId('analysis-threshold').textContent()).toContain('0.90');

    // ---- the same page on a phone ----
    const phone = await signIn(e2e, organizer, PHONE);
    await phone.goto(`${e2e.url}/rounds/${round.roundId}/analysis?tab=clusters`);
    await expect.poll(() => phone.getByTestId('cluster-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await fitsWidth(phone)).toBe(true);
    await snap(phone, 'analysis-phone');
    for (const name of ['overview', 'topics', 'stance', 'conflicts', 'summaries']) {
      await phone.goto(`${e2e.url}/rounds/${round.roundId}/analysis?tab=${name}`);
      await expect
        .poll(() => phone.getByRole('tab', { selected: true }).count(), { timeout: 10_000 })
        .toBe(1);
      expect(await fitsWidth(phone), name).toBe(true);
    }
  }, 180_000);

  it('shows near-duplicates a cluster left out beside it, and merges one into it', async () => {
    const database = e2e.server.database;
    const round = await createRound(database, { units: 2 });
    const organizer = await createPerson(services, '规划处李审核', ['organizer'], round.ownerUnit.id);
    const [a, b] = round.invited as [TestRound['invited'][0], TestRound['invited'][0]];
    const { base, start, middle, end } = driftingLetters();
    // The letter and one copy cluster; a copy sent twice forms a second cluster; one copy stays alone.
    for (const [invited, suggestion] of [
      [a, base],
      [b, start],
      [a, end],
      [b, end],
      [b, middle],
    ] as const) {
      await submitOpinion(database, round, { invited, suggestion });
    }
    await services.analysis.runRoundAnalysis(organizer.actor, round.roundId);
    await settleAnalysis(e2e);

    const page = await signIn(e2e, organizer);
    await page.goto(`${e2e.url}/rounds/${round.roundId}/analysis?tab=clusters`);
    // The excerpts tell the two clusters apart: the second's representative rewrote a clause of the letter.
    const rows = page.getByTestId('cluster-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    const texts = await rows.allTextContents();
    const letter = rows.nth(texts.findIndex((text) => !text.includes('增加对人才引进')));
    expect(await sizeOf(letter)).toBe('2 条');
    await letter.getByRole('button', { name: '查看组内意见' }).click();
    const related = letter.getByTestId('cluster-related');
    await expect.poll(() => related.getByTestId('cluster-related-item').count()).toBe(2);
    expect(await related.textContent()).toContain('组外的相似意见（2）');
    const alone = related.getByTestId('cluster-related-item').filter({ hasText: '未归组' });
    expect(await alone.textContent()).toContain('补充绿色电力交易');
    const other = related.getByTestId('cluster-related-item').filter({ hasText: '增加对人才引进' });
    expect(await other.textContent()).toContain('1 对相似');
    await snap(page, 'analysis-cluster-related');

    await confirmVia(page, other.getByRole('button', { name: '合并到本组' }));
    await expect.poll(() => page.getByTestId('cluster-row').count()).toBe(1);
    await expect.poll(() => sizeOf(page.getByTestId('cluster-row').first())).toBe('4 条');
  }, 120_000);

  it('suggests units and questions in the round wizard and sends them with the invitations', async () => {
    const { round, organizer } = scenario;
    const page = await signIn(e2e, organizer);
    await page.goto(`${e2e.url}/plans/${round.planId}/rounds/new`);
    const routing = page.getByTestId('routing-suggestions');
    await expect.poll(() => routing.textContent(), { timeout: 15_000 }).toContain('省数据局');
    const unit = routing.getByTestId('routing-unit').filter({ hasText: '省数据局' }).first();
    expect(await unit.textContent()).toContain('算力中心');
    await expect.poll(visible(page, '已选 0 个单位')).toBe(true);
    await routing.getByRole('button', { name: '添加推荐单位为征求单位（1）' }).click();
    await expect.poll(visible(page, '已选 1 个单位')).toBe(true);
    await expect
      .poll(() => routing.getByRole('button', { name: '推荐单位均已添加' }).isDisabled())
      .toBe(true);

    // A suggested question joins the invitation's questions, reworded before sending.
    const question = unit.getByRole('checkbox').first();
    await question.check();
    const chosen = page.getByTestId('chosen-questions');
    await expect.poll(() => chosen.isVisible()).toBe(true);
    const field = chosen.getByRole('textbox').first();
    const suggested = await field.inputValue();
    expect(suggested).toContain('算力中心');
    await field.fill(`${suggested}请于五个工作日内答复。`);
    await snap(page, 'analysis-wizard-routing');

    await page.getByLabel('轮次名称').fill('第二轮定向征求意见');
    await page.getByLabel('征求期限（工作日）').fill('10');
    await page.getByRole('button', { name: '创建轮次' }).click();
    await expect.poll(visible(page, '已创建：第二轮定向征求意见'), { timeout: 15_000 }).toBe(true);
    const rounds = await services.rounds.listRounds(organizer.actor, round.planId);
    const created = rounds.find((r) => r.title === '第二轮定向征求意见');
    expect(created).toBeDefined();
    const invitations = await services.rounds.listInvitations(organizer.actor, created!.id);
    expect(invitations.map((i) => i.unitName)).toEqual(['省数据局']);
    expect(invitations[0]!.questions).toEqual([
      { clauseStableId: expect.any(String), question: `${suggested}请于五个工作日内答复。` },
    ]);
  }, 120_000);

  it('edits the plan’s topics, learns from labels, shows a clause’s key concerns, and speaks English', async () => {
    const { round, organizer } = scenario;
    const page = await signIn(e2e, organizer);

    // ---- the opinion drawer of the round's table carries the analysis too ----
    await page.goto(`${e2e.url}/rounds/${round.roundId}`);
    await page.getByRole('tab', { name: '意见' }).click();
    await page.getByRole('button', { name: `研判 ${scenario.con.regNo}` }).click();
    const panel = page.getByTestId('opinion-analysis');
    await expect.poll(() => panel.textContent(), { timeout: 10_000 }).toContain('人工');
    expect(await panel.getByTestId('opinion-stance').textContent()).toContain('反对');
    expect(await panel.textContent()).toContain('12%');
    await page.keyboard.press('Escape');

    // ---- the taxonomy: a topic added and saved ----
    await page.goto(`${e2e.url}/plans/${round.planId}`);
    await page.getByRole('button', { name: '议题分类' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/plans/${round.planId}/topics`);
    await expect.poll(() => page.getByTestId('topic-row').count(), { timeout: 10_000 }).toBe(3);
    await page.getByRole('button', { name: '新增议题' }).click();
    const added = page.getByTestId('topic-row').last();
    await added.getByLabel('名称').fill('数据要素');
    await added.getByLabel('关键词').fill('公共数据、数据要素, public data');
    await confirmVia(page, page.getByRole('button', { name: '保存议题分类' }));
    await expect.poll(visible(page, /已保存/)).toBe(true);
    const taxonomy = await services.analysis.getTopics(organizer.actor, round.planId);
    expect(taxonomy.topics.map((t) => [t.key, t.label, t.keywords])).toContainEqual([
      'topic-4',
      '数据要素',
      ['公共数据', '数据要素', 'public data'],
    ]);

    // Learning: too few topic labels yet (said so, per topic); the two hand-set stances are enough.
    await page.getByRole('button', { name: '学习议题标注' }).click();
    const refused = page.getByTestId('train-refused');
    await expect.poll(() => refused.textContent(), { timeout: 15_000 }).toContain('尚不能学习');
    expect(await refused.textContent()).toContain('computing');
    await page.getByRole('button', { name: '学习立场标注' }).click();
    await expect
      .poll(() => page.getByTestId('train-result').textContent(), { timeout: 15_000 })
      .toContain('已从 2 条人工标注学习');
    await expect.poll(() => page.getByTestId('model-stance').count()).toBe(1);
    await snap(page, 'analysis-plan-topics');
    await settleAnalysis(e2e);

    // ---- the plan workspace: a clause's 核心诉求 in its drawer ----
    await page.goto(`${e2e.url}/plans/${round.planId}`);
    await page.getByTestId(`clause-${round.articles[2]!.stableId}`).click();
    const summary = page.getByTestId('plan-clause-summary');
    await expect
      .poll(() => summary.getByTestId('clause-keyphrases').locator('.ant-tag').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(await summary.getByTestId('summary-sentence').count()).toBeGreaterThan(0);
    await summary.getByRole('link', { name: '在智能分析中查看' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('tab')).toBe('summaries');
    expect(new URL(page.url()).searchParams.get('clause')).toBe(round.articles[2]!.stableId);

    // ---- in English ----
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Clause summaries' }).count()).toBe(1);
    await page.getByRole('tab', { name: 'Near-duplicates' }).click();
    await expect
      .poll(() => page.getByTestId('cluster-row').first().getByTestId('cluster-size').textContent())
      .toMatch(/^\d+ opinions?$/);
    await snap(page, 'analysis-english');
  }, 120_000);
});
