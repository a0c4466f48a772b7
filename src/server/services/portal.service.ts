import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1';
import { AppError } from '../../domain/errors.ts';
import type { Executor, Tx } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import type { DispositionCode, RoundStatus } from '../db/schema.ts';
import type { PortalCommentStatus, PortalModeration } from '../db/tables/portal.ts';
import { enqueueOpinionAnalyses } from '../jobs/analysis.jobs.ts';
import { newId, sha256Hex } from '../lib/ids.ts';
import type { PersonalDataKind } from '../policies/portal.policy.ts';
import {
  acceptsPublicComments,
  canModeratePortal,
  holdsPersonalData,
  isShownToPublic,
  mayPublishSummary,
  redactPersonalData,
} from '../policies/portal.policy.ts';
import { insertOpinions } from '../repositories/comment-import.repository.ts';
import type { PortalClause, PortalCommentRow, SummarySource } from '../repositories/portal.repository.ts';
import {
  countCommentsByStatus,
  countPublishedByClause,
  deleteSpentCaptchas,
  ensurePortalRound,
  findComment,
  findCommentByReceipt,
  findCommenter,
  findPortalRound,
  insertRedaction,
  listComments,
  listRedactions,
  listRoundModeratorIds,
  listSummarySources,
  listVersionClauses,
  lockPortalRound,
  updateComment,
  updateOpinionOfComment,
  updatePortalRound,
} from '../repositories/portal.repository.ts';
import type { RoundRecord } from '../repositories/round.repository.ts';
import { findRound } from '../repositories/round.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';
import { notify, queueAddressMail } from './notification.service.ts';
import type { PlanService } from './plan.service.ts';
import type { Commenter } from './portal-contacts.ts';
import { isEmailContact, openCommenter, openContact, sealCommenter } from './portal-contacts.ts';

/*
 * The public comment portal (公示期意见征集): a public round's page, comments from people without an account
 * (CAPTCHA, limits per client address, name and contact kept apart and never shown), moderation before or
 * after publication with reasons, redaction of personal data, intake as opinions of the round (unit null,
 * registration number, analysis queued), and the summary published after the round (你说我做).
 */

import type { Bilingual, CommentReceipt } from './portal-intake.ts';
import { PortalIntake, nextPublicRegNo, publicOpinionRow } from './portal-intake.ts';

export type { Bilingual, CommentReceipt } from './portal-intake.ts';

export interface PublicClause {
  stableId: string;
  kind: string;
  number: string | null;
  heading: string | null;
  text: string;
  depth: number;
  comments: number;
}

export interface PublicRoundView {
  id: string;
  title: string;
  status: RoundStatus;
  opensAt: string;
  closesAt: string;
  deadline: string;
  accepting: boolean;
  moderation: PortalModeration;
  captcha: boolean;
  summaryPublished: boolean;
  comments: number;
  clauses: PublicClause[];
}

export interface CommentInput {
  clauseStableId: string | null;
  suggestion: string;
  reasons?: string | null;
  proposedText?: string | null;
  anonymous: boolean;
  name?: string | null;
  contact?: string | null;
  consent: boolean;
  captcha?: string | null;
}

export interface PublicComment {
  id: string;
  clauseStableId: string | null;
  suggestion: string;
  reasons: string | null;
  proposedText: string | null;
  createdAt: string;
}

export interface QueueComment extends PublicComment {
  receiptNo: string;
  status: PortalCommentStatus;
  anonymous: boolean;
  /** A name and contact were given (they are kept apart and never shown here). */
  named: boolean;
  opinionId: string | null;
  moderationReason: string | null;
  moderatedBy: string | null;
  moderatedAt: string | null;
  redacted: boolean;
  /** The text still holds something that looks like personal data. */
  personalData: boolean;
  redactions: {
    kinds: PersonalDataKind[];
    count: number;
    reason: string;
    redactedBy: string | null;
    at: string;
  }[];
}

export interface PortalSettings {
  roundId: string;
  moderation: PortalModeration;
  summaryPublishedAt: string | null;
  counts: Record<PortalCommentStatus, number>;
}

export type ModerationAction = 'approve' | 'reject' | 'hide' | 'restore';

export interface SummaryCluster {
  size: number;
  representative: string;
  dispositions: { code: DispositionCode | 'pending'; count: number }[];
  /** What was done: the reason given for the representative's disposition (or the most frequent one). */
  response: { code: DispositionCode; reason: string | null } | null;
}

