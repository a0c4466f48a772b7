import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { AppError } from '../../domain/errors.ts';
import type { Database } from '../db/database.ts';
import type { Executor } from '../db/executor.ts';
import {
  insertLiveEvent,
  maxLiveEventSeq,
  notifyChannel,
  pruneLiveEvents,
  readLiveEvent,
  readLiveEventsAfter,
} from '../repositories/live-event.repository.ts';

/*
 * Live events shared by every server instance on one database. PostgreSQL: NOTIFY inside the publisher's
 * transaction (delivered on commit, dropped on rollback) and one LISTEN connection per instance. SQLite:
 * rows in `live_event`, which any process on the same file polls. Live events are hints for open pages
 * ("something changed, refetch"), not a durable log: a subscriber that is not listening misses them.
 */

export interface LiveMessage {
  channel: string;
  payload: unknown;
}

export type LiveListener = (message: LiveMessage) => void;
export type Unsubscribe = () => void;

export interface LiveBusOptions {
  /** The clock stamping `live_event` rows. */
  now?: () => Date;
  /** Prefix of PostgreSQL channel names, so other applications on the server are not disturbed. */
  prefix?: string;
  /** How often SQLite polls `live_event` while anyone is subscribed. */
  pollMs?: number;
  /** How long `live_event` rows are kept for slower readers before they are pruned. */
  retentionSeconds?: number;
  /** Errors no caller can receive: a listener that threw, a dropped LISTEN connection. */
  onError?: (error: unknown) => void;
}

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more (the default build). */
export const NOTIFY_LIMIT_BYTES = 8000;
const PG_IDENTIFIER_BYTES = 63;
const CHANNEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,199}$/;
const POLL_BATCH = 500;
const PRUNE_EVERY_MS = 60_000;
const MAX_RECONNECT_DELAY_MS = 5_000;

/** What travels in a NOTIFY: the payload itself, or the seq of the `live_event` row holding a large one. */
type Envelope = { c: string; n: string; p: unknown } | { c: string; s: number };

export const isValidChannel = (channel: string): boolean => CHANNEL_PATTERN.test(channel);

function assertChannel(channel: string): void {
  if (!isValidChannel(channel)) {
    throw new AppError('bad_request', `Invalid live channel "${channel.slice(0, 50)}".`, {
      field: 'channel',
    });
  }
}

export class LiveBus {
  private readonly listeners = new Map<string, Set<LiveListener>>();
  private readonly now: () => Date;
  private readonly prefix: string;
  private readonly pollMs: number;
  private readonly retentionMs: number;
  private readonly reportError: (error: unknown) => void;
  private closed = false;
  private lastPruneAt = 0;
  /** Keeps deliveries in arrival order even when a large payload must be fetched first. */
  private delivery: Promise<void> = Promise.resolve();

  // PostgreSQL: one LISTEN connection, changed only through the `pgWork` chain.
  private pgClient: pg.PoolClient | null = null;
  private listened = new Set<string>();
  private pgWork: Promise<void> = Promise.resolve();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelayMs = 100;

  // SQLite: a poller that runs while anyone is subscribed.
  private lastSeq: number | null = null;
  private pollStart: Promise<void> | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private pollInFlight: Promise<void> | null = null;

  constructor(
    private readonly database: Database,
    options: LiveBusOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.prefix = options.prefix ?? 'concord:';
    this.pollMs = options.pollMs ?? 200;
    this.retentionMs = (options.retentionSeconds ?? 300) * 1000;
    this.reportError = options.onError ?? (() => undefined);
  }

  /**
   * Publishes `payload` (JSON) on `channel` as part of `executor`'s transaction: subscribers on every
   * instance receive it once that transaction commits, and never if it rolls back.
   */
  async publish(executor: Executor, channel: string, payload: unknown): Promise<void> {
    assertChannel(channel);
    if (this.database.dialect === 'sqlite') {
      await insertLiveEvent(executor, {
        channel,
        payload: JSON.stringify(payload ?? null),
        at: this.stamp(),
      });
      // Through the caller's executor: SQLite has one connection, busy with the caller's transaction.
      await this.maybePrune(executor, this.lastSeq);
      return;
    }
    let message = JSON.stringify({ c: channel, n: randomBytes(6).toString('base64url'), p: payload ?? null });
    if (Buffer.byteLength(message, 'utf8') >= NOTIFY_LIMIT_BYTES) {
      const seq = await insertLiveEvent(executor, {
        channel,
        payload: JSON.stringify(payload ?? null),
        at: this.stamp(),
      });
      message = JSON.stringify({ c: channel, s: seq });
      // Outside the caller's transaction, so it never waits on another instance's prune.
      this.maybePrune(this.database.db, null).catch((error: unknown) => this.reportError(error));
    }
    // The nonce keeps PostgreSQL from folding identical notifications of one transaction into one.
    await notifyChannel(executor, this.pgChannel(channel), message);
  }

