import type { Insertable } from 'kysely';
import type { Executor } from '../db/executor.ts';
import type {
  DuplicateClusterTable,
  OpinionAnalysisTable,
  OpinionTable,
  OpinionTopicTable,
} from '../db/schema.ts';

/*
 * Bulk writes of an import of public comments. Rows go in chunks small enough for both dialects' bound
 * parameter limits (SQLite 32,766, PostgreSQL 65,535) and large enough that a million rows take seconds.
 */

const MAX_PARAMETERS = 30_000;

async function insertChunked<T extends object>(
  rows: readonly T[],
  insert: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]!).length));
  for (let start = 0; start < rows.length; start += size) {
    const chunk = rows.slice(start, start + size);
    await insert(chunk);
  }
}

export const insertOpinions = (db: Executor, rows: readonly Insertable<OpinionTable>[]): Promise<void> =>
  insertChunked(rows, (chunk) => db.insertInto('opinion').values(chunk).execute());

export const insertOpinionAnalyses = (
  db: Executor,
  rows: readonly Insertable<OpinionAnalysisTable>[],
): Promise<void> => insertChunked(rows, (chunk) => db.insertInto('opinion_analysis').values(chunk).execute());

export const insertDuplicateClusters = (
  db: Executor,
  rows: readonly Insertable<DuplicateClusterTable>[],
): Promise<void> =>
  insertChunked(rows, (chunk) => db.insertInto('duplicate_cluster').values(chunk).execute());

export const insertOpinionTopics = (
  db: Executor,
  rows: readonly Insertable<OpinionTopicTable>[],
): Promise<void> => insertChunked(rows, (chunk) => db.insertInto('opinion_topic').values(chunk).execute());

/** The external references of a round's opinions that are among `refs`. */
export async function findExistingRefs(
  db: Executor,
  roundId: string,
  refs: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let start = 0; start < refs.length; start += 5_000) {
    const rows = await db
      .selectFrom('opinion')
      .select('external_ref')
      .where('round_id', '=', roundId)
      .where('external_ref', 'in', refs.slice(start, start + 5_000))
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
