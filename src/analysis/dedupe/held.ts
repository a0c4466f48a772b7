/*
 * Clustering beside clusters people reviewed: the texts of reviewed clusters stay where people put them,
 * the others are clustered by the machine, and links are found between the two and among the machine's
 * own. It is what a round's re-clustering computes, on whichever thread runs it.
 */
import { exactHash } from '../normalize.ts';
import type { DuplicateResult } from './cluster.ts';
import { findDuplicates, findLinks } from './cluster.ts';

export interface HeldApartOptions {
  threshold?: number;
  /** Earlier texts outside its cluster verified for one text at most, for links (default 32). */
  linkCandidates?: number;
}

export interface HeldApartResult {
  /**
   * The clusters of the texts not held, numbered among them in order (`free[k]` is the k-th), as
   * `findDuplicates` gives them with links.
   */
  duplicates: DuplicateResult;
  /** The texts not held, ascending. */
  free: Int32Array;
  /**
   * Near-duplicate links over all the texts, [a0, b0, a1, b1, …] with a < b, ordered by b then a: pairs
   * the clusters keep apart, between free texts or a free text and a held one (two held texts are never
   * linked: people have seen both).
   */
  links: Int32Array;
  /** Per text, the earliest text with the same exact hash (`exactHash`), -1 for the first or an empty text. */
  firstCopyOf: Int32Array;
}

/**
 * Clusters the texts with `held[i] === -1` and links them, to each other and to the held texts; a held
 * text's value names the group people keep it in (any number ≥ 0).
 */
export function clusterBesideHeld(
  texts: readonly string[],
  held: Int32Array,
  options: HeldApartOptions = {},
): HeldApartResult {
  const free: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    if (held[i] === -1) {
      free.push(i);
    }
  }
  const duplicates = findDuplicates(
    free.map((i) => texts[i]!),
    {
      links: true,
      ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
      ...(options.linkCandidates === undefined ? {} : { linkCandidates: options.linkCandidates }),
    },
  );
  let links: Int32Array;
  if (free.length === texts.length) {
    // Every text is free: its number among the free is its own.
    links = duplicates.links!.pairs;
  } else if (free.length === 0) {
    links = new Int32Array(0);
  } else {
    // Held texts in groups of their own, numbered after the machine's clusters.
    const base = duplicates.clusters.length;
    const groupOf = Int32Array.from(held, (group) => (group === -1 ? -1 : base + group));
    free.forEach((i, k) => {
      groupOf[i] = duplicates.clusterOf[k]!;
    });
    const all = findLinks(texts, groupOf, options).pairs;
    const kept: number[] = [];
    for (let k = 0; k < all.length; k += 2) {
      if (held[all[k]!] === -1 || held[all[k + 1]!] === -1) {
        kept.push(all[k]!, all[k + 1]!);
      }
    }
    links = Int32Array.from(kept);
  }
  // With every text free, the clustering found the first copies already (by the same hash).
  const firstCopyOf = free.length === texts.length ? duplicates.exactDuplicateOf : firstCopies(texts);
  return { duplicates, free: Int32Array.from(free), links, firstCopyOf };
}

/** Per text, the earliest text with the same exact hash; -1 for the first copy and for empty texts. */
function firstCopies(texts: readonly string[]): Int32Array {
  const empty = exactHash('');
  const first = new Map<string, number>();
  const firstCopyOf = new Int32Array(texts.length).fill(-1);
  texts.forEach((text, i) => {
    const hash = exactHash(text);
    const original = hash === empty ? undefined : first.get(hash);
    if (original === undefined) {
      first.set(hash, i);
    } else {
      firstCopyOf[i] = original;
    }
  });
  return firstCopyOf;
}
