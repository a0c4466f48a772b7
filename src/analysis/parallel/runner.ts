/*
 * The work of one analysis thread: chunks of records analysed (one tokenisation per text shared by every
 * analysis) with their MinHash signatures, and later the shingle sets of the texts the clustering must
 * verify. A worker thread runs one; with no workers the pipeline runs one on its own thread.
 *
 * Identical texts are common in mass campaigns (a form letter sent unchanged), so a record whose text and
 * target equal a recent one's reuses its analysis and signature instead of computing them again.
 */
import { AppError, isAppError } from '../../domain/errors.ts';
import { PartitionClusterer } from '../dedupe/cluster.ts';
import type { PackedShingleSets } from '../dedupe/shingles.ts';
import { PackedShingleIndex, packShingleSets } from '../dedupe/shingles.ts';
import type { ResolvedSignatureOptions, SignatureChunk } from '../dedupe/signature.ts';
import { computeSignatures, resolveSignatureOptions } from '../dedupe/signature.ts';
import { exactHash } from '../normalize.ts';
import type { AnalysisContext, AnalysisInput, RecordAnalysis } from '../pipeline.ts';
import { analyzeTokenized } from '../pipeline.ts';
import { segmentAhead, tokenize } from '../tokenize.ts';
import type {
  AnalyzeReply,
  AnalyzeTask,
  ChunkPart,
  ClusterStartTask,
  ErrorReply,
  PackReply,
  PackTask,
  ResultFormat,
  WorkerInit,
  WorkerReply,
  WorkerTask,
} from './protocol.ts';
import { readJsonLines, textsOfJsonLines } from './records.ts';

/** Distinct texts remembered for reuse; the memory is dropped and started afresh when full. */
const REUSE_CAPACITY = 20_000;

/**
 * A chunk's texts kept for packing: the strings it came as, or the block of JSON Lines it came in (off
 * the heap: a million retained strings would make the heap, and its garbage, grow with them), or only
 * where its records lie in that block, when the pipeline can read the block again.
 */
type Retained = { texts: string[] } | { data: Uint8Array | null; spans: Uint32Array; textField: string };

const NO_BAND_KEYS = new Uint32Array(0);

/**
 * The results of one text (and target), shared by every record of it: made when the text is first
 * met, filled in when its first record is analysed. Only what the replies need is kept (a line tail, or
 * an analysis when results go as objects): thousands of these live on, and the collector copies them.
 */
class Remembered {
  done = false;
  tail: string | null = null;
  analysis: RecordAnalysis | null = null;
  /** The text's band keys: `bands` values from `bandKeysAt` in `bandKeys` (the array of its chunk). */
  bandKeys: Uint32Array = NO_BAND_KEYS;
  bandKeysAt = 0;
  hashHigh = 0;
  hashLow = 0;
  shingles = 0;

  /** `fresh`: the text's index among the new texts of its chunk. */
  constructor(readonly fresh: number) {}
}

/**
 * Values by target and text. Keyed on the two strings as they are, not on one joined key, so that no
 * string the length of a text is built per record.
 */
class TextMemory<V> {
  private readonly byTarget = new Map<string, Map<string, V>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(target: string, text: string): V | undefined {
    return this.byTarget.get(target)?.get(text);
  }

  set(target: string, text: string, value: V): void {
    let texts = this.byTarget.get(target);
    if (texts === undefined) {
      texts = new Map();
      this.byTarget.set(target, texts);
    }
    const before = texts.size;
    texts.set(text, value);
    this.count += texts.size - before;
  }

  clear(): void {
    this.byTarget.clear();
    this.count = 0;
  }
}

export interface TaskResult {
  reply: WorkerReply;
  transfer: ArrayBuffer[];
}

/** The JSON of an output line after `{"id":…,"cluster":…,"clusterSize":…,"duplicateOf":…,`. */
export function lineTail(analysis: RecordAnalysis): string {
  const body = JSON.stringify({
    topics: analysis.topics,
    stance: { label: analysis.stance.label, score: analysis.stance.score },
    quality: analysis.quality,
    keyphrases: analysis.keyphrases,
    figures: analysis.figures,
  });
  return body.slice(1);
}

