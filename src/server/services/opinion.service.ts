import { createHash } from 'node:crypto';
import { AppError } from '../../domain/errors.ts';
import type { OpinionQuality, OpinionQualityInput } from '../../domain/opinion-quality.ts';
import { checkOpinionQuality } from '../../domain/opinion-quality.ts';
import { invitationMachine, opinionMachine, transition } from '../../domain/state-machines.ts';
import { endOfChinaDay } from '../../domain/working-days.ts';
import type { Executor, Tx } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import type { OpinionKind, OpinionTable } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import type { PlanScope } from '../policies/plan.policy.ts';
import {
  canDraftForUnit,
  canReadOpinion,
  isPlanSide,
  isUnitMember,
  othersVisible,
} from '../policies/opinion.policy.ts';
import { clauseWithStableId, findClause } from '../repositories/draft.repository.ts';
import type {
  ClauseCountRecord,
  EvidenceRecord,
  OpinionAssessment,
  OpinionFilters,
  OpinionReadScope,
  OpinionRecord,
  OpinionRow,
} from '../repositories/opinion.repository.ts';
import {
  countOpinions,
  countOpinionsByClause,
  deleteOpinion,
  findEvidenceFile,
  findOpinionRow,
  insertEvidence,
  insertOpinion,
  listEvidence,
  listOpinions,
  toOpinion,
  toOpinionAssessment,
  updateOpinion,
} from '../repositories/opinion.repository.ts';
import { findPlan } from '../repositories/plan.repository.ts';
import type { InvitationRow, RoundRow } from '../repositories/reply.repository.ts';
import {
  findInvitation,
  findInvitationOfUnit,
  findRound,
  updateInvitation,
} from '../repositories/reply.repository.ts';
import { listUnitAncestorIds } from '../repositories/unit.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';

export interface OpinionInput {
  clauseStableId: string | null;
  quote?: string | null;
  suggestion: string;
  reasons?: string | null;
  proposedText?: string | null;
  kind: OpinionKind;
  blocking?: boolean;
}

export type OpinionPatch = Partial<OpinionInput>;

export type { OpinionFilters };

export interface OpinionPage {
  /** The plan's side also gets each opinion's assessment fields; units never do. */
  items: (OpinionRecord & Partial<OpinionAssessment>)[];
  nextCursor: string | null;
}

/** Filters on fields internal to the plan's side until feedback goes out. */
const PLAN_SIDE_FILTERS = ['priority', 'dispositionStatus'] as const;

/** The plan a round belongs to, as the policies see it. */
export async function loadPlanScope(db: Executor, planId: string): Promise<PlanScope> {
  const plan = await findPlan(db, planId);
  const ownerUnitId = plan?.ownerUnitId ?? null;
  return {
    ownerUnitId,
    ownerUnitLineage: ownerUnitId ? [ownerUnitId, ...(await listUnitAncestorIds(db, ownerUnitId))] : [],
  };
}

/** The last instant a unit's reply is on time: the round's close, or the unit's own extended deadline. */
export function effectiveDeadline(round: RoundRow, invitation: InvitationRow): string {
  if (invitation.deadline) {
    const extended = endOfChinaDay(invitation.deadline);
    return extended > round.closes_at ? extended : round.closes_at;
  }
  return round.closes_at;
}

/** Rounds in which a unit may still draft: open, or closed/assessing for a late reply. */
const DRAFTING_ROUND_STATES = new Set(['open', 'closed', 'assessing']);

const trimOrNull = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

const squash = (text: string): string => text.replace(/\s+/gu, '');

/** A keyset cursor: the sort key of the last row of a page, opaque to clients. */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The sort key of a cursor this API gave out, with `length` parts; a 400 naming `cursor` otherwise. */
export function decodeCursor(cursor: string, length: number): string[] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === length && value.every((v) => typeof v === 'string')) {
      return value;
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', 'cursor is not one this API gave out.', { field: 'cursor' });
}

/**
 * Opinions (意见条目): drafted privately inside an invited unit, checked for quality on every save,
 * submitted with the unit's reply (reply.service), withdrawn before the round closes.
 */
export class OpinionService {
  constructor(private readonly ctx: ServiceContext) {}

  /** The pure quality check, for live use while typing. */
  checkQuality(input: OpinionQualityInput): OpinionQuality {
    return checkOpinionQuality(input);
  }

