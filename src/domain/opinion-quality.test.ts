import { describe, expect, it } from 'vitest';
import { randomStrings } from '../../test/random-strings.ts';
import {
  checkOpinionQuality,
  hasQuotation,
  mentionsNumber,
  passesQualityCheck,
  QUALITY_FILTERS,
  QUALITY_FLAGS,
} from './opinion-quality.ts';

const COMPLETE = {
  clauseStableId: 'c-2',
  kind: 'substantive' as const,
  quote: '达到15%',
  suggestion: '建议将“达到15%”修改为“达到12%”，与全省产业基础相适应。',
  reasons: '2025年全省核心产业增加值占比约为9.8%，年均提高1个百分点以上难度较大。',
  proposedText: '到2030年，全省数字经济核心产业增加值占地区生产总值比重达到12%。',
};

describe('checkOpinionQuality', () => {
  it('scores a complete opinion high with no flags', () => {
    const result = checkOpinionQuality(COMPLETE);
    expect(result.flags).toEqual([]);
    expect(result.hints).toEqual([]);
    expect(result.score).toBeGreaterThanOrEqual(0.9);
    expect(passesQualityCheck(result)).toBe(true);
  });

  it.each([
    '同意',
    '无意见',
    '原则同意。',
    '建议进一步完善',
    '建议加强',
    '建议进一步研究相关内容',
    '原则同意，建议进一步完善。',
  ])('flags "%s" as vague and scores it low', (suggestion) => {
    const result = checkOpinionQuality({ suggestion, clauseStableId: 'c-1', reasons: '理由是工作需要。' });
    expect(result.flags).toContain('vague');
    expect(result.score).toBeLessThanOrEqual(0.2);
    expect(passesQualityCheck(result)).toBe(false);
    expect(result.hints.join('')).toContain('具体');
  });

  it('does not call a stock phrase vague when something concrete follows', () => {
    const result = checkOpinionQuality({
      ...COMPLETE,
      suggestion: '建议加强算力中心布局，在第三条增加“2027年前建成3个省级算力枢纽”的表述。',
    });
    expect(result.flags).not.toContain('vague');
  });

  it('flags a suggestion without reasons, except for a question', () => {
    const noReasons = checkOpinionQuality({ ...COMPLETE, reasons: null });
    expect(noReasons.flags).toEqual(['no_reasons']);
    expect(noReasons.score).toBeLessThan(checkOpinionQuality(COMPLETE).score);
    const question = checkOpinionQuality({
      clauseStableId: 'c-1',
      kind: 'question',
      suggestion: '“算力调度平台”由哪个部门牵头建设运营？',
    });
    expect(question.flags).not.toContain('no_reasons');
  });

  it('flags very short text, a missing target and a lack of specifics', () => {
    const result = checkOpinionQuality({ suggestion: '再改改', reasons: '' });
    expect(result.flags).toEqual(
      expect.arrayContaining(['no_target', 'too_short', 'no_reasons', 'not_specific']),
    );
    expect(result.hints.length).toBe(result.flags.length);
    expect(result.score).toBeLessThan(0.3);
  });

  it('accepts the whole draft (null) as a target', () => {
    const result = checkOpinionQuality({ ...COMPLETE, clauseStableId: null });
    expect(result.flags).not.toContain('no_target');
  });

  it('rewards specificity: numbers, named measures, proposed text', () => {
    const base = { clauseStableId: 'c-1', reasons: '目前各地标准不一，企业反映强烈，影响项目落地。' };
    const general = checkOpinionQuality({
      ...base,
      suggestion: '希望对中小企业的数字化转型给予更多关注和帮助。',
    });
    const specific = checkOpinionQuality({
      ...base,
      suggestion: '建议设立中小企业数字化转型专项资金，每年不少于2亿元。',
      proposedText: '设立中小企业数字化转型专项资金，每年安排不少于2亿元。',
    });
    expect(general.flags).toContain('not_specific');
    expect(specific.flags).toEqual([]);
    expect(specific.score).toBeGreaterThan(general.score);
  });

  it('is deterministic and bounded', () => {
    expect(checkOpinionQuality(COMPLETE)).toEqual(checkOpinionQuality(COMPLETE));
    const empty = checkOpinionQuality({ suggestion: '' });
    expect(empty.score).toBeGreaterThanOrEqual(0);
    expect(empty.flags).toContain('vague');
  });
});

