import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import type { LibraryDocumentKind, LibraryVisibility } from '../db/tables/library.ts';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { ErrorResponse, IdParams, Nullable, errorResponses } from './schemas.ts';
import { readUpload } from './upload.ts';

const DOCUMENT_KINDS = ['yearbook', 'policy', 'case', 'other'] as const;
const VISIBILITIES = ['plan', 'unit', 'all'] as const;

const DocumentKind = Type.Union(
  [Type.Literal('yearbook'), Type.Literal('policy'), Type.Literal('case'), Type.Literal('other')],
  { description: 'yearbook 统计年鉴, policy 政策文件, case 案例报告, other' },
);
const Visibility = Type.Union([Type.Literal('plan'), Type.Literal('unit'), Type.Literal('all')], {
  description:
    'plan: the units taking part in the plan (its owner and the units invited to its rounds); unit: the owner unit only; all: everyone',
});
const IndicatorKind = Type.Union([Type.Literal('binding'), Type.Literal('expected')], {
  description: 'binding 约束性, expected 预期性',
});
const CitingKind = Type.Union(
  [
    Type.Literal('opinion'),
    Type.Literal('disposition'),
    Type.Literal('conflict'),
    Type.Literal('calculation'),
  ],
  { description: 'What cites: an opinion, a disposition, a conflict or a calculation sheet' },
);
const Year = Type.Integer({ minimum: 1900, maximum: 2200 });

export const LibraryDocumentSchema = Type.Object(
  {
    id: Type.String(),
    ownerUnitId: Type.String(),
    planId: Nullable(Type.String()),
    visibility: Visibility,
    kind: DocumentKind,
    title: Type.String(),
    source: Nullable(Type.String()),
    year: Nullable(Type.Integer()),
    issuingBody: Nullable(Type.String({ description: '发布机构' })),
    fileName: Type.String(),
    format: Type.Union([
      Type.Literal('pdf'),
      Type.Literal('docx'),
      Type.Literal('xlsx'),
      Type.Literal('txt'),
    ]),
    contentType: Type.String(),
    size: Type.Integer({ description: 'Bytes' }),
    sha256: Type.String(),
    pageCount: Nullable(Type.Integer({ description: 'Pages of a PDF, sheets of a workbook' })),
    passageCount: Type.Integer(),
    charCount: Type.Integer(),
    warnings: Type.Array(Type.String()),
    uploadedBy: Nullable(Type.String()),
    createdAt: Type.String(),
  },
  { description: 'A document of the data library (数据支撑库)' },
);

export const LibraryPassageSchema = Type.Object(
  {
    id: Type.String(),
    documentId: Type.String(),
    ordinal: Type.Integer({ description: 'Position in the document, from 0' }),
    page: Nullable(Type.Integer({ description: 'PDF page, from 1' })),
    label: Nullable(Type.String({ description: 'Sheet and rows of a workbook passage, e.g. 指标!2-21' })),
    text: Type.String(),
  },
  { description: 'A paragraph (or a group of rows) of a document: what search finds and citations open' },
);

const HighlightSchema = Type.Object({
  start: Type.Integer({ description: 'UTF-16 offset, inclusive' }),
  end: Type.Integer({ description: 'UTF-16 offset, exclusive' }),
});

const SnippetSchema = Type.Object(
  {
    text: Type.String({ description: 'Plain text (never markup)' }),
    offset: Type.Integer({ description: "Where the snippet starts in the passage's text" }),
    highlights: Type.Array(HighlightSchema, { description: 'Ranges of `text` to mark' }),
  },
  { description: 'A window of the passage around the first match' },
);

const SearchResultSchema = Type.Object({
  document: LibraryDocumentSchema,
  passage: LibraryPassageSchema,
  score: Type.Number({ description: 'Higher ranks first; comparable within one response only' }),
  snippet: SnippetSchema,
});

export const IndicatorSchema = Type.Object(
  {
    id: Type.String(),
    ownerUnitId: Type.String(),
    planId: Nullable(Type.String()),
    visibility: Visibility,
    documentId: Nullable(Type.String()),
    importId: Type.String(),
    rowNumber: Type.Integer({ description: 'Row in the imported file' }),
    name: Type.String(),
    value: Type.Number(),
    unit: Nullable(Type.String({ description: 'Unit of measure, e.g. %, 亿元, 万辆' })),
    year: Type.Integer(),
    region: Nullable(Type.String()),
    source: Nullable(Type.String()),
    kind: IndicatorKind,
    createdBy: Nullable(Type.String()),
    createdAt: Type.String(),
  },
  { description: 'An indicator (指标) of the data library' },
);

