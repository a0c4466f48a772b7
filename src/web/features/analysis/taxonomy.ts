import type { Topic, TopicInput } from './api.ts';

/** A topic as the editor holds it: keywords as one line of text. */
export interface TopicRow {
  key: string;
  label: string;
  keywords: string;
}

/** The server's limits on a taxonomy. */
export const MAX_TOPICS = 200;
export const MAX_KEY = 60;
export const MAX_LABEL = 100;
export const MAX_KEYWORDS = 200;
export const MAX_KEYWORD = 100;

/**
 * Keywords typed in one line: split at Chinese and Western commas, 、, semicolons and line breaks (not
 * spaces: "public data" is one keyword), trimmed, without blanks or repeats.
 */
export function parseKeywords(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(/[,，、;；\n\r]+/u)) {
    const keyword = part.trim().slice(0, MAX_KEYWORD);
    if (keyword !== '' && !seen.has(keyword)) {
      seen.add(keyword);
      out.push(keyword);
    }
  }
  return out.slice(0, MAX_KEYWORDS);
}

export const keywordsText = (keywords: readonly string[]): string => keywords.join('、');

export const toRows = (topics: readonly Topic[]): TopicRow[] =>
  [...topics]
    .sort((a, b) => a.position - b.position)
    .map((t) => ({ key: t.key, label: t.label, keywords: keywordsText(t.keywords) }));

export const toInputs = (rows: readonly TopicRow[]): TopicInput[] =>
  rows.map((r) => ({ key: r.key.trim(), label: r.label.trim(), keywords: parseKeywords(r.keywords) }));

export type TopicProblem = 'keyRequired' | 'keyTooLong' | 'keyDuplicate' | 'labelRequired' | 'labelTooLong';

/** What keeps the rows from being saved, per row (the server checks the same and says so). */
export function topicProblems(rows: readonly TopicRow[]): { index: number; problem: TopicProblem }[] {
  const problems: { index: number; problem: TopicProblem }[] = [];
  const firstOf = new Map<string, number>();
  rows.forEach((row, index) => {
    const key = row.key.trim();
    const label = row.label.trim();
    if (key === '') {
      problems.push({ index, problem: 'keyRequired' });
    } else if (key.length > MAX_KEY) {
      problems.push({ index, problem: 'keyTooLong' });
    } else if (firstOf.has(key)) {
      problems.push({ index, problem: 'keyDuplicate' });
    } else {
      firstOf.set(key, index);
    }
    if (label === '') {
      problems.push({ index, problem: 'labelRequired' });
    } else if (label.length > MAX_LABEL) {
      problems.push({ index, problem: 'labelTooLong' });
    }
  });
  return problems;
}

/** A key for a new row that no row uses yet: topic-1, topic-2, … */
export function newTopicKey(rows: readonly Pick<TopicRow, 'key'>[]): string {
  const used = new Set(rows.map((r) => r.key.trim()));
  let n = rows.length + 1;
  while (used.has(`topic-${n}`)) {
    n += 1;
  }
  return `topic-${n}`;
}

/**
 * The topics that still lack labels, from the details of the server's refusal to learn (each needs so
 * many labels from people first); null when the details say nothing of the kind.
 */
export function lackingLabels(details: unknown): { key: string; labels: number; needed: number }[] | null {
  const lacking = (details as { lacking?: unknown } | null | undefined)?.lacking;
  if (!Array.isArray(lacking)) {
    return null;
  }
  const rows = lacking.filter(
    (l): l is { key: string; labels: number; needed: number } =>
      typeof l === 'object' &&
      l !== null &&
      typeof (l as { key?: unknown }).key === 'string' &&
      typeof (l as { labels?: unknown }).labels === 'number' &&
      typeof (l as { needed?: unknown }).needed === 'number',
  );
  return rows.map(({ key, labels, needed }) => ({ key, labels, needed }));
}
