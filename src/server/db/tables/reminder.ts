/* Tables of reminders before deadlines and supervision of overdue units (see the migration of the same name). */

/** A round's reminder settings; a round without a row uses the defaults (3 and 1 working days before; 2). */
export interface ReminderSettingTable {
  round_id: string;
  before_days: string; // JSON number[]
  leader_after_days: number;
  enabled: number;
  updated_by: string | null;
  updated_at: string;
}

/** One reminder sent about an invitation: automatic (before the deadline, escalations) or by hand. */
export interface ReminderTable {
  id: string;
  round_id: string;
  invitation_id: string;
  rule: 'before_deadline' | 'overdue_head' | 'overdue_leader' | 'manual';
  /** China-local day it was due (for manual ones the day it was sent). */
  due_on: string;
  /** The invitation's deadline when it was sent. */
  deadline: string;
  sent_at: string;
  sent_by: string | null;
  recipients: string; // JSON string[] of user ids
  note: string | null;
  dedupe_key: string | null;
}

export interface ReminderTables {
  reminder_setting: ReminderSettingTable;
  reminder: ReminderTable;
}
