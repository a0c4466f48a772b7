import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { loadDemo } from '../src/demo/load-demo.ts';
import { loadConfig } from '../src/server/config.ts';
import type { TestApp } from './app.ts';
import { createTestApp } from './app.ts';
import { describeDb } from './db.ts';

describeDb('the demonstration', (db) => {
  let t: TestApp | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('loads a plan of 40+ clauses, 12+ units over three levels, two rounds and 150+ opinions in every state', async () => {
    const config = loadConfig({ CONCORD_DATABASE_URL: 'sqlite::memory:' });
    const result = await loadDemo({ database: db(), config });
    expect(result.plans).toHaveLength(1);
    expect(result.plans[0]!.rounds).toHaveLength(2);
    expect(result.opinions).toBeGreaterThanOrEqual(150);

    const q = db().db;
    const levels = await q.selectFrom('unit').select('level').distinct().execute();
    expect(levels.map((l) => l.level).sort()).toEqual(['city', 'county', 'province']);
    expect((await q.selectFrom('unit').select('id').execute()).length).toBeGreaterThanOrEqual(12);
    const firstVersion = await q
      .selectFrom('draft_version')
      .select('id')
      .where('seq', '=', 1)
      .executeTakeFirstOrThrow();
    expect(
      (await q.selectFrom('clause').select('id').where('version_id', '=', firstVersion.id).execute()).length,
    ).toBeGreaterThanOrEqual(40);

    const distinct = async (table: string, column: string) =>
      (
        await sql<{ v: string }>`select distinct ${sql.ref(column)} as v from ${sql.table(table)}`.execute(q)
      ).rows
        .map((r) => r.v)
        .sort();
    expect(await distinct('opinion', 'status')).toEqual(['draft', 'submitted', 'withdrawn']);
    expect(await distinct('disposition', 'status')).toEqual([
      'approved',
      'proposed',
      'rejected',
      'superseded',
    ]);
    expect(await distinct('objection', 'status')).toEqual(['changed', 'dissent_recorded', 'open', 'upheld']);
    expect(await distinct('round', 'status')).toEqual(['feedback', 'open']);
    expect(await distinct('round_invitation', 'status')).toEqual(
      ['acknowledged', 'drafting', 'in_review', 'invited', 'sent', 'signed_off', 'silent'].sort(),
    );
    expect((await q.selectFrom('draft_version').select('id').execute()).length).toBe(2);

    // Every printed login signs in.
    t = await createTestApp(db());
    const liaison = result.logins.find((l) => l.role === 'liaison')!;
    const client = await t.signIn({ login: liaison.username, password: liaison.password });
    expect((await client.get('/api/v1/auth/me')).json().login).toBe(liaison.username);
    expect(await t.services.ledger.verify()).toMatchObject({ ok: true });

    await expect(loadDemo({ database: db(), config })).rejects.toThrow('empty database');
  });
});
