import { describe, expect, it } from 'vitest';
import { analysisHref, opinionName, tabOf } from './links.ts';

describe('analysis links', () => {
  it('names an opinion by its registration number, else by its id', () => {
    expect(opinionName({ id: '0123456789abcdef', regNo: 'GW-2026-001' })).toBe('GW-2026-001');
    expect(opinionName({ id: '0123456789abcdef', regNo: null })).toBe('01234567');
    expect(opinionName({ id: 'x', regNo: null })).toBe('x');
  });

  it('links to a tab, a clause and an opinion of the analysis page', () => {
    expect(analysisHref('r1')).toBe('/rounds/r1/analysis');
    expect(analysisHref('r1', { tab: 'summaries', clause: 'c-3', opinion: 'o9' })).toBe(
      '/rounds/r1/analysis?tab=summaries&clause=c-3&opinion=o9',
    );
    expect(analysisHref('r 1', { opinion: '意见/1' })).toBe(
      '/rounds/r%201/analysis?opinion=%E6%84%8F%E8%A7%81%2F1',
    );
  });

  it('opens the overview for an unknown or missing tab', () => {
    expect(tabOf('clusters')).toBe('clusters');
    expect(tabOf(null)).toBe('overview');
    expect(tabOf('')).toBe('overview');
    expect(tabOf('constructor')).toBe('overview');
  });
});
