import { addSeconds } from '../lib/ids.ts';
import { deleteFinishedJobs } from '../repositories/job.repository.ts';
import { deleteStaleRateLimits } from '../repositories/rate-limit.repository.ts';
import { deleteExpiredSessions } from '../repositories/session.repository.ts';
import type { ServiceContext } from '../services/context.ts';
import type { Services } from '../services/index.ts';
import { createAnalysisHandlers } from './analysis.jobs.ts';
import type { Job, JobQueue } from './queue.ts';
import { createNotificationHandlers } from './notification.jobs.ts';
import { createReminderHandlers } from './reminder.jobs.ts';
import { createRoundHandlers } from './round.jobs.ts';
import type { JobHandlers } from './worker.ts';

/*
 * Job handlers. Every handler must be idempotent: a job can run more than once — its worker may die after
 * the work is done but before the outcome is recorded, the lease may run out under a slow handler, and
 * failed attempts are retried. So a handler checks the state it is about to change and does nothing (or
 * returns `skipped`) when the work is already done; it never relies on running exactly once. Handlers
 * return `succeeded` or `skipped` with an optional JSON result, or throw / return `failed` to be retried.
 */

export const SESSION_CLEANUP = 'session.cleanup';
export const PORTAL_CAPTCHA_PRUNE = 'portal.captcha_prune';

/** The longest rate-limit window in use is a minute; a window older than this can no longer count. */
const RATE_LIMIT_KEEP_SECONDS = 60 * 60;
const FINISHED_JOB_KEEP_SECONDS = 7 * 24 * 60 * 60;

/** The handler registry of the application, by job kind. Handlers reach the database through services. */
export function createHandlers(
  services: Pick<Services, 'ctx' | 'rounds' | 'analysis' | 'reminders' | 'notifications' | 'portal'>,
): JobHandlers {
  const { ctx } = services;
  return {
    ...createRoundHandlers(services),
    ...createAnalysisHandlers(services),
    ...createReminderHandlers(services),
    ...createNotificationHandlers(services),
    /** Deletes expired and idle sessions and stale rate-limit counters. Deleting twice deletes nothing. */
    [SESSION_CLEANUP]: async () => {
      const now = ctx.now();
      const sessions = await deleteExpiredSessions(
        ctx.database.db,
        now.toISOString(),
        addSeconds(now, -ctx.config.sessionIdleSeconds).toISOString(),
      );
      await deleteStaleRateLimits(ctx.database.db, addSeconds(now, -RATE_LIMIT_KEEP_SECONDS).toISOString());
      // Finished housekeeping jobs pile up a row a minute; a week of history is plenty.
      await deleteFinishedJobs(ctx.database.db, addSeconds(now, -FINISHED_JOB_KEEP_SECONDS).toISOString());
      return sessions > 0
        ? { status: 'succeeded', result: { deletedSessions: sessions } }
        : { status: 'skipped', result: { deletedSessions: 0 } };
    },
    /** Deletes spent CAPTCHA solutions past their expiry. Deleting twice deletes nothing. */
    [PORTAL_CAPTCHA_PRUNE]: async () => {
      const deleted = await services.portal.pruneCaptchas();
      return deleted > 0
        ? { status: 'succeeded', result: { deletedCaptchas: deleted } }
        : { status: 'skipped', result: { deletedCaptchas: 0 } };
    },
  };
}

/**
 * Enqueues the session clean-up once per hour across every instance: the dedupe key names the hour, so
 * whichever instance asks first creates the job and the others get the same one back.
 */
export function scheduleSessionCleanup(
  queue: JobQueue,
  ctx: Pick<ServiceContext, 'database' | 'now'>,
): Promise<Job> {
  const hour = ctx.now().toISOString().slice(0, 13);
  return queue.enqueue(ctx.database.db, { kind: SESSION_CLEANUP, dedupeKey: `${SESSION_CLEANUP}:${hour}` });
}

/** Enqueues the pruning of spent CAPTCHA solutions once per hour across every instance (the key names the hour). */
export function schedulePortalCaptchaPrune(
  queue: JobQueue,
  ctx: Pick<ServiceContext, 'database' | 'now'>,
): Promise<Job> {
  const hour = ctx.now().toISOString().slice(0, 13);
  return queue.enqueue(ctx.database.db, {
    kind: PORTAL_CAPTCHA_PRUNE,
    dedupeKey: `${PORTAL_CAPTCHA_PRUNE}:${hour}`,
  });
}
