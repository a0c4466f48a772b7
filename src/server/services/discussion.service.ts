import { createHash } from 'node:crypto';
import { AppError } from '../../domain/errors.ts';
import { clausesInScope } from '../../domain/round-rules.ts';
import type { Executor } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import type { RoundRow } from '../repositories/disposition.repository.ts';
import { newId } from '../lib/ids.ts';
import type { ThreadAccess, ThreadSubject } from '../policies/discussion.policy.ts';
import {
  MESSAGE_EDIT_WINDOW_MS,
  canPostInThread,
  canReadThread,
  messageChangeRefusal,
} from '../policies/discussion.policy.ts';
import { isPlanSide } from '../policies/opinion.policy.ts';
import type { PlanScope } from '../policies/plan.policy.ts';
import type { MessageRecord, Person, ThreadRecord } from '../repositories/discussion.repository.ts';
import {
  advanceReadMarker,
  claimNextSeq,
  findConflictSubject,
  findMessage,
  findThread,
  insertMessage,
  insertThread,
  listConflictPartyUnits,
  listInvitedUnitIds,
  listMessages,
  listPeopleOfUnits,
  listThreadsOfRound,
  listUserNames,
  readStates,
  uncountMessage,
  updateMessage,
} from '../repositories/discussion.repository.ts';
import { isUnitInvited, listVersionClauses } from '../repositories/round.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';
import { loadRoundContext } from './disposition.service.ts';
import type { LiveBus } from './live-bus.ts';
import { notify } from './notification.service.ts';

/*
 * Live discussion (讨论) among the plan's side and the units concerned, on a clause of a round or on a
 * conflict. Messages are plain text; every post, edit and deletion is one transaction with its ledger
 * event and a live event on the thread's channel, so open pages on any instance update without reload.
 */

/** The longest message, in characters (code points, as the HTTP schema counts them). */
export const MAX_MESSAGE_CHARS = 4000;
export const MAX_TITLE_CHARS = 200;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** How much of a message a mention notification carries. */
const EXCERPT_CHARS = 140;

export const threadChannel = (threadId: string): string => `thread:${threadId}`;
export const userChannel = (userId: string): string => `user:${userId}`;

export interface MentionedUser {
  userId: string;
  login: string;
  name: string;
}

