/*
 * Messages between the corpus pipeline and its worker threads. Bulky results travel as typed arrays,
 * transferred rather than copied.
 */
import type { BandGrouping, ClusterPartition } from '../dedupe/cluster.ts';
import type { HeldApartOptions, HeldApartResult } from '../dedupe/held.ts';
import type { PackedShingleSets } from '../dedupe/shingles.ts';
import type { SignatureOptions } from '../dedupe/signature.ts';
import type { AnalysisContext, AnalysisInput, RecordAnalysis } from '../pipeline.ts';
import type { RecordFields } from './records.ts';

/** What every worker is started with: the models (plain data) and the signature parameters. */
export interface WorkerInit {
  context: AnalysisContext;
  signature: SignatureOptions;
  /**
   * A directory where the worker writes the shingle sets of the texts it analyses, until they are asked
   * for (the pipeline removes it); without one, it keeps them in memory.
   */
  setDirectory?: string | null;
  /**
   * Texts claimed by the threads of the run (`createClaims`), for results as lines: a record whose text
   * an earlier record holds is left to it (`AnalyzeReply.copies`).
   */
  claims?: SharedArrayBuffer | null;
}

/**
 * Results as objects (`analyzeCorpus`), as the JSON of each output line after its cluster fields, as
 * rows to store (`AnalysisRows`), or none: only the texts' signatures and shingles, for clustering alone
 * (`clusterTexts`).
 */
export type ResultFormat = 'objects' | 'json' | 'rows' | 'signatures';

interface AnalyzeTaskBase {
  type: 'analyze';
  job: number;
  format: ResultFormat;
}

export type AnalyzeTask = AnalyzeTaskBase &
  (
    | { records: AnalysisInput[] }
    | {
        /** Whole lines of a JSON Lines file, as UTF-8. */
        jsonl: Uint8Array;
        firstLine: number;
        fields: RecordFields;
        source: string;
      }
  );

/**
 * Texts of an analysed chunk (whose first record is `base`) by their index in it, and where their
 * shingles were stored (`AnalyzeReply.setAt`, `setSize` and `setFile`, for these texts).
 */
export interface ChunkPart {
  local: Int32Array;
  base: number;
  /** Per text of `local`: the position of its shingles in the store, and how many there are. */
  at: Float64Array;
  size: Uint32Array;
  /**
   * The store's file, which any thread may read; null when the shingles are in the memory of the thread
   * that analysed the chunk, which must then pack them itself.
   */
  file: string | null;
  /**
   * Per text of `local`, which thread clusters it (0: the pipeline's, 1: a cluster worker's): the sets
   * of each come back apart. Absent: all 0.
   */
  owners?: Uint8Array;
}

/** Shingle sets of texts of analysed chunks. */
export interface PackTask {
  type: 'pack';
  job: number;
  parts: ChunkPart[];
}

/** Drops the memory of recent texts, once every chunk is analysed. */
export interface ReleaseTask {
  type: 'release';
  job: number;
}

/** Starts clustering a partition of the texts here, as its shingle sets arrive. */
export interface ClusterStartTask {
  type: 'cluster-start';
  job: number;
  partition: ClusterPartition;
  /** Texts in the whole corpus. */
  count: number;
  threshold: number;
}

/** Shingle sets of texts of the partition, and clustering as far as they allow. */
export interface ClusterSetsTask {
  type: 'cluster-sets';
  job: number;
  sets: PackedShingleSets[];
}

/**
 * The partition's founders, once every set has been given. With `links`, the partition and its sets are
 * kept for a `cluster-links` task that follows.
 */
export interface ClusterFinishTask {
  type: 'cluster-finish';
  job: number;
  links?: boolean;
}

/** The near-duplicate links of the partition just finished (`linkPartition`); its sets go after. */
export interface ClusterLinksTask {
  type: 'cluster-links';
  job: number;
  /** Candidates verified per text at most. */
  maxCandidates?: number;
}

