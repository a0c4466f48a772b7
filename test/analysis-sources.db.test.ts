import { expect, it } from 'vitest';
import { clusterStateDigest, listSubmittedSources } from '../src/server/repositories/analysis.repository.ts';
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

describeDb("the digest of what a rebuild of a round's clusters reads", (db) => {
  it('is the same for the same rows, and tells when the opinions are not those a rebuild read', async () => {
    const round = await createRound(db(), { units: 1 });
    for (let k = 0; k < 4; k++) {
      await createOpinion(db(), round, { suggestion: `意见${k}` });
    }
    const digest = (read?: Parameters<typeof clusterStateDigest>[4]) =>
      clusterStateDigest(db(), db().db, round.roundId, 'v1', read);
    const read = await listSubmittedSources(db().db, { roundId: round.roundId, limit: 100 });
    const first = await digest();
    expect(first).toMatch(/^[0-9a-f]{64}$/u);
    expect(await digest(read)).toBe(first);
    expect(await clusterStateDigest(db(), db().db, round.roundId, 'v2')).not.toBe(first);

    // An opinion changed since it was read.
    await db()
      .db.updateTable('opinion')
      .set({ updated_at: '2030-01-01T00:00:00.000Z' })
      .where('id', '=', read[2]!.id)
      .execute();
    const changed = await digest();
    expect(changed).not.toBe(first);
    expect(await digest(read)).toBeNull();
    const again = await listSubmittedSources(db().db, { roundId: round.roundId, limit: 100 });
    expect(await digest(again)).toBe(changed);

    // One came, and one went.
    await createOpinion(db(), round, { suggestion: '后来的意见' });
    expect(await digest(again)).toBeNull();
    const withLate = await listSubmittedSources(db().db, { roundId: round.roundId, limit: 100 });
    expect(await digest(withLate)).toBe(await digest());
    await db()
      .db.updateTable('opinion')
      .set({ status: 'withdrawn' })
      .where('id', '=', withLate[0]!.id)
      .execute();
    expect(await digest(withLate)).toBeNull();

    // A new threshold changes it too.
    const before = await digest();
    await db()
      .db.updateTable('round')
      .set({ dedupe_threshold: 0.85 })
      .where('id', '=', round.roundId)
      .execute();
    expect(await digest()).not.toBe(before);
  });
});