export interface MessageView {
  id: string;
  threadId: string;
  seq: number;
  authorId: string | null;
  authorName: string | null;
  authorUnitId: string | null;
  /** Plain text; empty once deleted. */
  body: string;
  mentions: MentionedUser[];
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

export interface ThreadView extends ThreadRecord {
  /** The live channel to watch for this thread's messages (GET /events?channel=…). */
  channel: string;
  lastReadSeq: number;
  /** Messages by others after the reader's marker, deleted ones not counted. */
  unreadCount: number;
}

export interface ThreadPage {
  thread: ThreadView;
  messages: MessageView[];
  /** Whether more messages lie in the paging direction: older ones, or newer ones when paging with `after`. */
  hasMore: boolean;
}

export interface PostResult {
  message: MessageView;
  /** `@` mentions that name nobody who may read the thread: they were not mentioned. */
  droppedMentions: string[];
}

export interface ThreadInput {
  title: string;
  clauseStableId?: string | null;
  conflictId?: string | null;
}

// ---- text -----------------------------------------------------------------------------------------------

const charCount = (text: string): number => [...text].length;

/** Checks and normalises a plain-text field: line ends unified, outer blanks trimmed, not empty, not too long. */
function cleanText(value: string, field: string, max: number): string {
  if (value.includes('\u0000')) {
    throw new AppError('validation_failed', `${field} must not contain NUL characters.`, { field });
  }
  const text = value.replace(/\r\n?/g, '\n').trim();
  if (text.length === 0) {
    throw new AppError('validation_failed', `${field} must not be empty.`, { field });
  }
  if (charCount(text) > max) {
    throw new AppError('validation_failed', `${field} must be at most ${max} characters.`, {
      field,
      maxLength: max,
      length: charCount(text),
    });
  }
  return text;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const LOGIN_CHAR = /[A-Za-z0-9._@-]/;
const WORD_CHAR = /[A-Za-z0-9]/;
/** What a mention that names nobody is reported as: the letters, digits and . _ - after the `@`. */
const MENTION_TOKEN = /^[\p{L}\p{N}._-]{1,64}/u;

/** Whether a login ends at `index` of `text`: a full stop ends it when no login character follows. */
function endsLogin(text: string, index: number): boolean {
  const next = text.charAt(index);
  if (next === '.') {
    return !LOGIN_CHAR.test(text.charAt(index + 1));
  }
  return !LOGIN_CHAR.test(next);
}

/**
 * Finds `@login` and `@name` mentions of `people` in a body. Chinese runs on without spaces ("@张三请看"), so
 * the longest login or name that starts right after the `@` wins; a Latin name or login must end at a
 * word boundary ("@ann" does not name "anna"). An `@` inside an e-mail address is not a mention. Logins
 * match in any case, names exactly. Mentions that name nobody come back in `dropped`.
 */
export function resolveMentions(
  body: string,
  people: readonly Pick<Person, 'id' | 'login' | 'name'>[],
): { userIds: string[]; dropped: string[] } {
  const userIds: string[] = [];
  const dropped: string[] = [];
  for (let at = body.indexOf('@'); at >= 0; at = body.indexOf('@', at + 1)) {
    if (at > 0 && LOGIN_CHAR.test(body[at - 1]!)) {
      continue;
    }
    const rest = body.slice(at + 1);
    let best: { id: string; length: number } | null = null;
    for (const person of people) {
      for (const key of [person.login, person.name]) {
        if (key.length === 0 || (best && key.length <= best.length)) {
          continue;
        }
        const head = rest.slice(0, key.length);
        const same = key === person.login ? head.toLowerCase() === key.toLowerCase() : head === key;
        const boundary =
          key === person.login
            ? endsLogin(rest, key.length)
            : !(WORD_CHAR.test(key.charAt(key.length - 1)) && WORD_CHAR.test(rest.charAt(key.length)));
        if (same && boundary) {
          best = { id: person.id, length: key.length };
        }
      }
    }
    if (best) {
      if (!userIds.includes(best.id)) {
        userIds.push(best.id);
      }
      at += best.length;
      continue;
    }
    const token = MENTION_TOKEN.exec(rest)?.[0];
    if (token && !dropped.includes(token)) {
      dropped.push(token);
    }
  }
  return { userIds, dropped };
}

// ---- the service ----------------------------------------------------------------------------------------

interface ThreadContext {
  thread: ThreadRecord;
  round: RoundRow;
  scope: PlanScope;
  subject: ThreadSubject;
}

/**
 * The page of the app where a thread is read: its conflict's page, or the plan's workspace with the
 * clause's drawer open (the web app has no page of a thread alone).
 */
function threadLink({ thread, round }: Pick<ThreadContext, 'thread' | 'round'>): string {
  if (thread.conflictId !== null) {
    return `/conflicts/${encodeURIComponent(thread.conflictId)}`;
  }
  const clause = new URLSearchParams({ clause: thread.clauseStableId ?? '' });
  return `/plans/${encodeURIComponent(round.plan_id)}?${clause.toString()}`;
}

const personActor = (person: Person): Actor => ({
  userId: person.id,
  login: person.login,
  name: person.name,
  roles: person.roles,
  unitId: person.unitId,
  via: 'session',
});

export class DiscussionService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly bus: LiveBus,
  ) {}

  // ---- access ---------------------------------------------------------------------------------------------

