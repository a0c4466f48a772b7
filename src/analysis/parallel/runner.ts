/*
 * The work of one analysis thread: chunks of records analysed (one tokenisation per text shared by every
 * analysis) with their MinHash signatures and shingles, the shingles kept (set-store.ts) until the
 * clustering asks for the sets of the texts it must verify. A worker thread runs one; with no workers the
 * pipeline runs one on its own thread.
 *
 * Identical texts are common in mass campaigns (a form letter sent unchanged), so a record whose text and
 * target equal a recent one's reuses its analysis and signature instead of computing them again. For
 * results as lines, the threads' shared claims (claims.ts) find the texts of all earlier records, and a
 * thread keeps no memory of its own until no more texts can be claimed.
 */
import { AppError, isAppError } from '../../domain/errors.ts';
import { PartitionClusterer, groupBands } from '../dedupe/cluster.ts';
import { clusterBesideHeld } from '../dedupe/held.ts';
import { linkPartition } from '../dedupe/links.ts';
import type { PackedShingleSets } from '../dedupe/shingles.ts';
import { PackedShingleIndex, sortUniqueInto } from '../dedupe/shingles.ts';
import type { ResolvedSignatureOptions, SignatureChunk } from '../dedupe/signature.ts';
import { computeSignaturesAndShingles, resolveSignatureOptions } from '../dedupe/signature.ts';
import { exactHash } from '../normalize.ts';
import type { AnalysisContext, AnalysisInput, RecordAnalysis } from '../pipeline.ts';
import { analyzeTokenizedAll } from '../pipeline.ts';
import type { TokenizedText } from '../tokenize.ts';
import type { PreparedRuns } from '../tokenize.ts';
import { segmentNewRuns, tokenizeAll } from '../tokenize.ts';
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
import { TextClaims } from './claims.ts';
import type { RowValues } from './rows.ts';
import { ROW_NUMBERS, rowValues } from './rows.ts';
import { readJsonLines } from './records.ts';
import { FileSetStore, readSetFile } from '../../runtime/set-file.ts';
import type { SetStore } from './set-store.ts';
import { MemorySetStore } from './set-store.ts';

/**
 * Distinct texts remembered for reuse, per generation (TextMemory): 20,000 texts, or fewer when they are
 * long (16 million characters: 32 MB of text at most).
 */
const REUSE_CAPACITY = { texts: 20_000, characters: 16_000_000 };

/** Where the shingles of each record of a chunk lie in the set store, and how many there are. */
interface Retained {
  at: Float64Array;
  size: Uint32Array;
}

/**
 * The part of an analysed chunk (`reply`, whose first record is `base` in the corpus) made of its records
 * `local`, to pack: where their shingles lie, as the reply tells.
 */
export function chunkPart(reply: AnalyzeReply, local: Int32Array, base: number): ChunkPart {
  const at = new Float64Array(local.length);
  const size = new Uint32Array(local.length);
  for (let k = 0; k < local.length; k++) {
    at[k] = reply.setAt[local[k]!]!;
    size[k] = reply.setSize[local[k]!]!;
  }
  return { local, base, at, size, file: reply.setFile };
}

/** Values between two sets asked for that are read through rather than skipped with a read of their own. */
const READ_THROUGH = 65_536;

const NO_BAND_KEYS = new Uint32Array(0);
const NO_BYTES = new Uint8Array(0);

/**
 * The results of one text (and target), shared by every record of it: made when the text is first
 * met, filled in when its first record is analysed. Only what the replies need is kept (a line tail, or
 * an analysis when results go as objects): thousands of these live on, and the collector copies them.
 */
class Remembered {
  done = false;
  /**
   * The result in the format asked for: a line tail (as UTF-8, `tailLength` bytes from `tailAt` of
   * `tailSpace`), an analysis or a row.
   */
  tailSpace: Utf8Buffer | null = null;
  tailAt = 0;
  tailLength = 0;
  analysis: RecordAnalysis | null = null;
  row: RowValues | null = null;
  /** The text's band keys: `bands` values from `bandKeysAt` in `bandKeys` (the array of its chunk). */
  bandKeys: Uint32Array = NO_BAND_KEYS;
  bandKeysAt = 0;
  hashHigh = 0;
  hashLow = 0;
  shingles = 0;
  /** The text's shingles: their position in the set store, and how many. */
  setAt = 0;
  setSize = 0;

