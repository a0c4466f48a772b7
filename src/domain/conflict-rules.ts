import { AppError } from './errors.ts';
import type { Machine } from './state-machines.ts';

/*
 * 分歧事项: the life of a conflict between units' opinions and the ladder it climbs when the drafting team
 * cannot settle it (高层协调). Pure rules: services ask these before they change anything.
 */

export const CONFLICT_STATUSES = ['open', 'in_resolution', 'resolved', 'escalated', 'decided'] as const;
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number];

export const CONFLICT_EVENTS = ['start_method', 'resolve', 'escalate', 'decide'] as const;
export type ConflictEvent = (typeof CONFLICT_EVENTS)[number];

/**
 * open → in_resolution (a method started) → resolved by the drafting team; or escalated, rung by rung,
 * and decided by someone entitled at the rung reached. Methods may still be added while escalated (a
 * leader may ask for expert advice), which keeps the state.
 */
export const conflictMachine: Machine<ConflictStatus, ConflictEvent> = {
  name: 'conflict',
  states: CONFLICT_STATUSES,
  events: CONFLICT_EVENTS,
  transitions: {
    start_method: { open: 'in_resolution', in_resolution: 'in_resolution', escalated: 'escalated' },
    resolve: { open: 'resolved', in_resolution: 'resolved' },
    escalate: { open: 'escalated', in_resolution: 'escalated', escalated: 'escalated' },
    decide: { escalated: 'decided' },
  },
};

/** Resolved and decided conflicts no longer hold their opinions back. */
export const isSettled = (status: ConflictStatus): boolean => status === 'resolved' || status === 'decided';

export type LadderRole = 'organizer' | 'leader' | 'admin';

/** One rung of the escalation ladder: who may decide there — a role, narrowed to named users if any. */
export interface Rung {
  rank: number;
  name: string;
  role: LadderRole;
  userIds: string[];
}

/**
 * The default ladder (编制组长 → 牵头单位负责人 → 分管领导 → 主要领导). Rung 0 is the drafting team, which
 * resolves without escalating; the first escalation reaches rung 1.
 */
export const DEFAULT_LADDER: readonly Rung[] = [
  { rank: 0, name: '编制组长', role: 'organizer', userIds: [] },
  { rank: 1, name: '牵头单位负责人', role: 'leader', userIds: [] },
  { rank: 2, name: '分管领导', role: 'leader', userIds: [] },
  { rank: 3, name: '主要领导', role: 'leader', userIds: [] },
];

/** A ladder is 2–10 rungs ranked 0…n-1 with names; the rungs above the team are for leaders or admins. */
export function validateLadder(rungs: readonly Omit<Rung, 'rank'>[]): Rung[] {
  if (rungs.length < 2 || rungs.length > 10) {
    throw new AppError('validation_failed', 'A ladder has between 2 and 10 rungs.', { field: 'rungs' });
  }
  return rungs.map((rung, rank) => {
    const name = rung.name.trim();
    if (!name) {
      throw new AppError('validation_failed', `Rung ${rank} needs a name.`, { field: `rungs.${rank}.name` });
    }
    if (rank > 0 && rung.role === 'organizer') {
      throw new AppError(
        'validation_failed',
        `Rung ${rank} (${name}) is above the drafting team: its deciders are leaders or administrators.`,
        { field: `rungs.${rank}.role` },
      );
    }
    return { rank, name, role: rung.role, userIds: [...new Set(rung.userIds)] };
  });
}

export interface LadderActor {
  userId: string | null;
  roles: readonly string[];
}

/** Whether `actor` (already known to stand over the plan) is one of a rung's deciders. */
export const standsOn = (rung: Rung, actor: LadderActor): boolean =>
  actor.roles.includes(rung.role) &&
  (rung.userIds.length === 0 || (actor.userId !== null && rung.userIds.includes(actor.userId)));

/**
 * The highest rung `actor` may decide at, or null. A decider may also decide anything below their rung;
 * administrators stand on the top rung.
 */
export function highestRung(ladder: readonly Rung[], actor: LadderActor): number | null {
  if (actor.roles.includes('admin')) {
    return ladder.length - 1;
  }
  let best: number | null = null;
  for (const rung of ladder) {
    if (standsOn(rung, actor)) {
      best = rung.rank;
    }
  }
  return best;
}

