import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import { describeDb } from './db.ts';
import { docxText } from './documents.ts';
import { createUnit, createUser } from './factories.ts';
import type { AssessmentPeriod } from './unit-assessment-factories.ts';
import { PERIOD, createAssessmentPeriod } from './unit-assessment-factories.ts';

interface Row {
  unitId: string;
  name: string;
  score: number | null;
  rank: number | null;
  rounds: number;
  components: Record<string, number | null>;
}

const QUALITY_FIRST = { onTime: 10, completeness: 0, validity: 80, adoption: 0, feedback: 10 };

describeDb('unit assessment API', (db) => {
  let t: TestApp;
  let p: AssessmentPeriod;
  let organizer: TestClient;

  beforeEach(async () => {
    t = await createTestApp(db(), { now: () => new Date('2026-05-06T02:00:00.000Z') });
    p = await createAssessmentPeriod(db());
    organizer = await t.signIn(p.round.organizer);
  });
  afterEach(() => t.close());

  const rowsOf = (body: { units: Row[] }): Map<string, Row> => new Map(body.units.map((u) => [u.unitId, u]));

  it('scores each unit over the rounds of the period as computed by hand', async () => {
    const response = await organizer.get(`/api/v1/unit-assessment?${PERIOD}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      period: { from: '2026-03-01', to: '2026-04-30' },
      roundCount: 2,
      rankedCount: 3,
      ownUnitOnly: false,
      weights: {
        source: 'default',
        weights: { onTime: 30, completeness: 20, validity: 20, adoption: 20, feedback: 10 },
      },
    });
    const rows = rowsOf(body);
    expect(rows.get(p.u1.unit.id)).toMatchObject({
      name: p.u1.unit.name,
      rounds: 2,
      components: { onTime: 0.5, completeness: 0.5, validity: 1, adoption: 0.5, feedback: 0.5 },
      score: 60,
      rank: 2,
    });
    expect(rows.get(p.u2.unit.id)).toMatchObject({
      rounds: 2,
      components: { onTime: 0.5, completeness: 1, validity: 0.5, adoption: 1, feedback: 0.5 },
      score: 70,
      rank: 1,
    });
    // Round C lies before the period: u3 counts only its silence in round A.
    expect(rows.get(p.u3.unit.id)).toMatchObject({
      rounds: 1,
      components: { onTime: 0, completeness: 0, validity: null, adoption: null, feedback: null },
      score: 0,
      rank: 3,
    });
    expect((body.units as Row[]).map((u) => u.rank)).toEqual([1, 2, 3]);

    const county = (await organizer.get(`/api/v1/unit-assessment?${PERIOD}&level=county`)).json();
    expect((county.units as Row[]).map((u) => [u.unitId, u.rank])).toEqual([[p.u3.unit.id, 1]]);

    const december = (await organizer.get('/api/v1/unit-assessment?from=2025-12-01&to=2025-12-31')).json();
    expect(december.units).toMatchObject([{ unitId: p.u3.unit.id, score: 100, rank: 1 }]);
  });

  it('re-ranks the units when the owning unit sets its own weights', async () => {
    const set = await organizer.put('/api/v1/unit-assessment/weights', {
      unitId: p.round.ownerUnit.id,
      weights: QUALITY_FIRST,
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ source: 'unit', weights: QUALITY_FIRST });

    const rows = rowsOf((await organizer.get(`/api/v1/unit-assessment?${PERIOD}`)).json());
    // u1: 10·0.5 + 80·1 + 10·0.5 = 90; u2: 10·0.5 + 80·0.5 + 10·0.5 = 50; u3: only on time known → 0.
    expect(rows.get(p.u1.unit.id)).toMatchObject({ score: 90, rank: 1 });
    expect(rows.get(p.u2.unit.id)).toMatchObject({ score: 50, rank: 2 });
    expect(rows.get(p.u3.unit.id)).toMatchObject({ score: 0, rank: 3 });

    const ledger = await db()
      .db.selectFrom('ledger_event')
      .select(['event', 'entity_id'])
      .where('event', '=', 'unit_assessment.weights_set')
      .execute();
    expect(ledger).toEqual([{ event: 'unit_assessment.weights_set', entity_id: p.round.ownerUnit.id }]);

    // Only timeliness counts: u1 and u2 both replied on time once in two rounds, so they share first place.
    await organizer.put('/api/v1/unit-assessment/weights', {
      unitId: p.round.ownerUnit.id,
      weights: { onTime: 100, completeness: 0, validity: 0, adoption: 0, feedback: 0 },
    });
    const tied = rowsOf((await organizer.get(`/api/v1/unit-assessment?${PERIOD}`)).json());
    expect(tied.get(p.u1.unit.id)).toMatchObject({ score: 50, rank: 1 });
    expect(tied.get(p.u2.unit.id)).toMatchObject({ score: 50, rank: 1 });
    expect(tied.get(p.u3.unit.id)).toMatchObject({ score: 0, rank: 3 });

    // Dropping the override brings the default back.
    const cleared = await organizer.delete(`/api/v1/unit-assessment/weights/units/${p.round.ownerUnit.id}`);
    expect(cleared.json()).toMatchObject({ source: 'default' });
    const again = rowsOf((await organizer.get(`/api/v1/unit-assessment?${PERIOD}`)).json());
    expect(again.get(p.u2.unit.id)).toMatchObject({ score: 70, rank: 1 });
  });

  it('lets only administrators set the global default, which applies where no override exists', async () => {
    const refused = await organizer.put('/api/v1/unit-assessment/weights', { weights: QUALITY_FIRST });
    expect(refused.statusCode).toBe(403);
    const admin = await t.signIn(await createUser(db(), { roles: ['admin'] }));
    const set = await admin.put('/api/v1/unit-assessment/weights', { unitId: null, weights: QUALITY_FIRST });
    expect(set.json()).toMatchObject({ unitId: null, source: 'global' });
    const body = (await organizer.get(`/api/v1/unit-assessment?${PERIOD}`)).json();
    expect(body.weights).toMatchObject({ source: 'global', weights: QUALITY_FIRST });
    expect(rowsOf(body).get(p.u1.unit.id)).toMatchObject({ score: 90, rank: 1 });
  });

  it('refuses bad weights, naming the field, and changes nothing', async () => {
    const url = '/api/v1/unit-assessment/weights';
    const unitId = p.round.ownerUnit.id;
    const over = await organizer.put(url, {
      unitId,
      weights: { ...QUALITY_FIRST, adoption: 120, validity: -40 },
    });
    expect(over.statusCode).toBe(400);
    expect(over.json().error).toMatchObject({
      code: 'validation_failed',
      details: { field: 'weights.validity' },
    });
    const sum = await organizer.put(url, { unitId, weights: { ...QUALITY_FIRST, feedback: 20 } });
    expect(sum.statusCode).toBe(400);
    expect(sum.json().error.details).toMatchObject({ field: 'weights', sum: 110 });
    expect(sum.json().error.message).toContain('100');
    const missing = await organizer.put(url, { unitId, weights: { onTime: 100 } });
    expect(missing.statusCode).toBe(400);
    expect(JSON.stringify(missing.json().error)).toContain('weights');
    const otherUnit = await createUnit(db(), { name: '别的单位' });
    const foreign = await organizer.put(url, { unitId: otherUnit.id, weights: QUALITY_FIRST });
    expect(foreign.statusCode).toBe(403);
    expect((await organizer.get(`${url}?unitId=${unitId}`)).json()).toMatchObject({ source: 'default' });
  });

  it('refuses a period that ends before it starts', async () => {
    const response = await organizer.get('/api/v1/unit-assessment?from=2026-05-01&to=2026-04-01');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toMatchObject({ field: 'to' });
  });

  it("shows a liaison only their own unit's score, unranked", async () => {
    const liaison = await t.signIn(p.u1.liaison);
    const body = (await liaison.get(`/api/v1/unit-assessment?${PERIOD}`)).json();
    expect(body.ownUnitOnly).toBe(true);
    expect(body.units).toHaveLength(1);
    expect(body.units[0]).toMatchObject({ unitId: p.u1.unit.id, score: 60, rank: null });
    expect(JSON.stringify(body)).not.toContain(p.u2.unit.id);

    const foreign = await liaison.get(`/api/v1/unit-assessment/units/${p.u2.unit.id}/report.docx?${PERIOD}`);
    expect(foreign.statusCode).toBe(403);
    const own = await liaison.get(`/api/v1/unit-assessment/units/${p.u1.unit.id}/report.docx?${PERIOD}`);
    expect(own.statusCode).toBe(200);
    const changed = await liaison.put('/api/v1/unit-assessment/weights', {
      unitId: p.u1.unit.id,
      weights: QUALITY_FIRST,
    });
    expect(changed.statusCode).toBe(403);
  });

  it("shows a leader of another unit none of this plan's units", async () => {
    const elsewhere = await createUnit(db(), { name: '另一委办' });
    const leader = await t.signIn(await createUser(db(), { roles: ['leader'], unitId: elsewhere.id }));
    const body = (await leader.get(`/api/v1/unit-assessment?${PERIOD}`)).json();
    expect(body).toMatchObject({ roundCount: 0, units: [] });
    const report = await leader.get(`/api/v1/unit-assessment/units/${p.u1.unit.id}/report.docx?${PERIOD}`);
    expect(report.statusCode).toBe(404);
  });

  it('writes a .docx report with the unit, its score, rank, components and rounds', async () => {
    const leader = await t.signIn(p.round.leader);
    const response = await leader.get(`/api/v1/unit-assessment/units/${p.u1.unit.id}/report.docx?${PERIOD}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('wordprocessingml');
    expect(response.headers['content-disposition']).toContain(encodeURIComponent('部门考核报告'));
    const text = await docxText(response.rawPayload);
    expect(text).toContain(`${p.u1.unit.name}征求意见工作考核报告`);
    expect(text).toContain('考核期间：2026-03-01 至 2026-04-30');
    expect(text).toContain('综合得分60分，在3个参评单位中排名第2位');
    expect(text).toContain('有效意见占比');
    expect(text).toContain('第二轮征求意见');
    expect(text).not.toContain('早前一轮');
    expect(text).toMatch(/有效意见占比达到100%/);
    expect(text).toMatch(/按时反馈率仅为50%/);
  });
});
