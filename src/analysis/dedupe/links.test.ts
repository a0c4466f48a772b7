import { describe, expect, it } from 'vitest';
import { similarityKey } from '../normalize.ts';
import type { ClusterPartition } from './cluster.ts';
import {
  PartitionClusterer,
  SignatureClusterer,
  findDuplicates,
  findLinks,
  partitionPlan,
  planClustering,
} from './cluster.ts';
import { evaluatePairs, exactSimilarPairs } from './exact.ts';
import { linkDuplicates, linkDuplicatesInSteps, linkPartition } from './links.ts';
import { isSimilar, shingleSet } from './shingles.ts';
import { computeSignatures } from './signature.ts';
import { chain, drifting, han } from '../../../test/drifting-texts.ts';

describe('linkDuplicates', () => {
  it('links in steps as at once, a slice of the texts a step', () => {
    const texts = drifting(9000, 4);
    const signatures = computeSignatures(texts);
    const plan = planClustering(signatures);
    const sets = texts.map((text) => shingleSet(similarityKey(text)));
    const clusterer = new SignatureClusterer(signatures, { plan, shinglesOf: (i) => sets[i]! });
    clusterer.advance(texts.length);
    const clustered = clusterer.result();
    const representatives = clustered.clusters.map((c) => c.representative);
    const options = { threshold: 0.8, shinglesOf: (i: number) => sets[i]! };
    const whole = linkDuplicates(plan, clustered.clusterOf, representatives, options);
    const progress: number[] = [];
    const steps = linkDuplicatesInSteps(plan, clustered.clusterOf, representatives, {
      ...options,
      onProgress: (done) => progress.push(done),
    });
    let taken = 0;
    let step = steps.next();
    for (; step.done !== true; step = steps.next()) {
      taken++;
    }
    expect(plan.verify.length).toBeGreaterThan(4096);
    // Over 4,096 texts a step, and the groups sorted before.
    expect(taken).toBeGreaterThan(plan.verify.length / 4096);
    expect(progress.at(-1)).toBe(plan.verify.length);
    expect(whole.pairs.length).toBeGreaterThan(0);
    expect(Array.from(step.value.pairs)).toEqual(Array.from(whole.pairs));
    expect(step.value.verifications).toBe(whole.verifications);
  });

  it('links a text to the member of another cluster it is similar to, and nothing else', () => {
    const texts = chain();
    const plain = findDuplicates(texts);
    expect(Array.from(plain.clusterOf)).toEqual([0, 0, -1]);
    expect(plain.links).toBeUndefined();
    const result = findDuplicates(texts, { links: true });
    expect(Array.from(result.clusterOf)).toEqual([0, 0, -1]);
    // The third is similar to the first, not to the second (the cluster left it out for that).
    expect(Array.from(result.links!.pairs)).toEqual([0, 2]);
    // Its candidates: the first, and the second if they share a band key.
    expect(result.links!.verifications).toBeGreaterThanOrEqual(1);
    expect(result.links!.verifications).toBeLessThanOrEqual(2);
  });

  it('finds exactly the similar pairs that share a band key and sit in different clusters', () => {
    for (const seed of [1, 2, 3]) {
      const texts = drifting(400, seed);
      const result = findDuplicates(texts, { links: true, linkCandidates: 10_000 });
      const { bands, bandKeys } = computeSignatures(texts);
      const sets = texts.map((text) => shingleSet(similarityKey(text)));
      const plan = planClustering(computeSignatures(texts));
      const expected: string[] = [];
      for (let b = 1; b < texts.length; b++) {
        for (let a = 0; a < b; a++) {
          const distinct = plan.exactDuplicateOf[a] === -1 && plan.exactDuplicateOf[b] === -1;
          const apart = result.clusterOf[a] === -1 || result.clusterOf[a] !== result.clusterOf[b];
          let shared = false;
          for (let band = 0; band < bands && !shared; band++) {
            shared = bandKeys[a * bands + band] === bandKeys[b * bands + band];
          }
          if (distinct && apart && shared && isSimilar(sets[a]!, sets[b]!, 0.8)) {
            expected.push(`${a},${b}`);
          }
        }
      }
      const pairs = result.links!.pairs;
      const found: string[] = [];
      for (let k = 0; k < pairs.length; k += 2) {
        found.push(`${pairs[k]},${pairs[k + 1]}`);
      }
      expect(expected.length).toBeGreaterThan(10);
      expect(found).toEqual(expected);
    }
  });

  it('verifies at most the given number of candidates for a text', () => {
    const texts = drifting(300, 7);
    const plan = planClustering(computeSignatures(texts));
    const result = findDuplicates(texts);
    const shinglesOf = (index: number): Uint32Array => shingleSet(similarityKey(texts[index]!));
    const representatives = result.clusters.map((cluster) => cluster.representative);
    const wide = linkDuplicates(plan, result.clusterOf, representatives, { threshold: 0.8, shinglesOf });
    const narrow = linkDuplicates(plan, result.clusterOf, representatives, {
      threshold: 0.8,
      shinglesOf,
      maxCandidates: 1,
    });
    expect(wide.verifications).toBeGreaterThan(plan.verify.length);
    expect(narrow.verifications).toBeLessThanOrEqual(plan.verify.length);
    expect(narrow.pairs.length).toBeLessThan(wide.pairs.length);
  });

  it('finds nothing for empty and one-character texts, emoji and texts alike to none', () => {
    const result = findDuplicates(['', '好', '👍', 'A comment of its own.', '另一条完全不同的意见'], {
      links: true,
    });
    expect(Array.from(result.links!.pairs)).toEqual([]);
    expect(result.links!.verifications).toBe(0);
  });
});

