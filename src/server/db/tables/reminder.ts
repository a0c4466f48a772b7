/* Tables of reminders before deadlines and supervision of overdue units (see the migration of the same name). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ReminderTables {}
