import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createOpinion, createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import type { TestUser } from './factories.ts';
import { createUser } from './factories.ts';

const API = '/api/v1';

describeDb('assessment and dispositions API', (db) => {
  let t: TestApp;
  let round: TestRound;
  let assessor: TestUser;
  let organizer: TestClient;
  let second: TestClient;
  let leader: TestClient;
  let liaison: TestClient;
  let foreign: TestClient;

  beforeEach(async () => {
    t = await createTestApp(db());
    round = await createRound(db(), { status: 'open' });
    assessor = await createUser(db(), { roles: ['organizer'], unitId: round.ownerUnit.id });
    organizer = await t.signIn(round.organizer);
    second = await t.signIn(assessor);
    leader = await t.signIn(round.leader);
    liaison = await t.signIn(round.invited[0]!.liaison);
    const other = await createRound(db(), { status: 'open' });
    foreign = await t.signIn(other.organizer);
  });
  afterEach(() => t.close());

  const dispositionCount = async () =>
    Number(
      (
        await db()
          .db.selectFrom('disposition')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const opinionRow = (id: string) =>
    db().db.selectFrom('opinion').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('assesses submitted opinions while the round is open and keeps a queue per assessor', async () => {
    const first = await createOpinion(db(), round);
    const other = await createOpinion(db(), round, { invited: round.invited[1]! });
    const draft = await createOpinion(db(), round, { status: 'draft' });
    const url = `${API}/opinions/${first.id}/assessment`;

    const assessed = await organizer.patch(url, { priority: 'core', assigneeId: assessor.id });
    expect(assessed.statusCode).toBe(200);
    expect(assessed.json()).toMatchObject({
      priority: 'core',
      assigneeId: assessor.id,
      dispositionStatus: 'pending',
    });
    expect((await liaison.patch(url, { priority: 'secondary' })).statusCode).toBe(403);
    expect((await foreign.patch(url, { priority: 'secondary' })).statusCode).toBe(403);
    expect((await t.anonymous.patch(url, { priority: 'secondary' })).statusCode).toBe(401);
    const badAssignee = await organizer.patch(url, { assigneeId: round.invited[0]!.liaison.id });
    expect(badAssignee.statusCode).toBe(400);
    expect(badAssignee.json().error.details).toMatchObject({ field: 'assigneeId' });
    expect(
      (await organizer.patch(`${API}/opinions/${draft.id}/assessment`, { priority: 'core' })).statusCode,
    ).toBe(409);
    expect(await opinionRow(first.id)).toMatchObject({ priority: 'core', assignee_id: assessor.id });

    const queue = `${API}/rounds/${round.roundId}/assessment-queue`;
    const ids = (response: { json(): { items: { id: string }[] } }) => response.json().items.map((o) => o.id);
    const mine = await second.get(`${queue}?assignee=me`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ nextCursor: null });
    expect(ids(mine)).toEqual([first.id]);
    expect(ids(await organizer.get(`${queue}?assignee=me`))).toEqual([]);
    const all = await organizer.get(`${queue}?status=pending`);
    expect(ids(all).sort()).toEqual([first.id, other.id].sort());
    expect(ids(await organizer.get(`${queue}?assignee=${assessor.id}&status=approved`))).toEqual([]);
    expect((await liaison.get(queue)).statusCode).toBe(403);
    expect((await foreign.get(queue)).statusCode).toBe(403);
    expect((await t.anonymous.get(queue)).statusCode).toBe(401);
  });

  it('pages the assessment queue by registration number, a missing number first, on every dialect', async () => {
    const created = [];
    for (let i = 0; i < 5; i++) {
      created.push(await createOpinion(db(), round, { invited: round.invited[i % 2]! }));
    }
    // A submitted opinion without a registration number sorts first, as the empty string.
    await db().db.updateTable('opinion').set({ reg_no: null }).where('id', '=', created[3]!.id).execute();
    await createOpinion(db(), round, { status: 'draft' });
    const expected = [created[3]!, ...created.filter((_, i) => i !== 3)].map((o) => o.id);
    const queue = `${API}/rounds/${round.roundId}/assessment-queue`;
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await organizer.get(
        `${queue}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(response.statusCode).toBe(200);
      const page = response.json<{ items: { id: string }[]; nextCursor: string | null }>();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(expected);
    expect(pages).toBe(3);

    const badLimit = await organizer.get(`${queue}?limit=500`);
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json().error.details[0].field).toBe('querystring.limit');
    const badCursor = await organizer.get(`${queue}?cursor=not-a-cursor`);
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error.details).toMatchObject({ field: 'cursor' });
    expect((await leader.get(queue)).statusCode).toBe(403);
  });

  it('requires a reason and basis for every code but adopted, and only the plan’s organizers propose', async () => {
    const opinion = await createOpinion(db(), round);
    const url = `${API}/opinions/${opinion.id}/dispositions`;

    const noReason = await organizer.post(url, { code: 'not_adopted', basis: 'data' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details).toMatchObject({ field: 'reason' });
    const noBasis = await organizer.post(url, { code: 'explained', reason: '已在第五条体现' });
    expect(noBasis.json().error.details).toMatchObject({ field: 'basis' });
    expect((await liaison.post(url, { code: 'adopted' })).statusCode).toBe(403);
    expect((await foreign.post(url, { code: 'adopted' })).statusCode).toBe(403);
    expect((await t.anonymous.post(url, { code: 'adopted' })).statusCode).toBe(401);
    expect(await dispositionCount()).toBe(0);

    const adopted = await organizer.post(url, { code: 'adopted' });
    expect(adopted.statusCode).toBe(201);
    expect(adopted.json()).toMatchObject({ code: 'adopted', reason: null, status: 'proposed' });
    expect((await opinionRow(opinion.id)).disposition_status).toBe('proposed');

    const again = await second.post(url, { code: 'not_adopted', reason: '目标已经论证', basis: 'data' });
    expect(again.statusCode).toBe(201);
    const history = await organizer.get(url);
    expect(history.json().map((d: { status: string }) => d.status)).toEqual(['superseded', 'proposed']);
    expect((await liaison.get(url)).statusCode).toBe(403);
    const events = await db()
      .db.selectFrom('ledger_event')
      .select('event')
      .where('event', '=', 'disposition.proposed')
      .execute();
    expect(events).toHaveLength(2);
  });

  it('is approved by another person than its proposer, superseding the earlier approval', async () => {
    const opinion = await createOpinion(db(), round);
    const url = `${API}/opinions/${opinion.id}/dispositions`;
    const proposed = (await organizer.post(url, { code: 'adopted' })).json<{ id: string }>();

    const own = await organizer.post(`${API}/dispositions/${proposed.id}/approve`);
    expect(own.statusCode).toBe(403);
    expect(own.json().error).toMatchObject({ details: { rule: 'four_eyes' } });
    expect(own.json().error.message).toMatch(/other than its proposer/);
    expect((await liaison.post(`${API}/dispositions/${proposed.id}/approve`)).statusCode).toBe(403);
    expect((await foreign.post(`${API}/dispositions/${proposed.id}/approve`)).statusCode).toBe(403);
    expect((await t.anonymous.post(`${API}/dispositions/${proposed.id}/approve`)).statusCode).toBe(401);

    const approved = await second.post(`${API}/dispositions/${proposed.id}/approve`);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', decidedBy: assessor.id });
    expect((await opinionRow(opinion.id)).disposition_status).toBe('approved');
    expect((await second.post(`${API}/dispositions/${proposed.id}/approve`)).statusCode).toBe(409);

    // A new proposal, rejected by a leader: the opinion falls back to its approved disposition.
    const rethink = (
      await second.post(url, { code: 'partially_adopted', reason: '部分采纳', basis: 'data' })
    ).json<{ id: string }>();
    expect((await second.post(`${API}/dispositions/${rethink.id}/reject`)).statusCode).toBe(403);
    expect((await leader.post(`${API}/dispositions/${rethink.id}/reject`, { note: '维持' })).statusCode).toBe(
      200,
    );
    expect((await opinionRow(opinion.id)).disposition_status).toBe('approved');

    // A second approval supersedes the first.
    const later = (
      await second.post(url, { code: 'explained', reason: '已有专项规划', basis: 'responsibilities' })
    ).json<{ id: string }>();
    expect((await leader.post(`${API}/dispositions/${later.id}/approve`)).statusCode).toBe(200);
    const history = (await organizer.get(url)).json<{ id: string; status: string }[]>();
    expect(history.map((d) => [d.id, d.status])).toEqual([
      [proposed.id, 'superseded'],
      [rethink.id, 'rejected'],
      [later.id, 'approved'],
    ]);
  });

  it('disposes in bulk all or nothing, with reason templates', async () => {
    const opinions = [
      await createOpinion(db(), round),
      await createOpinion(db(), round),
      await createOpinion(db(), round, { invited: round.invited[1]! }),
    ];
    const draft = await createOpinion(db(), round, { status: 'draft' });
    const otherRound = await createRound(db());
    const stranger = await createOpinion(db(), otherRound);
    const url = `${API}/rounds/${round.roundId}/dispositions/bulk`;
    const ids = opinions.map((o) => o.id);

    for (const bad of [draft.id, stranger.id, 'no-such-id']) {
      const refused = await organizer.post(url, {
        opinionIds: [...ids, bad],
        code: 'not_adopted',
        reason: '与上位规划不一致',
        basis: 'law_policy',
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.details).toMatchObject({ field: 'opinionIds', invalid: [bad] });
    }
    expect(await dispositionCount()).toBe(0);
    expect((await liaison.post(url, { opinionIds: ids, code: 'adopted' })).statusCode).toBe(403);
    expect((await foreign.post(url, { opinionIds: ids, code: 'adopted' })).statusCode).toBe(403);
    expect((await t.anonymous.post(url, { opinionIds: ids, code: 'adopted' })).statusCode).toBe(401);
    expect((await organizer.post(url, { opinionIds: ids, code: 'explained' })).statusCode).toBe(400);

    const template = await organizer.post(`${API}/reason-templates`, {
      planId: round.planId,
      code: 'explained',
      basis: 'responsibilities',
      text: '该事项属于其他部门职责，已转有关部门研究。',
    });
    expect(template.statusCode).toBe(201);
    const templateId = template.json<{ id: string }>().id;
    const wrongCode = await organizer.post(url, { opinionIds: ids, code: 'not_adopted', templateId });
    expect(wrongCode.json().error.details).toMatchObject({ field: 'templateId' });

    const done = await organizer.post(url, { opinionIds: ids, code: 'explained', templateId });
    expect(done.statusCode).toBe(201);
    expect(done.json()).toHaveLength(3);
    expect(done.json()[0]).toMatchObject({
      code: 'explained',
      basis: 'responsibilities',
      reason: '该事项属于其他部门职责，已转有关部门研究。',
      status: 'proposed',
    });
    for (const id of ids) {
      expect((await opinionRow(id)).disposition_status).toBe('proposed');
    }
  });

  it('keeps reason templates per plan or global for organizers', async () => {
    const url = `${API}/reason-templates`;
    const global = await organizer.post(url, {
      code: 'out_of_scope',
      basis: 'out_of_scope',
      text: '不属于本规划范围',
    });
    expect(global.statusCode).toBe(201);
    const planTemplate = await organizer.post(url, {
      planId: round.planId,
      code: 'already_reflected',
      basis: 'other',
      text: '草案第三条已体现',
    });
    expect(planTemplate.statusCode).toBe(201);
    const noBasis = await organizer.post(url, { code: 'explained', text: '说明' });
    expect(noBasis.json().error.details).toMatchObject({ field: 'basis' });
    expect((await liaison.post(url, { code: 'adopted', text: '采纳' })).statusCode).toBe(403);
    expect(
      (await foreign.post(url, { planId: round.planId, code: 'adopted', text: '采纳' })).statusCode,
    ).toBe(403);
    expect((await t.anonymous.get(url)).statusCode).toBe(401);
    expect((await liaison.get(url)).statusCode).toBe(403);

    expect((await organizer.get(url)).json()).toHaveLength(1);
    expect((await organizer.get(`${url}?planId=${round.planId}`)).json()).toHaveLength(2);
    expect((await foreign.get(`${url}?planId=${round.planId}`)).statusCode).toBe(403);

    const planTemplateId = planTemplate.json<{ id: string }>().id;
    expect((await foreign.delete(`${url}/${planTemplateId}`)).statusCode).toBe(403);
    expect((await foreign.delete(`${url}/${global.json<{ id: string }>().id}`)).statusCode).toBe(403);
    expect((await second.delete(`${url}/${planTemplateId}`)).statusCode).toBe(204);
    expect((await organizer.get(`${url}?planId=${round.planId}`)).json()).toHaveLength(1);
  });

  it('opens a follow-up when a for_reference disposition is approved', async () => {
    const opinion = await createOpinion(db(), round);
    const proposed = await organizer.post(`${API}/opinions/${opinion.id}/dispositions`, {
      code: 'for_reference',
      reason: '在实施方案中统筹考虑',
      basis: 'other',
    });
    expect(
      await db().db.selectFrom('follow_up').selectAll().where('opinion_id', '=', opinion.id).execute(),
    ).toHaveLength(0);
    expect(
      (await second.post(`${API}/dispositions/${proposed.json<{ id: string }>().id}/approve`)).statusCode,
    ).toBe(200);
    const followUps = await db()
      .db.selectFrom('follow_up')
      .selectAll()
      .where('opinion_id', '=', opinion.id)
      .execute();
    expect(followUps).toMatchObject([
      { plan_id: round.planId, status: 'open', note: '在实施方案中统筹考虑' },
    ]);
  });
});
