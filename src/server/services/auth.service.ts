import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../domain/errors.ts';
import type { Role } from '../db/schema.ts';
import { inTransaction } from '../db/executor.ts';
import { addSeconds, newId, newSecret, safeEqual, sha256Hex } from '../lib/ids.ts';
import {
  deleteSession,
  findApiToken,
  findApiTokenByHash,
  findSession,
  insertApiToken,
  insertSession,
  listApiTokens,
  revokeApiToken,
  touchApiToken,
  touchSession,
} from '../repositories/session.repository.ts';
import type { UserRecord } from '../repositories/user.repository.ts';
import { findUserById, findUserByLogin, updateUser } from '../repositories/user.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';
import type { RateLimitService } from './rate-limit.service.ts';

export const MIN_PASSWORD_LENGTH = 10;

// argon2id with the OWASP-recommended memory cost (19 MiB, 2 passes).
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2_OPTIONS);

export function checkPasswordStrength(password: string, field = 'password'): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('validation_failed', `Password must be at least ${MIN_PASSWORD_LENGTH} characters.`, {
      field,
    });
  }
}

/** Hash of a password nobody has: unknown logins spend the same time as wrong passwords. */
let decoyHash: Promise<string> | null = null;

export interface LoginResult {
  token: string;
  csrfToken: string;
  expiresAt: string;
  user: UserRecord;
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export const API_TOKEN_PREFIX = 'cnc_';

function actorOf(user: UserRecord, via: Actor['via']): Actor {
  return {
    userId: user.id,
    login: user.login,
    name: user.name,
    roles: user.roles,
    unitId: user.unitId,
    via,
    mustChangePassword: user.mustChangePassword,
  };
}

export class AuthService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly rateLimits: RateLimitService,
  ) {}

  async login(input: {
    login: string;
    password: string;
    ip: string | null;
    userAgent: string | null;
  }): Promise<LoginResult> {
    const { config, database, ledger } = this.ctx;
    await this.rateLimits.hit({
      key: `login:${input.ip ?? 'unknown'}`,
      limit: config.loginRateLimit,
      windowSeconds: 60,
    });
    const user = await findUserByLogin(database.db, input.login);
    const invalid = new AppError('unauthenticated', 'Wrong login name or password.', { field: 'password' });
    if (!user) {
      decoyHash ??= hashPassword(newSecret());
      await verify(await decoyHash, input.password);
      throw invalid;
    }
    const now = this.ctx.now();
    if (user.lockedUntil && Date.parse(user.lockedUntil) > now.getTime()) {
      throw new AppError(
        'account_locked',
        'This account is locked after repeated failed logins; try again later.',
        {
          lockedUntil: user.lockedUntil,
        },
      );
    }
    if (user.status !== 'active') {
      throw new AppError('forbidden', 'This account is disabled.');
    }
    if (!(await verify(user.passwordHash, input.password))) {
      const failures = user.failedLogins + 1;
      const lock = failures >= config.lockoutThreshold;
      await inTransaction(database, async (tx) => {
        await updateUser(tx, user.id, {
          failed_logins: lock ? 0 : failures,
          locked_until: lock ? addSeconds(now, config.lockoutSeconds).toISOString() : user.lockedUntil,
          updated_at: now.toISOString(),
        });
        if (lock) {
          await ledger.append(tx, {
            actor: 'system',
            entity: 'user',
            id: user.id,
            event: 'user.locked',
            payload: { failures, lockedForSeconds: config.lockoutSeconds },
          });
        }
      });
      throw lock
        ? new AppError('account_locked', 'Too many failed logins: the account is locked for a while.', {
            lockedForSeconds: config.lockoutSeconds,
          })
        : invalid;
    }
    const token = newSecret();
    const csrfToken = newSecret();
    const expiresAt = addSeconds(now, config.sessionAbsoluteSeconds).toISOString();
    await inTransaction(database, async (tx) => {
      await insertSession(tx, {
        id: sha256Hex(token),
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: expiresAt,
        ip: input.ip,
        user_agent: input.userAgent?.slice(0, 300) ?? null,
      });
      await updateUser(tx, user.id, {
        failed_logins: 0,
        locked_until: null,
        last_login_at: now.toISOString(),
        updated_at: now.toISOString(),
      });
    });
    const { passwordHash: _hidden, ...record } = user;
    return { token, csrfToken, expiresAt, user: { ...record, failedLogins: 0, lockedUntil: null } };
  }

  /** Resolves a session cookie; enforces idle and absolute expiry. */
  async authenticateSession(token: string): Promise<{ actor: Actor; csrfToken: string; sessionId: string }> {
    const { database, config } = this.ctx;
    const sessionId = sha256Hex(token);
    const session = await findSession(database.db, sessionId);
    if (!session) {
      throw new AppError('unauthenticated', 'Not signed in.');
    }
    const now = this.ctx.now();
    const idleLimit = Date.parse(session.last_seen_at) + config.sessionIdleSeconds * 1000;
    if (Date.parse(session.expires_at) <= now.getTime() || idleLimit <= now.getTime()) {
      await deleteSession(database.db, sessionId);
      throw new AppError('session_expired', 'Your session has expired; please sign in again.');
    }
    const user = await findUserById(database.db, session.user_id);
    if (!user || user.status !== 'active') {
      await deleteSession(database.db, sessionId);
      throw new AppError('unauthenticated', 'Not signed in.');
    }
    // Writing on every request would serialise reads; a minute of precision is enough for idle expiry.
    if (now.getTime() - Date.parse(session.last_seen_at) > 60_000) {
      await touchSession(database.db, sessionId, now.toISOString());
    }
    return { actor: actorOf(user, 'session'), csrfToken: session.csrf_token, sessionId };
  }

  checkCsrf(expected: string, given: string | undefined): void {
    if (!given || !safeEqual(expected, given)) {
      throw new AppError('csrf_failed', 'Missing or wrong CSRF token (send the x-csrf-token header).');
    }
  }

  async authenticateApiToken(token: string): Promise<Actor> {
    const { database } = this.ctx;
    const row = token.startsWith(API_TOKEN_PREFIX)
      ? await findApiTokenByHash(database.db, sha256Hex(token))
      : undefined;
    const now = this.ctx.now();
    if (!row || row.revoked_at || (row.expires_at && Date.parse(row.expires_at) <= now.getTime())) {
      throw new AppError('unauthenticated', 'Invalid, expired or revoked API token.');
    }
    const user = await findUserById(database.db, row.user_id);
    if (!user || user.status !== 'active') {
      throw new AppError('unauthenticated', 'Invalid, expired or revoked API token.');
    }
    if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > 60_000) {
      await touchApiToken(database.db, row.id, now.toISOString());
    }
    return actorOf(user, 'token');
  }

  async logout(sessionId: string): Promise<void> {
    await deleteSession(this.ctx.database.db, sessionId);
  }

  async createApiToken(
    actor: Actor,
    input: { name: string; expiresAt?: string | null },
  ): Promise<ApiTokenInfo & { token: string }> {
    const userId = requireUser(actor);
    const now = this.ctx.now();
    if (input.expiresAt && Date.parse(input.expiresAt) <= now.getTime()) {
      throw new AppError('validation_failed', 'expiresAt must be in the future.', { field: 'expiresAt' });
    }
    const token = `${API_TOKEN_PREFIX}${newSecret()}`;
    const id = newId();
    const createdAt = now.toISOString();
    await inTransaction(this.ctx.database, async (tx) => {
      await insertApiToken(tx, {
        id,
        user_id: userId,
        name: input.name,
        token_hash: sha256Hex(token),
        created_at: createdAt,
        expires_at: input.expiresAt ?? null,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'api_token',
        id,
        event: 'api_token.created',
        payload: { name: input.name, userId, expiresAt: input.expiresAt ?? null },
      });
    });
    return {
      id,
      name: input.name,
      createdAt,
      lastUsedAt: null,
      expiresAt: input.expiresAt ?? null,
      revokedAt: null,
      token,
    };
  }

  async listApiTokens(actor: Actor): Promise<ApiTokenInfo[]> {
    const rows = await listApiTokens(this.ctx.database.db, requireUser(actor));
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      expiresAt: r.expires_at,
      revokedAt: r.revoked_at,
    }));
  }

  async revokeApiToken(actor: Actor, id: string): Promise<void> {
    const row = await findApiToken(this.ctx.database.db, id);
    if (!row || (row.user_id !== actor.userId && !actor.roles.includes('admin'))) {
      throw new AppError('not_found', 'No such API token.', { field: 'id' });
    }
    if (row.revoked_at) {
      return;
    }
    await inTransaction(this.ctx.database, async (tx) => {
      await revokeApiToken(tx, id, this.ctx.now().toISOString());
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'api_token',
        id,
        event: 'api_token.revoked',
        payload: { userId: row.user_id },
      });
    });
  }
}

export function requireUser(actor: Actor): string {
  if (!actor.userId) {
    throw new AppError('forbidden', 'This action needs a user account.');
  }
  return actor.userId;
}

export const hasRole = (actor: Actor, ...roles: Role[]): boolean =>
  roles.some((r) => actor.roles.includes(r));