  private async access(
    db: Executor,
    actor: Actor,
    context: { round: RoundRow; scope: PlanScope; subject: ThreadSubject },
  ): Promise<ThreadAccess> {
    const invited =
      actor.unitId !== null && !isPlanSide(actor, context.scope)
        ? await isUnitInvited(db, context.round.id, actor.unitId)
        : false;
    return {
      plan: context.scope,
      round: { status: context.round.status, visibility: context.round.visibility },
      actorUnitInvited: invited,
      subject: context.subject,
    };
  }

  /** Loads a thread the actor may take part in. */
  private async loadThread(db: Executor, actor: Actor, threadId: string): Promise<ThreadContext> {
    const thread = await findThread(db, threadId);
    if (!thread) {
      throw new AppError('not_found', 'No such discussion thread.', { field: 'threadId' });
    }
    const { round, scope } = await loadRoundContext(db, thread.roundId);
    const subject: ThreadSubject =
      thread.conflictId === null
        ? { kind: 'clause' }
        : {
            kind: 'conflict',
            partyUnitIds:
              (await listConflictPartyUnits(db, [thread.conflictId])).get(thread.conflictId) ?? [],
          };
    const context = { thread, round, scope, subject };
    if (!canReadThread(actor, await this.access(db, actor, context))) {
      throw new AppError('forbidden', 'You may not take part in this discussion.');
    }
    return context;
  }

  /** Everyone who may read a thread: the plan's side and the units concerned, as the policy decides. */
  private async audience(db: Executor, context: Omit<ThreadContext, 'thread'>): Promise<Person[]> {
    const invited = new Set(await listInvitedUnitIds(db, context.round.id));
    const units = new Set([
      ...context.scope.ownerUnitLineage,
      ...(context.subject.kind === 'conflict' ? context.subject.partyUnitIds : invited),
    ]);
    const people = await listPeopleOfUnits(db, [...units]);
    return people.filter((person) =>
      canReadThread(personActor(person), {
        plan: context.scope,
        round: { status: context.round.status, visibility: context.round.visibility },
        actorUnitInvited: person.unitId !== null && invited.has(person.unitId),
        subject: context.subject,
      }),
    );
  }

  private async presentMessages(db: Executor, messages: MessageRecord[]): Promise<MessageView[]> {
    const names = await listUserNames(db, [...new Set(messages.flatMap((m) => m.mentions))]);
    return messages.map((m) => ({
      ...m,
      mentions: m.mentions.flatMap((userId) => {
        const user = names.get(userId);
        return user ? [{ userId, login: user.login, name: user.name }] : [];
      }),
    }));
  }

  private async presentThreads(db: Executor, actor: Actor, threads: ThreadRecord[]): Promise<ThreadView[]> {
    const states =
      actor.userId === null
        ? new Map<string, { lastReadSeq: number; unreadCount: number }>()
        : await readStates(
            db,
            actor.userId,
            threads.map((t) => t.id),
          );
    return threads.map((t) => ({
      ...t,
      channel: threadChannel(t.id),
      lastReadSeq: states.get(t.id)?.lastReadSeq ?? 0,
      unreadCount: states.get(t.id)?.unreadCount ?? 0,
    }));
  }

  /** Refuses, like every other channel, when the actor may not read the thread (used by GET /events). */
  async assertCanWatch(actor: Actor, threadId: string): Promise<void> {
    await this.loadThread(this.ctx.database.db, actor, threadId);
  }

  // ---- threads --------------------------------------------------------------------------------------------

