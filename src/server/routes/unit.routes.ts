import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { ErrorResponse, IdParams, Nullable, UnitLevelSchema, UnitSchema, errorResponses } from './schemas.ts';

const ResponsibilityList = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 200 });

const UnitFields = {
  code: Type.String({ minLength: 1, maxLength: 64, description: 'Unique unit code (单位编码)' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  parentId: Nullable(Type.String({ minLength: 1, maxLength: 100 })),
  level: UnitLevelSchema,
  areas: ResponsibilityList,
  keywords: ResponsibilityList,
};

const ImportResult = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  rows: Type.Integer(),
});

/** The CSV bytes of an import: the multipart field `file`, or a text/csv body. */
async function readCsv(request: FastifyRequest): Promise<Buffer> {
  if (request.isMultipart()) {
    const file = await request.file();
    if (!file || file.fieldname !== 'file') {
      throw new AppError('validation_failed', 'Upload the CSV file in the field "file".', { field: 'file' });
    }
    return file.toBuffer();
  }
  if (Buffer.isBuffer(request.body)) {
    return request.body;
  }
  throw new AppError(
    'unsupported_type',
    'Send the CSV as multipart/form-data (field "file") or as text/csv.',
    {
      field: 'file',
    },
  );
}

export const unitRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Kept as bytes, not a string: the importer detects the encoding (UTF-8 or GB18030) itself.
    app.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (_request, body, done) => {
      done(null, body);
    });

    app.get(
      '/units',
      {
        schema: {
          tags: ['units'],
          summary: 'The unit directory (单位名录), flat, with parent links',
          response: { 200: Type.Array(UnitSchema), ...errorResponses },
        },
      },
      async (request) => services.units.listUnits(actorOf(request)),
    );

    app.post(
      '/units',
      {
        schema: {
          tags: ['units'],
          summary: 'Create a unit (administrators)',
          body: Type.Object({
            code: UnitFields.code,
            name: UnitFields.name,
            parentId: Type.Optional(UnitFields.parentId),
            level: UnitFields.level,
            areas: Type.Optional(UnitFields.areas),
            keywords: Type.Optional(UnitFields.keywords),
          }),
          response: { 201: UnitSchema, ...errorResponses, 409: ErrorResponse },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await services.units.createUnit(actorOf(request), request.body)),
    );

    app.post(
      '/units/import',
      {
        schema: {
          tags: ['units'],
          summary:
            'Import units from CSV (code,name,parent_code,level,areas,keywords or 编码,名称,上级编码,层级,职责领域,关键词), upserting by code; all or nothing (administrators)',
          // Documented per media type; neither is validated as JSON (the importer reports problems by line).
          body: {
            content: {
              'multipart/form-data': {
                schema: Type.Unsafe<unknown>({ description: 'A form with one field "file": the CSV file' }),
              },
              'text/csv': {
                schema: Type.Unsafe<unknown>({ description: 'CSV text, UTF-8 (BOM optional) or GB18030' }),
              },
            },
          },
          response: {
            200: ImportResult,
            ...errorResponses,
            413: ErrorResponse,
            415: ErrorResponse,
            422: ErrorResponse,
          },
        },
      },
      async (request) => services.units.importUnits(actorOf(request), await readCsv(request)),
    );

    app.get(
      '/units/:id',
      {
        schema: {
          tags: ['units'],
          summary: 'One unit',
          params: IdParams,
          response: { 200: UnitSchema, ...errorResponses },
        },
      },
      async (request) => services.units.getUnit(actorOf(request), request.params.id),
    );

    app.patch(
      '/units/:id',
      {
        schema: {
          tags: ['units'],
          summary: 'Change a unit: code, name, parent, level or responsibility list (administrators)',
          params: IdParams,
          body: Type.Partial(Type.Object(UnitFields), { minProperties: 1 }),
          response: { 200: UnitSchema, ...errorResponses, 409: ErrorResponse },
        },
      },
      async (request) => services.units.updateUnit(actorOf(request), request.params.id, request.body),
    );

    app.delete(
      '/units/:id',
      {
        schema: {
          tags: ['units'],
          summary:
            'Delete a unit nothing refers to (no sub-units, accounts, plans, invitations, opinions or feedback letters); 409 otherwise (administrators)',
          params: IdParams,
          response: { 204: Type.Null(), ...errorResponses, 409: ErrorResponse },
        },
      },
      async (request, reply) => {
        await services.units.deleteUnit(actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
