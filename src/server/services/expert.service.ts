import { conflictMachine } from '../../domain/conflict-rules.ts';
import { AppError } from '../../domain/errors.ts';
import { canTransition, transition } from '../../domain/state-machines.ts';
import { meanOf, summarizeDurations } from '../../domain/metrics.ts';
import type { Executor } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import type { RoundStatus } from '../db/schema.ts';
import type { ExpertAssignmentStatus } from '../db/tables/expert.ts';
import { newId } from '../lib/ids.ts';
import type { ExpertStanding } from '../policies/expert.policy.ts';
import {
  canAnswer,
  canEditExpertProfile,
  canManageConsultation,
  canOverseeConsultation,
  canReadConsultationAsExpert,
  canReadRoster,
  isExpert,
  othersAnswersVisible,
} from '../policies/expert.policy.ts';
import type { PlanScope } from '../policies/plan.policy.ts';
import { updateConflict } from '../repositories/conflict.repository.ts';
import type {
  AnswerRecord,
  AssignmentRecord,
  ConsultationRecord,
  ConsultationRow,
  ConsultedConflict,
  ConsultedOpinion,
  ExpertRecord,
} from '../repositories/expert.repository.ts';
import {
  completeExpertMethod,
  countAnswers,
  countAssignmentsByStatus,
  findAnswer,
  findAssignment,
  findConsultationRow,
  findConsultedConflict,
  findExpert,
  findExperts,
  insertAnswer,
  insertAssignments,
  insertConsultation,
  insertExpertMethod,
  listAnswers,
  listAssignments,
  listConsultedOpinions,
  listExpertInbox,
  listExperts,
  listRoundConsultations,
  toConsultation,
  updateAssignment,
  updateConsultation,
  upsertExpertProfile,
} from '../repositories/expert.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';
import { loadRoundContext } from './disposition.service.ts';
import { notify } from './notification.service.ts';

/*
 * Expert consultation (专家咨询): organizers send a conflict or chosen opinions with questions to experts
 * picked from the roster; each expert answers alone and signs; the answers are compared side by side once
 * enough have come in. Independence is enforced here, on every read: an expert sees no other expert's
 * answer before sending their own.
 */

/** Fields of expertise offered by the roster; profiles may name others in the same form. */
export const EXPERT_FIELDS = [
  'technology',
  'economy',
  'management',
  'law',
  'environment',
  'planning',
  'finance',
  'society',
] as const;

const FIELD_PATTERN = /^[a-z][a-z0-9_-]{1,39}$/;

/** Consultations are held on a round whose opinions exist: from its opening on. */
const CONSULTABLE: readonly RoundStatus[] = ['open', 'closed', 'assessing', 'feedback'];

export interface ProfileInput {
  fields: string[];
  title?: string | null;
  organisation?: string | null;
  bio?: string | null;
}

export interface NewConsultationInput {
  title: string;
  questions: string[];
  expertIds?: string[];
  /** Picks every active expert of these fields, or, with `expertIds`, requires each one to hold one of them. */
  fields?: string[];
  conflictId?: string | null;
  opinionIds?: string[];
  minAnswers?: number;
  deadline?: string | null;
  revealAfterAnswer?: boolean;
}

export interface AnswerInput {
  recommendation: string;
  feasibility: number;
  reasons: string;
  answers: string[];
}

export interface ConsultationListItem extends ConsultationRecord {
  invited: number;
  answered: number;
  declined: number;
  minimumMet: boolean;
}

export interface InboxItem extends ConsultationRecord {
  myStatus: ExpertAssignmentStatus;
  invitedAt: string;
  answeredAt: string | null;
}

export interface ConsultationView {
  consultation: ConsultationRecord;
  conflict: ConsultedConflict | null;
  opinions: ConsultedOpinion[];
  /** Every invited expert (the plan's side); an expert sees only their own row. */
  assignments: AssignmentRecord[];
  myAnswer: AnswerRecord | null;
  /** The answers the viewer may see; null while they are hidden from an expert. */
  answers: AnswerRecord[] | null;
  answersHiddenReason: string | null;
}

