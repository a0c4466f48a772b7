import type { Executor } from '../db/executor.ts';
import type { ApiTokenRow, SessionRow, SessionTable } from '../db/schema.ts';
import type { Insertable } from 'kysely';

export async function insertSession(db: Executor, row: Insertable<SessionTable>): Promise<void> {
  await db.insertInto('session').values(row).execute();
}

export async function findSession(db: Executor, id: string): Promise<SessionRow | undefined> {
  return db.selectFrom('session').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function touchSession(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('session').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', id).execute();
}

/** Ends a user's sessions, all of them or all but `exceptId` (the one changing the password). */
export async function deleteSessionsOfUser(
  db: Executor,
  userId: string,
  exceptId?: string | null,
): Promise<void> {
  let query = db.deleteFrom('session').where('user_id', '=', userId);
  if (exceptId) {
    query = query.where('id', '!=', exceptId);
  }
  await query.execute();
}

export async function deleteExpiredSessions(db: Executor, now: string, idleBefore: string): Promise<number> {
  const result = await db
    .deleteFrom('session')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function insertApiToken(
  db: Executor,
  row: {
    id: string;
    user_id: string;
    name: string;
    token_hash: string;
    created_at: string;
    expires_at: string | null;
  },
): Promise<void> {
  await db.insertInto('api_token').values(row).execute();
}

export async function findApiTokenByHash(db: Executor, tokenHash: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_token').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function listApiTokens(db: Executor, userId: string): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('api_token')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function findApiToken(db: Executor, id: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function revokeApiToken(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('api_token').set({ revoked_at: at }).where('id', '=', id).execute();
}

export async function touchApiToken(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute();
}
