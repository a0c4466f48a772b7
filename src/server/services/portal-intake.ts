import { randomInt } from 'node:crypto';
import type { Insertable } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { checkOpinionQuality } from '../../domain/opinion-quality.ts';
import type { Executor, Tx } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import type { OpinionTable } from '../db/schema.ts';
import type { PortalCommentStatus, PortalCommentTable, PortalModeration } from '../db/tables/portal.ts';
import { enqueueOpinionAnalyses } from '../jobs/analysis.jobs.ts';
import { newId, sha256Hex } from '../lib/ids.ts';
import { acceptsPublicComments, isShownToPublic } from '../policies/portal.policy.ts';
import { insertOpinions } from '../repositories/comment-import.repository.ts';
import { OUTSIDE_OPINION_COLUMNS } from '../repositories/opinion.repository.ts';
import type { PortalClause } from '../repositories/portal.repository.ts';
import {
  ensurePortalRound,
  insertCommenters,
  insertPortalComments,
  lastRegNo,
  lockPortalRound,
  spendCaptchas,
  unspendCaptchas,
} from '../repositories/portal.repository.ts';
import { hitRateLimits, returnRateLimitHits } from '../repositories/rate-limit.repository.ts';
import type { RoundRecord } from '../repositories/round.repository.ts';
import { findRound } from '../repositories/round.repository.ts';
import type { ServiceContext } from './context.ts';
import type { LedgerEntry } from './ledger.service.ts';

/*
 * Intake of public comments by group commit: comments arriving while a transaction is being written wait
 * and go together into the next one. Each comment is checked first (round open, clause, CAPTCHA not spent,
 * limits of its address counted for the whole batch at once); the accepted ones are then written with a
 * few multi-row statements. One commit carries hundreds of comments — on SQLite the commit and the number
 * of statements, not the rows, are what cost — and each answer is sent only after the commit that holds
 * it, so an accepted comment is never lost. Should the batch's transaction fail, its comments are taken
 * again one by one, so one bad comment cannot sink the others.
 */

export type Bilingual = { zh: string; en: string };

export interface CommentReceipt {
  receiptNo: string;
  status: PortalCommentStatus;
  submittedAt: string;
  message: Bilingual;
}

/** A comment checked and ready to store. */
export interface Intake {
  roundId: string;
  now: Date;
  client: string;
  captcha: { signature: string; expiresAt: string } | null;
  commenter: { name: string; contact: string } | null;
  clauseStableId: string | null;
  suggestion: string;
  reasons: string | null;
  proposedText: string | null;
}

/** Comments per group commit: enough to amortise a commit, few enough to keep a transaction short. */
const MAX_BATCH = 256;
const RECEIPT_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** An unguessable receipt number (P-XXXX-XXXX-XXXX): it shows the status of one comment to whoever holds it. */
export function newReceiptNo(): string {
  let out = 'P';
  for (let i = 0; i < 12; i++) {
    out += (i % 4 === 0 ? '-' : '') + RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)];
  }
  return out;
}

export const receivedMessage = (status: PortalCommentStatus): Bilingual =>
  status === 'published'
    ? {
        zh: '您的意见已收到并公开显示。请保存回执编号，可凭此查询处理情况。',
        en: 'Your comment has been received and is now shown. Keep the receipt number to follow it.',
      }
    : {
        zh: '您的意见已收到，经审核后公开显示。请保存回执编号，可凭此查询处理情况。',
        en: 'Your comment has been received and will be shown after moderation. Keep the receipt number to follow it.',
      };

