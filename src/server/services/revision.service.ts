import type { ClauseKind } from '../../domain/clause.ts';
import { countByKind } from '../../domain/clause.ts';
import { AppError } from '../../domain/errors.ts';
import type { RevisionEvent } from '../../domain/state-machines.ts';
import { revisionMachine, transition } from '../../domain/state-machines.ts';
import type { BaseClause, RevisedClause } from '../../domain/revision.ts';
import { applyChanges, publishable } from '../../domain/revision.ts';
import type { Executor, Tx } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import type { ClauseChangeUpdate, ClauseRow, NewClause, NewClauseChange } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import type { PlanScope } from '../policies/plan.policy.ts';
import {
  canApproveRevision,
  canEditRevision,
  canViewRevision,
  isOwnSubmission,
} from '../policies/revision.policy.ts';
import type { VersionRecord } from '../repositories/draft.repository.ts';
import {
  findVersion,
  insertClauses,
  insertVersion,
  latestVersion,
  listClauses,
} from '../repositories/draft.repository.ts';
import type { PlanRecord } from '../repositories/plan.repository.ts';
import { touchPlan } from '../repositories/plan.repository.ts';
import type {
  ClauseChangeRecord,
  RevisionRecord,
  RevisionSummary,
  RevisionUpdate,
} from '../repositories/revision.repository.ts';
import {
  deleteChange,
  findOpenRevision,
  findOpinionForRevision,
  findRevision,
  insertChange,
  insertRevision,
  listAdoptedOpinionIds,
  listChanges,
  listOpenOpinionsOnVersion,
  listRevisionsOfPlan,
  lockRevision,
  markRevisionPublished,
  moveOpinionToClause,
  updateChange,
  updateRevisionState,
} from '../repositories/revision.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';
import type { PlanService } from './plan.service.ts';

export interface RevisionView {
  revision: RevisionRecord;
  changes: ClauseChangeRecord[];
  /** The resulting text per clause, in document order; deleted clauses are kept with status `deleted`. */
  clauses: RevisedClause[];
}

export interface ConsistencyReport {
  /** Opinions with an approved adopted / partially adopted disposition and no change linked to them. */
  adoptedWithoutChange: string[];
  /** Changes that no opinion caused. */
  changesWithoutOpinion: string[];
}

export interface PublishResult {
  revision: RevisionRecord;
  version: VersionRecord;
  carried: { opinionId: string; stableId: string; clauseId: string }[];
  /** Open opinions whose clause was deleted: a person decides where they go. */
  uncertain: { opinionId: string; stableId: string | null }[];
}

export interface ClauseEdit {
  text: string;
  heading?: string | null;
  opinionIds?: string[];
  reason?: string | null;
}

const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])];

/** One tracked change to write: the existing change of the clause is updated, or a new one inserted. */
interface ChangeWrite {
  revision: RevisionRecord;
  stableId: string;
  existing: ClauseChangeRecord | undefined;
  /** The row of a new change, for when there is none yet. */
  insert: Pick<
    NewClauseChange,
    'kind' | 'after_stable_id' | 'old_text' | 'new_text' | 'new_heading' | 'reason'
  >;
  /** What changes on an existing change besides its opinions and `updated_at`. */
  update: ClauseChangeUpdate;
  opinionIds: readonly string[];
  event: string;
  /** The ledger payload besides `changeId`. */
  payload: Record<string, unknown>;
}

/** Rows of a version as the revision builder sees them (parent by stable id). */
export function toBaseClauses(rows: readonly ClauseRow[]): BaseClause[] {
  const stableOf = new Map(rows.map((r) => [r.id, r.stable_id]));
  return rows.map((r) => ({
    stableId: r.stable_id,
    parentStableId: r.parent_id ? (stableOf.get(r.parent_id) ?? null) : null,
    kind: r.kind as ClauseKind,
    number: r.number,
    ordinal: r.ordinal,
    heading: r.heading,
    text: r.text,
  }));
}

