import { describe, expect, it } from 'vitest';
import type { Figure } from './figures.ts';
import { extractFigures, figuresConflict, sameTarget } from './figures.ts';

const only = (text: string): Figure => {
  const figures = extractFigures(text);
  expect(figures).toHaveLength(1);
  return figures[0]!;
};

const pick = (f: Figure): Partial<Figure> => ({
  text: f.text,
  target: f.target,
  value: f.value,
  unit: f.unit,
  direction: f.direction,
  year: f.year,
});

describe('extractFigures: the issue examples', () => {
  it('reads 提升20% with its target', () => {
    expect(pick(only('研发经费投入强度提升20%'))).toEqual({
      text: '提升20%',
      target: '研发经费投入强度',
      value: 20,
      unit: '%',
      direction: 'increase',
      year: null,
    });
  });

  it('reads 不低于15% as a lower bound', () => {
    expect(pick(only('森林覆盖率不低于15%。'))).toEqual({
      text: '不低于15%',
      target: '森林覆盖率',
      value: 15,
      unit: '%',
      direction: 'at_least',
      year: null,
    });
  });

  it('reads 2027年达到100亿元: the year is not a figure but the year of the figure', () => {
    const figure = only('数字经济核心产业规模2027年达到100亿元');
    expect(pick(figure)).toEqual({
      text: '达到100亿元',
      target: '数字经济核心产业规模',
      value: 1e10,
      unit: '元',
      direction: 'reach',
      year: 2027,
    });
  });
});

describe('extractFigures: Chinese', () => {
  it('gives offsets into the input, full-width characters included', () => {
    const text = '建议将ＰＭ２.５浓度降至３５微克，绿化率提高到３０％。';
    for (const figure of extractFigures(text)) {
      expect(text.slice(figure.start, figure.end)).toBe(figure.text);
    }
    const green = extractFigures(text).find((f) => f.unit === '%');
    expect(green).toMatchObject({ value: 30, direction: 'reach', target: '绿化率', text: '提高到３０％' });
  });

  it('applies 万 and 亿 multipliers to Arabic and Chinese numerals', () => {
    expect(only('新增绿地面积1.5万平方米')).toMatchObject({
      value: 15000,
      unit: '平方米',
      target: '新增绿地面积',
    });
    expect(only('年产值达到三百五十亿元')).toMatchObject({ value: 3.5e10, unit: '元', direction: 'reach' });
    expect(only('常住人口控制在1200万人以内')).toMatchObject({
      value: 1.2e7,
      unit: '人',
      direction: 'at_most',
    });
  });

  it('reads 百分之X, 千分之X, 成 and 百分点', () => {
    expect(only('百分之五十的资金用于基层')).toMatchObject({ value: 50, unit: '%', target: '资金' });
    expect(only('失业率不超过千分之三')).toMatchObject({ value: 3, unit: '‰', direction: 'at_most' });
    expect(only('农村居民收入提高两成')).toMatchObject({ value: 20, unit: '%', direction: 'increase' });
    expect(only('城镇化率年均提高1个百分点')).toMatchObject({
      value: 1,
      unit: '百分点',
      direction: 'increase',
      target: '城镇化率',
    });
  });

  it('reads a change 由X提高到Y as two figures about the same target', () => {
    const [from, to] = extractFigures('建议将研发投入强度由15%提高到20%。');
    expect(from).toMatchObject({ value: 15, direction: null, target: '研发投入强度' });
    expect(to).toMatchObject({ value: 20, direction: 'reach', target: '研发投入强度', text: '提高到20%' });
  });

  it('reads a range as one figure with its lower bound and an upper bound', () => {
    expect(only('公共交通分担率提高10%-15%')).toMatchObject({
      text: '提高10%-15%',
      value: 10,
      upper: 15,
      unit: '%',
      direction: 'increase',
    });
    expect(only('每年新建10至15个口袋公园')).toMatchObject({
      value: 10,
      upper: 15,
      unit: '个',
      target: '口袋公园',
    });
  });

  it('finds what a counter counts after it', () => {
    expect(only('2027年前建成3个省级算力枢纽')).toMatchObject({
      value: 3,
      unit: '个',
      target: '省级算力枢纽',
      year: 2027,
    });
  });

  it('takes the year of the sentence, before or after the figure', () => {
    const text = '到2030年，全省数字经济核心产业增加值占地区生产总值比重达到12%。2025年为9.8%。';
    const [target, now] = extractFigures(text);
    expect(target).toMatchObject({ value: 12, year: 2030, direction: 'reach' });
    expect(target!.target).toContain('数字经济核心产业增加值');
    expect(now).toMatchObject({ value: 9.8, year: 2025, direction: 'equal' });
  });

  it('treats a year set by a verb as a figure in 年', () => {
    expect(only('完成时间由2027年提前至2025年')).toMatchObject({
      value: 2025,
      unit: '年',
      target: '完成时间',
      year: null,
    });
  });

  it('does not read years, dates, clause numbers, durations without a direction or set phrases', () => {
    for (const text of [
      '2025年',
      '二〇三五年远景目标',
      '第十条',
      '第三章第二节',
      '2025年3月1日起施行',
      '十四五期间推进统一大市场建设',
      '一个平台，一批项目，一带一路，三区三线',
      '编制五年规划',
      '之一',
    ]) {
      expect(extractFigures(text), text).toEqual([]);
    }
  });

  it('reads durations with a direction', () => {
    expect(only('审批时限缩短至5个工作日以内')).toMatchObject({ value: 5, unit: '天', direction: 'at_most' });
    expect(only('保障期限延长到3年')).toMatchObject({ value: 3, unit: '年', direction: 'reach' });
  });

  it('reads a bare ratio only with a direction', () => {
    expect(only('容积率为2.5')).toMatchObject({ value: 2.5, unit: '', direction: 'equal', target: '容积率' });
    expect(extractFigures('详见附件2')).toEqual([]);
  });
});

