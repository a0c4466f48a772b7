import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createOpinion, createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import { createConflict, createExpert } from './expert-factories.ts';
import type { TestUser } from './factories.ts';
import { createUser } from './factories.ts';

const API = '/api/v1';
const HOUR_MS = 3_600_000;

interface View {
  consultation: {
    id: string;
    status: string;
    minAnswers: number;
    opinionIds: string[];
    conflictId: string | null;
  };
  opinions: { id: string; unitName: string | null; clause: { text: string } | null }[];
  assignments: { expertId: string; status: string }[];
  myAnswer: { id: string } | null;
  answers: { expertId: string; recommendation: string }[] | null;
  answersHiddenReason: string | null;
}

interface Summary {
  minAnswers: number;
  answered: number;
  pending: number;
  declined: number;
  minimumMet: boolean;
  meanScore: number | null;
  medianScore: number | null;
  scoreCounts: number[];
  experts: {
    expertId: string;
    name: string;
    status: string;
    feasibility: number | null;
    recommendation: string | null;
  }[];
  byQuestion: { question: string; answers: { expertId: string; answer: string }[] }[];
}

const QUESTIONS = ['15%的目标是否可行？', 'Which indicator should the target use?'];

const answerBody = (feasibility: number, recommendation: string) => ({
  recommendation,
  feasibility,
  reasons: `依据《统计年鉴2025》核心产业占比9.8%，年均增速 1.1 个百分点；mixed 理由 ✅ (${feasibility})`,
  answers: [`可行性评分 ${feasibility}`, 'Share of GDP, 占GDP比重'],
});