export interface SummaryClause {
  clauseStableId: string | null;
  number: string | null;
  heading: string | null;
  excerpt: string | null;
  comments: number;
  clusters: SummaryCluster[];
}

export interface PublicSummary {
  roundId: string;
  title: string;
  publishedAt: string;
  comments: number;
  clauses: SummaryClause[];
}

const MAX_CLUSTERS_PER_CLAUSE = 50;
const CLAUSE_CACHE_SIZE = 64;
const CAPTCHA_SECONDS = 10 * 60;
const ANNOUNCED_ROUNDS = 1000;
const PHONE = /^\+?[0-9][0-9 -]{5,19}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
function clean(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

export class PortalService {
  /** Clauses of draft versions, which never change once imported. */
  private readonly clauseCache = new Map<string, PortalClause[]>();
  private readonly intakeQueue: PortalIntake;
  /** Per round, the hour whose pending comments were announced to its moderators (see announcePending). */
  private readonly announced = new Map<string, string>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly plans: PlanService,
  ) {
    this.intakeQueue = new PortalIntake(ctx, {
      clausesOf: (versionId, executor) => this.clausesOf(versionId, executor),
      onPending: (tx, round, now) => this.announcePending(tx, round, now),
    });
  }

  private async clausesOf(
    versionId: string,
    executor: Executor = this.ctx.database.db,
  ): Promise<PortalClause[]> {
    let clauses = this.clauseCache.get(versionId);
    if (!clauses) {
      clauses = await listVersionClauses(executor, versionId);
      if (this.clauseCache.size >= CLAUSE_CACHE_SIZE) {
        this.clauseCache.delete(this.clauseCache.keys().next().value!);
      }
      this.clauseCache.set(versionId, clauses);
    }
    return clauses;
  }

  private async publicRound(roundId: string): Promise<RoundRecord> {
    const round = await findRound(this.ctx.database.db, roundId);
    if (!round || !isShownToPublic(round)) {
      throw new AppError('not_found', 'No such public consultation.', { field: 'roundId' });
    }
    return round;
  }

  private async moderatedRound(actor: Actor, roundId: string): Promise<RoundRecord> {
    const round = await findRound(this.ctx.database.db, roundId);
    if (!round) {
      throw new AppError('not_found', 'No such round.', { field: 'roundId' });
    }
    const { scope } = await this.plans.loadPlan(actor, round.planId);
    if (!canModeratePortal(actor, scope)) {
      throw new AppError('forbidden', "Only the plan's organizers moderate its public comments.", {
        field: 'roundId',
      });
    }
    if (round.kind !== 'public') {
      throw new AppError('conflict', 'Only public rounds have a comment portal.', { field: 'roundId' });
    }
    return round;
  }

  // ─── public ────────────────────────────────────────────────────────────────────────────────────────

  /** A proof-of-work challenge (ALTCHA) the browser solves before submitting. */
  async createCaptcha(): Promise<{
    algorithm: string;
    challenge: string;
    maxnumber: number;
    salt: string;
    signature: string;
  }> {
    const { config } = this.ctx;
    const challenge = await createChallenge({
      hmacKey: config.portalCaptchaKey,
      maxNumber: config.portalCaptchaMaxNumber,
      expires: new Date(this.ctx.now().getTime() + CAPTCHA_SECONDS * 1000),
    });
    return {
      algorithm: challenge.algorithm,
      challenge: challenge.challenge,
      maxnumber: challenge.maxnumber ?? config.portalCaptchaMaxNumber,
      salt: challenge.salt,
      signature: challenge.signature,
    };
  }

  async getPublicRound(roundId: string): Promise<PublicRoundView> {
    const round = await this.publicRound(roundId);
    const db = this.ctx.database.db;
    const [clauses, counts, portal] = await Promise.all([
      this.clausesOf(round.versionId),
      countPublishedByClause(db, roundId),
      findPortalRound(db, roundId),
    ]);
    let total = 0;
    for (const n of counts.values()) {
      total += n;
    }
    return {
      id: round.id,
      title: round.title,
      status: round.status,
      opensAt: round.opensAt,
      closesAt: round.closesAt,
      deadline: round.deadline,
      accepting: acceptsPublicComments(round, this.ctx.now()),
      moderation: portal?.moderation ?? 'pre',
      captcha: this.ctx.config.portalCaptcha,
      summaryPublished: (portal?.summary_published_at ?? null) !== null,
      comments: total,
      clauses: clauses.map((c) => ({
        stableId: c.stableId,
        kind: c.kind,
        number: c.number,
        heading: c.heading,
        text: c.text,
        depth: c.depth,
        comments: counts.get(c.stableId) ?? 0,
      })),
    };
  }

  async listPublicComments(
    roundId: string,
    options: { clauseStableId?: string | null; limit: number; offset: number },
  ): Promise<{ total: number; items: PublicComment[] }> {
    await this.publicRound(roundId);
    const { rows, total } = await listComments(this.ctx.database.db, {
      roundId,
      statuses: ['published'],
      clauseStableId: options.clauseStableId ?? null,
      limit: options.limit,
      offset: options.offset,
      order: 'desc',
    });
    return { total, items: rows.map(toPublicComment) };
  }

  private async verifyCaptcha(
    captcha: string | null | undefined,
  ): Promise<{ signature: string; expiresAt: string } | null> {
    if (!this.ctx.config.portalCaptcha) {
      return null;
    }
    const refuse = (): never => {
      throw new AppError('validation_failed', 'The CAPTCHA is missing, wrong or expired: solve a new one.', {
        field: 'captcha',
      });
    };
    if (!captcha) {
      return refuse();
    }
    let payload: { signature?: unknown };
    try {
      payload = JSON.parse(Buffer.from(captcha, 'base64').toString('utf8')) as { signature?: unknown };
    } catch {
      return refuse();
    }
    const ok = await verifySolution(captcha, this.ctx.config.portalCaptchaKey, true).catch(() => false);
    if (!ok || typeof payload.signature !== 'string') {
      return refuse();
    }
    const expires = Number(extractParams(captcha).expires ?? 0);
    return {
      signature: payload.signature,
      expiresAt: new Date(
        (expires || this.ctx.now().getTime() / 1000 + CAPTCHA_SECONDS) * 1000,
      ).toISOString(),
    };
  }

  /** Checks a comment; a commenter's name and contact come back sealed, ready to store. */
  private validateComment(input: CommentInput): Commenter | null {
    if (!input.consent) {
      throw new AppError('validation_failed', 'Please agree to the privacy notice before submitting.', {
        field: 'consent',
      });
    }
    if (clean(input.suggestion) === null) {
      throw new AppError('validation_failed', 'Write your suggestion.', { field: 'suggestion' });
    }
    if (input.anonymous) {
      return null;
    }
    const name = clean(input.name);
    const contact = clean(input.contact);
    if (name === null) {
      throw new AppError('validation_failed', 'Give your name, or comment anonymously.', { field: 'name' });
    }
    if (contact === null || !(PHONE.test(contact) || EMAIL.test(contact))) {
      throw new AppError('validation_failed', 'Give a phone number or an e-mail address to contact you.', {
        field: 'contact',
      });
    }
    return sealCommenter({ name, contact }, this.ctx.config.secretKey);
  }

  /**
   * Takes one comment: CAPTCHA, limits per client address (counted in the database, so every instance sees
   * them), then the comment, its commenter apart, and — under post-moderation — its opinion, in one
   * transaction with one ledger event. The answer always says what happens next.
   */
  async submitComment(options: {
    roundId: string;
    clientAddress: string;
    input: CommentInput;
  }): Promise<CommentReceipt> {
    const { input } = options;
    const commenter = this.validateComment(input);
    const captcha = await this.verifyCaptcha(input.captcha);
    const client = sha256Hex(options.clientAddress);
    const suggestion = input.suggestion.trim();
    const reasons = clean(input.reasons);
    const proposedText = clean(input.proposedText);
    const clauseStableId = clean(input.clauseStableId);
    const now = this.ctx.now();
    return this.intakeQueue.submit({
      roundId: options.roundId,
      now,
      client,
      captcha,
      commenter,
      clauseStableId,
      suggestion,
      reasons,
      proposedText,
    });
  }

  /** The comment becomes an opinion of the round: unit null, the next public registration number, analysis queued. */
  private async acceptAsOpinion(
    tx: Tx,
    round: RoundRecord,
    comment: Pick<
      PortalCommentRow,
      'id' | 'receipt_no' | 'clause_stable_id' | 'clause_id' | 'suggestion' | 'reasons' | 'proposed_text'
    >,
  ): Promise<string> {
    const stamp = this.ctx.now().toISOString();
    const opinion = publicOpinionRow(
      round,
      {
        receiptNo: comment.receipt_no,
        clauseStableId: comment.clause_stable_id,
        clauseId: comment.clause_id,
        suggestion: comment.suggestion,
        reasons: comment.reasons,
        proposedText: comment.proposed_text,
      },
      await nextPublicRegNo(tx, round),
      stamp,
    );
    await insertOpinions(tx, [opinion]);
    await updateComment(tx, comment.id, { opinion_id: opinion.id, updated_at: stamp });
    await enqueueOpinionAnalyses(tx, this.ctx, [opinion.id]);
    return opinion.id;
  }

  /** What became of one comment, for whoever holds its receipt number. */
  async getReceipt(receiptNo: string): Promise<{
    receiptNo: string;
    roundId: string;
    status: PortalCommentStatus;
    submittedAt: string;
    reason: string | null;
    message: Bilingual;
  }> {
    const comment = await findCommentByReceipt(this.ctx.database.db, receiptNo.trim().toUpperCase());
    if (!comment) {
      throw new AppError('not_found', 'No comment has this receipt number.', { field: 'receiptNo' });
    }
    const message: Record<PortalCommentStatus, Bilingual> = {
      pending: { zh: '您的意见正在审核中。', en: 'Your comment is awaiting moderation.' },
      published: {
        zh: '您的意见已公开，并纳入意见汇总。',
        en: 'Your comment is shown and counted in the summary.',
      },
      rejected: {
        zh: '您的意见未予公开，原因见下。',
        en: 'Your comment was not published; the reason is below.',
      },
      hidden: {
        zh: '您的意见已不再公开显示，原因见下。',
        en: 'Your comment is no longer shown; the reason is below.',
      },
    };
    return {
      receiptNo: comment.receipt_no,
      roundId: comment.round_id,
      status: comment.status,
      submittedAt: comment.created_at,
      reason: comment.status === 'rejected' || comment.status === 'hidden' ? comment.moderation_reason : null,
      message: message[comment.status],
    };
  }

  async getPublicSummary(roundId: string): Promise<PublicSummary> {
    await this.publicRound(roundId);
    const portal = await findPortalRound(this.ctx.database.db, roundId);
    if (!portal?.summary) {
      throw new AppError('not_found', 'The summary of this consultation is not published yet.', {
        field: 'roundId',
      });
    }
    return JSON.parse(portal.summary) as PublicSummary;
  }

  // ─── organizers ─────────────────────────────────────────────────────────────────────────────────────

  async getSettings(actor: Actor, roundId: string): Promise<PortalSettings> {
    await this.moderatedRound(actor, roundId);
    const db = this.ctx.database.db;
    const [portal, counts] = await Promise.all([
      findPortalRound(db, roundId),
      countCommentsByStatus(db, roundId),
    ]);
    return {
      roundId,
      moderation: portal?.moderation ?? 'pre',
      summaryPublishedAt: portal?.summary_published_at ?? null,
      counts,
    };
  }

  async updateSettings(
    actor: Actor,
    roundId: string,
    input: { moderation: PortalModeration },
  ): Promise<PortalSettings> {
    await this.moderatedRound(actor, roundId);
    const stamp = this.ctx.now().toISOString();
    await inTransaction(this.ctx.database, async (tx) => {
      await ensurePortalRound(tx, { roundId, now: stamp });
      const before = await findPortalRound(tx, roundId);
      if (before?.moderation === input.moderation) {
        return;
      }
      await updatePortalRound(tx, roundId, { moderation: input.moderation, updated_at: stamp });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'round',
        id: roundId,
        event: 'portal.moderation_set',
        payload: { before: before?.moderation ?? null, after: input.moderation },
      });
    });
    return this.getSettings(actor, roundId);
  }

  async listQueue(
    actor: Actor,
    roundId: string,
    options: { status?: PortalCommentStatus | null; limit: number; offset: number },
  ): Promise<{ total: number; items: QueueComment[] }> {
    await this.moderatedRound(actor, roundId);
    const db = this.ctx.database.db;
    const { rows, total } = await listComments(db, {
      roundId,
      statuses: options.status ? [options.status] : ['pending', 'published', 'rejected', 'hidden'],
      limit: options.limit,
      offset: options.offset,
      order: 'asc',
    });
    const redactions = await listRedactions(
      db,
      rows.map((r) => r.id),
    );
    return {
      total,
      items: rows.map((row) => toQueueComment(row, redactions)),
    };
  }

  private async commentFor(
    actor: Actor,
    commentId: string,
  ): Promise<{ comment: PortalCommentRow; round: RoundRecord }> {
    const comment = await findComment(this.ctx.database.db, commentId);
    if (!comment) {
      throw new AppError('not_found', 'No such comment.', { field: 'commentId' });
    }
    return { comment, round: await this.moderatedRound(actor, comment.round_id) };
  }

  /**
   * approve (pending → published: becomes an opinion), reject (pending → rejected), hide (published →
   * hidden: its opinion is withdrawn and leaves its cluster), restore (hidden → published). A reason is
   * required for everything but approval; the commenter sees it with the receipt number.
   */
  async moderateComment(
    actor: Actor,
    commentId: string,
    input: { action: ModerationAction; reason?: string | null },
  ): Promise<QueueComment> {
    const { comment, round } = await this.commentFor(actor, commentId);
    const reason = clean(input.reason);
    if (input.action !== 'approve' && reason === null) {
      throw new AppError('validation_failed', 'Give the reason (the commenter will see it).', {
        field: 'reason',
      });
    }
    const from: Record<ModerationAction, PortalCommentStatus> = {
      approve: 'pending',
      reject: 'pending',
      hide: 'published',
      restore: 'hidden',
    };
    const to: Record<ModerationAction, PortalCommentStatus> = {
      approve: 'published',
      reject: 'rejected',
      hide: 'hidden',
      restore: 'published',
    };
    if (comment.status !== from[input.action]) {
      throw new AppError('conflict', `A ${comment.status} comment cannot be ${input.action}d.`, {
        field: 'action',
      });
    }
    const stamp = this.ctx.now().toISOString();
    await inTransaction(this.ctx.database, async (tx) => {
      const current = await findComment(tx, commentId);
      if (current?.status !== from[input.action]) {
        throw new AppError('conflict', 'The comment was moderated meanwhile.', { field: 'action' });
      }
      await updateComment(tx, commentId, {
        status: to[input.action],
        moderation_reason: reason,
        moderated_by: actor.userId,
        moderated_at: stamp,
        updated_at: stamp,
      });
      let opinionId = current.opinion_id;
      if (input.action === 'approve' || (input.action === 'restore' && opinionId === null)) {
        await lockPortalRound(tx, round.id, stamp);
        opinionId = await this.acceptAsOpinion(tx, round, current);
      } else if (opinionId !== null && (input.action === 'hide' || input.action === 'restore')) {
        const hide = input.action === 'hide';
        await updateOpinionOfComment(tx, opinionId, {
          status: hide ? 'withdrawn' : 'submitted',
          withdrawn_at: hide ? stamp : null,
          updated_at: stamp,
        });
        await enqueueOpinionAnalyses(tx, this.ctx, [opinionId]);
      }
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'portal_comment',
        id: commentId,
        event: `portal.comment_${input.action === 'approve' ? 'approved' : input.action === 'reject' ? 'rejected' : input.action === 'hide' ? 'hidden' : 'restored'}`,
        payload: { before: current.status, after: to[input.action], reason, opinionId },
      });
      await this.tellCommenter(tx, { round, comment: current, action: input.action, reason });
    });
    return this.queueItem(commentId);
  }

  /**
   * E-mails the outcome to a commenter who left an e-mail address (a phone number gets nothing: there is
   * no SMS channel). The receipt page says the same to whoever holds the receipt number.
   */
  private async tellCommenter(
    tx: Tx,
    options: {
      round: RoundRecord;
      comment: PortalCommentRow;
      action: ModerationAction;
      reason: string | null;
    },
  ): Promise<void> {
    const { round, comment, action, reason } = options;
    const stored = await findCommenter(tx, comment.id);
    if (!stored) {
      return;
    }
    const contact = openContact(stored, this.ctx.config.secretKey);
    // Unreadable (the secret key is missing or changed): moderation goes on without the e-mail.
    if (contact === null || !isEmailContact(contact)) {
      return;
    }
    const on = {
      zh: `您对“${round.title}”提交的意见（回执编号 ${comment.receipt_no}）`,
      en: `Your comment on "${round.title}" (receipt ${comment.receipt_no})`,
    };
    const because = reason ? { zh: `\n原因：${reason}`, en: `\nReason: ${reason}` } : { zh: '', en: '' };
    const outcome: Record<ModerationAction, { subject: Bilingual; body: Bilingual }> = {
      approve: {
        subject: { zh: `您的意见已公开：${round.title}`, en: `Your comment is published: ${round.title}` },
        body: {
          zh: `${on.zh}已审核通过并公开显示，将纳入意见汇总。`,
          en: `${on.en} was approved: it is shown and counted in the summary.`,
        },
      },
      reject: {
        subject: {
          zh: `您的意见未予公开：${round.title}`,
          en: `Your comment was not published: ${round.title}`,
        },
        body: {
          zh: `${on.zh}经审核未予公开。${because.zh}`,
          en: `${on.en} was not published after moderation.${because.en}`,
        },
      },
      hide: {
        subject: {
          zh: `您的意见已不再公开显示：${round.title}`,
          en: `Your comment is no longer shown: ${round.title}`,
        },
        body: {
          zh: `${on.zh}已不再公开显示。${because.zh}`,
          en: `${on.en} is no longer shown.${because.en}`,
        },
      },
      restore: {
        subject: {
          zh: `您的意见已恢复公开显示：${round.title}`,
          en: `Your comment is shown again: ${round.title}`,
        },
        body: { zh: `${on.zh}已恢复公开显示。${because.zh}`, en: `${on.en} is shown again.${because.en}` },
      },
    };
    await queueAddressMail(tx, this.ctx, {
      address: contact,
      kind: 'comment_moderated',
      ...outcome[action],
      link: `/p/${round.id}`,
      // A commenter has no language setting: answer in the language the comment was written in.
      locale: /[\u3400-\u9fff]/.test(comment.suggestion) ? 'zh' : 'en',
    });
  }

  /**
   * Tells the round's moderators that comments await them, at most once per round and hour (a public
   * round may take thousands): the dedupe key names the hour, and each instance remembers the hours it
   * already announced so that most comments cost nothing here.
   */
  private async announcePending(tx: Tx, round: RoundRecord, now: Date): Promise<void> {
    const hour = now.toISOString().slice(0, 13);
    if (this.announced.get(round.id) === hour) {
      return;
    }
    if (this.announced.size >= ANNOUNCED_ROUNDS) {
      this.announced.clear();
    }
    this.announced.set(round.id, hour);
    await notify(tx, this.ctx, {
      userIds: await listRoundModeratorIds(tx, round.id),
      kind: 'comment_moderated',
      subject: {
        zh: `公众意见待审核：${round.title}`,
        en: `Public comments await moderation: ${round.title}`,
      },
      body: {
        zh: `“${round.title}”有新的公众意见进入待审核队列，请及时审核。同一征求意见每小时至多提醒一次。`,
        en: `New public comments on "${round.title}" are waiting in the moderation queue. You are told at most once an hour per consultation.`,
      },
      link: `/rounds/${round.id}/moderation`,
      entity: { kind: 'round', id: round.id },
      dedupeKey: `portal.pending:${round.id}:${hour}`,
    });
  }

  /**
   * A commenter's name and contact, opened for the round's moderators (to reach the commenter about the
   * comment). Each look is a ledger event, without the personal data itself.
   */
  async getCommenter(
    actor: Actor,
    commentId: string,
  ): Promise<{ commentId: string; anonymous: boolean; name: string | null; contact: string | null }> {
    const { comment } = await this.commentFor(actor, commentId);
    const stored = await findCommenter(this.ctx.database.db, commentId);
    if (!stored) {
      return { commentId, anonymous: true, name: null, contact: null };
    }
    let opened: Commenter;
    try {
      opened = openCommenter(stored, this.ctx.config.secretKey);
    } catch {
      throw new AppError(
        'unavailable',
        "The commenter's name and contact cannot be read: CONCORD_SECRET_KEY is missing or was changed.",
        { field: 'commentId' },
      );
    }
    await inTransaction(this.ctx.database, (tx) =>
      this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'portal_comment',
        id: comment.id,
        event: 'portal.commenter_viewed',
        payload: { roundId: comment.round_id },
      }),
    );
    return { commentId, anonymous: false, ...opened };
  }

  /**
   * Removes personal data (phone numbers, ID card numbers, e-mail addresses, and any spans the moderator
   * marks) from the comment and its opinion; the reason is recorded, what was removed is not.
   */
  async redactComment(
    actor: Actor,
    commentId: string,
    input: { reason: string; spans?: string[] },
  ): Promise<QueueComment> {
    const { comment } = await this.commentFor(actor, commentId);
    const reason = clean(input.reason);
    if (reason === null) {
      throw new AppError('validation_failed', 'Give the reason for the redaction.', { field: 'reason' });
    }
    const spans = (input.spans ?? []).map((s) => s.trim()).filter((s) => s.length > 0);
    const fields = {
      suggestion: redactPersonalData(comment.suggestion, spans),
      reasons: comment.reasons === null ? null : redactPersonalData(comment.reasons, spans),
      proposedText: comment.proposed_text === null ? null : redactPersonalData(comment.proposed_text, spans),
    };
    const parts = [fields.suggestion, fields.reasons, fields.proposedText].filter((f) => f !== null);
    const count = parts.reduce((n, p) => n + p.count, 0);
    if (count === 0) {
      throw new AppError('conflict', 'Nothing to redact: no personal data found and no span given.', {
        field: 'spans',
      });
    }
    const kinds = [...new Set(parts.flatMap((p) => p.kinds))];
    const stamp = this.ctx.now().toISOString();
    await inTransaction(this.ctx.database, async (tx) => {
      await updateComment(tx, commentId, {
        suggestion: fields.suggestion.text,
        reasons: fields.reasons?.text ?? null,
        proposed_text: fields.proposedText?.text ?? null,
        redacted: 1,
        updated_at: stamp,
      });
      if (comment.opinion_id !== null) {
        await updateOpinionOfComment(tx, comment.opinion_id, {
          suggestion: fields.suggestion.text,
          reasons: fields.reasons?.text ?? null,
          proposed_text: fields.proposedText?.text ?? null,
          updated_at: stamp,
        });
        await enqueueOpinionAnalyses(tx, this.ctx, [comment.opinion_id]);
      }
      await insertRedaction(tx, {
        id: newId(),
        comment_id: commentId,
        kinds: JSON.stringify(kinds),
        count,
        reason,
        redacted_by: actor.userId,
        created_at: stamp,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'portal_comment',
        id: commentId,
        event: 'portal.comment_redacted',
        payload: { kinds, count, reason, spans: spans.length },
      });
    });
    return this.queueItem(commentId);
  }

  private async queueItem(commentId: string): Promise<QueueComment> {
    const db = this.ctx.database.db;
    const comment = await findComment(db, commentId);
    if (!comment) {
      throw new AppError('not_found', 'No such comment.', { field: 'commentId' });
    }
    return toQueueComment(comment, await listRedactions(db, [commentId]));
  }

  /**
   * Publishes the summary (你说我做) once the comment period is over: per clause, the clusters of what
   * people said with counts and a representative text, and what was done (the approved dispositions).
   * It is frozen when published; publishing again replaces it with the current state.
   */
  async publishSummary(actor: Actor, roundId: string): Promise<PublicSummary> {
    const round = await this.moderatedRound(actor, roundId);
    if (!mayPublishSummary(round)) {
      throw new AppError('conflict', 'The summary is published after the comment period ends.', {
        field: 'roundId',
      });
    }
    const stamp = this.ctx.now().toISOString();
    const db = this.ctx.database.db;
    const summary = buildSummary({
      round,
      publishedAt: stamp,
      clauses: await this.clausesOf(round.versionId),
      sources: await listSummarySources(db, roundId),
    });
    await inTransaction(this.ctx.database, async (tx) => {
      await ensurePortalRound(tx, { roundId, now: stamp });
      await updatePortalRound(tx, roundId, {
        summary: JSON.stringify(summary),
        summary_published_at: stamp,
        summary_published_by: actor.userId,
        updated_at: stamp,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'round',
        id: roundId,
        event: 'portal.summary_published',
        payload: {
          comments: summary.comments,
          clauses: summary.clauses.length,
          digest: sha256Hex(JSON.stringify(summary)),
        },
      });
    });
    return summary;
  }

  /** Drops spent CAPTCHA solutions past their expiry (they could not be replayed any more anyway); returns how many. */
  async pruneCaptchas(): Promise<number> {
    return deleteSpentCaptchas(this.ctx.database.db, this.ctx.now().toISOString());
  }
}

