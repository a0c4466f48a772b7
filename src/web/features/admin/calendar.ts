/** The working-day calendar as the month view shows it: dates are China-local `YYYY-MM-DD` strings. */

export type DayKind = 'holiday' | 'workday';
export type DayScope = 'national' | 'local';

/** A day that differs from an ordinary week, as GET /calendar lists it. */
export interface CalendarDay {
  date: string;
  kind: DayKind;
  name: string | null;
  source: 'official' | 'override';
  scope: DayScope;
}

/** What a cell of the month view shows. */
export interface DayClass {
  date: string;
  /** rest: a day off on a weekday or a holiday; work: a make-up workday (调休) or a day made working. */
  mark: 'rest' | 'work' | null;
  weekend: boolean;
  /** Whether it is a working day on the calendar as it stands. */
  working: boolean;
  name: string | null;
  source: CalendarDay['source'] | null;
  scope: DayScope | null;
}

const pad = (n: number): string => String(n).padStart(2, '0');

export const toDateString = (year: number, month: number, day: number): string =>
  `${year}-${pad(month)}-${pad(day)}`;

export function isDateString(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return false;
  }
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export function isWeekend(date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** How the calendar treats a date, given the listed days (by date). */
export function classifyDay(date: string, days: ReadonlyMap<string, CalendarDay>): DayClass {
  const weekend = isWeekend(date);
  const day = days.get(date);
  if (!day) {
    return { date, mark: null, weekend, working: !weekend, name: null, source: null, scope: null };
  }
  return {
    date,
    mark: day.kind === 'holiday' ? 'rest' : 'work',
    weekend,
    working: day.kind === 'workday',
    name: day.name,
    source: day.source,
    scope: day.scope,
  };
}

export const daysByDate = (days: readonly CalendarDay[]): Map<string, CalendarDay> =>
  new Map(days.map((d) => [d.date, d]));

/** A month, 1-based. */
export interface Month {
  year: number;
  month: number;
}

export const monthOf = (date: string): Month => ({
  year: Number(date.slice(0, 4)),
  month: Number(date.slice(5, 7)),
});

function lastDay({ year, month }: Month): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function shift({ year, month }: Month, by: number): Month {
  const index = year * 12 + (month - 1) + by;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/**
 * The dates to load for a month view: the month before to the month after, which covers the days of
 * the neighbouring months the six-week grid shows.
 */
export function monthViewRange(month: Month): { from: string; to: string } {
  const before = shift(month, -1);
  const after = shift(month, 1);
  return {
    from: toDateString(before.year, before.month, 1),
    to: toDateString(after.year, after.month, lastDay(after)),
  };
}

/** The administrators' overrides that fall in a month. */
export function overridesIn(days: readonly CalendarDay[], month: Month): CalendarDay[] {
  const prefix = `${month.year}-${pad(month.month)}-`;
  return days.filter((d) => d.source === 'override' && d.date.startsWith(prefix));
}

/** The named holidays of a month, each name once with its first and last day (e.g. 国庆节 10-01 – 10-07). */
export function holidaysIn(
  days: readonly CalendarDay[],
  month: Month,
): { name: string; from: string; to: string }[] {
  const prefix = `${month.year}-${pad(month.month)}-`;
  const spans = new Map<string, { name: string; from: string; to: string }>();
  for (const day of days) {
    if (day.kind !== 'holiday' || !day.name || !day.date.startsWith(prefix)) {
      continue;
    }
    const span = spans.get(day.name);
    if (!span) {
      spans.set(day.name, { name: day.name, from: day.date, to: day.date });
    } else {
      span.from = day.date < span.from ? day.date : span.from;
      span.to = day.date > span.to ? day.date : span.to;
    }
  }
  return [...spans.values()].sort((a, b) => a.from.localeCompare(b.from));
}

/** Today's date where the browser is (a Chinese office: China time). */
export const localDateString = (now: Date): string =>
  toDateString(now.getFullYear(), now.getMonth() + 1, now.getDate());

/** Weekday names from Sunday, in the interface's language (周日 … 周六, Sun … Sat; narrow: 日 … 六). */
export function weekdayNames(language: string, width: 'short' | 'narrow' = 'short'): string[] {
  const format = new Intl.DateTimeFormat(language, { weekday: width, timeZone: 'UTC' });
  // 2023-01-01 was a Sunday.
  return Array.from({ length: 7 }, (_, i) => format.format(Date.UTC(2023, 0, 1 + i)));
}

/** Short month names from January (1月 … 12月, Jan … Dec). */
export function monthNames(language: string): string[] {
  const format = new Intl.DateTimeFormat(language, { month: 'short', timeZone: 'UTC' });
  return Array.from({ length: 12 }, (_, i) => format.format(Date.UTC(2023, i, 1)));
}

/** The title of a month view: 2026年10月, October 2026. */
export function monthTitle(month: Month, language: string): string {
  return new Intl.DateTimeFormat(language, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    Date.UTC(month.year, month.month - 1, 1),
  );
}

/** A date with its weekday: 2026-10-01（周四）, 2026-10-01 (Thu). */
export function dateWithWeekday(date: string, language: string): string {
  const weekday = new Intl.DateTimeFormat(language, { weekday: 'short', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
  return language.startsWith('zh') ? `${date}（${weekday}）` : `${date} (${weekday})`;
}
