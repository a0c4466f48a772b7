import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createOpinion, createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import { createUnit, createUser } from './factories.ts';
import { createDisposition } from './integration-factories.ts';

describeDb('revision API', (db) => {
  let t: TestApp;
  let round: TestRound;
  let organizer: TestClient;
  let leader: TestClient;
  let liaison: TestClient;
  let outsider: TestClient;

  beforeEach(async () => {
    t = await createTestApp(db());
    round = await createRound(db());
    organizer = await t.signIn(round.organizer);
    leader = await t.signIn(round.leader);
    liaison = await t.signIn(round.invited[0]!.liaison);
    const other = await createUnit(db());
    outsider = await t.signIn(await createUser(db(), { roles: ['organizer'], unitId: other.id }));
  });
  afterEach(() => t.close());

  const start = async () => {
    const response = await organizer.post(`/api/v1/plans/${round.planId}/revisions`);
    expect(response.statusCode).toBe(201);
    return response.json<{ revision: { id: string } }>().revision.id;
  };

  it('starts one open revision per plan, for the plan organizers only', async () => {
    expect((await liaison.post(`/api/v1/plans/${round.planId}/revisions`)).statusCode).toBe(403);
    expect((await outsider.post(`/api/v1/plans/${round.planId}/revisions`)).statusCode).toBe(403);
    expect((await leader.post(`/api/v1/plans/${round.planId}/revisions`)).statusCode).toBe(403);
    const id = await start();
    const again = await organizer.post(`/api/v1/plans/${round.planId}/revisions`);
    expect(again.statusCode).toBe(409);
    const view = await leader.get(`/api/v1/revisions/${id}`);
    expect(view.statusCode).toBe(200);
    expect(view.json().revision).toMatchObject({ baseVersionId: round.versionId, status: 'draft' });
    expect(view.json().clauses).toHaveLength(round.clauses.length);
    expect((await liaison.get(`/api/v1/revisions/${id}`)).statusCode).toBe(403);
    expect((await outsider.get(`/api/v1/revisions/${id}`)).statusCode).toBe(403);
    expect((await organizer.get('/api/v1/revisions/nope')).statusCode).toBe(404);
  });

  it('accepts an opinion as a tracked change, checks consistency and publishes version 2', async () => {
    const [a1, a2, a3, a4, a5] = round.articles;
    const paren2 = round.clauses.find((c) => c.number === '（二）')!;
    const accepted = await createOpinion(db(), round, { clause: a2! });
    const adoptedNoChange = await createOpinion(db(), round, { clause: a1!, proposedText: null });
    await createDisposition(db(), round, accepted.id, { code: 'adopted' });
    await createDisposition(db(), round, adoptedNoChange.id, {
      code: 'partially_adopted',
      reason: '部分吸收。',
    });
    const openOnA5 = await createOpinion(db(), round, { clause: a5!, proposedText: null });
    const openOnParen = await createOpinion(db(), round, { clause: paren2, proposedText: null });
    const id = await start();

    expect(
      (await liaison.post(`/api/v1/revisions/${id}/accept`, { opinionId: accepted.id })).statusCode,
    ).toBe(403);
    const noText = await organizer.post(`/api/v1/revisions/${id}/accept`, { opinionId: openOnA5.id });
    expect(noText.statusCode).toBe(400);
    const response = await organizer.post(`/api/v1/revisions/${id}/accept`, { opinionId: accepted.id });
    expect(response.statusCode).toBe(200);
    const change = response.json().changes[0];
    expect(change).toMatchObject({
      kind: 'edit',
      stableId: a2!.stableId,
      oldText: a2!.text,
      newText: '到2030年，全省数字经济核心产业增加值占地区生产总值比重达到12%。',
      opinionIds: [accepted.id],
    });
    const clause = response.json().clauses.find((c: { stableId: string }) => c.stableId === a2!.stableId);
    expect(clause).toMatchObject({ status: 'edited', text: change.newText, previous: { text: a2!.text } });

    // An edit with no opinion, an insert after 第四条 and a deleted item.
    const edit = await organizer.put(`/api/v1/revisions/${id}/clauses/${a4!.stableId}`, {
      text: '加强数据要素市场培育，建立健全公共数据授权运营制度。',
      reason: '文字完善',
    });
    expect(edit.statusCode).toBe(200);
    expect(
      (await liaison.put(`/api/v1/revisions/${id}/clauses/${a4!.stableId}`, { text: 'x' })).statusCode,
    ).toBe(403);
    const inserted = await organizer.post(`/api/v1/revisions/${id}/clauses`, {
      afterStableId: a4!.stableId,
      text: '建立规划实施监测评估机制。',
      opinionIds: [adoptedNoChange.id],
    });
    expect(inserted.statusCode).toBe(201);
    const newStable = inserted.json().stableId as string;
    const numbers = inserted
      .json()
      .clauses.filter((c: { kind: string; status: string }) => c.kind === 'article')
      .map((c: { number: string }) => c.number);
    expect(numbers).toEqual(['第一条', '第二条', '第三条', '第四条', '第五条', '第六条']);
    expect((await liaison.delete(`/api/v1/revisions/${id}/clauses/${paren2.stableId}`)).statusCode).toBe(403);
    const deleted = await organizer.delete(`/api/v1/revisions/${id}/clauses/${paren2.stableId}`);
    expect(deleted.statusCode).toBe(200);
    expect(
      deleted.json().clauses.find((c: { stableId: string }) => c.stableId === paren2.stableId).status,
    ).toBe('deleted');

    // The adopted opinion now has a change (the insert), so add one adopted opinion without any.
    const lonely = await createOpinion(db(), round, { clause: a3!, proposedText: null });
    await createDisposition(db(), round, lonely.id, { code: 'adopted' });
    const consistency = await leader.get(`/api/v1/revisions/${id}/consistency`);
    expect(consistency.statusCode).toBe(200);
    const editChange = edit.json().changes.find((c: { stableId: string }) => c.stableId === a4!.stableId);
    const deleteChange = deleted
      .json()
      .changes.find((c: { stableId: string }) => c.stableId === paren2.stableId);
    expect(consistency.json()).toEqual({
      adoptedWithoutChange: [lonely.id],
      changesWithoutOpinion: [editChange.id, deleteChange.id].sort(
        (x: string, y: string) =>
          deleted.json().changes.findIndex((c: { id: string }) => c.id === x) -
          deleted.json().changes.findIndex((c: { id: string }) => c.id === y),
      ),
    });
    expect((await liaison.get(`/api/v1/revisions/${id}/consistency`)).statusCode).toBe(403);

    // Publishing needs a leader's approval first.
    expect((await organizer.post(`/api/v1/revisions/${id}/publish`)).statusCode).toBe(409);
    expect((await organizer.post(`/api/v1/revisions/${id}/submit`)).statusCode).toBe(200);
    expect((await leader.post(`/api/v1/revisions/${id}/approve`)).statusCode).toBe(200);
    expect((await leader.post(`/api/v1/revisions/${id}/publish`)).statusCode).toBe(403);
    const published = await organizer.post(`/api/v1/revisions/${id}/publish`);
    expect(published.statusCode).toBe(201);
    const body = published.json();
    expect(body.version).toMatchObject({ seq: 2, label: 'v2', previousVersionId: round.versionId });
    expect(body.revision).toMatchObject({ status: 'published', publishedVersionId: body.version.id });
    expect(body.uncertain).toEqual([{ opinionId: openOnParen.id, stableId: paren2.stableId }]);

    const v2 = await db()
      .db.selectFrom('clause')
      .selectAll()
      .where('version_id', '=', body.version.id)
      .orderBy('position')
      .execute();
    const byStable = new Map(v2.map((c) => [c.stable_id, c]));
    expect(byStable.get(a2!.stableId)?.text).toBe(change.newText);
    expect(byStable.get(a1!.stableId)?.text).toBe(a1!.text);
    expect(byStable.has(paren2.stableId)).toBe(false);
    expect(byStable.get(newStable)).toMatchObject({ number: '第五条', text: '建立规划实施监测评估机制。' });
    expect(byStable.get(a5!.stableId)?.number).toBe('第六条');
    expect(
      v2
        .filter((c) => c.stable_id !== newStable)
        .every((c) => round.clauses.some((o) => o.stableId === c.stable_id)),
    ).toBe(true);

    const carried = await db()
      .db.selectFrom('opinion')
      .select(['clause_id', 'clause_stable_id'])
      .where('id', '=', openOnA5.id)
      .executeTakeFirstOrThrow();
    expect(carried).toEqual({ clause_id: byStable.get(a5!.stableId)!.id, clause_stable_id: a5!.stableId });
    expect(body.carried).toContainEqual({
      opinionId: openOnA5.id,
      stableId: a5!.stableId,
      clauseId: byStable.get(a5!.stableId)!.id,
    });
    // Disposed opinions stay where they were.
    const kept = await db()
      .db.selectFrom('opinion')
      .select('clause_id')
      .where('id', '=', accepted.id)
      .executeTakeFirstOrThrow();
    expect(kept.clause_id).toBe(a2!.id);

    expect(
      (await organizer.post(`/api/v1/revisions/${id}/accept`, { opinionId: accepted.id })).statusCode,
    ).toBe(409);
    const events = await db()
      .db.selectFrom('ledger_event')
      .select('event')
      .where('entity_id', 'in', [id, body.version.id, openOnA5.id])
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.event)).toEqual([
      'revision.started',
      'revision.opinion_accepted',
      'revision.clause_edited',
      'revision.clause_inserted',
      'revision.clause_deleted',
      'revision.submitted',
      'revision.approved',
      'opinion.carried_forward',
      'draft.revised',
      'revision.published',
    ]);
    // A new revision can start from version 2.
    const next = await organizer.post(`/api/v1/plans/${round.planId}/revisions`);
    expect(next.statusCode).toBe(201);
    expect(next.json().revision.baseVersionId).toBe(body.version.id);
  });
});
