/*
 * Records of a bulk intake read from JSON Lines or CSV rows: `{id, text, target?}` under configurable
 * field names, with errors that name the line at fault. Parsing happens where the records are analysed
 * (a worker thread for JSON Lines), so the reading thread only moves bytes.
 */
import { AppError } from '../../domain/errors.ts';
import type { AnalysisInput } from '../pipeline.ts';

export interface RecordFields {
  /** Field holding the record id (default "id"); null: the record's line number is its id. */
  id: string | null;
  /** Field holding the text (default "text"). */
  text: string;
  /** Field holding the stance target (default "target"); absent or empty means none. */
  target: string;
}

export const DEFAULT_RECORD_FIELDS: RecordFields = { id: 'id', text: 'text', target: 'target' };

/** Where a record came from, for error messages ("Line 12 of comments.jsonl …"). */
export interface RecordOrigin {
  /** Name of the file (for messages only). */
  source: string;
  line: number;
}

function fail(origin: RecordOrigin, message: string, field?: string): never {
  throw new AppError('validation_failed', `Line ${origin.line} of ${origin.source} ${message}.`, {
    line: origin.line,
    ...(field === undefined ? {} : { field }),
  });
}

function scalar(value: unknown): string | null {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  return null;
}

/**
 * One record from a parsed JSON object or CSV row. The id may be a string or a number (read as a
 * string); the text must be a string (possibly empty); the target a string, a number, null or absent.
 */
export function readRecord(row: unknown, fields: RecordFields, origin: RecordOrigin): AnalysisInput {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) {
    fail(origin, 'is not a JSON object');
  }
  const values = row as Record<string, unknown>;
  const text = values[fields.text];
  if (text === undefined) {
    fail(origin, `has no "${fields.text}" field (name the text field with --text-field)`, fields.text);
  }
  if (typeof text !== 'string') {
    fail(origin, `has no text in "${fields.text}" (not a string)`, fields.text);
  }
  let id = String(origin.line);
  if (fields.id !== null) {
    const value = scalar(values[fields.id]);
    if (value === null || value === '') {
      fail(origin, `has no id in "${fields.id}" (name the id field with --id-field)`, fields.id);
    }
    id = value;
  }
  const rawTarget = values[fields.target];
  const target = rawTarget === undefined || rawTarget === null ? null : scalar(rawTarget);
  if (target === null && rawTarget !== undefined && rawTarget !== null) {
    fail(origin, `has a "${fields.target}" that is neither text nor a number`, fields.target);
  }
  return { id, text, target: target === '' ? null : target };
}

/**
 * The records of a block of JSON Lines (whole lines, UTF-8; blank lines skipped), read one at a time:
 * a record is made only when asked for, so that a reader going through a large block holds few at once.
 * `firstLine` is the 1-based line number of the block's first line in its file.
 */
export class JsonLineReader {
  private readonly fields: RecordFields;
  private readonly origin: RecordOrigin;
  private readonly decoder = new TextDecoder();
  private start = 0;

  constructor(
    private readonly data: Uint8Array,
    options: { fields?: RecordFields; firstLine?: number; source?: string } = {},
  ) {
    this.fields = options.fields ?? DEFAULT_RECORD_FIELDS;
    this.origin = { source: options.source ?? 'input', line: options.firstLine ?? 1 };
  }

  /** The next record, or undefined after the last. */
  next(): AnalysisInput | undefined {
    const { data, origin } = this;
    while (this.start < data.length) {
      let end = data.indexOf(0x0a, this.start);
      if (end === -1) {
        end = data.length;
      }
      const line = this.decoder.decode(data.subarray(this.start, end));
      this.start = end + 1;
      if (line.trim() !== '') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch (error) {
          fail(origin, `is not valid JSON (${(error as Error).message})`);
        }
        const record = readRecord(parsed, this.fields, origin);
        origin.line++;
        return record;
      }
      origin.line++;
    }
    return undefined;
  }
}

/** All the records of a block of JSON Lines (see `JsonLineReader`). */
export function readJsonLines(
  data: Uint8Array,
  options: { fields?: RecordFields; firstLine?: number; source?: string } = {},
): AnalysisInput[] {
  const reader = new JsonLineReader(data, options);
  const records: AnalysisInput[] = [];
  for (let record = reader.next(); record !== undefined; record = reader.next()) {
    records.push(record);
  }
  return records;
}

/** Records of a block of JSON Lines given as text (see `readJsonLines`). */
export function parseJsonLines(
  block: string,
  options: { fields?: RecordFields; firstLine?: number; source?: string } = {},
): AnalysisInput[] {
  return readJsonLines(new TextEncoder().encode(block), options);
}
