import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { MESSAGE_EDIT_WINDOW_MS } from '../src/server/policies/discussion.policy.ts';
import { MAX_MESSAGE_CHARS } from '../src/server/services/discussion.service.ts';
import type { LiveMessage } from '../src/server/services/live-bus.ts';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import { createConflict, setRoundStatus } from './discussion-factories.ts';
import type { TestUser } from './factories.ts';
import { createUnit, createUser } from './factories.ts';

describeDb('discussion threads API', (db) => {
  let t: TestApp;
  let now: Date;

  beforeEach(async () => {
    now = new Date('2026-03-02T08:00:00.000Z');
    t = await createTestApp(db(), { now: () => now });
  });
  afterEach(async () => {
    await t.close();
  });

  const later = (ms: number): void => {
    now = new Date(now.getTime() + ms);
  };

  async function startClauseThread(
    round: TestRound,
    client: TestClient,
    title = '关于第二条目标值的讨论',
  ): Promise<string> {
    const response = await client.post(`/api/v1/rounds/${round.roundId}/threads`, {
      title,
      clauseStableId: round.articles[1]!.stableId,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string }>().id;
  }

  it('starts a clause thread, posts in Chinese and English and records each change in the ledger', async () => {
    const round = await createRound(db(), { visibility: 'always' });
    const organizer = await t.signIn(round.organizer);
    const threadId = await startClauseThread(round, organizer);

    const thread = await organizer.get(`/api/v1/threads/${threadId}`);
    expect(thread.statusCode).toBe(200);
    expect(thread.json()).toEqual({
      thread: expect.objectContaining({
        id: threadId,
        roundId: round.roundId,
        clauseStableId: round.articles[1]!.stableId,
        conflictId: null,
        title: '关于第二条目标值的讨论',
        createdBy: round.organizer.id,
        messageCount: 0,
        lastSeq: 0,
        channel: `thread:${threadId}`,
        unreadCount: 0,
      }),
      messages: [],
      hasMore: false,
    });

    const bodies = [
      '建议将目标值调整为12%，请各单位发表意见。',
      'Agreed — 12% fits the 2025 baseline of 9.8%.',
      '好',
      '👍🏽 同意 OK',
    ];
    for (const body of bodies) {
      const posted = await organizer.post(`/api/v1/threads/${threadId}/messages`, { body });
      expect(posted.statusCode, posted.body).toBe(201);
      expect(posted.json().message).toMatchObject({ body, authorId: round.organizer.id, deletedAt: null });
    }
    const page = (await organizer.get(`/api/v1/threads/${threadId}`)).json();
    expect(page.messages.map((m: { body: string }) => m.body)).toEqual(bodies);
    expect(page.messages.map((m: { seq: number }) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(page.thread).toMatchObject({ messageCount: 4, lastSeq: 4, lastMessageAt: now.toISOString() });

    const events = await t.services.ledger.list({ afterSeq: 0, limit: 50 });
    expect(events.filter((e) => e.entity === 'discussion_thread').map((e) => [e.event, e.id])).toEqual([
      ['thread.created', threadId],
    ]);
    const posted = events.filter((e) => e.event === 'message.posted');
    expect(posted).toHaveLength(4);
    expect(posted[0]!.payload).toMatchObject({ threadId, seq: 1, mentions: [] });
    expect(posted[0]!.actor).toBe(round.organizer.id);
  });

  it('stores and returns a script tag as plain text', async () => {
    const round = await createRound(db(), { visibility: 'always' });
    const organizer = await t.signIn(round.organizer);
    const threadId = await startClauseThread(round, organizer, '<b>标题</b>');
    const body = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
    const posted = await organizer.post(`/api/v1/threads/${threadId}/messages`, { body });
    expect(posted.statusCode).toBe(201);
    expect(posted.headers['content-type']).toContain('application/json');
    const read = await organizer.get(`/api/v1/threads/${threadId}`);
    expect(read.json().messages[0].body).toBe(body);
    expect(read.json().thread.title).toBe('<b>标题</b>');
    const stored = await db()
      .db.selectFrom('discussion_message')
      .select('body')
      .where('thread_id', '=', threadId)
      .executeTakeFirstOrThrow();
    expect(stored.body).toBe(body);
  });

  it('refuses empty and oversized bodies naming the field, and counts characters, not bytes', async () => {
    const round = await createRound(db(), { visibility: 'always' });
    const organizer = await t.signIn(round.organizer);
    const threadId = await startClauseThread(round, organizer);
    const url = `/api/v1/threads/${threadId}/messages`;

    for (const body of ['', '   \n\t ']) {
      const refused = await organizer.post(url, { body });
      expect(refused.statusCode, JSON.stringify(body)).toBe(400);
      expect(refused.json().error).toMatchObject({ code: 'validation_failed' });
      expect(JSON.stringify(refused.json().error)).toContain('body');
    }
    const tooLong = await organizer.post(url, { body: '字'.repeat(MAX_MESSAGE_CHARS + 1) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.details[0].field).toBe('body.body');
    const huge = await organizer.post(url, { body: 'a'.repeat(100 * 1024) });
    expect(huge.statusCode).toBe(400);
    expect(huge.json().error.details[0].field).toBe('body.body');
    const withNul = await organizer.post(url, { body: 'a\u0000b' });
    expect(withNul.statusCode).toBe(400);
    expect(withNul.json().error.details).toMatchObject({ field: 'body' });
    expect((await organizer.get(`/api/v1/threads/${threadId}`)).json().messages).toEqual([]);

    // The limit is in characters: 4000 Chinese characters or emoji pass although they take more bytes.
    for (const body of ['字'.repeat(MAX_MESSAGE_CHARS), '😀'.repeat(MAX_MESSAGE_CHARS)]) {
      const accepted = await organizer.post(url, { body });
      expect(accepted.statusCode).toBe(201);
      expect(accepted.json().message.body).toBe(body);
    }
    const badTitle = await organizer.post(`/api/v1/rounds/${round.roundId}/threads`, {
      title: ' ',
      clauseStableId: round.articles[1]!.stableId,
    });
    expect(badTitle.statusCode).toBe(400);
    expect(badTitle.json().error.details).toMatchObject({ field: 'title' });
  });

  it('needs exactly one subject: a clause in the round’s scope or a conflict of the round', async () => {
    const round = await createRound(db(), { visibility: 'always' });
    const organizer = await t.signIn(round.organizer);
    const url = `/api/v1/rounds/${round.roundId}/threads`;
    const neither = await organizer.post(url, { title: '讨论' });
    expect(neither.statusCode).toBe(400);
    const conflict = await createConflict(db(), round, { sides: round.invited });
    const both = await organizer.post(url, {
      title: '讨论',
      clauseStableId: round.articles[1]!.stableId,
      conflictId: conflict.id,
    });
    expect(both.statusCode).toBe(400);
    const unknownClause = await organizer.post(url, { title: '讨论', clauseStableId: 'no-such-clause' });
    expect(unknownClause.statusCode).toBe(422);
    expect(unknownClause.json().error.details).toMatchObject({ field: 'clauseStableId' });
    await db()
      .db.updateTable('round')
      .set({ scope: JSON.stringify([round.articles[0]!.stableId]) })
      .where('id', '=', round.roundId)
      .execute();
    const outOfScope = await organizer.post(url, {
      title: '讨论',
      clauseStableId: round.articles[1]!.stableId,
    });
    expect(outOfScope.statusCode).toBe(422);
    const unknownConflict = await organizer.post(url, { title: '讨论', conflictId: 'no-such-conflict' });
    expect(unknownConflict.statusCode).toBe(404);
    const count = await db()
      .db.selectFrom('discussion_thread')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('keeps units that are not concerned out of a clause thread', async () => {
    const round = await createRound(db(), { visibility: 'always' });
    const organizer = await t.signIn(round.organizer);
    const threadId = await startClauseThread(round, organizer);
    const outsiderUnit = await createUnit(db());
    const outsider = await t.signIn(await createUser(db(), { roles: ['liaison'], unitId: outsiderUnit.id }));

    expect((await outsider.get(`/api/v1/threads/${threadId}`)).statusCode).toBe(403);
    const post = await outsider.post(`/api/v1/threads/${threadId}/messages`, { body: '我们也有意见' });
    expect(post.statusCode).toBe(403);
    expect((await outsider.get(`/api/v1/rounds/${round.roundId}/threads`)).statusCode).toBe(403);
    const start = await outsider.post(`/api/v1/rounds/${round.roundId}/threads`, {
      title: '新讨论',
      clauseStableId: round.articles[1]!.stableId,
    });
    expect(start.statusCode).toBe(403);
    const watch = await outsider.get(`/api/v1/events?channel=thread:${threadId}`);
    expect(watch.statusCode).toBe(403);

    // An invited unit and the plan's leader take part.
    const liaison = await t.signIn(round.invited[0]!.liaison);
    expect((await liaison.get(`/api/v1/threads/${threadId}`)).statusCode).toBe(200);
    expect((await liaison.post(`/api/v1/threads/${threadId}/messages`, { body: '同意' })).statusCode).toBe(
      201,
    );
    const leader = await t.signIn(round.leader);
    expect((await leader.get(`/api/v1/rounds/${round.roundId}/threads`)).json()).toHaveLength(1);
    expect((await outsider.get(`/api/v1/threads/${threadId}`)).statusCode).toBe(403);
  });

  it('follows the round’s visibility: units join clause threads only once they may see each other', async () => {
    const round = await createRound(db(), { visibility: 'after_close' });
    const organizer = await t.signIn(round.organizer);
    const threadId = await startClauseThread(round, organizer);
    await organizer.post(`/api/v1/threads/${threadId}/messages`, { body: '请各单位关注目标值' });
    const liaison = await t.signIn(round.invited[0]!.liaison);

    expect((await liaison.get(`/api/v1/rounds/${round.roundId}/threads`)).json()).toEqual([]);
    expect((await liaison.get(`/api/v1/threads/${threadId}`)).statusCode).toBe(403);
    expect((await liaison.post(`/api/v1/threads/${threadId}/messages`, { body: '看到了' })).statusCode).toBe(
      403,
    );
    expect((await liaison.get(`/api/v1/events?channel=thread:${threadId}`)).statusCode).toBe(403);
    const start = await liaison.post(`/api/v1/rounds/${round.roundId}/threads`, {
      title: '我方讨论',
      clauseStableId: round.articles[1]!.stableId,
    });
    expect(start.statusCode).toBe(403);

    await setRoundStatus(db(), round.roundId, 'closed');
    const listed = (await liaison.get(`/api/v1/rounds/${round.roundId}/threads`)).json();
    expect(listed.map((x: { id: string }) => x.id)).toEqual([threadId]);
    expect(listed[0].unreadCount).toBe(1);
    expect((await liaison.get(`/api/v1/threads/${threadId}`)).statusCode).toBe(200);

    const never = await createRound(db(), { visibility: 'never', status: 'closed' });
    const neverThread = await startClauseThread(never, await t.signIn(never.organizer));
    const neverLiaison = await t.signIn(never.invited[0]!.liaison);
    expect((await neverLiaison.get(`/api/v1/threads/${neverThread}`)).statusCode).toBe(403);
  });

  it('opens a conflict thread to the parties only, whatever the round’s visibility', async () => {
    const round = await createRound(db(), { visibility: 'never', units: 3 });
    const [a, b, c] = round.invited;
    const conflict = await createConflict(db(), round, { sides: [a!, b!] });
    const partyA = await t.signIn(a!.liaison);
    const created = await partyA.post(`/api/v1/rounds/${round.roundId}/threads`, {
      title: '分歧协调',
      conflictId: conflict.id,
    });
    expect(created.statusCode, created.body).toBe(201);
    const threadId = created.json().id;
    expect(created.json()).toMatchObject({ conflictId: conflict.id, clauseStableId: null });

    const partyB = await t.signIn(b!.head);
    expect(
      (await partyB.post(`/api/v1/threads/${threadId}/messages`, { body: '我方坚持15%' })).statusCode,
    ).toBe(201);
    const other = await t.signIn(c!.liaison);
    expect((await other.get(`/api/v1/threads/${threadId}`)).statusCode).toBe(403);
    expect((await other.get(`/api/v1/rounds/${round.roundId}/threads`)).json()).toEqual([]);
    const byConflict = await (
      await t.signIn(round.organizer)
    ).get(`/api/v1/rounds/${round.roundId}/threads?conflict=${conflict.id}`);
    expect(byConflict.json().map((x: { id: string }) => x.id)).toEqual([threadId]);
    const byClause = await (
      await t.signIn(round.organizer)
    ).get(`/api/v1/rounds/${round.roundId}/threads?clause=${conflict.clauseStableId}`);
    expect(byClause.json()).toEqual([]);
  });

  it('resolves mentions against the thread’s readers, drops the others and notifies the mentioned', async () => {
    const round = await createRound(db(), { visibility: 'always' });
    const organizer = await t.signIn(round.organizer);
    const threadId = await startClauseThread(round, organizer);
    const liaison = round.invited[0]!.liaison;
    const head = round.invited[1]!.head;
    const outsider = await createUser(db(), { roles: ['liaison'], unitId: (await createUnit(db())).id });

    const received: LiveMessage[] = [];
    const unsubscribe = await t.services.bus.subscribe(`user:${liaison.id}`, (m) => received.push(m));
    const outsiderReceived: LiveMessage[] = [];
    const unsubscribeOutsider = await t.services.bus.subscribe(`user:${outsider.id}`, (m) =>
      outsiderReceived.push(m),
    );
    try {
      const body = `@${liaison.login.toUpperCase()} 请核实数据；@${head.name}请确认。cc @${outsider.login} @nobody mail: a@b.cn`;
      const posted = await organizer.post(`/api/v1/threads/${threadId}/messages`, { body });
      expect(posted.statusCode).toBe(201);
      expect(posted.json().message.mentions).toEqual([
        { userId: liaison.id, login: liaison.login, name: liaison.name },
        { userId: head.id, login: head.login, name: head.name },
      ]);
      expect(posted.json().droppedMentions).toEqual([outsider.login, 'nobody']);
      // The user's channel also carries the notification inbox's unread count; one event is the mention.
      const mentions = (): LiveMessage[] =>
        received.filter((m) => (m.payload as { kind?: string } | null)?.kind === 'mention');
      await vi.waitFor(() => expect(mentions()).toHaveLength(1), { timeout: 5000 });
      expect(mentions()[0]!.payload).toMatchObject({
        kind: 'mention',
        threadId,
        roundId: round.roundId,
        messageId: posted.json().message.id,
        authorId: round.organizer.id,
      });
      const events = await t.services.ledger.list({ afterSeq: 0, limit: 50 });
      expect(events.find((e) => e.event === 'message.posted')!.payload).toMatchObject({
        mentions: [liaison.id, head.id],
      });
    } finally {
      unsubscribe();
      unsubscribeOutsider();
    }
    expect(outsiderReceived).toEqual([]);

    const people = await organizer.get(`/api/v1/threads/${threadId}/people`);
    const ids = people.json().map((p: { id: string }) => p.id);
    expect(ids).toEqual(expect.arrayContaining([round.organizer.id, round.leader.id, liaison.id, head.id]));
    expect(ids).not.toContain(outsider.id);
  });

  it('links a mention’s notification to the page where its thread is read', async () => {
    const round = await createRound(db(), { visibility: 'always' });
    const [a, b] = round.invited;
    const mentionedLinks = async (user: TestUser): Promise<(string | null)[]> => {
      const inbox = await (await t.signIn(user)).get('/api/v1/me/notifications');
      expect(inbox.statusCode, inbox.body).toBe(200);
      return inbox
        .json<{ items: { kind: string; link: string | null }[] }>()
        .items.filter((n) => n.kind === 'mentioned')
        .map((n) => n.link);
    };

    // A clause thread is read in the plan's workspace, with the clause's drawer open.
    const organizer = await t.signIn(round.organizer);
    const clauseThread = await startClauseThread(round, organizer);
    const inClause = await organizer.post(`/api/v1/threads/${clauseThread}/messages`, {
      body: `@${a!.liaison.login} 请核实`,
    });
    expect(inClause.statusCode, inClause.body).toBe(201);
    expect(await mentionedLinks(a!.liaison)).toEqual([
      `/plans/${round.planId}?clause=${encodeURIComponent(round.articles[1]!.stableId)}`,
    ]);

    // A conflict thread is read on the conflict's page.
    const conflict = await createConflict(db(), round, { sides: [a!, b!] });
    const partyA = await t.signIn(a!.liaison);
    const created = await partyA.post(`/api/v1/rounds/${round.roundId}/threads`, {
      title: '分歧协调',
      conflictId: conflict.id,
    });
    expect(created.statusCode, created.body).toBe(201);
    const inConflict = await partyA.post(`/api/v1/threads/${created.json().id}/messages`, {
      body: `@${b!.head.login} 请回应`,
    });
    expect(inConflict.statusCode, inConflict.body).toBe(201);
    expect(await mentionedLinks(b!.head)).toEqual([`/conflicts/${conflict.id}`]);
  });

  it('lets the author alone edit or delete a message, within the window', async () => {
    const round = await createRound(db(), { visibility: 'always' });
    const organizer = await t.signIn(round.organizer);
    const threadId = await startClauseThread(round, organizer);
    const liaison = await t.signIn(round.invited[0]!.liaison);
    const posted = await liaison.post(`/api/v1/threads/${threadId}/messages`, { body: '初稿意见' });
    const messageId = posted.json().message.id;

    expect((await organizer.patch(`/api/v1/messages/${messageId}`, { body: '改' })).statusCode).toBe(403);
    expect((await organizer.delete(`/api/v1/messages/${messageId}`)).statusCode).toBe(403);
    later(60_000);
    const edited = await liaison.patch(`/api/v1/messages/${messageId}`, { body: 'Revised: 建议12%' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().message).toMatchObject({ body: 'Revised: 建议12%', editedAt: now.toISOString() });

    const second = (await liaison.post(`/api/v1/threads/${threadId}/messages`, { body: '补充' })).json()
      .message;
    const deleted = await liaison.delete(`/api/v1/messages/${second.id}`);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toMatchObject({ body: '', deletedAt: now.toISOString(), mentions: [] });
    expect((await liaison.patch(`/api/v1/messages/${second.id}`, { body: '再改' })).statusCode).toBe(409);
    const page = (await organizer.get(`/api/v1/threads/${threadId}`)).json();
    expect(page.thread).toMatchObject({ messageCount: 1, lastSeq: 2 });
    expect(page.messages.map((m: { body: string }) => m.body)).toEqual(['Revised: 建议12%', '']);

    later(MESSAGE_EDIT_WINDOW_MS + 1);
    const late = await liaison.patch(`/api/v1/messages/${messageId}`, { body: '太晚了' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.details).toMatchObject({ reason: 'window_passed' });
    expect((await liaison.delete(`/api/v1/messages/${messageId}`)).statusCode).toBe(409);
    expect((await liaison.delete('/api/v1/messages/no-such-message')).statusCode).toBe(404);

    const events = await t.services.ledger.list({ afterSeq: 0, limit: 50 });
    expect(events.filter((e) => e.entity === 'discussion_message').map((e) => e.event)).toEqual([
      'message.posted',
      'message.edited',
      'message.posted',
      'message.deleted',
    ]);
  });

  it('counts unread messages per reader and pages through a long thread', async () => {
    const round = await createRound(db(), { visibility: 'always' });
    const organizer = await t.signIn(round.organizer);
    const threadId = await startClauseThread(round, organizer);
    for (let i = 1; i <= 7; i++) {
      await organizer.post(`/api/v1/threads/${threadId}/messages`, { body: `第${i}条消息 message ${i}` });
    }
    const liaison = await t.signIn(round.invited[0]!.liaison);
    const listed = (await liaison.get(`/api/v1/rounds/${round.roundId}/threads`)).json();
    expect(listed[0]).toMatchObject({ unreadCount: 7, lastReadSeq: 0 });
    expect((await organizer.get(`/api/v1/rounds/${round.roundId}/threads`)).json()[0].unreadCount).toBe(0);

    const latest = (await liaison.get(`/api/v1/threads/${threadId}?limit=3`)).json();
    expect(latest.messages.map((m: { seq: number }) => m.seq)).toEqual([5, 6, 7]);
    expect(latest.hasMore).toBe(true);
    const older = (await liaison.get(`/api/v1/threads/${threadId}?limit=3&before=5`)).json();
    expect(older.messages.map((m: { seq: number }) => m.seq)).toEqual([2, 3, 4]);
    expect(older.hasMore).toBe(true);
    const oldest = (await liaison.get(`/api/v1/threads/${threadId}?limit=3&before=2`)).json();
    expect(oldest.messages.map((m: { seq: number }) => m.seq)).toEqual([1]);
    expect(oldest.hasMore).toBe(false);
    const after = (await liaison.get(`/api/v1/threads/${threadId}?limit=3&after=5`)).json();
    expect(after.messages.map((m: { seq: number }) => m.seq)).toEqual([6, 7]);
    expect(after.hasMore).toBe(false);

    const read = await liaison.post(`/api/v1/threads/${threadId}/read`, { seq: 5 });
    expect(read.json()).toEqual({ threadId, lastReadSeq: 5, unreadCount: 2 });
    // The marker never moves back.
    expect((await liaison.post(`/api/v1/threads/${threadId}/read`, { seq: 2 })).json().lastReadSeq).toBe(5);
    expect((await liaison.post(`/api/v1/threads/${threadId}/read`)).json()).toEqual({
      threadId,
      lastReadSeq: 7,
      unreadCount: 0,
    });
    // Posting marks the author's own message read; a message by another is unread again.
    await liaison.post(`/api/v1/threads/${threadId}/messages`, { body: '收到' });
    expect((await liaison.get(`/api/v1/rounds/${round.roundId}/threads`)).json()[0].unreadCount).toBe(0);
    expect((await organizer.get(`/api/v1/rounds/${round.roundId}/threads`)).json()[0].unreadCount).toBe(1);
  });

  it('describes the routes in the OpenAPI document under the discussion tag', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of [
      '/api/v1/rounds/{id}/threads',
      '/api/v1/threads/{id}',
      '/api/v1/threads/{id}/messages',
      '/api/v1/threads/{id}/read',
      '/api/v1/threads/{id}/people',
      '/api/v1/messages/{id}',
    ]) {
      expect(spec.paths[path], path).toBeDefined();
    }
    expect(spec.paths['/api/v1/threads/{id}/messages'].post.tags).toEqual(['discussion']);
    expect(spec.paths['/api/v1/messages/{id}'].patch.tags).toEqual(['discussion']);
  });
});
