import type { DispositionBasis, DispositionCode, ValidDisposition } from '../../domain/disposition-rules.ts';
import { DISPOSITION_LABELS, createsFollowUp, validateDisposition } from '../../domain/disposition-rules.ts';
import { AppError } from '../../domain/errors.ts';
import { dispositionMachine, transition } from '../../domain/state-machines.ts';
import type { Executor, Tx } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import type { RoundStatus } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import {
  canApproveDisposition,
  canAssess,
  canCreateGlobalTemplate,
  canDeleteGlobalTemplate,
  canSeeAllFeedback,
  canUseTemplates,
  isAssignableAssessor,
} from '../policies/assessment.policy.ts';
import type { PlanScope } from '../policies/plan.policy.ts';
import { canManagePlan, canReadPlan } from '../policies/plan.policy.ts';
import type {
  AssessedOpinion,
  DispositionRecord,
  DispositionRow,
  OpinionRow,
  ReasonTemplateRecord,
  RoundRow,
} from '../repositories/disposition.repository.ts';
import {
  deleteReasonTemplate,
  findDisposition,
  findDispositionInStatus,
  findReasonTemplate,
  findRoundRow,
  hasFollowUp,
  insertDisposition,
  insertFollowUp,
  insertReasonTemplate,
  listAssessmentQueue,
  listDispositions,
  listReasonTemplates,
  listSubmittedOpinions,
  toAssessedOpinion,
  toDisposition,
  updateDisposition,
  updateOpinionAssessment,
} from '../repositories/disposition.repository.ts';
import { findOpinionRow } from '../repositories/opinion.repository.ts';
import { findPlan } from '../repositories/plan.repository.ts';
import { listUnitAncestorIds } from '../repositories/unit.repository.ts';
import { findUserById } from '../repositories/user.repository.ts';
import { assertNoUnsettledConflict } from './conflict.service.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';
import { decodeCursor, encodeCursor } from './opinion.service.ts';

/** Round states in which opinions are assessed and disposed (并行处理: from the moment the round opens). */
const ASSESSABLE: readonly RoundStatus[] = ['open', 'closed', 'assessing'];

export interface RoundContext {
  round: RoundRow;
  scope: PlanScope;
}

/** Loads a round and its plan's scope, without a policy check (callers check). */
export async function loadRoundContext(db: Executor, roundId: string): Promise<RoundContext> {
  const round = await findRoundRow(db, roundId);
  if (!round) {
    throw new AppError('not_found', 'No such round.', { field: 'roundId' });
  }
  const plan = await findPlan(db, round.plan_id);
  if (!plan) {
    throw new AppError('not_found', 'No such plan.', { field: 'planId' });
  }
  return {
    round,
    scope: {
      ownerUnitId: plan.ownerUnitId,
      ownerUnitLineage: plan.ownerUnitId
        ? [plan.ownerUnitId, ...(await listUnitAncestorIds(db, plan.ownerUnitId))]
        : [],
    },
  };
}

/** Loads an opinion with its round and scope. */
export async function loadOpinionContext(
  db: Executor,
  opinionId: string,
): Promise<RoundContext & { opinion: OpinionRow }> {
  const opinion = await findOpinionRow(db, opinionId);
  if (!opinion) {
    throw new AppError('not_found', 'No such opinion.', { field: 'opinionId' });
  }
  return { opinion, ...(await loadRoundContext(db, opinion.round_id)) };
}

function assertAssessable(round: RoundRow): void {
  if (!ASSESSABLE.includes(round.status)) {
    throw new AppError(
      'conflict',
      `Opinions are assessed while the round is open, closed or assessing, not ${round.status}.`,
      {
        field: 'status',
        state: round.status,
      },
    );
  }
}

function assertSubmitted(opinion: OpinionRow): void {
  if (opinion.status !== 'submitted') {
    throw new AppError('conflict', `Only submitted opinions are assessed; this one is ${opinion.status}.`, {
      field: 'opinionId',
      state: opinion.status,
    });
  }
}

export interface DispositionBody {
  code: DispositionCode;
  reason?: string | null;
  basis?: DispositionBasis | null;
  templateId?: string | null;
}

