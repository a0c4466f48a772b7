import type { Executor } from '../db/executor.ts';
import type { CalendarDayTable } from '../db/schema.ts';

export interface CalendarDayRecord {
  date: string;
  kind: CalendarDayTable['kind'];
  name: string | null;
  scope: CalendarDayTable['scope'];
  createdBy: string | null;
  createdAt: string;
}

const toRecord = (row: CalendarDayTable): CalendarDayRecord => ({
  date: row.date,
  kind: row.kind,
  name: row.name,
  scope: row.scope,
  createdBy: row.created_by,
  createdAt: row.created_at,
});

/** Every override, by date. A calendar holds a few dozen days a year. */
export async function listCalendarDays(
  db: Executor,
  range: { from?: string; to?: string } = {},
): Promise<CalendarDayRecord[]> {
  let query = db.selectFrom('calendar_day').selectAll();
  if (range.from) {
    query = query.where('date', '>=', range.from);
  }
  if (range.to) {
    query = query.where('date', '<=', range.to);
  }
  return (await query.orderBy('date').execute()).map(toRecord);
}

export async function findCalendarDay(db: Executor, date: string): Promise<CalendarDayRecord | null> {
  const row = await db.selectFrom('calendar_day').selectAll().where('date', '=', date).executeTakeFirst();
  return row ? toRecord(row) : null;
}

/** Adds the override of a day or replaces the one it has. */
export async function upsertCalendarDay(db: Executor, row: CalendarDayTable): Promise<void> {
  await db
    .insertInto('calendar_day')
    .values(row)
    .onConflict((oc) =>
      oc.column('date').doUpdateSet({
        kind: row.kind,
        name: row.name,
        scope: row.scope,
        created_by: row.created_by,
        created_at: row.created_at,
      }),
    )
    .execute();
}

export async function deleteCalendarDay(db: Executor, date: string): Promise<boolean> {
  const result = await db.deleteFrom('calendar_day').where('date', '=', date).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
