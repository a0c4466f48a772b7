import { describe, expect, it } from 'vitest';
import type { Dashboard, DashboardPlan } from './api.ts';
import {
  activeRoundStates,
  countApprovals,
  formatRate,
  oldestFirst,
  percentOf,
  ratio,
  sortPlans,
  versionName,
  waitingDays,
} from './figures.ts';

const plan = (id: string, overrides: Partial<DashboardPlan> = {}): DashboardPlan => ({
  id,
  name: id,
  ownerUnitId: 'u',
  updatedAt: '2026-11-01T00:00:00.000Z',
  currentVersion: null,
  rounds: { draft: 0, scheduled: 0, open: 0, closed: 0, assessing: 0, feedback: 0, finished: 0 },
  openRounds: [],
  opinions: { received: 0, disposed: 0, adopted: 0, adoptionRate: null },
  objections: { open: 0, escalated: 0 },
  openRevision: null,
  ...overrides,
});

describe('rates', () => {
  it('formats a rate as a percentage with at most one decimal', () => {
    expect(formatRate(0.5)).toBe('50%');
    expect(formatRate(2 / 3)).toBe('66.7%');
    expect(formatRate(1)).toBe('100%');
    expect(formatRate(0)).toBe('0%');
  });

  it('shows no rate as a dash, never as 0%', () => {
    expect(formatRate(null)).toBe('—');
    expect(formatRate(undefined)).toBe('—');
    expect(formatRate(Number.NaN)).toBe('—');
    expect(ratio(3, 0)).toBeNull();
    expect(ratio(1, 4)).toBe(0.25);
  });

  it('gives a whole percent for progress bars', () => {
    expect(percentOf(0.666)).toBe(67);
    expect(percentOf(null)).toBe(0);
  });
});

describe('versionName', () => {
  it('adds the label only when it says more than the number', () => {
    expect(versionName({ seq: 1, label: 'v1' })).toBe('v1');
    expect(versionName({ seq: 2, label: '送审稿' })).toBe('v2 送审稿');
    expect(versionName({ seq: 3, label: ' ' })).toBe('v3');
  });
});

describe('activeRoundStates', () => {
  it('lists the states with rounds, open ones first', () => {
    expect(activeRoundStates({ finished: 2, open: 1, draft: 0, feedback: 1 })).toEqual([
      { state: 'open', count: 1 },
      { state: 'feedback', count: 1 },
      { state: 'finished', count: 2 },
    ]);
    expect(activeRoundStates({})).toEqual([]);
  });
});

describe('sortPlans', () => {
  it('puts plans waiting for a decision first, then those with open rounds, then the newest', () => {
    const quiet = plan('quiet', { updatedAt: '2026-11-20T00:00:00.000Z' });
    const older = plan('older', { updatedAt: '2026-10-01T00:00:00.000Z' });
    const open = plan('open', {
      openRounds: [
        {
          roundId: 'r',
          seq: 1,
          title: 't',
          kind: 'internal',
          deadline: '2026-12-01',
          closesAt: '2026-12-01T16:00:00.000Z',
          invited: 2,
          replied: 1,
          responseRate: 0.5,
        },
      ],
    });
    const escalated = plan('escalated', { objections: { open: 0, escalated: 1 } });
    const submitted = plan('submitted', { openRevision: { id: 'v', status: 'submitted' } });
    const both = plan('both', {
      objections: { open: 0, escalated: 1 },
      openRevision: { id: 'w', status: 'submitted' },
    });
    expect(sortPlans([older, quiet, open, submitted, escalated, both]).map((p) => p.id)).toEqual([
      'both',
      'escalated',
      'submitted',
      'open',
      'quiet',
      'older',
    ]);
  });
});

describe('approvals', () => {
  it('counts the pending approvals by kind', () => {
    const pending = {
      urgentRounds: [{}, {}],
      revisions: [{}],
      objections: [],
    } as unknown as Dashboard['pending'];
    expect(countApprovals(pending)).toEqual({ urgentRounds: 2, revisions: 1, objections: 0, total: 3 });
  });

  it('counts whole days waited', () => {
    const now = new Date('2026-11-28T12:00:00.000Z');
    expect(waitingDays('2026-11-28T01:00:00.000Z', now)).toBe(0);
    expect(waitingDays('2026-11-25T11:00:00.000Z', now)).toBe(3);
    expect(waitingDays('2026-11-29T00:00:00.000Z', now)).toBe(0);
    expect(waitingDays(null, now)).toBeNull();
    expect(waitingDays('not a date', now)).toBeNull();
  });

  it('orders the oldest first, unknown times last', () => {
    const items = [
      { id: 'b', at: '2026-11-02' },
      { id: 'x', at: null },
      { id: 'a', at: '2026-11-01' },
    ];
    expect(oldestFirst(items, (i) => i.at).map((i) => i.id)).toEqual(['a', 'b', 'x']);
  });
});
