import { afterEach, beforeEach, expect, it } from 'vitest';
import { findUnitByCode } from '../src/server/repositories/unit.repository.ts';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import { describeDb } from './db.ts';
import { createUnit, createUser } from './factories.ts';

const ONE_TIME_PASSWORD = /^[a-km-zA-HJ-NP-Z2-9]{4}-[a-km-zA-HJ-NP-Z2-9]{4}-[a-km-zA-HJ-NP-Z2-9]{4}$/;

describeDb('administration API: deleting units, drawn one-time passwords', (db) => {
  let t: TestApp;
  let admin: TestClient;
  let organizer: TestClient;
  beforeEach(async () => {
    t = await createTestApp(db());
    admin = await t.signIn(await createUser(db(), { roles: ['admin'] }));
    organizer = await t.signIn(await createUser(db(), { roles: ['organizer'] }));
  });
  afterEach(() => t.close());

  const events = async (entity: string, id: string) =>
    (await t.services.ledger.list({ afterSeq: 0, limit: 100, entity, entityId: id })).map((e) => ({
      event: e.event,
      payload: e.payload,
    }));

  it('lets an administrator delete an unused unit, recorded in the ledger; refuses an organizer', async () => {
    const unit = await createUnit(db(), { code: 'TYPO', name: '误建单位', level: 'city', areas: ['交通'] });
    const refused = await organizer.delete(`/api/v1/units/${unit.id}`);
    expect(refused.statusCode).toBe(403);
    expect(await findUnitByCode(db().db, 'TYPO')).not.toBeNull();

    const response = await admin.delete(`/api/v1/units/${unit.id}`);
    expect(response.statusCode, response.body).toBe(204);
    expect(await findUnitByCode(db().db, 'TYPO')).toBeNull();
    expect(await events('unit', unit.id)).toEqual([
      {
        event: 'unit.deleted',
        payload: {
          before: {
            code: 'TYPO',
            name: '误建单位',
            parentId: null,
            level: 'city',
            areas: ['交通'],
            keywords: [],
          },
        },
      },
    ]);
    expect((await admin.delete(`/api/v1/units/${unit.id}`)).statusCode).toBe(404);
    expect((await t.anonymous.delete(`/api/v1/units/${unit.id}`)).statusCode).toBe(401);
  });

  it('refuses to delete a unit that has sub-units or accounts, counting them (409)', async () => {
    const province = await createUnit(db(), { code: 'P', level: 'province' });
    const city = await createUnit(db(), { code: 'C', level: 'city', parentId: province.id });
    await createUser(db(), { roles: ['liaison'], unitId: city.id });
    await createUser(db(), { roles: ['unit_head'], unitId: city.id });

    const parent = await admin.delete(`/api/v1/units/${province.id}`);
    expect(parent.statusCode).toBe(409);
    expect(parent.json().error).toMatchObject({
      code: 'conflict',
      details: { field: 'id', references: { subUnits: 1 } },
    });
    const staffed = await admin.delete(`/api/v1/units/${city.id}`);
    expect(staffed.statusCode).toBe(409);
    expect(staffed.json().error.details).toEqual({ field: 'id', references: { users: 2 } });
    expect(await findUnitByCode(db().db, 'P')).not.toBeNull();
    expect(await findUnitByCode(db().db, 'C')).not.toBeNull();
    expect(await events('unit', city.id)).toEqual([]);
  });

  it('draws a one-time password when an administrator creates an account without one', async () => {
    const unit = await createUnit(db());
    const response = await admin.post('/api/v1/users', {
      login: 'li.si',
      name: '李四',
      unitId: unit.id,
      roles: ['liaison'],
      mustChangePassword: false,
    });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({ login: 'li.si', unitId: unit.id, roles: ['liaison'] });
    // A drawn password is always a one-time password, whatever the request said.
    expect(created.mustChangePassword).toBe(true);
    expect(created.oneTimePassword).toMatch(ONE_TIME_PASSWORD);
    const user = await t.signIn({ login: 'li.si', password: created.oneTimePassword });
    expect((await user.get('/api/v1/auth/me')).json()).toMatchObject({ mustChangePassword: true });
    // Shown once: reading the account again never reveals it.
    expect((await admin.get(`/api/v1/users/${created.id}`)).body).not.toContain(created.oneTimePassword);
    expect((await admin.get('/api/v1/users')).body).not.toContain('oneTimePassword');
    expect(JSON.stringify(await events('user', created.id))).not.toContain(created.oneTimePassword);

    // A typed password is not echoed back.
    const typed = await admin.post('/api/v1/users', {
      login: 'wang.wu',
      name: '王五',
      roles: [],
      password: 'typed-password-1',
    });
    expect(typed.statusCode).toBe(201);
    expect(typed.json().oneTimePassword).toBeUndefined();

    const refused = await organizer.post('/api/v1/users', {
      login: 'sneaky',
      name: '越权',
      roles: ['admin'],
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain('oneTimePassword');
  });

  it('draws a one-time password on a reset without one; refuses an organizer', async () => {
    const target = await createUser(db(), { roles: ['liaison'] });
    const refused = await organizer.post(`/api/v1/users/${target.id}/password`, {});
    expect(refused.statusCode).toBe(403);
    await t.signIn(target);

    const response = await admin.post(`/api/v1/users/${target.id}/password`, {});
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ id: target.id, mustChangePassword: true });
    expect(body.oneTimePassword).toMatch(ONE_TIME_PASSWORD);
    await expect(t.signIn(target)).rejects.toThrow(/401/);
    await t.signIn({ login: target.login, password: body.oneTimePassword });
    expect((await events('user', target.id)).map((e) => e.payload)).toEqual([
      { mustChangePassword: true, sessionsRevoked: true, drawnByServer: true },
    ]);
    expect((await admin.post('/api/v1/users/nope/password', {})).statusCode).toBe(404);
  });
});