  /** Starts a thread on a clause in the round's scope, or on a conflict of the round. */
  async createThread(actor: Actor, roundId: string, input: ThreadInput): Promise<ThreadView> {
    const title = cleanText(input.title, 'title', MAX_TITLE_CHARS);
    const clauseStableId = input.clauseStableId ?? null;
    const conflictId = input.conflictId ?? null;
    if ((clauseStableId === null) === (conflictId === null)) {
      throw new AppError('validation_failed', 'A thread is on a clause or on a conflict: give exactly one.', {
        field: clauseStableId === null ? 'clauseStableId' : 'conflictId',
      });
    }
    const thread = await inTransaction(this.ctx.database, async (tx) => {
      const { round, scope } = await loadRoundContext(tx, roundId);
      let subject: ThreadSubject = { kind: 'clause' };
      if (conflictId !== null) {
        const conflict = await findConflictSubject(tx, conflictId);
        if (!conflict || conflict.roundId !== round.id) {
          throw new AppError('not_found', 'No such conflict in this round.', { field: 'conflictId' });
        }
        subject = {
          kind: 'conflict',
          partyUnitIds: (await listConflictPartyUnits(tx, [conflictId])).get(conflictId) ?? [],
        };
      }
      if (!canPostInThread(actor, await this.access(tx, actor, { round, scope, subject }))) {
        throw new AppError('forbidden', 'You may not start a discussion here.');
      }
      if (clauseStableId !== null) {
        const roundScope = round.scope === null ? null : (JSON.parse(round.scope) as string[]);
        const inScope = clausesInScope(await listVersionClauses(tx, round.version_id), roundScope);
        if (!inScope.some((c) => c.stableId === clauseStableId)) {
          throw new AppError('rule_violated', 'That is not a clause in the round’s scope.', {
            field: 'clauseStableId',
          });
        }
      }
      const at = this.ctx.now().toISOString();
      const id = newId();
      await insertThread(tx, {
        id,
        round_id: round.id,
        clause_stable_id: clauseStableId,
        conflict_id: conflictId,
        title,
        created_by: actor.userId,
        created_at: at,
        last_message_at: null,
        message_count: 0,
        last_seq: 0,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'discussion_thread',
        id,
        event: 'thread.created',
        payload: { roundId: round.id, clauseStableId, conflictId, title },
      });
      return (await findThread(tx, id))!;
    });
    return (await this.presentThreads(this.ctx.database.db, actor, [thread]))[0]!;
  }

  /** A round's threads the actor may read, newest activity first, with the actor's unread counts. */
  async listThreads(
    actor: Actor,
    roundId: string,
    filter: { clauseStableId?: string | undefined; conflictId?: string | undefined } = {},
  ): Promise<ThreadView[]> {
    const db = this.ctx.database.db;
    const { round, scope } = await loadRoundContext(db, roundId);
    const clauseAccess = await this.access(db, actor, { round, scope, subject: { kind: 'clause' } });
    const seesRound = isPlanSide(actor, scope) || (clauseAccess.actorUnitInvited && round.status !== 'draft');
    if (!seesRound) {
      throw new AppError('forbidden', 'You may not see this round.');
    }
    const threads = await listThreadsOfRound(db, roundId, filter);
    const parties = await listConflictPartyUnits(db, [
      ...new Set(threads.flatMap((t) => (t.conflictId === null ? [] : [t.conflictId]))),
    ]);
    const readable = threads.filter((t) =>
      canReadThread(actor, {
        ...clauseAccess,
        subject:
          t.conflictId === null
            ? { kind: 'clause' }
            : { kind: 'conflict', partyUnitIds: parties.get(t.conflictId) ?? [] },
      }),
    );
    return this.presentThreads(db, actor, readable);
  }

