/**
 * Few-label evaluation of topic learning: a fixed number of labelled opinions per topic (drawn with a
 * seed), the model learns from them (and reads the others unlabelled, as in a round), and the others are
 * scored: accuracy of the best-scoring topic against the true one.
 */
import { scoreAccuracy } from '../classify/evaluate.ts';
import { createRandom, shuffleInPlace } from '../classify/random.ts';
import type { TokenizedText } from '../tokenize.ts';
import { scoreTopics } from './assign.ts';
import type { TopicTrainOptions } from './model.ts';
import { trainTopicModel } from './model.ts';
import type { Taxonomy } from './taxonomy.ts';

export interface FewLabelResult {
  /** Accuracy per seed. */
  accuracies: number[];
  mean: number;
  /** Seconds spent training, summed over seeds. */
  trainSeconds: number;
}

/** Learns from `perTopic` labelled opinions per topic and scores the rest, once per seed. */
export function evaluateFewLabelTopics(options: {
  docs: readonly TokenizedText[];
  topics: readonly string[];
  perTopic: number;
  seeds: readonly number[];
  train?: Partial<TopicTrainOptions>;
  now?: () => number;
}): FewLabelResult {
  const { docs, topics, perTopic } = options;
  const now = options.now ?? (() => 0);
  const names = [...new Set(topics)].sort();
  const taxonomy: Taxonomy = { topics: names.map((id) => ({ id, name: id })), minLabels: 1 };
  const accuracies: number[] = [];
  let trainMs = 0;
  for (const seed of options.seeds) {
    const random = createRandom(seed);
    const chosen = new Set<number>();
    for (const name of names) {
      const members = docs.map((_, i) => i).filter((i) => topics[i] === name);
      for (const i of shuffleInPlace(members, random).slice(0, perTopic)) {
        chosen.add(i);
      }
    }
    const labelled = [...chosen].map((i) => ({ doc: docs[i]!, labels: [topics[i]!] }));
    const rest = docs.map((_, i) => i).filter((i) => !chosen.has(i));
    const start = now();
    const model = trainTopicModel({
      taxonomy,
      labelled,
      unlabelled: rest.map((i) => docs[i]!),
      train: { seed, ...options.train },
    });
    trainMs += now() - start;
    const predicted = rest.map((i) => scoreTopics({ doc: docs[i]!, taxonomy, model })[0]?.label ?? '');
    accuracies.push(
      scoreAccuracy(
        rest.map((i) => topics[i]!),
        predicted,
      ),
    );
  }
  return {
    accuracies,
    mean: accuracies.reduce((a, b) => a + b, 0) / Math.max(1, accuracies.length),
    trainSeconds: trainMs / 1000,
  };
}
