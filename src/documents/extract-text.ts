/**
 * Reads the text of a data-library file (.pdf, .docx, .xlsx, .txt) into passages: paragraphs, with their
 * page for PDFs and their sheet and rows for workbooks. Passages are what search finds and citations open,
 * so a long paragraph is cut at sentence ends into pieces a reader can take in at a glance.
 */
import { extname } from 'node:path';
import ExcelJS from 'exceljs';
import { AppError } from '../domain/errors.ts';
import { decodeText, readDocument, textToBlocks } from './read-document.ts';

export type LibraryFileFormat = 'pdf' | 'docx' | 'xlsx' | 'txt';

export interface ExtractInput {
  fileName: string;
  data: Buffer;
}

export interface ExtractedPassage {
  text: string;
  /** PDF page, from 1; null for other formats. */
  page: number | null;
  /** Sheet name and row range of a workbook passage; null otherwise. */
  label: string | null;
}

export interface ExtractedText {
  format: LibraryFileFormat;
  contentType: string;
  passages: ExtractedPassage[];
  /** Pages of a PDF, sheets of a workbook; null for the others. */
  pageCount: number | null;
  charCount: number;
  /** What was dropped or guessed (encoding, images), in English. */
  warnings: string[];
}

const FORMATS: Readonly<Record<string, { format: LibraryFileFormat; contentType: string }>> = {
  '.pdf': { format: 'pdf', contentType: 'application/pdf' },
  '.docx': {
    format: 'docx',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  },
  '.xlsx': {
    format: 'xlsx',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  '.txt': { format: 'txt', contentType: 'text/plain; charset=utf-8' },
};

export const LIBRARY_EXTENSIONS: readonly string[] = Object.keys(FORMATS);

/** Longest passage kept whole; longer paragraphs are cut at sentence ends (or hard, failing those). */
export const MAX_PASSAGE_CHARS = 800;
/** Rows of a sheet per passage. */
const ROWS_PER_PASSAGE = 20;

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const PDF_MAGIC = Buffer.from('%PDF-');

/** The format a file name stands for; unsupported_type (415) for anything else. */
export function detectLibraryFormat(fileName: string): { format: LibraryFileFormat; contentType: string } {
  const extension = extname(fileName).toLowerCase();
  const found = FORMATS[extension];
  if (!found) {
    throw new AppError(
      'unsupported_type',
      `Unsupported file type ${extension === '' ? '(no extension)' : extension}: the data library takes .pdf, .docx, .xlsx and .txt.`,
      { field: 'file', fileName, extension, allowed: LIBRARY_EXTENSIONS },
    );
  }
  return found;
}

/** Extracts the passages of a file; invalid_document or empty_document (422) when there is no text to take. */
export async function extractText(input: ExtractInput): Promise<ExtractedText> {
  const { format, contentType } = detectLibraryFormat(input.fileName);
  const warnings: string[] = [];
  let pieces: ExtractedPassage[];
  let pageCount: number | null = null;
  if (format === 'pdf') {
    ({ pieces, pageCount } = await readPdf(input));
  } else if (format === 'xlsx') {
    ({ pieces, pageCount } = await readXlsx(input));
  } else if (format === 'docx') {
    const { blocks, warnings: found } = await readDocument(input);
    warnings.push(...found);
    pieces = blocks.map((block) => ({ text: block.text, page: null, label: null }));
  } else {
    pieces = textToBlocks(decodeText(input, warnings)).map((block) => ({
      text: block.text,
      page: null,
      label: null,
    }));
  }
  const passages = pieces.flatMap((piece) =>
    splitLongText(piece.text.trim()).map((text) => ({ ...piece, text })),
  );
  if (passages.length === 0) {
    const hint = format === 'pdf' ? ' It may be a scan without a text layer: upload a searchable PDF.' : '';
    throw new AppError('empty_document', `${input.fileName} contains no text.${hint}`, {
      field: 'file',
      fileName: input.fileName,
    });
  }
  const charCount = passages.reduce((sum, p) => sum + p.text.length, 0);
  return { format, contentType, passages, pageCount, charCount, warnings };
}

// Sentence ends after which a long paragraph may be cut, Chinese and Western.
const SENTENCE_END = /[。！？；!?;]|\.(?=\s)/g;

/** Cuts text longer than MAX_PASSAGE_CHARS at the last sentence end that fits, or hard where none does. */
export function splitLongText(text: string, max = MAX_PASSAGE_CHARS): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = 0;
    for (const match of window.matchAll(SENTENCE_END)) {
      cut = match.index + match[0].length;
    }
    if (cut < max / 4) {
      cut = max;
      // Never split a surrogate pair (an emoji, a rare Han character).
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) {
        cut -= 1;
      }
    }
    const head = rest.slice(0, cut).trim();
    if (head) {
      parts.push(head);
    }
    rest = rest.slice(cut).trimStart();
  }
  if (rest.trim()) {
    parts.push(rest.trim());
  }
  return parts;
}

function startsWith(data: Buffer, magic: Buffer): boolean {
  return data.length >= magic.length && data.subarray(0, magic.length).equals(magic);
}

