import type { Expression, ExpressionBuilder, Insertable, Selectable, SqlBool } from 'kysely';
import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { TableWriter } from '../db/bulk-writer.ts';
import { forEachRow, readRows, tableWriter, widenCache } from '../db/bulk-writer.ts';
import { fmix32, hash64Into } from '../../analysis/normalize.ts';
import type { Database, Dialect } from '../db/database.ts';
import type { Executor, Tx } from '../db/executor.ts';
import type {
  AnalysisModelTable,
  AnalysisTask,
  ClusterStatus,
  DuplicateClusterTable,
  DuplicateLinkTable,
  LabelSource,
  DB,
  OpinionAnalysisTable,
  OpinionTopicTable,
  TopicTable,
} from '../db/schema.ts';

/*
 * The statements of machine analysis: a plan's taxonomy and learned models, each opinion's analysis and
 * topic labels, a round's near-duplicate clusters, and what the analysis views read. Large lists go in
 * chunks small enough for both dialects' bound-parameter limits.
 */

const CHUNK = 5_000;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    out.push(items.slice(start, start + size));
  }
  return out;
}

const parseList = <T = string>(json: string | null): T[] => (json ? (JSON.parse(json) as T[]) : []);

// ---- taxonomy ----------------------------------------------------------------------------------------

export interface TopicRecord {
  id: string;
  planId: string;
  key: string;
  label: string;
  keywords: string[];
  position: number;
  createdAt: string;
  updatedAt: string;
}

const toTopic = (row: Selectable<TopicTable>): TopicRecord => ({
  id: row.id,
  planId: row.plan_id,
  key: row.key,
  label: row.label,
  keywords: parseList(row.keywords),
  position: Number(row.position),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function listTopics(db: Executor, planId: string): Promise<TopicRecord[]> {
  const rows = await db
    .selectFrom('topic')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('position')
    .orderBy('key')
    .execute();
  return rows.map(toTopic);
}

export async function insertTopic(db: Executor, row: Insertable<TopicTable>): Promise<void> {
  await db.insertInto('topic').values(row).execute();
}

export async function updateTopic(
  db: Executor,
  id: string,
  changes: { label: string; keywords: string[]; position: number; updatedAt: string },
): Promise<void> {
  await db
    .updateTable('topic')
    .set({
      label: changes.label,
      keywords: JSON.stringify(changes.keywords),
      position: changes.position,
      updated_at: changes.updatedAt,
    })
    .where('id', '=', id)
    .execute();
}

/** Deletes topics; their labels on opinions go with them. */
export async function deleteTopics(db: Executor, ids: readonly string[]): Promise<void> {
  for (const chunk of chunks(ids)) {
    await db.deleteFrom('opinion_topic').where('topic_id', 'in', chunk).execute();
    await db.deleteFrom('topic').where('id', 'in', chunk).execute();
  }
}

// ---- models ------------------------------------------------------------------------------------------

export interface ModelRecord {
  id: string;
  planId: string;
  task: AnalysisTask;
  labelCount: number;
  trainedBy: string | null;
  trainedAt: string;
}

/** The models learned for a plan, without their (large) JSON. */
export async function listModels(db: Executor, planId: string): Promise<ModelRecord[]> {
  const rows = await db
    .selectFrom('analysis_model')
    .select(['id', 'plan_id', 'task', 'label_count', 'trained_by', 'trained_at'])
    .where('plan_id', '=', planId)
    .orderBy('task')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    planId: r.plan_id,
    task: r.task,
    labelCount: Number(r.label_count),
    trainedBy: r.trained_by,
    trainedAt: r.trained_at,
  }));
}

/** One model's JSON, by id (models are immutable: a new training gives a new id). */
export async function findModelJson(db: Executor, id: string): Promise<string | null> {
  const row = await db.selectFrom('analysis_model').select('model').where('id', '=', id).executeTakeFirst();
  return row?.model ?? null;
}

/** Stores the model of a task, replacing the plan's previous one. */
export async function replaceModel(db: Executor, row: Insertable<AnalysisModelTable>): Promise<void> {
  await db
    .deleteFrom('analysis_model')
    .where('plan_id', '=', row.plan_id)
    .where('task', '=', row.task)
    .execute();
  await db.insertInto('analysis_model').values(row).execute();
}

// ---- opinions to analyse -----------------------------------------------------------------------------

/** What the analysis reads of an opinion, with the round and plan it belongs to. */
export interface OpinionSource {
  id: string;
  roundId: string;
  planId: string;
  roundTitle: string;
  unitId: string | null;
  regNo: string | null;
  clauseStableId: string | null;
  suggestion: string;
  reasons: string | null;
  proposedText: string | null;
  status: string;
  submittedAt: string | null;
  createdAt: string;
  /** When the opinion last changed. */
  updatedAt: string;
}

function selectSources(db: Executor) {
  return db
    .selectFrom('opinion')
    .innerJoin('round', 'round.id', 'opinion.round_id')
    .select([
      'opinion.id',
      'opinion.round_id',
      'round.plan_id',
      'round.title',
      'opinion.unit_id',
      'opinion.reg_no',
      'opinion.clause_stable_id',
      'opinion.suggestion',
      'opinion.reasons',
      'opinion.proposed_text',
      'opinion.status',
      'opinion.submitted_at',
      'opinion.created_at',
      'opinion.updated_at',
    ]);
}

type SourceRow = {
  id: string;
  round_id: string;
  plan_id: string;
  title: string;
  unit_id: string | null;
  reg_no: string | null;
  clause_stable_id: string | null;
  suggestion: string;
  reasons: string | null;
  proposed_text: string | null;
  status: string;
  submitted_at: string | null;
  created_at: string;
  updated_at: string;
};

