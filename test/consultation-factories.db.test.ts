import { expect, it } from 'vitest';
import { createOpinion, createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';

describeDb('consultation factories', (db) => {
  it('build a round with a real draft, invited units and opinions', async () => {
    const round = await createRound(db(), { units: 3 });
    expect(round.articles.map((a) => a.number)).toEqual(['第一条', '第二条', '第三条', '第四条', '第五条']);
    expect(round.invited).toHaveLength(3);
    const opinion = await createOpinion(db(), round, { invited: round.invited[2]! });
    const row = await db()
      .db.selectFrom('opinion')
      .selectAll()
      .where('id', '=', opinion.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      unit_id: round.invited[2]!.unit.id,
      clause_stable_id: round.articles[1]!.stableId,
      status: 'submitted',
    });
  });
});
