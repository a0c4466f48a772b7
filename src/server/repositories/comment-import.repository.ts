import { MAX_PARAMETERS, insertChunked } from '../db/chunked.ts';
import type { Statement } from 'better-sqlite3';
import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Executor, Tx } from '../db/executor.ts';
import type { TableWriter } from '../db/bulk-writer.ts';
import { tableWriter, widenCache } from '../db/bulk-writer.ts';
import { duplicateLinkWriter } from './analysis.repository.ts';
import { OUTSIDE_OPINION_COLUMNS } from './opinion.repository.ts';
import type {
  DuplicateClusterTable,
  OpinionAnalysisTable,
  OpinionTable,
  OpinionTopicTable,
} from '../db/schema.ts';

/*
 * Bulk writes of an import of public comments, inside the import's one transaction, through table writers
 * (db/bulk-writer.ts): every table's rows are given as arrays of the columns that differ from row to row,
 * and the columns every row of an import shares are given once.
 */

/**
 * Sets `cluster_id` and `duplicate_of` of analyses already written: on SQLite one prepared update per row,
 * on PostgreSQL one update joined to a list of values per chunk of rows.
 */
function clusterAssigner(database: Database, tx: Tx): TableWriter {
  const connection = database.sqlite;
  if (connection !== null) {
    const statement: Statement = connection.prepare(
      'update "opinion_analysis" set "cluster_id" = ?, "duplicate_of" = ? where "opinion_id" = ?',
    );
    return {
      add: ([opinionId, clusterId, duplicateOf]) => {
        statement.run(clusterId, duplicateOf, opinionId);
      },
      flush: () => Promise.resolve(),
    };
  }
  const chunk = Math.floor(MAX_PARAMETERS / 3);
  let pending: (readonly unknown[])[] = [];
  return {
    add: (values) => {
      pending.push(values);
    },
    flush: async () => {
      const rows = pending;
      pending = [];
      for (let start = 0; start < rows.length; start += chunk) {
        const list = sql.join(
          rows
            .slice(start, start + chunk)
            .map(([opinionId, clusterId, duplicateOf]) => sql`(${opinionId}, ${clusterId}, ${duplicateOf})`),
        );
        await sql`update opinion_analysis as a set cluster_id = v.cluster_id, duplicate_of = v.duplicate_of
          from (values ${list}) as v (opinion_id, cluster_id, duplicate_of)
          where a.opinion_id = v.opinion_id`.execute(tx);
      }
    },
  };
}

/** Opinions given whole, in multi-row inserts within the parameter limits of both dialects. */
export const insertOpinions = (db: Executor, rows: readonly Insertable<OpinionTable>[]): Promise<void> =>
  insertChunked(rows, (chunk) => db.insertInto('opinion').values(chunk).execute());

/** The values of an imported opinion, in this order. */
export type ImportedOpinionValues = [
  id: string,
  regNo: string,
  suggestion: string,
  qualityScore: number,
  qualityFlags: string,
  externalRef: string | null,
];

/** The values of a near-duplicate cluster, in this order. */
export type ImportedClusterValues = [id: string, representativeId: string, size: number];

/** The values of an opinion's analysis, in this order. */
export type ImportedAnalysisValues = [
  opinionId: string,
  inputHash: string,
  textHash: string,
  stance: OpinionAnalysisTable['stance'],
  stanceScore: number | null,
  keyphrases: string,
  figures: string,
  clusterId: string | null,
  duplicateOf: string | null,
];

/** The values of a machine topic label, in this order. */
export type ImportedTopicValues = [opinionId: string, topicId: string, score: number];

/** A near-duplicate link: the earlier opinion of the pair (in the round's order), then the later. */
export type ImportedLinkValues = [opinionId: string, similarId: string];

/** An analysed opinion's near-duplicate cluster and the opinion it copies, set once they are known. */
export type ImportedClusterAssignment = [
  opinionId: string,
  clusterId: string | null,
  duplicateOf: string | null,
];

