import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf, clearSessionCookies, setSessionCookies } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { ErrorResponse, IdParams, Nullable, UserSchema, errorResponses } from './schemas.ts';

const ApiToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Nullable(Type.String()),
  expiresAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
});

export const authRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/auth/login',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with login name and password; sets the session and CSRF cookies',
          body: Type.Object({
            login: Type.String({ minLength: 1, maxLength: 100 }),
            password: Type.String({ minLength: 1, maxLength: 500 }),
          }),
          response: {
            200: Type.Object({ user: UserSchema, csrfToken: Type.String(), expiresAt: Type.String() }),
            401: ErrorResponse,
            403: ErrorResponse,
            423: ErrorResponse,
            429: ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        const result = await services.auth.login({
          login: request.body.login,
          password: request.body.password,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        setSessionCookies(reply, { ...result, secure: services.ctx.config.secureCookies });
        return { user: result.user, csrfToken: result.csrfToken, expiresAt: result.expiresAt };
      },
    );

    app.post(
      '/auth/logout',
      { schema: { tags: ['auth'], summary: 'Sign out', response: { 204: Type.Null(), ...errorResponses } } },
      async (request, reply) => {
        if (request.sessionId) {
          await services.auth.logout(request.sessionId);
        }
        clearSessionCookies(reply);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/auth/me',
      {
        schema: {
          tags: ['auth'],
          summary: 'The signed-in user',
          response: { 200: UserSchema, ...errorResponses },
        },
      },
      async (request) => services.users.getUser(actorOf(request), actorOf(request).userId ?? ''),
    );

    app.get(
      '/auth/tokens',
      {
        schema: {
          tags: ['auth'],
          summary: "The caller's API tokens (never their secrets)",
          response: { 200: Type.Array(ApiToken), ...errorResponses },
        },
      },
      async (request) => services.auth.listApiTokens(actorOf(request)),
    );

    app.post(
      '/auth/tokens',
      {
        schema: {
          tags: ['auth'],
          summary: 'Create an API token for scripts; its secret is shown once',
          body: Type.Object({
            name: Type.String({ minLength: 1, maxLength: 100 }),
            expiresAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
          }),
          response: {
            201: Type.Intersect([ApiToken, Type.Object({ token: Type.String() })]),
            ...errorResponses,
          },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await services.auth.createApiToken(actorOf(request), request.body)),
    );

    app.delete(
      '/auth/tokens/:id',
      {
        schema: {
          tags: ['auth'],
          summary: 'Revoke an API token',
          params: IdParams,
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await services.auth.revokeApiToken(actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
