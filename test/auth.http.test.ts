import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestApp } from './app.ts';
import { createTestApp } from './app.ts';
import { describeDb } from './db.ts';
import { createUnit, createUser } from './factories.ts';

describeDb('auth API', (db) => {
  let t: TestApp;
  let clock: Date;
  beforeEach(async () => {
    clock = new Date('2026-03-02T08:00:00.000Z');
    t = await createTestApp(db(), {
      now: () => clock,
      env: { CONCORD_LOCKOUT_THRESHOLD: '3', CONCORD_SESSION_IDLE_SECONDS: '600' },
    });
  });
  afterEach(() => t.close());

  it('signs in with a password, sets HttpOnly SameSite cookies, and answers /me', async () => {
    const unit = await createUnit(db());
    const user = await createUser(db(), { roles: ['liaison'], unitId: unit.id });
    const response = await t.anonymous.post('/api/v1/auth/login', {
      login: user.login,
      password: user.password,
    });
    expect(response.statusCode).toBe(200);
    const session = response.cookies.find((c) => c.name === 'concord_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    expect(response.json()).toMatchObject({
      user: { login: user.login, roles: ['liaison'], unitId: unit.id },
    });
    const client = await t.signIn(user);
    const me = await client.get('/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: user.id, login: user.login });
    expect(me.body).not.toContain('password');
  });

  it('refuses a wrong password and an unknown login alike, and requires sign-in', async () => {
    const user = await createUser(db());
    const wrong = await t.anonymous.post('/api/v1/auth/login', {
      login: user.login,
      password: 'nope-nope-nope',
    });
    const unknown = await t.anonymous.post('/api/v1/auth/login', {
      login: 'ghost',
      password: 'nope-nope-nope',
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error).toEqual(unknown.json().error);
    const anonymous = await t.anonymous.get('/api/v1/auth/me');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthenticated');
  });

  it('validates the body and names the field', async () => {
    const response = await t.anonymous.post('/api/v1/auth/login', { login: 'x' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed' });
    expect(response.json().error.message).toContain('password');
  });

  it('locks the account after repeated failures, even for the right password', async () => {
    const user = await createUser(db());
    for (let i = 0; i < 2; i++) {
      expect(
        (await t.anonymous.post('/api/v1/auth/login', { login: user.login, password: 'bad-password-1' }))
          .statusCode,
      ).toBe(401);
    }
    const third = await t.anonymous.post('/api/v1/auth/login', {
      login: user.login,
      password: 'bad-password-1',
    });
    expect(third.statusCode).toBe(423);
    const right = await t.anonymous.post('/api/v1/auth/login', {
      login: user.login,
      password: user.password,
    });
    expect(right.statusCode).toBe(423);
    expect(right.json().error.code).toBe('account_locked');
    const events = await t.services.ledger.list({
      afterSeq: 0,
      limit: 10,
      entity: 'user',
      entityId: user.id,
    });
    expect(events.map((e) => e.event)).toEqual(['user.locked']);
    clock = new Date(clock.getTime() + 16 * 60 * 1000);
    expect(
      (await t.anonymous.post('/api/v1/auth/login', { login: user.login, password: user.password }))
        .statusCode,
    ).toBe(200);
  });

  it('expires idle sessions', async () => {
    const user = await createUser(db());
    const client = await t.signIn(user);
    clock = new Date(clock.getTime() + 5 * 60 * 1000);
    expect((await client.get('/api/v1/auth/me')).statusCode).toBe(200);
    clock = new Date(clock.getTime() + 11 * 60 * 1000);
    const expired = await client.get('/api/v1/auth/me');
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('session_expired');
  });

  it('expires sessions at their absolute lifetime even when active', async () => {
    const user = await createUser(db());
    const client = await t.signIn(user);
    for (let step = 1; step <= 100; step++) {
      clock = new Date(clock.getTime() + 9 * 60 * 1000);
      const res = await client.get('/api/v1/auth/me');
      if (res.statusCode !== 200) {
        expect(res.json().error.code).toBe('session_expired');
        expect(step * 9).toBeGreaterThanOrEqual(12 * 60);
        expect(step * 9).toBeLessThan(12 * 60 + 9);
        return;
      }
    }
    throw new Error('the session never expired');
  });

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const user = await createUser(db());
    const client = await t.signIn(user);
    const refused = await client
      .with({ 'x-csrf-token': null })
      .post('/api/v1/auth/tokens', { name: 'script' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('csrf_failed');
    const forged = await client
      .with({ 'x-csrf-token': 'forged' })
      .post('/api/v1/auth/tokens', { name: 'script' });
    expect(forged.statusCode).toBe(403);
    expect((await client.post('/api/v1/auth/tokens', { name: 'script' })).statusCode).toBe(201);
  });

  it('logs out: the session stops working', async () => {
    const user = await createUser(db());
    const client = await t.signIn(user);
    expect((await client.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await client.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('issues API tokens stored hashed, usable as Bearer, revocable', async () => {
    const user = await createUser(db());
    const client = await t.signIn(user);
    const created = await client.post('/api/v1/auth/tokens', { name: 'nightly export' });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json<{ token: string; id: string }>();
    expect(token).toMatch(/^cnc_/);
    const stored = await db()
      .db.selectFrom('api_token')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const bearer = t.anonymous.with({ authorization: `Bearer ${token}` });
    expect((await bearer.get('/api/v1/auth/me')).json().id).toBe(user.id);
    // Bearer writes need no CSRF token: no browser sends them on its own.
    expect((await bearer.post('/api/v1/auth/tokens', { name: 'second' })).statusCode).toBe(201);
    const list = await client.get('/api/v1/auth/tokens');
    expect(list.json()).toHaveLength(2);
    expect(list.body).not.toContain(token);
    expect((await client.delete(`/api/v1/auth/tokens/${id}`)).statusCode).toBe(204);
    expect((await bearer.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it("refuses to revoke another user's token", async () => {
    const owner = await createUser(db());
    const other = await createUser(db());
    const created = await (await t.signIn(owner)).post('/api/v1/auth/tokens', { name: 'mine' });
    const response = await (
      await t.signIn(other)
    ).delete(`/api/v1/auth/tokens/${created.json<{ id: string }>().id}`);
    expect(response.statusCode).toBe(404);
  });

  it('rate-limits login attempts per address in the database', async () => {
    const limited = await createTestApp(db(), { now: () => clock, env: { CONCORD_LOGIN_RATE_LIMIT: '3' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(
          (await limited.anonymous.post('/api/v1/auth/login', { login: 'ghost', password: 'x-x-x-x-x-x' }))
            .statusCode,
        );
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const row = await db().db.selectFrom('rate_limit').selectAll().executeTakeFirstOrThrow();
      expect(row.count).toBe(5);
    } finally {
      await limited.close();
    }
  });

  it('holds a user with a one-time password to changing it before anything else', async () => {
    const user = await createUser(db(), { roles: ['organizer'], unitId: (await createUnit(db())).id });
    await db().db.updateTable('user').set({ must_change_password: 1 }).where('id', '=', user.id).execute();
    const client = await t.signIn(user);
    expect((await client.get('/api/v1/auth/me')).json().mustChangePassword).toBe(true);
    const held = await client.get('/api/v1/plans');
    expect(held.statusCode).toBe(403);
    expect(held.json().error.code).toBe('password_change_required');
    expect((await client.post('/api/v1/plans', { name: '规划' })).statusCode).toBe(403);
    const changed = await client.post('/api/v1/auth/password', {
      currentPassword: user.password,
      newPassword: 'a-new-long-password',
    });
    expect(changed.statusCode).toBe(204);
    expect((await client.get('/api/v1/plans')).statusCode).toBe(200);
  });
});