const toSource = (r: SourceRow): OpinionSource => ({
  id: r.id,
  roundId: r.round_id,
  planId: r.plan_id,
  roundTitle: r.title,
  unitId: r.unit_id,
  regNo: r.reg_no,
  clauseStableId: r.clause_stable_id,
  suggestion: r.suggestion,
  reasons: r.reasons,
  proposedText: r.proposed_text,
  status: r.status,
  submittedAt: r.submitted_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function findOpinionSource(db: Executor, id: string): Promise<OpinionSource | null> {
  const row = await selectSources(db).where('opinion.id', '=', id).executeTakeFirst();
  return row ? toSource(row) : null;
}

export async function listSourcesByIds(db: Executor, ids: readonly string[]): Promise<OpinionSource[]> {
  const out: OpinionSource[] = [];
  for (const chunk of chunks(ids)) {
    const rows = await selectSources(db).where('opinion.id', 'in', chunk).orderBy('opinion.id').execute();
    out.push(...rows.map(toSource));
  }
  return out;
}

/**
 * A round's submitted opinions in the order they came in (submission, then registration number), a page
 * at a time after `afterKey` (the last row's `[submittedAt, id]`).
 */
export async function listSubmittedSources(
  db: Executor,
  options: { roundId: string; limit: number; after?: { submittedAt: string; id: string } | null },
): Promise<OpinionSource[]> {
  let query = selectSources(db)
    .where('opinion.round_id', '=', options.roundId)
    .where('opinion.status', '=', 'submitted');
  const after = options.after;
  if (after) {
    // As a row value, the index (round, status, submitted_at, id) starts the page where the last ended.
    query = query.where((eb) =>
      eb(eb.refTuple('opinion.submitted_at', 'opinion.id'), '>', eb.tuple(after.submittedAt, after.id)),
    );
  }
  const rows = await query
    .orderBy('opinion.submitted_at')
    .orderBy('opinion.id')
    .limit(options.limit)
    .execute();
  return rows.map(toSource);
}

/** The ids of a round's submitted opinions that have no analysis yet. */
export async function listUnanalyzedOpinionIds(db: Executor, roundId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('opinion')
    .leftJoin('opinion_analysis', 'opinion_analysis.opinion_id', 'opinion.id')
    .select('opinion.id')
    .where('opinion.round_id', '=', roundId)
    .where('opinion.status', '=', 'submitted')
    .where('opinion_analysis.opinion_id', 'is', null)
    .orderBy('opinion.submitted_at')
    .orderBy('opinion.id')
    .execute();
  return rows.map((r) => r.id);
}

// ---- per-opinion analysis ----------------------------------------------------------------------------

export interface OpinionAnalysisRecord {
  opinionId: string;
  roundId: string;
  inputHash: string;
  textHash: string;
  stance: OpinionAnalysisTable['stance'];
  stanceScore: number | null;
  stanceSource: LabelSource;
  keyphrases: string[];
  figures: unknown[];
  clusterId: string | null;
  duplicateOf: string | null;
  version: number;
  analyzedAt: string;
}

const toAnalysis = (row: Selectable<OpinionAnalysisTable>): OpinionAnalysisRecord => ({
  opinionId: row.opinion_id,
  roundId: row.round_id,
  inputHash: row.input_hash,
  textHash: row.text_hash,
  stance: row.stance,
  stanceScore: row.stance_score === null ? null : Number(row.stance_score),
  stanceSource: row.stance_source,
  keyphrases: parseList(row.keyphrases),
  figures: parseList<unknown>(row.figures),
  clusterId: row.cluster_id,
  duplicateOf: row.duplicate_of,
  version: Number(row.version),
  analyzedAt: row.analyzed_at,
});

export async function findOpinionAnalysis(
  db: Executor,
  opinionId: string,
): Promise<OpinionAnalysisRecord | null> {
  const row = await db
    .selectFrom('opinion_analysis')
    .selectAll()
    .where('opinion_id', '=', opinionId)
    .executeTakeFirst();
  return row ? toAnalysis(row) : null;
}

/** The input hashes of opinions already analysed, by opinion id. */
export async function mapInputHashes(
  db: Executor,
  opinionIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const chunk of chunks(opinionIds)) {
    const rows = await db
      .selectFrom('opinion_analysis')
      .select(['opinion_id', 'input_hash'])
      .where('opinion_id', 'in', chunk)
      .execute();
    for (const r of rows) {
      out.set(r.opinion_id, r.input_hash);
    }
  }
  return out;
}

/**
 * Writes the machine's analysis of an opinion. Its cluster stays as the round's clustering left it, and a
 * stance a person gave is kept: the decision is taken in the statement itself, so a label given while the
 * analysis ran is not lost.
 */
export async function upsertOpinionAnalysis(
  db: Executor,
  row: Omit<Insertable<OpinionAnalysisTable>, 'cluster_id' | 'duplicate_of' | 'stance_source'>,
): Promise<void> {
  await db
    .insertInto('opinion_analysis')
    .values({ ...row, stance_source: 'machine', cluster_id: null, duplicate_of: null })
    .onConflict((oc) =>
      oc.column('opinion_id').doUpdateSet((eb) => {
        const human = eb('opinion_analysis.stance_source', '=', 'human');
        return {
          round_id: eb.ref('excluded.round_id'),
          input_hash: eb.ref('excluded.input_hash'),
          text_hash: eb.ref('excluded.text_hash'),
          keyphrases: eb.ref('excluded.keyphrases'),
          figures: eb.ref('excluded.figures'),
          version: eb.ref('excluded.version'),
          analyzed_at: eb.ref('excluded.analyzed_at'),
          stance: eb
            .case()
            .when(human)
            .then(eb.ref('opinion_analysis.stance'))
            .else(eb.ref('excluded.stance'))
            .end(),
          stance_score: eb
            .case()
            .when(human)
            .then(eb.ref('opinion_analysis.stance_score'))
            .else(eb.ref('excluded.stance_score'))
            .end(),
        };
      }),
    )
    .execute();
}

/**
 * Records a person's stance on an opinion (null hands the stance back to the machine: it is analysed
 * again). Creates the analysis row when the machine has not reached the opinion yet.
 */
export async function setHumanStance(
  db: Executor,
  input: {
    opinionId: string;
    roundId: string;
    textHash: string;
    stance: OpinionAnalysisTable['stance'];
    version: number;
    at: string;
  },
): Promise<void> {
  const human = input.stance !== null;
  await db
    .insertInto('opinion_analysis')
    .values({
      opinion_id: input.opinionId,
      round_id: input.roundId,
      // Empty: never the hash of real inputs, so the machine analyses the opinion when it gets to it.
      input_hash: '',
      text_hash: input.textHash,
      stance: input.stance,
      stance_score: human ? 1 : null,
      stance_source: human ? 'human' : 'machine',
      keyphrases: '[]',
      figures: '[]',
      cluster_id: null,
      duplicate_of: null,
      version: input.version,
      analyzed_at: input.at,
    })
    .onConflict((oc) =>
      oc
        .column('opinion_id')
        .doUpdateSet(
          human
            ? { stance: input.stance, stance_score: 1, stance_source: 'human' }
            : { stance: null, stance_score: null, stance_source: 'machine', input_hash: '' },
        ),
    )
    .execute();
}

// ---- topic labels ------------------------------------------------------------------------------------

export interface OpinionTopicRecord {
  opinionId: string;
  topicId: string;
  key: string;
  label: string;
  score: number;
  source: LabelSource;
  rejected: boolean;
  labelledBy: string | null;
  labelledAt: string;
}

export async function listOpinionTopics(db: Executor, opinionId: string): Promise<OpinionTopicRecord[]> {
  const rows = await db
    .selectFrom('opinion_topic')
    .innerJoin('topic', 'topic.id', 'opinion_topic.topic_id')
    .select([
      'opinion_topic.opinion_id',
      'opinion_topic.topic_id',
      'topic.key',
      'topic.label',
      'opinion_topic.score',
      'opinion_topic.source',
      'opinion_topic.rejected',
      'opinion_topic.labelled_by',
      'opinion_topic.labelled_at',
    ])
    .where('opinion_topic.opinion_id', '=', opinionId)
    .orderBy('topic.position')
    .orderBy('topic.key')
    .execute();
  return rows.map((r) => ({
    opinionId: r.opinion_id,
    topicId: r.topic_id,
    key: r.key,
    label: r.label,
    score: Number(r.score),
    source: r.source,
    rejected: Number(r.rejected) === 1,
    labelledBy: r.labelled_by,
    labelledAt: r.labelled_at,
  }));
}

/**
 * Replaces the machine's topic labels on an opinion. Labels a person gave or rejected are never touched,
 * and the machine adds none where a person has spoken.
 */
export async function replaceMachineTopics(
  db: Executor,
  opinionId: string,
  rows: readonly { topicId: string; score: number }[],
  at: string,
): Promise<void> {
  await db
    .deleteFrom('opinion_topic')
    .where('opinion_id', '=', opinionId)
    .where('source', '=', 'machine')
    .execute();
  if (rows.length === 0) {
    return;
  }
  await db
    .insertInto('opinion_topic')
    .values(
      rows.map((r) => ({
        opinion_id: opinionId,
        topic_id: r.topicId,
        score: r.score,
        source: 'machine' as const,
        rejected: 0,
        labelled_by: null,
        labelled_at: at,
      })),
    )
    .onConflict((oc) => oc.columns(['opinion_id', 'topic_id']).doNothing())
    .execute();
}

/** A person's label: the topic applies (present) or it does not (rejected). */
export async function setHumanTopic(
  db: Executor,
  input: { opinionId: string; topicId: string; present: boolean; userId: string | null; at: string },
): Promise<void> {
  const values: Insertable<OpinionTopicTable> = {
    opinion_id: input.opinionId,
    topic_id: input.topicId,
    score: input.present ? 1 : 0,
    source: 'human',
    rejected: input.present ? 0 : 1,
    labelled_by: input.userId,
    labelled_at: input.at,
  };
  await db
    .insertInto('opinion_topic')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['opinion_id', 'topic_id']).doUpdateSet({
        score: values.score,
        source: 'human',
        rejected: values.rejected,
        labelled_by: values.labelled_by,
        labelled_at: values.labelled_at,
      }),
    )
    .execute();
}

