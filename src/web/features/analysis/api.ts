import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../../api.ts';
import type { Opinion } from '../assessment/api.ts';
import { useMe } from '../auth/api.ts';
import { isJobDone, isJobRunning } from './job.ts';
import type { StanceFilter } from './stance.ts';

/*
 * The machine analysis of a plan's opinions, as the server's analysis routes shape it: taxonomy and
 * models, a round's overview, near-duplicate clusters, topic and stance labels, conflict candidates,
 * clause summaries, routing of clauses to units, and the optional language model's drafts.
 */

export type Stance = 'support' | 'oppose' | 'modify' | 'none';
export const STANCES: readonly Stance[] = ['support', 'oppose', 'modify', 'none'];
export type LabelSource = 'machine' | 'human';
export type ClusterStatus = 'machine' | 'confirmed' | 'edited';
export type AnalysisTask = 'topic' | 'stance';
export type ConflictReason = 'opposite_stance' | 'incompatible_text' | 'different_figures';
export type FigureDirection = 'increase' | 'decrease' | 'at_least' | 'at_most' | 'reach' | 'equal';

export interface Job {
  id: string;
  kind: string;
  status: string;
  progress: number | null;
  attempts: number;
  lastError: string | null;
  result: unknown;
  createdAt: string;
  updatedAt: string;
}

/** A number with its unit, direction and year (提升20%, 不低于15%, 2027年达到100亿元). */
export interface Figure {
  text: string;
  start?: number;
  end?: number;
  target?: string | null;
  value?: number;
  upper?: number;
  unit?: string;
  direction?: string | null;
  year?: number | null;
}

export interface Topic {
  id: string;
  key: string;
  label: string;
  keywords: string[];
  position: number;
}

export interface Taxonomy {
  planId: string;
  topics: Topic[];
  /** Labels a person gives a topic before the machine learns it. */
  minLabels: number;
}

export interface TopicInput {
  key: string;
  label: string;
  keywords: string[];
}

export interface AnalysisModel {
  id: string;
  planId: string;
  task: AnalysisTask;
  labelCount: number;
  trainedBy: string | null;
  trainedAt: string;
}

export interface TrainResult {
  task: AnalysisTask;
  modelId: string;
  labelCount: number;
  trainedAt: string;
  /** Topic keys, or clause targets with a model of their own. */
  learned: string[];
  /** Topics with too few labels to learn yet. */
  lacking: { key: string; labels: number; needed: number }[];
  jobIds: string[];
}

export interface OpinionBrief {
  id: string;
  regNo: string | null;
  unitId: string | null;
  unitName: string | null;
  clauseStableId: string | null;
  excerpt: string;
}

export interface Cluster {
  id: string;
  roundId: string;
  size: number;
  status: ClusterStatus;
  threshold: number;
  reviewedBy: string | null;
  reviewedAt: string | null;
  createdAt: string;
  updatedAt: string;
  representative: OpinionBrief;
}

export interface ClusterMember extends OpinionBrief {
  duplicateOf: string | null;
}

export interface ClusterPage {
  items: Cluster[];
  nextCursor: string | null;
}

/** Near-duplicates of a cluster's members outside it: another cluster, or an opinion in none. */
export interface RelatedCluster {
  clusterId: string | null;
  size: number;
  representative: OpinionBrief;
  links: number;
}

export interface ClusterDetail extends Cluster {
  members: ClusterMember[];
  nextCursor: string | null;
  related: RelatedCluster[];
}

export type StanceCounts = Record<Stance, number>;

export interface RoundAnalysis {
  roundId: string;
  planId: string;
  threshold: number;
  submitted: number;
  analyzed: number;
  pending: number;
  stance: StanceCounts;
  humanStance: number;
  topics: { topicId: string; key: string; label: string; machine: number; human: number }[];
  clusters: {
    count: number;
    reviewed: number;
    clusteredOpinions: number;
    exactDuplicates: number;
    largest: Cluster[];
  };
  lastJob: {
    id: string;
    status: string;
    progress: number | null;
    createdAt: string;
    updatedAt: string;
  } | null;
}

