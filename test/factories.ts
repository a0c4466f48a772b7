import { randomBytes } from 'node:crypto';
import type { Database } from '../src/server/db/database.ts';
import type { Role, UnitLevel } from '../src/server/db/schema.ts';
import { newId } from '../src/server/lib/ids.ts';
import { hashPassword } from '../src/server/services/auth.service.ts';

export const DEFAULT_PASSWORD = 'correct-horse-battery';

let defaultHash: Promise<string> | null = null;
const passwordHash = (): Promise<string> => (defaultHash ??= hashPassword(DEFAULT_PASSWORD));

const suffix = (): string => randomBytes(4).toString('hex');
const stamp = (): string => new Date().toISOString();

export interface TestUnit {
  id: string;
  code: string;
  name: string;
  level: UnitLevel;
  parentId: string | null;
}

export async function createUnit(
  database: Database,
  overrides: Partial<{
    code: string;
    name: string;
    level: UnitLevel;
    parentId: string | null;
    keywords: string[];
    areas: string[];
  }> = {},
): Promise<TestUnit> {
  const unit = {
    id: newId(),
    code: overrides.code ?? `U${suffix()}`,
    name: overrides.name ?? `测试单位${suffix()}`,
    level: overrides.level ?? 'province',
    parentId: overrides.parentId ?? null,
  };
  await database.db
    .insertInto('unit')
    .values({
      id: unit.id,
      code: unit.code,
      name: unit.name,
      level: unit.level,
      parent_id: unit.parentId,
      areas: JSON.stringify(overrides.areas ?? []),
      keywords: JSON.stringify(overrides.keywords ?? []),
      created_at: stamp(),
      updated_at: stamp(),
    })
    .execute();
  return unit;
}

export interface TestUser {
  id: string;
  login: string;
  name: string;
  roles: Role[];
  unitId: string | null;
  password: string;
}

/** A user with the default password, inserted directly (no argon2 cost per test). */
export async function createUser(
  database: Database,
  overrides: Partial<{
    login: string;
    name: string;
    roles: Role[];
    unitId: string | null;
    status: 'active' | 'disabled';
  }> = {},
): Promise<TestUser> {
  const user: TestUser = {
    id: newId(),
    login: overrides.login ?? `user-${suffix()}`,
    name: overrides.name ?? `用户${suffix()}`,
    roles: overrides.roles ?? ['organizer'],
    unitId: overrides.unitId ?? null,
    password: DEFAULT_PASSWORD,
  };
  await database.db
    .insertInto('user')
    .values({
      id: user.id,
      login: user.login,
      name: user.name,
      email: null,
      unit_id: user.unitId,
      password_hash: await passwordHash(),
      status: overrides.status ?? 'active',
      failed_logins: 0,
      locked_until: null,
      must_change_password: 0,
      last_login_at: null,
      created_at: stamp(),
      updated_at: stamp(),
    })
    .execute();
  if (user.roles.length > 0) {
    await database.db
      .insertInto('user_role')
      .values(user.roles.map((role) => ({ user_id: user.id, role })))
      .execute();
  }
  return user;
}
