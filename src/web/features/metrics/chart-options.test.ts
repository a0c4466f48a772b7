import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TitleComponentOption } from 'echarts/components';
import { createInstance } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_COUNTS, computeRates } from '../../../domain/metrics.ts';
import type { MetricCounts } from '../../../domain/metrics.ts';
import * as messages from '../../i18n/areas/metrics.ts';
import type { Metrics, UnitMetrics } from './api.ts';
import type { ChartContext, ChartOption, Translate } from './chart-options.ts';
import {
  IMAGE_HEADER,
  adoptionByUnit,
  buildCharts,
  chinaDateOf,
  cycleTimes,
  datesBetween,
  dispositionsByCode,
  formatCompact,
  formatDay,
  formatDays,
  formatFullDate,
  formatPercent,
  headlines,
  imageFileName,
  objectionOutcomes,
  participationByLevel,
  participationByUnit,
  repliesOverTime,
  satisfaction,
  timelineDates,
  toPercent,
} from './chart-options.ts';

const i18n = createInstance();
let zh: ChartContext;
let en: ChartContext;

beforeAll(async () => {
  await i18n.init({
    resources: {
      'zh-CN': { translation: { metrics: messages.zhCN } },
      en: { translation: { metrics: messages.en } },
    },
    lng: 'zh-CN',
    interpolation: { escapeValue: false },
  });
  const t = (lng: string): Translate => i18n.getFixedT(lng);
  zh = {
    t: t('zh-CN'),
    locale: 'zh-CN',
    today: '2026-03-20',
    scopeLabel: '数字经济发展规划 · 第一轮征求意见',
  };
  en = { t: t('en'), locale: 'en', today: '2026-03-20', scopeLabel: 'Digital economy plan · Round 1' };
});

const noCodes = {
  adopted: 0,
  partially_adopted: 0,
  not_adopted: 0,
  already_reflected: 0,
  explained: 0,
  for_reference: 0,
  out_of_scope: 0,
};

function unit(
  name: string,
  level: UnitMetrics['level'],
  counts: Partial<MetricCounts>,
  byCode: Partial<typeof noCodes> = {},
): UnitMetrics {
  const c = { ...EMPTY_COUNTS, ...counts };
  return {
    unitId: `id-${name}`,
    name,
    code: name,
    level,
    ...c,
    ...computeRates(c),
    score: null,
    byCode: { ...noCodes, ...byCode },
  };
}

/**
 * The hand-built round of the metrics API test: 3 units invited; 交通厅 replied on time (3 opinions: adopted,
 * partially adopted, not adopted), 工信厅 late (1 opinion awaiting approval), 某县 silent.
 */
function sample(): Metrics {
  const units = [
    unit(
      '省交通运输厅',
      'province',
      {
        invited: 1,
        sent: 1,
        onTime: 1,
        opinions: 3,
        valid: 2,
        disposed: 3,
        adopted: 1,
        partiallyAdopted: 1,
        rated: 3,
        satisfied: 2,
        objected: 1,
      },
      { adopted: 1, partially_adopted: 1, not_adopted: 1 },
    ),
    unit('省工业和信息化厅', 'province', { invited: 1, sent: 1, opinions: 1, valid: 1 }),
    unit('某县人民政府', 'county', { invited: 1 }),
  ];
  const total = units.reduce<MetricCounts>((acc, u) => {
    const out = { ...acc };
    for (const k of Object.keys(EMPTY_COUNTS) as (keyof MetricCounts)[]) {
      out[k] += u[k];
    }
    return out;
  }, EMPTY_COUNTS);
  const province = { ...EMPTY_COUNTS, invited: 2, sent: 2, onTime: 1, opinions: 4 };
  const county = { ...EMPTY_COUNTS, invited: 1 };
  return {
    scope: { kind: 'round', id: 'r1', planId: 'p1' },
    counts: total,
    ...computeRates(total),
    solicitationDays: 10,
    integrationDays: 4.5,
    conflictResolutionDays: null,
    objections: { raised: 2, open: 0, reviewed: 2, upheld: 1, changed: 0, escalated: 0, dissent: 1 },
    rounds: [
      {
        roundId: 'r1',
        seq: 1,
        title: '第一轮征求意见',
        status: 'assessing',
        opensAt: '2026-02-28T16:00:00.000Z',
        deadline: '2026-03-11',
        closesAt: '2026-03-11T16:00:00.000Z',
        openedAt: '2026-03-01T00:00:00.000Z',
        closedAt: '2026-03-11T00:00:00.000Z',
        solicitationDays: 10,
        integrationDays: 4.5,
      },
    ],
    byUnit: units,
    byLevel: [
      { level: 'province', ...province, ...computeRates(province) },
      { level: 'county', ...county, ...computeRates(county) },
    ],
    timeline: [
      { date: '2026-03-05', onTime: 1, late: 0 },
      { date: '2026-03-13', onTime: 0, late: 1 },
    ],
    byCode: { ...noCodes, adopted: 1, partially_adopted: 1, not_adopted: 1 },
    ratings: { satisfied: 1, basicallySatisfied: 1, unsatisfied: 1, confirmed: 0, objected: 0 },
  };
}

