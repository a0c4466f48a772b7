import { AppError } from './errors.ts';
import type { HolidayCalendar } from './working-days.ts';
import {
  addWorkingDays,
  calendarDaysBetween,
  chinaDate,
  endOfChinaDay,
  isDateString,
  uncoveredYears,
  workingDaysBetween,
} from './working-days.ts';

/*
 * The rules of a solicitation round (征求轮次) that need no I/O: how its deadline is computed on the working-day
 * calendar, the minimum periods it must give, and the questions targeted at each invited unit.
 */

export type RoundKind = 'internal' | 'public';

/**
 * A rule the request breaks although it is well formed: answered 422 with the field at fault.
 * (The error codes of `errors.ts` have no 422 code for rules yet; this keeps the code `validation_failed`.)
 */
/** Minimum periods: internal rounds 5 working days and 7 calendar days; public rounds 30 calendar days. */
export const MINIMUM_PERIODS: Readonly<Record<RoundKind, { workingDays: number; calendarDays: number }>> = {
  internal: { workingDays: 5, calendarDays: 7 },
  public: { workingDays: 0, calendarDays: 30 },
};

export const DEFAULT_OBJECTION_WINDOW_DAYS = 5;
export const DEFAULT_MAX_OBJECTION_ROUNDS = 2;
export const MAX_TARGETED_QUESTIONS = 5;

export interface RoundPeriod {
  /** The China-local day the round opens; the period counts from the day after. */
  startDate: string;
  /** The last day replies are on time (YYYY-MM-DD, China-local). */
  deadline: string;
  /** The instant the deadline day ends. */
  closesAt: string;
  workingDays: number;
  calendarDays: number;
}

/**
 * The deadline of a round opening at `opensAt`, from either a number of working days or a deadline date
 * (exactly one of the two). Refuses a deadline on or before the opening day.
 */
export function computeRoundPeriod(
  calendar: HolidayCalendar,
  input: { opensAt: Date; workingDays?: number | null; deadline?: string | null },
): RoundPeriod {
  const startDate = chinaDate(input.opensAt);
  const hasDays = input.workingDays !== undefined && input.workingDays !== null;
  const hasDeadline = input.deadline !== undefined && input.deadline !== null;
  if (hasDays === hasDeadline) {
    throw new AppError('validation_failed', 'Give either workingDays or deadline (one of the two).', {
      field: 'workingDays',
    });
  }
  let deadline: string;
  if (hasDays) {
    const n = input.workingDays!;
    if (!Number.isInteger(n) || n < 1 || n > 366) {
      throw new AppError('validation_failed', 'workingDays must be a whole number from 1 to 366.', {
        field: 'workingDays',
      });
    }
    deadline = addWorkingDays(calendar, startDate, n);
  } else {
    deadline = input.deadline!;
    if (!isDateString(deadline)) {
      throw new AppError('validation_failed', 'deadline must be a date (YYYY-MM-DD).', { field: 'deadline' });
    }
    if (deadline <= startDate) {
      throw new AppError('validation_failed', 'The deadline must come after the day the round opens.', {
        field: 'deadline',
      });
    }
  }
  return {
    startDate,
    deadline,
    closesAt: endOfChinaDay(deadline),
    workingDays: workingDaysBetween(calendar, startDate, deadline),
    calendarDays: calendarDaysBetween(startDate, deadline),
  };
}

/** Years of the period whose holidays the calendar does not know: a deadline there would be a guess. */
export function checkCalendarCoverage(calendar: HolidayCalendar, period: RoundPeriod, field: string): void {
  const years = uncoveredYears(calendar, period.startDate, period.deadline);
  if (years.length > 0) {
    throw new AppError(
      'rule_violated',
      `The calendar has no holidays for ${years.join(', ')}: an administrator must first add that year's ` +
        `holidays and make-up workdays (POST /api/v1/calendar/days) before a deadline can be counted in it.`,
      { field, uncoveredYears: years },
    );
  }
}

export interface PeriodShortfall {
  field: 'workingDays' | 'deadline';
  message: string;
  minimum: { workingDays: number; calendarDays: number };
}

