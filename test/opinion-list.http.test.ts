import { afterEach, expect, it } from 'vitest';
import type { TestApp, TestClient } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createOpinion } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import { createUnit, createUser } from './factories.ts';
import { createRoundApp } from './round-app.ts';

interface Listed {
  id: string;
  priority?: string | null;
  assigneeId?: string | null;
  dispositionStatus?: string;
}

interface Page {
  items: Listed[];
  nextCursor: string | null;
}

const INTERNAL = ['priority', 'assigneeId', 'dispositionStatus'];

describeDb('the opinion list: assessment fields and filters', (db) => {
  let t: TestApp;
  let round: TestRound;
  let organizer: TestClient;
  let liaisonA: TestClient;
  afterEach(() => t.close());

  /** Five submitted opinions (three of unit A, two of unit B, B a city unit) and a draft of unit A. */
  async function setup() {
    const app = await createRoundApp(db(), { visibility: 'always' });
    ({ t, round, organizer } = app);
    liaisonA = app.unitA.liaison;
    const [a, b] = round.invited;
    const opinions = [
      await createOpinion(db(), round, { invited: a! }),
      await createOpinion(db(), round, { invited: a!, kind: 'editorial' }),
      await createOpinion(db(), round, { invited: a!, suggestion: '同意' }),
      await createOpinion(db(), round, { invited: b! }),
      await createOpinion(db(), round, { invited: b! }),
    ];
    const draft = await createOpinion(db(), round, { invited: a!, status: 'draft' });
    const set = (id: string, changes: Record<string, unknown>) =>
      db().db.updateTable('opinion').set(changes).where('id', '=', id).execute();
    // The list runs in creation order: make it unambiguous.
    for (const [i, o] of [...opinions, draft].entries()) {
      await set(o.id, { created_at: `2026-10-0${i + 1}T00:00:00.000Z` });
    }
    await db().db.updateTable('opinion').set({ level: 'city' }).where('unit_id', '=', b!.unit.id).execute();
    await set(opinions[0]!.id, { priority: 'core', assignee_id: round.organizer.id });
    await set(opinions[1]!.id, { priority: 'secondary', disposition_status: 'proposed' });
    await set(opinions[2]!.id, { quality_score: 0.1, quality_flags: '["vague","too_short","no_reasons"]' });
    await set(opinions[3]!.id, { quality_score: 0.65, quality_flags: '["no_reasons"]' });
    await set(opinions[4]!.id, { quality_score: 0.5, quality_flags: '["not_specific"]', priority: 'core' });
    return { opinions, draft };
  }

  const list = async (client: TestClient, query = ''): Promise<Page> => {
    const response = await client.get(`/api/v1/rounds/${round.roundId}/opinions${query}`);
    expect(response.statusCode).toBe(200);
    return response.json<Page>();
  };
  const ids = (page: Page) => page.items.map((o) => o.id);

  it("gives the plan's side priority, assessor and disposition status on every row, and units none of them", async () => {
    const { opinions, draft } = await setup();
    const planSide = await list(organizer);
    expect(planSide.items).toHaveLength(5);
    expect(planSide.items.find((o) => o.id === opinions[0]!.id)).toMatchObject({
      priority: 'core',
      assigneeId: round.organizer.id,
      dispositionStatus: 'pending',
    });
    expect(planSide.items.find((o) => o.id === opinions[1]!.id)).toMatchObject({
      priority: 'secondary',
      assigneeId: null,
      dispositionStatus: 'proposed',
    });
    const leader = await t.signIn(round.leader);
    expect((await list(leader)).items.every((o) => o.dispositionStatus !== undefined)).toBe(true);

    // The liaison sees its unit's draft and every submitted opinion (visibility: always), never the fields.
    const unit = await list(liaisonA);
    expect(ids(unit).sort()).toEqual([...opinions.map((o) => o.id), draft.id].sort());
    for (const item of unit.items) {
      for (const field of INTERNAL) {
        expect(item).not.toHaveProperty(field);
      }
    }
    const one = await liaisonA.get(`/api/v1/opinions/${opinions[0]!.id}`);
    expect(Object.keys(one.json())).not.toContain('priority');
  });

  it('filters by level, quality, priority and disposition status, and counts the matches apart', async () => {
    const { opinions } = await setup();
    const of = (...indexes: number[]) => indexes.map((i) => opinions[i]!.id);
    expect(ids(await list(organizer, '?level=city'))).toEqual(of(3, 4));
    expect(ids(await list(organizer, '?level=province'))).toEqual(of(0, 1, 2));
    // Valid (有效): score at least 0.6 and not vague.
    expect(ids(await list(organizer, '?quality=valid'))).toEqual(of(0, 1, 3));
    expect(ids(await list(organizer, '?quality=invalid'))).toEqual(of(2, 4));
    expect(ids(await list(organizer, '?quality=no_reasons'))).toEqual(of(2, 3));
    expect(ids(await list(organizer, '?quality=vague'))).toEqual(of(2));
    expect(ids(await list(organizer, '?priority=core'))).toEqual(of(0, 4));
    expect(ids(await list(organizer, '?priority=none'))).toEqual(of(2, 3));
    expect(ids(await list(organizer, '?dispositionStatus=proposed'))).toEqual(of(1));
    expect(ids(await list(organizer, '?priority=core&quality=valid&level=province'))).toEqual(of(0));

    // Paging through a filter, and counting it.
    const first = await list(organizer, '?quality=valid&limit=2');
    expect(first.items).toHaveLength(2);
    const second = await list(organizer, `?quality=valid&limit=2&cursor=${first.nextCursor}`);
    expect(ids(second)).toEqual(of(3));
    expect(second.nextCursor).toBeNull();
    const count = (client: TestClient, query = '') =>
      client.get(`/api/v1/rounds/${round.roundId}/opinions/count${query}`);
    expect((await count(organizer, '?quality=valid')).json()).toEqual({ total: 3 });
    expect((await count(organizer, '?priority=core&level=city')).json()).toEqual({ total: 1 });
    expect((await count(organizer)).json()).toEqual({ total: 5 });
    // The liaison counts what it may list: its draft too.
    expect((await count(liaisonA)).json()).toEqual({ total: 6 });
    // A unit filters by quality, which it sees anyway.
    expect(ids(await list(liaisonA, '?quality=vague'))).toEqual(of(2));
  });

  it('filters by whether an opinion proposes a text, for the plan and for units alike', async () => {
    const { opinions, draft } = await setup();
    await db()
      .db.updateTable('opinion')
      .set({ proposed_text: null })
      .where('id', 'in', [opinions[1]!.id, opinions[3]!.id, draft.id])
      .execute();
    const of = (...indexes: number[]) => indexes.map((i) => opinions[i]!.id);
    expect(ids(await list(organizer, '?hasProposal=true'))).toEqual(of(0, 2, 4));
    expect(ids(await list(organizer, '?hasProposal=false'))).toEqual(of(1, 3));
    expect(ids(await list(organizer, '?hasProposal=true&level=city'))).toEqual(of(4));
    expect(ids(await list(liaisonA, '?hasProposal=false'))).toEqual([...of(1, 3), draft.id]);
    const count = await organizer.get(`/api/v1/rounds/${round.roundId}/opinions/count?hasProposal=true`);
    expect(count.json()).toEqual({ total: 3 });
    const bad = await organizer.get(`/api/v1/rounds/${round.roundId}/opinions?hasProposal=maybe`);
    expect(bad.statusCode).toBe(400);
  });

  it("refuses the plan's own filters to units, and unknown filter values naming the field", async () => {
    await setup();
    const url = `/api/v1/rounds/${round.roundId}/opinions`;
    for (const path of [url, `${url}/count`]) {
      for (const [query, field] of [
        ['?priority=core', 'priority'],
        ['?priority=none', 'priority'],
        ['?dispositionStatus=approved', 'dispositionStatus'],
      ] as const) {
        const refused = await liaisonA.get(`${path}${query}`);
        expect(refused.statusCode).toBe(403);
        expect(refused.json().error.details).toMatchObject({ field });
      }
      for (const [query, field] of [
        ['?priority=urgent', 'querystring.priority'],
        ['?quality=good', 'querystring.quality'],
        ['?level=town', 'querystring.level'],
        ['?dispositionStatus=done', 'querystring.dispositionStatus'],
      ] as const) {
        const bad = await organizer.get(`${path}${query}`);
        expect(bad.statusCode).toBe(400);
        expect(bad.json().error.details[0].field).toBe(field);
      }
    }
    const stranger = await t.signIn(
      await createUser(db(), { roles: ['liaison'], unitId: (await createUnit(db())).id }),
    );
    expect((await stranger.get(`${url}?quality=valid`)).statusCode).toBe(403);
    expect((await stranger.get(`${url}/count`)).statusCode).toBe(403);
    expect((await t.anonymous.get(url)).statusCode).toBe(401);
    expect((await t.anonymous.get(`${url}/count`)).statusCode).toBe(401);
    expect((await organizer.get(`/api/v1/rounds/no-such-round/opinions/count`)).statusCode).toBe(404);
  });
});