describe('checkOpinionQuality: more stock answers, English and reasons in the text', () => {
  it.each([
    '无修改意见',
    '没有其他意见。',
    '建议高度重视',
    '建议加大力度，抓好落实。',
    '总体可行，赞成。',
    'I agree.',
    'Looks good to me!',
    'No comment',
    'I strongly support this proposal.',
    'OK',
  ])('flags "%s" as vague', (suggestion) => {
    const result = checkOpinionQuality({ suggestion, clauseStableId: 'c-1', reasons: '理由是工作需要。' });
    expect(result.flags).toContain('vague');
    expect(passesQualityCheck(result)).toBe(false);
  });

  it('measures English by words, not letters', () => {
    expect(checkOpinionQuality({ suggestion: 'Agreed entirely', clauseStableId: 'c-1' }).flags).toContain(
      'too_short',
    );
    const specific = checkOpinionQuality({
      suggestion: 'Replace "30 days" in section 3 with "60 days" so that small employers can comply.',
      clauseStableId: 'c-1',
      reasons: 'Small employers lack compliance staff and need more time to file.',
    });
    expect(specific.flags).toEqual([]);
    expect(passesQualityCheck(specific)).toBe(true);
  });

  it('counts reasons written in the suggestion itself, for a lower score than a reasons field', () => {
    const suggestion =
      '建议将审批时限缩短至5个工作日，因为目前企业平均等待时间超过20个工作日，影响项目落地。';
    const inline = checkOpinionQuality({ suggestion, clauseStableId: 'c-1' });
    expect(inline.flags).not.toContain('no_reasons');
    const field = checkOpinionQuality({
      suggestion,
      clauseStableId: 'c-1',
      reasons: '目前企业平均等待时间超过20个工作日，影响项目落地和投资进度。',
    });
    expect(field.score).toBeGreaterThan(inline.score);
    // A marker with nothing after it is no reason.
    expect(
      checkOpinionQuality({ suggestion: '建议缩短审批时限，因为', clauseStableId: 'c-1' }).flags,
    ).toContain('no_reasons');
    expect(
      checkOpinionQuality({
        suggestion: 'Extend the deadline because small firms need time to adapt.',
        clauseStableId: null,
      }).flags,
    ).not.toContain('no_reasons');
  });
});

describe('the quality filters', () => {
  it('list every flag the check can raise, and valid/invalid first', () => {
    const raised = new Set(
      [
        checkOpinionQuality({ suggestion: '' }),
        checkOpinionQuality({ suggestion: '同意', kind: 'substantive' }),
        checkOpinionQuality({ suggestion: '建议进一步完善', clauseStableId: null }),
      ].flatMap((q) => q.flags),
    );
    expect([...raised].every((flag) => QUALITY_FLAGS.includes(flag))).toBe(true);
    expect(raised.size).toBe(QUALITY_FLAGS.length);
    expect(QUALITY_FILTERS).toEqual(['valid', 'invalid', ...QUALITY_FLAGS]);
  });
});

describe('checkOpinionQuality: length, vague answers and markers', () => {
  const flagsOf = (suggestion: string, extra: Partial<Parameters<typeof checkOpinionQuality>[0]> = {}) =>
    checkOpinionQuality({ suggestion, clauseStableId: null, ...extra }).flags;

  it('finds empty, one-character, emoji-only and punctuation-only answers vague', () => {
    for (const suggestion of ['', '好', 'a', '😀😀', '👍 同意！', '×÷', '\ud800', 'ok', 'don’t agree']) {
      expect(flagsOf(suggestion)).toEqual(['vague', 'too_short', 'no_reasons', 'not_specific']);
    }
  });

  it('tells stock answers from content in English and Chinese', () => {
    expect(flagsOf('I agree, looks good to me.')).toContain('vague');
    expect(flagsOf('Kelvin: I agree')).toContain('vague');
    expect(flagsOf('I agree with moving the bus stop closer to the school gate.')).not.toContain('vague');
    expect(flagsOf('同意，很好')).toContain('vague');
    expect(flagsOf('同意，建议把公交站移到校门口附近')).not.toContain('vague');
  });

  it('reads English markers written with a long s as the same words', () => {
    const plain = 'We support this rule because international students need practical training.';
    const longS = 'We ſupport this rule becauſe international students need practical training.';
    expect(checkOpinionQuality({ suggestion: longS })).toEqual(checkOpinionQuality({ suggestion: plain }));
    expect(flagsOf(longS)).toEqual(['not_specific']);
  });

  it('finds a measure and a reason far into a long English text', () => {
    const long = 'The program matters to many of us. '.repeat(40);
    expect(flagsOf(long)).toEqual(['no_reasons', 'not_specific']);
    expect(flagsOf(`${long}Because the wait is long, extend it.`)).toEqual([]);
  });

  it('reads § 5 and quotations that run from the suggestion into the quote', () => {
    expect(flagsOf('Please look at § 5 of the draft.')).not.toContain('not_specific');
    expect(flagsOf('please use “ab', { quote: 'cd” instead' })).not.toContain('not_specific');
    expect(flagsOf('please use “ab')).toContain('not_specific');
  });

  it('reads reasons and measures in mixed-script text', () => {
    expect(flagsOf('建议进一步完善。因为目前小区停车位严重不足，居民出行不便。')).toEqual(['not_specific']);
    expect(flagsOf('建议在第三条增加停车位')).toEqual(['no_reasons']);
    expect(flagsOf('The city should add bike lanes, 因为 traffic is bad.')).toEqual([
      'no_reasons',
      'not_specific',
    ]);
  });

  it('does not count symbols as reasons', () => {
    expect(flagsOf('×÷', { reasons: '×÷×÷' })).toContain('no_reasons');
  });
});