/**
 * Approves a disposition in an open transaction: supersedes the opinion's earlier approved one, marks
 * the opinion approved and opens a follow-up for 留作参考. Shared with objection reviews.
 */
export async function applyApproval(
  tx: Tx,
  options: {
    disposition: DispositionRow;
    opinion: OpinionRow;
    planId: string;
    actor: Actor;
    at: string;
    ledger: ServiceContext['ledger'];
  },
): Promise<void> {
  const { disposition, opinion, actor, at } = options;
  const previous = await findDispositionInStatus(tx, opinion.id, 'approved');
  if (previous && previous.id !== disposition.id) {
    await updateDisposition(tx, previous.id, {
      status: transition(dispositionMachine, previous.status, 'supersede'),
    });
  }
  await updateDisposition(tx, disposition.id, {
    status: transition(dispositionMachine, disposition.status, 'approve'),
    decided_by: actor.userId,
    decided_at: at,
  });
  await updateOpinionAssessment(tx, opinion.id, { disposition_status: 'approved', updated_at: at });
  let followUpId: string | null = null;
  if (createsFollowUp(disposition.code) && !(await hasFollowUp(tx, opinion.id))) {
    followUpId = newId();
    await insertFollowUp(tx, {
      id: followUpId,
      plan_id: options.planId,
      opinion_id: opinion.id,
      status: 'open',
      note: disposition.reason,
      created_at: at,
      updated_at: at,
    });
  }
  await options.ledger.append(tx, {
    actor: actorRef(actor),
    entity: 'disposition',
    id: disposition.id,
    event: 'disposition.approved',
    payload: {
      opinionId: opinion.id,
      code: disposition.code,
      supersedes: previous && previous.id !== disposition.id ? previous.id : null,
      objectionId: disposition.objection_id,
      followUpId,
    },
  });
}

/**
 * Inserts a proposed disposition in an open transaction and appends `disposition.proposed`, whose payload
 * gets `extra` (what it supersedes, the objection it answers). Shared with objection reviews.
 */
export async function insertProposal(
  tx: Tx,
  options: {
    opinionId: string;
    disposition: ValidDisposition;
    objectionId: string | null;
    actor: Actor;
    at: string;
    ledger: ServiceContext['ledger'];
    extra: Record<string, unknown>;
  },
): Promise<string> {
  const { opinionId, disposition, actor, at } = options;
  const id = newId();
  await insertDisposition(tx, {
    id,
    opinion_id: opinionId,
    code: disposition.code,
    reason: disposition.reason,
    basis: disposition.basis,
    status: 'proposed',
    proposed_by: actor.userId,
    proposed_at: at,
    decided_by: null,
    decided_at: null,
    objection_id: options.objectionId,
    created_at: at,
  });
  await options.ledger.append(tx, {
    actor: actorRef(actor),
    entity: 'disposition',
    id,
    event: 'disposition.proposed',
    payload: {
      opinionId,
      code: disposition.code,
      reason: disposition.reason,
      basis: disposition.basis,
      ...options.extra,
    },
  });
  return id;
}

export class DispositionService {
  constructor(private readonly ctx: ServiceContext) {}

  // ---- assessment -------------------------------------------------------------------------------------

