/*
 * The analysis of a whole corpus on worker threads (Node only).
 *
 * 1. Analyse: chunks of records go to the workers (the least busy first, two chunks in flight per
 *    worker), which tokenise, score, extract and compute each text's MinHash band keys and shingle set;
 *    results come back as typed arrays. Each worker writes the shingles to a file of its own, in a
 *    temporary directory of the run. For results as lines, the workers share a table of the texts they
 *    have analysed (claims.ts): a record whose target and text an earlier record holds, analysed by the
 *    other worker or long before, is not analysed again, and gets that record's line and signature.
 * 2. Verify: the band keys show which texts share a bucket with another (`planClustering`; for large
 *    corpora, a cluster worker groups half the bands meanwhile, in shared memory). The analysis workers
 *    end, and with them what they held; fresh threads read those texts' shingles from the workers' files
 *    and send them as sets, packed, chunk by chunk in order. (A corpus analysed on this thread keeps its
 *    shingles in memory and packs them here.)
 * 3. Cluster: one pass over the texts on this thread (`SignatureClusterer`), every candidate checked
 *    against the packed sets by the exact similarity. It runs while the sets arrive, as far as the texts
 *    whose sets are in. For large corpora, the texts to verify are split into two partitions of whole
 *    groups of texts that share band keys (`partitionPlan`): a cluster worker clusters the second from
 *    the sets sent on to it, at the same time, and its founders are adopted; the result is the same.
 * 4. Results in input order, each with its cluster (the id of its representative record, null when alone),
 *    the cluster's size and the first record with the same normalised text.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ClusterPartition, DuplicateResult } from '../dedupe/cluster.ts';
import {
  SignatureClusterer,
  partitionPlan,
  planClustering,
  planClusteringSplit,
  resolveThreshold,
} from '../dedupe/cluster.ts';
import type { DuplicateLinks, LinkSteps } from '../dedupe/links.ts';
import { linkDuplicatesInSteps } from '../dedupe/links.ts';
import type { PackedShingleSets } from '../dedupe/shingles.ts';
import { PackedShingleIndex } from '../dedupe/shingles.ts';
import type { SignatureChunk } from '../dedupe/signature.ts';
import { DEFAULT_SIGNATURE_OPTIONS, concatSignatures } from '../dedupe/signature.ts';
import type { AnalysisContext, AnalysisInput, RecordAnalysis } from '../pipeline.ts';
import {
  makeScratchDirectory,
  removeScratchDirectory,
  removeScratchDirectoryLater,
} from '../../runtime/set-file.ts';
import { createClaims } from './claims.ts';
import { packBatches } from './pack-batches.ts';
import { AnalysisPool, defaultWorkerCount } from './pool.ts';
import type {
  AnalyzeReply,
  AnalyzeTask,
  BandsGroupedReply,
  ChunkPart,
  ClusterResultReply,
  LinksReply,
  PackReply,
  ResultFormat,
} from './protocol.ts';
import type { RecordFields } from './records.ts';
import { DEFAULT_RECORD_FIELDS } from './records.ts';
import { AnalysisRows } from './rows.ts';
import { chunkPart } from './runner.ts';

export interface CorpusProgress {
  /** 'analyze': done/total in records, or in the source's own units (bytes of a file) when it gives them. */
  phase: 'analyze' | 'verify' | 'cluster' | 'link' | 'write';
  done: number;
  total: number;
}

export interface CorpusOptions extends AnalysisContext {
  /** Near-duplicate threshold: Jaccard of character 5-gram shingles (default 0.8). */
  threshold?: number;
  /**
   * Worker threads (default: the available parallelism; for fewer than 2,000 records given as an array,
   * 0). 0 runs everything on this thread.
   */
  workers?: number;
  /**
   * Texts to verify from which a second thread clusters half of them (whole groups of texts that share
   * band keys, so the result is the same), beside this one (default 50,000; needs 2 or more workers).
   */
  parallelClusteringFrom?: number;
  onProgress?: (progress: CorpusProgress) => void;
  /**
   * Takes the records' analyses in input order as soon as they are known, long before the clusters are:
   * `analyses[k]` is record `first + k`'s (results as objects only, as `analyzeCorpus` gives them). Calls
   * come one at a time, each awaited before the next, while the analysis goes on; a failure stops the
   * corpus's analysis with it.
   */
  onAnalyses?: (analyses: readonly RecordAnalysis[], first: number) => void | Promise<void>;
  /** As `onAnalyses`, for the records' analyses as rows to store (`analyzeCorpusClustersStream`). */
  onRows?: (rows: AnalysisRows, first: number) => void | Promise<void>;
  /**
   * Finds near-duplicate links too (`linkDuplicates`): pairs of records similar to each other that the
   * clusters keep apart. Off by default.
   */
  links?: boolean;
  /** Earlier records outside its cluster verified for one record at most, for links (default 32). */
  linkCandidates?: number;
}

export interface CorpusRecordResult extends RecordAnalysis {
  /** Id of the cluster's representative record; null for a record alike to no other. */
  cluster: string | null;
  /** Records in the cluster (1 when alone). */
  clusterSize: number;
  /** Id of the first record with the same normalised text; null for the first (or only) copy. */
  duplicateOf: string | null;
  /**
   * With links: the ids of the earlier records, outside this one's cluster, whose text is a near-duplicate
   * of its own (the first copy of each text).
   */
  similarTo?: string[];
}

/** A piece of a corpus: records, or whole lines of a JSON Lines file (parsed by the workers). */
export type CorpusChunk = { weight?: number } & (
  | { records: readonly AnalysisInput[] }
  | {
      /** UTF-8 bytes of whole lines. */
      jsonl: Uint8Array;
      /** 1-based line number of the first line, for error messages. */
      firstLine: number;
      fields?: RecordFields;
      /** File name, for error messages. */
      source?: string;
    }
);