/** Every label people gave on a plan's submitted opinions, for training. */
export async function listHumanTopicLabels(
  db: Executor,
  planId: string,
): Promise<{ opinionId: string; key: string; rejected: boolean }[]> {
  const rows = await db
    .selectFrom('opinion_topic')
    .innerJoin('topic', 'topic.id', 'opinion_topic.topic_id')
    .innerJoin('opinion', 'opinion.id', 'opinion_topic.opinion_id')
    .select(['opinion_topic.opinion_id', 'topic.key', 'opinion_topic.rejected'])
    .where('topic.plan_id', '=', planId)
    .where('opinion_topic.source', '=', 'human')
    .where('opinion.status', '=', 'submitted')
    .orderBy('opinion_topic.opinion_id')
    .execute();
  return rows.map((r) => ({ opinionId: r.opinion_id, key: r.key, rejected: Number(r.rejected) === 1 }));
}

/** Every stance people gave on a plan's submitted opinions, for training. */
export async function listHumanStanceLabels(
  db: Executor,
  planId: string,
): Promise<(OpinionSource & { stance: NonNullable<OpinionAnalysisTable['stance']> })[]> {
  const rows = await selectSources(db)
    .innerJoin('opinion_analysis', 'opinion_analysis.opinion_id', 'opinion.id')
    .select('opinion_analysis.stance')
    .where('round.plan_id', '=', planId)
    .where('opinion.status', '=', 'submitted')
    .where('opinion_analysis.stance_source', '=', 'human')
    .where('opinion_analysis.stance', 'is not', null)
    .orderBy('opinion.id')
    .execute();
  return rows.map((r) => ({ ...toSource(r), stance: r.stance! }));
}

/** Submitted opinions of a plan, for the idf and refinement of a topic model (at most `limit`). */
export async function listPlanSources(db: Executor, planId: string, limit: number): Promise<OpinionSource[]> {
  const rows = await selectSources(db)
    .where('round.plan_id', '=', planId)
    .where('opinion.status', '=', 'submitted')
    .orderBy('opinion.submitted_at', 'desc')
    .orderBy('opinion.id')
    .limit(limit)
    .execute();
  return rows.map(toSource);
}

// ---- clusters ----------------------------------------------------------------------------------------

