import { describe, expect, it } from 'vitest';
import { TextClaims, createClaims, textKeyHash } from './claims.ts';

const hashOf = (target: string, text: string): string => {
  const out = new Uint32Array(2);
  textKeyHash(target, text, out);
  return `${out[0]}:${out[1]}`;
};

describe('TextClaims', () => {
  it('leaves a text to the earliest record that claimed it, in input order', () => {
    const claims = new TextClaims(createClaims(1024));
    expect(claims.claim('c1', '支持本条', 3, 7)).toBe(true);
    // Later records: in a later chunk, or later in the same one.
    expect(claims.claim('c1', '支持本条', 5, 0)).toBe(false);
    expect([claims.job, claims.index]).toEqual([3, 7]);
    expect(claims.claim('c1', '支持本条', 3, 9)).toBe(false);
    expect([claims.job, claims.index]).toEqual([3, 7]);
    // An earlier record analyses the text itself and takes the claim over: later records are left to it.
    expect(claims.claim('c1', '支持本条', 2, 100)).toBe(true);
    expect(claims.claim('c1', '支持本条', 3, 1)).toBe(false);
    expect([claims.job, claims.index]).toEqual([2, 100]);
    expect(claims.claim('c1', '支持本条', 2, 40)).toBe(true);
    expect(claims.claim('c1', '支持本条', 2, 41)).toBe(false);
    expect([claims.job, claims.index]).toEqual([2, 40]);
  });

  it('tells targets and texts apart', () => {
    const claims = new TextClaims(createClaims(1024));
    expect(claims.claim('c1', 'same text', 0, 0)).toBe(true);
    expect(claims.claim('c2', 'same text', 1, 0)).toBe(true);
    expect(claims.claim('c1', 'same text!', 1, 1)).toBe(true);
    expect(claims.claim('', 'same text', 1, 2)).toBe(true);
    expect(claims.claim('c2', 'same text', 2, 0)).toBe(false);
    expect([claims.job, claims.index]).toEqual([1, 0]);
    expect(claims.claim('', 'same text', 2, 1)).toBe(false);
    expect([claims.job, claims.index]).toEqual([1, 2]);
  });

  it('claims nothing more once three quarters of its slots are taken', () => {
    const claims = new TextClaims(createClaims(4));
    for (const text of ['a', 'b', 'c']) {
      expect(claims.claim('', text, 0, 0)).toBe(true);
    }
    expect(claims.claim('', 'd', 0, 1)).toBe(true);
    // 'd' was not claimed: a later copy is analysed too; the texts claimed are still found.
    expect(claims.claim('', 'd', 1, 0)).toBe(true);
    expect(claims.claim('', 'b', 1, 1)).toBe(false);
    expect([claims.job, claims.index]).toEqual([0, 0]);
  });

  it('stops claiming close to the limit when threads count their claims in batches', () => {
    // 1,024 slots: a limit of 768 claims, counted 3 at a time by each of two views.
    const buffer = createClaims(1024);
    const views = [new TextClaims(buffer), new TextClaims(buffer)];
    const texts = Array.from({ length: 1000 }, (_, i) => `comment ${i}`);
    texts.forEach((text, i) => {
      expect(views[i % 2]!.claim('', text, 0, i)).toBe(true);
    });
    expect(views[0]!.full).toBe(true);
    // The texts claimed are left to their records by a later one; those not claimed are analysed again.
    const held = texts.filter((text, i) => !views[i % 2]!.claim('', text, 1, i)).length;
    expect(held).toBeGreaterThanOrEqual(768);
    expect(held).toBeLessThanOrEqual(768 + 2 * 3);
  });

  it('is shared by every view of the same memory', () => {
    const buffer = createClaims(64);
    const one = new TextClaims(buffer);
    const other = new TextClaims(buffer);
    expect(one.claim('t', '同一封信', 0, 4)).toBe(true);
    expect(other.claim('t', '同一封信', 1, 0)).toBe(false);
    expect([other.job, other.index]).toEqual([0, 4]);
    expect(new TextClaims(createClaims(64)).claim('t', '同一封信', 1, 0)).toBe(true);
  });

  it('wants a power of two of slots', () => {
    expect(() => createClaims(1000)).toThrow(/power of two/);
  });
});

describe('textKeyHash', () => {
  it('is the same for the same target and text, and differs where they differ or split otherwise', () => {
    expect(hashOf('c1', 'text')).toBe(hashOf('c1', 'text'));
    const keys = [
      ['', ''],
      ['', 'a'],
      ['a', ''],
      ['ab', 'c'],
      ['a', 'bc'],
      ['', 'abc'],
      ['', 'ab'],
      ['', 'ba'],
      ['', 'a\u0000'],
      ['', '\u0000a'],
      ['', '😀'],
      ['', '\ud83d'],
      ['c1', '支持本条'],
      ['c1', '支持本條'],
    ];
    const hashes = new Set(keys.map(([target, text]) => hashOf(target!, text!)));
    expect(hashes.size).toBe(keys.length);
  });

  it('gives distinct hashes to many similar texts', () => {
    const hashes = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      hashes.add(hashOf('t', `I support the plan, comment number ${i}.`));
    }
    expect(hashes.size).toBe(50_000);
  });
});
