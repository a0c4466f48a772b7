import { describe, expect, it } from 'vitest';
import {
  parseChineseNumber,
  parseCircledNumber,
  toAsciiDigits,
  toChineseNumber,
} from './chinese-numerals.ts';

describe('parseChineseNumber', () => {
  it.each([
    ['一', 1],
    ['九', 9],
    ['十', 10],
    ['十二', 12],
    ['一十二', 12],
    ['二十', 20],
    ['二十三', 23],
    ['九十九', 99],
    ['一百', 100],
    ['一百零一', 101],
    ['一百一十', 110],
    ['一百十', 110],
    ['一百三十三', 133],
    ['两百', 200],
    ['两千零二十', 2020],
    ['一千零五', 1005],
    ['一千', 1000],
    ['九千九百九十九', 9999],
    ['一万', 10000],
    ['一万零一十', 10010],
    ['十万', 100000],
    ['十五万三千', 153000],
    ['一百万', 1000000],
    ['一亿', 100000000],
    ['一亿零五万', 100050000],
    ['三亿四千万', 340000000],
    ['一万亿', 1000000000000],
    ['零', 0],
    ['〇', 0],
    ['二〇二〇', 2020],
    ['一九九八', 1998],
    ['壹', 1],
    ['贰拾', 20],
    ['壹佰贰拾叁', 123],
    ['叁仟零伍', 3005],
    ['廿', 20],
    ['廿一', 21],
    ['卅五', 35],
    ['7', 7],
    ['133', 133],
    ['０', 0],
    ['１３３', 133],
    [' 十二 ', 12],
  ])('%s → %d', (input, expected) => {
    expect(parseChineseNumber(input)).toBe(expected);
  });

  it.each([
    '',
    '  ',
    '十十',
    '百',
    '千',
    '万',
    '一二十',
    '十百',
    '一万万',
    'abc',
    '十a',
    '1万',
    '三两',
    '第一',
    '一.',
  ])('rejects %j', (input) => {
    expect(parseChineseNumber(input)).toBeNull();
  });

  it('reads every number it writes (0 – 20,000 and some large ones)', () => {
    for (let n = 0; n <= 20_000; n++) {
      expect(parseChineseNumber(toChineseNumber(n))).toBe(n);
    }
    for (const n of [
      100_000, 100_001, 1_000_010, 20_030_405, 100_000_001, 123_456_789_012, 9_007_199_254_740_991,
    ]) {
      expect(parseChineseNumber(toChineseNumber(n))).toBe(n);
    }
  });
});

describe('toChineseNumber', () => {
  it.each([
    [0, '零'],
    [1, '一'],
    [10, '十'],
    [11, '十一'],
    [19, '十九'],
    [20, '二十'],
    [101, '一百零一'],
    [110, '一百一十'],
    [133, '一百三十三'],
    [1005, '一千零五'],
    [1010, '一千零一十'],
    [1100, '一千一百'],
    [2020, '二千零二十'],
    [10000, '一万'],
    [10010, '一万零一十'],
    [100000, '十万'],
    [150000, '十五万'],
    [1000000, '一百万'],
    [10001000, '一千万一千'],
    [10000100, '一千万零一百'],
    [100000000, '一亿'],
    [100050000, '一亿零五万'],
    [-3, '负三'],
  ])('%d → %s', (n, expected) => {
    expect(toChineseNumber(n)).toBe(expected);
  });

  it('rejects fractions and unsafe integers', () => {
    expect(() => toChineseNumber(1.5)).toThrow(RangeError);
    expect(() => toChineseNumber(Number.MAX_SAFE_INTEGER + 2)).toThrow(RangeError);
  });
});

describe('helpers', () => {
  it('reads circled numbers ① – ㊿', () => {
    expect(parseCircledNumber('①')).toBe(1);
    expect(parseCircledNumber('⑳')).toBe(20);
    expect(parseCircledNumber('㉑')).toBe(21);
    expect(parseCircledNumber('㉟')).toBe(35);
    expect(parseCircledNumber('㊱')).toBe(36);
    expect(parseCircledNumber('㊿')).toBe(50);
    expect(parseCircledNumber('a')).toBeNull();
    expect(parseCircledNumber('①②')).toBeNull();
  });

  it('converts full-width digits', () => {
    expect(toAsciiDigits('第１２条 2')).toBe('第12条 2');
  });
});
