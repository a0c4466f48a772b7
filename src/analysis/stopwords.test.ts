import { describe, expect, it } from 'vitest';
import { CHINESE_STOP_WORDS, ENGLISH_STOP_WORDS, isStopWord } from './stopwords.ts';

/** A fresh copy of a string, as the tokenizer makes. */
const fresh = (word: string): string => (word + ' ').slice(0, -1);

describe('isStopWord', () => {
  it('knows every listed Chinese and English stop word', () => {
    for (const word of [...CHINESE_STOP_WORDS, ...ENGLISH_STOP_WORDS]) {
      expect(isStopWord(fresh(word))).toBe(true);
    }
  });

  it('says false for content, stance and negation words', () => {
    const words = ['规划', '湿地保护', '反对', '支持', '不', '没有', 'not', 'against', 'policy', 'renewable'];
    for (const word of words) {
      expect(isStopWord(word)).toBe(false);
    }
  });

  it('compares normalised tokens exactly: no case folding, no parts, no extensions', () => {
    for (const word of ['The', 'THE', 'th', 'thee', '的的', '因为所以', 'yourselvess', "it's"]) {
      expect(isStopWord(word)).toBe(false);
    }
  });

  it('handles empty, one-character, emoji, mixed and long input', () => {
    expect(isStopWord('')).toBe(false);
    expect(isStopWord('的')).toBe(true);
    expect(isStopWord('a')).toBe(true);
    expect(isStopWord('x')).toBe(false);
    expect(isStopWord('👍')).toBe(false);
    expect(isStopWord('a的')).toBe(false);
    expect(isStopWord('的'.repeat(10_000))).toBe(false);
  });
});
