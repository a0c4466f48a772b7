/**
 * Reads a draft file (.docx, Markdown, plain text) into blocks and parses its clause tree.
 */
import { extname } from 'node:path';
import mammoth from 'mammoth';
import { NodeType, parse as parseHtml } from 'node-html-parser';
import type { HTMLElement, Node as HtmlNode } from 'node-html-parser';
import type { Block, ParsedDocument } from '../domain/clause.ts';
import { normalizeBlockText, parseClauses } from '../domain/clause-parser.ts';
import { AppError } from '../domain/errors.ts';
import { dropHtmlComments, parseAtxHeading, stripImages, stripLinks, stripTags } from './markdown-inline.ts';

export type DocumentFormat = 'docx' | 'markdown' | 'text';

export interface DocumentInput {
  fileName: string;
  data: Buffer;
}

export interface ReadDocumentResult {
  format: DocumentFormat;
  blocks: Block[];
  /** Things the reader dropped or guessed (footnotes, images, encoding), in English. */
  warnings: string[];
}

export type ImportedDocument = ParsedDocument & { format: DocumentFormat };

const EXTENSIONS: Readonly<Record<string, DocumentFormat>> = {
  '.docx': 'docx',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
};

export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(EXTENSIONS);

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);
const PDF_MAGIC = Buffer.from('%PDF');

/** The format a file name's extension stands for; throws unsupported_type for anything else. */
export function detectFormat(fileName: string): DocumentFormat {
  const extension = extname(fileName).toLowerCase();
  const format = EXTENSIONS[extension];
  if (format === undefined) {
    const hint =
      extension === '.doc' || extension === '.wps'
        ? ' Save the file as .docx and upload it again.'
        : extension === '.pdf'
          ? ' Upload the .docx or text version of the draft instead.'
          : '';
    throw new AppError(
      'unsupported_type',
      `Unsupported file type ${extension === '' ? '(no extension)' : extension}: use .docx, .md or .txt.${hint}`,
      { field: 'file', fileName, extension, allowed: SUPPORTED_EXTENSIONS },
    );
  }
  return format;
}

/** Reads a draft into heading and paragraph blocks. */
export async function readDocument(input: DocumentInput): Promise<ReadDocumentResult> {
  const format = detectFormat(input.fileName);
  const warnings: string[] = [];
  let blocks: Block[];
  if (format === 'docx') {
    blocks = await readDocx(input, warnings);
  } else {
    const text = decodeText(input, warnings);
    blocks = format === 'markdown' ? markdownToBlocks(text) : textToBlocks(text);
  }
  blocks = blocks.map((b) => ({ ...b, text: normalizeBlockText(b.text) })).filter((b) => b.text !== '');
  if (blocks.length === 0) {
    throw new AppError('empty_document', `${input.fileName} contains no text.`, {
      field: 'file',
      fileName: input.fileName,
    });
  }
  return { format, blocks, warnings };
}

/** Reads and parses a draft; throws empty_document when no clause is left once the title is taken. */
export async function importDraftDocument(input: DocumentInput): Promise<ImportedDocument> {
  const { format, blocks, warnings } = await readDocument(input);
  const parsed = parseClauses(blocks);
  if (parsed.clauses.length === 0) {
    throw new AppError('empty_document', `${input.fileName} contains a title but no clauses.`, {
      field: 'file',
      fileName: input.fileName,
    });
  }
  return { ...parsed, warnings: [...warnings, ...parsed.warnings], format };
}

// ---------------------------------------------------------------------------------------------- text

/**
 * UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (which also covers GBK and GB2312 files saved
 * by older Chinese Windows software).
 */
export function decodeText(input: DocumentInput, warnings: string[] = []): string {
  const data = input.data;
  if (startsWith(data, ZIP_MAGIC) || startsWith(data, OLE_MAGIC) || startsWith(data, PDF_MAGIC)) {
    throw new AppError(
      'invalid_document',
      `${input.fileName} is a binary file (Word, zip or PDF), not text. Upload it with its real extension.`,
      { field: 'file', fileName: input.fileName },
    );
  }
  let text: string;
  if (data[0] === 0xff && data[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(data.subarray(2));
  } else if (data[0] === 0xfe && data[1] === 0xff) {
    text = new TextDecoder('utf-16be').decode(data.subarray(2));
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(data);
    } catch {
      text = new TextDecoder('gb18030').decode(data);
      warnings.push(`${input.fileName} is not UTF-8; it was read as GB18030 (GBK).`);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
  }
  if (text.includes('\u0000')) {
    throw new AppError('invalid_document', `${input.fileName} contains binary data, not text.`, {
      field: 'file',
      fileName: input.fileName,
    });
  }
  return text;
}

function startsWith(data: Buffer, magic: Buffer): boolean {
  return data.length >= magic.length && data.subarray(0, magic.length).equals(magic);
}

function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n|\u2028|\u2029/);
}

