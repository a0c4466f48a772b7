/*
 * A pool of analysis worker threads (Node only). Each task goes to the worker with the fewest tasks in
 * flight, or to one named. With no workers, the tasks run on this thread, in turn.
 *
 * Workers run the TypeScript sources when this module is itself TypeScript: bundled into one file
 * (in node_modules/.cache/concord), or else through tsx. A worker cannot inherit the loader of the thread that starts
 * it (Node 20 applies `--import` hooks to a worker's imports only after its entry has loaded), so it then
 * starts from a one-line script that registers tsx and then imports the entry.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ResourceLimits } from 'node:worker_threads';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../domain/errors.ts';
import type { ErrorReply, WorkerInit, WorkerReply, WorkerTask } from './protocol.ts';
import { AnalysisRunner } from './runner.ts';
import { bundleModule } from '../../runtime/module-bundle.ts';

export const defaultWorkerCount = (): number => availableParallelism();

interface Pending {
  resolve: (reply: WorkerReply) => void;
  reject: (error: Error) => void;
}

export interface PoolOptions {
  /**
   * The young generation of each worker's heap, in MiB (V8's default when absent). Analysis makes
   * objects that live for a chunk: with room for more of them, fewer are copied by the collector.
   */
  youngGenerationMb?: number;
}

interface Slot {
  worker: Worker | null;
  runner: AnalysisRunner | null;
  inFlight: number;
  pending: Map<number, Pending>;
}

function tsxRegisterUrl(): string {
  const require = createRequire(import.meta.url);
  const packageFile = require.resolve('tsx/package.json');
  const manifest = require('tsx/package.json') as {
    exports: Record<string, { import?: { default?: string } } | string>;
  };
  const entry = manifest.exports['./esm/api'];
  const relative = typeof entry === 'object' ? entry.import?.default : undefined;
  if (relative === undefined) {
    throw new AppError('internal', 'cannot locate the tsx loader for the analysis workers');
  }
  return pathToFileURL(join(dirname(packageFile), relative)).href;
}

const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let workerBundle: string | null | undefined;

/**
 * URL of the worker entry bundled (made on first use, or when the sources changed); null when it cannot
 * be made (esbuild absent, node_modules not writable): workers then load the sources through tsx.
 */
export function analysisWorkerBundle(): URL | null {
  if (workerBundle === undefined) {
    try {
      workerBundle = bundleModule({
        root: PROJECT_ROOT,
        entry: fileURLToPath(new URL('./worker.ts', import.meta.url)),
        cache: join(PROJECT_ROOT, 'node_modules', '.cache', 'concord'),
        name: 'analysis-worker',
      });
    } catch {
      workerBundle = null;
    }
  }
  return workerBundle === null ? null : pathToFileURL(workerBundle);
}

function startWorker(init: WorkerInit, options: PoolOptions): Worker {
  const settings = {
    workerData: init,
    ...(options.youngGenerationMb === undefined
      ? {}
      : { resourceLimits: { maxYoungGenerationSizeMb: options.youngGenerationMb } }),
  };
  const self = fileURLToPath(import.meta.url);
  if (self.endsWith('.ts')) {
    const bundle = analysisWorkerBundle();
    if (bundle !== null) {
      return new Worker(bundle, settings);
    }
    const entry = new URL('./worker.ts', import.meta.url).href;
    const script = `import(${JSON.stringify(tsxRegisterUrl())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(script, { ...settings, eval: true });
  }
  return new Worker(new URL('./worker.js', import.meta.url), settings);
}

function toError(reply: ErrorReply): Error {
  const { error } = reply;
  if (error.name === 'AppError' && error.code !== undefined) {
    return new AppError(
      error.code as ConstructorParameters<typeof AppError>[0],
      error.message,
      error.details as ConstructorParameters<typeof AppError>[2],
    );
  }
  return new Error(`analysis worker failed: ${error.message}`);
}

export class AnalysisPool {
  private readonly slots: Slot[];
  private failure: Error | null = null;
  private closed = false;

  /** `size` worker threads; 0 runs the tasks on this thread. */
  constructor(size: number, init: WorkerInit, options: PoolOptions = {}) {
    if (!Number.isInteger(size) || size < 0) {
      throw new AppError('validation_failed', 'workers must be a non-negative integer', { field: 'workers' });
    }
    this.slots =
      size === 0
        ? [{ worker: null, runner: new AnalysisRunner(init), inFlight: 0, pending: new Map() }]
        : Array.from({ length: size }, () => this.spawn(init, options));
  }

  get size(): number {
    return this.slots.length;
  }

  /** Tasks sent and not yet answered, over all workers. */
  get inFlight(): number {
    return this.slots.reduce((n, slot) => n + slot.inFlight, 0);
  }

  private spawn(init: WorkerInit, options: PoolOptions): Slot {
    const worker = startWorker(init, options);
    const slot: Slot = { worker, runner: null, inFlight: 0, pending: new Map() };
    worker.on('message', (reply: WorkerReply) => {
      const pending = slot.pending.get(reply.job);
      if (pending === undefined) {
        return;
      }
      slot.pending.delete(reply.job);
      slot.inFlight--;
      if (reply.type === 'error') {
        pending.reject(toError(reply));
      } else {
        pending.resolve(reply);
      }
    });
    const abort = (error: Error): void => {
      this.failure ??= error;
      for (const pending of slot.pending.values()) {
        pending.reject(error);
      }
      slot.pending.clear();
      slot.inFlight = 0;
    };
    worker.on('error', (error) => abort(new Error(`analysis worker failed: ${error.message}`)));
    worker.on('exit', (code) => {
      if (!this.closed) {
        abort(new Error(`analysis worker stopped (exit code ${code})`));
      }
    });
    return slot;
  }

  /** Each worker's engine limits, as the worker reports them (none when the tasks run on this thread). */
  resourceLimits(): ResourceLimits[] {
    return this.slots.flatMap((slot) => (slot.worker === null ? [] : [slot.worker.resourceLimits ?? {}]));
  }

  /** The worker with the fewest tasks in flight. */
  leastBusy(): number {
    let best = 0;
    for (let w = 1; w < this.slots.length; w++) {
      if (this.slots[w]!.inFlight < this.slots[best]!.inFlight) {
        best = w;
      }
    }
    return best;
  }

  /** Sends `task` to worker `w`; typed arrays listed in `transfer` move to it. */
  run<R extends WorkerReply>(w: number, task: WorkerTask, transfer: ArrayBuffer[] = []): Promise<R> {
    if (this.failure !== null) {
      return Promise.reject(this.failure);
    }
    if (this.closed) {
      return Promise.reject(new AppError('internal', 'the analysis pool is closed'));
    }
    const slot = this.slots[w]!;
    slot.inFlight++;
    return new Promise<R>((resolve, reject) => {
      slot.pending.set(task.job, { resolve: resolve as (reply: WorkerReply) => void, reject });
      if (slot.worker !== null) {
        slot.worker.postMessage(task, transfer);
        return;
      }
      // On this thread: run after the caller has had a chance to queue more work.
      setImmediate(() => {
        const { reply } = slot.runner!.run(task);
        slot.pending.delete(task.job);
        slot.inFlight--;
        if (reply.type === 'error') {
          reject(toError(reply));
        } else {
          resolve(reply as R);
        }
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    await Promise.all(this.slots.flatMap((slot) => (slot.worker === null ? [] : [slot.worker.terminate()])));
  }
}
