import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../db/executor.ts';
import type { OpinionTable } from '../db/schema.ts';
import type {
  ConflictEscalationTable,
  ConflictMethodTable,
  ConflictPartyTable,
  ConflictStatus,
  ConflictTable,
  EscalationRungTable,
} from '../db/tables/conflict.ts';

/* 分歧事项: conflicts, their parties, escalations, methods and the plan's escalation ladder. */

export type ConflictRow = Selectable<ConflictTable>;
export type ConflictPartyRow = Selectable<ConflictPartyTable>;
export type ConflictEscalationRow = Selectable<ConflictEscalationTable>;
export type ConflictMethodRow = Selectable<ConflictMethodTable>;
export type EscalationRungRow = Selectable<EscalationRungTable>;

const UNSETTLED: ConflictStatus[] = ['open', 'in_resolution', 'escalated'];

export async function insertConflict(db: Executor, row: Insertable<ConflictTable>): Promise<void> {
  await db.insertInto('conflict').values(row).execute();
}

export async function findConflict(db: Executor, id: string): Promise<ConflictRow | undefined> {
  return db.selectFrom('conflict').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateConflict(
  db: Executor,
  id: string,
  changes: Updateable<ConflictTable>,
): Promise<void> {
  await db.updateTable('conflict').set(changes).where('id', '=', id).execute();
}

export async function listRoundConflicts(
  db: Executor,
  roundId: string,
  filter: { clauseStableId?: string; status?: ConflictStatus; conflictIds?: string[] } = {},
): Promise<ConflictRow[]> {
  if (filter.conflictIds?.length === 0) {
    return [];
  }
  let query = db.selectFrom('conflict').selectAll().where('round_id', '=', roundId);
  if (filter.clauseStableId) {
    query = query.where('clause_stable_id', '=', filter.clauseStableId);
  }
  if (filter.status) {
    query = query.where('status', '=', filter.status);
  }
  if (filter.conflictIds) {
    query = query.where('id', 'in', filter.conflictIds);
  }
  return query.orderBy('opened_at').orderBy('id').execute();
}

export async function insertParties(db: Executor, rows: Insertable<ConflictPartyTable>[]): Promise<void> {
  if (rows.length > 0) {
    await db.insertInto('conflict_party').values(rows).execute();
  }
}

export async function updateParty(
  db: Executor,
  id: string,
  changes: Updateable<ConflictPartyTable>,
): Promise<void> {
  await db.updateTable('conflict_party').set(changes).where('id', '=', id).execute();
}

/** The parties of many conflicts with their units' names, by side then opinion. */
export async function listParties(
  db: Executor,
  conflictIds: string[],
): Promise<(ConflictPartyRow & { unit_name: string | null })[]> {
  if (conflictIds.length === 0) {
    return [];
  }
  return db
    .selectFrom('conflict_party')
    .leftJoin('unit', 'unit.id', 'conflict_party.unit_id')
    .selectAll('conflict_party')
    .select('unit.name as unit_name')
    .where('conflict_party.conflict_id', 'in', conflictIds)
    .orderBy('conflict_party.side')
    .orderBy('conflict_party.opinion_id')
    .execute();
}

/** Conflicts of a round in which a unit has an opinion (what the unit may see). */
export async function listConflictIdsOfUnit(
  db: Executor,
  roundId: string,
  unitId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('conflict_party')
    .innerJoin('conflict', 'conflict.id', 'conflict_party.conflict_id')
    .select('conflict.id')
    .distinct()
    .where('conflict.round_id', '=', roundId)
    .where('conflict_party.unit_id', '=', unitId)
    .execute();
  return rows.map((r) => r.id);
}

/** The unsettled conflicts that hold any of these opinions, with the opinion concerned. */
export async function findUnsettledConflictsOf(
  db: Executor,
  opinionIds: string[],
): Promise<{ id: string; title: string; status: ConflictStatus; opinion_id: string }[]> {
  if (opinionIds.length === 0) {
    return [];
  }
  return db
    .selectFrom('conflict_party')
    .innerJoin('conflict', 'conflict.id', 'conflict_party.conflict_id')
    .select(['conflict.id', 'conflict.title', 'conflict.status', 'conflict_party.opinion_id'])
    .where('conflict_party.opinion_id', 'in', opinionIds)
    .where('conflict.status', 'in', UNSETTLED)
    .execute();
}

export async function listOpinionRows(db: Executor, ids: string[]): Promise<Selectable<OpinionTable>[]> {
  if (ids.length === 0) {
    return [];
  }
  return db.selectFrom('opinion').selectAll().where('id', 'in', ids).execute();
}

/** Machine-read figures of opinions, where analysed. */
export async function mapAnalysedFigures(db: Executor, opinionIds: string[]): Promise<Map<string, string>> {
  if (opinionIds.length === 0) {
    return new Map();
  }
  const rows = await db
    .selectFrom('opinion_analysis')
    .select(['opinion_id', 'figures'])
    .where('opinion_id', 'in', opinionIds)
    .execute();
  return new Map(rows.map((r) => [r.opinion_id, r.figures]));
}

export async function insertEscalation(
  db: Executor,
  row: Insertable<ConflictEscalationTable>,
): Promise<void> {
  await db.insertInto('conflict_escalation').values(row).execute();
}

export async function listEscalations(db: Executor, conflictIds: string[]): Promise<ConflictEscalationRow[]> {
  if (conflictIds.length === 0) {
    return [];
  }
  return db
    .selectFrom('conflict_escalation')
    .selectAll()
    .where('conflict_id', 'in', conflictIds)
    .orderBy('at')
    .orderBy('to_level')
    .execute();
}

export async function insertMethod(db: Executor, row: Insertable<ConflictMethodTable>): Promise<void> {
  await db.insertInto('conflict_method').values(row).execute();
}

export async function findMethod(db: Executor, id: string): Promise<ConflictMethodRow | undefined> {
  return db.selectFrom('conflict_method').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateMethod(
  db: Executor,
  id: string,
  changes: Updateable<ConflictMethodTable>,
): Promise<void> {
  await db.updateTable('conflict_method').set(changes).where('id', '=', id).execute();
}

export async function listMethods(db: Executor, conflictIds: string[]): Promise<ConflictMethodRow[]> {
  if (conflictIds.length === 0) {
    return [];
  }
  return db
    .selectFrom('conflict_method')
    .selectAll()
    .where('conflict_id', 'in', conflictIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Running pilots of a round's unsettled conflicts. */
export async function listRunningPilots(
  db: Executor,
  roundId: string,
): Promise<(ConflictMethodRow & { plan_id: string })[]> {
  return db
    .selectFrom('conflict_method')
    .innerJoin('conflict', 'conflict.id', 'conflict_method.conflict_id')
    .selectAll('conflict_method')
    .select('conflict.plan_id')
    .where('conflict.round_id', '=', roundId)
    .where('conflict_method.kind', '=', 'pilot')
    .where('conflict_method.status', 'in', ['planned', 'running'])
    .execute();
}

/** Opinion ids that already have a follow-up. */
export async function listOpinionsWithFollowUp(db: Executor, opinionIds: string[]): Promise<Set<string>> {
  if (opinionIds.length === 0) {
    return new Set();
  }
  const rows = await db
    .selectFrom('follow_up')
    .select('opinion_id')
    .where('opinion_id', 'in', opinionIds)
    .execute();
  return new Set(rows.map((r) => r.opinion_id));
}

export async function listLadderRungs(db: Executor, planId: string): Promise<EscalationRungRow[]> {
  return db.selectFrom('escalation_rung').selectAll().where('plan_id', '=', planId).orderBy('rank').execute();
}

export async function replaceLadderRungs(
  db: Executor,
  planId: string,
  rows: Insertable<EscalationRungTable>[],
): Promise<void> {
  await db.deleteFrom('escalation_rung').where('plan_id', '=', planId).execute();
  if (rows.length > 0) {
    await db.insertInto('escalation_rung').values(rows).execute();
  }
}

/** Conflicts of a round with their escalation counts, for the metric. */
export async function listConflictsForMetrics(
  db: Executor,
  roundId: string,
): Promise<
  (Pick<ConflictRow, 'status' | 'opened_at' | 'resolved_at' | 'decided_at'> & { escalations: number })[]
> {
  const rows = await db
    .selectFrom('conflict')
    .leftJoin('conflict_escalation', 'conflict_escalation.conflict_id', 'conflict.id')
    .select([
      'conflict.id',
      'conflict.status',
      'conflict.opened_at',
      'conflict.resolved_at',
      'conflict.decided_at',
    ])
    .select((eb) => eb.fn.count<string | number>('conflict_escalation.id').as('escalations'))
    .where('conflict.round_id', '=', roundId)
    .groupBy([
      'conflict.id',
      'conflict.status',
      'conflict.opened_at',
      'conflict.resolved_at',
      'conflict.decided_at',
    ])
    .execute();
  return rows.map((r) => ({
    status: r.status,
    opened_at: r.opened_at,
    resolved_at: r.resolved_at,
    decided_at: r.decided_at,
    escalations: Number(r.escalations),
  }));
}

/** Numbers and texts of clauses of a draft version, by stable id. */
export async function mapClauses(
  db: Executor,
  versionId: string,
  stableIds: string[],
): Promise<Map<string, { number: string | null; text: string }>> {
  if (stableIds.length === 0) {
    return new Map();
  }
  const rows = await db
    .selectFrom('clause')
    .select(['stable_id', 'number', 'text'])
    .where('version_id', '=', versionId)
    .where('stable_id', 'in', stableIds)
    .execute();
  return new Map(rows.map((r) => [r.stable_id, { number: r.number, text: r.text }]));
}

export async function listUnitNames(db: Executor, unitIds: string[]): Promise<Map<string, string>> {
  if (unitIds.length === 0) {
    return new Map();
  }
  const rows = await db.selectFrom('unit').select(['id', 'name']).where('id', 'in', unitIds).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The levels of a plan's escalated conflicts (a ladder must keep them). */
export async function listEscalatedLevels(db: Executor, planId: string): Promise<number[]> {
  const rows = await db
    .selectFrom('conflict')
    .select('level')
    .where('plan_id', '=', planId)
    .where('status', '=', 'escalated')
    .execute();
  return rows.map((r) => r.level ?? 0);
}
