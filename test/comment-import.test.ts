import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { findDuplicates } from '../src/analysis/dedupe/index.ts';
import { AppError } from '../src/domain/errors.ts';
import { loadConfig } from '../src/server/config.ts';
import type { Database } from '../src/server/db/database.ts';
import { orderedIds } from '../src/server/db/ordered-ids.ts';
import { ANALYSIS_VERSION, analysisInputHash } from '../src/server/services/analysis.service.ts';
import type { ImportedComment } from '../src/server/services/comment-import.service.ts';
import { CommentImportService, inputHasher } from '../src/server/services/comment-import.service.ts';
import { CLI_ACTOR } from '../src/server/services/context.ts';
import type { Services } from '../src/server/services/index.ts';
import { createServices } from '../src/server/services/index.ts';
import { createOpinion, createRound } from './consultation-factories.ts';
import type { TestRound } from './consultation-factories.ts';
import { createTestDatabase, describeDb, testDialects } from './db.ts';
import { drifting } from './drifting-texts.ts';

const NOW = new Date('2026-04-01T09:30:00.000Z');

const FORM_LETTER =
  'I support the proposed rule extending the STEM OPT program to twenty four months because it keeps talented graduates working in the United States.';

const COMMENTS: ImportedComment[] = [
  { ref: 'a1', text: FORM_LETTER },
  { ref: 'a2', text: FORM_LETTER.replace('talented', 'very talented') },
  { ref: 'a3', text: FORM_LETTER },
  { ref: 'a4', text: '建议将2027年新能源汽车充电桩覆盖率提升至不低于90%，并明确各地市的建设责任。' },
  { ref: 'a5', text: '反对在老城区拓宽道路，会破坏历史街区风貌，交通拥堵应通过公共交通解决。' },
  { ref: null, text: '😀 emoji only 表情 "quoted" \\ back\\slash' },
  { ref: 'a6', text: '好' },
  { ref: 'a4', text: 'the same id again: skipped' },
  { ref: 'a7', text: '' },
  { ref: 'a8', text: '建议加强大气污染防治，环境质量考核指标不低于15%。' },
];

function servicesOf(database: Database, now: () => Date = () => NOW): Services {
  database.pgPool?.on('error', () => undefined);
  return createServices({
    database,
    config: loadConfig({
      CONCORD_DATABASE_URL: database.dialect === 'postgres' ? database.url : 'sqlite::memory:',
    }),
    now,
  });
}

async function publicRoundWithTopics(database: Database, services: Services): Promise<TestRound> {
  const round = await createRound(database, { kind: 'public', status: 'open', units: 1 });
  await services.analysis.replaceTopics(CLI_ACTOR, round.planId, {
    topics: [
      { key: 'traffic', label: '交通', keywords: ['交通', '道路', '充电桩'] },
      { key: 'environment', label: '环境', keywords: ['污染', '环境'] },
    ],
  });
  return round;
}

const importer = (services: Services): CommentImportService =>
  new CommentImportService(services.ctx, services.plans, services.analysis);

/** The ids of a round's opinions. */
async function opinionIdsOf(database: Database, roundId: string): Promise<string[]> {
  const rows = await database.db.selectFrom('opinion').select('id').where('round_id', '=', roundId).execute();
  return rows.map((row) => row.id);
}

/**
 * Everything an import stored in a round, with its ids written as what they stand for (opinions by
 * registration number, clusters by their representative, topics by key), so two databases compare.
 */
