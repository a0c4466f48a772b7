import type { Insertable } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import type { CorpusRecordResult } from '../../analysis/pipeline.ts';
import { analyzeCorpus } from '../../analysis/pipeline.ts';
import { inTransaction } from '../db/executor.ts';
import type {
  DuplicateClusterTable,
  OpinionAnalysisTable,
  OpinionTable,
  OpinionTopicTable,
} from '../db/schema.ts';
import { newId, sha256Hex } from '../lib/ids.ts';
import { canManagePlan } from '../policies/plan.policy.ts';
import {
  countPublicOpinions,
  findExistingRefs,
  insertDuplicateClusters,
  insertOpinionAnalyses,
  insertOpinions,
  insertOpinionTopics,
} from '../repositories/comment-import.repository.ts';
import { findRound } from '../repositories/round.repository.ts';
import type { AnalysisService } from './analysis.service.ts';
import { ANALYSIS_VERSION, analysisInputHash } from './analysis.service.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';
import type { PlanService } from './plan.service.ts';

/** One comment of an import file. */
export interface ImportedComment {
  /** Its id in the source file; a comment whose id the round already holds is skipped. */
  ref: string | null;
  text: string;
}

export interface CommentImportProgress {
  /** check: against what the round holds; analyze, verify, cluster: the analysis; store: the rows. */
  phase: 'check' | 'analyze' | 'verify' | 'cluster' | 'write' | 'store';
  done: number;
  total: number;
}

export interface CommentImportResult {
  roundId: string;
  imported: number;
  skipped: number;
  clusters: number;
  largestClusters: number[];
  exactDuplicates: number;
  firstRegNo: string | null;
  lastRegNo: string | null;
}

const ROUND_STATUSES_ACCEPTING_IMPORTS = new Set(['open', 'closed', 'assessing']);
const DEFAULT_THRESHOLD = 0.8;
const WRITE_BLOCK = 10_000;

/**
 * Bulk intake of public comments (a mass campaign's letters, a portal's export): every comment becomes an
 * opinion of the round with its own registration number, analysed on the way in (quality, stance, topics,
 * key phrases, figures, near-duplicate clusters), in one transaction with one ledger event.
 */
