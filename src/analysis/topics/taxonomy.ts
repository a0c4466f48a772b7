/**
 * A plan's topic taxonomy: topics an opinion may belong to (any number of them), each with optional
 * keywords for the rules that label opinions before anyone has labelled enough of them.
 */
import { AppError } from '../../domain/errors.ts';

export interface TopicDefinition {
  /** Stable id, the label stored on opinions. */
  id: string;
  /** Display name (e.g. 营商环境). */
  name: string;
  /** Words or phrases that suggest the topic (matched case-insensitively, NFKC). */
  keywords?: readonly string[];
}

export interface Taxonomy {
  topics: readonly TopicDefinition[];
  /** A machine or rule label is assigned when its score reaches this (default 0.5). */
  threshold?: number;
  /** A topic is learned once it has this many labels given by people (default 10); before, rules apply. */
  minLabels?: number;
}

export const DEFAULT_TOPIC_THRESHOLD = 0.5;
export const DEFAULT_MIN_LABELS = 10;

/** Checks a taxonomy: at least one topic, ids unique and non-empty, threshold in (0, 1]. */
export function validateTaxonomy(taxonomy: Taxonomy): Taxonomy {
  if (taxonomy.topics.length === 0) {
    throw new AppError('validation_failed', 'a taxonomy needs at least one topic', { field: 'topics' });
  }
  const ids = new Set<string>();
  for (const topic of taxonomy.topics) {
    if (topic.id.trim() === '') {
      throw new AppError('validation_failed', 'a topic needs an id', { field: 'topics' });
    }
    if (ids.has(topic.id)) {
      throw new AppError('validation_failed', `topic ${topic.id} appears twice`, { field: 'topics' });
    }
    ids.add(topic.id);
  }
  const threshold = taxonomy.threshold ?? DEFAULT_TOPIC_THRESHOLD;
  if (!(threshold > 0 && threshold <= 1)) {
    throw new AppError('validation_failed', 'the threshold must be in (0, 1]', { field: 'threshold' });
  }
  const minLabels = taxonomy.minLabels ?? DEFAULT_MIN_LABELS;
  if (!Number.isInteger(minLabels) || minLabels < 1) {
    throw new AppError('validation_failed', 'minLabels must be a positive integer', { field: 'minLabels' });
  }
  return taxonomy;
}
