import { describe, expect, it, vi } from 'vitest';
import { createNormalizedCodes, similarityKey } from '../normalize.ts';
import {
  createShingleBuffer,
  fillKeyShingles,
  fillShingles,
  fillShinglesFromCodes,
  intersectionSize,
  isSimilar,
  jaccard,
  meetsThreshold,
  minimumOverlap,
  packShingleSets,
  packedShinglesOf,
  shingleSet,
  sortUnique,
  sortUniqueInto,
} from './shingles.ts';

describe('shingles', () => {
  it('has one shingle per run of 5 characters', () => {
    expect(shingleSet('abcdefg')).toHaveLength(3);
    expect(shingleSet('数字经济发展')).toHaveLength(2);
    expect(shingleSet('abcde')).toHaveLength(1);
  });

  it('counts a repeated 5-gram once', () => {
    const buffer = createShingleBuffer();
    expect(fillShingles('aaaaaaaa', buffer)).toBe(4);
    expect(shingleSet('aaaaaaaa')).toHaveLength(1);
  });

  it('makes a text shorter than 5 characters one shingle, and an empty text none', () => {
    expect(shingleSet('好')).toHaveLength(1);
    expect(shingleSet('同意')).toHaveLength(1);
    expect(shingleSet('abcd')).toHaveLength(1);
    expect(shingleSet('')).toHaveLength(0);
    expect(shingleSet('同意')).not.toEqual(shingleSet('同意。'));
  });

  it('reads emoji as one character each (code points, not UTF-16 units)', () => {
    // Five emoji are ten UTF-16 units but one 5-gram.
    expect(shingleSet('😀😁😂🤣😃')).toHaveLength(1);
    expect(shingleSet('😀😁😂🤣😃😄')).toHaveLength(2);
    expect(shingleSet('👍')).toEqual(shingleSet('👍'));
    expect(shingleSet('👍')).not.toEqual(shingleSet('👎'));
  });

  it('handles mixed scripts', () => {
    const set = shingleSet('GDP增长5%');
    expect(set).toHaveLength(3);
    expect(jaccard(set, shingleSet('GDP增长5%'))).toBe(1);
  });

  it('is sorted and repeat-free', () => {
    const set = shingleSet('建议将目标值由15%调整为20%，建议将目标值由15%调整为20%');
    for (let i = 1; i < set.length; i++) {
      expect(set[i]!).toBeGreaterThan(set[i - 1]!);
    }
  });

  it('shingles a 100 KB text', () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `第${i}条`).join('');
    expect(text.length).toBeGreaterThan(100_000);
    const set = shingleSet(text);
    expect(set.length).toBeGreaterThan(30_000);
    expect(set.length).toBeLessThanOrEqual(text.length - 4);
  });
});