  async createOpinion(actor: Actor, roundId: string, input: OpinionInput): Promise<OpinionRecord> {
    const id = newId();
    await inTransaction(this.ctx.database, async (tx) => {
      const round = await findRound(tx, roundId);
      if (!round) {
        throw new AppError('not_found', 'No such round.', { field: 'roundId' });
      }
      const invitation = actor.unitId ? await findInvitationOfUnit(tx, roundId, actor.unitId) : undefined;
      if (!invitation || !canDraftForUnit(actor, invitation.unit_id)) {
        throw new AppError(
          'forbidden',
          'Only liaisons and unit heads of an invited unit draft its opinions.',
          {
            field: 'roundId',
          },
        );
      }
      this.assertRoundAcceptsDrafts(round);
      const state = await this.ensureDrafting(tx, actor, invitation);
      const fields = await this.validatedFields(tx, round, input);
      const quality = checkOpinionQuality({ ...fields.qualityInput });
      const now = this.ctx.now().toISOString();
      await insertOpinion(tx, {
        id,
        round_id: round.id,
        invitation_id: invitation.id,
        unit_id: invitation.unit_id,
        author_id: actor.userId,
        reg_no: null,
        ...fields.columns,
        status: 'draft',
        quality_score: quality.score,
        quality_flags: JSON.stringify(quality.flags),
        priority: null,
        assignee_id: null,
        level: invitation.level,
        forwarded_by_unit_id: invitation.forwarded_by_unit_id,
        carried_from_id: null,
        disposition_status: 'pending',
        created_at: now,
        updated_at: now,
        submitted_at: null,
        withdrawn_at: null,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'opinion',
        id,
        event: 'opinion.drafted',
        payload: {
          roundId: round.id,
          invitationId: invitation.id,
          unitId: invitation.unit_id,
          invitationStatus: state,
          ...fields.columns,
          quality: { score: quality.score, flags: quality.flags },
        },
      });
    });
    return toOpinion((await findOpinionRow(this.ctx.database.db, id))!);
  }

  async updateOpinion(actor: Actor, id: string, patch: OpinionPatch): Promise<OpinionRecord> {
    await inTransaction(this.ctx.database, async (tx) => {
      const { opinion, round, invitation } = await this.loadOwnOpinion(tx, actor, id);
      transition(opinionMachine, opinion.status, 'edit');
      this.assertRoundAcceptsDrafts(round);
      this.assertInvitationDrafting(invitation);
      const before = toOpinion(opinion);
      const merged: OpinionInput = {
        clauseStableId: patch.clauseStableId === undefined ? before.clauseStableId : patch.clauseStableId,
        quote: patch.quote === undefined ? before.quote : patch.quote,
        suggestion: patch.suggestion ?? before.suggestion,
        reasons: patch.reasons === undefined ? before.reasons : patch.reasons,
        proposedText: patch.proposedText === undefined ? before.proposedText : patch.proposedText,
        kind: patch.kind ?? before.kind,
        blocking: patch.blocking ?? before.blocking,
      };
      const fields = await this.validatedFields(tx, round, merged);
      const quality = checkOpinionQuality(fields.qualityInput);
      const now = this.ctx.now().toISOString();
      await updateOpinion(tx, id, {
        ...fields.columns,
        quality_score: quality.score,
        quality_flags: JSON.stringify(quality.flags),
        updated_at: now,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'opinion',
        id,
        event: 'opinion.updated',
        payload: {
          before: this.ledgerView(before),
          after: { ...fields.columns, quality: { score: quality.score, flags: quality.flags } },
        },
      });
    });
    return toOpinion((await findOpinionRow(this.ctx.database.db, id))!);
  }