describe('extractFigures: English', () => {
  it('reads increase by, at least, no more than', () => {
    expect(only('Increase the budget by 20%.')).toMatchObject({
      value: 20,
      unit: '%',
      direction: 'increase',
      target: 'budget',
    });
    expect(only('Affordable units must be at least 15 percent of the project.')).toMatchObject({
      text: 'at least 15 percent',
      value: 15,
      unit: '%',
      direction: 'at_least',
      target: 'affordable units',
    });
    expect(only('Allow no more than 3 storeys.')).toMatchObject({ value: 3, unit: '', direction: 'at_most' });
  });

  it('reads money, multipliers and the year after "by"', () => {
    expect(only('The fund should reach $10 billion by 2027.')).toMatchObject({
      text: 'reach $10 billion',
      value: 1e10,
      unit: '$',
      direction: 'reach',
      year: 2027,
      target: 'fund',
    });
    expect(only('The program serves 1.5 million students.')).toMatchObject({ value: 1.5e6, unit: '人' });
  });

  it('finds the verb a few words back and the target between', () => {
    expect(only('We urge you to increase the renewable share to 30% by 2030.')).toMatchObject({
      value: 30,
      direction: 'reach',
      target: 'renewable share',
      year: 2030,
    });
    expect(only('Reduce emissions by twenty percent.')).toMatchObject({
      value: 20,
      unit: '%',
      direction: 'decrease',
      target: 'emissions',
    });
  });

  it('skips codes, section numbers and plain counts', () => {
    expect(extractFigures('See Section 3 and COVID-19 rules for 5G networks; there are 3 issues.')).toEqual(
      [],
    );
    expect(extractFigures('In 2016 the rule changed.')).toEqual([]);
  });
});

