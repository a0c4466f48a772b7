import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import Fastify from 'fastify';
import { registerAuth } from './plugins/auth.ts';
import { registerErrorHandler } from './plugins/errors.ts';
import { registerWeb } from './plugins/web.ts';
import { analysisRoutes } from './routes/analysis.routes.ts';
import { libraryRoutes } from './routes/library.routes.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { calendarRoutes } from './routes/calendar.routes.ts';
import { conflictRoutes } from './routes/conflict.routes.ts';
import { dispositionRoutes } from './routes/disposition.routes.ts';
import { draftRoutes } from './routes/draft.routes.ts';
import { feedbackRoutes } from './routes/feedback.routes.ts';
import { eventsRoutes } from './routes/events.routes.ts';
import { expertRoutes } from './routes/expert.routes.ts';
import { discussionRoutes } from './routes/discussion.routes.ts';
import { reminderRoutes } from './routes/reminder.routes.ts';
import { unitAssessmentRoutes } from './routes/unit-assessment.routes.ts';
import { jobRoutes } from './routes/job.routes.ts';
import { ledgerRoutes } from './routes/ledger.routes.ts';
import { opinionRoutes } from './routes/opinion.routes.ts';
import { planRoutes } from './routes/plan.routes.ts';
import { replyRoutes } from './routes/reply.routes.ts';
import { roundRoutes } from './routes/round.routes.ts';
import { ErrorResponse } from './routes/schemas.ts';
import { exportRoutes } from './routes/export.routes.ts';
import { metricsRoutes } from './routes/metrics.routes.ts';
import { placementRoutes } from './routes/placement.routes.ts';
import { notificationRoutes } from './routes/notification.routes.ts';
import { portalRoutes } from './routes/portal.routes.ts';
import { revisionRoutes } from './routes/revision.routes.ts';
import { dashboardRoutes } from './routes/dashboard.routes.ts';
import { unitRoutes } from './routes/unit.routes.ts';
import { userRoutes } from './routes/user.routes.ts';
import type { Services } from './services/index.ts';

export interface AppOptions {
  services: Services;
  logger?: FastifyServerOptions['logger'];
  /** The built web app to serve at `/` (dist/web); none in API-only tests. */
  webRoot?: string | null;
}

export const API_PREFIX = '/api/v1';

/** How requests are validated: query strings and params coerced to their types, no property dropped. */
export const AJV_OPTIONS = {
  removeAdditional: false,
  coerceTypes: 'array',
  allErrors: false,
  strictTypes: true,
} as const;

/** Builds the HTTP application without listening: main.ts listens, tests inject. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { services } = options;
  const { config } = services.ctx;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: true,
    ajv: { customOptions: AJV_OPTIONS },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const webRoot = options.webRoot && (await registerWeb(app, options.webRoot)) ? options.webRoot : null;
  registerErrorHandler(app, { spa: webRoot !== null });
  // Defence in depth for the browser: no sniffing, no framing, no referrer leaks, same-origin scripts only.
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('referrer-policy', 'same-origin');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      void reply.header(
        'content-security-policy',
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'",
      );
    }
  });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: config.uploadLimitBytes, files: 1, fields: 20 } });
  app.addSchema(ErrorResponse);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Concord API',
        description: 'Soliciting and integrating opinions on draft plans (规划编制中的部门意见征求与整合).',
        version: '1',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'concord_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  registerAuth(app, services);

  app.get('/api/health', { config: { public: true }, schema: { hide: true } }, async () => {
    return { status: 'ok', database: services.ctx.database.dialect };
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      await api.register(authRoutes(services));
      await api.register(eventsRoutes(services));
      await api.register(jobRoutes(services));
      await api.register(unitRoutes(services));
      await api.register(userRoutes(services));
      await api.register(planRoutes(services));
      await api.register(draftRoutes(services));
      await api.register(revisionRoutes(services));
      await api.register(placementRoutes(services));
      await api.register(exportRoutes(services));
      await api.register(metricsRoutes(services));
      await api.register(ledgerRoutes(services));
      await api.register(dispositionRoutes(services));
      await api.register(feedbackRoutes(services));
      await api.register(calendarRoutes(services));
      await api.register(roundRoutes(services));
      await api.register(opinionRoutes(services));
      await api.register(replyRoutes(services));
      await api.register(dashboardRoutes(services));
      await api.register(analysisRoutes(services));
      await api.register(libraryRoutes(services));
      await api.register(conflictRoutes(services));
      await api.register(expertRoutes(services));
      await api.register(discussionRoutes(services));
      await api.register(notificationRoutes(services));
      await api.register(portalRoutes(services));
      await api.register(reminderRoutes(services));
      await api.register(unitAssessmentRoutes(services));
    },
    { prefix: API_PREFIX },
  );
  app.addHook('onClose', async () => {
    await services.bus.close();
  });
  return app;
}
