import type { Static, TNull, TSchema, TUnion } from 'typebox';
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

const PAIRED_TYPES = new Set(['number', 'integer', 'boolean']);

/**
 * A value or null. Requests are validated with type coercion, which would turn a null into '' or 0 against
 * a union whose first branch is the scalar. A number or boolean is written as a type pair (`type:
 * ['integer', 'null']`, not coerced when either type matches, so 0 and false stay); anything else with
 * null as the first branch, so a null stays null and an empty string from a form counts as none.
 */
export const Nullable = <T extends TSchema>(schema: T): TUnion<[T, TNull]> => {
  const shape = schema as TSchema & { type?: unknown; const?: unknown; enum?: unknown };
  if (
    typeof shape.type === 'string' &&
    PAIRED_TYPES.has(shape.type) &&
    shape.const === undefined &&
    shape.enum === undefined
  ) {
    return Type.Unsafe<Static<T> | null>({ ...schema, type: [shape.type, 'null'] }) as unknown as TUnion<
      [T, TNull]
    >;
  }
  return Type.Union([Type.Null(), schema]) as unknown as TUnion<[T, TNull]>;
};

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
