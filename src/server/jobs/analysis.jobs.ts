import { AppError } from '../../domain/errors.ts';
import type { Executor } from '../db/executor.ts';
import { releaseJobKey } from '../repositories/analysis.repository.ts';
import type { ServiceContext } from '../services/context.ts';
import type { Services } from '../services/index.ts';
import type { Job } from './queue.ts';
import { JobQueue } from './queue.ts';
import type { JobHandlers } from './worker.ts';

export const ANALYSIS_OPINION = 'analysis.opinion';
export const ANALYSIS_ROUND = 'analysis.round';

/** One pending analysis per opinion. */
export const opinionJobKey = (opinionId: string): string => `${ANALYSIS_OPINION}:${opinionId}`;

/**
 * Pending round jobs coalesce per round and kind of work; one a person started carries their id, so they
 * can follow it on the job endpoints (which show a job only to whom it was started for).
 */
export function roundJobKey(
  roundId: string,
  options: { reanalyze?: boolean; actorId?: string | null } = {},
): string {
  return `${ANALYSIS_ROUND}:${roundId}${options.reanalyze ? ':full' : ''}${options.actorId ? `:by:${options.actorId}` : ''}`;
}

function stringField(job: Job, field: string): string {
  const value = job.payload[field];
  if (typeof value !== 'string' || value === '') {
    throw new AppError('validation_failed', `Job ${job.id} has no ${field}.`, { field });
  }
  return value;
}

/**
 * `analysis.opinion` analyses one submitted opinion and queues its round's re-clustering;
 * `analysis.round` (re)analyses a round's opinions and rebuilds its machine clusters. Both are idempotent:
 * an opinion whose inputs and models are unchanged is skipped, and clustering writes only what differs.
 * Each first frees its dedupe key, so a change made while it runs queues a fresh job instead of being lost.
 */
export function createAnalysisHandlers(services: Pick<Services, 'ctx' | 'analysis'>): JobHandlers {
  const db = services.ctx.database.db;
  return {
    [ANALYSIS_OPINION]: async (job) => {
      const opinionId = stringField(job, 'opinionId');
      await releaseJobKey(db, job.id);
      const result = await services.analysis.analyzeOpinion(opinionId);
      return result.status === 'analyzed' ? { status: 'succeeded', result } : { status: 'skipped', result };
    },
    [ANALYSIS_ROUND]: async (job, helpers) => {
      const roundId = stringField(job, 'roundId');
      await releaseJobKey(db, job.id);
      const result = await services.analysis.processRound(roundId, {
        reanalyze: job.payload.reanalyze === true,
        progress: (fraction) => helpers.progress(fraction),
      });
      if (result === null) {
        return { status: 'skipped', result: { roundId, missing: true } };
      }
      return result.changed ? { status: 'succeeded', result } : { status: 'skipped', result };
    },
  };
}

/**
 * Queues the analysis of submitted opinions through `executor`: inside the submitting transaction, the
 * jobs exist exactly when the submission commits.
 */
export async function enqueueOpinionAnalyses(
  executor: Executor,
  ctx: Pick<ServiceContext, 'database' | 'now' | 'ledger'>,
  opinionIds: readonly string[],
): Promise<void> {
  await new JobQueue(ctx).enqueueMany(
    executor,
    opinionIds.map((opinionId) => ({
      kind: ANALYSIS_OPINION,
      payload: { opinionId },
      dedupeKey: opinionJobKey(opinionId),
    })),
  );
}
