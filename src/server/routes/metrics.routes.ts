import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { IdParams, Nullable, errorResponses } from './schemas.ts';

const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1 }));
const countFields = {
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
};
const rateFields = {
  participationRate: Rate,
  onTimeRate: Rate,
  validOpinionRatio: Rate,
  adoptionRate: Rate,
  satisfaction: Rate,
  objectionRate: Rate,
  levelFit: Rate,
};

export const MetricsSchema = Type.Object({
  scope: Type.Object({ kind: Type.String(), id: Type.String(), planId: Type.String() }),
  counts: Type.Object(countFields),
  ...rateFields,
  solicitationDays: Nullable(Type.Number()),
  integrationDays: Nullable(Type.Number()),
  conflictResolutionDays: Nullable(Type.Object({ median: Type.Number(), max: Type.Number() })),
  objections: Type.Object({
    raised: Type.Integer(),
    open: Type.Integer(),
    reviewed: Type.Integer(),
    upheld: Type.Integer(),
    changed: Type.Integer(),
    escalated: Type.Integer(),
    dissent: Type.Integer(),
  }),
  rounds: Type.Array(
    Type.Object({
      roundId: Type.String(),
      solicitationDays: Nullable(Type.Number()),
      integrationDays: Nullable(Type.Number()),
    }),
  ),
  byUnit: Type.Array(
    Type.Object({
      unitId: Type.String(),
      name: Type.String(),
      code: Type.String(),
      level: Type.String(),
      ...countFields,
      ...rateFields,
      score: Nullable(Type.Number()),
    }),
  ),
  byLevel: Type.Array(Type.Object({ level: Type.String(), ...countFields, ...rateFields })),
});

export const metricsRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/rounds/:id/metrics',
      {
        schema: {
          tags: ['metrics'],
          summary: 'The §5 metrics of a round, per unit and per level (rates in 0..1, null when undefined)',
          params: IdParams,
          response: { 200: MetricsSchema, ...errorResponses },
        },
      },
      async (request) => services.metrics.roundMetrics(actorOf(request), request.params.id),
    );

    app.get(
      '/plans/:id/metrics',
      {
        schema: {
          tags: ['metrics'],
          summary: 'The §5 metrics over all rounds of a plan',
          params: IdParams,
          response: { 200: MetricsSchema, ...errorResponses },
        },
      },
      async (request) => services.metrics.planMetrics(actorOf(request), request.params.id),
    );
  };
