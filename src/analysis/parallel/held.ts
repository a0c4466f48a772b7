/*
 * `clusterBesideHeld` on a worker thread of its own (Node only), for callers whose thread must stay free
 * meanwhile: a server's job runs beside its requests, and clustering a round of a million comments takes
 * a minute of one core.
 */
import type { HeldApartOptions, HeldApartResult } from '../dedupe/held.ts';
import { clusterBesideHeld } from '../dedupe/held.ts';
import { DEFAULT_SIGNATURE_OPTIONS } from '../dedupe/signature.ts';
import { AnalysisPool } from './pool.ts';
import type { HeldApartReply } from './protocol.ts';

/** Texts from which the clustering leaves the calling thread (default): fewer take less than starting a thread. */
export const OFF_THREAD_FROM = 2000;

/**
 * `clusterBesideHeld(texts, held, options)`, on a worker thread for `offThreadFrom` texts or more (default
 * OFF_THREAD_FROM), on this one below.
 */
export async function clusterBesideHeldOffThread(
  texts: readonly string[],
  held: Int32Array,
  options: HeldApartOptions & { offThreadFrom?: number } = {},
): Promise<HeldApartResult> {
  const { offThreadFrom = OFF_THREAD_FROM, ...clustering } = options;
  if (texts.length < offThreadFrom) {
    return clusterBesideHeld(texts, held, clustering);
  }
  const pool = new AnalysisPool(1, { context: {}, signature: DEFAULT_SIGNATURE_OPTIONS });
  try {
    const reply = await pool.run<HeldApartReply>(0, {
      type: 'held-apart',
      job: 0,
      texts,
      held,
      options: clustering,
    });
    return reply.result;
  } finally {
    await pool.close();
  }
}
