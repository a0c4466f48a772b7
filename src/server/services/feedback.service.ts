import type { DispositionBasis, DispositionCode } from '../../domain/disposition-rules.ts';
import {
  DISPOSITION_LABELS,
  isWithinWindow,
  nextObjectionRound,
  objectionDeadline,
  objectionOpenUntil,
  validateDisposition,
} from '../../domain/disposition-rules.ts';
import { AppError } from '../../domain/errors.ts';
import type { ObjectionState } from '../../domain/state-machines.ts';
import { canTransition, objectionMachine, roundMachine, transition } from '../../domain/state-machines.ts';
import type { Executor, Tx } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import type { FeedbackRating } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import {
  canAssess,
  canDecideObjection,
  canReadLetter,
  canRespondToLetter,
  canReviewObjection,
  canSeeAllFeedback,
} from '../policies/assessment.policy.ts';
import type { DispositionRecord, OpinionRow } from '../repositories/disposition.repository.ts';
import {
  findDisposition,
  findDispositionInStatus,
  mapApprovedDispositions,
} from '../repositories/disposition.repository.ts';
import type {
  LetterRecord,
  LetterRow,
  ObjectionRecord,
  ObjectionRow,
  ResponseRecord,
} from '../repositories/feedback.repository.ts';
import {
  findLetter,
  findLetterFor,
  findObjection,
  findResponse,
  insertLetter,
  insertObjection,
  insertResponse,
  listLetters,
  listOpinionObjections,
  listResponses,
  listRoundObjections,
  listRoundSubmittedOpinions,
  listUnitSubmittedOpinions,
  setRoundStatus,
  toLetter,
  toObjection,
  updateObjection,
} from '../repositories/feedback.repository.ts';
import { findOpinionRow } from '../repositories/opinion.repository.ts';
import { isUnitInvited } from '../repositories/round.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';
import type { RoundContext } from './disposition.service.ts';
import {
  applyApproval,
  insertProposal,
  loadOpinionContext,
  loadRoundContext,
} from './disposition.service.ts';
import { notify } from './notification.service.ts';

export interface LetterItem {
  opinion: {
    id: string;
    regNo: string | null;
    clauseStableId: string | null;
    suggestion: string;
    reasons: string | null;
    proposedText: string | null;
  };
  disposition: {
    id: string;
    code: DispositionCode;
    label: string;
    reason: string | null;
    basis: DispositionBasis | null;
  } | null;
  responses: ResponseRecord[];
  objections: ObjectionRecord[];
  /** Until when the unit may object to this item; null when it may not (bound reached or item under review). */
  objectionOpenUntil: string | null;
}

export interface LetterView extends LetterRecord {
  items: LetterItem[];
}

export interface NewDispositionBody {
  code: DispositionCode;
  reason?: string | null;
  basis?: DispositionBasis | null;
}

const UNDER_REVIEW: readonly ObjectionState[] = ['open', 'escalated'];

/** Until when an opinion may still be objected to, or null when it may not. */
function openUntil(options: {
  letter: LetterRow;
  objections: ObjectionRow[];
  windowDays: number;
  maxRounds: number;
}): string | null {
  const { letter, objections } = options;
  const last = objections.at(-1);
  if (
    !letter.objection_deadline ||
    (last && UNDER_REVIEW.includes(last.status)) ||
    last?.status === 'dissent_recorded' ||
    !nextObjectionRound(objections.length, options.maxRounds).allowed
  ) {
    return null;
  }
  return objectionOpenUntil({
    letterDeadline: letter.objection_deadline,
    lastReviewedAt: last?.reviewed_at ?? null,
    windowDays: options.windowDays,
  });
}

export class FeedbackService {
  constructor(private readonly ctx: ServiceContext) {}

  // ---- letters ----------------------------------------------------------------------------------------

