import type { Executor } from '../db/executor.ts';
import type { RoundStatus } from '../db/schema.ts';

/*
 * 部门考核: the weight sets and the rounds of a period. The counts per unit come from the metrics
 * repository (one aggregate per round), so the definitions of the rates live in one place.
 */

export const GLOBAL_WEIGHTS_KEY = 'global';

export interface StoredWeightSet {
  scopeKey: string;
  unitId: string | null;
  weights: unknown;
  updatedBy: string | null;
  updatedAt: string;
}

export async function findWeightSet(db: Executor, scopeKey: string): Promise<StoredWeightSet | null> {
  const row = await db
    .selectFrom('assessment_weight_set')
    .selectAll()
    .where('scope_key', '=', scopeKey)
    .executeTakeFirst();
  return row
    ? {
        scopeKey: row.scope_key,
        unitId: row.unit_id,
        weights: JSON.parse(row.weights) as unknown,
        updatedBy: row.updated_by,
        updatedAt: row.updated_at,
      }
    : null;
}

export async function upsertWeightSet(
  db: Executor,
  row: { scopeKey: string; unitId: string | null; weights: object; updatedBy: string | null; at: string },
): Promise<void> {
  const weights = JSON.stringify(row.weights);
  await db
    .insertInto('assessment_weight_set')
    .values({
      scope_key: row.scopeKey,
      unit_id: row.unitId,
      weights,
      updated_by: row.updatedBy,
      created_at: row.at,
      updated_at: row.at,
    })
    .onConflict((oc) =>
      oc.column('scope_key').doUpdateSet({ weights, updated_by: row.updatedBy, updated_at: row.at }),
    )
    .execute();
}

export async function deleteWeightSet(db: Executor, scopeKey: string): Promise<void> {
  await db.deleteFrom('assessment_weight_set').where('scope_key', '=', scopeKey).execute();
}

export interface PeriodRound {
  id: string;
  planId: string;
  planName: string;
  ownerUnitId: string | null;
  seq: number;
  title: string;
  status: RoundStatus;
  deadline: string;
}

/** Rounds that never opened have nothing to assess. */
const ASSESSED_STATUSES: readonly RoundStatus[] = ['open', 'closed', 'assessing', 'feedback', 'finished'];

/**
 * Rounds whose deadline (a China-local date) falls in [from, to], of the given plans (null: all plans),
 * optionally only those owned by one unit or inviting one unit; in deadline order.
 */
export async function listRoundsInPeriod(
  db: Executor,
  filter: {
    from: string;
    to: string;
    planIds: readonly string[] | null;
    ownerUnitId?: string | null;
    invitedUnitId?: string | null;
  },
): Promise<PeriodRound[]> {
  if (filter.planIds !== null && filter.planIds.length === 0) {
    return [];
  }
  let query = db
    .selectFrom('round')
    .innerJoin('plan', 'plan.id', 'round.plan_id')
    .select([
      'round.id',
      'round.plan_id',
      'plan.name as plan_name',
      'plan.owner_unit_id',
      'round.seq',
      'round.title',
      'round.status',
      'round.deadline',
    ])
    .where('round.deadline', '>=', filter.from)
    .where('round.deadline', '<=', filter.to)
    .where('round.status', 'in', [...ASSESSED_STATUSES]);
  if (filter.planIds !== null) {
    query = query.where('round.plan_id', 'in', [...filter.planIds]);
  }
  if (filter.ownerUnitId) {
    query = query.where('plan.owner_unit_id', '=', filter.ownerUnitId);
  }
  if (filter.invitedUnitId) {
    const unitId = filter.invitedUnitId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('round_invitation as ri')
          .select('ri.id')
          .whereRef('ri.round_id', '=', 'round.id')
          .where('ri.unit_id', '=', unitId),
      ),
    );
  }
  const rows = await query.orderBy('round.deadline').orderBy('round.id').execute();
  return rows.map((r) => ({
    id: r.id,
    planId: r.plan_id,
    planName: r.plan_name,
    ownerUnitId: r.owner_unit_id,
    seq: r.seq,
    title: r.title,
    status: r.status,
    deadline: r.deadline,
  }));
}
