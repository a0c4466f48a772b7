import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { ErrorResponse, IdParams, Nullable, UnitLevelSchema, errorResponses } from './schemas.ts';

const RoundKind = Type.Union([Type.Literal('internal'), Type.Literal('public')]);
const Visibility = Type.Union([Type.Literal('never'), Type.Literal('after_close'), Type.Literal('always')]);
const SilencePolicy = Type.Union([Type.Literal('no_reply'), Type.Literal('deemed_no_objection')]);
const DateString = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'YYYY-MM-DD (China-local)',
});

const Question = Type.Object({
  clauseStableId: Type.String({ minLength: 1, maxLength: 100 }),
  question: Type.String({ minLength: 1, maxLength: 2000 }),
});

const InvitationInput = Type.Object({
  unitId: Type.String({ minLength: 1, maxLength: 100 }),
  mandatory: Type.Optional(Type.Boolean()),
  questions: Type.Optional(Type.Array(Question, { maxItems: 50 })),
});

const Urgent = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) });

const RoundFields = {
  title: Type.String({ minLength: 1, maxLength: 200 }),
  kind: RoundKind,
  opensAt: Type.String({ description: 'ISO date and time' }),
  workingDays: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 366 }))),
  deadline: Type.Optional(Nullable(DateString)),
  scope: Nullable(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 500 })),
  visibility: Visibility,
  silencePolicy: SilencePolicy,
  objectionWindowDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
  maxObjectionRounds: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
  urgent: Type.Optional(Nullable(Urgent)),
};

const Round = Type.Object({
  id: Type.String(),
  planId: Type.String(),
  versionId: Type.String(),
  seq: Type.Integer(),
  title: Type.String(),
  kind: RoundKind,
  status: Type.String(),
  scope: Nullable(Type.Array(Type.String())),
  visibility: Visibility,
  silencePolicy: SilencePolicy,
  opensAt: Type.String(),
  deadline: Type.String(),
  closesAt: Type.String(),
  workingDays: Type.Integer(),
  urgent: Type.Boolean(),
  urgentReason: Nullable(Type.String()),
  urgentStatus: Type.String(),
  urgentDecidedBy: Nullable(Type.String()),
  objectionWindowDays: Type.Integer(),
  maxObjectionRounds: Type.Integer(),
  previousRoundId: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  openedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  finishedAt: Nullable(Type.String()),
});

const Invitation = Type.Object({
  id: Type.String(),
  roundId: Type.String(),
  unitId: Type.String(),
  unitName: Type.String(),
  unitCode: Type.String(),
  mandatory: Type.Boolean(),
  level: UnitLevelSchema,
  forwardedByUnitId: Nullable(Type.String()),
  forwardedByUnitName: Nullable(Type.String()),
  questions: Type.Array(Question),
  status: Type.String(),
  deadline: Type.String(),
  extended: Type.Boolean(),
  late: Type.Boolean(),
  acknowledgedAt: Nullable(Type.String()),
  acknowledgedBy: Nullable(Type.String()),
  replyVersion: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  lastRemindedAt: Nullable(Type.String()),
  reminderCount: Type.Integer(),
});

const Extension = Type.Object({
  id: Type.String(),
  invitationId: Type.String(),
  unitId: Type.String(),
  requestedUntil: Type.String(),
  reason: Type.String(),
  status: Type.String(),
  requestedBy: Nullable(Type.String()),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  extraWorkingDays: Type.Integer({ description: "Working days beyond the round's own deadline" }),
});

const changeResponses = { ...errorResponses, 409: ErrorResponse, 422: ErrorResponse };

