/*
 * Texts claimed by the analysis threads of one run, in memory they share: by a 64-bit hash of a record's
 * target and text, the earliest record in the input analysed with them so far (its chunk's job and its
 * index in the chunk). A thread that meets a text claimed for an earlier record, whichever thread
 * analysed it and however long ago, leaves it to that record: its line is that record's (the results of a
 * record depend on its target and text alone), copied when the lines are written. A record earlier than
 * the one that holds the claim (its chunk was taken later) analyses the text itself and takes the claim
 * over; since each thread takes its chunks in input order, no thread analyses a text twice. The threads
 * then keep no memory of recent texts of their own (runner.ts), until the table is full.
 *
 * A slot is four 32-bit values: its state (empty, being written, or written with the record's job), the
 * two halves of the hash, and the record's index in its chunk. A thread that finds a slot being written
 * looks at it again: the writer is a few steps from done. A reader reads the state again after the
 * index, so as never to pair the index of one chunk with the job of another when the claim moves
 * meanwhile (a move within a chunk leaves either index right). Once three quarters of the slots are
 * taken, no text is claimed any more (`full`); the threads add their claims to the shared count in small
 * batches, so a few more may be. Two different texts share a hash with a chance of one in 2^64: over a
 * million distinct texts, one run in about 37 million would hold such a pair.
 */
import { fmix32 } from '../normalize.ts';

const EMPTY = 0;
const WRITING = 1;
/** A written slot's state: WRITTEN + 4 × the job of its record. */
const WRITTEN = 2;
const INTS_A_SLOT = 4;
/** The last job whose state fits 32 bits. */
const MAX_JOB = 2 ** 28;
/** Slots of a run's table (32 MiB, whose pages the system provides as they are first written). */
const CLAIM_SLOTS = 2 ** 21;

/** A table for the threads of a run, of `slots` slots (a power of two). */
export function createClaims(slots = CLAIM_SLOTS): SharedArrayBuffer {
  if (!Number.isInteger(Math.log2(slots))) {
    throw new RangeError(`claim slots must be a power of two, not ${slots}`);
  }
  // The slots, then the count of claims.
  return new SharedArrayBuffer((slots * INTS_A_SLOT + 1) * 4);
}

export class TextClaims {
  private readonly table: Int32Array;
  private readonly mask: number;
  private readonly limit: number;
  private readonly countAt: number;
  private readonly hash = new Uint32Array(2);
  /** Claims of this thread not yet added to the shared count. */
  private uncounted = 0;
  /** The shared count as this thread last read it: when it added to it, or when asked if the table is full. */
  private counted = 0;
  /** Claims a thread adds to the shared count at once: a few per thousand of the room, at most 32. */
  private readonly countBatch: number;

  /** Set by `claim` when it returns false: the job and index of the record that holds the text. */
  job = -1;
  index = -1;

  constructor(buffer: SharedArrayBuffer) {
    this.table = new Int32Array(buffer);
    const slots = (this.table.length - 1) / INTS_A_SLOT;
    this.mask = slots - 1;
    this.limit = Math.floor(slots * 0.75);
    this.countAt = slots * INTS_A_SLOT;
    this.countBatch = Math.max(1, Math.min(32, Math.floor(this.limit / 256)));
  }

  /**
   * Counts a claim. Every thread writes the shared count, and a value that threads on other cores keep
   * writing costs each access dear: each adds its claims a batch at a time, and reads the count when it
   * adds and when asked whether the table is full (`full`, once a slice of records), not at each claim.
   * The table may then take a few more claims than its limit, never many: it keeps a quarter free.
   */
  private count(): void {
    if (++this.uncounted >= this.countBatch) {
      this.counted = Atomics.add(this.table, this.countAt, this.uncounted) + this.uncounted;
      this.uncounted = 0;
    }
  }

  /** No more texts can be claimed (those claimed are still found). */
  get full(): boolean {
    this.counted = Atomics.load(this.table, this.countAt);
    return this.counted >= this.limit;
  }

