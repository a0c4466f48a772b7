/**
 * Tables as .xlsx (exceljs): a bold header row, frozen under it, fixed column widths, wrapped text, and an
 * optional title above — what a planning office pastes into its 意见汇总表 / 意见采纳情况表.
 */
import ExcelJS from 'exceljs';

export interface XlsxColumn {
  header: string;
  key: string;
  /** In characters; Chinese text needs about two per character. */
  width: number;
}

export type XlsxValue = string | number | null;

export interface XlsxTable {
  sheetName: string;
  columns: readonly XlsxColumn[];
  rows: readonly Record<string, XlsxValue>[];
}

export async function buildXlsx(input: { tables: readonly XlsxTable[]; creator?: string }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = input.creator ?? 'Concord';
  workbook.created = new Date(0);
  for (const table of input.tables) {
    // Sheet names: at most 31 characters, none of []:*?/\
    const sheet = workbook.addWorksheet(table.sheetName.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31), {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    sheet.columns = table.columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
    const header = sheet.getRow(1);
    header.font = { bold: true };
    header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
    for (const row of table.rows) {
      const added = sheet.addRow(Object.fromEntries(table.columns.map((c) => [c.key, row[c.key] ?? null])));
      added.alignment = { vertical: 'top', wrapText: true };
    }
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
  }
  const data = await workbook.xlsx.writeBuffer();
  return Buffer.from(data);
}
