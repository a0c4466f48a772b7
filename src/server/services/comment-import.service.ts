import { createHash, hash } from 'node:crypto';
import type { AnalysisInput } from '../../analysis/pipeline.ts';
import { analyzeCorpusClustersStream } from '../../analysis/pipeline.ts';
import { AppError } from '../../domain/errors.ts';
import { canonicalJson } from '../../domain/ledger.ts';
import { inBulkTransaction } from '../db/executor.ts';
import { orderedIds } from '../db/ordered-ids.ts';
import { canManagePlan } from '../policies/plan.policy.ts';
import {
  commentImportWriter,
  countPublicOpinions,
  findExistingRefs,
  hasExternalRefs,
} from '../repositories/comment-import.repository.ts';
import { clearLinkState, listTopics } from '../repositories/analysis.repository.ts';
import { findRound } from '../repositories/round.repository.ts';
import type { AnalysisService, PlanSetup } from './analysis.service.ts';
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
  /**
   * analyze (comments read, checked and analysed), verify, cluster, link (near-duplicates the clusters
   * keep apart): the analysis; store: the rows.
   */
  phase: 'analyze' | 'verify' | 'cluster' | 'link' | 'write' | 'store';
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
  /** Near-duplicate links stored: pairs of imported opinions alike enough that the clusters keep apart. */
  links: number;
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

  /**
   * Imports `comments`, given whole or as batches read as the import goes (each comment's text is let go
   * once it is stored, so a file of a million comments is never held whole). `expected`: how many
   * comments are coming, for progress, when given as batches.
   */
  async importComments(
    actor: Actor,
    roundId: string,
    comments: readonly ImportedComment[] | AsyncIterable<readonly ImportedComment[]>,
    options: {
      source?: string;
      workers?: number;
      expected?: number;
      /**
       * Finds and stores the near-duplicate links the clusters keep apart too (merge suggestions); without
       * it the round's next analysis finds them.
       */
      links?: boolean;
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
    const batches = isBatches(comments) ? comments : oneBatch(comments);
    const expected = isBatches(comments) ? options.expected : comments.length;
    const setup = await this.analysis.loadSetup(round.planId);
    const nextId = orderedIds(this.ctx.now());
    const now = this.ctx.now().toISOString();
    const threshold = round.dedupeThreshold ?? DEFAULT_THRESHOLD;
    const target = round.title;
    const inputHash = inputHasher(setup, target);
    return inBulkTransaction(this.ctx.database, async (tx) => {
      const base = await countPublicOpinions(tx, roundId);
      const regNo = (i: number): string => `${round.seq}-P-${String(base + i + 1).padStart(7, '0')}`;
      // Comments whose ids the round held before this import are skipped, and so are repeats in the file.
      const checkRefs = await hasExternalRefs(tx, roundId);
      const seen = new Set<string>();
      let read = 0;
      /** Per comment imported, in order: its opinion's id; the comment itself until it is stored. */
      const ids: string[] = [];
      const waiting: (ImportedComment | undefined)[] = [];
      async function* fresh(): AsyncGenerator<AnalysisInput[]> {
        for await (const batch of batches) {
          read += batch.length;
          const refs: string[] = [];
          for (const comment of batch) {
            if (comment.ref !== null) {
              refs.push(comment.ref);
            }
          }
          const existing = checkRefs ? await findExistingRefs(tx, roundId, refs) : null;
          const inputs: AnalysisInput[] = [];
          for (const comment of batch) {
            if (comment.ref !== null) {
              if (seen.has(comment.ref) || existing?.has(comment.ref) === true) {
                continue;
              }
              seen.add(comment.ref);
            }
            const id = nextId();
            ids.push(id);
            waiting.push(comment);
            inputs.push({ id, text: comment.text, target });
          }
          yield inputs;
        }
      }
      // The links this writes are not those the round's analysis last wrote.
      await clearLinkState(tx, roundId);
      const writer = commentImportWriter(this.ctx.database, tx, {
        roundId,
        now,
        threshold,
        analysisVersion: ANALYSIS_VERSION,
      });
      // What was imported, checkable against the file without storing it twice.
      const digest = createHash('sha256');
      /** The topics opinions were labelled with. */
      const labelled = new Set<string>();
      let exactDuplicates = 0;
      let linkCount: number;
      const clusterSizes: number[] = [];
      try {
        // Each opinion is written with its analysis and topics as the analyses come in, in order; once the
        // clusters are known, the clusters, and each clustered or copied opinion's analysis is told its own.
        const { representativeOf, sizeOf, exactDuplicateOf, links } = await analyzeCorpusClustersStream(
          fresh(),
          {
            threshold,
            links: options.links === true,
            taxonomy: setup.taxonomy,
            topicModel: setup.topicModel,
            stanceModel: setup.stanceModel,
            ...(options.workers ? { workers: options.workers } : {}),
            ...(expected === undefined ? {} : { total: expected }),
            onProgress: report,
            onRows: async (rows, first) => {
              for (let k = 0; k < rows.count; k++) {
                const i = first + k;
                const comment = waiting[i]!;
                waiting[i] = undefined;
                const id = ids[i]!;
                writer.opinion([
                  id,
                  regNo(i),
                  comment.text,
                  rows.qualityScore(k),
                  rows.qualityFlags(k),
                  comment.ref,
                ]);
                writer.analysis([
                  id,
                  inputHash(comment.text),
                  rows.textHash(k),
                  rows.stance(k),
                  rows.stanceScore(k),
                  rows.keyphrases(k),
                  rows.figures(k),
                  null,
                  null,
                ]);
                for (const topic of rows.topics(k)) {
                  const topicId = setup.topicIdByKey.get(topic.label);
                  if (topicId) {
                    writer.topic([id, topicId, topic.score]);
                    labelled.add(topicId);
                  }
                }
                digest.update(`${i === 0 ? '' : '\n'}${comment.ref ?? ''}\t${comment.text}`, 'utf8');
              }
              await writer.flush();
            },
          },
        );

        // A cluster is written when its first member comes (the writer sends clusters before the
        // analyses told of them); the links follow the clusters.
        const pairs = links ?? new Int32Array(0);
        linkCount = pairs.length / 2;
        const total = ids.length + linkCount;
        const clusterIds = new Map<number, string>();
        for (let i = 0; i < ids.length; i++) {
          const representative = representativeOf[i]!;
          const original = exactDuplicateOf[i]!;
          let clusterId: string | null = null;
          if (representative !== -1) {
            clusterId = clusterIds.get(representative) ?? null;
            if (clusterId === null) {
              clusterId = nextId();
              clusterIds.set(representative, clusterId);
              clusterSizes.push(sizeOf[i]!);
              writer.cluster([clusterId, ids[representative]!, sizeOf[i]!]);
            }
          }
          if (original !== -1) {
            exactDuplicates++;
          }
          if (clusterId !== null || original !== -1) {
            writer.assign([ids[i]!, clusterId, original === -1 ? null : ids[original]!]);
          }
          if ((i + 1) % WRITE_BLOCK === 0 || i + 1 === ids.length) {
            await writer.flush();
            report({ phase: 'store', done: i + 1, total });
          }
        }
        for (let k = 0; k < linkCount; k++) {
          writer.link([ids[pairs[2 * k]!]!, ids[pairs[2 * k + 1]!]!]);
          if ((k + 1) % WRITE_BLOCK === 0 || k + 1 === linkCount) {
            await writer.flush();
            report({ phase: 'store', done: ids.length + k + 1, total });
          }
        }
        await writer.flush();
      } finally {
        writer.close();
      }
      // Written without foreign-key checks on SQLite (inBulkTransaction): what the rows name that the import
      // did not write, it looks for now that it has written, when no other writer can remove it.
      if ((await findRound(tx, roundId)) === null) {
        throw new AppError('conflict', 'The round was removed while its comments were imported.', {
          field: 'roundId',
        });
      }
      const topics = new Set((await listTopics(tx, round.planId)).map((topic) => topic.id));
      const gone = [...labelled].filter((id) => !topics.has(id));
      if (gone.length > 0) {
        throw new AppError(
          'conflict',
          "The plan's topics changed while the comments were imported; import them again.",
          { field: 'topics', topics: gone },
        );
      }

      const result: CommentImportResult = {
        roundId,
        imported: ids.length,
        skipped: read - ids.length,
        clusters: clusterSizes.length,
        largestClusters: clusterSizes.sort((a, b) => b - a).slice(0, 10),
        exactDuplicates,
        links: linkCount,
        firstRegNo: ids.length > 0 ? regNo(0) : null,
        lastRegNo: ids.length > 0 ? regNo(ids.length - 1) : null,
      };
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'round',
        id: roundId,
        event: 'comments.imported',
        payload: { ...result, source: options.source ?? null, digest: digest.digest('hex') },
      });
      return result;
    });
  }
}