async function snapshot(database: Database, roundId: string): Promise<unknown> {
  const db = database.db;
  const opinions = await db
    .selectFrom('opinion')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('unit_id', 'is', null)
    .orderBy('reg_no')
    .execute();
  const regNoOf = new Map(opinions.map((o) => [o.id, o.reg_no]));
  const clusters = await db
    .selectFrom('duplicate_cluster')
    .selectAll()
    .where('round_id', '=', roundId)
    .execute();
  const clusterOf = new Map(clusters.map((c) => [c.id, regNoOf.get(c.representative_id)]));
  const analyses = await db
    .selectFrom('opinion_analysis')
    .selectAll()
    .where('round_id', '=', roundId)
    .execute();
  const topics = await db
    .selectFrom('opinion_topic')
    .innerJoin('topic', 'topic.id', 'opinion_topic.topic_id')
    .innerJoin('opinion', 'opinion.id', 'opinion_topic.opinion_id')
    .select([
      'opinion.reg_no',
      'topic.key',
      'opinion_topic.score',
      'opinion_topic.source',
      'opinion_topic.rejected',
      'opinion_topic.labelled_by',
      'opinion_topic.labelled_at',
    ])
    .where('opinion.round_id', '=', roundId)
    .execute();
  const links = await db
    .selectFrom('duplicate_link')
    .select(['opinion_id', 'similar_id', 'created_at'])
    .where('round_id', '=', roundId)
    .execute();
  const number = (value: unknown): unknown => (value === null ? null : Number(value));
  return {
    links: links
      .map((l) => ({
        opinion: regNoOf.get(l.opinion_id),
        similar: regNoOf.get(l.similar_id),
        created_at: l.created_at,
      }))
      .sort((a, b) => `${a.opinion}${a.similar}`.localeCompare(`${b.opinion}${b.similar}`)),
    opinions: opinions.map(({ id: _id, round_id: _round, ...rest }) => ({
      ...rest,
      blocking: number(rest.blocking),
      quality_score: number(rest.quality_score),
    })),
    clusters: clusters
      .map(({ id: _id, round_id: _round, representative_id, ...rest }) => ({
        ...rest,
        representative: regNoOf.get(representative_id),
        size: number(rest.size),
        threshold: number(rest.threshold),
      }))
      .sort((a, b) => String(a.representative).localeCompare(String(b.representative))),
    analyses: analyses
      .map(({ opinion_id, round_id: _round, cluster_id, duplicate_of, ...rest }) => ({
        ...rest,
        opinion: regNoOf.get(opinion_id),
        cluster: cluster_id === null ? null : clusterOf.get(cluster_id),
        duplicateOf: duplicate_of === null ? null : regNoOf.get(duplicate_of),
        stance_score: number(rest.stance_score),
        version: number(rest.version),
      }))
      .sort((a, b) => String(a.opinion).localeCompare(String(b.opinion))),
    topics: topics
      .map((t) => ({ ...t, score: number(t.score), rejected: number(t.rejected) }))
      .sort((a, b) => `${a.reg_no}${a.key}`.localeCompare(`${b.reg_no}${b.key}`)),
  };
}