export interface SummaryExpert {
  expertId: string;
  name: string;
  fields: string[];
  title: string | null;
  organisation: string | null;
  status: ExpertAssignmentStatus;
  recommendation: string | null;
  feasibility: number | null;
  reasons: string | null;
  answers: string[] | null;
  signedAt: string | null;
}

export interface ConsultationSummary {
  consultationId: string;
  title: string;
  status: ConsultationRecord['status'];
  questions: string[];
  minAnswers: number;
  invited: number;
  answered: number;
  declined: number;
  pending: number;
  minimumMet: boolean;
  meanScore: number | null;
  medianScore: number | null;
  /** How many answers gave each feasibility score, index 0 = score 1. */
  scoreCounts: number[];
  experts: SummaryExpert[];
  byQuestion: {
    index: number;
    question: string;
    answers: { expertId: string; name: string; answer: string }[];
  }[];
}

interface Loaded {
  row: ConsultationRow;
  consultation: ConsultationRecord;
  scope: PlanScope;
}

const trimmed = (value: string | null | undefined): string | null => {
  const t = value?.trim();
  return t ? t : null;
};

function requireText(value: string, field: string): string {
  const text = value.trim();
  if (!text) {
    throw new AppError('validation_failed', `${field} must not be empty.`, { field });
  }
  return text;
}

function normaliseFields(fields: readonly string[], field: string): string[] {
  const out: string[] = [];
  fields.forEach((raw, index) => {
    const value = raw.trim().toLowerCase();
    if (!FIELD_PATTERN.test(value)) {
      throw new AppError(
        'validation_failed',
        `${field}.${index} must be a field key such as ${EXPERT_FIELDS.slice(0, 4).join(', ')}.`,
        { field: `${field}.${index}` },
      );
    }
    if (!out.includes(value)) {
      out.push(value);
    }
  });
  return out;
}

export class ExpertService {
  constructor(private readonly ctx: ServiceContext) {}

  // ---- roster -----------------------------------------------------------------------------------------

  /** The experts, optionally only those of one field (organizers and administrators). */
  async listRoster(
    actor: Actor,
    filter: { field?: string; includeDisabled?: boolean } = {},
  ): Promise<ExpertRecord[]> {
    if (!canReadRoster(actor)) {
      throw new AppError('forbidden', 'Only organizers and administrators see the expert roster.');
    }
    const experts = await listExperts(this.ctx.database.db, { activeOnly: !filter.includeDisabled });
    const field = filter.field?.trim().toLowerCase();
    return field ? experts.filter((e) => e.fields.includes(field)) : experts;
  }

  /** Sets an expert's profile: fields of expertise, title, organisation, a short biography. */
  async setProfile(actor: Actor, userId: string, input: ProfileInput): Promise<ExpertRecord> {
    if (!canEditExpertProfile(actor)) {
      throw new AppError('forbidden', 'Only organizers and administrators keep expert profiles.');
    }
    const fields = normaliseFields(input.fields, 'fields');
    if (fields.length === 0) {
      throw new AppError('validation_failed', 'fields must name at least one field of expertise.', {
        field: 'fields',
      });
    }
    await inTransaction(this.ctx.database, async (tx) => {
      const before = await findExpert(tx, userId);
      if (!before) {
        const exists = await tx.selectFrom('user').select('id').where('id', '=', userId).executeTakeFirst();
        if (!exists) {
          throw new AppError('not_found', 'No such user.', { field: 'id' });
        }
        throw new AppError(
          'rule_violated',
          'This user does not hold the expert role; give it to them first.',
          {
            field: 'id',
          },
        );
      }
      const at = this.ctx.now().toISOString();
      const after = {
        fields,
        title: trimmed(input.title),
        organisation: trimmed(input.organisation),
        bio: trimmed(input.bio),
      };
      await upsertExpertProfile(tx, {
        user_id: userId,
        fields: JSON.stringify(after.fields),
        title: after.title,
        organisation: after.organisation,
        bio: after.bio,
        updated_by: actor.userId,
        created_at: at,
        updated_at: at,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'expert_profile',
        id: userId,
        event: 'expert_profile.updated',
        payload: {
          before: {
            fields: before.fields,
            title: before.title,
            organisation: before.organisation,
            bio: before.bio,
          },
          after,
        },
      });
    });
    return (await findExpert(this.ctx.database.db, userId))!;
  }