  /**
   * The earlier record that holds the text (`TextClaims`), when it was analysed elsewhere: its job and
   * index in its chunk; -1 when the text is analysed here.
   */
  copyJob = -1;
  copyIndex = -1;

  /** `fresh`: the text's index among the new texts of its chunk (-1 for a copy). */
  constructor(readonly fresh: number) {}
}

/**
 * Values by target and text, in two generations: when the newer holds `capacity.texts` texts, or texts of
 * `capacity.characters` characters in all, it becomes the older and the one before is dropped; a text
 * found in the older moves to the newer. Texts repeated far apart (copies of a campaign's letters spread
 * over a million comments) are found again as long as they keep coming, at the cost of at most two
 * generations. Keyed on the two strings as they are, not on one joined key, so that no string the length
 * of a text is built per record.
 */
export class TextMemory<V> {
  private newer = new Map<string, Map<string, V>>();
  private older = new Map<string, Map<string, V>>();
  private texts = 0;
  private characters = 0;
  /** Generations begun so far: it changes when a new one begins. */
  generation = 0;

  /** `moved`: told of each value found in the older generation, once it is in the newer. */
  constructor(
    private readonly capacity: { texts: number; characters: number },
    private readonly moved?: (value: V) => void,
  ) {}

  get(target: string, text: string): V | undefined {
    const value = this.newer.get(target)?.get(text);
    if (value !== undefined) {
      return value;
    }
    const old = this.older.get(target)?.get(text);
    if (old !== undefined) {
      this.set(target, text, old);
      this.moved?.(old);
    }
    return old;
  }

  set(target: string, text: string, value: V): void {
    if (this.texts >= this.capacity.texts || this.characters >= this.capacity.characters) {
      this.older = this.newer;
      this.newer = new Map();
      this.texts = 0;
      this.characters = 0;
      this.generation++;
    }
    let texts = this.newer.get(target);
    if (texts === undefined) {
      texts = new Map();
      this.newer.set(target, texts);
    }
    const before = texts.size;
    texts.set(text, value);
    if (texts.size > before) {
      this.texts++;
      this.characters += text.length;
    }
  }

  clear(): void {
    this.newer.clear();
    this.older.clear();
    this.texts = 0;
    this.characters = 0;
    this.generation++;
  }
}

/**
 * UTF-8 bytes written one after another into a buffer that grows by doubling (`bytes` may be replaced
 * as it grows; what was written keeps its place).
 */
class Utf8Buffer {
  bytes: Uint8Array;
  used = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(1024, capacity));
  }

  /** Writes the UTF-8 of `text`; returns where it starts (it ends at `used`). */
  write(text: string): number {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    this.reserve(text.length * 3);
    const at = this.used;
    this.used += encoder.encodeInto(text, this.bytes.subarray(at)).written;
    return at;
  }

  /** Copies `length` bytes of `from` from `at`; returns where they start here. */
  append(from: Uint8Array, at: number, length: number): number {
    this.reserve(length);
    const to = this.used;
    this.bytes.set(from.subarray(at, at + length), to);
    this.used += length;
    return to;
  }

  private reserve(length: number): void {
    if (this.used + length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.used + length, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
  }
}

/**
 * The first size of a tail space. The line tails of remembered texts are kept as UTF-8, out of the
 * collector's heap, where tens of thousands of strings would be copied at every collection of the young
 * generation and again into the old one. Each generation of the memory writes its tails to a space of
 * its own (TailSpaces).
 */
const TAIL_SPACE_BYTES = 1 << 16;

/**
 * The tail spaces of the generations of a TextMemory. An entry's tail lies in the space of its own
 * generation or of a later one (a tail is written, or copied when its entry moves, to the newest space),
 * and the memory holds the entries of its two newest generations only; so the space of an older
 * generation is free once no record being analysed holds an entry of it, and is used again rather than
 * let go. A space grows to what a generation writes, and fresh memory costs a page fault per page
 * touched: reused, the spaces are touched once.
 */
