import { describe, expect, it } from 'vitest';
import { similarityKey } from '../normalize.ts';
import { jaccard, shingleSet } from './shingles.ts';
import { computeSignatures, concatSignatures, minhashSignature } from './signature.ts';

const LETTER =
  'I strongly support the proposed rule. International students in science and engineering bring skills ' +
  'that American employers need, and a longer practical training period lets them contribute for longer.';

describe('computeSignatures', () => {
  it('gives one band key per band per text, and counts shingles', () => {
    const chunk = computeSignatures(['数字经济发展', 'abc', '']);
    expect(chunk.count).toBe(3);
    expect(chunk.bands).toBe(16);
    expect(chunk.bandKeys).toHaveLength(48);
    expect(chunk.exactHashes).toHaveLength(6);
    expect(Array.from(chunk.shingleCounts)).toEqual([2, 1, 0]);
  });

  it('treats empty and blank texts as having no shingles', () => {
    const chunk = computeSignatures(['', '   ', '\n\u200b']);
    expect(Array.from(chunk.shingleCounts)).toEqual([0, 0, 0]);
  });

  it('gives texts with the same similarity key the same band keys', () => {
    const chunk = computeSignatures([
      '我們支持這項規劃',
      '我们支持这项规划',
      'STEM  Students',
      'stem students',
    ]);
    const keys = (i: number): number[] => Array.from(chunk.bandKeys.subarray(i * 16, i * 16 + 16));
    expect(keys(0)).toEqual(keys(1));
    expect(keys(2)).toEqual(keys(3));
    expect(keys(0)).not.toEqual(keys(2));
  });

  it('gives texts that differ only in form the same exact hash, and case-different texts another', () => {
    const chunk = computeSignatures(['ＧＤＰ增长', 'GDP增长', 'gdp增长']);
    const hash = (i: number): number[] => Array.from(chunk.exactHashes.subarray(i * 2, i * 2 + 2));
    expect(hash(0)).toEqual(hash(1));
    expect(hash(1)).not.toEqual(hash(2));
  });

  it('computes the same arrays in chunks as in one go', () => {
    const texts = [LETTER, LETTER.replace('strongly', 'fully'), '建议补充统计口径', '', '好', '😀😁😂🤣😃😄'];
    const whole = computeSignatures(texts);
    const joined = concatSignatures([
      computeSignatures(texts.slice(0, 2)),
      computeSignatures(texts.slice(2)),
    ]);
    expect(joined.count).toBe(whole.count);
    expect(Array.from(joined.bandKeys)).toEqual(Array.from(whole.bandKeys));
    expect(Array.from(joined.exactHashes)).toEqual(Array.from(whole.exactHashes));
    expect(Array.from(joined.shingleCounts)).toEqual(Array.from(whole.shingleCounts));
  });

  it('follows the seed and the band layout', () => {
    const a = computeSignatures([LETTER], { seed: 1 });
    const b = computeSignatures([LETTER], { seed: 2 });
    expect(Array.from(a.bandKeys)).not.toEqual(Array.from(b.bandKeys));
    const wide = computeSignatures([LETTER], { bands: 32, rows: 4 });
    expect(wide.bandKeys).toHaveLength(32);
  });

  it('rejects bad parameters', () => {
    expect(() => computeSignatures(['x'], { bands: 0 })).toThrow(/bands/);
    expect(() => computeSignatures(['x'], { rows: 2.5 })).toThrow(/rows/);
    expect(() => computeSignatures(['x'], { bands: 100, rows: 100 })).toThrow(/4096/);
    expect(() => concatSignatures([computeSignatures(['x']), computeSignatures(['y'], { seed: 9 })])).toThrow(
      /different parameters/,
    );
  });

  it('signs a 100 KB text', () => {
    const text = `${LETTER} `.repeat(500);
    expect(text.length).toBeGreaterThan(100_000);
    const chunk = computeSignatures([text]);
    expect(chunk.shingleCounts[0]).toBe(similarityKey(text).length - 4);
  });
});

describe('minhashSignature', () => {
  it('agrees on about as many positions as the Jaccard index', () => {
    const base = Array.from({ length: 400 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 37) % 2000))).join(
      '',
    );
    let estimated = 0;
    let exact = 0;
    const trials = 20;
    for (let t = 0; t < trials; t++) {
      const edited = base.slice(0, 50 + t * 10) + '改动内容'.repeat(3) + base.slice(80 + t * 10);
      const a = shingleSet(base);
      const b = shingleSet(edited);
      exact += jaccard(a, b);
      const sa = minhashSignature(a);
      const sb = minhashSignature(b);
      let equal = 0;
      for (let k = 0; k < sa.length; k++) {
        equal += sa[k] === sb[k] ? 1 : 0;
      }
      estimated += equal / sa.length;
    }
    expect(Math.abs(estimated / trials - exact / trials)).toBeLessThan(0.05);
  });

  it('fills every bin of a one-shingle text with its one value', () => {
    const signature = minhashSignature(shingleSet('好'));
    expect(new Set(signature).size).toBe(1);
  });
});
