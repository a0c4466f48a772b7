import { afterEach, expect, it } from 'vitest';
import type { TestApp } from './app.ts';
import { createTestApp } from './app.ts';
import { createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';

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
});
