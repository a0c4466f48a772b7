import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../db/executor.ts';
import type { Role } from '../db/schema.ts';
import type { DiscussionMessageTable, DiscussionThreadTable } from '../db/tables/discussion.ts';

/* Discussion threads, their messages and read markers; the people a thread may reach, for mentions. */

export type ThreadRow = Selectable<DiscussionThreadTable>;
export type MessageRow = Selectable<DiscussionMessageTable>;

export interface ThreadRecord {
  id: string;
  roundId: string;
  clauseStableId: string | null;
  conflictId: string | null;
  title: string;
  createdBy: string | null;
  createdAt: string;
  lastMessageAt: string | null;
  messageCount: number;
  lastSeq: number;
}

export const toThread = (row: ThreadRow): ThreadRecord => ({
  id: row.id,
  roundId: row.round_id,
  clauseStableId: row.clause_stable_id,
  conflictId: row.conflict_id,
  title: row.title,
  createdBy: row.created_by,
  createdAt: row.created_at,
  lastMessageAt: row.last_message_at,
  messageCount: Number(row.message_count),
  lastSeq: Number(row.last_seq),
});

export interface MessageRecord {
  id: string;
  threadId: string;
  seq: number;
  authorId: string | null;
  authorName: string | null;
  authorUnitId: string | null;
  body: string;
  mentions: string[];
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

type MessageWithAuthor = MessageRow & { author_name: string | null; author_unit_id: string | null };

function parseIds(json: string): string[] {
  const value = JSON.parse(json) as unknown;
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

const toMessage = (row: MessageWithAuthor): MessageRecord => ({
  id: row.id,
  threadId: row.thread_id,
  seq: Number(row.seq),
  authorId: row.author_id,
  authorName: row.author_name,
  authorUnitId: row.author_unit_id,
  body: row.body,
  mentions: parseIds(row.mentions),
  createdAt: row.created_at,
  editedAt: row.edited_at,
  deletedAt: row.deleted_at,
});

// ---- threads --------------------------------------------------------------------------------------------

export async function insertThread(db: Executor, row: Insertable<DiscussionThreadTable>): Promise<void> {
  await db.insertInto('discussion_thread').values(row).execute();
}

export async function findThread(db: Executor, id: string): Promise<ThreadRecord | null> {
  const row = await db.selectFrom('discussion_thread').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toThread(row) : null;
}

/** A round's threads, newest activity first, optionally on one clause or one conflict. */
export async function listThreadsOfRound(
  db: Executor,
  roundId: string,
  filter: { clauseStableId?: string | undefined; conflictId?: string | undefined },
): Promise<ThreadRecord[]> {
  let query = db.selectFrom('discussion_thread').selectAll().where('round_id', '=', roundId);
  if (filter.clauseStableId !== undefined) {
    query = query.where('clause_stable_id', '=', filter.clauseStableId);
  }
  if (filter.conflictId !== undefined) {
    query = query.where('conflict_id', '=', filter.conflictId);
  }
  const rows = await query
    .orderBy(sql`coalesce(last_message_at, created_at)`, 'desc')
    .orderBy('id')
    .execute();
  return rows.map(toThread);
}

/**
 * Takes the next message number of a thread and counts the message in. The update comes first so that on
 * PostgreSQL it locks the thread row: concurrent posts number their messages one after another.
 */
export async function claimNextSeq(db: Executor, threadId: string, at: string): Promise<number> {
  const row = await db
    .updateTable('discussion_thread')
    .set((eb) => ({
      last_seq: eb('last_seq', '+', 1),
      message_count: eb('message_count', '+', 1),
      last_message_at: at,
    }))
    .where('id', '=', threadId)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return Number(row.last_seq);
}

export async function uncountMessage(db: Executor, threadId: string): Promise<void> {
  await db
    .updateTable('discussion_thread')
    .set((eb) => ({ message_count: eb('message_count', '-', 1) }))
    .where('id', '=', threadId)
    .execute();
}

// ---- messages -------------------------------------------------------------------------------------------

export async function insertMessage(db: Executor, row: Insertable<DiscussionMessageTable>): Promise<void> {
  await db.insertInto('discussion_message').values(row).execute();
}

function selectMessages(db: Executor) {
  return db
    .selectFrom('discussion_message')
    .leftJoin('user', 'user.id', 'discussion_message.author_id')
    .selectAll('discussion_message')
    .select(['user.name as author_name', 'user.unit_id as author_unit_id']);
}

export async function findMessage(db: Executor, id: string): Promise<MessageRecord | null> {
  const row = await selectMessages(db).where('discussion_message.id', '=', id).executeTakeFirst();
  return row ? toMessage(row) : null;
}

/**
 * One page of a thread's messages in order: the latest `limit`, or those before `beforeSeq` (scrolling
 * back), or those after `afterSeq` (catching up after a reconnect).
 */
export async function listMessages(
  db: Executor,
  threadId: string,
  page: { limit: number; beforeSeq?: number | undefined; afterSeq?: number | undefined },
): Promise<MessageRecord[]> {
  let query = selectMessages(db).where('discussion_message.thread_id', '=', threadId);
  if (page.afterSeq !== undefined) {
    const rows = await query
      .where('discussion_message.seq', '>', page.afterSeq)
      .orderBy('discussion_message.seq', 'asc')
      .limit(page.limit)
      .execute();
    return rows.map(toMessage);
  }
  if (page.beforeSeq !== undefined) {
    query = query.where('discussion_message.seq', '<', page.beforeSeq);
  }
  const rows = await query.orderBy('discussion_message.seq', 'desc').limit(page.limit).execute();
  return rows.reverse().map(toMessage);
}

export async function updateMessage(
  db: Executor,
  id: string,
  patch: { body: string; mentions: string; edited_at?: string; deleted_at?: string },
): Promise<void> {
  await db.updateTable('discussion_message').set(patch).where('id', '=', id).execute();
}

// ---- read markers ---------------------------------------------------------------------------------------

/** Moves a person's read marker forward (never back) to message `seq`. */
export async function advanceReadMarker(
  db: Executor,
  marker: { userId: string; threadId: string; seq: number; at: string },
): Promise<void> {
  await db
    .insertInto('discussion_read')
    .values({
      user_id: marker.userId,
      thread_id: marker.threadId,
      last_read_seq: marker.seq,
      last_read_at: marker.at,
    })
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'thread_id'])
        .doUpdateSet({ last_read_seq: marker.seq, last_read_at: marker.at })
        .where('discussion_read.last_read_seq', '<', marker.seq),
    )
    .execute();
}

