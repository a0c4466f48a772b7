/**
 * Stance toward a target (a clause, or any subject of discussion) learned from the organizer's labels.
 *
 * Each target with enough labels gets its own ensemble of diverse linear models over word 1–2-grams,
 * character 1–3-grams and the lexicon's cue counts: a linear SVM, an NB-SVM (naive Bayes scaled
 * features), an NB-SVM over characters alone and a logistic regression. Each member's decision values are
 * divided by their spread on its training labels, so that members of different losses weigh alike, and
 * then averaged. A shared ensemble trained on the labels of all targets covers the targets with too few
 * labels of their own; without any labels the lexicon decides. The model is plain data (JSON).
 */
import { AppError } from '../../domain/errors.ts';
import type { EncodedCorpus } from '../classify/corpus.ts';
import { encodeCorpus, fitSubsetVectorizer } from '../classify/corpus.ts';
import type { FeatureCounts, FeatureOptions, Vectorizer } from '../classify/features.ts';
import { DEFAULT_FEATURE_OPTIONS, countFeatures, vectorizeCounts } from '../classify/features.ts';
import type { Loss } from '../classify/linear.ts';
import type { LinearModel, TrainOptions } from '../classify/model.ts';
import {
  DEFAULT_TRAIN_OPTIONS,
  parseLinearModel,
  parseModelJson,
  scoreLinear,
  trainOneVsRest,
} from '../classify/model.ts';
import type { SparseVector } from '../classify/sparse.ts';
import type { TokenizedText } from '../tokenize.ts';
import type { Stance } from './lexicon.ts';
import { STANCES, countStanceCues, decideStanceByLexicon } from './lexicon.ts';

export interface StanceExample {
  doc: TokenizedText;
  /** The target the stance is taken toward (a clause id). */
  target: string;
  stance: Stance;
}

/** One member of an ensemble: its training options. */
export interface StanceMemberOptions {
  C: number;
  /** NB-SVM smoothing, or null for plain features. */
  naiveBayes: number | null;
  /** The loss (default squared hinge: an SVM). */
  loss?: Loss;
  /** Changes to the model's feature options for this member (e.g. characters only). */
  features?: Partial<FeatureOptions>;
}

export interface StanceTrainOptions {
  features: FeatureOptions;
  members: StanceMemberOptions[];
  /** A target needs this many labels (of at least two stances) for a model of its own. */
  minLabelsPerTarget: number;
  /** Trains the shared model on all targets' labels (for targets without a model of their own). */
  shared: boolean;
  seed: number;
}

export const DEFAULT_STANCE_OPTIONS: StanceTrainOptions = {
  features: { ...DEFAULT_FEATURE_OPTIONS },
  // Diverse members err differently; together they gain about 0.01 F_avg over the best single one on
  // the NLPCC 2016 posts (a shared model with target-conjoined features and naive Bayes did not add).
  members: [
    { C: 0.3, naiveBayes: null },
    { C: 0.3, naiveBayes: 1 },
    { C: 0.3, naiveBayes: 1, features: { wordNgrams: 0 } },
    { C: 10, naiveBayes: null, loss: 'logistic' },
  ],
  minLabelsPerTarget: 10,
  shared: true,
  seed: 1,
};

/** A trained member: its model, the vectoriser it reads (an index into the ensemble's) and its weight. */
export interface StanceMember {
  model: LinearModel;
  vectorizer: number;
  /** 1 / the standard deviation of its decision values on its training labels. */
  scale: number;
}

export interface StanceEnsemble {
  /** One per distinct feature options among the members. */
  vectorizers: Vectorizer[];
  members: StanceMember[];
  labels: number;
}

export interface StanceModel {
  type: 'stance-model';
  version: 2;
  features: FeatureOptions;
  targets: Record<string, StanceEnsemble>;
  shared: StanceEnsemble | null;
}

export interface StancePrediction {
  stance: Stance;
  /** Confidence in [0, 1] (a softmax of the decision values, not a calibrated probability). */
  score: number;
  /** 'machine' when a learned model decided, 'lexicon' for the cold start. */
  source: 'machine' | 'lexicon';
  /** Which model decided: the target's own, the shared one, or the lexicon. */
  model: 'target' | 'shared' | 'lexicon';
}

const featureCache = new WeakMap<TokenizedText, Map<string, FeatureCounts>>();

/** The features of a stance text: n-grams and the lexicon's cue counts. Cached per document and options. */
export function countStanceFeatures(doc: TokenizedText, options: FeatureOptions): FeatureCounts {
  const key = JSON.stringify(options);
  let byOptions = featureCache.get(doc);
  const cached = byOptions?.get(key);
  if (cached !== undefined) {
    return cached;
  }
  const counts = countFeatures(doc, options);
  for (const [cue, count] of Object.entries(countStanceCues(doc)) as [string, number][]) {
    if (count > 0) {
      counts.set(`w:⟨${cue}⟩`, Math.min(count, 5));
    }
  }
  if (byOptions === undefined) {
    byOptions = new Map();
    featureCache.set(doc, byOptions);
  }
  byOptions.set(key, counts);
  return counts;
}

