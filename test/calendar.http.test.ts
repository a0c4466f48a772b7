import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import { describeDb } from './db.ts';
import { createUnit, createUser } from './factories.ts';

describeDb('calendar API', (db) => {
  let t: TestApp;
  let admin: TestClient;
  let organizer: TestClient;
  let liaison: TestClient;

  beforeEach(async () => {
    t = await createTestApp(db());
    const unit = await createUnit(db());
    admin = await t.signIn(await createUser(db(), { roles: ['admin'] }));
    organizer = await t.signIn(await createUser(db(), { roles: ['organizer'], unitId: unit.id }));
    liaison = await t.signIn(await createUser(db(), { roles: ['liaison'], unitId: unit.id }));
  });
  afterEach(() => t.close());

  it('lists the official holidays and make-up workdays of a range, for administrators', async () => {
    const response = await admin.get('/api/v1/calendar?from=2026-09-28&to=2026-10-12');
    expect(response.statusCode, response.body).toBe(200);
    const { days, uncoveredYears } = response.json();
    expect(uncoveredYears).toEqual([]);
    expect(days[0]).toEqual({
      date: '2026-10-01',
      kind: 'holiday',
      name: '国庆节',
      source: 'official',
      scope: 'national',
    });
    expect(days.filter((d: { kind: string }) => d.kind === 'holiday')).toHaveLength(7);
    expect(days.at(-1)).toMatchObject({ date: '2026-10-10', kind: 'workday', name: '国庆节' });
    expect((await admin.get('/api/v1/calendar?from=2027-01-01&to=2027-01-31')).json().uncoveredYears).toEqual(
      [2027],
    );
    expect((await organizer.get('/api/v1/calendar?from=2026-09-28&to=2026-10-12')).statusCode).toBe(403);
    expect((await t.anonymous.get('/api/v1/calendar?from=2026-09-28&to=2026-10-12')).statusCode).toBe(401);
    expect((await admin.get('/api/v1/calendar?from=2026-10-12&to=2026-09-28')).statusCode).toBe(400);
    expect((await admin.get('/api/v1/calendar?from=2026-02-30&to=2026-03-01')).statusCode).toBe(400);
  });

  it('adds, replaces and removes overrides, for administrators only, each in the ledger', async () => {
    const local = { date: '2026-11-09', kind: 'holiday', name: '地方纪念日', scope: 'local' };
    expect((await organizer.post('/api/v1/calendar/days', local)).statusCode).toBe(403);
    const added = await admin.post('/api/v1/calendar/days', local);
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({ date: '2026-11-09', kind: 'holiday', scope: 'local' });
    const listed = (await admin.get('/api/v1/calendar?from=2026-11-01&to=2026-11-30')).json();
    expect(listed.days).toEqual([
      { date: '2026-11-09', kind: 'holiday', name: '地方纪念日', source: 'override', scope: 'local' },
    ]);
    // Monday 9 November off: five working days from Friday 6 November end on Monday 16 November.
    expect(
      (await liaison.get('/api/v1/calendar/deadline?from=2026-11-06&workingDays=5')).json(),
    ).toMatchObject({
      deadline: '2026-11-16',
    });
    const replaced = await admin.post('/api/v1/calendar/days', { ...local, kind: 'workday', name: null });
    expect(replaced.json()).toMatchObject({ kind: 'workday', name: null });
    expect((await liaison.delete('/api/v1/calendar/days/2026-11-09')).statusCode).toBe(403);
    expect((await admin.delete('/api/v1/calendar/days/2026-11-09')).statusCode).toBe(204);
    expect((await admin.delete('/api/v1/calendar/days/2026-11-09')).statusCode).toBe(404);
    const events = await t.services.ledger.list({ afterSeq: 0, limit: 10, entity: 'calendar_day' });
    expect(events.map((e) => e.event)).toEqual([
      'calendar.day_set',
      'calendar.day_set',
      'calendar.day_deleted',
    ]);
  });

  it('computes a deadline in working days for any signed-in user', async () => {
    const response = await liaison.get('/api/v1/calendar/deadline?from=2026-09-29&workingDays=5');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      from: '2026-09-29',
      workingDays: 5,
      deadline: '2026-10-12',
      closesAt: '2026-10-12T16:00:00.000Z',
      calendarDays: 13,
      uncoveredYears: [],
    });
    const intoNextYear = (
      await liaison.get('/api/v1/calendar/deadline?from=2026-12-21&workingDays=10')
    ).json();
    expect(intoNextYear.uncoveredYears).toEqual([2027]);
    expect(
      (await t.anonymous.get('/api/v1/calendar/deadline?from=2026-09-29&workingDays=5')).statusCode,
    ).toBe(401);
    expect((await liaison.get('/api/v1/calendar/deadline?from=2026-09-29&workingDays=-1')).statusCode).toBe(
      400,
    );
  });
});
