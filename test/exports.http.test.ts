import JSZip from 'jszip';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createOpinion, createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import { docxText, firstSheet, sheetRows } from './documents.ts';
import { createUnit, createUser } from './factories.ts';
import { createDisposition, createObjection, createReply } from './integration-factories.ts';

async function xlsxRows(data: Buffer): Promise<string[][]> {
  const sheet = await firstSheet(data);
  expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  return sheetRows(sheet);
}

describeDb('exports API', (db) => {
  let t: TestApp;
  let round: TestRound;
  let organizer: TestClient;
  let opinions: { id: string; regNo: string | null }[];

  beforeEach(async () => {
    t = await createTestApp(db());
    round = await createRound(db());
    organizer = await t.signIn(round.organizer);
    const [first, second] = round.invited;
    await createReply(db(), first!);
    await createReply(db(), second!, { late: true });
    const a2 = round.articles[1]!;
    const a4 = round.articles[3]!;
    opinions = [
      await createOpinion(db(), round, { invited: first!, clause: a2 }),
      await createOpinion(db(), round, {
        invited: second!,
        clause: a4,
        suggestion: '建议明确公共数据授权运营的牵头部门。',
        reasons: '职责不清。',
        proposedText: '加强数据要素市场培育，由省数据局牵头建立公共数据授权运营制度。',
        kind: 'editorial',
      }),
      await createOpinion(db(), round, {
        invited: second!,
        clause: null,
        suggestion: '建议全文统一术语。',
        proposedText: null,
      }),
    ];
    await createDisposition(db(), round, opinions[0]!.id, { code: 'adopted' });
    await createDisposition(db(), round, opinions[1]!.id, {
      code: 'partially_adopted',
      reason: '部分吸收，牵头部门另行明确。',
      basis: 'responsibilities',
    });
    const notAdopted = await createDisposition(db(), round, opinions[2]!.id, {
      code: 'not_adopted',
      reason: '术语已按国家标准统一。',
    });
    await createObjection(db(), second!, opinions[2]!.id, notAdopted, {
      status: 'dissent_recorded',
      reasons: '仍认为术语不统一。',
      reviewNote: '维持原处理意见，记录分歧。',
    });
    const started = await organizer.post(`/api/v1/plans/${round.planId}/revisions`);
    const revisionId = started.json().revision.id as string;
    expect(
      (await organizer.post(`/api/v1/revisions/${revisionId}/accept`, { opinionId: opinions[0]!.id }))
        .statusCode,
    ).toBe(200);
    expect(
      (await organizer.post(`/api/v1/revisions/${revisionId}/accept`, { opinionId: opinions[1]!.id }))
        .statusCode,
    ).toBe(200);
  });
  afterEach(() => t.close());

  const url = (kind: string, query = '') => `/api/v1/rounds/${round.roundId}/exports/${kind}${query}`;

  it('exports the opinion summary (意见汇总表) as .xlsx and .docx with a UTF-8 file name', async () => {
    const response = await organizer.get(url('opinions', '?format=xlsx'));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(response.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('意见汇总表')}`,
    );
    const rows = await xlsxRows(response.rawPayload);
    expect(rows[0]).toEqual([
      '登记号',
      '提出单位',
      '层级',
      '条款',
      '条款位置',
      '具体建议',
      '理由依据',
      '建议修改为',
      '类别',
      '状态',
    ]);
    expect(rows).toHaveLength(4);
    expect(rows[1]).toEqual([
      opinions[0]!.regNo,
      round.invited[0]!.unit.name,
      '省级',
      '第二条',
      '第一章/第二条',
      '建议将“达到15%”修改为“达到12%”，与全省产业基础相适应。',
      '2025年全省核心产业增加值占比约为9.8%，年均提高1个百分点以上难度较大。',
      '到2030年，全省数字经济核心产业增加值占地区生产总值比重达到12%。',
      '实质性',
      '已提交',
    ]);
    expect(rows[3]![3]).toBe('全文');
    const docx = await organizer.get(url('opinions', '?format=docx'));
    expect(docx.statusCode).toBe(200);
    const text = await docxText(docx.rawPayload);
    expect(text).toContain('意见汇总表');
    expect(text).toContain('建议明确公共数据授权运营的牵头部门。');
  });

  it('exports the disposition table (意见采纳情况表) overall and per unit; a unit gets only its own rows', async () => {
    const overall = await organizer.get(url('dispositions'));
    const rows = await xlsxRows(overall.rawPayload);
    expect(rows.map((r) => r[4])).toEqual(['处理意见', '采纳', '部分采纳', '不采纳']);
    expect(rows[2]![5]).toBe('部分吸收，牵头部门另行明确。');
    expect(rows[2]![6]).toBe('职责分工');
    const second = round.invited[1]!;
    const perUnit = await xlsxRows(
      (await organizer.get(url('dispositions', `?unitId=${second.unit.id}`))).rawPayload,
    );
    expect(perUnit).toHaveLength(3);
    const liaison = await t.signIn(second.liaison);
    const own = await liaison.get(url('dispositions', '?format=docx'));
    expect(own.statusCode).toBe(200);
    const text = await docxText(own.rawPayload);
    expect(text).toContain('术语已按国家标准统一。');
    expect(text).not.toContain('建议将“达到15%”');
    expect((await liaison.get(url('dispositions', `?unitId=${round.invited[0]!.unit.id}`))).statusCode).toBe(
      403,
    );
    expect((await liaison.get(url('report'))).statusCode).toBe(403);
    const stranger = await t.signIn(
      await createUser(db(), { roles: ['liaison'], unitId: (await createUnit(db())).id }),
    );
    expect((await stranger.get(url('opinions'))).statusCode).toBe(403);
    expect((await organizer.get(url('comparison', '?format=xlsx'))).statusCode).toBe(400);
  });

  it('exports the opinion summary per unit, and refuses a unitId that is not invited or a kind without units', async () => {
    const [first, second] = round.invited;
    const perUnit = await organizer.get(url('opinions', `?unitId=${second!.unit.id}&format=xlsx`));
    expect(perUnit.statusCode).toBe(200);
    expect(perUnit.headers['content-disposition']).toContain(encodeURIComponent(second!.unit.name));
    const rows = await xlsxRows(perUnit.rawPayload);
    expect(rows.slice(1).map((r) => r[0])).toEqual([opinions[1]!.regNo, opinions[2]!.regNo]);
    expect(rows.slice(1).every((r) => r[1] === second!.unit.name)).toBe(true);
    const docx = await organizer.get(url('opinions', `?unitId=${first!.unit.id}&format=docx`));
    const text = await docxText(docx.rawPayload);
    expect(text).toContain(first!.unit.name);
    expect(text).not.toContain('建议明确公共数据授权运营的牵头部门。');

    const stranger = await createUnit(db());
    const notInvited = await organizer.get(url('opinions', `?unitId=${stranger.id}`));
    expect(notInvited.statusCode).toBe(400);
    expect(notInvited.json().error.details).toMatchObject({ field: 'unitId' });
    const wholeRound = await organizer.get(url('report', `?unitId=${first!.unit.id}`));
    expect(wholeRound.statusCode).toBe(400);
    expect(wholeRound.json().error.details).toMatchObject({ field: 'unitId' });
    const empty = await organizer.get(url('opinions', '?unitId='));
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details[0].field).toBe('querystring.unitId');
    // A unit's liaison gets its own rows, with or without naming its unit, never another's.
    const liaison = await t.signIn(first!.liaison);
    expect((await liaison.get(url('opinions', `?unitId=${first!.unit.id}`))).statusCode).toBe(200);
    expect((await liaison.get(url('opinions', `?unitId=${second!.unit.id}`))).statusCode).toBe(403);
  });

  it('exports the comparison table (修改对照表) and the revised draft with real tracked changes', async () => {
    const comparison = await organizer.get(url('comparison'));
    expect(comparison.statusCode).toBe(200);
    const text = await docxText(comparison.rawPayload);
    for (const expected of [
      '修改对照表',
      '原文',
      '修改后',
      '修改理由/依据意见',
      round.articles[1]!.text,
      '由省数据局牵头',
      `依据意见：${opinions[1]!.regNo}`,
    ]) {
      expect(text).toContain(expected);
    }

    const revised = await organizer.get(url('revision'));
    expect(revised.statusCode).toBe(200);
    const zip = await JSZip.loadAsync(revised.rawPayload);
    const xml = await zip.file('word/document.xml')!.async('string');
    const runs = (tag: 'ins' | 'del') =>
      [...xml.matchAll(new RegExp(`<w:${tag} [^>]*>(.*?)</w:${tag}>`, 'gs'))].map((m) =>
        [...m[1]!.matchAll(/<w:(?:t|delText)[^>]*>([^<]*)<\/w:(?:t|delText)>/g)].map((t) => t[1]).join(''),
      );
    // 第二条: 15% → 12%; 第四条: "由省数据局牵头" inserted.
    expect(runs('del')).toContain('5');
    expect(runs('ins')).toContain('2');
    expect(runs('ins')).toContain('由省数据局牵头');
    expect(runs('del').length).toBeGreaterThanOrEqual(1);
    expect(xml).toMatch(/<w:ins w:id="\d+" w:author="[^"]+" w:date="[^"]+">/);
    expect(xml).toContain('<w:delText');
    const settings = await zip.file('word/settings.xml')!.async('string');
    expect(settings).toContain('w:trackRevisions');
  });

  it('exports the consultation report (征求意见情况说明) with the unresolved dissent, and the ledger as JSON Lines', async () => {
    const report = await organizer.get(url('report'));
    expect(report.statusCode).toBe(200);
    const text = await docxText(report.rawPayload);
    for (const expected of [
      '征求意见情况说明',
      '共征求2家单位意见，2家单位回复',
      '参与率100.0%',
      '意见回收率50.0%',
      '采纳率66.7%',
      '仍有分歧的事项',
      '仍认为术语不统一。',
      '维持原处理意见，记录分歧。',
    ]) {
      expect(text).toContain(expected);
    }
    const leader = await t.signIn(round.leader);
    expect((await leader.get(url('report'))).statusCode).toBe(200);

    const ledger = await organizer.get(url('ledger'));
    expect(ledger.statusCode).toBe(200);
    expect(ledger.headers['content-type']).toContain('application/x-ndjson');
    expect(ledger.headers['content-disposition']).toContain('.jsonl');
    const lines = ledger.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; hash: string });
    expect(lines.map((l) => l.event)).toEqual([
      'draft.imported',
      'revision.started',
      'revision.opinion_accepted',
      'revision.opinion_accepted',
    ]);
    expect(lines[0]).toMatchObject({ entity: 'draft_version', id: round.versionId });
    expect(lines[3]).toMatchObject({
      alg: expect.any(String),
      hash: expect.any(String),
      prevHash: lines[2]!.hash,
    });
  });
});
