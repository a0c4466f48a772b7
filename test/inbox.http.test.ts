import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestApp } from './app.ts';
import { createTestApp } from './app.ts';
import { createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';

const API = '/api/v1';

interface Mine {
  id: string;
  roundId: string;
  unitId: string;
  roundTitle: string;
  planName: string;
  status: string;
  deadline: string;
  extended: boolean;
  workingDaysLeft: number;
  replyVersion: number;
  late: boolean;
  versionId: string;
}

describeDb('inbox API (GET /invitations/mine)', (db) => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp(db());
  });
  afterEach(() => t.close());

  it("lists the caller's unit's invitations only, with round, plan, deadline and working days left", async () => {
    const round = await createRound(db());
    const other = await createRound(db(), { status: 'draft' });
    const invited = round.invited[0]!;
    // The same unit is also invited to a draft round, which it must not see yet.
    await db()
      .db.insertInto('round_invitation')
      .values({
        id: `draft-${invited.invitationId}`,
        round_id: other.roundId,
        unit_id: invited.unit.id,
        mandatory: 0,
        level: invited.unit.level,
        forwarded_by_unit_id: null,
        questions: '[]',
        status: 'invited',
        deadline: null,
        acknowledged_at: null,
        acknowledged_by: null,
        reply_version: 0,
        late: 0,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      })
      .execute();

    const liaison = await t.signIn(invited.liaison);
    const response = await liaison.get(`${API}/invitations/mine`);
    expect(response.statusCode).toBe(200);
    const mine = response.json<Mine[]>();
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      id: invited.invitationId,
      roundId: round.roundId,
      unitId: invited.unit.id,
      roundTitle: '第一轮征求意见',
      planName: '数字经济发展规划',
      status: 'invited',
      extended: false,
      replyVersion: 0,
      late: false,
      versionId: round.versionId,
    });
    expect(mine[0]!.deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(mine[0]!.workingDaysLeft).toBeGreaterThan(0);

    // An acknowledgement shows in the inbox.
    expect((await liaison.post(`${API}/invitations/${invited.invitationId}/acknowledge`)).statusCode).toBe(
      200,
    );
    const after = (await liaison.get(`${API}/invitations/mine`)).json<Mine[]>();
    expect(after[0]!.status).toBe('acknowledged');

    // The other invited unit's head sees only theirs.
    const head = await t.signIn(round.invited[1]!.head);
    const theirs = (await head.get(`${API}/invitations/mine`)).json<Mine[]>();
    expect(theirs.map((i) => i.id)).toEqual([round.invited[1]!.invitationId]);
  });

  it('counts overdue working days as negative and marks the invitation late', async () => {
    const past = new Date(Date.now() - 20 * 86_400_000).toISOString();
    const round = await createRound(db(), {
      opensAt: past,
      closesAt: new Date(Date.now() - 8 * 86_400_000).toISOString(),
    });
    const liaison = await t.signIn(round.invited[0]!.liaison);
    const mine = (await liaison.get(`${API}/invitations/mine`)).json<Mine[]>();
    expect(mine).toHaveLength(1);
    expect(mine[0]!.workingDaysLeft).toBeLessThan(0);
    expect(mine[0]!.late).toBe(true);
  });

  it('shows an organizer of another unit none of them, and refuses anonymous callers', async () => {
    const round = await createRound(db());
    const foreign = await t.signIn((await createRound(db(), { units: 0 })).organizer);
    const response = await foreign.get(`${API}/invitations/mine`);
    expect(response.statusCode).toBe(200);
    const ids = response.json<Mine[]>().map((i) => i.id);
    for (const invited of round.invited) {
      expect(ids).not.toContain(invited.invitationId);
    }
    expect(ids).toEqual([]);
    expect((await t.anonymous.get(`${API}/invitations/mine`)).statusCode).toBe(401);
  });
});