export interface CommentImportWriter {
  opinion(values: ImportedOpinionValues): void;
  cluster(values: ImportedClusterValues): void;
  analysis(values: ImportedAnalysisValues): void;
  topic(values: ImportedTopicValues): void;
  /** Sets the cluster and the original of an analysis written before they were known. */
  assign(values: ImportedClusterAssignment): void;
  /** A near-duplicate link between two opinions the clusters keep apart. */
  link(values: ImportedLinkValues): void;
  /**
   * Sends what is buffered (PostgreSQL; SQLite has written each row already), tables in the order their
   * foreign keys need: opinions, clusters, analyses, topic labels, the clusters of analyses, then links.
   */
  flush(): Promise<void>;
  /** Puts the connection back as it was (call it whether or not the writes succeeded). */
  close(): void;
}

/**
 * Writes the rows of an import into `roundId` in the open transaction `tx` of `database`, all stamped
 * `now`: opinions first, then clusters (they name a representative opinion), then analyses, labels and
 * near-duplicate links.
 */
export function commentImportWriter(
  database: Database,
  tx: Tx,
  shared: { roundId: string; now: string; threshold: number; analysisVersion: number },
): CommentImportWriter {
  const { roundId, now } = shared;
  const restoreCache = widenCache(database);
  const opinions = tableWriter<OpinionTable>(
    database,
    tx,
    'opinion',
    ['id', 'reg_no', 'suggestion', 'quality_score', 'quality_flags', 'external_ref'],
    {
      ...OUTSIDE_OPINION_COLUMNS,
      round_id: roundId,
      clause_stable_id: null,
      clause_id: null,
      reasons: null,
      proposed_text: null,
      created_at: now,
      updated_at: now,
      submitted_at: now,
    },
  );
  const clusters = tableWriter<DuplicateClusterTable>(
    database,
    tx,
    'duplicate_cluster',
    ['id', 'representative_id', 'size'],
    {
      round_id: roundId,
      status: 'machine',
      threshold: shared.threshold,
      reviewed_by: null,
      reviewed_at: null,
      created_at: now,
      updated_at: now,
    },
  );
  const analyses = tableWriter<OpinionAnalysisTable>(
    database,
    tx,
    'opinion_analysis',
    [
      'opinion_id',
      'input_hash',
      'text_hash',
      'stance',
      'stance_score',
      'keyphrases',
      'figures',
      'cluster_id',
      'duplicate_of',
    ],
    {
      round_id: roundId,
      stance_source: 'machine',
      version: shared.analysisVersion,
      analyzed_at: now,
    },
  );
  const topics = tableWriter<OpinionTopicTable>(
    database,
    tx,
    'opinion_topic',
    ['opinion_id', 'topic_id', 'score'],
    { source: 'machine', rejected: 0, labelled_by: null, labelled_at: now },
  );
  const links = duplicateLinkWriter(database, tx, roundId, now);
  const assignments = clusterAssigner(database, tx);
  return {
    opinion: (values) => opinions.add(values),
    cluster: (values) => clusters.add(values),
    analysis: (values) => analyses.add(values),
    topic: (values) => topics.add(values),
    assign: (values) => assignments.add(values),
    link: (values) => links.add(values),
    flush: async () => {
      await opinions.flush();
      await clusters.flush();
      await analyses.flush();
      await topics.flush();
      await assignments.flush();
      await links.flush();
    },
    close: restoreCache,
  };
}

/** Whether any opinion of a round has an external reference (the first import of a campaign has none). */
export async function hasExternalRefs(db: Executor, roundId: string): Promise<boolean> {
  const any = await db
    .selectFrom('opinion')
    .select('id')
    .where('round_id', '=', roundId)
    .where('external_ref', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return any !== undefined;
}

/** The external references of a round's opinions that are among `refs` (which may repeat). */
export async function findExistingRefs(
  db: Executor,
  roundId: string,
  refs: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  const distinct = [...new Set(refs)];
  for (let start = 0; start < distinct.length; start += 5_000) {
    const rows = await db
      .selectFrom('opinion')
      .select('external_ref')
      .where('round_id', '=', roundId)
      .where('external_ref', 'in', distinct.slice(start, start + 5_000))
      .execute();
    for (const row of rows) {
      if (row.external_ref) {
        found.add(row.external_ref);
      }
    }
  }
  return found;
}

/** How many opinions of a round came without a unit (public comments): the next registration numbers follow. */
export async function countPublicOpinions(db: Executor, roundId: string): Promise<number> {
  const row = await db
    .selectFrom('opinion')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('round_id', '=', roundId)
    .where('unit_id', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