  // ---- the organizer's side ---------------------------------------------------------------------------

  /** Starts a consultation on a conflict or on chosen opinions of a round and invites the experts. */
  async createConsultation(
    actor: Actor,
    roundId: string,
    input: NewConsultationInput,
  ): Promise<ConsultationView> {
    const id = newId();
    await inTransaction(this.ctx.database, async (tx) => {
      const { round, scope } = await loadRoundContext(tx, roundId);
      if (!canManageConsultation(actor, scope)) {
        throw new AppError('forbidden', "Only the plan's organizers consult experts.");
      }
      if (!CONSULTABLE.includes(round.status)) {
        throw new AppError(
          'conflict',
          `Experts are consulted once the round is open, not while it is ${round.status}.`,
          {
            field: 'status',
            state: round.status,
          },
        );
      }
      const title = requireText(input.title, 'title');
      const questions = input.questions.map((q, i) => requireText(q, `questions.${i}`));
      if (questions.length === 0) {
        throw new AppError('validation_failed', 'questions must hold at least one question.', {
          field: 'questions',
        });
      }
      const experts = await this.pickExperts(tx, input);

      const conflict = input.conflictId ? await findConsultedConflict(tx, input.conflictId) : null;
      if (input.conflictId) {
        if (!conflict || conflict.roundId !== roundId) {
          throw new AppError('validation_failed', 'conflictId is not a conflict of this round.', {
            field: 'conflictId',
          });
        }
        if (!canTransition(conflictMachine, conflict.status, 'start_method')) {
          throw new AppError('conflict', `This conflict is already ${conflict.status}.`, {
            field: 'conflictId',
            state: conflict.status,
          });
        }
      }
      const opinionIds = [...new Set(input.opinionIds ?? conflict?.parties.map((p) => p.opinionId) ?? [])];
      if (opinionIds.length === 0 && !conflict) {
        throw new AppError('validation_failed', 'Give a conflictId or at least one of opinionIds.', {
          field: 'opinionIds',
        });
      }
      const opinions = await listConsultedOpinions(tx, opinionIds);
      const invalid = opinionIds.filter((oid) => {
        const opinion = opinions.find((o) => o.id === oid);
        return !opinion || opinion.roundId !== roundId || opinion.status !== 'submitted';
      });
      if (invalid.length > 0) {
        throw new AppError('validation_failed', 'opinionIds must be submitted opinions of this round.', {
          field: 'opinionIds',
          opinionIds: invalid,
        });
      }

      const minAnswers = input.minAnswers ?? Math.min(2, experts.length);
      if (minAnswers < 1 || minAnswers > experts.length) {
        throw new AppError(
          'validation_failed',
          `minAnswers must be between 1 and the ${experts.length} expert(s) invited.`,
          { field: 'minAnswers' },
        );
      }
      const at = this.ctx.now().toISOString();
      let deadline: string | null = null;
      if (input.deadline) {
        const time = Date.parse(input.deadline);
        if (Number.isNaN(time) || time <= this.ctx.now().getTime()) {
          throw new AppError('validation_failed', 'deadline must be a time in the future.', {
            field: 'deadline',
          });
        }
        deadline = new Date(time).toISOString();
      }
      const revealAfterAnswer = input.revealAfterAnswer ?? false;
      await insertConsultation(tx, {
        id,
        plan_id: round.plan_id,
        round_id: roundId,
        conflict_id: conflict?.id ?? null,
        title,
        questions: JSON.stringify(questions),
        opinion_ids: JSON.stringify(opinionIds),
        min_answers: minAnswers,
        deadline,
        reveal_after_answer: revealAfterAnswer ? 1 : 0,
        status: 'open',
        created_by: actor.userId,
        created_at: at,
        updated_at: at,
        closed_by: null,
        closed_at: null,
        forced: 0,
        close_reason: null,
      });
      await insertAssignments(
        tx,
        experts.map((e) => ({
          consultation_id: id,
          expert_id: e.id,
          status: 'invited',
          invited_at: at,
          answered_at: null,
          declined_at: null,
          decline_reason: null,
        })),
      );
      const expertIds = experts.map((e) => e.id);
      await notify(tx, this.ctx, {
        userIds: expertIds,
        kind: 'expert_consultation',
        subject: { zh: `专家咨询：${title}`, en: `Expert consultation: ${title}` },
        body: { zh: questions.join('\n'), en: questions.join('\n') },
        link: `/consultations/${id}`,
        entity: { kind: 'consultation', id },
        dedupeKey: `consultation.created:${id}`,
      });
      if (conflict) {
        // The consultation is one of the conflict's methods; like any first method it puts the conflict in resolution.
        const methodId = newId();
        await insertExpertMethod(tx, {
          id: methodId,
          conflictId: conflict.id,
          consultationId: id,
          title,
          record: { note: null, consultationId: id, expertIds, minAnswers, questions },
          createdBy: actor.userId,
          at,
        });
        const status = transition(conflictMachine, conflict.status, 'start_method');
        if (status !== conflict.status) {
          await updateConflict(tx, conflict.id, { status, updated_at: at });
        }
        await this.ctx.ledger.append(tx, {
          actor: actorRef(actor),
          entity: 'conflict',
          id: conflict.id,
          event: 'conflict.method_added',
          payload: {
            methodId,
            kind: 'expert',
            consultationId: id,
            before: { status: conflict.status },
            after: { status },
          },
        });
      }
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'expert_consultation',
        id,
        event: 'expert_consultation.created',
        payload: {
          roundId,
          conflictId: conflict?.id ?? null,
          title,
          questions,
          opinionIds,
          expertIds,
          minAnswers,
          deadline,
          revealAfterAnswer,
        },
      });
    });
    return this.getConsultation(actor, id);
  }

  private async pickExperts(db: Executor, input: NewConsultationInput): Promise<ExpertRecord[]> {
    const fields = input.fields ? normaliseFields(input.fields, 'fields') : [];
    const inFields = (e: ExpertRecord) => fields.length === 0 || e.fields.some((f) => fields.includes(f));
    if (input.expertIds && input.expertIds.length > 0) {
      const ids = [...new Set(input.expertIds)];
      const found = await findExperts(db, ids);
      const unknown = ids.filter((eid) => !found.some((e) => e.id === eid && e.status === 'active'));
      if (unknown.length > 0) {
        throw new AppError('validation_failed', 'expertIds must be active experts of the roster.', {
          field: 'expertIds',
          expertIds: unknown,
        });
      }
      const outside = found.filter((e) => !inFields(e)).map((e) => e.id);
      if (outside.length > 0) {
        throw new AppError(
          'validation_failed',
          `expertIds include experts outside the fields ${fields.join(', ')}.`,
          {
            field: 'expertIds',
            expertIds: outside,
          },
        );
      }
      return ids.map((eid) => found.find((e) => e.id === eid)!);
    }
    if (fields.length === 0) {
      throw new AppError('validation_failed', 'Give expertIds, or fields to invite every expert of them.', {
        field: 'expertIds',
      });
    }
    const experts = (await listExperts(db, { activeOnly: true })).filter(inFields);
    if (experts.length === 0) {
      throw new AppError(
        'validation_failed',
        `No active expert on the roster works in ${fields.join(', ')}.`,
        {
          field: 'fields',
        },
      );
    }
    return experts;
  }

  /** A round's consultations with their answer counts (the plan's side). */
  async listRoundConsultations(actor: Actor, roundId: string): Promise<ConsultationListItem[]> {
    const db = this.ctx.database.db;
    const { scope } = await loadRoundContext(db, roundId);
    if (!canOverseeConsultation(actor, scope)) {
      throw new AppError('forbidden', "Only the plan's side sees its expert consultations.");
    }
    const consultations = await listRoundConsultations(db, roundId);
    const counts = await countAssignmentsByStatus(
      db,
      consultations.map((c) => c.id),
    );
    return consultations.map((c) => {
      const n = counts.get(c.id) ?? { invited: 0, answered: 0, declined: 0 };
      return {
        ...c,
        invited: n.invited + n.answered + n.declined,
        answered: n.answered,
        declined: n.declined,
        minimumMet: n.answered >= c.minAnswers,
      };
    });
  }

  /** Closes a consultation; with fewer answers than required only when forced, with a reason. */
  async closeConsultation(
    actor: Actor,
    id: string,
    input: { force?: boolean; reason?: string | null } = {},
  ): Promise<ConsultationRecord> {
    await inTransaction(this.ctx.database, async (tx) => {
      const { consultation, scope } = await this.load(tx, id);
      if (!canManageConsultation(actor, scope)) {
        throw new AppError('forbidden', "Only the plan's organizers close a consultation.");
      }
      if (consultation.status !== 'open') {
        throw new AppError('conflict', 'This consultation is already closed.', {
          field: 'status',
          state: 'closed',
        });
      }
      const answered = await countAnswers(tx, id);
      const short = answered < consultation.minAnswers;
      const reason = trimmed(input.reason);
      if (short && !input.force) {
        throw new AppError(
          'conflict',
          `Only ${answered} of the ${consultation.minAnswers} required answers are in; close with force and a reason to end it anyway.`,
          { field: 'force', answered, minAnswers: consultation.minAnswers },
        );
      }
      if (short && !reason) {
        throw new AppError(
          'validation_failed',
          'reason is required to close with fewer answers than required.',
          {
            field: 'reason',
          },
        );
      }
      const at = this.ctx.now().toISOString();
      await updateConsultation(tx, id, {
        status: 'closed',
        closed_by: actor.userId,
        closed_at: at,
        forced: short ? 1 : 0,
        close_reason: reason,
        updated_at: at,
      });
      if (consultation.conflictId) {
        const summary = summarise(consultation, await listAssignments(tx, id), await listAnswers(tx, id), []);
        await completeExpertMethod(
          tx,
          id,
          {
            note: `${answered}/${summary.invited} 位专家答复，可行性评分均值 ${summary.meanScore ?? '—'}，中位数 ${summary.medianScore ?? '—'}${short ? `（未达最少 ${consultation.minAnswers} 份：${reason}）` : ''}`,
            consultationId: id,
            minAnswers: consultation.minAnswers,
            answered,
            minimumMet: !short,
            meanScore: summary.meanScore,
            medianScore: summary.medianScore,
          },
          at,
        );
      }
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'expert_consultation',
        id,
        event: 'expert_consultation.closed',
        payload: {
          before: 'open',
          after: 'closed',
          answered,
          minAnswers: consultation.minAnswers,
          forced: short,
          reason,
        },
      });
    });
    return toConsultation((await findConsultationRow(this.ctx.database.db, id))!);
  }

  // ---- reading ----------------------------------------------------------------------------------------

  /** One consultation as the viewer may see it: the plan's side in full, an invited expert without others' answers. */
  async getConsultation(actor: Actor, id: string): Promise<ConsultationView> {
    const db = this.ctx.database.db;
    const { consultation, scope } = await this.load(db, id);
    const oversee = canOverseeConsultation(actor, scope);
    const standing = oversee ? null : await this.expertStanding(db, actor, consultation);
    const conflict = consultation.conflictId
      ? await findConsultedConflict(db, consultation.conflictId)
      : null;
    const opinions = await listConsultedOpinions(db, consultation.opinionIds);
    const myAnswer = actor.userId ? await findAnswer(db, id, actor.userId) : null;
    if (oversee) {
      return {
        consultation,
        conflict,
        opinions,
        assignments: await listAssignments(db, id),
        myAnswer,
        answers: await listAnswers(db, id),
        answersHiddenReason: null,
      };
    }
    const visibility = othersAnswersVisible(standing!);
    return {
      consultation,
      conflict,
      opinions,
      assignments: await listAssignments(db, id, actor.userId!),
      myAnswer,
      answers: visibility.visible ? await listAnswers(db, id) : null,
      answersHiddenReason: visibility.visible ? null : visibility.reason,
    };
  }

  /** The answers, refused to an expert who may not see them yet. */
  async listAnswers(actor: Actor, id: string): Promise<AnswerRecord[]> {
    const db = this.ctx.database.db;
    await this.requireAnswersVisible(db, actor, id);
    return listAnswers(db, id);
  }

  /** The answers side by side with the score's mean and median and whether the minimum is met. */
  async getSummary(actor: Actor, id: string): Promise<ConsultationSummary> {
    const db = this.ctx.database.db;
    const { consultation } = await this.requireAnswersVisible(db, actor, id);
    const assignments = await listAssignments(db, id);
    const experts = await findExperts(
      db,
      assignments.map((a) => a.expertId),
    );
    return summarise(consultation, assignments, await listAnswers(db, id), experts);
  }

  // ---- the expert's side ------------------------------------------------------------------------------

  /** The expert's inbox: open consultations (and closed ones on request), nearest deadline first. */
  async listMyConsultations(actor: Actor, options: { includeClosed?: boolean } = {}): Promise<InboxItem[]> {
    if (!isExpert(actor) || !actor.userId) {
      throw new AppError('forbidden', 'Only experts have a consultation inbox.');
    }
    const rows = await listExpertInbox(this.ctx.database.db, actor.userId, {
      includeClosed: options.includeClosed ?? false,
    });
    return rows.map((r) => ({
      ...r.consultation,
      myStatus: r.myStatus,
      invitedAt: r.invitedAt,
      answeredAt: r.answeredAt,
    }));
  }

  /** Sends the expert's signed answer; it is frozen from then on. */
  async submitAnswer(actor: Actor, id: string, input: AnswerInput): Promise<AnswerRecord> {
    await inTransaction(this.ctx.database, async (tx) => {
      const { consultation } = await this.load(tx, id);
      const standing = await this.expertStanding(tx, actor, consultation);
      if (standing.assignment?.status === 'answered') {
        throw new AppError(
          'conflict',
          'You have already sent your answer; a sent answer cannot be changed.',
          {
            field: 'id',
          },
        );
      }
      if (standing.assignment?.status === 'declined') {
        throw new AppError('conflict', 'You declined this consultation.', { field: 'id' });
      }
      if (!canAnswer(actor, standing)) {
        throw new AppError('conflict', 'This consultation is closed; no more answers are taken.', {
          field: 'status',
          state: consultation.status,
        });
      }
      const now = this.ctx.now();
      if (consultation.deadline && now.getTime() > Date.parse(consultation.deadline)) {
        throw new AppError('conflict', `The deadline for answers passed at ${consultation.deadline}.`, {
          field: 'deadline',
        });
      }
      const recommendation = requireText(input.recommendation, 'recommendation');
      const reasons = requireText(input.reasons, 'reasons');
      if (!Number.isInteger(input.feasibility) || input.feasibility < 1 || input.feasibility > 5) {
        throw new AppError('validation_failed', 'feasibility must be a whole score from 1 to 5.', {
          field: 'feasibility',
        });
      }
      if (input.answers.length !== consultation.questions.length) {
        throw new AppError(
          'validation_failed',
          `answers must hold one answer for each of the ${consultation.questions.length} question(s).`,
          { field: 'answers' },
        );
      }
      const answers = input.answers.map((a, i) => requireText(a, `answers.${i}`));
      const signedAt = now.toISOString();
      const answerId = newId();
      // The ledger event is the signature: its hash seals the answer as sent.
      const event = await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'expert_consultation',
        id,
        event: 'expert_answer.sent',
        payload: {
          answerId,
          expertId: actor.userId,
          signedName: actor.name,
          signedAt,
          recommendation,
          feasibility: input.feasibility,
          reasons,
          answers,
        },
      });
      await insertAnswer(tx, {
        id: answerId,
        consultation_id: id,
        expert_id: actor.userId!,
        recommendation,
        feasibility: input.feasibility,
        reasons,
        answers: JSON.stringify(answers),
        signed_name: actor.name,
        signed_at: signedAt,
        ledger_seq: event.seq,
        ledger_hash: event.hash,
      });
      await updateAssignment(
        tx,
        { consultationId: id, expertId: actor.userId! },
        { status: 'answered', answered_at: signedAt },
      );
    });
    return (await findAnswer(this.ctx.database.db, id, actor.userId!))!;
  }

  /** An expert declines to answer, with a reason (a conflict of interest, outside their field). */
  async declineConsultation(actor: Actor, id: string, input: { reason: string }): Promise<AssignmentRecord> {
    await inTransaction(this.ctx.database, async (tx) => {
      const { consultation } = await this.load(tx, id);
      const standing = await this.expertStanding(tx, actor, consultation);
      if (!canAnswer(actor, standing)) {
        throw new AppError(
          'conflict',
          standing.assignment?.status === 'invited'
            ? 'This consultation is closed.'
            : `You have already ${standing.assignment?.status ?? 'responded'}.`,
          { field: 'id' },
        );
      }
      const reason = requireText(input.reason, 'reason');
      const at = this.ctx.now().toISOString();
      await updateAssignment(
        tx,
        { consultationId: id, expertId: actor.userId! },
        { status: 'declined', declined_at: at, decline_reason: reason },
      );
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'expert_consultation',
        id,
        event: 'expert_consultation.declined',
        payload: { expertId: actor.userId, before: 'invited', after: 'declined', reason },
      });
    });
    return (await listAssignments(this.ctx.database.db, id, actor.userId!))[0]!;
  }

  // ---- helpers ----------------------------------------------------------------------------------------

  private async load(db: Executor, id: string): Promise<Loaded> {
    const row = await findConsultationRow(db, id);
    if (!row) {
      throw new AppError('not_found', 'No such consultation.', { field: 'id' });
    }
    const { scope } = await loadRoundContext(db, row.round_id);
    return { row, consultation: toConsultation(row), scope };
  }

  /** The actor's standing as an expert; refuses anyone neither invited nor on the plan's side. */
  private async expertStanding(
    db: Executor,
    actor: Actor,
    consultation: ConsultationRecord,
  ): Promise<ExpertStanding> {
    const assignment = actor.userId ? await findAssignment(db, consultation.id, actor.userId) : undefined;
    const standing: ExpertStanding = {
      assignment: assignment ? { status: assignment.status } : null,
      consultationStatus: consultation.status,
      revealAfterAnswer: consultation.revealAfterAnswer,
    };
    if (!canReadConsultationAsExpert(actor, standing)) {
      throw new AppError('forbidden', 'You are not an expert invited to this consultation.');
    }
    return standing;
  }

  private async requireAnswersVisible(db: Executor, actor: Actor, id: string): Promise<Loaded> {
    const loaded = await this.load(db, id);
    if (canOverseeConsultation(actor, loaded.scope)) {
      return loaded;
    }
    const visibility = othersAnswersVisible(await this.expertStanding(db, actor, loaded.consultation));
    if (!visibility.visible) {
      throw new AppError('forbidden', visibility.reason, { field: 'answers' });
    }
    return loaded;
  }
}

