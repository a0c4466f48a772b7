import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { ErrorResponse, IdParams, Nullable, errorResponses } from './schemas.ts';

const TAGS = ['analysis'];
const withRules = { ...errorResponses, 409: ErrorResponse, 422: ErrorResponse };
const Id = Type.String({ minLength: 1, maxLength: 100 });

const StanceSchema = Type.Union([
  Type.Literal('support'),
  Type.Literal('oppose'),
  Type.Literal('modify'),
  Type.Literal('none'),
]);
const SourceSchema = Type.Union([Type.Literal('machine'), Type.Literal('human')]);
const ClusterStatusSchema = Type.Union([
  Type.Literal('machine'),
  Type.Literal('confirmed'),
  Type.Literal('edited'),
]);
const TaskSchema = Type.Union([Type.Literal('topic'), Type.Literal('stance')]);

const JobSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  progress: Nullable(Type.Number()),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  result: Type.Unknown(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const FigureSchema = Type.Object(
  {
    text: Type.String(),
    start: Type.Optional(Type.Integer()),
    end: Type.Optional(Type.Integer()),
    target: Type.Optional(Nullable(Type.String())),
    value: Type.Optional(Type.Number()),
    upper: Type.Optional(Type.Number()),
    unit: Type.Optional(Type.String()),
    direction: Type.Optional(Nullable(Type.String())),
    year: Type.Optional(Nullable(Type.Integer())),
  },
  { description: 'a number with its unit, direction and year (提升20%, 不低于15%, 2027年达到100亿元)' },
);

const TopicSchema = Type.Object({
  id: Type.String(),
  key: Type.String(),
  label: Type.String(),
  keywords: Type.Array(Type.String()),
  position: Type.Integer(),
});

const TaxonomySchema = Type.Object({
  planId: Type.String(),
  topics: Type.Array(TopicSchema),
  minLabels: Type.Integer({ description: 'labels a person gives a topic before the machine learns it' }),
});

const OpinionBriefFields = {
  id: Type.String(),
  regNo: Nullable(Type.String()),
  unitId: Nullable(Type.String()),
  unitName: Nullable(Type.String()),
  clauseStableId: Nullable(Type.String()),
  excerpt: Type.String(),
};
const OpinionBrief = Type.Object(OpinionBriefFields);

const ClusterSchema = Type.Object({
  id: Type.String(),
  roundId: Type.String(),
  size: Type.Integer(),
  status: ClusterStatusSchema,
  threshold: Type.Number(),
  reviewedBy: Nullable(Type.String()),
  reviewedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  representative: OpinionBrief,
});

const TopicLabelSchema = Type.Object({
  topicId: Type.String(),
  key: Type.String(),
  label: Type.String(),
  score: Type.Number(),
  source: SourceSchema,
  rejected: Type.Boolean({ description: 'a person said the topic does not apply' }),
  labelledBy: Nullable(Type.String()),
  labelledAt: Type.String(),
});

const StanceLabel = Nullable(
  Type.Object({ label: StanceSchema, score: Nullable(Type.Number()), source: SourceSchema }),
);

const StanceCounts = {
  support: Type.Integer(),
  oppose: Type.Integer(),
  modify: Type.Integer(),
  none: Type.Integer(),
};

const Page = {
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
};

const ClauseParams = Type.Object({ id: Id, stableId: Id });
const TaskParams = Type.Object({ id: Id, task: TaskSchema });

const DraftSchema = Type.Object({
  text: Type.String(),
  model: Type.String(),
  draft: Type.Literal(true, { description: 'a proposal for a person to review and approve' }),
  sources: Type.Array(
    Type.Object({ opinionId: Type.String(), regNo: Nullable(Type.String()), cited: Type.String() }),
  ),
});

const ConflictSide = Type.Object({
  ...OpinionBriefFields,
  stance: Nullable(StanceSchema),
  proposedText: Nullable(Type.String()),
  figures: Type.Array(FigureSchema),
});

/** Machine analysis for the plan's side: taxonomy, models, clusters, labels, conflicts, summaries, routing. */
export const analysisRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    const analysis = services.analysis;

    app.get(
      '/plans/:id/topics',
      {
        schema: {
          tags: TAGS,
          summary: "A plan's topic taxonomy (议题分类)",
          params: IdParams,
          response: { 200: TaxonomySchema, ...errorResponses },
        },
      },
      async (request) => analysis.getTopics(actorOf(request), request.params.id),
    );

    app.put(
      '/plans/:id/topics',
      {
        schema: {
          tags: TAGS,
          summary:
            "Replace a plan's taxonomy: topics keep their labels by key, topics left out are deleted; the plan's active rounds are analysed again",
          params: IdParams,
          body: Type.Object({
            topics: Type.Array(
              Type.Object({
                key: Type.String({ minLength: 1, maxLength: 60 }),
                label: Type.String({ minLength: 1, maxLength: 100 }),
                keywords: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 200 })),
              }),
              { maxItems: 200 },
            ),
          }),
          response: {
            200: Type.Object({ ...TaxonomySchema.properties, jobIds: Type.Array(Type.String()) }),
            ...withRules,
          },
        },
      },
      async (request) => analysis.replaceTopics(actorOf(request), request.params.id, request.body),
    );

    app.get(
      '/plans/:id/models',
      {
        schema: {
          tags: TAGS,
          summary: 'The models learned from the labels given on a plan',
          params: IdParams,
          response: {
            200: Type.Array(
              Type.Object({
                id: Type.String(),
                planId: Type.String(),
                task: TaskSchema,
                labelCount: Type.Integer(),
                trainedBy: Nullable(Type.String()),
                trainedAt: Type.String(),
              }),
            ),
            ...errorResponses,
          },
        },
      },
      async (request) => analysis.listModels(actorOf(request), request.params.id),
    );

    app.post(
      '/plans/:id/models/:task/train',
      {
        schema: {
          tags: TAGS,
          summary:
            "Learn topics or stances from the labels people gave on the plan's opinions, then analyse its active rounds again",
          params: TaskParams,
          response: {
            200: Type.Object({
              task: TaskSchema,
              modelId: Type.String(),
              labelCount: Type.Integer(),
              trainedAt: Type.String(),
              learned: Type.Array(Type.String(), {
                description: 'topic keys, or clause targets with a model of their own',
              }),
              lacking: Type.Array(
                Type.Object({ key: Type.String(), labels: Type.Integer(), needed: Type.Integer() }),
                { description: 'topics with too few labels to learn yet' },
              ),
              jobIds: Type.Array(Type.String()),
            }),
            ...withRules,
          },
        },
      },
      async (request) => analysis.trainModel(actorOf(request), request.params.id, request.params.task),
    );

    app.get(
      '/rounds/:id/analysis',
      {
        schema: {
          tags: TAGS,
          summary:
            "A round's analysis at a glance: analysed and pending, stances, topics, clusters, the last job",
          params: IdParams,
          response: {
            200: Type.Object({
              roundId: Type.String(),
              planId: Type.String(),
              threshold: Type.Number(),
              submitted: Type.Integer(),
              analyzed: Type.Integer(),
              pending: Type.Integer(),
              stance: Type.Object(StanceCounts),
              humanStance: Type.Integer(),
              topics: Type.Array(
                Type.Object({
                  topicId: Type.String(),
                  key: Type.String(),
                  label: Type.String(),
                  machine: Type.Integer(),
                  human: Type.Integer(),
                }),
              ),
              clusters: Type.Object({
                count: Type.Integer(),
                reviewed: Type.Integer(),
                clusteredOpinions: Type.Integer(),
                exactDuplicates: Type.Integer(),
                largest: Type.Array(ClusterSchema),
              }),
              lastJob: Nullable(
                Type.Object({
                  id: Type.String(),
                  status: Type.String(),
                  progress: Nullable(Type.Number()),
                  createdAt: Type.String(),
                  updatedAt: Type.String(),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => analysis.getRoundOverview(actorOf(request), request.params.id),
    );

    app.put(
      '/rounds/:id/dedupe-threshold',
      {
        schema: {
          tags: TAGS,
          summary:
            "Set the round's near-duplicate threshold (Jaccard of 5-character shingles) and re-cluster; follow the job at /jobs/:id",
          params: IdParams,
          body: Type.Object({ threshold: Type.Number({ minimum: 0.5, maximum: 1 }) }),
          response: {
            202: Type.Object({ roundId: Type.String(), threshold: Type.Number(), job: JobSchema }),
            ...withRules,
          },
        },
      },
      async (request, reply) =>
        reply
          .status(202)
          .send(
            await analysis.setDedupeThreshold(actorOf(request), request.params.id, request.body.threshold),
          ),
    );

    app.post(
      '/rounds/:id/analysis/run',
      {
        schema: {
          tags: TAGS,
          summary:
            'Analyse every opinion of the round again (unchanged ones are skipped); follow the job at /jobs/:id',
          params: IdParams,
          response: { 202: Type.Object({ job: JobSchema }), ...withRules },
        },
      },
      async (request, reply) =>
        reply.status(202).send(await analysis.runRoundAnalysis(actorOf(request), request.params.id)),
    );

    app.get(
      '/rounds/:id/clusters',
      {
        schema: {
          tags: TAGS,
          summary: "The round's near-duplicate clusters (form letters), largest first, a page at a time",
          params: IdParams,
          querystring: Type.Object(Page),
          response: {
            200: Type.Object({ items: Type.Array(ClusterSchema), nextCursor: Nullable(Type.String()) }),
            ...errorResponses,
          },
        },
      },
      async (request) => analysis.listClusters(actorOf(request), request.params.id, request.query),
    );

    app.get(
      '/clusters/:id',
      {
        schema: {
          tags: TAGS,
          summary:
            'A cluster with its members, a page at a time (each member keeps its own identity), and the clusters and opinions its members are near-duplicates of',
          params: IdParams,
          querystring: Type.Object({
            cursor: Type.Optional(Type.String({ maxLength: 500 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          }),
          response: {
            200: Type.Object({
              ...ClusterSchema.properties,
              members: Type.Array(
                Type.Object({ ...OpinionBriefFields, duplicateOf: Nullable(Type.String()) }),
              ),
              nextCursor: Nullable(Type.String()),
              related: Type.Array(
                Type.Object({
                  clusterId: Nullable(Type.String({ description: 'null: an opinion in no cluster' })),
                  size: Type.Integer(),
                  representative: OpinionBrief,
                  links: Type.Integer({ description: 'near-duplicate pairs between the two' }),
                }),
                {
                  description:
                    'Near-duplicates of the members outside the cluster (clusters never chain texts), most links first: clusters to consider merging, and opinions in none',
                },
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => analysis.getCluster(actorOf(request), request.params.id, request.query),
    );

    app.post(
      '/clusters/:id/confirm',
      {
        schema: {
          tags: TAGS,
          summary: 'Confirm a cluster: the machine leaves it as it is from now on',
          params: IdParams,
          response: { 200: ClusterSchema, ...withRules },
        },
      },
      async (request) => analysis.confirmCluster(actorOf(request), request.params.id),
    );

    app.post(
      '/clusters/:id/split',
      {
        schema: {
          tags: TAGS,
          summary:
            'Take opinions out of a cluster, into one new cluster or (singletons) each into its own; both sides then stay as reviewed',
          params: IdParams,
          body: Type.Object({
            opinionIds: Type.Array(Id, { minItems: 1, maxItems: 10000 }),
            singletons: Type.Optional(Type.Boolean()),
          }),
          response: { 200: Type.Object({ clusters: Type.Array(ClusterSchema) }), ...withRules },
        },
      },
      async (request) => analysis.splitCluster(actorOf(request), request.params.id, request.body),
    );

    app.post(
      '/rounds/:id/clusters/merge',
      {
        schema: {
          tags: TAGS,
          summary: 'Merge clusters of the round into the first one named',
          params: IdParams,
          body: Type.Object({
            clusterIds: Type.Array(Id, { minItems: 2, maxItems: 1000 }),
            representativeId: Type.Optional(Id),
          }),
          response: { 200: ClusterSchema, ...withRules },
        },
      },
      async (request) => analysis.mergeClusters(actorOf(request), request.params.id, request.body),
    );

    app.get(
      '/opinions/:id/analysis',
      {
        schema: {
          tags: TAGS,
          summary:
            "An opinion's analysis: stance, topics (machine or human), key phrases, figures, quality, cluster, and similar opinions of earlier plans",
          params: IdParams,
          querystring: Type.Object({ similar: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })) }),
          response: {
            200: Type.Object({
              opinionId: Type.String(),
              roundId: Type.String(),
              analyzed: Type.Boolean(),
              analyzedAt: Nullable(Type.String()),
              stance: StanceLabel,
              topics: Type.Array(TopicLabelSchema),
              keyphrases: Type.Array(Type.String()),
              figures: Type.Array(FigureSchema),
              quality: Type.Object({ score: Type.Number(), flags: Type.Array(Type.String()) }),
              cluster: Nullable(
                Type.Object({
                  id: Type.String(),
                  size: Type.Integer(),
                  status: ClusterStatusSchema,
                  representativeId: Type.String(),
                }),
              ),
              duplicateOf: Nullable(Type.String()),
              similar: Type.Array(
                Type.Object({
                  opinionId: Type.String(),
                  planId: Type.String(),
                  planName: Type.String(),
                  roundId: Type.String(),
                  roundTitle: Type.String(),
                  regNo: Nullable(Type.String()),
                  excerpt: Type.String(),
                  score: Type.Number(),
                  dispositionCode: Nullable(Type.String()),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) =>
        analysis.getOpinionAnalysis(actorOf(request), request.params.id, {
          ...(request.query.similar !== undefined ? { similarLimit: request.query.similar } : {}),
        }),
    );

    app.put(
      '/opinions/:id/topics',
      {
        schema: {
          tags: TAGS,
          summary: "A person's topic labels on an opinion (present or not); the machine never overrides them",
          params: IdParams,
          body: Type.Object({
            topics: Type.Array(Type.Object({ topicId: Id, present: Type.Boolean() }), {
              minItems: 1,
              maxItems: 200,
            }),
          }),
          response: { 200: Type.Array(TopicLabelSchema), ...withRules },
        },
      },
      async (request) => analysis.labelTopics(actorOf(request), request.params.id, request.body.topics),
    );

    app.put(
      '/opinions/:id/stance',
      {
        schema: {
          tags: TAGS,
          summary:
            "A person's reading of an opinion's stance toward its clause; null hands it back to the machine",
          params: IdParams,
          body: Type.Object({ stance: Nullable(StanceSchema) }),
          response: { 200: Type.Object({ opinionId: Type.String(), stance: StanceLabel }), ...withRules },
        },
      },
      async (request) => analysis.labelStance(actorOf(request), request.params.id, request.body.stance),
    );

    app.get(
      '/rounds/:id/stances',
      {
        schema: {
          tags: TAGS,
          summary:
            "The round's opinions with their stances, in the order they were made, filtered by clause, stance (unknown: none yet) and who gave it",
          params: IdParams,
          querystring: Type.Object({
            ...Page,
            clause: Type.Optional(Id),
            stance: Type.Optional(Type.Union([StanceSchema, Type.Literal('unknown')])),
            source: Type.Optional(SourceSchema),
          }),
          response: {
            200: Type.Object({
              items: Type.Array(Type.Object({ ...OpinionBriefFields, stance: StanceLabel })),
              nextCursor: Nullable(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { clause, stance, source, ...page } = request.query;
        return analysis.listStances(actorOf(request), request.params.id, {
          ...page,
          ...(clause ? { clauseStableId: clause } : {}),
          ...(stance ? { stance } : {}),
          ...(source ? { source } : {}),
        });
      },
    );

    app.get(
      '/rounds/:id/topic-review',
      {
        schema: {
          tags: TAGS,
          summary:
            "The machine's topic labels on the round's opinions, least confident first, for a person to review",
          params: IdParams,
          querystring: Type.Object({ ...Page, topic: Type.Optional(Id) }),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  ...OpinionBriefFields,
                  topicId: Type.String(),
                  key: Type.String(),
                  label: Type.String(),
                  score: Type.Number(),
                }),
              ),
              nextCursor: Nullable(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { topic, ...page } = request.query;
        return analysis.listTopicReview(actorOf(request), request.params.id, {
          ...page,
          ...(topic ? { topicId: topic } : {}),
        });
      },
    );

    app.get(
      '/rounds/:id/conflict-candidates',
      {
        schema: {
          tags: TAGS,
          summary:
            'Pairs of opinions on a clause that may contradict each other (opposite stances, incompatible texts, different figures), most likely first',
          params: IdParams,
          querystring: Type.Object({
            clause: Type.Optional(Id),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          }),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  clauseStableId: Type.String(),
                  reasons: Type.Array(Type.String()),
                  score: Type.Number(),
                  textSimilarity: Nullable(Type.Number()),
                  figures: Type.Array(Type.Object({ a: FigureSchema, b: FigureSchema })),
                  a: ConflictSide,
                  b: ConflictSide,
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) =>
        analysis.listConflictCandidates(actorOf(request), request.params.id, {
          ...(request.query.clause ? { clauseStableId: request.query.clause } : {}),
          ...(request.query.limit ? { limit: request.query.limit } : {}),
        }),
    );

    app.get(
      '/rounds/:id/clauses/:stableId/summary',
      {
        schema: {
          tags: TAGS,
          summary:
            "A clause's 核心诉求: key phrases and a summary made only of sentences quoted from its opinions, with stance counts",
          params: ClauseParams,
          querystring: Type.Object({ sentences: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })) }),
          response: {
            200: Type.Object({
              roundId: Type.String(),
              clauseStableId: Type.String(),
              clauseNumber: Nullable(Type.String()),
              clauseText: Type.String(),
              opinions: Type.Integer(),
              stance: Type.Object({ ...StanceCounts, unknown: Type.Integer() }),
              keyphrases: Type.Array(Type.Object({ text: Type.String(), score: Type.Number() })),
              sentences: Type.Array(
                Type.Object({
                  text: Type.String(),
                  opinionId: Type.String(),
                  regNo: Nullable(Type.String()),
                  start: Type.Integer(),
                  end: Type.Integer(),
                  score: Type.Number(),
                  supporting: Type.Array(
                    Type.Object({ opinionId: Type.String(), regNo: Nullable(Type.String()) }),
                  ),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) =>
        analysis.summarizeClause(actorOf(request), request.params.id, request.params.stableId, {
          ...(request.query.sentences ? { maxSentences: request.query.sentences } : {}),
        }),
    );

    app.get(
      '/versions/:id/routing',
      {
        schema: {
          tags: TAGS,
          summary:
            'Per clause of a draft, the units it concerns by their responsibility keywords, with questions to ask them (round wizard)',
          params: IdParams,
          querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })) }),
          response: {
            200: Type.Object({
              versionId: Type.String(),
              planId: Type.String(),
              clauses: Type.Array(
                Type.Object({
                  stableId: Type.String(),
                  number: Nullable(Type.String()),
                  heading: Nullable(Type.String()),
                  excerpt: Type.String(),
                  units: Type.Array(
                    Type.Object({
                      unitId: Type.String(),
                      unitName: Type.String(),
                      score: Type.Number(),
                      matched: Type.Array(Type.String()),
                      questions: Type.Array(Type.String()),
                    }),
                  ),
                }),
              ),
              invitees: Type.Array(
                Type.Object({
                  unitId: Type.String(),
                  unitName: Type.String(),
                  score: Type.Number(),
                  clauses: Type.Integer(),
                  matched: Type.Array(Type.String()),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) =>
        analysis.routeVersion(actorOf(request), request.params.id, {
          ...(request.query.limit ? { limit: request.query.limit } : {}),
        }),
    );

    app.post(
      '/rounds/:id/clauses/:stableId/summary/draft',
      {
        schema: {
          tags: TAGS,
          summary:
            "A language model's wording of the clause's summary from the quoted sentences, as a draft for approval (503 when none is configured)",
          params: ClauseParams,
          response: { 200: DraftSchema, ...withRules, 503: ErrorResponse },
        },
      },
      async (request) =>
        analysis.draftClauseSummary(actorOf(request), request.params.id, request.params.stableId),
    );

    app.post(
      '/rounds/:id/clauses/:stableId/revision-draft',
      {
        schema: {
          tags: TAGS,
          summary:
            "A language model's draft of the clause revised to reflect its opinions, for approval (503 when none is configured)",
          params: ClauseParams,
          response: { 200: DraftSchema, ...withRules, 503: ErrorResponse },
        },
      },
      async (request) =>
        analysis.draftClauseRevision(actorOf(request), request.params.id, request.params.stableId),
    );
  };
