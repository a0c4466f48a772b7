import type { Executor } from '../db/executor.ts';
import type { UnitRow } from '../db/schema.ts';

export async function findUnitById(db: Executor, id: string): Promise<UnitRow | undefined> {
  return db.selectFrom('unit').selectAll().where('id', '=', id).executeTakeFirst();
}