describe('similarity', () => {
  it('is the Jaccard index of the shingle sets', () => {
    const a = shingleSet('abcdefgh'); // abcde bcdef cdefg defgh
    const b = shingleSet('abcdefgX'); // abcde bcdef cdefg defgX
    expect(intersectionSize(a, b)).toBe(3);
    expect(jaccard(a, b)).toBeCloseTo(3 / 5);
  });

  it('is 0 when either text is empty', () => {
    expect(jaccard(shingleSet(''), shingleSet(''))).toBe(0);
    expect(jaccard(shingleSet(''), shingleSet('abcdef'))).toBe(0);
    expect(isSimilar(shingleSet(''), shingleSet(''), 0.8)).toBe(false);
  });

  it('meets the threshold exactly at it, without rounding trouble', () => {
    expect(meetsThreshold(4, 5, 4, 0.8)).toBe(true); // 4 / 5
    expect(meetsThreshold(8, 10, 8, 0.8)).toBe(true);
    expect(meetsThreshold(7, 10, 8, 0.8)).toBe(false); // 7 / 11
    expect(meetsThreshold(0, 0, 0, 0.5)).toBe(false);
    expect(minimumOverlap(5, 4, 0.8)).toBe(4);
    expect(minimumOverlap(10, 10, 0.8)).toBe(9); // 8.89 → 9
  });

  it('applies the size filter before counting', () => {
    const long = shingleSet('abcdefghijklmnopqrstuvwxyz');
    const short = shingleSet('abcdefghij');
    expect(isSimilar(long, short, 0.8)).toBe(false);
    expect(isSimilar(long, short, 0.2)).toBe(true);
  });

  it('tells near-duplicate Chinese and English texts from different ones', () => {
    const letter =
      '我们坚决支持本规划关于加快建设数字经济的目标，建议进一步明确各部门职责，加大财政资金支持力度，确保各项任务按期完成。';
    const copy = letter.replace('坚决', '完全');
    const other = '建议删除第十二条中“原则上”三字，明确牵头单位和配套资金来源，并补充分年度实施安排。';
    expect(isSimilar(shingleSet(letter), shingleSet(copy), 0.8)).toBe(true);
    expect(isSimilar(shingleSet(letter), shingleSet(other), 0.8)).toBe(false);
    const english =
      'I strongly support the proposed rule to extend the practical training period for STEM students.';
    expect(isSimilar(shingleSet(english), shingleSet(english.replace('strongly', 'fully')), 0.8)).toBe(true);
  });
});

describe('sortUnique', () => {
  it('sorts a prefix and drops repeats in place', () => {
    const values = Uint32Array.from([5, 3, 5, 1, 3, 9, 0]);
    const distinct = sortUnique(values, 6);
    expect(Array.from(values.subarray(0, distinct))).toEqual([1, 3, 5, 9]);
    expect(sortUnique(new Uint32Array(0), 0)).toBe(0);
  });
});

describe('packShingleSets', () => {
  it('packs the sets of chosen texts and reads them back by corpus index', () => {
    const texts = ['数字经济发展目标', 'Support the rule!', '', '好'];
    const packed = packShingleSets(texts, {
      indexes: [0, 1, 2],
      offset: 10,
      keyOf: (text) => text.toLowerCase(),
    });
    expect(Array.from(packed.indexes)).toEqual([10, 11, 12]);
    expect(Array.from(packed.offsets)).toEqual([0, 4, 17, 17]);
    const fallback = vi.fn((index: number) => shingleSet(texts[index - 10]!));
    const shinglesOf = packedShinglesOf(14, [packed], fallback);
    expect(Array.from(shinglesOf(10))).toEqual(Array.from(shingleSet('数字经济发展目标')));
    expect(Array.from(shinglesOf(11))).toEqual(Array.from(shingleSet('support the rule!')));
    expect(shinglesOf(12)).toHaveLength(0);
    expect(fallback).not.toHaveBeenCalled();
    expect(Array.from(shinglesOf(13))).toEqual(Array.from(shingleSet('好')));
    expect(fallback).toHaveBeenCalledWith(13);
  });
});

describe('sortUnique on hash-sized inputs', () => {
  it('sorts a few thousand values like the built-in sort', () => {
    let seed = 1;
    const values = Uint32Array.from({ length: 5000 }, () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed % 3 === 0 ? 7 : seed;
    });
    const expected = [...new Set(values)].sort((a, b) => a - b);
    const distinct = sortUnique(values, values.length);
    expect(Array.from(values.subarray(0, distinct))).toEqual(expected);
  });
});