export interface ClusterRecord {
  id: string;
  roundId: string;
  representativeId: string;
  size: number;
  status: ClusterStatus;
  threshold: number;
  reviewedBy: string | null;
  reviewedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const toCluster = (row: Selectable<DuplicateClusterTable>): ClusterRecord => ({
  id: row.id,
  roundId: row.round_id,
  representativeId: row.representative_id,
  size: Number(row.size),
  status: row.status,
  threshold: Number(row.threshold),
  reviewedBy: row.reviewed_by,
  reviewedAt: row.reviewed_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Reads a round and, on PostgreSQL, locks it: clustering and reviews of one round take turns. */
export async function lockRound(
  tx: Tx,
  dialect: Dialect,
  roundId: string,
): Promise<{ id: string } | undefined> {
  const query = tx.selectFrom('round').select('id').where('id', '=', roundId);
  return (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
}

export async function setRoundThreshold(
  db: Executor,
  roundId: string,
  threshold: number,
  at: string,
): Promise<void> {
  await db
    .updateTable('round')
    .set({ dedupe_threshold: threshold, updated_at: at })
    .where('id', '=', roundId)
    .execute();
}

export async function findCluster(db: Executor, id: string): Promise<ClusterRecord | null> {
  const row = await db.selectFrom('duplicate_cluster').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toCluster(row) : null;
}

export async function listClustersOfRound(db: Executor, roundId: string): Promise<ClusterRecord[]> {
  const rows = await db
    .selectFrom('duplicate_cluster')
    .selectAll()
    .where('round_id', '=', roundId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toCluster);
}

export async function listClustersByIds(db: Executor, ids: readonly string[]): Promise<ClusterRecord[]> {
  const out: ClusterRecord[] = [];
  for (const chunk of chunks(ids)) {
    const rows = await db.selectFrom('duplicate_cluster').selectAll().where('id', 'in', chunk).execute();
    out.push(...rows.map(toCluster));
  }
  return out;
}

export async function insertClusters(
  db: Executor,
  rows: readonly Insertable<DuplicateClusterTable>[],
): Promise<void> {
  for (const chunk of chunks(rows, 2_000)) {
    await db.insertInto('duplicate_cluster').values(chunk).execute();
  }
}

export async function updateCluster(
  db: Executor,
  id: string,
  changes: Partial<{
    representative_id: string;
    size: number;
    status: ClusterStatus;
    threshold: number;
    reviewed_by: string | null;
    reviewed_at: string | null;
    updated_at: string;
  }>,
): Promise<void> {
  await db.updateTable('duplicate_cluster').set(changes).where('id', '=', id).execute();
}

/** Deletes clusters, releasing their members first. */
export async function deleteClusters(db: Executor, ids: readonly string[]): Promise<void> {
  for (const chunk of chunks(ids)) {
    await db
      .updateTable('opinion_analysis')
      .set({ cluster_id: null })
      .where('cluster_id', 'in', chunk)
      .execute();
    await db.deleteFrom('duplicate_cluster').where('id', 'in', chunk).execute();
  }
}

/** Sets one link column (cluster or first exact duplicate) of opinions' analyses to one value. */
async function setLink(
  db: Executor,
  changes: { cluster_id: string | null } | { duplicate_of: string | null },
  opinionIds: readonly string[],
): Promise<void> {
  for (const chunk of chunks(opinionIds)) {
    await db.updateTable('opinion_analysis').set(changes).where('opinion_id', 'in', chunk).execute();
  }
}

/** Puts opinions in a cluster (or in none). */
export const setClusterOf = (
  db: Executor,
  clusterId: string | null,
  opinionIds: readonly string[],
): Promise<void> => setLink(db, { cluster_id: clusterId }, opinionIds);

/** Records the first exact duplicate of opinions (null: none came before). */
export const setDuplicateOf = (
  db: Executor,
  duplicateOf: string | null,
  opinionIds: readonly string[],
): Promise<void> => setLink(db, { duplicate_of: duplicateOf }, opinionIds);

/** An analysed opinion's cluster and first exact duplicate. */
export interface ClusterLink {
  opinionId: string;
  clusterId: string | null;
  duplicateOf: string | null;
}

/** Cluster and exact-duplicate links of a round's analysed opinions. */
export async function listClusterLinks(
  database: Database,
  db: Executor,
  roundId: string,
): Promise<ClusterLink[]> {
  const rows = await readRows(
    database,
    db,
    db
      .selectFrom('opinion_analysis')
      .select(['opinion_id', 'cluster_id', 'duplicate_of'])
      .where('round_id', '=', roundId),
  );
  return rows.map((r) => ({ opinionId: r.opinion_id, clusterId: r.cluster_id, duplicateOf: r.duplicate_of }));
}

/** The member ids of clusters, each cluster's in the order its members came in. */
export async function listMemberIds(
  db: Executor,
  clusterIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(clusterIds.map((id) => [id, []]));
  for (const chunk of chunks(clusterIds)) {
    const rows = await db
      .selectFrom('opinion_analysis')
      .innerJoin('opinion', 'opinion.id', 'opinion_analysis.opinion_id')
      .select(['opinion_analysis.cluster_id', 'opinion.id'])
      .where('opinion_analysis.cluster_id', 'in', chunk)
      .orderBy('opinion.submitted_at')
      .orderBy('opinion.id')
      .execute();
    for (const r of rows) {
      out.get(r.cluster_id!)?.push(r.id);
    }
  }
  return out;
}

/** A cluster with its representative, as the lists show it. */
export interface ClusterSummaryRow extends ClusterRecord {
  representative: OpinionBrief;
}

/** An opinion as analysis lists show it: who sent it and how it begins. */
export interface OpinionBrief {
  id: string;
  regNo: string | null;
  unitId: string | null;
  unitName: string | null;
  clauseStableId: string | null;
  suggestion: string;
}

/** The columns of an opinion as lists show it (`briefOf`), from `opinion` joined to its `unit`. */
const BRIEF_COLUMNS = [
  'opinion.id',
  'opinion.reg_no',
  'opinion.unit_id',
  'unit.name as unit_name',
  'opinion.clause_stable_id',
  'opinion.suggestion',
] as const;

const briefOf = (r: {
  id: string;
  reg_no: string | null;
  unit_id: string | null;
  unit_name: string | null;
  clause_stable_id: string | null;
  suggestion: string;
}): OpinionBrief => ({
  id: r.id,
  regNo: r.reg_no,
  unitId: r.unit_id,
  unitName: r.unit_name,
  clauseStableId: r.clause_stable_id,
  suggestion: r.suggestion,
});

/** Opinions after a page's last one, in the order they were made (keyset on created_at, id). */
const createdAfter =
  (after: { createdAt: string; id: string }) =>
  (eb: ExpressionBuilder<DB, 'opinion'>): Expression<SqlBool> =>
    eb.or([
      eb('opinion.created_at', '>', after.createdAt),
      eb.and([eb('opinion.created_at', '=', after.createdAt), eb('opinion.id', '>', after.id)]),
    ]);

export async function listClusterPage(
  db: Executor,
  options: { roundId: string; limit: number; after: { size: number; id: string } | null },
): Promise<ClusterSummaryRow[]> {
  let query = db
    .selectFrom('duplicate_cluster')
    .innerJoin('opinion', 'opinion.id', 'duplicate_cluster.representative_id')
    .leftJoin('unit', 'unit.id', 'opinion.unit_id')
    .selectAll('duplicate_cluster')
    .select([
      'opinion.reg_no',
      'opinion.unit_id',
      'unit.name as unit_name',
      'opinion.clause_stable_id',
      'opinion.suggestion',
    ])
    .where('duplicate_cluster.round_id', '=', options.roundId);
  const after = options.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('duplicate_cluster.size', '<', after.size),
        eb.and([eb('duplicate_cluster.size', '=', after.size), eb('duplicate_cluster.id', '>', after.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('duplicate_cluster.size', 'desc')
    .orderBy('duplicate_cluster.id')
    .limit(options.limit)
    .execute();
  return rows.map((r) => ({
    ...toCluster(r),
    representative: {
      id: r.representative_id,
      regNo: r.reg_no,
      unitId: r.unit_id,
      unitName: r.unit_name,
      clauseStableId: r.clause_stable_id,
      suggestion: r.suggestion,
    },
  }));
}

/** The members of a cluster a page at a time, in the order they came in. */
export async function listClusterMembers(
  db: Executor,
  options: { clusterId: string; limit: number; after: { createdAt: string; id: string } | null },
): Promise<(OpinionBrief & { createdAt: string; duplicateOf: string | null })[]> {
  let query = db
    .selectFrom('opinion_analysis')
    .innerJoin('opinion', 'opinion.id', 'opinion_analysis.opinion_id')
    .leftJoin('unit', 'unit.id', 'opinion.unit_id')
    .select([...BRIEF_COLUMNS, 'opinion.created_at', 'opinion_analysis.duplicate_of'])
    .where('opinion_analysis.cluster_id', '=', options.clusterId);
  const after = options.after;
  if (after) {
    query = query.where(createdAfter(after));
  }
  const rows = await query.orderBy('opinion.created_at').orderBy('opinion.id').limit(options.limit).execute();
  return rows.map((r) => ({
    ...briefOf(r),
    createdAt: r.created_at,
    duplicateOf: r.duplicate_of,
  }));
}

// ---- near-duplicate links ------------------------------------------------------------------------------

/** A round's near-duplicate links, each as `opinionId|similarId`. */
export async function listDuplicateLinkKeys(
  database: Database,
  db: Executor,
  roundId: string,
): Promise<Set<string>> {
  const rows = await readRows(
    database,
    db,
    db.selectFrom('duplicate_link').select(['opinion_id', 'similar_id']).where('round_id', '=', roundId),
  );
  return new Set(rows.map((r) => `${r.opinion_id}|${r.similar_id}`));
}

/** A near-duplicate link: the earlier opinion of the pair (in the round's order), then the later. */
export interface DuplicateLinkPair {
  opinionId: string;
  similarId: string;
}

/** Rows written between two turns of the event loop by `insertDuplicateLinks`. */
const LINK_BATCH = 20_000;

/** A writer of a round's near-duplicate links (`[opinion_id, similar_id]` rows), all stamped `now`. */
export function duplicateLinkWriter(database: Database, tx: Tx, roundId: string, now: string): TableWriter {
  return tableWriter<DuplicateLinkTable>(database, tx, 'duplicate_link', ['opinion_id', 'similar_id'], {
    round_id: roundId,
    created_at: now,
  });
}

/**
 * Adds near-duplicate links to a round, all stamped `now`, in the open transaction `tx` of `database`
 * (db/bulk-writer.ts: a prepared statement per row on SQLite). The links of a mass campaign run to millions
 * and take tens of seconds to write: between batches the event loop takes a turn, so that what a server
 * does without the database goes on meanwhile (on SQLite its queries wait for the transaction, which holds
 * the one connection).
 */
export async function insertDuplicateLinks(
  database: Database,
  tx: Tx,
  roundId: string,
  links: readonly DuplicateLinkPair[],
  now: string,
): Promise<void> {
  if (links.length === 0) {
    return;
  }
  const restoreCache = widenCache(database);
  try {
    const writer = duplicateLinkWriter(database, tx, roundId, now);
    for (let start = 0; start < links.length; start += LINK_BATCH) {
      const end = Math.min(links.length, start + LINK_BATCH);
      for (let k = start; k < end; k++) {
        writer.add([links[k]!.opinionId, links[k]!.similarId]);
      }
      await writer.flush();
      await nextTurn();
    }
  } finally {
    restoreCache();
  }
}

/** Removes some of a round's near-duplicate links. */
export async function deleteDuplicateLinks(
  db: Executor,
  roundId: string,
  links: readonly DuplicateLinkPair[],
): Promise<void> {
  for (const chunk of chunks(links, 2_000)) {
    await db
      .deleteFrom('duplicate_link')
      .where('round_id', '=', roundId)
      .where((eb) =>
        eb(
          eb.refTuple('opinion_id', 'similar_id'),
          'in',
          chunk.map((l) => eb.tuple(l.opinionId, l.similarId)),
        ),
      )
      .execute();
  }
}

/** Removes all of a round's near-duplicate links. */
export async function deleteRoundLinks(db: Executor, roundId: string): Promise<void> {
  await db.deleteFrom('duplicate_link').where('round_id', '=', roundId).execute();
}

/**
 * A digest of a set of links, the same whatever their order: each id's 64-bit hash (`hash64Into`), the two
 * of a pair mixed into two 32-bit values (the first id's and the second's differently, so that a pair
 * turned round differs), summed over the set and combined by xor. Two different sets of the same size that
 * came out of one round's analysis are all but certain to differ in it (no one chooses the ids to make
 * them collide). Where ids are numbered, each is hashed once (`hashId`) and pairs added by number.
 */
export class LinkDigest {
  private sumLow = 0;
  private sumHigh = 0;
  private xorLow = 0;
  private xorHigh = 0;
  private readonly pair = new Uint32Array(4);

  /** Writes the hash of an id (two values) at `at` of `into`, for `addHashed`. */
  static hashId(id: string, into: Uint32Array, at: number): void {
    hash64Into(id, into, at);
  }

  /** Adds the pair whose ids' hashes are at `first` and `second` of `hashes` (two values each). */
  addHashed(hashes: Uint32Array, first: number, second: number): void {
    const low = fmix32((Math.imul(hashes[first]!, 0xcc9e2d51) ^ hashes[second + 1]!) >>> 0);
    const high = fmix32((Math.imul(hashes[first + 1]!, 0x1b873593) + hashes[second]!) >>> 0);
    this.sumLow = (this.sumLow + low) >>> 0;
    this.sumHigh = (this.sumHigh + high) >>> 0;
    this.xorLow = (this.xorLow ^ fmix32(low ^ 0x9e3779b9)) >>> 0;
    this.xorHigh = (this.xorHigh ^ fmix32((high + 0x85ebca6b) >>> 0)) >>> 0;
  }

  add(link: DuplicateLinkPair): void {
    hash64Into(link.opinionId, this.pair, 0);
    hash64Into(link.similarId, this.pair, 2);
    this.addHashed(this.pair, 0, 2);
  }

  get value(): string {
    const hex = (value: number): string => value.toString(16).padStart(8, '0');
    return `${hex(this.sumLow)}${hex(this.sumHigh)}${hex(this.xorLow)}${hex(this.xorHigh)}`;
  }
}

/** The `LinkDigest` of a set of links. */
export function linkSetDigest(links: readonly DuplicateLinkPair[]): string {
  const digest = new LinkDigest();
  for (const link of links) {
    digest.add(link);
  }
  return digest.value;
}

/** How many links a round had when its analysis last wrote them, and their `linkSetDigest`. */
export interface LinkState {
  links: number;
  digest: string;
}

export async function findLinkState(db: Executor, roundId: string): Promise<LinkState | null> {
  const row = await db
    .selectFrom('duplicate_link_state')
    .select(['links', 'digest'])
    .where('round_id', '=', roundId)
    .executeTakeFirst();
  return row ? { links: Number(row.links), digest: row.digest } : null;
}

export async function saveLinkState(
  db: Executor,
  roundId: string,
  state: LinkState,
  now: string,
): Promise<void> {
  await db
    .insertInto('duplicate_link_state')
    .values({ round_id: roundId, links: state.links, digest: state.digest, updated_at: now })
    .onConflict((oc) =>
      oc.column('round_id').doUpdateSet({ links: state.links, digest: state.digest, updated_at: now }),
    )
    .execute();
}

/** Forgets what the analysis last wrote of a round's links: for anything else that writes them. */
export async function clearLinkState(db: Executor, roundId: string): Promise<void> {
  await db.deleteFrom('duplicate_link_state').where('round_id', '=', roundId).execute();
}

/** What a round's clustering last left behind (`cluster_state`). */
export interface ClusterState {
  digest: string;
  clusters: number;
  clustered: number;
}

export async function findClusterState(db: Executor, roundId: string): Promise<ClusterState | null> {
  const row = await db
    .selectFrom('cluster_state')
    .select(['digest', 'clusters', 'clustered'])
    .where('round_id', '=', roundId)
    .executeTakeFirst();
  return row
    ? { digest: row.digest, clusters: Number(row.clusters), clustered: Number(row.clustered) }
    : null;
}

export async function saveClusterState(
  db: Executor,
  roundId: string,
  state: ClusterState,
  now: string,
): Promise<void> {
  const values = {
    digest: state.digest,
    clusters: state.clusters,
    clustered: state.clustered,
    updated_at: now,
  };
  await db
    .insertInto('cluster_state')
    .values({ round_id: roundId, ...values })
    .onConflict((oc) => oc.column('round_id').doUpdateSet(values))
    .execute();
}

/**
 * A digest of everything a rebuild of a round's clusters reads, as the database holds it now: `salt` (the
 * analysis's version), the round's threshold, its links (their state and count), its submitted opinions in
 * the order they are clustered (each with its last change, its analysis's input and where the analysis put
 * it) and its clusters (with their review status and last change). Equal digests mean equal inputs.
 *
 * `read`: the opinions as a rebuild read them. When the submitted opinions are not those, as they were
 * (one came, went or changed since: on PostgreSQL, a transaction sees what others commit meanwhile), the
 * digest would not be of what the rebuild clustered, and null is returned instead.
 */
export async function clusterStateDigest(
  database: Database,
  db: Executor,
  roundId: string,
  salt: string,
  read?: readonly Pick<OpinionSource, 'id' | 'updatedAt'>[],
): Promise<string | null> {
  const hash = createHash('sha256');
  const round = await db
    .selectFrom('round')
    .select('dedupe_threshold')
    .where('id', '=', roundId)
    .executeTakeFirst();
  const links = await findLinkState(db, roundId);
  // The links themselves are counted too, as the analysis checks them (links removed with their opinions).
  const linkCount = await countRoundLinks(db, roundId);
  const linkState = links ? `${links.links}\t${links.digest}` : '-';
  hash.update(`${salt}\t${round?.dedupe_threshold ?? ''}\t${linkState}\t${linkCount}\n`);
  let opinions = 0;
  let same = true;
  await forEachRow(
    database,
    db,
    db
      .selectFrom('opinion')
      .leftJoin('opinion_analysis', 'opinion_analysis.opinion_id', 'opinion.id')
      .select([
        'opinion.id',
        'opinion.updated_at',
        'opinion_analysis.input_hash',
        'opinion_analysis.cluster_id',
        'opinion_analysis.duplicate_of',
      ])
      .where('opinion.round_id', '=', roundId)
      .where('opinion.status', '=', 'submitted')
      .orderBy('opinion.submitted_at')
      .orderBy('opinion.id'),
    (row) => {
      const before = read?.[opinions];
      if (before !== undefined && (before.id !== row.id || before.updatedAt !== row.updated_at)) {
        same = false;
      }
      opinions++;
      hash.update(
        `${row.id}\t${row.updated_at}\t${row.input_hash ?? ''}\t${row.cluster_id ?? ''}\t${row.duplicate_of ?? ''}\n`,
      );
    },
  );
  if (read !== undefined && (!same || opinions !== read.length)) {
    return null;
  }
  hash.update('clusters\n');
  await forEachRow(
    database,
    db,
    db
      .selectFrom('duplicate_cluster')
      .select(['id', 'status', 'size', 'representative_id', 'threshold', 'updated_at'])
      .where('round_id', '=', roundId)
      .orderBy('id'),
    (row) => {
      hash.update(
        `${row.id}\t${row.status}\t${row.size}\t${row.representative_id}\t${row.threshold}\t${row.updated_at}\n`,
      );
    },
  );
  return hash.digest('hex');
}

/** Forgets what a round's clustering last left behind. */
export async function clearClusterState(db: Executor, roundId: string): Promise<void> {
  await db.deleteFrom('cluster_state').where('round_id', '=', roundId).execute();
}

/** How many near-duplicate links a round has. */
export async function countRoundLinks(db: Executor, roundId: string): Promise<number> {
  const row = await db
    .selectFrom('duplicate_link')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('round_id', '=', roundId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Where a cluster's near-duplicates outside it lie: another cluster, or no cluster. */
export interface RelatedGroupRow {
  /** The other cluster; null for an opinion in none. */
  clusterId: string | null;
  /** The opinion in no cluster, or one of the other cluster's linked opinions. */
  opinionId: string;
  /** Linked pairs between the two. */
  links: number;
}

/**
 * The clusters and lone opinions holding near-duplicates of a cluster's members (by the round's links),
 * most links first: at most `limit`.
 */
export async function listRelatedOfCluster(
  db: Executor,
  clusterId: string,
  limit: number,
): Promise<RelatedGroupRow[]> {
  const members = db.selectFrom('opinion_analysis').select('opinion_id').where('cluster_id', '=', clusterId);
  const forward = db
    .selectFrom('duplicate_link')
    .select(['similar_id as other_id'])
    .where('opinion_id', 'in', members)
    .where('similar_id', 'not in', members);
  const backward = db
    .selectFrom('duplicate_link')
    .select(['opinion_id as other_id'])
    .where('similar_id', 'in', members)
    .where('opinion_id', 'not in', members);
  // One row per other cluster, and per opinion in none.
  const rows = await db
    .selectFrom(forward.unionAll(backward).as('link'))
    .innerJoin('opinion_analysis', 'opinion_analysis.opinion_id', 'link.other_id')
    .select((eb) => [
      eb.fn.coalesce('opinion_analysis.cluster_id', 'link.other_id').as('place'),
      eb.fn.max('opinion_analysis.cluster_id').as('cluster_id'),
      eb.fn.min('link.other_id').as('opinion_id'),
      eb.fn.countAll<number | string>().as('links'),
    ])
    .groupBy((eb) => eb.fn.coalesce('opinion_analysis.cluster_id', 'link.other_id'))
    .orderBy('links', 'desc')
    .orderBy('place')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ clusterId: r.cluster_id, opinionId: r.opinion_id, links: Number(r.links) }));
}

/** Opinions as lists show them, by id. */
export async function listOpinionBriefs(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, OpinionBrief>> {
  const out = new Map<string, OpinionBrief>();
  for (const chunk of chunks(ids)) {
    const rows = await db
      .selectFrom('opinion')
      .leftJoin('unit', 'unit.id', 'opinion.unit_id')
      .select(BRIEF_COLUMNS)
      .where('opinion.id', 'in', chunk)
      .execute();
    for (const r of rows) {
      out.set(r.id, briefOf(r));
    }
  }
  return out;
}

// ---- the round overview ------------------------------------------------------------------------------

export interface RoundAnalysisCounts {
  submitted: number;
  analyzed: number;
  stance: Record<'support' | 'oppose' | 'modify' | 'none', number>;
  humanStance: number;
  topics: { topicId: string; machine: number; human: number }[];
  clusters: number;
  clustered: number;
  reviewedClusters: number;
  exactDuplicates: number;
}

export async function countRoundAnalysis(db: Executor, roundId: string): Promise<RoundAnalysisCounts> {
  const submitted = await db
    .selectFrom('opinion')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('round_id', '=', roundId)
    .where('status', '=', 'submitted')
    .executeTakeFirstOrThrow();
  const analysed = db
    .selectFrom('opinion_analysis')
    .innerJoin('opinion', 'opinion.id', 'opinion_analysis.opinion_id')
    .where('opinion_analysis.round_id', '=', roundId)
    .where('opinion.status', '=', 'submitted');
  // A row with an empty input hash holds only a person's stance: the machine has not analysed it yet.
  const stanceRows = await analysed
    .select((eb) => [
      'opinion_analysis.stance',
      'opinion_analysis.stance_source',
      eb.fn.countAll<number | string>().as('n'),
      eb.fn
        .sum<number | string>(eb.case().when('opinion_analysis.input_hash', '!=', '').then(1).else(0).end())
        .as('analyzed'),
    ])
    .groupBy(['opinion_analysis.stance', 'opinion_analysis.stance_source'])
    .execute();
  const links = await analysed
    .select((eb) => [
      eb.fn.count<number | string>('opinion_analysis.cluster_id').as('clustered'),
      eb.fn.count<number | string>('opinion_analysis.duplicate_of').as('duplicates'),
    ])
    .executeTakeFirstOrThrow();
  const clusterRows = await db
    .selectFrom('duplicate_cluster')
    .select((eb) => ['status', eb.fn.countAll<number | string>().as('n')])
    .where('round_id', '=', roundId)
    .groupBy('status')
    .execute();
  const topicRows = await db
    .selectFrom('opinion_topic')
    .innerJoin('opinion', 'opinion.id', 'opinion_topic.opinion_id')
    .select((eb) => [
      'opinion_topic.topic_id',
      'opinion_topic.source',
      eb.fn.countAll<number | string>().as('n'),
    ])
    .where('opinion.round_id', '=', roundId)
    .where('opinion.status', '=', 'submitted')
    .where('opinion_topic.rejected', '=', 0)
    .groupBy(['opinion_topic.topic_id', 'opinion_topic.source'])
    .execute();

  const stance = { support: 0, oppose: 0, modify: 0, none: 0 };
  let analyzed = 0;
  let humanStance = 0;
  for (const r of stanceRows) {
    const n = Number(r.n);
    analyzed += Number(r.analyzed ?? 0);
    if (r.stance) {
      stance[r.stance] += n;
    }
    if (r.stance_source === 'human') {
      humanStance += n;
    }
  }
  const topics = new Map<string, { topicId: string; machine: number; human: number }>();
  for (const r of topicRows) {
    const entry = topics.get(r.topic_id) ?? { topicId: r.topic_id, machine: 0, human: 0 };
    entry[r.source] += Number(r.n);
    topics.set(r.topic_id, entry);
  }
  const clusterCount = clusterRows.reduce((n, r) => n + Number(r.n), 0);
  return {
    submitted: Number(submitted.n),
    analyzed,
    stance,
    humanStance,
    topics: [...topics.values()],
    clusters: clusterCount,
    clustered: Number(links.clustered),
    reviewedClusters: clusterRows.filter((r) => r.status !== 'machine').reduce((n, r) => n + Number(r.n), 0),
    exactDuplicates: Number(links.duplicates),
  };
}

/** The latest round job of a round (its dedupe key starts with the round's key). */
export async function findLatestJobByKeyPrefix(
  db: Executor,
  options: { kind: string; keyPrefix: string },
): Promise<{
  id: string;
  status: string;
  progress: number | null;
  updatedAt: string;
  createdAt: string;
} | null> {
  const row = await db
    .selectFrom('job')
    .select(['id', 'status', 'progress', 'updated_at', 'created_at'])
    .where('kind', '=', options.kind)
    .where('dedupe_key', 'like', `${options.keyPrefix}%`)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        status: row.status,
        progress: row.progress === null ? null : Number(row.progress),
        updatedAt: row.updated_at,
        createdAt: row.created_at,
      }
    : null;
}

/**
 * Frees a running job's dedupe key by suffixing its id: enqueueing again while it runs then queues a
 * fresh job, so changes made meanwhile are not lost, yet the key still tells whose job it was.
 */
export async function releaseJobKey(db: Executor, jobId: string): Promise<void> {
  const row = await db.selectFrom('job').select('dedupe_key').where('id', '=', jobId).executeTakeFirst();
  const key = row?.dedupe_key;
  if (key && !key.endsWith(`#${jobId}`)) {
    await db
      .updateTable('job')
      .set({ dedupe_key: `${key}#${jobId}` })
      .where('id', '=', jobId)
      .execute();
  }
}

// ---- review, conflicts, summaries --------------------------------------------------------------------

/** Machine topic labels of a round's submitted opinions, least confident first, a page at a time. */
export async function listTopicReviewPage(
  db: Executor,
  options: {
    roundId: string;
    topicId?: string;
    limit: number;
    after: { score: number; opinionId: string; topicId: string } | null;
  },
): Promise<(OpinionBrief & { topicId: string; key: string; label: string; score: number })[]> {
  let query = db
    .selectFrom('opinion_topic')
    .innerJoin('topic', 'topic.id', 'opinion_topic.topic_id')
    .innerJoin('opinion', 'opinion.id', 'opinion_topic.opinion_id')
    .leftJoin('unit', 'unit.id', 'opinion.unit_id')
    .select([...BRIEF_COLUMNS, 'opinion_topic.topic_id', 'topic.key', 'topic.label', 'opinion_topic.score'])
    .where('opinion.round_id', '=', options.roundId)
    .where('opinion.status', '=', 'submitted')
    .where('opinion_topic.source', '=', 'machine');
  if (options.topicId) {
    query = query.where('opinion_topic.topic_id', '=', options.topicId);
  }
  const after = options.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('opinion_topic.score', '>', after.score),
        eb.and([
          eb('opinion_topic.score', '=', after.score),
          eb('opinion_topic.opinion_id', '>', after.opinionId),
        ]),
        eb.and([
          eb('opinion_topic.score', '=', after.score),
          eb('opinion_topic.opinion_id', '=', after.opinionId),
          eb('opinion_topic.topic_id', '>', after.topicId),
        ]),
      ]),
    );
  }
  const rows = await query
    .orderBy('opinion_topic.score')
    .orderBy('opinion_topic.opinion_id')
    .orderBy('opinion_topic.topic_id')
    .limit(options.limit)
    .execute();
  return rows.map((r) => ({
    ...briefOf(r),
    topicId: r.topic_id,
    key: r.key,
    label: r.label,
    score: Number(r.score),
  }));
}

/** A round's submitted opinions, each with its unit and its analysis (when it has one). */
function submittedWithAnalysis(db: Executor, roundId: string) {
  return db
    .selectFrom('opinion')
    .leftJoin('opinion_analysis', 'opinion_analysis.opinion_id', 'opinion.id')
    .leftJoin('unit', 'unit.id', 'opinion.unit_id')
    .where('opinion.round_id', '=', roundId)
    .where('opinion.status', '=', 'submitted');
}

/** A submitted opinion with its stance, as the stance review lists it. */
export interface StanceRow extends OpinionBrief {
  createdAt: string;
  stance: OpinionAnalysisTable['stance'];
  stanceScore: number | null;
  stanceSource: LabelSource | null;
}

/**
 * A round's submitted opinions with their stances, in the order they were made (keyset on created_at,
 * id), filtered by clause, by stance (`unknown`: none yet, not analysed or no stance found) and by who
 * gave it, a page at a time. Filters apply in the database: a round of a million comments pages through
 * its opposed ones without loading the rest.
 */
export async function listStancePage(
  db: Executor,
  options: {
    roundId: string;
    clauseStableId?: string;
    stance?: NonNullable<OpinionAnalysisTable['stance']> | 'unknown';
    source?: LabelSource;
    limit: number;
    after: { createdAt: string; id: string } | null;
  },
): Promise<StanceRow[]> {
  let query = submittedWithAnalysis(db, options.roundId).select([
    ...BRIEF_COLUMNS,
    'opinion.created_at',
    'opinion_analysis.stance',
    'opinion_analysis.stance_score',
    'opinion_analysis.stance_source',
  ]);
  if (options.clauseStableId) {
    query = query.where('opinion.clause_stable_id', '=', options.clauseStableId);
  }
  if (options.stance === 'unknown') {
    query = query.where('opinion_analysis.stance', 'is', null);
  } else if (options.stance) {
    query = query.where('opinion_analysis.stance', '=', options.stance);
  }
  if (options.source) {
    query = query
      .where('opinion_analysis.stance', 'is not', null)
      .where('opinion_analysis.stance_source', '=', options.source);
  }
  const after = options.after;
  if (after) {
    query = query.where(createdAfter(after));
  }
  const rows = await query.orderBy('opinion.created_at').orderBy('opinion.id').limit(options.limit).execute();
  return rows.map((r) => ({
    ...briefOf(r),
    createdAt: r.created_at,
    stance: r.stance,
    stanceScore: r.stance_score === null ? null : Number(r.stance_score),
    stanceSource: r.stance === null ? null : r.stance_source,
  }));
}

/** A submitted opinion with its analysis, as conflicts and summaries read it. */
export interface AnalysedOpinion extends OpinionBrief {
  reasons: string | null;
  proposedText: string | null;
  stance: OpinionAnalysisTable['stance'];
  stanceScore: number | null;
  stanceSource: LabelSource | null;
  figures: unknown[];
}

export async function listAnalysedOpinions(
  db: Executor,
  options: { roundId: string; clauseStableId?: string | null; limit: number },
): Promise<AnalysedOpinion[]> {
  let query = submittedWithAnalysis(db, options.roundId).select([
    ...BRIEF_COLUMNS,
    'opinion.reasons',
    'opinion.proposed_text',
    'opinion_analysis.stance',
    'opinion_analysis.stance_score',
    'opinion_analysis.stance_source',
    'opinion_analysis.figures',
  ]);
  if (options.clauseStableId) {
    query = query.where('opinion.clause_stable_id', '=', options.clauseStableId);
  } else {
    query = query.where('opinion.clause_stable_id', 'is not', null);
  }
  const rows = await query
    .orderBy('opinion.submitted_at')
    .orderBy('opinion.id')
    .limit(options.limit)
    .execute();
  return rows.map((r) => ({
    ...briefOf(r),
    reasons: r.reasons,
    proposedText: r.proposed_text,
    stance: r.stance ?? null,
    stanceScore: r.stance_score === null || r.stance_score === undefined ? null : Number(r.stance_score),
    stanceSource: r.stance_source ?? null,
    figures: parseList<unknown>(r.figures ?? null),
  }));
}

// ---- similar opinions of other plans -----------------------------------------------------------------

/** How many submitted opinions the plans hold and when the latest came: a cached index is fresh while these hold. */
export async function fingerprintPlans(
  db: Executor,
  planIds: readonly string[],
): Promise<{ count: number; latest: string | null }> {
  if (planIds.length === 0) {
    return { count: 0, latest: null };
  }
  const row = await db
    .selectFrom('opinion')
    .innerJoin('round', 'round.id', 'opinion.round_id')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.max('opinion.submitted_at').as('latest'),
    ])
    .where('round.plan_id', 'in', [...planIds])
    .where('opinion.status', '=', 'submitted')
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), latest: row.latest ?? null };
}

