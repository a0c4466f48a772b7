import { AppError } from '../../domain/errors.ts';
import type { Role } from '../db/schema.ts';
import { ROLES } from '../db/schema.ts';
import { inTransaction } from '../db/executor.ts';
import { newId, newSecret } from '../lib/ids.ts';
import { canManageUsers, canReadUser } from '../policies/user.policy.ts';
import { findUnitById } from '../repositories/unit.repository.ts';
import type { UserRecord } from '../repositories/user.repository.ts';
import {
  countUsersWithRole,
  findUserById,
  insertUser,
  loginExists,
} from '../repositories/user.repository.ts';
import { checkPasswordStrength, hashPassword } from './auth.service.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';

export interface CreateUserInput {
  login: string;
  name: string;
  email?: string | null;
  unitId?: string | null;
  roles: Role[];
  password: string;
  mustChangePassword?: boolean;
}

const LOGIN_PATTERN = /^[A-Za-z0-9._@-]{2,64}$/;

export class UserService {
  constructor(private readonly ctx: ServiceContext) {}

  async getUser(actor: Actor, id: string): Promise<UserRecord> {
    const user = await findUserById(this.ctx.database.db, id);
    if (!user) {
      throw new AppError('not_found', 'No such user.', { field: 'id' });
    }
    if (!canReadUser(actor, user)) {
      throw new AppError('forbidden', "You may not see this user's account.");
    }
    return user;
  }

  async createUser(actor: Actor, input: CreateUserInput): Promise<UserRecord> {
    if (!canManageUsers(actor)) {
      throw new AppError('forbidden', 'Only administrators manage accounts.');
    }
    if (!LOGIN_PATTERN.test(input.login)) {
      throw new AppError('validation_failed', 'login must be 2–64 letters, digits or . _ @ -', {
        field: 'login',
      });
    }
    const badRole = input.roles.find((r) => !ROLES.includes(r));
    if (badRole) {
      throw new AppError('validation_failed', `Unknown role "${badRole}".`, { field: 'roles' });
    }
    checkPasswordStrength(input.password);
    const passwordHash = await hashPassword(input.password);
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
          must_change_password: input.mustChangePassword ? 1 : 0,
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
    return (await findUserById(this.ctx.database.db, id))!;
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
}
