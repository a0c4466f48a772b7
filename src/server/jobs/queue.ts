import { AppError } from '../../domain/errors.ts';
import type { Executor } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import { addSeconds, newId } from '../lib/ids.ts';
import { canReadJob } from '../policies/job.policy.ts';
import { isAdmin } from '../policies/user.policy.ts';
import type { Job, NewJob } from '../repositories/job.repository.ts';
import {
  claimNextJob,
  findJob,
  insertJob,
  insertJobs,
  listJobsByStatus,
  requeueDeadJob,
  updateRunningJob,
} from '../repositories/job.repository.ts';
import type { Actor, ServiceContext } from '../services/context.ts';
import { actorRef } from '../services/context.ts';
import type { LiveBus } from '../services/live-bus.ts';

export type { Job } from '../repositories/job.repository.ts';

/** What a handler reports. A thrown error counts as `failed`. */
export type JobOutcome =
  | { status: 'succeeded'; result?: unknown }
  | { status: 'skipped'; result?: unknown }
  | { status: 'failed'; error: string };

export interface EnqueueInput {
  kind: string;
  /** JSON. Jobs started for a user carry `actorId`: that user may then follow the job. */
  payload?: Record<string, unknown>;
  runAt?: Date;
  maxAttempts?: number;
  /** At most one job ever exists per key: enqueueing again returns the existing job. */
  dedupeKey?: string;
}

