import { describe, expect, it } from 'vitest';
import { checkOpinionQuality, passesQualityCheck, QUALITY_FLAGS } from '../domain/opinion-quality.ts';
import { extractFigures } from './figures.ts';
import { extractKeyphrases } from './keyphrases.ts';
import { assessQuality, mentionsPlanningTerm } from './quality.ts';

/** What the analysis pipeline passes: the text with its figures and key phrases. */
const analyse = (text: string, extra: Partial<Parameters<typeof assessQuality>[0]> = {}) =>
  assessQuality({ text, figures: extractFigures(text), keyphrases: extractKeyphrases(text), ...extra });

describe('assessQuality', () => {
  it.each([
    '同意',
    '无意见',
    '原则同意，建议进一步完善。',
    '无修改意见。',
    '建议加强',
    '建议进一步研究',
    'I agree.',
    'Looks good to me!',
    'No comment.',
    'Agree',
    '',
    '👍',
    '好',
  ])('flags "%s" as vague and does not pass it', (text) => {
    const quality = analyse(text);
    expect(quality.flags).toContain('vague');
    expect(quality.score).toBeLessThanOrEqual(0.2);
    expect(passesQualityCheck(quality)).toBe(false);
  });

  it('passes a concrete Chinese planning opinion with its reasons in the text', () => {
    const quality = analyse(
      '建议设立中小企业数字化转型专项资金，每年不少于2亿元，因为目前全省中小企业数字化转型资金缺口较大。',
    );
    expect(quality.flags).toEqual([]);
    expect(passesQualityCheck(quality)).toBe(true);
  });

  it('passes a reasoned English comment and rewards its specifics', () => {
    const text =
      'I support extending the STEM OPT period to 24 months because international students need practical training experience.';
    const quality = analyse(text);
    expect(quality.flags).toEqual([]);
    expect(passesQualityCheck(quality)).toBe(true);
    const bare = assessQuality({ text });
    expect(quality.score).toBeGreaterThanOrEqual(bare.score);
  });

  it('flags missing reasons for a substantive opinion but not for a question', () => {
    expect(analyse('老旧小区改造应同步增设充电桩和电梯。').flags).toContain('no_reasons');
    expect(
      analyse('老旧小区改造应同步增设充电桩和电梯。', { reasons: '全市60%的老旧小区没有充电设施。' }).flags,
    ).toEqual([]);
    expect(analyse('“算力调度平台”由哪个部门牵头建设？', { kind: 'question' }).flags).not.toContain(
      'no_reasons',
    );
  });

  it('finds specificity from figures and planning terms where no named measure is written', () => {
    const text = '希望森林覆盖率能够不低于45%，这对生态很重要，因为本地水土流失严重、植被退化明显。';
    const typing = checkOpinionQuality({ suggestion: text, clauseStableId: null });
    const analysed = analyse(text);
    expect(analysed.flags).not.toContain('not_specific');
    expect(analysed.score).toBeGreaterThan(typing.score);
    const planning = analyse('希望更加关注城市更新中的一刻钟便民生活圈，因为老城区居民买菜看病都很不方便。');
    expect(planning.flags).not.toContain('not_specific');
  });

  it('keeps not_specific for a general wish', () => {
    const quality = analyse('希望对大家的生活给予更多关注和帮助，因为大家都很不容易，需要关心。');
    expect(quality.flags).toContain('not_specific');
  });

  it('checks the target only when a clause id is given', () => {
    expect(analyse('建议将“达到15%”修改为“达到12%”。').flags).not.toContain('no_target');
    expect(analyse('建议将“达到15%”修改为“达到12%”。', { clauseId: undefined }).flags).toContain('no_target');
    expect(analyse('建议将“达到15%”修改为“达到12%”。', { clauseId: 'c-1' }).flags).not.toContain('no_target');
  });

  it('scores a complete opinion like the typing-time check, or better', () => {
    const opinion = {
      suggestion: '建议将“达到15%”修改为“达到12%”，与全省产业基础相适应。',
      reasons: '2025年全省核心产业增加值占比约为9.8%，年均提高1个百分点以上难度较大。',
      proposedText: '到2030年，全省数字经济核心产业增加值占地区生产总值比重达到12%。',
      quote: '达到15%',
    };
    const typing = checkOpinionQuality({ ...opinion, clauseStableId: 'c-2' });
    const quality = analyse(opinion.suggestion, { ...opinion, clauseId: 'c-2' });
    expect(quality.flags).toEqual([]);
    expect(quality.score).toBeGreaterThanOrEqual(typing.score);
    expect(quality.score).toBeLessThanOrEqual(1);
  });

  it('works without figures or key phrases given, and only uses known flags', () => {
    const quality = assessQuality({
      text: '建议推进高质量发展，GDP年均增长6%以上，因为这是全省的发展目标和要求。',
    });
    expect(quality.flags).toEqual([]);
    for (const text of ['', '同意', 'mixed 中英 text 👍', 'x'.repeat(100_000)]) {
      for (const flag of assessQuality({ text }).flags) {
        expect(QUALITY_FLAGS).toContain(flag);
      }
    }
  });

  it('handles a 100 KB text', () => {
    const text = '建议加强湿地保护，森林覆盖率不低于45%，因为水土流失严重。'.repeat(3500);
    const quality = assessQuality({ text });
    expect(quality.flags).toEqual([]);
  });
});

describe('mentionsPlanningTerm', () => {
  it('finds planning terms in Chinese text and nothing elsewhere', () => {
    expect(mentionsPlanningTerm('推进城市更新和海绵城市建设')).toBe(true);
    expect(mentionsPlanningTerm('今天天气很好')).toBe(false);
    expect(mentionsPlanningTerm('')).toBe(false);
    expect(mentionsPlanningTerm('Urban renewal 👍')).toBe(false);
  });
});

describe('assessQuality: key phrases', () => {
  const text = '建议加快推进相关工作，着力提升居民生活品质。';
  const notSpecific = (keyphrases: string[]): boolean =>
    assessQuality({ text, keyphrases }).flags.includes('not_specific');

  it('counts long words, several words and planning terms as concrete', () => {
    expect(notSpecific(['可再生能源发展', 'renewable energy'])).toBe(false);
    expect(notSpecific(['城市更新'])).toBe(false);
    expect(notSpecific(['𠀀𠀁𠀂𠀃', 'abcdefgh'])).toBe(false);
    expect(notSpecific(['可再生能源', '新能源汽车'])).toBe(false);
  });

  it('does not count short words', () => {
    expect(notSpecific(['可再生能源发展', 'abcd'])).toBe(true);
    expect(notSpecific(['建设', 'ab', '', '👍'])).toBe(true);
  });
});

describe('mentionsPlanningTerm: where the terms are', () => {
  it('finds a term at the start, at the end of a long text, and after emoji', () => {
    expect(mentionsPlanningTerm('高质量发展')).toBe(true);
    expect(mentionsPlanningTerm(`${'x'.repeat(5000)}专精特新`)).toBe(true);
    expect(mentionsPlanningTerm('😀城市更新')).toBe(true);
    expect(mentionsPlanningTerm('高')).toBe(false);
    expect(mentionsPlanningTerm('high quality development')).toBe(false);
    expect(mentionsPlanningTerm('高质量')).toBe(false);
  });
});
