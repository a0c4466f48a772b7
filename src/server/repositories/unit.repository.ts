import type { Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../db/executor.ts';
import type { UnitLevel, UnitRow, UnitTable } from '../db/schema.ts';

export interface UnitRecord {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  level: UnitLevel;
  areas: string[];
  keywords: string[];
  createdAt: string;
  updatedAt: string;
}

function parseList(json: string): string[] {
  const value = JSON.parse(json) as unknown;
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function toUnitRecord(row: UnitRow): UnitRecord {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    parentId: row.parent_id,
    level: row.level,
    areas: parseList(row.areas),
    keywords: parseList(row.keywords),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function findUnitById(db: Executor, id: string): Promise<UnitRow | undefined> {
  return db.selectFrom('unit').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUnitRecord(db: Executor, id: string): Promise<UnitRecord | null> {
  const row = await findUnitById(db, id);
  return row ? toUnitRecord(row) : null;
}

export async function findUnitByCode(db: Executor, code: string): Promise<UnitRecord | null> {
  const row = await db.selectFrom('unit').selectAll().where('code', '=', code).executeTakeFirst();
  return row ? toUnitRecord(row) : null;
}

/** The whole directory, ordered by code. A planning office has hundreds of units, not millions. */
export async function listUnits(db: Executor): Promise<UnitRecord[]> {
  const rows = await db.selectFrom('unit').selectAll().orderBy('code').execute();
  return rows.map(toUnitRecord);
}

export async function listChildUnits(db: Executor, parentId: string): Promise<UnitRecord[]> {
  const rows = await db
    .selectFrom('unit')
    .selectAll()
    .where('parent_id', '=', parentId)
    .orderBy('code')
    .execute();
  return rows.map(toUnitRecord);
}

export async function countUnits(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('unit')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface NewUnit {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  level: UnitLevel;
  areas: string[];
  keywords: string[];
}

export async function insertUnit(db: Executor, unit: NewUnit, at: string): Promise<void> {
  await db
    .insertInto('unit')
    .values({
      id: unit.id,
      code: unit.code,
      name: unit.name,
      parent_id: unit.parentId,
      level: unit.level,
      areas: JSON.stringify(unit.areas),
      keywords: JSON.stringify(unit.keywords),
      created_at: at,
      updated_at: at,
    })
    .execute();
}

export async function updateUnit(db: Executor, id: string, changes: Updateable<UnitTable>): Promise<void> {
  await db.updateTable('unit').set(changes).where('id', '=', id).execute();
}

// Bounds the recursive walks even if a cycle ever slipped into the data (the services refuse them).
const MAX_DEPTH = 64;

/** The unit and every unit below it, nearest first: the scope of a unit-level role. [] for an unknown id. */
export async function listUnitSubtreeIds(db: Executor, unitId: string): Promise<string[]> {
  const rows = await db
    .withRecursive('subtree(id, depth)', (qb) =>
      qb
        .selectFrom('unit')
        .select(['unit.id', sql<number>`0`.as('depth')])
        .where('unit.id', '=', unitId)
        .unionAll(
          qb
            .selectFrom('unit')
            .innerJoin('subtree', 'subtree.id', 'unit.parent_id')
            .select(['unit.id', sql<number>`subtree.depth + 1`.as('depth')])
            .where('subtree.depth', '<', MAX_DEPTH),
        ),
    )
    .selectFrom('subtree')
    .select('subtree.id')
    .select(sql<number>`min(subtree.depth)`.as('d'))
    .groupBy('subtree.id')
    .orderBy('d')
    .orderBy('subtree.id')
    .execute();
  return rows.map((r) => r.id);
}

/** The units above a unit: its parent first, the root last; the unit itself is not included. */
export async function listUnitAncestorIds(db: Executor, unitId: string): Promise<string[]> {
  const rows = await db
    .withRecursive('ancestor(id, parent_id, depth)', (qb) =>
      qb
        .selectFrom('unit')
        .select(['unit.id', 'unit.parent_id', sql<number>`0`.as('depth')])
        .where('unit.id', '=', unitId)
        .unionAll(
          qb
            .selectFrom('unit')
            .innerJoin('ancestor', 'ancestor.parent_id', 'unit.id')
            .select(['unit.id', 'unit.parent_id', sql<number>`ancestor.depth + 1`.as('depth')])
            .where('ancestor.depth', '<', MAX_DEPTH),
        ),
    )
    .selectFrom('ancestor')
    .select('ancestor.id')
    .select(sql<number>`min(ancestor.depth)`.as('d'))
    .where('ancestor.depth', '>', 0)
    .where('ancestor.id', '<>', unitId)
    .groupBy('ancestor.id')
    .orderBy('d')
    .execute();
  return rows.map((r) => r.id);
}

/** What keeps a unit in the directory: rows elsewhere that point at it. */
export interface UnitReferences {
  subUnits: number;
  users: number;
  plans: number;
  invitations: number;
  opinions: number;
  feedbackLetters: number;
}

/** Counts, in one statement, every row that refers to a unit. */
export async function countUnitReferences(db: Executor, id: string): Promise<UnitReferences> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('unit')
        .select(eb.fn.countAll<number>().as('n'))
        .where('parent_id', '=', id)
        .as('subUnits'),
      eb.selectFrom('user').select(eb.fn.countAll<number>().as('n')).where('unit_id', '=', id).as('users'),
      eb
        .selectFrom('plan')
        .select(eb.fn.countAll<number>().as('n'))
        .where('owner_unit_id', '=', id)
        .as('plans'),
      eb
        .selectFrom('round_invitation')
        .select(eb.fn.countAll<number>().as('n'))
        .where((w) => w.or([w('unit_id', '=', id), w('forwarded_by_unit_id', '=', id)]))
        .as('invitations'),
      eb
        .selectFrom('opinion')
        .select(eb.fn.countAll<number>().as('n'))
        .where((w) => w.or([w('unit_id', '=', id), w('forwarded_by_unit_id', '=', id)]))
        .as('opinions'),
      eb
        .selectFrom('feedback_letter')
        .select(eb.fn.countAll<number>().as('n'))
        .where('unit_id', '=', id)
        .as('feedbackLetters'),
    ])
    .executeTakeFirstOrThrow();
  return {
    subUnits: Number(row.subUnits),
    users: Number(row.users),
    plans: Number(row.plans),
    invitations: Number(row.invitations),
    opinions: Number(row.opinions),
    feedbackLetters: Number(row.feedbackLetters),
  };
}

/** SQLite's and PostgreSQL's foreign-key errors: a row added elsewhere still points at the unit. */
function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}

/** Removes a unit; 'referenced' when some row still points at it (the delete then did nothing). */
export async function deleteUnit(db: Executor, id: string): Promise<'deleted' | 'missing' | 'referenced'> {
  try {
    const result = await db.deleteFrom('unit').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0 ? 'deleted' : 'missing';
  } catch (error) {
    if (isForeignKeyViolation(error)) {
      return 'referenced';
    }
    throw error;
  }
}
