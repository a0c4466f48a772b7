import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { ErrorResponse, IdParams, Nullable, errorResponses } from './schemas.ts';

/*
 * The public comment portal. Routes under /public are served without signing in (config.public); the
 * moderation routes are the organizers'. Nothing a commenter gave about themselves is ever in a public
 * response; the round's moderators may look up a named commenter's name and contact, one comment at a time.
 */

const TAG = ['portal'];
const PUBLIC = { public: true } as const;

const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });
const Moderation = Type.Union([Type.Literal('pre'), Type.Literal('post')]);
const CommentStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('published'),
  Type.Literal('rejected'),
  Type.Literal('hidden'),
]);
const DispositionCodeOrPending = Type.String();

const PublicComment = Type.Object({
  id: Type.String(),
  clauseStableId: Nullable(Type.String()),
  suggestion: Type.String(),
  reasons: Nullable(Type.String()),
  proposedText: Nullable(Type.String()),
  createdAt: Type.String(),
});

const QueueComment = Type.Intersect([
  PublicComment,
  Type.Object({
    receiptNo: Type.String(),
    status: CommentStatus,
    anonymous: Type.Boolean(),
    named: Type.Boolean(),
    opinionId: Nullable(Type.String()),
    moderationReason: Nullable(Type.String()),
    moderatedBy: Nullable(Type.String()),
    moderatedAt: Nullable(Type.String()),
    redacted: Type.Boolean(),
    personalData: Type.Boolean(),
    redactions: Type.Array(
      Type.Object({
        kinds: Type.Array(Type.String()),
        count: Type.Integer(),
        reason: Type.String(),
        redactedBy: Nullable(Type.String()),
        at: Type.String(),
      }),
    ),
  }),
]);

const Summary = Type.Object({
  roundId: Type.String(),
  title: Type.String(),
  publishedAt: Type.String(),
  comments: Type.Integer(),
  clauses: Type.Array(
    Type.Object({
      clauseStableId: Nullable(Type.String()),
      number: Nullable(Type.String()),
      heading: Nullable(Type.String()),
      excerpt: Nullable(Type.String()),
      comments: Type.Integer(),
      clusters: Type.Array(
        Type.Object({
          size: Type.Integer(),
          representative: Type.String(),
          dispositions: Type.Array(Type.Object({ code: DispositionCodeOrPending, count: Type.Integer() })),
          response: Nullable(Type.Object({ code: Type.String(), reason: Nullable(Type.String()) })),
        }),
      ),
    }),
  ),
});

const Settings = Type.Object({
  roundId: Type.String(),
  moderation: Moderation,
  summaryPublishedAt: Nullable(Type.String()),
  counts: Type.Object({
    pending: Type.Integer(),
    published: Type.Integer(),
    rejected: Type.Integer(),
    hidden: Type.Integer(),
  }),
});

const Page = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

const Text = (maxLength: number) => Type.String({ maxLength });

