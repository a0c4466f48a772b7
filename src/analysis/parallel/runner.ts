/*
 * The work of one analysis thread: chunks of records analysed (one tokenisation per text shared by every
 * analysis) with their MinHash signatures, and later the shingle sets of the texts the clustering must
 * verify. A worker thread runs one; with no workers the pipeline runs one on its own thread.
 *
 * Identical texts are common in mass campaigns (a form letter sent unchanged), so a record whose text and
 * target equal a recent one's reuses its analysis and signature instead of computing them again.
 */
import { AppError, isAppError } from '../../domain/errors.ts';
import type { PackedShingleSets } from '../dedupe/shingles.ts';
import { packShingleSets } from '../dedupe/shingles.ts';
import type { ResolvedSignatureOptions } from '../dedupe/signature.ts';
import { computeSignatures, resolveSignatureOptions } from '../dedupe/signature.ts';
import { exactHash, similarityKey } from '../normalize.ts';
import type { AnalysisContext, AnalysisInput, RecordAnalysis } from '../pipeline.ts';
import { analyzeTokenized } from '../pipeline.ts';
import { tokenize } from '../tokenize.ts';
import type {
  AnalyzeReply,
  AnalyzeTask,
  ChunkPart,
  ErrorReply,
  PackReply,
  PackTask,
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

interface Remembered {
  analysis: RecordAnalysis;
  tail: string | null;
  bandKeys: Uint32Array;
  hashHigh: number;
  hashLow: number;
  shingles: number;
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
  private readonly remembered = new Map<string, Remembered>();

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
      }
    } catch (error) {
      return { reply: errorReply(task.job, error), transfer: [] };
    }
  }

  private analyze(task: AnalyzeTask): TaskResult {
    let records: AnalysisInput[];
    let retained: Retained;
    if ('records' in task) {
      records = task.records;
      retained = { texts: records.map((r) => r.text) };
    } else {
      const block = readJsonLines(task.jsonl, {
        fields: task.fields,
        firstLine: task.firstLine,
        source: task.source,
      });
      records = block.records;
      retained = {
        data: task.retain === 'texts' ? task.jsonl : null,
        spans: block.spans,
        textField: task.fields.text,
      };
    }
    const count = records.length;
    const { bands } = this.signature;
    const bandKeys = new Uint32Array(count * bands);
    const exactHashes = new Uint32Array(count * 2);
    const shingleCounts = new Uint32Array(count);
    const found: (Remembered | undefined)[] = new Array<Remembered | undefined>(count);
    /** For a record repeating an earlier one of this chunk: that record's index; else -1. */
    const sameAs = new Int32Array(count).fill(-1);
    const firstOf = new Map<string, number>();
    const missing: number[] = [];
    const keys: (string | null)[] = new Array<string | null>(count);
    for (let i = 0; i < count; i++) {
      const key = reuseKey(records[i]!);
      keys[i] = key;
      const hit = key === null ? undefined : this.remembered.get(key);
      found[i] = hit;
      if (hit !== undefined) {
        continue;
      }
      const first = key === null ? undefined : firstOf.get(key);
      if (first === undefined) {
        if (key !== null) {
          firstOf.set(key, i);
        }
        missing.push(i);
      } else {
        sameAs[i] = first;
      }
    }
    // Signatures of the texts not seen before, in one pass (one normalisation per text).
    const signatures = computeSignatures(
      missing.map((i) => records[i]!.text),
      this.signature,
    );
    const analyses: RecordAnalysis[] = new Array<RecordAnalysis>(count);
    const tails: string[] = task.format === 'json' ? new Array<string>(count) : [];
    let m = 0;
    for (let i = 0; i < count; i++) {
      const record = records[i]!;
      let entry = sameAs[i] === -1 ? found[i] : found[sameAs[i]!];
      if (entry === undefined) {
        const high = signatures.exactHashes[2 * m]!;
        const low = signatures.exactHashes[2 * m + 1]!;
        const shingles = signatures.shingleCounts[m]!;
        // The signature's exact hash is exactHash's own (both hash the normalised text); an empty
        // normalised text has no signature and is hashed here.
        const textHash = shingles === 0 ? exactHash(record.text) : hex(high) + hex(low);
        const analysis = analyzeTokenized(record, tokenize(record.text), this.context, textHash);
        entry = {
          analysis,
          tail: task.format === 'json' ? lineTail(analysis) : null,
          bandKeys: signatures.bandKeys.slice(m * bands, (m + 1) * bands),
          hashHigh: high,
          hashLow: low,
          shingles,
        };
        m++;
        found[i] = entry;
        const key = keys[i]!;
        if (key !== null) {
          if (this.remembered.size >= REUSE_CAPACITY) {
            this.remembered.clear();
          }
          this.remembered.set(key, entry);
        }
      }
      bandKeys.set(entry.bandKeys, i * bands);
      exactHashes[2 * i] = entry.hashHigh;
      exactHashes[2 * i + 1] = entry.hashLow;
      shingleCounts[i] = entry.shingles;
      if (task.format === 'json') {
        tails[i] = entry.tail ?? lineTail(entry.analysis);
      } else {
        // A reused analysis is copied: each record's result is its own to change.
        analyses[i] =
          entry.analysis.id === record.id
            ? entry.analysis
            : { ...structuredClone(entry.analysis), id: record.id };
      }
    }
    this.retained.set(task.job, retained);
    const reply: AnalyzeReply = {
      type: 'analyzed',
      job: task.job,
      count,
      ids: records.map((r) => r.id),
      bandKeys,
      exactHashes,
      shingleCounts,
      reused: count - missing.length,
    };
    const transfer: ArrayBuffer[] = [bandKeys.buffer, exactHashes.buffer, shingleCounts.buffer];
    if (task.format === 'json') {
      const { lines, lineEnds } = encodeLines(tails);
      reply.lines = lines;
      reply.lineEnds = lineEnds;
      transfer.push(lines.buffer as ArrayBuffer, lineEnds.buffer as ArrayBuffer);
    } else {
      reply.analyses = analyses;
    }
    return { reply, transfer };
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

  private pack(task: PackTask): TaskResult {
    const sets: PackedShingleSets[] = [];
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
      const packed = packShingleSets(texts, {
        indexes: part.local,
        offset: part.base,
        keyOf: (text) => similarityKey(text),
      });
      this.retained.delete(part.chunk);
      sets.push(packed);
      transfer.push(packed.indexes.buffer as ArrayBuffer, packed.offsets.buffer as ArrayBuffer);
      if (!transfer.includes(packed.values.buffer as ArrayBuffer)) {
        transfer.push(packed.values.buffer as ArrayBuffer);
      }
    }
    const reply: PackReply = { type: 'packed', job: task.job, sets };
    return { reply, transfer };
  }
}

const encoder = new TextEncoder();

/** The line tails as UTF-8, one after another, tail k ending at byte `lineEnds[k]`. */
function encodeLines(tails: readonly string[]): { lines: Uint8Array; lineEnds: Uint32Array } {
  const lineEnds = new Uint32Array(tails.length);
  // A UTF-16 code unit takes at most 3 bytes of UTF-8.
  let capacity = 0;
  for (const tail of tails) {
    capacity += tail.length * 3;
  }
  const buffer = new Uint8Array(capacity);
  let bytes = 0;
  for (let k = 0; k < tails.length; k++) {
    bytes += encoder.encodeInto(tails[k]!, buffer.subarray(bytes)).written;
    lineEnds[k] = bytes;
  }
  return { lines: buffer.slice(0, bytes), lineEnds };
}

/** Records are reused by text and target; records with reasons or a proposed text are not. */
function reuseKey(record: AnalysisInput): string | null {
  if ((record.reasons ?? '') !== '' || (record.proposedText ?? '') !== '') {
    return null;
  }
  return `${record.target ?? ''}\u0000${record.text}`;
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
