import type { TSchema } from 'typebox';
import { Type } from 'typebox';

/** Shared TypeBox schemas of the API. */

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse' },
);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const RoleSchema = Type.Union([
  Type.Literal('admin'),
  Type.Literal('organizer'),
  Type.Literal('leader'),
  Type.Literal('liaison'),
  Type.Literal('unit_head'),
  Type.Literal('expert'),
]);

export const UserSchema = Type.Object({
  id: Type.String(),
  login: Type.String(),
  name: Type.String(),
  email: Nullable(Type.String()),
  unitId: Nullable(Type.String()),
  roles: Type.Array(RoleSchema),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  lockedUntil: Nullable(Type.String()),
  mustChangePassword: Type.Boolean(),
  lastLoginAt: Nullable(Type.String()),
  createdAt: Type.String(),
});

export const UnitLevelSchema = Type.Union([
  Type.Literal('province'),
  Type.Literal('city'),
  Type.Literal('county'),
]);

export const UnitSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  parentId: Nullable(Type.String()),
  level: UnitLevelSchema,
  areas: Type.Array(Type.String()),
  keywords: Type.Array(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** The error responses every authenticated route can give. */
export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
};
