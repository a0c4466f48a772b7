import { AppError } from '../../domain/errors.ts';
import { inTransaction } from '../db/executor.ts';
import { canManagePlan } from '../policies/plan.policy.ts';
import { clauseWithStableId, latestVersion } from '../repositories/draft.repository.ts';
import type { UnplacedOpinion } from '../repositories/placement.repository.ts';
import {
  findOpinionPlacement,
  listUnplacedOpinions,
  setOpinionClause,
} from '../repositories/placement.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';
import type { PlanService } from './plan.service.ts';

/**
 * The queue of open opinions a published revision could not carry forward (their clause was deleted):
 * a person decides which clause of the current version each one now concerns.
 */
export class PlacementService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly plans: PlanService,
  ) {}

  async listUnplaced(actor: Actor, planId: string): Promise<UnplacedOpinion[]> {
    const { scope } = await this.plans.loadPlan(actor, planId);
    if (!canManagePlan(actor, scope)) {
      throw new AppError('forbidden', "Only the plan's organizers place opinions.");
    }
    const latest = await latestVersion(this.ctx.database.db, planId);
    return latest ? listUnplacedOpinions(this.ctx.database.db, { planId, latestVersionId: latest.id }) : [];
  }

  /** Points an unplaced opinion at a clause of the plan's current version (null: the whole draft). */
  async retarget(actor: Actor, opinionId: string, clauseStableId: string): Promise<UnplacedOpinion[]> {
    const db = this.ctx.database.db;
    const opinion = await findOpinionPlacement(db, opinionId);
    if (!opinion) {
      throw new AppError('not_found', 'No such opinion.', { field: 'id' });
    }
    const unplaced = await this.listUnplaced(actor, opinion.planId);
    if (!unplaced.some((u) => u.id === opinionId)) {
      throw new AppError('conflict', 'This opinion already points at a clause of the current version.', {
        field: 'id',
      });
    }
    const latest = (await latestVersion(db, opinion.planId))!;
    await inTransaction(this.ctx.database, async (tx) => {
      const clause = await clauseWithStableId(tx, latest.id, clauseStableId);
      if (!clause) {
        throw new AppError('rule_violated', 'The clause is not in the current version of the plan.', {
          field: 'clauseStableId',
        });
      }
      await setOpinionClause(tx, {
        opinionId,
        clauseStableId,
        clauseId: clause.id,
        at: this.ctx.now().toISOString(),
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'opinion',
        id: opinionId,
        event: 'opinion.retargeted',
        payload: { from: opinion.clauseStableId, to: clauseStableId, versionId: latest.id },
      });
    });
    return this.listUnplaced(actor, opinion.planId);
  }
}
