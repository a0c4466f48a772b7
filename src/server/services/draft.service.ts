import { createHash } from 'node:crypto';
import type { ClauseKind, FlatClause } from '../../domain/clause.ts';
import { countByKind, flattenClauses } from '../../domain/clause.ts';
import type { ClauseDiff } from '../../domain/clause-diff.ts';
import { diffVersions } from '../../domain/clause-diff.ts';
import type { MatchCounts } from '../../domain/clause-match.ts';
import { matchClauses } from '../../domain/clause-match.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import { importDraftDocument } from '../../documents/read-document.ts';
import type { ClauseMatchReviewRow, ClauseRow, NewClause } from '../db/schema.ts';
import { inTransaction } from '../db/executor.ts';
import { newId } from '../lib/ids.ts';
import { canManagePlan } from '../policies/plan.policy.ts';
import { canReadVersionThroughRound } from '../policies/round.policy.ts';
import type { VersionRecord } from '../repositories/draft.repository.ts';
import {
  clauseWithStableId,
  findClause,
  findMatchReview,
  findVersion,
  insertClauses,
  insertMatchReviews,
  insertVersion,
  latestVersion,
  listClauses,
  listMatchReviews,
  listVersions,
  resolveMatchReview,
  setClauseStableId,
  toFlatClause,
  updateVersionMatchCounts,
} from '../repositories/draft.repository.ts';
import { touchPlan } from '../repositories/plan.repository.ts';
import { isUnitInvitedToVersion } from '../repositories/round.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';
import type { PlanService } from './plan.service.ts';

export interface ClauseNode {
  id: string;
  stableId: string;
  kind: string;
  number: string | null;
  heading: string | null;
  text: string;
  path: string;
  children: ClauseNode[];
}

export interface ImportResult {
  version: VersionRecord;
  counts: Partial<Record<ClauseKind, number>>;
  match: MatchCounts | null;
  warnings: string[];
}