describeDb('comment import', (db, dialect) => {
  it('stores each comment as an opinion with its analysis, topics and clusters, in file order', async () => {
    const services = servicesOf(db());
    const round = await publicRoundWithTopics(db(), services);
    const result = await importer(services).importComments(CLI_ACTOR, round.roundId, COMMENTS, {
      source: 'comments.jsonl',
    });
    expect(result).toMatchObject({ imported: 9, skipped: 1, clusters: 1, largestClusters: [3] });
    expect(result.exactDuplicates).toBe(1);
    const { seq } = await db()
      .db.selectFrom('round')
      .select('seq')
      .where('id', '=', round.roundId)
      .executeTakeFirstOrThrow();
    expect(result.firstRegNo).toBe(`${seq}-P-0000001`);
    expect(result.lastRegNo).toBe(`${seq}-P-0000009`);

    const opinions = await db()
      .db.selectFrom('opinion')
      .selectAll()
      .where('round_id', '=', round.roundId)
      .orderBy('reg_no')
      .execute();
    const fresh = COMMENTS.filter((c, i) => !(c.ref === 'a4' && i > 3));
    expect(opinions.map((o) => o.external_ref)).toEqual(fresh.map((c) => c.ref));
    expect(opinions.map((o) => o.suggestion)).toEqual(fresh.map((c) => c.text));
    // Ids sort as the registration numbers do.
    expect([...opinions.map((o) => o.id)].sort()).toEqual(opinions.map((o) => o.id));
    for (const o of opinions) {
      expect(o).toMatchObject({
        invitation_id: null,
        unit_id: null,
        author_id: null,
        clause_id: null,
        quote: null,
        reasons: null,
        proposed_text: null,
        kind: 'substantive',
        status: 'submitted',
        priority: null,
        assignee_id: null,
        disposition_status: 'pending',
        created_at: NOW.toISOString(),
        updated_at: NOW.toISOString(),
        submitted_at: NOW.toISOString(),
        withdrawn_at: null,
      });
      expect(Number(o.blocking)).toBe(0);
      expect(Array.isArray(JSON.parse(o.quality_flags))).toBe(true);
    }

    const setup = await services.analysis.loadSetup(round.planId);
    const title = (
      await db()
        .db.selectFrom('round')
        .select('title')
        .where('id', '=', round.roundId)
        .executeTakeFirstOrThrow()
    ).title;
    const analyses = await db()
      .db.selectFrom('opinion_analysis')
      .selectAll()
      .where('round_id', '=', round.roundId)
      .execute();
    expect(analyses).toHaveLength(9);
    const byOpinion = new Map(analyses.map((a) => [a.opinion_id, a]));
    for (const o of opinions) {
      const analysis = byOpinion.get(o.id)!;
      expect(analysis.input_hash).toBe(
        analysisInputHash(setup, { text: o.suggestion, reasons: null, proposedText: null, target: title }),
      );
      expect(analysis).toMatchObject({
        stance_source: 'machine',
        analyzed_at: NOW.toISOString(),
      });
      expect(Number(analysis.version)).toBe(ANALYSIS_VERSION);
    }
    const [letter, edited, copy] = opinions.map((o) => byOpinion.get(o.id)!);
    expect(letter!.cluster_id).not.toBeNull();
    expect(edited!.cluster_id).toBe(letter!.cluster_id);
    expect(copy!.cluster_id).toBe(letter!.cluster_id);
    expect(copy!.duplicate_of).toBe(opinions[0]!.id);
    const cluster = await db()
      .db.selectFrom('duplicate_cluster')
      .selectAll()
      .where('id', '=', letter!.cluster_id!)
      .executeTakeFirstOrThrow();
    expect(cluster).toMatchObject({ representative_id: opinions[0]!.id, status: 'machine' });
    expect(Number(cluster.size)).toBe(3);
    expect(Number(cluster.threshold)).toBeCloseTo(0.8);

    const topics = await db()
      .db.selectFrom('opinion_topic')
      .innerJoin('topic', 'topic.id', 'opinion_topic.topic_id')
      .select(['opinion_topic.opinion_id', 'topic.key', 'opinion_topic.source', 'opinion_topic.labelled_at'])
      .execute();
    const charging = opinions.find((o) => o.external_ref === 'a4')!;
    const pollution = opinions.find((o) => o.external_ref === 'a8')!;
    expect(topics).toContainEqual({
      opinion_id: charging.id,
      key: 'traffic',
      source: 'machine',
      labelled_at: NOW.toISOString(),
    });
    expect(topics.some((t) => t.opinion_id === pollution.id && t.key === 'environment')).toBe(true);

    const events = await db()
      .db.selectFrom('ledger_event')
      .select(['payload'])
      .where('event', '=', 'comments.imported')
      .where('entity_id', '=', round.roundId)
      .execute();
    expect(events).toHaveLength(1);
    const payload = JSON.parse(events[0]!.payload) as { digest: string; source: string; imported: number };
    expect(payload).toMatchObject({ source: 'comments.jsonl', imported: 9 });
    expect(payload.digest).toBe(
      createHash('sha256')
        .update(fresh.map((c) => `${c.ref ?? ''}\t${c.text}`).join('\n'))
        .digest('hex'),
    );
    if (dialect === 'sqlite') {
      // Written without checks statement by statement: every reference it made holds, and checks are on.
      expect(db().sqlite!.pragma('foreign_key_check')).toEqual([]);
      expect(db().sqlite!.pragma('foreign_keys', { simple: true })).toBe(1);
    }
  });

  it('stores the near-duplicate links the clusters keep apart, as the round analysis finds them', async () => {
    const services = servicesOf(db());
    const round = await publicRoundWithTopics(db(), services);
    const texts = drifting(160, 5);
    const result = await importer(services).importComments(
      CLI_ACTOR,
      round.roundId,
      texts.map((text, k) => ({ ref: `d${k}`, text })),
      { links: true },
    );
    const reference = findDuplicates(texts, { links: true }).links!.pairs;
    expect(reference.length).toBeGreaterThan(20);
    expect(result.links).toBe(reference.length / 2);
    const stored = async (): Promise<string[]> => {
      const rows = await db()
        .db.selectFrom('duplicate_link')
        .innerJoin('opinion as a', 'a.id', 'duplicate_link.opinion_id')
        .innerJoin('opinion as b', 'b.id', 'duplicate_link.similar_id')
        .select(['a.external_ref as earlier', 'b.external_ref as later', 'duplicate_link.round_id'])
        .where('duplicate_link.round_id', '=', round.roundId)
        .execute();
      expect(rows.every((r) => r.round_id === round.roundId)).toBe(true);
      return rows.map((r) => `${r.earlier}|${r.later}`).sort();
    };
    const expected: string[] = [];
    for (let k = 0; k < reference.length; k += 2) {
      expected.push(`d${reference[k]!}|d${reference[k + 1]!}`);
    }
    expect(await stored()).toEqual(expected.sort());
    // The round's own analysis finds the same links: it leaves them as they are, and notes what it found.
    await services.analysis.processRound(round.roundId, { reanalyze: false });
    expect(await stored()).toEqual(expected);
    const state = () =>
      db()
        .db.selectFrom('duplicate_link_state')
        .select('links')
        .where('round_id', '=', round.roundId)
        .executeTakeFirst();
    expect(await state()).toEqual({ links: expected.length });
    // Another import writes links of its own: the note goes, and the next analysis reads the links again
    // and notes them anew.
    await importer(services).importComments(
      CLI_ACTOR,
      round.roundId,
      texts.slice(0, 3).map((text, k) => ({ ref: `again${k}`, text })),
      { links: true },
    );
    expect(await state()).toBeUndefined();
    await services.analysis.processRound(round.roundId, { reanalyze: false });
    const links = await db()
      .db.selectFrom('duplicate_link')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('round_id', '=', round.roundId)
      .executeTakeFirstOrThrow();
    expect(await state()).toEqual({ links: Number(links.n) });
  });

  it("rebuilds a round's clusters and links with every reference holding, and checks back on", async () => {
    const services = servicesOf(db());
    const round = await publicRoundWithTopics(db(), services);
    await importer(services).importComments(
      CLI_ACTOR,
      round.roundId,
      drifting(160, 9).map((text, k) => ({ ref: `r${k}`, text })),
    );
    const counts = async (): Promise<{ links: number; clusters: number }> => {
      const links = await db()
        .db.selectFrom('duplicate_link')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('round_id', '=', round.roundId)
        .executeTakeFirstOrThrow();
      const clusters = await db()
        .db.selectFrom('duplicate_cluster')
        .select('id')
        .where('round_id', '=', round.roundId)
        .execute();
      return { links: Number(links.n), clusters: clusters.length };
    };
    // The import left the links to the round's analysis, which writes them.
    expect((await counts()).links).toBe(0);
    await services.analysis.processRound(round.roundId, { reanalyze: false });
    const first = await counts();
    expect(first.links).toBeGreaterThan(0);
    // A higher threshold: clusters go and others come, and the links change with them.
    await db()
      .db.updateTable('round')
      .set({ dedupe_threshold: 0.9 })
      .where('id', '=', round.roundId)
      .execute();
    const result = await services.analysis.processRound(round.roundId, { reanalyze: false });
    expect(result?.changed).toBe(true);
    expect(await counts()).not.toEqual(first);
    if (dialect === 'sqlite') {
      expect(db().sqlite!.pragma('foreign_key_check')).toEqual([]);
      expect(db().sqlite!.pragma('foreign_keys', { simple: true })).toBe(1);
    }
  });

  it("keeps a round's clusters when nothing a rebuild reads has changed, and rebuilds them on any change", async () => {
    let clock = NOW.getTime();
    const services = servicesOf(db(), () => new Date((clock += 60_000)));
    const round = await publicRoundWithTopics(db(), services);
    await importer(services).importComments(
      CLI_ACTOR,
      round.roundId,
      drifting(120, 7).map((text, k) => ({ ref: `r${k}`, text })),
    );
    /** When the clusters were last rebuilt. */
    const rebuiltAt = async (): Promise<string | undefined> =>
      (
        await db()
          .db.selectFrom('cluster_state')
          .select('updated_at')
          .where('round_id', '=', round.roundId)
          .executeTakeFirst()
      )?.updated_at;
    const job = () => services.analysis.processRound(round.roundId, { reanalyze: false });

    // The import's clusters are not the round's analysis's: the first job rebuilds them.
    expect(await rebuiltAt()).toBeUndefined();
    const first = await job();
    const firstAt = await rebuiltAt();
    expect(firstAt).toBeDefined();
    expect(first!.clusters).toBeGreaterThan(0);
    // Nothing changed: the next job, and a job that analyses everything again, keep them.
    expect(await job()).toEqual({ ...first, analyzed: 0, changed: false });
    expect(await services.analysis.processRound(round.roundId, { reanalyze: true })).toEqual({
      ...first,
      analyzed: 0,
      changed: false,
    });
    expect(await rebuiltAt()).toBe(firstAt);

    // Each change below makes the next job rebuild, and the one after keep what it built.
    const changes: (() => Promise<unknown>)[] = [
      () =>
        db().db.updateTable('round').set({ dedupe_threshold: 0.9 }).where('id', '=', round.roundId).execute(),
      async () => {
        const someone = await db()
          .db.selectFrom('opinion_analysis')
          .select('opinion_id')
          .where('round_id', '=', round.roundId)
          .where('cluster_id', 'is not', null)
          .executeTakeFirstOrThrow();
        await db()
          .db.updateTable('opinion')
          .set({ status: 'withdrawn', withdrawn_at: new Date(clock).toISOString() })
          .where('id', '=', someone.opinion_id)
          .execute();
      },
      async () => {
        const cluster = await db()
          .db.selectFrom('duplicate_cluster')
          .select('id')
          .where('round_id', '=', round.roundId)
          .orderBy('id')
          .executeTakeFirstOrThrow();
        await db()
          .db.updateTable('duplicate_cluster')
          .set({ status: 'confirmed', updated_at: new Date(clock).toISOString() })
          .where('id', '=', cluster.id)
          .execute();
      },
      () =>
        importer(services).importComments(CLI_ACTOR, round.roundId, [
          { ref: 'late', text: drifting(1, 7)[0]! },
        ]),
    ];
    for (const change of changes) {
      const before = await rebuiltAt();
      await change();
      await job();
      const after = await rebuiltAt();
      expect(after! > before!).toBe(true);
      await job();
      expect(await rebuiltAt()).toBe(after);
    }
  });

  it('takes comments in batches as they are read and stores what it stores of them given whole', async () => {
    const services = servicesOf(db());
    const whole = await publicRoundWithTopics(db(), services);
    const batched = await publicRoundWithTopics(db(), services);
    await importer(services).importComments(CLI_ACTOR, whole.roundId, COMMENTS);
    async function* batches(): AsyncGenerator<ImportedComment[]> {
      // The repeated id comes in a later batch than the first comment with it.
      yield COMMENTS.slice(0, 4);
      yield [];
      yield COMMENTS.slice(4, 9);
      yield COMMENTS.slice(9);
    }
    const progress: { phase: string; total: number }[] = [];
    const result = await importer(services).importComments(CLI_ACTOR, batched.roundId, batches(), {
      expected: COMMENTS.length,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toMatchObject({ imported: 9, skipped: 1, clusters: 1, exactDuplicates: 1 });
    expect(progress.find((p) => p.phase === 'analyze')?.total).toBe(COMMENTS.length);
    // The two rounds' rows, registration numbers without the round's number.
    const comparable = async (round: TestRound): Promise<unknown> => {
      const { seq } = await db()
        .db.selectFrom('round')
        .select('seq')
        .where('id', '=', round.roundId)
        .executeTakeFirstOrThrow();
      const rows = JSON.stringify(await snapshot(db(), round.roundId));
      return JSON.parse(rows.replaceAll(`"${seq}-P-`, '"P-')) as unknown;
    };
    expect(await comparable(batched)).toEqual(await comparable(whole));
  });

  it('writes nothing when the comments cannot all be read', async () => {
    const services = servicesOf(db());
    const round = await publicRoundWithTopics(db(), services);
    async function* broken(): AsyncGenerator<ImportedComment[]> {
      yield COMMENTS.slice(0, 5);
      throw new AppError('validation_failed', 'Record 6 of comments.csv has no text in "text".');
    }
    await expect(importer(services).importComments(CLI_ACTOR, round.roundId, broken())).rejects.toThrow(
      'Record 6 of comments.csv',
    );
    expect(await opinionIdsOf(db(), round.roundId)).toEqual([]);
  });

  it('continues the registration numbers and skips what the round holds on a second import', async () => {
    const services = servicesOf(db());
    const round = await publicRoundWithTopics(db(), services);
    await importer(services).importComments(CLI_ACTOR, round.roundId, COMMENTS.slice(0, 4));
    const again = await importer(services).importComments(CLI_ACTOR, round.roundId, [
      { ref: 'a2', text: 'already there' },
      { ref: 'b1', text: '建议增加公共交通班次。' },
      { ref: null, text: '没有编号的意见。' },
    ]);
    expect(again).toMatchObject({ imported: 2, skipped: 1 });
    expect(again.firstRegNo).toMatch(/-P-0000005$/);
    expect(again.lastRegNo).toMatch(/-P-0000006$/);
    const count = await db()
      .db.selectFrom('opinion_analysis')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('round_id', '=', round.roundId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(6);
  });

  it('writes nothing when the topics it labels with are removed while it runs', async () => {
    const services = servicesOf(db());
    const round = await publicRoundWithTopics(db(), services);
    // The plan's topics are replaced after the import read them and before it writes.
    const analysis = Object.create(services.analysis) as Services['analysis'];
    analysis.loadSetup = async (planId) => {
      const setup = await services.analysis.loadSetup(planId);
      await db().db.deleteFrom('topic').where('plan_id', '=', planId).execute();
      return setup;
    };
    const importing = new CommentImportService(services.ctx, services.plans, analysis).importComments(
      CLI_ACTOR,
      round.roundId,
      COMMENTS,
    );
    if (dialect === 'sqlite') {
      await expect(importing).rejects.toMatchObject({ code: 'conflict', details: { field: 'topics' } });
    } else {
      await expect(importing).rejects.toThrow(/foreign key/u);
    }
    expect(await opinionIdsOf(db(), round.roundId)).toEqual([]);
    expect(await db().db.selectFrom('opinion_analysis').select('opinion_id').execute()).toEqual([]);
    expect(await db().db.selectFrom('opinion_topic').select('opinion_id').execute()).toEqual([]);
  });

  it('writes nothing when a row cannot be stored, and leaves the connection as it was', async () => {
    const services = servicesOf(db());
    const round = await publicRoundWithTopics(db(), services);
    const { seq } = await db()
      .db.selectFrom('round')
      .select('seq')
      .where('id', '=', round.roundId)
      .executeTakeFirstOrThrow();
    // A unit's opinion already holds the registration number the third comment would take.
    const taken = await createOpinion(db(), round);
    await db()
      .db.updateTable('opinion')
      .set({ reg_no: `${seq}-P-0000003` })
      .where('id', '=', taken.id)
      .execute();
    const cacheBefore = db().sqlite?.pragma('cache_size', { simple: true });

    await expect(
      importer(services).importComments(CLI_ACTOR, round.roundId, COMMENTS.slice(0, 5)),
    ).rejects.toThrow();

    expect(await opinionIdsOf(db(), round.roundId)).toEqual([taken.id]);
    for (const table of ['opinion_analysis', 'duplicate_cluster'] as const) {
      const rows = await db().db.selectFrom(table).select('round_id').execute();
      expect(rows).toEqual([]);
    }
    const events = await db()
      .db.selectFrom('ledger_event')
      .select('seq')
      .where('event', '=', 'comments.imported')
      .execute();
    expect(events).toEqual([]);
    if (dialect === 'sqlite') {
      expect(db().sqlite!.pragma('cache_size', { simple: true })).toBe(cacheBefore);
      expect(db().sqlite!.pragma('foreign_keys', { simple: true })).toBe(1);
    }
  });
});

it('stores the same rows on SQLite and PostgreSQL', async () => {
  if (!testDialects().includes('postgres')) {
    return;
  }
  const snapshots: unknown[] = [];
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const database = await createTestDatabase(dialect);
    try {
      const services = servicesOf(database);
      const round = await publicRoundWithTopics(database, services);
      await importer(services).importComments(CLI_ACTOR, round.roundId, COMMENTS);
      snapshots.push(await snapshot(database, round.roundId));
    } finally {
      await database.close();
    }
  }
  const [sqlite, postgres] = snapshots as { opinions: unknown[] }[];
  expect(sqlite!.opinions).toHaveLength(9);
  expect(postgres).toEqual(sqlite);
});

it('hashes analysis inputs as the analysis service does', () => {
  const setup = { fingerprint: 'f'.repeat(64) };
  for (const target of ['公开征求意见', 'Draft "plan" \\ 2026', '']) {
    const hash = inputHasher(setup, target);
    for (const text of [
      '',
      '好',
      '😀 emoji 表情',
      'line\nbreak\ttab "quote" \\ slash \u2028',
      'control \u0001 and delete \u007f',
      'x'.repeat(100_000),
    ]) {
      expect(hash(text)).toBe(analysisInputHash(setup, { text, reasons: null, proposedText: null, target }));
    }
    // Text that canonical JSON refuses is refused the same way.
    expect(() => hash('lone \uD800 surrogate')).toThrow();
  }
});

it('makes ids that sort in the order they are made', () => {
  const next = orderedIds(NOW);
  const ids = Array.from({ length: 2 ** 16 + 3 }, () => next());
  for (const id of [ids[0]!, ids[2 ** 16]!, ids.at(-1)!]) {
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  }
  expect(ids[0]!.slice(0, 13).replace('-', '')).toBe(NOW.getTime().toString(16).padStart(12, '0'));
  for (let i = 1; i < ids.length; i++) {
    if (!(ids[i - 1]! < ids[i]!)) {
      throw new Error(`id ${i} does not sort after the one before: ${ids[i - 1]} ${ids[i]}`);
    }
  }
  const other = orderedIds(NOW)();
  expect(other).not.toBe(ids[0]);
});
