/**
 * Topics learned from the labels people gave, one binary decision per topic (an opinion may have several).
 *
 * A logistic regression per topic (one-vs-rest over word unigrams and character 1–2-grams, TF-IDF whose
 * idf also reads the unlabelled opinions of the round) gives first probabilities. When unlabelled opinions
 * are supplied, they refine a naive Bayes model per topic by expectation–maximisation (Nigam et al. 2000):
 * started from the regression's probabilities, the unlabelled opinions count with a small weight, and the
 * topic's words spread from the few labelled opinions to the many that share them. The model is plain
 * data (JSON).
 */
import { AppError } from '../../domain/errors.ts';
import { encodeCorpus, fitSubsetVectorizer } from '../classify/corpus.ts';
import type { FeatureOptions, Vectorizer } from '../classify/features.ts';
import { DEFAULT_FEATURE_OPTIONS, countFeatures, vectorizeCounts } from '../classify/features.ts';
import type { LinearModel } from '../classify/model.ts';
import { parseLinearModel, parseModelJson, scoreLinear, sigmoid, trainOneVsRest } from '../classify/model.ts';
import type { TokenizedText } from '../tokenize.ts';
import type { Taxonomy } from './taxonomy.ts';
import { DEFAULT_MIN_LABELS, validateTaxonomy } from './taxonomy.ts';

export interface TopicExample {
  doc: TokenizedText;
  /** The topics a person gave this opinion (possibly none). */
  labels: readonly string[];
}

export interface TopicTrainOptions {
  /** Features of the logistic regression. */
  features: FeatureOptions;
  C: number;
  /** Expectation–maximisation rounds over the unlabelled opinions (0: regression only). */
  emIterations: number;
  /** Weight of an unlabelled opinion against a labelled one. */
  unlabelledWeight: number;
  /** Additive smoothing of the naive Bayes word counts. */
  smoothing: number;
  /** Words must occur in this many opinions to enter the naive Bayes vocabulary. */
  minDf: number;
  seed: number;
}

export const DEFAULT_TOPIC_OPTIONS: TopicTrainOptions = {
  features: { ...DEFAULT_FEATURE_OPTIONS, wordNgrams: 1, charNgrams: [1, 2], dropStopWords: true },
  C: 10,
  emIterations: 10,
  unlabelledWeight: 0.1,
  smoothing: 0.1,
  minDf: 2,
  seed: 1,
};

const WORD_FEATURES: FeatureOptions = {
  ...DEFAULT_FEATURE_OPTIONS,
  wordNgrams: 1,
  charNgrams: null,
  dropStopWords: true,
  minDf: 1,
};

export interface NaiveBayesTopics {
  /** Vocabulary (word features). */
  features: string[];
  /** Per topic, per word: log P(word | topic) − log P(word | not topic). */
  logRatio: number[][];
  /** Per topic: log P(topic) − log P(not topic). */
  logPriorOdds: number[];
}

export interface TopicModel {
  type: 'topic-model';
  version: 1;
  /** The learned topics, in the order of the models' outputs. */
  topics: string[];
  /** Labels given by people per topic of the taxonomy at training time. */
  labelCounts: Record<string, number>;
  vectorizer: Vectorizer;
  linear: LinearModel;
  naiveBayes: NaiveBayesTopics | null;
}

function countLabels(taxonomy: Taxonomy, labelled: readonly TopicExample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const topic of taxonomy.topics) {
    counts[topic.id] = 0;
  }
  for (const example of labelled) {
    for (const label of new Set(example.labels)) {
      if (label in counts) {
        counts[label] = counts[label]! + 1;
      }
    }
  }
  return counts;
}

/**
 * Refines per-topic naive Bayes models by expectation–maximisation. `resp[t][i]` is the probability
 * that document i has topic t: fixed for labelled documents, re-estimated for the others.
 */