function invalid(input: ExtractInput, what: string, cause?: unknown): AppError {
  const reason = cause instanceof Error ? ` (${cause.message})` : '';
  return new AppError('invalid_document', `${input.fileName} is not a valid ${what} file${reason}.`, {
    field: 'file',
    fileName: input.fileName,
  });
}

// ----------------------------------------------------------------------------------------------- pdf

const HAN_EDGE = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;

/** Joins two wrapped lines: Chinese has no space between words, Western text needs one. */
function joinLines(left: string, right: string): string {
  if (!left) {
    return right;
  }
  const last = left.at(-1) ?? '';
  const first = right[0] ?? '';
  return HAN_EDGE.test(last) || HAN_EDGE.test(first) || last === '-' ? left + right : `${left} ${right}`;
}

async function readPdf(input: ExtractInput): Promise<{ pieces: ExtractedPassage[]; pageCount: number }> {
  if (!startsWith(input.data, PDF_MAGIC)) {
    throw invalid(input, 'PDF');
  }
  // The legacy build runs in Node without a DOM; it is loaded only when a PDF arrives.
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = getDocument({
    data: new Uint8Array(input.data),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  try {
    const pdf = await task.promise;
    const pieces: ExtractedPassage[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      // Lines come as runs of items ending in hasEOL; a vertical gap well above the line height starts a
      // new paragraph, which is how a PDF shows one.
      let paragraph = '';
      let line = '';
      let lastY: number | null = null;
      let height = 0;
      const flushParagraph = () => {
        if (paragraph.trim()) {
          pieces.push({ text: paragraph.trim(), page: number, label: null });
        }
        paragraph = '';
      };
      for (const item of content.items) {
        if (!('str' in item)) {
          continue;
        }
        const y = item.transform[5] as number;
        if (item.str !== '') {
          if (line === '' && lastY !== null && height > 0 && Math.abs(lastY - y) > height * 1.8) {
            flushParagraph();
          }
          line += item.str;
          lastY = y;
          height = Math.max(item.height, 1);
        }
        if (item.hasEOL) {
          paragraph = joinLines(paragraph, line.trim());
          line = '';
        }
      }
      paragraph = joinLines(paragraph, line.trim());
      flushParagraph();
      page.cleanup();
    }
    const pageCount = pdf.numPages;
    await pdf.destroy();
    return { pieces, pageCount };
  } catch (error) {
    await task.destroy();
    if (error instanceof Error && error.name === 'PasswordException') {
      throw new AppError(
        'invalid_document',
        `${input.fileName} is protected by a password: upload it without.`,
        {
          field: 'file',
          fileName: input.fileName,
        },
      );
    }
    throw invalid(input, 'PDF', error);
  }
}

// ---------------------------------------------------------------------------------------------- xlsx

/** The shown text of a cell: formulas give their cached result, rich text its plain text, dates ISO days. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (value instanceof Date) {
    return value.toISOString().slice(0, 10);
  }
  if (typeof value === 'object') {
    if ('richText' in value) {
      return value.richText.map((run) => run.text).join('');
    }
    if ('result' in value) {
      return cellText(value.result);
    }
    if ('text' in value) {
      return String(value.text);
    }
    if ('error' in value) {
      return '';
    }
    return '';
  }
  return String(value);
}

/** Reads a workbook's sheets as rows of cell texts (trailing empty rows and cells dropped). */
export async function readWorkbookRows(
  input: ExtractInput,
): Promise<{ sheet: string; rows: { number: number; cells: string[] }[] }[]> {
  if (!startsWith(input.data, ZIP_MAGIC)) {
    throw invalid(input, '.xlsx');
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(input.data as unknown as ArrayBuffer);
  } catch (error) {
    throw invalid(input, '.xlsx', error);
  }
  return workbook.worksheets.map((sheet) => {
    const rows: { number: number; cells: string[] }[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, number) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, column) => {
        cells[column - 1] = cellText(cell.value).trim();
      });
      const filled = Array.from(cells, (cell) => cell ?? '');
      while (filled.length > 0 && filled.at(-1) === '') {
        filled.pop();
      }
      if (filled.length > 0) {
        rows.push({ number, cells: filled });
      }
    });
    return { sheet: sheet.name, rows };
  });
}

async function readXlsx(input: ExtractInput): Promise<{ pieces: ExtractedPassage[]; pageCount: number }> {
  const sheets = await readWorkbookRows(input);
  const pieces: ExtractedPassage[] = [];
  for (const { sheet, rows } of sheets) {
    for (let i = 0; i < rows.length; i += ROWS_PER_PASSAGE) {
      const group = rows.slice(i, i + ROWS_PER_PASSAGE);
      const first = group[0]?.number ?? 0;
      const last = group.at(-1)?.number ?? first;
      pieces.push({
        text: group.map((row) => row.cells.join('\t')).join('\n'),
        page: null,
        label: first === last ? `${sheet}!${first}` : `${sheet}!${first}-${last}`,
      });
    }
  }
  return { pieces, pageCount: sheets.length };
}