describe('linkPartition', () => {
  it('finds, over two partitions clustered apart, the links of the whole corpus', () => {
    for (const seed of [4, 5]) {
      // Two families of texts that share no band key: the plan splits into two partitions of whole groups.
      const texts = [
        ...drifting(250, seed),
        ...drifting(250, seed + 100).map((text) => `${text}${han(0x8000, 40)}`),
      ];
      const shinglesOf = (index: number): Uint32Array => shingleSet(similarityKey(texts[index]!));
      const whole = findDuplicates(texts, { links: true });
      const signatures = computeSignatures(texts);
      const plan = planClustering(signatures);
      const [own, other] = partitionPlan(plan, 2) as [ClusterPartition, ClusterPartition];
      expect(own.texts.length).toBeGreaterThan(0);
      expect(other.texts.length).toBeGreaterThan(0);
      const clusterer = new SignatureClusterer(signatures, { threshold: 0.8, plan, shinglesOf });
      clusterer.advance(texts.length);
      const apart = new PartitionClusterer(other, { threshold: 0.8, shinglesOf });
      apart.advance(() => true);
      const { founders, verifications, verified } = apart.result();
      clusterer.adopt(other.texts, founders, verifications, verified);
      const result = clusterer.result();
      expect(Array.from(result.clusterOf)).toEqual(Array.from(whole.clusterOf));
      const representatives = result.clusters.map((cluster) => cluster.representative);
      const first = linkDuplicates(plan, result.clusterOf, representatives, { threshold: 0.8, shinglesOf });
      const second = linkPartition(other, founders, texts.length, { threshold: 0.8, shinglesOf });
      const pairsOf = (pairs: Int32Array): string[] => {
        const found: string[] = [];
        for (let k = 0; k < pairs.length; k += 2) {
          found.push(`${pairs[k]},${pairs[k + 1]}`);
        }
        return found;
      };
      expect(pairsOf(first.pairs).length).toBeGreaterThan(0);
      expect(pairsOf(second.pairs).length).toBeGreaterThan(0);
      expect([...pairsOf(first.pairs), ...pairsOf(second.pairs)].sort()).toEqual(
        pairsOf(whole.links!.pairs).sort(),
      );
      expect(first.verifications + second.verifications).toBe(whole.links!.verifications);
    }
  });
});

