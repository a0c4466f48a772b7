import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { TestApp } from './app.ts';
import { createTestApp } from './app.ts';
import { describeDb } from './db.ts';
import type { TestUser } from './factories.ts';
import { SseReader } from './sse.ts';
import { createUser } from './factories.ts';

describeDb('live events and jobs API', (db) => {
  let t: TestApp;
  let base: string;
  const clock = new Date('2026-03-02T08:00:00.000Z');

  beforeEach(async () => {
    // pg-pool re-emits errors of clients still closing when the test database is dropped.
    db().pgPool?.on('error', () => undefined);
    t = await createTestApp(db(), { now: () => clock });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterEach(async () => {
    // After an aborted stream undici opens a spare connection that never sends a request; Node does not
    // count it as idle, so app.close() would wait for undici's 4 s keep-alive to drop it.
    t.app.server.closeAllConnections();
    if (t.app.server.listening) {
      await t.close();
    }
  });

  async function sessionCookie(user: TestUser): Promise<string> {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: user.login, password: user.password },
    });
    const cookie = response.cookies.find((c) => c.name === 'concord_session');
    return `concord_session=${cookie?.value ?? ''}`;
  }

  async function openStream(channel: string, cookie: string): Promise<{ status: number; sse: SseReader }> {
    const controller = new AbortController();
    const response = await fetch(`${base}/api/v1/events?channel=${encodeURIComponent(channel)}`, {
      headers: { cookie },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    return { status: response.status, sse: new SseReader(response.body!.getReader(), controller) };
  }

  it('streams events of the user’s own channel and cleans up on disconnect', async () => {
    const user = await createUser(db());
    const channel = `user:${user.id}`;
    const { status, sse } = await openStream(channel, await sessionCookie(user));
    try {
      expect(status).toBe(200);
      expect(await sse.next()).toEqual({ event: 'ready', data: JSON.stringify({ channel }) });
      expect(t.services.bus.listenerCount(channel)).toBe(1);

      await t.services.bus.publish(db().db, channel, { kind: 'opinion.assessed', id: 'o1', 意见: '同意' });
      const event = await sse.next();
      expect(event.event).toBe('message');
      expect(JSON.parse(event.data)).toEqual({ kind: 'opinion.assessed', id: 'o1', 意见: '同意' });
    } finally {
      sse.close();
    }
    await vi.waitFor(() => expect(t.services.bus.listenerCount(channel)).toBe(0), { timeout: 5000 });
  });

  it('ends open streams when the server shuts down', async () => {
    const user = await createUser(db());
    const { sse } = await openStream(`user:${user.id}`, await sessionCookie(user));
    expect((await sse.next()).event).toBe('ready');
    await t.app.close();
    await expect(sse.next()).rejects.toThrow('the event stream ended');
    expect(t.services.bus.listenerCount()).toBe(0);
  });

  it('streams the progress of a job to the user it runs for', async () => {
    const user = await createUser(db());
    const job = await t.services.jobs.enqueue(db().db, { kind: 'import', payload: { actorId: user.id } });
    const { status, sse } = await openStream(`job:${job.id}`, await sessionCookie(user));
    try {
      expect(status).toBe(200);
      expect((await sse.next()).event).toBe('ready');
      await t.services.jobs.claim('worker');
      expect(JSON.parse((await sse.next()).data)).toMatchObject({
        id: job.id,
        status: 'running',
        attempts: 1,
      });
      await t.services.jobs.reportProgress(job.id, 0.5);
      expect(JSON.parse((await sse.next()).data)).toMatchObject({ status: 'running', progress: 0.5 });
      await t.services.jobs.complete(job.id, { status: 'succeeded' });
      expect(JSON.parse((await sse.next()).data)).toMatchObject({ status: 'succeeded', progress: 1 });
    } finally {
      sse.close();
    }
  });

  it('refuses channels the user may not watch, and anonymous callers', async () => {
    const user = await createUser(db());
    const other = await createUser(db());
    const client = await t.signIn(user);
    const othersJob = await t.services.jobs.enqueue(db().db, {
      kind: 'import',
      payload: { actorId: other.id },
    });
    for (const channel of [`user:${other.id}`, `job:${othersJob.id}`, 'job:no-such-job', 'plan:p1']) {
      const response = await client.get(`/api/v1/events?channel=${encodeURIComponent(channel)}`);
      expect(response.statusCode, channel).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }
    expect((await client.get('/api/v1/events?channel=bad%20channel')).statusCode).toBe(400);
    const anonymous = await t.anonymous.get(`/api/v1/events?channel=user:${user.id}`);
    expect(anonymous.statusCode).toBe(401);
    expect(t.services.bus.listenerCount()).toBe(0);
  });

  it('shows a job to the user it runs for and to administrators, not to others', async () => {
    const owner = await createUser(db());
    const stranger = await createUser(db());
    const admin = await createUser(db(), { roles: ['admin'] });
    const job = await t.services.jobs.enqueue(db().db, { kind: 'import', payload: { actorId: owner.id } });
    await t.services.jobs.claim('w');
    await t.services.jobs.complete(job.id, { status: 'succeeded', result: { clauses: 12 } });

    const own = await (await t.signIn(owner)).get(`/api/v1/jobs/${job.id}`);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toEqual({
      id: job.id,
      kind: 'import',
      status: 'succeeded',
      progress: 1,
      attempts: 1,
      lastError: null,
      result: { clauses: 12 },
      createdAt: clock.toISOString(),
      updatedAt: clock.toISOString(),
    });
    expect((await (await t.signIn(admin)).get(`/api/v1/jobs/${job.id}`)).statusCode).toBe(200);
    const refused = await (await t.signIn(stranger)).get(`/api/v1/jobs/${job.id}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('forbidden');
    expect((await (await t.signIn(owner)).get('/api/v1/jobs/no-such-job')).statusCode).toBe(404);
    expect((await t.anonymous.get(`/api/v1/jobs/${job.id}`)).statusCode).toBe(401);
  });

  it('lists dead jobs and retries them for administrators only', async () => {
    const admin = await createUser(db(), { roles: ['admin'] });
    const organizer = await createUser(db(), { roles: ['organizer'] });
    const job = await t.services.jobs.enqueue(db().db, { kind: 'export', maxAttempts: 1 });
    await t.services.jobs.claim('w');
    await t.services.jobs.complete(job.id, { status: 'failed', error: 'disk full' });
    const adminClient = await t.signIn(admin);
    const organizerClient = await t.signIn(organizer);

    const dead = await adminClient.get('/api/v1/jobs/dead');
    expect(dead.statusCode).toBe(200);
    expect(dead.json()).toEqual([
      expect.objectContaining({ id: job.id, status: 'dead', attempts: 1, lastError: 'disk full' }),
    ]);
    expect((await organizerClient.get('/api/v1/jobs/dead')).statusCode).toBe(403);
    expect((await organizerClient.post(`/api/v1/jobs/${job.id}/retry`)).statusCode).toBe(403);

    const retried = await adminClient.post(`/api/v1/jobs/${job.id}/retry`);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({
      id: job.id,
      status: 'queued',
      attempts: 0,
      lastError: 'disk full',
    });
    expect((await adminClient.post(`/api/v1/jobs/${job.id}/retry`)).statusCode).toBe(409);
    expect((await adminClient.get('/api/v1/jobs/dead')).json()).toEqual([]);
    const events = await t.services.ledger.list({ afterSeq: 0, limit: 10, entity: 'job', entityId: job.id });
    expect(events.map((e) => [e.event, e.actor])).toEqual([['job.retried', admin.id]]);
  });

  it('describes the new routes in the OpenAPI document', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/events',
        '/api/v1/jobs/dead',
        '/api/v1/jobs/{id}',
        '/api/v1/jobs/{id}/retry',
      ]),
    );
    expect(spec.paths['/api/v1/events'].get.tags).toEqual(['events']);
  });
});
