import type { Insertable, Selectable, Updateable } from 'kysely';
import { insertChunked } from '../db/chunked.ts';
import type { Executor } from '../db/executor.ts';
import type {
  PortalCommentStatus,
  PortalCommentTable,
  PortalModeration,
  PortalRoundTable,
} from '../db/tables/portal.ts';
import type { DispositionCode } from '../db/schema.ts';

/* Every statement of the public comment portal. */

export type PortalRoundRow = Selectable<PortalRoundTable>;
export type PortalCommentRow = Selectable<PortalCommentTable>;

export async function findPortalRound(db: Executor, roundId: string): Promise<PortalRoundRow | null> {
  return (
    (await db.selectFrom('portal_round').selectAll().where('round_id', '=', roundId).executeTakeFirst()) ??
    null
  );
}

/** The round's portal settings row, created with the default moderation on first use. */
export async function ensurePortalRound(
  db: Executor,
  options: { roundId: string; now: string },
): Promise<void> {
  await db
    .insertInto('portal_round')
    .values({
      round_id: options.roundId,
      moderation: 'pre',
      summary: null,
      summary_published_at: null,
      summary_published_by: null,
      created_at: options.now,
      updated_at: options.now,
    })
    .onConflict((oc) => oc.column('round_id').doNothing())
    .execute();
}

export async function updatePortalRound(
  db: Executor,
  roundId: string,
  patch: Updateable<PortalRoundTable> & { updated_at: string },
): Promise<void> {
  await db.updateTable('portal_round').set(patch).where('round_id', '=', roundId).execute();
}

/** Takes the round's row lock (PostgreSQL) so registration numbers are given one at a time. */
export async function lockPortalRound(db: Executor, roundId: string, now: string): Promise<PortalModeration> {
  const row = await db
    .updateTable('portal_round')
    .set({ updated_at: now })
    .where('round_id', '=', roundId)
    .returning('moderation')
    .executeTakeFirstOrThrow();
  return row.moderation;
}

export interface PortalClause {
  id: string;
  stableId: string;
  kind: string;
  number: string | null;
  heading: string | null;
  text: string;
  depth: number;
}

export async function listVersionClauses(db: Executor, versionId: string): Promise<PortalClause[]> {
  const rows = await db
    .selectFrom('clause')
    .select(['id', 'stable_id', 'kind', 'number', 'heading', 'text', 'depth'])
    .where('version_id', '=', versionId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    stableId: r.stable_id,
    kind: r.kind,
    number: r.number,
    heading: r.heading,
    text: r.text,
    depth: r.depth,
  }));
}