export interface MatchReview {
  id: string;
  versionId: string;
  status: ClauseMatchReviewRow['status'];
  reason: ClauseMatchReviewRow['reason'];
  score: number | null;
  clause: {
    id: string;
    stableId: string;
    number: string | null;
    heading: string | null;
    text: string;
    path: string;
  };
  candidate: {
    stableId: string;
    number: string | null;
    heading: string | null;
    text: string;
    path: string;
  } | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

/** Builds the nested tree of a version from its rows in document order. */
export function buildClauseTree(rows: ClauseRow[]): ClauseNode[] {
  const roots: ClauseNode[] = [];
  const byId = new Map<string, ClauseNode>();
  for (const row of rows) {
    const node: ClauseNode = {
      id: row.id,
      stableId: row.stable_id,
      kind: row.kind,
      number: row.number,
      heading: row.heading,
      text: row.text,
      path: row.path,
      children: [],
    };
    byId.set(row.id, node);
    const parent = row.parent_id ? byId.get(row.parent_id) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

const nonZero = (counts: Record<string, number>): Partial<Record<ClauseKind, number>> =>
  Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));

export class DraftService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly plans: PlanService,
  ) {}

  /**
   * Imports a file as the plan's next version. Clauses of a next version are matched to the previous
   * version's (exact text, then similar text, then position) and keep their stable ids; uncertain
   * matches get a provisional id and wait in the review queue for a person.
   */
  async importVersion(
    actor: Actor,
    input: { planId: string; fileName: string; data: Buffer; label?: string },
  ): Promise<ImportResult> {
    const { plan, scope } = await this.plans.loadPlan(actor, input.planId);
    if (!canManagePlan(actor, scope)) {
      throw new AppError('forbidden', "Only the plan's organizers import drafts.");
    }
    const parsed = await importDraftDocument({ fileName: input.fileName, data: input.data });
    const flat = flattenClauses(parsed);
    if (flat.length === 0) {
      throw new AppError('empty_document', 'The document has no text to import.', { field: 'file' });
    }
    const counts = nonZero(countByKind(flat));
    const fileHash = createHash('sha256').update(input.data).digest('hex');

    return inTransaction(this.ctx.database, async (tx) => {
      const previous = await latestVersion(tx, plan.id);
      const previousClauses = previous ? (await listClauses(tx, previous.id)).map(toFlatClause) : [];
      const match = previous ? matchClauses(previousClauses, flat) : null;
      const results = new Map(match?.results.map((r) => [r.key, r]));
      const versionId = newId();
      const seq = (previous?.seq ?? 0) + 1;
      const now = this.ctx.now().toISOString();
      const idOfKey = new Map(flat.map((c) => [c.key, newId()] as const));
      const reviews: Parameters<typeof insertMatchReviews>[1] = [];
      const rows: NewClause[] = flat.map((clause, position) => {
        const id = idOfKey.get(clause.key)!;
        const result = results.get(clause.key);
        const stableId = result?.stableId ?? newId();
        if (result?.status === 'uncertain' && result.candidateStableId) {
          reviews.push({
            id: newId(),
            version_id: versionId,
            clause_id: id,
            candidate_stable_id: result.candidateStableId,
            score: result.score ?? null,
            reason: result.pass === 'position' ? 'position' : 'similar',
            status: 'pending',
            resolved_by: null,
            resolved_at: null,
            created_at: now,
          });
        }
        return {
          id,
          version_id: versionId,
          stable_id: stableId,
          parent_id: clause.parentKey ? (idOfKey.get(clause.parentKey) ?? null) : null,
          position,
          sibling_index: clause.siblingIndex,
          depth: clause.depth ?? 0,
          kind: clause.kind,
          number: clause.number,
          ordinal: clause.ordinal ?? null,
          heading: clause.heading,
          text: clause.text,
          path: clause.path,
        };
      });
      await insertVersion(tx, {
        id: versionId,
        plan_id: plan.id,
        seq,
        label: input.label?.trim() || `v${seq}`,
        title: parsed.title,
        source_name: input.fileName,
        format: parsed.format,
        clause_count: rows.length,
        counts: JSON.stringify(counts),
        warnings: JSON.stringify(parsed.warnings),
        previous_version_id: previous?.id ?? null,
        match_counts: match ? JSON.stringify(match.counts) : null,
        created_by: actor.userId,
        created_at: now,
      });
      await insertClauses(tx, rows);
      await insertMatchReviews(tx, reviews);
      await touchPlan(tx, plan.id, now);
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'draft_version',
        id: versionId,
        event: 'draft.imported',
        payload: {
          planId: plan.id,
          seq,
          sourceName: input.fileName,
          sha256: fileHash,
          format: parsed.format,
          clauseCount: rows.length,
          counts,
          previousVersionId: previous?.id ?? null,
          match: match?.counts ?? null,
        },
      });
      const version = (await findVersion(tx, versionId))!;
      return { version, counts, match: match?.counts ?? null, warnings: parsed.warnings };
    });
  }

  async listVersions(actor: Actor, planId: string): Promise<VersionRecord[]> {
    await this.plans.loadPlan(actor, planId);
    return listVersions(this.ctx.database.db, planId);
  }

  async getVersion(actor: Actor, versionId: string): Promise<VersionRecord> {
    const version = await findVersion(this.ctx.database.db, versionId);
    if (!version) {
      throw new AppError('not_found', 'No such draft version.', { field: 'versionId' });
    }
    try {
      await this.plans.loadPlan(actor, version.planId);
    } catch (error) {
      // Members of a unit invited to an opened round on this version read it through the round.
      const invited =
        isAppError(error) &&
        error.code === 'forbidden' &&
        actor.unitId !== null &&
        (await isUnitInvitedToVersion(this.ctx.database.db, actor.unitId, version.id));
      if (!canReadVersionThroughRound(actor, invited)) {
        throw error;
      }
    }
    return version;
  }

  async getClauseTree(
    actor: Actor,
    versionId: string,
  ): Promise<{ version: VersionRecord; clauses: ClauseNode[] }> {
    const version = await this.getVersion(actor, versionId);
    return { version, clauses: buildClauseTree(await listClauses(this.ctx.database.db, versionId)) };
  }

  /** Per-clause differences from `againstId` (an earlier version of the same plan) to `versionId`. */
  async diff(actor: Actor, versionId: string, againstId: string): Promise<ClauseDiff[]> {
    const next = await this.getVersion(actor, versionId);
    const previous = await this.getVersion(actor, againstId);
    if (previous.planId !== next.planId) {
      throw new AppError('validation_failed', 'Both versions must belong to the same plan.', {
        field: 'against',
      });
    }
    const db = this.ctx.database.db;
    const [before, after] = await Promise.all([listClauses(db, previous.id), listClauses(db, next.id)]);
    return diffVersions(before.map(toFlatClause), after.map(toFlatClause));
  }

  async listMatchReviews(
    actor: Actor,
    versionId: string,
    status?: ClauseMatchReviewRow['status'],
  ): Promise<MatchReview[]> {
    const version = await this.getVersion(actor, versionId);
    const db = this.ctx.database.db;
    const reviews = await listMatchReviews(db, versionId, status);
    const clauses = new Map((await listClauses(db, versionId)).map((c) => [c.id, c]));
    const previous = version.previousVersionId
      ? new Map((await listClauses(db, version.previousVersionId)).map((c) => [c.stable_id, c]))
      : new Map<string, ClauseRow>();
    return reviews.map((review) => {
      const clause = clauses.get(review.clause_id)!;
      const candidate = previous.get(review.candidate_stable_id);
      return {
        id: review.id,
        versionId: review.version_id,
        status: review.status,
        reason: review.reason,
        score: review.score,
        clause: {
          id: clause.id,
          stableId: clause.stable_id,
          number: clause.number,
          heading: clause.heading,
          text: clause.text,
          path: clause.path,
        },
        candidate: candidate
          ? {
              stableId: candidate.stable_id,
              number: candidate.number,
              heading: candidate.heading,
              text: candidate.text,
              path: candidate.path,
            }
          : null,
        resolvedBy: review.resolved_by,
        resolvedAt: review.resolved_at,
      };
    });
  }

  /**
   * A person decides an uncertain match: `accept` gives the clause the earlier clause's stable id (opinions
   * on it follow); `reject` keeps its own new id and the earlier clause counts as removed.
   */
  async resolveMatchReview(
    actor: Actor,
    reviewId: string,
    decision: 'accept' | 'reject',
  ): Promise<MatchReview> {
    const db = this.ctx.database.db;
    const review = await findMatchReview(db, reviewId);
    if (!review) {
      throw new AppError('not_found', 'No such match review.', { field: 'id' });
    }
    const version = await this.getVersion(actor, review.version_id);
    const { scope } = await this.plans.loadPlan(actor, version.planId);
    if (!canManagePlan(actor, scope)) {
      throw new AppError('forbidden', "Only the plan's organizers resolve clause matches.");
    }
    if (review.status !== 'pending') {
      throw new AppError('conflict', `This match was already ${review.status}.`, { field: 'status' });
    }
    await inTransaction(this.ctx.database, async (tx) => {
      const clause = (await findClause(tx, review.clause_id))!;
      if (decision === 'accept') {
        const holder = await clauseWithStableId(tx, version.id, review.candidate_stable_id);
        if (holder && holder.id !== clause.id) {
          throw new AppError('conflict', `The earlier clause is already matched to ${holder.path}.`, {
            field: 'decision',
          });
        }
        await setClauseStableId(tx, clause.id, review.candidate_stable_id);
      }
      const now = this.ctx.now().toISOString();
      await resolveMatchReview(tx, review.id, {
        status: decision === 'accept' ? 'accepted' : 'rejected',
        resolvedBy: actor.userId,
        resolvedAt: now,
      });
      if (version.match) {
        const counts = { ...version.match };
        counts.uncertain = (counts.uncertain ?? 0) - 1;
        if (decision === 'accept') {
          counts.changed = (counts.changed ?? 0) + 1;
        } else {
          counts.new = (counts.new ?? 0) + 1;
          counts.removed = (counts.removed ?? 0) + 1;
        }
        await updateVersionMatchCounts(tx, version.id, counts);
      }
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'clause',
        id: clause.id,
        event: 'clause.match_resolved',
        payload: {
          versionId: version.id,
          reviewId: review.id,
          decision,
          provisionalStableId: clause.stable_id,
          candidateStableId: review.candidate_stable_id,
        },
      });
    });
    return (await this.listMatchReviews(actor, version.id)).find((r) => r.id === reviewId)!;
  }
}

export type { FlatClause };