export interface CorpusStreamOptions extends CorpusOptions {
  /** Sum of the chunks' weights (e.g. the file's size when chunks weigh their bytes), for progress. */
  total?: number;
}

export interface CorpusSummary {
  records: number;
  /** Clusters of two or more records. */
  clusters: number;
  clusteredRecords: number;
  /** Sizes of the ten largest clusters. */
  largestClusters: number[];
  /** Clusters by size: "2", "3", "4-5", "6-10", "11-100", "101+". */
  clusterSizes: Record<string, number>;
  exactDuplicates: number;
  emptyTexts: number;
  /** Records whose analysis was reused from an identical earlier text. */
  reused: number;
  /** Texts whose shingle sets were computed for verification. */
  verifiedTexts: number;
  /** Exact similarity computations while clustering, and how many reached the threshold. */
  verifications: number;
  verified: number;
  workers: number;
  /** With links: the linked pairs of distinct texts, the similarity computations they took, and the seconds. */
  links?: { pairs: number; verifications: number; seconds: number };
  /** Wall seconds of each phase; clustering (its own time) runs mostly during the verification. */
  seconds: { analyze: number; verify: number; cluster: number; write: number };
}

interface CorpusRun {
  count: number;
  ids: string[];
  /** The analysed chunks' replies, in input order. */
  chunks: AnalyzeReply[];
  duplicates: DuplicateResult;
  /** With links: the linked pairs, as `DuplicateLinks` gives them, and the wall seconds they took. */
  links: (DuplicateLinks & { seconds: number }) | null;
  workers: number;
  reused: number;
  verifiedTexts: number;
  seconds: { analyze: number; verify: number; cluster: number };
  /**
   * The removal of the run's scratch directory, begun when the run ended; the caller awaits it once its
   * results are out, so that the files go while it writes them.
   */
  removed: Promise<void>;
}

/** Chunks in flight per worker: one being worked on, one waiting, so a worker never idles. */
const IN_FLIGHT_PER_WORKER = 2;
/** Shingle-set chunks per pack task: small enough that both workers share the work. */
const PARTS_PER_PACK_TASK = 16;
const SMALL_CORPUS = 2000;
/** Texts clustered between two looks at the workers' messages. */
const CLUSTER_SLICE = 2_000;
const PARALLEL_CLUSTERING_FROM = 50_000;
/**
 * The young generation of an analysis worker's heap, in MiB (V8's default is 48). A chunk's records and
 * much of what their analysis makes live as long as the chunk; with four times the room, fewer of them
 * are copied by the collector or moved to the old generation (over 400,000 comments, a third as many
 * scavenges, pausing a fifth less). The memory stays in bounds because the workers end with the
 * analysis, before the sets to verify are packed, when the run holds the most.
 */
const ANALYSIS_YOUNG_GENERATION_MB = 192;

/**
 * Lets the thread's other work in: the workers' replies, and whatever else the caller's thread serves (a
 * server's requests, when it clusters a round). Two immediates make a whole turn of the event loop, its
 * timers and I/O included, even when the first comes from a phase right before the immediates'.
 */
const pause = async (): Promise<void> => {
  await nextTurn();
  await nextTurn();
};

/** Runs steps to their end, pausing in between. */
async function drain(steps: LinkSteps): Promise<DuplicateLinks> {
  for (;;) {
    const step = steps.next();
    if (step.done === true) {
      return step.value;
    }
    await pause();
  }
}

const elapsed = (start: number): number => Number(((performance.now() - start) / 1000).toFixed(3));

/** What hands a chunk's results to the caller as they come, in the format asked for; none for lines. */
function takerOf(
  format: ResultFormat,
  options: CorpusOptions,
): ((reply: AnalyzeReply, first: number) => void | Promise<void>) | undefined {
  const { onAnalyses, onRows } = options;
  if (format === 'objects' && onAnalyses !== undefined) {
    return (reply, first) => onAnalyses(reply.analyses ?? [], first);
  }
  if (format === 'rows' && onRows !== undefined) {
    return (reply, first) =>
      onRows(
        new AnalysisRows(reply.count, reply.rowStrings ?? [], reply.rowNumbers ?? new Float64Array(0)),
        first,
      );
  }
  return undefined;
}

