/*
 * `concord analyze --in FILE --out OUT.jsonl`: the analysis of a file of comments without a database.
 * Each input record `{id, text, target?}` (CSV with a header row, or JSON Lines) gives one output line, in
 * input order: `{id, cluster, clusterSize, duplicateOf, topics, stance, quality, keyphrases, figures}`.
 * With `--train LABELS --task topic|stance` the task is first learned from labelled records
 * `{id, text, label, target?}` (stance per target where targets are given; for topics the labels found
 * are the taxonomy).
 *
 * JSON Lines are handed to the workers as raw blocks of lines, parsed there: this thread only reads,
 * clusters and writes. CSV rows, whose quoted fields may span lines, are parsed here.
 */
import { open, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { AppError } from '../domain/errors.ts';
import type { CorpusChunk, CorpusProgress, CorpusSummary } from '../analysis/pipeline.ts';
import { analyzeCorpusToJsonLines } from '../analysis/pipeline.ts';
import type { AnalysisInput } from '../analysis/pipeline.ts';
import type { RecordFields } from '../analysis/parallel/records.ts';
import { readRecord } from '../analysis/parallel/records.ts';
import type { Stance } from '../analysis/stance/lexicon.ts';
import type { StanceModel } from '../analysis/stance/model.ts';
import { trainStanceModel } from '../analysis/stance/model.ts';
import type { TokenizedText } from '../analysis/tokenize.ts';
import { tokenize, tokenizeAll } from '../analysis/tokenize.ts';
import type { TopicModel } from '../analysis/topics/model.ts';
import { UNLABELLED_LIMIT, trainTopicModel } from '../analysis/topics/model.ts';
import type { Taxonomy } from '../analysis/topics/taxonomy.ts';
import { DEFAULT_MIN_LABELS } from '../analysis/topics/taxonomy.ts';
import { progressReporter } from './import-comments-command.ts';
import type { Output } from './output.ts';
import type { FileRecord } from './records.ts';
import { countLines, fieldText, readRecords, resolveFields } from './records.ts';

type Task = 'topic' | 'stance';

interface AnalyzeOptions {
  in: string;
  out: string;
  train?: string;
  task?: Task;
  textField?: string;
  idField?: string;
  targetField: string;
  threshold: number;
  workers?: number;
  links?: boolean;
  linkCandidates?: number;
}

/** JSON Lines are read and handed to the workers in blocks of about this many bytes. */
const BLOCK_BYTES = 1 << 20;
/** CSV records per chunk. */
const CSV_CHUNK = 2000;

const STANCE_NAMES: Record<string, Stance> = {
  support: 'support',
  favor: 'support',
  favour: 'support',
  pro: 'support',
  支持: 'support',
  赞成: 'support',
  oppose: 'oppose',
  against: 'oppose',
  con: 'oppose',
  反对: 'oppose',
  modify: 'modify',
  amend: 'modify',
  修改: 'modify',
  none: 'none',
  neutral: 'none',
  中立: 'none',
  无: 'none',
};

function parseThreshold(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 1)) {
    throw new AppError('validation_failed', '--threshold takes a number in (0, 1], e.g. 0.8.', {
      field: 'threshold',
    });
  }
  return n;
}

/** A parser of option `--name` taking a whole number from `min` to `max`. */
function wholeNumber(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new AppError('validation_failed', `--${name} takes a whole number from ${min} to ${max}.`, {
        field: name,
      });
    }
    return n;
  };
}

const parseWorkers = wholeNumber('workers', 0, 64);
const parseLinkCandidates = wholeNumber('link-candidates', 1, 10_000);

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) {
      throw new AppError('bad_request', `Not a file: ${path}`, { field: 'in' });
    }
    return info.size;
  } catch (error) {
    if (error instanceof AppError) {
      throw error;
    }
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError(
      'bad_request',
      code === 'ENOENT' ? `No such file: ${path}` : `Cannot read ${path}: ${code ?? 'error'}`,
      { field: 'in' },
    );
  }
}

/** JSON Lines by extension (.jsonl, .ndjson, .json) or, failing one, by a first character "{". */
async function isJsonLines(path: string): Promise<boolean> {
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') {
    return true;
  }
  if (ext === '.csv' || ext === '.tsv') {
    return false;
  }
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/u, '')
      .trimStart()
      .startsWith('{');
  } finally {
    await handle.close();
  }
}