export const portalRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { portal } = services;
    const { config } = services.ctx;

    app.get(
      '/public/captcha',
      {
        config: PUBLIC,
        schema: {
          tags: TAG,
          summary: 'A proof-of-work CAPTCHA challenge (ALTCHA) to solve before commenting',
          security: [],
          response: {
            200: Type.Object({
              enabled: Type.Boolean(),
              algorithm: Type.String(),
              challenge: Type.String(),
              maxnumber: Type.Integer(),
              salt: Type.String(),
              signature: Type.String(),
            }),
          },
        },
      },
      async (_request, reply) => {
        void reply.header('cache-control', 'no-store');
        return { enabled: config.portalCaptcha, ...(await portal.createCaptcha()) };
      },
    );

    app.get(
      '/public/rounds/:id',
      {
        config: PUBLIC,
        schema: {
          tags: TAG,
          summary: 'A public consultation: the draft clause by clause with the count of shown comments',
          security: [],
          params: IdParams,
          response: {
            200: Type.Object({
              id: Type.String(),
              title: Type.String(),
              status: Type.String(),
              opensAt: Type.String(),
              closesAt: Type.String(),
              deadline: Type.String(),
              accepting: Type.Boolean(),
              moderation: Moderation,
              captcha: Type.Boolean(),
              summaryPublished: Type.Boolean(),
              comments: Type.Integer(),
              clauses: Type.Array(
                Type.Object({
                  stableId: Type.String(),
                  kind: Type.String(),
                  number: Nullable(Type.String()),
                  heading: Nullable(Type.String()),
                  text: Type.String(),
                  depth: Type.Integer(),
                  comments: Type.Integer(),
                }),
              ),
            }),
            404: ErrorResponse,
          },
        },
      },
      async (request) => portal.getPublicRound(request.params.id),
    );

    app.get(
      '/public/rounds/:id/comments',
      {
        config: PUBLIC,
        schema: {
          tags: TAG,
          summary: 'Comments shown on a public consultation, newest first (no names, no contacts)',
          security: [],
          params: IdParams,
          querystring: Type.Intersect([
            Page,
            Type.Object({ clauseStableId: Type.Optional(Type.String({ maxLength: 100 })) }),
          ]),
          response: {
            200: Type.Object({ total: Type.Integer(), items: Type.Array(PublicComment) }),
            404: ErrorResponse,
          },
        },
      },
      async (request) =>
        portal.listPublicComments(request.params.id, {
          clauseStableId: request.query.clauseStableId ?? null,
          limit: request.query.limit,
          offset: request.query.offset,
        }),
    );

    app.post(
      '/public/rounds/:id/comments',
      {
        config: PUBLIC,
        bodyLimit: config.portalBodyLimitBytes,
        schema: {
          tags: TAG,
          summary:
            'Comments on a public consultation (template: clause + suggestion + reasons), with consent',
          description:
            'Anonymous, or with a name and a contact that are kept apart and never published. Limited per client address (429 with Retry-After).',
          security: [],
          params: IdParams,
          body: Type.Object(
            {
              clauseStableId: Nullable(Type.String({ maxLength: 100 })),
              suggestion: Type.String({ minLength: 1, maxLength: 5000 }),
              reasons: Type.Optional(Nullable(Text(5000))),
              proposedText: Type.Optional(Nullable(Text(5000))),
              anonymous: Type.Boolean(),
              name: Type.Optional(Nullable(Text(50))),
              contact: Type.Optional(Nullable(Text(100))),
              consent: Type.Boolean(),
              captcha: Type.Optional(Nullable(Text(2000))),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({
              receiptNo: Type.String(),
              status: CommentStatus,
              submittedAt: Type.String(),
              message: Bilingual,
            }),
            ...errorResponses,
            409: ErrorResponse,
            413: ErrorResponse,
            429: ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        const receipt = await portal.submitComment({
          roundId: request.params.id,
          clientAddress: request.ip,
          input: request.body,
        });
        return reply.code(201).send(receipt);
      },
    );

    app.get(
      '/public/receipts/:receiptNo',
      {
        config: PUBLIC,
        schema: {
          tags: TAG,
          summary: 'What became of a comment, by its receipt number',
          security: [],
          params: Type.Object({ receiptNo: Type.String({ minLength: 1, maxLength: 40 }) }),
          response: {
            200: Type.Object({
              receiptNo: Type.String(),
              roundId: Type.String(),
              status: CommentStatus,
              submittedAt: Type.String(),
              reason: Nullable(Type.String()),
              message: Bilingual,
            }),
            404: ErrorResponse,
          },
        },
      },
      async (request) => portal.getReceipt(request.params.receiptNo),
    );

    app.get(
      '/public/rounds/:id/summary',
      {
        config: PUBLIC,
        schema: {
          tags: TAG,
          summary: 'The published summary (你说我做): per clause what people said and what was done',
          security: [],
          params: IdParams,
          response: { 200: Summary, 404: ErrorResponse },
        },
      },
      async (request) => portal.getPublicSummary(request.params.id),
    );

    app.get(
      '/rounds/:id/portal',
      {
        schema: {
          tags: TAG,
          summary: "A public round's portal: moderation mode, comment counts, summary state",
          params: IdParams,
          response: { 200: Settings, ...errorResponses, 409: ErrorResponse },
        },
      },
      async (request) => portal.getSettings(actorOf(request), request.params.id),
    );

    app.put(
      '/rounds/:id/portal',
      {
        schema: {
          tags: TAG,
          summary: 'Chooses pre-moderation or post-moderation of public comments',
          params: IdParams,
          body: Type.Object({ moderation: Moderation }, { additionalProperties: false }),
          response: { 200: Settings, ...errorResponses, 409: ErrorResponse },
        },
      },
      async (request) => portal.updateSettings(actorOf(request), request.params.id, request.body),
    );

    app.get(
      '/rounds/:id/portal/comments',
      {
        schema: {
          tags: TAG,
          summary: 'The moderation queue: public comments by status, oldest first',
          params: IdParams,
          querystring: Type.Intersect([Page, Type.Object({ status: Type.Optional(CommentStatus) })]),
          response: {
            200: Type.Object({ total: Type.Integer(), items: Type.Array(QueueComment) }),
            ...errorResponses,
            409: ErrorResponse,
          },
        },
      },
      async (request) =>
        portal.listQueue(actorOf(request), request.params.id, {
          status: request.query.status ?? null,
          limit: request.query.limit,
          offset: request.query.offset,
        }),
    );

    app.post(
      '/portal/comments/:id/moderate',
      {
        schema: {
          tags: TAG,
          summary: 'Approves, rejects, hides or restores a public comment (a reason for all but approval)',
          params: IdParams,
          body: Type.Object(
            {
              action: Type.Union([
                Type.Literal('approve'),
                Type.Literal('reject'),
                Type.Literal('hide'),
                Type.Literal('restore'),
              ]),
              reason: Type.Optional(Nullable(Text(1000))),
            },
            { additionalProperties: false },
          ),
          response: { 200: QueueComment, ...errorResponses, 409: ErrorResponse },
        },
      },
      async (request) => portal.moderateComment(actorOf(request), request.params.id, request.body),
    );

    app.get(
      '/portal/comments/:id/commenter',
      {
        schema: {
          tags: TAG,
          summary:
            "A named commenter's name and contact, for the round's moderators only (each look is recorded)",
          params: IdParams,
          response: {
            200: Type.Object({
              commentId: Type.String(),
              anonymous: Type.Boolean(),
              name: Nullable(Type.String()),
              contact: Nullable(Type.String()),
            }),
            ...errorResponses,
            409: ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        void reply.header('cache-control', 'no-store');
        return portal.getCommenter(actorOf(request), request.params.id);
      },
    );

    app.post(
      '/portal/comments/:id/redact',
      {
        schema: {
          tags: TAG,
          summary:
            'Redacts personal data (phones, ID card numbers, e-mails, marked spans), recording the reason',
          params: IdParams,
          body: Type.Object(
            {
              reason: Type.String({ minLength: 1, maxLength: 1000 }),
              spans: Type.Optional(
                Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 20 }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: QueueComment, ...errorResponses, 409: ErrorResponse },
        },
      },
      async (request) => portal.redactComment(actorOf(request), request.params.id, request.body),
    );

    app.post(
      '/rounds/:id/portal/summary',
      {
        schema: {
          tags: TAG,
          summary: 'Publishes the summary (你说我做) of a public round after its comment period',
          params: IdParams,
          response: { 200: Summary, ...errorResponses, 409: ErrorResponse },
        },
      },
      async (request) => portal.publishSummary(actorOf(request), request.params.id),
    );
  };
