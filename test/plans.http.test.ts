import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import { describeDb } from './db.ts';
import type { TestUnit } from './factories.ts';
import { createUnit, createUser } from './factories.ts';

const LAW_V1 = [
  '# 示范条例',
  '',
  '## 第一章 总则',
  '',
  '第一条 为了规范规划编制工作，制定本条例。',
  '',
  '第二条 本条例适用于本省行政区域内的规划编制活动。',
  '',
  '## 第二章 征求意见',
  '',
  '第三条 编制单位应当征求有关部门意见，有下列情形之一的，应当组织论证：',
  '',
  '（一）涉及重大项目布局；',
  '',
  '（二）涉及约束性指标调整。',
  '',
  '第四条 有关部门应当在规定期限内反馈意见。',
].join('\n');

// v2 inserts an article at the start of chapter two, renumbering the rest, and edits article 4.
const LAW_V2 = LAW_V1.replace(
  '第三条 编制单位应当征求有关部门意见',
  '第三条 编制单位应当公开征求社会公众意见，期限不少于三十日。\n\n第四条 编制单位应当征求有关部门意见',
).replace('第四条 有关部门应当在规定期限内反馈意见。', '第五条 有关部门应当在十个工作日内反馈书面意见。');

describeDb('plans and drafts API', (db) => {
  let t: TestApp;
  let unit: TestUnit;
  let other: TestUnit;
  let organizer: TestClient;
  let outsider: TestClient;

  beforeEach(async () => {
    t = await createTestApp(db(), { env: { CONCORD_UPLOAD_LIMIT_BYTES: '200000' } });
    const province = await createUnit(db(), { level: 'province' });
    unit = await createUnit(db(), { level: 'city', parentId: province.id });
    other = await createUnit(db(), { level: 'city', parentId: province.id });
    organizer = await t.signIn(await createUser(db(), { roles: ['organizer'], unitId: unit.id }));
    outsider = await t.signIn(await createUser(db(), { roles: ['organizer'], unitId: other.id }));
  });
  afterEach(() => t.close());

  const createPlan = async (client = organizer) => {
    const response = await client.post('/api/v1/plans', {
      name: '“十五五”规划纲要',
      description: '征求意见稿',
    });
    expect(response.statusCode).toBe(201);
    return response.json<{ id: string }>().id;
  };

  const upload = (client: TestClient, planId: string, name: string, text: string | Buffer) =>
    client.upload(`/api/v1/plans/${planId}/versions`, {
      name,
      data: Buffer.isBuffer(text) ? text : Buffer.from(text),
    });

  it('lets an organizer start a plan for their unit, and refuses others', async () => {
    const created = await organizer.post('/api/v1/plans', { name: '规划A' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: '规划A', ownerUnitId: unit.id, versionCount: 0 });
    const liaison = await t.signIn(await createUser(db(), { roles: ['liaison'], unitId: unit.id }));
    expect((await liaison.post('/api/v1/plans', { name: '规划B' })).statusCode).toBe(403);
    expect((await t.anonymous.post('/api/v1/plans', { name: '规划B' })).statusCode).toBe(401);
    const foreign = await organizer.post('/api/v1/plans', { name: '规划C', ownerUnitId: other.id });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.details).toMatchObject({ field: 'ownerUnitId' });
    const empty = await organizer.post('/api/v1/plans', { name: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details[0].field).toBe('body.name');
    const plans = await db().db.selectFrom('plan').select('name').execute();
    expect(plans.map((p) => p.name)).toEqual(['规划A']);
  });

  it('shows a plan to its unit and to leaders above, never to another unit', async () => {
    const planId = await createPlan();
    expect((await organizer.get(`/api/v1/plans/${planId}`)).statusCode).toBe(200);
    const refused = await outsider.get(`/api/v1/plans/${planId}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('forbidden');
    expect((await outsider.get('/api/v1/plans')).json()).toEqual([]);
    expect((await organizer.get('/api/v1/plans')).json().map((p: { id: string }) => p.id)).toEqual([planId]);
    const parentLeader = await t.signIn(
      await createUser(db(), {
        roles: ['leader'],
        unitId: (
          await db()
            .db.selectFrom('unit')
            .select('parent_id')
            .where('id', '=', unit.id)
            .executeTakeFirstOrThrow()
        ).parent_id,
      }),
    );
    expect((await parentLeader.get(`/api/v1/plans/${planId}`)).statusCode).toBe(200);
    expect((await parentLeader.get('/api/v1/plans')).json()).toHaveLength(1);
    expect((await organizer.get('/api/v1/plans/no-such-plan')).statusCode).toBe(404);
  });

  it('imports a draft into a clause tree, for the plan organizers only', async () => {
    const planId = await createPlan();
    const refused = await upload(outsider, planId, '条例.md', LAW_V1);
    expect(refused.statusCode).toBe(403);
    const liaison = await t.signIn(await createUser(db(), { roles: ['liaison'], unitId: unit.id }));
    expect((await upload(liaison, planId, '条例.md', LAW_V1)).statusCode).toBe(403);
    const response = await upload(organizer, planId, '条例.md', LAW_V1);
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.counts).toMatchObject({ chapter: 2, article: 4, 'cn-paren': 2 });
    expect(body.match).toBeNull();
    expect(body.version).toMatchObject({ seq: 1, label: 'v1', format: 'markdown', clauseCount: 8 });

    const versions = await organizer.get(`/api/v1/plans/${planId}/versions`);
    expect(versions.statusCode).toBe(200);
    expect(versions.json().map((v: { id: string }) => v.id)).toEqual([body.version.id]);
    expect((await outsider.get(`/api/v1/plans/${planId}/versions`)).statusCode).toBe(403);

    const tree = await organizer.get(`/api/v1/versions/${body.version.id}`);
    expect(tree.statusCode).toBe(200);
    const chapters = tree.json().clauses;
    expect(chapters.map((c: { number: string }) => c.number)).toEqual(['第一章', '第二章']);
    expect(chapters[0].heading).toBe('总则');
    const article3 = chapters[1].children[0];
    expect(article3).toMatchObject({ number: '第三条', kind: 'article' });
    expect(article3.children.map((c: { number: string }) => c.number)).toEqual(['（一）', '（二）']);
    expect((await outsider.get(`/api/v1/versions/${body.version.id}`)).statusCode).toBe(403);
    const events = await t.services.ledger.list({ afterSeq: 0, limit: 10, entity: 'draft_version' });
    expect(events.map((e) => e.event)).toEqual(['draft.imported']);
  });

  it('matches the next version to the previous one and keeps stable ids across renumbering', async () => {
    const planId = await createPlan();
    const v1 = (await upload(organizer, planId, 'v1.md', LAW_V1)).json();
    const v2Response = await upload(organizer, planId, 'v2.md', LAW_V2);
    expect(v2Response.statusCode).toBe(201);
    const v2 = v2Response.json();
    expect(v2.version).toMatchObject({ seq: 2, previousVersionId: v1.version.id });
    const { matched, changed, uncertain, removed } = v2.match;
    expect(v2.match.new + matched + changed + uncertain).toBe(9);
    expect(matched + changed + uncertain + removed).toBe(8);
    expect(matched).toBeGreaterThanOrEqual(6);

    const flat = (
      nodes: { stableId: string; number: string; text: string; children: never[] }[],
    ): { stableId: string; number: string; text: string }[] => nodes.flatMap((n) => [n, ...flat(n.children)]);
    const before = flat((await organizer.get(`/api/v1/versions/${v1.version.id}`)).json().clauses);
    const after = flat((await organizer.get(`/api/v1/versions/${v2.version.id}`)).json().clauses);
    const old3 = before.find((c) => c.number === '第三条')!;
    const new4 = after.find((c) => c.number === '第四条')!;
    expect(new4.stableId).toBe(old3.stableId); // 原第三条 → 现第四条
    const new3 = after.find((c) => c.number === '第三条')!;
    expect(before.map((c) => c.stableId)).not.toContain(new3.stableId);

    const diff = await organizer.get(`/api/v1/versions/${v2.version.id}/diff?against=${v1.version.id}`);
    expect(diff.statusCode).toBe(200);
    const entries = diff.json();
    expect(entries.find((e: { stableId: string }) => e.stableId === new3.stableId).status).toBe('added');
    expect(entries.find((e: { stableId: string }) => e.stableId === old3.stableId).status).toBe('renumbered');
    expect(
      (await outsider.get(`/api/v1/versions/${v2.version.id}/diff?against=${v1.version.id}`)).statusCode,
    ).toBe(403);
  });

  it('queues uncertain matches for a person, who accepts or rejects them', async () => {
    const planId = await createPlan();
    const v1 = (
      await upload(
        organizer,
        planId,
        'v1.md',
        '第一条 有关部门应当在规定期限内反馈意见并说明理由。\n\n第二条 本办法自发布之日起施行。',
      )
    ).json();
    const v2 = (
      await upload(
        organizer,
        planId,
        'v2.md',
        '第一条 有关部门应当于十个工作日内书面反馈意见，逾期视为无意见。\n\n第二条 本办法自发布之日起施行。',
      )
    ).json();
    expect(v2.match.uncertain).toBe(1);
    const list = await organizer.get(`/api/v1/versions/${v2.version.id}/match-reviews?status=pending`);
    expect(list.statusCode).toBe(200);
    const [review] = list.json();
    expect(review.candidate.number).toBe('第一条');
    expect((await outsider.get(`/api/v1/versions/${v2.version.id}/match-reviews`)).statusCode).toBe(403);
    expect(
      (await outsider.post(`/api/v1/match-reviews/${review.id}/resolve`, { decision: 'accept' })).statusCode,
    ).toBe(403);

    const accepted = await organizer.post(`/api/v1/match-reviews/${review.id}/resolve`, {
      decision: 'accept',
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({
      status: 'accepted',
      clause: { stableId: review.candidate.stableId },
    });
    const old = (await organizer.get(`/api/v1/versions/${v1.version.id}`)).json().clauses[0];
    expect(accepted.json().clause.stableId).toBe(old.stableId);
    const again = await organizer.post(`/api/v1/match-reviews/${review.id}/resolve`, { decision: 'reject' });
    expect(again.statusCode).toBe(409);
    const version = (await organizer.get(`/api/v1/versions/${v2.version.id}`)).json().version;
    expect(version.match).toMatchObject({ uncertain: 0, changed: v2.match.changed + 1 });
  });

  it('refuses bad uploads with clear errors and writes nothing', async () => {
    const planId = await createPlan();
    const unknown = await upload(organizer, planId, 'draft.pdf', '%PDF-1.4');
    expect(unknown.statusCode).toBe(415);
    expect(unknown.json().error.code).toBe('unsupported_type');
    const corrupt = await upload(organizer, planId, 'draft.docx', Buffer.from('not a zip file at all'));
    expect(corrupt.statusCode).toBe(422);
    expect(corrupt.json().error.code).toBe('invalid_document');
    const empty = await upload(organizer, planId, 'draft.txt', '   \n\n');
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error.code).toBe('empty_document');
    const huge = await upload(organizer, planId, 'draft.txt', 'x'.repeat(300_000));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload_too_large');
    const noFile = await organizer.post(`/api/v1/plans/${planId}/versions`, { name: 'x' });
    expect(noFile.statusCode).toBe(415);
    const versions = await db().db.selectFrom('draft_version').select('id').execute();
    const clauses = await db().db.selectFrom('clause').select('id').execute();
    expect(versions).toHaveLength(0);
    expect(clauses).toHaveLength(0);
  });

  it('turns a text with no numbering into one clause per paragraph, with a warning', async () => {
    const planId = await createPlan();
    const response = await upload(
      organizer,
      planId,
      '说明.txt',
      '这是第一段说明文字。\n这是第二段说明文字。\n这是第三段。',
    );
    expect(response.statusCode).toBe(201);
    expect(response.json().counts).toEqual({ paragraph: 3 });
    expect(response.json().warnings).toHaveLength(1);
  });
});

describeDb('ledger API', (db) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(db());
  });
  afterEach(() => t.close());

  it('lets administrators read and verify the ledger, and refuses everyone else', async () => {
    const admin = await t.signIn(await createUser(db(), { roles: ['admin'] }));
    const organizer = await t.signIn(
      await createUser(db(), { roles: ['organizer'], unitId: (await createUnit(db())).id }),
    );
    await organizer.post('/api/v1/plans', { name: '规划' });
    const events = await admin.get('/api/v1/ledger?limit=10');
    expect(events.statusCode).toBe(200);
    expect(events.json().map((e: { event: string }) => e.event)).toContain('plan.created');
    const verify = await admin.get('/api/v1/ledger/verify');
    expect(verify.json()).toMatchObject({ ok: true, break: null });
    expect(verify.json().checked).toBeGreaterThan(0);
    expect((await organizer.get('/api/v1/ledger')).statusCode).toBe(403);
    expect((await organizer.get('/api/v1/ledger/verify')).statusCode).toBe(403);
  });

  it('publishes the OpenAPI document and the browsable reference', async () => {
    const doc = await t.anonymous.get('/api/openapi.json');
    expect(doc.statusCode).toBe(200);
    const paths = Object.keys(doc.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/plans',
        '/api/v1/plans/{id}/versions',
        '/api/v1/ledger/verify',
      ]),
    );
    const ui = await t.anonymous.get('/api/docs');
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('answers unknown routes and oversized bodies in the one error shape', async () => {
    const missing = await t.anonymous.get('/api/v1/nothing-here');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    const big = await t.anonymous.post('/api/v1/auth/login', { login: 'x'.repeat(2_000_000), password: 'y' });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('payload_too_large');
  });
});
