import type { Executor } from '../db/executor.ts';
import type {
  DispositionBasis,
  DispositionCode,
  LedgerEventRow,
  OpinionKind,
  OpinionStatus,
  UnitLevel,
} from '../db/schema.ts';

export interface OpinionExportRow {
  id: string;
  regNo: string | null;
  unitId: string | null;
  unitName: string | null;
  level: UnitLevel | null;
  clauseNumber: string | null;
  clausePath: string | null;
  suggestion: string;
  reasons: string | null;
  proposedText: string | null;
  kind: OpinionKind;
  status: OpinionStatus;
  dispositionCode: DispositionCode | null;
  dispositionReason: string | null;
  dispositionBasis: DispositionBasis | null;
}

/**
 * The round's opinions as sent (drafts stay private to their unit), with the approved disposition if
 * any, in registration order; `unitId` narrows to one unit.
 */
export async function listOpinionsForExport(
  db: Executor,
  roundId: string,
  unitId?: string,
): Promise<OpinionExportRow[]> {
  let query = db
    .selectFrom('opinion as o')
    .leftJoin('unit as u', 'u.id', 'o.unit_id')
    .leftJoin('clause as c', 'c.id', 'o.clause_id')
    .leftJoin('disposition as d', (join) =>
      join.onRef('d.opinion_id', '=', 'o.id').on('d.status', '=', 'approved'),
    )
    .select([
      'o.id',
      'o.reg_no',
      'o.unit_id',
      'u.name as unit_name',
      'o.level',
      'c.number as clause_number',
      'c.path as clause_path',
      'o.suggestion',
      'o.reasons',
      'o.proposed_text',
      'o.kind',
      'o.status',
      'd.code',
      'd.reason',
      'd.basis',
    ])
    .where('o.round_id', '=', roundId)
    .where('o.status', '!=', 'draft');
  if (unitId) {
    query = query.where('o.unit_id', '=', unitId);
  }
  const rows = await query.orderBy('o.reg_no').orderBy('o.id').execute();
  return rows.map((r) => ({
    id: r.id,
    regNo: r.reg_no,
    unitId: r.unit_id,
    unitName: r.unit_name,
    level: r.level,
    clauseNumber: r.clause_number,
    clausePath: r.clause_path,
    suggestion: r.suggestion,
    reasons: r.reasons,
    proposedText: r.proposed_text,
    kind: r.kind,
    status: r.status,
    dispositionCode: r.code,
    dispositionReason: r.reason,
    dispositionBasis: r.basis,
  }));
}

/** Opinions by id with their unit, for the 修改对照表's "依据意见" column. */
export async function listOpinionLabels(
  db: Executor,
  ids: readonly string[],
): Promise<{ id: string; regNo: string | null; unitName: string | null }[]> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await db
    .selectFrom('opinion as o')
    .leftJoin('unit as u', 'u.id', 'o.unit_id')
    .select(['o.id', 'o.reg_no', 'u.name'])
    .where('o.id', 'in', [...ids])
    .execute();
  return rows.map((r) => ({ id: r.id, regNo: r.reg_no, unitName: r.name }));
}

/** Approved dispositions of the round per code. */
export async function countDispositionsByCode(
  db: Executor,
  roundId: string,
): Promise<{ code: DispositionCode; n: number }[]> {
  const rows = await db
    .selectFrom('disposition as d')
    .innerJoin('opinion as o', 'o.id', 'd.opinion_id')
    .select((eb) => ['d.code', eb.fn.countAll().as('n')])
    .where('o.round_id', '=', roundId)
    .where('o.status', '=', 'submitted')
    .where('d.status', '=', 'approved')
    .groupBy('d.code')
    .execute();
  return rows.map((r) => ({ code: r.code, n: Number(r.n) }));
}

export interface DissentRow {
  objectionId: string;
  regNo: string | null;
  unitName: string | null;
  clauseNumber: string | null;
  suggestion: string;
  dispositionCode: DispositionCode;
  dispositionReason: string | null;
  objectionReasons: string;
  reviewNote: string | null;
}

/** Objections that ended as dissent recorded (仍有分歧), for the consultation report. */
export async function listDissent(db: Executor, roundId: string): Promise<DissentRow[]> {
  const rows = await db
    .selectFrom('objection as ob')
    .innerJoin('opinion as o', 'o.id', 'ob.opinion_id')
    .innerJoin('disposition as d', 'd.id', 'ob.disposition_id')
    .leftJoin('unit as u', 'u.id', 'o.unit_id')
    .leftJoin('clause as c', 'c.id', 'o.clause_id')
    .select([
      'ob.id',
      'o.reg_no',
      'u.name',
      'c.number',
      'o.suggestion',
      'd.code',
      'd.reason',
      'ob.reasons',
      'ob.review_note',
    ])
    .where('o.round_id', '=', roundId)
    .where('ob.status', '=', 'dissent_recorded')
    .orderBy('o.reg_no')
    .orderBy('ob.round_no')
    .execute();
  return rows.map((r) => ({
    objectionId: r.id,
    regNo: r.reg_no,
    unitName: r.name,
    clauseNumber: r.number,
    suggestion: r.suggestion,
    dispositionCode: r.code,
    dispositionReason: r.reason,
    objectionReasons: r.reasons,
    reviewNote: r.review_note,
  }));
}

/**
 * Ledger events about the round and everything in it (invitations, replies, opinions, dispositions,
 * feedback, objections, the revision of its version), in chain order, one page at a time.
 */
export async function listRoundLedgerEvents(
  db: Executor,
  round: { id: string; planId: string; versionId: string },
  page: { afterSeq: number; limit: number },
): Promise<LedgerEventRow[]> {
  return db
    .selectFrom('ledger_event')
    .selectAll()
    .where('seq', '>', page.afterSeq)
    .where((eb) => {
      // Ids of the rows of `table` that belong to the round, directly or through their opinion.
      const ofRound = (table: 'round_invitation' | 'opinion' | 'feedback_letter') =>
        eb('entity_id', 'in', eb.selectFrom(table).select('id').where('round_id', '=', round.id));
      const ofOpinion = (table: 'disposition' | 'objection') =>
        eb(
          'entity_id',
          'in',
          eb
            .selectFrom(table)
            .innerJoin('opinion', 'opinion.id', `${table}.opinion_id`)
            .select(`${table}.id`)
            .where('opinion.round_id', '=', round.id),
        );
      return eb.or([
        eb('entity_id', 'in', [round.id, round.versionId]),
        ofRound('round_invitation'),
        eb(
          'entity_id',
          'in',
          eb
            .selectFrom('unit_reply')
            .innerJoin('round_invitation', 'round_invitation.id', 'unit_reply.invitation_id')
            .select('unit_reply.id')
            .where('round_invitation.round_id', '=', round.id),
        ),
        ofRound('opinion'),
        ofOpinion('disposition'),
        ofOpinion('objection'),
        ofRound('feedback_letter'),
        eb(
          'entity_id',
          'in',
          eb
            .selectFrom('feedback_response')
            .innerJoin('feedback_letter', 'feedback_letter.id', 'feedback_response.letter_id')
            .select('feedback_response.id')
            .where('feedback_letter.round_id', '=', round.id),
        ),
        eb(
          'entity_id',
          'in',
          eb.selectFrom('revision').select('id').where('base_version_id', '=', round.versionId),
        ),
      ]);
    })
    .orderBy('seq')
    .limit(page.limit)
    .execute();
}
