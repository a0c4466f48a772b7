import type { FastifyError, FastifyInstance } from 'fastify';
import { isAppError } from '../../domain/errors.ts';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** SQLite's and PostgreSQL's unique-constraint errors. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** Maps every error to one JSON shape `{error: {code, message, details}}`; 5xx never show internals. */
export function registerErrorHandler(app: FastifyInstance, options: { spa?: boolean } = {}): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isAppError(error)) {
      const body: ErrorBody = { error: { code: error.code, message: error.message } };
      if (error.details !== undefined) {
        body.error.details = error.details;
      }
      if (error.code === 'rate_limited') {
        const retry = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
        if (retry) {
          void reply.header('retry-after', String(retry));
        }
      }
      if (error.code === 'unavailable') {
        // An optional service is off or down: say so, with the reason, but never its internals.
        request.log.warn({ err: error }, 'service unavailable');
        return reply.status(error.status).send({ error: { code: error.code, message: error.message } });
      }
      if (error.status >= 500) {
        request.log.error({ err: error }, 'request failed');
        return reply
          .status(error.status)
          .send({ error: { code: 'internal', message: 'Internal server error.' } });
      }
      return reply.status(error.status).send(body);
    }
    if (isUniqueViolation(error)) {
      // Two requests raced past the service's own check for a taken name or code.
      return reply.status(409).send({
        error: { code: 'conflict', message: 'That already exists (a concurrent change got there first).' },
      });
    }
    if (error.validation) {
      const details = error.validation.map((v) => {
        const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
        const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
        const field = [error.validationContext, path || missing].filter(Boolean).join('.');
        return { field: missing && path ? `${field}.${missing}` : field, problem: v.message ?? 'is invalid' };
      });
      const first = details[0];
      return reply.status(400).send({
        error: {
          code: 'validation_failed',
          message: first ? `${first.field} ${first.problem}` : 'Invalid request.',
          details,
        },
      });
    }
    const status = error.statusCode ?? 500;
    if (
      status === 413 ||
      error.code === 'FST_REQ_FILE_TOO_LARGE' ||
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
    ) {
      return reply
        .status(413)
        .send({ error: { code: 'payload_too_large', message: 'The request body or upload is too large.' } });
    }
    if (status >= 400 && status < 500) {
      const code = status === 415 ? 'unsupported_type' : status === 404 ? 'not_found' : 'bad_request';
      return reply.status(status).send({ error: { code, message: error.message } });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: { code: 'internal', message: 'Internal server error.' } });
  });

  app.setNotFoundHandler((request, reply) => {
    // Client-side routes of the web app (/plans/…, /inbox) get its page; the API answers in JSON.
    if (options.spa && request.method === 'GET' && !request.url.startsWith('/api')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.status(404).send({
      error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` },
    });
  });
}
