import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Figure } from '../../analysis/figures.ts';
import { findConflictCandidates } from '../../analysis/conflicts.ts';
import { modelJson } from '../../analysis/classify/model.ts';
import type { DuplicateResult, ReviewCluster } from '../../analysis/dedupe/index.ts';
import { clusterBesideHeldOffThread } from '../../analysis/parallel/held.ts';
import {
  DEFAULT_THRESHOLD,
  confirmCluster as confirmReviewCluster,
  mergeClusters as mergeReviewClusters,
  splitCluster as splitReviewCluster,
} from '../../analysis/dedupe/index.ts';
import { clauseKeyphrases } from '../../analysis/keyphrases.ts';
import { exactHash } from '../../analysis/normalize.ts';
import type { RecordAnalysis } from '../../analysis/pipeline.ts';
import { analyzeRecord } from '../../analysis/pipeline.ts';
import { assessQuality } from '../../analysis/quality.ts';
import { routeClauses, suggestQuestions } from '../../analysis/routing.ts';
import { SimilarityIndex } from '../../analysis/similar.ts';
import type { Stance } from '../../analysis/stance/lexicon.ts';
import { STANCES } from '../../analysis/stance/lexicon.ts';
import type { StanceModel } from '../../analysis/stance/model.ts';
import { parseStanceModel, trainStanceModel } from '../../analysis/stance/model.ts';
import { summarizeClause } from '../../analysis/summary.ts';
import { tokenize } from '../../analysis/tokenize.ts';
import type { TopicModel } from '../../analysis/topics/model.ts';
import { UNLABELLED_LIMIT, parseTopicModel, trainTopicModel } from '../../analysis/topics/model.ts';
import type { Taxonomy } from '../../analysis/topics/taxonomy.ts';
import { DEFAULT_MIN_LABELS, validateTaxonomy } from '../../analysis/topics/taxonomy.ts';
import { AppError } from '../../domain/errors.ts';
import { canonicalJson } from '../../domain/ledger.ts';
import type { Executor, Tx } from '../db/executor.ts';
import { inBulkTransaction, inTransaction } from '../db/executor.ts';
import type { AnalysisTask, ClusterStatus, LabelSource } from '../db/schema.ts';
import { ANALYSIS_OPINION, ANALYSIS_ROUND, opinionJobKey, roundJobKey } from '../jobs/analysis.jobs.ts';
import type { JobQueue, JobView } from '../jobs/queue.ts';
import { presentJob } from '../jobs/queue.ts';
import { newId, sha256Hex } from '../lib/ids.ts';
import type { LanguageModel } from '../llm/provider.ts';
import { createLanguageModel } from '../llm/provider.ts';
import { canReviewAnalysis, canViewAnalysis } from '../policies/analysis.policy.ts';
import type { PlanScope } from '../policies/plan.policy.ts';
import type {
  DuplicateLinkPair,
  ClusterLink,
  ClusterRecord,
  ModelRecord,
  OpinionBrief,
  OpinionSource,
  OpinionTopicRecord,
  TopicRecord,
} from '../repositories/analysis.repository.ts';
import {
  countRoundAnalysis,
  deleteClusters,
  deleteTopics,
  findCluster,
  findLatestJobByKeyPrefix,
  findModelJson,
  findOpinionAnalysis,
  findOpinionSource,
  findVersionPlan,
  fingerprintPlans,
  insertClusters,
  insertTopic,
  listActiveRoundIds,
  listAnalysedOpinions,
  listClusterLinks,
  listClusterMembers,
  listClusterPage,
  listDuplicateLinkKeys,
  listClustersByIds,
  listClustersOfRound,
  listHumanStanceLabels,
  listHumanTopicLabels,
  listMemberIds,
  listModels,
  listOpinionBriefs,
  listOpinionTopics,
  listOpinionsOfPlans,
  listPlanSources,
  listRelatedOfCluster,
  listRoutingUnits,
  listSourcesByIds,
  listSubmittedSources,
  listStancePage,
  listTopicReviewPage,
  listTopics,
  listUnanalyzedOpinionIds,
  lockRound,
  mapApprovedCodes,
  mapInputHashes,
  insertDuplicateLinks,
  deleteDuplicateLinks,
  deleteRoundLinks,
  countRoundLinks,
  clearClusterState,
  clusterStateDigest,
  findClusterState,
  findLinkState,
  LinkDigest,
  saveClusterState,
  saveLinkState,
  replaceMachineTopics,
  replaceModel,
  setClusterOf,
  setDuplicateOf,
  setHumanStance,
  setHumanTopic,
  setRoundThreshold,
  updateCluster,
  updateTopic,
  upsertOpinionAnalysis,
} from '../repositories/analysis.repository.ts';
import { clauseWithStableId, listClauses } from '../repositories/draft.repository.ts';
import type { RoundRow } from '../repositories/reply.repository.ts';
import { findRound } from '../repositories/reply.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';
import { decodeCursor, encodeCursor, loadPlanScope } from './opinion.service.ts';
import type { PlanService } from './plan.service.ts';

/** Version of the analysis an opinion's stored results come from; a new version re-analyses on the next run. */
export const ANALYSIS_VERSION = 1;
/**
 * Goes into the digest of what a rebuild of a round's clusters reads (`clusterStateDigest`): a new
 * version of the analysis, or of how clusters are rebuilt, makes every round's next job rebuild them.
 */
const CLUSTER_STATE_SALT = `analysis ${ANALYSIS_VERSION}, clusters 1`;
export const MIN_DEDUPE_THRESHOLD = 0.5;

const EXCERPT_CHARS = 160;
/** Opinions analysed per transaction in a round job. */
const BATCH = 200;
/** The most opinions a view of one clause (conflicts, summary) reads. */
const CLAUSE_OPINION_LIMIT = 5_000;
/** Opinions of other plans one similarity index holds, and how many indexes a process keeps. */
const SIMILAR_INDEX_LIMIT = 50_000;
const SIMILAR_CACHE_SIZE = 4;
const MODEL_CACHE_SIZE = 8;

// ---- views -------------------------------------------------------------------------------------------

export interface TopicView {
  id: string;
  key: string;
  label: string;
  keywords: string[];
  position: number;
}

export interface TaxonomyView {
  planId: string;
  topics: TopicView[];
  /** Labels a person must give a topic before the machine learns it. */
  minLabels: number;
}

export interface OpinionBriefView {
  id: string;
  regNo: string | null;
  unitId: string | null;
  unitName: string | null;
  clauseStableId: string | null;
  excerpt: string;
}

/** Related clusters and opinions a cluster's view lists at most. */
const RELATED_LIMIT = 20;

export interface ClusterView {
  id: string;
  roundId: string;
  size: number;
  status: ClusterStatus;
  threshold: number;
  reviewedBy: string | null;
  reviewedAt: string | null;
  createdAt: string;
  updatedAt: string;
  representative: OpinionBriefView;
}

export interface ClusterMemberView extends OpinionBriefView {
  duplicateOf: string | null;
}

/**
 * Near-duplicates of a cluster's members that sit outside it: another cluster (a merge to consider) or an
 * opinion in none. Clusters never chain texts, so an opinion similar to some members only stays out.
 */
export interface RelatedClusterView {
  /** The other cluster; null for an opinion in no cluster. */
  clusterId: string | null;
  /** Opinions in it (1 for an opinion in no cluster). */
  size: number;
  /** The other cluster's representative, or the opinion. */
  representative: OpinionBriefView;
  /** Pairs of near-duplicates between the two. */
  links: number;
}

export interface RoundAnalysisOverview {
  roundId: string;
  planId: string;
  threshold: number;
  submitted: number;
  analyzed: number;
  pending: number;
  stance: Record<Stance, number>;
  humanStance: number;
  topics: { topicId: string; key: string; label: string; machine: number; human: number }[];
  clusters: {
    count: number;
    reviewed: number;
    clusteredOpinions: number;
    exactDuplicates: number;
    largest: ClusterView[];
  };
  lastJob: {
    id: string;
    status: string;
    progress: number | null;
    createdAt: string;
    updatedAt: string;
  } | null;
}

export interface TopicLabelView {
  topicId: string;
  key: string;
  label: string;
  score: number;
  source: LabelSource;
  rejected: boolean;
  labelledBy: string | null;
  labelledAt: string;
}

export interface SimilarOpinionView {
  opinionId: string;
  planId: string;
  planName: string;
  roundId: string;
  roundTitle: string;
  regNo: string | null;
  excerpt: string;
  score: number;
  dispositionCode: string | null;
}

export interface OpinionAnalysisView {
  opinionId: string;
  roundId: string;
  analyzed: boolean;
  analyzedAt: string | null;
  stance: { label: Stance; score: number | null; source: LabelSource } | null;
  topics: TopicLabelView[];
  keyphrases: string[];
  figures: Figure[];
  quality: { score: number; flags: string[] };
  cluster: { id: string; size: number; status: ClusterStatus; representativeId: string } | null;
  duplicateOf: string | null;
  similar: SimilarOpinionView[];
}

export interface TrainResult {
  task: AnalysisTask;
  modelId: string;
  labelCount: number;
  trainedAt: string;
  /** Topic keys or clause targets that have a model of their own. */
  learned: string[];
  /** Topics with too few labels to learn yet (topic task). */
  lacking: { key: string; labels: number; needed: number }[];
  /** Re-analysis jobs of the plan's active rounds. */
  jobIds: string[];
}

export interface ConflictCandidateView {
  clauseStableId: string;
  reasons: string[];
  score: number;
  textSimilarity: number | null;
  /** The disagreeing figures, a's then b's, when figures are a reason. */
  figures: { a: Figure; b: Figure }[];
  a: ConflictSide;
  b: ConflictSide;
}

export interface ConflictSide extends OpinionBriefView {
  stance: Stance | null;
  proposedText: string | null;
  figures: Figure[];
}