/** The fields of a file's records, from its first one (the text and id fields may be guessed). */
function recordFields(
  record: FileRecord,
  wanted: { textField?: string; idField?: string; targetField: string },
  path: string,
): RecordFields {
  const resolved = resolveFields(record, wanted, path);
  return { text: resolved.textField, id: resolved.idField, target: wanted.targetField };
}

/** The field names of a JSON Lines file, from its first record (the text field may be guessed). */
async function jsonLinesFields(
  path: string,
  wanted: { textField?: string; idField?: string; targetField: string },
): Promise<RecordFields> {
  for await (const { record } of readRecords(path)) {
    return recordFields(record, wanted, path);
  }
  throw new AppError('validation_failed', `${path} holds no records.`, { field: 'in' });
}

/** Blocks of whole lines of a JSON Lines file, each in its own buffer (moved to a worker, not copied). */
async function* jsonLinesBlocks(path: string, fields: RecordFields): AsyncGenerator<CorpusChunk> {
  const handle = await open(path, 'r');
  try {
    let carry: Uint8Array = new Uint8Array(0);
    let line = 1;
    for (;;) {
      const block = new Uint8Array(carry.length + BLOCK_BYTES);
      block.set(carry);
      const { bytesRead } = await handle.read(block, carry.length, BLOCK_BYTES, null);
      const filled = carry.length + bytesRead;
      const end = bytesRead === 0 ? filled : block.subarray(0, filled).lastIndexOf(0x0a) + 1;
      if (end > 0) {
        // Everything is taken from the block before it is handed over: its memory moves to a worker.
        const lines = block.subarray(0, end);
        const firstLine = line;
        line += countLines(lines);
        carry = block.slice(end, filled);
        yield {
          jsonl: lines,
          firstLine,
          fields,
          source: path,
          weight: end,
        };
      } else {
        carry = block.subarray(0, filled);
      }
      if (bytesRead === 0) {
        return;
      }
    }
  } finally {
    await handle.close();
  }
}

/** Chunks of CSV records, parsed on this thread. */
async function* csvChunks(
  path: string,
  wanted: { textField?: string; idField?: string; targetField: string },
): AsyncGenerator<CorpusChunk> {
  let fields: RecordFields | null = null;
  let records: AnalysisInput[] = [];
  let weight = 0;
  for await (const { record, line } of readRecords(path)) {
    if (fields === null) {
      fields = recordFields(record, wanted, path);
    }
    const input = readRecord(record, fields, { source: path, line });
    records.push(input);
    // Progress counts bytes, roughly: the record's characters.
    weight += input.text.length + input.id.length + 3;
    if (records.length === CSV_CHUNK) {
      yield { records, weight };
      records = [];
      weight = 0;
    }
  }
  if (records.length > 0) {
    yield { records, weight };
  }
}

interface LabelledRecord {
  text: string;
  target: string | null;
  labels: string[];
  line: number;
}

function labelsOf(value: unknown): string[] | null {
  if (Array.isArray(value)) {
    const labels = value.map(fieldText);
    return labels.every((l): l is string => l !== null) ? labels.map((l) => l.trim()).filter(Boolean) : null;
  }
  const label = fieldText(value);
  return label === null ? null : [label.trim()].filter(Boolean);
}

async function readLabels(
  path: string,
  wanted: { textField?: string; targetField: string },
): Promise<LabelledRecord[]> {
  await fileSize(path);
  const out: LabelledRecord[] = [];
  let textField: string | null = null;
  for await (const { record, line } of readRecords(path)) {
    textField ??= resolveFields(record, wanted, path).textField;
    const text = fieldText(record[textField]);
    if (text === null) {
      throw new AppError('validation_failed', `Line ${line} of ${path} has no text in "${textField}".`, {
        field: textField,
        line,
      });
    }
    const labels = labelsOf(record.label);
    if (labels === null || labels.length === 0) {
      throw new AppError('validation_failed', `Line ${line} of ${path} has no "label".`, {
        field: 'label',
        line,
      });
    }
    out.push({ text, target: fieldText(record[wanted.targetField]) || null, labels, line });
  }
  if (out.length === 0) {
    throw new AppError('validation_failed', `${path} holds no labelled records.`, { field: 'train' });
  }
  return out;
}

