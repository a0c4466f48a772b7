import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../src/server/db/database.ts';
import { openDatabase } from '../src/server/db/database.ts';
import type { TestApp } from './app.ts';
import { createTestApp } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createRound } from './consultation-factories.ts';
import { createTestDatabase, describeDb, testDialects } from './db.ts';
import type { TestUser } from './factories.ts';
import { SseReader } from './sse.ts';

/* New messages reach open pages without reload: through one instance, and across instances on PostgreSQL. */

async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

async function stop(t: TestApp): Promise<void> {
  // Aborted streams leave undici's spare connections open; without this close() waits for their keep-alive.
  t.app.server.closeAllConnections();
  if (t.app.server.listening) {
    await t.close();
  }
}

/** Signs in over HTTP: the session cookie and the CSRF token for writes. */
async function signIn(base: string, user: TestUser): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: user.login, password: user.password }),
  });
  expect(response.status).toBe(200);
  const token = /concord_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1] ?? '';
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: `concord_session=${token}`, csrf: csrfToken };
}

async function send(
  base: string,
  session: { cookie: string; csrf: string },
  path: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function openStream(base: string, channel: string, cookie: string): Promise<SseReader> {
  const controller = new AbortController();
  const response = await fetch(`${base}/api/v1/events?channel=${encodeURIComponent(channel)}`, {
    headers: { cookie },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const sse = new SseReader(response.body!.getReader(), controller);
  expect((await sse.next()).event).toBe('ready');
  return sse;
}

async function startThread(base: string, round: TestRound): Promise<string> {
  const organizer = await signIn(base, round.organizer);
  const created = await send(base, organizer, `/rounds/${round.roundId}/threads`, {
    title: '关于核心产业占比的讨论',
    clauseStableId: round.articles[1]!.stableId,
  });
  expect(created.status).toBe(201);
  return created.json.id as string;
}

describeDb('discussion messages live on one instance', (db) => {
  let t: TestApp;
  let base: string;

  beforeEach(async () => {
    db().pgPool?.on('error', () => undefined);
    t = await createTestApp(db());
    base = await listen(t);
  });
  afterEach(async () => {
    await stop(t);
  });

  it('streams posted, edited and deleted messages of a thread to a reader watching it', async () => {
    const round = await createRound(db(), { visibility: 'always' });
    const threadId = await startThread(base, round);
    const liaison = await signIn(base, round.invited[0]!.liaison);
    const sse = await openStream(base, `thread:${threadId}`, liaison.cookie);
    try {
      const organizer = await signIn(base, round.organizer);
      const posted = await send(base, organizer, `/threads/${threadId}/messages`, {
        body: '请于周五前反馈 😀',
      });
      expect(posted.status).toBe(201);
      const event = JSON.parse((await sse.next()).data) as {
        kind: string;
        message: { id: string; body: string };
      };
      expect(event).toMatchObject({
        kind: 'message.posted',
        threadId,
        message: { body: '请于周五前反馈 😀' },
      });
      const messageId = event.message.id;

      const edited = await fetch(`${base}/api/v1/messages/${messageId}`, {
        method: 'PATCH',
        headers: {
          'content-type': 'application/json',
          cookie: organizer.cookie,
          'x-csrf-token': organizer.csrf,
        },
        body: JSON.stringify({ body: '请于周四前反馈' }),
      });
      expect(edited.status).toBe(200);
      expect(JSON.parse((await sse.next()).data)).toMatchObject({
        kind: 'message.edited',
        message: { id: messageId, body: '请于周四前反馈' },
      });
      const deleted = await fetch(`${base}/api/v1/messages/${messageId}`, {
        method: 'DELETE',
        headers: { cookie: organizer.cookie, 'x-csrf-token': organizer.csrf },
      });
      expect(deleted.status).toBe(200);
      expect(JSON.parse((await sse.next()).data)).toMatchObject({
        kind: 'message.deleted',
        message: { id: messageId, body: '' },
      });
    } finally {
      sse.close();
    }
  });
});

describe.runIf(testDialects().includes('postgres'))(
  'discussion across two server instances [postgres]',
  () => {
    let first: Database;
    let second: Database;
    let a: TestApp;
    let b: TestApp;
    let baseA: string;
    let baseB: string;

    beforeEach(async () => {
      first = await createTestDatabase('postgres');
      first.pgPool?.on('error', () => undefined);
      // The second instance has its own pool and live bus, as another process on the same database would.
      second = openDatabase(first.url, { poolSize: 3 });
      second.pgPool?.on('error', () => undefined);
      a = await createTestApp(first);
      b = await createTestApp(second);
      baseA = await listen(a);
      baseB = await listen(b);
    });
    afterEach(async () => {
      await stop(a);
      await stop(b);
      await second.close();
      await first.close();
    });

    it('delivers a message posted on one instance to a reader listening on the other', async () => {
      expect(a.services.bus).not.toBe(b.services.bus);
      const round = await createRound(first, { visibility: 'always' });
      const threadId = await startThread(baseB, round);
      const reader = round.invited[0]!.liaison;
      const readerSession = await signIn(baseA, reader);
      const threadStream = await openStream(baseA, `thread:${threadId}`, readerSession.cookie);
      const mentionStream = await openStream(baseA, `user:${reader.id}`, readerSession.cookie);
      try {
        const organizer = await signIn(baseB, round.organizer);
        const body = `@${reader.login} 第二条目标值拟调整为12%，请确认。Please confirm by Friday.`;
        const posted = await send(baseB, organizer, `/threads/${threadId}/messages`, { body });
        expect(posted.status).toBe(201);

        const started = Date.now();
        const event = JSON.parse((await threadStream.next(5000)).data) as Record<string, unknown>;
        expect(event).toMatchObject({
          kind: 'message.posted',
          threadId,
          message: { body, authorId: round.organizer.id, mentions: [{ userId: reader.id }] },
        });
        expect(Date.now() - started).toBeLessThan(5000);
        expect(JSON.parse((await mentionStream.next(5000)).data)).toMatchObject({
          kind: 'mention',
          threadId,
          authorId: round.organizer.id,
        });

        // A long message travels through live_event rather than the NOTIFY payload; it arrives all the same.
        const long = '长'.repeat(3000);
        expect((await send(baseB, organizer, `/threads/${threadId}/messages`, { body: long })).status).toBe(
          201,
        );
        expect(JSON.parse((await threadStream.next(5000)).data)).toMatchObject({ message: { body: long } });
      } finally {
        threadStream.close();
        mentionStream.close();
      }
    });
  },
);
