/**
 * The topics of one opinion: labels a person gave always win; otherwise the learned model scores the
 * topics it has learned, keyword rules the others, and those reaching the taxonomy's threshold are kept.
 */
import { sigmoid } from '../classify/model.ts';
import type { TokenizedText } from '../tokenize.ts';
import type { TopicModel } from './model.ts';
import { scoreTopicModel } from './model.ts';
import type { TopicAssignment } from './rules.ts';
import { matchTopicKeywords } from './rules.ts';
import type { Taxonomy } from './taxonomy.ts';
import { DEFAULT_TOPIC_THRESHOLD } from './taxonomy.ts';

export type { TopicAssignment } from './rules.ts';

/** Every topic with a score (learned or by rule), best first, whatever the threshold. */
export function scoreTopics(options: {
  doc: TokenizedText;
  taxonomy: Taxonomy;
  model?: TopicModel | null;
}): TopicAssignment[] {
  const { doc, taxonomy, model } = options;
  const known = new Set(taxonomy.topics.map((t) => t.id));
  const learned = model ? scoreTopicModel(model, doc) : new Map<string, number>();
  const ranked: { assignment: TopicAssignment; logOdds: number }[] = [];
  for (const [label, logOdds] of learned) {
    if (known.has(label)) {
      ranked.push({
        assignment: { label, score: Number(sigmoid(logOdds).toFixed(4)), source: 'machine' },
        logOdds,
      });
    }
  }
  for (const rule of matchTopicKeywords(doc, taxonomy)) {
    if (!learned.has(rule.label)) {
      ranked.push({ assignment: rule, logOdds: Math.log(rule.score / (1 - rule.score)) });
    }
  }
  ranked.sort((a, b) => b.logOdds - a.logOdds || a.assignment.label.localeCompare(b.assignment.label));
  return ranked.map((r) => r.assignment);
}

/**
 * The topics assigned to an opinion. `personLabels` (labels a person gave, if any) are returned as they
 * are with source 'person' and score 1; otherwise the machine and rule labels at or above the threshold.
 */
export function assignTopics(options: {
  doc: TokenizedText;
  taxonomy: Taxonomy;
  model?: TopicModel | null;
  personLabels?: readonly string[];
}): TopicAssignment[] {
  if (options.personLabels !== undefined && options.personLabels.length > 0) {
    return [...new Set(options.personLabels)].map((label) => ({ label, score: 1, source: 'person' }));
  }
  const threshold = options.taxonomy.threshold ?? DEFAULT_TOPIC_THRESHOLD;
  return scoreTopics(options).filter((a) => a.score >= threshold);
}
