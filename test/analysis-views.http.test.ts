import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { newId } from '../src/server/lib/ids.ts';
import { CLI_ACTOR } from '../src/server/services/context.ts';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import { drainAnalysisJobs, submitOpinion } from './analysis-app.ts';
import type { TestRound } from './consultation-factories.ts';
import { SAMPLE_DRAFT, createRound, insertInvitationRow, insertRoundRow } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import { createUnit } from './factories.ts';
import { createDisposition } from './integration-factories.ts';

const API = '/api/v1';

interface Side {
  id: string;
  unitName: string | null;
  stance: string | null;
}

describeDb('analysis views API', (db) => {
  let t: TestApp | null = null;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await t?.close();
    t = null;
    for (const close of closers.splice(0)) {
      await close();
    }
  });

  async function setup(env: Record<string, string> = {}): Promise<{
    t: TestApp;
    round: TestRound;
    organizer: TestClient;
  }> {
    const round = await createRound(db());
    t = await createTestApp(db(), { env });
    return { t, round, organizer: await t.signIn(round.organizer) };
  }

  /** A finished round of an earlier plan of the same owner unit, the first unit invited again. */
  async function earlierRound(app: TestApp, round: TestRound, name: string): Promise<TestRound> {
    const plan = await app.services.plans.createPlan(CLI_ACTOR, { name, ownerUnitId: round.ownerUnit.id });
    const imported = await app.services.drafts.importVersion(CLI_ACTOR, {
      planId: plan.id,
      fileName: 'draft.md',
      data: Buffer.from(SAMPLE_DRAFT),
    });
    const roundId = newId();
    await insertRoundRow(db(), {
      id: roundId,
      planId: plan.id,
      versionId: imported.version.id,
      title: '上一轮征求意见',
      status: 'finished',
      opensAt: '2025-03-01T00:00:00.000Z',
      closesAt: '2025-03-15T00:00:00.000Z',
      createdBy: round.organizer.id,
    });
    const invitationId = newId();
    const invited = round.invited[0]!;
    await insertInvitationRow(db(), {
      id: invitationId,
      roundId,
      unitId: invited.unit.id,
      level: invited.unit.level,
      mandatory: true,
    });
    return {
      ...round,
      planId: plan.id,
      versionId: imported.version.id,
      roundId,
      invited: [{ ...invited, invitationId }],
    };
  }

  it('lists conflict candidates of two units with opposite stances on a clause', async () => {
    const { t, round, organizer } = await setup();
    const [a, b] = round.invited as [TestRound['invited'][0], TestRound['invited'][0]];
    const clause = round.articles[1]!;
    const pro = await submitOpinion(db(), round, {
      invited: a,
      clause,
      suggestion: '支持第二条，到2030年比重达到15%的目标符合全省实际，应予保留。',
    });
    const con = await submitOpinion(db(), round, {
      invited: b,
      clause,
      suggestion: '反对第二条的目标，15%明显过高，建议到2030年达到12%。',
      proposedText: '到2030年，全省数字经济核心产业增加值占地区生产总值比重达到12%。',
    });
    // The same unit on another clause: never paired with these.
    await submitOpinion(db(), round, {
      invited: a,
      clause: round.articles[3]!,
      suggestion: '反对建立授权运营制度。',
    });
    await drainAnalysisJobs(t);
    await organizer.post(`${API}/rounds/${round.roundId}/analysis/run`);
    await drainAnalysisJobs(t);
    await organizer.put(`${API}/opinions/${pro.id}/stance`, { stance: 'support' });
    await organizer.put(`${API}/opinions/${con.id}/stance`, { stance: 'oppose' });

    const response = await organizer.get(
      `${API}/rounds/${round.roundId}/conflict-candidates?clause=${clause.stableId}`,
    );
    expect(response.statusCode).toBe(200);
    const { items } = response.json<{
      items: { clauseStableId: string; reasons: string[]; score: number; a: Side; b: Side }[];
    }>();
    expect(items).toHaveLength(1);
    const candidate = items[0]!;
    expect(candidate.clauseStableId).toBe(clause.stableId);
    expect(candidate.reasons).toContain('opposite_stance');
    expect(candidate.score).toBeGreaterThan(0);
    expect([candidate.a.id, candidate.b.id].sort()).toEqual([pro.id, con.id].sort());
    const byId = new Map([candidate.a, candidate.b].map((s) => [s.id, s]));
    expect(byId.get(pro.id)).toMatchObject({ unitName: a.unit.name, stance: 'support' });
    expect(byId.get(con.id)).toMatchObject({ unitName: b.unit.name, stance: 'oppose' });

    // Over the whole round, the lone opinion on the other clause has nobody to disagree with.
    const all = (await organizer.get(`${API}/rounds/${round.roundId}/conflict-candidates`)).json<{
      items: unknown[];
    }>();
    expect(all.items).toHaveLength(1);
  });

  it('lists the stances of a round filtered in the database, a page at a time', async () => {
    const { t, round, organizer } = await setup();
    const [first, second] = [round.articles[1]!, round.articles[3]!];
    const pro = await submitOpinion(db(), round, {
      clause: first,
      suggestion: '完全支持第二条，到2030年比重达到15%的目标符合全省实际，应予保留。',
    });
    const con = await submitOpinion(db(), round, {
      clause: first,
      suggestion: '坚决反对第二条的目标，15%明显过高，脱离实际。',
    });
    const other = await submitOpinion(db(), round, {
      clause: second,
      suggestion: '建议将授权运营制度的试点范围扩大到全部设区市。',
    });
    await drainAnalysisJobs(t);
    await organizer.post(`${API}/rounds/${round.roundId}/analysis/run`);
    await drainAnalysisJobs(t);
    await organizer.put(`${API}/opinions/${con.id}/stance`, { stance: 'oppose' });
    // Sent after the analysis ran: no stance yet.
    const late = await submitOpinion(db(), round, { clause: first, suggestion: '同意。' });

    type Row = {
      id: string;
      clauseStableId: string | null;
      stance: { label: string; score: number | null; source: string } | null;
    };
    const list = async (query: string): Promise<Row[]> => {
      const response = await organizer.get(`${API}/rounds/${round.roundId}/stances?${query}`);
      expect(response.statusCode, query).toBe(200);
      return response.json<{ items: Row[] }>().items;
    };
    const ids = (rows: Row[]) => rows.map((r) => r.id);

    // Everything, in the order it was made, each with the stance the database holds.
    const all = await list('');
    expect(ids(all)).toEqual([pro.id, con.id, other.id, late.id]);
    const stored = await db()
      .db.selectFrom('opinion_analysis')
      .select(['opinion_id', 'stance', 'stance_score', 'stance_source'])
      .where('round_id', '=', round.roundId)
      .execute();
    for (const row of all) {
      const analysis = stored.find((a) => a.opinion_id === row.id);
      expect(row.stance, row.id).toEqual(
        analysis?.stance
          ? {
              label: analysis.stance,
              score: analysis.stance_score === null ? null : Number(analysis.stance_score),
              source: analysis.stance_source,
            }
          : null,
      );
    }
    expect(all[1]!.stance).toMatchObject({ label: 'oppose', source: 'human' });
    expect(all[3]!.stance).toBeNull();

    // Each filter against what the rows say, and each combination the review offers.
    const byMachine = all.filter((r) => r.stance?.source === 'machine');
    expect(byMachine.length).toBeGreaterThan(0);
    expect(ids(await list('source=machine'))).toEqual(ids(byMachine));
    expect(ids(await list('source=human'))).toEqual([con.id]);
    expect(ids(await list('stance=oppose&source=human'))).toEqual([con.id]);
    expect(ids(await list('stance=unknown'))).toEqual(ids(all.filter((r) => r.stance === null)));
    expect(ids(await list('stance=unknown'))).toContain(late.id);
    expect(ids(await list('stance=unknown&source=machine'))).toEqual([]);
    for (const stance of ['support', 'oppose', 'modify', 'none']) {
      expect(ids(await list(`stance=${stance}`)), stance).toEqual(
        ids(all.filter((r) => r.stance?.label === stance)),
      );
    }
    expect(ids(await list(`clause=${second.stableId}`))).toEqual([other.id]);
    expect(ids(await list(`clause=${first.stableId}&stance=oppose`))).toEqual(
      ids(all.filter((r) => r.clauseStableId === first.stableId && r.stance?.label === 'oppose')),
    );

    // A page at a time: the cursors walk the same rows.
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (await organizer.get(`${API}/rounds/${round.roundId}/stances?${query}`)).json<{
        items: Row[];
        nextCursor: string | null;
      }>();
      walked.push(...ids(page.items));
      cursor = page.nextCursor;
    } while (cursor !== null && walked.length < 10);
    expect(walked).toEqual(ids(all));

    for (const [query, field] of [
      ['stance=maybe', 'stance'],
      ['source=robot', 'source'],
      ['cursor=nonsense', 'cursor'],
    ] as const) {
      const bad = await organizer.get(`${API}/rounds/${round.roundId}/stances?${query}`);
      expect(bad.statusCode, query).toBe(400);
      expect(JSON.stringify(bad.json()), query).toContain(field);
    }
  });

  it('summarises a clause only with sentences quoted from its opinions', async () => {
    const { t, round, organizer } = await setup();
    const [a, b] = round.invited as [TestRound['invited'][0], TestRound['invited'][0]];
    const clause = round.articles[2]!;
    const texts = [
      '建议加快算力中心布局。算力调度平台应覆盖全部设区市。请明确建设时间表。',
      'The computing platform should publish its energy use every year. We support the clause.',
      '同意本条。建议加快算力中心布局，优先支持中西部地区。😀',
    ];
    const ids = [];
    for (const [i, text] of texts.entries()) {
      ids.push((await submitOpinion(db(), round, { invited: i === 1 ? b : a, clause, suggestion: text })).id);
    }
    await submitOpinion(db(), round, {
      invited: b,
      clause: round.articles[0]!,
      suggestion: '另一条的意见。',
    });
    await organizer.post(`${API}/rounds/${round.roundId}/analysis/run`);
    await drainAnalysisJobs(t);

    const response = await organizer.get(`${API}/rounds/${round.roundId}/clauses/${clause.stableId}/summary`);
    expect(response.statusCode).toBe(200);
    const summary = response.json<{
      clauseText: string;
      opinions: number;
      stance: Record<string, number>;
      keyphrases: { text: string }[];
      sentences: {
        text: string;
        opinionId: string;
        regNo: string | null;
        start: number;
        end: number;
        supporting: { opinionId: string }[];
      }[];
    }>();
    expect(summary.clauseText).toBe(clause.text);
    expect(summary.opinions).toBe(3);
    expect(Object.values(summary.stance).reduce((x, y) => x + y, 0)).toBe(3);
    expect(summary.keyphrases.length).toBeGreaterThan(0);
    expect(summary.sentences.length).toBeGreaterThan(0);
    const regNos = new Map(
      (
        await db()
          .db.selectFrom('opinion')
          .select(['id', 'reg_no', 'suggestion'])
          .where('id', 'in', ids)
          .execute()
      ).map((r) => [r.id, r]),
    );
    for (const sentence of summary.sentences) {
      const source = regNos.get(sentence.opinionId);
      expect(source, sentence.text).toBeDefined();
      expect(source!.suggestion.slice(sentence.start, sentence.end)).toBe(sentence.text);
      expect(sentence.regNo).toBe(source!.reg_no);
      for (const s of sentence.supporting) {
        expect(ids).toContain(s.opinionId);
      }
    }
    const missing = await organizer.get(`${API}/rounds/${round.roundId}/clauses/no-such-clause/summary`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { details: { field: 'stableId' } } });
  });

  it('routes clauses to the units whose responsibilities they mention', async () => {
    const { round, organizer } = await setup();
    const dataBureau = await createUnit(db(), { name: '省数据局', keywords: ['算力中心', '公共数据'] });
    await createUnit(db(), { name: '省教育厅', keywords: ['义务教育', '教师队伍'] });
    const response = await organizer.get(`${API}/versions/${round.versionId}/routing`);
    expect(response.statusCode).toBe(200);
    const routing = response.json<{
      clauses: {
        stableId: string;
        units: { unitId: string; unitName: string; matched: string[]; questions: string[] }[];
      }[];
      invitees: { unitId: string; clauses: number; matched: string[] }[];
    }>();
    const third = routing.clauses.find((c) => c.stableId === round.articles[2]!.stableId);
    expect(third?.units).toEqual([
      expect.objectContaining({ unitId: dataBureau.id, unitName: '省数据局', matched: ['算力中心'] }),
    ]);
    expect(third!.units[0]!.questions.join('')).toContain('算力中心');
    const fourth = routing.clauses.find((c) => c.stableId === round.articles[3]!.stableId);
    expect(fourth?.units.map((u) => [u.unitId, u.matched])).toEqual([[dataBureau.id, ['公共数据']]]);
    expect(routing.invitees[0]).toMatchObject({ unitId: dataBureau.id, clauses: 2 });
    expect(routing.invitees.map((i) => i.unitId)).not.toContain(round.invited[0]!.unit.id);
    expect((await organizer.get(`${API}/versions/no-such-version/routing`)).statusCode).toBe(404);
  });

  it('shows similar opinions from earlier plans of the same unit, with what became of them', async () => {
    const { t, round, organizer } = await setup();
    const earlier = await earlierRound(t, round, '数字政府建设规划');
    const old = await submitOpinion(db(), earlier, {
      clause: null,
      suggestion: '建议加快省级算力调度平台建设，统筹全省算力中心布局，避免重复建设。',
    });
    await createDisposition(db(), earlier, old.id, { code: 'adopted' });
    // A plan of another unit says the same: the organizer cannot read it, so it is never shown.
    const foreign = await createRound(db());
    await submitOpinion(db(), foreign, {
      clause: null,
      suggestion: '建议加快省级算力调度平台建设，统筹全省算力中心布局，避免重复建设。',
    });
    const current = await submitOpinion(db(), round, {
      suggestion: '建议加快算力调度平台建设，统筹算力中心布局，防止各地重复建设。',
    });
    await drainAnalysisJobs(t);

    const view = await organizer.get(`${API}/opinions/${current.id}/analysis`);
    expect(view.statusCode).toBe(200);
    const similar = view.json<{
      similar: {
        opinionId: string;
        planName: string;
        roundTitle: string;
        score: number;
        dispositionCode: string | null;
      }[];
    }>().similar;
    expect(similar).toEqual([
      expect.objectContaining({
        opinionId: old.id,
        planName: '数字政府建设规划',
        roundTitle: '上一轮征求意见',
        dispositionCode: 'adopted',
      }),
    ]);
    expect(similar[0]!.score).toBeGreaterThan(0.3);

    // The index follows new opinions of those plans.
    const later = await submitOpinion(db(), earlier, {
      clause: null,
      suggestion: '算力调度平台建设要加快，算力中心布局要统筹，重复建设要避免。',
    });
    const again = (await organizer.get(`${API}/opinions/${current.id}/analysis?similar=5`)).json<{
      similar: { opinionId: string }[];
    }>().similar;
    expect(again.map((s) => s.opinionId).sort()).toEqual([old.id, later.id].sort());
    expect((await organizer.get(`${API}/opinions/${current.id}/analysis?similar=0`)).json()).toMatchObject({
      similar: [],
    });
  });

  it('has a language model draft a summary and a revision when one is configured', async () => {
    const requests: {
      url: string;
      body: { model: string; messages: { role: string; content: string }[] };
    }[] = [];
    const server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      request.on('end', () => {
        requests.push({ url: request.url ?? '', body: JSON.parse(raw) as (typeof requests)[number]['body'] });
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({
            model: 'local-test-model',
            choices: [{ message: { content: '<think>…</think>各方建议加快算力中心布局 [T1]。' } }],
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;
    const { t, round, organizer } = await setup({
      CONCORD_LLM_URL: `http://127.0.0.1:${port}/v1`,
      CONCORD_LLM_MODEL: 'qwen-test',
    });
    const clause = round.articles[2]!;
    const opinion = await submitOpinion(db(), round, {
      clause,
      suggestion: '建议加快算力中心布局。请明确建设时间表。',
      proposedText: '加快新型基础设施建设，2027年前建成省级算力调度平台。',
    });
    await drainAnalysisJobs(t);

    const summary = await organizer.post(
      `${API}/rounds/${round.roundId}/clauses/${clause.stableId}/summary/draft`,
    );
    expect(summary.statusCode).toBe(200);
    expect(summary.json()).toMatchObject({
      text: '各方建议加快算力中心布局 [T1]。',
      model: 'local-test-model',
      draft: true,
      sources: [{ opinionId: opinion.id, regNo: opinion.regNo, cited: opinion.regNo }],
    });
    expect(requests[0]!.url).toBe('/v1/chat/completions');
    expect(requests[0]!.body.model).toBe('qwen-test');
    expect(requests[0]!.body.messages.at(-1)!.content).toContain('建议加快算力中心布局。');

    const revision = await organizer.post(
      `${API}/rounds/${round.roundId}/clauses/${clause.stableId}/revision-draft`,
    );
    expect(revision.statusCode).toBe(200);
    expect(revision.json()).toMatchObject({ draft: true, model: 'local-test-model' });
    expect(requests[1]!.body.messages.at(-1)!.content).toContain('2027年前建成省级算力调度平台');

    // A unit never drafts from others' opinions.
    const liaison = await t.signIn(round.invited[1]!.liaison);
    expect(
      (await liaison.post(`${API}/rounds/${round.roundId}/clauses/${clause.stableId}/revision-draft`))
        .statusCode,
    ).toBe(403);
    expect(requests).toHaveLength(2);
  });

  it('answers 503 for drafts when no language model is configured', async () => {
    const { round, organizer } = await setup();
    const clause = round.articles[2]!;
    await submitOpinion(db(), round, { clause, suggestion: '建议加快算力中心布局。' });
    const response = await organizer.post(
      `${API}/rounds/${round.roundId}/clauses/${clause.stableId}/summary/draft`,
    );
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      error: { code: 'unavailable', message: expect.stringContaining('CONCORD_LLM_URL') },
    });
  });
});
