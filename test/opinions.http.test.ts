import { afterEach, expect, it } from 'vitest';
import type { Database } from '../src/server/db/database.ts';
import type { Visibility, RoundStatus } from '../src/server/db/schema.ts';
import { CLI_ACTOR } from '../src/server/services/context.ts';
import type { TestApp } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { SAMPLE_DRAFT, createOpinion } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import { createRoundApp } from './round-app.ts';
import { createUnit, createUser } from './factories.ts';

const GOOD = {
  kind: 'substantive',
  suggestion: '建议将“达到15%”修改为“达到12%”，与全省产业基础相适应。',
  reasons: '2025年全省核心产业增加值占比约为9.8%，年均提高1个百分点以上难度较大。',
  proposedText: '到2030年，全省数字经济核心产业增加值占地区生产总值比重达到12%。',
  quote: '达到15%',
};

const count = async (database: Database, table: 'opinion' | 'ledger_event' | 'opinion_evidence') =>
  Number(
    (
      await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describeDb('opinions API', (db) => {
  let t: TestApp;
  afterEach(() => t.close());

  const setup = async (options: Parameters<typeof createRoundApp>[1] = {}) => {
    const { unitA, ...app } = await createRoundApp(db(), options);
    t = app.t;
    const { round, liaisonB, organizer } = app;
    return { round, liaisonA: unitA.liaison, headA: unitA.head, liaisonB, organizer };
  };
  const articleTwo = (round: TestRound) => round.articles[1]!;

  it('checks quality live for any signed-in user, and refuses anonymous callers', async () => {
    const { liaisonA } = await setup();
    const vague = await liaisonA.post('/api/v1/opinions/quality-check', {
      suggestion: '原则同意，建议进一步完善。',
    });
    expect(vague.statusCode).toBe(200);
    expect(vague.json().flags).toContain('vague');
    expect(vague.json().hints.length).toBeGreaterThan(0);
    const good = await liaisonA.post('/api/v1/opinions/quality-check', { ...GOOD, clauseStableId: 'x' });
    expect(good.json()).toMatchObject({ flags: [] });
    expect(
      (await t.anonymous.post('/api/v1/opinions/quality-check', { suggestion: '同意' })).statusCode,
    ).toBe(401);
  });

  it('lets a liaison or head of an invited unit draft, with quality stored; refuses others', async () => {
    const { round, liaisonA, headA, organizer } = await setup();
    const clause = articleTwo(round);
    const created = await liaisonA.post(`/api/v1/rounds/${round.roundId}/opinions`, {
      ...GOOD,
      clauseStableId: clause.stableId,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      status: 'draft',
      regNo: null,
      clauseId: clause.id,
      unitId: round.invited[0]!.unit.id,
      quality: { flags: [] },
    });
    expect(created.json().quality.score).toBeGreaterThan(0.8);
    const invitation = await db()
      .db.selectFrom('round_invitation')
      .select('status')
      .where('id', '=', round.invited[0]!.invitationId)
      .executeTakeFirstOrThrow();
    expect(invitation.status).toBe('drafting');

    const vague = await headA.post(`/api/v1/rounds/${round.roundId}/opinions`, {
      kind: 'substantive',
      clauseStableId: null,
      suggestion: '同意',
    });
    expect(vague.statusCode).toBe(201);
    expect(vague.json().quality.flags).toEqual(expect.arrayContaining(['vague', 'no_reasons']));

    const byOrganizer = await organizer.post(`/api/v1/rounds/${round.roundId}/opinions`, {
      ...GOOD,
      clauseStableId: clause.stableId,
    });
    expect(byOrganizer.statusCode).toBe(403);
    const stranger = await t.signIn(
      await createUser(db(), { roles: ['liaison'], unitId: (await createUnit(db())).id }),
    );
    expect(
      (await stranger.post(`/api/v1/rounds/${round.roundId}/opinions`, { ...GOOD, clauseStableId: null }))
        .statusCode,
    ).toBe(403);
    expect(
      (await t.anonymous.post(`/api/v1/rounds/${round.roundId}/opinions`, { ...GOOD, clauseStableId: null }))
        .statusCode,
    ).toBe(401);
    expect(await count(db(), 'opinion')).toBe(2);
  });

  it('refuses a clause outside the round scope or from another version, writing nothing', async () => {
    const { round, liaisonA } = await setup();
    const chapters = await db()
      .db.selectFrom('clause')
      .select(['stable_id', 'kind'])
      .where('version_id', '=', round.versionId)
      .where('kind', '=', 'chapter')
      .orderBy('position')
      .execute();
    // Scope: chapter two only (articles 3 and 4).
    await db()
      .db.updateTable('round')
      .set({ scope: JSON.stringify([chapters[1]!.stable_id]) })
      .where('id', '=', round.roundId)
      .execute();
    const v2 = await t.services.drafts.importVersion(CLI_ACTOR, {
      planId: round.planId,
      fileName: 'v2.md',
      data: Buffer.from(`${SAMPLE_DRAFT}\n\n第六条 建立数字经济发展统计监测制度，按季度发布监测报告。`),
    });
    const oldIds = new Set(round.clauses.map((c) => c.stableId));
    const newClause = await db()
      .db.selectFrom('clause')
      .select('stable_id')
      .where('version_id', '=', v2.version.id)
      .execute()
      .then((rows) => rows.find((r) => !oldIds.has(r.stable_id))!);
    const opinionsBefore = await count(db(), 'opinion');
    const ledgerBefore = await count(db(), 'ledger_event');

    const outside = await liaisonA.post(`/api/v1/rounds/${round.roundId}/opinions`, {
      ...GOOD,
      clauseStableId: round.articles[0]!.stableId,
      quote: null,
    });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().error.details).toMatchObject({ field: 'clauseStableId' });
    const otherVersion = await liaisonA.post(`/api/v1/rounds/${round.roundId}/opinions`, {
      ...GOOD,
      clauseStableId: newClause.stable_id,
      quote: null,
    });
    expect(otherVersion.statusCode).toBe(422);
    const badQuote = await liaisonA.post(`/api/v1/rounds/${round.roundId}/opinions`, {
      ...GOOD,
      clauseStableId: round.articles[3]!.stableId,
      quote: '不存在的文字',
    });
    expect(badQuote.statusCode).toBe(422);
    expect(badQuote.json().error.details).toMatchObject({ field: 'quote' });
    expect(await count(db(), 'opinion')).toBe(opinionsBefore);
    expect(await count(db(), 'ledger_event')).toBe(ledgerBefore);
    const invitation = await db()
      .db.selectFrom('round_invitation')
      .select('status')
      .where('id', '=', round.invited[0]!.invitationId)
      .executeTakeFirstOrThrow();
    expect(invitation.status).toBe('invited');

    // Inside the chapter (an item under article 3 included) is accepted.
    const item = round.clauses.find((c) => c.text.includes('算力调度平台'))!;
    const inside = await liaisonA.post(`/api/v1/rounds/${round.roundId}/opinions`, {
      ...GOOD,
      quote: null,
      clauseStableId: item.stableId,
    });
    expect(inside.statusCode).toBe(201);
  });

  it('lets colleagues edit and delete drafts; refuses other units and sent opinions', async () => {
    const { round, liaisonA, headA, liaisonB } = await setup();
    const created = await liaisonA.post(`/api/v1/rounds/${round.roundId}/opinions`, {
      ...GOOD,
      clauseStableId: articleTwo(round).stableId,
    });
    const id = created.json().id as string;
    const edited = await headA.patch(`/api/v1/opinions/${id}`, { reasons: null, blocking: true });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ reasons: null, blocking: true });
    expect(edited.json().quality.flags).toContain('no_reasons');
    expect((await liaisonB.patch(`/api/v1/opinions/${id}`, { suggestion: '改' })).statusCode).toBe(403);
    expect((await liaisonB.delete(`/api/v1/opinions/${id}`)).statusCode).toBe(403);
    const events = await db()
      .db.selectFrom('ledger_event')
      .select('event')
      .where('entity_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.event)).toEqual(['opinion.drafted', 'opinion.updated']);

    const sent = await createOpinion(db(), round, { status: 'submitted' });
    expect((await liaisonA.patch(`/api/v1/opinions/${sent.id}`, { suggestion: '改为12%' })).statusCode).toBe(
      409,
    );
    expect((await liaisonA.delete(`/api/v1/opinions/${sent.id}`)).statusCode).toBe(409);
    expect((await headA.delete(`/api/v1/opinions/${id}`)).statusCode).toBe(204);
    expect((await liaisonA.get(`/api/v1/opinions/${id}`)).statusCode).toBe(404);
  });

  it('allows withdrawal of a submitted opinion only before the round closes', async () => {
    const { round, liaisonA, liaisonB } = await setup();
    const open = await createOpinion(db(), round, { status: 'submitted' });
    expect((await liaisonB.post(`/api/v1/opinions/${open.id}/withdraw`)).statusCode).toBe(403);
    const withdrawn = await liaisonA.post(`/api/v1/opinions/${open.id}/withdraw`);
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn', regNo: open.regNo });
    expect((await liaisonA.post(`/api/v1/opinions/${open.id}/withdraw`)).statusCode).toBe(409);

    const late = await createOpinion(db(), round, { status: 'submitted' });
    const draft = await createOpinion(db(), round, { status: 'draft' });
    await db().db.updateTable('round').set({ status: 'closed' }).where('id', '=', round.roundId).execute();
    const refused = await liaisonA.post(`/api/v1/opinions/${late.id}/withdraw`);
    expect(refused.statusCode).toBe(409);
    const row = await db()
      .db.selectFrom('opinion')
      .select('status')
      .where('id', '=', late.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('submitted');
    expect((await liaisonA.post(`/api/v1/opinions/${draft.id}/withdraw`)).statusCode).toBe(200);
  });

  const visibilityCase = async (visibility: Visibility, status: RoundStatus) => {
    const { round, liaisonB, liaisonA, organizer } = await setup({ visibility, status });
    const sent = await createOpinion(db(), round, { status: 'submitted' });
    const draft = await createOpinion(db(), round, { status: 'draft' });
    const own = await createOpinion(db(), round, { status: 'draft', invited: round.invited[1]! });
    const list = await liaisonB.get(`/api/v1/rounds/${round.roundId}/opinions`);
    expect(list.statusCode).toBe(200);
    const ids = (list.json().items as { id: string }[]).map((o) => o.id);
    // Own drafts always; never another unit's drafts.
    expect(ids).toContain(own.id);
    expect(ids).not.toContain(draft.id);
    const single = await liaisonB.get(`/api/v1/opinions/${sent.id}`);
    // The organizer sees everything sent, never a unit's drafts.
    const orgIds = (
      (await organizer.get(`/api/v1/rounds/${round.roundId}/opinions`)).json().items as {
        id: string;
      }[]
    ).map((o) => o.id);
    expect(orgIds).toEqual([sent.id]);
    expect((await organizer.get(`/api/v1/opinions/${draft.id}`)).statusCode).toBe(403);
    // Colleagues see each other's drafts.
    expect((await liaisonA.get(`/api/v1/opinions/${draft.id}`)).statusCode).toBe(200);
    return { sees: ids.includes(sent.id), single: single.statusCode };
  };

  it('hides other units’ opinions when visibility is never', async () => {
    expect(await visibilityCase('never', 'closed')).toEqual({ sees: false, single: 403 });
  });

  it('shows other units’ submitted opinions after close only, when visibility is after_close', async () => {
    expect(await visibilityCase('after_close', 'open')).toEqual({ sees: false, single: 403 });
    await t.close();
    expect(await visibilityCase('after_close', 'closed')).toEqual({ sees: true, single: 200 });
  });

  it('shows other units’ submitted opinions at once when visibility is always', async () => {
    expect(await visibilityCase('always', 'open')).toEqual({ sees: true, single: 200 });
  });

  it('filters and pages through a round’s opinions', async () => {
    const { round, organizer, liaisonA } = await setup();
    for (let i = 0; i < 5; i++) {
      await createOpinion(db(), round, { kind: i % 2 === 0 ? 'substantive' : 'editorial' });
    }
    await createOpinion(db(), round, { invited: round.invited[1]!, clause: round.articles[0]! });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await organizer.get(`/api/v1/rounds/${round.roundId}/opinions?limit=2${query}`);
      expect(page.statusCode).toBe(200);
      seen.push(...(page.json().items as { id: string }[]).map((o) => o.id));
      cursor = page.json().nextCursor as string | null;
    } while (cursor);
    expect(new Set(seen).size).toBe(6);
    const editorial = await organizer.get(`/api/v1/rounds/${round.roundId}/opinions?kind=editorial`);
    expect(editorial.json().items).toHaveLength(2);
    const byUnit = await organizer.get(
      `/api/v1/rounds/${round.roundId}/opinions?unit=${round.invited[1]!.unit.id}`,
    );
    expect(byUnit.json().items).toHaveLength(1);
    const byClause = await organizer.get(
      `/api/v1/rounds/${round.roundId}/opinions?clause=${round.articles[0]!.stableId}`,
    );
    expect(byClause.json().items).toHaveLength(1);
    expect((await liaisonA.get(`/api/v1/rounds/${round.roundId}/opinions?cursor=garbage`)).statusCode).toBe(
      400,
    );
    const outsider = await t.signIn(
      await createUser(db(), { roles: ['organizer'], unitId: (await createUnit(db())).id }),
    );
    expect((await outsider.get(`/api/v1/rounds/${round.roundId}/opinions`)).statusCode).toBe(403);
  });

  it('stores evidence files with their hash and serves them to those who may see the opinion', async () => {
    const { round, liaisonA, liaisonB, organizer } = await setup({ visibility: 'never' });
    const created = await liaisonA.post(`/api/v1/rounds/${round.roundId}/opinions`, {
      ...GOOD,
      clauseStableId: articleTwo(round).stableId,
    });
    const id = created.json().id as string;
    const data = Buffer.from('2025年统计公报摘录：核心产业增加值占比9.8%。');
    const uploaded = await liaisonA.upload(`/api/v1/opinions/${id}/evidence`, { name: '统计公报.txt', data });
    expect(uploaded.statusCode).toBe(201);
    expect(uploaded.json()).toMatchObject({ fileName: '统计公报.txt', size: data.length });
    expect(uploaded.json().sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(
      (await liaisonB.upload(`/api/v1/opinions/${id}/evidence`, { name: 'x.txt', data })).statusCode,
    ).toBe(403);
    const evidenceId = uploaded.json().id as string;

    const download = await liaisonA.get(`/api/v1/opinions/${id}/evidence/${evidenceId}`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(data)).toBe(true);
    expect(download.headers['content-disposition']).toContain(encodeURIComponent('统计公报.txt'));
    expect((await liaisonA.get(`/api/v1/opinions/${id}`)).json().evidence).toHaveLength(1);
    // A draft: not for the organizer, not for another unit.
    expect((await organizer.get(`/api/v1/opinions/${id}/evidence/${evidenceId}`)).statusCode).toBe(403);
    expect((await liaisonB.get(`/api/v1/opinions/${id}/evidence/${evidenceId}`)).statusCode).toBe(403);
    expect(await count(db(), 'opinion_evidence')).toBe(1);
  });
});