/** Puts the answers side by side, per expert and per question, with the feasibility scores' mean and median. */
export function summarise(
  consultation: ConsultationRecord,
  assignments: readonly AssignmentRecord[],
  answers: readonly AnswerRecord[],
  experts: readonly ExpertRecord[],
): ConsultationSummary {
  const byExpert = new Map(answers.map((a) => [a.expertId, a]));
  const scores = answers.map((a) => a.feasibility);
  const scoreCounts = [1, 2, 3, 4, 5].map((s) => scores.filter((x) => x === s).length);
  const declined = assignments.filter((a) => a.status === 'declined').length;
  return {
    consultationId: consultation.id,
    title: consultation.title,
    status: consultation.status,
    questions: consultation.questions,
    minAnswers: consultation.minAnswers,
    invited: assignments.length,
    answered: answers.length,
    declined,
    pending: assignments.length - answers.length - declined,
    minimumMet: answers.length >= consultation.minAnswers,
    meanScore: meanOf(scores),
    medianScore: summarizeDurations(scores)?.median ?? null,
    scoreCounts,
    experts: assignments.map((a) => {
      const profile = experts.find((e) => e.id === a.expertId);
      const answer = byExpert.get(a.expertId);
      return {
        expertId: a.expertId,
        name: a.expertName,
        fields: profile?.fields ?? [],
        title: profile?.title ?? null,
        organisation: profile?.organisation ?? null,
        status: a.status,
        recommendation: answer?.recommendation ?? null,
        feasibility: answer?.feasibility ?? null,
        reasons: answer?.reasons ?? null,
        answers: answer?.answers ?? null,
        signedAt: answer?.signedAt ?? null,
      };
    }),
    byQuestion: consultation.questions.map((question, index) => ({
      index,
      question,
      answers: assignments.flatMap((a) => {
        const answer = byExpert.get(a.expertId)?.answers[index];
        return answer === undefined ? [] : [{ expertId: a.expertId, name: a.expertName, answer }];
      }),
    })),
  };
}
