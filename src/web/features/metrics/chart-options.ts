/**
 * The metrics dashboard's charts as data: for each chart its ECharts option, a text summary with the same
 * figures (the chart's accessible name), an empty-state message when there is nothing to draw, and the
 * option of the downloadable image (with a title). Pure: no ECharts at run time, only its option types.
 */
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type {
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { DISPOSITION_CODES } from '../../../domain/disposition-rules.ts';
import type { DispositionCode, Metrics, RoundCycle, UnitMetrics } from './api.ts';

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TitleComponentOption
  | TooltipComponentOption
>;

export type Locale = 'zh-CN' | 'en';

/** i18next's `t`, narrowed to what the charts use. */
export type Translate = (key: string, values?: Record<string, string | number>) => string;

export interface ChartContext {
  t: Translate;
  locale: Locale;
  /** Today's China-local date: the cumulative line stops here. */
  today: string;
  /** What the figures cover (plan, round), printed under the title of a downloaded image. */
  scopeLabel: string;
}

export type ChartKey =
  | 'participationByUnit'
  | 'participationByLevel'
  | 'timeline'
  | 'adoptionByUnit'
  | 'byCode'
  | 'cycles'
  | 'satisfaction'
  | 'objections';

export interface ChartSpec {
  key: ChartKey;
  title: string;
  /** The accessible name: the chart's figures in words. */
  summary: string;
  /** Why there is no chart (the empty state), or null. */
  empty: string | null;
  height: number;
  option: ChartOption;
  /** The downloaded image: the same chart with its title and scope, without animation. */
  imageOption: ChartOption;
  imageHeight: number;
}

export const COLORS = {
  participation: '#1677ff',
  onTime: '#52c41a',
  late: '#fa8c16',
  cumulative: '#722ed1',
  deadline: '#f5222d',
  pending: '#bfbfbf',
  solicitation: '#1677ff',
  integration: '#13c2c2',
} as const;

export const CODE_COLORS: Record<DispositionCode, string> = {
  adopted: '#52c41a',
  partially_adopted: '#95de64',
  not_adopted: '#ff4d4f',
  already_reflected: '#1677ff',
  explained: '#13c2c2',
  for_reference: '#faad14',
  out_of_scope: '#8c8c8c',
};

export const RATING_KEYS = ['satisfied', 'basicallySatisfied', 'unsatisfied'] as const;
export const RATING_COLORS: Record<(typeof RATING_KEYS)[number], string> = {
  satisfied: '#52c41a',
  basicallySatisfied: '#95de64',
  unsatisfied: '#ff4d4f',
};

export const OUTCOME_KEYS = ['raised', 'open', 'upheld', 'changed', 'escalated', 'dissent'] as const;
export const OUTCOME_COLORS: Record<(typeof OUTCOME_KEYS)[number], string> = {
  raised: '#1677ff',
  open: '#faad14',
  upheld: '#8c8c8c',
  changed: '#52c41a',
  escalated: '#722ed1',
  dissent: '#ff4d4f',
};

/** Room above the plot for the title of a downloaded image. */
export const IMAGE_HEADER = 56;
const LIST_LIMIT = 12;
const MAX_DAYS = 731;
const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

// ---- formatting (zh-CN and English conventions) ------------------------------------------------------

export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

/** Axis ticks: 1.2万 in Chinese, 12K in English. */
export function formatCompact(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/** A rate in 0..1 as a percentage with at most one decimal ("66.7%"); "—" when undefined. */
export function formatPercent(rate: number | null, locale: Locale): string {
  return rate === null
    ? '—'
    : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

/** A rate in 0..1 as a chart value in percent (one decimal); '-' is ECharts' "no value". */
export function toPercent(rate: number | null): number | '-' {
  return rate === null ? '-' : Math.round(rate * 1000) / 10;
}

export function formatDays(days: number | null, ctx: Pick<ChartContext, 't' | 'locale'>): string {
  return days === null
    ? ctx.t('metrics.none')
    : ctx.t('metrics.days', { value: formatNumber(days, ctx.locale) });
}

/** A calendar date (YYYY-MM-DD) as an axis label: 3月5日, Mar 5. */
export function formatDay(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    month: locale === 'en' ? 'short' : 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
}

/** A calendar date in full: 2026年3月5日, Mar 5, 2026. */
export function formatFullDate(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

/** The China-local date (UTC+8) of an instant. */
export function chinaDateOf(instant: string | Date): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Every calendar date from `from` to `to`, both included (at most MAX_DAYS, the last ones). */
export function datesBetween(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) {
    return [];
  }
  const first = Math.max(start, end - (MAX_DAYS - 1) * DAY_MS);
  const out: string[] = [];
  for (let ms = first; ms <= end; ms += DAY_MS) {
    out.push(new Date(ms).toISOString().slice(0, 10));
  }
  return out;
}

/** A file name from a chart title: characters that file systems refuse become "_". */
export function imageFileName(title: string): string {
  const safe = title
    .replace(/[\\/:*?"<>|\r\n\t]+/g, '_')
    .replace(/\s+/g, ' ')
    .trim();
  return `${safe || 'chart'}.png`;
}

/** Up to LIST_LIMIT items joined, then "and N more units". */
function listOf(items: string[], ctx: ChartContext): string {
  const shown = items.slice(0, LIST_LIMIT);
  const rest = items.length - shown.length;
  return [...shown, ...(rest > 0 ? [ctx.t('metrics.summary.more', { count: rest })] : [])].join(
    ctx.t('metrics.sep'),
  );
}

function sentence(title: string, parts: string[], ctx: ChartContext): string {
  return `${title}${ctx.t('metrics.colon')}${parts.filter(Boolean).join(ctx.t('metrics.sep'))}${ctx.t('metrics.stop')}`;
}

// ---- layout -----------------------------------------------------------------------------------------

const percentTooltip = (value: unknown): string => (typeof value === 'number' ? `${value}%` : '—');

function grid(offset: number, extra: GridComponentOption = {}): GridComponentOption {
  return { left: 8, right: 24, bottom: 8, top: 40 + offset, containLabel: true, ...extra };
}

function legend(offset: number): LegendComponentOption {
  return { top: offset, type: 'plain' };
}

/** The downloaded image's option: the title and scope on top, no animation. */
function withTitle(option: ChartOption, title: string, ctx: ChartContext): ChartOption {
  return {
    ...option,
    animation: false,
    title: {
      text: title,
      subtext: ctx.scopeLabel,
      left: 'center',
      top: 4,
      textStyle: { fontSize: 16 },
      subtextStyle: { fontSize: 12 },
    },
  };
}

function spec(
  key: ChartKey,
  ctx: ChartContext,
  parts: {
    summary: string;
    empty: string | null;
    height: number;
    build: (offset: number) => ChartOption;
  },
): ChartSpec {
  const title = ctx.t(`metrics.charts.${key}`);
  return {
    key,
    title,
    summary: parts.summary,
    empty: parts.empty,
    height: parts.height,
    option: parts.build(0),
    imageOption: withTitle(parts.build(IMAGE_HEADER), title, ctx),
    imageHeight: parts.height + IMAGE_HEADER,
  };
}

/** Units down the side, first at the top; long names are cut (the tooltip shows them whole). */
function unitAxis(units: UnitMetrics[]) {
  return {
    type: 'category' as const,
    inverse: true,
    data: units.map((u) => u.name),
    axisLabel: { width: 132, overflow: 'truncate' as const },
  };
}

/** A ring: the label breaks its line so that it fits a narrow card. */
function ring(locale: Locale, offset: number): PieSeriesOption {
  return {
    type: 'pie',
    top: 32 + offset,
    radius: ['36%', '60%'],
    label: { formatter: locale === 'en' ? '{b}\n{c} ({d}%)' : '{b}\n{c}（{d}%）' },
  };
}

/** One bar per unit: about 32 pixels each, and room for the legend and axis. */
const unitChartHeight = (units: number): number => Math.max(240, 96 + units * 32);

// ---- the charts -------------------------------------------------------------------------------------

/** Participation and on-time response per invited unit (horizontal bars, in percent). */
export function participationByUnit(m: Metrics, ctx: ChartContext): ChartSpec {
  const { t, locale } = ctx;
  const units = m.byUnit.filter((u) => u.invited > 0);
  const title = t('metrics.charts.participationByUnit');
  return spec('participationByUnit', ctx, {
    empty: units.length === 0 ? t('metrics.empty.units') : null,
    height: unitChartHeight(units.length),
    summary: sentence(
      title,
      [
        t('metrics.summary.participationTotal', {
          participation: formatPercent(m.participationRate, locale),
          onTime: formatPercent(m.onTimeRate, locale),
          invited: m.counts.invited,
        }),
        listOf(
          units.map((u) =>
            t('metrics.summary.participationUnit', {
              name: u.name,
              participation: formatPercent(u.participationRate, locale),
              onTime: formatPercent(u.onTimeRate, locale),
            }),
          ),
          ctx,
        ),
      ],
      ctx,
    ),
    build: (offset) => ({
      color: [COLORS.participation, COLORS.onTime],
      grid: grid(offset),
      legend: legend(offset),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: percentTooltip },
      xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: unitAxis(units),
      series: [
        {
          type: 'bar',
          name: t('metrics.series.participation'),
          data: units.map((u) => toPercent(u.participationRate)),
        },
        { type: 'bar', name: t('metrics.series.onTime'), data: units.map((u) => toPercent(u.onTimeRate)) },
      ],
    }),
  });
}

/** Participation and on-time response per level (province, city, county). */
export function participationByLevel(m: Metrics, ctx: ChartContext): ChartSpec {
  const { t, locale } = ctx;
  const levels = m.byLevel.filter((l) => l.invited > 0);
  const title = t('metrics.charts.participationByLevel');
  return spec('participationByLevel', ctx, {
    empty: levels.length === 0 ? t('metrics.empty.units') : null,
    height: 300,
    summary: sentence(
      title,
      levels.map((l) =>
        t('metrics.summary.participationUnit', {
          name: t(`metrics.levels.${l.level}`),
          participation: formatPercent(l.participationRate, locale),
          onTime: formatPercent(l.onTimeRate, locale),
        }),
      ),
      ctx,
    ),
    build: (offset) => ({
      color: [COLORS.participation, COLORS.onTime],
      grid: grid(offset),
      legend: legend(offset),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: percentTooltip },
      xAxis: { type: 'category', data: levels.map((l) => t(`metrics.levels.${l.level}`)) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          type: 'bar',
          name: t('metrics.series.participation'),
          barMaxWidth: 48,
          label: { show: true, position: 'top', formatter: '{c}%' },
          data: levels.map((l) => toPercent(l.participationRate)),
        },
        {
          type: 'bar',
          name: t('metrics.series.onTime'),
          barMaxWidth: 48,
          label: { show: true, position: 'top', formatter: '{c}%' },
          data: levels.map((l) => toPercent(l.onTimeRate)),
        },
      ],
    }),
  });
}

/** The dates the replies chart spans: from the earliest opening to the latest deadline or reply. */
export function timelineDates(m: Pick<Metrics, 'rounds' | 'timeline'>): string[] {
  const starts = [
    ...m.rounds.map((r) => chinaDateOf(r.openedAt ?? r.opensAt)),
    ...m.timeline.map((d) => d.date),
  ].sort();
  const ends = [...m.rounds.map((r) => r.deadline), ...m.timeline.map((d) => d.date)].sort();
  const from = starts[0];
  const to = ends[ends.length - 1];
  return from && to ? datesBetween(from, to) : [];
}

const uniqueDeadlines = (rounds: RoundCycle[]): string[] =>
  [...new Set(rounds.map((r) => r.deadline))].sort();

/**
 * Units' first replies per day (on time and late, stacked), the cumulative share of invited units that
 * replied, and a line at each round's deadline.
 */
export function repliesOverTime(m: Metrics, ctx: ChartContext): ChartSpec {
  const { t, locale } = ctx;
  const dates = timelineDates(m);
  const byDate = new Map(m.timeline.map((d) => [d.date, d]));
  const invited = m.counts.invited;
  let running = 0;
  const cumulative = dates.map((date) => {
    running += (byDate.get(date)?.onTime ?? 0) + (byDate.get(date)?.late ?? 0);
    return date > ctx.today || invited === 0 ? ('-' as const) : toPercent(running / invited);
  });
  const onTime = m.timeline.reduce((n, d) => n + d.onTime, 0);
  const late = m.timeline.reduce((n, d) => n + d.late, 0);
  const deadlines = uniqueDeadlines(m.rounds);
  const deadlineLabel = (date: string): string => t('metrics.deadline', { date: formatDay(date, locale) });
  const title = t('metrics.charts.timeline');
  const markLine: MarkLineComponentOption = {
    symbol: ['none', 'none'],
    silent: true,
    lineStyle: { color: COLORS.deadline, type: 'dashed', width: 2 },
    label: { formatter: '{b}', position: 'end', color: COLORS.deadline },
    data: deadlines.map((date) => ({ name: deadlineLabel(date), xAxis: date })),
  };
  return spec('timeline', ctx, {
    empty: m.timeline.length === 0 ? t('metrics.empty.timeline') : null,
    height: 320,
    summary: sentence(
      title,
      [
        t('metrics.summary.timelineTotal', {
          invited,
          onTime,
          late,
          silent: Math.max(0, invited - onTime - late),
          deadlines: deadlines.map(deadlineLabel).join(t('metrics.listSep')),
        }),
        listOf(
          m.timeline.map((d) =>
            t('metrics.summary.timelineDay', { date: formatDay(d.date, locale), count: d.onTime + d.late }),
          ),
          ctx,
        ),
      ],
      ctx,
    ),
    build: (offset) => ({
      color: [COLORS.onTime, COLORS.late, COLORS.cumulative],
      grid: grid(offset, { top: 56 + offset, right: 16 }),
      legend: legend(offset),
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: dates,
        axisLabel: { formatter: (value: string) => formatDay(value, locale) },
        // The tooltip's heading: the full date.
        axisPointer: { label: { formatter: ({ value }) => formatFullDate(String(value), locale) } },
      },
      yAxis: [
        {
          type: 'value',
          name: t('metrics.axis.replies'),
          nameTextStyle: { align: 'left' },
          minInterval: 1,
          axisLabel: { formatter: (value: number) => formatCompact(value, locale) },
        },
        {
          type: 'value',
          name: t('metrics.axis.cumulative'),
          nameTextStyle: { align: 'right' },
          min: 0,
          max: 100,
          splitLine: { show: false },
          axisLabel: { formatter: '{value}%' },
        },
      ],
      series: [
        {
          type: 'bar',
          name: t('metrics.series.onTimeReplies'),
          stack: 'replies',
          barMaxWidth: 24,
          data: dates.map((date) => byDate.get(date)?.onTime ?? 0),
          markLine,
        },
        {
          type: 'bar',
          name: t('metrics.series.lateReplies'),
          stack: 'replies',
          barMaxWidth: 24,
          data: dates.map((date) => byDate.get(date)?.late ?? 0),
        },
        {
          type: 'line',
          name: t('metrics.series.cumulative'),
          yAxisIndex: 1,
          step: 'end',
          symbol: 'none',
          data: cumulative,
          tooltip: { valueFormatter: percentTooltip },
        },
      ],
    }),
  });
}

/** The codes used anywhere in the scope, in the fixed order of the codes. */
const usedCodes = (m: Metrics): DispositionCode[] => DISPOSITION_CODES.filter((c) => m.byCode[c] > 0);

function codeParts(counts: Record<DispositionCode, number>, pending: number, ctx: ChartContext): string {
  const parts = DISPOSITION_CODES.filter((c) => counts[c] > 0).map((c) =>
    ctx.t('metrics.summary.codePart', { label: ctx.t(`metrics.codes.${c}`), count: counts[c] }),
  );
  if (pending > 0) {
    parts.push(ctx.t('metrics.summary.codePart', { label: ctx.t('metrics.pending'), count: pending }));
  }
  return parts.join(ctx.t('metrics.listSep'));
}

/** Each unit's opinions by approved disposition code, stacked, with those still awaiting approval. */
export function adoptionByUnit(m: Metrics, ctx: ChartContext): ChartSpec {
  const { t } = ctx;
  const units = m.byUnit.filter((u) => u.opinions > 0);
  const codes = usedCodes(m);
  const pending = (u: UnitMetrics): number => Math.max(0, u.opinions - u.disposed);
  const anyPending = units.some((u) => pending(u) > 0);
  const title = t('metrics.charts.adoptionByUnit');
  const series: BarSeriesOption[] = [
    ...codes.map((code): BarSeriesOption => ({
      type: 'bar',
      stack: 'opinions',
      name: t(`metrics.codes.${code}`),
      itemStyle: { color: CODE_COLORS[code] },
      data: units.map((u) => u.byCode[code]),
    })),
    ...(anyPending
      ? [
          {
            type: 'bar',
            stack: 'opinions',
            name: t('metrics.pending'),
            itemStyle: { color: COLORS.pending },
            data: units.map(pending),
          } satisfies BarSeriesOption,
        ]
      : []),
  ];
  return spec('adoptionByUnit', ctx, {
    empty: units.length === 0 ? t('metrics.empty.opinions') : null,
    height: unitChartHeight(units.length),
    summary: sentence(
      title,
      [
        listOf(
          units.map((u) =>
            t('metrics.summary.adoptionUnit', { name: u.name, parts: codeParts(u.byCode, pending(u), ctx) }),
          ),
          ctx,
        ),
      ],
      ctx,
    ),
    build: (offset) => ({
      grid: grid(offset, { bottom: 28 }),
      legend: legend(offset),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: {
        type: 'value',
        name: t('metrics.axis.opinions'),
        nameLocation: 'middle',
        nameGap: 28,
        minInterval: 1,
      },
      yAxis: unitAxis(units),
      series,
    }),
  });
}

/** The approved dispositions by code (a ring), with the opinions still awaiting approval. */
export function dispositionsByCode(m: Metrics, ctx: ChartContext): ChartSpec {
  const { t, locale } = ctx;
  const pending = Math.max(0, m.counts.opinions - m.counts.disposed);
  const data = [
    ...usedCodes(m).map((code) => ({
      name: t(`metrics.codes.${code}`),
      value: m.byCode[code],
      itemStyle: { color: CODE_COLORS[code] },
    })),
    ...(pending > 0
      ? [{ name: t('metrics.pending'), value: pending, itemStyle: { color: COLORS.pending } }]
      : []),
  ];
  const title = t('metrics.charts.byCode');
  return spec('byCode', ctx, {
    empty: m.counts.disposed === 0 ? t('metrics.empty.dispositions') : null,
    height: 320,
    summary: sentence(
      title,
      [
        t('metrics.summary.byCodeTotal', {
          disposed: m.counts.disposed,
          rate: formatPercent(m.adoptionRate, locale),
        }),
        codeParts(m.byCode, pending, ctx),
      ],
      ctx,
    ),
    build: (offset) => ({
      legend: { ...legend(offset), type: 'scroll' },
      tooltip: { trigger: 'item' },
      series: [{ ...ring(locale, offset), name: title, data }],
    }),
  });
}

/** Each round's solicitation cycle (open → close) and integration cycle (close → last approval), in days. */
export function cycleTimes(m: Metrics, ctx: ChartContext): ChartSpec {
  const { t } = ctx;
  const rounds = m.rounds.filter((r) => r.solicitationDays !== null || r.integrationDays !== null);
  const title = t('metrics.charts.cycles');
  const days = (value: number | null): number | '-' => (value === null ? '-' : value);
  return spec('cycles', ctx, {
    empty: rounds.length === 0 ? t('metrics.empty.cycles') : null,
    height: 300,
    summary: sentence(
      title,
      rounds.map((r) =>
        t('metrics.summary.cycleRound', {
          title: r.title,
          solicitation: formatDays(r.solicitationDays, ctx),
          integration: formatDays(r.integrationDays, ctx),
        }),
      ),
      ctx,
    ),
    build: (offset) => ({
      color: [COLORS.solicitation, COLORS.integration],
      grid: grid(offset),
      legend: legend(offset),
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (value: unknown) => formatDays(typeof value === 'number' ? value : null, ctx),
      },
      xAxis: {
        type: 'category',
        data: rounds.map((r) => r.title),
        axisLabel: { interval: 0, width: 120, overflow: 'truncate' },
      },
      yAxis: { type: 'value', name: t('metrics.axis.days') },
      series: [
        {
          type: 'bar',
          name: t('metrics.series.solicitation'),
          barMaxWidth: 48,
          label: { show: true, position: 'top' },
          data: rounds.map((r) => days(r.solicitationDays)),
        },
        {
          type: 'bar',
          name: t('metrics.series.integration'),
          barMaxWidth: 48,
          label: { show: true, position: 'top' },
          data: rounds.map((r) => days(r.integrationDays)),
        },
      ],
    }),
  });
}