const hex = (value: number): string => value.toString(16).padStart(8, '0');

export class AnalysisRunner {
  private readonly context: AnalysisContext;
  private readonly signature: ResolvedSignatureOptions;
  private readonly retained = new Map<number, Retained>();
  private readonly remembered = new TextMemory<Remembered>();
  private format: ResultFormat = 'json';
  /** A partition clustered here, and the sets received for it. */
  private partition: { clusterer: PartitionClusterer; received: PackedShingleIndex } | null = null;

  constructor(init: WorkerInit) {
    this.context = init.context;
    this.signature = resolveSignatureOptions(init.signature);
  }

  /** Runs a task; failures become an error reply (the pipeline raises them on its side). */
  run(task: WorkerTask): TaskResult {
    try {
      switch (task.type) {
        case 'analyze':
          return this.analyze(task);
        case 'pack':
          return this.pack(task);
        case 'release':
          this.release(task.keep ?? []);
          return { reply: { type: 'released', job: task.job }, transfer: [] };
        case 'cluster-start':
          this.startPartition(task);
          return { reply: { type: 'clustered', job: task.job, position: 0 }, transfer: [] };
        case 'cluster-sets': {
          const partition = this.clusteringPartition();
          for (const set of task.sets) {
            partition.received.add(set);
          }
          partition.clusterer.advance((index) => partition.received.has(index));
          return {
            reply: { type: 'clustered', job: task.job, position: partition.clusterer.position },
            transfer: [],
          };
        }
        case 'cluster-finish': {
          const partition = this.clusteringPartition();
          partition.clusterer.advance((index) => partition.received.has(index));
          const result = partition.clusterer.result();
          this.partition = null;
          return {
            reply: { type: 'cluster-result', job: task.job, ...result },
            transfer: [result.founders.buffer as ArrayBuffer],
          };
        }
      }
    } catch (error) {
      return { reply: errorReply(task.job, error), transfer: [] };
    }
  }

  private analyze(task: AnalyzeTask): TaskResult {
    if (task.format !== this.format) {
      // What is remembered serves one format.
      this.remembered.clear();
      this.format = task.format;
    }
    try {
      return this.analyzeChunk(task);
    } catch (error) {
      // The memory may hold texts of this chunk whose results were never filled in.
      this.remembered.clear();
      throw error;
    }
  }

