/* Tables of live discussion threads and messages with mentions (see the migration of the same name). */

/** A thread on one clause of a round (`clause_stable_id`) or on one conflict (`conflict_id`), never both. */
export interface DiscussionThreadTable {
  id: string;
  round_id: string;
  clause_stable_id: string | null;
  conflict_id: string | null;
  title: string;
  created_by: string | null;
  created_at: string;
  last_message_at: string | null;
  /** Messages not deleted. */
  message_count: number;
  /** The number of the thread's latest message, deleted ones included. */
  last_seq: number;
}

/** A message: plain text, never HTML; `seq` numbers the thread's messages from 1. */
export interface DiscussionMessageTable {
  id: string;
  thread_id: string;
  seq: number;
  author_id: string | null;
  body: string; // emptied when deleted
  mentions: string; // JSON string[] of user ids
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
}

/** How far a person has read a thread: messages numbered above `last_read_seq` are unread. */
export interface DiscussionReadTable {
  user_id: string;
  thread_id: string;
  last_read_seq: number;
  last_read_at: string;
}

export interface DiscussionTables {
  discussion_thread: DiscussionThreadTable;
  discussion_message: DiscussionMessageTable;
  discussion_read: DiscussionReadTable;
}
