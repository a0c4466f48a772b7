import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { JobQueue } from '../jobs/queue.ts';
import { AuthService } from './auth.service.ts';
import { UnitService } from './unit.service.ts';
import { UserService } from './user.service.ts';
import type { ServiceContext } from './context.ts';
import { DraftService } from './draft.service.ts';
import { LedgerService } from './ledger.service.ts';
import { LiveBus } from './live-bus.ts';
import { PlanService } from './plan.service.ts';
import { RateLimitService } from './rate-limit.service.ts';

export interface Services {
  ctx: ServiceContext;
  ledger: LedgerService;
  jobs: JobQueue;
  bus: LiveBus;
  rateLimits: RateLimitService;
  auth: AuthService;
  users: UserService;
  units: UnitService;
  plans: PlanService;
  drafts: DraftService;
}

/** Wires every service to one database, configuration and clock. */
export function createServices(options: {
  database: Database;
  config: Config;
  now?: () => Date;
  /** Where background failures (lost LISTEN connection, a listener that threw) are reported. */
  onError?: (error: unknown) => void;
}): Services {
  const now = options.now ?? (() => new Date());
  const ledger = new LedgerService(options.database, options.config.ledgerHash, now);
  const ctx: ServiceContext = { database: options.database, config: options.config, now, ledger };
  const rateLimits = new RateLimitService(ctx);
  const bus = new LiveBus(options.database, {
    now,
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const plans = new PlanService(ctx);
  return {
    ctx,
    plans,
    drafts: new DraftService(ctx, plans),
    ledger,
    jobs: new JobQueue(ctx, { bus }),
    bus,
    rateLimits,
    auth: new AuthService(ctx, rateLimits),
    users: new UserService(ctx),
    units: new UnitService(ctx),
  };
}
