import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { ErrorResponse, IdParams, Nullable, errorResponses } from './schemas.ts';
import { readUpload } from './upload.ts';

const Plan = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  ownerUnitId: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  versionCount: Type.Integer(),
  latestVersionId: Nullable(Type.String()),
});

const Counts = Type.Record(Type.String(), Type.Integer());

const MatchCounts = Type.Object({
  matched: Type.Integer(),
  changed: Type.Integer(),
  new: Type.Integer(),
  removed: Type.Integer(),
  uncertain: Type.Integer(),
});

export const VersionSchema = Type.Object({
  id: Type.String(),
  planId: Type.String(),
  seq: Type.Integer(),
  label: Type.String(),
  title: Nullable(Type.String()),
  sourceName: Type.String(),
  format: Type.String(),
  clauseCount: Type.Integer(),
  counts: Counts,
  warnings: Type.Array(Type.String()),
  previousVersionId: Nullable(Type.String()),
  match: Nullable(Counts),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
});

export const planRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/plans',
      {
        schema: {
          tags: ['plans'],
          summary: 'Plans the caller may see',
          response: { 200: Type.Array(Plan), ...errorResponses },
        },
      },
      async (request) => services.plans.listPlans(actorOf(request)),
    );

    app.post(
      '/plans',
      {
        schema: {
          tags: ['plans'],
          summary: 'Start a plan (规划)',
          body: Type.Object({
            name: Type.String({ minLength: 1, maxLength: 200 }),
            description: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
            ownerUnitId: Type.Optional(Nullable(Type.String())),
          }),
          response: { 201: Plan, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await services.plans.createPlan(actorOf(request), request.body)),
    );

    app.get(
      '/plans/:id',
      {
        schema: {
          tags: ['plans'],
          summary: 'One plan',
          params: IdParams,
          response: { 200: Plan, ...errorResponses },
        },
      },
      async (request) => services.plans.getPlan(actorOf(request), request.params.id),
    );

    app.get(
      '/plans/:id/versions',
      {
        schema: {
          tags: ['drafts'],
          summary: "A plan's draft versions, oldest first",
          params: IdParams,
          response: { 200: Type.Array(VersionSchema), ...errorResponses },
        },
      },
      async (request) => services.drafts.listVersions(actorOf(request), request.params.id),
    );

    app.post(
      '/plans/:id/versions',
      {
        schema: {
          tags: ['drafts'],
          summary:
            'Import the next draft version from .docx, Markdown or plain text (multipart field "file", optional "label")',
          consumes: ['multipart/form-data'],
          params: IdParams,
          response: {
            201: Type.Object({
              version: VersionSchema,
              counts: Counts,
              match: Nullable(MatchCounts),
              warnings: Type.Array(Type.String()),
            }),
            ...errorResponses,
            413: ErrorResponse,
            415: ErrorResponse,
            422: ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        const upload = await readUpload(request, 'the draft');
        const result = await services.drafts.importVersion(actorOf(request), {
          planId: request.params.id,
          fileName: upload.fileName,
          data: upload.data,
          ...(upload.fields.label ? { label: upload.fields.label } : {}),
        });
        return reply.status(201).send(result);
      },
    );
  };
