import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import { actorOf } from '../plugins/auth.ts';
import { isAdmin } from '../policies/user.policy.ts';
import type { Services } from '../services/index.ts';
import { Nullable, errorResponses } from './schemas.ts';

const LedgerEvent = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actor: Type.String(),
  entity: Type.String(),
  id: Type.String(),
  event: Type.String(),
  payload: Type.Unknown(),
  alg: Type.String(),
  prevHash: Type.String(),
  hash: Type.String(),
});

export const ledgerRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/ledger',
      {
        schema: {
          tags: ['ledger'],
          summary: 'Ledger events in order (administrators)',
          querystring: Type.Object({
            after: Type.Integer({ minimum: 0, default: 0 }),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
            entity: Type.Optional(Type.String()),
            entityId: Type.Optional(Type.String()),
          }),
          response: { 200: Type.Array(LedgerEvent), ...errorResponses },
        },
      },
      async (request) => {
        if (!isAdmin(actorOf(request))) {
          throw new AppError('forbidden', 'Only administrators read the ledger.');
        }
        const { after, limit, entity, entityId } = request.query;
        return services.ledger.list({
          afterSeq: after,
          limit,
          ...(entity ? { entity } : {}),
          ...(entityId ? { entityId } : {}),
        });
      },
    );

    app.get(
      '/ledger/verify',
      {
        schema: {
          tags: ['ledger'],
          summary:
            'Walk the hash chain and name the first altered, inserted or removed event (administrators)',
          response: {
            200: Type.Object({
              ok: Type.Boolean(),
              checked: Type.Integer(),
              lastSeq: Type.Integer(),
              alg: Type.Array(Type.String()),
              break: Nullable(
                Type.Object({ seq: Type.Integer(), problem: Type.String(), message: Type.String() }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        if (!isAdmin(actorOf(request))) {
          throw new AppError('forbidden', 'Only administrators verify the ledger.');
        }
        return services.ledger.verify();
      },
    );
  };
