import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.ts';
import type { Role } from '../src/server/db/schema.ts';
import { CLI_ACTOR } from '../src/server/services/context.ts';
import type { Services } from '../src/server/services/index.ts';
import { createServices } from '../src/server/services/index.ts';
import { SAMPLE_DRAFT } from '../test/consultation-factories.ts';
import type { E2E } from './harness.ts';
import { browserAvailable, snap, startE2E } from './harness.ts';
import { confirm, confirmVia, createPerson, PHONE, signIn, visible } from './ui.ts';

/**
 * Two plans under one provincial office, built through the services: plan 1 has a round in feedback with
 * an objection escalated to the leaders and a revision submitted for approval; plan 2 has an open round and
 * an urgent round waiting for a leader.
 */
async function buildConsultation(services: Services) {
  const unit = (code: string, name: string, parentId: string | null = null) =>
    services.units.createUnit(CLI_ACTOR, { code, name, level: 'province', parentId, areas: [] });
  const office = await unit('ZFB', '省人民政府办公厅');
  const ndrc = await unit('FGW', '省发展改革委', office.id);
  const transport = await unit('JTT', '省交通运输厅', office.id);
  const finance = await unit('CZT', '省财政厅');
  const person = (name: string, roles: Role[], unitId: string) => createPerson(services, name, roles, unitId);
  const organizer = await person('规划处张编制', ['organizer'], ndrc.id);
  const approver = await person('规划处李审核', ['organizer'], ndrc.id);
  const transportOrganizer = await person('交通厅综合规划处刘编制', ['organizer'], transport.id);
  const liaison = await person('财政厅赵联络', ['liaison'], finance.id);
  const head = await person('财政厅钱处长', ['unit_head'], finance.id);
  const leader = await person('办公厅陈秘书长', ['leader'], office.id);

  // ---- plan 1: a round through feedback, an escalated objection, a submitted revision ----
  const plan1 = await services.plans.createPlan(organizer.actor, {
    name: '某省数字经济发展规划',
    ownerUnitId: ndrc.id,
  });
  const v1 = await services.drafts.importVersion(organizer.actor, {
    planId: plan1.id,
    fileName: '数字经济发展规划（征求意见稿）.md',
    data: Buffer.from(SAMPLE_DRAFT),
  });
  const round1 = await services.rounds.createRound(organizer.actor, plan1.id, {
    versionId: v1.version.id,
    title: '第一轮部门征求意见',
    kind: 'internal',
    opensAt: new Date().toISOString(),
    workingDays: 10,
    scope: null,
    visibility: 'after_close',
    silencePolicy: 'no_reply',
    invitations: [{ unitId: finance.id, mandatory: true }],
  });
  await services.rounds.scheduleRound(organizer.actor, round1.id);
  await services.rounds.openRound(organizer.actor, round1.id);
  const [invitation] = await services.rounds.listInvitations(organizer.actor, round1.id);
  const tree = await services.drafts.getClauseTree(organizer.actor, v1.version.id);
  const flat: { stableId: string; number: string | null }[] = [];
  const walk = (nodes: typeof tree.clauses): void => {
    for (const n of nodes) {
      flat.push({ stableId: n.stableId, number: n.number });
      walk(n.children);
    }
  };
  walk(tree.clauses);
  const article = (number: string) => flat.find((c) => c.number === number)!.stableId;
  const disputed = await services.opinions.createOpinion(liaison.actor, round1.id, {
    clauseStableId: article('第二条'),
    suggestion: '建议将“达到15%”修改为“达到12%”。',
    reasons: '2025年全省核心产业增加值占比约为9.8%，年均提高1个百分点以上难度较大。',
    proposedText: null,
    kind: 'substantive',
    blocking: false,
  });
  const adopted = await services.opinions.createOpinion(liaison.actor, round1.id, {
    clauseStableId: article('第四条'),
    suggestion: '建议明确公共数据授权运营的牵头部门。',
    reasons: '便于落实责任。',
    proposedText: '加强数据要素市场培育，由省数据局牵头建立公共数据授权运营制度。',
    kind: 'substantive',
    blocking: false,
  });
  await services.replies.submitForReview(liaison.actor, invitation!.id);
  await services.replies.signOff(head.actor, invitation!.id);
  await services.replies.send(liaison.actor, invitation!.id, { position: 'agree_with_amendments' });
  await services.rounds.closeRound(organizer.actor, round1.id);
  await services.rounds.startAssessment(organizer.actor, round1.id);
  const notAdopted = await services.dispositions.proposeDisposition(organizer.actor, disputed.id, {
    code: 'not_adopted',
    reason: '15%的目标与国家数字经济发展规划衔接，予以保留。',
    basis: 'law_policy',
  });
  await services.dispositions.approveDisposition(approver.actor, notAdopted.id);
  const adoption = await services.dispositions.proposeDisposition(organizer.actor, adopted.id, {
    code: 'adopted',
  });
  await services.dispositions.approveDisposition(approver.actor, adoption.id);
  const [letter] = await services.feedback.sendFeedback(organizer.actor, round1.id);
  const objected = await services.feedback.respond(liaison.actor, letter!.id, {
    opinionId: disputed.id,
    response: 'objected',
    reasons: '我单位测算表明15%难以实现，请领导小组协调。',
  });
  const objectionId = objected.objection!.id;
  await services.feedback.reviewObjection(organizer.actor, objectionId, {
    outcome: 'escalate',
    note: '涉及核心指标调整，提请领导小组研究决定。',
  });
  const revision = await services.revisions.startRevision(organizer.actor, plan1.id);
  await services.revisions.acceptOpinion(organizer.actor, revision.revision.id, adopted.id);
  await services.revisions.submitRevision(organizer.actor, revision.revision.id);

  // ---- plan 2: an open round with no reply yet, and an urgent round waiting for a leader ----
  const plan2 = await services.plans.createPlan(transportOrganizer.actor, {
    name: '某省综合交通运输发展规划',
    ownerUnitId: transport.id,
  });
  const v2 = await services.drafts.importVersion(transportOrganizer.actor, {
    planId: plan2.id,
    fileName: '综合交通规划.md',
    data: Buffer.from(
      '# 某省综合交通运输发展规划\n\n## 第一章 总体要求\n\n第一条 加快建设人民满意交通。\n\n第二条 到2030年，全省高速公路通车里程达到8000公里。\n',
    ),
  });
  const round2 = await services.rounds.createRound(transportOrganizer.actor, plan2.id, {
    versionId: v2.version.id,
    title: '综合交通规划部门征求',
    kind: 'internal',
    opensAt: new Date().toISOString(),
    workingDays: 10,
    scope: null,
    visibility: 'after_close',
    silencePolicy: 'no_reply',
    invitations: [{ unitId: finance.id, mandatory: true }],
  });
  await services.rounds.scheduleRound(transportOrganizer.actor, round2.id);
  await services.rounds.openRound(transportOrganizer.actor, round2.id);
  const urgent = await services.rounds.createRound(transportOrganizer.actor, plan2.id, {
    versionId: v2.version.id,
    title: '重大项目补充征求',
    kind: 'internal',
    opensAt: new Date(Date.now() + 86400_000).toISOString(),
    workingDays: 2,
    scope: null,
    visibility: 'after_close',
    silencePolicy: 'no_reply',
    urgent: { reason: '国家重大项目申报截止前须完成征求。' },
    invitations: [{ unitId: finance.id, mandatory: true }],
  });
  expect(urgent.urgentStatus).toBe('pending');
  return {
    organizer,
    leader,
    plan1,
    plan2,
    revisionId: revision.revision.id,
    objectionId,
    urgentId: urgent.id,
  };
}