function refineNaiveBayes(options: {
  docs: readonly { ids: Uint32Array; counts: Float64Array }[];
  dimensions: number;
  labelledCount: number;
  resp: Float64Array[];
  train: TopicTrainOptions;
}): { logRatio: Float64Array[]; logPriorOdds: number[] } {
  const { docs, dimensions, labelledCount, resp, train } = options;
  const logRatio: Float64Array[] = [];
  const logPriorOdds: number[] = [];
  resp.forEach((r) => {
    let ratio = new Float64Array(dimensions);
    let priorOdds = 0;
    const rounds = Math.max(1, train.emIterations);
    for (let round = 0; round < rounds; round++) {
      const pos = new Float64Array(dimensions).fill(train.smoothing);
      const neg = new Float64Array(dimensions).fill(train.smoothing);
      let nPos = 1;
      let nNeg = 1;
      docs.forEach((doc, i) => {
        const weight = i < labelledCount ? 1 : train.unlabelledWeight;
        const p = weight * r[i]!;
        const q = weight * (1 - r[i]!);
        nPos += p;
        nNeg += q;
        for (let k = 0; k < doc.ids.length; k++) {
          pos[doc.ids[k]!]! += p * doc.counts[k]!;
          neg[doc.ids[k]!]! += q * doc.counts[k]!;
        }
      });
      let sumPos = 0;
      let sumNeg = 0;
      for (let j = 0; j < dimensions; j++) {
        sumPos += pos[j]!;
        sumNeg += neg[j]!;
      }
      ratio = new Float64Array(dimensions);
      for (let j = 0; j < dimensions; j++) {
        ratio[j] = Math.log(pos[j]! / sumPos) - Math.log(neg[j]! / sumNeg);
      }
      priorOdds = Math.log(nPos / nNeg);
      if (train.emIterations === 0) {
        break;
      }
      for (let i = labelledCount; i < docs.length; i++) {
        const doc = docs[i]!;
        let z = priorOdds;
        for (let k = 0; k < doc.ids.length; k++) {
          z += doc.counts[k]! * ratio[doc.ids[k]!]!;
        }
        r[i] = sigmoid(z);
      }
    }
    logRatio.push(ratio);
    logPriorOdds.push(priorOdds);
  });
  return { logRatio, logPriorOdds };
}

/** Unlabelled opinions a topic model is given to learn from, at most (the app's and the CLI's). */
export const UNLABELLED_LIMIT = 5_000;

/**
 * Learns the topics that have at least `taxonomy.minLabels` labels (and some opinions without them).
 * `unlabelled` (the round's other opinions) sharpens the idf and drives the refinement; without it the
 * regression alone decides. Returns null when no topic can be learned yet.
 */
export function trainTopicModel(options: {
  taxonomy: Taxonomy;
  labelled: readonly TopicExample[];
  unlabelled?: readonly TokenizedText[];
  train?: Partial<TopicTrainOptions>;
}): TopicModel | null {
  const taxonomy = validateTaxonomy(options.taxonomy);
  const train: TopicTrainOptions = { ...DEFAULT_TOPIC_OPTIONS, ...options.train };
  const labelled = options.labelled;
  const unlabelled = options.unlabelled ?? [];
  const labelCounts = countLabels(taxonomy, labelled);
  const minLabels = taxonomy.minLabels ?? DEFAULT_MIN_LABELS;
  const topics = taxonomy.topics
    .map((t) => t.id)
    .filter((id) => labelCounts[id]! >= minLabels && labelCounts[id]! < labelled.length);
  if (topics.length === 0) {
    return null;
  }
  const docs = [...labelled.map((e) => e.doc), ...unlabelled];
  const corpus = encodeCorpus(docs.map((doc) => countFeatures(doc, train.features)));
  const fitted = fitSubsetVectorizer(
    corpus,
    docs.map((_, i) => i),
    train.features,
  );
  const x = docs.map((_, i) => fitted.vectorizeDocument(i));
  const linear = trainOneVsRest({
    x: x.slice(0, labelled.length),
    labels: labelled.map((e) => e.labels),
    classes: topics,
    dimensions: fitted.vectorizer.features.length,
    train: { loss: 'logistic', C: train.C, classWeight: 'balanced', naiveBayes: null, seed: train.seed },
  });
  let naiveBayes: NaiveBayesTopics | null = null;
  if (unlabelled.length > 0 && train.emIterations > 0) {
    const words = encodeCorpus(docs.map((doc) => countFeatures(doc, WORD_FEATURES)));
    const vocabulary = fitSubsetVectorizer(
      words,
      docs.map((_, i) => i),
      { ...WORD_FEATURES, minDf: train.minDf },
    );
    const position = new Map(vocabulary.vectorizer.features.map((key, i) => [key, i]));
    const encoded = words.docs.map((doc) => {
      const ids: number[] = [];
      const counts: number[] = [];
      doc.ids.forEach((id, k) => {
        const j = position.get(words.keys[id]!);
        if (j !== undefined) {
          ids.push(j);
          counts.push(doc.counts[k]!);
        }
      });
      return { ids: Uint32Array.from(ids), counts: Float64Array.from(counts) };
    });
    const resp = topics.map((topic, t) =>
      Float64Array.from(docs, (_, i) => {
        if (i < labelled.length) {
          return labelled[i]!.labels.includes(topic) ? 1 : 0;
        }
        return sigmoid(scoreLinear(linear, x[i]!)[t]!);
      }),
    );
    const refined = refineNaiveBayes({
      docs: encoded,
      dimensions: vocabulary.vectorizer.features.length,
      labelledCount: labelled.length,
      resp,
      train,
    });
    naiveBayes = {
      features: vocabulary.vectorizer.features,
      logRatio: refined.logRatio.map((r) => Array.from(r, (v) => Number(v.toFixed(5)))),
      logPriorOdds: refined.logPriorOdds,
    };
  }
  return {
    type: 'topic-model',
    version: 1,
    topics,
    labelCounts,
    vectorizer: fitted.vectorizer,
    linear,
    naiveBayes,
  };
}