/** A comment as moderators see it: everything but who sent it. */
function toQueueComment(
  row: PortalCommentRow,
  redactions: readonly {
    comment_id: string;
    kinds: string;
    count: number;
    reason: string;
    redacted_by: string | null;
    created_at: string;
  }[],
): QueueComment {
  return {
    ...toPublicComment(row),
    receiptNo: row.receipt_no,
    status: row.status,
    anonymous: row.anonymous === 1,
    named: row.anonymous === 0,
    opinionId: row.opinion_id,
    moderationReason: row.moderation_reason,
    moderatedBy: row.moderated_by,
    moderatedAt: row.moderated_at,
    redacted: row.redacted === 1,
    personalData: holdsPersonalData(`${row.suggestion}\n${row.reasons ?? ''}\n${row.proposed_text ?? ''}`),
    redactions: redactions
      .filter((r) => r.comment_id === row.id)
      .map((r) => ({
        kinds: JSON.parse(r.kinds) as PersonalDataKind[],
        count: r.count,
        reason: r.reason,
        redactedBy: r.redacted_by,
        at: r.created_at,
      })),
  };
}

function toPublicComment(row: PortalCommentRow): PublicComment {
  return {
    id: row.id,
    clauseStableId: row.clause_stable_id,
    suggestion: row.suggestion,
    reasons: row.reasons,
    proposedText: row.proposed_text,
    createdAt: row.created_at,
  };
}

