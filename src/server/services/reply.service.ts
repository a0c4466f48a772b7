import { createHash } from 'node:crypto';
import { AppError } from '../../domain/errors.ts';
import { canonicalJson } from '../../domain/ledger.ts';
import type { InvitationEvent, InvitationState } from '../../domain/state-machines.ts';
import { invitationMachine, opinionMachine, transition } from '../../domain/state-machines.ts';
import type { Tx } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import type { ReplyPosition } from '../db/schema.ts';
import { enqueueOpinionAnalyses } from '../jobs/analysis.jobs.ts';
import { newId } from '../lib/ids.ts';
import {
  canReadReplies,
  canSendReply,
  canSignOff,
  canSubmitForReview,
  canDraftForUnit,
} from '../policies/opinion.policy.ts';
import {
  countRegistered,
  listLiveOpinionsOfInvitation,
  toOpinion,
  updateOpinion,
} from '../repositories/opinion.repository.ts';
import type { InvitationRow, ReplyRecord, RoundRow } from '../repositories/reply.repository.ts';
import {
  findInvitation,
  findLatestLedgerEvent,
  findReply,
  findRound,
  insertReply,
  invitationOrdinal,
  ledgerAlgorithms,
  listReplies,
  lockInvitation,
  updateInvitation,
} from '../repositories/reply.repository.ts';
import { listUnitUserIdsWithRole } from '../repositories/reminder.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';
import { notify } from './notification.service.ts';
import { effectiveDeadline, loadPlanScope } from './opinion.service.ts';

/** 回执: what a unit keeps as proof that its reply was sent, and exactly what. */
export interface Receipt {
  replyId: string;
  number: string;
  version: number;
  sentAt: string;
  late: boolean;
  ledger: { seq: number; hash: string; alg: string };
}

export type ReplyView = Omit<ReplyRecord, 'ledgerSeq' | 'ledgerHash'> & { receipt: Receipt };

export interface InvitationView {
  id: string;
  roundId: string;
  unitId: string;
  status: InvitationState;
  replyVersion: number;
  late: boolean;
  updatedAt: string;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * A unit's reply to one invitation (部门回复): drafting → internal review → signed off by the unit head →
 * sent as a frozen, numbered version with a ledger receipt. A re-send is version n+1; version n stays.
 */
export class ReplyService {
  constructor(private readonly ctx: ServiceContext) {}

  startDrafting(actor: Actor, invitationId: string): Promise<InvitationView> {
    return this.step(actor, invitationId, {
      event: 'start_drafting',
      ledgerEvent: 'invitation.drafting',
      allowed: canDraftForUnit,
      refusal: "Only the unit's liaisons and unit head start drafting its reply.",
    });
  }

  /** Hands the draft to the unit's head(s) for sign-off (签发), telling them in the same transaction. */
  submitForReview(actor: Actor, invitationId: string): Promise<InvitationView> {
    return this.step(actor, invitationId, {
      event: 'submit_for_review',
      ledgerEvent: 'invitation.in_review',
      allowed: canSubmitForReview,
      refusal: "Only the unit's liaison submits its reply for internal review.",
      after: (tx, step) => this.requestSignOff(tx, actor, step),
    });
  }

  returnForChanges(actor: Actor, invitationId: string, note: string): Promise<InvitationView> {
    const trimmed = note.trim();
    if (!trimmed) {
      throw new AppError('validation_failed', 'Say what needs changing (note).', { field: 'note' });
    }
    return this.step(actor, invitationId, {
      event: 'return_for_changes',
      ledgerEvent: 'invitation.returned',
      allowed: canSignOff,
      refusal: 'Only the unit head returns a reply for changes.',
      payload: { note: trimmed },
    });
  }

  signOff(actor: Actor, invitationId: string): Promise<InvitationView> {
    return this.step(actor, invitationId, {
      event: 'sign_off',
      ledgerEvent: 'invitation.signed_off',
      allowed: canSignOff,
      refusal: 'Only the unit head signs off the reply (签发).',
    });
  }

