import { afterEach, expect, it } from 'vitest';
import type { TestApp } from './app.ts';
import { createTestApp } from './app.ts';
import { createOpinion, createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import { createUser } from './factories.ts';
import { createRoundApp } from './round-app.ts';

/* The events of other parts of the application reach people's inboxes. */

describeDb('notification hooks', (db) => {
  let t: TestApp | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('tells the invited units when a round opens, once', async () => {
    const round = await createRound(db(), { status: 'scheduled', units: 2 });
    t = await createTestApp(db());
    const organizer = await t.signIn(round.organizer);
    const opened = await organizer.post(`/api/v1/rounds/${round.roundId}/open`);
    expect(opened.statusCode).toBe(200);

    const liaison = await t.signIn(round.invited[0]!.liaison);
    const inbox = await liaison.get('/api/v1/me/notifications');
    const page = inbox.json<{ items: { kind: string; link: string; entity: unknown }[]; unread: number }>();
    expect(page.unread).toBe(1);
    expect(page.items[0]).toMatchObject({
      kind: 'invited',
      link: `/rounds/${round.roundId}`,
      entity: { kind: 'round', id: round.roundId },
    });
    // Both units' liaisons and heads, and nobody else.
    const rows = await db()
      .db.selectFrom('notification')
      .select('user_id')
      .where('kind', '=', 'invited')
      .execute();
    const expected = round.invited.flatMap((u) => [u.liaison.id, u.head.id]);
    expect(rows.map((r) => r.user_id).sort()).toEqual(expected.sort());
    // A deliver job exists only for people with an e-mail address: none here.
    const jobs = await db()
      .db.selectFrom('job')
      .select('id')
      .where('kind', '=', 'notification.deliver')
      .execute();
    expect(jobs).toHaveLength(0);
  });

  const inboxOf = (userId: string) =>
    db()
      .db.selectFrom('notification')
      .select(['kind', 'link', 'entity_kind', 'entity_id', 'subject_zh', 'subject_en', 'body_zh', 'body_en'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();

  it('asks the unit head to sign off each time the liaison submits the reply for review', async () => {
    const app = await createRoundApp(db());
    t = app.t;
    const { round, unitA } = app;
    const [a, b] = round.invited;
    const url = `/api/v1/invitations/${unitA.invitationId}`;
    expect((await unitA.liaison.post(`${url}/start-drafting`)).statusCode).toBe(200);
    expect(await inboxOf(a!.head.id)).toEqual([]);
    expect((await unitA.liaison.post(`${url}/submit-for-review`)).statusCode).toBe(200);

    const [asked] = await inboxOf(a!.head.id);
    expect(asked).toMatchObject({
      kind: 'sign_off_requested',
      link: `/invitations/${unitA.invitationId}`,
      entity_kind: 'round_invitation',
      entity_id: unitA.invitationId,
    });
    expect(asked!.subject_zh).toContain('待签发');
    expect(asked!.subject_zh).toContain('数字经济发展规划');
    expect(asked!.subject_en).toContain('Sign-off requested');
    expect(asked!.body_zh).toContain(a!.liaison.name);
    // Only the unit's head: not the liaison who submitted, not the other unit.
    expect(await inboxOf(a!.liaison.id)).toEqual([]);
    expect(await inboxOf(b!.head.id)).toEqual([]);
    // A refused submission tells nobody.
    expect((await unitA.liaison.post(`${url}/submit-for-review`)).statusCode).toBe(409);
    expect(await inboxOf(a!.head.id)).toHaveLength(1);

    // Returned for changes (not a 复核: the liaison is not notified) and submitted again: asked again.
    expect((await unitA.head.post(`${url}/return`, { note: '请补充数据来源' })).statusCode).toBe(200);
    expect(await inboxOf(a!.liaison.id)).toEqual([]);
    expect((await unitA.liaison.post(`${url}/submit-for-review`)).statusCode).toBe(200);
    expect((await inboxOf(a!.head.id)).map((n) => n.kind)).toEqual([
      'sign_off_requested',
      'sign_off_requested',
    ]);
  });

  it('tells the objecting unit the outcome of the review (复核), not of an escalation', async () => {
    const round = await createRound(db(), { status: 'assessing', objectionWindowDays: 5 });
    const [a, b] = round.invited;
    t = await createTestApp(db());
    const organizer = await t.signIn(round.organizer);
    const approver = await t.signIn(
      await createUser(db(), { roles: ['organizer'], unitId: round.ownerUnit.id }),
    );
    const leader = await t.signIn(round.leader);
    const liaisonA = await t.signIn(a!.liaison);
    const opinionA = (await createOpinion(db(), round)).id;
    const opinionB = (await createOpinion(db(), round, { invited: b! })).id;
    for (const [opinionId, body] of [
      [opinionA, { code: 'not_adopted', reason: '15%为国家下达的约束性目标', basis: 'law_policy' }],
      [opinionB, { code: 'adopted' }],
    ] as const) {
      const proposed = await organizer.post(`/api/v1/opinions/${opinionId}/dispositions`, body);
      expect(proposed.statusCode).toBe(201);
      const approved = await approver.post(`/api/v1/dispositions/${proposed.json().id}/approve`);
      expect(approved.statusCode).toBe(200);
    }
    const letters = (await organizer.post(`/api/v1/rounds/${round.roundId}/feedback`)).json<
      { id: string; unitId: string }[]
    >();
    const letterA = letters.find((l) => l.unitId === a!.unit.id)!;
    const objected = await liaisonA.post(`/api/v1/feedback/${letterA.id}/responses`, {
      opinionId: opinionA,
      response: 'objected',
      reasons: '数据口径有误',
    });
    expect(objected.statusCode).toBe(201);
    const objectionId = objected.json().objection.id as string;
    const reviewDone = async (userId: string) =>
      (await inboxOf(userId)).filter((n) => n.kind === 'review_done');

    const escalated = await organizer.post(`/api/v1/objections/${objectionId}/review`, {
      outcome: 'escalate',
      note: '涉及约束性指标，提请领导小组决定',
    });
    expect(escalated.statusCode).toBe(200);
    expect(await reviewDone(a!.liaison.id)).toEqual([]);

    const decided = await leader.post(`/api/v1/objections/${objectionId}/decide`, {
      outcome: 'uphold',
      note: '维持原处理意见，目标为国家下达',
    });
    expect(decided.statusCode).toBe(200);
    // The objector (the liaison) and the unit's head hear it once; the other unit and the plan's people do not.
    for (const user of [a!.liaison, a!.head]) {
      const [done, ...more] = await reviewDone(user.id);
      expect(more).toEqual([]);
      expect(done).toMatchObject({
        link: `/feedback/${letterA.id}`,
        entity_kind: 'objection',
        entity_id: objectionId,
      });
      expect(done!.body_zh).toContain('维持原处理意见');
      expect(done!.body_zh).toContain('目标为国家下达');
      expect(done!.subject_en).toContain('Your objection was reviewed');
    }
    for (const user of [b!.liaison, b!.head, round.organizer, round.leader]) {
      expect(await reviewDone(user.id)).toEqual([]);
    }
  });
});
