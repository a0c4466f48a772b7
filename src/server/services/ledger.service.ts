import type { LedgerAlgorithm, LedgerBreak, StoredLedgerEvent } from '../../domain/ledger.ts';
import { LedgerVerifier, canonicalJson, hashLedgerEvent } from '../../domain/ledger.ts';
import type { Database } from '../db/database.ts';
import type { Tx } from '../db/executor.ts';
import {
  insertLedgerEvent,
  listLedgerEvents,
  lockLedgerHead,
  readLedgerHead,
} from '../repositories/ledger.repository.ts';

export interface LedgerEntry {
  actor: string;
  entity: string;
  id: string;
  event: string;
  payload: Record<string, unknown>;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  lastSeq: number;
  alg: LedgerAlgorithm[];
  break: LedgerBreak | null;
}

/**
 * The append-only, hash-chained record of every state change. `append` runs inside the caller's
 * transaction, so the event commits with the change it records or not at all.
 */
export class LedgerService {
  constructor(
    private readonly database: Database,
    private readonly alg: LedgerAlgorithm,
    private readonly now: () => Date,
  ) {}

  async append(tx: Tx, entry: LedgerEntry): Promise<StoredLedgerEvent> {
    const head = await lockLedgerHead(tx, this.database.dialect);
    // Round-trip through JSON so what is hashed is exactly what is stored and read back.
    const payload = JSON.parse(canonicalJson(entry.payload)) as unknown;
    const content = {
      seq: head.seq + 1,
      at: this.now().toISOString(),
      actor: entry.actor,
      entity: entry.entity,
      id: entry.id,
      event: entry.event,
      payload,
    };
    const hash = hashLedgerEvent(this.alg, head.hash, content);
    const event: StoredLedgerEvent = { ...content, alg: this.alg, prevHash: head.hash, hash };
    await insertLedgerEvent(tx, { ...event, payloadJson: canonicalJson(payload) });
    return event;
  }

  list(options: {
    afterSeq: number;
    limit: number;
    entity?: string;
    entityId?: string;
  }): Promise<StoredLedgerEvent[]> {
    return listLedgerEvents(this.database.db, options);
  }

  /** Walks the whole chain in pages; stops at the first break and names that event. */
  async verify(onProgress?: (checked: number, total: number) => void): Promise<VerifyResult> {
    const head = await readLedgerHead(this.database.db);
    const verifier = new LedgerVerifier();
    const algs = new Set<LedgerAlgorithm>();
    let afterSeq = 0;
    for (;;) {
      const page = await listLedgerEvents(this.database.db, { afterSeq, limit: 5000 });
      if (page.length === 0) {
        break;
      }
      let intact = true;
      for (const event of page) {
        algs.add(event.alg);
        if (!verifier.push(event)) {
          intact = false;
          break;
        }
      }
      afterSeq = page.at(-1)!.seq;
      onProgress?.(verifier.result.checked, head.seq);
      if (!intact) {
        break;
      }
    }
    verifier.finish(head);
    return { ...verifier.result, alg: [...algs] };
  }
}