/** The opinion a published public comment becomes: unit null, the round's next public registration number. */
export function publicOpinionRow(
  round: Pick<RoundRecord, 'id' | 'seq'>,
  comment: {
    receiptNo: string;
    clauseStableId: string | null;
    clauseId: string | null;
    suggestion: string;
    reasons: string | null;
    proposedText: string | null;
  },
  regNo: number,
  stamp: string,
): Insertable<OpinionTable> & { id: string } {
  const quality = checkOpinionQuality({
    suggestion: comment.suggestion,
    reasons: comment.reasons,
    proposedText: comment.proposedText,
    clauseStableId: comment.clauseStableId,
    kind: 'substantive',
  });
  return {
    id: newId(),
    ...OUTSIDE_OPINION_COLUMNS,
    round_id: round.id,
    reg_no: `${round.seq}-P-${String(regNo).padStart(7, '0')}`,
    clause_stable_id: comment.clauseStableId,
    clause_id: comment.clauseId,
    suggestion: comment.suggestion,
    reasons: comment.reasons,
    proposed_text: comment.proposedText,
    quality_score: quality.score,
    quality_flags: JSON.stringify(quality.flags),
    created_at: stamp,
    updated_at: stamp,
    submitted_at: stamp,
    external_ref: comment.receiptNo,
  };
}

/** The number after the round's last public registration number. */
export async function nextPublicRegNo(tx: Executor, round: Pick<RoundRecord, 'id' | 'seq'>): Promise<number> {
  const prefix = `${round.seq}-P-`;
  const last = await lastRegNo(tx, round.id, prefix);
  return (last ? Number(last.slice(prefix.length)) || 0 : 0) + 1;
}

/** A round as a batch of comments sees it. */
interface BatchRound {
  round: RoundRecord;
  moderation: PortalModeration;
  nextReg: number;
  /** Shown to the public and taking comments. */
  open: boolean;
}

interface Pending {
  item: Intake;
  resolve: (receipt: CommentReceipt) => void;
  reject: (error: unknown) => void;
}

const RATE_WINDOWS = [
  { suffix: 'm', seconds: 60 },
  { suffix: 'd', seconds: 86_400 },
] as const;

function windowStartOf(now: Date, seconds: number): number {
  const windowMs = seconds * 1000;
  return Math.floor(now.getTime() / windowMs) * windowMs;
}

function rateLimited(suffix: 'm' | 'd', now: Date, seconds: number): AppError {
  const end = windowStartOf(now, seconds) + seconds * 1000;
  return new AppError(
    'rate_limited',
    suffix === 'm'
      ? 'Too many comments from your address: wait a minute and send again.'
      : 'Too many comments from your address today: send again tomorrow.',
    { retryAfterSeconds: Math.max(1, Math.ceil((end - now.getTime()) / 1000)) },
  );
}

