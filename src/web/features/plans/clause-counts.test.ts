import { describe, expect, it } from 'vitest';
import type { ClauseCounts } from './clause-counts.ts';
import { countsByClause, heatCells } from './clause-counts.ts';

const counts = (overrides: Partial<ClauseCounts> = {}): ClauseCounts => ({
  clauseStableId: 'c1',
  total: 0,
  blocking: 0,
  proposals: 0,
  flagged: 0,
  open: 0,
  ...overrides,
});

describe('countsByClause', () => {
  it("keys the server's tallies by clause stable id", () => {
    const map = countsByClause([
      counts({ total: 4, blocking: 1 }),
      counts({ clauseStableId: 'c2', total: 1 }),
    ]);
    expect(map.get('c1')).toMatchObject({ total: 4, blocking: 1 });
    expect(map.get('c2')?.total).toBe(1);
    expect(map.has('c3')).toBe(false);
    expect(map.size).toBe(2);
  });

  it('is empty for no tallies', () => {
    expect(countsByClause([]).size).toBe(0);
  });
});

describe('heatCells', () => {
  it('gives every count its cell, in a fixed order, labelled by the caller', () => {
    const cells = heatCells(
      counts({ total: 5, open: 3, blocking: 2, proposals: 1, flagged: 4 }),
      (k) => `L:${k}`,
    );
    expect(cells.map((c) => [c.key, c.value, c.label])).toEqual([
      ['total', 5, 'L:total'],
      ['open', 3, 'L:open'],
      ['blocking', 2, 'L:blocking'],
      ['proposals', 1, 'L:proposals'],
      ['flagged', 4, 'L:flagged'],
    ]);
    expect(new Set(cells.map((c) => c.color)).size).toBe(5);
  });

  it('keeps zero counts, for the strip to leave out', () => {
    expect(heatCells(counts({ total: 2, open: 0 }), String).find((c) => c.key === 'open')?.value).toBe(0);
  });
});
