import type { Expression, ExpressionBuilder, Insertable, Selectable, SqlBool, Updateable } from 'kysely';
import type { QualityFilter } from '../../domain/opinion-quality.ts';
import { QUALITY_PASS_SCORE } from '../../domain/opinion-quality.ts';
import type { Executor } from '../db/executor.ts';
import type {
  DB,
  OpinionEvidenceTable,
  OpinionKind,
  OpinionStatus,
  OpinionTable,
  UnitLevel,
} from '../db/schema.ts';

export type OpinionRow = Selectable<OpinionTable>;

export interface OpinionRecord {
  id: string;
  roundId: string;
  invitationId: string | null;
  unitId: string | null;
  authorId: string | null;
  regNo: string | null;
  clauseStableId: string | null;
  clauseId: string | null;
  quote: string | null;
  suggestion: string;
  reasons: string | null;
  proposedText: string | null;
  kind: OpinionKind;
  blocking: boolean;
  status: OpinionStatus;
  quality: { score: number; flags: string[] };
  level: UnitLevel | null;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  withdrawnAt: string | null;
}

/** The plan side's own fields of an opinion, internal until feedback goes out. */
export interface OpinionAssessment {
  priority: OpinionTable['priority'];
  assigneeId: string | null;
  dispositionStatus: OpinionTable['disposition_status'];
}

export const toOpinionAssessment = (row: OpinionRow): OpinionAssessment => ({
  priority: row.priority,
  assigneeId: row.assignee_id,
  dispositionStatus: row.disposition_status,
});

export interface EvidenceRecord {
  id: string;
  opinionId: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: string;
}

export function toOpinion(row: OpinionRow): OpinionRecord {
  return {
    id: row.id,
    roundId: row.round_id,
    invitationId: row.invitation_id,
    unitId: row.unit_id,
    authorId: row.author_id,
    regNo: row.reg_no,
    clauseStableId: row.clause_stable_id,
    clauseId: row.clause_id,
    quote: row.quote,
    suggestion: row.suggestion,
    reasons: row.reasons,
    proposedText: row.proposed_text,
    kind: row.kind,
    blocking: Number(row.blocking) === 1,
    status: row.status,
    quality: { score: Number(row.quality_score), flags: JSON.parse(row.quality_flags) as string[] },
    level: row.level,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    withdrawnAt: row.withdrawn_at,
  };
}

/**
 * The columns every comment from outside the units has alike (the public portal, an imported file): no
 * invitation, unit or author; a substantive opinion, submitted, not yet handled or disposed.
 */
export const OUTSIDE_OPINION_COLUMNS = {
  invitation_id: null,
  unit_id: null,
  author_id: null,
  quote: null,
  kind: 'substantive',
  blocking: 0,
  status: 'submitted',
  priority: null,
  assignee_id: null,
  level: null,
  forwarded_by_unit_id: null,
  carried_from_id: null,
  disposition_status: 'pending',
  withdrawn_at: null,
} as const satisfies Partial<Insertable<OpinionTable>>;

export async function insertOpinion(db: Executor, row: Insertable<OpinionTable>): Promise<void> {
  await db.insertInto('opinion').values(row).execute();
}