  private analyzeChunk(task: AnalyzeTask): TaskResult {
    const { records, retained } = recordsOf(task);
    const count = records.length;
    const json = task.format === 'json';
    // Each record's results, shared with the earlier records of the same text; and the records whose
    // text is new, analysed once for all of them.
    const found = new Array<Remembered>(count);
    const fresh: number[] = [];
    for (let i = 0; i < count; i++) {
      const record = records[i]!;
      const reusable = isReusable(record);
      let entry = reusable ? this.remembered.get(record.target ?? '', record.text) : undefined;
      if (entry === undefined) {
        entry = new Remembered(fresh.length);
        fresh.push(i);
        if (reusable) {
          if (this.remembered.size >= REUSE_CAPACITY) {
            this.remembered.clear();
          }
          this.remembered.set(record.target ?? '', record.text, entry);
        }
      }
      found[i] = entry;
    }
    // Signatures of the new texts, in one pass (one normalisation per text); and their Chinese
    // segmented in a few calls, while the segmenter's dictionary is in the processor's caches.
    const texts = fresh.map((i) => records[i]!.text);
    const signatures = computeSignatures(texts, this.signature);
    segmentAhead(texts);
    const { bands } = this.signature;
    const bandKeys = new Uint32Array(count * bands);
    const exactHashes = new Uint32Array(count * 2);
    const shingleCounts = new Uint32Array(count);
    const analyses: RecordAnalysis[] = json ? [] : new Array<RecordAnalysis>(count);
    const lines = json ? new LineWriter(count) : null;
    const ids = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      const record = records[i]!;
      const entry = found[i]!;
      if (!entry.done) {
        this.analyzeFresh(record, entry, signatures, json);
      }
      ids[i] = record.id;
      copyBandKeys(entry, bandKeys, i * bands, bands);
      exactHashes[2 * i] = entry.hashHigh;
      exactHashes[2 * i + 1] = entry.hashLow;
      shingleCounts[i] = entry.shingles;
      if (lines !== null) {
        lines.add(entry.tail!);
      } else {
        // A reused analysis is copied: each record's result is its own to change.
        const analysis = entry.analysis!;
        analyses[i] = analysis.id === record.id ? analysis : { ...structuredClone(analysis), id: record.id };
      }
    }
    this.retained.set(task.job, retained);
    const reply: AnalyzeReply = {
      type: 'analyzed',
      job: task.job,
      count,
      ids,
      bandKeys,
      exactHashes,
      shingleCounts,
      reused: count - fresh.length,
    };
    const transfer: ArrayBuffer[] = [bandKeys.buffer, exactHashes.buffer, shingleCounts.buffer];
    if (lines !== null) {
      const encoded = lines.finish();
      reply.lines = encoded.lines;
      reply.lineEnds = encoded.lineEnds;
      transfer.push(encoded.lines.buffer as ArrayBuffer, encoded.lineEnds.buffer as ArrayBuffer);
    } else {
      reply.analyses = analyses;
    }
    return { reply, transfer };
  }

  /** Analyses the first record of a new text and fills in its entry. */
  private analyzeFresh(
    record: AnalysisInput,
    entry: Remembered,
    signatures: SignatureChunk,
    json: boolean,
  ): void {
    const m = entry.fresh;
    const high = signatures.exactHashes[2 * m]!;
    const low = signatures.exactHashes[2 * m + 1]!;
    const shingles = signatures.shingleCounts[m]!;
    // The signature's exact hash is exactHash's own (both hash the normalised text); an empty
    // normalised text has no signature and is hashed here. Output lines do not show it.
    const textHash = json ? '' : shingles === 0 ? exactHash(record.text) : hex(high) + hex(low);
    const analysis = analyzeTokenized(record, tokenize(record.text), this.context, textHash);
    if (json) {
      entry.tail = lineTail(analysis);
    } else {
      entry.analysis = analysis;
    }
    entry.done = true;
    entry.bandKeys = signatures.bandKeys;
    entry.bandKeysAt = m * signatures.bands;
    entry.hashHigh = high;
    entry.hashLow = low;
    entry.shingles = shingles;
  }

  /** Keeps the listed texts only, so that the memory of the others can be reclaimed before packing. */
  private release(keep: readonly ChunkPart[]): void {
    const kept = new Map<number, Retained>();
    for (const part of keep) {
      const retained = this.retained.get(part.chunk);
      if (retained === undefined) {
        continue;
      }
      if ('texts' in retained) {
        const texts: string[] = [];
        for (const k of part.local) {
          texts[k] = retained.texts[k] ?? '';
        }
        kept.set(part.chunk, { texts });
      } else if (retained.data !== null) {
        kept.set(part.chunk, { texts: textsOfJsonLines({ ...retained, data: retained.data }, part.local) });
      } else {
        kept.set(part.chunk, retained);
      }
    }
    this.retained.clear();
    this.remembered.clear();
    for (const [chunk, texts] of kept) {
      this.retained.set(chunk, texts);
    }
  }

  private startPartition(task: ClusterStartTask): void {
    const received = new PackedShingleIndex(task.count);
    const clusterer = new PartitionClusterer(task.partition, {
      threshold: task.threshold,
      shinglesOf: (index) => received.get(index),
    });
    this.partition = { clusterer, received };
  }

  private clusteringPartition(): { clusterer: PartitionClusterer; received: PackedShingleIndex } {
    if (this.partition === null) {
      throw new AppError('internal', 'no partition is being clustered here');
    }
    return this.partition;
  }

  private pack(task: PackTask): TaskResult {
    const sets: PackedShingleSets[] = [];
    const owners: number[] = [];
    const transfer: ArrayBuffer[] = [];
    for (const part of task.parts) {
      const retained = this.retained.get(part.chunk);
      if (retained === undefined) {
        throw new AppError('internal', `chunk ${part.chunk} is not held by this worker`);
      }
      let texts: string[];
      if ('texts' in retained) {
        texts = retained.texts;
      } else {
        const data = retained.data ?? part.jsonl;
        if (data === undefined) {
          throw new AppError('internal', `chunk ${part.chunk} came without its records`);
        }
        texts = textsOfJsonLines({ ...retained, data }, part.local);
      }
      for (const [owner, indexes] of byOwner(part)) {
        const packed = packShingleSets(texts, { indexes, offset: part.base });
        sets.push(packed);
        owners.push(owner);
        transfer.push(packed.indexes.buffer as ArrayBuffer, packed.offsets.buffer as ArrayBuffer);
        if (!transfer.includes(packed.values.buffer as ArrayBuffer)) {
          transfer.push(packed.values.buffer as ArrayBuffer);
        }
      }
      this.retained.delete(part.chunk);
    }
    const reply: PackReply = { type: 'packed', job: task.job, sets, owners };
    return { reply, transfer };
  }
}

