import type { Executor } from '../db/executor.ts';
import type { Expression, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { MetricCounts } from '../../domain/metrics.ts';
import { addCounts, EMPTY_COUNTS } from '../../domain/metrics.ts';
import type { UnitLevel } from '../db/schema.ts';

/*
 * Every metric is counted in SQL with GROUP BY over (unit, level), so a round of 100,000 opinions costs a
 * handful of aggregate queries, not 100,000 rows in memory. Sums come back as strings on PostgreSQL.
 */

export type MetricsScope = { roundId: string } | { planId: string };

export interface RoundBasics {
  id: string;
  planId: string;
  versionId: string;
  seq: number;
  title: string;
  status: string;
  deadline: string;
  openedAt: string | null;
  closedAt: string | null;
}

export interface GroupCounts extends MetricCounts {
  unitId: string | null;
  level: UnitLevel | null;
}

const num = (value: string | number | bigint | null | undefined): number => Number(value ?? 0);

function roundIds(db: Executor, scope: MetricsScope) {
  return 'roundId' in scope
    ? db.selectFrom('round').select('round.id').where('round.id', '=', scope.roundId)
    : db.selectFrom('round').select('round.id').where('round.plan_id', '=', scope.planId);
}

export async function findRoundBasics(db: Executor, id: string): Promise<RoundBasics | null> {
  const row = await db.selectFrom('round').selectAll().where('id', '=', id).executeTakeFirst();
  return row
    ? {
        id: row.id,
        planId: row.plan_id,
        versionId: row.version_id,
        seq: row.seq,
        title: row.title,
        status: row.status,
        deadline: row.deadline,
        openedAt: row.opened_at,
        closedAt: row.closed_at,
      }
    : null;
}

export interface RoundCycle {
  roundId: string;
  seq: number;
  title: string;
  status: string;
  opensAt: string;
  deadline: string;
  closesAt: string;
  openedAt: string | null;
  closedAt: string | null;
  lastApprovalAt: string | null;
}

/**
 * Each round of the scope with its schedule, its open/close instants and the instant of its last approved
 * disposition.
 */
export async function listRoundCycles(db: Executor, scope: MetricsScope): Promise<RoundCycle[]> {
  const rows = await db
    .selectFrom('round')
    .select((eb) => [
      'round.id',
      'round.seq',
      'round.title',
      'round.status',
      'round.opens_at',
      'round.deadline',
      'round.closes_at',
      'round.opened_at',
      'round.closed_at',
      eb
        .selectFrom('disposition')
        .innerJoin('opinion', 'opinion.id', 'disposition.opinion_id')
        .whereRef('opinion.round_id', '=', 'round.id')
        .where('disposition.status', '=', 'approved')
        .select((e) => e.fn.max('disposition.decided_at').as('at'))
        .as('last_approval_at'),
    ])
    .where('round.id', 'in', roundIds(db, scope))
    .orderBy('round.seq')
    .orderBy('round.opens_at')
    .execute();
  return rows.map((r) => ({
    roundId: r.id,
    seq: r.seq,
    title: r.title,
    status: r.status,
    opensAt: r.opens_at,
    deadline: r.deadline,
    closesAt: r.closes_at,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    lastApprovalAt: r.last_approval_at ?? null,
  }));
}

/**
 * Each replying invitation counted once, at the UTC hour of its first reply, split by whether it replied
 * on time (the same rule as `onTime`: some reply not marked late).
 */
export async function countFirstRepliesByHour(
  db: Executor,
  scope: MetricsScope,
): Promise<{ hour: string; onTime: number; late: number }[]> {
  const first = db
    .selectFrom('unit_reply as ur')
    .innerJoin('round_invitation as ri', 'ri.id', 'ur.invitation_id')
    .select((eb) => [
      'ur.invitation_id',
      eb.fn.min('ur.sent_at').as('first_at'),
      eb.fn.max(eb.case().when('ur.late', '=', 0).then(1).else(0).end()).as('on_time'),
    ])
    .where('ri.round_id', 'in', roundIds(db, scope))
    .groupBy('ur.invitation_id')
    .as('f');
  const hour = sql<string>`substr(${sql.ref('f.first_at')}, 1, 13)`;
  const rows = await db
    .selectFrom(first)
    .select((eb) => [
      hour.as('hour'),
      eb.fn.sum(eb.case().when('f.on_time', '=', 1).then(1).else(0).end()).as('on_time'),
      eb.fn.countAll().as('n'),
    ])
    .groupBy(hour)
    .execute();
  return rows.map((r) => ({
    hour: r.hour,
    onTime: num(r.on_time),
    late: num(r.n) - num(r.on_time),
  }));
}

/** Approved dispositions of submitted opinions per (unit, code). */
export async function countDispositionsByUnitAndCode(
  db: Executor,
  scope: MetricsScope,
): Promise<{ unitId: string | null; code: string; n: number }[]> {
  const rows = await db
    .selectFrom('opinion as o')
    .innerJoin('disposition as d', (join) =>
      join.onRef('d.opinion_id', '=', 'o.id').on('d.status', '=', 'approved'),
    )
    .select((eb) => ['o.unit_id', 'd.code', eb.fn.countAll().as('n')])
    .where('o.round_id', 'in', roundIds(db, scope))
    .where('o.status', '=', 'submitted')
    .groupBy(['o.unit_id', 'd.code'])
    .execute();
  return rows.map((r) => ({ unitId: r.unit_id, code: r.code, n: num(r.n) }));
}

/** Feedback responses per (response, rating). */
export async function countFeedbackResponses(
  db: Executor,
  scope: MetricsScope,
): Promise<{ response: string; rating: string | null; n: number }[]> {
  const rows = await db
    .selectFrom('feedback_response as fr')
    .innerJoin('opinion as o', 'o.id', 'fr.opinion_id')
    .select((eb) => ['fr.response', 'fr.rating', eb.fn.countAll().as('n')])
    .where('o.round_id', 'in', roundIds(db, scope))
    .groupBy(['fr.response', 'fr.rating'])
    .execute();
  return rows.map((r) => ({ response: r.response, rating: r.rating, n: num(r.n) }));
}

/** Invitations, replies and on-time replies per (unit, level). */
async function countInvitations(db: Executor, scope: MetricsScope) {
  const rows = await db
    .selectFrom('round_invitation as ri')
    .select((eb) => {
      const sent = eb.exists(
        eb.selectFrom('unit_reply as ur').select('ur.id').whereRef('ur.invitation_id', '=', 'ri.id'),
      );
      const onTime = eb.exists(
        eb
          .selectFrom('unit_reply as ur')
          .select('ur.id')
          .whereRef('ur.invitation_id', '=', 'ri.id')
          .where('ur.late', '=', 0),
      );
      return [
        'ri.unit_id',
        'ri.level',
        eb.fn.countAll().as('invited'),
        eb.fn.sum(eb.case().when(sent).then(1).else(0).end()).as('sent'),
        eb.fn.sum(eb.case().when(onTime).then(1).else(0).end()).as('on_time'),
      ];
    })
    .where('ri.round_id', 'in', roundIds(db, scope))
    .groupBy(['ri.unit_id', 'ri.level'])
    .execute();
  return rows.map((r) => ({
    unitId: r.unit_id,
    level: r.level,
    invited: num(r.invited),
    sent: num(r.sent),
    onTime: num(r.on_time),
  }));
}

/** Submitted opinions, valid ones (no quality flag) and their approved dispositions per (unit, level). */
async function countOpinions(db: Executor, scope: MetricsScope) {
  const rows = await db
    .selectFrom('opinion as o')
    .leftJoin('disposition as d', (join) =>
      join.onRef('d.opinion_id', '=', 'o.id').on('d.status', '=', 'approved'),
    )
    .select((eb) => {
      const when = (condition: Expression<SqlBool>) =>
        eb.fn.sum(eb.case().when(condition).then(1).else(0).end());
      return [
        'o.unit_id',
        'o.level',
        eb.fn.count('o.id').as('opinions'),
        when(eb('o.quality_flags', '=', '[]')).as('valid'),
        when(eb('d.id', 'is not', null)).as('disposed'),
        when(eb('d.code', '=', 'adopted')).as('adopted'),
        when(eb('d.code', '=', 'partially_adopted')).as('partially_adopted'),
        when(eb('d.code', '=', 'already_reflected')).as('reflected'),
      ];
    })
    .where('o.round_id', 'in', roundIds(db, scope))
    .where('o.status', '=', 'submitted')
    .groupBy(['o.unit_id', 'o.level'])
    .execute();
  return rows.map((r) => ({
    unitId: r.unit_id,
    level: r.level,
    opinions: num(r.opinions),
    valid: num(r.valid),
    disposed: num(r.disposed),
    adopted: num(r.adopted),
    partiallyAdopted: num(r.partially_adopted),
    reflected: num(r.reflected),
  }));
}

/** Rated feedback and the share rated 满意 / 基本满意 per (unit, level). */
async function countFeedback(db: Executor, scope: MetricsScope) {
  const rows = await db
    .selectFrom('feedback_response as fr')
    .innerJoin('opinion as o', 'o.id', 'fr.opinion_id')
    .select((eb) => [
      'o.unit_id',
      'o.level',
      eb.fn.sum(eb.case().when('fr.rating', 'is not', null).then(1).else(0).end()).as('rated'),
      eb.fn
        .sum(eb.case().when('fr.rating', 'in', ['satisfied', 'basically_satisfied']).then(1).else(0).end())
        .as('satisfied'),
    ])
    .where('o.round_id', 'in', roundIds(db, scope))
    .groupBy(['o.unit_id', 'o.level'])
    .execute();
  return rows.map((r) => ({
    unitId: r.unit_id,
    level: r.level,
    rated: num(r.rated),
    satisfied: num(r.satisfied),
  }));
}

/** Objections per (unit, level, status); `first` counts first-round objections, i.e. objected opinions. */
export async function countObjections(db: Executor, scope: MetricsScope) {
  const rows = await db
    .selectFrom('objection as ob')
    .innerJoin('opinion as o', 'o.id', 'ob.opinion_id')
    .select((eb) => [
      'o.unit_id',
      'o.level',
      'ob.status',
      eb.fn.countAll().as('n'),
      eb.fn.sum(eb.case().when('ob.round_no', '=', 1).then(1).else(0).end()).as('first'),
    ])
    .where('o.round_id', 'in', roundIds(db, scope))
    .groupBy(['o.unit_id', 'o.level', 'ob.status'])
    .execute();
  return rows.map((r) => ({
    unitId: r.unit_id,
    level: r.level,
    status: r.status,
    n: num(r.n),
    first: num(r.first),
  }));
}

/** All counts of the scope per (unit, level), merged from the four aggregate queries. */
export async function countByUnitAndLevel(
  db: Executor,
  scope: MetricsScope,
): Promise<{
  groups: GroupCounts[];
  objections: Awaited<ReturnType<typeof countObjections>>;
}> {
  const [invitations, opinions, feedback, objections] = await Promise.all([
    countInvitations(db, scope),
    countOpinions(db, scope),
    countFeedback(db, scope),
    countObjections(db, scope),
  ]);
  const groups = new Map<string, GroupCounts>();
  const group = (unitId: string | null, level: UnitLevel | null): GroupCounts => {
    const key = `${unitId ?? ''}|${level ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = { unitId, level, ...EMPTY_COUNTS };
      groups.set(key, g);
    }
    return g;
  };
  for (const { unitId, level, ...rest } of [...invitations, ...opinions, ...feedback]) {
    const g = group(unitId, level);
    Object.assign(g, addCounts(g, rest));
  }
  for (const o of objections) {
    group(o.unitId, o.level).objected += o.first;
  }
  return { groups: [...groups.values()], objections };
}

export async function listUnitsByIds(
  db: Executor,
  ids: readonly string[],
): Promise<{ id: string; name: string; code: string; level: UnitLevel }[]> {
  if (ids.length === 0) {
    return [];
  }
  return db
    .selectFrom('unit')
    .select(['id', 'name', 'code', 'level'])
    .where('id', 'in', [...ids])
    .execute();
}
