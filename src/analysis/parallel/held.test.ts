import { expect, it } from 'vitest';
import { drifting } from '../../../test/drifting-texts.ts';
import { clusterBesideHeld } from '../dedupe/held.ts';
import { clusterTexts } from './corpus.ts';
import { clusterBesideHeldOffThread } from './held.ts';

it('clusters beside held texts on a worker thread as on this one', { timeout: 60_000 }, async () => {
  const texts = drifting(300, 31);
  const held = Int32Array.from(texts, (_, i) => (i % 7 === 0 ? 4 : -1));
  const here = clusterBesideHeld(texts, held, { threshold: 0.75 });
  const there = await clusterBesideHeldOffThread(texts, held, { threshold: 0.75, offThreadFrom: 0 });
  expect(here.links.length).toBeGreaterThan(0);
  expect(there).toEqual(here);
  // Below the size that takes a thread, it runs here.
  expect(await clusterBesideHeldOffThread(texts, held, { threshold: 0.75 })).toEqual(here);
  await expect(clusterBesideHeldOffThread(texts, held, { threshold: 2, offThreadFrom: 0 })).rejects.toThrow(
    /threshold/,
  );
});

it(
  'clusters and links texts none of which is held on every core as on one thread',
  { timeout: 60_000 },
  async () => {
    const drifted = drifting(400, 17);
    // Exact copies, an empty text and one too short to shingle among them.
    const texts = [...drifted, drifted[3]!, '', drifted[10]!, '短', drifted[3]!];
    const free = new Int32Array(texts.length).fill(-1);
    const here = clusterBesideHeld(texts, free, { threshold: 0.75 });
    const there = await clusterBesideHeldOffThread(texts, free, {
      threshold: 0.75,
      allCoresFrom: 0,
      workers: 2,
    });
    expect(here.links.length).toBeGreaterThan(0);
    expect(here.duplicates.clusters.length).toBeGreaterThan(1);
    expect(there.duplicates.clusters).toEqual(here.duplicates.clusters);
    expect(there.duplicates.clusterOf).toEqual(here.duplicates.clusterOf);
    expect(there.links).toEqual(here.links);
    expect(there.firstCopyOf).toEqual(here.firstCopyOf);
    expect(Array.from(there.firstCopyOf.subarray(400))).toEqual([3, -1, 10, -1, 3]);
    expect(there.free).toEqual(here.free);
  },
);

it(
  'clusters and links as one thread does when the texts are split between two threads',
  { timeout: 60_000 },
  async () => {
    const texts = drifting(600, 5);
    const here = clusterBesideHeld(texts, new Int32Array(texts.length).fill(-1), { threshold: 0.8 });
    const split = await clusterTexts(texts, { workers: 2, links: true, parallelClusteringFrom: 0 });
    expect(here.links.length).toBeGreaterThan(0);
    expect(split.duplicates.clusters).toEqual(here.duplicates.clusters);
    expect(split.links).toEqual(here.links);
    // Without links none are looked for.
    expect((await clusterTexts(texts, { workers: 2 })).links).toBeNull();
  },
);
