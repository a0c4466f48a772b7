import type { Database } from '../src/server/db/database.ts';
import type { RoundStatus } from '../src/server/db/schema.ts';

/* Puts rounds, invitations and the calendar in the states the reminder tests need. */

/** An administrator's calendar override, as the calendar endpoints store it. */
export async function insertCalendarDay(
  database: Database,
  day: { date: string; kind: 'holiday' | 'workday'; name?: string | null },
): Promise<void> {
  await database.db
    .insertInto('calendar_day')
    .values({
      date: day.date,
      kind: day.kind,
      name: day.name ?? null,
      scope: 'local',
      created_by: null,
      created_at: new Date().toISOString(),
    })
    .execute();
}

/** The unit has sent its first reply. */
export async function markReplied(database: Database, invitationId: string): Promise<void> {
  await database.db
    .updateTable('round_invitation')
    .set({ status: 'sent', reply_version: 1 })
    .where('id', '=', invitationId)
    .execute();
}

export async function setRoundStatus(
  database: Database,
  roundId: string,
  status: RoundStatus,
): Promise<void> {
  await database.db.updateTable('round').set({ status }).where('id', '=', roundId).execute();
}