/** Per thread: how far the user has read, and how many messages by others are newer and not deleted. */
export async function readStates(
  db: Executor,
  userId: string,
  threadIds: readonly string[],
): Promise<Map<string, { lastReadSeq: number; unreadCount: number }>> {
  const states = new Map<string, { lastReadSeq: number; unreadCount: number }>();
  if (threadIds.length === 0) {
    return states;
  }
  const markers = await db
    .selectFrom('discussion_read')
    .select(['thread_id', 'last_read_seq'])
    .where('user_id', '=', userId)
    .where('thread_id', 'in', threadIds)
    .execute();
  for (const id of threadIds) {
    states.set(id, { lastReadSeq: 0, unreadCount: 0 });
  }
  for (const m of markers) {
    states.set(m.thread_id, { lastReadSeq: Number(m.last_read_seq), unreadCount: 0 });
  }
  const counts = await db
    .selectFrom('discussion_message as m')
    .leftJoin('discussion_read as r', (join) =>
      join.onRef('r.thread_id', '=', 'm.thread_id').on('r.user_id', '=', userId),
    )
    .select(['m.thread_id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('m.thread_id', 'in', threadIds)
    .where('m.deleted_at', 'is', null)
    .where((eb) => eb.or([eb('m.author_id', 'is', null), eb('m.author_id', '<>', userId)]))
    .where(sql<boolean>`m.seq > coalesce(r.last_read_seq, 0)`)
    .groupBy('m.thread_id')
    .execute();
  for (const c of counts) {
    const state = states.get(c.thread_id);
    if (state) {
      state.unreadCount = Number(c.n);
    }
  }
  return states;
}

// ---- people ---------------------------------------------------------------------------------------------

export interface Person {
  id: string;
  login: string;
  name: string;
  unitId: string | null;
  roles: Role[];
}

/**
 * Active users who might take part in a thread: members of `unitIds` and administrators. The caller narrows
 * them down with the thread policy.
 */
export async function listPeopleOfUnits(db: Executor, unitIds: readonly string[]): Promise<Person[]> {
  const rows = await db
    .selectFrom('user')
    .select(['id', 'login', 'name', 'unit_id'])
    .where('status', '=', 'active')
    .where((eb) => {
      const admins = eb.exists(
        eb
          .selectFrom('user_role')
          .select('user_role.user_id')
          .whereRef('user_role.user_id', '=', 'user.id')
          .where('user_role.role', '=', 'admin'),
      );
      return unitIds.length > 0 ? eb.or([eb('unit_id', 'in', unitIds), admins]) : admins;
    })
    .orderBy('login')
    .execute();
  if (rows.length === 0) {
    return [];
  }
  const roles = await db
    .selectFrom('user_role')
    .select(['user_id', 'role'])
    .where(
      'user_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  const rolesOf = new Map<string, Role[]>();
  for (const r of roles) {
    rolesOf.set(r.user_id, [...(rolesOf.get(r.user_id) ?? []), r.role]);
  }
  return rows.map((r) => ({
    id: r.id,
    login: r.login,
    name: r.name,
    unitId: r.unit_id,
    roles: rolesOf.get(r.id) ?? [],
  }));
}

/** Names and logins of users by id (for presenting mentions). */
export async function listUserNames(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, { login: string; name: string }>> {
  if (ids.length === 0) {
    return new Map();
  }
  const rows = await db.selectFrom('user').select(['id', 'login', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, { login: r.login, name: r.name }] as const));
}

/** The units invited to a round. */
export async function listInvitedUnitIds(db: Executor, roundId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('round_invitation')
    .select('unit_id')
    .distinct()
    .where('round_id', '=', roundId)
    .execute();
  return rows.map((r) => r.unit_id);
}

// ---- conflicts ------------------------------------------------------------------------------------------

/** The round and clause of a conflict, for a thread on it. */
export async function findConflictSubject(
  db: Executor,
  conflictId: string,
): Promise<{ id: string; roundId: string; clauseStableId: string; title: string } | null> {
  const row = await db
    .selectFrom('conflict')
    .select(['id', 'round_id', 'clause_stable_id', 'title'])
    .where('id', '=', conflictId)
    .executeTakeFirst();
  return row
    ? { id: row.id, roundId: row.round_id, clauseStableId: row.clause_stable_id, title: row.title }
    : null;
}

/** The units on the sides of each conflict. */
export async function listConflictPartyUnits(
  db: Executor,
  conflictIds: readonly string[],
): Promise<Map<string, string[]>> {
  const units = new Map<string, string[]>(conflictIds.map((id) => [id, []] as const));
  if (conflictIds.length === 0) {
    return units;
  }
  const rows = await db
    .selectFrom('conflict_party')
    .select(['conflict_id', 'unit_id'])
    .distinct()
    .where('conflict_id', 'in', conflictIds)
    .where('unit_id', 'is not', null)
    .execute();
  for (const r of rows) {
    if (r.unit_id !== null) {
      units.get(r.conflict_id)?.push(r.unit_id);
    }
  }
  return units;
}
