/*
 * `clusterBesideHeld` off the calling thread (Node only), for callers whose thread must stay free
 * meanwhile: a server's job runs beside its requests, and clustering a round of a million comments takes
 * a minute of one core. With no text held (a round no one has reviewed yet, as after an import), a large
 * round is clustered and linked as `concord analyze` does it, on every core (`clusterTexts`).
 */
import type { HeldApartOptions, HeldApartResult } from '../dedupe/held.ts';
import { clusterBesideHeld } from '../dedupe/held.ts';
import { DEFAULT_SIGNATURE_OPTIONS } from '../dedupe/signature.ts';
import { clusterTexts } from './corpus.ts';
import { AnalysisPool, defaultWorkerCount } from './pool.ts';
import type { HeldApartReply } from './protocol.ts';

/** Texts from which the clustering leaves the calling thread (default): fewer take less than starting a thread. */
export const OFF_THREAD_FROM = 2000;
/** Texts, none held, from which the clustering goes to every core (default). */
export const ALL_CORES_FROM = 20_000;

export interface OffThreadOptions extends HeldApartOptions {
  offThreadFrom?: number;
  allCoresFrom?: number;
  /** Worker threads on every core (default: the available parallelism). */
  workers?: number;
}

/**
 * `clusterBesideHeld(texts, held, options)`: on this thread below `offThreadFrom` texts (default
 * OFF_THREAD_FROM); on worker threads on every core when none is held, from `allCoresFrom` (default
 * ALL_CORES_FROM) and with two cores or more; else on one worker thread.
 */
export async function clusterBesideHeldOffThread(
  texts: readonly string[],
  held: Int32Array,
  options: OffThreadOptions = {},
): Promise<HeldApartResult> {
  const {
    offThreadFrom = OFF_THREAD_FROM,
    allCoresFrom = ALL_CORES_FROM,
    workers = defaultWorkerCount(),
    ...clustering
  } = options;
  if (texts.length < offThreadFrom) {
    return clusterBesideHeld(texts, held, clustering);
  }
  if (texts.length >= allCoresFrom && workers >= 2 && held.every((group) => group === -1)) {
    const { duplicates, links } = await clusterTexts(texts, {
      workers,
      links: true,
      ...(clustering.threshold === undefined ? {} : { threshold: clustering.threshold }),
      ...(clustering.linkCandidates === undefined ? {} : { linkCandidates: clustering.linkCandidates }),
    });
    return {
      duplicates,
      free: Int32Array.from(texts, (_, i) => i),
      links: links ?? new Int32Array(0),
      firstCopyOf: duplicates.exactDuplicateOf,
    };
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