export interface ClauseSummaryView {
  roundId: string;
  clauseStableId: string;
  clauseNumber: string | null;
  clauseText: string;
  opinions: number;
  stance: Record<Stance | 'unknown', number>;
  keyphrases: { text: string; score: number }[];
  sentences: {
    text: string;
    opinionId: string;
    regNo: string | null;
    start: number;
    end: number;
    score: number;
    supporting: { opinionId: string; regNo: string | null }[];
  }[];
}

export interface RoutingView {
  versionId: string;
  planId: string;
  clauses: {
    stableId: string;
    number: string | null;
    heading: string | null;
    excerpt: string;
    units: { unitId: string; unitName: string; score: number; matched: string[]; questions: string[] }[];
  }[];
  /** Units by their summed score over all clauses: who to invite. */
  invitees: { unitId: string; unitName: string; score: number; clauses: number; matched: string[] }[];
}

/** Text a language model wrote: a draft for a person to review, never stored or published by itself. */
export interface LanguageModelDraftView {
  text: string;
  model: string;
  draft: true;
  /** The opinions given to the model; it cites them by registration number (or id without one). */
  sources: { opinionId: string; regNo: string | null; cited: string }[];
}

export interface RoundJobResult {
  analyzed: number;
  clusters: number;
  clustered: number;
  changed: boolean;
}

// ---- helpers -----------------------------------------------------------------------------------------

/** The first characters of a text, whole characters only (an emoji is never cut in two). */
export function excerpt(text: string, chars = EXCERPT_CHARS): string {
  const squashed = text.replace(/\s+/gu, ' ').trim();
  const points = Array.from(squashed);
  return points.length <= chars ? squashed : `${points.slice(0, chars).join('')}…`;
}

const briefView = (o: OpinionBrief): OpinionBriefView => ({
  id: o.id,
  regNo: o.regNo,
  unitId: o.unitId,
  unitName: o.unitName,
  clauseStableId: o.clauseStableId,
  excerpt: excerpt(o.suggestion),
});

const topicView = (t: TopicRecord): TopicView => ({
  id: t.id,
  key: t.key,
  label: t.label,
  keywords: t.keywords,
  position: t.position,
});

const labelView = (t: OpinionTopicRecord): TopicLabelView => ({
  topicId: t.topicId,
  key: t.key,
  label: t.label,
  score: t.score,
  source: t.source,
  rejected: t.rejected,
  labelledBy: t.labelledBy,
  labelledAt: t.labelledAt,
});

/** What the stance of an opinion is taken toward: its clause, or the draft as a whole (the round). */
const targetOf = (o: OpinionSource): string => o.clauseStableId ?? o.roundTitle;

/** What an opinion's analysis depends on: when it is unchanged, analysing again would change nothing. */
export const analysisInputHash = (
  setup: Pick<PlanSetup, 'fingerprint'>,
  input: { text: string; reasons: string | null; proposedText: string | null; target: string },
): string =>
  sha256Hex(
    canonicalJson({
      setup: setup.fingerprint,
      text: input.text,
      reasons: input.reasons,
      proposedText: input.proposedText,
      target: input.target,
    }),
  );

/** The whole of an opinion as near-duplicates compare it: a form letter is copied whole. */
const duplicateText = (o: OpinionSource): string =>
  [o.suggestion, o.reasons, o.proposedText].filter((part) => part && part.trim()).join('\n');

/** A round's clustering beside the clusters people reviewed, with ids for the texts' numbers. */
interface RoundClustering {
  /** The machine's clusters of the opinions left free, numbered as in `free`. */
  found: DuplicateResult;
  free: OpinionSource[];
  /** Near-duplicate links the clusters keep apart (`clusterBesideHeld`), the earlier opinion first. */
  links: { opinionId: string; similarId: string }[];
  /** Their `LinkDigest`. */
  linkDigest: string;
  /** Per opinion, the first with the same text (null for the first copy). */
  duplicateOf: Map<string, string | null>;
}

/** Items a round's clustering goes through between two turns of the event loop. */
const TURN_EVERY = 100_000;

/**
 * Clusters a round's opinions (`sources`, in order) beside the members of its reviewed clusters
 * (`membersOf`), on a worker thread for large rounds: the server's requests go on meanwhile.
 */
async function clusterRound(
  sources: readonly OpinionSource[],
  membersOf: ReadonlyMap<string, readonly string[]>,
  threshold: number,
): Promise<RoundClustering> {
  const groupOf = new Map<string, number>();
  let group = 0;
  for (const members of membersOf.values()) {
    for (const id of members) {
      groupOf.set(id, group);
    }
    group++;
  }
  const result = await clusterBesideHeldOffThread(
    sources.map(duplicateText),
    Int32Array.from(sources, (o) => groupOf.get(o.id) ?? -1),
    { threshold },
  );
  // Millions of links in a mass campaign: the server's requests get their turns between stretches.
  const idHashes = new Uint32Array(2 * sources.length);
  for (let i = 0; i < sources.length; i++) {
    LinkDigest.hashId(sources[i]!.id, idHashes, 2 * i);
    if (i % TURN_EVERY === 0) {
      await nextTurn();
    }
  }
  const links: RoundClustering['links'] = [];
  const digest = new LinkDigest();
  for (let k = 0; k < result.links.length; k += 2) {
    const first = result.links[k]!;
    const second = result.links[k + 1]!;
    links.push({ opinionId: sources[first]!.id, similarId: sources[second]!.id });
    digest.addHashed(idHashes, 2 * first, 2 * second);
    if (k % TURN_EVERY === 0) {
      await nextTurn();
    }
  }
  const duplicateOf = new Map<string, string | null>();
  for (let i = 0; i < sources.length; i++) {
    const original = result.firstCopyOf[i]!;
    duplicateOf.set(sources[i]!.id, original === -1 ? null : sources[original]!.id);
    if (i % TURN_EVERY === 0) {
      await nextTurn();
    }
  }
  return {
    found: result.duplicates,
    free: Array.from(result.free, (i) => sources[i]!),
    links,
    linkDigest: digest.value,
    duplicateOf,
  };
}

const thresholdOf = (round: RoundRow): number =>
  round.dedupe_threshold === null || round.dedupe_threshold === undefined
    ? DEFAULT_THRESHOLD
    : Number(round.dedupe_threshold);

/** A small least-recently-used cache. */
class Lru<K, V> {
  private readonly entries = new Map<K, V>();
  constructor(private readonly capacity: number) {}
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) {
      this.entries.delete(this.entries.keys().next().value as K);
    }
  }
}

/** A plan's taxonomy and models as one analysis run uses them. */
export interface PlanSetup {
  topics: TopicRecord[];
  taxonomy: Taxonomy | null;
  topicIdByKey: Map<string, string>;
  topicModel: TopicModel | null;
  stanceModel: StanceModel | null;
  /** Identifies everything above: part of every opinion's input hash. */
  fingerprint: string;
}

interface SimilarIndexEntry {
  fingerprint: string;
  index: SimilarityIndex;
  docs: Map<
    string,
    {
      planId: string;
      planName: string;
      roundId: string;
      roundTitle: string;
      regNo: string | null;
      text: string;
    }
  >;
}

/**
 * Machine analysis in the application: per-opinion analysis and per-round near-duplicate clustering (run
 * as jobs), the plan's taxonomy and learned models, people's labels and cluster reviews (each a ledger
 * event), and the views of the plan's side. Units and experts never see any of it.
 */
