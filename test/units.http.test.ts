import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  countUnits,
  findUnitByCode,
  listUnitAncestorIds,
  listUnitSubtreeIds,
} from '../src/server/repositories/unit.repository.ts';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import { describeDb } from './db.ts';
import { createUnit, createUser } from './factories.ts';

describeDb('units API', (db) => {
  let t: TestApp;
  let admin: TestClient;
  beforeEach(async () => {
    t = await createTestApp(db());
    admin = await t.signIn(await createUser(db(), { roles: ['admin'] }));
  });
  afterEach(() => t.close());

  const unitRow = (code: string) => findUnitByCode(db().db, code);
  const unitEvents = async (id?: string) =>
    (
      await t.services.ledger.list({
        afterSeq: 0,
        limit: 1000,
        entity: 'unit',
        ...(id ? { entityId: id } : {}),
      })
    ).map((e) => ({ event: e.event, payload: e.payload }));

  it('lists the directory to any signed-in user, flat with parent links; not to anonymous callers', async () => {
    const province = await createUnit(db(), { code: 'P', level: 'province', areas: ['交通'] });
    const city = await createUnit(db(), { code: 'C', level: 'city', parentId: province.id });
    const liaison = await t.signIn(await createUser(db(), { roles: ['liaison'], unitId: city.id }));
    const response = await liaison.get('/api/v1/units');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      expect.objectContaining({ id: city.id, code: 'C', parentId: province.id, level: 'city', areas: [] }),
      expect.objectContaining({ id: province.id, code: 'P', parentId: null, areas: ['交通'], keywords: [] }),
    ]);
    expect((await t.anonymous.get('/api/v1/units')).statusCode).toBe(401);
  });

  it('shows one unit; 404 for an unknown id, 401 anonymous', async () => {
    const unit = await createUnit(db(), { code: 'P1', keywords: ['规划'] });
    const expert = await t.signIn(await createUser(db(), { roles: ['expert'] }));
    const response = await expert.get(`/api/v1/units/${unit.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: unit.id, code: 'P1', keywords: ['规划'] });
    expect(Object.keys(response.json()).sort()).toEqual(
      ['areas', 'code', 'createdAt', 'id', 'keywords', 'level', 'name', 'parentId', 'updatedAt'].sort(),
    );
    expect((await expert.get('/api/v1/units/nope')).statusCode).toBe(404);
    expect((await t.anonymous.get(`/api/v1/units/${unit.id}`)).statusCode).toBe(401);
  });

  it('lets an administrator create a unit, recorded in the ledger; refuses other roles', async () => {
    const parent = await createUnit(db(), { code: 'P', level: 'province' });
    const response = await admin.post('/api/v1/units', {
      code: '330100',
      name: '杭州市发展和改革委员会',
      parentId: parent.id,
      level: 'city',
      areas: ['发展规划', ' 发展规划 ', '投资'],
      keywords: ['规划'],
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({ code: '330100', parentId: parent.id, areas: ['发展规划', '投资'] });
    const stored = await db()
      .db.selectFrom('unit')
      .selectAll()
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ parent_id: parent.id, level: 'city', areas: '["发展规划","投资"]' });
    expect(await unitEvents(body.id)).toEqual([
      {
        event: 'unit.created',
        payload: {
          after: {
            code: '330100',
            name: '杭州市发展和改革委员会',
            parentId: parent.id,
            level: 'city',
            areas: ['发展规划', '投资'],
            keywords: ['规划'],
          },
        },
      },
    ]);

    const organizer = await t.signIn(await createUser(db(), { roles: ['organizer'] }));
    const refused = await organizer.post('/api/v1/units', { code: 'X1', name: '某单位', level: 'county' });
    expect(refused.statusCode).toBe(403);
    expect(await unitRow('X1')).toBeNull();
  });

  it('validates a new unit: taken code 409, level above its parent 400, unknown parent 400', async () => {
    const county = await createUnit(db(), { code: 'K', level: 'county' });
    const taken = await admin.post('/api/v1/units', { code: 'K', name: '重名', level: 'county' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.details).toEqual({ field: 'code' });
    const above = await admin.post('/api/v1/units', {
      code: 'C',
      name: '市',
      level: 'city',
      parentId: county.id,
    });
    expect(above.statusCode).toBe(400);
    expect(above.json().error.details).toEqual({ field: 'level' });
    const orphan = await admin.post('/api/v1/units', {
      code: 'O',
      name: '孤',
      level: 'city',
      parentId: 'nope',
    });
    expect(orphan.statusCode).toBe(400);
    expect(orphan.json().error.details).toEqual({ field: 'parentId' });
    const badLevel = await admin.post('/api/v1/units', { code: 'B', name: '乙', level: 'village' });
    expect(badLevel.statusCode).toBe(400);
    expect(await countUnits(db().db)).toBe(1);
  });

  it('lets an administrator change a unit, recording before and after; refuses a liaison', async () => {
    const province = await createUnit(db(), { code: 'P', level: 'province' });
    const unit = await createUnit(db(), { code: 'C', level: 'city', keywords: ['旧'] });
    const response = await admin.patch(`/api/v1/units/${unit.id}`, {
      name: '新名称',
      parentId: province.id,
      keywords: ['水利', '交通'],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      name: '新名称',
      parentId: province.id,
      keywords: ['水利', '交通'],
    });
    const stored = await unitRow('C');
    expect(stored).toMatchObject({ name: '新名称', parentId: province.id, keywords: ['水利', '交通'] });
    const events = await unitEvents(unit.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({
      event: 'unit.updated',
      payload: {
        before: { name: unit.name, parentId: null, keywords: ['旧'] },
        after: { name: '新名称', parentId: province.id, keywords: ['水利', '交通'] },
      },
    });

    const liaison = await t.signIn(await createUser(db(), { roles: ['liaison'], unitId: unit.id }));
    const refused = await liaison.patch(`/api/v1/units/${unit.id}`, { name: '越权' });
    expect(refused.statusCode).toBe(403);
    expect((await unitRow('C'))?.name).toBe('新名称');
    expect((await admin.patch('/api/v1/units/nope', { name: '无' })).statusCode).toBe(404);
  });

  it('refuses cycles and levels that would break the hierarchy', async () => {
    const a = await createUnit(db(), { code: 'A', level: 'province' });
    const b = await createUnit(db(), { code: 'B', level: 'city', parentId: a.id });
    const c = await createUnit(db(), { code: 'C', level: 'county', parentId: b.id });
    const self = await admin.patch(`/api/v1/units/${a.id}`, { parentId: a.id });
    expect(self.statusCode).toBe(400);
    expect(self.json().error.details).toEqual({ field: 'parentId' });
    const cycle = await admin.patch(`/api/v1/units/${a.id}`, { parentId: c.id, level: 'county' });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error.details).toEqual({ field: 'parentId' });
    // A (province) may not drop below its city child B.
    const belowChild = await admin.patch(`/api/v1/units/${a.id}`, { level: 'county' });
    expect(belowChild.statusCode).toBe(400);
    expect(belowChild.json().error.details).toEqual({ field: 'level' });
    const aboveParent = await admin.patch(`/api/v1/units/${c.id}`, { level: 'province' });
    expect(aboveParent.statusCode).toBe(400);
    expect(await unitRow('A')).toMatchObject({ parentId: null, level: 'province' });
    expect(await unitRow('C')).toMatchObject({ parentId: b.id, level: 'county' });
    expect(await unitEvents()).toEqual([]);
  });

  it('imports a 3-level tree from a multipart upload with Chinese headers, parents defined later', async () => {
    const csv = [
      '编码,名称,上级编码,层级,职责领域,关键词',
      '330106,西湖区发改局,330100,县,发展规划,西湖；规划',
      '330100,杭州市发改委,330000,市,发展规划、投资,杭州',
      '330000,浙江省发改委,,省,发展规划|投资|价格,',
      '330108,滨江区发改局,330100,县,,',
    ].join('\r\n');
    const response = await admin.upload('/api/v1/units/import', {
      name: '单位名录.csv',
      data: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ created: 4, updated: 0, rows: 4 });
    const province = (await unitRow('330000'))!;
    const city = (await unitRow('330100'))!;
    const xihu = (await unitRow('330106'))!;
    const binjiang = (await unitRow('330108'))!;
    expect(province).toMatchObject({
      parentId: null,
      level: 'province',
      areas: ['发展规划', '投资', '价格'],
    });
    expect(city).toMatchObject({ parentId: province.id, level: 'city', name: '杭州市发改委' });
    expect(xihu).toMatchObject({ parentId: city.id, level: 'county', keywords: ['西湖', '规划'] });
    expect(binjiang).toMatchObject({ parentId: city.id, level: 'county', areas: [], keywords: [] });
    const events = await unitEvents();
    expect(events.map((e) => e.event)).toEqual(Array(4).fill('unit.imported'));
    expect(events.map((e) => (e.payload as { row: number }).row).sort()).toEqual([2, 3, 4, 5]);

    const organizer = await t.signIn(await createUser(db(), { roles: ['organizer'] }));
    const refused = await organizer.upload('/api/v1/units/import', {
      name: 'x.csv',
      data: Buffer.from('code,name,level\nZ,某,省\n'),
    });
    expect(refused.statusCode).toBe(403);
    expect(await unitRow('Z')).toBeNull();
  });

  it('upserts by code from a text/csv body, under parents already in the database', async () => {
    const province = await createUnit(db(), { code: 'P', level: 'province' });
    const city = await createUnit(db(), { code: 'C', level: 'city', parentId: province.id, name: '旧名' });
    await createUnit(db(), { code: 'Q', level: 'province', name: '不变' });
    const csv =
      'code,name,parent_code,level,areas,keywords\nC,新名,P,city,,\nK,某县,C,county,农业,\nQ,不变,,province,,\n';
    const response = await admin.request('POST', '/api/v1/units/import', undefined, {
      headers: { 'content-type': 'text/csv; charset=utf-8' },
      payload: csv,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ created: 1, updated: 1, rows: 3 });
    expect(await unitRow('C')).toMatchObject({ id: city.id, name: '新名', parentId: province.id });
    expect(await unitRow('K')).toMatchObject({ parentId: city.id, level: 'county', areas: ['农业'] });
    expect(await unitEvents(city.id)).toEqual([
      {
        event: 'unit.imported',
        payload: { row: 2, created: false, before: { name: '旧名' }, after: { name: '新名' } },
      },
    ]);
  });

  it('refuses a file with bad rows with 422, every row named, and writes nothing', async () => {
    await createUnit(db(), { code: 'P', level: 'province' });
    const before = await countUnits(db().db);
    const csv = [
      'code,name,parent_code,level,areas,keywords',
      'C1,某市,P,市,,',
      'K1,某县,NOPE,县,,',
      'K2,另一县,C1,乡镇,,',
      'K3,,C1,县,,',
      'C1,重复,P,市,,',
      'K4,子县,K3,县,,', // fine itself: its parent's row is the bad one
    ].join('\n');
    const response = await admin.request('POST', '/api/v1/units/import', undefined, {
      headers: { 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(response.statusCode).toBe(422);
    const error = response.json().error;
    expect(error.code).toBe('invalid_csv');
    expect(error.details).toEqual([
      { row: 3, field: 'parent_code', problem: 'unknown parent code "NOPE"' },
      { row: 4, field: 'level', problem: expect.stringContaining('乡镇') },
      { row: 5, field: 'name', problem: 'missing name' },
      { row: 6, field: 'code', problem: expect.stringContaining('duplicate code "C1"') },
    ]);
    expect(await countUnits(db().db)).toBe(before);
    expect(await unitEvents()).toEqual([]);
  });

  it('refuses cycles and level inversions that only the database can reveal', async () => {
    const a = await createUnit(db(), { code: 'A', level: 'city' });
    await createUnit(db(), { code: 'B', level: 'county', parentId: a.id });
    const csv = [
      'code,name,parent_code,level',
      'X,甲,Y,city',
      'Y,乙,X,city',
      'A,甲市,,county', // valid on its own: its existing child B is a county too
      'Z,丙,B,province',
    ].join('\n');
    const response = await admin.request('POST', '/api/v1/units/import', undefined, {
      headers: { 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.details).toEqual([
      { row: 2, field: 'parent_code', problem: 'the parent chain loops back to this unit' },
      { row: 3, field: 'parent_code', problem: 'the parent chain loops back to this unit' },
      { row: 5, field: 'level', problem: 'a province unit cannot sit under "B", a county unit' },
    ]);
    expect(await countUnits(db().db)).toBe(2);
    expect((await unitRow('A'))?.level).toBe('city');

    const raise = await admin.request('POST', '/api/v1/units/import', undefined, {
      headers: { 'content-type': 'text/csv' },
      payload: 'code,name,level\nB,某区,province\n',
    });
    expect(raise.statusCode).toBe(422);
    expect(raise.json().error.details).toEqual([
      { row: 2, field: 'level', problem: 'a province unit cannot sit under "A", a city unit' },
    ]);
  });

  it('refuses wrong columns and other content types', async () => {
    const wrong = await admin.request('POST', '/api/v1/units/import', undefined, {
      headers: { 'content-type': 'text/csv' },
      payload: 'id,title\n1,x\n',
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.details).toEqual(
      expect.arrayContaining([
        { row: 1, field: 'id', problem: 'unknown column' },
        { row: 1, field: 'code', problem: 'missing column' },
      ]),
    );
    const json = await admin.post('/api/v1/units/import', { csv: 'code,name,level' });
    expect(json.statusCode).toBe(415);
    expect((await t.anonymous.post('/api/v1/units/import', {})).statusCode).toBe(401);
  });
});

describeDb('unit hierarchy queries', (db) => {
  it('lists a subtree (the unit first) and the ancestors (parent first) with WITH RECURSIVE', async () => {
    const root = await createUnit(db(), { code: 'R', level: 'province' });
    const city = await createUnit(db(), { code: 'C', level: 'city', parentId: root.id });
    const other = await createUnit(db(), { code: 'D', level: 'city', parentId: root.id });
    const county = await createUnit(db(), { code: 'K', level: 'county', parentId: city.id });
    await createUnit(db(), { code: 'S', level: 'province' });

    expect(await listUnitSubtreeIds(db().db, city.id)).toEqual([city.id, county.id]);
    const all = await listUnitSubtreeIds(db().db, root.id);
    expect(all[0]).toBe(root.id);
    expect(all.slice(1, 3).sort()).toEqual([city.id, other.id].sort());
    expect(all[3]).toBe(county.id);
    expect(await listUnitSubtreeIds(db().db, county.id)).toEqual([county.id]);
    expect(await listUnitSubtreeIds(db().db, 'nope')).toEqual([]);

    expect(await listUnitAncestorIds(db().db, county.id)).toEqual([city.id, root.id]);
    expect(await listUnitAncestorIds(db().db, root.id)).toEqual([]);
    expect(await listUnitAncestorIds(db().db, 'nope')).toEqual([]);
  });
});
