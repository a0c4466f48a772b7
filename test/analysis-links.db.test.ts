import { expect, it } from 'vitest';
import { inTransaction } from '../src/server/db/executor.ts';
import {
  deleteDuplicateLinks,
  insertDuplicateLinks,
  linkSetDigest,
  listDuplicateLinkKeys,
} from '../src/server/repositories/analysis.repository.ts';
import { createOpinion, createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';

describeDb('near-duplicate links of a round, written and read in bulk', (db) => {
  it('adds links, removes some by pair, and reads back exactly what remains of that round', async () => {
    const round = await createRound(db(), { units: 1 });
    const other = await createRound(db(), { units: 1 });
    const ids: string[] = [];
    for (let k = 0; k < 6; k++) {
      ids.push((await createOpinion(db(), round, { suggestion: `意见${k}` })).id);
    }
    const elsewhere = [(await createOpinion(db(), other)).id, (await createOpinion(db(), other)).id];
    const pairs = [
      { opinionId: ids[0]!, similarId: ids[1]! },
      { opinionId: ids[0]!, similarId: ids[2]! },
      { opinionId: ids[3]!, similarId: ids[4]! },
      { opinionId: ids[4]!, similarId: ids[5]! },
    ];
    const now = '2026-12-03T00:00:00.000Z';
    await inTransaction(db(), async (tx) => {
      await insertDuplicateLinks(db(), tx, round.roundId, pairs, now);
      await insertDuplicateLinks(
        db(),
        tx,
        other.roundId,
        [{ opinionId: elsewhere[0]!, similarId: elsewhere[1]! }],
        now,
      );
    });
    const key = (p: { opinionId: string; similarId: string }): string => `${p.opinionId}|${p.similarId}`;
    expect(await listDuplicateLinkKeys(db(), db().db, round.roundId)).toEqual(new Set(pairs.map(key)));

    await inTransaction(db(), async (tx) => {
      await deleteDuplicateLinks(tx, round.roundId, [pairs[1]!, pairs[3]!]);
      // Read inside the transaction too, through the connection it holds.
      expect(await listDuplicateLinkKeys(db(), tx, round.roundId)).toEqual(
        new Set([key(pairs[0]!), key(pairs[2]!)]),
      );
    });
    expect(await listDuplicateLinkKeys(db(), db().db, round.roundId)).toEqual(
      new Set([key(pairs[0]!), key(pairs[2]!)]),
    );
    expect(await listDuplicateLinkKeys(db(), db().db, other.roundId)).toEqual(
      new Set([`${elsewhere[0]}|${elsewhere[1]}`]),
    );
  });
});

it('digests a set of links the same in any order, and differently once a pair changes', () => {
  const pairs = [
    { opinionId: 'o1', similarId: 'o2' },
    { opinionId: 'o1', similarId: 'o3' },
    { opinionId: 'o4', similarId: 'o5' },
  ];
  const digest = linkSetDigest(pairs);
  expect(digest).toMatch(/^[0-9a-f]{32}$/);
  expect(linkSetDigest([pairs[2]!, pairs[0]!, pairs[1]!])).toBe(digest);
  expect(linkSetDigest([])).toBe(linkSetDigest([]));
  expect(linkSetDigest(pairs.slice(0, 2))).not.toBe(digest);
  // The same opinions, another pair; the pair's two sides swapped; ids that join to the same text.
  expect(linkSetDigest([pairs[0]!, pairs[1]!, { opinionId: 'o4', similarId: 'o6' }])).not.toBe(digest);
  expect(linkSetDigest([pairs[0]!, pairs[1]!, { opinionId: 'o5', similarId: 'o4' }])).not.toBe(digest);
  expect(linkSetDigest([{ opinionId: 'a|b', similarId: 'c' }])).not.toBe(
    linkSetDigest([{ opinionId: 'a', similarId: 'b|c' }]),
  );
});