export class TailSpaces {
  private readonly spaces: { generation: number; space: Utf8Buffer }[] = [];
  private readonly spare: Utf8Buffer[] = [];

  /** The space of `generation`, the newest (the spare one or a new one when it begins). */
  of(generation: number): Utf8Buffer {
    const newest = this.spaces.at(-1);
    if (newest !== undefined && newest.generation === generation) {
      return newest.space;
    }
    const space = this.spare.pop() ?? new Utf8Buffer(TAIL_SPACE_BYTES);
    space.used = 0;
    this.spaces.push({ generation, space });
    return space;
  }

  /** Takes back the spaces of the generations before `oldest`: no entry points into them any more. */
  retire(oldest: number): void {
    while (this.spaces.length > 0 && this.spaces[0]!.generation < oldest) {
      this.spare.push(this.spaces.shift()!.space);
    }
  }

  /** Spaces in use, and spare. */
  get counts(): { used: number; spare: number } {
    return { used: this.spaces.length, spare: this.spare.length };
  }
}

export interface TaskResult {
  reply: WorkerReply;
  transfer: ArrayBuffer[];
}

/**
 * The JSON of an output line after `{"id":…,"cluster":…,"clusterSize":…,"duplicateOf":…,`: the same as
 * `JSON.stringify` of the fields in this order, written around the parts rather than made of a new object.
 */
export function lineTail(analysis: RecordAnalysis): string {
  const { topics, stance, quality, keyphrases, figures } = analysis;
  return (
    `"topics":${topics.length === 0 ? '[]' : JSON.stringify(topics)},` +
    `"stance":{"label":${jsonString(stance.label)},"score":${jsonNumber(stance.score)}},` +
    `"quality":{"score":${jsonNumber(quality.score)},"flags":${jsonStrings(quality.flags)}},` +
    `"keyphrases":${jsonStrings(keyphrases)},` +
    `"figures":${figures.length === 0 ? '[]' : JSON.stringify(figures)}}`
  );
}

