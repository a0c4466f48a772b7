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

  it('finds English rewordings wherever they start, and counts each pattern once', () => {
    const modify = (text: string): number => countStanceCues(tokenize(text)).modify;
    expect(modify('Section 2 should read as follows')).toBe(2);
    expect(modify('The shoulder is fine, but it should be removed')).toBe(2);
    expect(modify('SUBSTITUTE the fee WITH a tax')).toBe(2);
    // "replace" is also a cue word (1); the rewording adds 2.
    expect(modify('A replacement with nothing, then replace the fee with a tax')).toBe(3);
    expect(modify('A replacement with nothing')).toBe(0);
    expect(modify('Replace A with B; it should read C; replace D with E')).toBe(2 + 2 + 2);
    expect(modify('should should should, shouldn’t we?')).toBe(0);
    expect(modify(`replace ${'x'.repeat(100)} with y`)).toBe(1);
    // Case-insensitive Unicode matching lets ſ (long s) stand for s.
    expect(modify('It ſhould read X')).toBe(2);
    expect(modify('subſtitute a with b')).toBe(2);
  });

  it('finds each Chinese rewording pattern', () => {
    const modify = (text: string): number => countStanceCues(tokenize(text)).modify;
    expect(modify('建议将期限延长')).toBe(0);
    // The cue words (修改, 删除) count 1 each, each pattern 2.
    expect(modify('这里应当修改为季度')).toBe(2 + 1);
    expect(modify('第三条中的罚款应予删除')).toBe(2 + 1);
    expect(modify('建议将第三条的罚款删除，宜修改为警告')).toBe(2 + 2 + 2 + 1 + 1);
  });

  it('counts every emoticon', () => {
    const cues = countStanceCues(tokenize('[赞][赞]👍👍❤ [怒]😭'));
    expect(cues.positive).toBe(5);
    expect(cues.negative).toBe(2);
  });

  it('scores by the margin over the runner-up', () => {
    expect(decideStanceByLexicon(tokenize('支持，赞成，但反对'))).toEqual({
      stance: 'support',
      score: 0.6667,
    });
    expect(decideStanceByLexicon(tokenize('反对，建议修改'))).toEqual({ stance: 'modify', score: 0.5 });
    expect(decideStanceByLexicon(tokenize('支持，反对，不合理'))).toEqual({
      stance: 'oppose',
      score: 0.6667,
    });
  });

  it('lists the four stances', () => {
    expect(STANCES).toEqual(['support', 'oppose', 'modify', 'none']);
  });
});