async function runCorpus(
  source: AsyncIterable<CorpusChunk> | Iterable<CorpusChunk>,
  options: CorpusStreamOptions,
  format: ResultFormat,
  workers: number,
  keepAnalyses = true,
): Promise<CorpusRun> {
  const threshold = resolveThreshold(options.threshold);
  const report = options.onProgress ?? (() => undefined);
  const context: AnalysisContext = {
    taxonomy: options.taxonomy ?? null,
    topicModel: options.topicModel ?? null,
    stanceModel: options.stanceModel ?? null,
    ...(options.keyphraseLimit === undefined ? {} : { keyphraseLimit: options.keyphraseLimit }),
  };
  const signature = DEFAULT_SIGNATURE_OPTIONS;
  // Worker threads put the texts' shingle sets in files of their own here until they are asked for.
  const setDirectory = workers > 0 ? makeScratchDirectory('concord-analysis-') : null;
  /** Set when the run is returned: its caller then awaits the removal of the scratch directory. */
  let returned = false;
  // Lines are written once every chunk is in: a record may then take an earlier one's line, whichever
  // thread analysed it.
  const claims = format === 'json' ? createClaims() : null;
  const pool = new AnalysisPool(
    workers,
    { context, signature, setDirectory, claims },
    { youngGenerationMb: ANALYSIS_YOUNG_GENERATION_MB },
  );
  /** A worker clustering part of the texts, for large corpora. */
  let helper: AnalysisPool | null = null;
  /** The threads that pack the sets to verify: the analysis pool's own, or fresh ones (see below). */
  let packers = pool;
  try {
    // 1. Analyse.
    let start = performance.now();
    const chunks: AnalyzeReply[] = [];
    const outstanding = new Set<Promise<void>>();
    // The first failure of any chunk; chunks settle in any order, so it is kept rather than awaited.
    let failure: Error | null = null;
    const check = (): void => {
      if (failure !== null) {
        throw failure;
      }
    };
    let job = 0;
    /** The worker that analysed each chunk: sets kept in memory are in its store. */
    const analyzedBy: number[] = [];
    let done = 0;
    let total = options.total ?? 0;
    // Chunks handed to the caller (`onAnalyses`, `onRows`) so far, in order, and the records they held.
    const take = takerOf(format, options);
    let delivered = 0;
    let deliveredRecords = 0;
    let delivering = Promise.resolve();
    const deliver = (): void => {
      for (; take !== undefined && chunks[delivered] !== undefined; delivered++) {
        const reply = chunks[delivered]!;
        const first = deliveredRecords;
        deliveredRecords += reply.count;
        delivering = delivering.then(async () => {
          await take(reply, first);
          if (!keepAnalyses) {
            // Handed over for good: the taker keeps what it needs.
            delete reply.analyses;
            delete reply.rowStrings;
            delete reply.rowNumbers;
          }
        });
        // Raised where it is awaited, after the chunks are analysed; meanwhile it stops the next chunks.
        delivering.catch((error: unknown) => {
          failure ??= error instanceof Error ? error : new Error(String(error));
        });
      }
    };
    const limit = Math.max(1, pool.size * IN_FLIGHT_PER_WORKER);
    for await (const chunk of source) {
      while (outstanding.size >= limit) {
        await Promise.race(outstanding);
      }
      check();
      const index = job++;
      const weight = chunk.weight ?? ('records' in chunk ? chunk.records.length : 0);
      if (options.total === undefined) {
        total += weight;
      }
      const task: AnalyzeTask =
        'records' in chunk
          ? {
              type: 'analyze',
              job: index,
              format,
              records: chunk.records as AnalysisInput[],
            }
          : {
              type: 'analyze',
              job: index,
              format,
              jsonl: chunk.jsonl,
              firstLine: chunk.firstLine,
              fields: chunk.fields ?? DEFAULT_RECORD_FIELDS,
              source: chunk.source ?? 'input',
            };
      const w = pool.leastBusy();
      analyzedBy[index] = w;
      const transfer = 'jsonl' in task ? [task.jsonl.buffer as ArrayBuffer] : [];
      const tracked: Promise<void> = pool
        .run<AnalyzeReply>(w, task, transfer)
        .then(
          (reply) => {
            chunks[index] = reply;
            deliver();
            done += weight;
            report({ phase: 'analyze', done, total: Math.max(total, done) });
          },
          (error: unknown) => {
            failure ??= error instanceof Error ? error : new Error(JSON.stringify(error));
          },
        )
        .finally(() => outstanding.delete(tracked));
      outstanding.add(tracked);
    }
    await Promise.all(outstanding);
    check();
    await delivering;
    const bases: number[] = [];
    const ids: string[] = [];
    let count = 0;
    let reused = 0;
    for (const reply of chunks) {
      bases.push(count);
      count += reply.count;
      reused += reply.reused;
      for (const id of reply.ids ?? []) {
        ids.push(id);
      }
    }
    const parallelFrom = options.parallelClusteringFrom ?? PARALLEL_CLUSTERING_FROM;
    const parallel = pool.size >= 2 && count >= 2 && parallelFrom <= count;
    const signatures = concatSignatures(
      chunks.map((reply): SignatureChunk => ({
        count: reply.count,
        bands: signature.bands,
        rows: signature.rows,
        seed: signature.seed,
        bandKeys: reply.bandKeys,
        exactHashes: reply.exactHashes,
        shingleCounts: reply.shingleCounts,
      })),
      // The cluster worker groups half the bands of the plan, in the same memory.
      parallel,
    );
    copySignatures(chunks, bases, signatures);
    // The joined arrays are copies (unless there was one chunk): let the chunks' own go.
    if (chunks.length > 1) {
      for (const reply of chunks) {
        reply.bandKeys = reply.exactHashes = reply.shingleCounts = new Uint32Array(0);
      }
    }
    const analyzeSeconds = elapsed(start);

    // 2. Verify: shingle sets of the texts that share a bucket, from where the workers stored them.
    start = performance.now();
    /** The analysis workers ending, while the plan is made. */
    let ending = Promise.resolve();
    if (chunks.length > 0 && chunks.every((reply) => reply.setFile !== null)) {
      // The analysis workers are done: what they hold (models, caches, their heaps) goes, and fresh threads
      // that hold nothing else read the sets from the workers' files.
      ending = pool.close();
      packers = new AnalysisPool(pool.size, { context: {}, signature });
    }
    // The cluster worker starts while the plan is made, and groups half of its bands meanwhile; like the
    // packers, it needs none of the models.
    helper = parallel ? new AnalysisPool(1, { context: {}, signature }) : null;
    const planner = helper;
    const plan =
      planner === null
        ? planClustering(signatures)
        : await planClusteringSplit(
            signatures,
            async (grouping, first, last) => {
              const task = { type: 'group-bands', job: job++, grouping, first, last } as const;
              return (await planner.run<BandsGroupedReply>(0, task)).groups;
            },
            pause,
          );
    const { verify } = plan;
    // The plan's groups stand for the band keys from here on.
    signatures.bandKeys = new Uint32Array(0);
    /** Texts this thread clusters; the others' (partition 1) go to the cluster worker. */
    let ownTexts = verify;
    let partition: ClusterPartition | null = null;
    let owner: Uint8Array | null = null;
    const helperTasks: Promise<unknown>[] = [];
    if (helper !== null && verify.length >= parallelFrom) {
      const [own, other] = partitionPlan(plan, 2) as [ClusterPartition, ClusterPartition];
      ownTexts = own.texts;
      partition = other;
      owner = new Uint8Array(count);
      for (const index of other.texts) {
        owner[index] = 1;
      }
      helperTasks.push(
        helper.run(0, { type: 'cluster-start', job: job++, partition: other, count, threshold }),
      );
    } else if (helper !== null) {
      await helper.close();
      helper = null;
    }
    const parts: ChunkPart[] = [];
    /** The worker holding each part's sets, when they are kept in memory. */
    const holders: number[] = [];
    let at = 0;
    for (let c = 0; c < chunks.length && at < verify.length; c++) {
      const base = bases[c]!;
      const end = base + chunks[c]!.count;
      const from = at;
      while (at < verify.length && verify[at]! < end) {
        at++;
      }
      if (at > from) {
        const local = verify.slice(from, at);
        for (let k = 0; k < local.length; k++) {
          local[k] = local[k]! - base;
        }
        const part = chunkPart(chunks[c]!, local, base);
        if (owner !== null) {
          const owners = new Uint8Array(local.length);
          for (let k = 0; k < local.length; k++) {
            owners[k] = owner[base + local[k]!]!;
          }
          part.owners = owners;
        }
        parts.push(part);
        holders.push(analyzedBy[c]!);
      }
    }
    for (const reply of chunks) {
      reply.setAt = new Float64Array(0);
      reply.setSize = new Uint32Array(0);
    }
    // Sets kept in memory are packed by the thread that kept them, once it has dropped its memory of
    // recent texts; sets in files by any packer, in turns, chunk by chunk.
    const batches = packBatches(parts, packers === pool ? holders : null, packers.size, PARTS_PER_PACK_TASK);
    // Their memory is given back before the sets take more.
    await ending;
    if (packers === pool) {
      await Promise.all(batches.map((_, w) => pool.run(w, { type: 'release', job: job++ })));
    }
    const totalBatches = batches.reduce((n, own) => n + own.length, 0);
    // 3. Cluster, as the sets arrive: text i needs the sets of the texts to verify up to i only.
    let clusterSeconds = 0;
    const received = new PackedShingleIndex(count);
    const clusterer = new SignatureClusterer(signatures, {
      threshold,
      cacheValues: 0,
      plan,
      shinglesOf: (index) => received.require(index),
    });
    let frontier = 0;
    /**
     * Clusters up to the first text to verify whose set has not arrived, in slices between messages.
     * Calls are chained: one runs at a time.
     */
    const advance = async (): Promise<void> => {
      for (;;) {
        while (frontier < ownTexts.length && received.has(ownTexts[frontier]!)) {
          frontier++;
        }
        const upTo = frontier < ownTexts.length ? ownTexts[frontier]! : count;
        if (clusterer.position >= upTo) {
          return;
        }
        const sliceStart = performance.now();
        clusterer.advance(Math.min(upTo, clusterer.position + CLUSTER_SLICE));
        clusterSeconds += (performance.now() - sliceStart) / 1000;
        // Lets the workers' replies in, so they are never left waiting for their next task.
        await pause();
      }
    };
    let packed = 0;
    let clustering = Promise.resolve();
    await eachPerWorker(batches, async (w, batch) => {
      const reply = await packers.run<PackReply>(w, { type: 'pack', job: job++, parts: batch });
      const forward: PackedShingleSets[] = [];
      reply.sets.forEach((set, k) => {
        if (reply.owners[k] === 1) {
          forward.push(set);
        } else {
          received.add(set);
        }
      });
      if (helper !== null && forward.length > 0) {
        const moved = forward.flatMap((set) => [set.indexes.buffer, set.offsets.buffer, set.values.buffer]);
        const task = helper.run(0, { type: 'cluster-sets', job: job++, sets: forward }, [
          ...new Set(moved as ArrayBuffer[]),
        ]);
        // Raised where it is awaited, after the packing.
        task.catch(() => undefined);
        helperTasks.push(task);
      }
      report({ phase: 'verify', done: ++packed, total: totalBatches });
      clustering = clustering.then(advance);
      // Raised where it is awaited, after the packing.
      clustering.catch(() => undefined);
    });
    await packers.close();
    await clustering;
    report({ phase: 'cluster', done: 0, total: 1 });
    await advance();
    if (helper !== null && partition !== null) {
      await Promise.all(helperTasks);
      const other = await helper.run<ClusterResultReply>(0, {
        type: 'cluster-finish',
        job: job++,
        links: options.links === true,
      });
      clusterer.adopt(partition.texts, other.founders, other.verifications, other.verified);
    }
    const verifySeconds = elapsed(start);
    start = performance.now();
    const duplicates = clusterer.result();
    clusterSeconds += (performance.now() - start) / 1000;
    report({ phase: 'cluster', done: 1, total: 1 });
    let links: CorpusRun['links'] = null;
    if (options.links === true) {
      // Each thread links the texts it clustered: a text's candidates share band keys with it, so they
      // are in its partition.
      start = performance.now();
      const maxCandidates = options.linkCandidates;
      const theirs =
        helper !== null && partition !== null
          ? helper.run<LinksReply>(0, { type: 'cluster-links', job: job++, maxCandidates })
          : null;
      theirs?.catch(() => undefined);
      const own = await drain(
        linkDuplicatesInSteps(
          plan,
          duplicates.clusterOf,
          duplicates.clusters.map((cluster) => cluster.representative),
          {
            threshold,
            shinglesOf: (index) => received.require(index),
            ...(maxCandidates === undefined ? {} : { maxCandidates }),
            // The texts this thread links; the cluster worker's go meanwhile, about as many.
            onProgress: (done, total) => report({ phase: 'link', done, total }),
          },
        ),
      );
      const other = theirs === null ? null : await theirs;
      links = {
        pairs: other === null ? own.pairs : mergePairs(own.pairs, other.pairs),
        verifications: own.verifications + (other?.verifications ?? 0),
        seconds: elapsed(start),
      };
    }
    // The sets were all packed: their files go while the caller hands out the results, which keeps one
    // thread busy and leaves the other cores free.
    const removed = setDirectory === null ? Promise.resolve() : removeScratchDirectoryLater(setDirectory);
    // Raised where the caller awaits it.
    removed.catch(() => undefined);
    returned = true;
    return {
      count,
      ids,
      chunks,
      duplicates,
      links,
      workers,
      reused,
      verifiedTexts: verify.length,
      seconds: { analyze: analyzeSeconds, verify: verifySeconds, cluster: Number(clusterSeconds.toFixed(3)) },
      removed,
    };
  } finally {
    await pool.close();
    await packers.close();
    await helper?.close();
    if (!returned && setDirectory !== null) {
      removeScratchDirectory(setDirectory);
    }
  }
}

