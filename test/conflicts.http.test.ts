import mammoth from 'mammoth';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import type { FigureConflictRound } from './conflict-factories.ts';
import { createFigureConflictRound } from './conflict-factories.ts';
import { describeDb } from './db.ts';

const API = '/api/v1';

describeDb('conflicts API', (db) => {
  let t: TestApp;
  let s: FigureConflictRound;
  let organizer: TestClient;
  let assessor: TestClient;
  let partyLiaison: TestClient;
  let outsider: TestClient;
  let leaders: TestClient[];

  beforeEach(async () => {
    t = await createTestApp(db());
    s = await createFigureConflictRound(db());
    organizer = await t.signIn(s.round.organizer);
    assessor = await t.signIn(s.assessor);
    partyLiaison = await t.signIn(s.round.invited[0]!.liaison);
    outsider = await t.signIn(s.round.invited[2]!.liaison);
    leaders = [await t.signIn(s.leaders[0]), await t.signIn(s.leaders[1]), await t.signIn(s.leaders[2])];
  });
  afterEach(() => t.close());

  const ledgerEvents = async () =>
    (await db().db.selectFrom('ledger_event').select(['event', 'payload']).orderBy('seq').execute()).map(
      (e) => ({ event: e.event, payload: JSON.parse(e.payload) as Record<string, unknown> }),
    );
  const dispositionsOf = (opinionId: string) =>
    db()
      .db.selectFrom('disposition')
      .selectAll()
      .where('opinion_id', '=', opinionId)
      .orderBy('created_at')
      .orderBy('status')
      .execute();
  const conflictRow = (id: string) =>
    db().db.selectFrom('conflict').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const openConflict = async (body: Record<string, unknown> = {}) => {
    const response = await organizer.post(`${API}/rounds/${s.round.roundId}/conflicts`, {
      opinionIds: [s.high.id, s.low.id],
      ...body,
    });
    expect(response.statusCode).toBe(201);
    return response.json<{ id: string; sides: { side: string; parties: { opinionId: string }[] }[] }>();
  };

  it('resolves a conflict over a figure (+20% vs +15%) by a data argument and writes the dispositions back', async () => {
    const created = await organizer.post(`${API}/rounds/${s.round.roundId}/conflicts`, {
      opinionIds: [s.high.id, s.low.id],
      createdFrom: 'candidate',
    });
    expect(created.statusCode).toBe(201);
    const conflict = created.json();
    expect(conflict).toMatchObject({
      status: 'open',
      level: null,
      createdFrom: 'candidate',
      clauseStableId: s.clauseStableId,
      clauseNumber: '第二条',
      ageDays: 0,
      can: { manage: true, resolve: true, decide: false },
    });
    expect(conflict.sides.map((x: { side: string }) => x.side)).toEqual(['a', 'b']);
    const [sideA, sideB] = conflict.sides as {
      parties: { opinionId: string; unitName: string; figures: { value: number; unit: string }[] }[];
    }[];
    expect(sideA!.parties[0]).toMatchObject({
      opinionId: s.high.id,
      unitName: s.round.invited[0]!.unit.name,
    });
    expect(sideA!.parties[0]!.figures.some((f) => f.value === 20 && f.unit === '%')).toBe(true);
    expect(sideB!.parties[0]!.figures.some((f) => f.value === 15 && f.unit === '%')).toBe(true);

    // An opinion is in at most one open conflict.
    const twice = await organizer.post(`${API}/rounds/${s.round.roundId}/conflicts`, {
      opinionIds: [s.high.id, s.low.id],
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.details.conflictIds).toEqual([conflict.id]);

    // The board, by clause and by unit pair.
    const board = await organizer.get(
      `${API}/rounds/${s.round.roundId}/conflicts?unitId=${s.round.invited[0]!.unit.id}&otherUnitId=${s.round.invited[1]!.unit.id}`,
    );
    expect(board.statusCode).toBe(200);
    expect(board.json().items).toMatchObject([{ id: conflict.id, parties: 2, methods: 0, status: 'open' }]);
    const otherPair = await organizer.get(
      `${API}/rounds/${s.round.roundId}/conflicts?unitId=${s.round.invited[2]!.unit.id}`,
    );
    expect(otherPair.json().items).toEqual([]);

    // Units read the conflicts of their own opinions, without the methods; others see nothing.
    expect((await partyLiaison.get(`${API}/conflicts/${conflict.id}`)).statusCode).toBe(200);
    expect((await partyLiaison.get(`${API}/rounds/${s.round.roundId}/conflicts`)).json().items).toHaveLength(
      1,
    );
    expect((await outsider.get(`${API}/conflicts/${conflict.id}`)).statusCode).toBe(403);
    expect((await outsider.get(`${API}/rounds/${s.round.roundId}/conflicts`)).json().items).toEqual([]);

    // The data argument: the forecast series supports +15%.
    const method = await organizer.post(`${API}/conflicts/${conflict.id}/methods`, {
      kind: 'data',
      sheet: {
        question: '预测序列支持的年均增速是多少？',
        inputs: [
          {
            name: 'base2025',
            label: '2025年增加值',
            value: 5200,
            unit: '亿元',
            source: { itemId: 'yearbook-2025', passage: '表3-2' },
          },
          { name: 'forecast2030', label: '2030年预测值', value: 5980, unit: '亿元' },
        ],
        formula: '(forecast2030 / base2025 - 1) * 100',
        resultUnit: '%',
      },
    });
    expect(method.statusCode).toBe(201);
    const methodId = method.json().id as string;
    expect(method.json()).toMatchObject({
      kind: 'data',
      title: '数据论证',
      status: 'planned',
      sheet: { result: null },
    });
    expect((await conflictRow(conflict.id)).status).toBe('in_resolution');
    expect(
      (await partyLiaison.post(`${API}/conflicts/${conflict.id}/methods`, { kind: 'data' })).statusCode,
    ).toBe(403);

    // Bad calculations are clear errors that write nothing.
    const before = await ledgerEvents();
    const zero = await organizer.post(`${API}/methods/${methodId}/calculate`, {
      formula: 'forecast2030 / (base2025 - base2025)',
    });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().error.message).toBe('Division by zero: the divisor (5200 - 5200) is 0.');
    const missing = await organizer.post(`${API}/methods/${methodId}/calculate`, {
      inputs: [
        { name: 'base2025', value: null, unit: '亿元' },
        { name: 'forecast2030', value: 5980 },
      ],
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details).toMatchObject({ input: 'base2025' });
    const unknown = await organizer.post(`${API}/methods/${methodId}/calculate`, { formula: 'growth * 100' });
    expect(unknown.json().error.details).toMatchObject({ field: 'formula', symbol: 'growth' });
    expect(await ledgerEvents()).toEqual(before);
    const stored = (await organizer.get(`${API}/conflicts/${conflict.id}`)).json().methods[0];
    expect(stored.sheet).toMatchObject({ formula: '(forecast2030 / base2025 - 1) * 100', result: null });

    const calculated = await organizer.post(`${API}/methods/${methodId}/calculate`, {
      conclusion: '预测序列支持年均增长15%，20%缺乏数据支撑。',
    });
    expect(calculated.statusCode).toBe(200);
    expect(calculated.json()).toMatchObject({
      status: 'running',
      sheet: {
        result: { value: 15, shown: '(5980 / 5200 - 1) * 100' },
        conclusion: '预测序列支持年均增长15%，20%缺乏数据支撑。',
        resultUnit: '%',
      },
    });

    // Approving a disposition of an opinion in the open conflict is refused, naming the conflict.
    const proposed = await assessor.post(`${API}/opinions/${s.high.id}/dispositions`, { code: 'adopted' });
    expect(proposed.statusCode).toBe(201);
    const blocked = await organizer.post(`${API}/dispositions/${proposed.json().id}/approve`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.message).toContain(conflict.title);
    expect(blocked.json().error.details).toMatchObject({ conflictId: conflict.id });
    expect((await dispositionsOf(s.high.id)).map((d) => d.status)).toEqual(['proposed']);

    // Resolved at the team level: the decision flows into both dispositions.
    const decision = '经数据论证，预测序列支持年均增长15%，维持原目标。';
    expect(
      (await partyLiaison.post(`${API}/conflicts/${conflict.id}/resolve`, { decision, code: 'adopted' }))
        .statusCode,
    ).toBe(403);
    const resolved = await organizer.post(`${API}/conflicts/${conflict.id}/resolve`, {
      decision,
      outcomes: [
        { opinionId: s.high.id, code: 'not_adopted' },
        { opinionId: s.low.id, code: 'adopted' },
      ],
    });
    expect(resolved.statusCode).toBe(200);
    const view = resolved.json();
    expect(view).toMatchObject({
      status: 'resolved',
      decision,
      resolvedBy: s.round.organizer.id,
      can: { resolve: false },
    });
    const parties = view.sides.flatMap((x: { parties: unknown[] }) => x.parties) as {
      opinionId: string;
      outcomeCode: string;
      dispositionId: string;
    }[];
    expect(parties.map((p) => [p.opinionId, p.outcomeCode])).toEqual([
      [s.high.id, 'not_adopted'],
      [s.low.id, 'adopted'],
    ]);

    const high = await dispositionsOf(s.high.id);
    expect(high.map((d) => d.status).sort()).toEqual(['approved', 'superseded']);
    const approvedHigh = high.find((d) => d.status === 'approved')!;
    expect(approvedHigh).toMatchObject({ code: 'not_adopted', basis: 'conflict', reason: decision });
    expect(approvedHigh.id).toBe(parties[0]!.dispositionId);
    const low = await dispositionsOf(s.low.id);
    expect(low).toMatchObject([{ code: 'adopted', basis: 'conflict', status: 'approved' }]);
    const opinions = await db()
      .db.selectFrom('opinion')
      .select(['id', 'disposition_status'])
      .where('id', 'in', [s.high.id, s.low.id])
      .execute();
    expect(opinions.every((o) => o.disposition_status === 'approved')).toBe(true);

    const events = await ledgerEvents();
    const names = events.map((e) => e.event);
    for (const name of [
      'conflict.opened',
      'conflict.method_added',
      'conflict.calculated',
      'conflict.resolved',
    ]) {
      expect(names).toContain(name);
    }
    const written = events.filter(
      (e) => e.event === 'disposition.proposed' && e.payload.conflictId === conflict.id,
    );
    expect(written).toHaveLength(2);
    expect(
      events
        .filter((e) => e.event === 'disposition.approved')
        .map((e) => e.payload.opinionId)
        .sort(),
    ).toEqual([s.high.id, s.low.id].sort());
    expect(events.find((e) => e.event === 'conflict.resolved')!.payload).toMatchObject({ decision });

    // Once settled the conflict no longer blocks, and cannot be resolved again.
    expect(
      (await organizer.post(`${API}/conflicts/${conflict.id}/resolve`, { decision, code: 'adopted' }))
        .statusCode,
    ).toBe(409);
    const metrics = await leaders[0]!.get(`${API}/rounds/${s.round.roundId}/conflict-metrics`);
    expect(metrics.statusCode).toBe(200);
    expect(metrics.json()).toMatchObject({
      total: 1,
      counts: { resolved: 1, open: 0, escalated: 0, decided: 0 },
      resolutionDays: { settled: 1 },
    });
    expect(metrics.json().resolutionDays.median).toBeGreaterThanOrEqual(0);
    expect((await partyLiaison.get(`${API}/rounds/${s.round.roundId}/conflict-metrics`)).statusCode).toBe(
      403,
    );
  });

  it('escalates a conflict twice and a leader decides it at the third rung; deciding above one’s rung is refused', async () => {
    const ladder = await organizer.put(`${API}/plans/${s.round.planId}/escalation-ladder`, {
      rungs: [
        { name: '编制组长', role: 'organizer', userIds: [] },
        { name: '牵头单位负责人', role: 'leader', userIds: [s.leaders[0].id] },
        { name: '分管领导', role: 'leader', userIds: [s.leaders[1].id] },
        { name: '主要领导', role: 'leader', userIds: [s.leaders[2].id] },
      ],
    });
    expect(ladder.statusCode).toBe(200);
    expect(ladder.json()).toMatchObject({
      custom: true,
      rungs: [{ rank: 0 }, { rank: 1 }, { rank: 2 }, { rank: 3 }],
    });
    expect(
      (await leaders[0]!.put(`${API}/plans/${s.round.planId}/escalation-ladder`, { rungs: [] })).statusCode,
    ).toBe(403);

    const conflict = await openConflict({ title: '第二条增速目标分歧' });
    const first = await organizer.post(`${API}/conflicts/${conflict.id}/escalate`, {
      reason: '编制组协调未果',
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'escalated', level: 1, levelName: '牵头单位负责人' });
    // A leader of the first rung may neither decide nor escalate beyond… but may escalate from their own rung.
    const second = await leaders[0]!.post(`${API}/conflicts/${conflict.id}/escalate`, {
      reason: '涉及跨部门职责，提请分管领导决定',
    });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ level: 2, levelName: '分管领导' });
    expect(second.json().escalations).toMatchObject([
      { fromLevel: null, toLevel: 1, toName: '牵头单位负责人', by: s.round.organizer.id },
      { fromLevel: 1, toLevel: 2, toName: '分管领导', by: s.leaders[0].id },
    ]);

    // Deciding above one's rung: 403 naming the level, nothing written.
    const before = await ledgerEvents();
    const body = {
      decision: '按15%设置，另在专栏中表述力争更高目标。',
      outcomes: [
        { opinionId: s.high.id, code: 'partially_adopted' },
        { opinionId: s.low.id, code: 'adopted' },
      ],
    };
    const above = await leaders[0]!.post(`${API}/conflicts/${conflict.id}/decide`, body);
    expect(above.statusCode).toBe(403);
    expect(above.json().error.message).toBe(
      'This conflict is decided at 分管领导 (level 2); your rung is 牵头单位负责人 (level 1).',
    );
    expect(above.json().error.details).toMatchObject({ level: 2, rung: '分管领导' });
    expect((await organizer.post(`${API}/conflicts/${conflict.id}/decide`, body)).statusCode).toBe(403);
    expect((await organizer.post(`${API}/conflicts/${conflict.id}/resolve`, body)).statusCode).toBe(409);
    const noCode = await leaders[1]!.post(`${API}/conflicts/${conflict.id}/decide`, {
      decision: body.decision,
      outcomes: [{ opinionId: s.high.id, code: 'adopted' }],
    });
    expect(noCode.statusCode).toBe(400);
    expect(noCode.json().error.details).toMatchObject({ field: 'outcomes', opinionId: s.low.id });
    expect(await ledgerEvents()).toEqual(before);
    expect(await dispositionsOf(s.high.id)).toEqual([]);
    expect((await conflictRow(conflict.id)).status).toBe('escalated');

    const decided = await leaders[1]!.post(`${API}/conflicts/${conflict.id}/decide`, body);
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({
      status: 'decided',
      level: 2,
      decidedBy: s.leaders[1].id,
      decision: body.decision,
    });
    expect(await dispositionsOf(s.high.id)).toMatchObject([
      {
        code: 'partially_adopted',
        basis: 'conflict',
        reason: body.decision,
        status: 'approved',
        decided_by: s.leaders[1].id,
      },
    ]);
    expect(await dispositionsOf(s.low.id)).toMatchObject([{ code: 'adopted', status: 'approved' }]);

    const events = await ledgerEvents();
    expect(events.filter((e) => e.event === 'conflict.escalated').map((e) => e.payload.after)).toEqual([
      { status: 'escalated', level: 1, rung: '牵头单位负责人' },
      { status: 'escalated', level: 2, rung: '分管领导' },
    ]);
    expect(events.filter((e) => e.event === 'conflict.decided')).toHaveLength(1);
    expect(events.filter((e) => e.event === 'disposition.approved')).toHaveLength(2);
    expect(events.map((e) => e.event)).toContain('plan.escalation_ladder_set');

    const metrics = (await organizer.get(`${API}/rounds/${s.round.roundId}/conflict-metrics`)).json();
    expect(metrics).toMatchObject({
      total: 1,
      everEscalated: 1,
      counts: { decided: 1 },
      resolutionDays: { settled: 1 },
    });
  });

  it('refuses bad conflicts and keeps the ladder’s top', async () => {
    const url = `${API}/rounds/${s.round.roundId}/conflicts`;
    const sameUnit = await organizer.post(url, { opinionIds: [s.high.id, s.high.id] });
    expect(sameUnit.statusCode).toBe(400);
    expect(sameUnit.json().error.details).toMatchObject({ field: 'opinionIds' });
    const stranger = await organizer.post(url, { opinionIds: [s.high.id, 'no-such-opinion'] });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().error.details.invalid).toEqual(['no-such-opinion']);
    expect((await partyLiaison.post(url, { opinionIds: [s.high.id, s.low.id] })).statusCode).toBe(403);
    expect((await t.anonymous.post(url, { opinionIds: [s.high.id, s.low.id] })).statusCode).toBe(401);
    expect(await db().db.selectFrom('conflict').selectAll().execute()).toEqual([]);

    // The default ladder has four rungs: three escalations reach 主要领导, a fourth is refused.
    const conflict = await openConflict();
    for (let i = 0; i < 3; i++) {
      expect(
        (await organizer.post(`${API}/conflicts/${conflict.id}/escalate`, { reason: `第${i + 1}次提请` }))
          .statusCode,
      ).toBe(200);
    }
    const top = await organizer.post(`${API}/conflicts/${conflict.id}/escalate`, { reason: '再次提请' });
    expect(top.statusCode).toBe(409);
    expect(top.json().error.message).toContain('主要领导 (level 3), the top of the ladder');
    // Any leader over the plan stands on the top rung of the default ladder.
    const decided = await leaders[2]!.post(`${API}/conflicts/${conflict.id}/decide`, {
      decision: 'Keep 15%.',
      code: 'explained',
    });
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({
      status: 'decided',
      levelName: '主要领导',
      decisionCode: 'explained',
    });
  });

  it('keeps a coordination meeting with a drafted agenda and minutes as .docx, and a pilot that outlives the round', async () => {
    const conflict = await openConflict();
    const agenda = await organizer.get(`${API}/conflicts/${conflict.id}/agenda`);
    expect(agenda.statusCode).toBe(200);
    expect(agenda.json().items).toHaveLength(4);
    expect(agenda.json().text).toContain(s.round.invited[0]!.unit.name);
    expect(agenda.json().parties[0].figures.join(' ')).toContain('20%');
    expect((await partyLiaison.get(`${API}/conflicts/${conflict.id}/agenda`)).statusCode).toBe(403);

    const meeting = await organizer.post(`${API}/conflicts/${conflict.id}/methods`, {
      kind: 'meeting',
      meeting: {
        startsAt: '2026-12-01T09:00:00.000Z',
        place: '省发展改革委302会议室',
        attendees: [
          { unitId: s.round.invited[0]!.unit.id, people: ['张三'] },
          { unitId: s.round.invited[1]!.unit.id, people: ['李四', 'Alice 🙂'] },
        ],
      },
    });
    expect(meeting.statusCode).toBe(201);
    expect(meeting.json().meeting.agenda).toEqual(agenda.json().items);
    expect(meeting.json().meeting.attendees[0].unitName).toBe(s.round.invited[0]!.unit.name);
    const badUnit = await organizer.post(`${API}/conflicts/${conflict.id}/methods`, {
      kind: 'meeting',
      meeting: { attendees: [{ unitId: 'nope', people: [] }] },
    });
    expect(badUnit.statusCode).toBe(400);

    const minutes = '与会单位同意以统计预测序列为准。'.repeat(2000);
    const patched = await organizer.patch(`${API}/methods/${meeting.json().id}`, {
      status: 'done',
      meeting: {
        minutes,
        decisions: ['目标按15%设置'],
        actions: [
          { text: '补充测算说明', ownerUnitId: s.round.invited[1]!.unit.id, due: '2026-12-10', done: false },
        ],
      },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      status: 'done',
      meeting: { place: '省发展改革委302会议室', decisions: ['目标按15%设置'] },
    });

    const docx = await organizer.get(`${API}/methods/${meeting.json().id}/minutes.docx`);
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    const text = (await mammoth.extractRawText({ buffer: docx.rawPayload })).value;
    expect(text).toContain('协调会纪要');
    expect(text).toContain('目标按15%设置');
    expect(text).toContain('Alice 🙂');
    expect(text).toContain(s.round.invited[1]!.unit.name);

    const pilot = await organizer.post(`${API}/conflicts/${conflict.id}/methods`, {
      kind: 'pilot',
      pilot: {
        scope: '在两个市先行试点20%目标',
        unitIds: [s.round.invited[0]!.unit.id],
        startsOn: '2027-01-01',
        endsOn: '2027-12-31',
        successCriteria: '试点市增速达到20%',
      },
    });
    expect(pilot.statusCode).toBe(201);
    expect(pilot.json().status).toBe('running');
    const noScope = await organizer.post(`${API}/conflicts/${conflict.id}/methods`, {
      kind: 'pilot',
      pilot: { scope: '', successCriteria: 'x' },
    });
    expect(noScope.json().error.details).toMatchObject({ field: 'pilot.scope' });

    const early = await organizer.post(`${API}/rounds/${s.round.roundId}/conflict-follow-ups`);
    expect(early.statusCode).toBe(409);
    await db()
      .db.updateTable('round')
      .set({ status: 'feedback' })
      .where('id', '=', s.round.roundId)
      .execute();
    // Finishing the round turns the running pilot's opinions into follow-ups, in the same transaction.
    const finished = await organizer.post(`${API}/rounds/${s.round.roundId}/finish`);
    expect(finished.statusCode).toBe(200);
    const followUps = await db().db.selectFrom('follow_up').selectAll().execute();
    expect(followUps.map((f) => f.opinion_id).sort()).toEqual([s.high.id, s.low.id].sort());
    expect(followUps[0]!.note).toContain('试点验证进行中');
    // Idempotent.
    expect(
      (await organizer.post(`${API}/rounds/${s.round.roundId}/conflict-follow-ups`)).json().followUpIds,
    ).toEqual([]);
  });
});
