import { afterEach, expect, it } from 'vitest';
import { newId } from '../src/server/lib/ids.ts';
import type { TestApp, TestClient } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createOpinion, createRound, insertInvitationRow } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import { createUser } from './factories.ts';
import { createRoundApp } from './round-app.ts';

interface ClauseCount {
  clauseStableId: string;
  total: number;
  blocking: number;
  proposals: number;
  flagged: number;
  open: number;
}

describeDb('clause counts of a plan', (db) => {
  let t: TestApp;
  let round: TestRound;
  let organizer: TestClient;
  afterEach(() => t.close());

  /** A second round of the same plan, on the same version, with the first invited unit. */
  async function secondRound(): Promise<TestRound> {
    const first = await db()
      .db.selectFrom('round')
      .selectAll()
      .where('id', '=', round.roundId)
      .executeTakeFirstOrThrow();
    const roundId = newId();
    await db()
      .db.insertInto('round')
      .values({ ...first, id: roundId, seq: 2, title: '第二轮征求意见' })
      .execute();
    const unit = round.invited[0]!;
    const invitationId = newId();
    await insertInvitationRow(db(), {
      id: invitationId,
      roundId,
      unitId: unit.unit.id,
      level: unit.unit.level,
      mandatory: true,
    });
    return { ...round, roundId, invited: [{ ...unit, invitationId }] };
  }

  const set = (id: string, changes: Record<string, unknown>) =>
    db().db.updateTable('opinion').set(changes).where('id', '=', id).execute();

  async function setup() {
    const app = await createRoundApp(db());
    ({ t, round, organizer } = app);
    const [a, b] = round.invited;
    const [first, second, third] = round.articles;
    // 第二条: four submitted opinions of two units, and what is never counted.
    await createOpinion(db(), round, { invited: a!, clause: second!, proposedText: null });
    await createOpinion(db(), round, { invited: a!, clause: second!, blocking: true, proposedText: null });
    const proposal = await createOpinion(db(), round, { invited: b!, clause: second! });
    const flagged = await createOpinion(db(), round, {
      invited: b!,
      clause: second!,
      blocking: true,
      proposedText: null,
    });
    await set(flagged.id, { quality_score: 0.3, quality_flags: '["vague","no_reasons"]' });
    await set(proposal.id, { disposition_status: 'approved' });
    await createOpinion(db(), round, { invited: a!, clause: second!, status: 'withdrawn', blocking: true });
    await createOpinion(db(), round, { invited: a!, clause: second!, status: 'draft', blocking: true });
    await createOpinion(db(), round, { invited: a!, clause: null });
    // 第一条: one, approved and with a proposed text.
    const adopted = await createOpinion(db(), round, { invited: b!, clause: first! });
    await set(adopted.id, { disposition_status: 'approved' });
    // 第三条: only a withdrawn opinion, so it is not listed.
    await createOpinion(db(), round, { invited: b!, clause: third!, status: 'withdrawn' });

    const later = await secondRound();
    await createOpinion(db(), later, { clause: second!, blocking: true, proposedText: null });
    const laterProposal = await createOpinion(db(), later, { clause: third! });
    await set(laterProposal.id, { disposition_status: 'proposed' });

    // Another plan's opinions never count here.
    const other = await createRound(db());
    await createOpinion(db(), other, { clause: other.articles[1]! });
    return { app, later, other };
  }

  const counts = async (client: TestClient, query = ''): Promise<ClauseCount[]> => {
    const response = await client.get(`/api/v1/plans/${round.planId}/clause-counts${query}`);
    expect(response.statusCode).toBe(200);
    return response.json<ClauseCount[]>();
  };
  const byClause = (list: ClauseCount[]) => new Map(list.map((c) => [c.clauseStableId, c]));

  it("counts a plan's submitted opinions per clause across its rounds, or in one round", async () => {
    const { later } = await setup();
    const [first, second, third] = round.articles;
    const all = await counts(organizer);
    expect(all).toHaveLength(3);
    const plan = byClause(all);
    expect(plan.get(second!.stableId)).toEqual({
      clauseStableId: second!.stableId,
      total: 5,
      blocking: 3,
      proposals: 1,
      flagged: 1,
      open: 4,
    });
    expect(plan.get(first!.stableId)).toMatchObject({ total: 1, blocking: 0, proposals: 1, open: 0 });
    expect(plan.get(third!.stableId)).toMatchObject({ total: 1, proposals: 1, flagged: 0, open: 1 });

    const inFirst = byClause(await counts(organizer, `?roundId=${round.roundId}`));
    expect([...inFirst.keys()].sort()).toEqual([first!.stableId, second!.stableId].sort());
    expect(inFirst.get(second!.stableId)).toMatchObject({ total: 4, blocking: 2, open: 3 });

    const inLater = byClause(await counts(organizer, `?roundId=${later.roundId}`));
    expect(inLater.size).toBe(2);
    expect(inLater.get(second!.stableId)).toMatchObject({ total: 1, blocking: 1, proposals: 0, open: 1 });
    expect(inLater.get(third!.stableId)).toMatchObject({ total: 1, blocking: 0, proposals: 1, open: 1 });
  });

  it("is for the plan's side only, and names an unknown plan or a round of another plan", async () => {
    const { app, other } = await setup();
    const url = `/api/v1/plans/${round.planId}/clause-counts`;
    const leader = await t.signIn(round.leader);
    expect((await counts(leader)).length).toBe(3);

    const refused = await app.unitA.liaison.get(url);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('forbidden');
    expect((await app.unitA.head.get(url)).statusCode).toBe(403);
    const otherOrganizer = await t.signIn(other.organizer);
    expect((await otherOrganizer.get(url)).statusCode).toBe(403);
    const sameUnitLiaison = await t.signIn(
      await createUser(db(), { roles: ['liaison'], unitId: round.ownerUnit.id }),
    );
    expect((await sameUnitLiaison.get(url)).statusCode).toBe(403);
    expect((await t.anonymous.get(url)).statusCode).toBe(401);

    const unknown = await organizer.get('/api/v1/plans/no-such-plan/clause-counts');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.details).toMatchObject({ field: 'id' });
    const foreignRound = await organizer.get(`${url}?roundId=${other.roundId}`);
    expect(foreignRound.statusCode).toBe(404);
    expect(foreignRound.json().error.details).toMatchObject({ field: 'roundId' });
    expect((await otherOrganizer.get(`/api/v1/plans/${other.planId}/clause-counts`)).json()).toEqual([
      expect.objectContaining({ clauseStableId: other.articles[1]!.stableId, total: 1 }),
    ]);
  });
});
