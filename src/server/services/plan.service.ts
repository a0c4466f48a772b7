import { AppError } from '../../domain/errors.ts';
import { inTransaction } from '../db/executor.ts';
import { newId } from '../lib/ids.ts';
import type { PlanScope } from '../policies/plan.policy.ts';
import { canCreatePlan, canReadPlan } from '../policies/plan.policy.ts';
import type { PlanRecord } from '../repositories/plan.repository.ts';
import { findPlan, insertPlan, listPlans } from '../repositories/plan.repository.ts';
import { findUnitById, listUnitAncestorIds, listUnitSubtreeIds } from '../repositories/unit.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';

export class PlanService {
  constructor(private readonly ctx: ServiceContext) {}

  async createPlan(
    actor: Actor,
    input: { name: string; description?: string | null; ownerUnitId?: string | null },
  ): Promise<PlanRecord> {
    if (!canCreatePlan(actor)) {
      throw new AppError('forbidden', 'Only organizers and administrators start plans.');
    }
    const name = input.name.trim();
    if (!name) {
      throw new AppError('validation_failed', 'name must not be empty.', { field: 'name' });
    }
    const isAdmin = actor.roles.includes('admin');
    const ownerUnitId = input.ownerUnitId ?? actor.unitId;
    if (!isAdmin && (!ownerUnitId || ownerUnitId !== actor.unitId)) {
      throw new AppError('forbidden', 'Organizers start plans for their own unit only.', {
        field: 'ownerUnitId',
      });
    }
    const id = newId();
    await inTransaction(this.ctx.database, async (tx) => {
      if (ownerUnitId && !(await findUnitById(tx, ownerUnitId))) {
        throw new AppError('validation_failed', `Unknown unit "${ownerUnitId}".`, { field: 'ownerUnitId' });
      }
      const now = this.ctx.now().toISOString();
      await insertPlan(tx, {
        id,
        name,
        description: input.description ?? null,
        owner_unit_id: ownerUnitId,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'plan',
        id,
        event: 'plan.created',
        payload: { name, description: input.description ?? null, ownerUnitId },
      });
    });
    return (await findPlan(this.ctx.database.db, id))!;
  }

  /** The plans the actor may see. */
  async listPlans(actor: Actor): Promise<PlanRecord[]> {
    const db = this.ctx.database.db;
    if (actor.roles.includes('admin')) {
      return listPlans(db, null);
    }
    if (!actor.unitId) {
      return [];
    }
    const units = actor.roles.includes('leader')
      ? await listUnitSubtreeIds(db, actor.unitId)
      : [actor.unitId];
    return listPlans(db, [...new Set([actor.unitId, ...units])]);
  }

  async getPlan(actor: Actor, id: string): Promise<PlanRecord> {
    const { plan } = await this.loadPlan(actor, id);
    return plan;
  }

  /** Loads a plan and its scope, refusing actors who may not read it. */
  async loadPlan(actor: Actor, id: string): Promise<{ plan: PlanRecord; scope: PlanScope }> {
    const db = this.ctx.database.db;
    const plan = await findPlan(db, id);
    if (!plan) {
      throw new AppError('not_found', 'No such plan.', { field: 'planId' });
    }
    const scope: PlanScope = {
      ownerUnitId: plan.ownerUnitId,
      ownerUnitLineage: plan.ownerUnitId
        ? [plan.ownerUnitId, ...(await listUnitAncestorIds(db, plan.ownerUnitId))]
        : [],
    };
    if (!canReadPlan(actor, scope)) {
      throw new AppError('forbidden', 'This plan belongs to another unit; you may not see it.');
    }
    return { plan, scope };
  }
}
