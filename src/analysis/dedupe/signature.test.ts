import { describe, expect, it } from 'vitest';
import { exactHash, fmix32, similarityKey } from '../normalize.ts';
import { createShingleBuffer, fillShingles, jaccard, shingleSet } from './shingles.ts';
import type { SignatureOptions } from './signature.ts';
import {
  computeSignatures,
  computeSignaturesAndShingles,
  concatSignatures,
  minhashSignature,
} from './signature.ts';

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

describe('signature values', () => {
  const texts = ['I strongly support the proposed rule.', '这个规划什么时候实施？', '好'];
  const firstKeys = (options: SignatureOptions): number[][] => {
    const chunk = computeSignatures(texts, options);
    const shown = Math.min(chunk.bands, 3);
    return texts.map((_, i) => Array.from(chunk.bandKeys.subarray(i * chunk.bands, i * chunk.bands + shown)));
  };

  it('keep their band keys, for any number of bins', () => {
    expect(firstKeys({})).toEqual([
      [1531266165, 85887228, 63393324],
      [2939276707, 3123634398, 2878606582],
      [1299511810, 613205933, 1417108269],
    ]);
    expect(firstKeys({ bands: 1, rows: 1 })).toEqual([[3813101613], [763854121], [1966341980]]);
    expect(firstKeys({ bands: 1, rows: 2 })).toEqual([[4091678563], [3825463314], [2465935058]]);
    expect(firstKeys({ bands: 2, rows: 2 })).toEqual([
      [2637859704, 426107625],
      [2155696176, 2584605773],
      [2465935058, 1838817212],
    ]);
    expect(firstKeys({ bands: 3, rows: 5, seed: 7 })).toEqual([
      [1877733809, 2657773468, 973143787],
      [495754249, 2479716050, 930074853],
      [643920968, 1834434579, 595391087],
    ]);
    expect(firstKeys({ bands: 64, rows: 64 })).toEqual([
      [3240970197, 3535980043, 380817543],
      [3205834435, 668067007, 4032668232],
      [1277609449, 609417382, 3886993830],
    ]);
  });

  it('keep their values when conversion brings characters outside the basic plane', () => {
    // 勣, 僤, 嗰, 嚧 and 埨 simplify to characters written as surrogate pairs.
    const chunk = computeSignatures(['他的功勣很大，僤嗰 ABC 嚧埨']);
    expect(Array.from(chunk.bandKeys.subarray(0, 3))).toEqual([839413566, 79422503, 3146529203]);
    expect(chunk.shingleCounts[0]).toBe(12);
    expect(exactHash('他的功勣很大，僤嗰 ABC 嚧埨')).toBe('90fca3f6248ebfef');
  });

  it('keep the MinHash values of the extreme hashes', () => {
    const shingles = Uint32Array.from([1, 2, 3, 0xffffffff, 0x80000000]);
    expect(Array.from(minhashSignature(shingles, { bands: 2, rows: 2 }))).toEqual([
      343323107, 2202591461, 2202591461, 343323107,
    ]);
    expect(Array.from(minhashSignature(shingles, { bands: 1, rows: 1 }))).toEqual([343323107]);
    expect(new Set(minhashSignature(new Uint32Array(0)))).toEqual(new Set([0xffffffff]));
  });

  it('keep their values when few bins are filled (short texts), each borrowed from a filled bin', () => {
    const checksum = (values: Uint32Array): number =>
      values.reduce((sum, value) => (Math.imul(sum, 31) + value) | 0, 0);
    const pinned = new Map([
      [2, 1206645752],
      [3, -1763151453],
      [5, 1992110179],
    ]);
    for (const [count, expected] of pinned) {
      const shingles = Uint32Array.from({ length: count }, (_, i) => fmix32(i + 1));
      const signature = minhashSignature(shingles);
      expect(checksum(signature)).toBe(expected);
      // Every bin holds the minimum of a filled bin: at most one distinct value per shingle.
      expect(new Set(signature).size).toBeLessThanOrEqual(count);
    }
    // Past the bins whose probe orders are ranked, the same rule by walking the orders.
    const wide = minhashSignature(Uint32Array.from([fmix32(1), fmix32(2)]), { bands: 64, rows: 32 });
    expect(new Set(wide).size).toBe(2);
  });

  it('hash and count what exactHash and the shingles of the similarity key give', () => {
    const many = [
      ...texts,
      '',
      ' \u200b ',
      '😀',
      'ＳＴＥＭ　ＯＰＴ，这么说',
      '臺灣的電腦與資訊產業',
      'İSTANBUL ΟΔΟΣ',
      'a\u0301b\u3099 한국어',
      `${LETTER}\n`.repeat(40),
    ];
    const chunk = computeSignatures(many);
    const buffer = createShingleBuffer();
    many.forEach((text, i) => {
      const key = similarityKey(text);
      expect(chunk.shingleCounts[i]).toBe(key === '' ? 0 : fillShingles(key, buffer));
      if (key !== '') {
        const hex = Array.from(chunk.exactHashes.subarray(2 * i, 2 * i + 2), (half) =>
          half.toString(16).padStart(8, '0'),
        ).join('');
        expect(hex).toBe(exactHash(text));
      }
    });
  });
});