/**
 * Gives each record left to an earlier one (`AnalyzeReply.copies`) that record's band keys, exact hash
 * and shingle count in the joined signatures: it is then an exact duplicate of the earliest copy, as if
 * it had been analysed.
 */
function copySignatures(
  chunks: readonly AnalyzeReply[],
  bases: readonly number[],
  signatures: SignatureChunk,
): void {
  const { bands, bandKeys, exactHashes, shingleCounts } = signatures;
  chunks.forEach((reply, c) => {
    const copies = reply.copies;
    for (let t = 0; copies !== undefined && t < copies.length; t += 3) {
      const i = bases[c]! + copies[t]!;
      const original = bases[copies[t + 1]!]! + copies[t + 2]!;
      bandKeys.copyWithin(i * bands, original * bands, (original + 1) * bands);
      exactHashes[2 * i] = exactHashes[2 * original]!;
      exactHashes[2 * i + 1] = exactHashes[2 * original + 1]!;
      shingleCounts[i] = shingleCounts[original]!;
    }
  });
}

/** Two lists of pairs [a, b, …], each ordered by b then a, as one list in that order. */
function mergePairs(left: Int32Array, right: Int32Array): Int32Array {
  const merged = new Int32Array(left.length + right.length);
  let l = 0;
  let r = 0;
  let at = 0;
  while (l < left.length || r < right.length) {
    const fromLeft =
      r === right.length ||
      (l < left.length &&
        (left[l + 1]! < right[r + 1]! || (left[l + 1] === right[r + 1] && left[l]! <= right[r]!)));
    const source = fromLeft ? left : right;
    const k = fromLeft ? l : r;
    merged[at++] = source[k]!;
    merged[at++] = source[k + 1]!;
    if (fromLeft) {
      l += 2;
    } else {
      r += 2;
    }
  }
  return merged;
}

