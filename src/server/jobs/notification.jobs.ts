import type { ServiceContext } from '../services/context.ts';
import type { Services } from '../services/index.ts';
import { NOTIFICATION_DELIVER, NOTIFICATION_DIGEST } from '../services/notification.service.ts';
import type { Job, JobQueue } from './queue.ts';
import type { JobHandlers } from './worker.ts';

export { NOTIFICATION_DELIVER, NOTIFICATION_DIGEST } from '../services/notification.service.ts';

/** The digest goes out at 08:00 China Standard Time (00:00 UTC), at the start of the working day. */
const DIGEST_HOUR_UTC = 0;

/**
 * Sending notifications. `notification.deliver` sends one delivery; a delivery already sent is skipped, so
 * a job run twice (two instances, an expired lease) never sends twice. A failure throws, and the queue
 * retries with backoff until the delivery is dead. `notification.digest` bundles held deliveries.
 */
export function createNotificationHandlers(services: Pick<Services, 'notifications'>): JobHandlers {
  return {
    [NOTIFICATION_DELIVER]: async (job) => {
      const deliveryId = (job.payload as { deliveryId?: unknown }).deliveryId;
      if (typeof deliveryId !== 'string') {
        return { status: 'skipped', result: { reason: 'no deliveryId' } };
      }
      const result = await services.notifications.deliver(deliveryId);
      return result.status === 'sent' ? { status: 'succeeded', result } : { status: 'skipped', result };
    },
    [NOTIFICATION_DIGEST]: async () => {
      const result = await services.notifications.digest();
      return result.bundles > 0 ? { status: 'succeeded', result } : { status: 'skipped', result };
    },
  };
}

/** Enqueues the day's digest once across every instance (the dedupe key names the day). */
export function scheduleNotificationDigest(
  queue: JobQueue,
  ctx: Pick<ServiceContext, 'database' | 'now'>,
): Promise<Job> {
  const now = ctx.now();
  const day = now.toISOString().slice(0, 10);
  const runAt = new Date(`${day}T${String(DIGEST_HOUR_UTC).padStart(2, '0')}:00:00.000Z`);
  return queue.enqueue(ctx.database.db, {
    kind: NOTIFICATION_DIGEST,
    dedupeKey: `${NOTIFICATION_DIGEST}:${day}`,
    runAt,
  });
}
