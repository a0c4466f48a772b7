import { describe, expect, it } from 'vitest';
import { similarityKey } from '../normalize.ts';
import { findDuplicates } from './cluster.ts';
import { evaluatePairs, exactSimilarPairs } from './exact.ts';
import { isSimilar, shingleSet } from './shingles.ts';
import { createRandom } from '../classify/random.ts';

/** Texts with many near pairs around the threshold: edited copies of a few bases, Chinese and English. */
function corpus(count: number, seed: number): string[] {
  const next = createRandom(seed);
  const alphabet =
    '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经';
  const latin = 'abcdefghijklmnopqrstuvwxyz     ';
  const make = (chars: string, length: number): string =>
    Array.from({ length }, () => chars[Math.floor(next() * chars.length)]!).join('');
  const bases = Array.from({ length: 8 }, (_, i) =>
    make(i % 2 === 0 ? alphabet : latin, 40 + Math.floor(next() * 80)),
  );
  return Array.from({ length: count }, () => {
    if (next() < 0.2) {
      return make(alphabet, 5 + Math.floor(next() * 60));
    }
    let text = bases[Math.floor(next() * bases.length)]!;
    const edits = Math.floor(next() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(next() * text.length);
      text =
        text.slice(0, at) +
        make(alphabet, 1 + Math.floor(next() * 3)) +
        text.slice(at + Math.floor(next() * 3));
    }
    return text;
  });
}

/** All similar pairs of texts by comparing every pair. */
function bruteForcePairs(texts: readonly string[], threshold: number): Set<string> {
  const sets = texts.map((text) => shingleSet(similarityKey(text)));
  const pairs = new Set<string>();
  for (let a = 0; a < texts.length; a++) {
    for (let b = a + 1; b < texts.length; b++) {
      if (isSimilar(sets[a]!, sets[b]!, threshold)) {
        pairs.add(`${a},${b}`);
      }
    }
  }
  return pairs;
}

/** The text pairs of an exact result, expanded from groups. */
function expandPairs(texts: readonly string[], threshold: number): Set<string> {
  const result = exactSimilarPairs(texts, { threshold });
  const members = new Map<number, number[]>();
  result.groupOf.forEach((group, i) => {
    if (group >= 0) {
      members.set(group, [...(members.get(group) ?? []), i]);
    }
  });
  const pairs = new Set<string>();
  const add = (a: number, b: number): void => {
    pairs.add(`${Math.min(a, b)},${Math.max(a, b)}`);
  };
  for (const list of members.values()) {
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        add(list[x]!, list[y]!);
      }
    }
  }
  for (let k = 0; k < result.pairs.length; k += 2) {
    for (const a of members.get(result.pairs[k]!)!) {
      for (const b of members.get(result.pairs[k + 1]!)!) {
        add(a, b);
      }
    }
  }
  expect(pairs.size).toBe(result.textPairs);
  return pairs;
}

describe('exactSimilarPairs', () => {
  it('finds exactly the pairs a comparison of every pair finds', () => {
    for (const [seed, threshold] of [
      [1, 0.8],
      [2, 0.5],
      [3, 0.9],
      [4, 0.3],
    ] as const) {
      const texts = corpus(300, seed);
      const expected = bruteForcePairs(texts, threshold);
      expect(expected.size).toBeGreaterThan(0);
      expect([...expandPairs(texts, threshold)].sort()).toEqual([...expected].sort());
    }
  });

  it('groups texts with one similarity key and leaves empty texts out', () => {
    const result = exactSimilarPairs([
      'Same text here',
      'same  text HERE',
      '',
      '同意',
      '同意',
      '其他意见内容',
    ]);
    expect(Array.from(result.groupOf)).toEqual([0, 0, -1, 1, 1, 2]);
    expect(Array.from(result.groupSize)).toEqual([2, 2, 1]);
    expect(Array.from(result.pairs)).toEqual([]);
    expect(result.textPairs).toBe(2);
  });

  it('joins near-duplicate groups, emoji and mixed scripts included', () => {
    const a = '支持👍这个规划GDP目标，建议加快实施。';
    const result = exactSimilarPairs([a, a.replace('加快', '尽快'), 'Совсем другой текст'], {
      threshold: 0.5,
    });
    expect(Array.from(result.pairs)).toEqual([0, 1]);
  });
});

describe('evaluatePairs', () => {
  it('counts pairs within clusters against the reference', () => {
    // Reference: texts 0,1,2 pairwise similar; 3 similar to 2 only; 4 alone.
    const reference = {
      threshold: 0.8,
      groupOf: Int32Array.from([0, 1, 2, 3, 4]),
      groupSize: Int32Array.from([1, 1, 1, 1, 1]),
      pairs: Int32Array.from([0, 1, 0, 2, 1, 2, 2, 3]),
      textPairs: 4,
    };
    // Clusters {0,1} and {2,3,4}: true positives 0-1 and 2-3; predicted 1 + 3 pairs.
    const evaluation = evaluatePairs(Int32Array.from([0, 0, 1, 1, 1]), reference);
    expect(evaluation).toEqual({
      truePairs: 4,
      predictedPairs: 4,
      truePositives: 2,
      recall: 0.5,
      precision: 0.5,
    });
    const none = evaluatePairs(Int32Array.from([-1, -1, -1, -1, -1]), reference);
    expect(none).toMatchObject({ predictedPairs: 0, truePositives: 0, recall: 0, precision: 1 });
  });

  it('counts the pairs of a group split over clusters', () => {
    const reference = {
      threshold: 0.8,
      groupOf: Int32Array.from([0, 0, 0, 0]),
      groupSize: Int32Array.from([4]),
      pairs: new Int32Array(0),
      textPairs: 6,
    };
    expect(evaluatePairs(Int32Array.from([0, 0, 1, -1]), reference)).toMatchObject({
      truePositives: 1,
      recall: 1 / 6,
    });
  });

  it('measures findDuplicates on a synthetic corpus: clusters hold only similar pairs', () => {
    const texts = corpus(600, 9);
    const result = findDuplicates(texts, { threshold: 0.8 });
    const reference = exactSimilarPairs(texts);
    const evaluation = evaluatePairs(result.clusterOf, reference);
    expect(evaluation.precision).toBeGreaterThanOrEqual(0.99);
    expect(evaluation.recall).toBeGreaterThan(0.3);
    for (const cluster of result.clusters) {
      const representative = shingleSet(similarityKey(texts[cluster.representative]!));
      for (const member of cluster.members) {
        expect(isSimilar(shingleSet(similarityKey(texts[member]!)), representative, 0.8)).toBe(true);
      }
    }
    // Checking the representative only finds more pairs and lets in pairs that are not similar.
    const loose = evaluatePairs(findDuplicates(texts, { coreSize: 1 }).clusterOf, reference);
    expect(loose.recall).toBeGreaterThanOrEqual(evaluation.recall);
    expect(loose.precision).toBeLessThanOrEqual(evaluation.precision);
  });
});
