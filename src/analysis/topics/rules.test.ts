import { describe, expect, it } from 'vitest';
import { tokenize } from '../tokenize.ts';
import { matchTopicKeywords } from './rules.ts';
import type { Taxonomy } from './taxonomy.ts';

const taxonomy: Taxonomy = {
  topics: [
    { id: 'transport', name: '交通', keywords: ['地铁', '公交', 'bus', 'subway line'] },
    { id: 'business', name: '营商环境', keywords: ['营商环境', '企业', '审批'] },
    { id: 'green', name: '生态', keywords: ['碳达峰', '🌳'] },
    { id: 'empty', name: '无关键词' },
  ],
};

const match = (text: string): string[] => matchTopicKeywords(tokenize(text), taxonomy).map((a) => a.label);

describe('matchTopicKeywords', () => {
  it('matches Chinese keywords as substrings, several topics at once', () => {
    expect(match('建议增加地铁线路').sort()).toEqual(['transport']);
    expect(match('地铁和公交都要加强，企业也受益').sort()).toEqual(['business', 'transport']);
  });

  it('scores more keywords higher, with source rule', () => {
    const [first, second] = matchTopicKeywords(tokenize('优化营商环境，简化企业审批；增加公交'), taxonomy);
    expect(first).toEqual({ label: 'business', score: 0.8625, source: 'rule' });
    expect(second).toEqual({ label: 'transport', score: 0.6, source: 'rule' });
  });

  it('matches English keywords as whole words and phrases, case-insensitively', () => {
    expect(match('More BUS routes please')).toEqual(['transport']);
    expect(match('a new Subway Line')).toEqual(['transport']);
    expect(match('busy streets')).toEqual([]);
  });

  it('handles empty, one-character, emoji, mixed and 100 KB texts', () => {
    expect(match('')).toEqual([]);
    expect(match('车')).toEqual([]);
    expect(match('多种树🌳')).toEqual(['green']);
    expect(match('实现碳达峰 by 2030, more buses')).toEqual(['green']);
    expect(match('地铁'.repeat(50_000))).toEqual(['transport']);
  });
});
