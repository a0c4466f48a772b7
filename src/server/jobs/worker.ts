import { hostname } from 'node:os';
import { newSecret } from '../lib/ids.ts';
import type { Job, JobOutcome, JobQueue } from './queue.ts';
import { errorMessage } from './queue.ts';

export interface JobHelpers {
  /** Records progress (0…1); subscribers of `job:<id>` hear of it. */
  progress(fraction: number): Promise<void>;
  /** Aborted when the worker is stopping; long handlers may return early (the job is then retried). */
  signal: AbortSignal;
}

export type JobHandler = (job: Job, helpers: JobHelpers) => Promise<JobOutcome>;

/** Handlers by job kind. A worker claims only the kinds it has a handler for. */
export type JobHandlers = Record<string, JobHandler>;

export interface WorkerOptions {
  queue: JobQueue;
  handlers: JobHandlers;
  /** Jobs run at the same time by this worker. Default 2. */
  concurrency?: number;
  /** Wait between polls when no job is due. Default 1000 ms. */
  pollMs?: number;
  /** How often a running job's lease is extended. Default a third of the lease. */
  heartbeatMs?: number;
  workerId?: string;
  /** Errors that belong to no caller: a failed poll, a failed heartbeat or completion. */
  onError?: (error: unknown, job: Job | null) => void;
}

export interface Worker {
  readonly id: string;
  /** Polls now instead of waiting for the next tick (e.g. right after enqueueing). */
  wake(): void;
  /** Stops claiming and resolves once every running job has finished and been recorded. */
  stop(): Promise<void>;
}

/**
 * Runs jobs from the shared queue: claims up to `concurrency` due jobs, runs their handlers, extends their
 * leases while they run, and records each outcome. Any number of workers on any number of instances may
 * run side by side.
 */
export function startWorker(options: WorkerOptions): Worker {
  const { queue, handlers } = options;
  const id = options.workerId ?? `${hostname()}:${process.pid}:${newSecret(6)}`;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const pollMs = options.pollMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? Math.max(1000, (queue.leaseSeconds * 1000) / 3);
  const report = options.onError ?? (() => undefined);
  const kinds = Object.keys(handlers);
  const running = new Set<Promise<void>>();
  const abort = new AbortController();
  let stopping = false;
  let wakeUp: (() => void) | null = null;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });

  async function run(job: Job): Promise<void> {
    const handler = handlers[job.kind];
    const heartbeat = setInterval(() => {
      queue.extendLease(job.id, id).catch((error: unknown) => report(error, job));
    }, heartbeatMs);
    let outcome: JobOutcome;
    try {
      outcome = handler
        ? await handler(job, { progress: (f) => queue.reportProgress(job.id, f), signal: abort.signal })
        : { status: 'failed', error: `No handler for job kind "${job.kind}".` };
    } catch (error) {
      outcome = { status: 'failed', error: errorMessage(error) };
    } finally {
      clearInterval(heartbeat);
    }
    try {
      await queue.complete(job.id, outcome, { workerId: id });
    } catch (error) {
      // The lease runs out and another attempt follows: nothing is lost.
      report(error, job);
    }
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      let claimed = false;
      if (running.size < concurrency) {
        try {
          const job = await queue.claim(id, kinds);
          if (job) {
            claimed = true;
            const task = run(job).finally(() => {
              running.delete(task);
              wakeUp?.();
            });
            running.add(task);
          }
        } catch (error) {
          report(error, null);
        }
      }
      if (!claimed && !stopping) {
        await sleep(running.size < concurrency ? pollMs : 60_000);
      }
    }
  }

  const looping = loop();

  return {
    id,
    wake: () => wakeUp?.(),
    async stop() {
      stopping = true;
      abort.abort();
      wakeUp?.();
      await looping;
      await Promise.all([...running]);
    },
  };
}
