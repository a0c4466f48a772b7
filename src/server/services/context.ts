import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import type { LedgerService } from './ledger.service.ts';

/** Who is acting: a signed-in user, a script with an API token, the CLI, or the system itself. */
export interface Actor {
  userId: string | null;
  login: string;
  name: string;
  roles: Role[];
  unitId: string | null;
  via: 'session' | 'token' | 'cli' | 'system';
  /** Signed in with a one-time password that must be changed before anything else. */
  mustChangePassword?: boolean;
}

export const SYSTEM_ACTOR: Actor = {
  userId: null,
  login: 'system',
  name: 'system',
  roles: ['admin'],
  unitId: null,
  via: 'system',
};

/** The CLI acts with administrator rights: whoever runs it has the database in hand already. */
export const CLI_ACTOR: Actor = { ...SYSTEM_ACTOR, login: 'cli', name: 'cli', via: 'cli' };

/** How the ledger names an actor. */
export const actorRef = (actor: Actor): string => actor.userId ?? actor.login;

export interface ServiceContext {
  database: Database;
  config: Config;
  now: () => Date;
  ledger: LedgerService;
}