/** The corpus of one feature view, encoded once per training run and shared by all targets. */
interface StanceView {
  options: FeatureOptions;
  corpus: EncodedCorpus;
}

function memberFeatures(base: FeatureOptions, member: StanceMemberOptions): FeatureOptions {
  return { ...base, ...member.features };
}

/**
 * Rounds the weights to 6 significant digits: a stored model shrinks to about half its JSON size, and
 * decision values move by about a millionth of their size.
 */
function compactWeights(model: LinearModel): void {
  const round = (value: number): number => (value === 0 ? 0 : Number(value.toPrecision(6)));
  model.weights = model.weights.map((w) => w.map(round));
  model.bias = model.bias.map(round);
}

/** The spread of a member's decision values over its training examples and classes. */
function decisionScale(model: LinearModel, x: readonly SparseVector[]): number {
  let n = 0;
  let sum = 0;
  let squares = 0;
  for (const xi of x) {
    for (const value of scoreLinear(model, xi)) {
      n++;
      sum += value;
      squares += value * value;
    }
  }
  const variance = n > 0 ? squares / n - (sum / n) ** 2 : 0;
  return variance > 1e-12 ? 1 / Math.sqrt(variance) : 1;
}

function trainEnsemble(
  views: readonly StanceView[],
  subset: readonly number[],
  stances: readonly Stance[],
  options: StanceTrainOptions,
): StanceEnsemble {
  const labels = subset.map((i) => stances[i]!);
  const classes = STANCES.filter((stance) => labels.includes(stance));
  const keys = views.map((view) => JSON.stringify(view.options));
  const fitted = new Map<number, { vectorizer: Vectorizer; x: SparseVector[]; position: number }>();
  const vectorizers: Vectorizer[] = [];
  const members = options.members.map((member, m): StanceMember => {
    const view = keys.indexOf(JSON.stringify(memberFeatures(options.features, member)));
    let fit = fitted.get(view);
    if (fit === undefined) {
      const subsetVectorizer = fitSubsetVectorizer(views[view]!.corpus, subset, views[view]!.options);
      fit = {
        vectorizer: subsetVectorizer.vectorizer,
        x: subset.map((i) => subsetVectorizer.vectorizeDocument(i)),
        position: vectorizers.length,
      };
      vectorizers.push(fit.vectorizer);
      fitted.set(view, fit);
    }
    const train: Partial<TrainOptions> = {
      ...DEFAULT_TRAIN_OPTIONS,
      C: member.C,
      naiveBayes: member.naiveBayes,
      loss: member.loss ?? DEFAULT_TRAIN_OPTIONS.loss,
      seed: options.seed + 101 * m,
    };
    const model = trainOneVsRest({
      x: fit.x,
      labels,
      classes,
      dimensions: fit.vectorizer.features.length,
      train,
    });
    compactWeights(model);
    return { model, vectorizer: fit.position, scale: decisionScale(model, fit.x) };
  });
  return { vectorizers, members, labels: subset.length };
}

/** Trains the stance model from labelled examples (any number of targets). */
export function trainStanceModel(
  examples: readonly StanceExample[],
  options: Partial<StanceTrainOptions> = {},
): StanceModel {
  const full: StanceTrainOptions = { ...DEFAULT_STANCE_OPTIONS, ...options };
  const views: StanceView[] = [];
  for (const member of full.members) {
    const features = memberFeatures(full.features, member);
    if (!views.some((view) => JSON.stringify(view.options) === JSON.stringify(features))) {
      views.push({
        options: features,
        corpus: encodeCorpus(examples.map((e) => countStanceFeatures(e.doc, features))),
      });
    }
  }
  const stances = examples.map((e) => e.stance);
  const byTarget = new Map<string, number[]>();
  examples.forEach((e, i) => {
    const list = byTarget.get(e.target) ?? [];
    list.push(i);
    byTarget.set(e.target, list);
  });
  const targets: Record<string, StanceEnsemble> = {};
  for (const [target, subset] of byTarget) {
    const distinct = new Set(subset.map((i) => stances[i]));
    if (subset.length >= full.minLabelsPerTarget && distinct.size >= 2) {
      targets[target] = trainEnsemble(views, subset, stances, full);
    }
  }
  const all = examples.map((_, i) => i);
  const shared = full.shared && new Set(stances).size >= 2 ? trainEnsemble(views, all, stances, full) : null;
  return {
    type: 'stance-model',
    version: 2,
    features: { ...full.features },
    targets,
    shared,
  };
}

function softmax(values: readonly number[]): number[] {
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / sum);
}

/**
 * Summed decision values of the ensemble's members per stance, each member's scaled by its weight
 * (stances it never saw are absent). `features` is the model's feature options; members may change them.
 */