  /**
   * Sends the signed-off reply: freezes the unit's opinions into version n+1 with a snapshot, gives draft
   * opinions their registration numbers, and records `reply.sent`, whose seq and hash are the receipt.
   */
  async send(
    actor: Actor,
    invitationId: string,
    input: { position: ReplyPosition; summary?: string | null; late?: boolean },
  ): Promise<Receipt> {
    return inTransaction(this.ctx.database, async (tx) => {
      const invitation = await lockInvitation(tx, this.ctx.database.dialect, invitationId);
      if (!invitation) {
        throw new AppError('not_found', 'No such invitation.', { field: 'id' });
      }
      if (!canSendReply(actor, invitation.unit_id)) {
        throw new AppError('forbidden', "Only the unit's liaisons and unit head send its reply.", {
          field: 'id',
        });
      }
      const round = (await findRound(tx, invitation.round_id))!;
      const next = transition(invitationMachine, invitation.status, 'send');
      const now = this.ctx.now().toISOString();
      const late = this.lateness(round, invitation, now, input.late === true);

      const opinions = await listLiveOpinionsOfInvitation(tx, invitation.id);
      if (input.position === 'agree_with_amendments' && opinions.length === 0) {
        throw new AppError('rule_violated', '有修改意见 needs at least one opinion.', { field: 'position' });
      }
      if (input.position === 'disagree' && !opinions.some((o) => Number(o.blocking) === 1)) {
        throw new AppError('rule_violated', '不同意 needs at least one blocking opinion.', {
          field: 'position',
        });
      }

      // Registration numbers: round seq - unit ordinal in the round - the unit's running count.
      const ordinal = await invitationOrdinal(tx, round.id, invitation.id);
      let counter = await countRegistered(tx, invitation.id);
      const sent = [];
      for (const row of opinions) {
        if (row.status === 'draft') {
          const status = transition(opinionMachine, row.status, 'submit');
          counter += 1;
          const regNo = row.reg_no ?? `${round.seq}-${pad(ordinal, 3)}-${pad(counter, 4)}`;
          await updateOpinion(tx, row.id, { status, reg_no: regNo, submitted_at: now, updated_at: now });
          sent.push(toOpinion({ ...row, status, reg_no: regNo, submitted_at: now, updated_at: now }));
        } else {
          sent.push(toOpinion(row));
        }
      }
      const snapshot = sent.map((o) => ({
        id: o.id,
        regNo: o.regNo,
        clauseStableId: o.clauseStableId,
        clauseId: o.clauseId,
        quote: o.quote,
        suggestion: o.suggestion,
        reasons: o.reasons,
        proposedText: o.proposedText,
        kind: o.kind,
        blocking: o.blocking,
        quality: o.quality,
        authorId: o.authorId,
        submittedAt: o.submittedAt,
      }));
      const snapshotJson = canonicalJson(snapshot);
      const version = invitation.reply_version + 1;
      const number = `R${round.seq}-${pad(ordinal, 3)}-v${version}`;
      const replyId = newId();
      const summary = input.summary?.trim() ? input.summary.trim() : null;
      const signOff = await findLatestLedgerEvent(tx, {
        entity: 'invitation',
        entityId: invitation.id,
        event: 'invitation.signed_off',
      });
      const event = await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'reply',
        id: replyId,
        event: 'reply.sent',
        payload: {
          invitationId: invitation.id,
          roundId: round.id,
          unitId: invitation.unit_id,
          version,
          number,
          position: input.position,
          summary,
          late,
          opinions: sent.map((o) => ({ id: o.id, regNo: o.regNo })),
          snapshotSha256: createHash('sha256').update(snapshotJson).digest('hex'),
          before: { status: invitation.status, replyVersion: invitation.reply_version },
          after: { status: next, replyVersion: version },
        },
      });
      await insertReply(tx, {
        id: replyId,
        invitation_id: invitation.id,
        version,
        number,
        position: input.position,
        summary,
        opinion_ids: JSON.stringify(sent.map((o) => o.id)),
        snapshot: snapshotJson,
        signed_off_by: signOff?.actor ?? null,
        signed_off_at: signOff?.at ?? null,
        sent_by: actor.userId,
        sent_at: now,
        late: late ? 1 : 0,
        ledger_seq: event.seq,
        ledger_hash: event.hash,
      });
      await updateInvitation(tx, invitation.id, {
        status: next,
        reply_version: version,
        // The unit counts as late only if its first reply was; a late re-send is marked on the version.
        ...(late && invitation.reply_version === 0 ? { late: 1 } : {}),
        updated_at: now,
      });
      await enqueueOpinionAnalyses(
        tx,
        this.ctx,
        sent.map((o) => o.id),
      );
      return {
        replyId,
        number,
        version,
        sentAt: now,
        late,
        ledger: { seq: event.seq, hash: event.hash, alg: event.alg },
      };
    });
  }

  async listReplies(actor: Actor, invitationId: string): Promise<ReplyView[]> {
    const db = this.ctx.database.db;
    const invitation = await findInvitation(db, invitationId);
    if (!invitation) {
      throw new AppError('not_found', 'No such invitation.', { field: 'id' });
    }
    await this.assertCanRead(actor, invitation);
    return this.withReceipts(await listReplies(db, invitationId));
  }

  async getReply(actor: Actor, replyId: string): Promise<ReplyView> {
    const db = this.ctx.database.db;
    const reply = await findReply(db, replyId);
    if (!reply) {
      throw new AppError('not_found', 'No such reply.', { field: 'id' });
    }
    await this.assertCanRead(actor, (await findInvitation(db, reply.invitationId))!);
    const [view] = await this.withReceipts([reply]);
    return view!;
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────────────────────

  private async requestSignOff(
    tx: Tx,
    actor: Actor,
    step: { invitation: InvitationRow; round: RoundRow; at: string },
  ): Promise<void> {
    const { invitation, round } = step;
    const heads = await listUnitUserIdsWithRole(tx, invitation.unit_id, 'unit_head');
    const plan = await tx
      .selectFrom('plan')
      .select('name')
      .where('id', '=', round.plan_id)
      .executeTakeFirstOrThrow();
    await notify(tx, this.ctx, {
      userIds: heads,
      kind: 'sign_off_requested',
      subject: {
        zh: `【待签发】《${plan.name}》${round.title}本单位反馈意见`,
        en: `Sign-off requested: your unit's reply on "${plan.name}" (${round.title})`,
      },
      body: {
        zh: `${actor.name}已提交本单位对《${plan.name}》（${round.title}）的反馈意见，请审核后签发，或退回修改。`,
        en: `${actor.name} submitted your unit's reply on "${plan.name}" (${round.title}). Please review it and sign it off, or return it for changes.`,
      },
      link: `/invitations/${invitation.id}`,
      entity: { kind: 'round_invitation', id: invitation.id },
      // A reply returned for changes is submitted again: each submission asks anew.
      dedupeKey: `invitation.in_review:${invitation.id}:${step.at}`,
    });
  }

  /** Whether this send is late; refuses a late one that does not say so, and sends outside the round. */
  private lateness(round: RoundRow, invitation: InvitationRow, now: string, declaredLate: boolean): boolean {
    if (!['open', 'closed', 'assessing'].includes(round.status)) {
      throw new AppError('conflict', `The round is ${round.status}: replies are not accepted now.`, {
        field: 'status',
        roundStatus: round.status,
      });
    }
    const deadline = effectiveDeadline(round, invitation);
    const extendedOpen = invitation.deadline !== null && now <= deadline;
    const late = now > deadline || (round.status !== 'open' && !extendedOpen);
    if (late && !declaredLate) {
      throw new AppError('rule_violated', 'The deadline has passed: send it as a late reply (late: true).', {
        field: 'late',
        deadline,
      });
    }
    return late;
  }

  private async assertCanRead(actor: Actor, invitation: InvitationRow): Promise<void> {
    const round = (await findRound(this.ctx.database.db, invitation.round_id))!;
    const plan = await loadPlanScope(this.ctx.database.db, round.plan_id);
    if (!canReadReplies(actor, plan, invitation.unit_id)) {
      throw new AppError('forbidden', "You may not see this unit's replies.", { field: 'id' });
    }
  }

  private async withReceipts(replies: ReplyRecord[]): Promise<ReplyView[]> {
    const algs = await ledgerAlgorithms(
      this.ctx.database.db,
      replies.map((r) => r.ledgerSeq),
    );
    return replies.map(({ ledgerSeq, ledgerHash, ...reply }) => ({
      ...reply,
      receipt: {
        replyId: reply.id,
        number: reply.number,
        version: reply.version,
        sentAt: reply.sentAt,
        late: reply.late,
        ledger: { seq: ledgerSeq, hash: ledgerHash, alg: algs.get(ledgerSeq) ?? 'unknown' },
      },
    }));
  }

  /** One state step of the invitation, with its policy, in one transaction with its ledger event. */
  private async step(
    actor: Actor,
    invitationId: string,
    options: {
      event: InvitationEvent;
      ledgerEvent: string;
      allowed: (actor: Actor, unitId: string) => boolean;
      refusal: string;
      payload?: Record<string, unknown>;
      /** More of the same step, inside its transaction (such as telling people of it). */
      after?: (tx: Tx, step: { invitation: InvitationRow; round: RoundRow; at: string }) => Promise<void>;
    },
  ): Promise<InvitationView> {
    return inTransaction(this.ctx.database, async (tx: Tx) => {
      const invitation = await lockInvitation(tx, this.ctx.database.dialect, invitationId);
      if (!invitation) {
        throw new AppError('not_found', 'No such invitation.', { field: 'id' });
      }
      if (!options.allowed(actor, invitation.unit_id)) {
        throw new AppError('forbidden', options.refusal, { field: 'id' });
      }
      const round = (await findRound(tx, invitation.round_id))!;
      if (!['open', 'closed', 'assessing'].includes(round.status)) {
        throw new AppError('conflict', `The round is ${round.status}: its replies cannot change now.`, {
          field: 'status',
          roundStatus: round.status,
        });
      }
      const next = transition(invitationMachine, invitation.status, options.event);
      const now = this.ctx.now().toISOString();
      await updateInvitation(tx, invitation.id, { status: next, updated_at: now });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'invitation',
        id: invitation.id,
        event: options.ledgerEvent,
        payload: {
          roundId: round.id,
          unitId: invitation.unit_id,
          before: { status: invitation.status },
          after: { status: next },
          ...options.payload,
        },
      });
      await options.after?.(tx, { invitation, round, at: now });
      return {
        id: invitation.id,
        roundId: invitation.round_id,
        unitId: invitation.unit_id,
        status: next,
        replyVersion: invitation.reply_version,
        late: invitation.late === 1,
        updatedAt: now,
      };
    });
  }
}
