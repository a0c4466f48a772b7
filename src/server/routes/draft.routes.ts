import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { VersionSchema } from './plan.routes.ts';
import { IdParams, Nullable, errorResponses } from './schemas.ts';

const ClauseNode = Type.Object(
  {
    id: Type.String(),
    stableId: Type.String({ description: 'Identity of the clause across versions' }),
    kind: Type.String(),
    number: Nullable(Type.String({ description: "The clause's own marker, e.g. 第十二条 or （三）" })),
    heading: Nullable(Type.String()),
    text: Type.String(),
    path: Type.String(),
    children: Type.Array(Type.Unknown(), { description: 'Child clauses, of this same shape' }),
  },
  { description: 'A clause and its children' },
);

const ClauseSummary = Type.Object({
  stableId: Type.String(),
  number: Nullable(Type.String()),
  heading: Nullable(Type.String()),
  text: Type.String(),
  path: Type.String(),
});

const MatchReview = Type.Object({
  id: Type.String(),
  versionId: Type.String(),
  status: Type.String(),
  reason: Type.String(),
  score: Nullable(Type.Number()),
  clause: Type.Intersect([Type.Object({ id: Type.String() }), ClauseSummary]),
  candidate: Nullable(ClauseSummary),
  resolvedBy: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String()),
});

const Segment = Type.Object({ op: Type.String(), text: Type.String() });

const DiffEntry = Type.Object({
  stableId: Nullable(Type.String()),
  status: Type.String(),
  previous: Type.Optional(
    Type.Object({
      number: Nullable(Type.String()),
      heading: Nullable(Type.String()),
      text: Type.String(),
      path: Type.String(),
    }),
  ),
  next: Type.Optional(
    Type.Object({
      number: Nullable(Type.String()),
      heading: Nullable(Type.String()),
      text: Type.String(),
      path: Type.String(),
    }),
  ),
  segments: Type.Optional(Type.Array(Segment)),
  headingSegments: Type.Optional(Type.Array(Segment)),
  moved: Type.Optional(Type.Boolean()),
});

export const draftRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/versions/:id',
      {
        schema: {
          tags: ['drafts'],
          summary: 'A draft version with its clause tree',
          params: IdParams,
          response: {
            200: Type.Object({ version: VersionSchema, clauses: Type.Array(ClauseNode) }),
            ...errorResponses,
          },
        },
      },
      async (request) => services.drafts.getClauseTree(actorOf(request), request.params.id),
    );

    app.get(
      '/versions/:id/diff',
      {
        schema: {
          tags: ['drafts'],
          summary: 'Per-clause differences from an earlier version (query "against")',
          params: IdParams,
          querystring: Type.Object({ against: Type.String({ minLength: 1 }) }),
          response: { 200: Type.Array(DiffEntry), ...errorResponses },
        },
      },
      async (request) => services.drafts.diff(actorOf(request), request.params.id, request.query.against),
    );

    app.get(
      '/versions/:id/match-reviews',
      {
        schema: {
          tags: ['drafts'],
          summary: 'Uncertain clause matches of a version, waiting for a person',
          params: IdParams,
          querystring: Type.Object({
            status: Type.Optional(
              Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('rejected')]),
            ),
          }),
          response: { 200: Type.Array(MatchReview), ...errorResponses },
        },
      },
      async (request) =>
        services.drafts.listMatchReviews(actorOf(request), request.params.id, request.query.status),
    );

    app.post(
      '/match-reviews/:id/resolve',
      {
        schema: {
          tags: ['drafts'],
          summary: 'Accept (same clause as before) or reject (a new clause) an uncertain match',
          params: IdParams,
          body: Type.Object({ decision: Type.Union([Type.Literal('accept'), Type.Literal('reject')]) }),
          response: { 200: MatchReview, ...errorResponses, 409: errorResponses[400] },
        },
      },
      async (request) =>
        services.drafts.resolveMatchReview(actorOf(request), request.params.id, request.body.decision),
    );
  };
