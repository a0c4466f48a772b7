import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import { EXPORT_KINDS } from '../services/export.service.ts';
import type { Services } from '../services/index.ts';
import { errorResponses } from './schemas.ts';

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987), so 意见汇总表.xlsx survives. */
export const contentDisposition = (fileName: string): string =>
  `attachment; filename="${fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;

export const exportRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/rounds/:id/exports/:kind',
      {
        schema: {
          tags: ['exports'],
          summary:
            'Export a round: opinions (意见汇总表), dispositions (意见采纳情况表), comparison (修改对照表), revision (tracked changes), report (征求意见情况说明), ledger (JSON Lines)',
          params: Type.Object({
            id: Type.String({ minLength: 1, maxLength: 100 }),
            kind: Type.Union(EXPORT_KINDS.map((k) => Type.Literal(k))),
          }),
          querystring: Type.Object({
            format: Type.Optional(
              Type.Union([Type.Literal('xlsx'), Type.Literal('docx'), Type.Literal('jsonl')]),
            ),
            unitId: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 100,
                description:
                  "opinions and dispositions only: one invited unit's rows (a unit's own people get only theirs)",
              }),
            ),
          }),
          response: {
            200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the file' }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const file = await services.exports.exportRound(actorOf(request), {
          roundId: request.params.id,
          kind: request.params.kind,
          ...(request.query.format ? { format: request.query.format } : {}),
          ...(request.query.unitId ? { unitId: request.query.unitId } : {}),
        });
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', contentDisposition(file.fileName))
          .header('cache-control', 'no-store')
          .send(file.data);
      },
    );
  };