  /**
   * A thread with one page of its messages, in order: the latest, those before message `before` (scrolling
   * back) or those after message `after` (catching up after a reconnect).
   */
  async getThread(
    actor: Actor,
    threadId: string,
    page: { before?: number | undefined; after?: number | undefined; limit?: number | undefined } = {},
  ): Promise<ThreadPage> {
    const db = this.ctx.database.db;
    const { thread } = await this.loadThread(db, actor, threadId);
    const limit = Math.min(Math.max(page.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const rows = await listMessages(db, thread.id, {
      limit: limit + 1,
      beforeSeq: page.before,
      afterSeq: page.after,
    });
    const hasMore = rows.length > limit;
    // One extra row tells whether more follow; it is the oldest when paging back, the newest going forward.
    const pageRows = !hasMore ? rows : page.after !== undefined ? rows.slice(0, limit) : rows.slice(1);
    return {
      thread: (await this.presentThreads(db, actor, [thread]))[0]!,
      messages: await this.presentMessages(db, pageRows),
      hasMore,
    };
  }

  /** The people a message in the thread may mention (everyone who may read it), by login. */
  async listPeople(
    actor: Actor,
    threadId: string,
  ): Promise<{ id: string; login: string; name: string; unitId: string | null }[]> {
    const db = this.ctx.database.db;
    const context = await this.loadThread(db, actor, threadId);
    return (await this.audience(db, context)).map(({ id, login, name, unitId }) => ({
      id,
      login,
      name,
      unitId,
    }));
  }

  /** Marks the thread read up to message `seq` (default: its latest); the marker never moves back. */
  async markRead(
    actor: Actor,
    threadId: string,
    seq?: number,
  ): Promise<{ threadId: string; lastReadSeq: number; unreadCount: number }> {
    const db = this.ctx.database.db;
    const { thread } = await this.loadThread(db, actor, threadId);
    if (actor.userId === null) {
      return { threadId, lastReadSeq: thread.lastSeq, unreadCount: 0 };
    }
    const upTo = Math.min(seq ?? thread.lastSeq, thread.lastSeq);
    await advanceReadMarker(db, {
      userId: actor.userId,
      threadId,
      seq: upTo,
      at: this.ctx.now().toISOString(),
    });
    const state = (await readStates(db, actor.userId, [threadId])).get(threadId);
    return { threadId, lastReadSeq: state?.lastReadSeq ?? upTo, unreadCount: state?.unreadCount ?? 0 };
  }

  // ---- messages -------------------------------------------------------------------------------------------

  /**
   * Posts a message. Mentions are resolved against the thread's readers (the others are dropped and
   * reported); each mentioned person gets a live `mention` event on their own channel.
   */
  async postMessage(actor: Actor, threadId: string, input: { body: string }): Promise<PostResult> {
    const body = cleanText(input.body, 'body', MAX_MESSAGE_CHARS);
    return inTransaction(this.ctx.database, async (tx) => {
      const context = await this.loadThread(tx, actor, threadId);
      const { userIds, dropped } = resolveMentions(body, await this.audience(tx, context));
      const at = this.ctx.now().toISOString();
      const seq = await claimNextSeq(tx, threadId, at);
      const id = newId();
      await insertMessage(tx, {
        id,
        thread_id: threadId,
        seq,
        author_id: actor.userId,
        body,
        mentions: JSON.stringify(userIds),
        created_at: at,
        edited_at: null,
        deleted_at: null,
      });
      if (actor.userId !== null) {
        await advanceReadMarker(tx, { userId: actor.userId, threadId, seq, at });
      }
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'discussion_message',
        id,
        event: 'message.posted',
        payload: { threadId, seq, mentions: userIds, bodySha256: sha256(body) },
      });
      const message = (await this.presentMessages(tx, [(await findMessage(tx, id))!]))[0]!;
      await this.bus.publish(tx, threadChannel(threadId), { kind: 'message.posted', threadId, message });
      await this.notifyMentions(tx, context, message, userIds);
      return { message, droppedMentions: dropped };
    });
  }

