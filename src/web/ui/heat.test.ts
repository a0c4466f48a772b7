import { describe, expect, it } from 'vitest';
import { heatOpacity, shownCells, type HeatCell } from './heat.ts';

const cell = (key: string, value: number): HeatCell => ({ key, label: key, value, color: 'blue' });

describe('shownCells', () => {
  it('leaves out cells with zero and keeps the order of the rest', () => {
    expect(shownCells([cell('a', 0), cell('b', 2), cell('c', 0), cell('d', 1)]).map((c) => c.key)).toEqual([
      'b',
      'd',
    ]);
  });

  it('shows nothing for a quiet item', () => {
    expect(shownCells([cell('a', 0), cell('b', 0)])).toEqual([]);
    expect(shownCells([])).toEqual([]);
  });
});

describe('heatOpacity', () => {
  it('grows from 0.45 to 1 with the count and stays at 1 beyond max', () => {
    expect(heatOpacity(0, 10)).toBeCloseTo(0.45);
    expect(heatOpacity(5, 10)).toBeCloseTo(0.725);
    expect(heatOpacity(10, 10)).toBeCloseTo(1);
    expect(heatOpacity(250, 10)).toBeCloseTo(1);
  });

  it('is darker for a larger count', () => {
    expect(heatOpacity(3, 10)).toBeLessThan(heatOpacity(4, 10));
  });
});
