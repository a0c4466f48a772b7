import type { Insertable } from 'kysely';
import { insertChunked } from '../db/chunked.ts';
import type { Dialect } from '../db/database.ts';
import type { Executor } from '../db/executor.ts';
import type { JobRow, JobStatus, JobTable, JobUpdate } from '../db/schema.ts';

/** A job as the application sees it: JSON columns parsed, camelCase names. */
export interface Job {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  status: JobStatus;
  dedupeKey: string | null;
  runAt: string;
  attempts: number;
  maxAttempts: number;
  lockedBy: string | null;
  lockedUntil: string | null;
  progress: number | null;
  lastError: string | null;
  result: unknown;
  createdAt: string;
  updatedAt: string;
}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    status: row.status,
    dedupeKey: row.dedupe_key,
    runAt: row.run_at,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
    progress: row.progress === null ? null : Number(row.progress),
    lastError: row.last_error,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface NewJob {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  runAt: string;
  maxAttempts: number;
  dedupeKey: string | null;
  now: string;
}

/**
 * Inserts a queued job. With a dedupe key that is already taken, inserts nothing and returns the job that
 * holds the key (ON CONFLICT DO NOTHING waits for a concurrent inserter's transaction on PostgreSQL).
 */
const newJobRow = (job: NewJob): Insertable<JobTable> => ({
  id: job.id,
  kind: job.kind,
  payload: JSON.stringify(job.payload),
  status: 'queued',
  dedupe_key: job.dedupeKey,
  run_at: job.runAt,
  attempts: 0,
  max_attempts: job.maxAttempts,
  locked_by: null,
  locked_until: null,
  progress: null,
  last_error: null,
  result: null,
  created_at: job.now,
  updated_at: job.now,
});

/** Many jobs in multi-row statements; a job whose dedupe key is already queued is not added again. */
export async function insertJobs(db: Executor, jobs: readonly NewJob[]): Promise<void> {
  await insertChunked(jobs.map(newJobRow), (chunk) =>
    db
      .insertInto('job')
      .values(chunk)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute(),
  );
}

export async function insertJob(db: Executor, job: NewJob): Promise<{ job: Job; created: boolean }> {
  const inserted = await db
    .insertInto('job')
    .values(newJobRow(job))
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) {
    return { job: toJob(inserted), created: true };
  }
  const existing = await db
    .selectFrom('job')
    .selectAll()
    .where('dedupe_key', '=', job.dedupeKey)
    .executeTakeFirstOrThrow();
  return { job: toJob(existing), created: false };
}

/**
 * Takes the next due job in one statement: a queued job whose run_at has come, or a running job whose
 * lease has expired (its worker died), oldest run_at first. On PostgreSQL the candidate row is locked with
 * SKIP LOCKED, so concurrent claimers on any instance each get a different job without waiting; SQLite
 * serialises writers, so the same statement without the lock clause is already atomic.
 */
export async function claimNextJob(
  db: Executor,
  options: {
    dialect: Dialect;
    workerId: string;
    kinds: readonly string[] | null;
    now: string;
    lockedUntil: string;
  },
): Promise<Job | null> {
  let candidate = db
    .selectFrom('job')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', options.now)]),
        eb.and([eb('status', '=', 'running'), eb('locked_until', '<=', options.now)]),
      ]),
    )
    .orderBy('run_at')
    .orderBy('created_at')
    .limit(1);
  if (options.kinds) {
    candidate = candidate.where('kind', 'in', options.kinds);
  }
  if (options.dialect === 'postgres') {
    candidate = candidate.forUpdate().skipLocked();
  }
  const row = await db
    .updateTable('job')
    .set((eb) => ({
      status: 'running',
      locked_by: options.workerId,
      locked_until: options.lockedUntil,
      attempts: eb('attempts', '+', 1),
      updated_at: options.now,
    }))
    .where('id', '=', candidate)
    .returningAll()
    .executeTakeFirst();
  return row ? toJob(row) : null;
}

export async function findJob(db: Executor, id: string): Promise<Job | null> {
  const row = await db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toJob(row) : null;
}

/**
 * Updates a running job. With `lockedBy`, only while that worker still holds the lease: a worker whose
 * lease expired and was taken over must not overwrite the new attempt. Returns null when nothing matched.
 */
export async function updateRunningJob(
  db: Executor,
  options: { id: string; lockedBy: string | null; set: JobUpdate },
): Promise<Job | null> {
  let query = db
    .updateTable('job')
    .set(options.set)
    .where('id', '=', options.id)
    .where('status', '=', 'running');
  if (options.lockedBy !== null) {
    query = query.where('locked_by', '=', options.lockedBy);
  }
  const row = await query.returningAll().executeTakeFirst();
  return row ? toJob(row) : null;
}

export async function listJobsByStatus(
  db: Executor,
  options: { status: JobStatus; limit: number },
): Promise<Job[]> {
  const rows = await db
    .selectFrom('job')
    .selectAll()
    .where('status', '=', options.status)
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .limit(options.limit)
    .execute();
  return rows.map(toJob);
}

/** Puts a dead job back in the queue with a fresh set of attempts; null when the job is not dead. */
export async function requeueDeadJob(
  db: Executor,
  options: { id: string; now: string },
): Promise<Job | null> {
  const row = await db
    .updateTable('job')
    .set({
      status: 'queued',
      attempts: 0,
      run_at: options.now,
      locked_by: null,
      locked_until: null,
      progress: null,
      updated_at: options.now,
    })
    .where('id', '=', options.id)
    .where('status', '=', 'dead')
    .returningAll()
    .executeTakeFirst();
  return row ? toJob(row) : null;
}

/** Deletes succeeded and skipped jobs last touched before `before` (dead ones stay for an administrator). */
export async function deleteFinishedJobs(db: Executor, before: string): Promise<number> {
  const result = await db
    .deleteFrom('job')
    .where('status', 'in', ['succeeded', 'skipped'])
    .where('updated_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
