import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { Database } from '../src/server/db/database.ts';
import { openDatabase } from '../src/server/db/database.ts';
import { inTransaction } from '../src/server/db/executor.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import type { LiveMessage } from '../src/server/services/live-bus.ts';
import { LiveBus, NOTIFY_LIMIT_BYTES } from '../src/server/services/live-bus.ts';
import { describeDb } from './db.ts';

const WAIT = { timeout: 5000, interval: 20 };

/** Collects what a subscription receives; `waitFor` waits (bounded) until a condition holds. */
async function collect(bus: LiveBus, channel: string) {
  const messages: LiveMessage[] = [];
  const unsubscribe = await bus.subscribe(channel, (message) => messages.push(message));
  return {
    messages,
    payloads: () => messages.map((m) => m.payload),
    unsubscribe,
    waitForCount: (count: number) =>
      vi.waitFor(() => expect(messages.length).toBeGreaterThanOrEqual(count), WAIT),
  };
}

/**
 * A second "server instance" on the same database: another pool on PostgreSQL, another connection to the
 * same file on SQLite (the per-test SQLite database is in memory, so that case uses a migrated temp file).
 */
async function twoInstances(
  database: Database,
): Promise<{ a: Database; b: Database; close(): Promise<void> }> {
  if (database.dialect === 'postgres') {
    const b = openDatabase(database.url, { poolSize: 3 });
    b.pgPool?.on('error', () => undefined);
    return { a: database, b, close: () => b.close() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'concord-bus-'));
  const url = `sqlite:${join(dir, 'shared.db')}`;
  const a = openDatabase(url);
  await migrateToLatest(a);
  const b = openDatabase(url);
  return {
    a,
    b,
    close: async () => {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeDb('live bus', (db, dialect) => {
  let bus: LiveBus;
  const errors: unknown[] = [];
  beforeEach(() => {
    // pg-pool re-emits errors of clients still closing when the test database is dropped.
    db().pgPool?.on('error', () => undefined);
    errors.length = 0;
    bus = new LiveBus(db(), { pollMs: 20, onError: (error) => errors.push(error) });
  });
  afterEach(() => bus.close());

  it('delivers what a committed transaction published, and nothing from a rolled-back one', async () => {
    const sub = await collect(bus, 'user:u1');
    await expect(
      inTransaction(db(), async (tx) => {
        await bus.publish(tx, 'user:u1', { n: 'rolled back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await inTransaction(db(), async (tx) => {
      await bus.publish(tx, 'user:u1', { n: 1 });
      await bus.publish(tx, 'user:u1', { n: 1 });
      await bus.publish(tx, 'user:u2', { n: 'other channel' });
    });
    await bus.publish(db().db, 'user:u1', { n: 2 });
    await sub.waitForCount(3);
    // Identical messages of one transaction both arrive; order is publication order.
    expect(sub.payloads()).toEqual([{ n: 1 }, { n: 1 }, { n: 2 }]);
    expect(sub.messages.every((m) => m.channel === 'user:u1')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('stops delivering after unsubscribe, and fans one message out to every local listener', async () => {
    const first = await collect(bus, 'job:j1');
    const second = await collect(bus, 'job:j1');
    const marker = await collect(bus, 'job:marker');
    await bus.publish(db().db, 'job:j1', 'both');
    await first.waitForCount(1);
    await second.waitForCount(1);
    first.unsubscribe();
    expect(bus.listenerCount('job:j1')).toBe(1);
    await bus.publish(db().db, 'job:j1', 'second only');
    await bus.publish(db().db, 'job:marker', 'done');
    await second.waitForCount(2);
    await marker.waitForCount(1);
    expect(first.payloads()).toEqual(['both']);
    expect(second.payloads()).toEqual(['both', 'second only']);
    second.unsubscribe();
    marker.unsubscribe();
    expect(bus.listenerCount()).toBe(0);
  });

  it(`carries a payload over ${NOTIFY_LIMIT_BYTES} bytes whole`, async () => {
    const sub = await collect(bus, 'user:big');
    const big = {
      text: '意见'.repeat(3000) + 'x'.repeat(5000),
      list: Array.from({ length: 200 }, (_, i) => i),
    };
    expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(NOTIFY_LIMIT_BYTES);
    await inTransaction(db(), (tx) => bus.publish(tx, 'user:big', big));
    await bus.publish(db().db, 'user:big', 'small after big');
    await sub.waitForCount(2);
    expect(sub.payloads()).toEqual([big, 'small after big']);
    // PostgreSQL stores only the payload too large for NOTIFY; SQLite stores every event.
    const stored = await db().db.selectFrom('live_event').select('payload').execute();
    expect(stored).toHaveLength(dialect === 'postgres' ? 1 : 2);
    expect(JSON.parse(stored[0]!.payload)).toEqual(big);
  });

  it('reaches a subscriber of another server instance on the same database', async () => {
    const shared = await twoInstances(db());
    const busA = new LiveBus(shared.a, { pollMs: 20 });
    const busB = new LiveBus(shared.b, { pollMs: 20 });
    try {
      const onB = await collect(busB, 'user:u9');
      await inTransaction(shared.a, (tx) => busA.publish(tx, 'user:u9', { from: 'A' }));
      await busA.publish(shared.a.db, 'user:u9', { big: 'y'.repeat(9000) });
      await onB.waitForCount(2);
      expect(onB.payloads()).toEqual([{ from: 'A' }, { big: 'y'.repeat(9000) }]);
    } finally {
      await busA.close();
      await busB.close();
      await shared.close();
    }
  });

  it('refuses malformed channel names', async () => {
    await expect(bus.publish(db().db, 'bad channel', 1)).rejects.toMatchObject({ code: 'bad_request' });
    await expect(bus.subscribe('', () => undefined)).rejects.toMatchObject({ code: 'bad_request' });
  });

  it.runIf(dialect === 'postgres')('listens again after its LISTEN connection is killed', async () => {
    const sub = await collect(bus, 'user:resilient');
    await bus.publish(db().db, 'user:resilient', 'before');
    await sub.waitForCount(1);
    const killed = await sql<{ killed: boolean }>`
      select pg_terminate_backend(pid) as killed from pg_stat_activity
      where datname = current_database() and query ilike 'LISTEN %'`.execute(db().db);
    expect(killed.rows).toHaveLength(1);
    // Messages published while the connection is down are lost (live events are hints), so keep
    // publishing until one arrives over the new connection.
    await vi.waitFor(async () => {
      await bus.publish(db().db, 'user:resilient', 'after');
      expect(sub.payloads()).toContain('after');
    }, WAIT);
    expect(errors.length).toBeGreaterThan(0);
  });

  it.runIf(dialect === 'postgres')(
    'uses one LISTEN connection and hashes over-long channel names',
    async () => {
      const long = `job:${'z'.repeat(150)}`;
      const a = await collect(bus, long);
      const b = await collect(bus, 'user:short');
      await bus.publish(db().db, long, 'long');
      await bus.publish(db().db, 'user:short', 'short');
      await a.waitForCount(1);
      await b.waitForCount(1);
      const listeners = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and query ilike 'LISTEN %'`.execute(db().db);
      expect(listeners.rows[0]?.n).toBe(1);
      expect(a.payloads()).toEqual(['long']);
    },
  );
});