export interface TopicLabel {
  topicId: string;
  key: string;
  label: string;
  score: number;
  source: LabelSource;
  /** A person said the topic does not apply. */
  rejected: boolean;
  labelledBy: string | null;
  labelledAt: string;
}

export interface StanceLabel {
  label: Stance;
  score: number | null;
  source: LabelSource;
}

/** An opinion of the stance list, with its stance (null: none yet). */
export interface StanceRow extends OpinionBrief {
  stance: StanceLabel | null;
}

export interface StancePage {
  items: StanceRow[];
  nextCursor: string | null;
}

export interface SimilarOpinion {
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

export interface OpinionAnalysis {
  opinionId: string;
  roundId: string;
  analyzed: boolean;
  analyzedAt: string | null;
  stance: StanceLabel | null;
  topics: TopicLabel[];
  keyphrases: string[];
  figures: Figure[];
  quality: { score: number; flags: string[] };
  cluster: { id: string; size: number; status: ClusterStatus; representativeId: string } | null;
  duplicateOf: string | null;
  similar: SimilarOpinion[];
}

export interface TopicReviewItem extends OpinionBrief {
  topicId: string;
  key: string;
  label: string;
  score: number;
}

export interface TopicReviewPage {
  items: TopicReviewItem[];
  nextCursor: string | null;
}

export interface ConflictSide extends OpinionBrief {
  stance: Stance | null;
  proposedText: string | null;
  figures: Figure[];
}

export interface ConflictCandidate {
  clauseStableId: string;
  reasons: string[];
  score: number;
  textSimilarity: number | null;
  figures: { a: Figure; b: Figure }[];
  a: ConflictSide;
  b: ConflictSide;
}

export interface SummarySentence {
  text: string;
  opinionId: string;
  regNo: string | null;
  start: number;
  end: number;
  score: number;
  supporting: { opinionId: string; regNo: string | null }[];
}

export interface ClauseSummary {
  roundId: string;
  clauseStableId: string;
  clauseNumber: string | null;
  clauseText: string;
  opinions: number;
  stance: StanceCounts & { unknown: number };
  keyphrases: { text: string; score: number }[];
  sentences: SummarySentence[];
}

export interface RoutingUnit {
  unitId: string;
  unitName: string;
  score: number;
  matched: string[];
  questions: string[];
}

export interface Routing {
  versionId: string;
  planId: string;
  clauses: {
    stableId: string;
    number: string | null;
    heading: string | null;
    excerpt: string;
    units: RoutingUnit[];
  }[];
  invitees: { unitId: string; unitName: string; score: number; clauses: number; matched: string[] }[];
}

/** A language model's text: always a draft for a person to review before it is used anywhere. */
export interface LanguageModelDraft {
  text: string;
  model: string;
  draft: true;
  sources: { opinionId: string; regNo: string | null; cited: string }[];
}

// ---- query keys: everything under ['analysis'], so one job's end refreshes what it changed ----------

export const analysisKeys = {
  all: ['analysis'] as const,
  topics: (planId: string) => ['analysis', 'plan', planId, 'topics'] as const,
  models: (planId: string) => ['analysis', 'plan', planId, 'models'] as const,
  round: (roundId: string) => ['analysis', 'round', roundId] as const,
  overview: (roundId: string) => ['analysis', 'round', roundId, 'overview'] as const,
  clusters: (roundId: string) => ['analysis', 'round', roundId, 'clusters'] as const,
  stances: (roundId: string, filter: StanceListFilter) =>
    [
      'analysis',
      'round',
      roundId,
      'stances',
      filter.clause ?? null,
      filter.stance ?? null,
      filter.source ?? null,
    ] as const,
  topicReview: (roundId: string, topicId: string | undefined) =>
    ['analysis', 'round', roundId, 'topic-review', topicId ?? null] as const,
  conflicts: (roundId: string, clause: string | undefined) =>
    ['analysis', 'round', roundId, 'conflicts', clause ?? null] as const,
  summary: (roundId: string, stableId: string) =>
    ['analysis', 'round', roundId, 'summary', stableId] as const,
  cluster: (clusterId: string) => ['analysis', 'cluster', clusterId] as const,
  opinion: (opinionId: string) => ['analysis', 'opinion', opinionId] as const,
  routing: (versionId: string) => ['analysis', 'version', versionId, 'routing'] as const,
};

/** After a change to a round's analysis: its views and the opinions' analyses are fetched again. */
async function refreshRound(client: QueryClient, roundId: string): Promise<void> {
  await client.invalidateQueries({ queryKey: analysisKeys.round(roundId) });
  await client.invalidateQueries({ queryKey: ['analysis', 'cluster'] });
  await client.invalidateQueries({ queryKey: ['analysis', 'opinion'] });
}

/**
 * Whether the signed-in person may change the analysis (organizers and administrators); leaders read it.
 * The server decides anyway: this only keeps controls away from those who could not use them.
 */
export function useCanReviewAnalysis(): boolean {
  const me = useMe();
  return (me.data?.roles ?? []).some((role) => role === 'organizer' || role === 'admin');
}

// ---- taxonomy and models ------------------------------------------------------------------------------

export function useTaxonomy(planId: string | undefined) {
  return useQuery({
    queryKey: analysisKeys.topics(planId ?? ''),
    queryFn: () => api<Taxonomy>(`/plans/${planId}/topics`),
    enabled: Boolean(planId),
  });
}

/** Replaces the taxonomy; the server keeps labels by topic key and analyses the active rounds again. */
export function useSaveTaxonomy(planId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (topics: TopicInput[]) =>
      api<Taxonomy & { jobIds: string[] }>(`/plans/${planId}/topics`, { method: 'PUT', body: { topics } }),
    onSuccess: async (taxonomy) => {
      client.setQueryData(analysisKeys.topics(planId), {
        planId: taxonomy.planId,
        topics: taxonomy.topics,
        minLabels: taxonomy.minLabels,
      });
      await client.invalidateQueries({ queryKey: analysisKeys.all });
    },
  });
}

