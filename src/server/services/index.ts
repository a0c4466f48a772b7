import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { AuthService } from './auth.service.ts';
import { UserService } from './user.service.ts';
import type { ServiceContext } from './context.ts';
import { LedgerService } from './ledger.service.ts';
import { RateLimitService } from './rate-limit.service.ts';

export interface Services {
  ctx: ServiceContext;
  ledger: LedgerService;
  rateLimits: RateLimitService;
  auth: AuthService;
  users: UserService;
}

/** Wires every service to one database, configuration and clock. */
export function createServices(options: { database: Database; config: Config; now?: () => Date }): Services {
  const now = options.now ?? (() => new Date());
  const ledger = new LedgerService(options.database, options.config.ledgerHash, now);
  const ctx: ServiceContext = { database: options.database, config: options.config, now, ledger };
  const rateLimits = new RateLimitService(ctx);
  return {
    ctx,
    ledger,
    rateLimits,
    auth: new AuthService(ctx, rateLimits),
    users: new UserService(ctx),
  };
}