export class AnalysisService {
  private readonly models = new Lru<string, TopicModel | StanceModel>(MODEL_CACHE_SIZE);
  private readonly similarIndexes = new Lru<string, SimilarIndexEntry>(SIMILAR_CACHE_SIZE);
  /** Created on first use; null when none is configured. */
  private languageModel: LanguageModel | null | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly plans: PlanService,
    private readonly jobs: JobQueue,
  ) {}

  // ── access ────────────────────────────────────────────────────────────────────────────────────────

  private assertAccess(actor: Actor, scope: PlanScope, mode: 'view' | 'review'): void {
    const allowed = mode === 'view' ? canViewAnalysis(actor, scope) : canReviewAnalysis(actor, scope);
    if (!allowed) {
      throw new AppError(
        'forbidden',
        mode === 'view'
          ? "Only the plan's organizers and leaders see its analysis."
          : "Only the plan's organizers review its analysis.",
      );
    }
  }

  private async loadPlanFor(actor: Actor, planId: string, mode: 'view' | 'review'): Promise<PlanScope> {
    const { scope } = await this.plans.loadPlan(actor, planId);
    this.assertAccess(actor, scope, mode);
    return scope;
  }

  private async loadRoundFor(actor: Actor, roundId: string, mode: 'view' | 'review'): Promise<RoundRow> {
    const round = await findRound(this.ctx.database.db, roundId);
    if (!round) {
      throw new AppError('not_found', 'No such round.', { field: 'roundId' });
    }
    const scope = await loadPlanScope(this.ctx.database.db, round.plan_id);
    this.assertAccess(actor, scope, mode);
    return round;
  }

  /** A sent opinion (drafts belong to their unit alone) the actor may see the analysis of. */
  private async loadOpinionFor(
    actor: Actor,
    opinionId: string,
    mode: 'view' | 'review',
  ): Promise<OpinionSource> {
    const opinion = await findOpinionSource(this.ctx.database.db, opinionId);
    if (!opinion || opinion.submittedAt === null) {
      throw new AppError('not_found', 'No such opinion.', { field: 'opinionId' });
    }
    const scope = await loadPlanScope(this.ctx.database.db, opinion.planId);
    this.assertAccess(actor, scope, mode);
    return opinion;
  }

  private async loadClusterFor(
    actor: Actor,
    clusterId: string,
    mode: 'view' | 'review',
  ): Promise<ClusterRecord> {
    const cluster = await findCluster(this.ctx.database.db, clusterId);
    if (!cluster) {
      throw new AppError('not_found', 'No such cluster.', { field: 'clusterId' });
    }
    await this.loadRoundFor(actor, cluster.roundId, mode);
    return cluster;
  }

  // ── taxonomy and models ───────────────────────────────────────────────────────────────────────────

  async getTopics(actor: Actor, planId: string): Promise<TaxonomyView> {
    await this.loadPlanFor(actor, planId, 'view');
    const topics = await listTopics(this.ctx.database.db, planId);
    return { planId, topics: topics.map(topicView), minLabels: DEFAULT_MIN_LABELS };
  }

  /**
   * Replaces a plan's taxonomy. Topics keep their id (and labels) by key; topics left out are deleted with
   * their labels. The plan's active rounds are analysed again, since rules and labels follow the topics.
   */
  async replaceTopics(
    actor: Actor,
    planId: string,
    input: { topics: { key: string; label: string; keywords?: string[] }[] },
  ): Promise<TaxonomyView & { jobIds: string[] }> {
    await this.loadPlanFor(actor, planId, 'review');
    const topics = input.topics.map((t, i) => {
      const key = t.key.trim();
      const label = t.label.trim();
      if (!key) {
        throw new AppError('validation_failed', 'A topic needs a key.', { field: `topics.${i}.key` });
      }
      if (!label) {
        throw new AppError('validation_failed', 'A topic needs a label.', { field: `topics.${i}.label` });
      }
      const keywords = [...new Set((t.keywords ?? []).map((k) => k.trim()).filter((k) => k.length > 0))];
      return { key, label, keywords };
    });
    const seen = new Map<string, number>();
    topics.forEach((t, i) => {
      if (seen.has(t.key)) {
        throw new AppError('validation_failed', `Topic key "${t.key}" appears twice.`, {
          field: `topics.${i}.key`,
        });
      }
      seen.set(t.key, i);
    });
    if (topics.length > 0) {
      validateTaxonomy({ topics: topics.map((t) => ({ id: t.key, name: t.label, keywords: t.keywords })) });
    }
    const jobIds = await inTransaction(this.ctx.database, async (tx) => {
      const before = await listTopics(tx, planId);
      const byKey = new Map(before.map((t) => [t.key, t]));
      const now = this.ctx.now().toISOString();
      for (const [position, topic] of topics.entries()) {
        const existing = byKey.get(topic.key);
        if (existing) {
          await updateTopic(tx, existing.id, { ...topic, position, updatedAt: now });
        } else {
          await insertTopic(tx, {
            id: newId(),
            plan_id: planId,
            key: topic.key,
            label: topic.label,
            keywords: JSON.stringify(topic.keywords),
            position,
            created_at: now,
            updated_at: now,
          });
        }
      }
      await deleteTopics(
        tx,
        before.filter((t) => !seen.has(t.key)).map((t) => t.id),
      );
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'plan',
        id: planId,
        event: 'plan.topics_replaced',
        payload: {
          before: before.map((t) => ({ key: t.key, label: t.label, keywords: t.keywords })),
          after: topics,
        },
      });
      return this.enqueueReanalysis(tx, actor, planId);
    });
    return { ...(await this.getTopics(actor, planId)), jobIds };
  }

  async listModels(actor: Actor, planId: string): Promise<ModelRecord[]> {
    await this.loadPlanFor(actor, planId, 'view');
    return listModels(this.ctx.database.db, planId);
  }

  /**
   * Learns a plan's topics or stances from the labels people gave, stores the model (replacing the last
   * one) and analyses the plan's active rounds again with it.
   */
  async trainModel(actor: Actor, planId: string, task: AnalysisTask): Promise<TrainResult> {
    await this.loadPlanFor(actor, planId, 'review');
    const trained = task === 'topic' ? await this.trainTopics(planId) : await this.trainStances(planId);
    const modelId = newId();
    const trainedAt = this.ctx.now().toISOString();
    const jobIds = await inTransaction(this.ctx.database, async (tx) => {
      await replaceModel(tx, {
        id: modelId,
        plan_id: planId,
        task,
        label_count: trained.labelCount,
        model: modelJson(trained.model),
        trained_by: actor.userId,
        trained_at: trainedAt,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'plan',
        id: planId,
        event: 'analysis.model_trained',
        payload: {
          task,
          modelId,
          labelCount: trained.labelCount,
          learned: trained.learned,
          lacking: trained.lacking,
        },
      });
      return this.enqueueReanalysis(tx, actor, planId);
    });
    return {
      task,
      modelId,
      labelCount: trained.labelCount,
      trainedAt,
      learned: trained.learned,
      lacking: trained.lacking,
      jobIds,
    };
  }

  private async trainTopics(planId: string): Promise<{
    model: TopicModel;
    labelCount: number;
    learned: string[];
    lacking: TrainResult['lacking'];
  }> {
    const db = this.ctx.database.db;
    const topics = await listTopics(db, planId);
    if (topics.length === 0) {
      throw new AppError('rule_violated', 'The plan has no topics yet: define its taxonomy first.', {
        field: 'topics',
      });
    }
    const taxonomy: Taxonomy = {
      topics: topics.map((t) => ({ id: t.key, name: t.label, keywords: t.keywords })),
      minLabels: DEFAULT_MIN_LABELS,
    };
    const byOpinion = new Map<string, string[]>();
    for (const label of await listHumanTopicLabels(db, planId)) {
      const present = byOpinion.get(label.opinionId) ?? [];
      if (!label.rejected) {
        present.push(label.key);
      }
      byOpinion.set(label.opinionId, present);
    }
    const counts = new Map(topics.map((t) => [t.key, 0]));
    for (const keys of byOpinion.values()) {
      for (const key of keys) {
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const lacking = topics
      .map((t) => ({ key: t.key, labels: counts.get(t.key) ?? 0, needed: DEFAULT_MIN_LABELS }))
      .filter((t) => t.labels < t.needed);
    const labelledSources = await listSourcesByIds(db, [...byOpinion.keys()]);
    const labelled = labelledSources.map((o) => ({
      doc: tokenize(o.suggestion),
      labels: byOpinion.get(o.id) ?? [],
    }));
    const labelledIds = new Set(byOpinion.keys());
    const unlabelled = (await listPlanSources(db, planId, UNLABELLED_LIMIT + labelledIds.size))
      .filter((o) => !labelledIds.has(o.id))
      .slice(0, UNLABELLED_LIMIT)
      .map((o) => tokenize(o.suggestion));
    const model = trainTopicModel({ taxonomy, labelled, unlabelled });
    if (!model) {
      throw new AppError(
        'rule_violated',
        `No topic has enough labels yet: each needs ${DEFAULT_MIN_LABELS} opinions labelled by a person (and some without it).`,
        { field: 'labels', lacking },
      );
    }
    return { model, labelCount: labelled.length, learned: [...model.topics], lacking };
  }

  private async trainStances(planId: string): Promise<{
    model: StanceModel;
    labelCount: number;
    learned: string[];
    lacking: TrainResult['lacking'];
  }> {
    const labels = await listHumanStanceLabels(this.ctx.database.db, planId);
    if (new Set(labels.map((l) => l.stance)).size < 2) {
      throw new AppError(
        'rule_violated',
        'Stance is learned from labels of at least two different stances; label more opinions first.',
        { field: 'labels', labels: labels.length },
      );
    }
    const model = trainStanceModel(
      labels.map((l) => ({ doc: tokenize(l.suggestion), target: targetOf(l), stance: l.stance })),
    );
    return { model, labelCount: labels.length, learned: Object.keys(model.targets).sort(), lacking: [] };
  }

  /** Queues the re-analysis of every active round of a plan (inside the caller's transaction). */
  private async enqueueReanalysis(tx: Executor, actor: Actor, planId: string): Promise<string[]> {
    const ids: string[] = [];
    for (const roundId of await listActiveRoundIds(tx, planId)) {
      ids.push((await this.enqueueRoundJob(tx, roundId, { reanalyze: true, actor })).id);
    }
    return ids;
  }

  private enqueueRoundJob(
    executor: Executor,
    roundId: string,
    options: { reanalyze: boolean; actor?: Actor | null },
  ) {
    const actorId = options.actor?.userId ?? null;
    return this.jobs.enqueue(executor, {
      kind: ANALYSIS_ROUND,
      payload: { roundId, reanalyze: options.reanalyze, ...(actorId ? { actorId } : {}) },
      dedupeKey: roundJobKey(roundId, { reanalyze: options.reanalyze, actorId }),
    });
  }

  // ── the analysis itself (jobs) ────────────────────────────────────────────────────────────────────

  /** The plan's taxonomy and current models, parsed once per model id. */
  async loadSetup(planId: string): Promise<PlanSetup> {
    const db = this.ctx.database.db;
    const topics = await listTopics(db, planId);
    const models = await listModels(db, planId);
    const load = async <T extends TopicModel | StanceModel>(
      task: AnalysisTask,
      parse: (json: unknown) => T,
    ): Promise<{ id: string; model: T } | null> => {
      const record = models.find((m) => m.task === task);
      if (!record) {
        return null;
      }
      let model = this.models.get(record.id) as T | undefined;
      if (!model) {
        const json = await findModelJson(db, record.id);
        if (json === null) {
          return null;
        }
        model = parse(json);
        this.models.set(record.id, model);
      }
      return { id: record.id, model };
    };
    const topicModel = await load('topic', parseTopicModel);
    const stanceModel = await load('stance', parseStanceModel);
    const taxonomy: Taxonomy | null =
      topics.length > 0
        ? { topics: topics.map((t) => ({ id: t.key, name: t.label, keywords: t.keywords })) }
        : null;
    return {
      topics,
      taxonomy,
      topicIdByKey: new Map(topics.map((t) => [t.key, t.id])),
      topicModel: topicModel?.model ?? null,
      stanceModel: stanceModel?.model ?? null,
      fingerprint: sha256Hex(
        canonicalJson({
          version: ANALYSIS_VERSION,
          topics: topics.map((t) => [t.key, t.keywords]),
          topicModel: topicModel?.id ?? null,
          stanceModel: stanceModel?.id ?? null,
        }),
      ),
    };
  }

  private inputHash(opinion: OpinionSource, setup: PlanSetup): string {
    return analysisInputHash(setup, {
      text: opinion.suggestion,
      reasons: opinion.reasons,
      proposedText: opinion.proposedText,
      target: targetOf(opinion),
    });
  }

  /**
   * Analyses opinions whose inputs changed since their last analysis and stores the results, a batch per
   * transaction; with `enqueueRound`, the round's re-clustering is queued in the same transaction.
   * Returns how many were (re)analysed.
   */
  private async analyzeSources(
    sources: readonly OpinionSource[],
    setup: PlanSetup,
    options: { enqueueRound: boolean },
  ): Promise<number> {
    let changed = 0;
    for (let start = 0; start < sources.length; start += BATCH) {
      const batch = sources.slice(start, start + BATCH).filter((o) => o.status === 'submitted');
      const stored = await mapInputHashes(
        this.ctx.database.db,
        batch.map((o) => o.id),
      );
      const work: { opinion: OpinionSource; hash: string; result: RecordAnalysis }[] = [];
      for (const opinion of batch) {
        const hash = this.inputHash(opinion, setup);
        if (stored.get(opinion.id) === hash) {
          continue;
        }
        const result = analyzeRecord(
          {
            id: opinion.id,
            text: opinion.suggestion,
            target: targetOf(opinion),
            reasons: opinion.reasons,
            proposedText: opinion.proposedText,
          },
          { taxonomy: setup.taxonomy, topicModel: setup.topicModel, stanceModel: setup.stanceModel },
        );
        work.push({ opinion, hash, result });
      }
      if (work.length === 0) {
        continue;
      }
      const now = this.ctx.now().toISOString();
      await inTransaction(this.ctx.database, async (tx) => {
        for (const { opinion, hash, result } of work) {
          await upsertOpinionAnalysis(tx, {
            opinion_id: opinion.id,
            round_id: opinion.roundId,
            input_hash: hash,
            text_hash: result.textHash,
            stance: result.stance.label,
            stance_score: result.stance.score,
            keyphrases: JSON.stringify(result.keyphrases),
            figures: JSON.stringify(result.figures),
            version: ANALYSIS_VERSION,
            analyzed_at: now,
          });
          const topics = result.topics.flatMap((t) => {
            const topicId = setup.topicIdByKey.get(t.label);
            return topicId ? [{ topicId, score: t.score }] : [];
          });
          await replaceMachineTopics(tx, opinion.id, topics, now);
        }
        if (options.enqueueRound) {
          for (const roundId of new Set(work.map((w) => w.opinion.roundId))) {
            await this.enqueueRoundJob(tx, roundId, { reanalyze: false });
          }
        }
      });
      changed += work.length;
    }
    return changed;
  }

  /**
   * The job of one submitted opinion: analyses it unless nothing it depends on changed, then queues the
   * re-clustering of its round. Running it again changes nothing.
   */
  async analyzeOpinion(opinionId: string): Promise<{ status: 'analyzed' | 'unchanged' | 'not_submitted' }> {
    const opinion = await findOpinionSource(this.ctx.database.db, opinionId);
    if (!opinion || opinion.status !== 'submitted') {
      return { status: 'not_submitted' };
    }
    const setup = await this.loadSetup(opinion.planId);
    const changed = await this.analyzeSources([opinion], setup, { enqueueRound: true });
    return { status: changed > 0 ? 'analyzed' : 'unchanged' };
  }

  /**
   * The job of a round: (re)analyses its submitted opinions — all of them with `reanalyze`, otherwise those
   * not analysed yet — then rebuilds its machine clusters. Clusters a person confirmed or edited stay as
   * they are, their members with them.
   */
  async processRound(
    roundId: string,
    options: { reanalyze: boolean; progress?: (fraction: number) => Promise<void> },
  ): Promise<RoundJobResult | null> {
    const db = this.ctx.database.db;
    const round = await findRound(db, roundId);
    if (!round) {
      return null;
    }
    const progress = options.progress ?? (async () => undefined);
    const setup = await this.loadSetup(round.plan_id);
    const missing = options.reanalyze ? null : new Set(await listUnanalyzedOpinionIds(db, roundId));
    if (missing?.size === 0) {
      // Nothing to analyse, and nothing a rebuild reads changed since the last: its clusters stand.
      const kept = await this.keptClustering(roundId);
      if (kept !== null) {
        await progress(1);
        return kept;
      }
    }
    const sources = await this.listRoundSources(roundId);
    let analyzed = 0;
    if (missing === null) {
      for (let start = 0; start < sources.length; start += BATCH * 5) {
        analyzed += await this.analyzeSources(sources.slice(start, start + BATCH * 5), setup, {
          enqueueRound: false,
        });
        await progress((0.8 * Math.min(sources.length, start + BATCH * 5)) / Math.max(1, sources.length));
      }
      const kept = analyzed === 0 ? await this.keptClustering(roundId) : null;
      if (kept !== null) {
        await progress(1);
        return kept;
      }
    } else {
      analyzed = await this.analyzeSources(
        sources.filter((o) => missing.has(o.id)),
        setup,
        { enqueueRound: false },
      );
      await progress(0.5);
    }
    const clustering = await this.recluster(round, sources);
    await progress(1);
    return { analyzed, ...clustering, changed: analyzed > 0 || clustering.changed };
  }

  /**
   * The result of a round's job that keeps the clusters the last rebuild left, with its counts, when nothing
   * that rebuild read has changed since (`clusterStateDigest`); else null.
   */
  private async keptClustering(roundId: string): Promise<RoundJobResult | null> {
    const db = this.ctx.database.db;
    const saved = await findClusterState(db, roundId);
    if (saved === null) {
      return null;
    }
    const digest = await clusterStateDigest(this.ctx.database, db, roundId, CLUSTER_STATE_SALT);
    return digest === saved.digest
      ? { analyzed: 0, clusters: saved.clusters, clustered: saved.clustered, changed: false }
      : null;
  }

  private async listRoundSources(roundId: string): Promise<OpinionSource[]> {
    const all: OpinionSource[] = [];
    let after: { submittedAt: string; id: string } | null = null;
    for (;;) {
      const page = await listSubmittedSources(this.ctx.database.db, { roundId, limit: 10_000, after });
      all.push(...page);
      // SQLite answers at once: between pages the server's requests get their turn.
      await nextTurn();
      const last = page.at(-1);
      if (page.length < 10_000 || !last) {
        return all;
      }
      after = { submittedAt: last.submittedAt ?? '', id: last.id };
    }
  }

  /**
   * What clustering starts from: the round's clusters, each analysed opinion's links, and the opinions
   * held in clusters people reviewed (they stay put).
   */
  private async readClusterState(executor: Executor, roundId: string, sources: readonly OpinionSource[]) {
    const clusters = await listClustersOfRound(executor, roundId);
    const links = new Map<string, ClusterLink>();
    for (const link of await listClusterLinks(this.ctx.database, executor, roundId)) {
      links.set(link.opinionId, link);
      if (links.size % TURN_EVERY === 0) {
        await nextTurn();
      }
    }
    const reviewed = clusters.filter((c) => c.status !== 'machine');
    const reviewedIds = new Set(reviewed.map((c) => c.id));
    const membersOf = new Map<string, string[]>();
    for (let i = 0; i < sources.length; i++) {
      const o = sources[i]!;
      if (i % TURN_EVERY === 0) {
        await nextTurn();
      }
      const clusterId = links.get(o.id)?.clusterId;
      if (clusterId && reviewedIds.has(clusterId)) {
        const members = membersOf.get(clusterId);
        if (members) {
          members.push(o.id);
        } else {
          membersOf.set(clusterId, [o.id]);
        }
      }
    }
    const held = new Set([...membersOf.values()].flat());
    return { clusters, links, reviewed, reviewedIds, membersOf, held };
  }

  /**
   * Rebuilds a round's machine clusters and exact-duplicate links, in one transaction. The clustering
   * itself runs before it, so the round is not held while texts are compared; should a person review a
   * cluster meanwhile, it runs again inside.
   *
   * The transaction answers for its own references (`inBulkTransaction`: on SQLite, not checked row by
   * row; a mass campaign's millions of links would take twice as long): every opinion it names was
   * submitted, and a submitted opinion is never deleted (only drafts are); the round is locked; the
   * clusters it points opinions at are kept or inserted first; and the clusters it deletes are let go of
   * by their opinions first (`deleteClusters`).
   */
  private async recluster(
    round: RoundRow,
    sources: readonly OpinionSource[],
  ): Promise<{ clusters: number; clustered: number; changed: boolean }> {
    const threshold = thresholdOf(round);
    const submitted = new Set(sources.map((o) => o.id));
    const before = await this.readClusterState(this.ctx.database.db, round.id, sources);
    const early = await clusterRound(sources, before.membersOf, threshold);
    return inBulkTransaction(this.ctx.database, async (tx) => {
      // Nothing here checks the round's references row by row: the round must still be there.
      if (!(await lockRound(tx, this.ctx.database.dialect, round.id))) {
        throw new AppError('not_found', 'No such round.', { field: 'roundId' });
      }
      const now = this.ctx.now().toISOString();
      const { clusters, links, reviewed, reviewedIds, membersOf, held } = await this.readClusterState(
        tx,
        round.id,
        sources,
      );
      // Should people have reviewed clusters meanwhile, the clustering runs again beside theirs.
      const sameGroups =
        membersOf.size === before.membersOf.size &&
        [...membersOf].every(([id, members]) => before.membersOf.get(id)?.join() === members.join());
      const {
        found,
        free,
        links: wantedLinks,
        linkDigest,
        duplicateOf,
      } = sameGroups ? early : await clusterRound(sources, membersOf, threshold);
      let changed = false;

      // Opinions no longer submitted (withdrawn) leave their clusters.
      const leaving = [...links.values()].filter((l) => l.clusterId !== null && !submitted.has(l.opinionId));
      if (leaving.length > 0) {
        await setClusterOf(
          tx,
          null,
          leaving.map((l) => l.opinionId),
        );
        for (const l of leaving) {
          l.clusterId = null;
        }
        changed = true;
      }

      // Between the steps below, which go over every opinion of a mass campaign, the server's requests get
      // their turns.
      await nextTurn();
      // Reviewed clusters keep their members; only their counts follow withdrawals.
      for (const cluster of reviewed) {
        const members = membersOf.get(cluster.id) ?? [];
        if (members.length === 0) {
          await deleteClusters(tx, [cluster.id]);
          changed = true;
          continue;
        }
        const representative = members.includes(cluster.representativeId)
          ? cluster.representativeId
          : members[0]!;
        if (members.length !== cluster.size || representative !== cluster.representativeId) {
          await updateCluster(tx, cluster.id, {
            size: members.length,
            representative_id: representative,
            updated_at: now,
          });
          changed = true;
        }
      }

      await nextTurn();
      // Machine clusters over everything else.
      const oldMachine = new Map(
        clusters.filter((c) => c.status === 'machine').map((c) => [c.representativeId, c]),
      );
      // A cluster found again around the same representative keeps its id (links to it stay valid).
      const plan = found.clusters.map((c) => {
        const representativeId = free[c.representative]!.id;
        const old = oldMachine.get(representativeId);
        return { id: old?.id ?? newId(), old, representativeId, members: c.members.map((i) => free[i]!.id) };
      });
      const keptIds = new Set(plan.flatMap((p) => (p.old ? [p.old.id] : [])));
      const stale = new Set([...oldMachine.values()].filter((c) => !keptIds.has(c.id)).map((c) => c.id));
      if (stale.size > 0) {
        await deleteClusters(tx, [...stale]);
        for (const link of links.values()) {
          if (link.clusterId !== null && stale.has(link.clusterId)) {
            link.clusterId = null;
          }
        }
        changed = true;
      }
      const inserts = plan
        .filter((p) => !p.old)
        .map((p) => ({
          id: p.id,
          round_id: round.id,
          representative_id: p.representativeId,
          size: p.members.length,
          status: 'machine' as const,
          threshold,
          reviewed_by: null,
          reviewed_at: null,
          created_at: now,
          updated_at: now,
        }));
      if (inserts.length > 0) {
        await insertClusters(tx, inserts);
        changed = true;
      }
      await nextTurn();
      let members = 0;
      for (const p of plan) {
        members += p.members.length;
        if (members >= TURN_EVERY) {
          members = 0;
          await nextTurn();
        }
        if (p.old && (p.old.size !== p.members.length || p.old.threshold !== threshold)) {
          await updateCluster(tx, p.id, { size: p.members.length, threshold, updated_at: now });
          changed = true;
        }
        const moving = p.members.filter((m) => links.get(m)?.clusterId !== p.id);
        if (moving.length > 0) {
          await setClusterOf(tx, p.id, moving);
          changed = true;
        }
      }
      await nextTurn();
      const assigned = new Set(plan.flatMap((p) => p.members));
      await nextTurn();
      const loose = free
        .filter((o) => !assigned.has(o.id))
        .filter((o) => {
          const clusterId = links.get(o.id)?.clusterId;
          return clusterId !== null && clusterId !== undefined && !reviewedIds.has(clusterId);
        })
        .map((o) => o.id);
      if (loose.length > 0) {
        await setClusterOf(tx, null, loose);
        changed = true;
      }

      // Exact duplicates: each copy points at the first of its text.
      await nextTurn();
      const wantedDuplicateOf = new Map<string | null, string[]>();
      for (let i = 0; i < sources.length; i++) {
        const o = sources[i]!;
        if (i % TURN_EVERY === 0) {
          await nextTurn();
        }
        const target = duplicateOf.get(o.id) ?? null;
        const link = links.get(o.id);
        if (link && link.duplicateOf !== target) {
          const ids = wantedDuplicateOf.get(target);
          if (ids) {
            ids.push(o.id);
          } else {
            wantedDuplicateOf.set(target, [o.id]);
          }
        }
      }
      for (const [target, ids] of wantedDuplicateOf) {
        await setDuplicateOf(tx, target, ids);
        changed = true;
      }
      // Near-duplicates the clusters leave apart, as the machine found them this time: the links found
      // no more are removed and the new ones added (all of them anew when most are gone).
      if (await this.updateLinks(tx, round.id, { links: wantedLinks, digest: linkDigest }, now)) {
        changed = true;
      }

      const reviewedRemaining = reviewed.filter((c) => (membersOf.get(c.id) ?? []).length > 0).length;
      const counts = { clusters: plan.length + reviewedRemaining, clustered: assigned.size + held.size };
      // What the next job compares with to know whether it has anything to rebuild; nothing, when the
      // opinions changed while they were clustered (the next job rebuilds).
      const digest = await clusterStateDigest(this.ctx.database, tx, round.id, CLUSTER_STATE_SALT, sources);
      if (digest === null) {
        await clearClusterState(tx, round.id);
      } else {
        await saveClusterState(tx, round.id, { digest, ...counts }, now);
      }
      return { ...counts, changed };
    });
  }

  /**
   * Brings a round's stored near-duplicate links to `wanted` (whose `LinkDigest` is `digest`), in the
   * caller's transaction; returns whether anything changed. When the round's link state (what this last
   * wrote: the count and digest) matches `wanted`, and the count stored too, no link is read; else the
   * links found no more are removed and the new ones added (all of them anew when most are gone), and
   * the state is saved.
   */
  private async updateLinks(
    tx: Tx,
    roundId: string,
    { links: wanted, digest }: { links: readonly DuplicateLinkPair[]; digest: string },
    now: string,
  ): Promise<boolean> {
    const state = { links: wanted.length, digest };
    const saved = await findLinkState(tx, roundId);
    if (
      saved !== null &&
      saved.digest === state.digest &&
      saved.links === state.links &&
      (await countRoundLinks(tx, roundId)) === state.links
    ) {
      return false;
    }
    const changed = await this.writeLinks(tx, roundId, wanted, now);
    await saveLinkState(tx, roundId, state, now);
    return changed;
  }

  /** `updateLinks` without the link state: compares the stored links with `wanted`. */
  private async writeLinks(
    tx: Tx,
    roundId: string,
    wanted: readonly DuplicateLinkPair[],
    now: string,
  ): Promise<boolean> {
    const stored = await listDuplicateLinkKeys(this.ctx.database, tx, roundId);
    if (stored.size === 0) {
      // The first links of the round (an import leaves them to its first analysis).
      await insertDuplicateLinks(this.ctx.database, tx, roundId, wanted, now);
      return wanted.length > 0;
    }
    const wantedKeys = new Set<string>();
    let added: DuplicateLinkPair[] = [];
    for (const link of wanted) {
      const key = `${link.opinionId}|${link.similarId}`;
      wantedKeys.add(key);
      if (!stored.has(key)) {
        added.push(link);
      }
    }
    const removed: DuplicateLinkPair[] = [];
    for (const key of stored) {
      if (!wantedKeys.has(key)) {
        const [opinionId, similarId] = key.split('|') as [string, string];
        removed.push({ opinionId, similarId });
      }
    }
    if (removed.length === 0 && added.length === 0) {
      return false;
    }
    if (removed.length > stored.size / 2) {
      await deleteRoundLinks(tx, roundId);
      added = [...wanted];
    } else {
      await deleteDuplicateLinks(tx, roundId, removed);
    }
    await insertDuplicateLinks(this.ctx.database, tx, roundId, added, now);
    return true;
  }

  // ── round views ───────────────────────────────────────────────────────────────────────────────────

  async getRoundOverview(actor: Actor, roundId: string): Promise<RoundAnalysisOverview> {
    const round = await this.loadRoundFor(actor, roundId, 'view');
    const db = this.ctx.database.db;
    const counts = await countRoundAnalysis(db, roundId);
    const topics = new Map((await listTopics(db, round.plan_id)).map((t) => [t.id, t]));
    const largest = await listClusterPage(db, { roundId, limit: 5, after: null });
    const lastJob = await findLatestJobByKeyPrefix(db, {
      kind: ANALYSIS_ROUND,
      keyPrefix: roundJobKey(roundId),
    });
    return {
      roundId,
      planId: round.plan_id,
      threshold: thresholdOf(round),
      submitted: counts.submitted,
      analyzed: counts.analyzed,
      pending: Math.max(0, counts.submitted - counts.analyzed),
      stance: counts.stance,
      humanStance: counts.humanStance,
      topics: [...topics.values()].map((t) => {
        const c = counts.topics.find((x) => x.topicId === t.id);
        return { topicId: t.id, key: t.key, label: t.label, machine: c?.machine ?? 0, human: c?.human ?? 0 };
      }),
      clusters: {
        count: counts.clusters,
        reviewed: counts.reviewedClusters,
        clusteredOpinions: counts.clustered,
        exactDuplicates: counts.exactDuplicates,
        largest: largest.map((c) => this.clusterView(c, c.representative)),
      },
      lastJob,
    };
  }

  /** Sets a round's near-duplicate threshold and queues its re-clustering (the job can be followed). */
  async setDedupeThreshold(
    actor: Actor,
    roundId: string,
    threshold: number,
  ): Promise<{ roundId: string; threshold: number; job: JobView }> {
    const round = await this.loadRoundFor(actor, roundId, 'review');
    if (!(Number.isFinite(threshold) && threshold >= MIN_DEDUPE_THRESHOLD && threshold <= 1)) {
      throw new AppError('validation_failed', `threshold must be between ${MIN_DEDUPE_THRESHOLD} and 1.`, {
        field: 'threshold',
      });
    }
    const job = await inTransaction(this.ctx.database, async (tx) => {
      await setRoundThreshold(tx, roundId, threshold, this.ctx.now().toISOString());
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'round',
        id: roundId,
        event: 'round.dedupe_threshold_set',
        payload: { before: { threshold: thresholdOf(round) }, after: { threshold } },
      });
      return this.enqueueRoundJob(tx, roundId, { reanalyze: false, actor });
    });
    return { roundId, threshold, job: presentJob(job) };
  }

  /** Queues the analysis of every opinion of a round again (unchanged ones are skipped by their hash). */
  async runRoundAnalysis(actor: Actor, roundId: string): Promise<{ job: JobView }> {
    await this.loadRoundFor(actor, roundId, 'review');
    const job = await this.enqueueRoundJob(this.ctx.database.db, roundId, { reanalyze: true, actor });
    return { job: presentJob(job) };
  }

  private clusterView(cluster: ClusterRecord, representative: OpinionBrief | undefined): ClusterView {
    return {
      id: cluster.id,
      roundId: cluster.roundId,
      size: cluster.size,
      status: cluster.status,
      threshold: cluster.threshold,
      reviewedBy: cluster.reviewedBy,
      reviewedAt: cluster.reviewedAt,
      createdAt: cluster.createdAt,
      updatedAt: cluster.updatedAt,
      representative: representative
        ? briefView(representative)
        : {
            id: cluster.representativeId,
            regNo: null,
            unitId: null,
            unitName: null,
            clauseStableId: null,
            excerpt: '',
          },
    };
  }

  private async clusterViews(clusters: readonly ClusterRecord[]): Promise<ClusterView[]> {
    const briefs = await listOpinionBriefs(
      this.ctx.database.db,
      clusters.map((c) => c.representativeId),
    );
    return clusters.map((c) => this.clusterView(c, briefs.get(c.representativeId)));
  }

  async listClusters(
    actor: Actor,
    roundId: string,
    options: { cursor?: string; limit?: number } = {},
  ): Promise<{ items: ClusterView[]; nextCursor: string | null }> {
    await this.loadRoundFor(actor, roundId, 'view');
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
    const key = options.cursor ? decodeCursor(options.cursor, 2) : null;
    const size = key ? Number(key[0]) : NaN;
    if (key && !Number.isInteger(size)) {
      throw new AppError('validation_failed', 'cursor is not one this API gave out.', { field: 'cursor' });
    }
    const rows = await listClusterPage(this.ctx.database.db, {
      roundId,
      limit: limit + 1,
      after: key ? { size, id: key[1]! } : null,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((c) => this.clusterView(c, c.representative)),
      nextCursor: rows.length > limit && last ? encodeCursor([String(last.size), last.id]) : null,
    };
  }

  async getCluster(
    actor: Actor,
    clusterId: string,
    options: { cursor?: string; limit?: number } = {},
  ): Promise<
    ClusterView & { members: ClusterMemberView[]; nextCursor: string | null; related: RelatedClusterView[] }
  > {
    const cluster = await this.loadClusterFor(actor, clusterId, 'view');
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 500);
    const key = options.cursor ? decodeCursor(options.cursor, 2) : null;
    const rows = await listClusterMembers(this.ctx.database.db, {
      clusterId,
      limit: limit + 1,
      after: key ? { createdAt: key[0]!, id: key[1]! } : null,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const [view] = await this.clusterViews([cluster]);
    return {
      ...view!,
      members: page.map((m) => ({ ...briefView(m), duplicateOf: m.duplicateOf })),
      nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt, last.id]) : null,
      related: await this.relatedOf(cluster),
    };
  }

  /** The clusters and lone opinions near-duplicate links join to a cluster, most links first. */
  private async relatedOf(cluster: ClusterRecord): Promise<RelatedClusterView[]> {
    const db = this.ctx.database.db;
    const related = await listRelatedOfCluster(db, cluster.id, RELATED_LIMIT);
    const others = await listClustersByIds(
      db,
      related.flatMap((r) => (r.clusterId === null ? [] : [r.clusterId])),
    );
    const clusterOf = new Map(others.map((c) => [c.id, c]));
    // A cluster is shown by its representative, an opinion in none by itself.
    const shown = related.map((r) => {
      const other = r.clusterId === null ? undefined : clusterOf.get(r.clusterId);
      return { ...r, size: other?.size ?? 1, opinionId: other?.representativeId ?? r.opinionId };
    });
    shown.sort((a, b) => b.links - a.links || a.opinionId.localeCompare(b.opinionId));
    const briefs = await listOpinionBriefs(
      db,
      shown.map((r) => r.opinionId),
    );
    return shown.flatMap((r) => {
      const brief = briefs.get(r.opinionId);
      return brief
        ? [{ clusterId: r.clusterId, size: r.size, representative: briefView(brief), links: r.links }]
        : [];
    });
  }

  /** The clusters of `ids` with their members, as the review functions take them. */
  private async reviewClusters(tx: Executor, clusters: readonly ClusterRecord[]): Promise<ReviewCluster[]> {
    const members = await listMemberIds(
      tx,
      clusters.map((c) => c.id),
    );
    return clusters.map((c) => ({
      id: c.id,
      representative: c.representativeId,
      members: members.get(c.id) ?? [],
      status: c.status,
    }));
  }

  async confirmCluster(actor: Actor, clusterId: string): Promise<ClusterView> {
    const cluster = await this.loadClusterFor(actor, clusterId, 'review');
    await inTransaction(this.ctx.database, async (tx) => {
      await lockRound(tx, this.ctx.database.dialect, cluster.roundId);
      const current = await findCluster(tx, clusterId);
      if (!current) {
        throw new AppError('not_found', 'No such cluster.', { field: 'clusterId' });
      }
      const [reviewed] = confirmReviewCluster(await this.reviewClusters(tx, [current]), clusterId);
      const now = this.ctx.now().toISOString();
      await updateCluster(tx, clusterId, {
        status: current.status === 'machine' ? reviewed!.status : current.status,
        reviewed_by: actor.userId,
        reviewed_at: now,
        updated_at: now,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'duplicate_cluster',
        id: clusterId,
        event: 'cluster.confirmed',
        payload: {
          roundId: current.roundId,
          size: current.size,
          members: reviewed!.members,
          before: { status: current.status },
          after: { status: current.status === 'machine' ? 'confirmed' : current.status },
        },
      });
    });
    const [view] = await this.clusterViews([(await findCluster(this.ctx.database.db, clusterId))!]);
    return view!;
  }

  /**
   * Takes opinions out of a cluster: into one new cluster, or each into a cluster of its own
   * (`singletons`: a person's word that it is no copy). Both sides are kept as reviewed, so the machine
   * leaves them as they are.
   */
  async splitCluster(
    actor: Actor,
    clusterId: string,
    input: { opinionIds: string[]; singletons?: boolean },
  ): Promise<{ clusters: ClusterView[] }> {
    const cluster = await this.loadClusterFor(actor, clusterId, 'review');
    const moving = [...new Set(input.opinionIds)];
    if (moving.length === 0) {
      throw new AppError('validation_failed', 'Name the opinions to split off.', { field: 'opinionIds' });
    }
    const ids = await inTransaction(this.ctx.database, async (tx) => {
      await lockRound(tx, this.ctx.database.dialect, cluster.roundId);
      const current = await findCluster(tx, clusterId);
      if (!current) {
        throw new AppError('not_found', 'No such cluster.', { field: 'clusterId' });
      }
      let clusters = await this.reviewClusters(tx, [current]);
      const members = clusters[0]!.members;
      const stranger = moving.find((id) => !members.includes(id));
      if (stranger !== undefined) {
        throw new AppError('validation_failed', `Opinion ${stranger} is not in this cluster.`, {
          field: 'opinionIds',
        });
      }
      if (moving.length >= members.length) {
        throw new AppError('rule_violated', 'A split leaves at least one opinion in the cluster.', {
          field: 'opinionIds',
        });
      }
      const groups = input.singletons ? moving.map((id) => [id]) : [moving];
      for (const group of groups) {
        clusters = splitReviewCluster(clusters, { clusterId, members: group, newId: newId() });
      }
      const now = this.ctx.now().toISOString();
      const [remaining, ...created] = clusters;
      await insertClusters(
        tx,
        created.map((c) => ({
          id: c.id,
          round_id: current.roundId,
          representative_id: c.representative,
          size: c.members.length,
          status: 'edited' as const,
          threshold: current.threshold,
          reviewed_by: actor.userId,
          reviewed_at: now,
          created_at: now,
          updated_at: now,
        })),
      );
      for (const c of created) {
        await setClusterOf(tx, c.id, c.members);
      }
      await updateCluster(tx, clusterId, {
        status: 'edited',
        size: remaining!.members.length,
        representative_id: remaining!.representative,
        reviewed_by: actor.userId,
        reviewed_at: now,
        updated_at: now,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'duplicate_cluster',
        id: clusterId,
        event: 'cluster.split',
        payload: {
          roundId: current.roundId,
          before: { status: current.status, members },
          after: clusters.map((c) => ({ id: c.id, representative: c.representative, members: c.members })),
        },
      });
      return clusters.map((c) => c.id);
    });
    const views = new Map(
      (await this.clusterViews(await listClustersByIds(this.ctx.database.db, ids))).map((v) => [v.id, v]),
    );
    // The cluster split from first, then the new ones in the order they were made.
    return { clusters: ids.map((id) => views.get(id)!) };
  }

  /** Joins clusters of a round into the first one named; the others are dissolved into it. */
  async mergeClusters(
    actor: Actor,
    roundId: string,
    input: { clusterIds: string[]; representativeId?: string },
  ): Promise<ClusterView> {
    await this.loadRoundFor(actor, roundId, 'review');
    const clusterIds = [...new Set(input.clusterIds)];
    if (clusterIds.length < 2) {
      throw new AppError('validation_failed', 'Name two clusters or more to merge.', { field: 'clusterIds' });
    }
    const mergedId = clusterIds[0]!;
    await inTransaction(this.ctx.database, async (tx) => {
      await lockRound(tx, this.ctx.database.dialect, roundId);
      const found = await listClustersByIds(tx, clusterIds);
      const missing = clusterIds.find((id) => !found.some((c) => c.id === id && c.roundId === roundId));
      if (missing !== undefined) {
        throw new AppError('not_found', `No cluster ${missing} in this round.`, { field: 'clusterIds' });
      }
      const ordered = clusterIds.map((id) => found.find((c) => c.id === id)!);
      const before = await this.reviewClusters(tx, ordered);
      const allMembers = before.flatMap((c) => c.members);
      if (input.representativeId !== undefined && !allMembers.includes(input.representativeId)) {
        throw new AppError(
          'validation_failed',
          'The representative must be a member of the merged clusters.',
          {
            field: 'representativeId',
          },
        );
      }
      const [merged] = mergeReviewClusters(before, {
        clusterIds,
        newId: mergedId,
        ...(input.representativeId !== undefined ? { representative: input.representativeId } : {}),
      });
      const now = this.ctx.now().toISOString();
      const dissolved = clusterIds.slice(1);
      await setClusterOf(tx, mergedId, merged!.members);
      await deleteClusters(tx, dissolved);
      await updateCluster(tx, mergedId, {
        status: 'edited',
        size: merged!.members.length,
        representative_id: merged!.representative,
        reviewed_by: actor.userId,
        reviewed_at: now,
        updated_at: now,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'duplicate_cluster',
        id: mergedId,
        event: 'cluster.merged',
        payload: {
          roundId,
          before: before.map((c) => ({
            id: c.id,
            status: c.status,
            representative: c.representative,
            members: c.members,
          })),
          after: { id: mergedId, representative: merged!.representative, members: merged!.members },
        },
      });
    });
    const [view] = await this.clusterViews([(await findCluster(this.ctx.database.db, mergedId))!]);
    return view!;
  }

  // ── opinions ──────────────────────────────────────────────────────────────────────────────────────

  async getOpinionAnalysis(
    actor: Actor,
    opinionId: string,
    options: { similarLimit?: number } = {},
  ): Promise<OpinionAnalysisView> {
    const opinion = await this.loadOpinionFor(actor, opinionId, 'view');
    const db = this.ctx.database.db;
    const analysis = await findOpinionAnalysis(db, opinionId);
    const topics = await listOpinionTopics(db, opinionId);
    const cluster = analysis?.clusterId ? await findCluster(db, analysis.clusterId) : null;
    const figures = (analysis?.figures ?? []) as Figure[];
    const keyphrases = analysis?.keyphrases ?? [];
    const quality = assessQuality({
      text: opinion.suggestion,
      reasons: opinion.reasons,
      proposedText: opinion.proposedText,
      clauseId: opinion.clauseStableId,
      figures,
      keyphrases,
    });
    const analyzed = analysis !== null && analysis.inputHash !== '';
    return {
      opinionId,
      roundId: opinion.roundId,
      analyzed,
      analyzedAt: analyzed ? analysis.analyzedAt : null,
      stance:
        analysis !== null && analysis.stance !== null
          ? { label: analysis.stance, score: analysis.stanceScore, source: analysis.stanceSource }
          : null,
      topics: topics.map(labelView),
      keyphrases,
      figures,
      quality: { score: quality.score, flags: [...quality.flags] },
      cluster: cluster
        ? {
            id: cluster.id,
            size: cluster.size,
            status: cluster.status,
            representativeId: cluster.representativeId,
          }
        : null,
      duplicateOf: analysis?.duplicateOf ?? null,
      similar: await this.similarFromOtherPlans(actor, opinion, options.similarLimit ?? 5),
    };
  }

  /** Opinions of the actor's other plans most like this one, with what became of them. */
  private async similarFromOtherPlans(
    actor: Actor,
    opinion: OpinionSource,
    limit: number,
  ): Promise<SimilarOpinionView[]> {
    const db = this.ctx.database.db;
    const planIds = (await this.plans.listPlans(actor))
      .map((p) => p.id)
      .filter((id) => id !== opinion.planId)
      .sort();
    if (planIds.length === 0 || limit <= 0) {
      return [];
    }
    const cacheKey = planIds.join(',');
    const print = await fingerprintPlans(db, planIds);
    const fingerprint = `${print.count}:${print.latest ?? ''}`;
    let entry = this.similarIndexes.get(cacheKey);
    if (!entry || entry.fingerprint !== fingerprint) {
      const docs = await listOpinionsOfPlans(db, planIds, SIMILAR_INDEX_LIMIT);
      entry = {
        fingerprint,
        index: SimilarityIndex.build(docs.map((d) => ({ id: d.id, text: d.text }))),
        docs: new Map(docs.map((d) => [d.id, d])),
      };
      this.similarIndexes.set(cacheKey, entry);
    }
    const text = opinion.proposedText ? `${opinion.suggestion}\n${opinion.proposedText}` : opinion.suggestion;
    const hits = entry.index.query(text, { limit, minScore: 0.1, exclude: new Set([opinion.id]) });
    const codes = await mapApprovedCodes(
      db,
      hits.map((h) => h.id),
    );
    return hits.flatMap((hit) => {
      const doc = entry.docs.get(hit.id);
      return doc
        ? [
            {
              opinionId: hit.id,
              planId: doc.planId,
              planName: doc.planName,
              roundId: doc.roundId,
              roundTitle: doc.roundTitle,
              regNo: doc.regNo,
              excerpt: excerpt(doc.text),
              score: Number(hit.score.toFixed(4)),
              dispositionCode: codes.get(hit.id) ?? null,
            },
          ]
        : [];
    });
  }

  /** A person's topic labels on an opinion: the topic applies (present) or not; the machine defers to both. */
  async labelTopics(
    actor: Actor,
    opinionId: string,
    labels: { topicId: string; present: boolean }[],
  ): Promise<TopicLabelView[]> {
    const opinion = await this.loadOpinionFor(actor, opinionId, 'review');
    const topics = new Map((await listTopics(this.ctx.database.db, opinion.planId)).map((t) => [t.id, t]));
    labels.forEach((label, i) => {
      if (!topics.has(label.topicId)) {
        throw new AppError('validation_failed', `No topic ${label.topicId} in this plan.`, {
          field: `topics.${i}.topicId`,
        });
      }
    });
    await inTransaction(this.ctx.database, async (tx) => {
      const before = await listOpinionTopics(tx, opinionId);
      const now = this.ctx.now().toISOString();
      for (const label of labels) {
        await setHumanTopic(tx, {
          opinionId,
          topicId: label.topicId,
          present: label.present,
          userId: actor.userId,
          at: now,
        });
      }
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'opinion',
        id: opinionId,
        event: 'opinion.topics_labelled',
        payload: {
          roundId: opinion.roundId,
          before: before.map((t) => ({ key: t.key, source: t.source, rejected: t.rejected, score: t.score })),
          after: labels.map((l) => ({ key: topics.get(l.topicId)!.key, present: l.present })),
        },
      });
    });
    return (await listOpinionTopics(this.ctx.database.db, opinionId)).map(labelView);
  }

  /** A person's stance on an opinion; null gives the stance back to the machine. */
  async labelStance(
    actor: Actor,
    opinionId: string,
    stance: Stance | null,
  ): Promise<{
    opinionId: string;
    stance: { label: Stance; score: number | null; source: LabelSource } | null;
  }> {
    const opinion = await this.loadOpinionFor(actor, opinionId, 'review');
    if (stance !== null && !STANCES.includes(stance)) {
      throw new AppError('validation_failed', `stance must be one of ${STANCES.join(', ')}.`, {
        field: 'stance',
      });
    }
    await inTransaction(this.ctx.database, async (tx) => {
      const before = await findOpinionAnalysis(tx, opinionId);
      await setHumanStance(tx, {
        opinionId,
        roundId: opinion.roundId,
        textHash: exactHash(opinion.suggestion),
        stance,
        version: ANALYSIS_VERSION,
        at: this.ctx.now().toISOString(),
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'opinion',
        id: opinionId,
        event: 'opinion.stance_labelled',
        payload: {
          roundId: opinion.roundId,
          before: { stance: before?.stance ?? null, source: before?.stanceSource ?? null },
          after: { stance, source: stance === null ? 'machine' : 'human' },
        },
      });
      if (stance === null) {
        await this.jobs.enqueue(tx, {
          kind: ANALYSIS_OPINION,
          payload: { opinionId },
          dedupeKey: opinionJobKey(opinionId),
        });
      }
    });
    const after = await findOpinionAnalysis(this.ctx.database.db, opinionId);
    return {
      opinionId,
      stance:
        after !== null && after.stance !== null
          ? { label: after.stance, score: after.stanceScore, source: after.stanceSource }
          : null,
    };
  }

  // ── review queues and clause views ────────────────────────────────────────────────────────────────

  async listTopicReview(
    actor: Actor,
    roundId: string,
    options: { topicId?: string; cursor?: string; limit?: number } = {},
  ): Promise<{
    items: (OpinionBriefView & { topicId: string; key: string; label: string; score: number })[];
    nextCursor: string | null;
  }> {
    await this.loadRoundFor(actor, roundId, 'view');
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
    const key = options.cursor ? decodeCursor(options.cursor, 3) : null;
    const score = key ? Number(key[0]) : NaN;
    if (key && !Number.isFinite(score)) {
      throw new AppError('validation_failed', 'cursor is not one this API gave out.', { field: 'cursor' });
    }
    const rows = await listTopicReviewPage(this.ctx.database.db, {
      roundId,
      ...(options.topicId ? { topicId: options.topicId } : {}),
      limit: limit + 1,
      after: key ? { score, opinionId: key[1]!, topicId: key[2]! } : null,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        ...briefView(r),
        topicId: r.topicId,
        key: r.key,
        label: r.label,
        score: r.score,
      })),
      nextCursor:
        rows.length > limit && last ? encodeCursor([String(last.score), last.id, last.topicId]) : null,
    };
  }

  /**
   * The round's submitted opinions with their stances, in the order they were made, filtered by clause,
   * stance (`unknown`: none yet) and who gave it, a page at a time.
   */
  async listStances(
    actor: Actor,
    roundId: string,
    options: {
      clauseStableId?: string;
      stance?: Stance | 'unknown';
      source?: LabelSource;
      cursor?: string;
      limit?: number;
    } = {},
  ): Promise<{
    items: (OpinionBriefView & {
      stance: { label: Stance; score: number | null; source: LabelSource } | null;
    })[];
    nextCursor: string | null;
  }> {
    await this.loadRoundFor(actor, roundId, 'view');
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
    const key = options.cursor ? decodeCursor(options.cursor, 2) : null;
    const rows = await listStancePage(this.ctx.database.db, {
      roundId,
      ...(options.clauseStableId ? { clauseStableId: options.clauseStableId } : {}),
      ...(options.stance ? { stance: options.stance } : {}),
      ...(options.source ? { source: options.source } : {}),
      limit: limit + 1,
      after: key ? { createdAt: key[0]!, id: key[1]! } : null,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        ...briefView(r),
        stance:
          r.stance === null || r.stanceSource === null
            ? null
            : { label: r.stance, score: r.stanceScore, source: r.stanceSource },
      })),
      nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt, last.id]) : null,
    };
  }

  /** Pairs of opinions on a clause that may contradict each other, most likely first, for a person to confirm. */
  async listConflictCandidates(
    actor: Actor,
    roundId: string,
    options: { clauseStableId?: string; limit?: number } = {},
  ): Promise<{ items: ConflictCandidateView[] }> {
    await this.loadRoundFor(actor, roundId, 'view');
    const opinions = await listAnalysedOpinions(this.ctx.database.db, {
      roundId,
      clauseStableId: options.clauseStableId ?? null,
      limit: CLAUSE_OPINION_LIMIT,
    });
    const byId = new Map(opinions.map((o) => [o.id, o]));
    const candidates = findConflictCandidates(
      opinions.map((o) => ({
        id: o.id,
        unitId: o.unitId,
        clauseId: o.clauseStableId!,
        text: o.suggestion,
        proposedText: o.proposedText,
        stance: o.stance,
        stanceScore: o.stanceScore,
      })),
      { limit: Math.min(Math.max(options.limit ?? 50, 1), 200) },
    );
    const side = (id: string): ConflictSide => {
      const o = byId.get(id)!;
      return {
        ...briefView(o),
        stance: o.stance,
        proposedText: o.proposedText,
        figures: o.figures as Figure[],
      };
    };
    return {
      items: candidates.map((c) => ({
        clauseStableId: c.clauseId,
        reasons: [...c.reasons],
        score: c.score,
        textSimilarity: c.textSimilarity ?? null,
        figures: c.figures ?? [],
        a: side(c.a),
        b: side(c.b),
      })),
    };
  }

  /** 核心诉求 of a clause: its key phrases and a summary made only of sentences quoted from the opinions. */
  async summarizeClause(
    actor: Actor,
    roundId: string,
    clauseStableId: string,
    options: { maxSentences?: number } = {},
  ): Promise<ClauseSummaryView> {
    const round = await this.loadRoundFor(actor, roundId, 'view');
    const db = this.ctx.database.db;
    const clause = await clauseWithStableId(db, round.version_id, clauseStableId);
    if (!clause) {
      throw new AppError('not_found', 'No such clause in the draft of this round.', { field: 'stableId' });
    }
    const opinions = await listAnalysedOpinions(db, { roundId, clauseStableId, limit: CLAUSE_OPINION_LIMIT });
    const regNo = new Map(opinions.map((o) => [o.id, o.regNo]));
    const stance: ClauseSummaryView['stance'] = { support: 0, oppose: 0, modify: 0, none: 0, unknown: 0 };
    for (const o of opinions) {
      stance[o.stance ?? 'unknown'] += 1;
    }
    const texts = opinions.map((o) => (o.proposedText ? `${o.suggestion}\n${o.proposedText}` : o.suggestion));
    const keyphrases = clauseKeyphrases(texts, { limit: 10 });
    const sentences = summarizeClause(
      opinions.map((o) => ({ id: o.id, text: o.suggestion })),
      { maxSentences: options.maxSentences ?? 5, maxChars: 800, clauseText: clause.text },
    );
    return {
      roundId,
      clauseStableId,
      clauseNumber: clause.number,
      clauseText: clause.text,
      opinions: opinions.length,
      stance,
      keyphrases: keyphrases.map((k) => ({ text: k.text, score: Number(k.score.toFixed(4)) })),
      sentences: sentences.map((s) => ({
        text: s.text,
        opinionId: s.opinionId,
        regNo: regNo.get(s.opinionId) ?? null,
        start: s.start,
        end: s.end,
        score: Number(s.score.toFixed(4)),
        supporting: s.supporting.map((id) => ({ opinionId: id, regNo: regNo.get(id) ?? null })),
      })),
    };
  }

  /** Which units each clause of a draft concerns (by their responsibility keywords), for the round wizard. */
  async routeVersion(
    actor: Actor,
    versionId: string,
    options: { limit?: number } = {},
  ): Promise<RoutingView> {
    const db = this.ctx.database.db;
    const version = await findVersionPlan(db, versionId);
    if (!version) {
      throw new AppError('not_found', 'No such draft version.', { field: 'versionId' });
    }
    await this.loadPlanFor(actor, version.planId, 'view');
    const clauses = (await listClauses(db, versionId)).filter((c) => c.text.trim().length > 0);
    const units = await listRoutingUnits(db);
    const names = new Map(units.map((u) => [u.id, u.name]));
    const routes = routeClauses(
      clauses.map((c) => ({ id: c.stable_id, text: c.heading ? `${c.heading}\n${c.text}` : c.text })),
      units,
      { limit: Math.min(Math.max(options.limit ?? 5, 1), 20) },
    );
    const invitees = new Map<
      string,
      { unitId: string; unitName: string; score: number; clauses: number; matched: Set<string> }
    >();
    const views = clauses.map((c) => {
      const suggestions = routes.get(c.stable_id) ?? [];
      return {
        stableId: c.stable_id,
        number: c.number,
        heading: c.heading,
        excerpt: excerpt(c.text),
        units: suggestions.map((s) => {
          const entry = invitees.get(s.unitId) ?? {
            unitId: s.unitId,
            unitName: names.get(s.unitId) ?? s.unitId,
            score: 0,
            clauses: 0,
            matched: new Set<string>(),
          };
          entry.score += s.score;
          entry.clauses += 1;
          s.matched.forEach((m) => entry.matched.add(m));
          invitees.set(s.unitId, entry);
          return {
            unitId: s.unitId,
            unitName: names.get(s.unitId) ?? s.unitId,
            score: Number(s.score.toFixed(4)),
            matched: [...s.matched],
            questions: suggestQuestions({ ...(c.number ? { number: c.number } : {}), text: c.text }, s),
          };
        }),
      };
    });
    return {
      versionId,
      planId: version.planId,
      clauses: views.filter((v) => v.units.length > 0),
      invitees: [...invitees.values()]
        .map((i) => ({ ...i, score: Number(i.score.toFixed(4)), matched: [...i.matched] }))
        .sort((a, b) => b.score - a.score || a.unitName.localeCompare(b.unitName)),
    };
  }

  // ── the optional language model ───────────────────────────────────────────────────────────────────

  private model(): LanguageModel {
    if (this.languageModel === undefined) {
      this.languageModel = createLanguageModel(this.ctx.config);
    }
    if (this.languageModel === null) {
      throw new AppError('unavailable', 'No language model is configured (CONCORD_LLM_URL).', {
        provider: 'language_model',
        reason: 'not_configured',
      });
    }
    return this.languageModel;
  }

  /** A language model's wording of a clause's summary, from the sentences the extractive summary quotes. */
  async draftClauseSummary(
    actor: Actor,
    roundId: string,
    clauseStableId: string,
  ): Promise<LanguageModelDraftView> {
    await this.loadRoundFor(actor, roundId, 'review');
    const model = this.model();
    const summary = await this.summarizeClause(actor, roundId, clauseStableId, { maxSentences: 12 });
    if (summary.sentences.length === 0) {
      throw new AppError('rule_violated', 'No opinion on this clause has anything to summarise.', {
        field: 'stableId',
      });
    }
    const cite = (s: { opinionId: string; regNo: string | null }): string => s.regNo ?? s.opinionId;
    const draft = await model.summarizeClause({
      clauseText: summary.clauseText,
      sentences: summary.sentences.map((s) => ({ text: s.text, opinionId: cite(s) })),
    });
    const sources = new Map(
      summary.sentences.map((s) => [s.opinionId, { opinionId: s.opinionId, regNo: s.regNo, cited: cite(s) }]),
    );
    return { text: draft.text, model: draft.model, draft: true, sources: [...sources.values()] };
  }

  /** A language model's draft of a clause revised to reflect its opinions, for the organizer to edit. */
  async draftClauseRevision(
    actor: Actor,
    roundId: string,
    clauseStableId: string,
  ): Promise<LanguageModelDraftView> {
    const round = await this.loadRoundFor(actor, roundId, 'review');
    const model = this.model();
    const db = this.ctx.database.db;
    const clause = await clauseWithStableId(db, round.version_id, clauseStableId);
    if (!clause) {
      throw new AppError('not_found', 'No such clause in the draft of this round.', { field: 'stableId' });
    }
    const opinions = await listAnalysedOpinions(db, { roundId, clauseStableId, limit: CLAUSE_OPINION_LIMIT });
    if (opinions.length === 0) {
      throw new AppError('rule_violated', 'No opinion on this clause to draft a revision from.', {
        field: 'stableId',
      });
    }
    const cite = (o: { id: string; regNo: string | null }): string => o.regNo ?? o.id;
    const draft = await model.draftRevision({
      clauseText: clause.text,
      opinions: opinions.map((o) => ({ id: cite(o), text: o.suggestion, proposedText: o.proposedText })),
    });
    return {
      text: draft.text,
      model: draft.model,
      draft: true,
      sources: opinions.map((o) => ({ opinionId: o.id, regNo: o.regNo, cited: cite(o) })),
    };
  }
}
