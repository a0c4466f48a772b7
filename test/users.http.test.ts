import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import { describeDb } from './db.ts';
import type { TestUser } from './factories.ts';
import { createUnit, createUser } from './factories.ts';

describeDb('users API', (db) => {
  let t: TestApp;
  let adminUser: TestUser;
  let admin: TestClient;
  beforeEach(async () => {
    t = await createTestApp(db());
    adminUser = await createUser(db(), { roles: ['admin'], login: 'root' });
    admin = await t.signIn(adminUser);
  });
  afterEach(() => t.close());

  const userRow = (id: string) =>
    db().db.selectFrom('user').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const rolesOf = async (id: string) =>
    (await db().db.selectFrom('user_role').select('role').where('user_id', '=', id).execute())
      .map((r) => r.role)
      .sort();
  const sessionCount = async (id: string) =>
    (await db().db.selectFrom('session').select('id').where('user_id', '=', id).execute()).length;
  const userEvents = async (id: string) =>
    (await t.services.ledger.list({ afterSeq: 0, limit: 100, entity: 'user', entityId: id })).map((e) => ({
      event: e.event,
      payload: e.payload,
    }));

  it('lists every account to an administrator, filtered by unit and role', async () => {
    const unit = await createUnit(db());
    const liaison = await createUser(db(), { roles: ['liaison'], unitId: unit.id, login: 'b-liaison' });
    const head = await createUser(db(), { roles: ['unit_head'], unitId: unit.id, login: 'a-head' });
    await createUser(db(), { roles: ['liaison'], login: 'c-elsewhere' });
    const all = await admin.get('/api/v1/users');
    expect(all.statusCode).toBe(200);
    expect(all.json().map((u: { login: string }) => u.login)).toEqual([
      'a-head',
      'b-liaison',
      'c-elsewhere',
      'root',
    ]);
    expect(all.body).not.toContain('password');
    const ofUnit = await admin.get(`/api/v1/users?unitId=${unit.id}`);
    expect(ofUnit.json().map((u: { id: string }) => u.id)).toEqual([head.id, liaison.id]);
    const liaisons = await admin.get(`/api/v1/users?unitId=${unit.id}&role=liaison`);
    expect(liaisons.json()).toEqual([expect.objectContaining({ id: liaison.id, roles: ['liaison'] })]);
  });

  it("shows other users only their own unit's accounts; refuses another unit and anonymous callers", async () => {
    const unit = await createUnit(db());
    const other = await createUnit(db());
    const liaison = await createUser(db(), { roles: ['liaison'], unitId: unit.id });
    const colleague = await createUser(db(), { roles: ['unit_head'], unitId: unit.id });
    await createUser(db(), { roles: ['liaison'], unitId: other.id });
    const client = await t.signIn(liaison);
    const own = await client.get('/api/v1/users');
    expect(own.statusCode).toBe(200);
    expect(
      own
        .json()
        .map((u: { id: string }) => u.id)
        .sort(),
    ).toEqual([liaison.id, colleague.id].sort());
    expect((await client.get('/api/v1/users?role=unit_head')).json()).toHaveLength(1);
    const foreign = await client.get(`/api/v1/users?unitId=${other.id}`);
    expect(foreign.statusCode).toBe(403);
    expect((await t.anonymous.get('/api/v1/users')).statusCode).toBe(401);

    const loner = await createUser(db(), { roles: ['expert'] });
    const alone = await (await t.signIn(loner)).get('/api/v1/users');
    expect(alone.json().map((u: { id: string }) => u.id)).toEqual([loner.id]);
  });

  it('shows one account to a colleague; not to another unit (403) or for an unknown id (404)', async () => {
    const unit = await createUnit(db());
    const other = await createUnit(db());
    const liaison = await createUser(db(), { roles: ['liaison'], unitId: unit.id });
    const colleague = await createUser(db(), { roles: ['unit_head'], unitId: unit.id });
    const stranger = await createUser(db(), { roles: ['liaison'], unitId: other.id });
    const client = await t.signIn(liaison);
    const seen = await client.get(`/api/v1/users/${colleague.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ id: colleague.id, unitId: unit.id, roles: ['unit_head'] });
    expect((await client.get(`/api/v1/users/${stranger.id}`)).statusCode).toBe(403);
    expect((await admin.get(`/api/v1/users/${stranger.id}`)).statusCode).toBe(200);
    expect((await admin.get('/api/v1/users/nope')).statusCode).toBe(404);
  });

  it('lets an administrator create an account that must change its password; refuses a duplicate login', async () => {
    const unit = await createUnit(db());
    const response = await admin.post('/api/v1/users', {
      login: 'zhang.san',
      name: '张三',
      email: 'zhang@example.gov.cn',
      unitId: unit.id,
      roles: ['liaison', 'unit_head'],
      password: 'first-password-1',
    });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({ login: 'zhang.san', unitId: unit.id, mustChangePassword: true });
    const row = await userRow(created.id);
    expect(row).toMatchObject({ name: '张三', must_change_password: 1, status: 'active' });
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(await rolesOf(created.id)).toEqual(['liaison', 'unit_head']);
    const events = await userEvents(created.id);
    expect(events.map((e) => e.event)).toEqual(['user.created']);
    expect(JSON.stringify(events)).not.toContain('argon2');
    expect((await t.signIn({ login: 'zhang.san', password: 'first-password-1' })) !== null).toBe(true);

    const duplicate = await admin.post('/api/v1/users', {
      login: 'zhang.san',
      name: '另一个张三',
      roles: [],
      password: 'first-password-2',
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error).toMatchObject({ code: 'conflict', details: { field: 'login' } });
    const count = await db().db.selectFrom('user').select('id').where('login', '=', 'zhang.san').execute();
    expect(count).toHaveLength(1);
  });

  it('refuses account creation to non-administrators', async () => {
    const organizer = await t.signIn(await createUser(db(), { roles: ['organizer'] }));
    const refused = await organizer.post('/api/v1/users', {
      login: 'sneaky',
      name: '越权',
      roles: ['admin'],
      password: 'sneaky-password-1',
    });
    expect(refused.statusCode).toBe(403);
    expect(await db().db.selectFrom('user').select('id').where('login', '=', 'sneaky').execute()).toEqual([]);
  });

  it('lets an administrator change unit and roles, recording before and after; refuses others', async () => {
    const unit = await createUnit(db());
    const user = await createUser(db(), { roles: ['liaison'] });
    const response = await admin.patch(`/api/v1/users/${user.id}`, {
      unitId: unit.id,
      roles: ['unit_head', 'liaison'],
      email: 'x@example.gov.cn',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ unitId: unit.id, roles: ['liaison', 'unit_head'] });
    expect(await userRow(user.id)).toMatchObject({ unit_id: unit.id, email: 'x@example.gov.cn' });
    expect(await rolesOf(user.id)).toEqual(['liaison', 'unit_head']);
    expect(await userEvents(user.id)).toEqual([
      {
        event: 'user.updated',
        payload: {
          before: { email: null, unitId: null, roles: ['liaison'] },
          after: { email: 'x@example.gov.cn', unitId: unit.id, roles: ['liaison', 'unit_head'] },
        },
      },
    ]);

    const self = await t.signIn(user);
    const refused = await self.patch(`/api/v1/users/${user.id}`, { roles: ['admin'] });
    expect(refused.statusCode).toBe(403);
    expect(await rolesOf(user.id)).toEqual(['liaison', 'unit_head']);
    const badUnit = await admin.patch(`/api/v1/users/${user.id}`, { unitId: 'nope' });
    expect(badUnit.statusCode).toBe(400);
    expect(badUnit.json().error.details).toEqual({ field: 'unitId' });
    expect((await admin.patch('/api/v1/users/nope', { name: '无' })).statusCode).toBe(404);
  });

  it('disabling an account ends its sessions at once', async () => {
    const user = await createUser(db(), { roles: ['organizer'] });
    const client = await t.signIn(user);
    expect((await client.get('/api/v1/auth/me')).statusCode).toBe(200);
    expect(await sessionCount(user.id)).toBe(1);
    const response = await admin.patch(`/api/v1/users/${user.id}`, { status: 'disabled' });
    expect(response.statusCode).toBe(200);
    expect(response.json().status).toBe('disabled');
    expect(await sessionCount(user.id)).toBe(0);
    expect((await client.get('/api/v1/auth/me')).statusCode).toBe(401);
    const login = await t.anonymous.post('/api/v1/auth/login', {
      login: user.login,
      password: user.password,
    });
    expect(login.statusCode).toBe(403);
    expect((await userEvents(user.id))[0]).toEqual({
      event: 'user.updated',
      payload: { before: { status: 'active' }, after: { status: 'disabled' }, sessionsRevoked: true },
    });
  });

  it('keeps at least one active administrator', async () => {
    const demote = await admin.patch(`/api/v1/users/${adminUser.id}`, { roles: ['organizer'] });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.details).toEqual({ field: 'roles' });
    const disable = await admin.patch(`/api/v1/users/${adminUser.id}`, { status: 'disabled' });
    expect(disable.statusCode).toBe(409);
    expect(disable.json().error.details).toEqual({ field: 'status' });
    expect(await rolesOf(adminUser.id)).toEqual(['admin']);
    expect((await userRow(adminUser.id)).status).toBe('active');

    // A disabled administrator does not count.
    const dormant = await createUser(db(), { roles: ['admin'], status: 'disabled' });
    expect((await admin.patch(`/api/v1/users/${adminUser.id}`, { roles: ['organizer'] })).statusCode).toBe(
      409,
    );
    // With a second active administrator the first may step down.
    await admin.patch(`/api/v1/users/${dormant.id}`, { status: 'active' });
    const stepDown = await admin.patch(`/api/v1/users/${adminUser.id}`, { roles: ['organizer'] });
    expect(stepDown.statusCode).toBe(200);
    expect(await rolesOf(adminUser.id)).toEqual(['organizer']);
    const second = await t.signIn(dormant);
    expect((await second.patch(`/api/v1/users/${dormant.id}`, { status: 'disabled' })).statusCode).toBe(409);
  });

  it('lets an administrator unlock a locked account; refuses others', async () => {
    const user = await createUser(db());
    const lockedUntil = new Date(Date.now() + 3600_000).toISOString();
    await db()
      .db.updateTable('user')
      .set({ locked_until: lockedUntil, failed_logins: 3 })
      .where('id', '=', user.id)
      .execute();
    const organizer = await t.signIn(await createUser(db(), { roles: ['organizer'] }));
    expect((await organizer.post(`/api/v1/users/${user.id}/unlock`)).statusCode).toBe(403);
    expect((await userRow(user.id)).locked_until).toBe(lockedUntil);
    const response = await admin.post(`/api/v1/users/${user.id}/unlock`);
    expect(response.statusCode).toBe(200);
    expect(response.json().lockedUntil).toBeNull();
    expect(await userRow(user.id)).toMatchObject({ locked_until: null, failed_logins: 0 });
    expect(await userEvents(user.id)).toEqual([
      { event: 'user.unlocked', payload: { before: { lockedUntil, failedLogins: 3 } } },
    ]);
    expect(
      (await t.anonymous.post('/api/v1/auth/login', { login: user.login, password: user.password }))
        .statusCode,
    ).toBe(200);
  });

  it('lets an administrator reset a password: must change, signed out; refuses others', async () => {
    const user = await createUser(db(), { roles: ['liaison'] });
    const client = await t.signIn(user);
    const peer = await t.signIn(await createUser(db(), { roles: ['leader'] }));
    expect(
      (await peer.post(`/api/v1/users/${user.id}/password`, { password: 'takeover-pass-1' })).statusCode,
    ).toBe(403);
    expect((await client.get('/api/v1/auth/me')).statusCode).toBe(200);
    const short = await admin.post(`/api/v1/users/${user.id}/password`, { password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details).toEqual({ field: 'password' });
    const response = await admin.post(`/api/v1/users/${user.id}/password`, { password: 'temporary-pass-1' });
    expect(response.statusCode).toBe(200);
    expect(response.json().mustChangePassword).toBe(true);
    expect((await userRow(user.id)).must_change_password).toBe(1);
    expect(await sessionCount(user.id)).toBe(0);
    expect((await client.get('/api/v1/auth/me')).statusCode).toBe(401);
    await t.signIn({ login: user.login, password: 'temporary-pass-1' });
    const events = await userEvents(user.id);
    expect(events.map((e) => e.event)).toEqual(['user.password_reset']);
    expect(JSON.stringify(events)).not.toContain('temporary-pass-1');
  });

  it('lets any user change their own password with the current one', async () => {
    const user = await createUser(db(), { roles: ['expert'] });
    await db().db.updateTable('user').set({ must_change_password: 1 }).where('id', '=', user.id).execute();
    const client = await t.signIn(user);
    const elsewhere = await t.signIn(user);
    const wrong = await client.post('/api/v1/auth/password', {
      currentPassword: 'not-my-password',
      newPassword: 'brand-new-password',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.details).toEqual({ field: 'currentPassword' });
    const weak = await client.post('/api/v1/auth/password', {
      currentPassword: user.password,
      newPassword: 'short',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.details).toEqual({ field: 'newPassword' });
    const response = await client.post('/api/v1/auth/password', {
      currentPassword: user.password,
      newPassword: 'brand-new-password',
    });
    expect(response.statusCode).toBe(204);
    // The other session, opened with the old password, is signed out; this one stays.
    expect((await elsewhere.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await userRow(user.id)).must_change_password).toBe(0);
    expect((await client.get('/api/v1/auth/me')).json().mustChangePassword).toBe(false);
    expect(
      (await t.anonymous.post('/api/v1/auth/login', { login: user.login, password: user.password }))
        .statusCode,
    ).toBe(401);
    await t.signIn({ login: user.login, password: 'brand-new-password' });
    expect((await userEvents(user.id)).map((e) => e.event)).toEqual(['user.password_changed']);
    const anonymous = await t.anonymous.post('/api/v1/auth/password', {
      currentPassword: 'x',
      newPassword: 'brand-new-password',
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
