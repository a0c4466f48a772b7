import type { Database } from '../src/server/db/database.ts';
import type { RoundStatus } from '../src/server/db/schema.ts';
import { newId } from '../src/server/lib/ids.ts';
import type { InvitedUnit, TestRound } from './consultation-factories.ts';
import { createOpinion } from './consultation-factories.ts';

/* Conflicts and round states for discussion tests, inserted directly (the conflicts API is tested elsewhere). */

/** A conflict on a clause between the given invited units, one submitted opinion per side. */
export async function createConflict(
  database: Database,
  round: TestRound,
  options: { sides: InvitedUnit[]; clauseIndex?: number; title?: string },
): Promise<{ id: string; clauseStableId: string; opinionIds: string[] }> {
  const clause = round.articles[options.clauseIndex ?? 1]!;
  const id = newId();
  const at = new Date().toISOString();
  await database.db
    .insertInto('conflict')
    .values({
      id,
      plan_id: round.planId,
      round_id: round.roundId,
      clause_stable_id: clause.stableId,
      title: options.title ?? '数字经济核心产业占比目标之争',
      summary: null,
      status: 'open',
      level: null,
      created_from: 'person',
      created_by: round.organizer.id,
      opened_at: at,
      resolved_at: null,
      resolved_by: null,
      decided_at: null,
      decided_by: null,
      decision: null,
      decision_code: null,
      updated_at: at,
    })
    .execute();
  const opinionIds: string[] = [];
  for (const [index, invited] of options.sides.entries()) {
    const opinion = await createOpinion(database, round, { invited, clause });
    opinionIds.push(opinion.id);
    await database.db
      .insertInto('conflict_party')
      .values({
        id: newId(),
        conflict_id: id,
        opinion_id: opinion.id,
        unit_id: invited.unit.id,
        side: String.fromCharCode(97 + index),
        position: null,
        figures: '[]',
        outcome_code: null,
        disposition_id: null,
      })
      .execute();
  }
  return { id, clauseStableId: clause.stableId, opinionIds };
}

export async function setRoundStatus(
  database: Database,
  roundId: string,
  status: RoundStatus,
): Promise<void> {
  await database.db.updateTable('round').set({ status }).where('id', '=', roundId).execute();
}
