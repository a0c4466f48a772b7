/**
 * Keyword rules for the cold start: a topic is suggested when the text contains its keywords. Chinese
 * keywords match as substrings of the text (segmentation may split them); others match whole tokens or
 * token sequences.
 */
import type { TokenizedText } from '../tokenize.ts';
import { tokenize } from '../tokenize.ts';
import type { Taxonomy } from './taxonomy.ts';

export interface TopicAssignment {
  label: string;
  score: number;
  source: 'person' | 'machine' | 'rule';
}

const HAN = /\p{Script=Han}/u;

function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

function containsTokens(words: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0) {
    return false;
  }
  for (let i = 0; i + phrase.length <= words.length; i++) {
    if (phrase.every((w, k) => words[i + k] === w)) {
      return true;
    }
  }
  return false;
}

/** Score of a topic with `matches` distinct keywords found: 0.6 for one, approaching 0.95. */
function ruleScore(matches: number): number {
  return Number((0.95 - 0.35 * 0.5 ** (matches - 1)).toFixed(4));
}

/** The topics whose keywords occur in the text, with a score that grows with the keywords found. */
export function matchTopicKeywords(doc: TokenizedText, taxonomy: Taxonomy): TopicAssignment[] {
  const text = normalize(doc.text);
  const out: TopicAssignment[] = [];
  for (const topic of taxonomy.topics) {
    let matches = 0;
    for (const keyword of topic.keywords ?? []) {
      const k = normalize(keyword).trim();
      if (k === '') {
        continue;
      }
      const found = HAN.test(k) ? text.includes(k) : containsTokens(doc.words, tokenize(k).words);
      if (found) {
        matches++;
      }
    }
    if (matches > 0) {
      out.push({ label: topic.id, score: ruleScore(matches), source: 'rule' });
    }
  }
  return out.sort((a, b) => b.score - a.score);
}
