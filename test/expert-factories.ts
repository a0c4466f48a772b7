import { randomBytes } from 'node:crypto';
import type { Database } from '../src/server/db/database.ts';
import { newId } from '../src/server/lib/ids.ts';
import type { TestRound } from './consultation-factories.ts';
import type { TestUser } from './factories.ts';
import { createUser } from './factories.ts';

/* Experts on the roster and conflicts to consult them on, inserted directly. */

const stamp = (): string => new Date().toISOString();

/** A user with the expert role and a profile in the given fields. */
export async function createExpert(
  database: Database,
  options: {
    name?: string;
    fields?: string[];
    title?: string;
    organisation?: string;
    disabled?: boolean;
  } = {},
): Promise<TestUser> {
  const user = await createUser(database, {
    roles: ['expert'],
    unitId: null,
    name: options.name ?? `专家${randomBytes(2).toString('hex')}`,
    ...(options.disabled ? { status: 'disabled' as const } : {}),
  });
  if (options.fields) {
    await database.db
      .insertInto('expert_profile')
      .values({
        user_id: user.id,
        fields: JSON.stringify(options.fields),
        title: options.title ?? '研究员',
        organisation: options.organisation ?? '省社会科学院',
        bio: null,
        updated_by: null,
        created_at: stamp(),
        updated_at: stamp(),
      })
      .execute();
  }
  return user;
}

/** An open conflict of a round between the given opinions, one side each (a, b, …). */
export async function createConflict(
  database: Database,
  round: TestRound,
  options: { opinionIds: string[]; title?: string; status?: 'open' | 'in_resolution' | 'resolved' },
): Promise<{ id: string }> {
  const id = newId();
  const at = stamp();
  const clause = round.articles[1]!;
  await database.db
    .insertInto('conflict')
    .values({
      id,
      plan_id: round.planId,
      round_id: round.roundId,
      clause_stable_id: clause.stableId,
      title: options.title ?? '核心产业增加值占比目标：15% 还是 12%',
      summary: null,
      status: options.status ?? 'open',
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
  const opinions = await database.db
    .selectFrom('opinion')
    .select(['id', 'unit_id'])
    .where('id', 'in', options.opinionIds)
    .execute();
  await database.db
    .insertInto('conflict_party')
    .values(
      options.opinionIds.map((opinionId, i) => ({
        id: newId(),
        conflict_id: id,
        opinion_id: opinionId,
        unit_id: opinions.find((o) => o.id === opinionId)?.unit_id ?? null,
        side: String.fromCharCode(97 + i),
        position: null,
        figures: '[]',
        outcome_code: null,
        disposition_id: null,
      })),
    )
    .execute();
  return { id };
}