describe('shingles from code units', () => {
  const texts = [
    '',
    ' ',
    'a',
    'AB',
    'abcd',
    'ABCDE',
    '好',
    '同意。',
    '😀',
    '😀😁😂🤣',
    '😀😁😂🤣😃',
    'a😀b😁c',
    '\ud800\ud800x',
    'x\udc00y\ud83d',
    '123456789',
    '1234567890',
    '  Support  THE Rule ',
    'ＳＴＥＭ　ＯＰＴ，这么说',
    '我們支持這項規劃，建議加強資訊產業。',
    'İSTANBUL ΟΔΟΣ ǅ',
    'GDP增长5%👍🏽 and 𠀾',
    Array.from({ length: 3000 }, (_, i) => `第${i}条 Rule ${i};`).join(''),
  ];

  it('gives the shingles of the similarity key', () => {
    const buffer = createShingleBuffer(2);
    const normalized = createNormalizedCodes(2);
    for (const text of texts) {
      const expectedCount = fillShingles(similarityKey(text), buffer);
      const expected = Array.from(buffer.hashes.subarray(0, expectedCount));
      const count = fillKeyShingles(text, normalized, buffer);
      expect(Array.from(buffer.hashes.subarray(0, count))).toEqual(expected);
    }
  });

  it('folds ASCII letters of the code units and nothing else', () => {
    const buffer = createShingleBuffer();
    for (const key of ['ABCDEFGH', 'AbÀÉ中文ΣX', 'Z']) {
      const codes = Uint16Array.from(key, (char) => char.charCodeAt(0));
      const count = fillShinglesFromCodes(codes, codes.length, buffer);
      const folded = Array.from(buffer.hashes.subarray(0, count));
      const ascii = key.replace(/[A-Z]/g, (c) => c.toLowerCase());
      const asciiCount = fillShingles(ascii, buffer);
      expect(folded).toEqual(Array.from(buffer.hashes.subarray(0, asciiCount)));
    }
  });

  it('packs the similarity keys by default', () => {
    const indexes = texts.map((_, i) => i);
    const byDefault = packShingleSets(texts, { indexes, offset: 3 });
    const byKey = packShingleSets(texts, { indexes, offset: 3, keyOf: (text) => similarityKey(text) });
    expect(Array.from(byDefault.indexes)).toEqual(Array.from(byKey.indexes));
    expect(Array.from(byDefault.offsets)).toEqual(Array.from(byKey.offsets));
    expect(Array.from(byDefault.values)).toEqual(Array.from(byKey.values));
  });
});

/** A generator of pseudo-random 32-bit values from `seed`. */
function randomValues(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

describe('sortUnique at every size', () => {
  it('sorts like the built-in sort and drops repeats, small and large', () => {
    const next = randomValues(9);
    for (const size of [0, 1, 2, 31, 32, 33, 100, 257, 1000, 4096, 70_000]) {
      const values = Uint32Array.from({ length: size }, (_, i) => (i % 7 === 0 ? 0xffffffff : next()));
      if (size > 3) {
        values[1] = 0;
        values[2] = values[3]!;
      }
      const expected = [...new Set(values)].sort((a, b) => a - b);
      const distinct = sortUnique(values, size);
      expect(Array.from(values.subarray(0, distinct))).toEqual(expected);
    }
  });
});

describe('sortUniqueInto', () => {
  it('writes the sorted distinct values of a stretch of one array into another, leaving both sides alone', () => {
    const next = randomValues(17);
    for (const size of [0, 1, 2, 31, 32, 33, 100, 257, 1000, 70_000]) {
      const stretch = Array.from({ length: size }, (_, i) => (i % 5 === 0 ? 12345 : next() >>> (i % 3)));
      const source = Uint32Array.from([7, 7, 7, ...stretch, 9, 9]);
      const before = Array.from(source);
      const into = new Uint32Array(size + 6).fill(42);
      const distinct = sortUniqueInto(source, 3, size, into, 4);
      const expected = [...new Set(stretch)].sort((a, b) => a - b);
      expect(distinct).toBe(expected.length);
      expect(Array.from(into.subarray(4, 4 + distinct))).toEqual(expected);
      expect(Array.from(into.subarray(0, 4))).toEqual([42, 42, 42, 42]);
      expect(Array.from(source)).toEqual(before);
    }
  });
});