export const CitationSchema = Type.Object(
  {
    id: Type.String(),
    fromKind: CitingKind,
    fromId: Type.String(),
    documentId: Nullable(Type.String()),
    passageId: Nullable(Type.String()),
    indicatorId: Nullable(Type.String()),
    quote: Nullable(Type.String()),
    createdBy: Nullable(Type.String()),
    createdAt: Type.String(),
    document: Nullable(
      Type.Object({
        id: Type.String(),
        title: Type.String(),
        kind: DocumentKind,
        year: Nullable(Type.Integer()),
        source: Nullable(Type.String()),
      }),
    ),
    passage: Nullable(
      Type.Object({
        id: Type.String(),
        ordinal: Type.Integer(),
        page: Nullable(Type.Integer()),
        label: Nullable(Type.String()),
      }),
    ),
    indicator: Nullable(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        value: Type.Number(),
        unit: Nullable(Type.String()),
        year: Type.Integer(),
        region: Nullable(Type.String()),
        kind: IndicatorKind,
      }),
    ),
  },
  { description: 'A citation into the data library; open a passage with GET /library/passages/:id' },
);

const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
};

const uploadErrors = { ...errorResponses, 413: ErrorResponse, 415: ErrorResponse, 422: ErrorResponse };

/** Some clients percent-encode non-ASCII file names in the multipart header; show them as typed. */
function decodeFileName(name: string): string {
  if (!/%[0-9a-f]{2}/iu.test(name)) {
    return name;
  }
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** A content-disposition header that keeps Chinese file names (RFC 6266 / 5987). */
const attachment = (fileName: string): string =>
  `attachment; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/gu, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;

/** A multipart text field, checked like a JSON body would be. */
function field(fields: Record<string, string>, name: string, max = 300): string | undefined {
  const value = fields[name]?.trim();
  if (value !== undefined && value.length > max) {
    throw new AppError('validation_failed', `${name} is longer than ${max} characters.`, { field: name });
  }
  return value === '' ? undefined : value;
}

function oneOf<T extends string>(
  fields: Record<string, string>,
  name: string,
  allowed: readonly T[],
  fallback?: T,
): T {
  const value = field(fields, name) ?? fallback;
  if (value === undefined || !(allowed as readonly string[]).includes(value)) {
    throw new AppError('validation_failed', `${name} must be one of ${allowed.join(', ')}.`, { field: name });
  }
  return value as T;
}

function yearField(fields: Record<string, string>): number | null {
  const value = field(fields, 'year');
  if (value === undefined) {
    return null;
  }
  const year = Number(value);
  if (!/^\d{4}$/.test(value) || year < 1900 || year > 2200) {
    throw new AppError('validation_failed', 'year must be a year such as 2025.', { field: 'year' });
  }
  return year;
}

const UPLOAD_FIELDS =
  'Multipart fields: file (.pdf, .docx, .xlsx or .txt); kind (yearbook|policy|case|other, default other); visibility (plan|unit|all, default unit); title; source; year; issuingBody; planId (required for visibility plan); ownerUnitId (administrators).';

export const libraryRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/library/documents',
      {
        schema: {
          tags: ['library'],
          summary: 'Add a document to the data library (multipart upload; its text is indexed for search)',
          description: UPLOAD_FIELDS,
          consumes: ['multipart/form-data'],
          response: { 201: LibraryDocumentSchema, ...uploadErrors },
        },
      },
      async (request, reply) => {
        const upload = await readUpload(request, 'the document');
        const { fields } = upload;
        const document = await services.library.uploadDocument(
          actorOf(request),
          { fileName: decodeFileName(upload.fileName), data: upload.data },
          {
            kind: oneOf<LibraryDocumentKind>(fields, 'kind', DOCUMENT_KINDS, 'other'),
            visibility: oneOf<LibraryVisibility>(fields, 'visibility', VISIBILITIES, 'unit'),
            year: yearField(fields),
            ...optional('title', field(fields, 'title')),
            ...optional('source', field(fields, 'source')),
            ...optional('issuingBody', field(fields, 'issuingBody')),
            ...optional('planId', field(fields, 'planId', 100)),
            ...optional('ownerUnitId', field(fields, 'ownerUnitId', 100)),
          },
        );
        return reply.status(201).send(document);
      },
    );

    app.get(
      '/library/documents',
      {
        schema: {
          tags: ['library'],
          summary: 'Documents of the data library the caller may see, newest first',
          querystring: Type.Object({
            kind: Type.Optional(DocumentKind),
            year: Type.Optional(Year),
            planId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            text: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 200,
                description: 'Part of the title, source or issuing body',
              }),
            ),
            ...Paging,
          }),
          response: {
            200: Type.Object({ items: Type.Array(LibraryDocumentSchema), total: Type.Integer() }),
            ...errorResponses,
          },
        },
      },
      async (request) => services.library.listDocuments(actorOf(request), request.query),
    );

    app.get(
      '/library/documents/:id',
      {
        schema: {
          tags: ['library'],
          summary: 'One document of the data library',
          params: IdParams,
          response: { 200: LibraryDocumentSchema, ...errorResponses },
        },
      },
      async (request) => services.library.getDocument(actorOf(request), request.params.id),
    );

    app.get(
      '/library/documents/:id/file',
      {
        schema: {
          tags: ['library'],
          summary: 'Download the file of a document as uploaded',
          params: IdParams,
        },
      },
      async (request, reply) => {
        const file = await services.library.getDocumentFile(actorOf(request), request.params.id);
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', attachment(file.fileName))
          .header('x-content-sha256', file.sha256)
          .send(file.data);
      },
    );

    app.delete(
      '/library/documents/:id',
      {
        schema: {
          tags: ['library'],
          summary:
            'Remove a document with its passages and the citations of it (who added it, its unit’s organizers)',
          params: IdParams,
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await services.library.deleteDocument(actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/library/search',
      {
        schema: {
          tags: ['library'],
          summary: 'Full-text search of the data library, Chinese and English, best passages first',
          querystring: Type.Object({
            q: Type.String({ minLength: 1, maxLength: 200 }),
            kind: Type.Optional(DocumentKind),
            year: Type.Optional(Year),
            planId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          }),
          response: {
            200: Type.Object({
              query: Type.String(),
              terms: Type.Array(Type.String(), { description: 'The words searched for, as segmented' }),
              results: Type.Array(SearchResultSchema),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => services.library.search(actorOf(request), request.query),
    );

    app.get(
      '/library/passages/:id',
      {
        schema: {
          tags: ['library'],
          summary: 'Open a passage (as a citation points to it) with the passages around it',
          params: IdParams,
          querystring: Type.Object({ around: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })) }),
          response: {
            200: Type.Object({
              document: LibraryDocumentSchema,
              passage: LibraryPassageSchema,
              before: Type.Array(LibraryPassageSchema),
              after: Type.Array(LibraryPassageSchema),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) =>
        services.library.getPassage(actorOf(request), request.params.id, request.query.around ?? 2),
    );

    app.post(
      '/library/indicators/import',
      {
        schema: {
          tags: ['library'],
          summary: 'Import indicators from .xlsx or .csv with a header row (all rows or none)',
          description:
            'Multipart fields: file; visibility (plan|unit|all, default unit); planId; documentId (the document the figures come from); ownerUnitId (administrators). Headers, Chinese or English: 指标名称/name, 数值/value, 单位/unit, 年份/year, 地区/region, 来源/source, 属性/kind (约束性|预期性|binding|expected). A bad row is refused naming its row and column.',
          consumes: ['multipart/form-data'],
          response: {
            201: Type.Object({
              importId: Type.String(),
              count: Type.Integer(),
              items: Type.Array(IndicatorSchema, { description: 'The first 200 imported indicators' }),
            }),
            ...uploadErrors,
          },
        },
      },
      async (request, reply) => {
        const upload = await readUpload(request, 'the indicator table');
        const { fields } = upload;
        const result = await services.library.importIndicators(
          actorOf(request),
          { fileName: decodeFileName(upload.fileName), data: upload.data },
          {
            visibility: oneOf<LibraryVisibility>(fields, 'visibility', VISIBILITIES, 'unit'),
            ...optional('planId', field(fields, 'planId', 100)),
            ...optional('documentId', field(fields, 'documentId', 100)),
            ...optional('ownerUnitId', field(fields, 'ownerUnitId', 100)),
          },
        );
        return reply.status(201).send(result);
      },
    );

    app.get(
      '/library/indicators',
      {
        schema: {
          tags: ['library'],
          summary: 'Indicators the caller may see, by name and year',
          querystring: Type.Object({
            name: Type.Optional(
              Type.String({ minLength: 1, maxLength: 200, description: 'Part of the name' }),
            ),
            year: Type.Optional(Year),
            region: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            kind: Type.Optional(IndicatorKind),
            planId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            documentId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            ...Paging,
          }),
          response: {
            200: Type.Object({ items: Type.Array(IndicatorSchema), total: Type.Integer() }),
            ...errorResponses,
          },
        },
      },
      async (request) => services.library.listIndicators(actorOf(request), request.query),
    );

    app.post(
      '/citations',
      {
        schema: {
          tags: ['library'],
          summary:
            'Cite a document, passage or indicator of the data library from an opinion, disposition, conflict or calculation sheet',
          body: Type.Object(
            {
              fromKind: CitingKind,
              fromId: Type.String({ minLength: 1, maxLength: 100 }),
              documentId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
              passageId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
              indicatorId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
              quote: Type.Optional(
                Nullable(Type.String({ maxLength: 2000, description: 'Must appear in the cited passage' })),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 201: CitationSchema, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await services.library.createCitation(actorOf(request), request.body)),
    );

    app.get(
      '/citations',
      {
        schema: {
          tags: ['library'],
          summary:
            'The citations made from one item (those into sources the caller may not see are left out)',
          querystring: Type.Object({
            fromKind: CitingKind,
            fromId: Type.String({ minLength: 1, maxLength: 100 }),
          }),
          response: { 200: Type.Array(CitationSchema), ...errorResponses },
        },
      },
      async (request) =>
        services.library.listCitations(actorOf(request), request.query.fromKind, request.query.fromId),
    );
  };

const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);
