import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { ErrorResponse, IdParams, Nullable, errorResponses } from './schemas.ts';

export const DispositionCodeSchema = Type.Union([
  Type.Literal('adopted'),
  Type.Literal('partially_adopted'),
  Type.Literal('not_adopted'),
  Type.Literal('already_reflected'),
  Type.Literal('explained'),
  Type.Literal('for_reference'),
  Type.Literal('out_of_scope'),
]);

export const DispositionBasisSchema = Type.Union([
  Type.Literal('law_policy'),
  Type.Literal('data'),
  Type.Literal('responsibilities'),
  Type.Literal('conflict'),
  Type.Literal('out_of_scope'),
  Type.Literal('other'),
]);

const DispositionStatusSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('proposed'),
  Type.Literal('approved'),
]);

export const DispositionSchema = Type.Object({
  id: Type.String(),
  opinionId: Type.String(),
  code: DispositionCodeSchema,
  reason: Nullable(Type.String()),
  basis: Nullable(DispositionBasisSchema),
  status: Type.Union([
    Type.Literal('proposed'),
    Type.Literal('approved'),
    Type.Literal('rejected'),
    Type.Literal('superseded'),
  ]),
  proposedBy: Nullable(Type.String()),
  proposedAt: Type.String(),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  objectionId: Nullable(Type.String()),
  createdAt: Type.String(),
});

const Priority = Type.Union([Type.Literal('core'), Type.Literal('secondary')]);

const AssessedOpinionSchema = Type.Object({
  id: Type.String(),
  roundId: Type.String(),
  unitId: Nullable(Type.String()),
  regNo: Nullable(Type.String()),
  clauseStableId: Nullable(Type.String()),
  suggestion: Type.String(),
  reasons: Nullable(Type.String()),
  proposedText: Nullable(Type.String()),
  kind: Type.String(),
  blocking: Type.Boolean(),
  priority: Nullable(Priority),
  assigneeId: Nullable(Type.String()),
  dispositionStatus: DispositionStatusSchema,
  submittedAt: Nullable(Type.String()),
});

const ReasonTemplateSchema = Type.Object({
  id: Type.String(),
  planId: Nullable(Type.String()),
  code: DispositionCodeSchema,
  basis: Nullable(DispositionBasisSchema),
  text: Type.String(),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
});

const DispositionBody = {
  code: DispositionCodeSchema,
  reason: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  basis: Type.Optional(Nullable(DispositionBasisSchema)),
  templateId: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
};

const writeErrors = { ...errorResponses, 409: ErrorResponse };

export const dispositionRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.patch(
      '/opinions/:id/assessment',
      {
        schema: {
          tags: ['dispositions'],
          summary: 'Set an opinion’s priority and assessor (研判)',
          params: IdParams,
          body: Type.Object({
            priority: Type.Optional(Nullable(Priority)),
            assigneeId: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
          }),
          response: { 200: AssessedOpinionSchema, ...writeErrors },
        },
      },
      async (request) =>
        services.dispositions.assessOpinion(actorOf(request), request.params.id, request.body),
    );

    app.get(
      '/rounds/:id/assessment-queue',
      {
        schema: {
          tags: ['dispositions'],
          summary:
            'Submitted opinions of a round per assessor (`me` or a user id) and disposition status, by registration number, a page at a time',
          params: IdParams,
          querystring: Type.Object({
            assignee: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            status: Type.Optional(DispositionStatusSchema),
            cursor: Type.Optional(Type.String({ maxLength: 500 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          }),
          response: {
            200: Type.Object({
              items: Type.Array(AssessedOpinionSchema),
              nextCursor: Nullable(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { assignee, status, cursor, limit } = request.query;
        return services.dispositions.assessmentQueue(actorOf(request), request.params.id, {
          ...(assignee ? { assignee } : {}),
          ...(status ? { status } : {}),
          ...(cursor ? { cursor } : {}),
          ...(limit ? { limit } : {}),
        });
      },
    );

    app.post(
      '/opinions/:id/dispositions',
      {
        schema: {
          tags: ['dispositions'],
          summary: 'Propose a disposition (处理意见); supersedes an earlier proposal',
          params: IdParams,
          body: Type.Object(DispositionBody),
          response: { 201: DispositionSchema, ...writeErrors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await services.dispositions.proposeDisposition(actorOf(request), request.params.id, request.body),
          ),
    );

    app.get(
      '/opinions/:id/dispositions',
      {
        schema: {
          tags: ['dispositions'],
          summary: 'An opinion’s dispositions, oldest first',
          params: IdParams,
          response: { 200: Type.Array(DispositionSchema), ...errorResponses },
        },
      },
      async (request) => services.dispositions.listDispositions(actorOf(request), request.params.id),
    );

    app.post(
      '/rounds/:id/dispositions/bulk',
      {
        schema: {
          tags: ['dispositions'],
          summary: 'Propose one disposition for many opinions of a round, all or nothing',
          params: IdParams,
          body: Type.Object({
            opinionIds: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
              minItems: 1,
              maxItems: 1000,
            }),
            ...DispositionBody,
          }),
          response: { 201: Type.Array(DispositionSchema), ...writeErrors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await services.dispositions.proposeBulk(actorOf(request), request.params.id, request.body)),
    );

    app.post(
      '/dispositions/:id/approve',
      {
        schema: {
          tags: ['dispositions'],
          summary: 'Approve a proposed disposition (by someone other than its proposer)',
          params: IdParams,
          response: { 200: DispositionSchema, ...writeErrors },
        },
      },
      async (request) => services.dispositions.approveDisposition(actorOf(request), request.params.id),
    );

    app.post(
      '/dispositions/:id/reject',
      {
        schema: {
          tags: ['dispositions'],
          summary: 'Reject a proposed disposition (by someone other than its proposer)',
          params: IdParams,
          body: Type.Optional(
            Type.Object({ note: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))) }),
          ),
          response: { 200: DispositionSchema, ...writeErrors },
        },
      },
      async (request) =>
        services.dispositions.rejectDisposition(
          actorOf(request),
          request.params.id,
          request.body?.note ?? null,
        ),
    );

    app.get(
      '/reason-templates',
      {
        schema: {
          tags: ['dispositions'],
          summary: 'Reusable reason templates: global ones, plus a plan’s own with `planId`',
          querystring: Type.Object({ planId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) }),
          response: { 200: Type.Array(ReasonTemplateSchema), ...errorResponses },
        },
      },
      async (request) => services.dispositions.listTemplates(actorOf(request), request.query.planId ?? null),
    );

    app.post(
      '/reason-templates',
      {
        schema: {
          tags: ['dispositions'],
          summary: 'Keep a reason template (for one plan, or global without `planId`)',
          body: Type.Object({
            planId: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
            code: DispositionCodeSchema,
            basis: Type.Optional(Nullable(DispositionBasisSchema)),
            text: Type.String({ minLength: 1, maxLength: 5000 }),
          }),
          response: { 201: ReasonTemplateSchema, ...writeErrors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await services.dispositions.createTemplate(actorOf(request), request.body)),
    );

    app.delete(
      '/reason-templates/:id',
      {
        schema: {
          tags: ['dispositions'],
          summary: 'Delete a reason template',
          params: IdParams,
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await services.dispositions.deleteTemplate(actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
