import { describe, expect, it } from 'vitest';
import { tokenize } from '../tokenize.ts';
import { STANCES, countStanceCues, decideStanceByLexicon } from './lexicon.ts';

const decide = (text: string): string => decideStanceByLexicon(tokenize(text)).stance;

describe('decideStanceByLexicon', () => {
  it('reads support, opposition and proposed changes in Chinese', () => {
    expect(decide('完全同意这一条，支持！')).toBe('support');
    expect(decide('坚决反对，这样一刀切不合理')).toBe('oppose');
    expect(decide('建议将“2030年”改为“2028年”')).toBe('modify');
    expect(decide('建议删除第三款')).toBe('modify');
  });

  it('applies negation', () => {
    expect(decide('我不支持这个方案')).toBe('oppose');
    expect(decide('我不反对')).toBe('support');
    expect(countStanceCues(tokenize('并不好')).negative).toBe(1);
    expect(countStanceCues(tokenize('一点也不方便')).negative).toBe(1);
  });

  it('prefers a proposed change over bare agreement', () => {
    expect(decide('同意，但建议将第五条修改为按季度报告')).toBe('modify');
  });

  it('reads English', () => {
    expect(decide('I strongly support this plan')).toBe('support');
    expect(decide('We oppose the new fee')).toBe('oppose');
    expect(decide('Replace "shall" with "may" in article 3')).toBe('modify');
    expect(decide('I do not support it')).toBe('oppose');
  });

  it('says none without cues or with balanced cues', () => {
    expect(decide('')).toBe('none');
    expect(decide('好')).toBe('none');
    expect(decide('今天天气晴')).toBe('none');
    expect(decide('有人支持有人反对')).toBe('none');
    expect(decideStanceByLexicon(tokenize('')).score).toBe(0.5);
  });

  it('counts emoji and Weibo emoticons as sentiment', () => {
    const cues = countStanceCues(tokenize('👍[赞] 😡[怒][怒]'));
    expect(cues.positive).toBe(2);
    expect(cues.negative).toBe(3);
  });

  it('handles mixed scripts and 100 KB of text', () => {
    expect(decide('支持this plan，agree!')).toBe('support');
    const big = tokenize('我支持这个规划。'.repeat(12_500));
    const decision = decideStanceByLexicon(big);
    expect(decision.stance).toBe('support');
    expect(decision.score).toBe(1);
  });

  it('lists the four stances', () => {
    expect(STANCES).toEqual(['support', 'oppose', 'modify', 'none']);
  });
});
