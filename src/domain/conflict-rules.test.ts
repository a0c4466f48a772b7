import { describe, expect, it } from 'vitest';
import type { Rung } from './conflict-rules.ts';
import {
  DEFAULT_LADDER,
  ageInDays,
  assertMayDecideAt,
  conflictMachine,
  conflictMetrics,
  highestRung,
  isSettled,
  nextLevel,
  validateLadder,
  validateParties,
} from './conflict-rules.ts';
import { AppError } from './errors.ts';
import { canTransition, eventsFrom, transition } from './state-machines.ts';

const caught = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected an AppError');
};

describe('conflict state machine', () => {
  it('goes open → in resolution → resolved, or up the ladder → decided', () => {
    expect(transition(conflictMachine, 'open', 'start_method')).toBe('in_resolution');
    expect(transition(conflictMachine, 'in_resolution', 'start_method')).toBe('in_resolution');
    expect(transition(conflictMachine, 'in_resolution', 'resolve')).toBe('resolved');
    expect(transition(conflictMachine, 'open', 'resolve')).toBe('resolved');
    expect(transition(conflictMachine, 'open', 'escalate')).toBe('escalated');
    expect(transition(conflictMachine, 'escalated', 'escalate')).toBe('escalated');
    expect(transition(conflictMachine, 'escalated', 'start_method')).toBe('escalated');
    expect(transition(conflictMachine, 'escalated', 'decide')).toBe('decided');
  });

  it('refuses what a settled or escalated conflict cannot do, with a 409 naming state and event', () => {
    for (const state of ['resolved', 'decided'] as const) {
      expect(eventsFrom(conflictMachine, state)).toEqual([]);
      expect(isSettled(state)).toBe(true);
    }
    expect(canTransition(conflictMachine, 'escalated', 'resolve')).toBe(false);
    expect(canTransition(conflictMachine, 'open', 'decide')).toBe(false);
    const error = caught(() => transition(conflictMachine, 'in_resolution', 'decide'));
    expect(error.status).toBe(409);
    expect(error.message).toBe('A conflict that is in resolution cannot decide.');
    expect(error.details).toMatchObject({ state: 'in_resolution', event: 'decide' });
    expect(isSettled('escalated')).toBe(false);
  });
});

describe('escalation ladder', () => {
  const ladder: Rung[] = [
    { rank: 0, name: '编制组长', role: 'organizer', userIds: [] },
    { rank: 1, name: '牵头单位负责人', role: 'leader', userIds: ['lead-1'] },
    { rank: 2, name: '分管领导', role: 'leader', userIds: ['lead-2'] },
    { rank: 3, name: '主要领导', role: 'leader', userIds: ['lead-3'] },
  ];

  it('has the default ladder 编制组长 → 牵头单位负责人 → 分管领导 → 主要领导', () => {
    expect(DEFAULT_LADDER.map((r) => r.name)).toEqual(['编制组长', '牵头单位负责人', '分管领导', '主要领导']);
    expect(DEFAULT_LADDER.map((r) => r.rank)).toEqual([0, 1, 2, 3]);
    // With no named users, any leader stands on the top rung of the default ladder.
    expect(highestRung(DEFAULT_LADDER, { userId: 'x', roles: ['leader'] })).toBe(3);
    expect(highestRung(DEFAULT_LADDER, { userId: 'x', roles: ['organizer'] })).toBe(0);
    expect(highestRung(DEFAULT_LADDER, { userId: 'x', roles: ['liaison'] })).toBeNull();
  });

  it('climbs one rung at a time and stops at the top', () => {
    expect(nextLevel(ladder, null)).toBe(1);
    expect(nextLevel(ladder, 1)).toBe(2);
    expect(nextLevel(ladder, 2)).toBe(3);
    const top = caught(() => nextLevel(ladder, 3));
    expect(top.status).toBe(409);
    expect(top.message).toContain('主要领导 (level 3), the top of the ladder');
  });

  it('lets a decider decide at their rung or below, and refuses above it naming the level', () => {
    expect(highestRung(ladder, { userId: 'lead-2', roles: ['leader'] })).toBe(2);
    expect(() => assertMayDecideAt(ladder, { userId: 'lead-2', roles: ['leader'] }, 2)).not.toThrow();
    // Not named at rung 1, but deciding there from a higher rung.
    expect(() => assertMayDecideAt(ladder, { userId: 'lead-2', roles: ['leader'] }, 1)).not.toThrow();
    // A named user without the rung's role stands nowhere.
    expect(highestRung(ladder, { userId: 'lead-3', roles: ['liaison'] })).toBeNull();
    const above = caught(() => assertMayDecideAt(ladder, { userId: 'lead-1', roles: ['leader'] }, 2));
    expect(above.status).toBe(403);
    expect(above.message).toBe(
      'This conflict is decided at 分管领导 (level 2); your rung is 牵头单位负责人 (level 1).',
    );
    expect(above.details).toMatchObject({ level: 2, rung: '分管领导', ownLevel: 1 });
    const none = caught(() => assertMayDecideAt(ladder, { userId: 'stranger', roles: ['leader'] }, 1));
    expect(none.message).toContain('you stand on no rung');
    expect(highestRung(ladder, { userId: null, roles: ['admin'] })).toBe(3);
  });

  it('validates a plan ladder', () => {
    const valid = validateLadder([
      { name: ' 编制组 ', role: 'organizer', userIds: [] },
      { name: 'Director', role: 'leader', userIds: ['a', 'a', 'b'] },
    ]);
    expect(valid).toEqual([
      { rank: 0, name: '编制组', role: 'organizer', userIds: [] },
      { rank: 1, name: 'Director', role: 'leader', userIds: ['a', 'b'] },
    ]);
    expect(
      caught(() => validateLadder([{ name: 'x', role: 'organizer', userIds: [] }])).details,
    ).toMatchObject({
      field: 'rungs',
    });
    expect(
      caught(() =>
        validateLadder([
          { name: 'a', role: 'organizer', userIds: [] },
          { name: '', role: 'leader', userIds: [] },
        ]),
      ).details,
    ).toMatchObject({ field: 'rungs.1.name' });
    expect(
      caught(() =>
        validateLadder([
          { name: 'a', role: 'organizer', userIds: [] },
          { name: '🙂 组长', role: 'organizer', userIds: [] },
        ]),
      ).details,
    ).toMatchObject({ field: 'rungs.1.role' });
  });
});

