/**
 * Word documents of tables and text (docx): 意见汇总表, 意见采纳情况表, 修改对照表 and 征求意见情况说明, in the
 * usual government layout — a centred title, 仿宋 body text, tables with a repeated bold header row.
 */
import type { ParagraphChild } from 'docx';
import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';

export type DocBlock =
  | { type: 'heading'; text: string; level?: 1 | 2 }
  | { type: 'paragraph'; text: string }
  | {
      type: 'table';
      columns: readonly { header: string; width?: number }[];
      rows: readonly (readonly string[])[];
    };

export const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋' };

/** Text with line breaks as runs separated by breaks. */
export function textRuns(text: string, options: { bold?: boolean } = {}): ParagraphChild[] {
  return text.split('\n').map(
    (line, index) =>
      new TextRun({
        text: line,
        ...(index > 0 ? { break: 1 } : {}),
        ...(options.bold ? { bold: true } : {}),
      }),
  );
}

function buildTable(block: Extract<DocBlock, { type: 'table' }>): Table {
  const total = block.columns.reduce((n, c) => n + (c.width ?? 1), 0);
  const widthOf = (i: number): number => Math.round(((block.columns[i]?.width ?? 1) / total) * 100);
  const header = new TableRow({
    tableHeader: true,
    children: block.columns.map(
      (c, i) =>
        new TableCell({
          width: { size: widthOf(i), type: WidthType.PERCENTAGE },
          children: [
            new Paragraph({ alignment: AlignmentType.CENTER, children: textRuns(c.header, { bold: true }) }),
          ],
        }),
    ),
  });
  const rows = block.rows.map(
    (row) =>
      new TableRow({
        children: block.columns.map(
          (_, i) =>
            new TableCell({
              width: { size: widthOf(i), type: WidthType.PERCENTAGE },
              children: [new Paragraph({ children: textRuns(row[i] ?? '') })],
            }),
        ),
      }),
  );
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows] });
}

export async function buildDocx(input: {
  title: string;
  subtitle?: string;
  blocks: readonly DocBlock[];
  landscape?: boolean;
}): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      heading: HeadingLevel.TITLE,
      children: textRuns(input.title, { bold: true }),
    }),
  ];
  if (input.subtitle) {
    children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: textRuns(input.subtitle) }));
  }
  for (const block of input.blocks) {
    if (block.type === 'heading') {
      children.push(
        new Paragraph({
          heading: block.level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_1,
          children: textRuns(block.text, { bold: true }),
        }),
      );
    } else if (block.type === 'paragraph') {
      children.push(new Paragraph({ indent: { firstLine: 480 }, children: textRuns(block.text) }));
    } else {
      children.push(buildTable(block));
      children.push(new Paragraph({ children: [] }));
    }
  }
  const doc = new Document({
    creator: 'Concord',
    title: input.title,
    styles: { default: { document: { run: { font: BODY_FONT, size: 24 } } } },
    sections: [
      {
        properties: input.landscape ? { page: { size: { orientation: PageOrientation.LANDSCAPE } } } : {},
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
