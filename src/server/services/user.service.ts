import { randomInt } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import { AppError } from '../../domain/errors.ts';
import type { Tx } from '../db/executor.ts';
import type { Role } from '../db/schema.ts';
import { ROLES } from '../db/schema.ts';
import { inTransaction } from '../db/executor.ts';
import { newId, newSecret } from '../lib/ids.ts';
import { canManageUsers, canReadUser, userListScope } from '../policies/user.policy.ts';
import { lockLedgerHead } from '../repositories/ledger.repository.ts';
import { deleteSessionsOfUser } from '../repositories/session.repository.ts';
import { findUnitById } from '../repositories/unit.repository.ts';
import type { UserRecord } from '../repositories/user.repository.ts';
import {
  countActiveAdmins,
  countUsersWithRole,
  findPasswordHash,
  findUserById,
  insertUser,
  listUsers,
  loginExists,
  setUserRoles,
  updateUser,
} from '../repositories/user.repository.ts';
import { checkPasswordStrength, hashPassword, requireUser } from './auth.service.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';

export interface CreateUserInput {
  login: string;
  name: string;
  email?: string | null;
  unitId?: string | null;
  roles: Role[];
  /** Omitted: the server draws a one-time password and returns it once, in `oneTimePassword`. */
  password?: string;
  mustChangePassword?: boolean;
}

/** An account just created or reset, with the one-time password the server drew, if it drew one. */
export type UserWithPassword = UserRecord & { oneTimePassword?: string };

export interface UpdateUserInput {
  name?: string;
  email?: string | null;
  unitId?: string | null;
  roles?: Role[];
  status?: 'active' | 'disabled';
}

export interface ListUsersFilter {
  unitId?: string;
  role?: Role;
}

const LOGIN_PATTERN = /^[A-Za-z0-9._@-]{2,64}$/;

// No 0/O, 1/l/I: a one-time password is often read out or typed from a printout.
const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A one-time password in three groups of four, e.g. `k7Pq-x3Mz-9Rtw` (about 68 bits). */
export function newOneTimePassword(): string {
  const group = () =>
    Array.from({ length: 4 }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join('');
  return [group(), group(), group()].join('-');
}

function checkRoles(roles: readonly Role[]): Role[] {
  const badRole = roles.find((r) => !ROLES.includes(r));
  if (badRole) {
    throw new AppError('validation_failed', `Unknown role "${badRole}".`, { field: 'roles' });
  }
  return [...new Set(roles)].sort();
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 100) {
    throw new AppError('validation_failed', 'name must be 1–100 characters.', { field: 'name' });
  }
  return trimmed;
}

const notFound = (): AppError => new AppError('not_found', 'No such user.', { field: 'id' });

export class UserService {
  constructor(private readonly ctx: ServiceContext) {}

  async getUser(actor: Actor, id: string): Promise<UserRecord> {
    const user = await findUserById(this.ctx.database.db, id);
    if (!user) {
      throw notFound();
    }
    if (!canReadUser(actor, user)) {
      throw new AppError('forbidden', "You may not see this user's account.");
    }
    return user;
  }

  /** Administrators list every account (optionally by unit or role); others only their own unit's. */
  async listUsers(actor: Actor, filter: ListUsersFilter = {}): Promise<UserRecord[]> {
    const db = this.ctx.database.db;
    const scope = userListScope(actor);
    if (scope.all) {
      return listUsers(db, filter);
    }
    if (filter.unitId !== undefined && filter.unitId !== scope.unitId) {
      throw new AppError('forbidden', 'You may only list the accounts of your own unit.', {
        field: 'unitId',
      });
    }
    if (scope.unitId === null) {
      // Without a unit there is no colleague to list, only oneself.
      const self = actor.userId ? await findUserById(db, actor.userId) : null;
      return self && (filter.role === undefined || self.roles.includes(filter.role)) ? [self] : [];
    }
    return listUsers(db, { unitId: scope.unitId, ...(filter.role ? { role: filter.role } : {}) });
  }

