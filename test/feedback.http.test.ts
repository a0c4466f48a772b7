import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createOpinion, createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import type { TestUser } from './factories.ts';
import { createUser } from './factories.ts';

const API = '/api/v1';
const DAY_MS = 86_400_000;

interface Letter {
  id: string;
  unitId: string;
  objectionDeadline: string;
  sentAt: string;
}

describeDb('feedback, objections and review API', (db) => {
  let t: TestApp;
  let clock: Date;
  let round: TestRound;
  let assessor: TestUser;
  let organizer: TestClient;
  let approver: TestClient;
  let leader: TestClient;
  let liaisonA: TestClient;
  let headA: TestClient;
  let liaisonB: TestClient;
  let foreign: TestClient;
  let opinionA: string;
  let opinionB: string;

  const setup = async (options: { maxObjectionRounds?: number } = {}) => {
    round = await createRound(db(), { status: 'assessing', objectionWindowDays: 5, ...options });
    assessor = await createUser(db(), { roles: ['organizer'], unitId: round.ownerUnit.id });
    organizer = await t.signIn(round.organizer);
    approver = await t.signIn(assessor);
    leader = await t.signIn(round.leader);
    liaisonA = await t.signIn(round.invited[0]!.liaison);
    headA = await t.signIn(round.invited[0]!.head);
    liaisonB = await t.signIn(round.invited[1]!.liaison);
    foreign = await t.signIn((await createRound(db())).organizer);
    opinionA = (await createOpinion(db(), round)).id;
    opinionB = (await createOpinion(db(), round, { invited: round.invited[1]! })).id;
  };

  /** Proposed by the organizer, approved by the second assessor. */
  const dispose = async (opinionId: string, body: Record<string, unknown> = { code: 'adopted' }) => {
    const proposed = await organizer.post(`${API}/opinions/${opinionId}/dispositions`, body);
    expect(proposed.statusCode).toBe(201);
    const approved = await approver.post(`${API}/dispositions/${proposed.json<{ id: string }>().id}/approve`);
    expect(approved.statusCode).toBe(200);
    return approved.json<{ id: string }>().id;
  };

  const send = async () => {
    const sent = await organizer.post(`${API}/rounds/${round.roundId}/feedback`);
    expect(sent.statusCode).toBe(201);
    return sent.json<Letter[]>();
  };

  const letterOf = (letters: Letter[], index: number) =>
    letters.find((l) => l.unitId === round.invited[index]!.unit.id)!;

  const notAdopted = { code: 'not_adopted', reason: '15%为国家下达的约束性目标', basis: 'law_policy' };

  beforeEach(async () => {
    clock = new Date();
    t = await createTestApp(db(), { now: () => clock });
  });
  afterEach(() => t.close());

  it('refuses feedback while an opinion lacks an approved disposition, then sends one letter per unit', async () => {
    await setup();
    await dispose(opinionA);
    await organizer.post(`${API}/opinions/${opinionB}/dispositions`, { code: 'adopted' });
    const url = `${API}/rounds/${round.roundId}/feedback`;
    const refused = await organizer.post(url);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details).toMatchObject({ opinionIds: [opinionB] });
    expect(await db().db.selectFrom('feedback_letter').selectAll().execute()).toHaveLength(0);
    expect((await liaisonA.post(url)).statusCode).toBe(403);
    expect((await foreign.post(url)).statusCode).toBe(403);
    expect((await t.anonymous.post(url)).statusCode).toBe(401);

    await dispose(opinionB, notAdopted);
    const letters = await send();
    expect(letters).toHaveLength(2);
    const letter = letterOf(letters, 0);
    expect(letter.objectionDeadline).toBe(new Date(clock.getTime() + 5 * DAY_MS).toISOString());
    const status = await db()
      .db.selectFrom('round')
      .select('status')
      .where('id', '=', round.roundId)
      .executeTakeFirst();
    expect(status?.status).toBe('feedback');
    expect((await organizer.post(url)).statusCode).toBe(409);
    const sentEvents = await db()
      .db.selectFrom('ledger_event')
      .select('event')
      .where('event', '=', 'feedback.sent')
      .execute();
    expect(sentEvents).toHaveLength(2);
  });

  it('shows a unit only its own letter', async () => {
    await setup();
    await dispose(opinionA);
    await dispose(opinionB, notAdopted);
    const letters = await send();
    const url = `${API}/rounds/${round.roundId}/feedback`;
    expect((await organizer.get(url)).json()).toHaveLength(2);
    expect((await leader.get(url)).json()).toHaveLength(2);
    const own = (await liaisonA.get(url)).json<Letter[]>();
    expect(own.map((l) => l.unitId)).toEqual([round.invited[0]!.unit.id]);
    expect((await foreign.get(url)).statusCode).toBe(403);
    expect((await t.anonymous.get(url)).statusCode).toBe(401);

    const letterB = letterOf(letters, 1);
    expect((await liaisonA.get(`${API}/feedback/${letterB.id}`)).statusCode).toBe(403);
    expect((await foreign.get(`${API}/feedback/${letterB.id}`)).statusCode).toBe(403);
    const view = await liaisonB.get(`${API}/feedback/${letterB.id}`);
    expect(view.statusCode).toBe(200);
    expect(view.json().items).toMatchObject([
      {
        opinion: { id: opinionB },
        disposition: { code: 'not_adopted', label: '不采纳', reason: notAdopted.reason, basis: 'law_policy' },
        responses: [],
        objectionOpenUntil: letterB.objectionDeadline,
      },
    ]);
  });

  it('lets the unit confirm, rate and object within the window', async () => {
    await setup();
    await dispose(opinionA, notAdopted);
    await dispose(opinionB);
    const letter = letterOf(await send(), 0);
    const url = `${API}/feedback/${letter.id}/responses`;

    expect((await liaisonA.post(url, { opinionId: opinionA, response: 'confirmed' })).statusCode).toBe(201);
    const noRating = await headA.post(url, { opinionId: opinionA, response: 'rated' });
    expect(noRating.statusCode).toBe(400);
    expect(noRating.json().error.details).toMatchObject({ field: 'rating' });
    const rated = await headA.post(url, { opinionId: opinionA, response: 'rated', rating: 'unsatisfied' });
    expect(rated.statusCode).toBe(201);
    expect(rated.json().response).toMatchObject({ response: 'rated', rating: 'unsatisfied' });
    expect((await liaisonA.post(url, { opinionId: opinionB, response: 'confirmed' })).statusCode).toBe(400);
    expect((await organizer.post(url, { opinionId: opinionA, response: 'confirmed' })).statusCode).toBe(403);
    expect((await liaisonB.post(url, { opinionId: opinionA, response: 'confirmed' })).statusCode).toBe(403);
    expect((await t.anonymous.post(url, { opinionId: opinionA, response: 'confirmed' })).statusCode).toBe(
      401,
    );

    const noReasons = await liaisonA.post(url, { opinionId: opinionA, response: 'objected' });
    expect(noReasons.json().error.details).toMatchObject({ field: 'reasons' });
    const objected = await liaisonA.post(url, {
      opinionId: opinionA,
      response: 'objected',
      reasons: '2025年基数仅9.8%，15%难以实现',
      evidence: ['省统计年鉴2025 表3-12'],
    });
    expect(objected.statusCode).toBe(201);
    expect(objected.json().objection).toMatchObject({
      status: 'open',
      roundNo: 1,
      evidence: ['省统计年鉴2025 表3-12'],
    });
    // A second objection while the first is under review is refused.
    expect(
      (await liaisonA.post(url, { opinionId: opinionA, response: 'objected', reasons: '再次' })).statusCode,
    ).toBe(409);

    const objections = await organizer.get(`${API}/rounds/${round.roundId}/objections`);
    expect(objections.json()).toHaveLength(1);
    expect((await liaisonB.get(`${API}/rounds/${round.roundId}/objections`)).json()).toEqual([]);
    expect((await foreign.get(`${API}/rounds/${round.roundId}/objections`)).statusCode).toBe(403);
    const view = (await liaisonA.get(`${API}/feedback/${letter.id}`)).json();
    expect(view.items[0].responses.map((r: { response: string }) => r.response).sort()).toEqual([
      'confirmed',
      'objected',
      'rated',
    ]);
  });

  it('refuses an objection after the window', async () => {
    await setup();
    await dispose(opinionA, notAdopted);
    await dispose(opinionB);
    const letter = letterOf(await send(), 0);
    clock = new Date(clock.getTime() + 5 * DAY_MS);
    // The session idles out over five days: sign in again at the new time.
    liaisonA = await t.signIn(round.invited[0]!.liaison);
    const late = await liaisonA.post(`${API}/feedback/${letter.id}/responses`, {
      opinionId: opinionA,
      response: 'objected',
      reasons: '理由',
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.details).toMatchObject({
      rule: 'objection_window',
      deadline: letter.objectionDeadline,
    });
    expect(await db().db.selectFrom('objection').selectAll().execute()).toHaveLength(0);
    // Confirming is still possible after the window.
    expect(
      (
        await liaisonA.post(`${API}/feedback/${letter.id}/responses`, {
          opinionId: opinionA,
          response: 'confirmed',
        })
      ).statusCode,
    ).toBe(201);
  });

  const object = async (letterId: string, client = liaisonA) => {
    const response = await client.post(`${API}/feedback/${letterId}/responses`, {
      opinionId: opinionA,
      response: 'objected',
      reasons: '数据口径有误',
    });
    return response;
  };

  it('reviews by someone other than the first approver; change creates a new approved disposition', async () => {
    await setup();
    const first = await dispose(opinionA, notAdopted);
    await dispose(opinionB);
    const letter = letterOf(await send(), 0);
    const objectionId = (await object(letter.id)).json().objection.id as string;
    const url = `${API}/objections/${objectionId}/review`;
    const change = {
      outcome: 'change',
      note: '经复核，采纳部分意见',
      newDisposition: { code: 'partially_adopted', reason: '目标调整为13%', basis: 'data' },
    };

    const byApprover = await approver.post(url, change);
    expect(byApprover.statusCode).toBe(403);
    expect(byApprover.json().error.details).toMatchObject({ rule: 'independent_review' });
    expect((await liaisonA.post(url, change)).statusCode).toBe(403);
    expect((await foreign.post(url, change)).statusCode).toBe(403);
    expect((await t.anonymous.post(url, change)).statusCode).toBe(401);
    const noReason = await organizer.post(url, {
      ...change,
      newDisposition: { code: 'not_adopted', basis: 'data' },
    });
    expect(noReason.json().error.details).toMatchObject({ field: 'newDisposition.reason' });
    expect((await organizer.post(url, { outcome: 'change', note: '改' })).json().error.details).toMatchObject(
      {
        field: 'newDisposition',
      },
    );

    const reviewed = await organizer.post(url, change);
    expect(reviewed.statusCode).toBe(200);
    expect(reviewed.json()).toMatchObject({ status: 'changed', reviewerId: round.organizer.id });
    const dispositions = await db()
      .db.selectFrom('disposition')
      .selectAll()
      .where('opinion_id', '=', opinionA)
      .orderBy('created_at')
      .execute();
    expect(dispositions.find((d) => d.id === first)?.status).toBe('superseded');
    expect(dispositions.find((d) => d.objection_id === objectionId)).toMatchObject({
      status: 'approved',
      code: 'partially_adopted',
      decided_by: round.organizer.id,
    });
    const view = (await liaisonA.get(`${API}/feedback/${letter.id}`)).json();
    expect(view.items[0].disposition).toMatchObject({ code: 'partially_adopted', reason: '目标调整为13%' });
    expect((await organizer.post(url, change)).statusCode).toBe(409);

    // The unit may object again to the changed disposition while rounds remain.
    const again = await object(letter.id);
    expect(again.statusCode).toBe(201);
    expect(again.json().objection).toMatchObject({ roundNo: 2, status: 'open' });
  });

  it('escalates, then a leader decides', async () => {
    await setup();
    await dispose(opinionA, notAdopted);
    await dispose(opinionB);
    const letter = letterOf(await send(), 0);
    const objectionId = (await object(letter.id)).json().objection.id as string;
    const escalated = await organizer.post(`${API}/objections/${objectionId}/review`, {
      outcome: 'escalate',
      note: '涉及约束性指标，提请领导小组决定',
    });
    expect(escalated.json()).toMatchObject({ status: 'escalated' });
    const decide = `${API}/objections/${objectionId}/decide`;
    expect((await organizer.post(decide, { outcome: 'uphold', note: '维持' })).statusCode).toBe(403);
    expect((await liaisonA.post(decide, { outcome: 'uphold', note: '维持' })).statusCode).toBe(403);
    expect((await t.anonymous.post(decide, { outcome: 'uphold', note: '维持' })).statusCode).toBe(401);
    const decided = await leader.post(decide, { outcome: 'record_dissent', note: '保留分歧，在说明中列明' });
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({ status: 'dissent_recorded' });
    expect((await leader.post(decide, { outcome: 'uphold', note: '维持' })).statusCode).toBe(409);
    const events = await db()
      .db.selectFrom('ledger_event')
      .select('event')
      .where('entity', '=', 'objection')
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.event)).toEqual([
      'objection.raised',
      'objection.reviewed',
      'objection.decided',
    ]);
  });

  it('ends in dissent recorded past the bound on objection rounds', async () => {
    await setup({ maxObjectionRounds: 1 });
    await dispose(opinionA, notAdopted);
    await dispose(opinionB);
    const letter = letterOf(await send(), 0);
    const objectionId = (await object(letter.id)).json().objection.id as string;
    const upheld = await leader.post(`${API}/objections/${objectionId}/review`, {
      outcome: 'uphold',
      note: '维持原处理',
    });
    expect(upheld.json()).toMatchObject({ status: 'upheld' });

    const beyond = await object(letter.id);
    expect(beyond.statusCode).toBe(409);
    expect(beyond.json().error.details).toMatchObject({
      rule: 'objection_bound',
      objectionId,
      status: 'dissent_recorded',
    });
    const rows = await db().db.selectFrom('objection').selectAll().execute();
    expect(rows).toMatchObject([{ id: objectionId, status: 'dissent_recorded' }]);
    const view = (await liaisonA.get(`${API}/feedback/${letter.id}`)).json();
    expect(view.items[0].objectionOpenUntil).toBeNull();
  });
});