/** The ratings of the feedback letters (满意 / 基本满意 / 不满意) as a ring, with the satisfaction rate. */
export function satisfaction(m: Metrics, ctx: ChartContext): ChartSpec {
  const { t, locale } = ctx;
  const rated = RATING_KEYS.reduce((n, k) => n + m.ratings[k], 0);
  const title = t('metrics.charts.satisfaction');
  return spec('satisfaction', ctx, {
    empty: rated === 0 ? t('metrics.empty.ratings') : null,
    height: 300,
    summary: sentence(
      title,
      [
        t('metrics.summary.ratingsTotal', {
          satisfied: m.ratings.satisfied,
          basically: m.ratings.basicallySatisfied,
          unsatisfied: m.ratings.unsatisfied,
          rate: formatPercent(m.satisfaction, locale),
        }),
      ],
      ctx,
    ),
    build: (offset) => ({
      legend: legend(offset),
      tooltip: { trigger: 'item' },
      series: [
        {
          ...ring(locale, offset),
          name: title,
          data: RATING_KEYS.filter((k) => m.ratings[k] > 0).map((k) => ({
            name: t(`metrics.ratings.${k}`),
            value: m.ratings[k],
            itemStyle: { color: RATING_COLORS[k] },
          })),
        },
      ],
    }),
  });
}

