import type { Executor } from '../db/executor.ts';
import type { Role, UserRow, UserTable } from '../db/schema.ts';
import type { Insertable, Updateable } from 'kysely';

export interface UserRecord {
  id: string;
  login: string;
  name: string;
  email: string | null;
  unitId: string | null;
  roles: Role[];
  status: 'active' | 'disabled';
  failedLogins: number;
  lockedUntil: string | null;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export function toUserRecord(row: UserRow, roles: Role[]): UserRecord {
  return {
    id: row.id,
    login: row.login,
    name: row.name,
    email: row.email,
    unitId: row.unit_id,
    roles: [...roles].sort(),
    status: row.status,
    failedLogins: row.failed_logins,
    lockedUntil: row.locked_until,
    mustChangePassword: row.must_change_password === 1,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
  };
}

export async function rolesOf(db: Executor, userIds: string[]): Promise<Map<string, Role[]>> {
  const map = new Map<string, Role[]>();
  if (userIds.length === 0) {
    return map;
  }
  const rows = await db
    .selectFrom('user_role')
    .select(['user_id', 'role'])
    .where('user_id', 'in', userIds)
    .execute();
  for (const row of rows) {
    const list = map.get(row.user_id) ?? [];
    list.push(row.role);
    map.set(row.user_id, list);
  }
  return map;
}

async function withRoles(db: Executor, row: UserRow | undefined): Promise<UserRecord | null> {
  if (!row) {
    return null;
  }
  const roles = await rolesOf(db, [row.id]);
  return toUserRecord(row, roles.get(row.id) ?? []);
}

export async function findUserById(db: Executor, id: string): Promise<UserRecord | null> {
  return withRoles(db, await db.selectFrom('user').selectAll().where('id', '=', id).executeTakeFirst());
}

export async function findUserByLogin(
  db: Executor,
  login: string,
): Promise<(UserRecord & { passwordHash: string }) | null> {
  const row = await db.selectFrom('user').selectAll().where('login', '=', login).executeTakeFirst();
  const user = await withRoles(db, row);
  return user && row ? { ...user, passwordHash: row.password_hash } : null;
}

export async function findPasswordHash(db: Executor, id: string): Promise<string | null> {
  const row = await db.selectFrom('user').select('password_hash').where('id', '=', id).executeTakeFirst();
  return row?.password_hash ?? null;
}

/** Accounts ordered by login, optionally of one unit and/or holding one role. */
export async function listUsers(
  db: Executor,
  filter: { unitId?: string; role?: Role } = {},
): Promise<UserRecord[]> {
  let query = db.selectFrom('user').selectAll('user').orderBy('user.login');
  if (filter.unitId !== undefined) {
    query = query.where('user.unit_id', '=', filter.unitId);
  }
  if (filter.role !== undefined) {
    const role = filter.role;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_role')
          .select('user_role.user_id')
          .whereRef('user_role.user_id', '=', 'user.id')
          .where('user_role.role', '=', role),
      ),
    );
  }
  const rows = await query.execute();
  const roles = await rolesOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toUserRecord(row, roles.get(row.id) ?? []));
}

/** Active accounts holding the admin role, other than `excludingId`. */
export async function countActiveAdmins(db: Executor, excludingId: string): Promise<number> {
  const row = await db
    .selectFrom('user')
    .innerJoin('user_role', 'user_role.user_id', 'user.id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_role.role', '=', 'admin')
    .where('user.status', '=', 'active')
    .where('user.id', '<>', excludingId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(db: Executor, row: Insertable<UserTable>, roles: Role[]): Promise<void> {
  await db.insertInto('user').values(row).execute();
  await setUserRoles(db, row.id, roles);
}

export async function setUserRoles(db: Executor, userId: string, roles: Role[]): Promise<void> {
  await db.deleteFrom('user_role').where('user_id', '=', userId).execute();
  if (roles.length > 0) {
    await db
      .insertInto('user_role')
      .values([...new Set(roles)].map((role) => ({ user_id: userId, role })))
      .execute();
  }
}

export async function updateUser(db: Executor, id: string, changes: Updateable<UserTable>): Promise<void> {
  await db.updateTable('user').set(changes).where('id', '=', id).execute();
}

export async function countUsersWithRole(db: Executor, role: Role): Promise<number> {
  const row = await db
    .selectFrom('user_role')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', role)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function loginExists(db: Executor, login: string): Promise<boolean> {
  const row = await db.selectFrom('user').select('id').where('login', '=', login).executeTakeFirst();
  return row !== undefined;
}