  /**
   * Creates an account. Without a password the server draws a one-time password, returns it once and
   * requires the user to change it at first sign-in.
   */
  async createUser(actor: Actor, input: CreateUserInput): Promise<UserWithPassword> {
    this.requireManage(actor);
    if (!LOGIN_PATTERN.test(input.login)) {
      throw new AppError('validation_failed', 'login must be 2–64 letters, digits or . _ @ -', {
        field: 'login',
      });
    }
    checkRoles(input.roles);
    const drawn = input.password === undefined ? newOneTimePassword() : null;
    const password = drawn ?? input.password ?? '';
    checkPasswordStrength(password);
    const mustChangePassword = drawn !== null || input.mustChangePassword === true;
    const passwordHash = await hashPassword(password);
    const id = newId();
    await inTransaction(this.ctx.database, async (tx) => {
      if (await loginExists(tx, input.login)) {
        throw new AppError('conflict', `The login name "${input.login}" is taken.`, { field: 'login' });
      }
      if (input.unitId && !(await findUnitById(tx, input.unitId))) {
        throw new AppError('validation_failed', `Unknown unit "${input.unitId}".`, { field: 'unitId' });
      }
      const now = this.ctx.now().toISOString();
      await insertUser(
        tx,
        {
          id,
          login: input.login,
          name: input.name,
          email: input.email ?? null,
          unit_id: input.unitId ?? null,
          password_hash: passwordHash,
          status: 'active',
          failed_logins: 0,
          locked_until: null,
          must_change_password: mustChangePassword ? 1 : 0,
          last_login_at: null,
          created_at: now,
          updated_at: now,
        },
        input.roles,
      );
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'user',
        id,
        event: 'user.created',
        payload: {
          login: input.login,
          name: input.name,
          unitId: input.unitId ?? null,
          roles: [...input.roles].sort(),
        },
      });
    });
    const created = (await findUserById(this.ctx.database.db, id))!;
    return drawn === null ? created : { ...created, oneTimePassword: drawn };
  }

  /**
   * Changes an account's name, email, unit, roles or status. Disabling signs the user out everywhere.
   * The last active administrator can be neither disabled nor stripped of the admin role.
   */
  async updateUser(actor: Actor, id: string, input: UpdateUserInput): Promise<UserRecord> {
    this.requireManage(actor);
    const name = input.name === undefined ? undefined : checkName(input.name);
    const roles = input.roles === undefined ? undefined : checkRoles(input.roles);
    const email = input.email === undefined ? undefined : input.email?.trim() || null;
    return inTransaction(this.ctx.database, async (tx) => {
      await this.serialiseAdminChanges(tx);
      const current = await findUserById(tx, id);
      if (!current) {
        throw notFound();
      }
      if (input.unitId && input.unitId !== current.unitId && !(await findUnitById(tx, input.unitId))) {
        throw new AppError('validation_failed', `Unknown unit "${input.unitId}".`, { field: 'unitId' });
      }
      const before = {
        name: current.name,
        email: current.email,
        unitId: current.unitId,
        roles: current.roles,
        status: current.status,
      };
      const after = {
        name: name ?? before.name,
        email: email === undefined ? before.email : email,
        unitId: input.unitId === undefined ? before.unitId : input.unitId,
        roles: roles ?? before.roles,
        status: input.status ?? before.status,
      };
      const changed = (Object.keys(before) as (keyof typeof before)[]).filter(
        (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
      );
      if (changed.length === 0) {
        return current;
      }
      const wasActiveAdmin = before.status === 'active' && before.roles.includes('admin');
      const staysActiveAdmin = after.status === 'active' && after.roles.includes('admin');
      if (wasActiveAdmin && !staysActiveAdmin && (await countActiveAdmins(tx, id)) === 0) {
        throw new AppError('conflict', 'This is the last active administrator; appoint another one first.', {
          field: after.status === 'active' ? 'roles' : 'status',
        });
      }
      await updateUser(tx, id, {
        name: after.name,
        email: after.email,
        unit_id: after.unitId,
        status: after.status,
        updated_at: this.ctx.now().toISOString(),
      });
      if (changed.includes('roles')) {
        await setUserRoles(tx, id, after.roles);
      }
      const disabled = before.status === 'active' && after.status === 'disabled';
      if (disabled) {
        await deleteSessionsOfUser(tx, id);
      }
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'user',
        id,
        event: 'user.updated',
        payload: {
          before: Object.fromEntries(changed.map((key) => [key, before[key]])),
          after: Object.fromEntries(changed.map((key) => [key, after[key]])),
          ...(disabled ? { sessionsRevoked: true } : {}),
        },
      });
      return (await findUserById(tx, id))!;
    });
  }

  /**
   * An administrator sets a new password, or has the server draw a one-time password (returned once): the
   * user must change it at next sign-in and is signed out now.
   */
  async resetPassword(actor: Actor, id: string, input: { password?: string }): Promise<UserWithPassword> {
    this.requireManage(actor);
    const drawn = input.password === undefined ? newOneTimePassword() : null;
    const password = drawn ?? input.password ?? '';
    checkPasswordStrength(password);
    const passwordHash = await hashPassword(password);
    const user = await inTransaction(this.ctx.database, async (tx) => {
      if (!(await findUserById(tx, id))) {
        throw notFound();
      }
      await updateUser(tx, id, {
        password_hash: passwordHash,
        must_change_password: 1,
        updated_at: this.ctx.now().toISOString(),
      });
      await deleteSessionsOfUser(tx, id);
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'user',
        id,
        event: 'user.password_reset',
        payload: { mustChangePassword: true, sessionsRevoked: true, drawnByServer: drawn !== null },
      });
      return (await findUserById(tx, id))!;
    });
    return drawn === null ? user : { ...user, oneTimePassword: drawn };
  }

  /** Lifts a lockout after repeated failed logins. */
  async unlockUser(actor: Actor, id: string): Promise<UserRecord> {
    this.requireManage(actor);
    return inTransaction(this.ctx.database, async (tx) => {
      const current = await findUserById(tx, id);
      if (!current) {
        throw notFound();
      }
      await updateUser(tx, id, {
        locked_until: null,
        failed_logins: 0,
        updated_at: this.ctx.now().toISOString(),
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'user',
        id,
        event: 'user.unlocked',
        payload: { before: { lockedUntil: current.lockedUntil, failedLogins: current.failedLogins } },
      });
      return (await findUserById(tx, id))!;
    });
  }

  /** Any user changes their own password, proving the current one; clears "must change password". */
  async changeOwnPassword(
    actor: Actor,
    input: { currentPassword: string; newPassword: string; sessionId?: string | null },
  ): Promise<void> {
    const id = requireUser(actor);
    const db = this.ctx.database.db;
    const currentHash = await findPasswordHash(db, id);
    if (!currentHash || !(await verify(currentHash, input.currentPassword))) {
      throw new AppError('unauthenticated', 'The current password is wrong.', { field: 'currentPassword' });
    }
    checkPasswordStrength(input.newPassword, 'newPassword');
    if (input.newPassword === input.currentPassword) {
      throw new AppError('validation_failed', 'The new password must differ from the current one.', {
        field: 'newPassword',
      });
    }
    const passwordHash = await hashPassword(input.newPassword);
    await inTransaction(this.ctx.database, async (tx) => {
      await updateUser(tx, id, {
        password_hash: passwordHash,
        must_change_password: 0,
        updated_at: this.ctx.now().toISOString(),
      });
      // Whoever else held a session with the old password is signed out; this session stays.
      await deleteSessionsOfUser(tx, id, input.sessionId ?? null);
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'user',
        id,
        event: 'user.password_changed',
        payload: {},
      });
    });
  }

  /** Creates the first administrator when there is none; returns its one-time password. */
  async ensureFirstAdmin(actor: Actor): Promise<{ login: string; password: string } | null> {
    if ((await countUsersWithRole(this.ctx.database.db, 'admin')) > 0) {
      return null;
    }
    const password = newSecret(12);
    await this.createUser(actor, {
      login: 'admin',
      name: '系统管理员',
      roles: ['admin'],
      password,
      mustChangePassword: true,
    });
    return { login: 'admin', password };
  }

  private requireManage(actor: Actor): void {
    if (!canManageUsers(actor)) {
      throw new AppError('forbidden', 'Only administrators manage accounts.');
    }
  }

  /**
   * The last-admin guard reads the admins and then writes; two concurrent demotions could each see the
   * other admin still active. Taking the ledger head lock first (every change takes it at its end anyway)
   * runs them one after the other on PostgreSQL; SQLite already serialises writers.
   */
  private async serialiseAdminChanges(tx: Tx): Promise<void> {
    await lockLedgerHead(tx, this.ctx.database.dialect);
  }
}
