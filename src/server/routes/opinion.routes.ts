import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { QualityFilter } from '../../domain/opinion-quality.ts';
import { QUALITY_FILTERS } from '../../domain/opinion-quality.ts';
import type { OpinionKind, OpinionStatus, UnitLevel } from '../db/schema.ts';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import type { OpinionFilters } from '../services/opinion.service.ts';
import { ErrorResponse, IdParams, Nullable, UnitLevelSchema, errorResponses } from './schemas.ts';
import { readUpload } from './upload.ts';

const OpinionKindSchema = Type.Union([
  Type.Literal('substantive'),
  Type.Literal('editorial'),
  Type.Literal('question'),
]);
const OpinionStatusSchema = Type.Union([
  Type.Literal('draft'),
  Type.Literal('submitted'),
  Type.Literal('withdrawn'),
]);

const Evidence = Type.Object({
  id: Type.String(),
  opinionId: Type.String(),
  fileName: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  createdAt: Type.String(),
});

export const OpinionSchema = Type.Object({
  id: Type.String(),
  roundId: Type.String(),
  invitationId: Nullable(Type.String()),
  unitId: Nullable(Type.String()),
  authorId: Nullable(Type.String()),
  regNo: Nullable(Type.String()),
  clauseStableId: Nullable(Type.String()),
  clauseId: Nullable(Type.String()),
  quote: Nullable(Type.String()),
  suggestion: Type.String(),
  reasons: Nullable(Type.String()),
  proposedText: Nullable(Type.String()),
  kind: OpinionKindSchema,
  blocking: Type.Boolean(),
  status: OpinionStatusSchema,
  quality: Type.Object({ score: Type.Number(), flags: Type.Array(Type.String()) }),
  level: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  submittedAt: Nullable(Type.String()),
  withdrawnAt: Nullable(Type.String()),
  evidence: Type.Optional(Type.Array(Evidence)),
});

const PrioritySchema = Type.Union([Type.Literal('core'), Type.Literal('secondary')]);
const DispositionStatusSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('proposed'),
  Type.Literal('approved'),
]);

/** A row of the list: the plan's side also gets the assessment fields, which units never receive. */
const ListedOpinionSchema = Type.Object({
  ...OpinionSchema.properties,
  priority: Type.Optional(Nullable(PrioritySchema)),
  assigneeId: Type.Optional(Nullable(Type.String())),
  dispositionStatus: Type.Optional(DispositionStatusSchema),
});

/** The filters of a round's opinion list (and of its count). */
const ListFilters = {
  clause: Type.Optional(Type.String({ maxLength: 100 })),
  unit: Type.Optional(Type.String({ maxLength: 100 })),
  level: Type.Optional(UnitLevelSchema),
  status: Type.Optional(OpinionStatusSchema),
  kind: Type.Optional(OpinionKindSchema),
  quality: Type.Optional(
    Type.Union(
      QUALITY_FILTERS.map((q) => Type.Literal(q)),
      { description: 'valid (有效), invalid, or one quality flag' },
    ),
  ),
  priority: Type.Optional(
    Type.Union([PrioritySchema, Type.Literal('none')], { description: "The plan's side only" }),
  ),
  dispositionStatus: Type.Optional(DispositionStatusSchema),
  hasProposal: Type.Optional(Type.Boolean({ description: 'With (true) or without (false) a proposed text' })),
};

const ClauseCount = Type.Object({
  clauseStableId: Type.String(),
  total: Type.Integer(),
  blocking: Type.Integer(),
  proposals: Type.Integer(),
  flagged: Type.Integer(),
  open: Type.Integer({ description: 'Without an approved disposition' }),
});

const listFilters = (query: {
  clause?: string;
  unit?: string;
  level?: UnitLevel;
  status?: OpinionStatus;
  kind?: OpinionKind;
  quality?: QualityFilter;
  priority?: 'core' | 'secondary' | 'none';
  dispositionStatus?: 'pending' | 'proposed' | 'approved';
  hasProposal?: boolean;
}): OpinionFilters => ({
  ...(query.clause ? { clauseStableId: query.clause } : {}),
  ...(query.unit ? { unitId: query.unit } : {}),
  ...(query.level ? { level: query.level } : {}),
  ...(query.status ? { status: query.status } : {}),
  ...(query.kind ? { kind: query.kind } : {}),
  ...(query.quality ? { quality: query.quality } : {}),
  ...(query.priority ? { priority: query.priority } : {}),
  ...(query.dispositionStatus ? { dispositionStatus: query.dispositionStatus } : {}),
  ...(query.hasProposal !== undefined ? { hasProposal: query.hasProposal } : {}),
});

const Text = (maxLength: number) => Nullable(Type.String({ maxLength }));

const OpinionFields = {
  clauseStableId: Nullable(Type.String({ minLength: 1, maxLength: 100 })),
  quote: Type.Optional(Text(2000)),
  suggestion: Type.String({ minLength: 1, maxLength: 10000 }),
  reasons: Type.Optional(Text(20000)),
  proposedText: Type.Optional(Text(20000)),
  kind: OpinionKindSchema,
  blocking: Type.Optional(Type.Boolean()),
};

const Quality = Type.Object({
  score: Type.Number(),
  flags: Type.Array(Type.String()),
  hints: Type.Array(Type.String()),
});

const EvidenceParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  evidenceId: Type.String({ minLength: 1, maxLength: 100 }),
});

const withRules = { ...errorResponses, 409: ErrorResponse, 422: ErrorResponse };

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

