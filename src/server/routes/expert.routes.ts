import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { ErrorResponse, IdParams, Nullable, errorResponses } from './schemas.ts';

const TAG = 'experts';

const FieldKey = Type.String({
  pattern: '^[a-zA-Z][a-zA-Z0-9_-]{1,39}$',
  description:
    'A field of expertise: technology, economy, management, law, environment, planning, finance, society …',
  examples: ['technology', 'economy', 'law'],
});

const ConsultationStatusSchema = Type.Union([Type.Literal('open'), Type.Literal('closed')]);
const AssignmentStatusSchema = Type.Union([
  Type.Literal('invited'),
  Type.Literal('answered'),
  Type.Literal('declined'),
]);

export const ExpertSchema = Type.Object({
  id: Type.String({ description: 'The expert’s user id' }),
  login: Type.String(),
  name: Type.String(),
  email: Nullable(Type.String()),
  unitId: Nullable(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  fields: Type.Array(Type.String(), { description: 'Fields of expertise; empty until a profile is set' }),
  title: Nullable(Type.String({ description: 'Professional title, e.g. 研究员, 教授' })),
  organisation: Nullable(Type.String()),
  bio: Nullable(Type.String()),
  profileUpdatedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const ConsultationSchema = Type.Object({
  id: Type.String(),
  planId: Type.String(),
  roundId: Type.String(),
  conflictId: Nullable(Type.String()),
  title: Type.String(),
  questions: Type.Array(Type.String()),
  opinionIds: Type.Array(Type.String(), { description: 'The opinions sent to the experts' }),
  minAnswers: Type.Integer({ minimum: 1 }),
  deadline: Nullable(Type.String({ format: 'date-time' })),
  revealAfterAnswer: Type.Boolean({
    description: 'Whether an expert who has answered sees the others’ answers before the consultation closes',
  }),
  status: ConsultationStatusSchema,
  createdBy: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  closedBy: Nullable(Type.String()),
  closedAt: Nullable(Type.String({ format: 'date-time' })),
  forced: Type.Boolean({ description: 'Closed with fewer answers than minAnswers' }),
  closeReason: Nullable(Type.String()),
});

const ConsultationListItemSchema = Type.Object({
  ...ConsultationSchema.properties,
  invited: Type.Integer({ minimum: 0 }),
  answered: Type.Integer({ minimum: 0 }),
  declined: Type.Integer({ minimum: 0 }),
  minimumMet: Type.Boolean(),
});

const InboxItemSchema = Type.Object({
  ...ConsultationSchema.properties,
  myStatus: AssignmentStatusSchema,
  invitedAt: Type.String({ format: 'date-time' }),
  answeredAt: Nullable(Type.String({ format: 'date-time' })),
});

const AssignmentSchema = Type.Object({
  consultationId: Type.String(),
  expertId: Type.String(),
  expertName: Type.String(),
  status: AssignmentStatusSchema,
  invitedAt: Type.String({ format: 'date-time' }),
  answeredAt: Nullable(Type.String({ format: 'date-time' })),
  declinedAt: Nullable(Type.String({ format: 'date-time' })),
  declineReason: Nullable(Type.String()),
});

export const AnswerSchema = Type.Object({
  id: Type.String(),
  consultationId: Type.String(),
  expertId: Type.String(),
  recommendation: Type.String(),
  feasibility: Type.Integer({ minimum: 1, maximum: 5 }),
  reasons: Type.String(),
  answers: Type.Array(Type.String(), { description: 'One answer per question, in order' }),
  signedName: Type.String({ description: 'The expert’s name as signed' }),
  signedAt: Type.String({ format: 'date-time' }),
  ledgerSeq: Type.Integer({ description: 'The ledger event that seals the answer' }),
  ledgerHash: Type.String(),
});

const ConsultedOpinionSchema = Type.Object({
  id: Type.String(),
  roundId: Type.String(),
  regNo: Nullable(Type.String()),
  unitId: Nullable(Type.String()),
  unitName: Nullable(Type.String()),
  status: Type.String(),
  submittedAt: Nullable(Type.String()),
  suggestion: Type.String(),
  reasons: Nullable(Type.String()),
  proposedText: Nullable(Type.String()),
  quote: Nullable(Type.String()),
  clause: Nullable(
    Type.Object({
      stableId: Type.String(),
      number: Nullable(Type.String()),
      heading: Nullable(Type.String()),
      text: Type.String(),
    }),
  ),
});

const ConsultedConflictSchema = Type.Object({
  id: Type.String(),
  planId: Type.String(),
  roundId: Type.String(),
  clauseStableId: Type.String(),
  title: Type.String(),
  summary: Nullable(Type.String()),
  status: Type.String(),
  parties: Type.Array(
    Type.Object({
      opinionId: Type.String(),
      unitId: Nullable(Type.String()),
      side: Type.String(),
      position: Nullable(Type.String()),
    }),
  ),
});

const ConsultationViewSchema = Type.Object({
  consultation: ConsultationSchema,
  conflict: Nullable(ConsultedConflictSchema),
  opinions: Type.Array(ConsultedOpinionSchema),
  assignments: Type.Array(AssignmentSchema, {
    description: 'Every invited expert for the plan’s side; an expert sees only their own',
  }),
  myAnswer: Nullable(AnswerSchema),
  answers: Type.Union([Type.Array(AnswerSchema), Type.Null()], {
    description: 'Null while the answers are hidden from this expert',
  }),
  answersHiddenReason: Nullable(Type.String()),
});

const SummarySchema = Type.Object({
  consultationId: Type.String(),
  title: Type.String(),
  status: ConsultationStatusSchema,
  questions: Type.Array(Type.String()),
  minAnswers: Type.Integer(),
  invited: Type.Integer(),
  answered: Type.Integer(),
  declined: Type.Integer(),
  pending: Type.Integer(),
  minimumMet: Type.Boolean(),
  meanScore: Nullable(Type.Number({ description: 'Mean feasibility score, 2 decimals' })),
  medianScore: Nullable(Type.Number()),
  scoreCounts: Type.Array(Type.Integer(), {
    minItems: 5,
    maxItems: 5,
    description: 'Answers giving each feasibility score; index 0 = score 1',
  }),
  experts: Type.Array(
    Type.Object({
      expertId: Type.String(),
      name: Type.String(),
      fields: Type.Array(Type.String()),
      title: Nullable(Type.String()),
      organisation: Nullable(Type.String()),
      status: AssignmentStatusSchema,
      recommendation: Nullable(Type.String()),
      feasibility: Nullable(Type.Integer({ minimum: 1, maximum: 5 })),
      reasons: Nullable(Type.String()),
      answers: Nullable(Type.Array(Type.String())),
      signedAt: Nullable(Type.String({ format: 'date-time' })),
    }),
  ),
  byQuestion: Type.Array(
    Type.Object({
      index: Type.Integer(),
      question: Type.String(),
      answers: Type.Array(
        Type.Object({ expertId: Type.String(), name: Type.String(), answer: Type.String() }),
      ),
    }),
  ),
});

const NewConsultationBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 300 }),
    questions: Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { minItems: 1, maxItems: 20 }),
    expertIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
        minItems: 1,
        maxItems: 50,
        uniqueItems: true,
      }),
    ),
    fields: Type.Optional(Type.Array(FieldKey, { minItems: 1, maxItems: 20 })),
    conflictId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
    opinionIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 200, uniqueItems: true }),
    ),
    minAnswers: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 50, description: 'Default: 2, or 1 when one expert is invited' }),
    ),
    deadline: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
    revealAfterAnswer: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