const excerptOf = (text: string): string => (text.length > 120 ? `${text.slice(0, 120)}…` : text);

/** Groups the round's accepted public opinions by clause and cluster; pure, for the frozen summary. */
export function buildSummary(options: {
  round: Pick<RoundRecord, 'id' | 'title'>;
  publishedAt: string;
  clauses: readonly PortalClause[];
  sources: readonly SummarySource[];
}): PublicSummary {
  // One row per opinion: a second approved disposition (after an objection) replaces the first.
  const latest = new Map<string, SummarySource>();
  for (const s of options.sources) {
    const seen = latest.get(s.opinionId);
    if (!seen || (s.decidedAt ?? '') > (seen.decidedAt ?? '')) {
      latest.set(s.opinionId, s);
    }
  }
  const byClause = new Map<string | null, Map<string, SummarySource[]>>();
  for (const s of latest.values()) {
    const clusters = byClause.get(s.clauseStableId) ?? new Map<string, SummarySource[]>();
    byClause.set(s.clauseStableId, clusters);
    const key = s.clusterId ?? `single:${s.opinionId}`;
    clusters.set(key, [...(clusters.get(key) ?? []), s]);
  }
  const order = new Map(options.clauses.map((c, i) => [c.stableId, i]));
  const clauseOf = new Map(options.clauses.map((c) => [c.stableId, c]));
  const clauses: SummaryClause[] = [...byClause.entries()]
    .sort(([a], [b]) => (a === null ? -1 : b === null ? 1 : (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9)))
    .map(([stableId, clusters]) => {
      const clause = stableId === null ? undefined : clauseOf.get(stableId);
      const list = [...clusters.values()]
        .sort((a, b) => b.length - a.length)
        .slice(0, MAX_CLUSTERS_PER_CLAUSE)
        .map((members): SummaryCluster => {
          const representative =
            members.find((m) => m.representativeId !== null && m.opinionId === m.representativeId) ??
            members[0]!;
          const counts = new Map<DispositionCode | 'pending', number>();
          for (const m of members) {
            const code = m.dispositionCode ?? 'pending';
            counts.set(code, (counts.get(code) ?? 0) + 1);
          }
          const decided = representative.dispositionCode
            ? representative
            : members.find((m) => m.dispositionCode !== null);
          return {
            size: members.length,
            representative: representative.suggestion,
            dispositions: [...counts.entries()]
              // Most frequent first; what is still pending after what was decided.
              .sort(
                (a, b) =>
                  b[1] - a[1] ||
                  Number(a[0] === 'pending') - Number(b[0] === 'pending') ||
                  a[0].localeCompare(b[0]),
              )
              .map(([code, count]) => ({ code, count })),
            response: decided?.dispositionCode
              ? { code: decided.dispositionCode, reason: decided.dispositionReason }
              : null,
          };
        });
      return {
        clauseStableId: stableId,
        number: clause?.number ?? null,
        heading: clause?.heading ?? null,
        excerpt: clause ? excerptOf(clause.text) : null,
        comments: [...clusters.values()].reduce((n, m) => n + m.length, 0),
        clusters: list,
      };
    });
  return {
    roundId: options.round.id,
    title: options.round.title,
    publishedAt: options.publishedAt,
    comments: latest.size,
    clauses,
  };
}
