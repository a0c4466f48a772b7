import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase } from '../src/server/db/database.ts';
import type { Database } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import { describeCli, runCli } from './cli.ts';
import type { TestRound } from './consultation-factories.ts';
import { createOpinion, createRound, insertInvitationRow } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import { createUnit, createUser } from './factories.ts';
import { newId } from '../src/server/lib/ids.ts';
import {
  closeRound,
  createDisposition,
  createFeedbackResponse,
  createObjection,
  createReply,
  flagOpinion,
} from './integration-factories.ts';

/**
 * A hand-built round: three invited units (two province, one county); unit 1 replies on time (and re-sends),
 * unit 2 late, unit 3 not at all. Unit 1 sends 3 opinions (one vague), unit 2 one. Approved: adopted, partially adopted,
 * not adopted; the fourth is only proposed. Ratings: satisfied, basically satisfied, unsatisfied. The
 * not-adopted one draws an objection (upheld) and a second one (dissent recorded).
 */
async function buildRound(database: Database): Promise<TestRound> {
  const round = await createRound(database, { units: 3 });
  const [u1, u2, u3] = round.invited as [
    TestRound['invited'][0],
    TestRound['invited'][0],
    TestRound['invited'][0],
  ];
  await database.db.updateTable('unit').set({ level: 'county' }).where('id', '=', u3.unit.id).execute();
  await database.db
    .updateTable('round_invitation')
    .set({ level: 'county' })
    .where('id', '=', u3.invitationId)
    .execute();
  await closeRound(database, round, {
    openedAt: '2026-03-01T00:00:00.000Z',
    closedAt: '2026-03-11T00:00:00.000Z',
  });
  await createReply(database, u1, { sentAt: '2026-03-05T02:00:00.000Z' });
  // A re-sent reply (version 2) is the same unit replying again: it counts once, on its first day.
  await createReply(database, u1, { sentAt: '2026-03-09T03:00:00.000Z', version: 2 });
  // 17:00 UTC is 01:00 the next day in Beijing.
  await createReply(database, u2, { late: true, sentAt: '2026-03-12T17:00:00.000Z' });
  const o1 = await createOpinion(database, round, { invited: u1 });
  const o2 = await createOpinion(database, round, { invited: u1 });
  const o3 = await createOpinion(database, round, { invited: u1, suggestion: '同意', reasons: null });
  await flagOpinion(database, o3.id, ['vague', 'no_reasons']);
  const o4 = await createOpinion(database, round, { invited: u2 });
  await createOpinion(database, round, { invited: u2, status: 'draft' });
  await createDisposition(database, round, o1.id, { code: 'adopted', decidedAt: '2026-03-12T00:00:00.000Z' });
  await createDisposition(database, round, o2.id, {
    code: 'partially_adopted',
    decidedAt: '2026-03-15T12:00:00.000Z',
  });
  const d3 = await createDisposition(database, round, o3.id, {
    code: 'not_adopted',
    decidedAt: '2026-03-13T00:00:00.000Z',
  });
  await createDisposition(database, round, o4.id, { code: 'adopted', status: 'proposed' });
  await createFeedbackResponse(database, round, u1, o1.id, 'satisfied');
  await createFeedbackResponse(database, round, u1, o2.id, 'basically_satisfied');
  await createFeedbackResponse(database, round, u1, o3.id, 'unsatisfied');
  await createObjection(database, u1, o3.id, d3, { status: 'upheld', roundNo: 1 });
  await createObjection(database, u1, o3.id, d3, { status: 'dissent_recorded', roundNo: 2 });
  return round;
}

const EXPECTED = {
  participationRate: 2 / 3,
  onTimeRate: 1 / 3,
  validOpinionRatio: 0.75,
  solicitationDays: 10,
  integrationDays: 4.5,
  conflictResolutionDays: null,
  adoptionRate: 2 / 3,
  satisfaction: 2 / 3,
  objections: { raised: 2, open: 0, reviewed: 2, upheld: 1, changed: 0, escalated: 0, dissent: 1 },
};