/**
 * Per record, where its links start in `earlier` (`start[i]` to `start[i + 1]`): the earlier texts its
 * own text (the first copy of it) is linked to, ascending.
 */
export function linksByRecord(
  pairs: Int32Array,
  exactDuplicateOf: Int32Array,
): { start: Int32Array; earlier: Int32Array } {
  const count = exactDuplicateOf.length;
  const byText = new Int32Array(count + 1);
  for (let k = 1; k < pairs.length; k += 2) {
    byText[pairs[k]! + 1]!++;
  }
  for (let i = 0; i < count; i++) {
    byText[i + 1]! += byText[i]!;
  }
  const textLinks = new Int32Array(byText[count]!);
  const filled = byText.slice(0, count);
  for (let k = 0; k < pairs.length; k += 2) {
    textLinks[filled[pairs[k + 1]!]!++] = pairs[k]!;
  }
  const start = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) {
    const text = exactDuplicateOf[i] === -1 ? i : exactDuplicateOf[i]!;
    start[i + 1] = start[i]! + byText[text + 1]! - byText[text]!;
  }
  const earlier = new Int32Array(start[count]!);
  for (let i = 0; i < count; i++) {
    const text = exactDuplicateOf[i] === -1 ? i : exactDuplicateOf[i]!;
    earlier.set(textLinks.subarray(byText[text], byText[text + 1]), start[i]);
  }
  return { start, earlier };
}

/** Runs `run` over each worker's items, at most IN_FLIGHT_PER_WORKER at a time per worker. */
async function eachPerWorker<T>(
  itemsByWorker: readonly (readonly T[])[],
  run: (w: number, item: T) => Promise<void>,
): Promise<void> {
  await Promise.all(
    itemsByWorker.map(async (items, w) => {
      const inFlight = new Set<Promise<void>>();
      for (const item of items) {
        while (inFlight.size >= IN_FLIGHT_PER_WORKER) {
          await Promise.race(inFlight);
        }
        const pending: Promise<void> = run(w, item).finally(() => inFlight.delete(pending));
        pending.catch(() => undefined);
        inFlight.add(pending);
      }
      await Promise.all(inFlight);
    }),
  );
}

/** Per record: the id of its cluster's representative (null when alone), the cluster's size. */
function clusterFields(run: CorpusRun): { representativeOf: Int32Array; sizeOf: Int32Array } {
  const { clusterOf, clusters } = run.duplicates;
  const representativeOf = new Int32Array(run.count).fill(-1);
  const sizeOf = new Int32Array(run.count).fill(1);
  for (let i = 0; i < run.count; i++) {
    const cluster = clusters[clusterOf[i]!];
    if (cluster !== undefined) {
      representativeOf[i] = cluster.representative;
      sizeOf[i] = cluster.members.length;
    }
  }
  return { representativeOf, sizeOf };
}

