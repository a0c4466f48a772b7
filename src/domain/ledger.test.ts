import { describe, expect, it } from 'vitest';
import type { StoredLedgerEvent } from './ledger.ts';
import { GENESIS_HASH, LedgerVerifier, canonicalJson, hashLedgerEvent } from './ledger.ts';

function chain(n: number, alg: 'sm3' | 'sha256' = 'sm3'): StoredLedgerEvent[] {
  const events: StoredLedgerEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content = {
      seq,
      at: `2026-01-01T00:00:0${seq % 10}.000Z`,
      actor: 'u1',
      entity: 'plan',
      id: `p${seq}`,
      event: 'plan.created',
      payload: { name: `规划${seq}`, n: seq },
    };
    const hash = hashLedgerEvent(alg, prev, content);
    events.push({ ...content, alg, prevHash: prev, hash });
    prev = hash;
  }
  return events;
}

function verify(
  events: StoredLedgerEvent[],
  head = { seq: events.length, hash: events.at(-1)?.hash ?? GENESIS_HASH },
) {
  const verifier = new LedgerVerifier();
  for (const e of events) {
    if (!verifier.push(e)) {
      break;
    }
  }
  verifier.finish(head);
  return verifier.result;
}

describe('ledger hashing', () => {
  it('is canonical: key order does not change the hash', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: 2 }] })).toBe('{"a":[2,{"c":2,"d":1}],"b":1}');
    const base = { seq: 1, at: 't', actor: 'a', entity: 'e', id: 'i', event: 'x', payload: { y: 1, z: 2 } };
    const reordered = {
      payload: { z: 2, y: 1 },
      event: 'x',
      id: 'i',
      entity: 'e',
      actor: 'a',
      at: 't',
      seq: 1,
    };
    expect(hashLedgerEvent('sm3', GENESIS_HASH, base)).toBe(hashLedgerEvent('sm3', GENESIS_HASH, reordered));
  });

  it('uses SM3 or SHA-256 and they differ', () => {
    const content = { seq: 1, at: 't', actor: 'a', entity: 'e', id: 'i', event: 'x', payload: {} };
    const sm3 = hashLedgerEvent('sm3', GENESIS_HASH, content);
    const sha = hashLedgerEvent('sha256', GENESIS_HASH, content);
    expect(sm3).toMatch(/^[0-9a-f]{64}$/);
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(sm3).not.toBe(sha);
  });
});

describe('LedgerVerifier', () => {
  it('accepts an intact chain', () => {
    expect(verify(chain(20))).toMatchObject({ ok: true, checked: 20, lastSeq: 20 });
    expect(verify(chain(5, 'sha256')).ok).toBe(true);
  });

  it('names an altered event', () => {
    const events = chain(10);
    events[6] = { ...events[6]!, payload: { name: '篡改', n: 7 } };
    expect(verify(events).break).toMatchObject({ seq: 7, problem: 'altered' });
  });

  it('names a removed event', () => {
    const events = chain(10);
    events.splice(3, 1);
    expect(verify(events, { seq: 10, hash: chain(10)[9]!.hash }).break).toMatchObject({
      seq: 4,
      problem: 'removed',
    });
  });

  it('names an inserted event when later events were renumbered', () => {
    const original = chain(6);
    const forged = { ...original[2]!, id: 'forged' };
    forged.hash = hashLedgerEvent('sm3', forged.prevHash, forged);
    const renumbered = original.slice(3).map((e) => ({ ...e, seq: e.seq + 1 }));
    const events = [
      ...original.slice(0, 3),
      { ...forged, seq: 4, prevHash: original[2]!.hash },
      ...renumbered,
    ];
    events[3]!.hash = hashLedgerEvent('sm3', events[3]!.prevHash, events[3]!);
    const result = verify(events, { seq: 7, hash: 'x' });
    expect(result.ok).toBe(false);
    expect(result.break?.seq).toBe(4);
    expect(result.break?.problem).toBe('inserted');
  });

  it('names an event whose link was forged', () => {
    const events = chain(6);
    const forged = { ...events[3]!, prevHash: 'f'.repeat(64) };
    forged.hash = hashLedgerEvent('sm3', forged.prevHash, forged);
    events[3] = forged;
    expect(verify(events).break).toMatchObject({ seq: 4, problem: 'relinked' });
  });

  it('detects an event appended without advancing the head, and truncation', () => {
    const events = chain(5);
    expect(verify(events, { seq: 4, hash: events[3]!.hash }).break).toMatchObject({
      seq: 5,
      problem: 'inserted',
    });
    expect(verify(events.slice(0, 3), { seq: 5, hash: events[4]!.hash }).break).toMatchObject({
      seq: 4,
      problem: 'truncated',
    });
  });
});