const nbIndexCache = new WeakMap<NaiveBayesTopics, Map<string, number>>();

function scoreNaiveBayes(nb: NaiveBayesTopics, doc: TokenizedText): number[] {
  let index = nbIndexCache.get(nb);
  if (index === undefined) {
    index = new Map(nb.features.map((key, i) => [key, i]));
    nbIndexCache.set(nb, index);
  }
  const z = [...nb.logPriorOdds];
  for (const [key, count] of countFeatures(doc, WORD_FEATURES)) {
    const j = index.get(key);
    if (j === undefined) {
      continue;
    }
    nb.logRatio.forEach((ratio, t) => {
      z[t] = z[t]! + count * ratio[j]!;
    });
  }
  return z;
}

/**
 * Log-odds of each learned topic for a document (sigmoid gives the probability). Log-odds keep their
 * order where naive Bayes probabilities round to 1.
 */
export function scoreTopicModel(model: TopicModel, doc: TokenizedText): Map<string, number> {
  const logOdds =
    model.naiveBayes === null
      ? scoreLinear(
          model.linear,
          vectorizeCounts(model.vectorizer, countFeatures(doc, model.vectorizer.options)),
        )
      : scoreNaiveBayes(model.naiveBayes, doc);
  return new Map(model.topics.map((topic, t) => [topic, logOdds[t]!]));
}

/** Reads back a topic model from JSON (checks its shape). */
export function parseTopicModel(json: unknown): TopicModel {
  const data: unknown = typeof json === 'string' ? parseModelJson(json) : json;
  const model = data as Partial<TopicModel> | null;
  if (
    model === null ||
    typeof model !== 'object' ||
    model.type !== 'topic-model' ||
    model.version !== 1 ||
    !Array.isArray(model.topics) ||
    typeof model.vectorizer !== 'object' ||
    model.vectorizer === null ||
    !Array.isArray(model.vectorizer.features)
  ) {
    throw new AppError('validation_failed', 'not a topic model', { field: 'model' });
  }
  const nb = model.naiveBayes;
  if (
    nb !== null &&
    nb !== undefined &&
    (!Array.isArray(nb.features) ||
      !Array.isArray(nb.logRatio) ||
      nb.logRatio.length !== model.topics.length ||
      nb.logRatio.some((r) => !Array.isArray(r) || r.length !== nb.features.length))
  ) {
    throw new AppError('validation_failed', 'not a topic model', { field: 'model' });
  }
  return {
    type: 'topic-model',
    version: 1,
    topics: model.topics,
    labelCounts: model.labelCounts ?? {},
    vectorizer: model.vectorizer,
    linear: parseLinearModel(model.linear),
    naiveBayes: nb ?? null,
  };
}