/** Plain text: one paragraph per non-empty line. */
export function textToBlocks(text: string): Block[] {
  return splitLines(text)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line): Block => ({ type: 'paragraph', text: line }));
}

const TABLE_SEPARATOR_RE = /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/**
 * Markdown: `#` lines (and setext underlines) are headings, HTML comments and code fences are dropped, every
 * other non-empty line is a paragraph; list bullets, quotes, emphasis and links are reduced to their text;
 * table rows become tab-separated paragraphs.
 */
export function markdownToBlocks(markdown: string): Block[] {
  const lines = splitLines(dropHtmlComments(markdown));
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const line = raw.trim();
    if (line === '' || /^(`{3,}|~{3,})/.test(line)) {
      continue;
    }
    const atx = parseAtxHeading(line);
    if (atx !== null) {
      blocks.push({ type: 'heading', level: atx.level, text: stripInline(atx.text) });
      continue;
    }
    if (/^([-*_])(\s*\1){2,}$/.test(line)) {
      continue; // thematic break
    }
    const underline = (lines[i + 1] ?? '').trim();
    if (/^=+$/.test(underline) || (/^-+$/.test(underline) && !line.startsWith('|'))) {
      blocks.push({ type: 'heading', level: underline.startsWith('=') ? 1 : 2, text: stripInline(line) });
      i += 1;
      continue;
    }
    if (line.startsWith('|')) {
      if (TABLE_SEPARATOR_RE.test(line)) {
        continue;
      }
      const cells = line
        .replace(/^\|/, '')
        .replace(/\|\s*$/, '')
        .split(/(?<!\\)\|/)
        .map((cell) => stripInline(cell.trim()));
      blocks.push({ type: 'paragraph', text: cells.join('\t') });
      continue;
    }
    const body = line.replace(/^(>\s*)+/, '').replace(/^[-*+]\s+(\[[ xX]\]\s+)?/, '');
    blocks.push({ type: 'paragraph', text: stripInline(body) });
  }
  return blocks;
}

function stripInline(text: string): string {
  return stripTags(stripLinks(stripImages(text)).replace(/<br\s*\/?>/gi, ' '))
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(?<![*\w])\*(?=\S)([^*]*?\S)\*(?![*\w])/g, '$1')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

// ---------------------------------------------------------------------------------------------- docx

/** Word styles that mammoth does not map by default: the title, Chinese heading names, the table of contents. */
const STYLE_MAP = [
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='标题'] => h1:fresh",
  "p[style-name='标题 1'] => h1:fresh",
  "p[style-name='标题 2'] => h2:fresh",
  "p[style-name='标题 3'] => h3:fresh",
  "p[style-name='标题 4'] => h4:fresh",
  "p[style-name='标题 5'] => h5:fresh",
  "p[style-name='标题 6'] => h6:fresh",
  // A table of contents would repeat every chapter: its paragraphs are dropped.
  "p[style-name='TOC Heading'] => !",
  ...Array.from({ length: 9 }, (_, i) => [
    `p[style-name='toc ${i + 1}'] => !`,
    `p[style-name='TOC ${i + 1}'] => !`,
  ]).flat(),
];

async function readDocx(input: DocumentInput, warnings: string[]): Promise<Block[]> {
  if (!startsWith(input.data, ZIP_MAGIC)) {
    const legacy = startsWith(input.data, OLE_MAGIC)
      ? ' It looks like an old .doc or an encrypted file: save it as .docx without a password.'
      : '';
    throw new AppError('invalid_document', `${input.fileName} is not a valid .docx file.${legacy}`, {
      field: 'file',
      fileName: input.fileName,
    });
  }
  let html: string;
  let images = 0;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: input.data },
      {
        styleMap: STYLE_MAP,
        // Never follow links from the document to files on this machine.
        externalFileAccess: false,
        convertImage: mammoth.images.imgElement(() => {
          images += 1;
          return Promise.resolve({ src: '' });
        }),
      },
    );
    html = result.value;
  } catch (error) {
    throw new AppError('invalid_document', `${input.fileName} is not a valid .docx file.`, {
      field: 'file',
      fileName: input.fileName,
      reason: error instanceof Error ? error.message : String(error),
    });
  }
  if (images > 0) {
    warnings.push(`${images} image(s) in ${input.fileName} were ignored.`);
  }
  return htmlToBlocks(html, warnings);
}

const HEADING_TAG = /^h([1-6])$/;
const BLOCK_TAGS = new Set([
  'p',
  'li',
  'ul',
  'ol',
  'table',
  'div',
  'blockquote',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);

/** mammoth's HTML → blocks: h1–h6 headings, p/li paragraphs, one tab-separated paragraph per table row. */
export function htmlToBlocks(html: string, warnings: string[] = []): Block[] {
  const root = parseHtml(html);
  const blocks: Block[] = [];
  let notes = 0;
  let autoNumbered = 0;

  const isElement = (node: HtmlNode): node is HTMLElement => node.nodeType === NodeType.ELEMENT_NODE;
  const tagOf = (el: HTMLElement): string => (el.rawTagName ?? '').toLowerCase();

  /** Inline text of an element; <br> splits lines; nested lists and footnote references are skipped. */
  const inlineText = (node: HtmlNode): string => {
    if (!isElement(node)) {
      return node.nodeType === NodeType.TEXT_NODE ? node.text : '';
    }
    const tag = tagOf(node);
    if (tag === 'br') {
      return '\n';
    }
    if (tag === 'ul' || tag === 'ol' || tag === 'table') {
      return '';
    }
    if (tag === 'a' && /^#(footnote|endnote|comment)-/.test(node.getAttribute('href') ?? '')) {
      return '';
    }
    return node.childNodes.map(inlineText).join('');
  };

  const pushParagraphs = (text: string): void => {
    for (const line of text.split('\n')) {
      blocks.push({ type: 'paragraph', text: line });
    }
  };

  const cellText = (cell: HTMLElement): string => {
    const parts: string[] = [];
    const collect = (node: HtmlNode): void => {
      if (isElement(node) && BLOCK_TAGS.has(tagOf(node))) {
        if (tagOf(node) === 'p' || HEADING_TAG.test(tagOf(node)) || tagOf(node) === 'li') {
          parts.push(inlineText(node).replace(/\n/g, ' '));
        }
        node.childNodes.filter((c) => isElement(c) && BLOCK_TAGS.has(tagOf(c))).forEach(collect);
        return;
      }
      parts.push(inlineText(node).replace(/\n/g, ' '));
    };
    cell.childNodes.forEach(collect);
    return parts
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .join(' ');
  };

  const visitTable = (table: HTMLElement): void => {
    const rows = table.querySelectorAll('tr').filter((tr) => tr.closest('table') === table);
    for (const row of rows) {
      const cells = row.childNodes.filter(
        (c): c is HTMLElement => isElement(c) && (tagOf(c) === 'td' || tagOf(c) === 'th'),
      );
      const text = cells
        .map(cellText)
        .filter((t) => t !== '')
        .join('\t');
      if (text !== '') {
        blocks.push({ type: 'paragraph', text });
      }
    }
  };

  const visit = (node: HtmlNode): void => {
    if (!isElement(node)) {
      if (node.nodeType === NodeType.TEXT_NODE && node.text.trim() !== '') {
        pushParagraphs(node.text);
      }
      return;
    }
    const tag = tagOf(node);
    const heading = HEADING_TAG.exec(tag);
    if (heading) {
      const text = inlineText(node).replace(/\n/g, ' ');
      blocks.push({ type: 'heading', level: Number(heading[1]), text });
      return;
    }
    if (tag === 'table') {
      visitTable(node);
      return;
    }
    if (tag === 'li' && /^(footnote|endnote|comment)-/.test(node.getAttribute('id') ?? '')) {
      notes += 1;
      return;
    }
    if (tag === 'p') {
      pushParagraphs(inlineText(node));
      return;
    }
    if (tag === 'li') {
      if (node.parentNode !== null && tagOf(node.parentNode) === 'ol') {
        autoNumbered += 1;
      }
      // The item's own text, then any nested lists or paragraphs inside it.
      pushParagraphs(
        node.childNodes
          .filter((c) => !(isElement(c) && BLOCK_TAGS.has(tagOf(c))))
          .map(inlineText)
          .join(''),
      );
      node.childNodes.filter((c) => isElement(c) && BLOCK_TAGS.has(tagOf(c))).forEach(visit);
      return;
    }
    if (
      BLOCK_TAGS.has(tag) ||
      tag === '' ||
      node.childNodes.some((c) => isElement(c) && BLOCK_TAGS.has(tagOf(c)))
    ) {
      node.childNodes.forEach(visit);
      return;
    }
    pushParagraphs(inlineText(node));
  };

  root.childNodes.forEach(visit);
  if (autoNumbered > 0) {
    // mammoth does not render list numbers: 第X条 or 一、 made by Word's automatic numbering is lost.
    warnings.push(
      `${autoNumbered} paragraph(s) use Word automatic numbering, which is not part of the text: convert the numbering to text in Word if those paragraphs are numbered clauses.`,
    );
  }
  if (notes > 0) {
    warnings.push(`${notes} footnote(s), endnote(s) or comment(s) were left out of the clause text.`);
  }
  return blocks;
}
