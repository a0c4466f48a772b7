import { afterEach, beforeEach, expect, it } from 'vitest';
import { ROUND_TICK, createRoundHandlers, scheduleRoundTick } from '../src/server/jobs/round.jobs.ts';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import { describeDb } from './db.ts';
import type { TestUnit } from './factories.ts';
import { createUnit, createUser } from './factories.ts';

const DRAFT = [
  '# 某省国民经济和社会发展第十五个五年规划纲要（草案）',
  '',
  '## 第一章 发展基础',
  '',
  '第一条 “十四五”时期，全省经济总量持续增长，综合实力明显增强。',
  '',
  '## 第二章 产业升级',
  '',
  '第二条 加快发展数字经济，推进数据要素市场化配置改革。',
  '',
  '第三条 建设全省一体化算力网络，推动数字经济与实体经济深度融合。',
  '',
  '## 第三章 绿色发展',
  '',
  '第四条 深入打好污染防治攻坚战，持续改善生态环境质量。',
].join('\n');

const YEAR = String(365 * 24 * 60 * 60);

describeDb('rounds API', (db) => {
  let t: TestApp;
  let now: Date;
  let province: TestUnit;
  let owner: TestUnit;
  let city: TestUnit;
  let county: TestUnit;
  let otherCity: TestUnit;
  let organizer: TestClient;
  let admin: TestClient;
  let leader: TestClient;
  let foreignLeader: TestClient;
  let cityLiaison: TestClient;
  let cityExpert: TestClient;
  let countyLiaison: TestClient;
  let otherLiaison: TestClient;
  let planId: string;
  let versionId: string;

  const setClock = (iso: string) => {
    now = new Date(iso);
  };

  beforeEach(async () => {
    setClock('2026-09-28T01:00:00Z'); // Monday 09:00 in Beijing
    t = await createTestApp(db(), {
      now: () => now,
      env: { CONCORD_SESSION_IDLE_SECONDS: YEAR, CONCORD_SESSION_ABSOLUTE_SECONDS: YEAR },
    });
    province = await createUnit(db(), { level: 'province', name: '省人民政府' });
    owner = await createUnit(db(), { level: 'province', parentId: province.id, name: '省发展改革委' });
    city = await createUnit(db(), {
      level: 'city',
      parentId: province.id,
      name: '甲市人民政府',
      keywords: ['数字经济', '算力'],
    });
    county = await createUnit(db(), {
      level: 'county',
      parentId: city.id,
      name: '甲市乙县',
      keywords: ['生态环境'],
    });
    otherCity = await createUnit(db(), { level: 'city', parentId: province.id, name: '丙市人民政府' });
    organizer = await t.signIn(await createUser(db(), { roles: ['organizer'], unitId: owner.id }));
    admin = await t.signIn(await createUser(db(), { roles: ['admin'] }));
    leader = await t.signIn(await createUser(db(), { roles: ['leader'], unitId: province.id }));
    foreignLeader = await t.signIn(await createUser(db(), { roles: ['leader'], unitId: otherCity.id }));
    cityLiaison = await t.signIn(await createUser(db(), { roles: ['liaison'], unitId: city.id }));
    cityExpert = await t.signIn(await createUser(db(), { roles: ['expert'], unitId: city.id }));
    countyLiaison = await t.signIn(await createUser(db(), { roles: ['liaison'], unitId: county.id }));
    otherLiaison = await t.signIn(await createUser(db(), { roles: ['unit_head'], unitId: otherCity.id }));
    const plan = await organizer.post('/api/v1/plans', { name: '十五五规划纲要' });
    planId = plan.json<{ id: string }>().id;
    const imported = await organizer.upload(`/api/v1/plans/${planId}/versions`, {
      name: '纲要.md',
      data: Buffer.from(DRAFT),
    });
    expect(imported.statusCode).toBe(201);
    versionId = imported.json().version.id;
  });
  afterEach(() => t.close());

  const body = (overrides: Record<string, unknown> = {}) => ({
    versionId,
    title: '第一轮征求意见',
    kind: 'internal',
    opensAt: '2026-09-29T01:00:00Z',
    workingDays: 5,
    scope: null,
    visibility: 'after_close',
    silencePolicy: 'no_reply',
    invitations: [{ unitId: city.id, mandatory: true }, { unitId: otherCity.id }],
    ...overrides,
  });

  const createRound = async (overrides: Record<string, unknown> = {}) => {
    const response = await organizer.post(`/api/v1/plans/${planId}/rounds`, body(overrides));
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string; status: string }>();
  };

  const openRound = async (overrides: Record<string, unknown> = {}) => {
    const round = await createRound(overrides);
    expect((await organizer.post(`/api/v1/rounds/${round.id}/schedule`)).statusCode).toBe(200);
    expect((await organizer.post(`/api/v1/rounds/${round.id}/open`)).statusCode).toBe(200);
    return round.id;
  };

  const invitations = async (client: TestClient, roundId: string) => {
    const response = await client.get(`/api/v1/rounds/${roundId}/invitations`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<
      {
        id: string;
        unitId: string;
        status: string;
        level: string;
        deadline: string;
        extended: boolean;
        late: boolean;
        forwardedByUnitId: string | null;
        forwardedByUnitName: string | null;
        questions: { clauseStableId: string; question: string }[];
      }[]
    >();
  };
  const invitationOf = async (roundId: string, unitId: string) =>
    (await invitations(organizer, roundId)).find((i) => i.unitId === unitId)!;

  const events = async (entity: string) =>
    (await t.services.ledger.list({ afterSeq: 0, limit: 500, entity })).map((e) => e.event);

  it('creates a round for the plan’s organizers with a deadline across National Day, and refuses others', async () => {
    const created = await organizer.post(`/api/v1/plans/${planId}/rounds`, body());
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      status: 'draft',
      seq: 1,
      deadline: '2026-10-12', // 30 Sep, then 8, 9, 10 (Saturday worked in lieu), 12 October
      closesAt: '2026-10-12T16:00:00.000Z',
      workingDays: 5,
      urgentStatus: 'none',
      objectionWindowDays: 5,
      maxObjectionRounds: 2,
    });
    const roundId = created.json().id as string;
    for (const client of [cityLiaison, leader, foreignLeader]) {
      expect((await client.post(`/api/v1/plans/${planId}/rounds`, body())).statusCode).toBe(403);
    }
    expect((await t.anonymous.post(`/api/v1/plans/${planId}/rounds`, body())).statusCode).toBe(401);
    expect((await admin.post(`/api/v1/plans/${planId}/rounds`, body())).statusCode).toBe(201);

    // Targeted questions come from the city's keywords; the other city has none.
    const monitor = await invitations(organizer, roundId);
    const cityInvitation = monitor.find((i) => i.unitId === city.id)!;
    expect(cityInvitation.questions.map((q) => q.question)).toEqual([
      '请重点就第二条（涉及：数字经济）提出意见',
      '请重点就第三条（涉及：数字经济、算力）提出意见',
    ]);
    expect(monitor.find((i) => i.unitId === otherCity.id)!.questions).toEqual([]);
    expect(await events('round')).toEqual(['round.created', 'round.created']);
    expect(await events('round_invitation')).toHaveLength(4);

    // Bad input, each refused and written nowhere.
    const before = await db().db.selectFrom('round').select('id').execute();
    const unknown = await organizer.post(
      `/api/v1/plans/${planId}/rounds`,
      body({ invitations: [{ unitId: 'no-such-unit' }] }),
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details).toMatchObject({ field: 'invitations.0.unitId' });
    const twice = await organizer.post(
      `/api/v1/plans/${planId}/rounds`,
      body({ invitations: [{ unitId: city.id }, { unitId: city.id }] }),
    );
    expect(twice.statusCode).toBe(400);
    const badScope = await organizer.post(`/api/v1/plans/${planId}/rounds`, body({ scope: ['nope'] }));
    expect(badScope.json().error.details).toMatchObject({ field: 'scope' });
    const both = await organizer.post(`/api/v1/plans/${planId}/rounds`, body({ deadline: '2026-10-20' }));
    expect(both.statusCode).toBe(400);
    const badVersion = await organizer.post(`/api/v1/plans/${planId}/rounds`, body({ versionId: 'other' }));
    expect(badVersion.json().error.details).toMatchObject({ field: 'versionId' });
    expect(await db().db.selectFrom('round').select('id').execute()).toHaveLength(before.length);
  });

  it('limits questions to the scope and takes given questions as they are', async () => {
    const tree = (await organizer.get(`/api/v1/versions/${versionId}`)).json();
    const chapter3 = tree.clauses[2].stableId as string;
    const article4 = tree.clauses[2].children[0].stableId as string;
    const round = await createRound({
      scope: [chapter3],
      invitations: [
        { unitId: city.id },
        { unitId: county.id },
        { unitId: otherCity.id, questions: [{ clauseStableId: article4, question: '请评估减排目标' }] },
      ],
    });
    const monitor = await invitations(organizer, round.id);
    expect(monitor.find((i) => i.unitId === city.id)!.questions).toEqual([]);
    expect(monitor.find((i) => i.unitId === county.id)!.questions).toEqual([
      { clauseStableId: article4, question: '请重点就第四条（涉及：生态环境）提出意见' },
    ]);
    expect(monitor.find((i) => i.unitId === otherCity.id)!.questions[0]!.question).toBe('请评估减排目标');
    const outside = await organizer.post(`/api/v1/plans/${planId}/rounds`, {
      ...body({ scope: [chapter3] }),
      invitations: [
        { unitId: city.id, questions: [{ clauseStableId: tree.clauses[0].stableId, question: '？' }] },
      ],
    });
    expect(outside.statusCode).toBe(400);
  });

  it('enforces minimum periods; a shorter one needs a reason and a leader of the plan’s lineage', async () => {
    const four = await organizer.post(`/api/v1/plans/${planId}/rounds`, body({ workingDays: 4 }));
    expect(four.statusCode).toBe(422);
    expect(four.json().error.details).toMatchObject({ field: 'workingDays' });
    // From Wednesday 7 October: five working days (10 October is worked in lieu) but only six calendar days.
    const sixDays = await organizer.post(
      `/api/v1/plans/${planId}/rounds`,
      body({ opensAt: '2026-10-07T02:00:00Z', workingDays: 5 }),
    );
    expect(sixDays.statusCode).toBe(422);
    expect(sixDays.json().error.message).toMatch(/7 calendar days/);
    const public29 = await organizer.post(
      `/api/v1/plans/${planId}/rounds`,
      body({ kind: 'public', workingDays: undefined, deadline: '2026-10-28' }),
    );
    expect(public29.statusCode).toBe(422);
    expect(public29.json().error.details).toMatchObject({ field: 'deadline' });
    expect(
      (
        await organizer.post(
          `/api/v1/plans/${planId}/rounds`,
          body({ kind: 'public', workingDays: undefined, deadline: '2026-10-29' }),
        )
      ).statusCode,
    ).toBe(201);

    const urgent = await createRound({ workingDays: 3, urgent: { reason: '省政府要求月底前报送' } });
    expect(urgent).toMatchObject({ urgentStatus: 'pending', urgent: true });
    const schedule = await organizer.post(`/api/v1/rounds/${urgent.id}/schedule`);
    expect(schedule.statusCode).toBe(409);
    expect((await foreignLeader.post(`/api/v1/rounds/${urgent.id}/urgent/approve`)).statusCode).toBe(403);
    expect((await organizer.post(`/api/v1/rounds/${urgent.id}/urgent/approve`)).statusCode).toBe(403);
    expect((await admin.post(`/api/v1/rounds/${urgent.id}/urgent/approve`)).statusCode).toBe(403);
    const approved = await leader.post(`/api/v1/rounds/${urgent.id}/urgent/approve`);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ urgentStatus: 'approved' });
    expect((await leader.post(`/api/v1/rounds/${urgent.id}/urgent/refuse`)).statusCode).toBe(409);
    expect((await organizer.post(`/api/v1/rounds/${urgent.id}/schedule`)).statusCode).toBe(200);

    const refused = await createRound({ workingDays: 2, urgent: { reason: '时间紧' } });
    expect((await leader.post(`/api/v1/rounds/${refused.id}/urgent/refuse`)).json()).toMatchObject({
      urgentStatus: 'refused',
    });
    expect((await organizer.post(`/api/v1/rounds/${refused.id}/schedule`)).statusCode).toBe(409);
    // Lengthening the period in a PATCH makes it an ordinary round again.
    const patched = await organizer.patch(`/api/v1/rounds/${refused.id}`, { workingDays: 6, urgent: null });
    expect(patched.json()).toMatchObject({ urgentStatus: 'none', workingDays: 6 });
    expect((await organizer.post(`/api/v1/rounds/${refused.id}/schedule`)).statusCode).toBe(200);
    expect(await events('round')).toEqual(
      expect.arrayContaining(['round.urgent_approved', 'round.urgent_refused', 'round.updated']),
    );
  });

  it('refuses a deadline in a year the calendar does not cover until an administrator adds it', async () => {
    const late = body({ opensAt: '2026-12-21T01:00:00Z', workingDays: 10 });
    const refused = await organizer.post(`/api/v1/plans/${planId}/rounds`, late);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.message).toMatch(/2027/);
    expect(refused.json().error.details).toMatchObject({ field: 'workingDays', uncoveredYears: [2027] });
    expect(
      (await organizer.post('/api/v1/calendar/days', { date: '2027-01-01', kind: 'holiday' })).statusCode,
    ).toBe(403);
    const added = await admin.post('/api/v1/calendar/days', {
      date: '2027-01-01',
      kind: 'holiday',
      name: '元旦',
    });
    expect(added.statusCode).toBe(200);
    const created = await organizer.post(`/api/v1/plans/${planId}/rounds`, late);
    expect(created.statusCode).toBe(201);
    // 22–25, 28–31 December, then 4 and 5 January (1 January is now a holiday).
    expect(created.json().deadline).toBe('2027-01-05');
  });

  it('walks the states, refusing every transition the machine does not allow with 409', async () => {
    const round = await createRound({ invitations: [] });
    const post = (client: TestClient, action: string) => client.post(`/api/v1/rounds/${round.id}/${action}`);
    const empty = await post(organizer, 'schedule');
    expect(empty.statusCode).toBe(409);
    expect(empty.json().error.details).toMatchObject({ field: 'invitations' });
    expect(
      (await organizer.post(`/api/v1/rounds/${round.id}/invitations`, { invitations: [{ unitId: city.id }] }))
        .statusCode,
    ).toBe(201);
    expect(
      (
        await cityLiaison.post(`/api/v1/rounds/${round.id}/invitations`, {
          invitations: [{ unitId: county.id }],
        })
      ).statusCode,
    ).toBe(403);
    for (const action of ['unschedule', 'open', 'close', 'start-assessment']) {
      expect((await post(organizer, action)).statusCode, action).toBe(409);
    }
    expect(
      (await organizer.patch(`/api/v1/rounds/${round.id}`, { title: '第一轮（修改）' })).statusCode,
    ).toBe(200);
    expect((await post(cityLiaison, 'schedule')).statusCode).toBe(403);
    expect((await post(leader, 'schedule')).statusCode).toBe(403);
    expect((await post(organizer, 'schedule')).json()).toMatchObject({ status: 'scheduled' });
    expect((await organizer.patch(`/api/v1/rounds/${round.id}`, { title: 'x' })).statusCode).toBe(409);
    for (const action of ['schedule', 'close', 'start-assessment']) {
      expect((await post(organizer, action)).statusCode, action).toBe(409);
    }
    expect((await post(organizer, 'unschedule')).json()).toMatchObject({ status: 'draft' });
    expect((await post(organizer, 'schedule')).statusCode).toBe(200);
    expect((await post(cityLiaison, 'open')).statusCode).toBe(403);
    expect((await post(organizer, 'open')).json()).toMatchObject({
      status: 'open',
      openedAt: now.toISOString(),
    });
    for (const action of ['schedule', 'unschedule', 'open', 'start-assessment']) {
      expect((await post(organizer, action)).statusCode, action).toBe(409);
    }
    expect((await post(cityLiaison, 'close')).statusCode).toBe(403);
    expect((await post(organizer, 'close')).json()).toMatchObject({ status: 'closed' });
    expect((await invitationOf(round.id, city.id)).status).toBe('silent');
    for (const action of ['schedule', 'unschedule', 'open', 'close']) {
      expect((await post(organizer, action)).statusCode, action).toBe(409);
    }
    expect(
      (
        await organizer.post(`/api/v1/rounds/${round.id}/invitations`, {
          invitations: [{ unitId: county.id }],
        })
      ).statusCode,
    ).toBe(409);
    expect((await post(organizer, 'start-assessment')).json()).toMatchObject({ status: 'assessing' });
    expect((await post(organizer, 'start-assessment')).statusCode).toBe(409);
    expect(await events('round')).toEqual([
      'round.created',
      'round.updated',
      'round.scheduled',
      'round.unscheduled',
      'round.scheduled',
      'round.opened',
      'round.closed',
      'round.assessment_started',
    ]);
  });

  it('opens and closes rounds on time through the job, recording silence by the round’s policy', async () => {
    const quiet = await createRound();
    const deemed = await createRound({ silencePolicy: 'deemed_no_objection' });
    for (const id of [quiet.id, deemed.id]) {
      expect((await organizer.post(`/api/v1/rounds/${id}/schedule`)).statusCode).toBe(200);
    }
    const tick = async () => {
      const job = await scheduleRoundTick(t.services.jobs, t.services.ctx);
      expect((await scheduleRoundTick(t.services.jobs, t.services.ctx)).id).toBe(job.id);
      const handler = createRoundHandlers(t.services)[ROUND_TICK]!;
      return handler(job, { progress: async () => undefined, signal: new AbortController().signal });
    };
    expect(await tick()).toMatchObject({ status: 'skipped' });
    setClock('2026-09-29T01:00:00Z');
    const opened = await tick();
    expect(opened).toMatchObject({ status: 'succeeded' });
    expect((opened as { result: { opened: string[] } }).result.opened.sort()).toEqual(
      [quiet.id, deemed.id].sort(),
    );
    expect((await organizer.get(`/api/v1/rounds/${quiet.id}`)).json()).toMatchObject({ status: 'open' });
    expect(
      (
        await cityLiaison.post(
          `/api/v1/invitations/${(await invitationOf(quiet.id, city.id)).id}/acknowledge`,
        )
      ).statusCode,
    ).toBe(200);

    setClock('2026-10-12T15:59:00Z'); // the deadline day has a minute left in Beijing
    expect(await tick()).toMatchObject({ status: 'skipped' });
    setClock('2026-10-12T16:00:00Z');
    const closed = await tick();
    expect(closed).toMatchObject({ status: 'succeeded' });
    expect((closed as { result: { closed: string[] } }).result.closed.sort()).toEqual(
      [quiet.id, deemed.id].sort(),
    );
    expect((await invitations(organizer, quiet.id)).map((i) => i.status)).toEqual(['silent', 'silent']);
    expect((await invitations(organizer, deemed.id)).map((i) => i.status)).toEqual([
      'deemed_no_objection',
      'deemed_no_objection',
    ]);
    expect((await invitations(organizer, quiet.id)).every((i) => i.late)).toBe(true);
    const ledger = await events('round_invitation');
    expect(ledger.filter((e) => e === 'invitation.silent')).toHaveLength(2);
    expect(ledger.filter((e) => e === 'invitation.deemed_no_objection')).toHaveLength(2);
    expect(ledger).toContain('invitation.acknowledged');
    setClock('2026-10-12T16:01:00Z');
    expect(await tick()).toMatchObject({ status: 'skipped' });
  });

  it('lets an invited unit acknowledge and forward to the units below it, labelled with level and forwarder', async () => {
    const roundId = await openRound({ invitations: [{ unitId: city.id }] });
    const cityInvitation = await invitationOf(roundId, city.id);
    const ack = (client: TestClient) => client.post(`/api/v1/invitations/${cityInvitation.id}/acknowledge`);
    expect((await ack(otherLiaison)).statusCode).toBe(403);
    expect((await ack(cityExpert)).statusCode).toBe(403);
    expect((await ack(organizer)).statusCode).toBe(403);
    expect((await ack(cityLiaison)).json()).toMatchObject({
      status: 'acknowledged',
      acknowledgedAt: now.toISOString(),
    });
    expect((await ack(cityLiaison)).statusCode).toBe(409);

    const forward = (client: TestClient, unitIds: string[]) =>
      client.post(`/api/v1/invitations/${cityInvitation.id}/forward`, { unitIds });
    const outside = await forward(cityLiaison, [otherCity.id]);
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.details).toMatchObject({ field: 'unitIds', value: otherCity.id });
    expect((await forward(cityLiaison, [city.id])).statusCode).toBe(403);
    expect((await forward(otherLiaison, [county.id])).statusCode).toBe(403);
    const forwarded = await forward(cityLiaison, [county.id]);
    expect(forwarded.statusCode).toBe(201);
    expect(forwarded.json()).toEqual([
      expect.objectContaining({
        unitId: county.id,
        level: 'county',
        forwardedByUnitId: city.id,
        forwardedByUnitName: '甲市人民政府',
        status: 'invited',
        mandatory: false,
      }),
    ]);
    expect((await forward(cityLiaison, [county.id])).statusCode).toBe(409);
    expect(await events('round_invitation')).toContain('invitation.forwarded');

    // The monitor: organizers see all; the city sees itself and what it forwarded; the county only itself.
    expect((await invitations(organizer, roundId)).map((i) => i.unitId).sort()).toEqual(
      [city.id, county.id].sort(),
    );
    expect((await invitations(cityLiaison, roundId)).map((i) => i.unitId).sort()).toEqual(
      [city.id, county.id].sort(),
    );
    expect((await invitations(countyLiaison, roundId)).map((i) => i.unitId)).toEqual([county.id]);
    expect((await otherLiaison.get(`/api/v1/rounds/${roundId}/invitations`)).statusCode).toBe(403);

    // Invited units see the round and read its version; others do not.
    expect((await countyLiaison.get(`/api/v1/rounds/${roundId}`)).statusCode).toBe(200);
    expect((await countyLiaison.get(`/api/v1/plans/${planId}/rounds`)).json()).toHaveLength(1);
    expect((await otherLiaison.get(`/api/v1/rounds/${roundId}`)).statusCode).toBe(403);
    expect((await otherLiaison.get(`/api/v1/plans/${planId}/rounds`)).statusCode).toBe(403);
    expect((await leader.get(`/api/v1/plans/${planId}/rounds`)).json()).toHaveLength(1);
    expect((await countyLiaison.get(`/api/v1/versions/${versionId}`)).statusCode).toBe(200);
    expect((await otherLiaison.get(`/api/v1/versions/${versionId}`)).statusCode).toBe(403);

    expect((await organizer.post(`/api/v1/rounds/${roundId}/close`)).statusCode).toBe(200);
    expect((await forward(cityLiaison, [county.id])).statusCode).toBe(409);
  });

  it('does not show a draft round or its version to the units it will invite', async () => {
    const round = await createRound();
    expect((await cityLiaison.get(`/api/v1/rounds/${round.id}`)).statusCode).toBe(403);
    expect((await cityLiaison.get(`/api/v1/versions/${versionId}`)).statusCode).toBe(403);
  });

  it('grants an extension that moves only that unit’s deadline, and reopens a closed round', async () => {
    const roundId = await openRound();
    const cityInvitation = await invitationOf(roundId, city.id);
    const otherInvitation = await invitationOf(roundId, otherCity.id);
    const ask = (client: TestClient, invitationId: string, until: string) =>
      client.post(`/api/v1/invitations/${invitationId}/extension`, { until, reason: '需征求下级单位意见' });
    expect((await ask(otherLiaison, cityInvitation.id, '2026-10-16')).statusCode).toBe(403);
    expect((await ask(cityLiaison, cityInvitation.id, '2026-10-12')).statusCode).toBe(400);
    const requested = await ask(cityLiaison, cityInvitation.id, '2026-10-16');
    expect(requested.statusCode).toBe(201);
    expect((await ask(cityLiaison, cityInvitation.id, '2026-10-19')).statusCode).toBe(409);
    const extensionId = requested.json().id as string;
    expect((await cityLiaison.post(`/api/v1/extensions/${extensionId}/grant`)).statusCode).toBe(403);
    expect((await leader.post(`/api/v1/extensions/${extensionId}/grant`)).statusCode).toBe(403);
    expect((await organizer.post(`/api/v1/extensions/${extensionId}/grant`)).json()).toMatchObject({
      status: 'granted',
    });
    expect((await organizer.post(`/api/v1/extensions/${extensionId}/refuse`)).statusCode).toBe(409);
    expect(await invitationOf(roundId, city.id)).toMatchObject({ deadline: '2026-10-16', extended: true });
    expect(await invitationOf(roundId, otherCity.id)).toMatchObject({
      deadline: '2026-10-12',
      extended: false,
    });

    const other = await ask(otherLiaison, otherInvitation.id, '2026-10-14');
    expect((await organizer.post(`/api/v1/extensions/${other.json().id}/refuse`)).json()).toMatchObject({
      status: 'refused',
    });
    expect((await cityLiaison.get(`/api/v1/rounds/${roundId}/extensions`)).json()).toHaveLength(1);
    expect((await organizer.get(`/api/v1/rounds/${roundId}/extensions`)).json()).toHaveLength(2);

    // The round stays open while a unit's own deadline runs, then closes.
    setClock('2026-10-12T16:00:00Z');
    expect(await t.services.rounds.tick()).toEqual({ opened: [], closed: [] });
    setClock('2026-10-16T16:00:00Z');
    expect(await t.services.rounds.tick()).toEqual({ opened: [], closed: [roundId] });

    // After closing, a granted extension reopens the round.
    const lateAsk = await ask(otherLiaison, otherInvitation.id, '2026-10-20');
    expect(lateAsk.statusCode).toBe(201);
    const granted = await organizer.post(`/api/v1/extensions/${lateAsk.json().id}/grant`);
    expect(granted.statusCode).toBe(200);
    expect((await organizer.get(`/api/v1/rounds/${roundId}`)).json()).toMatchObject({
      status: 'open',
      closedAt: null,
    });
    expect(await events('round')).toContain('round.reopened');
    expect(await events('extension_request')).toEqual([
      'extension.requested',
      'extension.granted',
      'extension.requested',
      'extension.refused',
      'extension.requested',
      'extension.granted',
    ]);

    // Once assessment started, more time cannot be given.
    expect((await organizer.post(`/api/v1/rounds/${roundId}/close`)).statusCode).toBe(200);
    const tooLate = await ask(cityLiaison, cityInvitation.id, '2026-10-30');
    expect((await organizer.post(`/api/v1/rounds/${roundId}/start-assessment`)).statusCode).toBe(200);
    expect((await organizer.post(`/api/v1/extensions/${tooLate.json().id}/grant`)).statusCode).toBe(409);
  });
});
