import { AppError } from '../../domain/errors.ts';
import type { HolidayCalendar } from '../../domain/working-days.ts';
import {
  addWorkingDays,
  calendarDaysBetween,
  endOfChinaDay,
  isDateString,
  officialCalendar,
  uncoveredYears,
  withOverrides,
} from '../../domain/working-days.ts';
import type { Executor } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import { isAdmin } from '../policies/user.policy.ts';
import type { CalendarDayRecord } from '../repositories/calendar.repository.ts';
import {
  deleteCalendarDay,
  findCalendarDay,
  listCalendarDays,
  upsertCalendarDay,
} from '../repositories/calendar.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';

export interface CalendarDayView {
  date: string;
  kind: 'holiday' | 'workday';
  name: string | null;
  /** official: from the chinese-days package; override: an administrator's entry. */
  source: 'official' | 'override';
  scope: 'national' | 'local';
}

export interface CalendarView {
  from: string;
  to: string;
  /** The days that differ from an ordinary week: days off on weekdays, weekend days worked (调休). */
  days: CalendarDayView[];
  uncoveredYears: number[];
}

export interface DeadlineView {
  from: string;
  workingDays: number;
  deadline: string;
  closesAt: string;
  calendarDays: number;
  uncoveredYears: number[];
}

const MAX_RANGE_DAYS = 3 * 366;

function assertDateField(value: string, field: string): void {
  if (!isDateString(value)) {
    throw new AppError('validation_failed', `${field} must be a date (YYYY-MM-DD).`, { field });
  }
}

/** The official PRC calendar of holidays and make-up workdays, with administrators' overrides on top. */
export class CalendarService {
  constructor(private readonly ctx: ServiceContext) {}

  /** The calendar as it stands, read through `executor` (inside a caller's transaction if given). */
  async loadCalendar(executor: Executor = this.ctx.database.db): Promise<HolidayCalendar> {
    const overrides = await listCalendarDays(executor);
    return withOverrides(officialCalendar(), overrides);
  }

  async listDays(actor: Actor, range: { from: string; to: string }): Promise<CalendarView> {
    if (!isAdmin(actor)) {
      throw new AppError('forbidden', 'Only administrators manage the calendar.');
    }
    assertDateField(range.from, 'from');
    assertDateField(range.to, 'to');
    if (range.to < range.from || calendarDaysBetween(range.from, range.to) > MAX_RANGE_DAYS) {
      throw new AppError('validation_failed', 'to must follow from, at most three years later.', {
        field: 'to',
      });
    }
    const overrides = await listCalendarDays(this.ctx.database.db, range);
    const official = officialCalendar();
    const calendar = withOverrides(official, overrides);
    const overridden = new Map(overrides.map((o) => [o.date, o] as const));
    const days: CalendarDayView[] = [];
    const add = (map: ReadonlyMap<string, string>, kind: CalendarDayView['kind']): void => {
      for (const [date, name] of map) {
        if (date < range.from || date > range.to) {
          continue;
        }
        const override = overridden.get(date);
        days.push({
          date,
          kind,
          name: override ? override.name : name || null,
          source: override ? 'override' : 'official',
          scope: override ? override.scope : 'national',
        });
      }
    };
    add(calendar.holidays, 'holiday');
    add(calendar.workdays, 'workday');
    days.sort((a, b) => a.date.localeCompare(b.date));
    return {
      from: range.from,
      to: range.to,
      days,
      uncoveredYears: uncoveredYears(calendar, range.from, range.to),
    };
  }

  async setDay(
    actor: Actor,
    input: { date: string; kind: 'holiday' | 'workday'; name?: string | null; scope?: 'national' | 'local' },
  ): Promise<CalendarDayRecord> {
    if (!isAdmin(actor)) {
      throw new AppError('forbidden', 'Only administrators manage the calendar.');
    }
    assertDateField(input.date, 'date');
    const name = input.name?.trim() || null;
    const scope = input.scope ?? 'national';
    return inTransaction(this.ctx.database, async (tx) => {
      const before = await findCalendarDay(tx, input.date);
      await upsertCalendarDay(tx, {
        date: input.date,
        kind: input.kind,
        name,
        scope,
        created_by: actor.userId,
        created_at: this.ctx.now().toISOString(),
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'calendar_day',
        id: input.date,
        event: 'calendar.day_set',
        payload: {
          before: before ? { kind: before.kind, name: before.name, scope: before.scope } : null,
          after: { kind: input.kind, name, scope },
        },
      });
      return (await findCalendarDay(tx, input.date))!;
    });
  }

  async deleteDay(actor: Actor, date: string): Promise<void> {
    if (!isAdmin(actor)) {
      throw new AppError('forbidden', 'Only administrators manage the calendar.');
    }
    assertDateField(date, 'date');
    await inTransaction(this.ctx.database, async (tx) => {
      const before = await findCalendarDay(tx, date);
      if (!before || !(await deleteCalendarDay(tx, date))) {
        throw new AppError('not_found', 'No override for that day.', { field: 'date' });
      }
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'calendar_day',
        id: date,
        event: 'calendar.day_deleted',
        payload: { before: { kind: before.kind, name: before.name, scope: before.scope } },
      });
    });
  }

  /** The deadline `workingDays` working days after `from`, for anyone planning a round. */
  async computeDeadline(_actor: Actor, input: { from: string; workingDays: number }): Promise<DeadlineView> {
    assertDateField(input.from, 'from');
    if (!Number.isInteger(input.workingDays) || input.workingDays < 0 || input.workingDays > 366) {
      throw new AppError('validation_failed', 'workingDays must be a whole number from 0 to 366.', {
        field: 'workingDays',
      });
    }
    const calendar = await this.loadCalendar();
    const deadline = addWorkingDays(calendar, input.from, input.workingDays);
    return {
      from: input.from,
      workingDays: input.workingDays,
      deadline,
      closesAt: endOfChinaDay(deadline),
      calendarDays: calendarDaysBetween(input.from, deadline),
      uncoveredYears: uncoveredYears(calendar, input.from, deadline),
    };
  }
}