  /**
   * Claims a record's target and text for record `index` of chunk `job`: true when the record is to be
   * analysed (claimed now, taken from a later record, or no earlier record holds the text as far as can
   * be told); false when an earlier record in the input holds it, whose job and index are then in `job`
   * and `index`.
   */
  claim(target: string, text: string, job: number, index: number): boolean {
    const { table, hash } = this;
    if (job > MAX_JOB) {
      return true;
    }
    textKeyHash(target, text, hash);
    const high = hash[0]! | 0;
    const low = hash[1]! | 0;
    // While there is room, an empty slot is taken in the same atomic step that reads it: one step less,
    // and the page of a slot never touched is written at once rather than read first and then written
    // (each a fault of its own).
    const open = this.counted + this.uncounted < this.limit;
    let slot = low & this.mask;
    for (;;) {
      const at = slot * INTS_A_SLOT;
      const state = open ? Atomics.compareExchange(table, at, EMPTY, WRITING) : Atomics.load(table, at);
      if (state === EMPTY) {
        if (!open) {
          return true;
        }
        table[at + 1] = high;
        table[at + 2] = low;
        table[at + 3] = index;
        // Written last: a thread that reads the state then reads what was written before it.
        Atomics.store(table, at, WRITTEN + 4 * job);
        this.count();
        return true;
      }
      if (state === WRITING) {
        // Another thread is a few steps from done with it: look at it again.
        continue;
      }
      if (table[at + 1] === high && table[at + 2] === low) {
        const holderIndex = Atomics.load(table, at + 3);
        if (Atomics.load(table, at) !== state) {
          // The claim moved to another chunk meanwhile: the index may be that chunk's.
          continue;
        }
        const holderJob = (state - WRITTEN) >>> 2;
        if (holderJob < job || (holderJob === job && holderIndex < index)) {
          this.job = holderJob;
          this.index = holderIndex;
          return false;
        }
        // Held by a later record: the claim moves to this one, unless another thread moves it first.
        if (Atomics.compareExchange(table, at, state, WRITING) === state) {
          Atomics.store(table, at + 3, index);
          Atomics.store(table, at, WRITTEN + 4 * job);
        }
        return true;
      }
      slot = (slot + 1) & this.mask;
    }
  }
}

/**
 * A 64-bit hash of a target and a text into `out[0]` and `out[1]`: two different mixes (Murmur3 and
 * xxHash32 rounds) over the text's UTF-16 code units, two at a time, then the target's, each string's
 * length mixed in so that no two pairs of strings run together.
 */
export function textKeyHash(target: string, text: string, out: Uint32Array): void {
  let a = 0x9747b28c;
  let b = 0x165667b1;
  for (let pass = 0; pass < 2; pass++) {
    const value = pass === 0 ? text : target;
    const length = value.length;
    a = murmurRound(a, length);
    b = xxRound(b, length);
    const even = length & ~1;
    for (let i = 0; i < even; i += 2) {
      const k = value.charCodeAt(i) | (value.charCodeAt(i + 1) << 16);
      a = murmurRound(a, k);
      b = xxRound(b, k);
    }
    if (even < length) {
      const k = value.charCodeAt(even);
      a = murmurRound(a, k);
      b = xxRound(b, k);
    }
  }
  out[0] = fmix32(a ^ Math.imul(b, 0x85ebca6b));
  out[1] = fmix32(b ^ Math.imul(a, 0xc2b2ae35));
}

function murmurRound(h: number, value: number): number {
  let k = Math.imul(value, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  const mixed = h ^ Math.imul(k, 0x1b873593);
  return (Math.imul((mixed << 13) | (mixed >>> 19), 5) + 0xe6546b64) | 0;
}

function xxRound(h: number, value: number): number {
  const sum = (h + Math.imul(value, 0x85ebca77)) | 0;
  return Math.imul((sum << 13) | (sum >>> 19), 0x9e3779b1);
}