/** Objections raised and how their reviews ended (异议复核). */
export function objectionOutcomes(m: Metrics, ctx: ChartContext): ChartSpec {
  const { t } = ctx;
  const o = m.objections;
  const title = t('metrics.charts.objections');
  return spec('objections', ctx, {
    empty: o.raised === 0 ? t('metrics.empty.objections') : null,
    height: 300,
    summary: sentence(
      title,
      [
        t('metrics.summary.objectionsTotal', {
          raised: o.raised,
          parts: OUTCOME_KEYS.filter((k) => k !== 'raised')
            .map((k) => t('metrics.summary.outcomePart', { label: t(`metrics.outcomes.${k}`), count: o[k] }))
            .join(t('metrics.listSep')),
        }),
      ],
      ctx,
    ),
    build: (offset) => ({
      grid: grid(offset, { top: 16 + offset }),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        inverse: true,
        data: OUTCOME_KEYS.map((k) => t(`metrics.outcomes.${k}`)),
        axisLabel: { interval: 0 },
      },
      series: [
        {
          type: 'bar',
          name: t('metrics.series.count'),
          barMaxWidth: 24,
          label: { show: true, position: 'right' },
          data: OUTCOME_KEYS.map((k) => ({ value: o[k], itemStyle: { color: OUTCOME_COLORS[k] } })),
        },
      ],
    }),
  });
}