export const roundRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { rounds } = services;

    app.get(
      '/plans/:id/rounds',
      {
        schema: {
          tags: ['rounds'],
          summary: "A plan's rounds the caller may see",
          params: IdParams,
          response: { 200: Type.Array(Round), ...errorResponses },
        },
      },
      async (request) => rounds.listRounds(actorOf(request), request.params.id),
    );

    app.post(
      '/plans/:id/rounds',
      {
        schema: {
          tags: ['rounds'],
          summary: 'Create a round (征求轮次) on a draft version; give workingDays or deadline',
          params: IdParams,
          body: Type.Object({
            versionId: Type.String({ minLength: 1, maxLength: 100 }),
            ...RoundFields,
            invitations: Type.Optional(Type.Array(InvitationInput, { maxItems: 1000 })),
          }),
          response: { 201: Round, ...changeResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await rounds.createRound(actorOf(request), request.params.id, request.body)),
    );

    app.get(
      '/rounds/:id',
      {
        schema: {
          tags: ['rounds'],
          summary: 'One round',
          params: IdParams,
          response: { 200: Round, ...errorResponses },
        },
      },
      async (request) => rounds.getRound(actorOf(request), request.params.id),
    );

    app.patch(
      '/rounds/:id',
      {
        schema: {
          tags: ['rounds'],
          summary: 'Edit a draft round',
          params: IdParams,
          body: Type.Partial(Type.Object(RoundFields)),
          response: { 200: Round, ...changeResponses },
        },
      },
      async (request) => rounds.updateRound(actorOf(request), request.params.id, request.body),
    );

    const transitions = [
      ['schedule', 'Schedule a draft round (needs at least one invitation)', 'scheduleRound'],
      ['unschedule', 'Take a scheduled round back to draft', 'unscheduleRound'],
      ['open', 'Open a scheduled round now', 'openRound'],
      ['close', 'Close an open round now, recording silence by the round’s policy', 'closeRound'],
      ['start-assessment', 'Start assessing a closed round', 'startAssessment'],
      ['finish', 'Finish a round whose feedback has gone out (closed for good)', 'finishRound'],
    ] as const;
    for (const [path, summary, action] of transitions) {
      app.post(
        `/rounds/:id/${path}`,
        {
          schema: {
            tags: ['rounds'],
            summary,
            params: IdParams,
            response: { 200: Round, ...changeResponses },
          },
        },
        async (request) => rounds[action](actorOf(request), request.params.id),
      );
    }

    for (const decision of ['approve', 'refuse'] as const) {
      app.post(
        `/rounds/:id/urgent/${decision}`,
        {
          schema: {
            tags: ['rounds'],
            summary: `A leader ${decision}s the shortened period of an urgent round`,
            params: IdParams,
            response: { 200: Round, ...changeResponses },
          },
        },
        async (request) => rounds.decideUrgent(actorOf(request), request.params.id, decision),
      );
    }

    app.get(
      '/rounds/:id/invitations',
      {
        schema: {
          tags: ['rounds'],
          summary: 'The round monitor: invited units, their level, status and deadline',
          params: IdParams,
          response: { 200: Type.Array(Invitation), ...errorResponses },
        },
      },
      async (request) => rounds.listInvitations(actorOf(request), request.params.id),
    );

    app.post(
      '/rounds/:id/invitations',
      {
        schema: {
          tags: ['rounds'],
          summary: 'Invite more units (while draft, scheduled or open)',
          params: IdParams,
          body: Type.Object({ invitations: Type.Array(InvitationInput, { minItems: 1, maxItems: 1000 }) }),
          response: { 201: Type.Array(Invitation), ...changeResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await rounds.addInvitations(actorOf(request), request.params.id, request.body.invitations)),
    );

    app.get(
      '/rounds/:id/extensions',
      {
        schema: {
          tags: ['rounds'],
          summary: 'Requests for more time in a round',
          params: IdParams,
          response: { 200: Type.Array(Extension), ...errorResponses },
        },
      },
      async (request) => rounds.listExtensions(actorOf(request), request.params.id),
    );

    app.get(
      '/invitations/mine',
      {
        schema: {
          tags: ['rounds'],
          summary: "The caller's inbox: their unit's solicitations across rounds, with working days left",
          response: {
            200: Type.Array(
              Type.Object({
                ...Invitation.properties,
                roundTitle: Type.String(),
                roundSeq: Type.Integer(),
                roundStatus: Type.String(),
                roundKind: RoundKind,
                planId: Type.String(),
                planName: Type.String(),
                versionId: Type.String(),
                workingDaysLeft: Type.Integer({ description: 'Negative: working days overdue' }),
              }),
            ),
            ...errorResponses,
          },
        },
      },
      async (request) => rounds.listMyInvitations(actorOf(request)),
    );

    app.post(
      '/invitations/:id/acknowledge',
      {
        schema: {
          tags: ['rounds'],
          summary: 'The invited unit acknowledges the solicitation',
          params: IdParams,
          response: { 200: Invitation, ...changeResponses },
        },
      },
      async (request) => rounds.acknowledge(actorOf(request), request.params.id),
    );

    app.post(
      '/invitations/:id/forward',
      {
        schema: {
          tags: ['rounds'],
          summary: 'Forward the solicitation to units below (cascade)',
          params: IdParams,
          body: Type.Object({
            unitIds: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
              minItems: 1,
              maxItems: 500,
            }),
          }),
          response: { 201: Type.Array(Invitation), ...changeResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await rounds.forward(actorOf(request), request.params.id, request.body.unitIds)),
    );

    app.post(
      '/invitations/:id/remind',
      {
        schema: {
          tags: ['rounds'],
          summary:
            "The plan's organizers remind a unit that has not sent its reply, while the round is open (recorded; delivered later)",
          params: IdParams,
          body: Type.Optional(
            Type.Object({ note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))) }),
          ),
          response: { 200: Invitation, ...changeResponses },
        },
      },
      async (request) =>
        rounds.remind(actorOf(request), request.params.id, { note: request.body?.note ?? null }),
    );

    app.post(
      '/invitations/:id/extension',
      {
        schema: {
          tags: ['rounds'],
          summary: 'Ask for more time',
          params: IdParams,
          body: Type.Object({ until: DateString, reason: Type.String({ minLength: 1, maxLength: 2000 }) }),
          response: { 201: Extension, ...changeResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await rounds.requestExtension(actorOf(request), request.params.id, request.body)),
    );

    for (const decision of ['grant', 'refuse'] as const) {
      app.post(
        `/extensions/:id/${decision}`,
        {
          schema: {
            tags: ['rounds'],
            summary: `The plan's organizers ${decision} a request for more time`,
            params: IdParams,
            response: { 200: Extension, ...changeResponses },
          },
        },
        async (request) => rounds.decideExtension(actorOf(request), request.params.id, decision),
      );
    }
  };
