import { afterEach, expect, it } from 'vitest';
import { parseStanceModel } from '../src/analysis/stance/model.ts';
import { ANALYSIS_OPINION, ANALYSIS_ROUND, opinionJobKey } from '../src/server/jobs/analysis.jobs.ts';
import { linkSetDigest } from '../src/server/repositories/analysis.repository.ts';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import { FORM_COPIES, drainAnalysisJobs, driftingLetters, submitOpinion } from './analysis-app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createRound } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import { createUnit, createUser } from './factories.ts';

const API = '/api/v1';

interface Cluster {
  id: string;
  size: number;
  status: string;
  threshold: number;
  representative: { id: string; regNo: string | null; unitName: string | null; excerpt: string };
}

describeDb('analysis API', (db) => {
  let t: TestApp | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  async function setup(options: Parameters<typeof createRound>[1] = {}): Promise<{
    t: TestApp;
    round: TestRound;
    organizer: TestClient;
  }> {
    const round = await createRound(db(), options);
    t = await createTestApp(db());
    return { t, round, organizer: await t.signIn(round.organizer) };
  }

  const ledger = (entity: string, id: string) =>
    db()
      .db.selectFrom('ledger_event')
      .select(['event', 'actor', 'payload'])
      .where('entity', '=', entity)
      .where('entity_id', '=', id)
      .orderBy('seq')
      .execute();

  /**
   * A letter, a copy that clusters with it, two copies of another drift of it and a third drift alone:
   * near-duplicate links join the letter to `late` and to `lone`.
   */
  async function submitDriftingLetters(round: TestRound) {
    const [a, b] = round.invited as [TestRound['invited'][0], TestRound['invited'][0]];
    const { base, start, middle, end } = driftingLetters();
    const letter = await submitOpinion(db(), round, { invited: a, suggestion: base });
    await submitOpinion(db(), round, { invited: b, suggestion: start });
    const late = await submitOpinion(db(), round, { invited: a, suggestion: end });
    await submitOpinion(db(), round, { invited: b, suggestion: end });
    const lone = await submitOpinion(db(), round, { invited: b, suggestion: middle });
    return { letter, late, lone };
  }

  const analysisRow = (opinionId: string) =>
    db().db.selectFrom('opinion_analysis').selectAll().where('opinion_id', '=', opinionId).executeTakeFirst();

  it('analyses opinions when their reply is sent, idempotently, and never overrides a person', async () => {
    const { t, round, organizer } = await setup();
    const [a] = round.invited;
    const liaison = await t.signIn(a!.liaison);
    const head = await t.signIn(a!.head);
    expect(
      (
        await organizer.put(`${API}/plans/${round.planId}/topics`, {
          topics: [{ key: 'computing', label: '算力', keywords: ['算力', '数据中心'] }],
        })
      ).statusCode,
    ).toBe(200);
    const drafted = await liaison.post(`${API}/rounds/${round.roundId}/opinions`, {
      kind: 'substantive',
      clauseStableId: round.articles[2]!.stableId,
      suggestion: '反对取消算力中心补贴，建议将补贴标准提高到每千瓦200元。',
      reasons: '全省算力供给不足，2025年缺口约30%。',
      proposedText: null,
    });
    expect(drafted.statusCode).toBe(201);
    const opinionId = drafted.json<{ id: string }>().id;
    await drainAnalysisJobs(t);
    // A draft is the unit's own: nothing is analysed before the reply is sent.
    expect(await analysisRow(opinionId)).toBeUndefined();

    // Drafting the first opinion started the reply.
    expect((await liaison.post(`${API}/invitations/${a!.invitationId}/submit-for-review`)).statusCode).toBe(
      200,
    );
    expect((await head.post(`${API}/invitations/${a!.invitationId}/sign-off`)).statusCode).toBe(200);
    const sent = await liaison.post(`${API}/invitations/${a!.invitationId}/send`, {
      position: 'agree_with_amendments',
    });
    expect(sent.statusCode).toBe(201);
    const queued = await db()
      .db.selectFrom('job')
      .select(['kind', 'dedupe_key', 'status'])
      .where('kind', '=', ANALYSIS_OPINION)
      .execute();
    expect(queued).toEqual([
      { kind: ANALYSIS_OPINION, dedupe_key: opinionJobKey(opinionId), status: 'queued' },
    ]);

    const ran = await drainAnalysisJobs(t);
    expect(ran.map((r) => [r.kind, r.status])).toEqual([
      [ANALYSIS_OPINION, 'succeeded'],
      [ANALYSIS_ROUND, 'skipped'],
    ]);
    const first = await analysisRow(opinionId);
    expect(first).toMatchObject({ round_id: round.roundId, stance_source: 'machine', version: 1 });
    expect(first!.stance).not.toBeNull();
    expect(first!.input_hash).toMatch(/^[0-9a-f]{64}$/);

    const view = await organizer.get(`${API}/opinions/${opinionId}/analysis`);
    expect(view.statusCode).toBe(200);
    const body = view.json<{
      analyzed: boolean;
      stance: { label: string; source: string };
      topics: { key: string; source: string; score: number }[];
      quality: { score: number };
    }>();
    expect(body.analyzed).toBe(true);
    expect(body.stance.source).toBe('machine');
    expect(body.topics).toEqual([expect.objectContaining({ key: 'computing', source: 'machine' })]);
    expect(body.topics[0]!.score).toBeGreaterThanOrEqual(0.5);

    // Running the job again (a retry, a second worker) changes nothing.
    await t.services.jobs.enqueue(db().db, {
      kind: ANALYSIS_OPINION,
      payload: { opinionId },
      dedupeKey: opinionJobKey(opinionId),
    });
    expect((await drainAnalysisJobs(t)).map((r) => [r.kind, r.status])).toEqual([
      [ANALYSIS_OPINION, 'skipped'],
    ]);
    expect(await analysisRow(opinionId)).toEqual(first);

    // A person's stance and topic decisions survive re-analysis of the whole round.
    const stance = await organizer.put(`${API}/opinions/${opinionId}/stance`, { stance: 'support' });
    expect(stance.statusCode).toBe(200);
    expect(stance.json()).toEqual({ opinionId, stance: { label: 'support', score: 1, source: 'human' } });
    const topicId = (await organizer.get(`${API}/plans/${round.planId}/topics`)).json<{
      topics: { id: string }[];
    }>().topics[0]!.id;
    const rejected = await organizer.put(`${API}/opinions/${opinionId}/topics`, {
      topics: [{ topicId, present: false }],
    });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toEqual([
      expect.objectContaining({ key: 'computing', source: 'human', rejected: true, score: 0 }),
    ]);
    const run = await organizer.post(`${API}/rounds/${round.roundId}/analysis/run`);
    expect(run.statusCode).toBe(202);
    expect((await drainAnalysisJobs(t)).map((r) => r.status)).toEqual(['skipped']);
    // A new keyword changes what the machine reads: the round is analysed again, the person's word stays.
    const changed = await organizer.put(`${API}/plans/${round.planId}/topics`, {
      topics: [{ key: 'computing', label: '算力', keywords: ['算力', '数据中心', '补贴'] }],
    });
    expect(changed.json<{ topics: { id: string }[] }>().topics[0]!.id).toBe(topicId);
    expect((await drainAnalysisJobs(t)).map((r) => r.status)).toEqual(['succeeded']);
    expect((await analysisRow(opinionId))!.input_hash).not.toBe(first!.input_hash);
    expect(await analysisRow(opinionId)).toMatchObject({ stance: 'support', stance_source: 'human' });
    const after = (await organizer.get(`${API}/opinions/${opinionId}/analysis`)).json<{
      topics: { key: string; source: string; rejected: boolean }[];
    }>();
    expect(after.topics).toEqual([
      expect.objectContaining({ key: 'computing', source: 'human', rejected: true }),
    ]);
    expect((await ledger('opinion', opinionId)).map((e) => e.event)).toEqual(
      expect.arrayContaining(['opinion.stance_labelled', 'opinion.topics_labelled']),
    );

    // Handing the stance back to the machine analyses the opinion again.
    await organizer.put(`${API}/opinions/${opinionId}/stance`, { stance: null });
    await drainAnalysisJobs(t);
    expect(await analysisRow(opinionId)).toMatchObject({ stance_source: 'machine', stance: first!.stance });
  });

  it('clusters form letters, and people confirm, split and merge them with every step audited', async () => {
    const { t, round, organizer } = await setup();
    const [a, b] = round.invited as [TestRound['invited'][0], TestRound['invited'][0]];
    const copies = [];
    for (const [i, text] of FORM_COPIES.entries()) {
      copies.push(await submitOpinion(db(), round, { invited: i < 3 ? a : b, suggestion: text }));
    }
    const other = await submitOpinion(db(), round, {
      invited: b,
      suggestion: 'Please publish the data-centre energy figures every year so that progress can be checked.',
    });
    await submitOpinion(db(), round, { invited: a, suggestion: '同意' });
    expect((await organizer.post(`${API}/rounds/${round.roundId}/analysis/run`)).statusCode).toBe(202);
    const ran = await drainAnalysisJobs(t);
    expect(ran.at(-1)).toMatchObject({ kind: ANALYSIS_ROUND, status: 'succeeded' });

    const list = await organizer.get(`${API}/rounds/${round.roundId}/clusters`);
    expect(list.statusCode).toBe(200);
    const { items } = list.json<{ items: Cluster[]; nextCursor: string | null }>();
    expect(items).toHaveLength(1);
    const cluster = items[0]!;
    expect(cluster).toMatchObject({ size: 5, status: 'machine', threshold: 0.8 });
    expect(cluster.representative.id).toBe(copies[0]!.id);
    expect(cluster.representative.unitName).toBe(a.unit.name);
    expect(cluster.representative.excerpt.length).toBeLessThanOrEqual(161);
    expect((await analysisRow(other.id))?.cluster_id).toBeNull();

    const detail = await organizer.get(`${API}/clusters/${cluster.id}?limit=2`);
    expect(detail.statusCode).toBe(200);
    const page1 = detail.json<{ members: { id: string }[]; nextCursor: string }>();
    expect(page1.members.map((m) => m.id)).toHaveLength(2);
    const page2 = (
      await organizer.get(`${API}/clusters/${cluster.id}?limit=10&cursor=${page1.nextCursor}`)
    ).json<{ members: { id: string }[]; nextCursor: string | null }>();
    expect([...page1.members, ...page2.members].map((m) => m.id).sort()).toEqual(
      copies.map((c) => c.id).sort(),
    );
    expect(page2.nextCursor).toBeNull();

    // Re-clustering is idempotent: nothing changes, not even the cluster's id.
    await organizer.post(`${API}/rounds/${round.roundId}/analysis/run`);
    const rerun = await drainAnalysisJobs(t);
    expect(rerun.at(-1)).toMatchObject({ kind: ANALYSIS_ROUND, status: 'skipped' });
    const stillOne = (await organizer.get(`${API}/rounds/${round.roundId}/clusters`)).json<{
      items: Cluster[];
    }>();
    expect(stillOne.items.map((c) => [c.id, c.size])).toEqual([[cluster.id, 5]]);

    const confirmed = await organizer.post(`${API}/clusters/${cluster.id}/confirm`);
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ id: cluster.id, status: 'confirmed', size: 5 });

    const split = await organizer.post(`${API}/clusters/${cluster.id}/split`, {
      opinionIds: [copies[3]!.id, copies[4]!.id],
    });
    expect(split.statusCode).toBe(200);
    const parts = split.json<{ clusters: Cluster[] }>().clusters;
    expect(parts.map((c) => [c.size, c.status])).toEqual([
      [3, 'edited'],
      [2, 'edited'],
    ]);
    expect(parts[1]!.representative.id).toBe(copies[3]!.id);
    expect((await analysisRow(copies[4]!.id))?.cluster_id).toBe(parts[1]!.id);

    // People's clusters stay as they are when the machine clusters again.
    await organizer.post(`${API}/rounds/${round.roundId}/analysis/run`);
    await drainAnalysisJobs(t);
    const afterRerun = (await organizer.get(`${API}/rounds/${round.roundId}/clusters`)).json<{
      items: Cluster[];
    }>();
    expect(afterRerun.items.map((c) => [c.id, c.size, c.status])).toEqual([
      [cluster.id, 3, 'edited'],
      [parts[1]!.id, 2, 'edited'],
    ]);

    const merged = await organizer.post(`${API}/rounds/${round.roundId}/clusters/merge`, {
      clusterIds: [cluster.id, parts[1]!.id],
    });
    expect(merged.statusCode).toBe(200);
    expect(merged.json()).toMatchObject({ id: cluster.id, size: 5, status: 'edited' });
    expect((await organizer.get(`${API}/clusters/${parts[1]!.id}`)).statusCode).toBe(404);

    const events = await ledger('duplicate_cluster', cluster.id);
    expect(events.map((e) => [e.event, e.actor])).toEqual([
      ['cluster.confirmed', round.organizer.id],
      ['cluster.split', round.organizer.id],
      ['cluster.merged', round.organizer.id],
    ]);
    // Every comment keeps its own identity (and so its own disposition and feedback).
    const rows = await db()
      .db.selectFrom('opinion')
      .select(['id', 'reg_no', 'status'])
      .where(
        'id',
        'in',
        copies.map((c) => c.id),
      )
      .execute();
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.reg_no)).size).toBe(5);
    expect(rows.every((r) => r.status === 'submitted')).toBe(true);

    const overview = await organizer.get(`${API}/rounds/${round.roundId}/analysis`);
    expect(overview.statusCode).toBe(200);
    expect(overview.json()).toMatchObject({
      submitted: 7,
      analyzed: 7,
      pending: 0,
      threshold: 0.8,
      clusters: { count: 1, reviewed: 1, clusteredOpinions: 5 },
      lastJob: { status: 'skipped' },
    });

    // Refusals name what is wrong.
    const stranger = await organizer.post(`${API}/clusters/${cluster.id}/split`, { opinionIds: [other.id] });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json()).toMatchObject({
      error: { code: 'validation_failed', details: { field: 'opinionIds' } },
    });
    const everyone = await organizer.post(`${API}/clusters/${cluster.id}/split`, {
      opinionIds: copies.map((c) => c.id),
    });
    expect(everyone.statusCode).toBe(422);
    const one = await organizer.post(`${API}/rounds/${round.roundId}/clusters/merge`, {
      clusterIds: [cluster.id],
    });
    expect(one.statusCode).toBe(400);
    expect(one.json<{ error: { message: string } }>().error.message).toContain('clusterIds');
  });

  it('lists near-duplicates a cluster leaves out beside it: other clusters to merge, and lone opinions', async () => {
    const { t, round, organizer } = await setup();
    // The letter and one copy form a cluster; two copies like the letter but unlike that copy stay out.
    const { letter, late, lone } = await submitDriftingLetters(round);
    await organizer.post(`${API}/rounds/${round.roundId}/analysis/run`);
    await drainAnalysisJobs(t);

    const { items } = (await organizer.get(`${API}/rounds/${round.roundId}/clusters`)).json<{
      items: Cluster[];
    }>();
    expect(items.map((c) => [c.representative.id, c.size]).sort()).toEqual(
      [
        [letter.id, 2],
        [late.id, 2],
      ].sort(),
    );
    const first = items.find((c) => c.representative.id === letter.id)!;
    const second = items.find((c) => c.representative.id === late.id)!;
    interface Related {
      clusterId: string | null;
      size: number;
      links: number;
      representative: { id: string };
    }
    const relatedOf = async (id: string) =>
      (await organizer.get(`${API}/clusters/${id}`)).json<{ related: Related[] }>().related;
    const related = await relatedOf(first.id);
    expect(related.map((r) => [r.clusterId, r.size, r.links, r.representative.id])).toEqual(
      [
        [second.id, 2, 1, late.id],
        [null, 1, 1, lone.id],
      ].sort((x, y) => String(x[3]).localeCompare(String(y[3]))),
    );
    expect((await relatedOf(second.id)).map((r) => r.clusterId)).toEqual([first.id]);
    const stored = await db()
      .db.selectFrom('duplicate_link')
      .selectAll()
      .where('round_id', '=', round.roundId)
      .execute();
    expect(stored.map((l) => [l.opinion_id, l.similar_id]).sort()).toEqual(
      [
        [letter.id, late.id],
        [letter.id, lone.id],
      ].sort(),
    );

    // Running the analysis again changes nothing.
    await organizer.post(`${API}/rounds/${round.roundId}/analysis/run`);
    expect((await drainAnalysisJobs(t)).at(-1)).toMatchObject({ kind: ANALYSIS_ROUND, status: 'skipped' });

    // Once a person merges the two clusters, the other is no longer listed beside the first.
    const merged = await organizer.post(`${API}/rounds/${round.roundId}/clusters/merge`, {
      clusterIds: [first.id, second.id],
    });
    expect(merged.statusCode).toBe(200);
    expect((await relatedOf(first.id)).map((r) => [r.clusterId, r.representative.id])).toEqual([
      [null, lone.id],
    ]);
    // The analysis runs again: the merged cluster stays as the person left it, and the opinion like its
    // letter is still listed beside it, its link found again.
    await organizer.post(`${API}/rounds/${round.roundId}/analysis/run`);
    await drainAnalysisJobs(t);
    expect((await relatedOf(first.id)).map((r) => [r.clusterId, r.representative.id])).toEqual([
      [null, lone.id],
    ]);
    const after = await db()
      .db.selectFrom('duplicate_link')
      .select(['opinion_id', 'similar_id'])
      .where('round_id', '=', round.roundId)
      .execute();
    expect(after.map((l) => [l.opinion_id, l.similar_id])).toEqual([[letter.id, lone.id]]);
  });

  it("leaves a round's links unread when the analysis finds what it last wrote, and mends them otherwise", async () => {
    const { t, round, organizer } = await setup();
    const { letter, late, lone } = await submitDriftingLetters(round);
    const run = async () => {
      await organizer.post(`${API}/rounds/${round.roundId}/analysis/run`);
      return (await drainAnalysisJobs(t)).at(-1);
    };
    const links = async () =>
      (
        await db()
          .db.selectFrom('duplicate_link')
          .select(['opinion_id', 'similar_id'])
          .where('round_id', '=', round.roundId)
          .execute()
      )
        .map((l) => [l.opinion_id, l.similar_id])
        .sort();
    const state = () =>
      db()
        .db.selectFrom('duplicate_link_state')
        .select(['links', 'digest'])
        .where('round_id', '=', round.roundId)
        .executeTakeFirst();
    await run();
    const found = [
      [letter.id, late.id],
      [letter.id, lone.id],
    ].sort();
    expect(await links()).toEqual(found);
    const written = await state();
    expect(written).toEqual({
      links: 2,
      digest: linkSetDigest(
        found.map(([opinionId, similarId]) => ({ opinionId: opinionId!, similarId: similarId! })),
      ),
    });

    // A link removed behind the analysis's back (as when an opinion is deleted) leaves fewer than it wrote:
    // the next run reads them and writes the missing one again.
    await db()
      .db.deleteFrom('duplicate_link')
      .where('opinion_id', '=', letter.id)
      .where('similar_id', '=', lone.id)
      .execute();
    expect(await run()).toMatchObject({ kind: ANALYSIS_ROUND, status: 'succeeded' });
    expect(await links()).toEqual(found);

    // A state that does not match what the machine finds (another writer's) is not trusted either.
    await db()
      .db.updateTable('duplicate_link_state')
      .set({ digest: '0'.repeat(32) })
      .where('round_id', '=', round.roundId)
      .execute();
    expect(await run()).toMatchObject({ kind: ANALYSIS_ROUND, status: 'skipped' });
    expect(await state()).toEqual(written);
    expect(await links()).toEqual(found);
    // And with the state in step, a run that finds the same links again changes nothing.
    expect(await run()).toMatchObject({ kind: ANALYSIS_ROUND, status: 'skipped' });
    expect(await links()).toEqual(found);
  });

  it('re-clusters at a new threshold in a job the organizer can follow', async () => {
    const { t, round, organizer } = await setup();
    const [a, b] = round.invited as [TestRound['invited'][0], TestRound['invited'][0]];
    const exact = [];
    for (const [i, text] of FORM_COPIES.entries()) {
      await submitOpinion(db(), round, { invited: i % 2 ? a : b, suggestion: text });
    }
    exact.push(await submitOpinion(db(), round, { invited: a, suggestion: FORM_COPIES[1]! }));
    await organizer.post(`${API}/rounds/${round.roundId}/analysis/run`);
    await drainAnalysisJobs(t);
    const sizes = async () =>
      (await organizer.get(`${API}/rounds/${round.roundId}/clusters`))
        .json<{ items: Cluster[] }>()
        .items.map((c) => [c.size, c.threshold]);
    expect(await sizes()).toEqual([[6, 0.8]]);

    const low = await organizer.put(`${API}/rounds/${round.roundId}/dedupe-threshold`, { threshold: 0.3 });
    expect(low.statusCode).toBe(400);
    expect(low.json<{ error: { message: string } }>().error.message).toContain('threshold');

    const set = await organizer.put(`${API}/rounds/${round.roundId}/dedupe-threshold`, { threshold: 1 });
    expect(set.statusCode).toBe(202);
    const { job } = set.json<{ job: { id: string; status: string } }>();
    expect(job.status).toBe('queued');
    await drainAnalysisJobs(t);
    const followed = await organizer.get(`${API}/jobs/${job.id}`);
    expect(followed.statusCode).toBe(200);
    expect(followed.json()).toMatchObject({ status: 'succeeded', progress: 1 });
    // At 1 only the exact copy is left with its original.
    expect(await sizes()).toEqual([[2, 1]]);
    expect((await analysisRow(exact[0]!.id))?.duplicate_of).not.toBeNull();
    expect((await ledger('round', round.roundId)).map((e) => e.event)).toContain(
      'round.dedupe_threshold_set',
    );
    expect((await organizer.get(`${API}/rounds/${round.roundId}/analysis`)).json()).toMatchObject({
      threshold: 1,
      clusters: { count: 1, exactDuplicates: 1 },
    });
  });

  it('takes withdrawn opinions out of clusters, machine or reviewed', async () => {
    const { t, round, organizer } = await setup();
    const ids = [];
    for (const text of [...FORM_COPIES, 'Save the subsidy for computing centres. 🙏', '🙏']) {
      ids.push((await submitOpinion(db(), round, { suggestion: text })).id);
    }
    await organizer.post(`${API}/rounds/${round.roundId}/analysis/run`);
    await drainAnalysisJobs(t);
    const [cluster] = (await organizer.get(`${API}/rounds/${round.roundId}/clusters`)).json<{
      items: Cluster[];
    }>().items;
    expect(cluster).toMatchObject({ size: 5, representative: { id: ids[0] } });
    const split = (
      await organizer.post(`${API}/clusters/${cluster!.id}/split`, { opinionIds: [ids[4]], singletons: true })
    ).json<{ clusters: Cluster[] }>().clusters;
    expect(split.map((c) => c.size)).toEqual([4, 1]);

    const withdraw = (id: string) =>
      db().db.updateTable('opinion').set({ status: 'withdrawn' }).where('id', '=', id).execute();
    await withdraw(ids[0]!);
    await withdraw(ids[4]!);
    await organizer.post(`${API}/rounds/${round.roundId}/analysis/run`);
    expect((await drainAnalysisJobs(t)).at(-1)).toMatchObject({ status: 'succeeded' });
    const after = (await organizer.get(`${API}/rounds/${round.roundId}/clusters`)).json<{
      items: Cluster[];
    }>();
    // The reviewed cluster keeps its id and members, less the withdrawn one, under a new representative.
    expect(after.items.map((c) => [c.id, c.size, c.status, c.representative.id])).toEqual([
      [cluster!.id, 3, 'edited', ids[1]],
    ]);
    expect((await analysisRow(ids[0]!))?.cluster_id).toBeNull();
    expect(
      await db().db.selectFrom('duplicate_cluster').select('id').where('id', '=', split[1]!.id).execute(),
    ).toEqual([]);
  });

  it('keeps a taxonomy, labels topics by source, and learns topics from people’s labels', async () => {
    const { t, round, organizer } = await setup();
    const bad = await organizer.put(`${API}/plans/${round.planId}/topics`, {
      topics: [
        { key: 'transport', label: '交通' },
        { key: 'transport', label: '交通运输' },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { details: { field: 'topics.1.key' } } });
    const put = await organizer.put(`${API}/plans/${round.planId}/topics`, {
      topics: [
        { key: 'transport', label: '交通', keywords: [] },
        { key: 'education', label: '教育' },
      ],
    });
    expect(put.statusCode).toBe(200);
    const topics = put.json<{ topics: { id: string; key: string }[]; jobIds: string[] }>();
    expect(topics.topics.map((x) => x.key)).toEqual(['transport', 'education']);
    expect(topics.jobIds).toHaveLength(1);
    const id = (key: string) => topics.topics.find((x) => x.key === key)!.id;

    const places = [
      '杭州',
      '宁波',
      '温州',
      '嘉兴',
      '湖州',
      '绍兴',
      '金华',
      '衢州',
      '舟山',
      '台州',
      '丽水',
      '义乌',
    ];
    const opinions: { id: string; topic: string }[] = [];
    for (const place of places) {
      const transport = await submitOpinion(db(), round, {
        suggestion: `${place}早晚高峰道路拥堵严重，建议增加公交班次、优化地铁换乘，发展城市轨道交通。`,
      });
      opinions.push({ id: transport.id, topic: 'transport' });
      const education = await submitOpinion(db(), round, {
        suggestion: `${place}中小学教师编制不足，建议增加学校学位供给，提高课堂教学质量和学生课后服务。`,
      });
      opinions.push({ id: education.id, topic: 'education' });
    }
    const fresh = await submitOpinion(db(), round, {
      suggestion: '湖州至嘉兴的城际公交线路太少，地铁和轨道交通规划应尽快落地，缓解道路拥堵。',
    });
    await drainAnalysisJobs(t);
    await organizer.post(`${API}/rounds/${round.roundId}/analysis/run`);
    await drainAnalysisJobs(t);
    // No keywords and no labels: the machine has nothing to go on yet.
    expect((await organizer.get(`${API}/opinions/${fresh.id}/analysis`)).json()).toMatchObject({
      topics: [],
    });

    const early = await organizer.post(`${API}/plans/${round.planId}/models/topic/train`);
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({
      error: {
        code: 'rule_violated',
        details: {
          field: 'labels',
          lacking: [
            { key: 'transport', labels: 0, needed: 10 },
            { key: 'education', labels: 0, needed: 10 },
          ],
        },
      },
    });

    for (const o of opinions) {
      const labelled = await organizer.put(`${API}/opinions/${o.id}/topics`, {
        topics: [{ topicId: id(o.topic), present: true }],
      });
      expect(labelled.statusCode).toBe(200);
    }
    const unknownTopic = await organizer.put(`${API}/opinions/${fresh.id}/topics`, {
      topics: [{ topicId: 'no-such-topic', present: true }],
    });
    expect(unknownTopic.statusCode).toBe(400);
    expect(unknownTopic.json()).toMatchObject({ error: { details: { field: 'topics.0.topicId' } } });

    const trained = await organizer.post(`${API}/plans/${round.planId}/models/topic/train`);
    expect(trained.statusCode).toBe(200);
    expect(trained.json()).toMatchObject({
      task: 'topic',
      labelCount: 24,
      learned: ['transport', 'education'],
      lacking: [],
    });
    expect(trained.json<{ jobIds: string[] }>().jobIds).toHaveLength(1);
    await drainAnalysisJobs(t);

    const labels = (await organizer.get(`${API}/opinions/${fresh.id}/analysis`)).json<{
      topics: { key: string; source: string; score: number }[];
    }>().topics;
    expect(labels.map((l) => [l.key, l.source])).toEqual([['transport', 'machine']]);
    // Labels people gave stay theirs.
    const own = (await organizer.get(`${API}/opinions/${opinions[0]!.id}/analysis`)).json<{
      topics: { key: string; source: string }[];
    }>().topics;
    expect(own.filter((l) => l.source === 'human').map((l) => l.key)).toEqual(['transport']);

    const review = await organizer.get(`${API}/rounds/${round.roundId}/topic-review?limit=1`);
    expect(review.statusCode).toBe(200);
    const firstPage = review.json<{
      items: { id: string; score: number; key: string }[];
      nextCursor: string | null;
    }>();
    expect(firstPage.items).toEqual([expect.objectContaining({ id: fresh.id, key: 'transport' })]);

    const overview = (await organizer.get(`${API}/rounds/${round.roundId}/analysis`)).json<{
      topics: { key: string; machine: number; human: number }[];
    }>();
    expect(overview.topics).toEqual([
      expect.objectContaining({ key: 'transport', human: 12, machine: 1 }),
      expect.objectContaining({ key: 'education', human: 12, machine: 0 }),
    ]);
    const models = await organizer.get(`${API}/plans/${round.planId}/models`);
    expect(models.json()).toEqual([expect.objectContaining({ task: 'topic', labelCount: 24 })]);
    expect((await ledger('plan', round.planId)).map((e) => e.event)).toEqual(
      expect.arrayContaining(['plan.topics_replaced', 'analysis.model_trained']),
    );
  });

  it('learns stances from labels of two stances or more', async () => {
    const { t, round, organizer } = await setup();
    const pro = await submitOpinion(db(), round, { suggestion: '完全支持本条规定，目标合理可行。' });
    const con = await submitOpinion(db(), round, { suggestion: '坚决反对本条规定，目标脱离实际。' });
    await drainAnalysisJobs(t);
    await organizer.put(`${API}/opinions/${pro.id}/stance`, { stance: 'support' });
    const one = await organizer.post(`${API}/plans/${round.planId}/models/stance/train`);
    expect(one.statusCode).toBe(422);
    expect(one.json()).toMatchObject({ error: { details: { field: 'labels' } } });
    await organizer.put(`${API}/opinions/${con.id}/stance`, { stance: 'oppose' });
    const trained = await organizer.post(`${API}/plans/${round.planId}/models/stance/train`);
    expect(trained.statusCode).toBe(200);
    expect(trained.json()).toMatchObject({ task: 'stance', labelCount: 2, learned: [] });
    // Stored with its long arrays of numbers packed, and read back whole.
    const stored = await db()
      .db.selectFrom('analysis_model')
      .select('model')
      .where('plan_id', '=', round.planId)
      .where('task', '=', 'stance')
      .executeTakeFirstOrThrow();
    expect(stored.model).toContain('"f32":');
    expect(parseStanceModel(stored.model).shared).not.toBeNull();
    const badStance = await organizer.put(`${API}/opinions/${pro.id}/stance`, { stance: 'maybe' });
    expect(badStance.statusCode).toBe(400);
    expect(badStance.json<{ error: { message: string } }>().error.message).toContain('stance');
  });

  it('shows analysis to the plan’s side only', async () => {
    const { t, round, organizer } = await setup();
    const [a] = round.invited;
    const opinion = await submitOpinion(db(), round, { invited: a, suggestion: FORM_COPIES[0]! });
    await drainAnalysisJobs(t);
    const otherUnit = await createUnit(db());
    const outsider = await t.signIn(await createUser(db(), { roles: ['organizer'], unitId: otherUnit.id }));
    const expert = await t.signIn(await createUser(db(), { roles: ['expert'], unitId: otherUnit.id }));
    const liaison = await t.signIn(a!.liaison);
    const leader = await t.signIn(round.leader);
    const reads = [
      `${API}/rounds/${round.roundId}/analysis`,
      `${API}/rounds/${round.roundId}/clusters`,
      `${API}/rounds/${round.roundId}/topic-review`,
      `${API}/rounds/${round.roundId}/stances`,
      `${API}/rounds/${round.roundId}/conflict-candidates`,
      `${API}/opinions/${opinion.id}/analysis`,
      `${API}/plans/${round.planId}/topics`,
      `${API}/versions/${round.versionId}/routing`,
    ];
    for (const url of reads) {
      expect((await organizer.get(url)).statusCode, url).toBe(200);
      expect((await leader.get(url)).statusCode, url).toBe(200);
      for (const client of [outsider, expert, liaison]) {
        expect([403, 404], url).toContain((await client.get(url)).statusCode);
      }
    }
    // Leaders read; only the plan's organizers change anything.
    for (const client of [leader, liaison, outsider]) {
      expect(
        (await client.put(`${API}/rounds/${round.roundId}/dedupe-threshold`, { threshold: 0.9 })).statusCode,
      ).toBe(403);
      expect(
        (await client.put(`${API}/opinions/${opinion.id}/stance`, { stance: 'oppose' })).statusCode,
      ).toBe(403);
      expect((await client.post(`${API}/rounds/${round.roundId}/analysis/run`)).statusCode).toBe(403);
    }
    expect((await organizer.get(`${API}/rounds/no-such-round/analysis`)).statusCode).toBe(404);
    const spec = (await organizer.get('/api/openapi.json')).json<{
      paths: Record<string, Record<string, { tags?: string[] }>>;
    }>();
    expect(spec.paths['/api/v1/rounds/{id}/clusters']?.get?.tags).toEqual(['analysis']);
  });
});
