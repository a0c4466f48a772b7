import { expect, it } from 'vitest';
import { drifting } from '../../../test/drifting-texts.ts';
import { clusterBesideHeld } from '../dedupe/held.ts';
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