export async function findOpinionRow(db: Executor, id: string): Promise<OpinionRow | undefined> {
  return db.selectFrom('opinion').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateOpinion(
  db: Executor,
  id: string,
  changes: Updateable<OpinionTable>,
): Promise<void> {
  await db.updateTable('opinion').set(changes).where('id', '=', id).execute();
}

/** Deletes a draft opinion and its evidence files. */
export async function deleteOpinion(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('opinion_evidence').where('opinion_id', '=', id).execute();
  await db.deleteFrom('opinion').where('id', '=', id).execute();
}

/** A unit's opinions in a round that are not withdrawn, oldest first (what a reply is built from). */
export async function listLiveOpinionsOfInvitation(
  db: Executor,
  invitationId: string,
): Promise<OpinionRow[]> {
  return db
    .selectFrom('opinion')
    .selectAll()
    .where('invitation_id', '=', invitationId)
    .where('status', 'in', ['draft', 'submitted'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** How many of an invitation's opinions already carry a registration number. */
export async function countRegistered(db: Executor, invitationId: string): Promise<number> {
  const row = await db
    .selectFrom('opinion')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('invitation_id', '=', invitationId)
    .where('reg_no', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * What a reader may see of a round's opinions: everything of their own unit, and of other units either
 * nothing, submitted ones, or submitted and withdrawn-after-submission ones (the organizer's view).
 */
export interface OpinionReadScope {
  ownUnitId: string | null;
  others: 'none' | 'submitted' | 'sent';
}

export interface OpinionFilters {
  clauseStableId?: string;
  unitId?: string;
  level?: UnitLevel;
  status?: OpinionStatus;
  kind?: OpinionKind;
  quality?: QualityFilter;
  /** Plan side only: `none` for opinions without a priority. */
  priority?: 'core' | 'secondary' | 'none';
  /** Plan side only. */
  dispositionStatus?: OpinionTable['disposition_status'];
  /** With (true) or without (false) a proposed text. */
  hasProposal?: boolean;
}

/**
 * Valid (有效) as the domain's quality check has it: score at or above the pass mark and not vague. Flags
 * are stored as a JSON array of fixed codes, so `"code"` occurs in the text exactly when the flag is set.
 */
function qualityCondition(eb: ExpressionBuilder<DB, 'opinion'>, filter: QualityFilter): Expression<SqlBool> {
  const vague = eb('quality_flags', 'like', '%"vague"%');
  if (filter === 'valid') {
    return eb.and([eb('quality_score', '>=', QUALITY_PASS_SCORE), eb.not(vague)]);
  }
  if (filter === 'invalid') {
    return eb.or([eb('quality_score', '<', QUALITY_PASS_SCORE), vague]);
  }
  return eb('quality_flags', 'like', `%"${filter}"%`);
}

/** The round's opinions visible in `scope` that match `filters` (shared by the page and its count). */
function selectVisibleOpinions(
  db: Executor,
  options: { roundId: string; scope: OpinionReadScope; filters: OpinionFilters },
) {
  const { scope, filters } = options;
  let query = db
    .selectFrom('opinion')
    .where('round_id', '=', options.roundId)
    .where((eb) => {
      const visible: Expression<SqlBool>[] = [];
      if (scope.ownUnitId) {
        visible.push(eb('unit_id', '=', scope.ownUnitId));
      }
      if (scope.others === 'submitted') {
        visible.push(eb('status', '=', 'submitted'));
      } else if (scope.others === 'sent') {
        visible.push(eb('submitted_at', 'is not', null));
      }
      return visible.length > 0 ? eb.or(visible) : eb.val(false);
    });
  if (filters.clauseStableId) {
    query = query.where('clause_stable_id', '=', filters.clauseStableId);
  }
  if (filters.unitId) {
    query = query.where('unit_id', '=', filters.unitId);
  }
  if (filters.level) {
    query = query.where('level', '=', filters.level);
  }
  if (filters.status) {
    query = query.where('status', '=', filters.status);
  }
  if (filters.kind) {
    query = query.where('kind', '=', filters.kind);
  }
  if (filters.quality) {
    const quality = filters.quality;
    query = query.where((eb) => qualityCondition(eb, quality));
  }
  if (filters.priority) {
    query =
      filters.priority === 'none'
        ? query.where('priority', 'is', null)
        : query.where('priority', '=', filters.priority);
  }
  if (filters.dispositionStatus) {
    query = query.where('disposition_status', '=', filters.dispositionStatus);
  }
  if (filters.hasProposal !== undefined) {
    query = query.where('proposed_text', filters.hasProposal ? 'is not' : 'is', null);
  }
  return query;
}

/** How many of the round's opinions are visible in `scope` and match `filters`. */
export async function countOpinions(
  db: Executor,
  options: { roundId: string; scope: OpinionReadScope; filters: OpinionFilters },
): Promise<number> {
  const row = await selectVisibleOpinions(db, options)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listOpinions(
  db: Executor,
  options: {
    roundId: string;
    scope: OpinionReadScope;
    filters: OpinionFilters;
    after: { createdAt: string; id: string } | null;
    limit: number;
  },
): Promise<OpinionRow[]> {
  const { after } = options;
  let query = selectVisibleOpinions(db, options).selectAll();
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '>', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)]),
      ]),
    );
  }
  return query.orderBy('created_at').orderBy('id').limit(options.limit).execute();
}

/** One clause's tally of the submitted opinions on it. */
export interface ClauseCountRecord {
  clauseStableId: string;
  total: number;
  blocking: number;
  proposals: number;
  flagged: number;
  /** Not yet carrying an approved disposition. */
  open: number;
}

/**
 * Per clause stable id, the submitted opinions (neither drafts nor withdrawn) of a plan's rounds, or of
 * one of them: how many, how many blocking, with a proposed text, with a quality flag, and still open.
 * Opinions on the whole draft are left out.
 */
export async function countOpinionsByClause(
  db: Executor,
  options: { planId: string; roundId?: string },
): Promise<ClauseCountRecord[]> {
  let query = db
    .selectFrom('opinion')
    .where('status', '=', 'submitted')
    .where('clause_stable_id', 'is not', null)
    .where('round_id', 'in', (eb) =>
      eb.selectFrom('round').select('round.id').where('round.plan_id', '=', options.planId),
    );
  if (options.roundId) {
    query = query.where('round_id', '=', options.roundId);
  }
  const tally = (eb: ExpressionBuilder<DB, 'opinion'>, condition: Expression<SqlBool>) =>
    eb.fn.sum<number | string>(eb.case().when(condition).then(1).else(0).end());
  const rows = await query
    .select((eb) => [
      'clause_stable_id',
      eb.fn.countAll<number | string>().as('total'),
      tally(eb, eb('blocking', '=', 1)).as('blocking'),
      tally(eb, eb.and([eb('proposed_text', 'is not', null), eb('proposed_text', '!=', '')])).as('proposals'),
      tally(eb, eb('quality_flags', '!=', '[]')).as('flagged'),
      tally(eb, eb('disposition_status', '!=', 'approved')).as('open'),
    ])
    .groupBy('clause_stable_id')
    .orderBy('clause_stable_id')
    .execute();
  return rows.map((row) => ({
    clauseStableId: row.clause_stable_id!,
    total: Number(row.total),
    blocking: Number(row.blocking),
    proposals: Number(row.proposals),
    flagged: Number(row.flagged),
    open: Number(row.open),
  }));
}

export async function insertEvidence(db: Executor, row: Insertable<OpinionEvidenceTable>): Promise<void> {
  await db.insertInto('opinion_evidence').values(row).execute();
}

const EVIDENCE_COLUMNS = [
  'id',
  'opinion_id',
  'file_name',
  'content_type',
  'size',
  'sha256',
  'created_at',
] as const;

function toEvidence(row: {
  id: string;
  opinion_id: string;
  file_name: string;
  content_type: string;
  size: number | string;
  sha256: string;
  created_at: string;
}): EvidenceRecord {
  return {
    id: row.id,
    opinionId: row.opinion_id,
    fileName: row.file_name,
    contentType: row.content_type,
    size: Number(row.size),
    sha256: row.sha256,
    createdAt: row.created_at,
  };
}

export async function listEvidence(db: Executor, opinionId: string): Promise<EvidenceRecord[]> {
  const rows = await db
    .selectFrom('opinion_evidence')
    .select(EVIDENCE_COLUMNS)
    .where('opinion_id', '=', opinionId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toEvidence);
}

export async function findEvidenceFile(
  db: Executor,
  opinionId: string,
  evidenceId: string,
): Promise<(EvidenceRecord & { data: Buffer }) | null> {
  const row = await db
    .selectFrom('opinion_evidence')
    .selectAll()
    .where('id', '=', evidenceId)
    .where('opinion_id', '=', opinionId)
    .executeTakeFirst();
  return row ? { ...toEvidence(row), data: Buffer.from(row.data) } : null;
}
