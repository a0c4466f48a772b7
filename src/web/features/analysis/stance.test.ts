import { describe, expect, it } from 'vitest';
import type { StanceLabel } from './api.ts';
import { matchesStance, scoreText, stanceShares } from './stance.ts';

const label = (l: StanceLabel['label'], source: StanceLabel['source']): { stance: StanceLabel } => ({
  stance: { label: l, score: source === 'machine' ? 0.8 : null, source },
});

describe('stance', () => {
  it('shares add up to exactly 100', () => {
    const shares = stanceShares({ support: 1, oppose: 1, modify: 1, none: 0 });
    expect(shares.map((s) => s.percent)).toEqual([34, 33, 33, 0]);
    expect(shares.reduce((sum, s) => sum + s.percent, 0)).toBe(100);
    const big = stanceShares({ support: 333_333, oppose: 333_333, modify: 333_334, none: 0 });
    expect(big.reduce((sum, s) => sum + s.percent, 0)).toBe(100);
    expect(stanceShares({ support: 0, oppose: 7, modify: 0, none: 0 }).map((s) => s.percent)).toEqual([
      0, 100, 0, 0,
    ]);
  });

  it('shows no share of nothing', () => {
    expect(stanceShares({ support: 0, oppose: 0, modify: 0, none: 0 }).map((s) => s.percent)).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it('filters by stance and by who gave it', () => {
    expect(matchesStance(label('oppose', 'machine'), {})).toBe(true);
    expect(matchesStance(undefined, {})).toBe(true);
    expect(matchesStance(label('oppose', 'machine'), { stance: 'oppose' })).toBe(true);
    expect(matchesStance(label('oppose', 'machine'), { stance: 'support' })).toBe(false);
    expect(matchesStance(label('oppose', 'human'), { source: 'human' })).toBe(true);
    expect(matchesStance(label('oppose', 'machine'), { stance: 'oppose', source: 'human' })).toBe(false);
    expect(matchesStance({ stance: null }, { stance: 'unknown' })).toBe(true);
    expect(matchesStance(label('none', 'machine'), { stance: 'unknown' })).toBe(false);
    expect(matchesStance(undefined, { stance: 'oppose' })).toBe(false);
  });

  it('writes scores as percents', () => {
    expect(scoreText(0.734)).toBe('73%');
    expect(scoreText(1)).toBe('100%');
    expect(scoreText(null)).toBe('—');
    expect(scoreText(undefined)).toBe('—');
    expect(scoreText(Number.NaN)).toBe('—');
  });
});
