import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/server/config.ts';
import type { Database } from '../src/server/db/database.ts';
import { openDatabase } from '../src/server/db/database.ts';
import { inTransaction } from '../src/server/db/executor.ts';
import { SESSION_CLEANUP, createHandlers, scheduleSessionCleanup } from '../src/server/jobs/handlers.ts';
import type { Job, JobQueue } from '../src/server/jobs/queue.ts';
import { startWorker } from '../src/server/jobs/worker.ts';
import type { Services } from '../src/server/services/index.ts';
import { createServices } from '../src/server/services/index.ts';
import { describeDb } from './db.ts';
import { createUser } from './factories.ts';

const START = new Date('2026-03-02T08:00:00.000Z');

/** The services of one "server instance" on `database`, with a clock the test moves by hand. */
function instance(database: Database, now: () => Date): Services {
  // pg-pool re-emits errors of clients that are still closing when a test database is dropped; without a
  // listener that would surface as an unhandled error after the test.
  database.pgPool?.on('error', () => undefined);
  const config = loadConfig({
    CONCORD_DATABASE_URL: database.dialect === 'postgres' ? database.url : 'sqlite::memory:',
    CONCORD_SESSION_IDLE_SECONDS: '600',
  });
  return createServices({ database, config, now });
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describeDb('job queue', (db, dialect) => {
  let clock: Date;
  let services: Services;
  let queue: JobQueue;
  const advance = (seconds: number): void => {
    clock = new Date(clock.getTime() + seconds * 1000);
  };

  beforeEach(() => {
    clock = START;
    services = instance(db(), () => clock);
    queue = services.jobs;
  });
  afterEach(() => services.bus.close());

  const countJobs = async (): Promise<number> =>
    Number(
      (
        await db()
          .db.selectFrom('job')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('enqueues, claims with a lease, and completes', async () => {
    const job = await queue.enqueue(db().db, { kind: 'echo', payload: { text: '你好', actorId: 'u1' } });
    expect(job).toMatchObject({ status: 'queued', attempts: 0, maxAttempts: 5, runAt: START.toISOString() });

    const claimed = await queue.claim('worker-1');
    expect(claimed).toMatchObject({
      id: job.id,
      status: 'running',
      attempts: 1,
      lockedBy: 'worker-1',
      lockedUntil: new Date(START.getTime() + queue.leaseSeconds * 1000).toISOString(),
      payload: { text: '你好', actorId: 'u1' },
    });
    expect(await queue.claim('worker-2')).toBeNull();

    await queue.reportProgress(job.id, 0.25);
    expect((await queue.get(job.id))?.progress).toBe(0.25);

    advance(5);
    const done = await queue.complete(
      job.id,
      { status: 'succeeded', result: { echoed: 1 } },
      { workerId: 'worker-1' },
    );
    expect(done).toMatchObject({
      status: 'succeeded',
      progress: 1,
      result: { echoed: 1 },
      lockedBy: null,
      lockedUntil: null,
      updatedAt: clock.toISOString(),
    });
    expect(await queue.claim('worker-2')).toBeNull();
  });

  it('claims due jobs in run_at order, only of the kinds asked for, and not before they are due', async () => {
    const later = await queue.enqueue(db().db, { kind: 'a', runAt: new Date(START.getTime() + 60_000) });
    const first = await queue.enqueue(db().db, { kind: 'a', runAt: new Date(START.getTime() - 2000) });
    const second = await queue.enqueue(db().db, { kind: 'a', runAt: new Date(START.getTime() - 1000) });
    const other = await queue.enqueue(db().db, { kind: 'b' });

    expect((await queue.claim('w', ['a']))?.id).toBe(first.id);
    expect((await queue.claim('w', ['a']))?.id).toBe(second.id);
    expect(await queue.claim('w', ['a'])).toBeNull();
    expect(await queue.claim('w', [])).toBeNull();
    expect((await queue.claim('w'))?.id).toBe(other.id);
    for (const done of [first, second, other]) {
      await queue.complete(done.id, { status: 'succeeded' });
    }
    advance(60);
    expect((await queue.claim('w', ['a']))?.id).toBe(later.id);
  });

  it('enqueues inside the caller’s transaction: a rollback leaves no job', async () => {
    await expect(
      inTransaction(db(), async (tx) => {
        await queue.enqueue(tx, { kind: 'echo', payload: { n: 1 } });
        throw new Error('the surrounding change failed');
      }),
    ).rejects.toThrow('the surrounding change failed');
    expect(await countJobs()).toBe(0);
    expect(await queue.claim('w')).toBeNull();

    const committed = await inTransaction(db(), (tx) =>
      queue.enqueue(tx, { kind: 'echo', payload: { n: 2 } }),
    );
    expect(await countJobs()).toBe(1);
    expect((await queue.claim('w'))?.id).toBe(committed.id);
  });

  it('returns the existing job for a dedupe key instead of adding a second', async () => {
    const first = await queue.enqueue(db().db, {
      kind: 'analyse',
      payload: { v: 1 },
      dedupeKey: 'analyse:plan-1',
    });
    const again = await queue.enqueue(db().db, {
      kind: 'analyse',
      payload: { v: 2 },
      dedupeKey: 'analyse:plan-1',
    });
    const inTx = await inTransaction(db(), (tx) =>
      queue.enqueue(tx, { kind: 'analyse', payload: { v: 3 }, dedupeKey: 'analyse:plan-1' }),
    );
    expect(again.id).toBe(first.id);
    expect(inTx.id).toBe(first.id);
    expect(again.payload).toEqual({ v: 1 });
    const other = await queue.enqueue(db().db, { kind: 'analyse', dedupeKey: 'analyse:plan-2' });
    const plain = await queue.enqueue(db().db, { kind: 'analyse' });
    const plain2 = await queue.enqueue(db().db, { kind: 'analyse' });
    expect(new Set([first.id, other.id, plain.id, plain2.id]).size).toBe(4);
    expect(await countJobs()).toBe(4);
  });

  it('retries a failing job with exponential backoff until it succeeds', async () => {
    const job = await queue.enqueue(db().db, { kind: 'flaky' });

    expect((await queue.claim('w'))?.attempts).toBe(1);
    const afterFirst = await queue.complete(job.id, { status: 'failed', error: 'network down' });
    expect(afterFirst).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: 'network down',
      runAt: new Date(START.getTime() + 2000).toISOString(),
    });
    expect(await queue.claim('w')).toBeNull();

    advance(2);
    expect((await queue.claim('w'))?.attempts).toBe(2);
    const afterSecond = await queue.complete(job.id, { status: 'failed', error: 'still down' });
    expect(afterSecond?.runAt).toBe(new Date(clock.getTime() + 4000).toISOString());
    advance(3);
    expect(await queue.claim('w')).toBeNull();
    advance(1);

    expect((await queue.claim('w'))?.attempts).toBe(3);
    const done = await queue.complete(job.id, { status: 'succeeded', result: 'ok' });
    expect(done).toMatchObject({ status: 'succeeded', attempts: 3, result: 'ok', lastError: 'still down' });
    expect(queue.backoffSeconds(20)).toBe(3600);
  });

  it('makes a job dead after its last attempt, lists it, and retries it on request', async () => {
    const job = await queue.enqueue(db().db, { kind: 'doomed', maxAttempts: 2 });
    await queue.claim('w');
    await queue.complete(job.id, { status: 'failed', error: 'first' });
    advance(2);
    await queue.claim('w');
    const dead = await queue.complete(job.id, { status: 'failed', error: 'second' });
    expect(dead).toMatchObject({ status: 'dead', attempts: 2, lastError: 'second' });
    advance(3600);
    expect(await queue.claim('w')).toBeNull();
    expect((await queue.listDead()).map((j) => j.id)).toEqual([job.id]);

    const retried = await queue.retryDead(job.id);
    expect(retried).toMatchObject({ status: 'queued', attempts: 0, runAt: clock.toISOString() });
    expect(await queue.listDead()).toEqual([]);
    await expect(queue.retryDead(job.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(queue.retryDead('no-such-job')).rejects.toMatchObject({ code: 'not_found' });
    expect((await queue.claim('w'))?.attempts).toBe(1);
    expect(await queue.complete(job.id, { status: 'skipped' })).toMatchObject({ status: 'skipped' });
  });

  it('reclaims a job whose lease expired, and ignores the late outcome of the old worker', async () => {
    const job = await queue.enqueue(db().db, { kind: 'slow', maxAttempts: 2 });
    await queue.claim('w1');
    advance(queue.leaseSeconds - 1);
    expect(await queue.claim('w2')).toBeNull();
    advance(1);
    const reclaimed = await queue.claim('w2');
    expect(reclaimed).toMatchObject({ id: job.id, lockedBy: 'w2', attempts: 2 });
    expect(await queue.complete(job.id, { status: 'succeeded' }, { workerId: 'w1' })).toBeNull();
    expect(await queue.extendLease(job.id, 'w1')).toBe(false);
    expect((await queue.get(job.id))?.status).toBe('running');

    // The second and last attempt's worker dies too: the job goes to the dead list, not round again.
    advance(queue.leaseSeconds);
    expect(await queue.claim('w3')).toBeNull();
    expect(await queue.get(job.id)).toMatchObject({ status: 'dead', attempts: 2, lockedBy: null });
  });

  it.runIf(dialect === 'postgres')(
    'never gives one job to two claimers on separate pools (SKIP LOCKED), and together they take all',
    async () => {
      const second = openDatabase(db().url, { poolSize: 4 });
      const other = instance(second, () => clock);
      try {
        const ids = new Set<string>();
        for (let i = 0; i < 50; i++) {
          ids.add((await queue.enqueue(db().db, { kind: 'bulk', payload: { i } })).id);
        }
        const claimer = async (q: JobQueue, name: string): Promise<string[]> => {
          const got: string[] = [];
          for (let job = await q.claim(name); job; job = await q.claim(name)) {
            got.push(job.id);
          }
          return got;
        };
        const results = await Promise.all([
          claimer(queue, 'a1'),
          claimer(queue, 'a2'),
          claimer(other.jobs, 'b1'),
          claimer(other.jobs, 'b2'),
        ]);
        const all = results.flat();
        expect(all).toHaveLength(50);
        expect(new Set(all)).toEqual(ids);
        const rows = await db().db.selectFrom('job').select(['attempts', 'status']).execute();
        expect(rows.every((r) => r.status === 'running' && Number(r.attempts) === 1)).toBe(true);
      } finally {
        await other.bus.close();
        await second.close();
      }
    },
  );

  it('runs handlers end to end in a worker, and stop() waits for the running job', async () => {
    const started = deferred<Job>();
    const release = deferred();
    const worker = startWorker({
      queue,
      pollMs: 10,
      handlers: {
        echo: async (job, helpers) => {
          await helpers.progress(0.5);
          started.resolve(job);
          await release.promise;
          return { status: 'succeeded', result: { echoed: job.payload.text } };
        },
        broken: async () => {
          throw new Error('handler exploded');
        },
      },
    });
    const broken = await queue.enqueue(db().db, { kind: 'broken' });
    const job = await queue.enqueue(db().db, { kind: 'echo', payload: { text: 'hi' } });
    worker.wake();
    expect((await started.promise).id).toBe(job.id);
    expect(await queue.get(job.id)).toMatchObject({ status: 'running', progress: 0.5, lockedBy: worker.id });
    await vi.waitFor(async () => expect((await queue.get(broken.id))?.status).toBe('queued'), {
      timeout: 5000,
    });
    expect((await queue.get(broken.id))?.lastError).toBe('handler exploded');

    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release.resolve();
    await stopping;
    expect(await queue.get(job.id)).toMatchObject({ status: 'succeeded', result: { echoed: 'hi' } });
  });

  it('extends the lease of a long job so no other worker takes it over', async () => {
    const started = deferred();
    const release = deferred();
    const worker = startWorker({
      queue,
      pollMs: 10,
      heartbeatMs: 10,
      handlers: {
        long: async () => {
          started.resolve();
          await release.promise;
          return { status: 'succeeded' };
        },
      },
    });
    try {
      const job = await queue.enqueue(db().db, { kind: 'long' });
      await started.promise;
      advance(queue.leaseSeconds * 10);
      const extendedPast = new Date(clock.getTime() + 1000).toISOString();
      await vi.waitFor(
        async () => expect(((await queue.get(job.id))?.lockedUntil ?? '') >= extendedPast).toBe(true),
        { timeout: 5000 },
      );
      expect(await queue.claim('intruder')).toBeNull();
    } finally {
      release.resolve();
      await worker.stop();
    }
  });

  it('session.cleanup deletes expired sessions and stale rate limits, and is idempotent', async () => {
    const user = await createUser(db());
    const iso = (secondsFromStart: number): string =>
      new Date(START.getTime() + secondsFromStart * 1000).toISOString();
    const session = (id: string, lastSeen: number, expires: number) => ({
      id,
      user_id: user.id,
      csrf_token: 'x',
      created_at: iso(-7200),
      last_seen_at: iso(lastSeen),
      expires_at: iso(expires),
      ip: null,
      user_agent: null,
    });
    await db()
      .db.insertInto('session')
      .values([session('fresh', -60, 3600), session('idle', -601, 3600), session('expired', -10, -1)])
      .execute();
    await db()
      .db.insertInto('rate_limit')
      .values([
        { key: 'login:old', window_start: iso(-7200), count: 3 },
        { key: 'login:now', window_start: iso(-30), count: 1 },
      ])
      .execute();

    const oldJob = (status: 'succeeded' | 'dead', id: string, updated: number) => ({
      id,
      kind: 'round.tick',
      payload: '{}',
      status,
      dedupe_key: id,
      run_at: iso(updated),
      attempts: 1,
      max_attempts: 5,
      locked_by: null,
      locked_until: null,
      progress: null,
      last_error: null,
      result: null,
      created_at: iso(updated),
      updated_at: iso(updated),
    });
    await db()
      .db.insertInto('job')
      .values([
        oldJob('succeeded', 'done-long-ago', -8 * 86400),
        oldJob('succeeded', 'done-recently', -3600),
        oldJob('dead', 'dead-long-ago', -8 * 86400),
      ])
      .execute();

    const scheduled = await scheduleSessionCleanup(queue, services.ctx);
    expect((await scheduleSessionCleanup(queue, services.ctx)).id).toBe(scheduled.id);
    const worker = startWorker({ queue, handlers: createHandlers(services), pollMs: 10 });
    try {
      await vi.waitFor(async () => expect((await queue.get(scheduled.id))?.status).toBe('succeeded'), {
        timeout: 5000,
      });
    } finally {
      await worker.stop();
    }
    expect((await queue.get(scheduled.id))?.result).toEqual({ deletedSessions: 2 });
    const sessions = await db().db.selectFrom('session').select('id').execute();
    expect(sessions.map((s) => s.id)).toEqual(['fresh']);
    const limits = await db().db.selectFrom('rate_limit').select('key').execute();
    expect(limits.map((r) => r.key)).toEqual(['login:now']);
    // Finished jobs older than a week are pruned; dead ones stay for an administrator.
    const jobs = await db()
      .db.selectFrom('job')
      .select('id')
      .where('kind', '=', 'round.tick')
      .orderBy('id')
      .execute();
    expect(jobs.map((j) => j.id)).toEqual(['dead-long-ago', 'done-recently']);

    // Running it again (a retry, a second instance) changes nothing.
    const handler = createHandlers(services)[SESSION_CLEANUP]!;
    const again = await handler(scheduled, {
      progress: async () => undefined,
      signal: new AbortController().signal,
    });
    expect(again).toEqual({ status: 'skipped', result: { deletedSessions: 0 } });
    expect(await db().db.selectFrom('session').select('id').execute()).toHaveLength(1);
  });
});
