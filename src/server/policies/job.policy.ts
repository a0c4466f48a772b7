import type { Job } from '../repositories/job.repository.ts';
import type { Actor } from '../services/context.ts';
import { isAdmin } from './user.policy.ts';

/** Who may follow a job: administrators, and the user it was started for. */
export const canReadJob = (actor: Actor, job: Pick<Job, 'payload'>): boolean =>
  isAdmin(actor) || (actor.userId !== null && job.payload.actorId === actor.userId);
