import type { Insertable } from 'kysely';
import type { Executor } from '../db/executor.ts';
import type { PlanRow, PlanTable } from '../db/schema.ts';

export interface PlanRecord {
  id: string;
  name: string;
  description: string | null;
  ownerUnitId: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  versionCount: number;
  latestVersionId: string | null;
}

function toPlan(
  row: PlanRow & { version_count: number | string | null; latest_version_id: string | null },
): PlanRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    ownerUnitId: row.owner_unit_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    versionCount: Number(row.version_count ?? 0),
    latestVersionId: row.latest_version_id,
  };
}

function selectPlans(db: Executor) {
  return db
    .selectFrom('plan')
    .selectAll('plan')
    .select((eb) => [
      eb
        .selectFrom('draft_version')
        .whereRef('draft_version.plan_id', '=', 'plan.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('version_count'),
      eb
        .selectFrom('draft_version')
        .whereRef('draft_version.plan_id', '=', 'plan.id')
        .select('draft_version.id')
        .orderBy('draft_version.seq', 'desc')
        .limit(1)
        .as('latest_version_id'),
    ]);
}

export async function insertPlan(db: Executor, row: Insertable<PlanTable>): Promise<void> {
  await db.insertInto('plan').values(row).execute();
}

export async function findPlan(db: Executor, id: string): Promise<PlanRecord | null> {
  const row = await selectPlans(db).where('plan.id', '=', id).executeTakeFirst();
  return row ? toPlan(row) : null;
}

/** Plans owned by any of `unitIds` (all plans when null), newest first. */
export async function listPlans(db: Executor, unitIds: string[] | null): Promise<PlanRecord[]> {
  let query = selectPlans(db).orderBy('plan.created_at', 'desc').orderBy('plan.id');
  if (unitIds !== null) {
    if (unitIds.length === 0) {
      return [];
    }
    query = query.where('plan.owner_unit_id', 'in', unitIds);
  }
  return (await query.execute()).map(toPlan);
}

export async function touchPlan(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('plan').set({ updated_at: at }).where('id', '=', id).execute();
}