describe('computeSignatures in one pass', () => {
  /** Band keys as computeSignatures defines them: MinHash of the key's shingles, rows hashed per band. */
  function expectedBandKeys(text: string, options: { bands: number; rows: number; seed: number }): number[] {
    const key = similarityKey(text);
    const buffer = createShingleBuffer();
    const count = fillShingles(key, buffer);
    const values = minhashSignature(buffer.hashes.slice(0, count), options);
    return Array.from({ length: options.bands }, (_, band) => {
      let h = fmix32(Math.imul(band + 1, 0x9e3779b1) ^ options.seed);
      for (let r = 0; r < options.rows; r++) {
        let k = Math.imul(values[band * options.rows + r]!, 0xcc9e2d51);
        k = (k << 15) | (k >>> 17);
        h ^= Math.imul(k, 0x1b873593);
        h = (h << 13) | (h >>> 19);
        h = (Math.imul(h, 5) + 0xe6546b64) | 0;
      }
      return fmix32(h ^ options.rows);
    });
  }

  it('gives the band keys of the separate steps', () => {
    let seed = 3;
    const pick = (n: number): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed % n;
    };
    const pieces = [
      ...'abcXYZ 09,.!',
      ...'数字经济发展，。建议什么',
      'ＳＴＥＭ',
      '  ',
      '\n',
      '勣',
      '😀',
      'é',
    ];
    const texts = Array.from({ length: 300 }, () =>
      Array.from({ length: pick(60) }, () => pieces[pick(pieces.length)]).join(''),
    );
    texts.push(`${LETTER} `.repeat(20), '数字经济发展目标'.repeat(30));
    for (const options of [
      { bands: 16, rows: 8, seed: 0x5eed },
      { bands: 4, rows: 2, seed: 11 },
    ]) {
      const chunk = computeSignatures(texts, options);
      texts.forEach((text, i) => {
        if (chunk.shingleCounts[i] === 0) {
          return;
        }
        const keys = Array.from(chunk.bandKeys.subarray(i * options.bands, (i + 1) * options.bands));
        expect(keys).toEqual(expectedBandKeys(text, options));
      });
    }
  });
});

describe('computeSignaturesAndShingles', () => {
  it('gives the signatures of computeSignatures and each text’s shingles, whose set is shingleSet’s', () => {
    const texts = [
      LETTER,
      LETTER.toUpperCase(),
      '我们坚决支持本规划关于加快建设数字经济的目标，建议进一步明确各部门职责分工。',
      '繁體中文測試，這是一個句子',
      'ＡＢＣ　ｄｅｆ １２３４５６',
      '😀😀😀😀😀😀😀😀😀😀😀 𠀀𠀁𠀂𠀃𠀄𠀅',
      'ﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁﬁ',
      'abc',
      '好',
      '',
      'la la la la la la la la la la',
      '数'.repeat(100_000),
    ];
    const { signatures, shingles } = computeSignaturesAndShingles(texts);
    const alone = computeSignatures(texts);
    expect(Array.from(signatures.bandKeys)).toEqual(Array.from(alone.bandKeys));
    expect(Array.from(signatures.exactHashes)).toEqual(Array.from(alone.exactHashes));
    expect(Array.from(signatures.shingleCounts)).toEqual(Array.from(alone.shingleCounts));
    texts.forEach((text, i) => {
      const own = shingles.values.slice(shingles.offsets[i], shingles.offsets[i + 1]);
      expect(own).toHaveLength(alone.shingleCounts[i]!);
      const set = Array.from(new Set(own)).sort((a, b) => a - b);
      expect(set).toEqual(Array.from(shingleSet(similarityKey(text))));
    });
  });

  it('writes the shingles into the space it is given, or a larger array when NFKC lengthens a text', () => {
    const texts = [LETTER, '我们坚决支持本规划关于加快建设数字经济的目标。'];
    const alone = computeSignaturesAndShingles(texts).shingles;
    const space = new Uint32Array(10_000).fill(7);
    const asked: number[] = [];
    const { shingles } = computeSignaturesAndShingles(texts, {}, (capacity) => {
      asked.push(capacity);
      return space.subarray(100);
    });
    expect(asked).toEqual([LETTER.length + texts[1]!.length]);
    expect(shingles.values.buffer).toBe(space.buffer);
    expect(shingles.values.byteOffset).toBe(100 * Uint32Array.BYTES_PER_ELEMENT);
    expect(Array.from(shingles.values)).toEqual(Array.from(alone.values));
    expect(Array.from(shingles.offsets)).toEqual(Array.from(alone.offsets));
    // Nothing before the space's view is touched.
    expect(space[99]).toBe(7);
    // ﬁ becomes fi: more shingles than the text has characters.
    const lengthened = ['ﬁ'.repeat(30)];
    const exact = new Uint32Array(30);
    const grown = computeSignaturesAndShingles(lengthened, {}, () => exact).shingles;
    expect(grown.values.buffer).not.toBe(exact.buffer);
    expect(Array.from(grown.values)).toEqual(
      Array.from(computeSignaturesAndShingles(lengthened).shingles.values),
    );
  });
});
