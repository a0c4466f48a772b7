/** Where a background job stands, for a progress indicator (the job endpoints' statuses). */

const DONE: ReadonlySet<string> = new Set(['succeeded', 'skipped', 'failed', 'dead']);
const RUNNING: ReadonlySet<string> = new Set(['queued', 'running']);

/** The job has ended, well or not: nothing more will change. */
export const isJobDone = (status: string | null | undefined): boolean =>
  status !== null && status !== undefined && DONE.has(status);

/** The job is waiting or working: worth asking again soon. */
export const isJobRunning = (status: string | null | undefined): boolean =>
  status !== null && status !== undefined && RUNNING.has(status);

/** The job ended without doing its work (a retry may still come for `failed`). */
export const isJobFailed = (status: string | null | undefined): boolean =>
  status === 'failed' || status === 'dead';

/**
 * Percent done, 0–100 in whole numbers: a finished job is 100 whatever it last reported (a skipped job
 * never reports), a queued one 0; a reported fraction outside 0–1 is clamped.
 */
export function jobPercent(job: { status: string; progress: number | null } | null | undefined): number {
  if (!job) {
    return 0;
  }
  if (job.status === 'succeeded' || job.status === 'skipped') {
    return 100;
  }
  const fraction = job.progress;
  if (fraction === null || !Number.isFinite(fraction)) {
    return 0;
  }
  return Math.round(Math.min(1, Math.max(0, fraction)) * 100);
}

/** The antd Progress status of a job. */
export function jobProgressStatus(status: string): 'active' | 'success' | 'exception' | 'normal' {
  if (isJobFailed(status)) {
    return 'exception';
  }
  if (isJobDone(status)) {
    return 'success';
  }
  return status === 'running' ? 'active' : 'normal';
}