function isBatches(
  comments: readonly ImportedComment[] | AsyncIterable<readonly ImportedComment[]>,
): comments is AsyncIterable<readonly ImportedComment[]> {
  return !Array.isArray(comments);
}

async function* oneBatch(comments: readonly ImportedComment[]): AsyncGenerator<readonly ImportedComment[]> {
  yield comments;
}

/** Any lone surrogate: text that has no canonical JSON. */
const LONE_SURROGATE = /\p{Cs}/u;
/** What JSON escapes in a string (besides lone surrogates): quote, backslash, control characters. */
// eslint-disable-next-line no-control-regex -- JSON escapes every control character
const JSON_ESCAPED = /[\p{Cs}"\\\u0000-\u001f]/u;

/**
 * `analysisInputHash` of many texts with the same target and plan setup, without building the same
 * canonical JSON around each: the text is its last member (members sort by name), so everything before it
 * is the same every time, and most texts are their own JSON between quotes.
 */
export function inputHasher(setup: Pick<PlanSetup, 'fingerprint'>, target: string): (text: string) => string {
  const generic = (text: string): string =>
    analysisInputHash(setup, { text, reasons: null, proposedText: null, target });
  const empty = canonicalJson({
    setup: setup.fingerprint,
    text: '',
    reasons: null,
    proposedText: null,
    target,
  });
  const TEXT_LAST = '"text":""}';
  if (!empty.endsWith(TEXT_LAST)) {
    return generic;
  }
  const prefix = empty.slice(0, -3);
  return (text) => {
    if (!JSON_ESCAPED.test(text)) {
      return hash('sha256', `${prefix}"${text}"}`, 'hex');
    }
    return LONE_SURROGATE.test(text)
      ? generic(text)
      : hash('sha256', `${prefix}${JSON.stringify(text)}}`, 'hex');
  };
}