export class CommentImportService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly plans: PlanService,
    private readonly analysis: AnalysisService,
  ) {}

  async importComments(
    actor: Actor,
    roundId: string,
    comments: readonly ImportedComment[],
    options: {
      source?: string;
      workers?: number;
      onProgress?: (progress: CommentImportProgress) => void;
    } = {},
  ): Promise<CommentImportResult> {
    const db = this.ctx.database.db;
    const round = await findRound(db, roundId);
    if (!round) {
      throw new AppError('not_found', 'No such round.', { field: 'roundId' });
    }
    const { scope } = await this.plans.loadPlan(actor, round.planId);
    if (!canManagePlan(actor, scope)) {
      throw new AppError('forbidden', "Only the plan's organizers import comments into its rounds.", {
        field: 'roundId',
      });
    }
    if (round.kind !== 'public') {
      throw new AppError(
        'conflict',
        'Comments are imported into public rounds only; units reply to internal ones.',
        {
          field: 'roundId',
        },
      );
    }
    if (!ROUND_STATUSES_ACCEPTING_IMPORTS.has(round.status)) {
      throw new AppError('conflict', `A round that is ${round.status} takes no comments.`, {
        field: 'roundId',
      });
    }
    const report = options.onProgress ?? (() => undefined);
    report({ phase: 'check', done: 0, total: comments.length });
    const refs = comments.flatMap((c) => (c.ref === null ? [] : [c.ref]));
    const existing = await findExistingRefs(db, roundId, [...new Set(refs)]);
    const seen = new Set<string>();
    const fresh = comments.filter((c) => {
      if (c.ref === null) {
        return true;
      }
      if (existing.has(c.ref) || seen.has(c.ref)) {
        return false;
      }
      seen.add(c.ref);
      return true;
    });
    report({ phase: 'check', done: comments.length, total: comments.length });

    const setup = await this.analysis.loadSetup(round.planId);
    const ids = fresh.map(() => newId());
    const results = await analyzeCorpus(
      fresh.map((c, i) => ({ id: ids[i]!, text: c.text, target: round.title })),
      {
        threshold: round.dedupeThreshold ?? DEFAULT_THRESHOLD,
        taxonomy: setup.taxonomy,
        topicModel: setup.topicModel,
        stanceModel: setup.stanceModel,
        ...(options.workers ? { workers: options.workers } : {}),
        onProgress: (p) => report(p),
      },
    );

    const now = this.ctx.now().toISOString();
    const threshold = round.dedupeThreshold ?? DEFAULT_THRESHOLD;
    let written = 0;
    const total = fresh.length * 2;
    const stored = (n: number): void => {
      written += n;
      report({ phase: 'store', done: written, total });
    };
    return inTransaction(this.ctx.database, async (tx) => {
      const base = await countPublicOpinions(tx, roundId);
      const regNo = (i: number): string => `${round.seq}-P-${String(base + i + 1).padStart(7, '0')}`;
      // Rows are built a block at a time: a million comments never sit in memory three times over.
      for (let start = 0; start < fresh.length; start += WRITE_BLOCK) {
        const end = Math.min(fresh.length, start + WRITE_BLOCK);
        const rows: Insertable<OpinionTable>[] = [];
        for (let i = start; i < end; i++) {
          rows.push(this.opinionRow(roundId, ids[i]!, regNo(i), fresh[i]!, results[i]!, now));
        }
        await insertOpinions(tx, rows);
        stored(rows.length);
      }

      const clusterIds = new Map<string, string>();
      const clusters: Insertable<DuplicateClusterTable>[] = [];
      for (const result of results) {
        if (result.cluster !== null && !clusterIds.has(result.cluster)) {
          const id = newId();
          clusterIds.set(result.cluster, id);
          clusters.push({
            id,
            round_id: roundId,
            representative_id: result.cluster,
            size: result.clusterSize,
            status: 'machine',
            threshold,
            reviewed_by: null,
            reviewed_at: null,
            created_at: now,
            updated_at: now,
          });
        }
      }
      await insertDuplicateClusters(tx, clusters);
      for (let start = 0; start < results.length; start += WRITE_BLOCK) {
        const block = results.slice(start, start + WRITE_BLOCK);
        await insertOpinionAnalyses(
          tx,
          block.map((r, k) =>
            this.analysisRow(
              roundId,
              r,
              clusterIds,
              now,
              analysisInputHash(setup, {
                text: fresh[start + k]!.text,
                reasons: null,
                proposedText: null,
                target: round.title,
              }),
            ),
          ),
        );
        await insertOpinionTopics(tx, this.topicRows(block, setup.topicIdByKey, now));
        stored(block.length);
      }

      const result: CommentImportResult = {
        roundId,
        imported: fresh.length,
        skipped: comments.length - fresh.length,
        clusters: clusters.length,
        largestClusters: clusters
          .map((c) => c.size)
          .sort((a, b) => b - a)
          .slice(0, 10),
        exactDuplicates: results.filter((r) => r.duplicateOf !== null).length,
        firstRegNo: fresh.length > 0 ? regNo(0) : null,
        lastRegNo: fresh.length > 0 ? regNo(fresh.length - 1) : null,
      };
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'round',
        id: roundId,
        event: 'comments.imported',
        payload: {
          ...result,
          source: options.source ?? null,
          // What was imported, checkable against the file without storing it twice.
          digest: sha256Hex(fresh.map((c) => `${c.ref ?? ''}\t${c.text}`).join('\n')),
        },
      });
      return result;
    });
  }

  private opinionRow(
    roundId: string,
    id: string,
    regNo: string,
    comment: ImportedComment,
    result: CorpusRecordResult,
    now: string,
  ): Insertable<OpinionTable> {
    return {
      id,
      round_id: roundId,
      invitation_id: null,
      unit_id: null,
      author_id: null,
      reg_no: regNo,
      clause_stable_id: null,
      clause_id: null,
      quote: null,
      suggestion: comment.text,
      reasons: null,
      proposed_text: null,
      kind: 'substantive',
      blocking: 0,
      status: 'submitted',
      quality_score: result.quality.score,
      quality_flags: JSON.stringify(result.quality.flags),
      priority: null,
      assignee_id: null,
      level: null,
      forwarded_by_unit_id: null,
      carried_from_id: null,
      disposition_status: 'pending',
      created_at: now,
      updated_at: now,
      submitted_at: now,
      withdrawn_at: null,
      external_ref: comment.ref,
    };
  }

  private analysisRow(
    roundId: string,
    result: CorpusRecordResult,
    clusterIds: ReadonlyMap<string, string>,
    now: string,
    inputHash: string,
  ): Insertable<OpinionAnalysisTable> {
    return {
      opinion_id: result.id,
      round_id: roundId,
      input_hash: inputHash,
      text_hash: result.textHash,
      stance: result.stance.label,
      stance_score: result.stance.score,
      stance_source: 'machine',
      keyphrases: JSON.stringify(result.keyphrases),
      figures: JSON.stringify(result.figures),
      cluster_id: result.cluster === null ? null : (clusterIds.get(result.cluster) ?? null),
      duplicate_of: result.duplicateOf,
      version: ANALYSIS_VERSION,
      analyzed_at: now,
    };
  }

  private topicRows(
    results: readonly CorpusRecordResult[],
    topicIds: ReadonlyMap<string, string>,
    now: string,
  ): Insertable<OpinionTopicTable>[] {
    const rows: Insertable<OpinionTopicTable>[] = [];
    for (const result of results) {
      for (const topic of result.topics) {
        const topicId = topicIds.get(topic.label);
        if (topicId) {
          rows.push({
            opinion_id: result.id,
            topic_id: topicId,
            score: topic.score,
            source: 'machine',
            rejected: 0,
            labelled_by: null,
            labelled_at: now,
          });
        }
      }
    }
    return rows;
  }
}
