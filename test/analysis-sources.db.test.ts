import { expect, it } from 'vitest';
import { listSubmittedSources } from '../src/server/repositories/analysis.repository.ts';
import { createOpinion, createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';

describeDb('submitted opinions of a round, a page at a time', (db) => {
  it('reads every submitted opinion once, in the order they came in, from where each page ended', async () => {
    const round = await createRound(db(), { units: 1 });
    const other = await createRound(db(), { units: 1 });
    const ids: string[] = [];
    for (let k = 0; k < 23; k++) {
      ids.push((await createOpinion(db(), round, { suggestion: `意见${k}` })).id);
    }
    await createOpinion(db(), round, { status: 'draft' });
    await createOpinion(db(), other);
    // Several came in at the same instant, some later: the id orders those of one instant.
    const times = ['2026-05-01T08:00:00.000Z', '2026-05-01T09:00:00.000Z', '2026-05-01T07:00:00.000Z'];
    for (const [k, id] of ids.entries()) {
      await db()
        .db.updateTable('opinion')
        .set({ submitted_at: times[k % 3]! })
        .where('id', '=', id)
        .execute();
    }
    const expected = ids
      .map((id, k) => ({ id, at: times[k % 3]! }))
      .sort((a, b) => a.at.localeCompare(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((o) => o.id);

    const read: string[] = [];
    let after: { submittedAt: string; id: string } | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page = await listSubmittedSources(db().db, { roundId: round.roundId, limit: 5, after });
      read.push(...page.map((o) => o.id));
      const last = page.at(-1);
      if (page.length < 5 || !last) {
        break;
      }
      after = { submittedAt: last.submittedAt!, id: last.id };
    }
    expect(read).toEqual(expected);
  });
});
