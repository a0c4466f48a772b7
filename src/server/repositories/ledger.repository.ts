import { sql } from 'kysely';
import type { LedgerAlgorithm, StoredLedgerEvent } from '../../domain/ledger.ts';
import { insertChunked } from '../db/chunked.ts';
import type { Dialect } from '../db/database.ts';
import type { Executor, Tx } from '../db/executor.ts';
import type { LedgerEventRow } from '../db/schema.ts';

export interface LedgerHead {
  seq: number;
  hash: string;
}

function toEvent(row: LedgerEventRow): StoredLedgerEvent {
  return {
    seq: Number(row.seq),
    at: row.at,
    actor: row.actor,
    entity: row.entity,
    id: row.entity_id,
    event: row.event,
    payload: JSON.parse(row.payload) as unknown,
    alg: row.alg,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Locks the head row for the rest of the transaction (SQLite transactions already serialise writers). */
export async function lockLedgerHead(tx: Tx, dialect: Dialect): Promise<LedgerHead> {
  const query = tx.selectFrom('ledger_head').select(['seq', 'hash']).where('id', '=', 1);
  const row = await (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirstOrThrow();
  return { seq: Number(row.seq), hash: row.hash };
}

export async function readLedgerHead(db: Executor): Promise<LedgerHead> {
  const row = await db
    .selectFrom('ledger_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { seq: Number(row.seq), hash: row.hash };
}

/** Writes events already chained in seq order and moves the head to the last one. */
export async function insertLedgerEvents(
  tx: Tx,
  events: readonly (StoredLedgerEvent & { payloadJson: string; alg: LedgerAlgorithm })[],
): Promise<void> {
  const last = events.at(-1);
  if (!last) {
    return;
  }
  await insertChunked(
    events.map((event) => ({
      seq: event.seq,
      at: event.at,
      actor: event.actor,
      entity: event.entity,
      entity_id: event.id,
      event: event.event,
      payload: event.payloadJson,
      alg: event.alg,
      prev_hash: event.prevHash,
      hash: event.hash,
    })),
    (chunk) => tx.insertInto('ledger_event').values(chunk).execute(),
  );
  await tx.updateTable('ledger_head').set({ seq: last.seq, hash: last.hash }).where('id', '=', 1).execute();
}

/** Events in seq order after `afterSeq`, a page at a time. */
export async function listLedgerEvents(
  db: Executor,
  options: { afterSeq: number; limit: number; entity?: string; entityId?: string },
): Promise<StoredLedgerEvent[]> {
  let query = db
    .selectFrom('ledger_event')
    .selectAll()
    .where('seq', '>', options.afterSeq)
    .orderBy('seq')
    .limit(options.limit);
  if (options.entity) {
    query = query.where('entity', '=', options.entity);
  }
  if (options.entityId) {
    query = query.where('entity_id', '=', options.entityId);
  }
  const rows = await query.execute();
  return rows.map(toEvent);
}

export async function countLedgerEvents(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('ledger_event')
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
