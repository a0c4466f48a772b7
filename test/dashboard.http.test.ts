import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createOpinion, createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import { createUnit, createUser } from './factories.ts';
import { createDisposition, createObjection, createReply } from './integration-factories.ts';

interface DashboardBody {
  totals: Record<string, number>;
  plans: {
    id: string;
    rounds: Record<string, number>;
    openRounds: { roundId: string; invited: number; replied: number; responseRate: number | null }[];
    opinions: { received: number; disposed: number; adopted: number; adoptionRate: number | null };
    objections: { open: number; escalated: number };
    currentVersion: { seq: number; label: string } | null;
    openRevision: { id: string; status: string } | null;
  }[];
  pending: {
    urgentRounds: { roundId: string; planName: string; urgentReason: string }[];
    revisions: { revisionId: string; changeCount: number; submittedByName: string }[];
    objections: { objectionId: string; reasons: string; opinion: { regNo: string } }[];
  };
}

describeDb('the leaders’ dashboard', (db) => {
  let t: TestApp;
  /** Plan A: a round in feedback with dispositions and objections. */
  let a: TestRound;
  /** Plan B, owned by a unit under A's: an open round, an urgent round waiting, a submitted revision. */
  let b: TestRound;
  let urgentRoundId: string;
  let escalatedId: string;
  let revisionId: string;
  let leaderA: TestClient;

  beforeEach(async () => {
    t = await createTestApp(db());
    a = await createRound(db(), { status: 'feedback' });
    b = await createRound(db(), { status: 'open' });
    await db()
      .db.updateTable('unit')
      .set({ parent_id: a.ownerUnit.id })
      .where('id', '=', b.ownerUnit.id)
      .execute();

    // Plan A: two opinions disposed (one adopted), an open objection and an escalated one.
    const adopted = await createOpinion(db(), a);
    const refused = await createOpinion(db(), a, { clause: a.articles[2]!, proposedText: null });
    const third = await createOpinion(db(), a, { clause: a.articles[3]!, proposedText: null });
    await createOpinion(db(), a, { status: 'draft' });
    await createDisposition(db(), a, adopted.id, { code: 'adopted' });
    const notAdopted = await createDisposition(db(), a, refused.id, { code: 'not_adopted' });
    const explained = await createDisposition(db(), a, third.id, { code: 'explained' });
    // The disputed dispositions were approved by an organizer, not by the leader who decides (复核回避).
    await db()
      .db.updateTable('disposition')
      .set({ decided_by: a.organizer.id })
      .where('id', 'in', [notAdopted, explained])
      .execute();
    escalatedId = await createObjection(db(), a.invited[0]!, refused.id, notAdopted, {
      status: 'escalated',
      reviewNote: '涉及指标调整，提请领导小组研究。',
      reasons: '我单位测算表明15%可以实现。',
    });
    await createObjection(db(), a.invited[1]!, third.id, explained, { status: 'open' });

    // Plan B: one of two invited units replied; an urgent round waits; a revision is submitted.
    await createReply(db(), b.invited[0]!);
    const organizerB = await t.signIn(b.organizer);
    const urgent = await organizerB.post(`/api/v1/plans/${b.planId}/rounds`, {
      versionId: b.versionId,
      title: '紧急补充征求',
      kind: 'internal',
      opensAt: new Date(Date.now() + 86400_000).toISOString(),
      workingDays: 2,
      scope: null,
      visibility: 'after_close',
      silencePolicy: 'no_reply',
      urgent: { reason: '省政府常务会议前须完成。' },
    });
    expect(urgent.statusCode).toBe(201);
    expect(urgent.json().urgentStatus).toBe('pending');
    urgentRoundId = urgent.json().id;
    revisionId = (await organizerB.post(`/api/v1/plans/${b.planId}/revisions`)).json().revision.id;
    await organizerB.put(`/api/v1/revisions/${revisionId}/clauses/${b.articles[0]!.stableId}`, {
      text: '修改后的第一条。',
    });
    expect((await organizerB.post(`/api/v1/revisions/${revisionId}/submit`)).statusCode).toBe(200);

    leaderA = await t.signIn(a.leader);
  });
  afterEach(() => t.close());

  const dashboard = async (client: TestClient): Promise<DashboardBody> => {
    const response = await client.get('/api/v1/dashboard');
    expect(response.statusCode).toBe(200);
    return response.json<DashboardBody>();
  };

  it('shows a leader every plan of the unit and below with its figures and the approvals waiting', async () => {
    const body = await dashboard(leaderA);
    expect(body.plans.map((p) => p.id).sort()).toEqual([a.planId, b.planId].sort());
    const planA = body.plans.find((p) => p.id === a.planId)!;
    expect(planA).toMatchObject({
      currentVersion: { seq: 1, label: 'v1' },
      rounds: { feedback: 1, open: 0 },
      openRounds: [],
      opinions: { received: 3, disposed: 3, adopted: 1, adoptionRate: 1 / 3 },
      objections: { open: 1, escalated: 1 },
      openRevision: null,
    });
    const planB = body.plans.find((p) => p.id === b.planId)!;
    expect(planB).toMatchObject({
      rounds: { open: 1, draft: 1 },
      openRounds: [{ roundId: b.roundId, invited: 2, replied: 1, responseRate: 0.5 }],
      opinions: { received: 0, disposed: 0, adopted: 0, adoptionRate: null },
      openRevision: { id: revisionId, status: 'submitted' },
    });
    expect(body.totals).toEqual({
      plans: 2,
      openRounds: 1,
      received: 3,
      disposed: 3,
      adopted: 1,
      openObjections: 2,
      pendingApprovals: 3,
    });
    expect(body.pending.urgentRounds).toEqual([
      expect.objectContaining({
        roundId: urgentRoundId,
        planName: '数字经济发展规划',
        urgentReason: '省政府常务会议前须完成。',
      }),
    ]);
    expect(body.pending.revisions).toEqual([
      expect.objectContaining({ revisionId, changeCount: 1, submittedByName: b.organizer.name }),
    ]);
    expect(body.pending.objections).toEqual([
      expect.objectContaining({ objectionId: escalatedId, reasons: '我单位测算表明15%可以实现。' }),
    ]);
  });

  it('drops an approval from the list once it is decided', async () => {
    expect((await leaderA.post(`/api/v1/rounds/${urgentRoundId}/urgent/approve`)).statusCode).toBe(200);
    expect((await leaderA.post(`/api/v1/revisions/${revisionId}/approve`)).statusCode).toBe(200);
    const decided = await leaderA.post(`/api/v1/objections/${escalatedId}/decide`, {
      outcome: 'record_dissent',
      note: '维持原指标，分歧意见列入情况说明。',
    });
    expect(decided.statusCode).toBe(200);
    const body = await dashboard(leaderA);
    expect(body.pending).toEqual({ urgentRounds: [], revisions: [], objections: [] });
    expect(body.totals.pendingApprovals).toBe(0);
    expect(body.plans.find((p) => p.id === b.planId)!.openRevision).toMatchObject({ status: 'approved' });
    expect(body.plans.find((p) => p.id === a.planId)!.objections).toEqual({ open: 1, escalated: 0 });
  });

  it('limits plans to the caller’s scope and approvals to what the caller may decide', async () => {
    // The leader of plan B's unit sees plan B only, and cannot decide plan A's objection.
    const leaderB = await dashboard(await t.signIn(b.leader));
    expect(leaderB.plans.map((p) => p.id)).toEqual([b.planId]);
    expect(leaderB.pending.urgentRounds).toHaveLength(1);
    expect(leaderB.pending.revisions).toHaveLength(1);
    expect(leaderB.pending.objections).toEqual([]);

    // An organizer reads the own unit's plan but decides nothing.
    const organizerA = await dashboard(await t.signIn(a.organizer));
    expect(organizerA.plans.map((p) => p.id)).toEqual([a.planId]);
    expect(organizerA.pending).toEqual({ urgentRounds: [], revisions: [], objections: [] });

    // A leader elsewhere and an invited unit's liaison see no plan at all.
    const elsewhere = await createUnit(db());
    const outsider = await dashboard(
      await t.signIn(await createUser(db(), { roles: ['leader'], unitId: elsewhere.id })),
    );
    expect(outsider.plans).toEqual([]);
    expect(outsider.totals.plans).toBe(0);
    const liaison = await dashboard(await t.signIn(a.invited[0]!.liaison));
    expect(liaison.plans).toEqual([]);
    expect(liaison.pending).toEqual({ urgentRounds: [], revisions: [], objections: [] });

    expect((await t.anonymous.get('/api/v1/dashboard')).statusCode).toBe(401);
  });

  it('leaves out an objection to a disposition the leader approved (复核回避)', async () => {
    await db()
      .db.updateTable('disposition')
      .set({ decided_by: a.leader.id })
      .where(
        'opinion_id',
        'in',
        db().db.selectFrom('objection').select('opinion_id').where('id', '=', escalatedId),
      )
      .execute();
    const body = await dashboard(leaderA);
    expect(body.pending.objections).toEqual([]);
    const refused = await leaderA.post(`/api/v1/objections/${escalatedId}/decide`, {
      outcome: 'uphold',
      note: '维持。',
    });
    expect(refused.statusCode).toBe(403);
  });
});
