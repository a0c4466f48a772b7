import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import type { TestUser } from './factories.ts';
import { createUnit, createUser } from './factories.ts';

describeDb('revision approval by a leader', (db) => {
  let t: TestApp;
  let round: TestRound;
  let organizer: TestClient;
  let leader: TestClient;
  let liaison: TestClient;
  let outsiderLeader: TestClient;
  let provinceLeaderUser: TestUser;

  beforeEach(async () => {
    t = await createTestApp(db());
    round = await createRound(db());
    // The owner unit sits under a provincial unit, whose leader is over the plan too.
    const province = await createUnit(db(), { name: '省人民政府办公厅' });
    await db()
      .db.updateTable('unit')
      .set({ parent_id: province.id })
      .where('id', '=', round.ownerUnit.id)
      .execute();
    provinceLeaderUser = await createUser(db(), { roles: ['leader'], unitId: province.id });
    organizer = await t.signIn(round.organizer);
    leader = await t.signIn(round.leader);
    liaison = await t.signIn(round.invited[0]!.liaison);
    const other = await createUnit(db());
    outsiderLeader = await t.signIn(await createUser(db(), { roles: ['leader'], unitId: other.id }));
  });
  afterEach(() => t.close());

  const url = (id: string, action: string) => `/api/v1/revisions/${id}/${action}`;
  const start = async (): Promise<string> => {
    const response = await organizer.post(`/api/v1/plans/${round.planId}/revisions`);
    expect(response.statusCode).toBe(201);
    return response.json<{ revision: { id: string } }>().revision.id;
  };
  const status = async (id: string): Promise<string> =>
    (await db().db.selectFrom('revision').select('status').where('id', '=', id).executeTakeFirstOrThrow())
      .status;

  it("lists a plan's revisions to its organizers and leaders, and to no one else", async () => {
    const list = `/api/v1/plans/${round.planId}/revisions`;
    expect((await organizer.get(list)).json()).toEqual([]);
    const id = await start();
    const a2 = round.articles[1]!;
    await organizer.put(`/api/v1/revisions/${id}/clauses/${a2.stableId}`, { text: '修改后的第二条。' });
    const response = await leader.get(list);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      expect.objectContaining({
        id,
        status: 'draft',
        baseVersion: { id: round.versionId, seq: 1, label: 'v1' },
        changeCount: 1,
        createdBy: round.organizer.id,
        createdByName: round.organizer.name,
        submittedBy: null,
        approvedBy: null,
        returnNote: null,
      }),
    ]);
    expect((await liaison.get(list)).statusCode).toBe(403);
    expect((await outsiderLeader.get(list)).statusCode).toBe(403);
    expect((await organizer.get('/api/v1/plans/nope/revisions')).statusCode).toBe(404);
  });

  it('submits, returns with a note, resubmits, approves and only then publishes', async () => {
    const id = await start();
    const a2 = round.articles[1]!;
    const edit = (client: TestClient, text: string) =>
      client.put(`/api/v1/revisions/${id}/clauses/${a2.stableId}`, { text });
    expect((await edit(organizer, '第一稿。')).statusCode).toBe(200);

    // Submitting: the plan's organizers only.
    expect((await liaison.post(url(id, 'submit'))).statusCode).toBe(403);
    expect((await leader.post(url(id, 'submit'))).statusCode).toBe(403);
    expect((await leader.post(url(id, 'approve'))).statusCode).toBe(409);
    const submitted = await organizer.post(url(id, 'submit'));
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json().revision).toMatchObject({ status: 'submitted', submittedBy: round.organizer.id });
    expect((await organizer.post(url(id, 'submit'))).statusCode).toBe(409);

    // Read-only while submitted: every edit is refused with the state named.
    const refused = await edit(organizer, '偷改。');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details).toMatchObject({ state: 'submitted', event: 'edit' });
    expect(
      (
        await organizer.post(`/api/v1/revisions/${id}/clauses`, {
          afterStableId: a2.stableId,
          text: '新增一条。',
        })
      ).statusCode,
    ).toBe(409);
    expect((await organizer.delete(`/api/v1/revisions/${id}/clauses/${a2.stableId}`)).statusCode).toBe(409);
    expect((await organizer.post(url(id, 'publish'))).statusCode).toBe(409);

    // Returning: a leader over the plan, with a note.
    expect((await organizer.post(url(id, 'return'), { note: '请补充依据。' })).statusCode).toBe(403);
    expect((await liaison.post(url(id, 'return'), { note: '请补充依据。' })).statusCode).toBe(403);
    expect((await outsiderLeader.post(url(id, 'return'), { note: '请补充依据。' })).statusCode).toBe(403);
    expect((await leader.post(url(id, 'return'), { note: '   ' })).statusCode).toBe(400);
    const returned = await leader.post(url(id, 'return'), { note: '请补充第二条的测算依据。' });
    expect(returned.statusCode).toBe(200);
    expect(returned.json().revision).toMatchObject({
      status: 'draft',
      returnedBy: round.leader.id,
      returnNote: '请补充第二条的测算依据。',
    });
    expect((await leader.post(url(id, 'return'), { note: '再退回。' })).statusCode).toBe(409);

    // Editable again; resubmitted; a leader of the unit above approves.
    expect((await edit(organizer, '第二稿。')).statusCode).toBe(200);
    expect((await organizer.post(url(id, 'submit'))).statusCode).toBe(200);
    expect((await outsiderLeader.post(url(id, 'approve'))).statusCode).toBe(403);
    expect((await organizer.post(url(id, 'approve'))).statusCode).toBe(403);
    const provinceLeader = await t.signIn(provinceLeaderUser);
    const approved = await provinceLeader.post(url(id, 'approve'));
    expect(approved.statusCode).toBe(200);
    expect(approved.json().revision).toMatchObject({ status: 'approved', approvedBy: provinceLeaderUser.id });
    expect((await leader.post(url(id, 'approve'))).statusCode).toBe(409);
    expect((await edit(organizer, '批准后再改。')).statusCode).toBe(409);

    // Publishing: the organizers, once approved.
    expect((await leader.post(url(id, 'publish'))).statusCode).toBe(403);
    const published = await organizer.post(url(id, 'publish'));
    expect(published.statusCode).toBe(201);
    expect(published.json().revision).toMatchObject({
      status: 'published',
      approvedBy: provinceLeaderUser.id,
    });
    expect((await organizer.post(url(id, 'publish'))).statusCode).toBe(409);
    expect((await organizer.post(url(id, 'withdraw'))).statusCode).toBe(409);

    const events = await t.services.ledger.list({
      afterSeq: 0,
      limit: 1000,
      entity: 'revision',
      entityId: id,
    });
    expect(events.map((e) => e.event)).toEqual([
      'revision.started',
      'revision.clause_edited',
      'revision.submitted',
      'revision.returned',
      'revision.clause_edited',
      'revision.submitted',
      'revision.approved',
      'revision.published',
    ]);
    const returnEvent = events.find((e) => e.event === 'revision.returned')!;
    expect(returnEvent.payload).toMatchObject({
      before: 'submitted',
      after: 'draft',
      note: '请补充第二条的测算依据。',
    });
    expect(events.find((e) => e.event === 'revision.approved')!.payload).toMatchObject({
      before: 'submitted',
      after: 'approved',
      submittedBy: round.organizer.id,
    });
  });

  it('lets the organizers withdraw a submitted or approved revision, losing the approval', async () => {
    const id = await start();
    expect((await organizer.post(url(id, 'withdraw'))).statusCode).toBe(409);
    expect((await organizer.post(url(id, 'submit'))).statusCode).toBe(200);
    expect((await leader.post(url(id, 'withdraw'))).statusCode).toBe(403);
    expect((await organizer.post(url(id, 'withdraw'))).statusCode).toBe(200);
    expect(await status(id)).toBe('draft');
    expect((await organizer.post(url(id, 'submit'))).statusCode).toBe(200);
    expect((await leader.post(url(id, 'approve'))).statusCode).toBe(200);
    const withdrawn = await organizer.post(url(id, 'withdraw'));
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json().revision).toMatchObject({ status: 'draft', approvedBy: null, approvedAt: null });
    expect((await organizer.post(url(id, 'publish'))).statusCode).toBe(409);
  });

  it('refuses an approval by the person who submitted (four eyes), and a second open revision', async () => {
    const both = await createUser(db(), { roles: ['organizer', 'leader'], unitId: round.ownerUnit.id });
    const client = await t.signIn(both);
    const started = await client.post(`/api/v1/plans/${round.planId}/revisions`);
    expect(started.statusCode).toBe(201);
    const id = started.json().revision.id as string;
    expect((await client.post(url(id, 'submit'))).statusCode).toBe(200);
    const own = await client.post(url(id, 'approve'));
    expect(own.statusCode).toBe(403);
    expect(own.json().error.details).toMatchObject({ rule: 'four_eyes' });
    expect(await status(id)).toBe('submitted');
    // A submitted revision is still the plan's open one.
    const again = await organizer.post(`/api/v1/plans/${round.planId}/revisions`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details).toMatchObject({ revisionId: id });
    expect((await leader.post(url(id, 'approve'))).statusCode).toBe(200);
  });

  it('refuses anonymous callers and unknown revisions', async () => {
    const id = await start();
    expect((await t.anonymous.post(url(id, 'submit'))).statusCode).toBe(401);
    expect((await organizer.post(url('nope', 'submit'))).statusCode).toBe(404);
    expect((await leader.post(url('nope', 'approve'))).statusCode).toBe(404);
  });
});
