import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import type { AssessmentQuery } from '../services/unit-assessment.service.ts';
import { contentDisposition } from './export.routes.ts';
import { Nullable, errorResponses } from './schemas.ts';

const Id = Type.String({ minLength: 1, maxLength: 100 });
const Level = Type.Union([Type.Literal('province'), Type.Literal('city'), Type.Literal('county')]);
const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1 }));

/** Percentages; the range and the sum of 100 are checked by the service so the error names the field. */
const Weights = Type.Object({
  onTime: Type.Number({ description: '按时反馈率 weight, 0–100' }),
  completeness: Type.Number({ description: '反馈完整率 weight, 0–100' }),
  validity: Type.Number({ description: '有效意见占比 weight, 0–100' }),
  adoption: Type.Number({ description: '意见采纳率 weight, 0–100' }),
  feedback: Type.Number({ description: '反馈评价参与率 weight, 0–100' }),
});

const EffectiveWeightsSchema = Type.Object({
  unitId: Nullable(Type.String()),
  weights: Weights,
  source: Type.Union([Type.Literal('default'), Type.Literal('global'), Type.Literal('unit')]),
  updatedAt: Nullable(Type.String()),
});

const Components = Type.Object({
  onTime: Rate,
  completeness: Rate,
  validity: Rate,
  adoption: Rate,
  feedback: Rate,
});

const Counts = Type.Object({
  invited: Type.Integer(),
  sent: Type.Integer(),
  onTime: Type.Integer(),
  opinions: Type.Integer(),
  valid: Type.Integer(),
  disposed: Type.Integer(),
  adopted: Type.Integer(),
  partiallyAdopted: Type.Integer(),
  reflected: Type.Integer(),
  rated: Type.Integer(),
  satisfied: Type.Integer(),
  objected: Type.Integer(),
});

const AssessmentSchema = Type.Object({
  period: Type.Object({ from: Type.String(), to: Type.String() }),
  level: Nullable(Level),
  ownerUnitId: Nullable(Type.String()),
  weights: EffectiveWeightsSchema,
  roundCount: Type.Integer(),
  rankedCount: Type.Integer(),
  ownUnitOnly: Type.Boolean({ description: "true when the actor sees only their own unit's score" }),
  units: Type.Array(
    Type.Object({
      unitId: Type.String(),
      name: Type.String(),
      code: Type.String(),
      level: Level,
      rounds: Type.Integer(),
      counts: Counts,
      components: Components,
      score: Nullable(Type.Number({ minimum: 0, maximum: 100 })),
      rank: Nullable(Type.Integer({ minimum: 1 })),
    }),
  ),
});

const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'China-local date' });
const Query = Type.Object({
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  level: Type.Optional(Level),
  ownerUnitId: Type.Optional(Id),
});

const toQuery = (q: {
  from?: string;
  to?: string;
  level?: AssessmentQuery['level'];
  ownerUnitId?: string;
}) => ({
  from: q.from ?? null,
  to: q.to ?? null,
  level: q.level ?? null,
  ownerUnitId: q.ownerUnitId ?? null,
});

export const unitAssessmentRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/unit-assessment',
      {
        schema: {
          tags: ['unit-assessment'],
          summary:
            '部门考核: the weighted score of each unit over the rounds whose deadline falls in the period, ranked (ties share a rank)',
          querystring: Query,
          response: { 200: AssessmentSchema, ...errorResponses },
        },
      },
      async (request) => services.unitAssessment.assess(actorOf(request), toQuery(request.query)),
    );

    app.get(
      '/unit-assessment/units/:unitId/report.docx',
      {
        schema: {
          tags: ['unit-assessment'],
          summary:
            "A unit's assessment report (.docx): score, rank, components, rounds, strengths and weaknesses",
          params: Type.Object({ unitId: Id }),
          querystring: Query,
          response: {
            200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the report' }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const file = await services.unitAssessment.unitReport(
          actorOf(request),
          request.params.unitId,
          toQuery(request.query),
        );
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', contentDisposition(file.fileName))
          .header('cache-control', 'no-store')
          .send(file.data);
      },
    );

    app.get(
      '/unit-assessment/weights',
      {
        schema: {
          tags: ['unit-assessment'],
          summary: "The weights in force: a unit's override, else the global default",
          querystring: Type.Object({ unitId: Type.Optional(Id) }),
          response: { 200: EffectiveWeightsSchema, ...errorResponses },
        },
      },
      async (request) => services.unitAssessment.getWeights(actorOf(request), request.query.unitId ?? null),
    );

    app.put(
      '/unit-assessment/weights',
      {
        schema: {
          tags: ['unit-assessment'],
          summary:
            'Set the global default weights (administrators) or an owning unit’s override (its organizers); percentages summing to 100',
          body: Type.Object({ unitId: Type.Optional(Nullable(Id)), weights: Weights }),
          response: { 200: EffectiveWeightsSchema, ...errorResponses },
        },
      },
      async (request) =>
        services.unitAssessment.setWeights(actorOf(request), {
          unitId: request.body.unitId ?? null,
          weights: request.body.weights,
        }),
    );

    app.delete(
      '/unit-assessment/weights/units/:unitId',
      {
        schema: {
          tags: ['unit-assessment'],
          summary: "Drop a unit's override; the global default applies again",
          params: Type.Object({ unitId: Id }),
          response: { 200: EffectiveWeightsSchema, ...errorResponses },
        },
      },
      async (request) => services.unitAssessment.clearWeights(actorOf(request), request.params.unitId),
    );
  };
