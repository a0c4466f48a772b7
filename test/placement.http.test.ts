import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestApp } from './app.ts';
import { createTestApp } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createOpinion, createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';

describeDb('placing opinions after a revision deleted their clause', (db) => {
  let t: TestApp;
  let round: TestRound;
  beforeEach(async () => {
    t = await createTestApp(db());
    round = await createRound(db(), { status: 'assessing' });
  });
  afterEach(() => t.close());

  it('queues them for the organizers, who point them at a clause of the new version', async () => {
    const deleted = round.articles[4]!; // 第五条
    const onDeleted = await createOpinion(db(), round, { clause: deleted, proposedText: null });
    const onKept = await createOpinion(db(), round, { clause: round.articles[1]! });
    const organizer = await t.signIn(round.organizer);
    const revision = (await organizer.post(`/api/v1/plans/${round.planId}/revisions`)).json();
    expect(
      (await organizer.delete(`/api/v1/revisions/${revision.revision.id}/clauses/${deleted.stableId}`))
        .statusCode,
    ).toBe(200);
    expect((await organizer.post(`/api/v1/revisions/${revision.revision.id}/submit`)).statusCode).toBe(200);
    const leader = await t.signIn(round.leader);
    expect((await leader.post(`/api/v1/revisions/${revision.revision.id}/approve`)).statusCode).toBe(200);
    const published = await organizer.post(`/api/v1/revisions/${revision.revision.id}/publish`, {});
    expect(published.statusCode).toBe(201);
    expect(published.json().uncertain.map((u: { opinionId: string }) => u.opinionId)).toEqual([onDeleted.id]);

    const queue = await organizer.get(`/api/v1/plans/${round.planId}/unplaced-opinions`);
    expect(queue.statusCode).toBe(200);
    expect(queue.json().map((o: { id: string }) => o.id)).toEqual([onDeleted.id]);
    expect(queue.json()[0]).toMatchObject({ clauseNumber: '第五条' });

    const liaison = await t.signIn(round.invited[0]!.liaison);
    expect((await liaison.get(`/api/v1/plans/${round.planId}/unplaced-opinions`)).statusCode).toBe(403);
    expect(
      (
        await liaison.post(`/api/v1/opinions/${onDeleted.id}/retarget`, {
          clauseStableId: round.articles[3]!.stableId,
        })
      ).statusCode,
    ).toBe(403);
    expect((await t.anonymous.get(`/api/v1/plans/${round.planId}/unplaced-opinions`)).statusCode).toBe(401);

    const gone = await organizer.post(`/api/v1/opinions/${onDeleted.id}/retarget`, {
      clauseStableId: deleted.stableId,
    });
    expect(gone.statusCode).toBe(422);
    expect(gone.json().error.details).toMatchObject({ field: 'clauseStableId' });
    const notQueued = await organizer.post(`/api/v1/opinions/${onKept.id}/retarget`, {
      clauseStableId: round.articles[3]!.stableId,
    });
    expect(notQueued.statusCode).toBe(409);

    const placed = await organizer.post(`/api/v1/opinions/${onDeleted.id}/retarget`, {
      clauseStableId: round.articles[3]!.stableId,
    });
    expect(placed.statusCode).toBe(200);
    expect(placed.json()).toEqual([]);
    const row = await db()
      .db.selectFrom('opinion')
      .innerJoin('clause', 'clause.id', 'opinion.clause_id')
      .select(['opinion.clause_stable_id', 'clause.version_id'])
      .where('opinion.id', '=', onDeleted.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      clause_stable_id: round.articles[3]!.stableId,
      version_id: published.json().version.id,
    });
    const events = await t.services.ledger.list({
      afterSeq: 0,
      limit: 1000,
      entity: 'opinion',
      entityId: onDeleted.id,
    });
    expect(events.map((e) => e.event)).toContain('opinion.retargeted');
  });
});