describe('conflict parties', () => {
  it('needs one clause and at least two units', () => {
    expect(
      validateParties([
        { id: '1', unitId: 'u1', clauseStableId: 'c' },
        { id: '2', unitId: 'u2', clauseStableId: 'c' },
      ]),
    ).toBe('c');
    expect(() =>
      validateParties([
        { id: '1', unitId: 'u1', clauseStableId: 'c' },
        { id: '2', unitId: 'u1', clauseStableId: 'c' },
      ]),
    ).toThrow(/two different units/);
    expect(() =>
      validateParties([
        { id: '1', unitId: 'u1', clauseStableId: 'c' },
        { id: '2', unitId: 'u2', clauseStableId: 'd' },
      ]),
    ).toThrow(/one and the same clause/);
    expect(() => validateParties([{ id: '1', unitId: 'u1', clauseStableId: null }])).toThrow(/same clause/);
  });
});

describe('conflict metrics', () => {
  const day = (d: number) => new Date(Date.UTC(2026, 10, 1) + d * 86_400_000).toISOString();

  it('gives median, mean and max days to settle and the counts per state', () => {
    const metrics = conflictMetrics([
      { status: 'resolved', openedAt: day(0), resolvedAt: day(2), decidedAt: null, escalations: 0 },
      { status: 'decided', openedAt: day(0), resolvedAt: null, decidedAt: day(10), escalations: 2 },
      { status: 'resolved', openedAt: day(1), resolvedAt: day(5), decidedAt: null, escalations: 0 },
      { status: 'escalated', openedAt: day(0), resolvedAt: null, decidedAt: null, escalations: 1 },
      { status: 'open', openedAt: day(3), resolvedAt: null, decidedAt: null, escalations: 0 },
    ]);
    expect(metrics.total).toBe(5);
    expect(metrics.counts).toEqual({ open: 1, in_resolution: 0, resolved: 2, escalated: 1, decided: 1 });
    expect(metrics.everEscalated).toBe(2);
    expect(metrics.resolutionDays).toEqual({ settled: 3, median: 4, mean: 5.33, max: 10 });
  });

  it('is empty without conflicts and averages an even count', () => {
    expect(conflictMetrics([]).resolutionDays).toEqual({ settled: 0, median: null, mean: null, max: null });
    const even = conflictMetrics([
      { status: 'resolved', openedAt: day(0), resolvedAt: day(1), decidedAt: null, escalations: 0 },
      { status: 'resolved', openedAt: day(0), resolvedAt: day(4), decidedAt: null, escalations: 0 },
    ]);
    expect(even.resolutionDays.median).toBe(2.5);
  });

  it('measures age to now while unsettled', () => {
    expect(ageInDays(day(0), null, new Date(day(3)))).toBe(3);
    expect(ageInDays(day(0), day(1.25), new Date(day(30)))).toBe(1.3);
  });
});