export function useModels(planId: string) {
  return useQuery({
    queryKey: analysisKeys.models(planId),
    queryFn: () => api<AnalysisModel[]>(`/plans/${planId}/models`),
  });
}

export function useTrainModel(planId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (task: AnalysisTask) =>
      api<TrainResult>(`/plans/${planId}/models/${task}/train`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: analysisKeys.models(planId) }),
  });
}

// ---- a round ------------------------------------------------------------------------------------------

/** A round's analysis at a glance; polled while its last job is still queued or running. */
export function useRoundAnalysis(roundId: string) {
  return useQuery({
    queryKey: analysisKeys.overview(roundId),
    queryFn: () => api<RoundAnalysis>(`/rounds/${roundId}/analysis`),
    refetchInterval: (query) => (isJobRunning(query.state.data?.lastJob?.status) ? 1500 : false),
  });
}

/** Follows a background job until it ends, then refreshes the round's analysis views once. */
export function useFollowJob(jobId: string | null, roundId: string) {
  const client = useQueryClient();
  const job = useQuery({
    queryKey: ['job', jobId],
    queryFn: () => api<Job>(`/jobs/${jobId}`),
    enabled: jobId !== null,
    refetchInterval: (query) => (isJobDone(query.state.data?.status) ? false : 1000),
  });
  const done = isJobDone(job.data?.status);
  useEffect(() => {
    if (done) {
      void refreshRound(client, roundId);
    }
  }, [done, client, roundId]);
  return job;
}

export function useRunAnalysis(roundId: string) {
  return useMutation({
    mutationFn: () => api<{ job: Job }>(`/rounds/${roundId}/analysis/run`, { method: 'POST' }),
  });
}

