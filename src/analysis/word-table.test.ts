import { describe, expect, it } from 'vitest';
import { wordTable, wordTableOf } from './word-table.ts';

/** A fresh copy of a string, as the tokenizer makes: never the same object as a listed word. */
const fresh = (word: string): string => (word + ' ').slice(0, -1);

describe('wordTable', () => {
  it('finds Chinese, English, mixed and emoji words with their numbers', () => {
    const table = wordTable([
      ['规划', 1],
      ['policy', 2],
      ['5g网络', 3],
      ['👍', 4],
      ['的', 0],
    ]);
    expect(table(fresh('规划'))).toBe(1);
    expect(table(fresh('policy'))).toBe(2);
    expect(table(fresh('5g网络'))).toBe(3);
    expect(table('👍')).toBe(4);
    expect(table('的')).toBe(0);
  });

  it('says -1 for other words, the empty word and near misses', () => {
    const table = wordTable([
      ['规划', 1],
      ['policy', 2],
    ]);
    for (const word of [
      '',
      '规',
      '规划局',
      '计划',
      'Policy',
      'polic',
      'policies',
      'pricey',
      '👎',
      'x'.repeat(300),
    ]) {
      expect(table(word)).toBe(-1);
    }
  });

  it('tells apart words with the same ends and length', () => {
    // The table places a word by its ends and length alone: these share them and differ only inside.
    const words = ['policy', 'pxxxxy', 'paaaay', 'pbbbby', 'pccccy', 'pddddy', 'p1234y'];
    const table = wordTable(words.map((word, i): [string, number] => [word, i]));
    words.forEach((word, i) => expect(table(fresh(word))).toBe(i));
    expect(table('pzzzzy')).toBe(-1);
  });

  it('keeps the first number given for a word', () => {
    const table = wordTable([
      ['支持', 0],
      ['支持', 1],
    ]);
    expect(table('支持')).toBe(0);
  });

  it('holds long words and many words', () => {
    const long = 'a'.repeat(1000);
    const many = Array.from({ length: 5000 }, (_, i) => `w${i}`);
    const table = wordTable([[long, 7], ...many.map((word): [string, number] => [word, 1])]);
    expect(table(fresh(long))).toBe(7);
    expect(table('a'.repeat(999))).toBe(-1);
    expect(many.every((word) => table(fresh(word)) === 1)).toBe(true);
    expect(table('w5000')).toBe(-1);
  });

  it('rejects the empty word and numbers out of range', () => {
    expect(() => wordTable([['', 0]])).toThrow(RangeError);
    expect(() => wordTable([['a', 256]])).toThrow(RangeError);
    expect(() => wordTable([['a', -1]])).toThrow(RangeError);
    expect(() => wordTable([['a', 0.5]])).toThrow(RangeError);
  });

  it('builds sets of words', () => {
    const set = wordTableOf(['a', 'the', '的', '而且']);
    expect(['a', 'the', '的', '而且'].map((word) => set(fresh(word)))).toEqual([0, 0, 0, 0]);
    expect(['an', 'they', '地', '而', ''].map((word) => set(word))).toEqual([-1, -1, -1, -1, -1]);
    expect(wordTableOf([])('a')).toBe(-1);
  });
});