export class PortalIntake {
  private readonly queue: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly hooks: {
      clausesOf: (versionId: string, executor: Executor) => Promise<PortalClause[]>;
      /** Called once per batch for each round that received comments to moderate. */
      onPending?: (tx: Tx, round: RoundRecord, now: Date) => Promise<void>;
    },
  ) {}

  submit(item: Intake): Promise<CommentReceipt> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // SQLite statements resolve as microtasks: without yielding to the event loop first, the requests
        // already received would never get to join the batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await this.settle(batch);
        } catch {
          // The batch's transaction failed as a whole: each comment alone, so only the bad one fails.
          for (const pending of batch) {
            await this.settle([pending]).catch((error: unknown) => pending.reject(error));
          }
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Stores a batch in one transaction, then answers each comment; throws (answering none) if it fails. */
  private async settle(batch: readonly Pending[]): Promise<void> {
    const outcomes = await inTransaction(this.ctx.database, (tx) =>
      this.store(
        tx,
        batch.map((p) => p.item),
      ),
    );
    batch.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (outcome instanceof Error) {
        pending.reject(outcome);
      } else {
        pending.resolve(outcome);
      }
    });
  }

  private async store(tx: Tx, items: readonly Intake[]): Promise<(CommentReceipt | Error)[]> {
    const now = this.ctx.now();
    const stamp = now.toISOString();
    const outcomes: (CommentReceipt | Error | undefined)[] = items.map(() => undefined);
    const rounds = await this.openRounds(tx, items, now);
    const clauseIds: (string | null)[] = items.map(() => null);
    for (const [i, item] of items.entries()) {
      const batchRound = rounds.get(item.roundId);
      if (!batchRound) {
        outcomes[i] = new AppError('not_found', 'No such public consultation.', { field: 'roundId' });
      } else if (!batchRound.open) {
        outcomes[i] = new AppError('conflict', 'This consultation is closed: comments are no longer taken.', {
          field: 'roundId',
        });
      } else if (item.clauseStableId !== null) {
        const clauses = await this.hooks.clausesOf(batchRound.round.versionId, tx);
        const clause = clauses.find((c) => c.stableId === item.clauseStableId);
        if (clause) {
          clauseIds[i] = clause.id;
        } else {
          outcomes[i] = new AppError('validation_failed', 'No such clause in this draft.', {
            field: 'clauseStableId',
          });
        }
      }
    }
    const spent = await this.spendCaptchas(tx, items, outcomes);
    await this.countLimits(tx, items, outcomes, now);
    // Solutions of comments refused by the limits are given back: they may be sent again later.
    await unspendCaptchas(
      tx,
      items.flatMap((item, i) =>
        item.captcha && spent.has(i) && outcomes[i] instanceof Error ? [item.captcha.signature] : [],
      ),
    );

    const opinions: (Insertable<OpinionTable> & { id: string })[] = [];
    const comments: Insertable<PortalCommentTable>[] = [];
    const commenters: { comment_id: string; name: string; contact: string; created_at: string }[] = [];
    const events: LedgerEntry[] = [];
    for (const [i, item] of items.entries()) {
      if (outcomes[i] !== undefined) {
        continue;
      }
      const batchRound = rounds.get(item.roundId)!;
      const { round } = batchRound;
      const status: PortalCommentStatus = batchRound.moderation === 'post' ? 'published' : 'pending';
      const id = newId();
      const receiptNo = newReceiptNo();
      let opinionId: string | null = null;
      if (status === 'published') {
        const opinion = publicOpinionRow(
          round,
          {
            receiptNo,
            clauseStableId: item.clauseStableId,
            clauseId: clauseIds[i]!,
            suggestion: item.suggestion,
            reasons: item.reasons,
            proposedText: item.proposedText,
          },
          batchRound.nextReg,
          stamp,
        );
        batchRound.nextReg += 1;
        opinions.push(opinion);
        opinionId = opinion.id;
      }
      comments.push({
        id,
        round_id: round.id,
        receipt_no: receiptNo,
        clause_stable_id: item.clauseStableId,
        clause_id: clauseIds[i]!,
        suggestion: item.suggestion,
        reasons: item.reasons,
        proposed_text: item.proposedText,
        status,
        opinion_id: opinionId,
        anonymous: item.commenter ? 0 : 1,
        client_hash: item.client,
        moderation_reason: null,
        moderated_by: null,
        moderated_at: null,
        redacted: 0,
        created_at: stamp,
        updated_at: stamp,
      });
      if (item.commenter) {
        commenters.push({ comment_id: id, ...item.commenter, created_at: stamp });
      }
      events.push({
        actor: 'public',
        entity: 'portal_comment',
        id,
        event: 'portal.comment_submitted',
        // No text and nothing personal: the ledger is kept for ever.
        payload: {
          roundId: round.id,
          receiptNo,
          clauseStableId: item.clauseStableId,
          status,
          opinionId,
          named: item.commenter !== null,
          textHash: sha256Hex(`${item.suggestion}\n${item.reasons ?? ''}\n${item.proposedText ?? ''}`),
        },
      });
      outcomes[i] = { receiptNo, status, submittedAt: stamp, message: receivedMessage(status) };
    }
    // The opinions first, so each comment is written once, already pointing at its opinion.
    await insertOpinions(tx, opinions);
    await insertPortalComments(tx, comments);
    await insertCommenters(tx, commenters);
    await enqueueOpinionAnalyses(
      tx,
      this.ctx,
      opinions.map((o) => o.id),
    );
    await this.ctx.ledger.appendMany(tx, events);
    if (this.hooks.onPending) {
      const pendingRounds = new Set(comments.filter((c) => c.status === 'pending').map((c) => c.round_id));
      for (const roundId of pendingRounds) {
        await this.hooks.onPending(tx, rounds.get(roundId)!.round, now);
      }
    }
    return outcomes as (CommentReceipt | Error)[];
  }

  /**
   * Reads each round of a batch once, inside its transaction: the portal row made and locked (PostgreSQL:
   * registration numbers are given one transaction at a time) and the next registration number, counted on
   * in memory as the batch's comments are stored. Rounds not shown to the public are left out.
   */
  private async openRounds(tx: Tx, items: readonly Intake[], now: Date): Promise<Map<string, BatchRound>> {
    const rounds = new Map<string, BatchRound>();
    const stamp = now.toISOString();
    for (const roundId of new Set(items.map((item) => item.roundId))) {
      const round = await findRound(tx, roundId);
      if (!round || !isShownToPublic(round)) {
        continue;
      }
      if (!acceptsPublicComments(round, now)) {
        rounds.set(roundId, { round, moderation: 'pre', nextReg: 0, open: false });
        continue;
      }
      await ensurePortalRound(tx, { roundId, now: stamp });
      const moderation = await lockPortalRound(tx, roundId, stamp);
      rounds.set(roundId, { round, moderation, nextReg: await nextPublicRegNo(tx, round), open: true });
    }
    return rounds;
  }

  /** Spends the CAPTCHA solutions of the comments still standing; a reused one refuses its comment. */
  private async spendCaptchas(
    tx: Tx,
    items: readonly Intake[],
    outcomes: (CommentReceipt | Error | undefined)[],
  ): Promise<Set<number>> {
    const first = new Map<string, number>();
    const used = (): AppError =>
      new AppError('validation_failed', 'This CAPTCHA was used already: solve a new one.', {
        field: 'captcha',
      });
    for (const [i, item] of items.entries()) {
      if (outcomes[i] !== undefined || !item.captcha) {
        continue;
      }
      if (first.has(item.captcha.signature)) {
        outcomes[i] = used();
      } else {
        first.set(item.captcha.signature, i);
      }
    }
    const fresh = await spendCaptchas(
      tx,
      [...first.keys()].map((signature) => items[first.get(signature)!]!.captcha!),
    );
    const spent = new Set<number>();
    for (const [signature, i] of first) {
      if (fresh.has(signature)) {
        spent.add(i);
      } else {
        outcomes[i] = used();
      }
    }
    return spent;
  }

  /**
   * Counts the comments still standing against the limits of their addresses, per minute and per day, in
   * one statement; an address's comments beyond a limit are refused in arrival order and their hits taken
   * back, so a refused flood stays exactly at the limit.
   */
  private async countLimits(
    tx: Tx,
    items: readonly Intake[],
    outcomes: (CommentReceipt | Error | undefined)[],
    now: Date,
  ): Promise<void> {
    const { config } = this.ctx;
    const limits = { m: config.portalRatePerMinute, d: config.portalRatePerDay };
    const byClient = new Map<string, number[]>();
    for (const [i, item] of items.entries()) {
      if (outcomes[i] === undefined) {
        const list = byClient.get(item.client);
        if (list) {
          list.push(i);
        } else {
          byClient.set(item.client, [i]);
        }
      }
    }
    const windows = RATE_WINDOWS.map((w) => ({
      ...w,
      start: new Date(windowStartOf(now, w.seconds)).toISOString(),
    }));
    const counts = await hitRateLimits(
      tx,
      [...byClient].flatMap(([client, list]) =>
        windows.map((w) => ({
          key: `portal:${client}:${w.suffix}`,
          windowStart: w.start,
          count: list.length,
        })),
      ),
    );
    for (const [client, list] of byClient) {
      let accepted = list.length;
      // The first window (a minute) whose limit refuses the most names the refusal.
      let binding: (typeof windows)[number] | null = null;
      for (const w of windows) {
        const after = counts.get(`portal:${client}:${w.suffix}`) ?? list.length;
        const room = Math.max(0, limits[w.suffix] - (after - list.length));
        if (room < accepted) {
          accepted = room;
          binding = w;
        }
      }
      if (!binding) {
        continue;
      }
      for (const i of list.slice(accepted)) {
        outcomes[i] = rateLimited(binding.suffix, now, binding.seconds);
      }
      for (const w of windows) {
        await returnRateLimitHits(tx, {
          key: `portal:${client}:${w.suffix}`,
          windowStart: w.start,
          count: list.length - accepted,
        });
      }
    }
  }
}