export function useSetThreshold(roundId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (threshold: number) =>
      api<{ roundId: string; threshold: number; job: Job }>(`/rounds/${roundId}/dedupe-threshold`, {
        method: 'PUT',
        body: { threshold },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: analysisKeys.overview(roundId) }),
  });
}

/** Rows per page of the cluster list. */
export const CLUSTER_PAGE = 20;
/** Members per page of one cluster. */
export const MEMBER_PAGE = 50;

export function useClusters(roundId: string) {
  return useInfiniteQuery({
    queryKey: analysisKeys.clusters(roundId),
    queryFn: ({ pageParam }) =>
      api<ClusterPage>(
        `/rounds/${roundId}/clusters?limit=${CLUSTER_PAGE}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useClusterMembers(clusterId: string) {
  return useInfiniteQuery({
    queryKey: analysisKeys.cluster(clusterId),
    queryFn: ({ pageParam }) =>
      api<ClusterDetail>(
        `/clusters/${clusterId}?limit=${MEMBER_PAGE}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useConfirmCluster(roundId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (clusterId: string) => api<Cluster>(`/clusters/${clusterId}/confirm`, { method: 'POST' }),
    onSuccess: () => refreshRound(client, roundId),
  });
}

export function useSplitCluster(roundId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { clusterId: string; opinionIds: string[]; singletons: boolean }) =>
      api<{ clusters: Cluster[] }>(`/clusters/${input.clusterId}/split`, {
        method: 'POST',
        body: { opinionIds: input.opinionIds, singletons: input.singletons },
      }),
    onSuccess: () => refreshRound(client, roundId),
  });
}

export function useMergeClusters(roundId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (clusterIds: string[]) =>
      api<Cluster>(`/rounds/${roundId}/clusters/merge`, { method: 'POST', body: { clusterIds } }),
    onSuccess: () => refreshRound(client, roundId),
  });
}

/** Machine topic labels of a round, least confident first, a page at a time. */
export function useTopicReview(roundId: string, topicId: string | undefined) {
  return useInfiniteQuery({
    queryKey: analysisKeys.topicReview(roundId, topicId),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: '50' });
      if (topicId) {
        params.set('topic', topicId);
      }
      if (pageParam) {
        params.set('cursor', pageParam);
      }
      return api<TopicReviewPage>(`/rounds/${roundId}/topic-review?${params.toString()}`);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useConflictCandidates(roundId: string, clause: string | undefined) {
  return useQuery({
    queryKey: analysisKeys.conflicts(roundId, clause),
    queryFn: () =>
      api<{ items: ConflictCandidate[] }>(
        `/rounds/${roundId}/conflict-candidates?limit=50${clause ? `&clause=${encodeURIComponent(clause)}` : ''}`,
      ),
  });
}

export function useClauseSummary(roundId: string | undefined, stableId: string | undefined) {
  return useQuery({
    queryKey: analysisKeys.summary(roundId ?? '', stableId ?? ''),
    queryFn: () =>
      api<ClauseSummary>(`/rounds/${roundId}/clauses/${encodeURIComponent(stableId ?? '')}/summary`),
    enabled: Boolean(roundId) && Boolean(stableId),
    retry: false,
  });
}

/** The language model's summary of a clause, or its draft of the clause revised (503 when none is set up). */
export function useLanguageModelDraft(roundId: string, stableId: string) {
  return useMutation({
    mutationFn: (kind: 'summary' | 'revision') =>
      api<LanguageModelDraft>(
        `/rounds/${roundId}/clauses/${encodeURIComponent(stableId)}/${kind === 'summary' ? 'summary/draft' : 'revision-draft'}`,
        { method: 'POST' },
      ),
  });
}

// ---- one opinion ------------------------------------------------------------------------------------

/** One opinion as the assessment shows it (cached under the same key as the assessment's own). */
export function useOpinion(opinionId: string | null) {
  return useQuery({
    queryKey: ['opinion', opinionId],
    queryFn: () => api<Opinion>(`/opinions/${opinionId}`),
    enabled: opinionId !== null,
  });
}

export function useOpinionAnalysis(opinionId: string | undefined) {
  return useQuery({
    queryKey: analysisKeys.opinion(opinionId ?? ''),
    queryFn: () => api<OpinionAnalysis>(`/opinions/${opinionId}/analysis?similar=5`),
    enabled: Boolean(opinionId),
  });
}

/** The stance list's filters: a clause, a stance, who gave it. */
export interface StanceListFilter extends StanceFilter {
  clause?: string;
}

/** The query of a page of the stance list: the filters that are set, the page size and cursor. */
export function stanceQuery(
  filter: StanceListFilter,
  page: { limit: number; cursor?: string | null },
): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['clause', 'stance', 'source'] as const) {
    const value = filter[key];
    if (value) {
      params.set(key, value);
    }
  }
  params.set('limit', String(page.limit));
  if (page.cursor) {
    params.set('cursor', page.cursor);
  }
  return params;
}

