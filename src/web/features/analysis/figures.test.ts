import { describe, expect, it } from 'vitest';
import type { FigureDirection } from './api.ts';
import { figureAmount, figureDetail, formatValue, knownDirection } from './figures.ts';

const zh: Record<FigureDirection, string> = {
  increase: '增加',
  decrease: '减少',
  at_least: '不低于',
  at_most: '不高于',
  reach: '达到',
  equal: '为',
};

describe('figures', () => {
  it('writes the amount with its unit, and a range', () => {
    expect(figureAmount({ text: '提升20%', value: 20, unit: '%' })).toBe('20%');
    expect(figureAmount({ text: '100亿元至120亿元', value: 100, upper: 120, unit: '亿元' })).toBe(
      '100–120亿元',
    );
    expect(figureAmount({ text: '3 million', value: 3_000_000 })).toBe('3000000');
    expect(figureAmount({ text: '约三成' })).toBe('');
    expect(figureAmount({ text: '', value: Number.NaN })).toBe('');
  });

  it('rounds to three decimals without an exponent', () => {
    expect(formatValue(0.12345)).toBe('0.123');
    expect(formatValue(15)).toBe('15');
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe('');
  });

  it('describes target, direction, amount and year when known', () => {
    expect(
      figureDetail(
        {
          text: '2027年达到100亿元',
          target: '数字经济规模',
          value: 100,
          unit: '亿元',
          direction: 'reach',
          year: 2027,
        },
        (d) => zh[d],
      ),
    ).toBe('数字经济规模 · 达到 · 100亿元 · 2027');
    expect(
      figureDetail({ text: 'at least 15%', value: 15, unit: '%', direction: 'at_least' }, (d) => d),
    ).toBe('at_least · 15%');
    expect(
      figureDetail(
        { text: '😀 20%', value: 20, unit: '%', direction: 'sideways', target: '  ' },
        (d) => zh[d],
      ),
    ).toBe('20%');
    expect(figureDetail({ text: '' }, (d) => zh[d])).toBe('');
  });

  it('names only the directions the interface knows', () => {
    expect(knownDirection('at_most')).toBe('at_most');
    expect(knownDirection('up')).toBeNull();
    expect(knownDirection(null)).toBeNull();
    expect(knownDirection(undefined)).toBeNull();
  });
});