/** The public view of a job (GET /jobs/:id). */
export interface JobView {
  id: string;
  kind: string;
  status: Job['status'];
  progress: number | null;
  attempts: number;
  lastError: string | null;
  result: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface JobQueueOptions {
  /** Publishes `{id, status, progress, attempts}` on `job:<id>` whenever a job changes. */
  bus?: LiveBus;
  /** How long a claim holds a job before another worker may take it over. */
  leaseSeconds?: number;
  /** Retry delays grow as 2^attempts seconds up to this cap. */
  maxBackoffSeconds?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
const MAX_ERROR_LENGTH = 2000;

export const jobChannel = (id: string): string => `job:${id}`;

export function presentJob(job: Job): JobView {
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    progress: job.progress,
    attempts: job.attempts,
    lastError: job.lastError,
    result: job.result,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.slice(0, MAX_ERROR_LENGTH);
}

/**
 * The database-backed job queue every server instance shares. Claims take a lease (locked_by,
 * locked_until); a job whose worker died is claimed again once its lease expires. Failures are retried with
 * exponential backoff until max_attempts, after which the job is dead (the dead-letter list) until an
 * administrator retries it. All times come from the injected clock.
 */
export class JobQueue {
  readonly leaseSeconds: number;
  private readonly maxBackoffSeconds: number;
  private readonly bus: LiveBus | null;

  constructor(
    private readonly ctx: Pick<ServiceContext, 'database' | 'now' | 'ledger'>,
    options: JobQueueOptions = {},
  ) {
    this.leaseSeconds = options.leaseSeconds ?? 60;
    this.maxBackoffSeconds = options.maxBackoffSeconds ?? 3600;
    this.bus = options.bus ?? null;
  }

  /**
   * Adds a job through `executor`: inside a caller's transaction the job exists only if that transaction
   * commits. With a dedupeKey already used, returns the job holding it instead of adding another.
   */
  async enqueue(executor: Executor, input: EnqueueInput): Promise<Job> {
    const { job } = await insertJob(executor, this.newJob(input, this.ctx.now()));
    return job;
  }

  /** Many jobs in a few statements (one per few hundred); those whose dedupe key is taken are skipped. */
  async enqueueMany(executor: Executor, inputs: readonly EnqueueInput[]): Promise<void> {
    const now = this.ctx.now();
    await insertJobs(
      executor,
      inputs.map((input) => this.newJob(input, now)),
    );
  }

  private newJob(input: EnqueueInput, now: Date): NewJob {
    const maxAttempts = input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new AppError('validation_failed', 'maxAttempts must be a positive integer.', {
        field: 'maxAttempts',
      });
    }
    return {
      id: newId(),
      kind: input.kind,
      payload: input.payload ?? {},
      runAt: (input.runAt ?? now).toISOString(),
      maxAttempts,
      dedupeKey: input.dedupeKey ?? null,
      now: now.toISOString(),
    };
  }

  /**
   * Atomically takes the next due job of one of `kinds` (any kind when omitted) for `workerId`, or null
   * when none is due. A job whose last attempt's lease ran out (its worker died) goes to the dead list.
   */
  async claim(workerId: string, kinds?: readonly string[]): Promise<Job | null> {
    if (kinds && kinds.length === 0) {
      return null;
    }
    for (;;) {
      const now = this.ctx.now();
      const job = await claimNextJob(this.ctx.database.db, {
        dialect: this.ctx.database.dialect,
        workerId,
        kinds: kinds ?? null,
        now: now.toISOString(),
        lockedUntil: addSeconds(now, this.leaseSeconds).toISOString(),
      });
      if (!job) {
        return null;
      }
      if (job.attempts <= job.maxAttempts) {
        await this.announce(job);
        return job;
      }
      const dead = await updateRunningJob(this.ctx.database.db, {
        id: job.id,
        lockedBy: workerId,
        set: {
          status: 'dead',
          attempts: job.maxAttempts,
          locked_by: null,
          locked_until: null,
          last_error: job.lastError ?? 'The worker stopped answering during the last attempt.',
          updated_at: now.toISOString(),
        },
      });
      if (dead) {
        await this.announce(dead);
      }
    }
  }

  /** Pushes the lease of a running job forward; false when `workerId` no longer holds it. */
  async extendLease(id: string, workerId: string): Promise<boolean> {
    const now = this.ctx.now();
    const job = await updateRunningJob(this.ctx.database.db, {
      id,
      lockedBy: workerId,
      set: { locked_until: addSeconds(now, this.leaseSeconds).toISOString(), updated_at: now.toISOString() },
    });
    return job !== null;
  }

  /** Records how far a running job has got, 0…1. */
  async reportProgress(id: string, fraction: number): Promise<void> {
    const progress = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
    const job = await updateRunningJob(this.ctx.database.db, {
      id,
      lockedBy: null,
      set: { progress, updated_at: this.ctx.now().toISOString() },
    });
    if (job) {
      await this.announce(job);
    }
  }

  /**
   * Records the outcome of the current attempt. Success or skip ends the job; failure queues it again
   * after 2^attempts seconds (capped), or makes it dead once max_attempts are used up. With `workerId`,
   * nothing happens (null) if that worker's lease has been taken over meanwhile.
   */
  async complete(id: string, outcome: JobOutcome, options: { workerId?: string } = {}): Promise<Job | null> {
    const nowDate = this.ctx.now();
    const now = nowDate.toISOString();
    const lockedBy = options.workerId ?? null;
    let job: Job | null;
    if (outcome.status === 'succeeded' || outcome.status === 'skipped') {
      job = await updateRunningJob(this.ctx.database.db, {
        id,
        lockedBy,
        set: {
          status: outcome.status,
          progress: 1,
          result: outcome.result === undefined ? null : JSON.stringify(outcome.result),
          locked_by: null,
          locked_until: null,
          updated_at: now,
        },
      });
    } else {
      const current = await findJob(this.ctx.database.db, id);
      if (!current || current.status !== 'running' || (lockedBy !== null && current.lockedBy !== lockedBy)) {
        return null;
      }
      const dead = current.attempts >= current.maxAttempts;
      job = await updateRunningJob(this.ctx.database.db, {
        id,
        lockedBy,
        set: {
          status: dead ? 'dead' : 'queued',
          run_at: dead
            ? current.runAt
            : addSeconds(nowDate, this.backoffSeconds(current.attempts)).toISOString(),
          last_error: outcome.error.slice(0, MAX_ERROR_LENGTH),
          locked_by: null,
          locked_until: null,
          updated_at: now,
        },
      });
    }
    if (job) {
      await this.announce(job);
    }
    return job;
  }

  /** The delay before retrying after the given number of attempts. */
  backoffSeconds(attempts: number): number {
    return Math.min(2 ** attempts, this.maxBackoffSeconds);
  }

  get(id: string): Promise<Job | null> {
    return findJob(this.ctx.database.db, id);
  }

  /** The dead-letter list: jobs that used up their attempts, most recent first. */
  listDead(options: { limit?: number } = {}): Promise<Job[]> {
    return listJobsByStatus(this.ctx.database.db, { status: 'dead', limit: options.limit ?? 100 });
  }

  /** Queues a dead job again, due now, with a fresh set of attempts. */
  async retryDead(id: string, executor: Executor = this.ctx.database.db): Promise<Job> {
    const job = await requeueDeadJob(executor, { id, now: this.ctx.now().toISOString() });
    if (!job) {
      const existing = await findJob(executor, id);
      throw existing
        ? new AppError('conflict', `Only dead jobs can be retried; this one is ${existing.status}.`, {
            status: existing.status,
          })
        : new AppError('not_found', 'No such job.', { field: 'id' });
    }
    return job;
  }

  // ---- use cases for signed-in users ----------------------------------------------------------------

  async viewJob(actor: Actor, id: string): Promise<JobView> {
    const job = await findJob(this.ctx.database.db, id);
    if (!job) {
      throw new AppError('not_found', 'No such job.', { field: 'id' });
    }
    if (!canReadJob(actor, job)) {
      throw new AppError('forbidden', 'You may not see this job.');
    }
    return presentJob(job);
  }

  async listDeadJobs(actor: Actor, options: { limit?: number } = {}): Promise<JobView[]> {
    if (!isAdmin(actor)) {
      throw new AppError('forbidden', 'Only administrators see failed jobs.');
    }
    return (await this.listDead(options)).map(presentJob);
  }

  async retryDeadJob(actor: Actor, id: string): Promise<JobView> {
    if (!isAdmin(actor)) {
      throw new AppError('forbidden', 'Only administrators retry failed jobs.');
    }
    const job = await inTransaction(this.ctx.database, async (tx) => {
      const retried = await this.retryDead(id, tx);
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'job',
        id,
        event: 'job.retried',
        payload: { kind: retried.kind, lastError: retried.lastError },
      });
      return retried;
    });
    await this.announce(job);
    return presentJob(job);
  }

  /** Tells `job:<id>` subscribers on every instance that the job changed. */
  private async announce(job: Job): Promise<void> {
    await this.bus?.publish(this.ctx.database.db, jobChannel(job.id), {
      id: job.id,
      status: job.status,
      progress: job.progress,
      attempts: job.attempts,
    });
  }
}
