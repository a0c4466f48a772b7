import { describe, expect, it } from 'vitest';
import { chain, drifting } from '../../../test/drifting-texts.ts';
import { exactHash } from '../normalize.ts';
import { findDuplicates, findLinks } from './cluster.ts';
import { clusterBesideHeld } from './held.ts';

describe('clusterBesideHeld', () => {
  it('with nothing held, clusters and links as findDuplicates does, and names each exact copy’s first', () => {
    const texts = [...drifting(120, 9), '', ''];
    texts.push(texts[3]!, texts[3]!);
    const result = clusterBesideHeld(texts, new Int32Array(texts.length).fill(-1));
    const reference = findDuplicates(texts, { links: true });
    expect(Array.from(result.free)).toEqual(texts.map((_, i) => i));
    expect(result.duplicates.clusters).toEqual(reference.clusters);
    expect(Array.from(result.links)).toEqual(Array.from(reference.links!.pairs));
    expect(result.links.length).toBeGreaterThan(0);
    const n = texts.length;
    // The two copies point at the first; empty texts copy nothing.
    expect(Array.from(result.firstCopyOf.slice(n - 4))).toEqual([-1, -1, 3, 3]);
    result.firstCopyOf.forEach((original, i) => {
      if (original !== -1) {
        expect(original).toBeLessThan(i);
        expect(result.firstCopyOf[original]).toBe(-1);
        expect(exactHash(texts[original]!)).toBe(exactHash(texts[i]!));
      }
    });
    // Found by the clustering here, by their hashes when a text is held: the same first copies.
    const oneHeld = clusterBesideHeld(
      texts,
      Int32Array.from(texts, (_, i) => (i === 0 ? 0 : -1)),
    );
    expect(Array.from(oneHeld.firstCopyOf)).toEqual(Array.from(result.firstCopyOf));
  });

  it('leaves held texts where people put them, links free texts to them, and never two held ones', () => {
    const [base, start, end] = chain();
    // A person kept the letter and its second edit together: the first edit is linked to the letter only.
    const result = clusterBesideHeld([base!, start!, end!], Int32Array.from([0, -1, 0]));
    expect(Array.from(result.free)).toEqual([1]);
    expect(result.duplicates.clusters).toEqual([]);
    expect(Array.from(result.links)).toEqual([0, 1]);
    // Kept apart by people, the letter and its second edit are not linked either.
    const apart = clusterBesideHeld([base!, start!, end!], Int32Array.from([0, -1, 1]));
    expect(Array.from(apart.links)).toEqual([0, 1]);
  });

  it('clusters the free texts among themselves and links them across, as findLinks over all would', () => {
    const texts = drifting(240, 21);
    const held = Int32Array.from(texts, (_, i) => (i % 6 === 0 ? 0 : i % 6 === 1 ? 1 : -1));
    const result = clusterBesideHeld(texts, held);
    const free = texts.flatMap((_, i) => (held[i] === -1 ? [i] : []));
    expect(Array.from(result.free)).toEqual(free);
    const own = findDuplicates(
      free.map((i) => texts[i]!),
      { links: true },
    );
    expect(result.duplicates.clusters).toEqual(own.clusters);
    const groupOf = Int32Array.from(held, (g) => (g === -1 ? -1 : own.clusters.length + g));
    free.forEach((i, k) => {
      groupOf[i] = own.clusterOf[k]!;
    });
    const all = findLinks(texts, groupOf).pairs;
    const expected: number[] = [];
    let heldPairs = 0;
    for (let k = 0; k < all.length; k += 2) {
      if (held[all[k]!] === -1 || held[all[k + 1]!] === -1) {
        expected.push(all[k]!, all[k + 1]!);
      } else {
        heldPairs++;
      }
    }
    expect(heldPairs).toBeGreaterThan(0);
    expect(expected.some((_, k) => k % 2 === 0 && held[expected[k]!] !== -1)).toBe(true);
    expect(Array.from(result.links)).toEqual(expected);
  });
});