/** A part's texts by the thread that clusters them (those of thread 0 first). */
function byOwner(part: ChunkPart): [number, Int32Array][] {
  const { local, owners } = part;
  if (owners === undefined) {
    return [[0, local]];
  }
  const groups: [number, Int32Array][] = [];
  for (const owner of [0, 1]) {
    const indexes = local.filter((_, k) => owners[k] === owner);
    if (indexes.length > 0) {
      groups.push([owner, indexes]);
    }
  }
  return groups;
}

/** The records of an analyze task, and what is kept of their texts for packing. */
function recordsOf(task: AnalyzeTask): { records: AnalysisInput[]; retained: Retained } {
  if ('records' in task) {
    return { records: task.records, retained: { texts: task.records.map((r) => r.text) } };
  }
  const block = readJsonLines(task.jsonl, {
    fields: task.fields,
    firstLine: task.firstLine,
    source: task.source,
  });
  return {
    records: block.records,
    retained: {
      data: task.retain === 'texts' ? task.jsonl : null,
      spans: block.spans,
      textField: task.fields.text,
    },
  };
}

function copyBandKeys(entry: Remembered, into: Uint32Array, at: number, bands: number): void {
  const from = entry.bandKeys;
  for (let b = 0; b < bands; b++) {
    into[at + b] = from[entry.bandKeysAt + b]!;
  }
}

const encoder = new TextEncoder();

/** Line tails as UTF-8, one after another, tail k ending at byte `lineEnds[k]`: encoded as they come. */
class LineWriter {
  private buffer: Uint8Array;
  private bytes = 0;
  private count = 0;
  private readonly lineEnds: Uint32Array;

  constructor(lines: number) {
    this.lineEnds = new Uint32Array(lines);
    this.buffer = new Uint8Array(Math.max(1024, lines * 256));
  }

  add(tail: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    const need = this.bytes + tail.length * 3;
    if (need > this.buffer.length) {
      const grown = new Uint8Array(Math.max(need, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.bytes));
      this.buffer = grown;
    }
    this.bytes += encoder.encodeInto(tail, this.buffer.subarray(this.bytes)).written;
    this.lineEnds[this.count++] = this.bytes;
  }

  finish(): { lines: Uint8Array; lineEnds: Uint32Array } {
    return { lines: this.buffer.slice(0, this.bytes), lineEnds: this.lineEnds };
  }
}

/** Records are reused by text and target; records with reasons or a proposed text are not. */
function isReusable(record: AnalysisInput): boolean {
  return (record.reasons ?? '') === '' && (record.proposedText ?? '') === '';
}

function errorReply(job: number, error: unknown): ErrorReply {
  if (isAppError(error)) {
    return {
      type: 'error',
      job,
      error: { name: 'AppError', code: error.code, message: error.message, details: error.details },
    };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { type: 'error', job, error: { name: e.name, message: e.stack ?? e.message } };
}