/** Records a spent CAPTCHA solution; false when it was spent already. */
export async function spendCaptcha(
  db: Executor,
  options: { signature: string; expiresAt: string },
): Promise<boolean> {
  const result = await db
    .insertInto('portal_captcha_use')
    .values({ signature: options.signature, expires_at: options.expiresAt })
    .onConflict((oc) => oc.column('signature').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Deletes spent CAPTCHA solutions that expired before `before`; returns how many. */
export async function deleteSpentCaptchas(db: Executor, before: string): Promise<number> {
  const result = await db
    .deleteFrom('portal_captcha_use')
    .where('expires_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * The highest public registration number of a round with `prefix` (e.g. "3-P-"): a range over the
 * (round, reg_no) unique index, so it costs the same at the millionth comment as at the first.
 */
export async function lastRegNo(db: Executor, roundId: string, prefix: string): Promise<string | null> {
  const row = await db
    .selectFrom('opinion')
    .select('reg_no')
    .where('round_id', '=', roundId)
    .where('reg_no', '>=', prefix)
    // '.' follows '-' in ASCII: the range holds exactly the numbers with this prefix.
    .where('reg_no', '<', `${prefix.slice(0, -1)}.`)
    .orderBy('reg_no', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.reg_no ?? null;
}

export async function insertPortalComment(db: Executor, row: Insertable<PortalCommentTable>): Promise<void> {
  await db.insertInto('portal_comment').values(row).execute();
}

export async function insertPortalComments(
  db: Executor,
  rows: readonly Insertable<PortalCommentTable>[],
): Promise<void> {
  await insertChunked(rows, (chunk) => db.insertInto('portal_comment').values(chunk).execute());
}

export async function insertCommenters(
  db: Executor,
  rows: readonly { comment_id: string; name: string; contact: string; created_at: string }[],
): Promise<void> {
  await insertChunked(rows, (chunk) => db.insertInto('portal_commenter').values(chunk).execute());
}

/**
 * Spends several CAPTCHA solutions at once (each signature once); returns the signatures that were
 * still unspent, now spent.
 */
export async function spendCaptchas(
  db: Executor,
  captchas: readonly { signature: string; expiresAt: string }[],
): Promise<Set<string>> {
  if (captchas.length === 0) {
    return new Set();
  }
  const rows = await db
    .insertInto('portal_captcha_use')
    .values(captchas.map((c) => ({ signature: c.signature, expires_at: c.expiresAt })))
    .onConflict((oc) => oc.column('signature').doNothing())
    .returning('signature')
    .execute();
  return new Set(rows.map((row) => row.signature));
}

/** Gives back solutions spent by comments that were then refused, so they can be sent again. */
export async function unspendCaptchas(db: Executor, signatures: readonly string[]): Promise<void> {
  if (signatures.length > 0) {
    await db.deleteFrom('portal_captcha_use').where('signature', 'in', signatures).execute();
  }
}

export async function insertCommenter(
  db: Executor,
  row: { comment_id: string; name: string; contact: string; created_at: string },
): Promise<void> {
  await db.insertInto('portal_commenter').values(row).execute();
}

/** The stored (sealed) name and contact of a comment's commenter; null for an anonymous comment. */
export async function findCommenter(
  db: Executor,
  commentId: string,
): Promise<{ name: string; contact: string } | null> {
  return (
    (await db
      .selectFrom('portal_commenter')
      .select(['name', 'contact'])
      .where('comment_id', '=', commentId)
      .executeTakeFirst()) ?? null
  );
}

/** The organizers of the plan a round belongs to: its portal's moderators. */
export async function listRoundModeratorIds(db: Executor, roundId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('round')
    .innerJoin('plan', 'plan.id', 'round.plan_id')
    .innerJoin('user', 'user.unit_id', 'plan.owner_unit_id')
    .innerJoin('user_role', 'user_role.user_id', 'user.id')
    .select('user.id')
    .where('round.id', '=', roundId)
    .where('user.status', '=', 'active')
    .where('user_role.role', '=', 'organizer')
    .orderBy('user.id')
    .execute();
  return rows.map((r) => r.id);
}

export async function findComment(db: Executor, id: string): Promise<PortalCommentRow | null> {
  return (await db.selectFrom('portal_comment').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function findCommentByReceipt(
  db: Executor,
  receiptNo: string,
): Promise<PortalCommentRow | null> {
  return (
    (await db
      .selectFrom('portal_comment')
      .selectAll()
      .where('receipt_no', '=', receiptNo)
      .executeTakeFirst()) ?? null
  );
}

export async function updateComment(
  db: Executor,
  id: string,
  patch: Updateable<PortalCommentTable> & { updated_at: string },
): Promise<void> {
  await db.updateTable('portal_comment').set(patch).where('id', '=', id).execute();
}

export async function listComments(
  db: Executor,
  options: {
    roundId: string;
    statuses: readonly PortalCommentStatus[];
    clauseStableId?: string | null;
    limit: number;
    offset: number;
    order: 'asc' | 'desc';
  },
): Promise<{ rows: PortalCommentRow[]; total: number }> {
  let query = db
    .selectFrom('portal_comment')
    .where('round_id', '=', options.roundId)
    .where('status', 'in', [...options.statuses]);
  if (options.clauseStableId) {
    query = query.where('clause_stable_id', '=', options.clauseStableId);
  }
  const total = await query
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await query
    .selectAll('portal_comment')
    .orderBy('created_at', options.order)
    .orderBy('id', options.order)
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  return { rows, total: Number(total.n) };
}

/** Published comments per clause (null: on the draft as a whole). */
export async function countPublishedByClause(
  db: Executor,
  roundId: string,
): Promise<Map<string | null, number>> {
  const rows = await db
    .selectFrom('portal_comment')
    .select(['clause_stable_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('round_id', '=', roundId)
    .where('status', '=', 'published')
    .groupBy('clause_stable_id')
    .execute();
  return new Map(rows.map((r) => [r.clause_stable_id, Number(r.n)]));
}

export async function countCommentsByStatus(
  db: Executor,
  roundId: string,
): Promise<Record<PortalCommentStatus, number>> {
  const rows = await db
    .selectFrom('portal_comment')
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('round_id', '=', roundId)
    .groupBy('status')
    .execute();
  const counts: Record<PortalCommentStatus, number> = { pending: 0, published: 0, rejected: 0, hidden: 0 };
  for (const row of rows) {
    counts[row.status] = Number(row.n);
  }
  return counts;
}

export async function updateOpinionOfComment(
  db: Executor,
  opinionId: string,
  patch: {
    suggestion?: string;
    reasons?: string | null;
    proposed_text?: string | null;
    status?: 'submitted' | 'withdrawn';
    withdrawn_at?: string | null;
    updated_at: string;
  },
): Promise<void> {
  await db.updateTable('opinion').set(patch).where('id', '=', opinionId).execute();
}

export async function insertRedaction(
  db: Executor,
  row: {
    id: string;
    comment_id: string;
    kinds: string;
    count: number;
    reason: string;
    redacted_by: string | null;
    created_at: string;
  },
): Promise<void> {
  await db.insertInto('portal_redaction').values(row).execute();
}

export async function listRedactions(db: Executor, commentIds: readonly string[]) {
  if (commentIds.length === 0) {
    return [];
  }
  return db
    .selectFrom('portal_redaction')
    .selectAll()
    .where('comment_id', 'in', [...commentIds])
    .orderBy('created_at')
    .execute();
}

export interface SummarySource {
  opinionId: string;
  clauseStableId: string | null;
  suggestion: string;
  clusterId: string | null;
  representativeId: string | null;
  dispositionCode: DispositionCode | null;
  dispositionReason: string | null;
  decidedAt: string | null;
}

/** The round's accepted public opinions with their cluster and approved disposition, for the summary. */
export async function listSummarySources(db: Executor, roundId: string): Promise<SummarySource[]> {
  const rows = await db
    .selectFrom('opinion')
    .leftJoin('opinion_analysis', 'opinion_analysis.opinion_id', 'opinion.id')
    .leftJoin('duplicate_cluster', 'duplicate_cluster.id', 'opinion_analysis.cluster_id')
    .leftJoin('disposition', (join) =>
      join.onRef('disposition.opinion_id', '=', 'opinion.id').on('disposition.status', '=', 'approved'),
    )
    .select([
      'opinion.id as opinionId',
      'opinion.clause_stable_id as clauseStableId',
      'opinion.suggestion as suggestion',
      'opinion_analysis.cluster_id as clusterId',
      'duplicate_cluster.representative_id as representativeId',
      'disposition.code as dispositionCode',
      'disposition.reason as dispositionReason',
      'disposition.decided_at as decidedAt',
    ])
    .where('opinion.round_id', '=', roundId)
    .where('opinion.unit_id', 'is', null)
    .where('opinion.status', '=', 'submitted')
    .orderBy('opinion.reg_no')
    .execute();
  return rows.map((r) => ({
    opinionId: r.opinionId,
    clauseStableId: r.clauseStableId,
    suggestion: r.suggestion,
    clusterId: r.clusterId ?? null,
    representativeId: r.representativeId ?? null,
    dispositionCode: r.dispositionCode ?? null,
    dispositionReason: r.dispositionReason ?? null,
    decidedAt: r.decidedAt ?? null,
  }));
}
