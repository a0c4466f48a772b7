import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import {
  DEFAULT_PAGE_SIZE,
  MAX_MESSAGE_CHARS,
  MAX_PAGE_SIZE,
  MAX_TITLE_CHARS,
} from '../services/discussion.service.ts';
import type { Services } from '../services/index.ts';
import { ErrorResponse, IdParams, Nullable, errorResponses } from './schemas.ts';

const TAG = 'discussion';

export const DiscussionThreadSchema = Type.Object({
  id: Type.String(),
  roundId: Type.String(),
  clauseStableId: Nullable(Type.String({ description: 'The clause discussed; null on a conflict thread' })),
  conflictId: Nullable(Type.String({ description: 'The conflict discussed; null on a clause thread' })),
  title: Type.String(),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  lastMessageAt: Nullable(Type.String({ format: 'date-time' })),
  messageCount: Type.Integer({ minimum: 0, description: 'Messages not deleted' }),
  lastSeq: Type.Integer({ minimum: 0, description: 'Number of the latest message (deleted ones included)' }),
  channel: Type.String({ description: 'Live channel of the thread: GET /events?channel=<channel>' }),
  lastReadSeq: Type.Integer({ minimum: 0, description: 'How far the caller has read' }),
  unreadCount: Type.Integer({ minimum: 0, description: 'Messages by others after the caller’s marker' }),
});

const MentionSchema = Type.Object({ userId: Type.String(), login: Type.String(), name: Type.String() });

export const DiscussionMessageSchema = Type.Object({
  id: Type.String(),
  threadId: Type.String(),
  seq: Type.Integer({ minimum: 1, description: 'Position in the thread, from 1' }),
  authorId: Nullable(Type.String()),
  authorName: Nullable(Type.String()),
  authorUnitId: Nullable(Type.String()),
  body: Type.String({ description: 'Plain text, never HTML: render as text. Empty once deleted.' }),
  mentions: Type.Array(MentionSchema),
  createdAt: Type.String({ format: 'date-time' }),
  editedAt: Nullable(Type.String({ format: 'date-time' })),
  deletedAt: Nullable(Type.String({ format: 'date-time' })),
});

const PostResultSchema = Type.Object({
  message: DiscussionMessageSchema,
  droppedMentions: Type.Array(Type.String(), {
    description: '@ mentions naming nobody who may read the thread: not mentioned, nobody notified',
  }),
});

const ThreadPageSchema = Type.Object({
  thread: DiscussionThreadSchema,
  messages: Type.Array(DiscussionMessageSchema, { description: 'In order of seq' }),
  hasMore: Type.Boolean({
    description: 'More messages lie in the paging direction (older; newer when paging with `after`)',
  }),
});

const NewThread = Type.Object({
  title: Type.String({ minLength: 1, maxLength: MAX_TITLE_CHARS }),
  clauseStableId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
  conflictId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
});

const MessageBody = Type.Object({
  body: Type.String({
    minLength: 1,
    maxLength: MAX_MESSAGE_CHARS,
    description: 'Plain text; @login or @name mentions people who may read the thread',
  }),
});

const PersonSchema = Type.Object({
  id: Type.String(),
  login: Type.String(),
  name: Type.String(),
  unitId: Nullable(Type.String()),
});

const ReadStateSchema = Type.Object({
  threadId: Type.String(),
  lastReadSeq: Type.Integer({ minimum: 0 }),
  unreadCount: Type.Integer({ minimum: 0 }),
});

const writeErrors = { ...errorResponses, 409: ErrorResponse, 422: ErrorResponse };

export const discussionRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/rounds/:id/threads',
      {
        schema: {
          tags: [TAG],
          summary:
            'Start a discussion thread (讨论) on a clause in the round’s scope or on a conflict of the round',
          description: 'Give exactly one of clauseStableId and conflictId.',
          params: IdParams,
          body: NewThread,
          response: { 201: DiscussionThreadSchema, ...writeErrors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await services.discussion.createThread(actorOf(request), request.params.id, request.body)),
    );

    app.get(
      '/rounds/:id/threads',
      {
        schema: {
          tags: [TAG],
          summary: 'The round’s threads the caller may read, newest activity first, with unread counts',
          params: IdParams,
          querystring: Type.Object({
            clause: Type.Optional(
              Type.String({ minLength: 1, maxLength: 100, description: 'A clause stable id' }),
            ),
            conflict: Type.Optional(
              Type.String({ minLength: 1, maxLength: 100, description: 'A conflict id' }),
            ),
          }),
          response: { 200: Type.Array(DiscussionThreadSchema), ...errorResponses },
        },
      },
      async (request) =>
        services.discussion.listThreads(actorOf(request), request.params.id, {
          clauseStableId: request.query.clause,
          conflictId: request.query.conflict,
        }),
    );

    app.get(
      '/threads/:id',
      {
        schema: {
          tags: [TAG],
          summary: 'A thread with one page of messages: the latest, those before `before`, or after `after`',
          params: IdParams,
          querystring: Type.Object({
            before: Type.Optional(Type.Integer({ minimum: 1, description: 'Messages numbered below this' })),
            after: Type.Optional(Type.Integer({ minimum: 0, description: 'Messages numbered above this' })),
            limit: Type.Optional(
              Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }),
            ),
          }),
          response: { 200: ThreadPageSchema, ...errorResponses },
        },
      },
      async (request) => services.discussion.getThread(actorOf(request), request.params.id, request.query),
    );

    app.get(
      '/threads/:id/people',
      {
        schema: {
          tags: [TAG],
          summary: 'Who may read the thread, and so may be mentioned in it',
          params: IdParams,
          response: { 200: Type.Array(PersonSchema), ...errorResponses },
        },
      },
      async (request) => services.discussion.listPeople(actorOf(request), request.params.id),
    );

    app.post(
      '/threads/:id/messages',
      {
        schema: {
          tags: [TAG],
          summary: 'Post a message; it reaches everyone watching the thread’s channel, mentions notify',
          params: IdParams,
          body: MessageBody,
          response: { 201: PostResultSchema, ...writeErrors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await services.discussion.postMessage(actorOf(request), request.params.id, request.body)),
    );

    app.patch(
      '/messages/:id',
      {
        schema: {
          tags: [TAG],
          summary: 'Edit one’s own message within 15 minutes of posting',
          params: IdParams,
          body: MessageBody,
          response: { 200: PostResultSchema, ...writeErrors },
        },
      },
      async (request) => services.discussion.editMessage(actorOf(request), request.params.id, request.body),
    );

    app.delete(
      '/messages/:id',
      {
        schema: {
          tags: [TAG],
          summary: 'Delete one’s own message within 15 minutes of posting (its text is erased)',
          params: IdParams,
          response: { 200: DiscussionMessageSchema, ...writeErrors },
        },
      },
      async (request) => services.discussion.deleteMessage(actorOf(request), request.params.id),
    );

    app.post(
      '/threads/:id/read',
      {
        schema: {
          tags: [TAG],
          summary: 'Mark the thread read up to message `seq` (default: the latest)',
          params: IdParams,
          body: Type.Object({ seq: Type.Optional(Type.Integer({ minimum: 0 })) }),
          response: { 200: ReadStateSchema, ...errorResponses },
        },
      },
      async (request) => services.discussion.markRead(actorOf(request), request.params.id, request.body.seq),
    );
  };