export interface IndexedOpinion {
  id: string;
  planId: string;
  planName: string;
  roundId: string;
  roundTitle: string;
  regNo: string | null;
  text: string;
}

/** The submitted opinions of plans, for a similarity index (at most `limit`, the latest first). */
export async function listOpinionsOfPlans(
  db: Executor,
  planIds: readonly string[],
  limit: number,
): Promise<IndexedOpinion[]> {
  if (planIds.length === 0) {
    return [];
  }
  const rows = await db
    .selectFrom('opinion')
    .innerJoin('round', 'round.id', 'opinion.round_id')
    .innerJoin('plan', 'plan.id', 'round.plan_id')
    .select([
      'opinion.id',
      'round.plan_id',
      'plan.name',
      'opinion.round_id',
      'round.title',
      'opinion.reg_no',
      'opinion.suggestion',
      'opinion.proposed_text',
    ])
    .where('round.plan_id', 'in', [...planIds])
    .where('opinion.status', '=', 'submitted')
    .orderBy('opinion.submitted_at', 'desc')
    .orderBy('opinion.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    planId: r.plan_id,
    planName: r.name,
    roundId: r.round_id,
    roundTitle: r.title,
    regNo: r.reg_no,
    text: r.proposed_text ? `${r.suggestion}\n${r.proposed_text}` : r.suggestion,
  }));
}

