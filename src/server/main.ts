import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { WEB_BUILD } from './web-build.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db/database.ts';
import type { Database } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { startWorker } from './jobs/worker.ts';
import { createHandlers, schedulePortalCaptchaPrune, scheduleSessionCleanup } from './jobs/handlers.ts';
import { scheduleNotificationDigest } from './jobs/notification.jobs.ts';
import { scheduleReminderSweep } from './jobs/reminder.jobs.ts';
import { scheduleRoundTick } from './jobs/round.jobs.ts';
import { SYSTEM_ACTOR } from './services/context.ts';
import { createServices } from './services/index.ts';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  url: string;
  firstAdmin: { login: string; password: string } | null;
  stop(): Promise<void>;
}

/** Opens the database, applies migrations, creates the first administrator if needed, starts the worker and listens. */
export async function startServer(config: Config): Promise<RunningServer> {
  // Background failures go to the server log once it exists.
  let logError: (error: unknown, message: string) => void = () => undefined;
  const database = openDatabase(config.databaseUrl, {
    onError: (error) => logError(error, 'database connection lost'),
    backgroundCheckpoint: true,
  });
  await migrateToLatest(database);
  const services = createServices({
    database,
    config,
    onError: (error) => logError(error, 'live event bus'),
  });
  const firstAdmin = await services.users.ensureFirstAdmin(SYSTEM_ACTOR);
  const app = await buildApp({ services, logger: { level: config.logLevel }, webRoot: WEB_BUILD });
  logError = (error, message) => app.log.error({ err: error }, message);
  const worker = startWorker({
    queue: services.jobs,
    handlers: createHandlers(services),
    onError: (error) => logError(error, 'job worker'),
  });
  // Rounds open and close on time (a job a minute) and sessions are cleaned up (a job an hour); the
  // dedupe keys name the minute and the hour, so several instances still run each once.
  const schedule = (): void => {
    for (const enqueue of [
      scheduleRoundTick,
      scheduleSessionCleanup,
      scheduleReminderSweep,
      scheduleNotificationDigest,
      schedulePortalCaptchaPrune,
    ]) {
      enqueue(services.jobs, services.ctx).catch((error: unknown) => logError(error, 'schedule'));
    }
  };
  schedule();
  const housekeeping = setInterval(schedule, 30 * 1000);
  housekeeping.unref();
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let stopped = false;
  return {
    app,
    database,
    url: `http://localhost:${port}`,
    firstAdmin,
    async stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      clearInterval(housekeeping);
      await worker.stop();
      await app.close();
      await database.close();
    },
  };
}