/**
 * Groups bands `first` to `last` (exclusive) of a clustering plan's band keys (`groupBands`), in memory
 * shared with the thread that makes the plan.
 */
export interface GroupBandsTask {
  type: 'group-bands';
  job: number;
  grouping: BandGrouping;
  first: number;
  last: number;
}

/** Clusters texts beside the groups people keep (`clusterBesideHeld`), on the worker. */
export interface HeldApartTask {
  type: 'held-apart';
  job: number;
  texts: readonly string[];
  held: Int32Array;
  options: HeldApartOptions;
}

export type WorkerTask =
  | HeldApartTask
  | AnalyzeTask
  | PackTask
  | ReleaseTask
  | ClusterStartTask
  | ClusterSetsTask
  | ClusterFinishTask
  | ClusterLinksTask
  | GroupBandsTask;

export interface AnalyzeReply {
  type: 'analyzed';
  job: number;
  count: number;
  /** Formats 'objects' and 'rows': the records' ids (format 'json' gives them as JSON: `idJson`). */
  ids?: string[];
  /** Format 'objects'. */
  analyses?: RecordAnalysis[];
  /** Format 'rows': ROW_STRINGS strings and ROW_NUMBERS numbers a record (see `AnalysisRows`). */
  rowStrings?: string[];
  rowNumbers?: Float64Array;
  /** Format 'json': the records' line tails, UTF-8, record k ending at `lineEnds[k]`. */
  lines?: Uint8Array;
  lineEnds?: Uint32Array;
  /**
   * Format 'json': records left to an earlier record with the same target and text, analysed by another
   * thread or long before (see `WorkerInit.claims`), as triples: the record's index in this chunk, and
   * the job and index of the earlier one. Their line tails are empty, and their signatures zero: both are
   * the earlier record's.
   */
  copies?: Int32Array;
  /** Format 'json': the records' ids as JSON strings, UTF-8, record k's ending at `idEnds[k]`. */
  idJson?: Uint8Array;
  idEnds?: Uint32Array;
  bandKeys: Uint32Array;
  exactHashes: Uint32Array;
  shingleCounts: Uint32Array;
  /** Per record: where its shingles lie in the store of the thread that analysed it, and how many. */
  setAt: Float64Array;
  setSize: Uint32Array;
  /** That store's file; null when the thread keeps the shingles in its memory. */
  setFile: string | null;
  /** Records answered from the cache of identical texts. */
  reused: number;
}

export interface PackReply {
  type: 'packed';
  job: number;
  sets: PackedShingleSets[];
  /** Per set, the thread that clusters its texts (as in `ChunkPart.owners`). */
  owners: number[];
}

export interface ClusteredReply {
  type: 'clustered';
  job: number;
  /** Texts of the partition placed so far. */
  position: number;
}

export interface ClusterResultReply {
  type: 'cluster-result';
  job: number;
  /** Founder of each text of the partition, in its order. */
  founders: Int32Array;
  verifications: number;
  verified: number;
}

export interface LinksReply {
  type: 'links';
  job: number;
  /** Linked pairs of texts, flattened, as `DuplicateLinks.pairs`. */
  pairs: Int32Array;
  verifications: number;
}

export interface BandsGroupedReply {
  type: 'bands-grouped';
  job: number;
  /** Groups made, numbered from 0. */
  groups: number;
}

export interface ReleaseReply {
  type: 'released';
  job: number;
}

export interface ErrorReply {
  type: 'error';
  job: number;
  error: { name: string; code?: string; message: string; details?: unknown };
}

export interface HeldApartReply {
  type: 'held-apart';
  job: number;
  result: HeldApartResult;
}

export type WorkerReply =
  | HeldApartReply
  | AnalyzeReply
  | PackReply
  | ReleaseReply
  | ClusteredReply
  | ClusterResultReply
  | LinksReply
  | BandsGroupedReply
  | ErrorReply;