function summarize(run: CorpusRun, writeSeconds: number): CorpusSummary {
  const { stats, clusters } = run.duplicates;
  const sizes = clusters.map((c) => c.members.length).sort((a, b) => b - a);
  const ranges: [string, number, number][] = [
    ['2', 2, 2],
    ['3', 3, 3],
    ['4-5', 4, 5],
    ['6-10', 6, 10],
    ['11-100', 11, 100],
    ['101+', 101, Infinity],
  ];
  const clusterSizes: Record<string, number> = {};
  for (const [label, low, high] of ranges) {
    clusterSizes[label] = sizes.filter((s) => s >= low && s <= high).length;
  }
  return {
    records: run.count,
    clusters: stats.clusters,
    clusteredRecords: stats.clusteredTexts,
    largestClusters: sizes.slice(0, 10),
    clusterSizes,
    exactDuplicates: stats.exactDuplicates,
    emptyTexts: stats.emptyTexts,
    reused: run.reused,
    verifiedTexts: run.verifiedTexts,
    verifications: stats.verifications,
    verified: stats.verified,
    ...(run.links === null
      ? {}
      : {
          links: {
            pairs: run.links.pairs.length / 2,
            verifications: run.links.verifications,
            seconds: run.links.seconds,
          },
        }),
    workers: run.workers,
    seconds: { ...run.seconds, write: writeSeconds },
  };
}

/** Splits an array of records into chunks that keep every worker busy. */
function* chunksOf(records: readonly AnalysisInput[], workers: number): Generator<CorpusChunk> {
  const size = Math.min(2000, Math.max(64, Math.ceil(records.length / Math.max(1, workers * 8))));
  for (let k = 0; k < records.length; k += size) {
    yield { records: records.slice(k, k + size) };
  }
}

/** Each record's near-duplicate cluster and exact duplicate, by index in input order. */
export interface CorpusClusters {
  /** The records' ids, in input order. */
  ids: string[];
  /** Index of the representative of record i's cluster; -1 when it is alike to no other. */
  representativeOf: Int32Array;
  /** Records in record i's cluster (1 when alone). */
  sizeOf: Int32Array;
  /** Index of the first record with the same normalised text; -1 for the first (or only) copy. */
  exactDuplicateOf: Int32Array;
  /** With links: the linked pairs of records (first copies of their texts), as `DuplicateLinks.pairs`. */
  links?: Int32Array;
}

/** Records a chunk holds at most when they come as a stream. */
const STREAM_CHUNK = 2000;

/**
 * Chunks of records from a stream of batches, and the workers to use: when `workers` is not given, the
 * stream is read until it has given SMALL_CORPUS records, and a stream that ends before is analysed on
 * this thread (starting workers would take longer than the analysis).
 */
async function streamChunks(
  batches: AsyncIterable<readonly AnalysisInput[]>,
  workers: number | undefined,
): Promise<{ workers: number; chunks: AsyncGenerator<CorpusChunk> }> {
  const iterator = batches[Symbol.asyncIterator]();
  const ahead: (readonly AnalysisInput[])[] = [];
  let buffered = 0;
  let ended = false;
  while (workers === undefined && buffered < SMALL_CORPUS) {
    const next = await iterator.next();
    if (next.done === true) {
      ended = true;
      break;
    }
    ahead.push(next.value);
    buffered += next.value.length;
  }
  async function* chunks(): AsyncGenerator<CorpusChunk> {
    let chunk: AnalysisInput[] = [];
    const take = function* (batch: readonly AnalysisInput[]): Generator<CorpusChunk> {
      for (const record of batch) {
        chunk.push(record);
        if (chunk.length === STREAM_CHUNK) {
          yield { records: chunk };
          chunk = [];
        }
      }
    };
    try {
      for (const batch of ahead) {
        yield* take(batch);
      }
      ahead.length = 0;
      while (!ended) {
        const next = await iterator.next();
        ended = next.done === true;
        if (next.done !== true) {
          yield* take(next.value);
        }
      }
      if (chunk.length > 0) {
        yield { records: chunk };
      }
    } finally {
      // Stopped early (the analysis failed): the source is let go.
      if (!ended) {
        await iterator.return?.();
      }
    }
  }
  return {
    workers: workers ?? (ended && buffered < SMALL_CORPUS ? 0 : defaultWorkerCount()),
    chunks: chunks(),
  };
}

/**
 * `analyzeCorpusClusters` of records that come in batches, read as the analysis goes (a file of a
 * million comments need not be held whole before it starts), the analyses handed over as rows to store
 * (`onRows`). `total` (records expected) is for progress.
 */
export async function analyzeCorpusClustersStream(
  batches: AsyncIterable<readonly AnalysisInput[]>,
  options: CorpusStreamOptions & Required<Pick<CorpusOptions, 'onRows'>>,
): Promise<CorpusClusters> {
  const { workers, chunks } = await streamChunks(batches, options.workers);
  const run = await runCorpus(chunks, options, 'rows', workers, false);
  await run.removed;
  return clustersOf(run);
}

/** Each record's cluster fields from a corpus run. */
function clustersOf(run: CorpusRun): CorpusClusters {
  const { representativeOf, sizeOf } = clusterFields(run);
  return {
    ids: run.ids,
    representativeOf,
    sizeOf,
    exactDuplicateOf: run.duplicates.exactDuplicateOf,
    ...(run.links === null ? {} : { links: run.links.pairs }),
  };
}

/**
 * The corpus run over records given as an array, with results as objects (the analyses stay in the run's
 * chunks when kept) or as signatures alone.
 */