  /**
   * Calls `listener` for every message published on `channel` from now on. Resolves once the
   * subscription is live (LISTEN issued, or the SQLite poller positioned), so nothing published after
   * that is missed; the returned function unsubscribes.
   */
  async subscribe(channel: string, listener: LiveListener): Promise<Unsubscribe> {
    assertChannel(channel);
    if (this.closed) {
      throw new AppError('internal', 'The live bus is closed.');
    }
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    // Wrapped so the same function may subscribe twice and unsubscribe each time separately.
    const entry: LiveListener = (message) => listener(message);
    set.add(entry);
    let active = true;
    const unsubscribe = (): void => {
      if (!active) {
        return;
      }
      active = false;
      const current = this.listeners.get(channel);
      current?.delete(entry);
      if (current && current.size === 0) {
        this.listeners.delete(channel);
        if (this.database.dialect === 'postgres') {
          this.syncPg().catch((error: unknown) => this.reportError(error));
        }
      }
    };
    try {
      await (this.database.dialect === 'postgres' ? this.syncPg() : this.startPolling());
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /** The number of local listeners on a channel (all channels without one). */
  listenerCount(channel?: string): number {
    if (channel !== undefined) {
      return this.listeners.get(channel)?.size ?? 0;
    }
    let count = 0;
    for (const set of this.listeners.values()) {
      count += set.size;
    }
    return count;
  }

  /** Stops polling, drops the LISTEN connection and forgets every listener. */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.listeners.clear();
    if (this.reconnectTimer) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    this.stopPolling();
    await this.pollStart?.catch(() => undefined);
    await this.pollInFlight;
    await this.pgWork;
    const client = this.pgClient;
    this.pgClient = null;
    if (client) {
      await releaseClient(client, true);
    }
    await this.delivery;
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  private emit(channel: string, payload: unknown): void {
    const set = this.listeners.get(channel);
    if (!set || this.closed) {
      return;
    }
    for (const listener of [...set]) {
      try {
        listener({ channel, payload });
      } catch (error) {
        this.reportError(error);
      }
    }
  }

  /**
   * Deletes `live_event` rows past the retention period, at most once a minute per instance. Publishers
   * prune too, so the table stays small even where nobody subscribes.
   */
  private async maybePrune(executor: Executor, readUpTo: number | null): Promise<void> {
    const now = Date.now();
    if (now - this.lastPruneAt < PRUNE_EVERY_MS) {
      return;
    }
    this.lastPruneAt = now;
    const before = new Date(this.now().getTime() - this.retentionMs).toISOString();
    await pruneLiveEvents(executor, { before, maxSeq: readUpTo });
  }

  // ---- PostgreSQL -------------------------------------------------------------------------------------

  /** PostgreSQL channel names are identifiers of at most 63 bytes; longer ones are hashed. */
  private pgChannel(channel: string): string {
    const name = `${this.prefix}${channel}`;
    if (Buffer.byteLength(name, 'utf8') <= PG_IDENTIFIER_BYTES) {
      return name;
    }
    return `${this.prefix}#${createHash('sha256').update(channel).digest('hex').slice(0, 40)}`;
  }

  /** Brings the LISTEN set of the connection in line with the subscribed channels, one change at a time. */
  private syncPg(): Promise<void> {
    const run = this.pgWork.then(() => this.applyPgChannels());
    this.pgWork = run.catch(() => undefined);
    return run;
  }

  private async applyPgChannels(): Promise<void> {
    if (this.closed) {
      return;
    }
    const wanted = new Set([...this.listeners.keys()].map((channel) => this.pgChannel(channel)));
    if (wanted.size === 0 && !this.pgClient) {
      return;
    }
    const client = this.pgClient ?? (await this.connectPg());
    for (const name of wanted) {
      if (!this.listened.has(name)) {
        await client.query(`LISTEN ${client.escapeIdentifier(name)}`);
        this.listened.add(name);
      }
    }
    for (const name of [...this.listened]) {
      if (!wanted.has(name)) {
        await client.query(`UNLISTEN ${client.escapeIdentifier(name)}`);
        this.listened.delete(name);
      }
    }
  }

  private async connectPg(): Promise<pg.PoolClient> {
    const pool = this.database.pgPool;
    if (!pool) {
      throw new AppError('internal', 'PostgreSQL live bus without a pool.');
    }
    const client = await pool.connect();
    // A checked-out client that fails emits 'error' on itself: without a handler the process would crash.
    client.on('error', (error) => this.onPgConnectionLost(client, error));
    client.on('end', () => this.onPgConnectionLost(client, null));
    client.on('notification', (notification) => {
      const text = notification.payload;
      if (text !== undefined) {
        this.delivery = this.delivery
          .then(() => this.deliverPg(text))
          .catch((error: unknown) => this.reportError(error));
      }
    });
    if (this.closed) {
      await releaseClient(client, true);
      throw new AppError('internal', 'The live bus is closed.');
    }
    this.pgClient = client;
    this.listened = new Set();
    this.reconnectDelayMs = 100;
    return client;
  }

  private async deliverPg(text: string): Promise<void> {
    const envelope = JSON.parse(text) as Envelope;
    if (!this.listeners.has(envelope.c)) {
      return;
    }
    if ('s' in envelope) {
      const payload = await readLiveEvent(this.database.db, envelope.s);
      if (payload !== null) {
        this.emit(envelope.c, JSON.parse(payload) as unknown);
      }
      return;
    }
    this.emit(envelope.c, envelope.p);
  }

  /** The LISTEN connection dropped: subscriptions stay, and are re-issued on a new connection. */
  private onPgConnectionLost(client: pg.PoolClient, error: Error | null): void {
    if (client !== this.pgClient) {
      return;
    }
    this.pgClient = null;
    this.listened = new Set();
    void releaseClient(client, error ?? true);
    if (this.closed) {
      return;
    }
    this.reportError(error ?? new Error('live bus: LISTEN connection ended'));
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) {
      return;
    }
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.syncPg().catch((error: unknown) => {
        this.reportError(error);
        this.scheduleReconnect();
      });
    }, delay);
    this.reconnectTimer.unref();
  }

  // ---- SQLite -----------------------------------------------------------------------------------------

  /** Positions the poller after the newest row on the first subscription, then polls while needed. */
  private startPolling(): Promise<void> {
    if (this.lastSeq !== null) {
      return Promise.resolve();
    }
    this.pollStart ??= (async () => {
      try {
        const seq = await maxLiveEventSeq(this.database.db);
        if (this.lastSeq === null && !this.closed) {
          this.lastSeq = seq;
          this.schedulePoll(this.pollMs);
        }
      } finally {
        this.pollStart = null;
      }
    })();
    return this.pollStart;
  }

  private stopPolling(): void {
    if (this.pollTimer) {
      clearTimeout(this.pollTimer);
      this.pollTimer = null;
    }
    this.lastSeq = null;
  }

  private schedulePoll(delay: number): void {
    if (this.closed || this.pollTimer) {
      return;
    }
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      this.pollInFlight = this.pollOnce()
        .catch((error: unknown) => {
          this.reportError(error);
          return false;
        })
        .then((full) => {
          this.pollInFlight = null;
          if (this.listeners.size === 0) {
            this.stopPolling();
          } else {
            this.schedulePoll(full ? 0 : this.pollMs);
          }
        });
    }, delay);
    this.pollTimer.unref();
  }

  /** Reads the rows after the last one seen; true when a full batch came back (more may be waiting). */
  private async pollOnce(): Promise<boolean> {
    const after = this.lastSeq;
    if (after === null || this.closed) {
      return false;
    }
    const rows = await readLiveEventsAfter(this.database.db, { afterSeq: after, limit: POLL_BATCH });
    for (const row of rows) {
      if (this.lastSeq === null) {
        break;
      }
      this.lastSeq = row.seq;
      this.emit(row.channel, JSON.parse(row.payload) as unknown);
    }
    if (this.lastSeq !== null) {
      await this.maybePrune(this.database.db, this.lastSeq);
    }
    return rows.length === POLL_BATCH;
  }
}

async function releaseClient(client: pg.PoolClient, reason: Error | boolean): Promise<void> {
  const ended = new Promise<void>((resolve) => {
    client.once('end', () => resolve());
    setTimeout(resolve, 1000).unref();
  });
  try {
    client.release(reason);
  } catch {
    // Released already (the connection failed while closing): nothing left to do.
    return;
  }
  await ended;
}