const seriesOf = (option: ChartOption) => option.series as (BarSeriesOption & LineSeriesOption)[];
const axis = (value: unknown) => value as { data?: unknown[]; axisLabel?: { formatter?: unknown } };

describe('formatting in Chinese and English conventions', () => {
  it('formats rates, days, dates and large counts', () => {
    expect(formatPercent(2 / 3, 'zh-CN')).toBe('66.7%');
    expect(formatPercent(1, 'en')).toBe('100%');
    expect(formatPercent(null, 'zh-CN')).toBe('—');
    expect(toPercent(2 / 3)).toBe(66.7);
    expect(toPercent(null)).toBe('-');
    expect(formatDays(4.5, zh)).toBe('4.5 天');
    expect(formatDays(4.5, en)).toBe('4.5 d');
    expect(formatDays(null, zh)).toBe('—');
    expect(formatDay('2026-03-05', 'zh-CN')).toBe('3月5日');
    expect(formatDay('2026-03-05', 'en')).toBe('Mar 5');
    expect(formatFullDate('2026-03-05', 'zh-CN')).toBe('2026年3月5日');
    expect(formatFullDate('2026-03-05', 'en')).toBe('Mar 5, 2026');
    expect(formatCompact(12_345, 'zh-CN')).toBe('1.2万');
    expect(formatCompact(12_345, 'en')).toBe('12.3K');
  });

  it('reads China-local dates and spans date ranges', () => {
    expect(chinaDateOf('2026-03-01T15:59:00Z')).toBe('2026-03-01');
    expect(chinaDateOf('2026-03-01T16:00:00Z')).toBe('2026-03-02');
    expect(datesBetween('2026-02-27', '2026-03-02')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(datesBetween('2026-03-02', '2026-03-01')).toEqual([]);
    expect(datesBetween('2020-01-01', '2026-01-01')).toHaveLength(731);
  });

  it('names a downloaded image after the chart, without characters file systems refuse', () => {
    expect(imageFileName('回复进度与截止日')).toBe('回复进度与截止日.png');
    expect(imageFileName('a/b: c?')).toBe('a_b_ c_.png');
    expect(imageFileName('  ')).toBe('chart.png');
  });
});

describe('participation charts', () => {
  it('draws participation and on-time response per invited unit, in percent', () => {
    const c = participationByUnit(sample(), zh);
    expect(c.title).toBe('参与率与意见回收率（按单位）');
    expect(c.empty).toBeNull();
    expect(axis(c.option.yAxis).data).toEqual(['省交通运输厅', '省工业和信息化厅', '某县人民政府']);
    const [participation, onTime] = seriesOf(c.option);
    expect(participation).toMatchObject({ name: '参与率', data: [100, 100, 0] });
    expect(onTime).toMatchObject({ name: '意见回收率', data: [100, 0, 0] });
    expect(c.summary).toContain('总体参与率 66.7%，意见回收率 33.3%（邀请 3 家）');
    expect(c.summary).toContain('省工业和信息化厅 参与率 100%，意见回收率 0%');
  });

  it('draws participation per level with the level names', () => {
    const c = participationByLevel(sample(), en);
    expect(c.title).toBe('Participation and on-time response by level');
    expect(axis(c.option.xAxis).data).toEqual(['Province', 'County']);
    expect(seriesOf(c.option).map((s) => s.data)).toEqual([
      [100, 0],
      [50, 0],
    ]);
    expect(c.summary).toBe(
      'Participation and on-time response by level: Province: participation 100%, on time 50%; ' +
        'County: participation 0%, on time 0%.',
    );
  });

  it('shows the empty state when no unit is invited', () => {
    const m = { ...sample(), byUnit: [], byLevel: [] };
    expect(participationByUnit(m, zh).empty).toBe('尚未邀请单位');
    expect(participationByLevel(m, en).empty).toBe('No unit invited yet');
  });
});

describe('replies over time against the deadline', () => {
  it('spans the days from the opening to the later of the deadline and the last reply', () => {
    const dates = timelineDates(sample());
    expect(dates[0]).toBe('2026-03-01');
    expect(dates.at(-1)).toBe('2026-03-13');
    expect(dates).toHaveLength(13);
    expect(timelineDates({ rounds: [], timeline: [] })).toEqual([]);
  });

  it('stacks on-time and late replies per day, with a cumulative line and the deadline marked', () => {
    const c = repliesOverTime(sample(), zh);
    const x = axis(c.option.xAxis);
    expect(x.data).toHaveLength(13);
    expect((x.axisLabel?.formatter as (v: string) => string)('2026-03-11')).toBe('3月11日');
    const heading = (
      c.option.xAxis as { axisPointer: { label: { formatter: (p: { value: string }) => string } } }
    ).axisPointer.label.formatter;
    expect(heading({ value: '2026-03-11' })).toBe('2026年3月11日');
    const [onTime, late, cumulative] = seriesOf(c.option);
    expect(onTime!.name).toBe('按期回复');
    expect(onTime!.data![4]).toBe(1); // 3月5日
    expect((onTime!.data as number[]).reduce((a, b) => a + b, 0)).toBe(1);
    expect(late!.data![12]).toBe(1); // 3月13日
    expect(onTime!.stack).toBe(late!.stack);
    expect(cumulative).toMatchObject({ type: 'line', yAxisIndex: 1 });
    expect(cumulative!.data![3]).toBe(0);
    expect(cumulative!.data![4]).toBe(33.3);
    expect(cumulative!.data![12]).toBe(66.7);
    expect(onTime!.markLine?.data).toEqual([{ name: '截止日 3月11日', xAxis: '2026-03-11' }]);
    expect(c.summary).toBe(
      '回复进度与截止日：邀请 3 家，按期回复 1 家，逾期回复 1 家，未回复 1 家；截止日 3月11日；' +
        '3月5日 回复 1 家；3月13日 回复 1 家。',
    );
  });

  it('stops the cumulative line at today', () => {
    const c = repliesOverTime(sample(), { ...zh, today: '2026-03-06' });
    const cumulative = seriesOf(c.option)[2]!;
    expect(cumulative.data![5]).toBe(33.3); // 3月6日
    expect(cumulative.data![6]).toBe('-');
  });

  it('marks every deadline of a plan with several rounds', () => {
    const m = sample();
    m.rounds.push({
      ...m.rounds[0]!,
      roundId: 'r2',
      seq: 2,
      title: '第二轮',
      opensAt: '2026-04-01T00:00:00.000Z',
      openedAt: '2026-04-01T00:00:00.000Z',
      deadline: '2026-04-10',
    });
    const c = repliesOverTime(m, en);
    expect(seriesOf(c.option)[0]!.markLine?.data).toEqual([
      { name: 'Deadline Mar 11', xAxis: '2026-03-11' },
      { name: 'Deadline Apr 10', xAxis: '2026-04-10' },
    ]);
    expect(axis(c.option.xAxis).data).toHaveLength(41);
  });

  it('shows the empty state when no unit has replied', () => {
    const c = repliesOverTime({ ...sample(), timeline: [] }, zh);
    expect(c.empty).toBe('尚无单位回复');
  });
});

describe('dispositions', () => {
  it('stacks each unit by the codes in use, with the opinions awaiting approval', () => {
    const c = adoptionByUnit(sample(), zh);
    expect(axis(c.option.yAxis).data).toEqual(['省交通运输厅', '省工业和信息化厅']);
    expect(seriesOf(c.option).map((s) => [s.name, s.data])).toEqual([
      ['采纳', [1, 0]],
      ['部分采纳', [1, 0]],
      ['不采纳', [1, 0]],
      ['待审定', [0, 1]],
    ]);
    expect(c.summary).toContain('省交通运输厅 采纳 1 条，部分采纳 1 条，不采纳 1 条');
    expect(c.summary).toContain('省工业和信息化厅 待审定 1 条');
  });

  it('shows the codes as a ring with the adoption rate in the summary', () => {
    const c = dispositionsByCode(sample(), en);
    const ring = (c.option.series as PieSeriesOption[])[0]!;
    expect(ring.data).toEqual([
      { name: 'Adopted', value: 1, itemStyle: { color: '#52c41a' } },
      { name: 'Partially adopted', value: 1, itemStyle: { color: '#95de64' } },
      { name: 'Not adopted', value: 1, itemStyle: { color: '#ff4d4f' } },
      { name: 'Awaiting approval', value: 1, itemStyle: { color: '#bfbfbf' } },
    ]);
    expect(c.summary).toBe(
      'Dispositions by code: 3 approved, adoption rate 66.7%; Adopted 1, Partially adopted 1, Not adopted 1, ' +
        'Awaiting approval 1.',
    );
  });

  it('shows the empty states when nothing is disposed or submitted', () => {
    const m = sample();
    expect(dispositionsByCode({ ...m, counts: { ...m.counts, disposed: 0 } }, zh).empty).toBe(
      '尚无审定的处理意见',
    );
    expect(adoptionByUnit({ ...m, byUnit: m.byUnit.map((u) => ({ ...u, opinions: 0 })) }, zh).empty).toBe(
      '尚无已提交的意见',
    );
  });
});

describe('cycles, satisfaction and objections', () => {
  it("draws each round's solicitation and integration cycle in days", () => {
    const c = cycleTimes(sample(), zh);
    expect(axis(c.option.xAxis).data).toEqual(['第一轮征求意见']);
    expect(seriesOf(c.option).map((s) => [s.name, s.data])).toEqual([
      ['征求周期', [10]],
      ['整合周期', [4.5]],
    ]);
    expect(c.summary).toBe('征求周期与整合周期：第一轮征求意见 征求周期 10 天，整合周期 4.5 天。');
    const open = sample();
    open.rounds[0] = { ...open.rounds[0]!, solicitationDays: null, integrationDays: null };
    expect(cycleTimes(open, zh).empty).toBe('尚无已截止的轮次');
  });

  it('shows the ratings as a ring and the satisfaction rate', () => {
    const c = satisfaction(sample(), zh);
    const ring = (c.option.series as PieSeriesOption[])[0]!;
    expect((ring.data as { name: string; value: number }[]).map((d) => [d.name, d.value])).toEqual([
      ['满意', 1],
      ['基本满意', 1],
      ['不满意', 1],
    ]);
    expect(c.summary).toBe('反馈满意度：满意 1 条，基本满意 1 条，不满意 1 条；满意度 66.7%。');
    const none = {
      ...sample(),
      ratings: { ...sample().ratings, satisfied: 0, basicallySatisfied: 0, unsatisfied: 0 },
    };
    expect(satisfaction(none, en).empty).toBe('No rating yet');
  });

  it('counts the objections by the outcome of their review', () => {
    const c = objectionOutcomes(sample(), zh);
    expect(axis(c.option.yAxis).data).toEqual([
      '提出异议',
      '待复核',
      '维持原处理',
      '改变处理',
      '提请上级',
      '仍有分歧',
    ]);
    expect((seriesOf(c.option)[0]!.data as { value: number }[]).map((d) => d.value)).toEqual([
      2, 0, 1, 0, 0, 1,
    ]);
    expect(c.summary).toBe(
      '异议复核情况：提出异议 2 件：待复核 0 件，维持原处理 1 件，改变处理 0 件，提请上级 0 件，仍有分歧 1 件。',
    );
    expect(
      objectionOutcomes({ ...sample(), objections: { ...sample().objections, raised: 0 } }, zh).empty,
    ).toBe('尚无异议');
  });
});

describe('the dashboard as a whole', () => {
  it('builds every chart, titled in the language chosen', () => {
    expect(buildCharts(sample(), zh).map((c) => c.title)).toEqual([
      '参与率与意见回收率（按单位）',
      '参与率与意见回收率（按层级）',
      '回复进度与截止日',
      '处理结果（按单位）',
      '处理结果构成（按处理类型）',
      '征求周期与整合周期',
      '反馈满意度',
      '异议复核情况',
    ]);
    expect(buildCharts(sample(), en).map((c) => c.title)).toContain('Replies over time against the deadline');
  });

  it('gives the downloaded image a title, the scope and room for them', () => {
    const c = repliesOverTime(sample(), zh);
    const title = c.imageOption.title as TitleComponentOption;
    expect(title).toMatchObject({ text: '回复进度与截止日', subtext: '数字经济发展规划 · 第一轮征求意见' });
    expect(c.imageOption.animation).toBe(false);
    expect((c.imageOption.grid as GridComponentOption).top).toBe(
      ((c.option.grid as GridComponentOption).top as number) + IMAGE_HEADER,
    );
    expect(c.imageHeight).toBe(c.height + IMAGE_HEADER);
    expect(c.option.title).toBeUndefined();
    const ring = dispositionsByCode(sample(), zh);
    expect((ring.imageOption.series as PieSeriesOption[])[0]!.top).toBe(32 + IMAGE_HEADER);
  });

  it('gives the headline figures with what they are a share of', () => {
    const zhFigures = Object.fromEntries(headlines(sample(), zh).map((h) => [h.key, [h.value, h.hint]]));
    expect(zhFigures.participationRate).toEqual(['66.7%', '2/3 家单位回复']);
    expect(zhFigures.onTimeRate).toEqual(['33.3%', '1/3 家单位按期回复']);
    expect(zhFigures.validOpinionRatio).toEqual(['75%', '3/4 条通过质量检查']);
    expect(zhFigures.adoptionRate).toEqual(['66.7%', '2/3 条采纳或部分采纳']);
    expect(zhFigures.solicitationDays![0]).toBe('10 天');
    expect(zhFigures.integrationDays![0]).toBe('4.5 天');
    const enFigures = Object.fromEntries(headlines(sample(), en).map((h) => [h.key, h.title]));
    expect(enFigures.onTimeRate).toBe('On-time response');
  });
});