async function runRecords(
  records: readonly AnalysisInput[],
  options: CorpusOptions,
  format: 'objects' | 'signatures',
  keepAnalyses: boolean,
): Promise<CorpusRun> {
  const workers = options.workers ?? (records.length < SMALL_CORPUS ? 0 : defaultWorkerCount());
  const run = await runCorpus(
    chunksOf(records, workers),
    { ...options, total: records.length },
    format,
    workers,
    keepAnalyses,
  );
  await run.removed;
  return run;
}

/**
 * Analyses every record (topics, stance, quality, key phrases, figures) and clusters near-duplicates,
 * on worker threads. Results are in input order.
 */
export async function analyzeCorpus(
  records: readonly AnalysisInput[],
  options: CorpusOptions = {},
): Promise<CorpusRecordResult[]> {
  const run = await runRecords(records, options, 'objects', true);
  const clusters = clustersOf(run);
  const { ids, representativeOf, sizeOf, exactDuplicateOf } = clusters;
  const linked = clusters.links === undefined ? null : linksByRecord(clusters.links, exactDuplicateOf);
  const results: CorpusRecordResult[] = [];
  for (const reply of run.chunks) {
    for (const analysis of reply.analyses ?? []) {
      const i = results.length;
      const representative = representativeOf[i]!;
      const original = exactDuplicateOf[i]!;
      results.push({
        ...analysis,
        cluster: representative === -1 ? null : ids[representative]!,
        clusterSize: sizeOf[i]!,
        duplicateOf: original === -1 ? null : ids[original]!,
        ...(linked === null
          ? {}
          : {
              similarTo: Array.from(
                linked.earlier.subarray(linked.start[i], linked.start[i + 1]),
                (k) => ids[k]!,
              ),
            }),
      });
    }
  }
  return results;
}

/**
 * `analyzeCorpus` for a caller that takes each analysis as it comes (`onAnalyses`, required here) and
 * needs only the clusters at the end: the analyses are let go once handed over, so a million of them are
 * never held at once.
 */
export async function analyzeCorpusClusters(
  records: readonly AnalysisInput[],
  options: CorpusOptions & Required<Pick<CorpusOptions, 'onAnalyses'>>,
): Promise<CorpusClusters> {
  return clustersOf(await runRecords(records, options, 'objects', false));
}

/** What `clusterTexts` finds. */
export interface TextClusters {
  duplicates: DuplicateResult;
  /** With links: the linked pairs of texts (first copies), as `DuplicateLinks.pairs`. */
  links: Int32Array | null;
}

/**
 * The near-duplicate clusters of texts alone (and with `links`, their links), found as `analyzeCorpus`
 * finds them: the workers sign each text and keep its shingles, and analyse none.
 */
export async function clusterTexts(
  texts: readonly string[],
  options: Pick<
    CorpusOptions,
    'threshold' | 'workers' | 'parallelClusteringFrom' | 'links' | 'linkCandidates' | 'onProgress'
  > = {},
): Promise<TextClusters> {
  const records = texts.map((text): AnalysisInput => ({ id: '', text }));
  const run = await runRecords(records, options, 'signatures', false);
  return { duplicates: run.duplicates, links: run.links?.pairs ?? null };
}

/** Output is handed to `write` in pieces of about this many bytes. */
const WRITE_BATCH = 4 * 1024 * 1024;

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const ID_FIELD = ascii('{"id":');
const CLUSTER_FIELD = ascii(',"cluster":');
const SIZE_FIELD = ascii(',"clusterSize":');
const DUPLICATE_FIELD = ascii(',"duplicateOf":');
const SIMILAR_FIELD = ascii(',"similarTo":[');
const NULL = ascii('null');
/** Bytes of an output line besides its ids, size and tail: the field names, two nulls, a comma, a line feed. */
const LINE_PARTS =
  ID_FIELD.length + CLUSTER_FIELD.length + SIZE_FIELD.length + DUPLICATE_FIELD.length + 2 * NULL.length + 2;

/**
 * Copies `source[from..to)` (a few bytes) into `into` at `at`; returns where they end. A loop beats `set`
 * (and the `subarray` it needs) on so few.
 */
function copyBytes(source: Uint8Array, from: number, to: number, into: Uint8Array, at: number): number {
  let end = at;
  for (let k = from; k < to; k++) {
    into[end++] = source[k]!;
  }
  return end;
}

const put = (bytes: Uint8Array, into: Uint8Array, at: number): number =>
  copyBytes(bytes, 0, bytes.length, into, at);

/** Writes a non-negative integer in decimal into `into` at `at`; returns where it ends. */
function putInteger(value: number, into: Uint8Array, at: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) {
    digits++;
  }
  let rest = value;
  for (let k = at + digits - 1; k >= at; k--) {
    into[k] = 0x30 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return at + digits;
}

/** The records' ids as JSON (UTF-8), from the workers' chunks, joined: record i's are `bytes[ends[i - 1]..ends[i])`. */
class IdJson {
  /** The length of the longest id's JSON. */
  longest = 0;

  private constructor(
    private readonly bytes: Uint8Array,
    private readonly ends: Uint32Array,
  ) {
    for (let i = 0, from = 0; i < ends.length; i++) {
      this.longest = Math.max(this.longest, ends[i]! - from);
      from = ends[i]!;
    }
  }

  static of(chunks: readonly AnalyzeReply[]): IdJson {
    let total = 0;
    let count = 0;
    for (const reply of chunks) {
      total += reply.idJson!.length;
      count += reply.count;
    }
    const bytes = new Uint8Array(total);
    const ends = new Uint32Array(count);
    let at = 0;
    let i = 0;
    for (const reply of chunks) {
      bytes.set(reply.idJson!, at);
      const chunkEnds = reply.idEnds!;
      for (let k = 0; k < reply.count; k++) {
        ends[i++] = at + chunkEnds[k]!;
      }
      at += reply.idJson!.length;
      // Joined: the chunk's own copies go.
      delete reply.idJson;
      delete reply.idEnds;
    }
    return new IdJson(bytes, ends);
  }

