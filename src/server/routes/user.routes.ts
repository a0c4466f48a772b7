import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { ErrorResponse, IdParams, Nullable, RoleSchema, UserSchema, errorResponses } from './schemas.ts';

const Password = Type.String({ minLength: 1, maxLength: 500 });
const Status = Type.Union([Type.Literal('active'), Type.Literal('disabled')]);
const Email = Nullable(Type.String({ maxLength: 200 }));
const UnitId = Nullable(Type.String({ minLength: 1, maxLength: 100 }));
const Roles = Type.Array(RoleSchema, { maxItems: 6 });

/** An account with the one-time password the server drew for it: shown once, never stored in clear. */
const UserWithPassword = Type.Object({
  ...UserSchema.properties,
  oneTimePassword: Type.Optional(
    Type.String({ description: 'Present only when the server drew the password; shown this once' }),
  ),
});

export const userRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/users',
      {
        schema: {
          tags: ['users'],
          summary: "Accounts: all for administrators, otherwise those of the caller's unit",
          querystring: Type.Object({
            unitId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            role: Type.Optional(RoleSchema),
          }),
          response: { 200: Type.Array(UserSchema), ...errorResponses },
        },
      },
      async (request) => services.users.listUsers(actorOf(request), request.query),
    );

    app.post(
      '/users',
      {
        schema: {
          tags: ['users'],
          summary: 'Create an account (administrators)',
          body: Type.Object({
            login: Type.String({ minLength: 2, maxLength: 64 }),
            name: Type.String({ minLength: 1, maxLength: 100 }),
            email: Type.Optional(Email),
            unitId: Type.Optional(UnitId),
            roles: Roles,
            password: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 500,
                description:
                  'Omit to have the server draw a one-time password, returned once as oneTimePassword',
              }),
            ),
            mustChangePassword: Type.Optional(
              Type.Boolean({
                default: true,
                description:
                  'Whether the user must choose a new password at first sign-in (default true; always with a drawn password)',
              }),
            ),
          }),
          response: { 201: UserWithPassword, ...errorResponses, 409: ErrorResponse },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await services.users.createUser(actorOf(request), request.body)),
    );

    app.get(
      '/users/:id',
      {
        schema: {
          tags: ['users'],
          summary: 'One account',
          params: IdParams,
          response: { 200: UserSchema, ...errorResponses },
        },
      },
      async (request) => services.users.getUser(actorOf(request), request.params.id),
    );

    app.patch(
      '/users/:id',
      {
        schema: {
          tags: ['users'],
          summary: 'Change name, email, unit, roles or status; disabling signs the user out (administrators)',
          params: IdParams,
          body: Type.Object(
            {
              name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
              email: Type.Optional(Email),
              unitId: Type.Optional(UnitId),
              roles: Type.Optional(Roles),
              status: Type.Optional(Status),
            },
            { minProperties: 1 },
          ),
          response: { 200: UserSchema, ...errorResponses, 409: ErrorResponse },
        },
      },
      async (request) => services.users.updateUser(actorOf(request), request.params.id, request.body),
    );

    app.post(
      '/users/:id/unlock',
      {
        schema: {
          tags: ['users'],
          summary: 'Lift the lockout after repeated failed logins (administrators)',
          params: IdParams,
          response: { 200: UserSchema, ...errorResponses },
        },
      },
      async (request) => services.users.unlockUser(actorOf(request), request.params.id),
    );

    app.post(
      '/users/:id/password',
      {
        schema: {
          tags: ['users'],
          summary:
            'Set a new password for a user (or omit it to have the server draw one, returned once), who must change it at next sign-in; signs them out (administrators)',
          params: IdParams,
          body: Type.Object({ password: Type.Optional(Password) }),
          response: { 200: UserWithPassword, ...errorResponses },
        },
      },
      async (request) => services.users.resetPassword(actorOf(request), request.params.id, request.body),
    );

    app.post(
      '/auth/password',
      {
        schema: {
          tags: ['auth'],
          summary: 'Change your own password, giving the current one',
          body: Type.Object({ currentPassword: Password, newPassword: Password }),
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await services.users.changeOwnPassword(actorOf(request), {
          ...request.body,
          sessionId: request.sessionId,
        });
        return reply.status(204).send(null);
      },
    );
  };