describe('evaluatePairs with links', () => {
  it('counts the pairs a link makes between the copies of its two texts', () => {
    const [base, start, end] = chain();
    const texts = [base!, start!, end!, `${end!} `];
    const reference = exactSimilarPairs(texts);
    // Similar: base–start, base–end, base–end's copy, end–its copy; start and end are not.
    expect(reference.textPairs).toBe(4);
    const result = findDuplicates(texts, { links: true });
    expect(Array.from(result.clusterOf)).toEqual([0, 0, 1, 1]);
    const clustersOnly = evaluatePairs(result.clusterOf, reference);
    expect(clustersOnly).toMatchObject({ predictedPairs: 2, truePositives: 2, recall: 0.5, precision: 1 });
    const withLinks = evaluatePairs(result.clusterOf, reference, result.links!.pairs);
    expect(withLinks).toMatchObject({ predictedPairs: 4, truePositives: 4, recall: 1, precision: 1 });
  });

  it('counts a link between texts that are not similar as wrong', () => {
    const [base, start, end] = chain();
    const reference = exactSimilarPairs([base!, start!, end!]);
    const clusterOf = Int32Array.from([-1, -1, -1]);
    const evaluation = evaluatePairs(clusterOf, reference, Int32Array.from([1, 2, 0, 1]));
    expect(evaluation).toMatchObject({ predictedPairs: 2, truePositives: 1, precision: 0.5 });
  });
});

describe('findLinks', () => {
  it('links the texts of different groups given, never two of one group', () => {
    const [base, start, end] = chain();
    // A person put the letter and its second edit together, and left the first edit out.
    expect(Array.from(findLinks([base!, start!, end!], Int32Array.from([5, -1, 5])).pairs)).toEqual([0, 1]);
    // Grouped as the machine would, the links are findDuplicates' own.
    expect(Array.from(findLinks([base!, start!, end!], Int32Array.from([0, 0, -1])).pairs)).toEqual(
      Array.from(findDuplicates([base!, start!, end!], { links: true }).links!.pairs),
    );
    expect(findLinks([base!, start!], Int32Array.from([-1, -1])).pairs).toEqual(Int32Array.from([0, 1]));
    expect(findLinks([], new Int32Array(0)).pairs).toHaveLength(0);
    expect(() => findLinks([base!], Int32Array.from([-1]), { threshold: 0 })).toThrow(/threshold/);
  });

  it('finds exactly the similar pairs that share a band key and sit in different groups', () => {
    const texts = drifting(300, 4);
    // Two large groups made by hand, across the machine's clusters; the other texts alone.
    const groupOf = Int32Array.from(texts, (_, i) => (i % 5 === 0 ? 70 : i % 5 === 1 ? 3 : -1));
    const found = findLinks(texts, groupOf, { linkCandidates: 10_000 });
    const { bands, bandKeys } = computeSignatures(texts);
    const sets = texts.map((text) => shingleSet(similarityKey(text)));
    const plan = planClustering(computeSignatures(texts));
    const expected: number[] = [];
    /** Similar pairs within a hand-made group: never linked. */
    let together = 0;
    for (let b = 1; b < texts.length; b++) {
      for (let a = 0; a < b; a++) {
        const distinct = plan.exactDuplicateOf[a] === -1 && plan.exactDuplicateOf[b] === -1;
        const apart = groupOf[a] === -1 || groupOf[a] !== groupOf[b];
        let shared = false;
        for (let band = 0; band < bands && !shared; band++) {
          shared = bandKeys[a * bands + band] === bandKeys[b * bands + band];
        }
        if (distinct && shared && isSimilar(sets[a]!, sets[b]!, 0.8)) {
          if (apart) {
            expected.push(a, b);
          } else {
            together++;
          }
        }
      }
    }
    expect(expected.length).toBeGreaterThan(20);
    expect(together).toBeGreaterThan(0);
    expect(Array.from(found.pairs)).toEqual(expected);
  });
});
