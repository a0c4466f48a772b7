import JSZip from 'jszip';
import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { buildDocx } from './export-docx.ts';
import { buildXlsx } from './export-xlsx.ts';
import { buildTrackedDocx } from './tracked-changes.ts';

describe('document exports', () => {
  it('writes w:ins and w:del runs with author and date for each change', async () => {
    const data = await buildTrackedDocx({
      title: '示范规划（修改稿）',
      author: '编制组',
      date: '2026-03-20T00:00:00Z',
      clauses: [
        {
          kind: 'chapter',
          depth: 0,
          status: 'unchanged',
          number: '第一章',
          heading: '总则',
          text: '',
          previous: { number: '第一章', heading: '总则', text: '' },
        },
        {
          kind: 'article',
          depth: 1,
          status: 'edited',
          number: '第一条',
          heading: null,
          text: '比重达到12%。',
          previous: { number: '第一条', heading: null, text: '比重达到15%。' },
        },
        {
          kind: 'article',
          depth: 1,
          status: 'inserted',
          number: '第二条',
          heading: null,
          text: '新增条款。',
          previous: null,
        },
        {
          kind: 'article',
          depth: 1,
          status: 'deleted',
          number: '第二条',
          heading: null,
          text: '删除条款。',
          previous: { number: '第二条', heading: null, text: '删除条款。' },
        },
      ],
    });
    const xml = await (await JSZip.loadAsync(data)).file('word/document.xml')!.async('string');
    expect(xml).toMatch(
      /<w:del w:id="\d+" w:author="编制组" w:date="2026-03-20T00:00:00Z"><w:r>.*?<w:delText[^>]*>5<\/w:delText>/s,
    );
    expect(xml).toMatch(
      /<w:ins w:id="\d+" w:author="编制组" w:date="2026-03-20T00:00:00Z"><w:r>.*?<w:t[^>]*>2<\/w:t>/s,
    );
    expect(xml).toMatch(/<w:ins [^>]*><w:r>.*?<w:t[^>]*>第二条 新增条款。<\/w:t>/s);
    expect(xml).toMatch(/<w:delText[^>]*>第二条 删除条款。<\/w:delText>/);
  });

  it('writes tables that mammoth reads back, and sheets with a frozen header', async () => {
    const docx = await buildDocx({
      title: '修改对照表',
      blocks: [
        {
          type: 'table',
          columns: [{ header: '原文' }, { header: '修改后' }],
          rows: [['旧文本', '新文本\n第二行']],
        },
      ],
    });
    const text = (await mammoth.extractRawText({ buffer: docx })).value;
    expect(text).toContain('修改对照表');
    expect(text).toContain('旧文本');
    expect(text).toContain('第二行');
    const xlsx = await buildXlsx({
      tables: [
        {
          sheetName: '意见汇总表',
          columns: [{ header: '登记号', key: 'reg', width: 10 }],
          rows: [{ reg: 'T1' }],
        },
      ],
    });
    expect(xlsx.subarray(0, 2).toString()).toBe('PK');
  });
});
