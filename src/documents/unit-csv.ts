import type { CsvError } from 'csv-parse/sync';
import { parse } from 'csv-parse/sync';
import type { UnitLevel } from '../server/db/schema.ts';

/*
 * Parses the unit directory CSV (单位名录) into rows. Pure: no database. What only the database can tell
 * (does a parent code exist, would a row form a cycle) is checked by the unit service.
 */

export interface UnitCsvRow {
  /** 1-based line of the file where the record starts (the header is line 1). */
  line: number;
  code: string;
  name: string;
  /** null: a root unit, or no parent_code column (the service then keeps an existing unit's parent). */
  parentCode: string | null;
  level: UnitLevel;
  /** null when the file has no such column: an existing unit keeps its list. */
  areas: string[] | null;
  keywords: string[] | null;
}

// A type alias, not an interface, so a list of problems can be an AppError's details as it is.
export type UnitCsvProblem = {
  row: number;
  field: string;
  problem: string;
};

export interface UnitCsvResult {
  rows: UnitCsvRow[];
  problems: UnitCsvProblem[];
  /** Whether the file has a parent_code column at all. */
  hasParentColumn: boolean;
  /** Every code the file defines, bad rows included: a child of a bad row is not also "unknown parent". */
  codes: string[];
}

type Column = 'code' | 'name' | 'parent_code' | 'level' | 'areas' | 'keywords';

const COLUMN_NAMES: Record<string, Column> = {
  code: 'code',
  name: 'name',
  parent_code: 'parent_code',
  level: 'level',
  areas: 'areas',
  keywords: 'keywords',
  编码: 'code',
  名称: 'name',
  上级编码: 'parent_code',
  层级: 'level',
  职责领域: 'areas',
  关键词: 'keywords',
};

const REQUIRED_COLUMNS: readonly Column[] = ['code', 'name', 'level'];

const LEVEL_NAMES: Record<string, UnitLevel> = {
  province: 'province',
  city: 'city',
  county: 'county',
  省: 'province',
  省级: 'province',
  市: 'city',
  市级: 'city',
  县: 'county',
  县级: 'county',
};

/** Unit codes are identifiers (行政区划代码, 统一社会信用代码, internal codes): no spaces, no separators. */
export const UNIT_CODE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const MAX_UNIT_NAME_LENGTH = 200;
export const MAX_LIST_ITEM_LENGTH = 100;
export const MAX_LIST_ITEMS = 200;

const LEVEL_RANK: Record<UnitLevel, number> = { province: 0, city: 1, county: 2 };

/** A child sits at the same level as its parent or below it (province > city > county). */
export const levelFitsUnder = (child: UnitLevel, parent: UnitLevel): boolean =>
  LEVEL_RANK[child] >= LEVEL_RANK[parent];

/** Reads 省/市/县, 省级/市级/县级 or province/city/county (any case); null when unknown. */
export function parseUnitLevel(value: string): UnitLevel | null {
  const key = value.trim();
  return LEVEL_NAMES[key] ?? LEVEL_NAMES[key.toLowerCase()] ?? null;
}

/** Splits a responsibility list on ; ； 、 or |, trimming and dropping empty and repeated items. */
export function splitResponsibilityList(value: string): string[] {
  return normalizeResponsibilityList(value.split(/[;；、|]/));
}

export function normalizeResponsibilityList(items: readonly string[]): string[] {
  return [...new Set(items.map((item) => item.trim()).filter((item) => item.length > 0))];
}

/** UTF-8 (with or without BOM); bytes that are not valid UTF-8 are read as GB18030, as Excel saves in China. */
export function decodeCsv(input: string | Uint8Array): string {
  if (typeof input === 'string') {
    return input.replace(/^\uFEFF/, '');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input);
  } catch {
    return new TextDecoder('gb18030').decode(input);
  }
}

function readList(value: string, field: 'areas' | 'keywords', line: number, problems: UnitCsvProblem[]) {
  const items = splitResponsibilityList(value);
  if (items.length > MAX_LIST_ITEMS) {
    problems.push({ row: line, field, problem: `more than ${MAX_LIST_ITEMS} items` });
  }
  const long = items.find((item) => item.length > MAX_LIST_ITEM_LENGTH);
  if (long !== undefined) {
    problems.push({
      row: line,
      field,
      problem: `item "${long.slice(0, 20)}…" is longer than ${MAX_LIST_ITEM_LENGTH} characters`,
    });
  }
  return items;
}