function trainStance(path: string, labelled: readonly LabelledRecord[]): StanceModel {
  const examples = labelled.map((record) => {
    const name = record.labels[0]!;
    const stance = STANCE_NAMES[name.toLowerCase()];
    if (stance === undefined) {
      throw new AppError(
        'validation_failed',
        `Line ${record.line} of ${path}: "${name}" is not a stance (support, oppose, modify, none; FAVOR, AGAINST, NONE).`,
        { field: 'label', line: record.line },
      );
    }
    return { doc: tokenize(record.text), target: record.target ?? '', stance };
  });
  if (new Set(examples.map((e) => e.stance)).size < 2) {
    throw new AppError('validation_failed', `${path}: stance labels need at least two different stances.`, {
      field: 'train',
    });
  }
  return trainStanceModel(examples);
}

/**
 * The texts of the first `limit` records of the file to analyse: a topic model reads them unlabelled (their
 * words' idf, and a refinement of its probabilities), as it reads a round's opinions in the app.
 */
async function readUnlabelled(
  path: string,
  wanted: { textField?: string; idField?: string; targetField: string },
  limit: number,
): Promise<TokenizedText[]> {
  const texts: string[] = [];
  let fields: RecordFields | null = null;
  for await (const { record, line } of readRecords(path)) {
    if (texts.length >= limit) {
      break;
    }
    if (fields === null) {
      fields = recordFields(record, wanted, path);
    }
    texts.push(readRecord(record, fields, { source: path, line }).text);
  }
  return tokenizeAll(texts);
}