const writeErrors = { ...errorResponses, 409: ErrorResponse, 422: ErrorResponse };

export const expertRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/experts',
      {
        schema: {
          tags: [TAG],
          summary: 'The expert roster (专家库), optionally one field (organizers, administrators)',
          querystring: Type.Object({
            field: Type.Optional(FieldKey),
            includeDisabled: Type.Optional(Type.Boolean({ default: false })),
          }),
          response: { 200: Type.Array(ExpertSchema), ...errorResponses },
        },
      },
      async (request) => services.experts.listRoster(actorOf(request), request.query),
    );

    app.put(
      '/experts/:id/profile',
      {
        schema: {
          tags: [TAG],
          summary:
            'Set an expert’s profile: fields of expertise, title, organisation (organizers, administrators)',
          params: IdParams,
          body: Type.Object(
            {
              fields: Type.Array(FieldKey, { minItems: 1, maxItems: 20 }),
              title: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
              organisation: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
              bio: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
            },
            { additionalProperties: false },
          ),
          response: { 200: ExpertSchema, ...writeErrors },
        },
      },
      async (request) => services.experts.setProfile(actorOf(request), request.params.id, request.body),
    );

    app.get(
      '/experts/me/consultations',
      {
        schema: {
          tags: [TAG],
          summary: 'The signed-in expert’s inbox: consultations sent to them, nearest deadline first',
          querystring: Type.Object({ includeClosed: Type.Optional(Type.Boolean({ default: false })) }),
          response: { 200: Type.Array(InboxItemSchema), ...errorResponses },
        },
      },
      async (request) => services.experts.listMyConsultations(actorOf(request), request.query),
    );

    app.post(
      '/rounds/:id/consultations',
      {
        schema: {
          tags: [TAG],
          summary: 'Consult experts (专家咨询) on a conflict or on chosen opinions of a round',
          params: IdParams,
          body: NewConsultationBody,
          response: { 201: ConsultationViewSchema, ...writeErrors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await services.experts.createConsultation(actorOf(request), request.params.id, request.body)),
    );

    app.get(
      '/rounds/:id/consultations',
      {
        schema: {
          tags: [TAG],
          summary: 'A round’s expert consultations with their answer counts (the plan’s side)',
          params: IdParams,
          response: { 200: Type.Array(ConsultationListItemSchema), ...errorResponses },
        },
      },
      async (request) => services.experts.listRoundConsultations(actorOf(request), request.params.id),
    );

    app.get(
      '/consultations/:id',
      {
        schema: {
          tags: [TAG],
          summary:
            'One consultation: the conflict or opinions with their clauses, the questions, what answers the viewer may see',
          params: IdParams,
          response: { 200: ConsultationViewSchema, ...errorResponses },
        },
      },
      async (request) => services.experts.getConsultation(actorOf(request), request.params.id),
    );

    app.get(
      '/consultations/:id/answers',
      {
        schema: {
          tags: [TAG],
          summary: 'The experts’ answers; refused to an expert before they have sent their own',
          params: IdParams,
          response: { 200: Type.Array(AnswerSchema), ...errorResponses },
        },
      },
      async (request) => services.experts.listAnswers(actorOf(request), request.params.id),
    );

    app.get(
      '/consultations/:id/summary',
      {
        schema: {
          tags: [TAG],
          summary:
            'The answers side by side: recommendation, score and reasons per expert; mean and median score',
          params: IdParams,
          response: { 200: SummarySchema, ...errorResponses },
        },
      },
      async (request) => services.experts.getSummary(actorOf(request), request.params.id),
    );

    app.post(
      '/consultations/:id/answer',
      {
        schema: {
          tags: [TAG],
          summary: 'Send the expert’s signed answer; it cannot be changed afterwards',
          params: IdParams,
          body: Type.Object(
            {
              recommendation: Type.String({ minLength: 1, maxLength: 5000 }),
              feasibility: Type.Integer({
                minimum: 1,
                maximum: 5,
                description: '1 = not feasible … 5 = fully feasible',
              }),
              reasons: Type.String({ minLength: 1, maxLength: 20000 }),
              answers: Type.Array(Type.String({ minLength: 1, maxLength: 20000 }), {
                maxItems: 20,
                description: 'One answer per question, in order',
              }),
            },
            { additionalProperties: false },
          ),
          response: { 201: AnswerSchema, ...writeErrors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await services.experts.submitAnswer(actorOf(request), request.params.id, request.body)),
    );

    app.post(
      '/consultations/:id/decline',
      {
        schema: {
          tags: [TAG],
          summary: 'Decline a consultation with a reason (e.g. a conflict of interest)',
          params: IdParams,
          body: Type.Object(
            { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
            { additionalProperties: false },
          ),
          response: { 200: AssignmentSchema, ...writeErrors },
        },
      },
      async (request) =>
        services.experts.declineConsultation(actorOf(request), request.params.id, request.body),
    );

    app.post(
      '/consultations/:id/close',
      {
        schema: {
          tags: [TAG],
          summary: 'Close a consultation; with fewer answers than required only when forced with a reason',
          params: IdParams,
          body: Type.Object(
            {
              force: Type.Optional(Type.Boolean({ default: false })),
              reason: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
            },
            { additionalProperties: false },
          ),
          response: { 200: ConsultationSchema, ...writeErrors },
        },
      },
      async (request) =>
        services.experts.closeConsultation(actorOf(request), request.params.id, request.body),
    );
  };