function readHeader(header: string[], problems: UnitCsvProblem[]): Map<Column, number> {
  const columns = new Map<Column, number>();
  header.forEach((raw, index) => {
    const title = raw.trim();
    const column = COLUMN_NAMES[title] ?? COLUMN_NAMES[title.toLowerCase()];
    if (!column) {
      problems.push({ row: 1, field: title || `column ${index + 1}`, problem: 'unknown column' });
    } else if (columns.has(column)) {
      problems.push({ row: 1, field: title, problem: 'repeated column' });
    } else {
      columns.set(column, index);
    }
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!columns.has(required)) {
      problems.push({ row: 1, field: required, problem: 'missing column' });
    }
  }
  return columns;
}

/** Parses the whole file and reports every problem found, each with its line number. */
export function parseUnitCsv(input: string | Uint8Array): UnitCsvResult {
  // Line breaks normalised first so csv-parse counts lines the same for \n, \r\n and \r files.
  const text = decodeCsv(input).replace(/\r\n?/g, '\n');
  const problems: UnitCsvProblem[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, csv-parse returns {record, info} objects; its typings only know plain records.
    records = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (error) {
    const lines = (error as Partial<CsvError>).lines;
    const message = error instanceof Error ? error.message : String(error);
    return {
      rows: [],
      problems: [{ row: typeof lines === 'number' ? lines : 1, field: 'file', problem: message }],
      hasParentColumn: false,
      codes: [],
    };
  }
  const withLines = records
    .map(({ record, info }) => ({
      record,
      // info.lines is where the record ends; a quoted field may span lines.
      line: info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0),
    }))
    .filter(({ record }) => record.some((field) => field.trim() !== ''));
  const [head, ...body] = withLines;
  if (!head) {
    return {
      rows: [],
      problems: [{ row: 1, field: 'file', problem: 'the file is empty (no header row)' }],
      hasParentColumn: false,
      codes: [],
    };
  }
  const columns = readHeader(head.record, problems);
  if (problems.length > 0) {
    return { rows: [], problems, hasParentColumn: columns.has('parent_code'), codes: [] };
  }
  const width = head.record.length;
  const seen = new Map<string, number>();
  const rows: UnitCsvRow[] = [];
  for (const { record, line } of body) {
    if (record.length !== width) {
      problems.push({
        row: line,
        field: 'columns',
        problem: `has ${record.length} columns, the header has ${width}`,
      });
      continue;
    }
    const cell = (column: Column): string | null => {
      const index = columns.get(column);
      return index === undefined ? null : (record[index] ?? '').trim();
    };
    const before = problems.length;
    const code = cell('code') ?? '';
    if (code === '') {
      problems.push({ row: line, field: 'code', problem: 'missing code' });
    } else if (!UNIT_CODE_PATTERN.test(code)) {
      problems.push({ row: line, field: 'code', problem: 'code must be 1–64 letters, digits or . _ -' });
    } else if (seen.has(code)) {
      problems.push({
        row: line,
        field: 'code',
        problem: `duplicate code "${code}" (first on line ${seen.get(code)})`,
      });
    } else {
      seen.set(code, line);
    }
    const name = cell('name') ?? '';
    if (name === '') {
      problems.push({ row: line, field: 'name', problem: 'missing name' });
    } else if (name.length > MAX_UNIT_NAME_LENGTH) {
      problems.push({ row: line, field: 'name', problem: `longer than ${MAX_UNIT_NAME_LENGTH} characters` });
    }
    const levelText = cell('level') ?? '';
    const level = parseUnitLevel(levelText);
    if (!level) {
      problems.push({
        row: line,
        field: 'level',
        problem:
          levelText === ''
            ? 'missing level'
            : `unknown level "${levelText}" (use 省/市/县 or province/city/county)`,
      });
    }
    const parentCode = cell('parent_code') || null;
    if (parentCode !== null && parentCode === code) {
      problems.push({ row: line, field: 'parent_code', problem: 'a unit cannot be its own parent' });
    }
    const areasText = cell('areas');
    const keywordsText = cell('keywords');
    const areas = areasText === null ? null : readList(areasText, 'areas', line, problems);
    const keywords = keywordsText === null ? null : readList(keywordsText, 'keywords', line, problems);
    if (problems.length === before && level) {
      rows.push({ line, code, name, parentCode, level, areas, keywords });
    }
  }
  return { rows, problems, hasParentColumn: columns.has('parent_code'), codes: [...seen.keys()] };
}