describe('extractFigures: edge cases', () => {
  it('handles empty, one-character, emoji and mixed-script text', () => {
    expect(extractFigures('')).toEqual([]);
    expect(extractFigures('5')).toEqual([]);
    expect(extractFigures('十')).toEqual([]);
    expect(extractFigures('👍')).toEqual([]);
    const mixed = only('👍 GDP年均增长6%以上 🚀');
    // 以上 bounds a level; growth stays growth.
    expect(mixed).toMatchObject({ value: 6, unit: '%', direction: 'increase', target: 'gdp' });
    expect(only('制造业比重保持在30%以上')).toMatchObject({ direction: 'at_least', target: '制造业比重' });
    expect(mixed.text).toBe('增长6%以上');
  });

  it('runs over a 100 KB text and keeps every offset exact', () => {
    const unit = '森林覆盖率不低于15%，研发投入强度提升20%，2027年达到100亿元。Increase the budget by 20%. ';
    const text = unit.repeat(Math.ceil(100_000 / unit.length));
    const figures = extractFigures(text);
    expect(figures.length).toBe(4 * Math.ceil(100_000 / unit.length));
    for (const figure of figures.slice(0, 50)) {
      expect(text.slice(figure.start, figure.end)).toBe(figure.text);
    }
  });

  it('finds nothing in a long text without any number', () => {
    const text = '建议加强生态保护，完善体制机制。Please protect the wetlands.'.repeat(2000);
    expect(extractFigures(text)).toEqual([]);
  });
});

describe('sameTarget and figuresConflict', () => {
  const figure = (text: string): Figure => only(text);

  it('matches targets that contain one another, with the same unit', () => {
    const a = figure('研发经费投入强度达到3%');
    const b = figure('全省研发经费投入强度不低于2.8%');
    const c = figure('研发经费投入强度达到300亿元');
    expect(sameTarget(a, b)).toBe(true);
    expect(sameTarget(a, c)).toBe(false); // % against 元
    expect(sameTarget(a, figure('森林覆盖率达到3%'))).toBe(false);
    expect(sameTarget(figure('提升20%'), figure('提升20%'))).toBe(false); // no target: unknown
  });

  it('finds disagreement in value, direction or year', () => {
    const base = figure('研发经费投入强度2027年达到3%');
    expect(figuresConflict(base, figure('研发经费投入强度2027年达到3%'))).toBe(false);
    expect(figuresConflict(base, figure('研发经费投入强度2027年达到2.8%'))).toBe(true);
    expect(figuresConflict(base, figure('研发经费投入强度2030年达到3%'))).toBe(true);
    expect(figuresConflict(base, figure('研发经费投入强度为3%'))).toBe(false); // 为 and 达到 both set a level
    expect(figuresConflict(figure('研发经费投入强度提升3%'), figure('研发经费投入强度降低3%'))).toBe(true);
    expect(figuresConflict(base, figure('森林覆盖率达到2.8%'))).toBe(false);
  });

  it('compares ranges by both bounds', () => {
    expect(figuresConflict(figure('分担率提高10%-15%'), figure('分担率提高10%-20%'))).toBe(true);
    expect(figuresConflict(figure('分担率提高10%-15%'), figure('分担率提高10%～15%'))).toBe(false);
  });
});

describe('extractFigures: changes from one value to another', () => {
  it('reads "from X to Y" as a change, not a range', () => {
    const figures = extractFigures('Extend the STEM OPT period from 12 to 24 months.');
    expect(figures).toHaveLength(1);
    expect(figures[0]).toMatchObject({ text: 'to 24 months', value: 24, unit: '月', direction: 'reach' });
    expect(figures[0]!.upper).toBeUndefined();
    const chinese = extractFigures('期限从3年到5年');
    expect(chinese.every((f) => f.upper === undefined)).toBe(true);
  });
});

