import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError, isAppError } from '../../domain/errors.ts';
import { actorOf } from '../plugins/auth.ts';
import type { Actor } from '../services/context.ts';
import type { Services } from '../services/index.ts';
import { errorResponses } from './schemas.ts';

export const HEARTBEAT_MS = 15_000;

/**
 * Which channels a user may watch: their own `user:<id>`, `job:<id>` of a job they may see and
 * `thread:<id>` of a discussion thread they may read.
 * Everything else is refused alike, so a refusal says nothing about whether a job exists.
 */
async function authorizeChannel(services: Services, actor: Actor, channel: string): Promise<void> {
  const refused = new AppError('forbidden', 'You may not watch this channel.', { field: 'channel' });
  const [, scope, id] = /^(user|job|thread):(.+)$/.exec(channel) ?? [];
  if (scope === 'user' && actor.userId !== null && id === actor.userId) {
    return;
  }
  if ((scope === 'job' || scope === 'thread') && id !== undefined) {
    try {
      await (scope === 'job'
        ? services.jobs.viewJob(actor, id)
        : services.discussion.assertCanWatch(actor, id));
      return;
    } catch (error) {
      throw isAppError(error) && (error.code === 'forbidden' || error.code === 'not_found') ? refused : error;
    }
  }
  throw refused;
}

const send = (raw: ServerResponse, text: string): void => {
  if (!raw.writableEnded) {
    raw.write(text);
  }
};

export const eventsRoutes =
  (services: Services, options: { heartbeatMs?: number } = {}): FastifyPluginAsyncTypebox =>
  async (app) => {
    const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    const open = new Set<ServerResponse>();

    // Open streams would keep the server from closing: end them first.
    app.addHook('preClose', async () => {
      for (const raw of open) {
        raw.end();
      }
    });

    app.get(
      '/events',
      {
        schema: {
          tags: ['events'],
          summary:
            'Live events of one channel as a server-sent events stream (user:<own id>, job:<id>, thread:<id>)',
          description:
            'Sends `event: ready` once subscribed, then one `data:` line of JSON per event, and a comment ' +
            'every 15 s to keep proxies from closing the connection.',
          querystring: Type.Object({
            channel: Type.String({ minLength: 3, maxLength: 200, pattern: '^[A-Za-z0-9][A-Za-z0-9:._-]*$' }),
          }),
          response: {
            200: {
              description: 'A text/event-stream that stays open',
              content: { 'text/event-stream': { schema: Type.String() } },
            },
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const { channel } = request.query;
        await authorizeChannel(services, actorOf(request), channel);
        const raw = reply.raw;
        const unsubscribe = await services.bus.subscribe(channel, (message) => {
          send(raw, `data: ${JSON.stringify(message.payload)}\n\n`);
        });
        reply.hijack();
        open.add(raw);
        const heartbeat = setInterval(() => send(raw, ': heartbeat\n\n'), heartbeatMs);
        const cleanUp = (): void => {
          clearInterval(heartbeat);
          unsubscribe();
          open.delete(raw);
        };
        raw.on('close', cleanUp);
        if (raw.destroyed || request.raw.destroyed) {
          // The client left while we were subscribing.
          cleanUp();
          return;
        }
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        send(raw, `retry: 3000\nevent: ready\ndata: ${JSON.stringify({ channel })}\n\n`);
      },
    );
  };
