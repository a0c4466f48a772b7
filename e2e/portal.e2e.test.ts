import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.ts';
import type { Services } from '../src/server/services/index.ts';
import { createServices } from '../src/server/services/index.ts';
import type { TestRound } from '../test/consultation-factories.ts';
import { createRound } from '../test/consultation-factories.ts';
import { approveDisposition } from '../test/portal-factories.ts';
import type { E2E } from './harness.ts';
import { browserAvailable, snap, startE2E } from './harness.ts';
import type { Person } from './ui.ts';
import { PHONE, createPerson, fitsWidth, newPage } from './ui.ts';

/** The campaign letter two people already sent; the member of the public sends it a third time. */
const CAMPAIGN =
  '强烈建议把数字经济核心产业占比目标从15%下调到12%，目前全省产业基础较弱，15%的目标难以实现。';
const REASONS = '2025年全省核心产业增加值占比约为9.8%。';
const RESPONSE = '目标调整为13%，兼顾发展基础与引领作用';

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

describe.skipIf(!browserAvailable())('the public comment portal, on a phone', () => {
  let e2e: E2E;
  let services: Services;
  let round: TestRound;
  let organizer: Person;

  beforeAll(async () => {
    e2e = await startE2E();
    // The seeding services skip the CAPTCHA; the server the browser talks to requires it.
    services = createServices({
      database: e2e.server.database,
      config: loadConfig({ CONCORD_PORTAL_CAPTCHA: 'off' }),
    });
    round = await createRound(e2e.server.database, { kind: 'public', units: 0 });
    organizer = await createPerson(services, '规划处李编制', ['organizer'], round.ownerUnit.id);
    await services.portal.updateSettings(organizer.actor, round.roundId, { moderation: 'post' });
    for (const address of ['192.0.2.1', '192.0.2.2']) {
      await services.portal.submitComment({
        roundId: round.roundId,
        clientAddress: address,
        input: {
          clauseStableId: round.articles[1]!.stableId,
          suggestion: CAMPAIGN,
          reasons: REASONS,
          anonymous: true,
          consent: true,
        },
      });
    }
  }, 240_000);
  afterAll(async () => {
    await e2e?.close();
  });

  it('lets a member of the public comment on a clause, and shows it in its cluster after the round', async () => {
    const page = await newPage(e2e, PHONE);
    await page.goto(`${e2e.url}/p/${round.roundId}`);
    await expect.poll(() => page.getByRole('heading', { name: '第一轮征求意见' }).isVisible()).toBe(true);
    expect(await page.getByText('已公开意见 2 条').isVisible()).toBe(true);
    expect(await fitsWidth(page)).toBe(true);

    await page.getByRole('button', { name: '对本条提意见 第二条' }).click();
    await page.getByLabel('具体建议').fill(CAMPAIGN);
    await page.getByLabel('理由依据').fill(REASONS);
    // Without consent nothing is sent.
    await page.getByRole('button', { name: '提交意见' }).click();
    await expect.poll(() => page.getByText('请先同意隐私说明').isVisible()).toBe(true);
    await page.getByLabel('我已阅读并同意隐私说明').check();
    await page.getByRole('button', { name: '提交意见' }).click();
    // The CAPTCHA is solved in the page before sending.
    await expect.poll(() => page.getByText('提交成功').isVisible(), { timeout: 60_000 }).toBe(true);
    const receipt = (await page.getByText(/回执编号：P-/).textContent()) ?? '';
    expect(receipt).toMatch(/P(-[A-Z2-9]{4}){3}/);
    expect(await fitsWidth(page)).toBe(true);
    await snap(page, 'portal-receipt-phone');

    // After the round: analysed, the cluster's opinions disposed, the summary published.
    await settleAnalysis(e2e);
    await services.rounds.closeRound(organizer.actor, round.roundId);
    await services.analysis.processRound(round.roundId, { reanalyze: false });
    const opinions = await e2e.server.database.db
      .selectFrom('opinion')
      .select('id')
      .where('round_id', '=', round.roundId)
      .where('suggestion', '=', CAMPAIGN)
      .execute();
    expect(opinions).toHaveLength(3);
    for (const { id } of opinions) {
      await approveDisposition(e2e.server.database, {
        opinionId: id,
        code: 'partially_adopted',
        reason: RESPONSE,
        by: organizer.actor.userId!,
      });
    }
    await services.portal.publishSummary(organizer.actor, round.roundId);

    await page.goto(`${e2e.url}/p/${round.roundId}`);
    const summary = page.getByRole('region', { name: '意见采纳情况（你说我做）' });
    await expect.poll(() => summary.isVisible()).toBe(true);
    const cluster = summary.getByRole('listitem', { name: '3 人提出' });
    expect(await cluster.getByText(CAMPAIGN).isVisible()).toBe(true);
    expect(await cluster.getByText(`部分采纳（${RESPONSE}）`).isVisible()).toBe(true);
    expect(await page.getByText('征求期已结束').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: '提交意见' }).count()).toBe(0);
    expect(await fitsWidth(page)).toBe(true);
    await snap(page, 'portal-summary-phone');
  }, 180_000);
});