  /** Writes record i's id into `into` at `at`; returns where it ends. */
  write(i: number, into: Uint8Array, at: number): number {
    return copyBytes(this.bytes, i === 0 ? 0 : this.ends[i - 1]!, this.ends[i]!, into, at);
  }
}

interface LineWriting {
  /** Writes `data`, which is written over once the call (or the promise it returns) is done. */
  write: (data: Uint8Array) => void | Promise<void>;
  /** Bytes handed to `write` at once, about (default 4 MiB). */
  writeBatch?: number;
  onProgress?: CorpusOptions['onProgress'];
}

/**
 * The corpus pipeline over a stream of chunks, writing one JSON line per record in input order:
 * `{id, cluster, clusterSize, duplicateOf, topics, stance, quality, keyphrases, figures}`, with links
 * `similarTo` (ids) after `duplicateOf`. Only the compact results are kept until the clusters are known;
 * the texts stay in the workers.
 */
export async function analyzeCorpusToJsonLines(
  source: AsyncIterable<CorpusChunk> | Iterable<CorpusChunk>,
  options: CorpusStreamOptions & LineWriting,
): Promise<CorpusSummary> {
  const workers = options.workers ?? defaultWorkerCount();
  const run = await runCorpus(source, options, 'json', workers);
  const start = performance.now();
  try {
    await writeLines(run, options);
  } catch (error) {
    // The run's scratch files are gone before the failure is raised.
    await run.removed.catch(() => undefined);
    throw error;
  }
  await run.removed;
  return summarize(run, elapsed(start));
}

/** Writes the line of each record of a run (format 'json'), in input order. */
async function writeLines(run: CorpusRun, options: LineWriting): Promise<void> {
  const report = options.onProgress ?? (() => undefined);
  const { representativeOf, sizeOf } = clusterFields(run);
  const { exactDuplicateOf } = run.duplicates;
  const linked = run.links === null ? null : linksByRecord(run.links.pairs, exactDuplicateOf);
  const ids = IdJson.of(run.chunks);
  const batchBytes = Math.max(1024, options.writeBatch ?? WRITE_BATCH);
  let batch = new Uint8Array(batchBytes);
  let used = 0;
  // One batch is written while the next is filled: the write waits on the file, not on this thread. The
  // two take turns, so that the memory is touched once (fresh memory costs a page fault per page).
  let writing: Promise<void> = Promise.resolve();
  let written: Uint8Array<ArrayBuffer> | null = null;
  const flush = async (): Promise<void> => {
    if (used > 0) {
      const full = batch.subarray(0, used);
      await writing;
      const free = written;
      written = batch;
      writing = Promise.resolve(options.write(full));
      // Raised where it is awaited: before the next batch, or at the end.
      writing.catch(() => undefined);
      batch = free ?? new Uint8Array(batchBytes);
      used = 0;
    }
  };
  let i = 0;
  for (const reply of run.chunks) {
    const ends = reply.lineEnds!;
    const copies = reply.copies;
    /** The next record of the chunk left to an earlier one, at `copies[nextCopy]`. */
    let nextCopy = 0;
    let from = 0;
    for (let k = 0; k < reply.count; k++, i++) {
      const representative = representativeOf[i]!;
      const original = exactDuplicateOf[i]!;
      const to = ends[k]!;
      // The tail is in this chunk's lines, or in those of the earlier record's chunk.
      let lines = reply.lines!;
      let tailFrom = from;
      let tailTo = to;
      if (copies !== undefined && copies[nextCopy] === k) {
        const held = run.chunks[copies[nextCopy + 1]!]!;
        const index = copies[nextCopy + 2]!;
        lines = held.lines!;
        tailFrom = index === 0 ? 0 : held.lineEnds![index - 1]!;
        tailTo = held.lineEnds![index]!;
        nextCopy += 3;
      }
      const linksFrom = linked === null ? 0 : linked.start[i]!;
      const linksTo = linked === null ? 0 : linked.start[i + 1]!;
      // The line's bytes besides its tail: the fixed parts, three ids at most and a size of 10 digits,
      // and with links their field and ids.
      const need =
        LINE_PARTS +
        3 * ids.longest +
        10 +
        (tailTo - tailFrom) +
        (linked === null ? 0 : SIMILAR_FIELD.length + 1 + (linksTo - linksFrom) * (ids.longest + 1));
      if (used + need > batch.length) {
        await flush();
        if (need > batch.length) {
          batch = new Uint8Array(need);
        }
      }
      // {"id":…,"cluster":…,"clusterSize":…,"duplicateOf":…, then the tail and a line feed.
      used = put(ID_FIELD, batch, used);
      used = ids.write(i, batch, used);
      used = put(CLUSTER_FIELD, batch, used);
      used = representative === -1 ? put(NULL, batch, used) : ids.write(representative, batch, used);
      used = put(SIZE_FIELD, batch, used);
      used = putInteger(sizeOf[i]!, batch, used);
      used = put(DUPLICATE_FIELD, batch, used);
      used = original === -1 ? put(NULL, batch, used) : ids.write(original, batch, used);
      if (linked !== null) {
        used = put(SIMILAR_FIELD, batch, used);
        for (let k = linksFrom; k < linksTo; k++) {
          if (k > linksFrom) {
            batch[used++] = 0x2c;
          }
          used = ids.write(linked.earlier[k]!, batch, used);
        }
        batch[used++] = 0x5d;
      }
      batch[used++] = 0x2c;
      batch.set(lines.subarray(tailFrom, tailTo), used);
      used += tailTo - tailFrom;
      batch[used++] = 0x0a;
      from = to;
    }
    report({ phase: 'write', done: i, total: run.count });
  }
  await flush();
  await writing;
}