describe('checkOpinionQuality: Chinese markers', () => {
  const flagsOf = (suggestion: string) => checkOpinionQuality({ suggestion, clauseStableId: null }).flags;

  it('finds measure words and clause numbers at either end of the text', () => {
    expect(flagsOf('建议删除')).toEqual(['too_short', 'no_reasons']);
    expect(flagsOf('目录')).toEqual(['too_short', 'no_reasons']);
    expect(flagsOf('按第3条执行')).toEqual(['too_short', 'no_reasons']);
    expect(flagsOf('按第三款执行，理由如下')).toEqual(['no_reasons']);
    expect(flagsOf('第')).toContain('not_specific');
    expect(flagsOf('修')).toContain('not_specific');
  });

  it('reads the first reason marker, at the start, after another marker or between emoji', () => {
    expect(flagsOf('因为停车难，居民意见很大，希望解决')).toEqual(['not_specific']);
    expect(flagsOf('鉴于目前情况，建议暂缓')).toEqual(['not_specific']);
    expect(flagsOf('😀因为车位不足，居民出行很不方便😀')).toEqual(['not_specific']);
    expect(flagsOf('停车很难，因为')).toContain('no_reasons');
  });
});

describe('hasQuotation', () => {
  const PATTERN = /[“"「『][^”"」』]{2,}[”"」』]/u;

  it('finds what the quotation pattern finds, counting characters as it does', () => {
    expect(hasQuotation('建议将“达到15%”修改为“达到12%”')).toBe(true);
    expect(hasQuotation('“好”')).toBe(false);
    expect(hasQuotation('"ab"')).toBe(true);
    expect(hasQuotation('"a"bc"')).toBe(true);
    expect(hasQuotation('“😀”')).toBe(false);
    expect(hasQuotation('“😀😀”')).toBe(true);
    expect(hasQuotation('「ab」『cd』')).toBe(true);
    expect(hasQuotation('“ab')).toBe(false);
    // Strings of up to 7 characters from marks, letters, a pair and lone surrogates.
    const alphabet = ['“', '”', '"', '「', '」', '『', '』', 'a', '的', '😀', '\ud83d', '\ude00'];
    for (const text of randomStrings(alphabet, 20_000, 7)) {
      expect(hasQuotation(text), JSON.stringify(text)).toBe(PATTERN.test(text));
    }
  });

  it('reads a long run of opening marks without a closing one in one pass', () => {
    const run = '“'.repeat(200_000);
    expect(hasQuotation(run)).toBe(false);
    expect(hasQuotation(`${run}”`)).toBe(true);
    expect(checkOpinionQuality({ suggestion: '「a'.repeat(100_000) }).flags).toContain('not_specific');
  });
});

describe('mentionsNumber', () => {
  const PATTERN = /\d|[一二三四五六七八九十百千万亿]+(个|项|年|月|日|天|万|亿|元|倍|成|%|％|百分点)|百分之/u;

  it('finds digits, Chinese numerals with a unit and 百分之, as a pattern over the whole run of numerals', () => {
    expect(mentionsNumber('提高三个百分点')).toBe(true);
    expect(mentionsNumber('十亿元')).toBe(true);
    expect(mentionsNumber('百分之五')).toBe(true);
    expect(mentionsNumber('第2条')).toBe(true);
    expect(mentionsNumber('一一一')).toBe(false);
    expect(mentionsNumber('统一规划')).toBe(false);
    const alphabet = ['一', '十', '万', '亿', '个', '百', '分', '点', '之', '年', '%', '5', '的', 'a'];
    for (const text of randomStrings(alphabet, 20_000, 6)) {
      expect(mentionsNumber(text), text).toBe(PATTERN.test(text));
    }
  });

  it('reads a long run of numerals without a unit in one pass', () => {
    expect(mentionsNumber('一'.repeat(200_000))).toBe(false);
    expect(mentionsNumber(`${'一'.repeat(200_000)}年`)).toBe(true);
    // Numerals alone name no measure; with a unit they do.
    expect(checkOpinionQuality({ suggestion: '三'.repeat(100_000) }).flags).toContain('not_specific');
    expect(checkOpinionQuality({ suggestion: `${'三'.repeat(100_000)}年` }).flags).not.toContain(
      'not_specific',
    );
  });
});