describe.skipIf(!browserAvailable())('the leader’s dashboard and approvals, in a real browser', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  it('shows the plans’ figures and lets a leader decide an urgent round, a revision and an objection', async () => {
    const services = createServices({ database: e2e.server.database, config: loadConfig({}) });
    const setup = await buildConsultation(services);
    const db = e2e.server.database.db;

    // ---- the leader lands on the dashboard and sees both plans' figures ----
    const ldr = await signIn(e2e, setup.leader);
    await expect.poll(() => new URL(ldr.url()).pathname).toBe('/dashboard');
    await expect.poll(visible(ldr, '领导看板')).toBe(true);
    const cards = ldr.getByTestId('dashboard-plan');
    await expect.poll(() => cards.count()).toBe(2);
    const card1 = cards.filter({ hasText: setup.plan1.name });
    const card2 = cards.filter({ hasText: setup.plan2.name });
    await expect
      .poll(() => card1.getByTestId('plan-opinions').textContent())
      .toBe('收到 2 · 已处理 2 · 采纳 1');
    await expect.poll(() => card1.textContent()).toContain('采纳率 50%');
    await expect.poll(() => card1.textContent()).toContain('待高层协调 1');
    await expect.poll(() => card1.textContent()).toContain('待审批');
    await expect.poll(() => card2.getByTestId('open-round').textContent()).toContain('已回复 0/1 家单位');
    await expect.poll(() => card2.textContent()).toContain('征求中 1');
    await expect.poll(() => ldr.getByTestId('headline').textContent()).toContain('待我审批3');
    await snap(ldr, 'leader-01-dashboard');

    // ---- the approvals page: three items ----
    await ldr.getByRole('button', { name: '去审批' }).click();
    await expect.poll(() => new URL(ldr.url()).pathname).toBe('/approvals');
    await expect.poll(() => ldr.getByTestId('approval-count').textContent()).toBe('共 3 项等待您审批');
    await snap(ldr, 'leader-02-approvals');

    // The urgent round's shortened period: approved.
    const urgent = ldr.getByTestId('pending-urgent');
    await expect.poll(() => urgent.textContent()).toContain('国家重大项目申报截止前须完成征求。');
    await confirmVia(ldr, urgent.getByRole('button', { name: '批准缩短期限' }), '批准缩短期限');
    await expect.poll(visible(ldr, '没有待审批的紧急征求')).toBe(true);
    const round = await db
      .selectFrom('round')
      .select(['urgent_status'])
      .where('id', '=', setup.urgentId)
      .executeTakeFirstOrThrow();
    expect(round.urgent_status).toBe('approved');

    // The revision: its tracked changes read, then returned with a note.
    const pendingRevision = ldr.getByTestId('pending-revision');
    await pendingRevision.getByText('查看修订内容').click();
    await expect
      .poll(() => pendingRevision.textContent(), { timeout: 10_000 })
      .toContain('由省数据局牵头建立公共数据授权运营制度');
    await snap(ldr, 'leader-03-revision-changes');
    await pendingRevision.getByRole('button', { name: /退回修改/ }).click();
    const dialog = ldr.getByRole('dialog');
    await dialog.getByRole('button', { name: '确认退回' }).click();
    await expect.poll(visible(ldr, '请填写退回意见')).toBe(true);
    await dialog.getByLabel('退回意见').fill('请补充第二条指标调整的测算依据后再报。');
    await dialog.getByRole('button', { name: '确认退回' }).click();
    await expect.poll(visible(ldr, '没有待审批的修改稿')).toBe(true);
    const returned = await db
      .selectFrom('revision')
      .select(['status', 'return_note'])
      .where('id', '=', setup.revisionId)
      .executeTakeFirstOrThrow();
    expect(returned).toEqual({ status: 'draft', return_note: '请补充第二条指标调整的测算依据后再报。' });

    // The escalated objection (高层协调): dissent recorded, after the form is checked and confirmed.
    const objection = ldr.getByTestId('pending-objection');
    await expect.poll(() => objection.textContent()).toContain('我单位测算表明15%难以实现');
    await expect.poll(() => objection.textContent()).toContain('涉及核心指标调整');
    await objection.getByRole('radio', { name: '记录分歧（仍有分歧）' }).check();
    await objection.getByRole('button', { name: '提交决定' }).click();
    await expect.poll(visible(ldr, '请填写决定说明')).toBe(true);
    await objection.getByLabel('决定说明').fill('维持15%的目标，分歧意见在征求意见情况说明中列明。');
    await objection.getByRole('button', { name: '提交决定' }).click();
    await snap(ldr, 'leader-04-objection-confirm');
    await confirm(ldr, '提交决定');
    await expect.poll(visible(ldr, '没有待决定的异议')).toBe(true);
    const decided = await db
      .selectFrom('objection')
      .select(['status', 'review_note'])
      .where('id', '=', setup.objectionId)
      .executeTakeFirstOrThrow();
    expect(decided).toEqual({
      status: 'dissent_recorded',
      review_note: '维持15%的目标，分歧意见在征求意见情况说明中列明。',
    });
    await expect.poll(visible(ldr, '没有等待您审批的事项')).toBe(true);
    await snap(ldr, 'leader-05-approvals-done');

    // ---- the organizer reads the note, inserts and deletes a clause, and submits again ----
    const org = await signIn(e2e, setup.organizer);
    await org.goto(`${e2e.url}/plans/${setup.plan1.id}/revision`);
    await expect
      .poll(() => org.getByTestId('return-note').textContent())
      .toContain('请补充第二条指标调整的测算依据后再报。');
    await expect.poll(() => org.getByTestId('revision-status').textContent()).toBe('修订中');
    // Clauses are found by their text: inserting renumbers the articles after the new one.
    const clause = (text: string) => org.getByTestId('revision-clause').filter({ hasText: text }).first();
    await clause('公共数据授权运营')
      .getByRole('button', { name: /在此后插入/ })
      .click();
    await org
      .getByRole('dialog')
      .getByLabel('条款内容')
      .fill('建立数字经济发展监测评估机制，每年发布评估报告。');
    await org.getByRole('dialog').getByRole('button', { name: '插入条款' }).click();
    await expect.poll(visible(org, '建立数字经济发展监测评估机制，每年发布评估报告。')).toBe(true);
    await confirmVia(org, clause('加大财政支持力度').getByRole('button', { name: /删除/ }), '删除');
    await expect.poll(() => clause('加大财政支持力度').textContent()).toContain('已删除');
    await expect.poll(visible(org, '共 3 处修改')).toBe(true);
    await expect.poll(() => org.getByRole('button', { name: '发布修改稿' }).isDisabled()).toBe(true);
    await snap(org, 'leader-06-revision-returned');
    await confirmVia(org, org.getByRole('button', { name: '提交审批' }), '提交审批');
    await expect.poll(() => org.getByTestId('revision-status').textContent()).toBe('待审批');
    // Read-only while submitted.
    await expect.poll(() => org.getByRole('button', { name: /在此后插入/ }).count()).toBe(0);

    // ---- the leader approves on the revision page itself; the organizer publishes ----
    await ldr.goto(`${e2e.url}/plans/${setup.plan1.id}/revision`);
    await expect.poll(() => ldr.getByTestId('revision-status').textContent()).toBe('待审批');
    await confirmVia(ldr, ldr.getByRole('button', { name: '批准', exact: true }), '批准');
    await expect.poll(() => ldr.getByTestId('revision-status').textContent()).toBe('已批准');
    await snap(ldr, 'leader-07-revision-approved');
    await org.reload();
    await expect.poll(() => org.getByTestId('revision-status').textContent()).toBe('已批准');
    await confirmVia(org, org.getByRole('button', { name: '发布修改稿' }), '确定');
    await expect.poll(visible(org, /已发布 v2/), { timeout: 10_000 }).toBe(true);
    const published = await db
      .selectFrom('revision')
      .select(['status', 'approved_by'])
      .where('id', '=', setup.revisionId)
      .executeTakeFirstOrThrow();
    expect(published).toEqual({ status: 'published', approved_by: setup.leader.actor.userId });

    // ---- on a 375 px phone the dashboard fits the screen and its links work ----
    const phone = await signIn(e2e, setup.leader, PHONE);
    await expect.poll(() => phone.getByTestId('dashboard-plan').count()).toBe(2);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expect.poll(() => phone.getByTestId('headline').isVisible()).toBe(true);
    await expect.poll(() => phone.getByTestId('headline').textContent()).toContain('待我审批0');
    await snap(phone, 'leader-08-dashboard-phone');
    await phone.getByRole('link', { name: `指标分析 ${setup.plan2.name}` }).click();
    await expect.poll(() => new URL(phone.url()).pathname).toBe(`/plans/${setup.plan2.id}/metrics`);
    await phone.goBack();
    await phone.getByRole('link', { name: `打开规划 ${setup.plan1.name}` }).click();
    await expect.poll(() => new URL(phone.url()).pathname).toBe(`/plans/${setup.plan1.id}`);
    await phone.goto(`${e2e.url}/approvals`);
    await expect.poll(visible(phone, '没有等待您审批的事项')).toBe(true);
    await snap(phone, 'leader-09-approvals-phone');
  }, 300_000);
});
