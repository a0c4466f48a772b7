/**
 * Reads a table of indicators (.xlsx or .csv with a header row, Chinese or English headers) and checks every
 * row. The first problem stops the import and names its row and column, so nothing half-imported is left.
 */
import { extname } from 'node:path';
import type { CsvError } from 'csv-parse/sync';
import { parse } from 'csv-parse/sync';
import { AppError } from '../domain/errors.ts';
import { readWorkbookRows } from './extract-text.ts';
import { decodeText } from './read-document.ts';

export type IndicatorKindValue = 'binding' | 'expected';

export interface IndicatorRow {
  /** The row's number in the file (the header is row 1 of a CSV, its own row of a sheet). */
  row: number;
  name: string;
  value: number;
  unit: string | null;
  year: number;
  region: string | null;
  source: string | null;
  kind: IndicatorKindValue;
}

type Column = 'name' | 'value' | 'unit' | 'year' | 'region' | 'source' | 'kind';

const HEADERS: Readonly<Record<Column, readonly string[]>> = {
  name: ['name', 'indicator', '指标', '指标名称', '名称'],
  value: ['value', 'target', '数值', '值', '指标值', '目标值'],
  unit: ['unit', '单位', '计量单位'],
  year: ['year', '年份', '年度', '年'],
  region: ['region', 'area', '地区', '区域'],
  source: ['source', '来源', '数据来源'],
  kind: ['kind', 'type', 'attribute', '属性', '指标属性', '类型', '性质'],
};

const REQUIRED: readonly Column[] = ['name', 'value', 'year', 'kind'];

const KINDS: Readonly<Record<string, IndicatorKindValue>> = {
  约束性: 'binding',
  binding: 'binding',
  约束: 'binding',
  预期性: 'expected',
  expected: 'expected',
  预期: 'expected',
};

const normalizeHeader = (header: string): string => header.normalize('NFKC').trim().toLowerCase();

function rowError(row: number, column: string, message: string): AppError {
  return new AppError('validation_failed', `Row ${row}, column "${column}": ${message}`, {
    field: 'file',
    row,
    column,
  });
}

/** Maps the header cells to columns; throws naming the first missing column. */
function mapHeader(cells: string[], row: number): Map<Column, number> {
  const found = new Map<Column, number>();
  cells.forEach((cell, index) => {
    const header = normalizeHeader(cell);
    for (const [column, names] of Object.entries(HEADERS) as [Column, readonly string[]][]) {
      if (!found.has(column) && names.includes(header)) {
        found.set(column, index);
      }
    }
  });
  for (const column of REQUIRED) {
    if (!found.has(column)) {
      throw rowError(
        row,
        HEADERS[column][1] ?? column,
        `the header row has no column "${column}" (${HEADERS[column].join(' / ')}).`,
      );
    }
  }
  return found;
}

/** Checks rows of cell texts, the first one being the header; empty rows are skipped. */
export function parseIndicatorRows(rows: { number: number; cells: string[] }[]): IndicatorRow[] {
  const nonEmpty = rows.filter((row) => row.cells.some((cell) => cell.trim() !== ''));
  const header = nonEmpty[0];
  if (!header) {
    throw new AppError(
      'empty_document',
      'The table is empty: it needs a header row and at least one indicator.',
      {
        field: 'file',
      },
    );
  }
  const columns = mapHeader(header.cells, header.number);
  const headerName = (column: Column): string => header.cells[columns.get(column) ?? -1]?.trim() ?? column;
  const cell = (cells: string[], column: Column): string => {
    const index = columns.get(column);
    return index === undefined ? '' : (cells[index] ?? '').normalize('NFKC').trim();
  };
  const result: IndicatorRow[] = [];
  for (const { number, cells } of nonEmpty.slice(1)) {
    const name = cell(cells, 'name');
    if (!name) {
      throw rowError(number, headerName('name'), 'the indicator needs a name.');
    }
    if (name.length > 200) {
      throw rowError(number, headerName('name'), 'the name is longer than 200 characters.');
    }
    let unit = cell(cells, 'unit') || null;
    let rawValue = cell(cells, 'value').replace(/[,\s]/g, '');
    if (rawValue.endsWith('%')) {
      rawValue = rawValue.slice(0, -1);
      unit ??= '%';
    }
    const value = rawValue === '' ? Number.NaN : Number(rawValue);
    if (!Number.isFinite(value)) {
      throw rowError(number, headerName('value'), `"${cell(cells, 'value')}" is not a number.`);
    }
    const rawYear = cell(cells, 'year').replace(/年$/, '');
    const year = /^\d{4}$/.test(rawYear) ? Number(rawYear) : Number.NaN;
    if (!Number.isInteger(year) || year < 1900 || year > 2200) {
      throw rowError(number, headerName('year'), `"${cell(cells, 'year')}" is not a year (e.g. 2025).`);
    }
    const rawKind = cell(cells, 'kind');
    const kind = KINDS[rawKind.toLowerCase()];
    if (!kind) {
      throw rowError(
        number,
        headerName('kind'),
        `"${rawKind}" is neither 约束性 (binding) nor 预期性 (expected).`,
      );
    }
    result.push({
      row: number,
      name,
      value,
      unit,
      year,
      region: cell(cells, 'region') || null,
      source: cell(cells, 'source') || null,
      kind,
    });
  }
  if (result.length === 0) {
    throw new AppError('empty_document', 'The table has a header row but no indicators.', { field: 'file' });
  }
  return result;
}

/** Reads an indicator table from .xlsx (its first sheet with rows) or .csv (UTF-8 or GB18030). */
export async function readIndicatorTable(input: { fileName: string; data: Buffer }): Promise<IndicatorRow[]> {
  const extension = extname(input.fileName).toLowerCase();
  if (extension === '.xlsx') {
    const sheets = await readWorkbookRows(input);
    const sheet = sheets.find((s) => s.rows.length > 0);
    return parseIndicatorRows(sheet?.rows ?? []);
  }
  if (extension === '.csv') {
    const text = decodeText(input);
    let records: string[][];
    try {
      const parsed: unknown = parse(text, { relax_column_count: true, skip_empty_lines: false, bom: true });
      records = parsed as string[][];
    } catch (error) {
      const line = Number((error as CsvError).lines);
      throw new AppError('invalid_csv', `${input.fileName} is not valid CSV near line ${line}.`, {
        field: 'file',
        row: line,
      });
    }
    return parseIndicatorRows(records.map((cells, index) => ({ number: index + 1, cells })));
  }
  throw new AppError('unsupported_type', 'Import indicators from an .xlsx or .csv file with a header row.', {
    field: 'file',
    fileName: input.fileName,
    allowed: ['.xlsx', '.csv'],
  });
}