/** Characters JSON.stringify may write otherwise than as themselves. */
// eslint-disable-next-line no-control-regex -- control characters are what JSON escapes
const JSON_SPECIAL = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(text)`, without its general machinery for the strings that need no escape (nearly all). */
function jsonString(text: string): string {
  return JSON_SPECIAL.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** `JSON.stringify(value)` of a number. */
const jsonNumber = (value: number): string => (Number.isFinite(value) ? String(value) : 'null');

/** `JSON.stringify(texts)` of an array of strings. */
function jsonStrings(texts: readonly string[]): string {
  if (texts.length === 0) {
    return '[]';
  }
  let out = `[${jsonString(texts[0]!)}`;
  for (let k = 1; k < texts.length; k++) {
    out += `,${jsonString(texts[k]!)}`;
  }
  return `${out}]`;
}

const hex = (value: number): string => value.toString(16).padStart(8, '0');

export class AnalysisRunner {
  private readonly context: AnalysisContext;
  private readonly signature: ResolvedSignatureOptions;
  private readonly sets: SetStore;
  private readonly claims: TextClaims | null;
  private readonly remembered: TextMemory<Remembered>;
  /** Where the tails of remembered texts go, a space per generation. */
  private readonly tails = new TailSpaces();
  /**
   * Where the tails of a slice's new texts go when they are not remembered (the claims stand in for the
   * memory): each is copied to the chunk's lines within its slice, so the space is used again slice after
   * slice.
   */
  private readonly sliceTails = new Utf8Buffer(TAIL_SPACE_BYTES);
  private readonly spool = new Spool();
  /** Where a chunk's lines and ids are written before they leave as a copy of what was written. */
  private readonly lineSpace = new Utf8Buffer(1 << 20);
  private readonly idSpace = new Utf8Buffer(1 << 16);
  private format: ResultFormat = 'json';
  /** A partition clustered here, and the sets received for it. */
  private partition: ClusteringPartition | null = null;
  /** A partition finished and kept for its links (`cluster-links`). */
  private finished: (ClusteringPartition & { founders: Int32Array }) | null = null;

  /** `reuse`: how many distinct texts are remembered for reuse, per generation (see TextMemory). */
  constructor(init: WorkerInit, reuse: { texts: number; characters: number } = REUSE_CAPACITY) {
    this.remembered = new TextMemory<Remembered>(reuse, (entry) => {
      // Found in the older generation: its tail goes with it to the newer one's space.
      if (entry.tailSpace !== null) {
        const space = this.tailSpace();
        if (entry.tailSpace !== space) {
          entry.tailAt = space.append(entry.tailSpace.bytes, entry.tailAt, entry.tailLength);
          entry.tailSpace = space;
        }
      }
    });
    this.context = init.context;
    this.signature = resolveSignatureOptions(init.signature);
    this.sets = init.setDirectory ? new FileSetStore(init.setDirectory) : new MemorySetStore();
    this.claims = init.claims ? new TextClaims(init.claims) : null;
  }

  /** The space of the newest generation of remembered texts. */
  private tailSpace(): Utf8Buffer {
    return this.tails.of(this.remembered.generation);
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
          this.remembered.clear();
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
        case 'held-apart': {
          const result = clusterBesideHeld(task.texts, task.held, task.options);
          return { reply: { type: 'held-apart', job: task.job, result }, transfer: [] };
        }
        case 'group-bands': {
          const groups = groupBands(task.grouping, task.first, task.last);
          return { reply: { type: 'bands-grouped', job: task.job, groups }, transfer: [] };
        }
        case 'cluster-finish': {
          const partition = this.clusteringPartition();
          partition.clusterer.advance((index) => partition.received.has(index));
          const result = partition.clusterer.result();
          this.partition = null;
          if (task.links === true) {
            this.finished = { ...partition, founders: result.founders.slice() };
          }
          return {
            reply: { type: 'cluster-result', job: task.job, ...result },
            transfer: [result.founders.buffer as ArrayBuffer],
          };
        }
        case 'cluster-links': {
          const finished = this.finished;
          if (finished === null) {
            throw new AppError('internal', 'no partition was kept for its links');
          }
          this.finished = null;
          const { received, task: start } = finished;
          const links = linkPartition(start.partition, finished.founders, start.count, {
            threshold: start.threshold,
            shinglesOf: (index) => received.require(index),
            ...(task.maxCandidates === undefined ? {} : { maxCandidates: task.maxCandidates }),
          });
          return {
            reply: { type: 'links', job: task.job, ...links },
            transfer: [links.pairs.buffer as ArrayBuffer],
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

  /**
   * Analyses a chunk a slice of records at a time: the chunk's records are read and the Han runs of
   * their texts not met before segmented, all at once; then each slice's new texts are signed, tokenised
   * together and analysed, and the slice let go before the next, so that what a record needs dies young
   * and the collector seldom has to move it.
   */
  private analyzeChunk(task: AnalyzeTask): TaskResult {
    const records = readRecords(task);
    // Signatures alone need no tokens.
    const runs = task.format === 'signatures' ? null : segmentNewRuns(records.map((record) => record.text));
    const capacity = records.length;
    const { format } = task;
    const json = format === 'json';
    const { bands } = this.signature;
    const out: ChunkOutput = {
      count: 0,
      reused: 0,
      retained: { at: new Float64Array(capacity), size: new Uint32Array(capacity) },
      bandKeys: new Uint32Array(capacity * bands),
      exactHashes: new Uint32Array(capacity * 2),
      shingleCounts: new Uint32Array(capacity),
      analyses: format === 'objects' ? [] : null,
      rows: format === 'rows' ? { strings: [], numbers: new Float64Array(capacity * ROW_NUMBERS) } : null,
      ids: json || format === 'signatures' ? null : [],
      lines: json ? new LineWriter(capacity, this.lineSpace) : null,
      copies: [],
      // As JSON text when results go as lines: that is all the output needs of them.
      idJson: json ? new LineWriter(capacity, this.idSpace) : null,
    };
    // The chunk's shingles go to the set store in one piece, after those there already.
    const setsAt = this.sets.size;
    this.spool.length = 0;
    for (let from = 0; from < records.length; from += SLICE) {
      this.analyzeSlice(records.slice(from, from + SLICE), task.job, from, runs, out, setsAt);
    }
    if (this.sets.append(this.spool.kept()) !== setsAt) {
      throw new AppError('internal', 'the shingle store moved while a chunk was analysed');
    }
    const { count } = out;
    const setAt = out.retained.at.subarray(0, count);
    const setSize = out.retained.size.subarray(0, count);
    const bandKeys = out.bandKeys.subarray(0, count * bands);
    const exactHashes = out.exactHashes.subarray(0, count * 2);
    const shingleCounts = out.shingleCounts.subarray(0, count);
    const reply: AnalyzeReply = {
      type: 'analyzed',
      job: task.job,
      count,
      ...(out.ids === null ? {} : { ids: out.ids }),
      bandKeys,
      exactHashes,
      shingleCounts,
      setAt,
      setSize,
      setFile: this.sets instanceof FileSetStore ? this.sets.path : null,
      reused: out.reused,
    };
    const transfer: ArrayBuffer[] = [
      bandKeys.buffer,
      exactHashes.buffer,
      shingleCounts.buffer,
      setAt.buffer,
      setSize.buffer,
    ] as ArrayBuffer[];
    if (out.lines !== null && out.idJson !== null) {
      const encoded = out.lines.finish();
      const encodedIds = out.idJson.finish();
      reply.lines = encoded.lines;
      reply.lineEnds = encoded.lineEnds;
      reply.idJson = encodedIds.lines;
      reply.idEnds = encodedIds.lineEnds;
      transfer.push(encoded.lines.buffer as ArrayBuffer, encoded.lineEnds.buffer as ArrayBuffer);
      if (out.copies.length > 0) {
        reply.copies = Int32Array.from(out.copies);
        transfer.push(reply.copies.buffer as ArrayBuffer);
      }
      transfer.push(encodedIds.lines.buffer as ArrayBuffer, encodedIds.lineEnds.buffer as ArrayBuffer);
    } else if (out.rows !== null) {
      const numbers = out.rows.numbers.slice(0, count * ROW_NUMBERS);
      reply.rowStrings = out.rows.strings;
      reply.rowNumbers = numbers;
      transfer.push(numbers.buffer);
    } else if (out.analyses !== null) {
      reply.analyses = out.analyses;
    }
    return { reply, transfer };
  }

  /**
   * Analyses a slice of a chunk's records, from record `first` of the chunk `job` (whose Han runs are
   * `runs`), into the chunk's output; the chunk's sets start at `setsAt`.
   */
  private analyzeSlice(
    records: readonly AnalysisInput[],
    job: number,
    first: number,
    runs: PreparedRuns | null,
    out: ChunkOutput,
    setsAt: number,
  ): void {
    const count = records.length;
    // No record holds an entry any more: the entries left are those of the memory's two generations.
    this.tails.retire(this.remembered.generation - 1);
    // Each record's results, shared with the earlier records of the same text; and the records whose
    // text is new, analysed once for all of them.
    const found = new Array<Remembered>(count);
    const fresh: number[] = [];
    // Texts held by earlier records are looked for among the claims only for results as lines. The
    // claims find the texts of every earlier record, whichever thread analysed it; the memory of recent
    // texts is then not kept (looking texts up twice, and keeping them and their entries alive, cost
    // more than it saved), until no more texts can be claimed.
    const claims = out.lines === null ? null : this.claims;
    const remember = claims === null || claims.full;
    for (let i = 0; i < count; i++) {
      const record = records[i]!;
      const reusable = isReusable(record);
      let entry = reusable && remember ? this.remembered.get(record.target ?? '', record.text) : undefined;
      if (entry === undefined) {
        if (reusable && claims !== null && !claims.claim(record.target ?? '', record.text, job, first + i)) {
          entry = new Remembered(-1);
          entry.copyJob = claims.job;
          entry.copyIndex = claims.index;
          entry.done = true;
        } else {
          entry = new Remembered(fresh.length);
          fresh.push(i);
        }
        if (reusable && remember) {
          this.remembered.set(record.target ?? '', record.text, entry);
        }
      }
      found[i] = entry;
    }
    out.reused += count - fresh.length;
    // Signatures and shingles of the new texts, in one pass (one normalisation per text), the shingles
    // kept with the chunk's; and their tokens.
    const texts = fresh.map((i) => records[i]!.text);
    const { signatures, shingles: sets } = computeSignaturesAndShingles(texts, this.signature, (capacity) =>
      this.spool.room(capacity),
    );
    const setsBase = setsAt + this.spool.keep(sets.values);
    const analyses =
      runs === null
        ? null
        : this.analyzeAll(
            fresh.map((i) => records[i]!),
            texts.length === 0 ? [] : tokenizeAll(texts, { runs, at: fresh.map((i) => first + i) }),
            signatures,
          );
    const { bands } = this.signature;
    let tails = this.sliceTails;
    if (remember) {
      tails = this.tailSpace();
    } else {
      tails.used = 0;
    }
    for (let i = 0; i < count; i++) {
      const record = records[i]!;
      const entry = found[i]!;
      if (!entry.done) {
        this.fillEntry(entry, signatures, analyses?.[entry.fresh] ?? null, tails);
        entry.setAt = setsBase + sets.offsets[entry.fresh]!;
        entry.setSize = sets.offsets[entry.fresh + 1]! - sets.offsets[entry.fresh]!;
      }
      const k = out.count++;
      if (out.ids !== null) {
        out.ids.push(record.id);
      } else if (out.idJson !== null) {
        out.idJson.add(JSON.stringify(record.id));
      }
      if (entry.copyJob !== -1) {
        // The earlier record's results, filled in where the lines are written.
        out.copies.push(k, entry.copyJob, entry.copyIndex);
        out.lines!.addBytes(NO_BYTES, 0, 0);
        continue;
      }
      out.retained.at[k] = entry.setAt;
      out.retained.size[k] = entry.setSize;
      copyBandKeys(entry, out.bandKeys, k * bands, bands);
      out.exactHashes[2 * k] = entry.hashHigh;
      out.exactHashes[2 * k + 1] = entry.hashLow;
      out.shingleCounts[k] = entry.shingles;
      if (out.lines !== null) {
        out.lines.addBytes(entry.tailSpace!.bytes, entry.tailAt, entry.tailLength);
      } else if (out.rows !== null) {
        const { strings, qualityScore, stanceScore } = entry.row!;
        for (const value of strings) {
          out.rows.strings.push(value);
        }
        out.rows.numbers[k * ROW_NUMBERS] = qualityScore;
        out.rows.numbers[k * ROW_NUMBERS + 1] = stanceScore;
      } else if (out.analyses !== null) {
        // A reused analysis is copied: each record's result is its own to change.
        const analysis = entry.analysis!;
        out.analyses.push(
          analysis.id === record.id ? analysis : { ...structuredClone(analysis), id: record.id },
        );
      }
    }
  }

  /**
   * The analyses of the new texts of a slice (`records`, their tokens `docs`, their signatures in
   * `signatures`), in their order.
   */
  private analyzeAll(
    records: readonly AnalysisInput[],
    docs: readonly TokenizedText[],
    signatures: SignatureChunk,
  ): RecordAnalysis[] {
    const json = this.format === 'json';
    // The signature's exact hash is exactHash's own (both hash the normalised text); an empty
    // normalised text has no signature and is hashed here. Output lines do not show it.
    const textHashes = records.map((record, m) => {
      if (json) {
        return '';
      }
      const high = signatures.exactHashes[2 * m]!;
      const low = signatures.exactHashes[2 * m + 1]!;
      return signatures.shingleCounts[m] === 0 ? exactHash(record.text) : hex(high) + hex(low);
    });
    return analyzeTokenizedAll(records, docs, this.context, textHashes);
  }

  /**
   * Fills in the entry of a new text from its signature and its analysis (null for signatures alone); a
   * line tail goes to `tails`.
   */
  private fillEntry(
    entry: Remembered,
    signatures: SignatureChunk,
    analysis: RecordAnalysis | null,
    tails: Utf8Buffer,
  ): void {
    const m = entry.fresh;
    const high = signatures.exactHashes[2 * m]!;
    const low = signatures.exactHashes[2 * m + 1]!;
    const shingles = signatures.shingleCounts[m]!;
    if (analysis === null) {
      entry.analysis = null;
    } else if (this.format === 'json') {
      entry.tailAt = tails.write(lineTail(analysis));
      entry.tailLength = tails.used - entry.tailAt;
      entry.tailSpace = tails;
    } else if (this.format === 'rows') {
      entry.row = rowValues(analysis);
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

  private startPartition(task: ClusterStartTask): void {
    const received = new PackedShingleIndex(task.count);
    const clusterer = new PartitionClusterer(task.partition, {
      threshold: task.threshold,
      shinglesOf: (index) => received.get(index),
    });
    this.partition = { clusterer, received, task };
  }

  private clusteringPartition(): ClusteringPartition {
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
      const { file } = part;
      const read: ReadValues =
        file === null ? (at, into) => this.sets.read(at, into) : (at, into) => readSetFile(file, at, into);
      for (const [owner, positions] of byOwner(part)) {
        const packed = readSets(read, part, positions);
        sets.push(packed);
        owners.push(owner);
        transfer.push(packed.indexes.buffer as ArrayBuffer, packed.offsets.buffer as ArrayBuffer);
        transfer.push(packed.values.buffer as ArrayBuffer);
      }
    }
    const reply: PackReply = { type: 'packed', job: task.job, sets, owners };
    return { reply, transfer };
  }
}

/** A partition clustered here: its clusterer, the sets received, and the task that started it. */
interface ClusteringPartition {
  clusterer: PartitionClusterer;
  received: PackedShingleIndex;
  task: ClusterStartTask;
}

/** Fills `into` with the stored values from position `at`. */
type ReadValues = (at: number, into: Uint32Array) => void;

/**
 * The shingle sets of the texts of `part` at `positions` (ascending), read with `read`, packed, their indexes
 * offset by the part's base. Shingles stored near one another are read in one piece; each text's are
 * sorted, repeats dropped, straight from what was read into a packing space reused from task to task,
 * and the sets leave in an array of their exact size.
 */
function readSets(read: ReadValues, part: ChunkPart, positions: Int32Array): PackedShingleSets {
  const { at, size } = part;
  let total = 0;
  for (let k = 0; k < positions.length; k++) {
    total += size[positions[k]!]!;
  }
  const packed = packingSpace(total);
  const offsets = new Uint32Array(positions.length + 1);
  let used = 0;
  for (let k = 0; k < positions.length;) {
    const from = at[positions[k]!]!;
    let end = from + size[positions[k]!]!;
    let next = k + 1;
    for (; next < positions.length; next++) {
      const position = at[positions[next]!]!;
      if (position < end || position > end + READ_THROUGH) {
        break;
      }
      end = position + size[positions[next]!]!;
    }
    const window = readWindow(end - from);
    read(from, window);
    for (let q = k; q < next; q++) {
      offsets[q] = used;
      used += sortUniqueInto(window, at[positions[q]!]! - from, size[positions[q]!]!, packed, used);
    }
    k = next;
  }
  offsets[positions.length] = used;
  const recorded = new Int32Array(positions.length);
  for (let k = 0; k < positions.length; k++) {
    recorded[k] = part.local[positions[k]!]! + part.base;
  }
  return { indexes: recorded, offsets, values: packed.slice(0, used) };
}

/**
 * Records analysed together: their new texts are signed and tokenised at once (`tokenizeAll`), enough
 * that the Han runs not remembered make a call of the segmenter worth its start, few enough that what
 * the slice's records need dies before the collector runs.
 */
const SLICE = 128;

/** What a chunk's analysis gives, filled in slice by slice. */
interface ChunkOutput {
  count: number;
  reused: number;
  retained: Retained;
  bandKeys: Uint32Array;
  exactHashes: Uint32Array;
  shingleCounts: Uint32Array;
  /** Results as objects, as rows (strings and numbers, ROW_NUMBERS a record) or else as lines. */
  analyses: RecordAnalysis[] | null;
  rows: { strings: string[]; numbers: Float64Array } | null;
  ids: string[] | null;
  lines: LineWriter | null;
  idJson: LineWriter | null;
  /** Records left to an earlier one (`AnalyzeReply.copies`), three numbers each. */
  copies: number[];
}

/**
 * The shingles of a chunk, gathered slice by slice before they go to the set store in one piece; kept
 * from chunk to chunk, so that the memory is taken once.
 */
class Spool {
  private values = new Uint32Array(1 << 16);
  length = 0;

  /** Room for at least `count` values after those kept: a view of the spool from there on. */
  room(count: number): Uint32Array {
    this.reserve(count);
    return this.values.subarray(this.length);
  }

  /**
   * Keeps `values` after those kept (copied, unless they were written where `room` pointed); returns
   * where they start.
   */
  keep(values: Uint32Array): number {
    const at = this.length;
    const inPlace =
      values.buffer === this.values.buffer &&
      values.byteOffset === this.values.byteOffset + at * Uint32Array.BYTES_PER_ELEMENT;
    if (!inPlace) {
      this.reserve(values.length);
      this.values.set(values, at);
    }
    this.length += values.length;
    return at;
  }

  /** The values kept. */
  kept(): Uint32Array {
    return this.values.subarray(0, this.length);
  }

  private reserve(count: number): void {
    if (this.length + count > this.values.length) {
      const grown = new Uint32Array(Math.max(this.length + count, this.values.length * 2));
      grown.set(this.values.subarray(0, this.length));
      this.values = grown;
    }
  }
}

/** A scratch array of at least the length asked for, kept from call to call and grown by doubling. */
function reusedValues(): (length: number) => Uint32Array {
  let values = new Uint32Array(0);
  return (length) => {
    if (values.length < length) {
      values = new Uint32Array(Math.max(length, values.length * 2));
    }
    return values;
  };
}

/** Where sets are packed, reused from task to task. */
const packingSpace = reusedValues();
const windowSpace = reusedValues();

/** A scratch array of exactly `length` values for reading stored sets, reused from read to read. */
const readWindow = (length: number): Uint32Array => windowSpace(length).subarray(0, length);

/** Positions in a part of its texts by the thread that clusters them (those of thread 0 first). */
function byOwner(part: ChunkPart): [number, Int32Array][] {
  const { local, owners } = part;
  const all = Int32Array.from({ length: local.length }, (_, k) => k);
  if (owners === undefined) {
    return [[0, all]];
  }
  const groups: [number, Int32Array][] = [];
  for (const owner of [0, 1]) {
    const positions = all.filter((k) => owners[k] === owner);
    if (positions.length > 0) {
      groups.push([owner, positions]);
    }
  }
  return groups;
}

/** The records of an analyze task: given, or read from its JSON lines. */
function readRecords(task: AnalyzeTask): readonly AnalysisInput[] {
  if ('records' in task) {
    return task.records;
  }
  return readJsonLines(task.jsonl, { fields: task.fields, firstLine: task.firstLine, source: task.source });
}

function copyBandKeys(entry: Remembered, into: Uint32Array, at: number, bands: number): void {
  const from = entry.bandKeys;
  for (let b = 0; b < bands; b++) {
    into[at + b] = from[entry.bandKeysAt + b]!;
  }
}

const encoder = new TextEncoder();

/**
 * Strings as UTF-8, one after another, string k ending at byte `lineEnds[k]`: encoded as they come into
 * `buffer`, written from its start (a buffer kept from chunk to chunk: fresh memory costs a page fault
 * per page touched). At most `lines` strings are expected.
 */
class LineWriter {
  private count = 0;
  private readonly lineEnds: Uint32Array;

  constructor(
    lines: number,
    private readonly buffer: Utf8Buffer,
  ) {
    this.lineEnds = new Uint32Array(lines);
    buffer.used = 0;
  }

  add(line: string): void {
    this.buffer.write(line);
    this.lineEnds[this.count++] = this.buffer.used;
  }

  /** Adds a string already encoded: `length` bytes of `from` from `at`. */
  addBytes(from: Uint8Array, at: number, length: number): void {
    this.buffer.append(from, at, length);
    this.lineEnds[this.count++] = this.buffer.used;
  }

  finish(): { lines: Uint8Array; lineEnds: Uint32Array } {
    const { bytes, used } = this.buffer;
    return { lines: bytes.slice(0, used), lineEnds: this.lineEnds.subarray(0, this.count) };
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
