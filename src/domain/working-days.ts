import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/*
 * Working days on the PRC calendar: weekends off, official holidays off, make-up workdays (调休) on.
 * Dates are China-local calendar days as 'YYYY-MM-DD'; China keeps UTC+8 all year.
 */

export interface CalendarOverride {
  date: string;
  kind: 'holiday' | 'workday';
  name?: string | null;
}

export interface HolidayCalendar {
  /** Days off on a weekday, by date, with their name. */
  readonly holidays: ReadonlyMap<string, string>;
  /** Weekend days that are working days (调休), by date, with their name. */
  readonly workdays: ReadonlyMap<string, string>;
  /** Years the official data covers; other years know only weekends and overrides. */
  readonly coveredYears: ReadonlySet<number>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export function isDateString(value: string): boolean {
  if (!DATE.test(value)) {
    return false;
  }
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

function assertDate(value: string): void {
  if (!isDateString(value)) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${value}`);
  }
}

const shift = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

const nameOf = (raw: string): string => raw.split(',')[1] ?? raw;

let official: HolidayCalendar | null = null;

/** The official calendar shipped in the chinese-days package (holidays and make-up workdays). */
export function officialCalendar(): HolidayCalendar {
  if (!official) {
    const data = chineseDays as { holidays: Record<string, string>; workdays: Record<string, string> };
    const holidays = new Map(Object.entries(data.holidays).map(([d, n]) => [d, nameOf(n)] as const));
    const workdays = new Map(Object.entries(data.workdays).map(([d, n]) => [d, nameOf(n)] as const));
    const coveredYears = new Set([...holidays.keys()].map((d) => Number(d.slice(0, 4))));
    official = { holidays, workdays, coveredYears };
  }
  return official;
}

/** The calendar with administrators' overrides (years the package lacks, local days off) on top. */
export function withOverrides(
  base: HolidayCalendar,
  overrides: readonly CalendarOverride[],
): HolidayCalendar {
  if (overrides.length === 0) {
    return base;
  }
  const holidays = new Map(base.holidays);
  const workdays = new Map(base.workdays);
  const coveredYears = new Set(base.coveredYears);
  for (const o of overrides) {
    assertDate(o.date);
    if (o.kind === 'holiday') {
      workdays.delete(o.date);
      holidays.set(o.date, o.name ?? '');
    } else {
      holidays.delete(o.date);
      workdays.set(o.date, o.name ?? '');
    }
    coveredYears.add(Number(o.date.slice(0, 4)));
  }
  return { holidays, workdays, coveredYears };
}

export function isWorkingDay(calendar: HolidayCalendar, date: string): boolean {
  assertDate(date);
  if (calendar.workdays.has(date)) {
    return true;
  }
  if (calendar.holidays.has(date)) {
    return false;
  }
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The `n`th working day after `from` (`from` itself not counted); n = 0 gives `from`. */
export function addWorkingDays(calendar: HolidayCalendar, from: string, n: number): string {
  assertDate(from);
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
  }
  let date = from;
  for (let left = n; left > 0;) {
    date = shift(date, 1);
    if (isWorkingDay(calendar, date)) {
      left -= 1;
    }
  }
  return date;
}

/** Working days in (from, to]: how many working days a period from `from` to `to` gives. */
export function workingDaysBetween(calendar: HolidayCalendar, from: string, to: string): number {
  assertDate(from);
  assertDate(to);
  let count = 0;
  for (let date = shift(from, 1); date <= to; date = shift(date, 1)) {
    if (isWorkingDay(calendar, date)) {
      count += 1;
    }
  }
  return count;
}

/** Calendar days from `from` to `to`. */
export const calendarDaysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** The China-local calendar date of an instant. */
export const chinaDate = (instant: Date): string =>
  new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);

/** The instant a China-local day ends (midnight after it, UTC+8), ISO. */
export const endOfChinaDay = (date: string): string => {
  assertDate(date);
  return new Date(Date.parse(`${shift(date, 1)}T00:00:00Z`) - CHINA_OFFSET_MS).toISOString();
};

/** Years between `from` and `to` that the calendar does not know holidays for. */
export function uncoveredYears(calendar: HolidayCalendar, from: string, to: string): number[] {
  const years: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) {
    if (!calendar.coveredYears.has(y)) {
      years.push(y);
    }
  }
  return years;
}
