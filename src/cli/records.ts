import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse';
import { AppError } from '../domain/errors.ts';

/*
 * Records of a CSV or JSON Lines file, streamed: a million comments are read without holding the file
 * twice. The format follows the extension (.csv, .tsv; .jsonl, .ndjson, .json), else the first byte.
 */

export type RecordFormat = 'csv' | 'tsv' | 'jsonl';
export type FileRecord = Record<string, unknown>;

const TEXT_FIELDS = ['text', 'comment', 'content', 'body', 'Comment', 'Text', '意见', '内容', '意见内容'];
const ID_FIELDS = ['id', 'ID', 'Id', 'Document ID', 'documentId', '编号', '序号'];

async function sniffFormat(path: string): Promise<RecordFormat> {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') {
    return 'csv';
  }
  if (ext === '.tsv') {
    return 'tsv';
  }
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') {
    return 'jsonl';
  }
  const stream = createReadStream(path, { start: 0, end: 63 });
  let head = '';
  for await (const chunk of stream) {
    head += String(chunk);
  }
  return head
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{')
    ? 'jsonl'
    : 'csv';
}

async function assertReadable(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isFile()) {
      throw new AppError('bad_request', `Not a file: ${path}`, { field: 'FILE' });
    }
  } catch (error) {
    if (error instanceof AppError) {
      throw error;
    }
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError(
      'bad_request',
      code === 'ENOENT' ? `No such file: ${path}` : `Cannot read ${path}: ${code ?? 'error'}`,
      {
        field: 'FILE',
      },
    );
  }
}

/** Bytes read at a time from a JSON Lines file. */
const READ_CHUNK = 4 * 1024 * 1024;

/** One line of a JSON Lines file as a record; a blank line is none. */
function jsonRecord(raw: string, line: number, path: string): FileRecord | null {
  const text = (line === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim();
  if (text === '') {
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('validation_failed', `Line ${line} of ${path} is not valid JSON.`, {
      field: 'FILE',
      line,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AppError('validation_failed', `Line ${line} of ${path} is not a JSON object.`, {
      field: 'FILE',
      line,
    });
  }
  return value as FileRecord;
}

/**
 * The records of a JSON Lines file, a block of the file at a time: lines end at LF, CRLF or a lone CR,
 * and a character split between two blocks is decoded whole.
 */
async function* jsonLineBatches(path: string): AsyncGenerator<{ record: FileRecord; line: number }[]> {
  let line = 0;
  let rest: Buffer | null = null;
  const take = (raw: string, batch: { record: FileRecord; line: number }[]): void => {
    // A lone CR ends a line too (a CR before LF is trimmed with the line).
    const pieces = raw.includes('\r') ? raw.replace(/\r$/, '').split('\r') : [raw];
    for (const piece of pieces) {
      line += 1;
      const record = jsonRecord(piece, line, path);
      if (record !== null) {
        batch.push({ record, line });
      }
    }
  };
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK })) {
    const data: Buffer = rest === null ? (chunk as Buffer) : Buffer.concat([rest, chunk as Buffer]);
    const batch: { record: FileRecord; line: number }[] = [];
    let start = 0;
    for (let end = data.indexOf(10, start); end !== -1; end = data.indexOf(10, start)) {
      take(data.toString('utf8', start, end), batch);
      start = end + 1;
    }
    rest = start < data.length ? data.subarray(start) : null;
    yield batch;
  }
  if (rest !== null) {
    const batch: { record: FileRecord; line: number }[] = [];
    take(rest.toString('utf8'), batch);
    yield batch;
  }
}

/** Records of a CSV or TSV file, as the parser gives them, in batches. */
async function* csvBatches(
  path: string,
  format: 'csv' | 'tsv',
): AsyncGenerator<{ record: FileRecord; line: number }[]> {
  const parser = createReadStream(path).pipe(
    parse({
      columns: true,
      bom: true,
      delimiter: format === 'tsv' ? '\t' : ',',
      relax_quotes: true,
      skip_empty_lines: true,
    }),
  );
  let line = 0;
  let batch: { record: FileRecord; line: number }[] = [];
  try {
    for await (const record of parser) {
      line += 1;
      batch.push({ record: record as FileRecord, line });
      if (batch.length >= 10_000) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    throw new AppError('validation_failed', `Cannot read ${path} as CSV: ${(error as Error).message}`, {
      field: 'FILE',
    });
  }
  yield batch;
}

/**
 * Every record of the file in order, in batches (a million records are read without a promise each);
 * `line` is the 1-based line (JSON Lines) or record number (CSV).
 */
export async function* readRecordBatches(
  path: string,
): AsyncGenerator<{ record: FileRecord; line: number }[]> {
  await assertReadable(path);
  const format = await sniffFormat(path);
  yield* format === 'jsonl' ? jsonLineBatches(path) : csvBatches(path, format);
}

/** Line feeds in `data`. */
export function countLines(data: Uint8Array): number {
  let n = 0;
  for (let at = data.indexOf(0x0a); at !== -1; at = data.indexOf(0x0a, at + 1)) {
    n++;
  }
  return n;
}

/**
 * About how many records a file holds, for progress: its lines (less a CSV's header; a CSV field may span
 * lines, so it may count a few too many).
 */
export async function estimateRecordCount(path: string): Promise<number> {
  await assertReadable(path);
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(path)) {
    const data = chunk as Buffer;
    lines += countLines(data);
    if (data.length > 0) {
      last = data[data.length - 1]!;
    }
  }
  if (last !== 0x0a) {
    lines++;
  }
  return (await sniffFormat(path)) === 'jsonl' || lines === 0 ? lines : lines - 1;
}

/** Every record of the file in order; `line` is the 1-based line (JSON Lines) or record number (CSV). */
export async function* readRecords(path: string): AsyncGenerator<{ record: FileRecord; line: number }> {
  for await (const batch of readRecordBatches(path)) {
    yield* batch;
  }
}

/** Picks the text and id fields: the named ones, or the first of the usual names the record has. */
export function resolveFields(
  record: FileRecord,
  wanted: { textField?: string | undefined; idField?: string | undefined },
  path: string,
): { textField: string; idField: string | null } {
  const keys = Object.keys(record);
  const textField = wanted.textField ?? TEXT_FIELDS.find((f) => keys.includes(f));
  if (textField === undefined || !keys.includes(textField)) {
    throw new AppError(
      'validation_failed',
      `${path} has no ${wanted.textField ? `"${wanted.textField}"` : 'text'} field (fields: ${keys.join(', ') || 'none'}); name it with --text-field.`,
      { field: 'text-field' },
    );
  }
  if (wanted.idField !== undefined && !keys.includes(wanted.idField)) {
    throw new AppError(
      'validation_failed',
      `${path} has no "${wanted.idField}" field (fields: ${keys.join(', ')}).`,
      {
        field: 'id-field',
      },
    );
  }
  return { textField, idField: wanted.idField ?? ID_FIELDS.find((f) => keys.includes(f)) ?? null };
}

/** A field's value as text: strings as they are, numbers written out, nothing else. */
export function fieldText(value: unknown): string | null {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    return String(value);
  }
  return null;
}