  /** Deletes a draft: it was never sent, so nothing of it needs to stay but the ledger's note. */
  async deleteOpinion(actor: Actor, id: string): Promise<void> {
    await inTransaction(this.ctx.database, async (tx) => {
      const { opinion, invitation } = await this.loadOwnOpinion(tx, actor, id);
      if (opinion.status !== 'draft') {
        throw new AppError('conflict', 'Only a draft opinion can be deleted; withdraw a submitted one.', {
          field: 'status',
          state: opinion.status,
        });
      }
      this.assertInvitationDrafting(invitation);
      await deleteOpinion(tx, id);
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'opinion',
        id,
        event: 'opinion.deleted',
        payload: { before: this.ledgerView(toOpinion(opinion)) },
      });
    });
  }

  /** Drafts may be withdrawn at any time; submitted opinions only while the round is still open. */
  async withdrawOpinion(actor: Actor, id: string): Promise<OpinionRecord> {
    await inTransaction(this.ctx.database, async (tx) => {
      const { opinion, round, invitation } = await this.loadOwnOpinion(tx, actor, id);
      const next = transition(opinionMachine, opinion.status, 'withdraw');
      const now = this.ctx.now();
      if (
        opinion.status === 'submitted' &&
        (round.status !== 'open' || now.toISOString() > effectiveDeadline(round, invitation))
      ) {
        throw new AppError(
          'conflict',
          'The round has closed: a submitted opinion can no longer be withdrawn.',
          {
            field: 'status',
            roundStatus: round.status,
          },
        );
      }
      await updateOpinion(tx, id, {
        status: next,
        withdrawn_at: now.toISOString(),
        updated_at: now.toISOString(),
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'opinion',
        id,
        event: 'opinion.withdrawn',
        payload: { before: { status: opinion.status }, after: { status: next }, regNo: opinion.reg_no },
      });
    });
    return toOpinion((await findOpinionRow(this.ctx.database.db, id))!);
  }

  async getOpinion(actor: Actor, id: string): Promise<OpinionRecord & { evidence: EvidenceRecord[] }> {
    const db = this.ctx.database.db;
    const opinion = await this.loadReadableOpinion(db, actor, id);
    return { ...toOpinion(opinion), evidence: await listEvidence(db, id) };
  }

  /**
   * Who may list a round's opinions and what they see: the plan's side everything sent, with the filters
   * on its own fields; an invited unit its own and, as the round allows, others' submitted ones.
   */
  private async listingScope(
    actor: Actor,
    roundId: string,
    options: OpinionFilters,
  ): Promise<{ planSide: boolean; scope: OpinionReadScope; filters: OpinionFilters }> {
    const db = this.ctx.database.db;
    const round = await findRound(db, roundId);
    if (!round) {
      throw new AppError('not_found', 'No such round.', { field: 'roundId' });
    }
    const plan = await loadPlanScope(db, round.plan_id);
    const planSide = isPlanSide(actor, plan);
    const invitation = actor.unitId ? await findInvitationOfUnit(db, roundId, actor.unitId) : undefined;
    if (!planSide && !invitation) {
      throw new AppError('forbidden', 'Your unit is not invited to this round.', { field: 'roundId' });
    }
    const internal = planSide ? undefined : PLAN_SIDE_FILTERS.find((f) => options[f] !== undefined);
    if (internal) {
      throw new AppError('forbidden', `Only the plan's side filters by ${internal}.`, { field: internal });
    }
    return {
      planSide,
      scope: {
        ownUnitId: invitation && isUnitMember(actor, invitation.unit_id) ? invitation.unit_id : null,
        others: planSide ? 'sent' : othersVisible(round.visibility, round.status) ? 'submitted' : 'none',
      },
      filters: {
        ...(options.clauseStableId ? { clauseStableId: options.clauseStableId } : {}),
        ...(options.unitId ? { unitId: options.unitId } : {}),
        ...(options.level ? { level: options.level } : {}),
        ...(options.status ? { status: options.status } : {}),
        ...(options.kind ? { kind: options.kind } : {}),
        ...(options.quality ? { quality: options.quality } : {}),
        ...(options.priority ? { priority: options.priority } : {}),
        ...(options.dispositionStatus ? { dispositionStatus: options.dispositionStatus } : {}),
        ...(options.hasProposal !== undefined ? { hasProposal: options.hasProposal } : {}),
      },
    };
  }

  async listOpinions(
    actor: Actor,
    roundId: string,
    options: OpinionFilters & { cursor?: string; limit?: number },
  ): Promise<OpinionPage> {
    const { planSide, scope, filters } = await this.listingScope(actor, roundId, options);
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
    const key = options.cursor ? decodeCursor(options.cursor, 2) : null;
    const after = key ? { createdAt: key[0]!, id: key[1]! } : null;
    const rows = await listOpinions(this.ctx.database.db, {
      roundId,
      scope,
      filters,
      after,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((row) =>
        planSide ? { ...toOpinion(row), ...toOpinionAssessment(row) } : toOpinion(row),
      ),
      nextCursor: rows.length > limit && last ? encodeCursor([last.created_at, last.id]) : null,
    };
  }

  /**
   * How many of a round's opinions the caller would list with these filters. Apart from the list so that a
   * page of a large round never waits for the count.
   */
  async countOpinions(actor: Actor, roundId: string, options: OpinionFilters): Promise<{ total: number }> {
    const { scope, filters } = await this.listingScope(actor, roundId, options);
    return { total: await countOpinions(this.ctx.database.db, { roundId, scope, filters }) };
  }

  /**
   * Per clause, the tally of the submitted opinions across a plan's rounds (or one of them): what the
   * plan's side sees of a draft at a glance, counted in the database rather than listed.
   */
  async countByClause(
    actor: Actor,
    planId: string,
    options: { roundId?: string } = {},
  ): Promise<ClauseCountRecord[]> {
    const db = this.ctx.database.db;
    if (!(await findPlan(db, planId))) {
      throw new AppError('not_found', 'No such plan.', { field: 'id' });
    }
    if (!isPlanSide(actor, await loadPlanScope(db, planId))) {
      throw new AppError('forbidden', "Only the plan's side counts its opinions by clause.", { field: 'id' });
    }
    if (options.roundId) {
      const round = await findRound(db, options.roundId);
      if (round?.plan_id !== planId) {
        throw new AppError('not_found', 'No such round in this plan.', { field: 'roundId' });
      }
    }
    return countOpinionsByClause(db, { planId, ...(options.roundId ? { roundId: options.roundId } : {}) });
  }

  async addEvidence(
    actor: Actor,
    id: string,
    file: { fileName: string; contentType: string; data: Buffer },
  ): Promise<EvidenceRecord> {
    const evidenceId = newId();
    const fileName = file.fileName.trim().slice(0, 255);
    if (!fileName) {
      throw new AppError('validation_failed', 'The file needs a name.', { field: 'file' });
    }
    if (file.data.length === 0) {
      throw new AppError('validation_failed', 'The file is empty.', { field: 'file' });
    }
    const sha256 = createHash('sha256').update(file.data).digest('hex');
    await inTransaction(this.ctx.database, async (tx) => {
      const { opinion, invitation } = await this.loadOwnOpinion(tx, actor, id);
      transition(opinionMachine, opinion.status, 'edit');
      this.assertInvitationDrafting(invitation);
      const now = this.ctx.now().toISOString();
      await insertEvidence(tx, {
        id: evidenceId,
        opinion_id: id,
        file_name: fileName,
        content_type: file.contentType || 'application/octet-stream',
        size: file.data.length,
        sha256,
        data: file.data,
        created_at: now,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'opinion',
        id,
        event: 'opinion.evidence_added',
        payload: { evidenceId, fileName, size: file.data.length, sha256 },
      });
    });
    const stored = (await listEvidence(this.ctx.database.db, id)).find((e) => e.id === evidenceId);
    return stored!;
  }

  async getEvidence(
    actor: Actor,
    id: string,
    evidenceId: string,
  ): Promise<EvidenceRecord & { data: Buffer }> {
    const db = this.ctx.database.db;
    await this.loadReadableOpinion(db, actor, id);
    const file = await findEvidenceFile(db, id, evidenceId);
    if (!file) {
      throw new AppError('not_found', 'No such evidence file.', { field: 'evidenceId' });
    }
    return file;
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────────────────────

  private async loadReadableOpinion(db: Executor, actor: Actor, id: string): Promise<OpinionRow> {
    const opinion = await findOpinionRow(db, id);
    if (!opinion) {
      throw new AppError('not_found', 'No such opinion.', { field: 'id' });
    }
    const round = (await findRound(db, opinion.round_id))!;
    const plan = await loadPlanScope(db, round.plan_id);
    const invited = actor.unitId ? await findInvitationOfUnit(db, round.id, actor.unitId) : undefined;
    const readable = canReadOpinion(
      actor,
      {
        plan,
        visibility: round.visibility,
        roundStatus: round.status,
        actorUnitInvited: invited !== undefined,
      },
      { unitId: opinion.unit_id, status: opinion.status, submittedAt: opinion.submitted_at },
    );
    if (!readable) {
      throw new AppError('forbidden', 'You may not see this opinion.', { field: 'id' });
    }
    return opinion;
  }

  /** An opinion of the actor's own unit, which the actor may draft for. */
  private async loadOwnOpinion(
    tx: Tx,
    actor: Actor,
    id: string,
  ): Promise<{ opinion: OpinionRow; round: RoundRow; invitation: InvitationRow }> {
    const opinion = await findOpinionRow(tx, id);
    if (!opinion) {
      throw new AppError('not_found', 'No such opinion.', { field: 'id' });
    }
    if (!canDraftForUnit(actor, opinion.unit_id) || !opinion.invitation_id) {
      throw new AppError('forbidden', "Only the unit's liaisons and unit head change its opinions.", {
        field: 'id',
      });
    }
    const round = (await findRound(tx, opinion.round_id))!;
    const invitation = (await findInvitation(tx, opinion.invitation_id))!;
    return { opinion, round, invitation };
  }

  private assertRoundAcceptsDrafts(round: RoundRow): void {
    if (!DRAFTING_ROUND_STATES.has(round.status)) {
      throw new AppError('conflict', `The round is ${round.status}: opinions cannot be drafted now.`, {
        field: 'status',
        roundStatus: round.status,
      });
    }
  }

  /** Content under review or signed off is frozen; the head returns it for changes first. */
  private assertInvitationDrafting(invitation: InvitationRow): void {
    if (invitation.status !== 'drafting') {
      throw new AppError(
        'conflict',
        `The unit's reply is ${invitation.status.replaceAll('_', ' ')}: opinions change only while drafting.`,
        { field: 'status', state: invitation.status },
      );
    }
  }

  /** The first opinion of an invited unit starts its drafting; other states need an explicit step. */
  private async ensureDrafting(tx: Tx, actor: Actor, invitation: InvitationRow): Promise<string> {
    if (invitation.status === 'invited' || invitation.status === 'acknowledged') {
      const next = transition(invitationMachine, invitation.status, 'start_drafting');
      await updateInvitation(tx, invitation.id, { status: next, updated_at: this.ctx.now().toISOString() });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'invitation',
        id: invitation.id,
        event: 'invitation.drafting',
        payload: { before: { status: invitation.status }, after: { status: next } },
      });
      return next;
    }
    this.assertInvitationDrafting(invitation);
    return invitation.status;
  }

  /** Checks the target clause against the round's version and scope, and normalises the text fields. */
  private async validatedFields(
    tx: Tx,
    round: RoundRow,
    input: OpinionInput,
  ): Promise<{
    columns: Pick<
      OpinionTable,
      | 'clause_stable_id'
      | 'clause_id'
      | 'quote'
      | 'suggestion'
      | 'reasons'
      | 'proposed_text'
      | 'kind'
      | 'blocking'
    >;
    qualityInput: OpinionQualityInput;
  }> {
    const suggestion = input.suggestion.trim();
    if (!suggestion) {
      throw new AppError('validation_failed', 'suggestion must not be empty.', { field: 'suggestion' });
    }
    const quote = trimOrNull(input.quote);
    let clauseId: string | null = null;
    if (input.clauseStableId !== null) {
      const clause = await clauseWithStableId(tx, round.version_id, input.clauseStableId);
      if (!clause) {
        throw new AppError(
          'rule_violated',
          'The clause is not in the draft version this round solicits opinions on.',
          {
            field: 'clauseStableId',
          },
        );
      }
      await this.assertInScope(tx, round, clause.id);
      if (quote && !squash(clause.text).includes(squash(quote))) {
        throw new AppError('rule_violated', 'The quoted text does not occur in the clause.', {
          field: 'quote',
        });
      }
      clauseId = clause.id;
    } else if (quote) {
      throw new AppError('rule_violated', 'A quote needs a target clause.', { field: 'quote' });
    }
    const reasons = trimOrNull(input.reasons);
    const proposedText = trimOrNull(input.proposedText);
    return {
      columns: {
        clause_stable_id: input.clauseStableId,
        clause_id: clauseId,
        quote,
        suggestion,
        reasons,
        proposed_text: proposedText,
        kind: input.kind,
        blocking: input.blocking ? 1 : 0,
      },
      qualityInput: {
        suggestion,
        reasons,
        proposedText,
        quote,
        clauseStableId: input.clauseStableId,
        kind: input.kind,
      },
    };
  }

  /** round.scope lists chapters by stable id: the clause must be one of them or lie under one. */
  private async assertInScope(tx: Tx, round: RoundRow, clauseId: string): Promise<void> {
    if (round.scope === null) {
      return;
    }
    const scope = new Set(JSON.parse(round.scope) as string[]);
    let current = await findClause(tx, clauseId);
    while (current) {
      if (scope.has(current.stable_id)) {
        return;
      }
      current = current.parent_id ? await findClause(tx, current.parent_id) : undefined;
    }
    throw new AppError('rule_violated', 'The clause is outside the scope of this round.', {
      field: 'clauseStableId',
    });
  }

  private ledgerView(opinion: OpinionRecord): Record<string, unknown> {
    return {
      clauseStableId: opinion.clauseStableId,
      quote: opinion.quote,
      suggestion: opinion.suggestion,
      reasons: opinion.reasons,
      proposedText: opinion.proposedText,
      kind: opinion.kind,
      blocking: opinion.blocking,
      status: opinion.status,
      quality: opinion.quality,
    };
  }
}