function trainTopics(
  path: string,
  labelled: readonly LabelledRecord[],
  unlabelled: readonly TokenizedText[],
  out: Output,
): { taxonomy: Taxonomy; model: TopicModel } {
  const counts = new Map<string, number>();
  for (const record of labelled) {
    for (const label of new Set(record.labels)) {
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
  }
  const taxonomy: Taxonomy = { topics: [...counts.keys()].map((id) => ({ id, name: id })) };
  for (const [label, n] of counts) {
    if (n < DEFAULT_MIN_LABELS) {
      out.info(`warning: topic "${label}" has ${n} labels (fewer than ${DEFAULT_MIN_LABELS}): not learned`);
    }
  }
  const model = trainTopicModel({
    taxonomy,
    labelled: labelled.map((record) => ({ doc: tokenize(record.text), labels: record.labels })),
    unlabelled,
  });
  if (model === null) {
    throw new AppError(
      'validation_failed',
      `${path}: no topic has enough labels to learn from (${DEFAULT_MIN_LABELS} each, and records of other topics).`,
      { field: 'train' },
    );
  }
  return { taxonomy, model };
}

async function writeAll(handle: FileHandle, data: Uint8Array): Promise<void> {
  let at = 0;
  while (at < data.length) {
    const { bytesWritten } = await handle.write(data, at, data.length - at);
    at += bytesWritten;
  }
}

const PHASE_NAMES: Record<CorpusProgress['phase'], string> = {
  analyze: 'analysing ',
  verify: 'verifying ',
  cluster: 'clustering',
  link: 'linking   ',
  write: 'writing   ',
};

function describe(summary: CorpusSummary & { out: string; seconds: { total: number } }): string {
  const n = (value: number): string => value.toLocaleString('en-US');
  return [
    `Analysed ${n(summary.records)} records in ${summary.seconds.total.toFixed(1)} s (${summary.workers} workers); wrote ${summary.out}`,
    `Near-duplicate clusters: ${n(summary.clusters)} holding ${n(summary.clusteredRecords)} records` +
      (summary.largestClusters.length > 0 ? ` (largest ${summary.largestClusters.map(n).join(', ')})` : '') +
      `; exact duplicates: ${n(summary.exactDuplicates)}`,
    ...(summary.links === undefined
      ? []
      : [
          `Near-duplicate links between records the clusters keep apart: ${n(summary.links.pairs)} (${n(summary.links.verifications)} comparisons, ${summary.links.seconds.toFixed(1)} s)`,
        ]),
  ].join('\n');
}

async function runAnalyze(opts: AnalyzeOptions, out: Output): Promise<void> {
  const started = performance.now();
  if ((opts.train === undefined) !== (opts.task === undefined)) {
    throw new AppError(
      'validation_failed',
      '--train and --task go together (--train LABELS.jsonl --task topic|stance).',
      {
        field: opts.train === undefined ? 'train' : 'task',
      },
    );
  }
  if (opts.linkCandidates !== undefined && opts.links !== true) {
    throw new AppError('validation_failed', '--link-candidates goes with --links.', {
      field: 'link-candidates',
    });
  }
  const size = await fileSize(opts.in);
  const wanted = {
    ...(opts.textField === undefined ? {} : { textField: opts.textField }),
    ...(opts.idField === undefined ? {} : { idField: opts.idField }),
    targetField: opts.targetField,
  };
  let stanceModel: StanceModel | null = null;
  let topics: { taxonomy: Taxonomy; model: TopicModel } | null = null;
  if (opts.train !== undefined) {
    const labelled = await readLabels(opts.train, wanted);
    if (opts.task === 'stance') {
      stanceModel = trainStance(opts.train, labelled);
      out.info(`learned stance from ${labelled.length} labelled records of ${opts.train}`);
    } else {
      const unlabelled = await readUnlabelled(opts.in, wanted, UNLABELLED_LIMIT);
      topics = trainTopics(opts.train, labelled, unlabelled, out);
      out.info(
        `learned topic from ${labelled.length} labelled records of ${opts.train} and ${unlabelled.length} unlabelled of ${opts.in}`,
      );
    }
  }
  const source = (await isJsonLines(opts.in))
    ? jsonLinesBlocks(opts.in, await jsonLinesFields(opts.in, wanted))
    : csvChunks(opts.in, wanted);
  let handle: FileHandle;
  try {
    handle = await open(opts.out, 'w');
  } catch (error) {
    throw new AppError(
      'bad_request',
      `Cannot write ${opts.out}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      {
        field: 'out',
      },
    );
  }
  const progress = progressReporter(out);
  let summary: CorpusSummary;
  try {
    summary = await analyzeCorpusToJsonLines(source, {
      threshold: opts.threshold,
      ...(opts.workers === undefined ? {} : { workers: opts.workers }),
      links: opts.links === true,
      ...(opts.linkCandidates === undefined ? {} : { linkCandidates: opts.linkCandidates }),
      stanceModel,
      taxonomy: topics?.taxonomy ?? null,
      topicModel: topics?.model ?? null,
      total: size,
      onProgress: (p) => progress.update(PHASE_NAMES[p.phase], p.done, p.total),
      write: (data) => writeAll(handle, data),
    });
    await handle.close();
  } catch (error) {
    await handle.close();
    await rm(opts.out, { force: true });
    throw error;
  } finally {
    progress.stop();
  }
  // Peak resident memory of the whole process, worker threads included (they share it).
  const maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  const result = {
    ...summary,
    out: opts.out,
    maxRssMiB,
    seconds: { ...summary.seconds, total: Number(((performance.now() - started) / 1000).toFixed(3)) },
  };
  out.result(result, () => `${describe(result)}\npeak memory ${maxRssMiB} MiB`);
}

/** Registers `concord analyze`. */
export function registerAnalyzeCommand(program: Command, tools: { output: () => Output }): void {
  program
    .command('analyze')
    .description(
      'analyse a CSV or JSON Lines file of comments {id, text, target?}: near-duplicates, topics, stance, quality, key phrases, figures',
    )
    .requiredOption('--in <file>', 'comments: CSV with a header row, or JSON Lines')
    .requiredOption('--out <file>', 'where to write the results, one JSON line per comment')
    .option(
      '--train <file>',
      `labelled records {id, text, label, target?} to learn --task from first (topics also read the first ${UNLABELLED_LIMIT.toLocaleString('en-US')} input records unlabelled)`,
    )
    .addOption(new Option('--task <task>', 'what --train teaches').choices(['topic', 'stance']))
    .option('--text-field <name>', 'field holding the text (default: text, comment, content, 意见 …)')
    .option('--id-field <name>', 'field holding the id (default: id; else the line number)')
    .option('--target-field <name>', 'field holding what the stance is toward', 'target')
    .option('--threshold <j>', 'near-duplicate threshold: Jaccard of character 5-grams', parseThreshold, 0.8)
    .option('--workers <n>', 'worker threads (default: one per core; 0: none)', parseWorkers)
    .option(
      '--links',
      'also list, per comment, the earlier comments outside its cluster that are near-duplicates of it (similarTo)',
    )
    .option(
      '--link-candidates <n>',
      'with --links: earlier comments compared with each comment at most (default 32)',
      parseLinkCandidates,
    )
    .action(async (opts: AnalyzeOptions) => {
      await runAnalyze(opts, tools.output());
    });
}
