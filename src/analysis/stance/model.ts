/**
 * Stance toward a target (a clause, or any subject of discussion) learned from the organizer's labels.
 *
 * Each target with enough labels gets its own ensemble: a linear SVM and an NB-SVM (naive Bayes scaled
 * features) over word 1–2-grams, character 1–3-grams and the lexicon's cue counts, their decision values
 * summed. A shared ensemble trained on the labels of all targets covers the targets with too few labels
 * of their own; without any labels the lexicon decides. The model is plain data (JSON).
 */
import { AppError } from '../../domain/errors.ts';
import type { EncodedCorpus } from '../classify/corpus.ts';
import { encodeCorpus, fitSubsetVectorizer } from '../classify/corpus.ts';
import type { FeatureCounts, FeatureOptions, Vectorizer } from '../classify/features.ts';
import { DEFAULT_FEATURE_OPTIONS, countFeatures, vectorizeCounts } from '../classify/features.ts';
import type { LinearModel, TrainOptions } from '../classify/model.ts';
import { DEFAULT_TRAIN_OPTIONS, parseLinearModel, scoreLinear, trainOneVsRest } from '../classify/model.ts';
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
  /** NB-SVM smoothing, or null for a plain SVM. */
  naiveBayes: number | null;
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
  members: [
    { C: 0.3, naiveBayes: 1 },
    { C: 0.3, naiveBayes: null },
  ],
  minLabelsPerTarget: 10,
  shared: true,
  seed: 1,
};

export interface StanceEnsemble {
  vectorizer: Vectorizer;
  members: LinearModel[];
  labels: number;
}

export interface StanceModel {
  type: 'stance-model';
  version: 1;
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

function trainEnsemble(
  corpus: EncodedCorpus,
  subset: readonly number[],
  stances: readonly Stance[],
  options: StanceTrainOptions,
): StanceEnsemble {
  const fitted = fitSubsetVectorizer(corpus, subset, options.features);
  const x = subset.map((i) => fitted.vectorizeDocument(i));
  const labels = subset.map((i) => stances[i]!);
  const classes = STANCES.filter((stance) => labels.includes(stance));
  const members = options.members.map((member, m) => {
    const train: Partial<TrainOptions> = {
      ...DEFAULT_TRAIN_OPTIONS,
      C: member.C,
      naiveBayes: member.naiveBayes,
      seed: options.seed + 101 * m,
    };
    return trainOneVsRest({ x, labels, classes, dimensions: fitted.vectorizer.features.length, train });
  });
  return { vectorizer: fitted.vectorizer, members, labels: subset.length };
}

/** Trains the stance model from labelled examples (any number of targets). */
export function trainStanceModel(
  examples: readonly StanceExample[],
  options: Partial<StanceTrainOptions> = {},
): StanceModel {
  const full: StanceTrainOptions = { ...DEFAULT_STANCE_OPTIONS, ...options };
  const corpus = encodeCorpus(examples.map((e) => countStanceFeatures(e.doc, full.features)));
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
      targets[target] = trainEnsemble(corpus, subset, stances, full);
    }
  }
  const all = examples.map((_, i) => i);
  const shared = full.shared && new Set(stances).size >= 2 ? trainEnsemble(corpus, all, stances, full) : null;
  return {
    type: 'stance-model',
    version: 1,
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

/** Summed decision values of the ensemble's members per stance (stances it never saw are absent). */
export function scoreStanceEnsemble(
  ensemble: StanceEnsemble,
  doc: TokenizedText,
  features: FeatureOptions,
): Map<Stance, number> {
  const x = vectorizeCounts(ensemble.vectorizer, countStanceFeatures(doc, features));
  const sums = new Map<Stance, number>();
  for (const member of ensemble.members) {
    const scores = scoreLinear(member, x);
    member.classes.forEach((label, c) => {
      sums.set(label as Stance, (sums.get(label as Stance) ?? 0) + scores[c]!);
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

function parseEnsemble(data: unknown): StanceEnsemble {
  const ensemble = data as Partial<StanceEnsemble> | null;
  if (
    ensemble === null ||
    typeof ensemble !== 'object' ||
    !Array.isArray(ensemble.members) ||
    typeof ensemble.vectorizer !== 'object' ||
    ensemble.vectorizer === null ||
    !Array.isArray(ensemble.vectorizer.features) ||
    !Array.isArray(ensemble.vectorizer.idf)
  ) {
    throw new AppError('validation_failed', 'not a stance model', { field: 'model' });
  }
  return {
    vectorizer: ensemble.vectorizer,
    members: ensemble.members.map((m) => parseLinearModel(m)),
    labels: Number(ensemble.labels ?? 0),
  };
}

/** Reads back a stance model from JSON (checks its shape). */
export function parseStanceModel(json: unknown): StanceModel {
  const data: unknown = typeof json === 'string' ? JSON.parse(json) : json;
  const model = data as Partial<StanceModel> | null;
  if (model === null || typeof model !== 'object' || model.type !== 'stance-model' || model.version !== 1) {
    throw new AppError('validation_failed', 'not a stance model', { field: 'model' });
  }
  const targets: Record<string, StanceEnsemble> = {};
  for (const [target, ensemble] of Object.entries(model.targets ?? {})) {
    targets[target] = parseEnsemble(ensemble);
  }
  return {
    type: 'stance-model',
    version: 1,
    features: { ...DEFAULT_FEATURE_OPTIONS, ...model.features },
    targets,
    shared: model.shared === null || model.shared === undefined ? null : parseEnsemble(model.shared),
  };
}
