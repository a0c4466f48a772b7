import ExcelJS from 'exceljs';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import PDFDocument from 'pdfkit';
import { systemFileAvailable } from './system-files.ts';

/** A CJK font shipped with the system, so test PDFs carry real Chinese text. */
export const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

/** Tests of PDFs with Chinese text need the font (apt-get install fonts-wqy-microhei). */
export const cjkFontAvailable = (): boolean =>
  systemFileAvailable(CJK_FONT, {
    installWith: 'apt-get install -y fonts-wqy-microhei',
    tests: 'the tests of Chinese PDFs',
  });

/** A .docx with one paragraph per string. */
export async function makeDocx(paragraphs: string[]): Promise<Buffer> {
  const document = new Document({
    sections: [{ children: paragraphs.map((text) => new Paragraph({ children: [new TextRun(text)] })) }],
  });
  return Packer.toBuffer(document);
}

/**
 * A PDF with one page per entry, each page holding its paragraphs, set in a Chinese font (or, with
 * `cjk: false`, in one of PDF's standard fonts, for text without Chinese).
 */
export async function makePdf(pages: string[][], { cjk = true } = {}): Promise<Buffer> {
  const pdf = new PDFDocument({ autoFirstPage: false });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve) => pdf.on('end', () => resolve()));
  (cjk ? pdf.font(CJK_FONT, 'WenQuanYiMicroHei') : pdf.font('Helvetica')).fontSize(12);
  for (const paragraphs of pages) {
    pdf.addPage();
    for (const text of paragraphs) {
      pdf.text(text);
      pdf.moveDown();
    }
  }
  pdf.end();
  await ended;
  return Buffer.concat(chunks);
}

/** An .xlsx with one sheet of rows. */
export async function makeXlsx(rows: (string | number | null)[][], sheet = '指标'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const worksheet = workbook.addWorksheet(sheet);
  for (const row of rows) {
    worksheet.addRow(row);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A CSV text as UTF-8 bytes (cells are quoted when they need it). */
export function makeCsv(rows: (string | number)[][]): Buffer {
  const quote = (cell: string | number) => {
    const text = String(cell);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return Buffer.from(rows.map((row) => row.map(quote).join(',')).join('\n'));
}
