import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Actor } from '../services/context.ts';
import type { Services } from '../services/index.ts';
import type { InvitationView } from '../services/reply.service.ts';
import { ErrorResponse, IdParams, Nullable, errorResponses } from './schemas.ts';

const Invitation = Type.Object({
  id: Type.String(),
  roundId: Type.String(),
  unitId: Type.String(),
  status: Type.String(),
  replyVersion: Type.Integer(),
  late: Type.Boolean(),
  updatedAt: Type.String(),
});

const PositionSchema = Type.Union([
  Type.Literal('no_opinion'),
  Type.Literal('agree_in_principle'),
  Type.Literal('agree_with_amendments'),
  Type.Literal('disagree'),
]);

export const ReceiptSchema = Type.Object({
  replyId: Type.String(),
  number: Type.String(),
  version: Type.Integer(),
  sentAt: Type.String(),
  late: Type.Boolean(),
  ledger: Type.Object({ seq: Type.Integer(), hash: Type.String(), alg: Type.String() }),
});

const Reply = Type.Object({
  id: Type.String(),
  invitationId: Type.String(),
  version: Type.Integer(),
  number: Type.String(),
  position: PositionSchema,
  summary: Nullable(Type.String()),
  opinionIds: Type.Array(Type.String()),
  snapshot: Type.Unknown(),
  signedOffBy: Nullable(Type.String()),
  signedOffAt: Nullable(Type.String()),
  sentBy: Nullable(Type.String()),
  sentAt: Type.String(),
  late: Type.Boolean(),
  receipt: ReceiptSchema,
});

const withRules = { ...errorResponses, 409: ErrorResponse, 422: ErrorResponse };

export const replyRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    const step = (
      path: string,
      summary: string,
      run: (actor: Actor, id: string) => Promise<InvitationView>,
    ) =>
      app.post(
        `/invitations/:id/${path}`,
        {
          schema: {
            tags: ['replies'],
            summary,
            params: IdParams,
            response: { 200: Invitation, ...withRules },
          },
        },
        async (request) => run(actorOf(request), request.params.id),
      );

    step('start-drafting', "Start (or restart, for a re-send) drafting the unit's reply", (actor, id) =>
      services.replies.startDrafting(actor, id),
    );
    step('submit-for-review', 'Submit the reply for internal review (liaison)', (actor, id) =>
      services.replies.submitForReview(actor, id),
    );
    step('sign-off', 'Sign the reply off (签发, unit head)', (actor, id) =>
      services.replies.signOff(actor, id),
    );

    app.post(
      '/invitations/:id/return',
      {
        schema: {
          tags: ['replies'],
          summary: 'Return the reply for changes, with a note (unit head)',
          params: IdParams,
          body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 5000 }) }),
          response: { 200: Invitation, ...withRules },
        },
      },
      async (request) =>
        services.replies.returnForChanges(actorOf(request), request.params.id, request.body.note),
    );

    app.post(
      '/invitations/:id/send',
      {
        schema: {
          tags: ['replies'],
          summary: 'Send the signed-off reply as a frozen, numbered version; returns the receipt (回执)',
          params: IdParams,
          body: Type.Object({
            position: PositionSchema,
            summary: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
            late: Type.Optional(Type.Boolean()),
          }),
          response: { 201: ReceiptSchema, ...withRules },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await services.replies.send(actorOf(request), request.params.id, request.body)),
    );

    app.get(
      '/invitations/:id/replies',
      {
        schema: {
          tags: ['replies'],
          summary: "A unit's sent reply versions with their receipts",
          params: IdParams,
          response: { 200: Type.Array(Reply), ...errorResponses },
        },
      },
      async (request) => services.replies.listReplies(actorOf(request), request.params.id),
    );

    app.get(
      '/replies/:id',
      {
        schema: {
          tags: ['replies'],
          summary: 'One sent reply version with its snapshot and receipt',
          params: IdParams,
          response: { 200: Reply, ...errorResponses },
        },
      },
      async (request) => services.replies.getReply(actorOf(request), request.params.id),
    );
  };