/** Opinions per page of the stance list (each row comes with its stance). */
export const STANCE_PAGE = 50;

/** A round's opinions with their stances, filtered and paged by the server. */
export function useRoundStances(roundId: string, filter: StanceListFilter) {
  return useInfiniteQuery({
    queryKey: analysisKeys.stances(roundId, filter),
    queryFn: ({ pageParam }) =>
      api<StancePage>(
        `/rounds/${roundId}/stances?${stanceQuery(filter, { limit: STANCE_PAGE, cursor: pageParam }).toString()}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** A person's topic labels on an opinion; the opinion's view shows them at once, the round's views refetch. */
export function useLabelTopics(roundId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { opinionId: string; topics: { topicId: string; present: boolean }[] }) =>
      api<TopicLabel[]>(`/opinions/${input.opinionId}/topics`, {
        method: 'PUT',
        body: { topics: input.topics },
      }),
    onSuccess: async (topics, input) => {
      client.setQueryData<OpinionAnalysis>(analysisKeys.opinion(input.opinionId), (data) =>
        data ? { ...data, topics } : data,
      );
      await client.invalidateQueries({ queryKey: analysisKeys.overview(roundId) });
      await client.invalidateQueries({ queryKey: ['analysis', 'round', roundId, 'topic-review'] });
    },
  });
}

/** A person's stance on an opinion; null hands it back to the machine. */
export function useLabelStance(roundId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { opinionId: string; stance: Stance | null }) =>
      api<{ opinionId: string; stance: StanceLabel | null }>(`/opinions/${input.opinionId}/stance`, {
        method: 'PUT',
        body: { stance: input.stance },
      }),
    onSuccess: async (result) => {
      client.setQueryData<OpinionAnalysis>(analysisKeys.opinion(result.opinionId), (data) =>
        data ? { ...data, stance: result.stance } : data,
      );
      // The stance lists show the new stance in place; a list filtered by stance keeps the row until it
      // is loaded again.
      const lists = { queryKey: ['analysis', 'round', roundId, 'stances'] };
      client.setQueriesData<InfiniteData<StancePage>>(lists, (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((page) => ({
                ...page,
                items: page.items.map((row) =>
                  row.id === result.opinionId ? { ...row, stance: result.stance } : row,
                ),
              })),
            }
          : data,
      );
      await client.invalidateQueries({ ...lists, refetchType: 'none' });
      await client.invalidateQueries({ queryKey: analysisKeys.overview(roundId) });
      await client.invalidateQueries({ queryKey: ['analysis', 'round', roundId, 'conflicts'] });
      await client.invalidateQueries({ queryKey: ['analysis', 'round', roundId, 'summary'] });
    },
  });
}

// ---- a draft version ----------------------------------------------------------------------------------

export function useRouting(versionId: string | undefined) {
  return useQuery({
    queryKey: analysisKeys.routing(versionId ?? ''),
    queryFn: () => api<Routing>(`/versions/${versionId}/routing`),
    enabled: Boolean(versionId),
    staleTime: 60_000,
  });
}