  /**
   * Creates and sends one letter per unit with opinions, once every submitted opinion has an approved
   * disposition, and moves the round to feedback.
   */
  async sendFeedback(actor: Actor, roundId: string): Promise<LetterRecord[]> {
    await inTransaction(this.ctx.database, async (tx) => {
      const { round, scope } = await loadRoundContext(tx, roundId);
      if (!canAssess(actor, scope)) {
        throw new AppError('forbidden', "Only the plan's organizers send feedback.");
      }
      const next = transition(roundMachine, round.status, 'send_feedback');
      const opinions = await listRoundSubmittedOpinions(tx, roundId);
      const undisposed = opinions.filter((o) => o.disposition_status !== 'approved').map((o) => o.id);
      if (undisposed.length > 0) {
        throw new AppError(
          'conflict',
          `${undisposed.length} submitted opinion(s) have no approved disposition yet.`,
          { field: 'opinionIds', opinionIds: undisposed },
        );
      }
      const at = this.ctx.now().toISOString();
      const deadline = objectionDeadline(at, round.objection_window_days);
      const units = [...new Set(opinions.map((o) => o.unit_id).filter((u): u is string => u !== null))];
      for (const unitId of units) {
        if (await findLetterFor(tx, roundId, unitId)) {
          throw new AppError('conflict', 'Feedback was already sent to this unit.', {
            field: 'roundId',
            unitId,
          });
        }
        const id = newId();
        await insertLetter(tx, {
          id,
          round_id: roundId,
          unit_id: unitId,
          status: 'sent',
          sent_by: actor.userId,
          sent_at: at,
          objection_deadline: deadline,
          created_at: at,
        });
        await this.ctx.ledger.append(tx, {
          actor: actorRef(actor),
          entity: 'feedback_letter',
          id,
          event: 'feedback.sent',
          payload: {
            roundId,
            unitId,
            objectionDeadline: deadline,
            opinionIds: opinions.filter((o) => o.unit_id === unitId).map((o) => o.id),
          },
        });
        await notify(tx, this.ctx, {
          unitIds: [unitId],
          kind: 'feedback_received',
          subject: {
            zh: `意见采纳情况反馈：${round.title}`,
            en: `Feedback on your comments: ${round.title}`,
          },
          body: {
            zh: `如有异议，请于 ${deadline.slice(0, 10)} 前提出。`,
            en: `Raise any objection by ${deadline.slice(0, 10)}.`,
          },
          link: `/feedback/${id}`,
          entity: { kind: 'feedback_letter', id },
          dedupeKey: `feedback.sent:${id}`,
        });
      }
      await setRoundStatus(tx, roundId, next, at);
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'round',
        id: roundId,
        event: 'round.feedback_sent',
        payload: { before: round.status, after: next, letters: units.length },
      });
    });
    return listLetters(this.ctx.database.db, roundId, null);
  }

  /** The plan's people see every letter of the round; an invited unit sees its own. */
  async listLetters(actor: Actor, roundId: string): Promise<LetterRecord[]> {
    const db = this.ctx.database.db;
    const { scope } = await loadRoundContext(db, roundId);
    if (canSeeAllFeedback(actor, scope)) {
      return listLetters(db, roundId, null);
    }
    if (actor.unitId && (await isUnitInvited(db, roundId, actor.unitId))) {
      return listLetters(db, roundId, actor.unitId);
    }
    throw new AppError('forbidden', 'Only the plan’s people and the invited units see feedback letters.');
  }

  async getLetter(actor: Actor, letterId: string): Promise<LetterView> {
    const db = this.ctx.database.db;
    const letter = await findLetter(db, letterId);
    if (!letter) {
      throw new AppError('not_found', 'No such feedback letter.', { field: 'letterId' });
    }
    const { round, scope } = await loadRoundContext(db, letter.round_id);
    if (!canReadLetter(actor, scope, letter.unit_id)) {
      throw new AppError('forbidden', 'This letter is for another unit.');
    }
    const opinions = await listUnitSubmittedOpinions(db, letter.round_id, letter.unit_id);
    const approved = await mapApprovedDispositions(
      db,
      opinions.map((o) => o.id),
    );
    const responses = await listResponses(db, letter.id);
    const items: LetterItem[] = [];
    for (const opinion of opinions) {
      const disposition = approved.get(opinion.id);
      const objections = await listOpinionObjections(db, opinion.id);
      items.push({
        opinion: {
          id: opinion.id,
          regNo: opinion.reg_no,
          clauseStableId: opinion.clause_stable_id,
          suggestion: opinion.suggestion,
          reasons: opinion.reasons,
          proposedText: opinion.proposed_text,
        },
        disposition: disposition ? presentDisposition(disposition) : null,
        responses: responses.filter((r) => r.opinionId === opinion.id),
        objections: objections.map(toObjection),
        objectionOpenUntil: openUntil({
          letter,
          objections,
          windowDays: round.objection_window_days,
          maxRounds: round.max_objection_rounds,
        }),
      });
    }
    return { ...toLetter(letter), items };
  }

  // ---- responses and objections -----------------------------------------------------------------------

  /**
   * A unit confirms, rates or objects to one item of its letter. Objections close at the deadline and are
   * bounded per opinion; the one past the bound is refused and the item ends as dissent recorded.
   */
  async respond(
    actor: Actor,
    letterId: string,
    input: {
      opinionId: string;
      response: 'confirmed' | 'rated' | 'objected';
      rating?: FeedbackRating | null;
      reasons?: string | null;
      evidence?: string[];
    },
  ): Promise<{ response: ResponseRecord; objection: ObjectionRecord | null }> {
    const outcome = await inTransaction(this.ctx.database, async (tx) => {
      const letter = await findLetter(tx, letterId);
      if (!letter) {
        throw new AppError('not_found', 'No such feedback letter.', { field: 'letterId' });
      }
      const { round } = await loadRoundContext(tx, letter.round_id);
      if (!canRespondToLetter(actor, letter.unit_id)) {
        throw new AppError('forbidden', "Only the unit's liaison or head answers its feedback letter.");
      }
      if (letter.status !== 'sent' || round.status !== 'feedback') {
        throw new AppError('conflict', 'This letter is not open for responses.', {
          field: 'status',
          state: round.status,
        });
      }
      const opinion = await findOpinionRow(tx, input.opinionId);
      if (
        !opinion ||
        opinion.round_id !== letter.round_id ||
        opinion.unit_id !== letter.unit_id ||
        opinion.status !== 'submitted'
      ) {
        throw new AppError('validation_failed', 'That opinion is not in this letter.', {
          field: 'opinionId',
        });
      }
      const disposition = await findDispositionInStatus(tx, opinion.id, 'approved');
      if (!disposition) {
        throw new AppError('conflict', 'That opinion has no approved disposition to respond to.', {
          field: 'opinionId',
        });
      }
      const objections = await listOpinionObjections(tx, opinion.id);
      const last = objections.at(-1);
      if (last && UNDER_REVIEW.includes(last.status)) {
        throw new AppError('conflict', 'An objection on this opinion is under review.', {
          field: 'opinionId',
          objectionId: last.id,
        });
      }
      if (input.response === 'rated' && !input.rating) {
        throw new AppError(
          'validation_failed',
          'A rating is required (satisfied, basically_satisfied, unsatisfied).',
          {
            field: 'rating',
          },
        );
      }
      const at = this.ctx.now().toISOString();
      let objectionId: string | null = null;
      if (input.response === 'objected') {
        const reasons = input.reasons?.trim();
        if (!reasons) {
          throw new AppError('validation_failed', 'An objection needs its reasons.', { field: 'reasons' });
        }
        if (last?.status === 'dissent_recorded') {
          throw new AppError('conflict', 'The dissent on this opinion is already recorded (仍有分歧).', {
            field: 'response',
            rule: 'objection_bound',
          });
        }
        const until = objectionOpenUntil({
          letterDeadline: letter.objection_deadline ?? at,
          lastReviewedAt: last?.reviewed_at ?? null,
          windowDays: round.objection_window_days,
        });
        if (!isWithinWindow(this.ctx.now(), until)) {
          throw new AppError('conflict', `The objection window closed at ${until}.`, {
            field: 'response',
            rule: 'objection_window',
            deadline: until,
          });
        }
        const bound = nextObjectionRound(objections.length, round.max_objection_rounds);
        if (!bound.allowed) {
          return { refused: await this.recordDissent(tx, { actor, opinion, last, at }) } as const;
        }
        objectionId = newId();
        await insertObjection(tx, {
          id: objectionId,
          opinion_id: opinion.id,
          disposition_id: disposition.id,
          round_no: bound.roundNo,
          reasons,
          evidence: JSON.stringify(input.evidence ?? []),
          status: 'open',
          raised_by: actor.userId,
          raised_at: at,
          reviewer_id: null,
          reviewed_at: null,
          review_note: null,
        });
        await this.ctx.ledger.append(tx, {
          actor: actorRef(actor),
          entity: 'objection',
          id: objectionId,
          event: 'objection.raised',
          payload: {
            opinionId: opinion.id,
            dispositionId: disposition.id,
            roundNo: bound.roundNo,
            reasons,
            evidence: input.evidence ?? [],
          },
        });
        await notify(tx, this.ctx, {
          userIds: [disposition.decided_by, round.created_by].filter((u): u is string => u !== null),
          kind: 'objection_received',
          subject: { zh: `收到异议：${round.title}`, en: `Objection received: ${round.title}` },
          body: { zh: reasons, en: reasons },
          link: `/rounds/${round.id}/objections/${objectionId}`,
          entity: { kind: 'objection', id: objectionId },
          dedupeKey: `objection.raised:${objectionId}`,
        });
      }
      const responseId = newId();
      await insertResponse(tx, {
        id: responseId,
        letter_id: letter.id,
        opinion_id: opinion.id,
        response: input.response,
        rating: input.rating ?? null,
        responded_by: actor.userId,
        responded_at: at,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'feedback_letter',
        id: letter.id,
        event: 'feedback.responded',
        payload: {
          opinionId: opinion.id,
          dispositionId: disposition.id,
          response: input.response,
          rating: input.rating ?? null,
          objectionId,
        },
      });
      return { responseId, objectionId } as const;
    });
    if ('refused' in outcome) {
      throw new AppError(
        'conflict',
        'The bound on objection rounds is reached; the item ends as dissent recorded (仍有分歧).',
        { field: 'response', rule: 'objection_bound', ...outcome.refused },
      );
    }
    const db = this.ctx.database.db;
    const response = (await findResponse(db, outcome.responseId))!;
    const objection = outcome.objectionId ? await findObjection(db, outcome.objectionId) : undefined;
    return { response, objection: objection ? toObjection(objection) : null };
  }

  /** Past the bound: the last objection's item ends as dissent recorded, where its state allows. */
  private async recordDissent(
    tx: Tx,
    options: { actor: Actor; opinion: OpinionRow; last: ObjectionRow | undefined; at: string },
  ): Promise<{ objectionId: string | null; status: ObjectionState | null }> {
    const { last } = options;
    if (!last || !canTransition(objectionMachine, last.status, 'record_dissent')) {
      return { objectionId: last?.id ?? null, status: last?.status ?? null };
    }
    const status = transition(objectionMachine, last.status, 'record_dissent');
    await updateObjection(tx, last.id, { status });
    await this.ctx.ledger.append(tx, {
      actor: actorRef(options.actor),
      entity: 'objection',
      id: last.id,
      event: 'objection.dissent_recorded',
      payload: {
        opinionId: options.opinion.id,
        before: last.status,
        after: status,
        reason: 'objection_bound',
      },
    });
    return { objectionId: last.id, status };
  }

  // ---- review (复核) and decision ----------------------------------------------------------------------

  async reviewObjection(
    actor: Actor,
    objectionId: string,
    input: { outcome: 'uphold' | 'change' | 'escalate'; note: string; newDisposition?: NewDispositionBody },
  ): Promise<ObjectionRecord> {
    return this.resolveObjection(actor, objectionId, { ...input, stage: 'review' });
  }

  async decideObjection(
    actor: Actor,
    objectionId: string,
    input: {
      outcome: 'uphold' | 'change' | 'record_dissent';
      note: string;
      newDisposition?: NewDispositionBody;
    },
  ): Promise<ObjectionRecord> {
    return this.resolveObjection(actor, objectionId, { ...input, stage: 'decision' });
  }

  private async resolveObjection(
    actor: Actor,
    objectionId: string,
    input: {
      stage: 'review' | 'decision';
      outcome: 'uphold' | 'change' | 'escalate' | 'record_dissent';
      note: string;
      newDisposition?: NewDispositionBody | undefined;
    },
  ): Promise<ObjectionRecord> {
    await inTransaction(this.ctx.database, async (tx) => {
      const objection = await findObjection(tx, objectionId);
      if (!objection) {
        throw new AppError('not_found', 'No such objection.', { field: 'objectionId' });
      }
      const context = await loadOpinionContext(tx, objection.opinion_id);
      const { round, scope, opinion } = context;
      if (input.stage === 'review' ? !canReviewObjection(actor, scope) : !canDecideObjection(actor, scope)) {
        throw new AppError(
          'forbidden',
          input.stage === 'review'
            ? "Only the plan's organizers and leaders review objections."
            : 'Only a leader over the plan decides escalated objections.',
        );
      }
      const disputed = await findDisposition(tx, objection.disposition_id);
      if (disputed?.decided_by && disputed.decided_by === actor.userId) {
        throw new AppError(
          'forbidden',
          'Independent review: the user who approved the disputed disposition may not review the objection (复核回避).',
          { field: 'reviewer', rule: 'independent_review' },
        );
      }
      const expected: ObjectionState = input.stage === 'review' ? 'open' : 'escalated';
      if (objection.status !== expected) {
        throw new AppError(
          'conflict',
          `This objection is ${objection.status.replaceAll('_', ' ')}, not ${expected}.`,
          {
            field: 'status',
            state: objection.status,
          },
        );
      }
      if (round.status !== 'feedback') {
        throw new AppError('conflict', 'Objections are reviewed while the round is in feedback.', {
          field: 'status',
          state: round.status,
        });
      }
      const note = input.note.trim();
      if (!note) {
        throw new AppError('validation_failed', 'A review needs a note.', { field: 'note' });
      }
      const status = transition(objectionMachine, objection.status, input.outcome);
      const at = this.ctx.now().toISOString();
      const newDispositionId =
        input.outcome === 'change'
          ? await this.changeDisposition(tx, { actor, context, objection, input, at })
          : null;
      await updateObjection(tx, objection.id, {
        status,
        reviewer_id: actor.userId,
        reviewed_at: at,
        review_note: note,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'objection',
        id: objection.id,
        event: input.stage === 'review' ? 'objection.reviewed' : 'objection.decided',
        payload: {
          opinionId: opinion.id,
          outcome: input.outcome,
          before: objection.status,
          after: status,
          note,
          newDispositionId,
        },
      });
      if (status !== 'escalated') {
        await this.tellObjector(tx, {
          objection,
          round,
          unitId: opinion.unit_id,
          status,
          note,
          newCode: input.outcome === 'change' ? (input.newDisposition?.code ?? null) : null,
        });
      }
    });
    return toObjection((await findObjection(this.ctx.database.db, objectionId))!);
  }

  /**
   * 复核完成: the objecting unit hears the outcome — the person who objected, and the unit's liaisons and
   * head (and its group robots). An escalated objection is not done yet: its people hear of the decision.
   */
  private async tellObjector(
    tx: Tx,
    options: {
      objection: ObjectionRow;
      round: RoundContext['round'];
      unitId: string | null;
      status: ObjectionState;
      note: string;
      newCode: DispositionCode | null;
    },
  ): Promise<void> {
    const { objection, round, unitId, status, note, newCode } = options;
    const letter = unitId ? await findLetterFor(tx, round.id, unitId) : undefined;
    const outcome =
      status === 'changed'
        ? {
            zh: `处理意见已改为“${newCode ? DISPOSITION_LABELS[newCode] : '新处理意见'}”`,
            en: `the disposition was changed${newCode ? ` to ${newCode.replaceAll('_', ' ')}` : ''}`,
          }
        : status === 'upheld'
          ? { zh: '维持原处理意见', en: 'the disposition stands' }
          : {
              zh: '仍有分歧，已记录在案并将在征求意见情况说明中列明',
              en: 'the dissent is recorded (仍有分歧) and will be listed in the consultation report',
            };
    await notify(tx, this.ctx, {
      userIds: objection.raised_by ? [objection.raised_by] : [],
      unitIds: unitId ? [unitId] : [],
      kind: 'review_done',
      subject: { zh: `异议复核结果：${round.title}`, en: `Your objection was reviewed: ${round.title}` },
      body: {
        zh: `复核结论：${outcome.zh}。\n复核意见：${note}`,
        en: `Outcome: ${outcome.en}.\nReview note: ${note}`,
      },
      link: letter ? `/feedback/${letter.id}` : `/rounds/${round.id}`,
      entity: { kind: 'objection', id: objection.id },
      dedupeKey: `objection.done:${objection.id}:${status}`,
    });
  }

  /** A changed outcome: a new disposition answering the objection, approved at once, superseding the old. */
  private async changeDisposition(
    tx: Tx,
    options: {
      actor: Actor;
      context: RoundContext & { opinion: OpinionRow };
      objection: ObjectionRow;
      input: { newDisposition?: NewDispositionBody | undefined };
      at: string;
    },
  ): Promise<string> {
    const { actor, context, objection, at } = options;
    const body = options.input.newDisposition;
    if (!body) {
      throw new AppError('validation_failed', 'A changed outcome needs the new disposition.', {
        field: 'newDisposition',
      });
    }
    const valid = validateDisposition(body, 'newDisposition.');
    const id = await insertProposal(tx, {
      opinionId: context.opinion.id,
      disposition: valid,
      objectionId: objection.id,
      actor,
      at,
      ledger: this.ctx.ledger,
      extra: { objectionId: objection.id },
    });
    await applyApproval(tx, {
      disposition: (await findDisposition(tx, id))!,
      opinion: context.opinion,
      planId: context.round.plan_id,
      actor,
      at,
      ledger: this.ctx.ledger,
    });
    return id;
  }

  /** The plan's people see every objection of the round; an invited unit sees its own. */
  async listObjections(
    actor: Actor,
    roundId: string,
  ): Promise<(ObjectionRecord & { unitId: string | null })[]> {
    const db: Executor = this.ctx.database.db;
    const { scope } = await loadRoundContext(db, roundId);
    if (canSeeAllFeedback(actor, scope)) {
      return listRoundObjections(db, roundId, null);
    }
    if (actor.unitId && (await isUnitInvited(db, roundId, actor.unitId))) {
      return listRoundObjections(db, roundId, actor.unitId);
    }
    throw new AppError('forbidden', 'Only the plan’s people and the invited units see objections.');
  }
}

const presentDisposition = (d: DispositionRecord): NonNullable<LetterItem['disposition']> => ({
  id: d.id,
  code: d.code,
  label: DISPOSITION_LABELS[d.code],
  reason: d.reason,
  basis: d.basis,
});
