import type { ServiceContext } from '../services/context.ts';
import type { Services } from '../services/index.ts';
import type { Job, JobQueue } from './queue.ts';
import type { JobHandlers } from './worker.ts';

export const ROUND_TICK = 'round.tick';

/**
 * Opens scheduled rounds whose time has come and closes open rounds past their deadline. Idempotent: each
 * change applies only to a round still in the state it expects, so a second run finds nothing to do.
 */
export function createRoundHandlers(services: Pick<Services, 'rounds'>): JobHandlers {
  return {
    [ROUND_TICK]: async () => {
      const result = await services.rounds.tick();
      return result.opened.length + result.closed.length > 0
        ? { status: 'succeeded', result }
        : { status: 'skipped', result };
    },
  };
}

/** Enqueues the round tick once per minute across every instance (the dedupe key names the minute). */
export function scheduleRoundTick(
  queue: JobQueue,
  ctx: Pick<ServiceContext, 'database' | 'now'>,
): Promise<Job> {
  const minute = ctx.now().toISOString().slice(0, 16);
  return queue.enqueue(ctx.database.db, { kind: ROUND_TICK, dedupeKey: `${ROUND_TICK}:${minute}` });
}