/**
 * The next draft version, edited in place: accepted opinions become tracked changes linked to them, the
 * organizers edit the rest, submit it for a leader's approval, and publishing the approved revision makes
 * the next version with the same stable ids.
 */
export class RevisionService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly plans: PlanService,
  ) {}

  private async load(
    actor: Actor,
    revisionId: string,
    need: 'edit' | 'view',
  ): Promise<{ revision: RevisionRecord; plan: PlanRecord; scope: PlanScope }> {
    const revision = await findRevision(this.ctx.database.db, revisionId);
    if (!revision) {
      throw new AppError('not_found', 'No such revision.', { field: 'revisionId' });
    }
    const { plan, scope } = await this.plans.loadPlan(actor, revision.planId);
    if (need === 'edit' ? !canEditRevision(actor, scope) : !canViewRevision(actor, scope)) {
      throw new AppError('forbidden', "Only the plan's organizers revise its draft.");
    }
    if (need === 'edit') {
      transition(revisionMachine, revision.status, 'edit');
    }
    return { revision, plan, scope };
  }

  /**
   * Reads the revision again inside the writing transaction, with its row locked, and checks that its
   * current state allows `event`: a submission that committed meanwhile refuses the edit.
   */
  private async lockFor(tx: Tx, revisionId: string, event: RevisionEvent): Promise<RevisionRecord> {
    const revision = await lockRevision(tx, revisionId, this.ctx.database.dialect);
    if (!revision) {
      throw new AppError('not_found', 'No such revision.', { field: 'revisionId' });
    }
    transition(revisionMachine, revision.status, event);
    return revision;
  }

  private async state(db: Executor, revision: RevisionRecord): Promise<RevisionView> {
    const [rows, changes] = await Promise.all([
      listClauses(db, revision.baseVersionId),
      listChanges(db, revision.id),
    ]);
    const clauses = applyChanges(
      toBaseClauses(rows),
      changes.map((c) => ({
        id: c.id,
        stableId: c.stableId,
        kind: c.kind,
        afterStableId: c.afterStableId,
        newText: c.newText,
        newHeading: c.newHeading,
        opinionIds: c.opinionIds,
        reason: c.reason,
      })),
    );
    return { revision, changes, clauses };
  }

  /** Starts a draft revision of the plan's latest version; one open revision per plan. */
  async startRevision(actor: Actor, planId: string): Promise<RevisionView> {
    const { plan, scope } = await this.plans.loadPlan(actor, planId);
    if (!canEditRevision(actor, scope)) {
      throw new AppError('forbidden', "Only the plan's organizers revise its draft.");
    }
    const id = newId();
    await inTransaction(this.ctx.database, async (tx) => {
      const open = await findOpenRevision(tx, plan.id);
      if (open) {
        throw new AppError('conflict', 'This plan already has an open revision.', { revisionId: open.id });
      }
      const base = await latestVersion(tx, plan.id);
      if (!base) {
        throw new AppError('conflict', 'The plan has no draft version to revise yet.', { field: 'planId' });
      }
      const now = this.ctx.now().toISOString();
      await insertRevision(tx, {
        id,
        plan_id: plan.id,
        base_version_id: base.id,
        status: 'draft',
        published_version_id: null,
        created_by: actor.userId,
        created_at: now,
        published_at: null,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'revision',
        id,
        event: 'revision.started',
        payload: { planId: plan.id, baseVersionId: base.id, baseSeq: base.seq },
      });
    });
    return this.getRevision(actor, id);
  }

  async getRevision(actor: Actor, revisionId: string): Promise<RevisionView> {
    const { revision } = await this.load(actor, revisionId, 'view');
    return this.state(this.ctx.database.db, revision);
  }

  /** The open revision of a plan, or null. */
  async openRevisionOf(actor: Actor, planId: string): Promise<RevisionRecord | null> {
    await this.plans.loadPlan(actor, planId);
    return findOpenRevision(this.ctx.database.db, planId);
  }

  /** Every revision of the plan, newest first: how the organizers and leaders find the open one. */
  async listRevisions(actor: Actor, planId: string): Promise<RevisionSummary[]> {
    const { plan, scope } = await this.plans.loadPlan(actor, planId);
    if (!canViewRevision(actor, scope)) {
      throw new AppError('forbidden', "Only the plan's organizers and leaders see its revisions.");
    }
    return listRevisionsOfPlan(this.ctx.database.db, plan.id);
  }

  // ---- approval by a leader ----------------------------------------------------------------------------

  /** The organizers submit the revision for a leader's approval; it is read-only until decided. */
  async submitRevision(actor: Actor, revisionId: string): Promise<RevisionView> {
    const { revision, scope } = await this.load(actor, revisionId, 'view');
    if (!canEditRevision(actor, scope)) {
      throw new AppError('forbidden', "Only the plan's organizers submit its revision for approval.");
    }
    await inTransaction(this.ctx.database, async (tx) => {
      const current = await this.lockFor(tx, revision.id, 'submit');
      const changes = await listChanges(tx, revision.id);
      const now = this.ctx.now().toISOString();
      await this.moveState(tx, actor, current, {
        event: 'submit',
        set: { submitted_by: actor.userId, submitted_at: now, approved_by: null, approved_at: null },
        ledgerEvent: 'revision.submitted',
        payload: { changeIds: changes.map((c) => c.id) },
      });
    });
    return this.getRevision(actor, revision.id);
  }

  /** A leader of the plan's unit or above approves the submitted revision; the organizers may then publish. */
  async approveRevision(actor: Actor, revisionId: string): Promise<RevisionView> {
    await this.decide(actor, revisionId, 'approve', null);
    return this.getRevision(actor, revisionId);
  }

  /** A leader returns the submitted revision to the organizers with a note saying what to change. */
  async returnRevision(actor: Actor, revisionId: string, input: { note: string }): Promise<RevisionView> {
    const note = input.note.trim();
    if (!note) {
      throw new AppError('validation_failed', 'Returning a revision needs a note.', { field: 'note' });
    }
    await this.decide(actor, revisionId, 'return', note);
    return this.getRevision(actor, revisionId);
  }

  private async decide(
    actor: Actor,
    revisionId: string,
    event: 'approve' | 'return',
    note: string | null,
  ): Promise<void> {
    const { revision, scope } = await this.load(actor, revisionId, 'view');
    if (!canApproveRevision(actor, scope)) {
      throw new AppError(
        'forbidden',
        "Only a leader of the plan's unit or a unit above it approves or returns a revision.",
      );
    }
    await inTransaction(this.ctx.database, async (tx) => {
      const current = await this.lockFor(tx, revision.id, event);
      if (isOwnSubmission(actor, current)) {
        throw new AppError(
          'forbidden',
          'Four-eyes rule: a revision is approved by someone other than who submitted it (审核分离).',
          { field: 'submittedBy', rule: 'four_eyes' },
        );
      }
      const changes = await listChanges(tx, revision.id);
      const now = this.ctx.now().toISOString();
      await this.moveState(tx, actor, current, {
        event,
        set:
          event === 'approve'
            ? { approved_by: actor.userId, approved_at: now }
            : { returned_by: actor.userId, returned_at: now, return_note: note },
        ledgerEvent: event === 'approve' ? 'revision.approved' : 'revision.returned',
        payload: {
          submittedBy: current.submittedBy,
          changeIds: changes.map((c) => c.id),
          ...(note === null ? {} : { note }),
        },
      });
    });
  }

  /** The organizers take a submitted or approved revision back to edit it again; an approval is lost. */
  async withdrawRevision(actor: Actor, revisionId: string): Promise<RevisionView> {
    const { revision, scope } = await this.load(actor, revisionId, 'view');
    if (!canEditRevision(actor, scope)) {
      throw new AppError('forbidden', "Only the plan's organizers withdraw its revision.");
    }
    await inTransaction(this.ctx.database, async (tx) => {
      const current = await this.lockFor(tx, revision.id, 'withdraw');
      await this.moveState(tx, actor, current, {
        event: 'withdraw',
        set: { approved_by: null, approved_at: null },
        ledgerEvent: 'revision.withdrawn',
        payload: { approvedBy: current.approvedBy },
      });
    });
    return this.getRevision(actor, revision.id);
  }

  /** Applies one event of the revision machine to a locked revision and records it in the ledger. */
  private async moveState(
    tx: Tx,
    actor: Actor,
    revision: RevisionRecord,
    step: {
      event: RevisionEvent;
      set: Omit<RevisionUpdate, 'status'>;
      ledgerEvent: string;
      payload: Record<string, unknown>;
    },
  ): Promise<void> {
    const status = transition(revisionMachine, revision.status, step.event);
    const moved = await updateRevisionState(tx, revision.id, {
      from: revision.status,
      set: { ...step.set, status },
    });
    if (!moved) {
      throw new AppError('conflict', 'The revision changed meanwhile; reload it.', { field: 'status' });
    }
    await this.ctx.ledger.append(tx, {
      actor: actorRef(actor),
      entity: 'revision',
      id: revision.id,
      event: step.ledgerEvent,
      payload: { before: revision.status, after: status, ...step.payload },
    });
  }

  /** Checks that every opinion id belongs to a submitted opinion of this plan. */
  private async checkOpinions(tx: Tx, planId: string, opinionIds: readonly string[]): Promise<void> {
    for (const opinionId of opinionIds) {
      const opinion = await findOpinionForRevision(tx, opinionId);
      if (!opinion || opinion.planId !== planId || opinion.status !== 'submitted') {
        throw new AppError(
          'validation_failed',
          `Opinion ${opinionId} is not a submitted opinion of this plan.`,
          {
            field: 'opinionIds',
          },
        );
      }
    }
  }

  /** Updates the clause's existing change or inserts a new one, then appends the ledger event. */
  private async upsertChange(tx: Tx, actor: Actor, change: ChangeWrite): Promise<void> {
    const now = this.ctx.now().toISOString();
    const { revision, existing, opinionIds } = change;
    let changeId: string;
    if (existing) {
      changeId = existing.id;
      await updateChange(tx, existing.id, {
        ...change.update,
        opinion_ids: JSON.stringify(union(existing.opinionIds, opinionIds)),
        updated_at: now,
      });
    } else {
      changeId = newId();
      await insertChange(tx, {
        id: changeId,
        revision_id: revision.id,
        clause_stable_id: change.stableId,
        ...change.insert,
        opinion_ids: JSON.stringify(opinionIds),
        author_id: actor.userId,
        created_at: now,
        updated_at: now,
      });
    }
    await this.ctx.ledger.append(tx, {
      actor: actorRef(actor),
      entity: 'revision',
      id: revision.id,
      event: change.event,
      payload: { changeId, ...change.payload },
    });
  }

  /** Puts the opinion's proposed text into its clause as a tracked change that records the opinion. */
  async acceptOpinion(actor: Actor, revisionId: string, opinionId: string): Promise<RevisionView> {
    const { revision } = await this.load(actor, revisionId, 'edit');
    const opinion = await findOpinionForRevision(this.ctx.database.db, opinionId);
    if (!opinion || opinion.planId !== revision.planId) {
      throw new AppError('not_found', 'No such opinion on this plan.', { field: 'opinionId' });
    }
    if (opinion.status !== 'submitted') {
      throw new AppError('conflict', 'Only submitted opinions are accepted.', { field: 'opinionId' });
    }
    if (!opinion.clauseStableId) {
      throw new AppError('validation_failed', 'The opinion is on the whole draft, not on one clause.', {
        field: 'opinionId',
      });
    }
    if (!opinion.proposedText?.trim()) {
      throw new AppError(
        'validation_failed',
        'The opinion proposes no replacement text; edit the clause instead.',
        {
          field: 'opinionId',
        },
      );
    }
    return this.recordEdit(
      actor,
      revision,
      opinion.clauseStableId,
      {
        text: opinion.proposedText.trim(),
        opinionIds: [opinion.id],
        reason: null,
      },
      'revision.opinion_accepted',
    );
  }

  async editClause(
    actor: Actor,
    revisionId: string,
    stableId: string,
    edit: ClauseEdit,
  ): Promise<RevisionView> {
    const { revision } = await this.load(actor, revisionId, 'edit');
    return this.recordEdit(actor, revision, stableId, edit, 'revision.clause_edited');
  }

  private async recordEdit(
    actor: Actor,
    revision: RevisionRecord,
    stableId: string,
    edit: ClauseEdit,
    event: string,
  ): Promise<RevisionView> {
    const text = edit.text.trim();
    if (!text) {
      throw new AppError(
        'validation_failed',
        'The clause text must not be empty; delete the clause instead.',
        {
          field: 'text',
        },
      );
    }
    await inTransaction(this.ctx.database, async (tx) => {
      await this.lockFor(tx, revision.id, 'edit');
      await this.checkOpinions(tx, revision.planId, edit.opinionIds ?? []);
      const { clauses, changes } = await this.state(tx, revision);
      const clause = clauses.find((c) => c.stableId === stableId);
      if (!clause) {
        throw new AppError('not_found', 'No such clause in this revision.', { field: 'stableId' });
      }
      if (clause.status === 'deleted') {
        throw new AppError('conflict', 'This clause is deleted in the revision.', { field: 'stableId' });
      }
      const existing = changes.find((c) => c.stableId === stableId);
      const opinionIds = edit.opinionIds ?? [];
      await this.upsertChange(tx, actor, {
        revision,
        stableId,
        existing,
        insert: {
          kind: 'edit',
          after_stable_id: null,
          old_text: clause.text,
          new_text: text,
          new_heading: edit.heading ?? null,
          reason: edit.reason ?? null,
        },
        update: {
          new_text: text,
          ...(edit.heading === undefined ? {} : { new_heading: edit.heading }),
          ...(edit.reason === undefined || edit.reason === null ? {} : { reason: edit.reason }),
        },
        opinionIds,
        event,
        payload: {
          stableId,
          kind: existing?.kind ?? 'edit',
          oldText: existing?.oldText ?? clause.text,
          newText: text,
          opinionIds,
          reason: edit.reason ?? null,
        },
      });
    });
    return this.state(this.ctx.database.db, revision);
  }

  /** Inserts a new clause after another (after that clause's subtree, as its sibling of the same kind). */
  async insertClause(
    actor: Actor,
    revisionId: string,
    input: ClauseEdit & { afterStableId: string },
  ): Promise<RevisionView & { stableId: string }> {
    const { revision } = await this.load(actor, revisionId, 'edit');
    const text = input.text.trim();
    if (!text) {
      throw new AppError('validation_failed', 'The clause text must not be empty.', { field: 'text' });
    }
    const stableId = newId();
    await inTransaction(this.ctx.database, async (tx) => {
      await this.lockFor(tx, revision.id, 'edit');
      await this.checkOpinions(tx, revision.planId, input.opinionIds ?? []);
      const { clauses } = await this.state(tx, revision);
      const after = clauses.find((c) => c.stableId === input.afterStableId);
      if (!after || after.status === 'deleted') {
        throw new AppError('validation_failed', 'The clause to insert after is not in this revision.', {
          field: 'afterStableId',
        });
      }
      const opinionIds = input.opinionIds ?? [];
      // A new stable id has no change yet: this always inserts.
      await this.upsertChange(tx, actor, {
        revision,
        stableId,
        existing: undefined,
        insert: {
          kind: 'insert',
          after_stable_id: after.stableId,
          old_text: null,
          new_text: text,
          new_heading: input.heading ?? null,
          reason: input.reason ?? null,
        },
        update: {},
        opinionIds,
        event: 'revision.clause_inserted',
        payload: {
          stableId,
          afterStableId: after.stableId,
          newText: text,
          opinionIds,
          reason: input.reason ?? null,
        },
      });
    });
    return { ...(await this.state(this.ctx.database.db, revision)), stableId };
  }

  /** Deletes a clause (and its subtree); deleting a clause inserted in this revision just drops the insert. */
  async deleteClause(
    actor: Actor,
    revisionId: string,
    stableId: string,
    input: { opinionIds?: string[]; reason?: string | null } = {},
  ): Promise<RevisionView> {
    const { revision } = await this.load(actor, revisionId, 'edit');
    await inTransaction(this.ctx.database, async (tx) => {
      await this.lockFor(tx, revision.id, 'edit');
      await this.checkOpinions(tx, revision.planId, input.opinionIds ?? []);
      const { clauses, changes } = await this.state(tx, revision);
      const clause = clauses.find((c) => c.stableId === stableId);
      if (!clause) {
        throw new AppError('not_found', 'No such clause in this revision.', { field: 'stableId' });
      }
      if (clause.status === 'deleted') {
        throw new AppError('conflict', 'This clause is already deleted.', { field: 'stableId' });
      }
      const existing = changes.find((c) => c.stableId === stableId);
      const opinionIds = input.opinionIds ?? [];
      const payload = { stableId, oldText: existing?.oldText ?? clause.text, opinionIds };
      if (existing?.kind === 'insert') {
        await deleteChange(tx, existing.id);
        await this.ctx.ledger.append(tx, {
          actor: actorRef(actor),
          entity: 'revision',
          id: revision.id,
          event: 'revision.insert_dropped',
          payload: { changeId: existing.id, ...payload },
        });
        return;
      }
      await this.upsertChange(tx, actor, {
        revision,
        stableId,
        existing,
        insert: {
          kind: 'delete',
          after_stable_id: null,
          old_text: clause.text,
          new_text: null,
          new_heading: null,
          reason: input.reason ?? null,
        },
        update: { kind: 'delete', new_text: null, ...(input.reason ? { reason: input.reason } : {}) },
        opinionIds,
        event: 'revision.clause_deleted',
        payload,
      });
    });
    return this.state(this.ctx.database.db, revision);
  }

  async checkConsistency(actor: Actor, revisionId: string): Promise<ConsistencyReport> {
    const { revision } = await this.load(actor, revisionId, 'view');
    const db = this.ctx.database.db;
    const [changes, adopted] = await Promise.all([
      listChanges(db, revision.id),
      listAdoptedOpinionIds(db, revision.planId),
    ]);
    const linked = new Set(changes.flatMap((c) => c.opinionIds));
    return {
      adoptedWithoutChange: adopted.filter((id) => !linked.has(id)),
      changesWithoutOpinion: changes.filter((c) => c.opinionIds.length === 0).map((c) => c.id),
    };
  }

  /**
   * Publishes the approved revision as the plan's next version (same stable ids, new ones for inserted
   * clauses) and carries open opinions to the new clauses; those whose clause was deleted are returned as
   * uncertain.
   */
  async publish(actor: Actor, revisionId: string, input: { label?: string } = {}): Promise<PublishResult> {
    const { revision: loaded, scope } = await this.load(actor, revisionId, 'view');
    if (!canEditRevision(actor, scope)) {
      throw new AppError('forbidden', "Only the plan's organizers publish its revision.");
    }
    const versionId = newId();
    const result = await inTransaction(this.ctx.database, async (tx) => {
      const revision = await this.lockFor(tx, loaded.id, 'publish');
      const latest = await latestVersion(tx, revision.planId);
      const base = await findVersion(tx, revision.baseVersionId);
      if (!base || !latest || latest.id !== base.id) {
        throw new AppError('conflict', 'A newer version was imported since this revision started.', {
          field: 'baseVersionId',
        });
      }
      const { clauses, changes } = await this.state(tx, revision);
      const kept = publishable(clauses);
      const idOf = new Map(kept.map((c) => [c.stableId, newId()] as const));
      const rows: NewClause[] = kept.map((c, position) => ({
        id: idOf.get(c.stableId)!,
        version_id: versionId,
        stable_id: c.stableId,
        parent_id: c.parentStableId ? (idOf.get(c.parentStableId) ?? null) : null,
        position,
        sibling_index: c.siblingIndex,
        depth: c.depth,
        kind: c.kind,
        number: c.number,
        ordinal: c.ordinal,
        heading: c.heading,
        text: c.text,
        path: c.path,
      }));
      const counts = Object.fromEntries(
        Object.entries(
          countByKind(kept.map((c) => ({ ...c, key: c.stableId, parentKey: c.parentStableId }))),
        ).filter(([, n]) => n > 0),
      );
      const match = {
        matched: clauses.filter((c) => c.status === 'unchanged').length,
        changed: clauses.filter((c) => c.status === 'edited').length,
        new: clauses.filter((c) => c.status === 'inserted').length,
        removed: clauses.filter((c) => c.status === 'deleted').length,
        uncertain: 0,
      };
      const now = this.ctx.now().toISOString();
      const seq = base.seq + 1;
      const label = input.label?.trim() || `v${seq}`;
      await insertVersion(tx, {
        id: versionId,
        plan_id: revision.planId,
        seq,
        label,
        title: base.title,
        source_name: `revision ${revision.id}`,
        format: base.format,
        clause_count: rows.length,
        counts: JSON.stringify(counts),
        warnings: '[]',
        previous_version_id: base.id,
        match_counts: JSON.stringify(match),
        created_by: actor.userId,
        created_at: now,
      });
      await insertClauses(tx, rows);
      await markRevisionPublished(tx, revision.id, { versionId, at: now });
      await touchPlan(tx, revision.planId, now);

      const carried: PublishResult['carried'] = [];
      const uncertain: PublishResult['uncertain'] = [];
      for (const opinion of await listOpenOpinionsOnVersion(tx, base.id)) {
        const clauseId = opinion.clauseStableId ? idOf.get(opinion.clauseStableId) : undefined;
        if (clauseId && opinion.clauseStableId) {
          await moveOpinionToClause(tx, opinion.id, { id: clauseId, stableId: opinion.clauseStableId }, now);
          carried.push({ opinionId: opinion.id, stableId: opinion.clauseStableId, clauseId });
          await this.ctx.ledger.append(tx, {
            actor: actorRef(actor),
            entity: 'opinion',
            id: opinion.id,
            event: 'opinion.carried_forward',
            payload: { fromClauseId: opinion.clauseId, toClauseId: clauseId, versionId },
          });
        } else {
          uncertain.push({ opinionId: opinion.id, stableId: opinion.clauseStableId });
        }
      }
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'draft_version',
        id: versionId,
        event: 'draft.revised',
        payload: {
          planId: revision.planId,
          seq,
          label,
          revisionId: revision.id,
          previousVersionId: base.id,
          match,
        },
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'revision',
        id: revision.id,
        event: 'revision.published',
        payload: {
          before: revision.status,
          after: 'published',
          approvedBy: revision.approvedBy,
          versionId,
          seq,
          changeIds: changes.map((c) => c.id),
          carried: carried.length,
          uncertain: uncertain.map((u) => u.opinionId),
        },
      });
      return { carried, uncertain };
    });
    return {
      revision: (await findRevision(this.ctx.database.db, loaded.id))!,
      version: (await findVersion(this.ctx.database.db, versionId))!,
      ...result,
    };
  }
}
