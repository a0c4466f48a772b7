import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';

const YEAR = String(365 * 24 * 60 * 60);

describeDb('reminders and extensions in the round monitor', (db) => {
  let t: TestApp;
  let now: Date;
  let round: TestRound;
  let organizer: TestClient;

  beforeEach(async () => {
    now = new Date('2026-09-28T01:00:00.000Z'); // Monday 09:00 in Beijing
    round = await createRound(db(), {
      status: 'open',
      opensAt: '2026-09-21T01:00:00.000Z',
      closesAt: '2026-09-30T15:59:59.999Z', // deadline 2026-09-30, the eve of National Day
      units: 3,
    });
    t = await createTestApp(db(), {
      now: () => now,
      env: { CONCORD_SESSION_IDLE_SECONDS: YEAR, CONCORD_SESSION_ABSOLUTE_SECONDS: YEAR },
    });
    organizer = await t.signIn(round.organizer);
  });
  afterEach(() => t.close());

  const remind = (client: TestClient, invitationId: string, body?: unknown) =>
    client.post(`/api/v1/invitations/${invitationId}/remind`, body);
  const invitationRow = (id: string) =>
    db()
      .db.selectFrom('round_invitation')
      .select(['last_reminded_at', 'reminder_count', 'status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const ledger = (event: string) =>
    db()
      .db.selectFrom('ledger_event')
      .select(['entity_id', 'payload', 'actor'])
      .where('event', '=', event)
      .orderBy('seq')
      .execute();

  it('lets the organizer remind a unit that has not sent, counting and stamping it with a ledger event', async () => {
    const [a, b] = round.invited;
    const first = await remind(organizer, a!.invitationId, { note: '请于9月30日前反馈' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      id: a!.invitationId,
      lastRemindedAt: '2026-09-28T01:00:00.000Z',
      reminderCount: 1,
    });
    now = new Date('2026-09-29T02:00:00.000Z');
    expect((await remind(organizer, a!.invitationId)).json()).toMatchObject({
      lastRemindedAt: '2026-09-29T02:00:00.000Z',
      reminderCount: 2,
    });
    expect(await invitationRow(a!.invitationId)).toMatchObject({
      last_reminded_at: '2026-09-29T02:00:00.000Z',
      reminder_count: 2,
      status: 'invited',
    });
    const events = await ledger('invitation.reminded');
    expect(events.map((e) => e.entity_id)).toEqual([a!.invitationId, a!.invitationId]);
    expect(JSON.parse(events[0]!.payload)).toMatchObject({
      roundId: round.roundId,
      unitId: a!.unit.id,
      reminder: 1,
      note: '请于9月30日前反馈',
    });
    expect(events[0]!.actor).toBe(round.organizer.id);

    // The monitor shows it; the other units are untouched.
    const monitor = await organizer.get(`/api/v1/rounds/${round.roundId}/invitations`);
    const byId = new Map(
      monitor
        .json<{ id: string; reminderCount: number; lastRemindedAt: string | null }[]>()
        .map((i) => [i.id, i]),
    );
    expect(byId.get(a!.invitationId)).toMatchObject({ reminderCount: 2 });
    expect(byId.get(b!.invitationId)).toMatchObject({ reminderCount: 0, lastRemindedAt: null });
  });

  it('refuses everyone but the plan’s organizers, bad input, and units that have sent or rounds not open', async () => {
    const [a, b, c] = round.invited;
    const leader = await t.signIn(round.leader);
    const liaison = await t.signIn(a!.liaison);
    const foreign = await t.signIn((await createRound(db())).organizer);
    for (const client of [leader, liaison, foreign]) {
      expect((await remind(client, a!.invitationId)).statusCode).toBe(403);
    }
    expect((await remind(t.anonymous, a!.invitationId)).statusCode).toBe(401);
    expect((await remind(organizer, 'no-such-invitation')).statusCode).toBe(404);
    const long = await remind(organizer, a!.invitationId, { note: '催'.repeat(501) });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.details[0].field).toBe('body.note');

    // Sent, or sent once and now drafting the next version: nothing to remind of.
    await db()
      .db.updateTable('round_invitation')
      .set({ status: 'sent', reply_version: 1 })
      .where('id', '=', b!.invitationId)
      .execute();
    await db()
      .db.updateTable('round_invitation')
      .set({ status: 'drafting', reply_version: 1 })
      .where('id', '=', c!.invitationId)
      .execute();
    for (const id of [b!.invitationId, c!.invitationId]) {
      const refused = await remind(organizer, id);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.details).toMatchObject({ field: 'status' });
    }
    await db().db.updateTable('round').set({ status: 'closed' }).where('id', '=', round.roundId).execute();
    const closed = await remind(organizer, a!.invitationId);
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.details).toMatchObject({ field: 'status', state: 'closed' });
    expect(await invitationRow(a!.invitationId)).toMatchObject({ reminder_count: 0, last_reminded_at: null });
    expect(await ledger('invitation.reminded')).toEqual([]);
  });

  it('shows an extension request with the working days it adds, which the organizer grants', async () => {
    const [a] = round.invited;
    const liaison = await t.signIn(a!.liaison);
    // Across National Day: twelve calendar days, four working days.
    const requested = await liaison.post(`/api/v1/invitations/${a!.invitationId}/extension`, {
      until: '2026-10-12',
      reason: '需征求下级单位意见',
    });
    expect(requested.statusCode).toBe(201);
    expect(requested.json()).toMatchObject({ status: 'pending', extraWorkingDays: 4 });
    const listed = await organizer.get(`/api/v1/rounds/${round.roundId}/extensions`);
    expect(listed.json()).toEqual([
      expect.objectContaining({ unitId: a!.unit.id, requestedUntil: '2026-10-12', extraWorkingDays: 4 }),
    ]);
    const granted = await organizer.post(`/api/v1/extensions/${requested.json().id}/grant`);
    expect(granted.json()).toMatchObject({ status: 'granted', extraWorkingDays: 4 });
    const monitor = await organizer.get(`/api/v1/rounds/${round.roundId}/invitations`);
    expect(monitor.json().find((i: { id: string }) => i.id === a!.invitationId)).toMatchObject({
      deadline: '2026-10-12',
      extended: true,
    });
  });
});