/** The approved disposition code of opinions that have one. */
export async function mapApprovedCodes(
  db: Executor,
  opinionIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const chunk of chunks(opinionIds)) {
    const rows = await db
      .selectFrom('disposition')
      .select(['opinion_id', 'code'])
      .where('opinion_id', 'in', chunk)
      .where('status', '=', 'approved')
      .execute();
    for (const r of rows) {
      out.set(r.opinion_id, r.code);
    }
  }
  return out;
}

/** The rounds of a plan whose opinions are still worked on (re-analysed after a model or taxonomy change). */
export async function listActiveRoundIds(db: Executor, planId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('round')
    .select('id')
    .where('plan_id', '=', planId)
    .where('status', 'in', ['open', 'closed', 'assessing', 'feedback'])
    .orderBy('seq')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Units with what they are responsible for, for routing clauses. */
export async function listRoutingUnits(
  db: Executor,
): Promise<{ id: string; name: string; keywords: string[]; areas: string[] }[]> {
  const rows = await db
    .selectFrom('unit')
    .select(['id', 'name', 'keywords', 'areas'])
    .orderBy('code')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    keywords: parseList(r.keywords),
    areas: parseList(r.areas),
  }));
}

export async function findVersionPlan(
  db: Executor,
  versionId: string,
): Promise<{ id: string; planId: string; label: string } | null> {
  const row = await db
    .selectFrom('draft_version')
    .select(['id', 'plan_id', 'label'])
    .where('id', '=', versionId)
    .executeTakeFirst();
  return row ? { id: row.id, planId: row.plan_id, label: row.label } : null;
}
