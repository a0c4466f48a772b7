import type { ServiceContext } from '../services/context.ts';
import type { Services } from '../services/index.ts';
import type { Job, JobQueue } from './queue.ts';
import type { JobHandlers } from './worker.ts';

export const REMINDER_SWEEP = 'reminder.sweep';

/**
 * Sends the reminders and escalations that are due. Idempotent: each reminder carries a dedupe key naming
 * the invitation, the rule and the day, so a second run (or another instance's) sends nothing again.
 */
export function createReminderHandlers(services: Pick<Services, 'reminders'>): JobHandlers {
  return {
    [REMINDER_SWEEP]: async () => {
      const result = await services.reminders.sweep();
      return result.sent.length > 0
        ? { status: 'succeeded', result: { sent: result.sent.length } }
        : { status: 'skipped', result: { sent: 0 } };
    },
  };
}

/**
 * Enqueues the sweep once per hour across every instance (the dedupe key names the hour): reminders are
 * due by the day, from 09:00 Beijing time, so an hourly sweep sends them within the hour.
 */
export function scheduleReminderSweep(
  queue: JobQueue,
  ctx: Pick<ServiceContext, 'database' | 'now'>,
): Promise<Job> {
  const hour = ctx.now().toISOString().slice(0, 13);
  return queue.enqueue(ctx.database.db, { kind: REMINDER_SWEEP, dedupeKey: `${REMINDER_SWEEP}:${hour}` });
}
