import type { LedgerAlgorithm, LedgerBreak, StoredLedgerEvent } from '../../domain/ledger.ts';
import { LedgerVerifier, canonicalJson, hashLedgerEvent } from '../../domain/ledger.ts';
import type { Database } from '../db/database.ts';
import type { Tx } from '../db/executor.ts';
import {
  insertLedgerEvents,
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
    const [event] = await this.appendMany(tx, [entry]);
    return event!;
  }

  /** Appends several events in order, chained one to the next, in a few statements. */
  async appendMany(tx: Tx, entries: readonly LedgerEntry[]): Promise<StoredLedgerEvent[]> {
    if (entries.length === 0) {
      return [];
    }
    const head = await lockLedgerHead(tx, this.database.dialect);
    const at = this.now().toISOString();
    let { seq, hash: prevHash } = head;
    const events: (StoredLedgerEvent & { payloadJson: string })[] = [];
    for (const entry of entries) {
      const payloadJson = canonicalJson(entry.payload);
      const payload = JSON.parse(payloadJson) as unknown;
      seq += 1;
      const content = {
        seq,
        at,
        actor: entry.actor,
        entity: entry.entity,
        id: entry.id,
        event: entry.event,
        payload,
      };
      const hash = hashLedgerEvent(this.alg, prevHash, content);
      events.push({ ...content, alg: this.alg, prevHash, hash, payloadJson });
      prevHash = hash;
    }
    await insertLedgerEvents(tx, events);
    return events.map(({ payloadJson: _json, ...event }) => event);
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