  /** Sets an opinion's priority and/or assessor. */
  async assessOpinion(
    actor: Actor,
    opinionId: string,
    input: { priority?: 'core' | 'secondary' | null; assigneeId?: string | null },
  ): Promise<AssessedOpinion> {
    return inTransaction(this.ctx.database, async (tx) => {
      const { opinion, round, scope } = await loadOpinionContext(tx, opinionId);
      if (!canAssess(actor, scope)) {
        throw new AppError('forbidden', "Only the plan's organizers assess opinions.");
      }
      assertAssessable(round);
      assertSubmitted(opinion);
      if (input.assigneeId) {
        const user = await findUserById(tx, input.assigneeId);
        if (!user || !isAssignableAssessor(user, scope)) {
          throw new AppError(
            'validation_failed',
            "The assessor must be an active organizer of the plan's unit.",
            {
              field: 'assigneeId',
            },
          );
        }
      }
      const priority = input.priority === undefined ? opinion.priority : input.priority;
      const assigneeId = input.assigneeId === undefined ? opinion.assignee_id : input.assigneeId;
      const at = this.ctx.now().toISOString();
      await updateOpinionAssessment(tx, opinion.id, { priority, assignee_id: assigneeId, updated_at: at });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'opinion',
        id: opinion.id,
        event: 'opinion.assessed',
        payload: {
          before: { priority: opinion.priority, assigneeId: opinion.assignee_id },
          after: { priority, assigneeId },
        },
      });
      return toAssessedOpinion({ ...opinion, priority, assignee_id: assigneeId, updated_at: at });
    });
  }

  /**
   * A round's queue of submitted opinions, per assessor (`me` or a user id) and disposition status, by
   * registration number, a page at a time.
   */
  async assessmentQueue(
    actor: Actor,
    roundId: string,
    filter: {
      assignee?: string;
      status?: 'pending' | 'proposed' | 'approved';
      cursor?: string;
      limit?: number;
    },
  ): Promise<{ items: AssessedOpinion[]; nextCursor: string | null }> {
    const db = this.ctx.database.db;
    const { scope } = await loadRoundContext(db, roundId);
    if (!canAssess(actor, scope)) {
      throw new AppError('forbidden', "Only the plan's organizers see the assessment queue.");
    }
    let assigneeId: string | undefined;
    if (filter.assignee === 'me') {
      if (!actor.userId) {
        throw new AppError('validation_failed', '"me" needs a signed-in user.', { field: 'assignee' });
      }
      assigneeId = actor.userId;
    } else if (filter.assignee) {
      assigneeId = filter.assignee;
    }
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
    const key = filter.cursor ? decodeCursor(filter.cursor, 2) : null;
    const rows = await listAssessmentQueue(db, {
      roundId,
      ...(assigneeId ? { assigneeId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      after: key ? { regNo: key[0]!, id: key[1]! } : null,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toAssessedOpinion),
      nextCursor: rows.length > limit && last ? encodeCursor([last.reg_no ?? '', last.id]) : null,
    };
  }

  // ---- dispositions -----------------------------------------------------------------------------------

  private async resolveBody(
    db: Executor,
    body: DispositionBody,
    planId: string,
  ): Promise<ValidDisposition & { templateId: string | null }> {
    let reason = body.reason ?? null;
    let basis = body.basis ?? null;
    if (body.templateId) {
      const template = await findReasonTemplate(db, body.templateId);
      if (!template || (template.planId !== null && template.planId !== planId)) {
        throw new AppError('validation_failed', 'No such reason template for this plan.', {
          field: 'templateId',
        });
      }
      if (template.code !== body.code) {
        throw new AppError(
          'validation_failed',
          `The template is for "${DISPOSITION_LABELS[template.code]}", not "${DISPOSITION_LABELS[body.code]}".`,
          { field: 'templateId' },
        );
      }
      reason = reason?.trim() ? reason : template.text;
      basis = basis ?? template.basis;
    }
    return {
      ...validateDisposition({ code: body.code, reason, basis }),
      templateId: body.templateId ?? null,
    };
  }

  /** Inserts a proposal in an open transaction, superseding the opinion's earlier proposal. */
  private async propose(
    tx: Tx,
    options: { actor: Actor; opinion: OpinionRow; disposition: ValidDisposition; at: string; bulk: boolean },
  ): Promise<string> {
    const { actor, opinion, disposition, at } = options;
    const earlier = await findDispositionInStatus(tx, opinion.id, 'proposed');
    if (earlier) {
      await updateDisposition(tx, earlier.id, {
        status: transition(dispositionMachine, earlier.status, 'supersede'),
      });
    }
    const id = await insertProposal(tx, {
      opinionId: opinion.id,
      disposition,
      objectionId: null,
      actor,
      at,
      ledger: this.ctx.ledger,
      extra: { supersedes: earlier?.id ?? null, bulk: options.bulk },
    });
    await updateOpinionAssessment(tx, opinion.id, { disposition_status: 'proposed', updated_at: at });
    return id;
  }

  async proposeDisposition(
    actor: Actor,
    opinionId: string,
    body: DispositionBody,
  ): Promise<DispositionRecord> {
    const id = await inTransaction(this.ctx.database, async (tx) => {
      const { opinion, round, scope } = await loadOpinionContext(tx, opinionId);
      if (!canAssess(actor, scope)) {
        throw new AppError('forbidden', "Only the plan's organizers propose dispositions.");
      }
      assertAssessable(round);
      assertSubmitted(opinion);
      const disposition = await this.resolveBody(tx, body, round.plan_id);
      const at = this.ctx.now().toISOString();
      return this.propose(tx, { actor, opinion, disposition, at, bulk: false });
    });
    return toDisposition((await findDisposition(this.ctx.database.db, id))!);
  }

  /** Proposes one disposition for many opinions of a round: all or nothing. */
  async proposeBulk(
    actor: Actor,
    roundId: string,
    body: DispositionBody & { opinionIds: string[] },
  ): Promise<DispositionRecord[]> {
    const ids = await inTransaction(this.ctx.database, async (tx) => {
      const { round, scope } = await loadRoundContext(tx, roundId);
      if (!canAssess(actor, scope)) {
        throw new AppError('forbidden', "Only the plan's organizers propose dispositions.");
      }
      assertAssessable(round);
      const wanted = [...new Set(body.opinionIds)];
      const opinions = await listSubmittedOpinions(tx, roundId, wanted);
      const found = new Set(opinions.map((o) => o.id));
      const invalid = wanted.filter((id) => !found.has(id));
      if (invalid.length > 0) {
        throw new AppError(
          'validation_failed',
          `${invalid.length} of the opinions are not submitted opinions of this round; nothing was written.`,
          { field: 'opinionIds', invalid },
        );
      }
      const disposition = await this.resolveBody(tx, body, round.plan_id);
      const at = this.ctx.now().toISOString();
      const byId = new Map(opinions.map((o) => [o.id, o]));
      const created: string[] = [];
      for (const id of wanted) {
        created.push(await this.propose(tx, { actor, opinion: byId.get(id)!, disposition, at, bulk: true }));
      }
      return created;
    });
    const db = this.ctx.database.db;
    return Promise.all(ids.map(async (id) => toDisposition((await findDisposition(db, id))!)));
  }

  private async loadDisposition(tx: Tx, id: string) {
    const disposition = await findDisposition(tx, id);
    if (!disposition) {
      throw new AppError('not_found', 'No such disposition.', { field: 'dispositionId' });
    }
    return { disposition, ...(await loadOpinionContext(tx, disposition.opinion_id)) };
  }

  /** Approves a proposal; the proposer may not approve their own (审核分离). */
  async approveDisposition(actor: Actor, id: string): Promise<DispositionRecord> {
    await inTransaction(this.ctx.database, async (tx) => {
      const { disposition, opinion, round, scope } = await this.loadDisposition(tx, id);
      if (!canApproveDisposition(actor, scope)) {
        throw new AppError('forbidden', "Only the plan's organizers and leaders approve dispositions.");
      }
      if (disposition.proposed_by !== null && disposition.proposed_by === actor.userId) {
        throw new AppError(
          'forbidden',
          'Four-eyes rule: a disposition is approved by someone other than its proposer (审核分离).',
          { field: 'proposedBy', rule: 'four_eyes' },
        );
      }
      assertAssessable(round);
      await assertNoUnsettledConflict(tx, opinion.id);
      await applyApproval(tx, {
        disposition,
        opinion,
        planId: round.plan_id,
        actor,
        at: this.ctx.now().toISOString(),
        ledger: this.ctx.ledger,
      });
    });
    return toDisposition((await findDisposition(this.ctx.database.db, id))!);
  }

  async rejectDisposition(actor: Actor, id: string, note?: string | null): Promise<DispositionRecord> {
    await inTransaction(this.ctx.database, async (tx) => {
      const { disposition, opinion, round, scope } = await this.loadDisposition(tx, id);
      if (!canApproveDisposition(actor, scope)) {
        throw new AppError('forbidden', "Only the plan's organizers and leaders reject dispositions.");
      }
      if (disposition.proposed_by !== null && disposition.proposed_by === actor.userId) {
        throw new AppError(
          'forbidden',
          'Four-eyes rule: a disposition is decided by someone other than its proposer (审核分离).',
          { field: 'proposedBy', rule: 'four_eyes' },
        );
      }
      assertAssessable(round);
      const at = this.ctx.now().toISOString();
      await updateDisposition(tx, disposition.id, {
        status: transition(dispositionMachine, disposition.status, 'reject'),
        decided_by: actor.userId,
        decided_at: at,
      });
      const approved = await findDispositionInStatus(tx, opinion.id, 'approved');
      await updateOpinionAssessment(tx, opinion.id, {
        disposition_status: approved ? 'approved' : 'pending',
        updated_at: at,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'disposition',
        id: disposition.id,
        event: 'disposition.rejected',
        payload: { opinionId: opinion.id, code: disposition.code, note: note ?? null },
      });
    });
    return toDisposition((await findDisposition(this.ctx.database.db, id))!);
  }

  /** An opinion's dispositions, oldest first: for the plan's people, not for units (they read letters). */
  async listDispositions(actor: Actor, opinionId: string): Promise<DispositionRecord[]> {
    const db = this.ctx.database.db;
    const { scope } = await loadOpinionContext(db, opinionId);
    if (!canSeeAllFeedback(actor, scope)) {
      throw new AppError('forbidden', 'Disposition history is for the plan’s organizers and leaders.');
    }
    return listDispositions(db, opinionId);
  }

  // ---- reason templates -------------------------------------------------------------------------------

  private async planScope(db: Executor, planId: string): Promise<PlanScope> {
    const plan = await findPlan(db, planId);
    if (!plan) {
      throw new AppError('not_found', 'No such plan.', { field: 'planId' });
    }
    return {
      ownerUnitId: plan.ownerUnitId,
      ownerUnitLineage: plan.ownerUnitId
        ? [plan.ownerUnitId, ...(await listUnitAncestorIds(db, plan.ownerUnitId))]
        : [],
    };
  }

  async listTemplates(actor: Actor, planId: string | null): Promise<ReasonTemplateRecord[]> {
    const db = this.ctx.database.db;
    if (!canUseTemplates(actor)) {
      throw new AppError('forbidden', 'Reason templates are for organizers.');
    }
    if (planId !== null && !canReadPlan(actor, await this.planScope(db, planId))) {
      throw new AppError('forbidden', 'This plan belongs to another unit; you may not see it.');
    }
    return listReasonTemplates(db, planId);
  }

  async createTemplate(
    actor: Actor,
    input: { planId?: string | null; code: DispositionCode; basis?: DispositionBasis | null; text: string },
  ): Promise<ReasonTemplateRecord> {
    const planId = input.planId ?? null;
    const id = newId();
    await inTransaction(this.ctx.database, async (tx) => {
      if (planId === null) {
        if (!canCreateGlobalTemplate(actor)) {
          throw new AppError('forbidden', 'Only organizers keep reason templates.');
        }
      } else if (!canManagePlan(actor, await this.planScope(tx, planId))) {
        throw new AppError('forbidden', "Only the plan's organizers keep its reason templates.");
      }
      const valid = validateDisposition({ code: input.code, reason: input.text, basis: input.basis ?? null });
      if (!valid.reason) {
        throw new AppError('validation_failed', 'text must not be empty.', { field: 'text' });
      }
      const at = this.ctx.now().toISOString();
      await insertReasonTemplate(tx, {
        id,
        plan_id: planId,
        code: valid.code,
        basis: valid.basis,
        text: valid.reason,
        created_by: actor.userId,
        created_at: at,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'reason_template',
        id,
        event: 'reason_template.created',
        payload: { planId, code: valid.code, basis: valid.basis, text: valid.reason },
      });
    });
    return (await findReasonTemplate(this.ctx.database.db, id))!;
  }

  async deleteTemplate(actor: Actor, id: string): Promise<void> {
    await inTransaction(this.ctx.database, async (tx) => {
      const template = await findReasonTemplate(tx, id);
      if (!template) {
        throw new AppError('not_found', 'No such reason template.', { field: 'id' });
      }
      const allowed =
        template.planId === null
          ? canDeleteGlobalTemplate(actor, template.createdBy)
          : canManagePlan(actor, await this.planScope(tx, template.planId));
      if (!allowed) {
        throw new AppError('forbidden', 'You may not delete this reason template.');
      }
      await deleteReasonTemplate(tx, id);
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'reason_template',
        id,
        event: 'reason_template.deleted',
        payload: { planId: template.planId, code: template.code },
      });
    });
  }
}
