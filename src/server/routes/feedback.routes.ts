import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { DispositionBasisSchema, DispositionCodeSchema } from './disposition.routes.ts';
import { ErrorResponse, IdParams, Nullable, errorResponses } from './schemas.ts';

const Rating = Type.Union([
  Type.Literal('satisfied'),
  Type.Literal('basically_satisfied'),
  Type.Literal('unsatisfied'),
]);

const LetterSchema = Type.Object({
  id: Type.String(),
  roundId: Type.String(),
  unitId: Type.String(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('sent')]),
  sentBy: Nullable(Type.String()),
  sentAt: Nullable(Type.String()),
  objectionDeadline: Nullable(Type.String()),
  createdAt: Type.String(),
});

const ResponseSchema = Type.Object({
  id: Type.String(),
  letterId: Type.String(),
  opinionId: Type.String(),
  response: Type.Union([Type.Literal('confirmed'), Type.Literal('rated'), Type.Literal('objected')]),
  rating: Nullable(Rating),
  respondedBy: Nullable(Type.String()),
  respondedAt: Type.String(),
});

const ObjectionStatusSchema = Type.Union([
  Type.Literal('open'),
  Type.Literal('upheld'),
  Type.Literal('changed'),
  Type.Literal('escalated'),
  Type.Literal('dissent_recorded'),
]);

const ObjectionSchema = Type.Object({
  id: Type.String(),
  opinionId: Type.String(),
  dispositionId: Type.String(),
  roundNo: Type.Integer(),
  reasons: Type.String(),
  evidence: Type.Array(Type.Unknown()),
  status: ObjectionStatusSchema,
  raisedBy: Nullable(Type.String()),
  raisedAt: Type.String(),
  reviewerId: Nullable(Type.String()),
  reviewedAt: Nullable(Type.String()),
  reviewNote: Nullable(Type.String()),
});

const LetterViewSchema = Type.Object({
  ...LetterSchema.properties,
  items: Type.Array(
    Type.Object({
      opinion: Type.Object({
        id: Type.String(),
        regNo: Nullable(Type.String()),
        clauseStableId: Nullable(Type.String()),
        suggestion: Type.String(),
        reasons: Nullable(Type.String()),
        proposedText: Nullable(Type.String()),
      }),
      disposition: Nullable(
        Type.Object({
          id: Type.String(),
          code: DispositionCodeSchema,
          label: Type.String(),
          reason: Nullable(Type.String()),
          basis: Nullable(DispositionBasisSchema),
        }),
      ),
      responses: Type.Array(ResponseSchema),
      objections: Type.Array(ObjectionSchema),
      objectionOpenUntil: Nullable(Type.String()),
    }),
  ),
});

const NewDisposition = Type.Object({
  code: DispositionCodeSchema,
  reason: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  basis: Type.Optional(Nullable(DispositionBasisSchema)),
});

const writeErrors = { ...errorResponses, 409: ErrorResponse };

export const feedbackRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/rounds/:id/feedback',
      {
        schema: {
          tags: ['feedback'],
          summary: 'Send one feedback letter (反馈) per unit with opinions; the round moves to feedback',
          params: IdParams,
          response: { 201: Type.Array(LetterSchema), ...writeErrors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await services.feedback.sendFeedback(actorOf(request), request.params.id)),
    );

    app.get(
      '/rounds/:id/feedback',
      {
        schema: {
          tags: ['feedback'],
          summary: 'A round’s feedback letters (a unit sees its own)',
          params: IdParams,
          response: { 200: Type.Array(LetterSchema), ...errorResponses },
        },
      },
      async (request) => services.feedback.listLetters(actorOf(request), request.params.id),
    );

    app.get(
      '/feedback/:id',
      {
        schema: {
          tags: ['feedback'],
          summary: 'One letter: each opinion with its approved disposition and the unit’s responses',
          params: IdParams,
          response: { 200: LetterViewSchema, ...errorResponses },
        },
      },
      async (request) => services.feedback.getLetter(actorOf(request), request.params.id),
    );

    app.post(
      '/feedback/:id/responses',
      {
        schema: {
          tags: ['feedback'],
          summary: 'Confirm, rate or object to (异议) one opinion’s disposition',
          params: IdParams,
          body: Type.Object({
            opinionId: Type.String({ minLength: 1, maxLength: 100 }),
            response: Type.Union([
              Type.Literal('confirmed'),
              Type.Literal('rated'),
              Type.Literal('objected'),
            ]),
            rating: Type.Optional(Nullable(Rating)),
            reasons: Type.Optional(Nullable(Type.String({ maxLength: 10000 }))),
            evidence: Type.Optional(Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 20 })),
          }),
          response: {
            201: Type.Object({ response: ResponseSchema, objection: Nullable(ObjectionSchema) }),
            ...writeErrors,
          },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await services.feedback.respond(actorOf(request), request.params.id, request.body)),
    );

    app.get(
      '/rounds/:id/objections',
      {
        schema: {
          tags: ['feedback'],
          summary: 'A round’s objections (a unit sees its own)',
          params: IdParams,
          response: {
            200: Type.Array(Type.Object({ ...ObjectionSchema.properties, unitId: Nullable(Type.String()) })),
            ...errorResponses,
          },
        },
      },
      async (request) => services.feedback.listObjections(actorOf(request), request.params.id),
    );

    app.post(
      '/objections/:id/review',
      {
        schema: {
          tags: ['feedback'],
          summary: 'Review an objection (复核) by someone other than the first approver',
          params: IdParams,
          body: Type.Object({
            outcome: Type.Union([Type.Literal('uphold'), Type.Literal('change'), Type.Literal('escalate')]),
            note: Type.String({ minLength: 1, maxLength: 10000 }),
            newDisposition: Type.Optional(NewDisposition),
          }),
          response: { 200: ObjectionSchema, ...writeErrors },
        },
      },
      async (request) => services.feedback.reviewObjection(actorOf(request), request.params.id, request.body),
    );

    app.post(
      '/objections/:id/decide',
      {
        schema: {
          tags: ['feedback'],
          summary: 'Decide an escalated objection (leaders)',
          params: IdParams,
          body: Type.Object({
            outcome: Type.Union([
              Type.Literal('uphold'),
              Type.Literal('change'),
              Type.Literal('record_dissent'),
            ]),
            note: Type.String({ minLength: 1, maxLength: 10000 }),
            newDisposition: Type.Optional(NewDisposition),
          }),
          response: { 200: ObjectionSchema, ...writeErrors },
        },
      },
      async (request) => services.feedback.decideObjection(actorOf(request), request.params.id, request.body),
    );
  };
