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

const dispositionCodeFields = Type.Object({
  adopted: Type.Integer(),
  partially_adopted: Type.Integer(),
  not_adopted: Type.Integer(),
  already_reflected: Type.Integer(),
  explained: Type.Integer(),
  for_reference: Type.Integer(),
  out_of_scope: Type.Integer(),
});

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
      seq: Type.Integer(),
      title: Type.String(),
      status: Type.String(),
      opensAt: Type.String(),
      deadline: Type.String({ description: 'the last China-local day on which a reply is on time' }),
      closesAt: Type.String(),
      openedAt: Nullable(Type.String()),
      closedAt: Nullable(Type.String()),
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
      byCode: dispositionCodeFields,
    }),
  ),
  byLevel: Type.Array(Type.Object({ level: Type.String(), ...countFields, ...rateFields })),
  timeline: Type.Array(
    Type.Object({
      date: Type.String({ description: 'China-local day (UTC+8)' }),
      onTime: Type.Integer(),
      late: Type.Integer(),
    }),
    { description: "units' first replies per day: each replying invitation counted once" },
  ),
  byCode: dispositionCodeFields,
  ratings: Type.Object({
    satisfied: Type.Integer(),
    basicallySatisfied: Type.Integer(),
    unsatisfied: Type.Integer(),
    confirmed: Type.Integer(),
    objected: Type.Integer(),
  }),
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
