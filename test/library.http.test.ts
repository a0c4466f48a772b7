import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createOpinion, createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import { createUnit, createUser } from './factories.ts';
import { cjkFontAvailable, makeCsv, makeDocx, makePdf, makeXlsx } from './library-factories.ts';

const API = '/api/v1';

interface SearchBody {
  terms: string[];
  results: {
    document: { id: string; title: string };
    passage: { id: string; page: number | null; text: string };
    score: number;
    snippet: { text: string; offset: number; highlights: { start: number; end: number }[] };
  }[];
}

describeDb('data library API', (db) => {
  let t: TestApp;
  let round: TestRound;
  let organizer: TestClient;
  let liaison: TestClient;
  let outsider: TestClient;

  beforeEach(async () => {
    t = await createTestApp(db());
    round = await createRound(db(), { status: 'open' });
    organizer = await t.signIn(round.organizer);
    liaison = await t.signIn(round.invited[0]!.liaison);
    const elsewhere = await createUnit(db(), { name: '外省统计局' });
    outsider = await t.signIn(await createUser(db(), { roles: ['organizer'], unitId: elsewhere.id }));
  });
  afterEach(() => t.close());

  const count = async (table: 'library_document' | 'library_passage' | 'library_indicator' | 'citation') =>
    Number(
      (
        await db()
          .db.selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const ledgerEvents = async (event: string) =>
    db().db.selectFrom('ledger_event').select(['entity_id', 'payload']).where('event', '=', event).execute();

  const search = async (client: TestClient, q: string, extra = '') => {
    const response = await client.get(`${API}/library/search?q=${encodeURIComponent(q)}${extra}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<SearchBody>();
  };

  it.skipIf(!cjkFontAvailable())(
    'finds a Chinese phrase inside an uploaded .docx and .pdf, with page and highlighted snippet',
    async () => {
      const docx = await makeDocx([
        '第一章 发展基础',
        '“十四五”期间，全省推进城市更新行动，累计完成老旧小区改造3200个，惠及居民86万户。',
        'The province renewed 3,200 old residential compounds.',
      ]);
      const pdf = await makePdf([
        ['2024年统计年鉴（摘要）', '全省新能源汽车产量达到100万辆，同比增长35%。'],
        ['第二页', '城市更新行动带动固定资产投资增长8.2%，老旧小区改造完成年度任务。'],
      ]);
      const uploadedDocx = await organizer.upload(
        `${API}/library/documents`,
        { name: '城市更新工作报告.docx', data: docx },
        {
          kind: 'policy',
          visibility: 'plan',
          planId: round.planId,
          year: '2024',
          issuingBody: '省住房城乡建设厅',
        },
      );
      expect(uploadedDocx.statusCode, uploadedDocx.body).toBe(201);
      expect(uploadedDocx.json()).toMatchObject({
        title: '城市更新工作报告',
        format: 'docx',
        visibility: 'plan',
        planId: round.planId,
        ownerUnitId: round.ownerUnit.id,
        year: 2024,
        issuingBody: '省住房城乡建设厅',
        passageCount: 3,
      });
      const uploadedPdf = await organizer.upload(
        `${API}/library/documents`,
        { name: '统计年鉴2024.pdf', data: pdf },
        { kind: 'yearbook', visibility: 'all', title: '2024年统计年鉴', source: '省统计局', year: '2024' },
      );
      expect(uploadedPdf.statusCode, uploadedPdf.body).toBe(201);
      expect(uploadedPdf.json()).toMatchObject({ format: 'pdf', pageCount: 2, kind: 'yearbook' });
      const pdfId = uploadedPdf.json<{ id: string }>().id;
      const docxId = uploadedDocx.json<{ id: string }>().id;

      // A phrase present in both, inside longer sentences.
      const both = await search(organizer, '老旧小区改造');
      expect(new Set(both.results.map((r) => r.document.id))).toEqual(new Set([pdfId, docxId]));
      const inPdf = both.results.find((r) => r.document.id === pdfId)!;
      expect(inPdf.passage.page).toBe(2);
      const snippet = inPdf.snippet;
      const marked = snippet.highlights.map((h) => snippet.text.slice(h.start, h.end));
      expect(marked).toContain('老旧小区改造');
      expect(inPdf.passage.text.slice(snippet.offset, snippet.offset + snippet.text.length)).toBe(
        snippet.text,
      );

      // A phrase only in the PDF's first page; a part of a longer word still finds it.
      const cars = await search(organizer, '新能源汽车产量');
      expect(cars.results.map((r) => [r.document.id, r.passage.page])).toEqual([[pdfId, 1]]);
      expect((await search(organizer, '老旧小区')).results.length).toBe(2);
      // Every word must match: a phrase absent from the library finds nothing.
      expect((await search(organizer, '老旧小区 海洋牧场')).results).toEqual([]);
      // Filters.
      expect(
        (await search(organizer, '老旧小区改造', '&kind=yearbook')).results.map((r) => r.document.id),
      ).toEqual([pdfId]);
      expect((await search(organizer, '老旧小区改造', '&year=2023')).results).toEqual([]);

      // Visibility: the invited unit sees the plan's document, a unit outside the plan only the public one.
      expect((await search(liaison, '老旧小区改造')).results.length).toBe(2);
      expect((await search(outsider, '老旧小区改造')).results.map((r) => r.document.id)).toEqual([pdfId]);
      expect((await outsider.get(`${API}/library/documents/${docxId}`)).statusCode).toBe(404);
      expect((await outsider.get(`${API}/library/documents/${docxId}/file`)).statusCode).toBe(404);

      const file = await liaison.get(`${API}/library/documents/${docxId}/file`);
      expect(file.statusCode).toBe(200);
      expect(Buffer.compare(file.rawPayload, docx)).toBe(0);

      const listed = await organizer.get(`${API}/library/documents?kind=yearbook`);
      expect(listed.json()).toMatchObject({ total: 1, items: [{ id: pdfId }] });
      const byText = await organizer.get(`${API}/library/documents?text=${encodeURIComponent('住房城乡')}`);
      expect(byText.json()).toMatchObject({ total: 1, items: [{ id: docxId }] });
      const percent = await organizer.get(`${API}/library/documents?text=${encodeURIComponent('%')}`);
      expect(percent.json()).toMatchObject({ total: 0 });

      expect((await ledgerEvents('library.document_added')).map((e) => e.entity_id).sort()).toEqual(
        [pdfId, docxId].sort(),
      );
    },
  );

  it('searches English text, ranking the passage with more matches first', async () => {
    const txt = Buffer.from(
      [
        'Digital economy core industries grew 12.5% in 2025.',
        'The digital economy plan sets the digital economy share of GDP at 10%.',
        'Ports and shipping 🚢 handled 300 million tonnes.',
      ].join('\n'),
    );
    const uploaded = await organizer.upload(
      `${API}/library/documents`,
      { name: 'economy-report.txt', data: txt },
      { kind: 'case', visibility: 'unit' },
    );
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const found = await search(organizer, 'the Digital Economy');
    expect(found.terms).toEqual(['digital', 'economy']);
    expect(found.results).toHaveLength(2);
    expect(found.results[0]!.passage.text).toContain('digital economy share');
    expect(found.results[0]!.score).toBeGreaterThan(found.results[1]!.score);
    const marked = found.results[1]!.snippet.highlights.map((h) =>
      found.results[1]!.snippet.text.slice(h.start, h.end),
    );
    // Each word is marked on its own; the web joins neighbours if it likes.
    expect(marked).toEqual(['Digital', 'economy']);
    expect((await search(organizer, 'shipping')).results).toHaveLength(1);
    expect((await search(organizer, '🚢')).results).toEqual([]);
    // 'unit' visibility keeps it inside the owner unit, even from the plan's invited units.
    expect((await search(liaison, 'shipping')).results).toEqual([]);
    expect((await organizer.get(`${API}/library/search?q=`)).statusCode).toBe(400);
  });

  it('refuses unsupported and corrupt files with a clear error and writes nothing', async () => {
    const cases: [string, Buffer, number, string][] = [
      ['旧版文件.doc', Buffer.from('\xd0\xcf\x11\xe0 legacy', 'latin1'), 415, 'unsupported_type'],
      ['图片.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]), 415, 'unsupported_type'],
      ['损坏.pdf', Buffer.from('%PDF-1.7\n this is not really a pdf'), 422, 'invalid_document'],
      ['伪装.pdf', Buffer.from('plain text pretending'), 422, 'invalid_document'],
      ['损坏.docx', Buffer.from('PK\u0003\u0004garbage'), 422, 'invalid_document'],
      ['损坏.xlsx', Buffer.from('not a workbook'), 422, 'invalid_document'],
      ['空白.txt', Buffer.from('  \n\n  '), 422, 'empty_document'],
    ];
    for (const [name, data, status, code] of cases) {
      const response = await organizer.upload(`${API}/library/documents`, { name, data }, { kind: 'other' });
      expect(response.statusCode, `${name}: ${response.body}`).toBe(status);
      expect(response.json<{ error: { code: string; message: string } }>().error.code).toBe(code);
    }
    const badVisibility = await organizer.upload(
      `${API}/library/documents`,
      { name: 'a.txt', data: Buffer.from('文本') },
      { visibility: 'plan' },
    );
    expect(badVisibility.statusCode).toBe(400);
    const foreignPlan = await outsider.upload(
      `${API}/library/documents`,
      { name: 'a.txt', data: Buffer.from('文本') },
      { visibility: 'plan', planId: round.planId },
    );
    expect(foreignPlan.statusCode).toBe(404);
    expect(await count('library_document')).toBe(0);
    expect(await count('library_passage')).toBe(0);
    expect(await ledgerEvents('library.document_added')).toEqual([]);
  });

  it('imports indicators from .xlsx and CSV, refusing a bad row by row and column without writing', async () => {
    const sheet = await makeXlsx([
      ['指标名称', '单位', '2025年目标', '年份', '属性', '地区', '数据来源'].map((h) =>
        h === '2025年目标' ? '目标值' : h,
      ),
      ['数字经济核心产业增加值占GDP比重', '%', 10, 2025, '预期性', '全省', '省统计局'],
      ['单位GDP能耗降低', '%', 13.5, 2025, '约束性', '全省', '省统计局'],
    ]);
    const imported = await organizer.upload(
      `${API}/library/indicators/import`,
      { name: '指标表.xlsx', data: sheet },
      { visibility: 'plan', planId: round.planId },
    );
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json()).toMatchObject({ count: 2 });
    const items = imported.json<{
      items: { name: string; kind: string; value: number; rowNumber: number }[];
    }>().items;
    expect(items.find((i) => i.name === '单位GDP能耗降低')).toMatchObject({
      kind: 'binding',
      value: 13.5,
      rowNumber: 3,
    });

    const bad = makeCsv([
      ['name', 'value', 'unit', 'year', 'kind'],
      ['R&D spending share', '2.8%', '', '2025', 'expected'],
      ['Forest coverage', 'about 40', '%', '2025', 'binding'],
    ]);
    const refused = await organizer.upload(`${API}/library/indicators/import`, {
      name: 'bad.csv',
      data: bad,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: { details: { row: 3, column: 'value' } } });
    expect(refused.json<{ error: { message: string } }>().error.message).toContain('Row 3');
    expect(await count('library_indicator')).toBe(2);

    const good = makeCsv([
      ['name', 'value', 'unit', 'year', 'kind', 'region'],
      ['R&D spending share', '2.8%', '', '2025', 'expected', 'Province'],
    ]);
    const csv = await organizer.upload(`${API}/library/indicators/import`, { name: 'good.csv', data: good });
    expect(csv.statusCode, csv.body).toBe(201);
    expect(csv.json()).toMatchObject({
      items: [{ value: 2.8, unit: '%', kind: 'expected', visibility: 'unit' }],
    });

    const listed = await liaison.get(`${API}/library/indicators?kind=binding`);
    expect(listed.json()).toMatchObject({ total: 1, items: [{ name: '单位GDP能耗降低' }] });
    // The CSV rows are the unit's own: the invited unit does not see them, the outsider sees none.
    expect((await liaison.get(`${API}/library/indicators`)).json()).toMatchObject({ total: 2 });
    expect((await outsider.get(`${API}/library/indicators`)).json()).toMatchObject({ total: 0 });
    expect(await ledgerEvents('library.indicators_imported')).toHaveLength(2);

    // Citing an indicator the citer may not see is answered as missing and writes nothing.
    const opinion = await createOpinion(db(), round);
    const energy = items.find((i) => i.name === '单位GDP能耗降低') as unknown as { id: string };
    const outsiderCite = await outsider.post(`${API}/citations`, {
      fromKind: 'opinion',
      fromId: opinion.id,
      indicatorId: energy.id,
    });
    expect(outsiderCite.statusCode).toBe(404);
    expect(await count('citation')).toBe(0);
    const cited = await liaison.post(`${API}/citations`, {
      fromKind: 'opinion',
      fromId: opinion.id,
      indicatorId: energy.id,
    });
    expect(cited.statusCode, cited.body).toBe(201);
    expect(cited.json()).toMatchObject({
      documentId: null,
      indicator: { name: '单位GDP能耗降低', kind: 'binding' },
    });
  });

  it('cites passages and indicators, refusing what the citer may not see and opening the passage', async () => {
    const opinion = await createOpinion(db(), round, { suggestion: '建议将老旧小区改造目标调整为3500个' });
    const own = await organizer.upload(
      `${API}/library/documents`,
      {
        name: '内部测算.txt',
        data: Buffer.from('测算说明\n全省老旧小区改造潜力约3500个。\n资金缺口约120亿元。\n附表略'),
      },
      { kind: 'case', visibility: 'unit' },
    );
    const shared = await organizer.upload(
      `${API}/library/documents`,
      { name: '公开数据.txt', data: Buffer.from('2024年全省完成老旧小区改造3200个。') },
      { kind: 'yearbook', visibility: 'plan', planId: round.planId },
    );
    const ownId = own.json<{ id: string }>().id;
    const sharedId = shared.json<{ id: string }>().id;
    const hit = (await search(organizer, '改造潜力')).results[0]!;
    expect(hit.document.id).toBe(ownId);

    // The liaison cannot cite the organizer unit's internal document: answered as missing.
    const refused = await liaison.post(`${API}/citations`, {
      fromKind: 'opinion',
      fromId: opinion.id,
      passageId: hit.passage.id,
    });
    expect(refused.statusCode).toBe(404);
    expect(
      (await liaison.post(`${API}/citations`, { fromKind: 'opinion', fromId: opinion.id, documentId: ownId }))
        .statusCode,
    ).toBe(404);
    expect((await liaison.get(`${API}/library/passages/${hit.passage.id}`)).statusCode).toBe(404);
    expect(await count('citation')).toBe(0);

    const sharedHit = (await search(liaison, '老旧小区改造')).results[0]!;
    expect(sharedHit.document.id).toBe(sharedId);
    const cited = await liaison.post(`${API}/citations`, {
      fromKind: 'opinion',
      fromId: opinion.id,
      passageId: sharedHit.passage.id,
      quote: '完成老旧小区改造3200个',
    });
    expect(cited.statusCode, cited.body).toBe(201);
    expect(cited.json()).toMatchObject({
      documentId: sharedId,
      passageId: sharedHit.passage.id,
      document: { title: '公开数据' },
    });
    const wrongQuote = await liaison.post(`${API}/citations`, {
      fromKind: 'opinion',
      fromId: opinion.id,
      passageId: sharedHit.passage.id,
      quote: '完成改造5000个',
    });
    expect(wrongQuote.statusCode).toBe(400);
    expect(
      (await liaison.post(`${API}/citations`, { fromKind: 'opinion', fromId: 'nope', documentId: sharedId }))
        .statusCode,
    ).toBe(404);

    // The organizer cites its own passage; the liaison's list of the opinion's citations leaves it out.
    expect(
      (
        await organizer.post(`${API}/citations`, {
          fromKind: 'opinion',
          fromId: opinion.id,
          passageId: hit.passage.id,
        })
      ).statusCode,
    ).toBe(201);
    const mine = await liaison.get(`${API}/citations?fromKind=opinion&fromId=${opinion.id}`);
    expect(mine.json<unknown[]>()).toHaveLength(1);
    const all = await organizer.get(`${API}/citations?fromKind=opinion&fromId=${opinion.id}`);
    expect(all.json<unknown[]>()).toHaveLength(2);

    const opened = await organizer.get(`${API}/library/passages/${hit.passage.id}?around=1`);
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toMatchObject({
      passage: { text: '全省老旧小区改造潜力约3500个。' },
      before: [{ text: '测算说明' }],
      after: [{ text: '资金缺口约120亿元。' }],
    });
    expect(await ledgerEvents('library.citation_added')).toHaveLength(2);

    // Only who added a document (or its unit's organizers) removes it; its citations go with it.
    expect((await liaison.delete(`${API}/library/documents/${sharedId}`)).statusCode).toBe(403);
    expect((await organizer.delete(`${API}/library/documents/${sharedId}`)).statusCode).toBe(204);
    expect((await search(organizer, '老旧小区改造')).results.map((r) => r.document.id)).toEqual([ownId]);
    expect(await count('citation')).toBe(1);
  });
});