export function scoreStanceEnsemble(
  ensemble: StanceEnsemble,
  doc: TokenizedText,
  features: FeatureOptions,
): Map<Stance, number> {
  const vectors = ensemble.vectorizers.map((vectorizer) =>
    vectorizeCounts(vectorizer, countStanceFeatures(doc, { ...features, ...vectorizer.options })),
  );
  const sums = new Map<Stance, number>();
  for (const member of ensemble.members) {
    const scores = scoreLinear(member.model, vectors[member.vectorizer]!);
    member.model.classes.forEach((label, c) => {
      sums.set(label as Stance, (sums.get(label as Stance) ?? 0) + member.scale * scores[c]!);
    });
  }
  return sums;
}

/**
 * The stance of a text toward a target: the target's own model, else the shared model, else the
 * lexicon (also when no model is given).
 */
export function predictStance(
  model: StanceModel | null,
  doc: TokenizedText,
  target: string,
): StancePrediction {
  const own = model?.targets[target];
  const ensemble = own ?? model?.shared ?? null;
  if (model === null || ensemble === null) {
    const decision = decideStanceByLexicon(doc);
    return { stance: decision.stance, score: decision.score, source: 'lexicon', model: 'lexicon' };
  }
  const sums = scoreStanceEnsemble(ensemble, doc, model.features);
  for (const [label, value] of sums) {
    sums.set(label, value / ensemble.members.length);
  }
  const labels = [...sums.keys()];
  const probabilities = softmax(labels.map((label) => sums.get(label)!));
  let best = 0;
  probabilities.forEach((p, i) => {
    if (p > probabilities[best]!) {
      best = i;
    }
  });
  return {
    stance: labels[best]!,
    score: Number(probabilities[best]!.toFixed(4)),
    source: 'machine',
    model: own === undefined ? 'shared' : 'target',
  };
}

function invalid(): AppError {
  return new AppError('validation_failed', 'not a stance model', { field: 'model' });
}

function parseVectorizer(data: unknown): Vectorizer {
  const vectorizer = data as Partial<Vectorizer> | null;
  if (
    vectorizer === null ||
    typeof vectorizer !== 'object' ||
    !Array.isArray(vectorizer.features) ||
    !Array.isArray(vectorizer.idf) ||
    typeof vectorizer.options !== 'object' ||
    vectorizer.options === null
  ) {
    throw invalid();
  }
  return vectorizer as Vectorizer;
}

/** Version 1 ensembles: one vectoriser, members as bare linear models summed with equal weight. */
function parseEnsembleV1(data: Record<string, unknown>): StanceEnsemble {
  if (!Array.isArray(data.members)) {
    throw invalid();
  }
  return {
    vectorizers: [parseVectorizer(data.vectorizer)],
    members: data.members.map((m) => ({ model: parseLinearModel(m), vectorizer: 0, scale: 1 })),
    labels: Number(data.labels ?? 0),
  };
}

function parseEnsemble(data: unknown, version: number): StanceEnsemble {
  if (data === null || typeof data !== 'object') {
    throw invalid();
  }
  const ensemble = data as Record<string, unknown>;
  if (version === 1) {
    return parseEnsembleV1(ensemble);
  }
  if (!Array.isArray(ensemble.vectorizers) || !Array.isArray(ensemble.members)) {
    throw invalid();
  }
  const vectorizers = ensemble.vectorizers.map(parseVectorizer);
  const members = ensemble.members.map((m: unknown): StanceMember => {
    const member = m as Partial<StanceMember> | null;
    if (
      member === null ||
      typeof member !== 'object' ||
      typeof member.vectorizer !== 'number' ||
      vectorizers[member.vectorizer] === undefined ||
      typeof member.scale !== 'number' ||
      !Number.isFinite(member.scale)
    ) {
      throw invalid();
    }
    const model = parseLinearModel(member.model);
    if (model.dimensions !== vectorizers[member.vectorizer]!.features.length) {
      throw invalid();
    }
    return { model, vectorizer: member.vectorizer, scale: member.scale };
  });
  return { vectorizers, members, labels: Number(ensemble.labels ?? 0) };
}

/** Reads back a stance model from JSON (checks its shape; version 1 models are read as well). */
export function parseStanceModel(json: unknown): StanceModel {
  const data: unknown = typeof json === 'string' ? parseModelJson(json) : json;
  const model = data as { type?: unknown; version?: unknown } & Partial<Omit<StanceModel, 'version'>>;
  if (
    model === null ||
    typeof model !== 'object' ||
    model.type !== 'stance-model' ||
    (model.version !== 1 && model.version !== 2)
  ) {
    throw invalid();
  }
  const version = model.version;
  const targets: Record<string, StanceEnsemble> = {};
  for (const [target, ensemble] of Object.entries(model.targets ?? {})) {
    targets[target] = parseEnsemble(ensemble, version);
  }
  return {
    type: 'stance-model',
    version: 2,
    features: { ...DEFAULT_FEATURE_OPTIONS, ...model.features },
    targets,
    shared: model.shared === null || model.shared === undefined ? null : parseEnsemble(model.shared, version),
  };
}
