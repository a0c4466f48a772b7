import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  REMINDER_SWEEP,
  createReminderHandlers,
  scheduleReminderSweep,
} from '../src/server/jobs/reminder.jobs.ts';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import { insertCalendarDay, markReplied, setRoundStatus } from './reminder-factories.ts';

const YEAR = String(365 * 24 * 60 * 60);

/** An instant on a China-local day at a Beijing hour (10:00 unless told). */
const beijing = (day: string, hour = 10): Date =>
  new Date(Date.parse(`${day}T00:00:00Z`) + (hour - 8) * 3_600_000);

describeDb('reminders and supervision (催办/督办)', (db) => {
  let t: TestApp;
  let now: Date;
  let round: TestRound;
  let organizer: TestClient;

  beforeEach(async () => {
    now = beijing('2026-09-24');
    // Deadline Thursday 8 October 2026, right after the National Day holiday (1–7 October).
    round = await createRound(db(), {
      status: 'open',
      opensAt: '2026-09-14T01:00:00.000Z',
      closesAt: '2026-10-08T15:59:59.999Z',
      units: 2,
    });
    t = await createTestApp(db(), {
      now: () => now,
      env: { CONCORD_SESSION_IDLE_SECONDS: YEAR, CONCORD_SESSION_ABSOLUTE_SECONDS: YEAR },
    });
    organizer = await t.signIn(round.organizer);
  });
  afterEach(() => t.close());

  const reminderRows = () =>
    db()
      .db.selectFrom('reminder')
      .select(['invitation_id', 'rule', 'due_on', 'recipients', 'sent_by', 'note'])
      .orderBy('sent_at')
      .orderBy('rule')
      .execute();
  const notificationsOf = (userId: string) =>
    db()
      .db.selectFrom('notification')
      .select(['kind', 'subject_zh', 'subject_en', 'body_zh', 'entity_id'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
  const sweepOn = async (day: string, hour = 10) => {
    now = beijing(day, hour);
    return (await t.services.reminders.sweep()).sent.map((s) => `${s.rule}@${s.dueOn}`);
  };

  it('fires on the right working days across a weekend, a local holiday and National Day, escalates, and never twice', async () => {
    const [a, b] = round.invited;
    // Friday 25 September is Mid-Autumn Festival and Tuesday 29 September a local day off: the three
    // working days before 8 October are 24, 28 and 30 September.
    await insertCalendarDay(db(), { date: '2026-09-29', kind: 'holiday', name: '地方假日' });

    expect(await sweepOn('2026-09-23')).toEqual([]);
    expect(await sweepOn('2026-09-24', 8)).toEqual([]); // before office hours
    expect((await sweepOn('2026-09-24')).sort()).toEqual([
      'before_deadline@2026-09-24',
      'before_deadline@2026-09-24',
    ]);
    expect(await sweepOn('2026-09-24', 11)).toEqual([]); // the same day again: nothing twice
    for (const day of ['2026-09-25', '2026-09-26', '2026-09-27', '2026-09-28', '2026-09-29']) {
      expect(await sweepOn(day)).toEqual([]); // the festival, the weekend, an ordinary day, the local holiday
    }

    // Unit B sends its reply; only A is reminded the day before the holiday.
    await markReplied(db(), b!.invitationId);
    expect(await sweepOn('2026-09-30')).toEqual(['before_deadline@2026-09-30']);
    for (const day of ['2026-10-01', '2026-10-05', '2026-10-07', '2026-10-08']) {
      expect(await sweepOn(day)).toEqual([]);
    }

    // The round closed at the deadline with A silent: its head hears the next working day …
    await setRoundStatus(db(), round.roundId, 'closed');
    await db()
      .db.updateTable('round_invitation')
      .set({ status: 'silent' })
      .where('id', '=', a!.invitationId)
      .execute();
    expect(await sweepOn('2026-10-09')).toEqual(['overdue_head@2026-10-09']);
    // … and the leader of the plan's unit two working days later: Saturday 10 October (调休) and Monday 12.
    expect(await sweepOn('2026-10-10')).toEqual([]);
    expect(await sweepOn('2026-10-11')).toEqual([]);
    // Two instances sweeping at once still send once.
    now = beijing('2026-10-12');
    const [first, second] = await Promise.all([t.services.reminders.sweep(), t.services.reminders.sweep()]);
    expect([...first.sent, ...second.sent].map((s) => `${s.rule}@${s.dueOn}`)).toEqual([
      'overdue_leader@2026-10-12',
    ]);
    expect(await sweepOn('2026-10-13')).toEqual([]);

    const rows = await reminderRows();
    expect(
      rows.map((r) => `${r.invitation_id === a!.invitationId ? 'A' : 'B'} ${r.rule}@${r.due_on}`).sort(),
    ).toEqual([
      'A before_deadline@2026-09-24',
      'A before_deadline@2026-09-30',
      'A overdue_head@2026-10-09',
      'A overdue_leader@2026-10-12',
      'B before_deadline@2026-09-24',
    ]);
    const recipientsOf = (rule: string) =>
      JSON.parse(
        rows.find((r) => r.rule === rule && r.invitation_id === a!.invitationId)!.recipients,
      ) as string[];
    expect(recipientsOf('overdue_head')).toEqual([a!.head.id]);
    expect(recipientsOf('overdue_leader')).toEqual([round.leader.id]);
    expect(recipientsOf('before_deadline').sort()).toEqual([a!.liaison.id, a!.head.id].sort());

    // The liaison got both reminders in the inbox, in Chinese and English; the head and the leader the escalations.
    const liaisonInbox = await notificationsOf(a!.liaison.id);
    expect(liaisonInbox.map((n) => n.kind)).toEqual(['deadline_near', 'deadline_near']);
    expect(liaisonInbox[1]).toMatchObject({ entity_id: a!.invitationId });
    expect(liaisonInbox[1]!.subject_zh).toContain('2026-10-08');
    expect(liaisonInbox[1]!.body_zh).toContain('还有1个工作日');
    expect(liaisonInbox[1]!.subject_en).toContain('due on 2026-10-08');
    const headInbox = await notificationsOf(a!.head.id);
    expect(headInbox.map((n) => n.kind)).toEqual(['deadline_near', 'deadline_near', 'overdue']);
    expect(headInbox[2]!.subject_zh).toContain('【督办】');
    expect(headInbox[2]!.body_zh).toContain('已逾期1个工作日');
    const leaderInbox = await notificationsOf(round.leader.id);
    expect(leaderInbox.map((n) => n.kind)).toEqual(['overdue']);
    // Counted in working days, today included: 9, 10 (调休) and 12 October.
    expect(leaderInbox[0]!.body_zh).toContain('已逾期3个工作日');
    expect(await notificationsOf(round.organizer.id)).toEqual([]);

    // Before-deadline reminders count on the invitation; every reminder is a ledger event.
    const invitation = await db()
      .db.selectFrom('round_invitation')
      .select(['reminder_count', 'last_reminded_at'])
      .where('id', '=', a!.invitationId)
      .executeTakeFirstOrThrow();
    expect(Number(invitation.reminder_count)).toBe(2);
    expect(invitation.last_reminded_at).toBe(beijing('2026-09-30').toISOString());
    const events = await db()
      .db.selectFrom('ledger_event')
      .select(['entity_id', 'payload', 'actor'])
      .where('event', '=', 'reminder.sent')
      .orderBy('seq')
      .execute();
    expect(events).toHaveLength(5);
    expect(JSON.parse(events[4]!.payload)).toMatchObject({
      rule: 'overdue_leader',
      dueOn: '2026-10-12',
      deadline: '2026-10-08',
      recipients: [round.leader.id],
    });
    expect(events[4]!.actor).toBe('system');

    // The round monitor shows per unit what was sent and that nothing more is due.
    const monitor = await organizer.get(`/api/v1/rounds/${round.roundId}/reminders`);
    expect(monitor.statusCode).toBe(200);
    const byId = new Map(
      monitor
        .json<{
          invitations: { invitationId: string; replied: boolean; reminders: unknown[]; next: unknown }[];
        }>()
        .invitations.map((i) => [i.invitationId, i]),
    );
    expect(byId.get(a!.invitationId)).toMatchObject({ replied: false, next: null });
    expect(byId.get(a!.invitationId)!.reminders).toHaveLength(4);
    expect(byId.get(b!.invitationId)).toMatchObject({ replied: true, next: null });
    expect(byId.get(b!.invitationId)!.reminders).toHaveLength(1);
  });

  it('runs as an hourly job enqueued once per hour across instances', async () => {
    now = beijing('2026-09-30');
    const one = await scheduleReminderSweep(t.services.jobs, t.services.ctx);
    const two = await scheduleReminderSweep(t.services.jobs, t.services.ctx);
    expect(two.id).toBe(one.id);
    const handler = createReminderHandlers(t.services)[REMINDER_SWEEP]!;
    const helpers = { progress: async () => undefined, signal: new AbortController().signal };
    expect(await handler(one, helpers)).toMatchObject({ status: 'succeeded', result: { sent: 2 } });
    expect(await handler(one, helpers)).toMatchObject({ status: 'skipped', result: { sent: 0 } });
  });

  it('keeps per-round settings that the organizer sets and the schedule follows', async () => {
    const url = `/api/v1/rounds/${round.roundId}/reminder-settings`;
    const initial = await organizer.get(url);
    expect(initial.statusCode).toBe(200);
    expect(initial.json()).toMatchObject({
      beforeDays: [3, 1],
      leaderAfterDays: 2,
      enabled: true,
      isDefault: true,
      schedule: [
        { rule: 'before_deadline', dueOn: '2026-09-28' },
        { rule: 'before_deadline', dueOn: '2026-09-30' },
        { rule: 'overdue_head', dueOn: '2026-10-09' },
        { rule: 'overdue_leader', dueOn: '2026-10-12' },
      ],
    });

    const put = await organizer.put(url, { beforeDays: [1, 5, 1], leaderAfterDays: 1 });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({
      beforeDays: [5, 1],
      leaderAfterDays: 1,
      isDefault: false,
      updatedBy: round.organizer.id,
      schedule: [
        { rule: 'before_deadline', dueOn: '2026-09-23' }, // 25 September (Mid-Autumn) is off
        { rule: 'before_deadline', dueOn: '2026-09-30' },
        { rule: 'overdue_head', dueOn: '2026-10-09' },
        { rule: 'overdue_leader', dueOn: '2026-10-10' },
      ],
    });
    const event = await db()
      .db.selectFrom('ledger_event')
      .select(['payload', 'entity_id'])
      .where('event', '=', 'round.reminder_settings_set')
      .executeTakeFirstOrThrow();
    expect(event.entity_id).toBe(round.roundId);
    expect(JSON.parse(event.payload)).toMatchObject({ before: null, after: { beforeDays: [5, 1] } });

    // The sweep follows the round's settings: the five-day reminder, a day late, goes out today (24 September).
    expect((await t.services.reminders.sweep()).sent).toHaveLength(2);
    // Switched off: nothing is sent.
    expect(
      (await organizer.put(url, { beforeDays: [1], leaderAfterDays: 2, enabled: false })).statusCode,
    ).toBe(200);
    now = beijing('2026-09-30');
    expect((await t.services.reminders.sweep()).sent).toEqual([]);

    // Bad input, other people, other states.
    expect((await organizer.put(url, { beforeDays: [0], leaderAfterDays: 2 })).statusCode).toBe(400);
    expect((await organizer.put(url, { beforeDays: [1], leaderAfterDays: 31 })).statusCode).toBe(400);
    expect((await organizer.put(url, { beforeDays: ['三'], leaderAfterDays: 2 })).statusCode).toBe(400);
    const liaison = await t.signIn(round.invited[0]!.liaison);
    expect((await liaison.put(url, { beforeDays: [2], leaderAfterDays: 2 })).statusCode).toBe(403);
    const leader = await t.signIn(round.leader);
    expect((await leader.get(url)).statusCode).toBe(200);
    expect((await leader.put(url, { beforeDays: [2], leaderAfterDays: 2 })).statusCode).toBe(403);
    expect((await t.anonymous.get(url)).statusCode).toBe(401);
    expect((await organizer.get('/api/v1/rounds/no-such-round/reminder-settings')).statusCode).toBe(404);
    await setRoundStatus(db(), round.roundId, 'closed');
    const closed = await organizer.put(url, { beforeDays: [2], leaderAfterDays: 2 });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.details).toMatchObject({ field: 'status', state: 'closed' });
  });

  it("records the organizer's manual reminder, with its note, for the monitor and the unit's inbox", async () => {
    const [a] = round.invited;
    now = beijing('2026-09-29', 15);
    const note = '请尽快反馈 please reply 🙏';
    const reminded = await organizer.post(`/api/v1/invitations/${a!.invitationId}/remind`, { note });
    expect(reminded.statusCode).toBe(200);
    expect(reminded.json()).toMatchObject({ reminderCount: 1 });
    const rows = await reminderRows();
    expect(rows).toEqual([
      {
        invitation_id: a!.invitationId,
        rule: 'manual',
        due_on: '2026-09-29',
        recipients: expect.any(String),
        sent_by: round.organizer.id,
        note,
      },
    ]);
    const inbox = await notificationsOf(a!.liaison.id);
    expect(inbox).toHaveLength(1);
    // An organizer's own reminder keeps its kind; the automatic ones before the deadline are deadline_near.
    expect(inbox[0]!.kind).toBe('reminder');
    expect(inbox[0]!.body_zh).toContain(`附言：${note}`);
    expect(inbox[0]!.body_zh).toContain('还有2个工作日'); // 30 September and 8 October
    const monitor = await organizer.get(`/api/v1/rounds/${round.roundId}/reminders`);
    const mine = monitor
      .json<{ invitations: { invitationId: string; reminders: { rule: string }[]; next: unknown }[] }>()
      .invitations.find((i) => i.invitationId === a!.invitationId)!;
    expect(mine.reminders.map((r) => r.rule)).toEqual(['manual']);
    // The sweep has not run since Monday: the 3-day reminder of 28 September is still owed, then 30 September.
    expect(mine.next).toMatchObject({ rule: 'before_deadline', dueOn: '2026-09-28' });
    await t.services.reminders.sweep();
    const after = await organizer.get(`/api/v1/rounds/${round.roundId}/reminders`);
    expect(
      after
        .json<{ invitations: { invitationId: string; next: unknown }[] }>()
        .invitations.find((i) => i.invitationId === a!.invitationId)!.next,
    ).toMatchObject({ rule: 'before_deadline', dueOn: '2026-09-30' });
    // A refused manual reminder leaves no row.
    await setRoundStatus(db(), round.roundId, 'closed');
    expect((await organizer.post(`/api/v1/invitations/${a!.invitationId}/remind`)).statusCode).toBe(409);
    expect((await reminderRows()).filter((r) => r.rule === 'manual')).toHaveLength(1);
  });
});
