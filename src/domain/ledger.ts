import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export type LedgerAlgorithm = 'sm3' | 'sha256';

export const GENESIS_HASH = '0'.repeat(64);

/** The content of one event that its hash covers. */
export interface LedgerEventContent {
  seq: number;
  at: string;
  actor: string;
  entity: string;
  id: string;
  event: string;
  payload: unknown;
}

export interface StoredLedgerEvent extends LedgerEventContent {
  alg: LedgerAlgorithm;
  prevHash: string;
  hash: string;
}

/** RFC 8785 canonical JSON, so the same event always hashes the same on every platform. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) {
    throw new TypeError('value cannot be expressed as canonical JSON');
  }
  return text;
}

/** hash = H(prev_hash ‖ canonical JSON of the event), hex. */
export function hashLedgerEvent(alg: LedgerAlgorithm, prevHash: string, content: LedgerEventContent): string {
  const { seq, at, actor, entity, id, event, payload } = content;
  return createHash(alg)
    .update(prevHash, 'utf8')
    .update(canonicalJson({ seq, at, actor, entity, id, event, payload }), 'utf8')
    .digest('hex');
}

export type LedgerProblem = 'altered' | 'inserted' | 'removed' | 'relinked' | 'truncated' | 'head';

export interface LedgerBreak {
  seq: number;
  problem: LedgerProblem;
  message: string;
}

/**
 * Walks a chain incrementally: feed events in seq order, then `finish` with the recorded head.
 * It stops at the first break and names that event.
 */
export class LedgerVerifier {
  private lastSeq = 0;
  private lastHash = GENESIS_HASH;
  private checked = 0;
  private broken: LedgerBreak | null = null;

  get result(): { ok: boolean; checked: number; lastSeq: number; break: LedgerBreak | null } {
    return { ok: this.broken === null, checked: this.checked, lastSeq: this.lastSeq, break: this.broken };
  }

  /** Returns false once the chain is broken (stop feeding). */
  push(event: StoredLedgerEvent): boolean {
    if (this.broken) {
      return false;
    }
    const expected = this.lastSeq + 1;
    const recomputed = hashLedgerEvent(event.alg, event.prevHash, event);
    if (event.seq > expected) {
      const range = event.seq - 1 > expected ? `${expected}–${event.seq - 1}` : `${expected}`;
      return this.fail(expected, 'removed', `event ${range} is missing: removed from the ledger`);
    }
    if (event.seq < expected) {
      return this.fail(event.seq, 'inserted', `event ${event.seq} appears twice or out of order`);
    }
    if (recomputed !== event.hash) {
      // An event slipped in before this one shifts every later seq by one: detect that as an insertion.
      if (
        event.seq > 1 &&
        hashLedgerEvent(event.alg, event.prevHash, { ...event, seq: event.seq - 1 }) === event.hash
      ) {
        return this.fail(
          event.seq - 1,
          'inserted',
          `event ${event.seq - 1} was inserted: the events after it were renumbered`,
        );
      }
      return this.fail(
        event.seq,
        'altered',
        `event ${event.seq} (${event.entity} ${event.id} ${event.event}) was altered: its content no longer matches its hash`,
      );
    }
    if (event.prevHash !== this.lastHash) {
      return this.fail(
        event.seq,
        'relinked',
        `event ${event.seq} (${event.entity} ${event.id} ${event.event}) does not link to event ${this.lastSeq}: inserted or replaced`,
      );
    }
    this.lastSeq = event.seq;
    this.lastHash = event.hash;
    this.checked += 1;
    return true;
  }

  /** Compares the end of the walk with the head that every append advances. */
  finish(head: { seq: number; hash: string }): void {
    if (this.broken) {
      return;
    }
    if (head.seq > this.lastSeq) {
      this.fail(
        this.lastSeq + 1,
        'truncated',
        `events ${this.lastSeq + 1}–${head.seq} are missing: the ledger was truncated`,
      );
    } else if (head.seq < this.lastSeq) {
      this.fail(head.seq + 1, 'inserted', `event ${head.seq + 1} was appended outside the ledger`);
    } else if (head.hash !== this.lastHash) {
      this.fail(head.seq, 'head', `the ledger head does not match event ${head.seq}`);
    }
  }

  private fail(seq: number, problem: LedgerProblem, message: string): false {
    this.broken = { seq, problem, message };
    return false;
  }
}