describeDb('metrics API', (db) => {
  let t: TestApp;
  let round: TestRound;
  let organizer: TestClient;

  beforeEach(async () => {
    t = await createTestApp(db());
    round = await buildRound(db());
    organizer = await t.signIn(round.organizer);
  });
  afterEach(() => t.close());

  it('computes the round metrics of a hand-built round', async () => {
    const response = await organizer.get(`/api/v1/rounds/${round.roundId}/metrics`);
    expect(response.statusCode).toBe(200);
    const m = response.json();
    expect(m).toMatchObject(EXPECTED);
    expect(m.counts).toMatchObject({
      invited: 3,
      sent: 2,
      onTime: 1,
      opinions: 4,
      valid: 3,
      disposed: 3,
      rated: 3,
      satisfied: 2,
      objected: 1,
    });
    const [u1, u2, u3] = round.invited;
    const unit = (id: string): Record<string, unknown> =>
      (m.byUnit as { unitId: string }[]).find((u) => u.unitId === id) as Record<string, unknown>;
    expect(unit(u1!.unit.id)).toMatchObject({
      name: u1!.unit.name,
      level: 'province',
      invited: 1,
      sent: 1,
      onTime: 1,
      opinions: 3,
      valid: 2,
      disposed: 3,
      adopted: 1,
      partiallyAdopted: 1,
      adoptionRate: 2 / 3,
      satisfaction: 2 / 3,
    });
    // Timeliness 1, validity 2/3, adoption 2/3 at weights 0.4/0.3/0.3 → 80.
    expect(unit(u1!.unit.id).score).toBe(80);
    expect(unit(u2!.unit.id)).toMatchObject({
      sent: 1,
      onTime: 0,
      opinions: 1,
      disposed: 0,
      adoptionRate: null,
    });
    expect(unit(u3!.unit.id)).toMatchObject({
      level: 'county',
      invited: 1,
      sent: 0,
      participationRate: 0,
      opinions: 0,
      validOpinionRatio: null,
    });
    expect(m.byLevel.map((l: { level: string }) => l.level)).toEqual(['province', 'county']);
    expect(m.byLevel[0]).toMatchObject({
      invited: 2,
      sent: 2,
      onTime: 1,
      opinions: 4,
      participationRate: 1,
      levelFit: 0.5,
    });
    expect(m.byLevel[1]).toMatchObject({ invited: 1, sent: 0, participationRate: 0, opinions: 0 });
  });

  it('gives the charts their figures: replies per day, dispositions per code, ratings, schedules', async () => {
    const m = (await organizer.get(`/api/v1/rounds/${round.roundId}/metrics`)).json();
    expect(m.timeline).toEqual([
      { date: '2026-03-05', onTime: 1, late: 0 },
      { date: '2026-03-13', onTime: 0, late: 1 },
    ]);
    expect(m.byCode).toEqual({
      adopted: 1,
      partially_adopted: 1,
      not_adopted: 1,
      already_reflected: 0,
      explained: 0,
      for_reference: 0,
      out_of_scope: 0,
    });
    const [u1, u2] = round.invited;
    const unit = (id: string) => (m.byUnit as { unitId: string }[]).find((u) => u.unitId === id) as never;
    expect(unit(u1!.unit.id)).toMatchObject({ byCode: { adopted: 1, partially_adopted: 1, not_adopted: 1 } });
    // The fourth opinion's disposition is only proposed: not counted.
    expect(Object.values((unit(u2!.unit.id) as { byCode: Record<string, number> }).byCode)).toEqual([
      0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(m.ratings).toEqual({
      satisfied: 1,
      basicallySatisfied: 1,
      unsatisfied: 1,
      confirmed: 0,
      objected: 0,
    });
    expect(m.rounds).toHaveLength(1);
    expect(m.rounds[0]).toMatchObject({
      roundId: round.roundId,
      seq: 1,
      title: '第一轮征求意见',
      status: 'assessing',
      openedAt: '2026-03-01T00:00:00.000Z',
      closedAt: '2026-03-11T00:00:00.000Z',
      solicitationDays: 10,
      integrationDays: 4.5,
    });
    expect(m.rounds[0].deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("sums a plan's rounds: the second round's replies join the timeline", async () => {
    const first = await db()
      .db.selectFrom('round')
      .selectAll()
      .where('id', '=', round.roundId)
      .executeTakeFirstOrThrow();
    const secondId = newId();
    await db()
      .db.insertInto('round')
      .values({
        ...first,
        id: secondId,
        seq: 2,
        title: '第二轮征求意见',
        status: 'open',
        opens_at: '2026-04-01T00:00:00.000Z',
        deadline: '2026-04-10',
        closes_at: '2026-04-10T16:00:00.000Z',
        opened_at: '2026-04-01T00:00:00.000Z',
        closed_at: null,
      })
      .execute();
    const [u1] = round.invited;
    const invitationId = newId();
    await insertInvitationRow(db(), {
      id: invitationId,
      roundId: secondId,
      unitId: u1!.unit.id,
      level: 'province',
      mandatory: true,
    });
    await createReply(db(), { ...u1!, invitationId }, { sentAt: '2026-04-03T01:00:00.000Z' });

    const plan = (await organizer.get(`/api/v1/plans/${round.planId}/metrics`)).json();
    expect(plan.timeline).toEqual([
      { date: '2026-03-05', onTime: 1, late: 0 },
      { date: '2026-03-13', onTime: 0, late: 1 },
      { date: '2026-04-03', onTime: 1, late: 0 },
    ]);
    expect(plan.counts).toMatchObject({ invited: 4, sent: 3, onTime: 2 });
    expect(plan.rounds.map((r: { seq: number; deadline: string }) => [r.seq, r.deadline])).toEqual([
      [1, first.deadline],
      [2, '2026-04-10'],
    ]);
    expect(plan.rounds[1]).toMatchObject({ title: '第二轮征求意见', closedAt: null, solicitationDays: null });
    // The round alone is unchanged.
    const alone = (await organizer.get(`/api/v1/rounds/${round.roundId}/metrics`)).json();
    expect(alone.timeline).toHaveLength(2);
    expect(alone.counts).toMatchObject({ invited: 3, sent: 2 });
  });

  it('computes plan metrics over its rounds and refuses other users', async () => {
    const plan = await organizer.get(`/api/v1/plans/${round.planId}/metrics`);
    expect(plan.statusCode).toBe(200);
    expect(plan.json()).toMatchObject({ ...EXPECTED, scope: { kind: 'plan', id: round.planId } });
    const leader = await t.signIn(round.leader);
    expect((await leader.get(`/api/v1/rounds/${round.roundId}/metrics`)).statusCode).toBe(200);
    const liaison = await t.signIn(round.invited[0]!.liaison);
    expect((await liaison.get(`/api/v1/rounds/${round.roundId}/metrics`)).statusCode).toBe(403);
    expect((await liaison.get(`/api/v1/plans/${round.planId}/metrics`)).statusCode).toBe(403);
    const outsider = await t.signIn(
      await createUser(db(), { roles: ['organizer'], unitId: (await createUnit(db())).id }),
    );
    expect((await outsider.get(`/api/v1/rounds/${round.roundId}/metrics`)).statusCode).toBe(403);
    expect((await organizer.get('/api/v1/rounds/nope/metrics')).statusCode).toBe(404);
  });
});

describeCli('concord export and metrics', (target) => {
  it('writes an export file and prints the metrics as JSON', async () => {
    const url = target().url;
    const database = target().database ?? openDatabase(url, { poolSize: 1 });
    let round: TestRound;
    try {
      await migrateToLatest(database);
      round = await buildRound(database);
    } finally {
      if (!target().database) {
        await database.close();
      }
    }
    const env = { CONCORD_DATABASE_URL: url };
    const out = join(mkdtempSync(join(tmpdir(), 'concord-export-')), '意见汇总表.xlsx');
    const exported = await runCli(
      ['export', 'opinions', '--round', round.roundId, '--format', 'xlsx', '--out', out, '--json'],
      env,
    );
    expect(exported.code, exported.stderr).toBe(0);
    const written = readFileSync(out);
    expect(exported.json()).toEqual({ file: out, bytes: written.length });
    expect(written.subarray(0, 2).toString()).toBe('PK');

    const metrics = await runCli(['metrics', '--round', round.roundId, '--json'], env);
    expect(metrics.code, metrics.stderr).toBe(0);
    expect(metrics.json()).toMatchObject(EXPECTED);
    const bad = await runCli(['export', 'report', '--round', 'nope', '--out', out, '--json'], env);
    expect(bad.code).toBe(1);
  });
});
