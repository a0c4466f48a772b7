import JSZip from 'jszip';
import { afterEach, expect, it } from 'vitest';
import type { TestApp } from './app.ts';
import { createTestApp } from './app.ts';
import { createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import { docxText, xlsxRows } from './documents.ts';
import { createUser } from './factories.ts';

/*
 * One whole consultation round through the HTTP API only, on a fixed clock that the test moves forward:
 * units and users → plan and draft → round → unit replies → assessment → feedback and objection →
 * review → revision → exports and metrics → finish. The database is only read, to assert.
 */

const API = '/api/v1';
const YEAR = String(365 * 24 * 60 * 60);
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const UNITS_CSV = [
  'code,name,parent_code,level,areas,keywords',
  'GOV,省人民政府,,province,,',
  'DRC,省发展改革委,GOV,province,发展规划,规划',
  'MIIT,省工业和信息化厅,GOV,province,工业|信息化,制造业；数字经济',
  'ENV,省生态环境厅,GOV,province,生态环境,污染防治',
  'TRANS,省交通运输厅,GOV,province,交通,交通；高速公路',
  'CITY,甲市人民政府,GOV,city,,',
  'COUNTY,甲市乙县人民政府,CITY,county,,',
].join('\n');

const DRAFT = [
  '# 某省国民经济和社会发展第十五个五年规划纲要（征求意见稿）',
  '',
  '## 第一章 发展环境',
  '',
  '第一条 “十四五”时期，全省地区生产总值年均增长5.8%，科技创新能力显著提升。',
  '',
  '第二条 “十五五”时期是基本实现社会主义现代化夯实基础、全面发力的关键时期。',
  '',
  '## 第二章 建设现代化产业体系',
  '',
  '第三条 实施制造业重点产业链高质量发展行动，制造业增加值占地区生产总值比重保持在30%以上。',
  '',
  '第四条 加快发展数字经济，到2030年，数字经济核心产业增加值占地区生产总值比重达到15%。',
  '',
  '第五条 推进交通基础设施互联互通，高速公路通车里程达到8000公里。',
  '',
  '第六条 深入打好污染防治攻坚战，细颗粒物平均浓度下降到28微克/立方米。',
].join('\n');

const PROPOSED = '加快发展数字经济，到2030年，数字经济核心产业增加值占地区生产总值比重达到12%。';
const NOT_ADOPTED_REASON = '制造业比重保持基本稳定是国家规划纲要明确的要求，需与国家规划衔接。';
const PARTIAL_REASON = '吸收部分意见，将“保持在30%以上”调整为“保持基本稳定”，不设硬性下限。';
const THIRD_REVISED = '实施制造业重点产业链高质量发展行动，制造业增加值占地区生产总值比重保持基本稳定。';

interface Clause {
  id: string;
  stableId: string;
  number: string | null;
  text: string;
  children: Clause[];
}

const flatten = (nodes: Clause[]): Clause[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

describeDb('a full consultation round over HTTP', (db) => {
  let t: TestApp;
  let now: Date;
  afterEach(() => t.close());

  const at = (iso: string) => {
    now = new Date(iso);
  };
  const later = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  it('runs invite → reply → assessment → feedback → objection → review → revision → exports → finish', async () => {
    at('2026-11-02T01:00:00Z'); // Monday 09:00 in Beijing, no holiday in the weeks ahead
    t = await createTestApp(db(), {
      now: () => now,
      env: { CONCORD_SESSION_IDLE_SECONDS: YEAR, CONCORD_SESSION_ABSOLUTE_SECONDS: YEAR },
    });
    const ok = (response: { statusCode: number; body: string }, status = 200) =>
      expect(response.statusCode, response.body).toBe(status);

    // ---- 1. the administrator imports the unit directory and creates the accounts ----------------------
    const adminUser = await createUser(db(), { roles: ['admin'], login: 'admin' });
    const admin = await t.signIn(adminUser);
    const imported = await admin.request('POST', `${API}/units/import`, undefined, {
      headers: { 'content-type': 'text/csv; charset=utf-8' },
      payload: UNITS_CSV,
    });
    ok(imported);
    expect(imported.json()).toEqual({ created: 7, updated: 0, rows: 7 });
    const units = (await admin.get(`${API}/units`)).json<
      { id: string; code: string; name: string; level: string; parentId: string | null }[]
    >();
    const unit = (code: string) => units.find((u) => u.code === code)!;
    expect(unit('COUNTY')).toMatchObject({ level: 'county', parentId: unit('CITY').id });
    expect(unit('CITY')).toMatchObject({ level: 'city', parentId: unit('GOV').id });
    const lead = unit('DRC');
    const [unitA, unitB, unitC] = [unit('MIIT'), unit('ENV'), unit('TRANS')];

    /** An account made by the administrator, signed in after changing its one-time password. */
    const enrol = async (login: string, name: string, unitId: string, roles: string[]) => {
      const created = await admin.post(`${API}/users`, {
        login,
        name,
        unitId,
        roles,
        password: 'one-time-pass-1',
      });
      ok(created, 201);
      expect(created.json()).toMatchObject({ mustChangePassword: true });
      const first = await t.signIn({ login, password: 'one-time-pass-1' });
      ok(
        await first.post(`${API}/auth/password`, {
          currentPassword: 'one-time-pass-1',
          newPassword: `${login}-chosen-pass`,
        }),
        204,
      );
      expect((await first.get(`${API}/auth/me`)).json()).toMatchObject({ mustChangePassword: false });
      return { id: created.json<{ id: string }>().id, client: first };
    };
    const organizerU = await enrol('organizer', '王组织', lead.id, ['organizer']);
    const approverU = await enrol('approver', '李审核', lead.id, ['organizer']);
    const leaderU = await enrol('leader', '赵主任', lead.id, ['leader']);
    const liaisonAU = await enrol('miit.liaison', '钱联络', unitA.id, ['liaison']);
    const headAU = await enrol('miit.head', '孙处长', unitA.id, ['unit_head']);
    const liaisonBU = await enrol('env.liaison', '周联络', unitB.id, ['liaison']);
    const headBU = await enrol('env.head', '吴处长', unitB.id, ['unit_head']);
    await enrol('trans.liaison', '郑联络', unitC.id, ['liaison']);
    await enrol('trans.head', '冯处长', unitC.id, ['unit_head']);
    const organizer = organizerU.client;
    const approver = approverU.client;
    const leader = leaderU.client;
    const liaisonA = liaisonAU.client;
    const headA = headAU.client;
    const liaisonB = liaisonBU.client;
    const headB = headBU.client;

    // ---- 2. the organizer creates the plan, imports the draft, creates, schedules and opens the round ---
    const plan = await organizer.post(`${API}/plans`, { name: '某省“十五五”规划纲要' });
    ok(plan, 201);
    const planId = plan.json<{ id: string }>().id;
    const upload = await organizer.upload(`${API}/plans/${planId}/versions`, {
      name: '十五五规划纲要（征求意见稿）.md',
      data: Buffer.from(DRAFT),
    });
    ok(upload, 201);
    const v1 = upload.json<{ version: { id: string; seq: number } }>().version;
    expect(v1.seq).toBe(1);
    const tree = (await organizer.get(`${API}/versions/${v1.id}`)).json<{ clauses: Clause[] }>();
    const articles = flatten(tree.clauses).filter(
      (c) => c.number?.startsWith('第') && c.number.endsWith('条'),
    );
    expect(articles.map((c) => c.number)).toEqual([
      '第一条',
      '第二条',
      '第三条',
      '第四条',
      '第五条',
      '第六条',
    ]);
    const third = articles[2]!;
    const fourth = articles[3]!;

    const created = await organizer.post(`${API}/plans/${planId}/rounds`, {
      versionId: v1.id,
      title: '“十五五”规划纲要第一轮内部征求意见',
      kind: 'internal',
      opensAt: '2026-11-03T01:00:00Z',
      workingDays: 5,
      scope: null,
      visibility: 'after_close',
      silencePolicy: 'no_reply',
      invitations: [{ unitId: unitA.id, mandatory: true }, { unitId: unitB.id }, { unitId: unitC.id }],
    });
    ok(created, 201);
    const roundId = created.json<{ id: string }>().id;
    expect(created.json()).toMatchObject({ status: 'draft', workingDays: 5 });
    const roundUrl = `${API}/rounds/${roundId}`;
    ok(await organizer.post(`${roundUrl}/schedule`));
    const opened = await organizer.post(`${roundUrl}/open`);
    ok(opened);
    expect(opened.json()).toMatchObject({ status: 'open', openedAt: now.toISOString() });
    const openedAt = now.toISOString();
    const closesAt = opened.json<{ closesAt: string }>().closesAt;
    expect(closesAt > openedAt).toBe(true);

    const invitations = (await organizer.get(`${roundUrl}/invitations`)).json<
      { id: string; unitId: string; mandatory: boolean; status: string }[]
    >();
    expect(invitations).toHaveLength(3);
    const invitationOf = (unitId: string) => invitations.find((i) => i.unitId === unitId)!;
    expect(invitationOf(unitA.id).mandatory).toBe(true);
    const invA = invitationOf(unitA.id).id;
    const invB = invitationOf(unitB.id).id;

    // ---- 3. unit A drafts, reviews, signs off and sends; unit B sends 无意见; unit C stays silent --------
    later(DAY_MS);
    const ack = await liaisonA.post(`${API}/invitations/${invA}/acknowledge`);
    ok(ack);
    expect(ack.json()).toMatchObject({ status: 'acknowledged' });
    const withText = await liaisonA.post(`${roundUrl}/opinions`, {
      clauseStableId: fourth.stableId,
      quote: '达到15%',
      kind: 'substantive',
      suggestion: '建议将数字经济核心产业增加值占比目标由“达到15%”调整为“达到12%”，与全省产业基础相适应。',
      reasons: '2025年全省数字经济核心产业增加值占比约为9.6%，年均提高1个百分点以上难度较大。',
      proposedText: PROPOSED,
    });
    ok(withText, 201);
    const blocking = await liaisonA.post(`${roundUrl}/opinions`, {
      clauseStableId: third.stableId,
      quote: '保持在30%以上',
      kind: 'substantive',
      suggestion: '建议删除制造业比重“保持在30%以上”的硬性下限，改为定性表述。',
      reasons: '全省制造业比重2025年为27.4%，服务业占比持续上升，设定30%下限难以实现。',
      blocking: true,
    });
    ok(blocking, 201);
    const opinionText = withText.json<{ id: string }>().id;
    const opinionBlocking = blocking.json<{ id: string }>().id;
    expect(withText.json()).toMatchObject({ status: 'draft', regNo: null, quality: { flags: [] } });
    expect(blocking.json()).toMatchObject({ blocking: true, quality: { flags: [] } });

    // Colleagues in unit A see the drafts; the plan's side and the other units do not.
    const ownView = await headA.get(`${roundUrl}/opinions`);
    ok(ownView);
    expect(
      ownView
        .json<{ items: { id: string }[] }>()
        .items.map((o) => o.id)
        .sort(),
    ).toEqual([opinionText, opinionBlocking].sort());
    expect((await organizer.get(`${roundUrl}/opinions`)).json().items).toEqual([]);
    expect((await liaisonB.get(`${roundUrl}/opinions`)).json().items).toEqual([]);

    ok(await liaisonA.post(`${API}/invitations/${invA}/submit-for-review`));
    expect((await liaisonA.post(`${API}/invitations/${invA}/sign-off`)).statusCode).toBe(403);
    later(2 * HOUR_MS);
    const signed = await headA.post(`${API}/invitations/${invA}/sign-off`);
    ok(signed);
    expect(signed.json()).toMatchObject({ status: 'signed_off' });
    const sentA = await liaisonA.post(`${API}/invitations/${invA}/send`, {
      position: 'agree_with_amendments',
      summary: '原则同意，提出两条修改意见，其中一条为否决性意见。',
    });
    ok(sentA, 201);
    const receipt = sentA.json<{
      replyId: string;
      version: number;
      late: boolean;
      ledger: { seq: number; hash: string; alg: string };
    }>();
    expect(receipt).toMatchObject({ version: 1, late: false });
    const ledgerEvent = await admin.get(`${API}/ledger?after=${receipt.ledger.seq - 1}&limit=1`);
    ok(ledgerEvent);
    expect(ledgerEvent.json()).toEqual([
      expect.objectContaining({
        seq: receipt.ledger.seq,
        hash: receipt.ledger.hash,
        alg: receipt.ledger.alg,
        event: 'reply.sent',
      }),
    ]);
    const submitted = (await organizer.get(`${roundUrl}/opinions`)).json<{
      items: { id: string; status: string; regNo: string | null }[];
    }>().items;
    expect(submitted).toHaveLength(2);
    expect(submitted.every((o) => o.status === 'submitted' && o.regNo !== null)).toBe(true);

    ok(await liaisonB.post(`${API}/invitations/${invB}/start-drafting`));
    ok(await liaisonB.post(`${API}/invitations/${invB}/submit-for-review`));
    ok(await headB.post(`${API}/invitations/${invB}/sign-off`));
    const sentB = await headB.post(`${API}/invitations/${invB}/send`, { position: 'no_opinion' });
    ok(sentB, 201);
    expect(sentB.json()).toMatchObject({ version: 1, late: false });

    // ---- 4. close (C silent), assess, propose and approve dispositions (four eyes) -----------------------
    at(new Date(Date.parse(closesAt) - HOUR_MS).toISOString());
    const closed = await organizer.post(`${roundUrl}/close`);
    ok(closed);
    const closedAt = now.toISOString();
    expect(closed.json()).toMatchObject({ status: 'closed', closedAt });
    const monitor = (await organizer.get(`${roundUrl}/invitations`)).json<
      { unitId: string; status: string }[]
    >();
    expect(Object.fromEntries(monitor.map((i) => [i.unitId, i.status]))).toEqual({
      [unitA.id]: 'sent',
      [unitB.id]: 'sent',
      [unitC.id]: 'silent',
    });
    later(HOUR_MS);
    ok(await organizer.post(`${roundUrl}/start-assessment`));

    const propose = async (opinionId: string, body: Record<string, unknown>) => {
      const response = await organizer.post(`${API}/opinions/${opinionId}/dispositions`, body);
      ok(response, 201);
      return response.json<{ id: string; status: string }>().id;
    };
    const missingReason = await organizer.post(`${API}/opinions/${opinionBlocking}/dispositions`, {
      code: 'not_adopted',
    });
    expect(missingReason.statusCode).toBe(400);
    const adoptedId = await propose(opinionText, { code: 'adopted' });
    const notAdoptedId = await propose(opinionBlocking, {
      code: 'not_adopted',
      reason: NOT_ADOPTED_REASON,
      basis: 'law_policy',
    });
    const own = await organizer.post(`${API}/dispositions/${adoptedId}/approve`);
    expect(own.statusCode).toBe(403);
    expect(own.json().error.details).toMatchObject({ rule: 'four_eyes' });
    later(DAY_MS);
    ok(await approver.post(`${API}/dispositions/${adoptedId}/approve`));
    ok(await approver.post(`${API}/dispositions/${notAdoptedId}/approve`));
    const firstApprovalAt = now.toISOString();

    // Finishing is for a round whose feedback has gone out.
    expect((await organizer.post(`${roundUrl}/finish`)).statusCode).toBe(409);

    // ---- 5. feedback; unit A rates one opinion and objects to the other; independent review ---------------
    later(DAY_MS);
    const letters = await organizer.post(`${roundUrl}/feedback`);
    ok(letters, 201);
    // Only unit A has opinions, so only unit A gets a letter.
    const letter = letters.json<{ id: string; unitId: string; objectionDeadline: string }[]>();
    expect(letter.map((l) => l.unitId)).toEqual([unitA.id]);
    expect(letter[0]!.objectionDeadline).toBe(new Date(now.getTime() + 5 * DAY_MS).toISOString());
    const letterId = letter[0]!.id;
    const view = await liaisonA.get(`${API}/feedback/${letterId}`);
    ok(view);
    expect(
      view
        .json<{
          items: { opinion: { id: string }; disposition: { code: string; reason: string | null } }[];
        }>()
        .items.map((i) => [i.opinion.id, i.disposition.code, i.disposition.reason]),
    ).toEqual(
      expect.arrayContaining([
        [opinionText, 'adopted', null],
        [opinionBlocking, 'not_adopted', NOT_ADOPTED_REASON],
      ]),
    );
    later(DAY_MS);
    ok(
      await liaisonA.post(`${API}/feedback/${letterId}/responses`, {
        opinionId: opinionText,
        response: 'rated',
        rating: 'satisfied',
      }),
      201,
    );
    const objected = await headA.post(`${API}/feedback/${letterId}/responses`, {
      opinionId: opinionBlocking,
      response: 'objected',
      reasons: '2025年制造业比重已低于30%，维持硬性下限将倒逼统计口径调整，请复核。',
    });
    ok(objected, 201);
    const objection = objected.json<{ objection: { id: string; status: string } }>().objection;
    expect(objection.status).toBe('open');
    const objectionRaisedAt = now.toISOString();

    later(DAY_MS);
    const review = {
      outcome: 'change',
      note: '经复核，采纳部分意见，不再设定30%的硬性下限。',
      newDisposition: { code: 'partially_adopted', reason: PARTIAL_REASON, basis: 'data' },
    };
    const byApprover = await approver.post(`${API}/objections/${objection.id}/review`, review);
    expect(byApprover.statusCode).toBe(403);
    expect(byApprover.json().error.details).toMatchObject({ rule: 'independent_review' });
    const reviewed = await leader.post(`${API}/objections/${objection.id}/review`, review);
    ok(reviewed);
    expect(reviewed.json()).toMatchObject({ status: 'changed', reviewerId: leaderU.id });
    const reviewedAt = now.toISOString();
    const history = (await organizer.get(`${API}/opinions/${opinionBlocking}/dispositions`)).json<
      { code: string; status: string }[]
    >();
    expect(history.map((d) => [d.code, d.status])).toEqual([
      ['not_adopted', 'superseded'],
      ['partially_adopted', 'approved'],
    ]);

    // ---- 6. revision: accept the proposed text, edit the partially adopted clause, publish v2 ---------
    later(DAY_MS);
    const started = await organizer.post(`${API}/plans/${planId}/revisions`);
    ok(started, 201);
    const revisionId = started.json<{ revision: { id: string } }>().revision.id;
    const accepted = await organizer.post(`${API}/revisions/${revisionId}/accept`, {
      opinionId: opinionText,
    });
    ok(accepted);
    expect(accepted.json().changes).toEqual([
      expect.objectContaining({
        kind: 'edit',
        stableId: fourth.stableId,
        oldText: fourth.text,
        newText: PROPOSED,
        opinionIds: [opinionText],
      }),
    ]);
    const consistency = async () => {
      const response = await organizer.get(`${API}/revisions/${revisionId}/consistency`);
      ok(response);
      return response.json<{ adoptedWithoutChange: string[]; changesWithoutOpinion: string[] }>();
    };
    // The accepted opinion is matched by its change; the partially adopted one still waits for one.
    expect(await consistency()).toEqual({
      adoptedWithoutChange: [opinionBlocking],
      changesWithoutOpinion: [],
    });
    ok(
      await organizer.put(`${API}/revisions/${revisionId}/clauses/${third.stableId}`, {
        text: THIRD_REVISED,
        opinionIds: [opinionBlocking],
        reason: PARTIAL_REASON,
      }),
    );
    expect(await consistency()).toEqual({ adoptedWithoutChange: [], changesWithoutOpinion: [] });
    // The leader approves the submitted revision before the organizer publishes it.
    ok(await organizer.post(`${API}/revisions/${revisionId}/submit`));
    const approved = await leader.post(`${API}/revisions/${revisionId}/approve`);
    ok(approved);
    expect(approved.json().revision).toMatchObject({ status: 'approved', approvedBy: leaderU.id });
    const published = await organizer.post(`${API}/revisions/${revisionId}/publish`);
    ok(published, 201);
    const v2 = published.json<{ version: { id: string; seq: number; previousVersionId: string } }>().version;
    expect(v2).toMatchObject({ seq: 2, previousVersionId: v1.id });
    const versions = (await organizer.get(`${API}/plans/${planId}/versions`)).json<{ id: string }[]>();
    expect(versions.map((v) => v.id)).toEqual(expect.arrayContaining([v1.id, v2.id]));
    const v2Clauses = flatten(
      (await organizer.get(`${API}/versions/${v2.id}`)).json<{ clauses: Clause[] }>().clauses,
    );
    const byStable = new Map(v2Clauses.map((c) => [c.stableId, c]));
    expect(byStable.get(fourth.stableId)).toMatchObject({ number: '第四条', text: PROPOSED });
    expect(byStable.get(fourth.stableId)!.id).not.toBe(fourth.id);
    expect(byStable.get(third.stableId)?.text).toBe(THIRD_REVISED);
    expect(byStable.get(articles[0]!.stableId)?.text).toBe(articles[0]!.text);
    const integrationEnd = reviewedAt;

    // ---- 7. exports and metrics ----------------------------------------------------------------------
    const exportOf = async (kind: string, query = '') => {
      const response = await organizer.get(`${roundUrl}/exports/${kind}${query}`);
      ok(response);
      return response;
    };
    const regNos = new Map(submitted.map((o) => [o.id, o.regNo!]));
    const opinionRows = await xlsxRows((await exportOf('opinions', '?format=xlsx')).rawPayload);
    expect(opinionRows[0]).toEqual([
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
    expect(opinionRows).toHaveLength(3);
    const rowOf = (id: string) => opinionRows.find((r) => r[0] === regNos.get(id))!;
    expect(rowOf(opinionText)).toEqual([
      regNos.get(opinionText),
      '省工业和信息化厅',
      '省级',
      '第四条',
      '第二章/第四条',
      expect.stringContaining('达到12%'),
      expect.stringContaining('9.6%'),
      PROPOSED,
      '实质性',
      '已提交',
    ]);
    expect(rowOf(opinionBlocking).slice(1, 5)).toEqual([
      '省工业和信息化厅',
      '省级',
      '第三条',
      '第二章/第三条',
    ]);

    const dispositionsText = await docxText((await exportOf('dispositions', '?format=docx')).rawPayload);
    for (const expected of ['意见采纳情况表', '采纳', '部分采纳', PARTIAL_REASON, regNos.get(opinionText)!]) {
      expect(dispositionsText).toContain(expected);
    }

    const revised = await JSZip.loadAsync((await exportOf('revision')).rawPayload);
    const xml = await revised.file('word/document.xml')!.async('string');
    expect(xml).toMatch(/<w:ins w:id="\d+" w:author="[^"]+" w:date="[^"]+">/);
    expect(xml).toMatch(/<w:del w:id="\d+"/);
    expect(xml).toContain('<w:delText');

    const comparisonText = await docxText((await exportOf('comparison')).rawPayload);
    expect(comparisonText).toContain(fourth.text);
    expect(comparisonText).toContain(PROPOSED);

    const reportText = await docxText((await exportOf('report')).rawPayload);
    for (const expected of [
      '征求意见情况说明',
      '共征求3家单位意见，2家单位回复',
      '参与率66.7%',
      '采纳率100.0%',
    ]) {
      expect(reportText).toContain(expected);
    }

    const ledgerExport = await exportOf('ledger');
    expect(ledgerExport.headers['content-type']).toContain('application/x-ndjson');
    const lines = ledgerExport.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; event: string; hash: string; prevHash: string });
    const events = lines.map((l) => l.event);
    for (const expected of [
      'round.opened',
      'reply.sent',
      'round.closed',
      'invitation.silent',
      'round.assessment_started',
      'disposition.approved',
      'round.feedback_sent',
      'objection.reviewed',
      'revision.opinion_accepted',
      'revision.submitted',
      'revision.approved',
      'revision.published',
    ]) {
      expect(events, expected).toContain(expected);
    }
    expect(lines.find((l) => l.seq === receipt.ledger.seq)?.hash).toBe(receipt.ledger.hash);

    const metrics = await organizer.get(`${roundUrl}/metrics`);
    ok(metrics);
    const days = (from: string, to: string) =>
      Math.round(((Date.parse(to) - Date.parse(from)) / DAY_MS) * 100) / 100;
    expect(metrics.json()).toMatchObject({
      counts: {
        invited: 3,
        sent: 2,
        onTime: 2,
        opinions: 2,
        valid: 2,
        disposed: 2,
        adopted: 1,
        partiallyAdopted: 1,
        rated: 1,
        satisfied: 1,
        objected: 1,
      },
      participationRate: 2 / 3,
      onTimeRate: 2 / 3,
      validOpinionRatio: 1,
      adoptionRate: 1,
      satisfaction: 1,
      objectionRate: 0.5,
      solicitationDays: days(openedAt, closedAt),
      integrationDays: days(closedAt, integrationEnd),
      objections: { raised: 1, open: 0, reviewed: 1, upheld: 0, changed: 1, escalated: 0, dissent: 0 },
    });
    expect(firstApprovalAt < objectionRaisedAt).toBe(true);
    const byUnit = metrics.json<{
      byUnit: { unitId: string; invited: number; sent: number; opinions: number }[];
    }>().byUnit;
    expect(byUnit.find((u) => u.unitId === unitA.id)).toMatchObject({ invited: 1, sent: 1, opinions: 2 });
    expect(byUnit.find((u) => u.unitId === unitB.id)).toMatchObject({ invited: 1, sent: 1, opinions: 0 });
    expect(byUnit.find((u) => u.unitId === unitC.id)).toMatchObject({ invited: 1, sent: 0, opinions: 0 });

    // ---- 8. finish the round; the ledger verifies ---------------------------------------------------
    later(DAY_MS);
    expect((await liaisonA.post(`${roundUrl}/finish`)).statusCode).toBe(403);
    const finished = await organizer.post(`${roundUrl}/finish`);
    ok(finished);
    expect(finished.json()).toMatchObject({ status: 'finished', finishedAt: now.toISOString() });
    expect((await organizer.post(`${roundUrl}/finish`)).statusCode).toBe(409);
    const finishEvents = await admin.get(`${API}/ledger?entity=round&entityId=${roundId}&limit=100`);
    expect(finishEvents.json<{ event: string }[]>().map((e) => e.event)).toEqual([
      'round.created',
      'round.scheduled',
      'round.opened',
      'round.closed',
      'round.assessment_started',
      'round.feedback_sent',
      'round.finished',
    ]);
    const verify = await admin.get(`${API}/ledger/verify`);
    ok(verify);
    expect(verify.json()).toMatchObject({ ok: true, break: null });
    expect(verify.json<{ checked: number }>().checked).toBeGreaterThan(40);
  });

  it('finishes only a round in feedback, for the plan organizers, recording round.finished', async () => {
    at('2026-11-20T02:00:00Z');
    t = await createTestApp(db(), { now: () => now });
    const round = await createRound(db(), { status: 'feedback' });
    const organizer = await t.signIn(round.organizer);
    const url = `${API}/rounds/${round.roundId}/finish`;
    expect((await (await t.signIn(round.invited[0]!.liaison)).post(url)).statusCode).toBe(403);
    expect((await (await t.signIn(round.leader)).post(url)).statusCode).toBe(403);
    expect((await t.anonymous.post(url)).statusCode).toBe(401);
    const finished = await organizer.post(url);
    expect(finished.statusCode, finished.body).toBe(200);
    expect(finished.json()).toMatchObject({ status: 'finished', finishedAt: now.toISOString() });
    const again = await organizer.post(url);
    expect(again.statusCode).toBe(409);
    const events = await db()
      .db.selectFrom('ledger_event')
      .select(['event', 'payload'])
      .where('entity_id', '=', round.roundId)
      .execute();
    expect(events.map((e) => e.event)).toEqual(['round.finished']);

    const open = await createRound(db(), { status: 'open' });
    const other = await t.signIn(open.organizer);
    expect((await other.post(`${API}/rounds/${open.roundId}/finish`)).statusCode).toBe(409);
  });
});