const rungLabel = (ladder: readonly Rung[], level: number): string =>
  `${ladder[level]?.name ?? '?'} (level ${level})`;

/** Refuses (403, naming the level) a decision at a rung above the actor's own. */
export function assertMayDecideAt(ladder: readonly Rung[], actor: LadderActor, level: number): void {
  const own = highestRung(ladder, actor);
  if (own === null || own < level) {
    throw new AppError(
      'forbidden',
      `This conflict is decided at ${rungLabel(ladder, level)}; ${
        own === null ? 'you stand on no rung of the ladder' : `your rung is ${rungLabel(ladder, own)}`
      }.`,
      { field: 'level', level, rung: ladder[level]?.name ?? null, ownLevel: own },
    );
  }
}

/** The rung an escalation reaches: one above the current level (the team is level 0). */
export function nextLevel(ladder: readonly Rung[], level: number | null): number {
  const next = (level ?? 0) + 1;
  if (next >= ladder.length) {
    throw new AppError(
      'conflict',
      `The conflict is already at ${rungLabel(ladder, ladder.length - 1)}, the top of the ladder; it is decided there.`,
      { field: 'level', level },
    );
  }
  return next;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Days from opening to settling, or to `now` while unsettled, to one decimal. */
export function ageInDays(openedAt: string, settledAt: string | null, now: Date): number {
  const end = settledAt ? new Date(settledAt).getTime() : now.getTime();
  return Math.max(0, Math.round(((end - new Date(openedAt).getTime()) / DAY_MS) * 10) / 10);
}

export interface ConflictMetricInput {
  status: ConflictStatus;
  openedAt: string;
  resolvedAt: string | null;
  decidedAt: string | null;
  escalations: number;
}

export interface ConflictMetrics {
  total: number;
  counts: Record<ConflictStatus, number>;
  /** Conflicts that went up the ladder at least once, whatever their state now. */
  everEscalated: number;
  /** 分歧解决时间: days from opened to resolved or decided, over settled conflicts. */
  resolutionDays: { settled: number; median: number | null; mean: number | null; max: number | null };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** 分歧解决时间 and the counts per state (SPEC §5). */
export function conflictMetrics(conflicts: readonly ConflictMetricInput[]): ConflictMetrics {
  const counts = Object.fromEntries(CONFLICT_STATUSES.map((s) => [s, 0])) as Record<ConflictStatus, number>;
  const days: number[] = [];
  let everEscalated = 0;
  for (const c of conflicts) {
    counts[c.status] += 1;
    if (c.escalations > 0) {
      everEscalated += 1;
    }
    const settledAt = c.status === 'decided' ? c.decidedAt : c.status === 'resolved' ? c.resolvedAt : null;
    if (settledAt) {
      days.push(Math.max(0, (new Date(settledAt).getTime() - new Date(c.openedAt).getTime()) / DAY_MS));
    }
  }
  days.sort((a, b) => a - b);
  const mid = Math.floor(days.length / 2);
  const median = days.length === 0 ? null : days.length % 2 ? days[mid]! : (days[mid - 1]! + days[mid]!) / 2;
  return {
    total: conflicts.length,
    counts,
    everEscalated,
    resolutionDays: {
      settled: days.length,
      median: median === null ? null : round2(median),
      mean: days.length === 0 ? null : round2(days.reduce((a, b) => a + b, 0) / days.length),
      max: days.length === 0 ? null : round2(days.at(-1)!),
    },
  };
}

/**
 * A conflict needs opinions of at least two different units on one clause; returns the clause.
 * Throws a validation error naming what is wrong.
 */
export function validateParties(
  opinions: readonly { id: string; unitId: string | null; clauseStableId: string | null }[],
): string {
  const clauses = new Set(opinions.map((o) => o.clauseStableId));
  if (clauses.size !== 1 || clauses.has(null)) {
    throw new AppError(
      'validation_failed',
      'The opinions of a conflict are all on one and the same clause.',
      {
        field: 'opinionIds',
      },
    );
  }
  const units = new Set(opinions.map((o) => o.unitId).filter((u): u is string => u !== null));
  if (units.size < 2) {
    throw new AppError(
      'validation_failed',
      'A conflict is between opinions of at least two different units.',
      {
        field: 'opinionIds',
      },
    );
  }
  return [...clauses][0]!;
}
