import type { Database } from '../src/server/db/database.ts';
import type {
  DispositionBasis,
  DispositionCode,
  FeedbackRating,
  ObjectionStatus,
  ReplyPosition,
} from '../src/server/db/schema.ts';
import { newId } from '../src/server/lib/ids.ts';
import type { InvitedUnit, TestRound } from './consultation-factories.ts';

/*
 * The later states of a consultation inserted directly — sent replies, approved dispositions, feedback and
 * objections — for tests of revision, exports and metrics, which only read them.
 */

const stamp = (): string => new Date().toISOString();

/** A sent unit reply (version 1 unless given). */
export async function createReply(
  database: Database,
  invited: InvitedUnit,
  options: { position?: ReplyPosition; late?: boolean; sentAt?: string; version?: number } = {},
): Promise<string> {
  const id = newId();
  await database.db
    .insertInto('unit_reply')
    .values({
      id,
      invitation_id: invited.invitationId,
      version: options.version ?? 1,
      number: `R-${id.slice(0, 6)}-v${options.version ?? 1}`,
      position: options.position ?? 'agree_with_amendments',
      summary: null,
      opinion_ids: '[]',
      snapshot: '[]',
      signed_off_by: invited.head.id,
      signed_off_at: options.sentAt ?? stamp(),
      sent_by: invited.liaison.id,
      sent_at: options.sentAt ?? stamp(),
      late: options.late ? 1 : 0,
      ledger_seq: 1,
      ledger_hash: 'test',
    })
    .execute();
  await database.db
    .updateTable('round_invitation')
    .set({ status: 'sent', reply_version: options.version ?? 1, late: options.late ? 1 : 0 })
    .where('id', '=', invited.invitationId)
    .execute();
  return id;
}

/** A disposition, approved by default (proposed by the organizer, approved by the leader). */
export async function createDisposition(
  database: Database,
  round: TestRound,
  opinionId: string,
  options: {
    code?: DispositionCode;
    reason?: string | null;
    basis?: DispositionBasis | null;
    status?: 'proposed' | 'approved';
    decidedAt?: string;
  } = {},
): Promise<string> {
  const id = newId();
  const status = options.status ?? 'approved';
  const code = options.code ?? 'adopted';
  await database.db
    .insertInto('disposition')
    .values({
      id,
      opinion_id: opinionId,
      code,
      reason:
        options.reason === undefined
          ? code === 'adopted'
            ? null
            : '与国家有关规定不一致。'
          : options.reason,
      basis: options.basis === undefined ? (code === 'adopted' ? null : 'law_policy') : options.basis,
      status,
      proposed_by: round.organizer.id,
      proposed_at: stamp(),
      decided_by: status === 'approved' ? round.leader.id : null,
      decided_at: status === 'approved' ? (options.decidedAt ?? stamp()) : null,
      objection_id: null,
      created_at: stamp(),
    })
    .execute();
  await database.db
    .updateTable('opinion')
    .set({ disposition_status: status })
    .where('id', '=', opinionId)
    .execute();
  return id;
}

async function letterFor(database: Database, round: TestRound, invited: InvitedUnit): Promise<string> {
  const existing = await database.db
    .selectFrom('feedback_letter')
    .select('id')
    .where('round_id', '=', round.roundId)
    .where('unit_id', '=', invited.unit.id)
    .executeTakeFirst();
  if (existing) {
    return existing.id;
  }
  const id = newId();
  await database.db
    .insertInto('feedback_letter')
    .values({
      id,
      round_id: round.roundId,
      unit_id: invited.unit.id,
      status: 'sent',
      sent_by: round.organizer.id,
      sent_at: stamp(),
      objection_deadline: new Date(Date.now() + 5 * 86400_000).toISOString(),
      created_at: stamp(),
    })
    .execute();
  return id;
}

/** A unit's response to one opinion in its feedback letter: a rating, or an objection marker. */
export async function createFeedbackResponse(
  database: Database,
  round: TestRound,
  invited: InvitedUnit,
  opinionId: string,
  rating: FeedbackRating | null,
): Promise<string> {
  const id = newId();
  await database.db
    .insertInto('feedback_response')
    .values({
      id,
      letter_id: await letterFor(database, round, invited),
      opinion_id: opinionId,
      response: rating ? 'rated' : 'confirmed',
      rating,
      responded_by: invited.liaison.id,
      responded_at: stamp(),
    })
    .execute();
  return id;
}

/** An objection to an opinion's disposition, in any state. */
export async function createObjection(
  database: Database,
  invited: InvitedUnit,
  opinionId: string,
  dispositionId: string,
  options: { status?: ObjectionStatus; roundNo?: number; reasons?: string; reviewNote?: string | null } = {},
): Promise<string> {
  const id = newId();
  const status = options.status ?? 'open';
  await database.db
    .insertInto('objection')
    .values({
      id,
      opinion_id: opinionId,
      disposition_id: dispositionId,
      round_no: options.roundNo ?? 1,
      reasons: options.reasons ?? '处理理由不充分，我单位掌握的数据表明目标可以实现。',
      evidence: '[]',
      status,
      raised_by: invited.liaison.id,
      raised_at: stamp(),
      reviewer_id: null,
      reviewed_at: status === 'open' ? null : stamp(),
      review_note: options.reviewNote ?? null,
    })
    .execute();
  return id;
}

/** Marks the round closed at the given instants. */
export async function closeRound(
  database: Database,
  round: TestRound,
  times: { openedAt: string; closedAt: string },
): Promise<void> {
  await database.db
    .updateTable('round')
    .set({ status: 'assessing', opened_at: times.openedAt, closed_at: times.closedAt })
    .where('id', '=', round.roundId)
    .execute();
}

/** Sets an opinion's quality flags (as the quality check would). */
export async function flagOpinion(database: Database, opinionId: string, flags: string[]): Promise<void> {
  await database.db
    .updateTable('opinion')
    .set({ quality_flags: JSON.stringify(flags) })
    .where('id', '=', opinionId)
    .execute();
}
