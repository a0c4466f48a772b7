import { describe, expect, it } from 'vitest';
import { stanceQuery } from './api.ts';
import { scoreText, stanceShares } from './stance.ts';

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

  it('asks the server for the filters that are set', () => {
    expect(stanceQuery({}, { limit: 50 }).toString()).toBe('limit=50');
    expect(
      stanceQuery(
        { clause: 'a&b', stance: 'oppose', source: 'human' },
        { limit: 50, cursor: 'c=' },
      ).toString(),
    ).toBe('clause=a%26b&stance=oppose&source=human&limit=50&cursor=c%3D');
    expect(stanceQuery({ stance: 'unknown', clause: '' }, { limit: 20, cursor: null }).toString()).toBe(
      'stance=unknown&limit=20',
    );
  });

  it('writes scores as percents', () => {
    expect(scoreText(0.734)).toBe('73%');
    expect(scoreText(1)).toBe('100%');
    expect(scoreText(null)).toBe('—');
    expect(scoreText(undefined)).toBe('—');
    expect(scoreText(Number.NaN)).toBe('—');
  });
});
