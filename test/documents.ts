import ExcelJS from 'exceljs';
import mammoth from 'mammoth';

/** The first worksheet of an .xlsx export. */
export async function firstSheet(data: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data as unknown as ArrayBuffer);
  return workbook.worksheets[0]!;
}

/** A worksheet's rows as text; objects (rich text, formulas) as JSON. */
export function sheetRows(sheet: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  sheet.eachRow((row) => {
    rows.push(
      (row.values as unknown[])
        .slice(1)
        .map((v) =>
          v === null || v === undefined
            ? ''
            : typeof v === 'object'
              ? JSON.stringify(v)
              : String(v as string | number),
        ),
    );
  });
  return rows;
}

/** The rows of an .xlsx export's first worksheet, as text. */
export const xlsxRows = async (data: Buffer): Promise<string[][]> => sheetRows(await firstSheet(data));

/** The raw text of a .docx export. */
export const docxText = async (data: Buffer): Promise<string> =>
  (await mammoth.extractRawText({ buffer: data })).value;
