import type { OpinionBrief, TopicLabel, TopicReviewItem } from './api.ts';

export interface ReviewGroup {
  opinion: OpinionBrief;
  /** The machine's labels on the opinion in this queue, least confident first. */
  labels: { topicId: string; key: string; label: string; score: number }[];
}

/**
 * The review queue (one row per opinion and topic, least confident first) as one entry per opinion, so
 * that a person reads each opinion once and judges all its labels together. Opinions keep the place of
 * their least confident label.
 */
export function groupReview(items: readonly TopicReviewItem[]): ReviewGroup[] {
  const groups = new Map<string, ReviewGroup>();
  for (const item of items) {
    const { topicId, key, label, score, ...opinion } = item;
    let group = groups.get(opinion.id);
    if (!group) {
      group = { opinion, labels: [] };
      groups.set(opinion.id, group);
    }
    if (!group.labels.some((l) => l.topicId === topicId)) {
      group.labels.push({ topicId, key, label, score });
    }
  }
  for (const group of groups.values()) {
    group.labels.sort((a, b) => a.score - b.score);
  }
  return [...groups.values()];
}

/** The topics that apply to an opinion: every label but those a person rejected. */
export const presentTopicIds = (labels: readonly TopicLabel[]): string[] =>
  labels.filter((l) => !l.rejected).map((l) => l.topicId);

/**
 * What a person's new choice of topics changes: topics added become present, topics dropped become
 * rejected; topics in both are left to what they were (confirming them is a separate act).
 */
export function topicChanges(
  current: Iterable<string>,
  next: Iterable<string>,
): { topicId: string; present: boolean }[] {
  const before = new Set(current);
  const after = new Set(next);
  return [
    ...[...after].filter((id) => !before.has(id)).map((topicId) => ({ topicId, present: true })),
    ...[...before].filter((id) => !after.has(id)).map((topicId) => ({ topicId, present: false })),
  ];
}

/**
 * Confirms the chosen topics and rejects the rest of `offered`: what "change" does in the review, where a
 * person's choice stands for every topic shown (a confirmed label turns from machine to human).
 */
export function topicDecision(
  offered: Iterable<string>,
  chosen: Iterable<string>,
): { topicId: string; present: boolean }[] {
  const picked = new Set(chosen);
  const all = new Set([...offered, ...picked]);
  return [...all].map((topicId) => ({ topicId, present: picked.has(topicId) }));
}