describe('extractFigures: planning targets as drafts write them', () => {
  it('reads a change between two years', () => {
    const [from, to] = extractFigures('常住人口城镇化率由2020年的63.9%提高到2025年的68%左右。');
    expect(from).toMatchObject({ value: 63.9, year: 2020, target: '常住人口城镇化率', direction: null });
    expect(to).toMatchObject({ value: 68, year: 2025, target: '常住人口城镇化率', direction: 'reach' });
  });

  it('carries the target over a replacement verb', () => {
    const [before, after] = extractFigures('建议将单位国内生产总值能耗降低13.5%调整为降低14%。');
    expect(before).toMatchObject({ value: 13.5, direction: 'decrease', target: '单位国内生产总值能耗' });
    expect(after).toMatchObject({ value: 14, direction: 'decrease', target: '单位国内生产总值能耗' });
    expect(figuresConflict(before!, after!)).toBe(true);
  });

  it('reads compound units and quoted clause text', () => {
    expect(only('PM2.5年均浓度控制在35微克/立方米以下')).toMatchObject({
      value: 35,
      unit: 'μg/m³',
      direction: 'at_most',
      target: 'pm25年均浓度',
    });
    const [draft, proposal] = extractFigures(
      '第二十三条“到2025年，全市新能源汽车保有量达到50万辆”，建议修改为“到2025年，全市新能源汽车保有量达到40万辆”。',
    );
    expect(draft).toMatchObject({ value: 5e5, unit: '辆', year: 2025, target: '新能源汽车保有量' });
    expect(proposal).toMatchObject({ value: 4e5, unit: '辆', year: 2025, target: '新能源汽车保有量' });
    expect(figuresConflict(draft!, proposal!)).toBe(true);
  });
});

describe('extractFigures: how numbers are found', () => {
  const english = [
    'at least twenty percent of students',
    'TWENTY percent of students',
    'twenty-five percent more',
    'increase the renewable energy share to 30%',
    'extend the period from 12 months to 24 months',
    'a $5m fund',
    'Section 3 requires 5 days',
    'up to 〇% of the fund',
    'in 2020 x_ten percent of them',
    'raise it 5ten percent',
    'Kten percent and 5 percent',
    `${'no number here, just words. '.repeat(200)}cut the cap to 30 percent by 2030`,
  ];

  it('finds the same figures in English whether or not the text holds Chinese', () => {
    // A Chinese character, in a sentence of its own at the end, makes the scan read code unit by code unit.
    for (const text of english) {
      expect(extractFigures(`${text}\n的`)).toEqual(extractFigures(text));
    }
  });

  it('reads number words in any case, and a word right after a digit or an underscore', () => {
    expect(pick(only('TWENTY percent of students'))).toMatchObject({ text: 'TWENTY percent', value: 20 });
    expect(only('raise it 5ten percent')).toMatchObject({ text: 'ten percent', start: 10, value: 10 });
    expect(only('in 2020 x_ten percent of them')).toMatchObject({ value: 10, unit: '%', year: 2020 });
  });

  it('reads a number word only in a text with a digit, a numeral or a number word standing alone', () => {
    expect(extractFigures('x_ten percent')).toEqual([]);
    expect(extractFigures('nine_ten percent')).toEqual([]);
  });

  it('reads 〇 and ○ in a text without Chinese characters', () => {
    expect(only('up to 〇% of the fund')).toMatchObject({
      text: 'up to 〇%',
      value: 0,
      direction: 'at_most',
    });
  });

  it('passes over Chinese numerals that are parts of words, and reads those with a unit', () => {
    expect(pick(only('进一步统一标准，建设三个省级平台'))).toMatchObject({
      text: '三个',
      target: '省级平台',
      value: 3,
      unit: '个',
    });
    expect(only('覆盖率提高到百分之五十')).toMatchObject({ value: 50, unit: '%', direction: 'reach' });
    expect(only('产值增长三点五倍')).toMatchObject({ value: 3.5, unit: '倍', direction: 'increase' });
    expect(extractFigures('〇 一二三')).toEqual([]);
  });

  it('reads figures between emoji and across scripts', () => {
    expect(only('👍提高到20%👍')).toMatchObject({ text: '提高到20%', start: 2, value: 20 });
    const figures = extractFigures('The plan: 到2030年达到15%, at least 20 percent of workers.');
    expect(figures.map((f) => [f.text, f.value, f.year])).toEqual([
      ['达到15%', 15, 2030],
      ['at least 20 percent', 20, 2030],
    ]);
  });

  it('reads the target of an English figure with and without characters outside ASCII', () => {
    expect(only('increase the renewable energy share to 30%').target).toBe('renewable energy share');
    expect(only('increase the café capacity to 30%').target).toBe('café capacity');
    expect(only('Increase   the Budget-Share/Total to 30%').target).toBe('budget share');
    expect(only('Raise the  STEM-OPT   period_limit to 24 months').target).toBe('stem opt period');
  });
});
