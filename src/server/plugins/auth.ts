import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../services/context.ts';
import type { Services } from '../services/index.ts';

export const SESSION_COOKIE = 'concord_session';
export const CSRF_COOKIE = 'concord_csrf';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
  }
  interface FastifyContextConfig {
    /** Routes marked public are served without signing in. */
    public?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What a user signed in with a one-time password may do before changing it. */
const BEFORE_PASSWORD_CHANGE = new Set([
  'GET /api/v1/auth/me',
  'POST /api/v1/auth/password',
  'POST /api/v1/auth/logout',
]);

function requirePasswordChanged(request: FastifyRequest, actor: Actor): void {
  if (
    actor.mustChangePassword &&
    !BEFORE_PASSWORD_CHANGE.has(`${request.method} ${request.routeOptions.url ?? ''}`)
  ) {
    throw new AppError(
      'password_change_required',
      'Change your one-time password first (POST /api/v1/auth/password).',
    );
  }
}

/**
 * Authenticates every API request: an `Authorization: Bearer cnc_…` API token, or the session cookie.
 * Cookie-authenticated writes must echo the session's CSRF token in `x-csrf-token`.
 */
export function registerAuth(app: FastifyInstance, services: Services): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);

  app.addHook('onRequest', async (request) => {
    // Unmatched routes fall through to the 404 handler; public routes need no identity.
    if (
      !request.url.startsWith('/api/v1/') ||
      !request.routeOptions.url ||
      request.routeOptions.config.public
    ) {
      return;
    }
    const authorization = request.headers.authorization;
    if (authorization) {
      const [scheme, token] = authorization.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token) {
        throw new AppError('unauthenticated', 'Authorization must be "Bearer <API token>".');
      }
      request.actor = await services.auth.authenticateApiToken(token);
      requirePasswordChanged(request, request.actor);
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) {
      throw new AppError('unauthenticated', 'Not signed in.');
    }
    const session = await services.auth.authenticateSession(cookie);
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers[CSRF_HEADER];
      services.auth.checkCsrf(session.csrfToken, Array.isArray(header) ? header[0] : header);
    }
    requirePasswordChanged(request, session.actor);
    request.actor = session.actor;
    request.sessionId = session.sessionId;
  });
}

/** The signed-in actor of a request on an authenticated route. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) {
    throw new AppError('unauthenticated', 'Not signed in.');
  }
  return request.actor;
}

export function setSessionCookies(
  reply: FastifyReply,
  options: { token: string; csrfToken: string; expiresAt: string; secure: boolean },
): void {
  const expires = new Date(options.expiresAt);
  void reply.setCookie(SESSION_COOKIE, options.token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secure,
    path: '/',
    expires,
  });
  // Readable by the web app, which echoes it in x-csrf-token; useless to another site.
  void reply.setCookie(CSRF_COOKIE, options.csrfToken, {
    httpOnly: false,
    sameSite: 'strict',
    secure: options.secure,
    path: '/',
    expires,
  });
}

export function clearSessionCookies(reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/' });
  void reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
