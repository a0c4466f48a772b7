import { MAX_PARAMETERS, insertChunked } from '../db/chunked.ts';
import type { Statement } from 'better-sqlite3';
import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Executor, Tx } from '../db/executor.ts';
import { OUTSIDE_OPINION_COLUMNS } from './opinion.repository.ts';
import type {
  DuplicateClusterTable,
  DuplicateLinkTable,
  OpinionAnalysisTable,
  OpinionTable,
  OpinionTopicTable,
} from '../db/schema.ts';

/*
 * Bulk writes of an import of public comments, inside the import's one transaction. Every table's rows are
 * given as arrays of the columns that differ from row to row, in a fixed order; the columns every row of an
 * import shares are given once. On SQLite each row runs one prepared statement on the connection the
 * transaction holds (no query building, no parameter objects); on PostgreSQL rows are buffered and sent in
 * multi-row statements sized for its bound-parameter limit. Both write the same values.
 */

type TableName = 'opinion' | 'duplicate_cluster' | 'opinion_analysis' | 'opinion_topic' | 'duplicate_link';

interface TableWriter {
  add(values: readonly unknown[]): void;
  flush(): Promise<void>;
}

/**
 * A writer of one table: `columns` name the values of each row in order; `shared` holds the columns every
 * row has in common. Shared columns that are null are left out of the statement: the columns an import
 * leaves empty have no default but null.
 */
function tableWriter<T extends object>(
  database: Database,
  tx: Tx,
  table: TableName,
  columns: readonly (keyof T & string)[],
  shared: Partial<T>,
): TableWriter {
  const sharedColumns = (Object.keys(shared) as (keyof T & string)[]).filter((c) => shared[c] !== null);
  const sharedValues = sharedColumns.map((c) => shared[c]);
  const connection = database.sqlite;
  if (connection !== null) {
    const names = [...columns, ...sharedColumns];
    const statement: Statement = connection.prepare(
      `insert into "${table}" (${names.map((n) => `"${n}"`).join(', ')}) values (${names.map(() => '?').join(', ')})`,
    );
    return {
      add: (values) => {
        statement.run(values, sharedValues);
      },
      flush: () => Promise.resolve(),
    };
  }
  const chunk = Math.max(1, Math.floor(MAX_PARAMETERS / (columns.length + sharedColumns.length)));
  let pending: Record<string, unknown>[] = [];
  const base: Record<string, unknown> = {};
  sharedColumns.forEach((c, k) => {
    base[c] = sharedValues[k];
  });
  return {
    add: (values) => {
      const row: Record<string, unknown> = { ...base };
      for (let k = 0; k < columns.length; k++) {
        row[columns[k]!] = values[k];
      }
      pending.push(row);
    },
    flush: async () => {
      const rows = pending;
      pending = [];
      for (let start = 0; start < rows.length; start += chunk) {
        await tx
          .insertInto(table)
          .values(rows.slice(start, start + chunk))
          .execute();
      }
    },
  };
}

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
 * Pages of SQLite's cache while an import writes (256 MiB, taken only as it fills): the indexes keyed by
 * text hash and by cluster grow in no particular order, and a page that has left the cache must be read
 * back from the write-ahead log before it can change again.
 */
const IMPORT_CACHE_KIB = 256 * 1024;

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
  const connection = database.sqlite;
  const cacheSize =
    connection === null ? null : (connection.pragma('cache_size', { simple: true }) as number);
  if (connection !== null && cacheSize !== null && cacheSize > -IMPORT_CACHE_KIB) {
    connection.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  }
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
  const links = tableWriter<DuplicateLinkTable>(
    database,
    tx,
    'duplicate_link',
    ['opinion_id', 'similar_id'],
    {
      round_id: roundId,
      created_at: now,
    },
  );
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
    close: () => {
      if (connection !== null && cacheSize !== null) {
        connection.pragma(`cache_size = ${cacheSize}`);
      }
    },
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