/** Every chart of the dashboard, in the order they are shown. */
export function buildCharts(m: Metrics, ctx: ChartContext): ChartSpec[] {
  return [
    participationByUnit(m, ctx),
    participationByLevel(m, ctx),
    repliesOverTime(m, ctx),
    adoptionByUnit(m, ctx),
    dispositionsByCode(m, ctx),
    cycleTimes(m, ctx),
    satisfaction(m, ctx),
    objectionOutcomes(m, ctx),
  ];
}

export type HeadlineKey =
  | 'participationRate'
  | 'onTimeRate'
  | 'validOpinionRatio'
  | 'adoptionRate'
  | 'satisfaction'
  | 'objectionRate'
  | 'levelFit'
  | 'solicitationDays'
  | 'integrationDays'
  | 'opinions';

export interface Headline {
  key: HeadlineKey;
  title: string;
  value: string;
  hint: string;
}

/** The headline figures (antd Statistic): formatted value and what it is a share of. */
export function headlines(m: Metrics, ctx: Pick<ChartContext, 't' | 'locale'>): Headline[] {
  const { t, locale } = ctx;
  const c = m.counts;
  const item = (key: HeadlineKey, value: string, values: Record<string, number> = {}): Headline => ({
    key,
    title: t(`metrics.headline.${key}`),
    value,
    hint: t(`metrics.hint.${key}`, values),
  });
  return [
    item('participationRate', formatPercent(m.participationRate, locale), {
      sent: c.sent,
      invited: c.invited,
    }),
    item('onTimeRate', formatPercent(m.onTimeRate, locale), { onTime: c.onTime, invited: c.invited }),
    item('validOpinionRatio', formatPercent(m.validOpinionRatio, locale), {
      valid: c.valid,
      opinions: c.opinions,
    }),
    item('adoptionRate', formatPercent(m.adoptionRate, locale), {
      adopted: c.adopted + c.partiallyAdopted,
      disposed: c.disposed,
    }),
    item('satisfaction', formatPercent(m.satisfaction, locale), { satisfied: c.satisfied, rated: c.rated }),
    item('objectionRate', formatPercent(m.objectionRate, locale), {
      objected: c.objected,
      disposed: c.disposed,
    }),
    item('levelFit', formatPercent(m.levelFit, locale)),
    item('solicitationDays', formatDays(m.solicitationDays, ctx)),
    item('integrationDays', formatDays(m.integrationDays, ctx)),
    item('opinions', formatNumber(c.opinions, locale), { disposed: c.disposed }),
  ];
}