export const opinionRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/opinions/quality-check',
      {
        schema: {
          tags: ['opinions'],
          summary: 'Check the quality of an opinion while it is typed (意见质量检查)',
          body: Type.Object({
            suggestion: Type.String({ maxLength: 10000 }),
            reasons: Type.Optional(Text(20000)),
            proposedText: Type.Optional(Text(20000)),
            quote: Type.Optional(Text(2000)),
            clauseStableId: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
            kind: Type.Optional(OpinionKindSchema),
          }),
          response: { 200: Quality, ...errorResponses },
        },
      },
      async (request) => {
        actorOf(request);
        return services.opinions.checkQuality(request.body);
      },
    );

    app.post(
      '/rounds/:id/opinions',
      {
        schema: {
          tags: ['opinions'],
          summary: "Draft an opinion for the caller's unit (意见条目)",
          params: IdParams,
          body: Type.Object(OpinionFields),
          response: { 201: OpinionSchema, ...withRules },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await services.opinions.createOpinion(actorOf(request), request.params.id, request.body)),
    );

    app.get(
      '/rounds/:id/opinions',
      {
        schema: {
          tags: ['opinions'],
          summary:
            "A round's opinions the caller may see, oldest first, a page at a time; the plan's side also gets (and filters by) priority, assignee and disposition status",
          params: IdParams,
          querystring: Type.Object({
            ...ListFilters,
            cursor: Type.Optional(Type.String({ maxLength: 500 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          }),
          response: {
            200: Type.Object({ items: Type.Array(ListedOpinionSchema), nextCursor: Nullable(Type.String()) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { cursor, limit, ...filters } = request.query;
        return services.opinions.listOpinions(actorOf(request), request.params.id, {
          ...listFilters(filters),
          ...(cursor ? { cursor } : {}),
          ...(limit ? { limit } : {}),
        });
      },
    );

    app.get(
      '/rounds/:id/opinions/count',
      {
        schema: {
          tags: ['opinions'],
          summary: 'How many opinions the same list (with the same filters) holds',
          params: IdParams,
          querystring: Type.Object(ListFilters),
          response: { 200: Type.Object({ total: Type.Integer() }), ...errorResponses },
        },
      },
      async (request) =>
        services.opinions.countOpinions(actorOf(request), request.params.id, listFilters(request.query)),
    );

    app.get(
      '/plans/:id/clause-counts',
      {
        schema: {
          tags: ['opinions'],
          summary:
            "Per clause, the plan's submitted opinions: how many, blocking, with a proposed text, quality-flagged and still open (the plan's side only)",
          params: IdParams,
          querystring: Type.Object({ roundId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) }),
          response: { 200: Type.Array(ClauseCount), ...errorResponses },
        },
      },
      async (request) =>
        services.opinions.countByClause(
          actorOf(request),
          request.params.id,
          request.query.roundId ? { roundId: request.query.roundId } : {},
        ),
    );

    app.get(
      '/opinions/:id',
      {
        schema: {
          tags: ['opinions'],
          summary: 'One opinion with its evidence files',
          params: IdParams,
          response: { 200: OpinionSchema, ...errorResponses },
        },
      },
      async (request) => services.opinions.getOpinion(actorOf(request), request.params.id),
    );

    app.patch(
      '/opinions/:id',
      {
        schema: {
          tags: ['opinions'],
          summary: 'Edit a draft opinion of your unit',
          params: IdParams,
          body: Type.Partial(Type.Object(OpinionFields)),
          response: { 200: OpinionSchema, ...withRules },
        },
      },
      async (request) => services.opinions.updateOpinion(actorOf(request), request.params.id, request.body),
    );

    app.delete(
      '/opinions/:id',
      {
        schema: {
          tags: ['opinions'],
          summary: 'Delete a draft opinion of your unit',
          params: IdParams,
          response: { 204: Type.Null(), ...withRules },
        },
      },
      async (request, reply) => {
        await services.opinions.deleteOpinion(actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/opinions/:id/withdraw',
      {
        schema: {
          tags: ['opinions'],
          summary: 'Withdraw an opinion (a submitted one only before the round closes)',
          params: IdParams,
          response: { 200: OpinionSchema, ...withRules },
        },
      },
      async (request) => services.opinions.withdrawOpinion(actorOf(request), request.params.id),
    );

    app.post(
      '/opinions/:id/evidence',
      {
        schema: {
          tags: ['opinions'],
          summary: 'Attach an evidence file to a draft opinion (multipart field "file")',
          consumes: ['multipart/form-data'],
          params: IdParams,
          response: { 201: Evidence, ...withRules, 413: ErrorResponse, 415: ErrorResponse },
        },
      },
      async (request, reply) => {
        const { fileName, contentType, data } = await readUpload(request, 'evidence');
        const file = { fileName: decodeFileName(fileName), contentType, data };
        return reply
          .status(201)
          .send(await services.opinions.addEvidence(actorOf(request), request.params.id, file));
      },
    );

    app.get(
      '/opinions/:id/evidence/:evidenceId',
      {
        schema: {
          tags: ['opinions'],
          summary: 'Download an evidence file',
          params: EvidenceParams,
        },
      },
      async (request, reply) => {
        const file = await services.opinions.getEvidence(
          actorOf(request),
          request.params.id,
          request.params.evidenceId,
        );
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', attachment(file.fileName))
          .header('x-content-sha256', file.sha256)
          .header('x-content-type-options', 'nosniff')
          .send(file.data);
      },
    );
  };
