import type { Executor } from '../db/executor.ts';

export interface UnplacedOpinion {
  id: string;
  regNo: string | null;
  roundId: string;
  unitId: string | null;
  suggestion: string;
  clauseStableId: string | null;
  clauseNumber: string | null;
  clausePath: string;
  clauseText: string;
  versionId: string;
}

/**
 * Open opinions (submitted, no approved disposition) of a plan that still point at a clause of an earlier
 * version: their clause was deleted in a revision, so nothing carried them forward.
 */
export async function listUnplacedOpinions(
  db: Executor,
  options: { planId: string; latestVersionId: string },
): Promise<UnplacedOpinion[]> {
  const rows = await db
    .selectFrom('opinion')
    .innerJoin('round', 'round.id', 'opinion.round_id')
    .innerJoin('clause', 'clause.id', 'opinion.clause_id')
    .select([
      'opinion.id',
      'opinion.reg_no',
      'opinion.round_id',
      'opinion.unit_id',
      'opinion.suggestion',
      'opinion.clause_stable_id',
      'clause.number',
      'clause.path',
      'clause.text',
      'clause.version_id',
    ])
    .where('round.plan_id', '=', options.planId)
    .where('clause.version_id', '!=', options.latestVersionId)
    .where('opinion.status', '=', 'submitted')
    .where('opinion.disposition_status', '!=', 'approved')
    .orderBy('opinion.reg_no')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    regNo: r.reg_no,
    roundId: r.round_id,
    unitId: r.unit_id,
    suggestion: r.suggestion,
    clauseStableId: r.clause_stable_id,
    clauseNumber: r.number,
    clausePath: r.path,
    clauseText: r.text,
    versionId: r.version_id,
  }));
}

export async function setOpinionClause(
  db: Executor,
  options: { opinionId: string; clauseStableId: string; clauseId: string; at: string },
): Promise<void> {
  await db
    .updateTable('opinion')
    .set({ clause_stable_id: options.clauseStableId, clause_id: options.clauseId, updated_at: options.at })
    .where('id', '=', options.opinionId)
    .execute();
}

/** The plan an opinion belongs to (through its round), with the clause it points at. */
export async function findOpinionPlacement(
  db: Executor,
  opinionId: string,
): Promise<{ id: string; clauseStableId: string | null; planId: string } | null> {
  const row = await db
    .selectFrom('opinion')
    .innerJoin('round', 'round.id', 'opinion.round_id')
    .select(['opinion.id', 'opinion.clause_stable_id', 'round.plan_id'])
    .where('opinion.id', '=', opinionId)
    .executeTakeFirst();
  return row ? { id: row.id, clauseStableId: row.clause_stable_id, planId: row.plan_id } : null;
}
