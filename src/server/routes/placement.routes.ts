import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { ErrorResponse, IdParams, Nullable, errorResponses } from './schemas.ts';

const UnplacedOpinion = Type.Object({
  id: Type.String(),
  regNo: Nullable(Type.String()),
  roundId: Type.String(),
  unitId: Nullable(Type.String()),
  suggestion: Type.String(),
  clauseStableId: Nullable(Type.String()),
  clauseNumber: Nullable(Type.String()),
  clausePath: Type.String(),
  clauseText: Type.String(),
  versionId: Type.String(),
});

export const placementRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/plans/:id/unplaced-opinions',
      {
        schema: {
          tags: ['revisions'],
          summary: 'Open opinions whose clause a published revision deleted, waiting to be placed',
          params: IdParams,
          response: { 200: Type.Array(UnplacedOpinion), ...errorResponses },
        },
      },
      async (request) => services.placement.listUnplaced(actorOf(request), request.params.id),
    );

    app.post(
      '/opinions/:id/retarget',
      {
        schema: {
          tags: ['revisions'],
          summary: "Point an unplaced opinion at a clause of the plan's current version",
          params: IdParams,
          body: Type.Object({ clauseStableId: Type.String({ minLength: 1 }) }),
          response: {
            200: Type.Array(UnplacedOpinion),
            ...errorResponses,
            409: ErrorResponse,
            422: ErrorResponse,
          },
        },
      },
      async (request) =>
        services.placement.retarget(actorOf(request), request.params.id, request.body.clauseStableId),
    );
  };