describeDb('expert consultation API', (db) => {
  let t: TestApp;
  let clock: Date;
  let round: TestRound;
  let organizer: TestClient;
  let expertA: TestUser;
  let expertB: TestUser;
  let expertC: TestUser;
  let clientA: TestClient;
  let clientB: TestClient;
  let opinionA: string;
  let opinionB: string;

  beforeEach(async () => {
    clock = new Date('2026-12-01T02:00:00.000Z');
    t = await createTestApp(db(), { now: () => clock });
    round = await createRound(db(), { status: 'assessing' });
    organizer = await t.signIn(round.organizer);
    expertA = await createExpert(db(), { name: '王专家', fields: ['economy', 'planning'] });
    expertB = await createExpert(db(), { name: 'Dr. Smith', fields: ['technology'] });
    expertC = await createExpert(db(), { name: '李专家', fields: ['law'] });
    clientA = await t.signIn(expertA);
    clientB = await t.signIn(expertB);
    opinionA = (await createOpinion(db(), round)).id;
    opinionB = (
      await createOpinion(db(), round, {
        invited: round.invited[1]!,
        suggestion: '建议维持15%的目标，并增加算力规模指标。',
        proposedText: null,
      })
    ).id;
  });
  afterEach(() => t.close());

  const create = async (body: Record<string, unknown> = {}) => {
    const response = await organizer.post(`${API}/rounds/${round.roundId}/consultations`, {
      title: '核心产业占比目标的可行性',
      questions: QUESTIONS,
      expertIds: [expertA.id, expertB.id],
      opinionIds: [opinionA, opinionB],
      ...body,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<View>();
  };

  const countRows = async () => ({
    consultations: (await db().db.selectFrom('expert_consultation').select('id').execute()).length,
    answers: (await db().db.selectFrom('expert_answer').select('id').execute()).length,
  });

  it('lets two experts answer independently: nobody reads another answer before sending their own', async () => {
    const view = await create();
    const id = view.consultation.id;
    expect(view.consultation.minAnswers).toBe(2);
    expect(view.assignments.map((a) => a.status)).toEqual(['invited', 'invited']);
    expect(view.opinions.map((o) => o.id)).toEqual([opinionA, opinionB]);
    expect(view.opinions[0]!.clause?.text).toContain('15%');

    // A sees the questions and the opinions but no answers, and only their own assignment.
    const seen = (await clientA.get(`${API}/consultations/${id}`)).json<View>();
    expect(seen.answers).toBeNull();
    expect(seen.answersHiddenReason).toMatch(/your own answer/);
    expect(seen.assignments.map((a) => a.expertId)).toEqual([expertA.id]);
    expect(seen.opinions).toHaveLength(2);

    // B answers first; A still may not read it, through any endpoint.
    const sentB = await clientB.post(
      `${API}/consultations/${id}/answer`,
      answerBody(2, 'Lower the target to 12%.'),
    );
    expect(sentB.statusCode, sentB.body).toBe(201);
    expect(sentB.json()).toMatchObject({ signedName: 'Dr. Smith', signedAt: clock.toISOString() });
    for (const path of ['answers', 'summary']) {
      const refused = await clientA.get(`${API}/consultations/${id}/${path}`);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.message).toMatch(/until you have sent your own answer/);
    }
    expect((await clientA.get(`${API}/consultations/${id}`)).json<View>().answers).toBeNull();

    // A answers; the consultation does not reveal answers before it closes (the default).
    clock = new Date(clock.getTime() + 10 * 60_000);
    const sentA = await clientA.post(
      `${API}/consultations/${id}/answer`,
      answerBody(4, '维持15%，分年度设定预期性指标。'),
    );
    expect(sentA.statusCode, sentA.body).toBe(201);
    const refusedAfter = await clientA.get(`${API}/consultations/${id}/answers`);
    expect(refusedAfter.statusCode).toBe(403);
    expect(refusedAfter.json().error.message).toMatch(/once the consultation is closed/);
    const ownView = (await clientA.get(`${API}/consultations/${id}`)).json<View>();
    expect(ownView.myAnswer?.id).toBe(sentA.json<{ id: string }>().id);
    expect(ownView.answers).toBeNull();

    // The organizer sees both all along; closing reveals them to the experts.
    const all = (await organizer.get(`${API}/consultations/${id}/answers`)).json<{ expertId: string }[]>();
    expect(all.map((a) => a.expertId)).toEqual([expertB.id, expertA.id]);
    expect((await organizer.post(`${API}/consultations/${id}/close`)).statusCode).toBe(200);
    const revealed = await clientA.get(`${API}/consultations/${id}/answers`);
    expect(revealed.statusCode).toBe(200);
    expect(revealed.json()).toHaveLength(2);

    const events = await db()
      .db.selectFrom('ledger_event')
      .select(['event', 'hash'])
      .where('entity_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.event)).toEqual([
      'expert_consultation.created',
      'expert_answer.sent',
      'expert_answer.sent',
      'expert_consultation.closed',
    ]);
    expect(sentA.json<{ ledgerHash: string }>().ledgerHash).toBe(events[2]!.hash);
  });

  it('freezes a sent answer: a second one is refused and nothing changes', async () => {
    const { consultation } = await create();
    const url = `${API}/consultations/${consultation.id}/answer`;
    expect((await clientA.post(url, answerBody(3, '可行'))).statusCode).toBe(201);
    const again = await clientA.post(url, answerBody(5, '完全可行'));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/already sent/);
    const rows = await db()
      .db.selectFrom('expert_answer')
      .select(['feasibility', 'recommendation'])
      .execute();
    expect(rows).toEqual([{ feasibility: 3, recommendation: '可行' }]);
  });

  it('enforces the minimum number of answers when closing, unless forced with a reason', async () => {
    const { consultation } = await create({ minAnswers: 2 });
    const close = `${API}/consultations/${consultation.id}/close`;
    await clientA.post(`${API}/consultations/${consultation.id}/answer`, answerBody(4, '可行'));

    const refused = await organizer.post(close);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details).toMatchObject({ answered: 1, minAnswers: 2 });
    const noReason = await organizer.post(close, { force: true, reason: '   ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details).toMatchObject({ field: 'reason' });
    const summary = (await organizer.get(`${API}/consultations/${consultation.id}/summary`)).json<Summary>();
    expect(summary).toMatchObject({ minAnswers: 2, answered: 1, pending: 1, minimumMet: false });

    const forced = await organizer.post(close, { force: true, reason: '专家B出国，无法按期答复' });
    expect(forced.statusCode).toBe(200);
    expect(forced.json()).toMatchObject({
      status: 'closed',
      forced: true,
      closeReason: '专家B出国，无法按期答复',
    });
    // Closed: B can no longer answer, and closing twice is refused.
    const late = await clientB.post(`${API}/consultations/${consultation.id}/answer`, answerBody(2, 'late'));
    expect(late.statusCode).toBe(409);
    expect((await organizer.post(close, { force: true, reason: 'again' })).statusCode).toBe(409);
  });

  it('summarises the answers side by side with the mean and median score', async () => {
    const { consultation } = await create({ expertIds: [expertA.id, expertB.id, expertC.id], minAnswers: 2 });
    const id = consultation.id;
    const clientC = await t.signIn(expertC);
    const expertD = await createExpert(db(), { fields: ['economy'] });
    expect(
      (await clientA.post(`${API}/consultations/${id}/answer`, answerBody(4, '维持15%'))).statusCode,
    ).toBe(201);
    expect(
      (await clientB.post(`${API}/consultations/${id}/answer`, answerBody(5, 'Keep 15% 🚀'))).statusCode,
    ).toBe(201);
    const declined = await clientC.post(`${API}/consultations/${id}/decline`, {
      reason: '与某单位存在利益关联',
    });
    expect(declined.statusCode).toBe(200);
    expect(declined.json()).toMatchObject({ status: 'declined', declineReason: '与某单位存在利益关联' });
    expect((await (await t.signIn(expertD)).get(`${API}/consultations/${id}/summary`)).statusCode).toBe(403);

    const summary = (await organizer.get(`${API}/consultations/${id}/summary`)).json<Summary>();
    expect(summary).toMatchObject({
      minAnswers: 2,
      answered: 2,
      declined: 1,
      pending: 0,
      minimumMet: true,
      meanScore: 4.5,
      medianScore: 4.5,
      scoreCounts: [0, 0, 0, 1, 1],
    });
    const byName = Object.fromEntries(summary.experts.map((e) => [e.name, e]));
    expect(byName['王专家']).toMatchObject({ status: 'answered', feasibility: 4, recommendation: '维持15%' });
    expect(byName['Dr. Smith']).toMatchObject({
      status: 'answered',
      feasibility: 5,
      recommendation: 'Keep 15% 🚀',
    });
    expect(byName['李专家']).toMatchObject({ status: 'declined', feasibility: null, recommendation: null });
    expect(summary.byQuestion.map((q) => q.question)).toEqual(QUESTIONS);
    expect(summary.byQuestion[0]!.answers.map((a) => a.answer).sort()).toEqual([
      '可行性评分 4',
      '可行性评分 5',
    ]);

    // After closing, an expert who answered reads the same summary.
    await organizer.post(`${API}/consultations/${id}/close`);
    const forA = await clientA.get(`${API}/consultations/${id}/summary`);
    expect(forA.statusCode).toBe(200);
    expect(forA.json<Summary>().meanScore).toBe(4.5);
    // A declined expert never sent an answer, so the answers stay hidden from them.
    expect((await clientC.get(`${API}/consultations/${id}/summary`)).statusCode).toBe(403);
  });

  it('shows answers right after sending when the consultation allows it', async () => {
    const { consultation } = await create({ revealAfterAnswer: true, minAnswers: 1 });
    const id = consultation.id;
    expect((await clientB.get(`${API}/consultations/${id}/answers`)).statusCode).toBe(403);
    await clientA.post(`${API}/consultations/${id}/answer`, answerBody(3, '基本可行'));
    expect((await clientB.get(`${API}/consultations/${id}/answers`)).statusCode).toBe(403);
    await clientB.post(`${API}/consultations/${id}/answer`, answerBody(2, 'Doubtful'));
    const seen = await clientB.get(`${API}/consultations/${id}/answers`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toHaveLength(2);
  });

  it('refuses people who are neither on the plan’s side nor invited', async () => {
    const { consultation } = await create();
    const id = consultation.id;
    const liaison = await t.signIn(round.invited[0]!.liaison);
    const outsider = await t.signIn(expertC);
    const foreignOrganizer = await t.signIn((await createRound(db())).organizer);

    for (const client of [liaison, outsider, foreignOrganizer]) {
      for (const path of ['', '/answers', '/summary']) {
        expect((await client.get(`${API}/consultations/${id}${path}`)).statusCode).toBe(403);
      }
    }
    const notInvited = await outsider.post(`${API}/consultations/${id}/answer`, answerBody(3, '我也想答'));
    expect(notInvited.statusCode).toBe(403);
    expect(notInvited.json().error.message).toMatch(/not an expert invited/);
    expect((await liaison.post(`${API}/consultations/${id}/answer`, answerBody(3, 'x'))).statusCode).toBe(
      403,
    );
    expect((await organizer.post(`${API}/consultations/${id}/answer`, answerBody(3, 'x'))).statusCode).toBe(
      403,
    );
    expect((await clientA.post(`${API}/consultations/${id}/close`)).statusCode).toBe(403);
    expect((await liaison.post(`${API}/consultations/${id}/close`)).statusCode).toBe(403);

    const body = { title: 't', questions: ['q'], expertIds: [expertA.id], opinionIds: [opinionA] };
    for (const client of [liaison, clientA, foreignOrganizer]) {
      expect((await client.post(`${API}/rounds/${round.roundId}/consultations`, body)).statusCode).toBe(403);
    }
    expect((await liaison.get(`${API}/rounds/${round.roundId}/consultations`)).statusCode).toBe(403);
    expect((await liaison.get(`${API}/experts`)).statusCode).toBe(403);
    expect((await clientA.get(`${API}/experts`)).statusCode).toBe(403);
    expect((await liaison.get(`${API}/experts/me/consultations`)).statusCode).toBe(403);
    expect((await t.anonymous.get(`${API}/consultations/${id}`)).statusCode).toBe(401);
    expect((await organizer.get(`${API}/consultations/no-such-id`)).statusCode).toBe(404);
    expect(await countRows()).toEqual({ consultations: 1, answers: 0 });

    // The plan's leader oversees it like the organizer.
    const leader = await t.signIn(round.leader);
    expect((await leader.get(`${API}/consultations/${id}/answers`)).statusCode).toBe(200);
  });

  it('names the field of each validation error and writes nothing', async () => {
    const url = `${API}/rounds/${round.roundId}/consultations`;
    const base = {
      title: '可行性',
      questions: QUESTIONS,
      expertIds: [expertA.id, expertB.id],
      opinionIds: [opinionA],
    };
    const otherRound = await createRound(db());
    const foreignOpinion = (await createOpinion(db(), otherRound)).id;
    const draftOpinion = (await createOpinion(db(), round, { status: 'draft' })).id;
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, questions: undefined }, 'questions'],
      [{ ...base, questions: [] }, 'questions'],
      [{ ...base, questions: ['ok', '   '] }, 'questions.1'],
      [{ ...base, title: '  ' }, 'title'],
      [{ ...base, minAnswers: 3 }, 'minAnswers'],
      [{ ...base, minAnswers: 0 }, 'minAnswers'],
      [{ ...base, opinionIds: [foreignOpinion] }, 'opinionIds'],
      [{ ...base, opinionIds: [draftOpinion] }, 'opinionIds'],
      [{ ...base, opinionIds: [] }, 'opinionIds'],
      [{ ...base, expertIds: [round.invited[0]!.liaison.id] }, 'expertIds'],
      [{ ...base, expertIds: undefined }, 'expertIds'],
      [{ ...base, fields: ['law'] }, 'expertIds'],
      [{ ...base, expertIds: undefined, fields: ['medicine'] }, 'fields'],
      [{ ...base, deadline: '2026-11-30T00:00:00.000Z' }, 'deadline'],
      [{ ...base, deadline: 'next week' }, 'deadline'],
      [{ ...base, conflictId: 'nope' }, 'conflictId'],
    ];
    for (const [body, field] of cases) {
      const response = await organizer.post(url, body);
      expect(response.statusCode, `${field}: ${response.body}`).toBe(400);
      const error = response.json<{ error: { details: unknown } }>().error;
      const fields = Array.isArray(error.details)
        ? (error.details as { field: string }[]).map((d) => d.field)
        : [(error.details as { field: string }).field];
      expect(
        fields.some((f) => f === field || f === `body.${field}`),
        JSON.stringify(error),
      ).toBe(true);
    }
    expect(await countRows()).toEqual({ consultations: 0, answers: 0 });

    const { consultation } = await create();
    const answer = `${API}/consultations/${consultation.id}/answer`;
    const answerCases: [Record<string, unknown>, string][] = [
      [{ ...answerBody(6, 'x') }, 'feasibility'],
      [{ ...answerBody(0, 'x') }, 'feasibility'],
      [{ ...answerBody(3, 'x'), feasibility: 2.5 }, 'feasibility'],
      [{ ...answerBody(3, '   ') }, 'recommendation'],
      [{ ...answerBody(3, 'x'), reasons: '' }, 'reasons'],
      [{ ...answerBody(3, 'x'), reasons: '理'.repeat(20_001) }, 'reasons'],
      [{ ...answerBody(3, 'x'), answers: ['only one'] }, 'answers'],
      [{ ...answerBody(3, 'x'), answers: ['一', ' '] }, 'answers.1'],
      [{ ...answerBody(3, 'x'), extra: 1 }, ''],
    ];
    for (const [body, field] of answerCases) {
      const response = await clientA.post(answer, body);
      expect(response.statusCode, `${field}: ${response.body}`).toBe(400);
      if (field) {
        expect(response.body, field).toMatch(new RegExp(`"field":"(body\\.)?${field.replace('.', '\\.')}"`));
      }
    }
    expect(await countRows()).toEqual({ consultations: 1, answers: 0 });
  });

  it('refuses an answer after the deadline', async () => {
    const deadline = new Date(clock.getTime() + 24 * HOUR_MS).toISOString();
    const { consultation } = await create({ deadline });
    clock = new Date(clock.getTime() + 25 * HOUR_MS);
    const signedInAgain = await t.signIn(expertA);
    const late = await signedInAgain.post(
      `${API}/consultations/${consultation.id}/answer`,
      answerBody(3, 'late'),
    );
    expect(late.statusCode).toBe(409);
    expect(late.json().error.details).toMatchObject({ field: 'deadline' });
    expect(await countRows()).toEqual({ consultations: 1, answers: 0 });
  });

  it('consults on a conflict: its opinions go to the experts and the consultation is one of its methods', async () => {
    const conflict = await createConflict(db(), round, { opinionIds: [opinionA, opinionB] });
    const view = await create({ conflictId: conflict.id, opinionIds: undefined });
    expect(view.consultation.conflictId).toBe(conflict.id);
    expect(view.consultation.opinionIds.sort()).toEqual([opinionA, opinionB].sort());
    const forExpert = (await clientA.get(`${API}/consultations/${view.consultation.id}`)).json<
      View & { conflict: { id: string; parties: unknown[] } }
    >();
    expect(forExpert.conflict).toMatchObject({ id: conflict.id });
    expect(forExpert.conflict.parties).toHaveLength(2);

    const method = () =>
      db()
        .db.selectFrom('conflict_method')
        .select(['kind', 'status', 'consultation_id', 'record'])
        .where('conflict_id', '=', conflict.id)
        .execute();
    const conflictRow = await db()
      .db.selectFrom('conflict')
      .select('status')
      .where('id', '=', conflict.id)
      .executeTakeFirstOrThrow();
    expect(conflictRow.status).toBe('in_resolution');
    const conflictEvents = await db()
      .db.selectFrom('ledger_event')
      .select('payload')
      .where('entity_id', '=', conflict.id)
      .where('event', '=', 'conflict.method_added')
      .execute();
    expect(conflictEvents.map((e) => JSON.parse(e.payload) as unknown)).toMatchObject([
      { kind: 'expert', consultationId: view.consultation.id, after: { status: 'in_resolution' } },
    ]);
    expect(await method()).toMatchObject([
      { kind: 'expert', status: 'running', consultation_id: view.consultation.id },
    ]);

    await clientA.post(`${API}/consultations/${view.consultation.id}/answer`, answerBody(4, '维持15%'));
    await clientB.post(`${API}/consultations/${view.consultation.id}/answer`, answerBody(2, 'Lower'));
    await organizer.post(`${API}/consultations/${view.consultation.id}/close`);
    const [done] = await method();
    expect(done).toMatchObject({ status: 'done' });
    expect(JSON.parse(done!.record)).toMatchObject({
      answered: 2,
      minimumMet: true,
      meanScore: 3,
      medianScore: 3,
    });
    expect((JSON.parse(done!.record) as { note: string }).note).toContain('2/2');

    const other = await createRound(db());
    const foreign = await createConflict(db(), other, {
      opinionIds: [(await createOpinion(db(), other)).id],
    });
    const refused = await organizer.post(`${API}/rounds/${round.roundId}/consultations`, {
      title: 'x',
      questions: ['q'],
      expertIds: [expertA.id],
      conflictId: foreign.id,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details).toMatchObject({ field: 'conflictId' });
    const settled = await createConflict(db(), round, { opinionIds: [opinionA], status: 'resolved' });
    const late = await organizer.post(`${API}/rounds/${round.roundId}/consultations`, {
      title: 'x',
      questions: ['q'],
      expertIds: [expertA.id],
      conflictId: settled.id,
    });
    expect(late.statusCode).toBe(409);
  });

  it('lists a round’s consultations and each expert’s inbox, nearest deadline first', async () => {
    const later = await create({
      title: '远期',
      deadline: new Date(clock.getTime() + 72 * HOUR_MS).toISOString(),
    });
    const sooner = await create({
      title: '近期',
      deadline: new Date(clock.getTime() + 24 * HOUR_MS).toISOString(),
    });
    const onlyB = await create({ title: 'B only', expertIds: [expertB.id], minAnswers: 1 });
    const inbox = (await clientA.get(`${API}/experts/me/consultations`)).json<
      { id: string; myStatus: string }[]
    >();
    expect(inbox.map((c) => c.id)).toEqual([sooner.consultation.id, later.consultation.id]);
    expect(inbox.every((c) => c.myStatus === 'invited')).toBe(true);

    await clientB.post(`${API}/consultations/${onlyB.consultation.id}/answer`, answerBody(5, 'Yes'));
    await organizer.post(`${API}/consultations/${onlyB.consultation.id}/close`);
    const inboxB = (await clientB.get(`${API}/experts/me/consultations`)).json<{ id: string }[]>();
    expect(inboxB.map((c) => c.id)).not.toContain(onlyB.consultation.id);
    const withClosed = (await clientB.get(`${API}/experts/me/consultations?includeClosed=true`)).json<
      { id: string; myStatus: string }[]
    >();
    expect(withClosed.find((c) => c.id === onlyB.consultation.id)?.myStatus).toBe('answered');

    const list = (await organizer.get(`${API}/rounds/${round.roundId}/consultations`)).json<
      { id: string; invited: number; answered: number; minimumMet: boolean }[]
    >();
    expect(list).toHaveLength(3);
    expect(list.find((c) => c.id === onlyB.consultation.id)).toMatchObject({
      invited: 1,
      answered: 1,
      minimumMet: true,
    });
  });

  describe('roster', () => {
    it('lists experts by field and lets organizers set profiles', async () => {
      const roster = (await organizer.get(`${API}/experts`)).json<{ id: string; fields: string[] }[]>();
      expect(roster.map((e) => e.id).sort()).toEqual([expertA.id, expertB.id, expertC.id].sort());
      const law = (await organizer.get(`${API}/experts?field=law`)).json<{ id: string }[]>();
      expect(law.map((e) => e.id)).toEqual([expertC.id]);

      const set = await organizer.put(`${API}/experts/${expertB.id}/profile`, {
        fields: ['Technology', 'law', 'law'],
        title: '教授',
        organisation: 'Zhejiang University 浙江大学',
        bio: '',
      });
      expect(set.statusCode, set.body).toBe(200);
      expect(set.json()).toMatchObject({ fields: ['technology', 'law'], title: '教授', bio: null });
      const lawNow = (await organizer.get(`${API}/experts?field=law`)).json<{ id: string }[]>();
      expect(lawNow.map((e) => e.id).sort()).toEqual([expertB.id, expertC.id].sort());
      const event = await db()
        .db.selectFrom('ledger_event')
        .select('payload')
        .where('event', '=', 'expert_profile.updated')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(event.payload)).toMatchObject({ before: { fields: ['technology'] } });

      // Picking by field invites every active expert of it.
      const disabled = await createExpert(db(), { fields: ['law'], disabled: true });
      const byField = await create({ expertIds: undefined, fields: ['law'], minAnswers: 1 });
      expect(byField.assignments.map((a) => a.expertId).sort()).toEqual([expertB.id, expertC.id].sort());
      expect(byField.assignments.map((a) => a.expertId)).not.toContain(disabled.id);
    });

    it('refuses profiles of non-experts, bad fields and non-organizers', async () => {
      const admin = await t.signIn(await createUser(db(), { roles: ['admin'] }));
      const notExpert = await admin.put(`${API}/experts/${round.invited[0]!.liaison.id}/profile`, {
        fields: ['law'],
      });
      expect(notExpert.statusCode).toBe(422);
      expect((await admin.put(`${API}/experts/nobody/profile`, { fields: ['law'] })).statusCode).toBe(404);
      const empty = await admin.put(`${API}/experts/${expertA.id}/profile`, { fields: [] });
      expect(empty.statusCode).toBe(400);
      expect(empty.json().error.details[0].field).toBe('body.fields');
      const bad = await admin.put(`${API}/experts/${expertA.id}/profile`, { fields: ['法律'] });
      expect(bad.statusCode).toBe(400);
      const liaison = await t.signIn(round.invited[0]!.liaison);
      expect(
        (await liaison.put(`${API}/experts/${expertA.id}/profile`, { fields: ['law'] })).statusCode,
      ).toBe(403);
      expect(
        (await clientA.put(`${API}/experts/${expertA.id}/profile`, { fields: ['law'] })).statusCode,
      ).toBe(403);
      const profile = await db()
        .db.selectFrom('expert_profile')
        .select('fields')
        .where('user_id', '=', expertA.id)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(profile.fields)).toEqual(['economy', 'planning']);
    });
  });
});
