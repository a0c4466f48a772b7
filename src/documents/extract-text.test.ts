import { describe, expect, it } from 'vitest';
import { cjkFontAvailable, makeDocx, makePdf, makeXlsx } from '../../test/library-factories.ts';
import { AppError } from '../domain/errors.ts';
import { MAX_PASSAGE_CHARS, detectLibraryFormat, extractText, splitLongText } from './extract-text.ts';

const errorOf = async (promise: Promise<unknown>): Promise<AppError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected an AppError');
};

describe('extractText', () => {
  it.skipIf(!cjkFontAvailable())(
    'reads a Chinese PDF page by page, joining wrapped lines without spaces',
    async () => {
      const long = '规划期内，全省推进城市更新行动，'.repeat(8) + '完成老旧小区改造任务。';
      const pdf = await makePdf([['第一章 总体要求', long], ['Digital economy grew 12.5% in 2025.']]);
      const result = await extractText({ fileName: '年鉴.PDF', data: pdf });
      expect(result.format).toBe('pdf');
      expect(result.pageCount).toBe(2);
      expect(result.passages).toEqual([
        { text: '第一章 总体要求', page: 1, label: null },
        { text: long, page: 1, label: null },
        { text: 'Digital economy grew 12.5% in 2025.', page: 2, label: null },
      ]);
    },
  );

  it('reads .docx paragraphs and .xlsx rows with their sheet', async () => {
    const docx = await extractText({
      fileName: '报告.docx',
      data: await makeDocx(['城市更新 🏙️ 行动', 'English and 中文 mixed', '一']),
    });
    expect(docx.passages.map((p) => p.text)).toEqual(['城市更新 🏙️ 行动', 'English and 中文 mixed', '一']);
    const rows: (string | number)[][] = [['指标', '数值']];
    for (let i = 1; i <= 25; i++) {
      rows.push([`指标${i}`, i * 1.5]);
    }
    const xlsx = await extractText({ fileName: 'table.xlsx', data: await makeXlsx(rows, '主要指标') });
    expect(xlsx.pageCount).toBe(1);
    expect(xlsx.passages.map((p) => p.label)).toEqual(['主要指标!1-20', '主要指标!21-26']);
    expect(xlsx.passages[0]!.text.split('\n')[1]).toBe('指标1\t1.5');
  });

  it('reads text as UTF-8 or GB18030, down to one character', async () => {
    const gb = Buffer.from([0xd6, 0xd0, 0xce, 0xc4, 0x0a, 0x41]); // 中文\nA in GB18030
    const read = await extractText({ fileName: 'gbk.txt', data: gb });
    expect(read.passages.map((p) => p.text)).toEqual(['中文', 'A']);
    expect(read.warnings[0]).toContain('GB18030');
    const one = await extractText({ fileName: 'one.txt', data: Buffer.from('字') });
    expect(one).toMatchObject({ passages: [{ text: '字' }], charCount: 1 });
  });

  it('cuts a 100 KB paragraph at sentence ends into passages no longer than the bound', async () => {
    const sentence = '数字经济核心产业增加值年均增长12.5%，Digital economy grows. ';
    const text = sentence.repeat(Math.ceil(100_000 / sentence.length));
    const result = await extractText({ fileName: 'big.txt', data: Buffer.from(text) });
    expect(result.passages.length).toBeGreaterThan(100);
    expect(Math.max(...result.passages.map((p) => p.text.length))).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
    expect(result.passages.every((p) => /[。，.]$/.test(p.text) || p === result.passages.at(-1))).toBe(true);
    expect(
      result.passages
        .map((p) => p.text)
        .join('')
        .replace(/\s/g, ''),
    ).toBe(text.replace(/\s/g, ''));
  });

  it('never splits an emoji when it has to cut hard', () => {
    const parts = splitLongText('😀'.repeat(500), 801);
    expect(parts.join('')).toBe('😀'.repeat(500));
    expect(parts.every((p) => !/[\ud800-\udbff]$/.test(p))).toBe(true);
  });

  it('refuses unsupported, corrupt and empty files', async () => {
    expect(() => detectLibraryFormat('old.doc')).toThrow(/Unsupported file type .doc/);
    expect((await errorOf(extractText({ fileName: 'x', data: Buffer.from('a') }))).status).toBe(415);
    const corrupt = await errorOf(
      extractText({ fileName: 'bad.pdf', data: Buffer.from('%PDF-1.4 garbage') }),
    );
    expect([corrupt.code, corrupt.status]).toEqual(['invalid_document', 422]);
    expect(
      (await errorOf(extractText({ fileName: 'bad.xlsx', data: Buffer.from('PK\u0003\u0004x') }))).code,
    ).toBe('invalid_document');
    expect((await errorOf(extractText({ fileName: 'empty.txt', data: Buffer.from('') }))).code).toBe(
      'empty_document',
    );
    const blank = await makePdf([[' ']], { cjk: false });
    expect((await errorOf(extractText({ fileName: 'scan.pdf', data: blank }))).message).toContain(
      'text layer',
    );
  });
});
