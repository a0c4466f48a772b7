import { expect, it } from 'vitest';
import type { Database } from '../src/server/db/database.ts';
import type { Executor } from '../src/server/db/executor.ts';
import { inBulkTransaction } from '../src/server/db/executor.ts';
import { createOpinion, createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';

const NOW = '2026-04-01T09:30:00.000Z';

/** A near-duplicate cluster of the round whose representative is `representativeId`. */
function insertCluster(
  db: Executor,
  roundId: string,
  id: string,
  representativeId: string,
): Promise<unknown> {
  return db
    .insertInto('duplicate_cluster')
    .values({
      id,
      round_id: roundId,
      representative_id: representativeId,
      size: 2,
      status: 'machine',
      threshold: 0.8,
      created_at: NOW,
      updated_at: NOW,
    })
    .execute();
}

async function clusterIds(database: Database): Promise<string[]> {
  const rows = await database.db.selectFrom('duplicate_cluster').select('id').orderBy('id').execute();
  return rows.map((row) => row.id);
}

const foreignKeys = (database: Database): unknown =>
  database.sqlite?.pragma('foreign_keys', { simple: true });

describeDb('bulk transaction', (db, dialect) => {
  it('commits whole or not at all', async () => {
    const round = await createRound(db(), { units: 1 });
    const opinion = await createOpinion(db(), round);
    await expect(
      inBulkTransaction(db(), async (tx) => {
        await insertCluster(tx, round.roundId, 'c1', opinion.id);
        throw new Error('the import stops half-way');
      }),
    ).rejects.toThrow('the import stops half-way');
    expect(await clusterIds(db())).toEqual([]);
  });

  it('puts foreign-key checks back as they were, whether it succeeds or fails', async () => {
    const round = await createRound(db(), { units: 1 });
    const opinion = await createOpinion(db(), round);
    const before = foreignKeys(db());
    const during: unknown[] = [];
    await inBulkTransaction(db(), async (tx) => {
      during.push(foreignKeys(db()));
      await insertCluster(tx, round.roundId, 'c1', opinion.id);
    });
    expect(await clusterIds(db())).toEqual(['c1']);
    expect(foreignKeys(db())).toBe(before);
    await expect(
      inBulkTransaction(db(), () => {
        during.push(foreignKeys(db()));
        return Promise.reject(new Error('failed'));
      }),
    ).rejects.toThrow('failed');
    expect(foreignKeys(db())).toBe(before);
    if (dialect === 'sqlite') {
      expect(before).toBe(1);
      expect(during).toEqual([0, 0]);
      // Off before: left off.
      db().sqlite!.pragma('foreign_keys = OFF');
      await inBulkTransaction(db(), () => Promise.resolve());
      expect(foreignKeys(db())).toBe(0);
    } else {
      expect(during).toEqual([undefined, undefined]);
    }
  });

  it('checks every statement made outside it, even while it runs', async () => {
    const { roundId } = await createRound(db(), { units: 0 });
    let proceed: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      proceed = resolve;
    });
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const bulk = inBulkTransaction(db(), async (tx) => {
      started();
      await held;
      await insertCluster(tx, roundId, 'inside', 'no such opinion');
    });
    await running;
    // Issued while the bulk transaction holds the connection: it runs after it, with checks on.
    const outside = insertCluster(db().db, roundId, 'outside', 'no such opinion either');
    proceed();
    if (dialect === 'sqlite') {
      await bulk;
    } else {
      await expect(bulk).rejects.toThrow(/foreign key/u);
    }
    await expect(outside).rejects.toThrow(/foreign key/iu);
    expect(await clusterIds(db())).toEqual(dialect === 'sqlite' ? ['inside'] : []);
  });
});
