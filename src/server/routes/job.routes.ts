import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { ErrorResponse, IdParams, Nullable, errorResponses } from './schemas.ts';

const JobSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: Type.Union([
    Type.Literal('queued'),
    Type.Literal('running'),
    Type.Literal('succeeded'),
    Type.Literal('skipped'),
    Type.Literal('failed'),
    Type.Literal('dead'),
  ]),
  progress: Nullable(Type.Number()),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  result: Type.Unknown(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const jobRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/jobs/dead',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Jobs that failed every attempt (administrators)',
          querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
          response: { 200: Type.Array(JobSchema), ...errorResponses },
        },
      },
      async (request) => services.jobs.listDeadJobs(actorOf(request), { limit: request.query.limit }),
    );

    app.get(
      '/jobs/:id',
      {
        schema: {
          tags: ['jobs'],
          summary: 'The state of a background job (administrators, or the user it runs for)',
          params: IdParams,
          response: { 200: JobSchema, ...errorResponses },
        },
      },
      async (request) => services.jobs.viewJob(actorOf(request), request.params.id),
    );

    app.post(
      '/jobs/:id/retry',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Queue a dead job again with fresh attempts (administrators)',
          params: IdParams,
          response: { 200: JobSchema, ...errorResponses, 409: ErrorResponse },
        },
      },
      async (request) => services.jobs.retryDeadJob(actorOf(request), request.params.id),
    );
  };