  /** The author changes a message within the edit window; only newly mentioned people are notified. */
  async editMessage(actor: Actor, messageId: string, input: { body: string }): Promise<PostResult> {
    const body = cleanText(input.body, 'body', MAX_MESSAGE_CHARS);
    return inTransaction(this.ctx.database, async (tx) => {
      const { before, context } = await this.loadChangeableMessage(tx, actor, messageId);
      const { userIds, dropped } = resolveMentions(body, await this.audience(tx, context));
      const at = this.ctx.now().toISOString();
      await updateMessage(tx, messageId, { body, mentions: JSON.stringify(userIds), edited_at: at });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'discussion_message',
        id: messageId,
        event: 'message.edited',
        payload: {
          threadId: before.threadId,
          seq: before.seq,
          before: { bodySha256: sha256(before.body), mentions: before.mentions },
          after: { bodySha256: sha256(body), mentions: userIds },
        },
      });
      const message = (await this.presentMessages(tx, [(await findMessage(tx, messageId))!]))[0]!;
      await this.bus.publish(tx, threadChannel(before.threadId), {
        kind: 'message.edited',
        threadId: before.threadId,
        message,
      });
      const added = userIds.filter((userId) => !before.mentions.includes(userId));
      await this.notifyMentions(tx, context, message, added);
      return { message, droppedMentions: dropped };
    });
  }

  /** The author deletes a message within the edit window: its text is erased, its place in the thread kept. */
  async deleteMessage(actor: Actor, messageId: string): Promise<MessageView> {
    return inTransaction(this.ctx.database, async (tx) => {
      const { before } = await this.loadChangeableMessage(tx, actor, messageId);
      const at = this.ctx.now().toISOString();
      await updateMessage(tx, messageId, { body: '', mentions: '[]', deleted_at: at });
      await uncountMessage(tx, before.threadId);
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'discussion_message',
        id: messageId,
        event: 'message.deleted',
        payload: { threadId: before.threadId, seq: before.seq, before: { bodySha256: sha256(before.body) } },
      });
      const message = (await this.presentMessages(tx, [(await findMessage(tx, messageId))!]))[0]!;
      await this.bus.publish(tx, threadChannel(before.threadId), {
        kind: 'message.deleted',
        threadId: before.threadId,
        message,
      });
      return message;
    });
  }

  private async loadChangeableMessage(
    tx: Executor,
    actor: Actor,
    messageId: string,
  ): Promise<{ before: MessageRecord; context: ThreadContext }> {
    const before = await findMessage(tx, messageId);
    if (!before) {
      throw new AppError('not_found', 'No such message.', { field: 'messageId' });
    }
    const context = await this.loadThread(tx, actor, before.threadId);
    const refusal = messageChangeRefusal(actor, before, this.ctx.now());
    if (refusal === 'not_author') {
      throw new AppError('forbidden', 'Only its author may change a message.');
    }
    if (refusal === 'deleted') {
      throw new AppError('conflict', 'The message was deleted.', { field: 'messageId', reason: refusal });
    }
    if (refusal === 'window_passed') {
      const minutes = MESSAGE_EDIT_WINDOW_MS / 60_000;
      throw new AppError('conflict', `A message can be changed only within ${minutes} minutes of posting.`, {
        field: 'messageId',
        reason: refusal,
      });
    }
    return { before, context };
  }

  private async notifyMentions(
    tx: Executor,
    context: ThreadContext,
    message: MessageView,
    userIds: readonly string[],
  ): Promise<void> {
    const excerpt = [...message.body].slice(0, EXCERPT_CHARS).join('');
    for (const userId of userIds) {
      if (userId === message.authorId) {
        continue;
      }
      await this.bus.publish(tx, userChannel(userId), {
        kind: 'mention',
        threadId: message.threadId,
        roundId: context.thread.roundId,
        clauseStableId: context.thread.clauseStableId,
        conflictId: context.thread.conflictId,
        messageId: message.id,
        seq: message.seq,
        authorId: message.authorId,
        authorName: message.authorName,
        excerpt,
      });
    }
    await notify(tx, this.ctx, {
      userIds: userIds.filter((id) => id !== message.authorId),
      kind: 'mentioned',
      subject: {
        zh: `${message.authorName} 在讨论中提到了您`,
        en: `${message.authorName} mentioned you in a discussion`,
      },
      body: { zh: excerpt, en: excerpt },
      link: threadLink(context),
      entity: { kind: 'thread', id: message.threadId },
      dedupeKey: `mention:${message.id}`,
    });
  }
}