/** Why a period is shorter than its kind's minimum, or null when it is long enough. */
export function findPeriodShortfall(
  kind: RoundKind,
  period: Pick<RoundPeriod, 'workingDays' | 'calendarDays'>,
  field: 'workingDays' | 'deadline',
): PeriodShortfall | null {
  const minimum = MINIMUM_PERIODS[kind];
  if (period.workingDays < minimum.workingDays) {
    return {
      field,
      minimum,
      message: `An internal round gives at least ${minimum.workingDays} working days; this one gives ${period.workingDays}.`,
    };
  }
  if (period.calendarDays < minimum.calendarDays) {
    return {
      field,
      minimum,
      message:
        kind === 'public'
          ? `A public round is never shorter than ${minimum.calendarDays} days; this one gives ${period.calendarDays}.`
          : `An internal round gives at least ${minimum.calendarDays} calendar days; this one gives ${period.calendarDays}.`,
    };
  }
  return null;
}

/**
 * Enforces the minimum period. A shorter period needs an urgent reason; it then waits for a leader's
 * approval (`pending`). Returns the urgent status the round takes.
 */
export function decideUrgency(
  kind: RoundKind,
  period: RoundPeriod,
  options: { field: 'workingDays' | 'deadline'; urgentReason: string | null },
): 'none' | 'pending' {
  const shortfall = findPeriodShortfall(kind, period, options.field);
  if (!shortfall) {
    return 'none';
  }
  if (!options.urgentReason) {
    throw new AppError(
      'rule_violated',
      `${shortfall.message} A shorter period needs urgent.reason and a leader's approval.`,
      {
        field: shortfall.field,
        minimum: shortfall.minimum,
        workingDays: period.workingDays,
        calendarDays: period.calendarDays,
      },
    );
  }
  return 'pending';
}

// ---- targeted questions ------------------------------------------------------------------------------

export interface ScopeClause {
  stableId: string;
  parentStableId: string | null;
  number: string | null;
  heading: string | null;
  text: string;
  path: string;
}

export interface TargetedQuestion {
  clauseStableId: string;
  question: string;
}

/** The clauses a round covers: all of them (scope null) or the chosen clauses and everything below them. */
export function clausesInScope<C extends ScopeClause>(
  clauses: readonly C[],
  scope: readonly string[] | null,
): C[] {
  if (scope === null) {
    return [...clauses];
  }
  const chosen = new Set(scope);
  const parentOf = new Map(clauses.map((c) => [c.stableId, c.parentStableId] as const));
  const inScope = (stableId: string): boolean => {
    for (let id: string | null | undefined = stableId, depth = 0; id && depth < 64; depth++) {
      if (chosen.has(id)) {
        return true;
      }
      id = parentOf.get(id);
    }
    return false;
  };
  return clauses.filter((c) => inScope(c.stableId));
}

const label = (clause: ScopeClause): string => clause.number ?? clause.heading ?? clause.path;

/**
 * Questions for a unit, targeted at the clauses whose text mentions the unit's responsibility keywords
 * (职责清单): "请重点就第十二条（涉及：数字经济）提出意见". The clauses with most keywords win; at most
 * `max`, in document order.
 */
export function generateTargetedQuestions(
  keywords: readonly string[],
  clauses: readonly ScopeClause[],
  max = MAX_TARGETED_QUESTIONS,
): TargetedQuestion[] {
  const words = [...new Set(keywords.map((k) => k.trim()).filter((k) => k.length > 0))];
  if (words.length === 0 || max <= 0) {
    return [];
  }
  const hits = clauses
    .map((clause, position) => {
      const haystack = `${clause.heading ?? ''}\n${clause.text}`;
      return { clause, position, matched: words.filter((w) => haystack.includes(w)) };
    })
    .filter((h) => h.matched.length > 0);
  hits.sort((a, b) => b.matched.length - a.matched.length || a.position - b.position);
  return hits
    .slice(0, max)
    .sort((a, b) => a.position - b.position)
    .map((h) => ({
      clauseStableId: h.clause.stableId,
      question: `请重点就${label(h.clause)}（涉及：${h.matched.join('、')}）提出意见`,
    }));
}

/** Refuses repeated values in a list the request gives, naming the field. */
export function assertNoDuplicates(values: readonly string[], field: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) {
      throw new AppError('validation_failed', `"${value}" is given twice.`, { field, value });
    }
    seen.add(value);
  }
}
