import { describe, expect, it } from 'vitest';
import type { SummarySource } from './summary.ts';
import { splitSentences, summarizeClause } from './summary.ts';

const verbatim = (sources: readonly SummarySource[], summary: ReturnType<typeof summarizeClause>): void => {
  for (const sentence of summary) {
    const source = sources.find((s) => s.id === sentence.opinionId);
    expect(source).toBeDefined();
    expect(source!.text.slice(sentence.start, sentence.end)).toBe(sentence.text);
  }
};

describe('splitSentences', () => {
  it('splits Chinese at terminators and keeps closing quotes with the sentence', () => {
    const text = '建议增设充电桩。理由是“车多桩少。”另外，电梯呢？\n第二段';
    const sentences = splitSentences(text);
    expect(sentences.map((s) => s.text)).toEqual([
      '建议增设充电桩。',
      '理由是“车多桩少。”',
      '另外，电梯呢？',
      '第二段',
    ]);
    for (const s of sentences) {
      expect(text.slice(s.start, s.end)).toBe(s.text);
    }
  });

  it('splits English without breaking decimals, abbreviations or initials', () => {
    const text = 'Mr. Smith said 1.5 is fine... The U.S. rule is bad! See e.g. section 3. Done';
    expect(splitSentences(text).map((s) => s.text)).toEqual([
      'Mr. Smith said 1.5 is fine...',
      'The U.S. rule is bad!',
      'See e.g. section 3.',
      'Done',
    ]);
  });

  it('handles empty, one-character, emoji and mixed text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences('   。。 ')).toEqual([]);
    expect(splitSentences('好')).toEqual([{ text: '好', start: 0, end: 1 }]);
    expect(splitSentences('👍👍')).toEqual([]);
    const mixed = splitSentences('支持OPT延期👍。Good idea!');
    expect(mixed.map((s) => s.text)).toEqual(['支持OPT延期👍。', 'Good idea!']);
  });
});

describe('summarizeClause', () => {
  const sources: SummarySource[] = [
    { id: 'a', text: '建议将研发经费投入强度目标由3%调整为2.8%。理由是近三年增速放缓。' },
    { id: 'b', text: '建议将研发经费投入强度目标由3%调整为2.8%。' },
    { id: 'c', text: '建议将研发经费投入强度目标由3%调整为2.8% 。另外，应加强基础研究投入。' },
    { id: 'd', text: '同意。' },
    { id: 'e', text: '建议研发经费投入强度目标从3%下调到2.8%，与全省实际相符。' },
    { id: 'f', text: '老旧小区改造应同步增设充电桩和电梯。' },
  ];

  it('quotes the central sentence first and folds form-letter copies into supporting', () => {
    const summary = summarizeClause(sources);
    verbatim(sources, summary);
    expect(summary[0]).toMatchObject({
      text: '建议将研发经费投入强度目标由3%调整为2.8%。',
      opinionId: 'a',
      start: 0,
    });
    expect(summary[0]!.supporting).toEqual(expect.arrayContaining(['b', 'c']));
    expect(summary[0]!.supporting).not.toContain('a');
    // The copies are not quoted again; too-short sentences ("同意。") are not quoted at all.
    expect(summary.filter((s) => s.text.startsWith('建议将研发经费投入强度目标由3%'))).toHaveLength(1);
    expect(summary.some((s) => s.opinionId === 'd')).toBe(false);
  });

  it('is diverse, deterministic and respects maxSentences and maxChars', () => {
    const summary = summarizeClause(sources, { maxSentences: 3 });
    expect(summary).toHaveLength(3);
    expect(summarizeClause(sources, { maxSentences: 3 })).toEqual(summary);
    const short = summarizeClause(sources, { maxChars: 30 });
    expect(short.reduce((n, s) => n + s.text.length, 0)).toBeLessThanOrEqual(30);
    expect(short.length).toBeGreaterThan(0);
    expect(summarizeClause(sources, { maxChars: 3 })).toEqual([]);
    expect(summarizeClause(sources, { maxSentences: 0 })).toEqual([]);
  });

  it('does not quote a sentence that merely repeats the clause', () => {
    const clauseText = '到2030年，研发经费投入强度达到3%。';
    const withCopy = [...sources, { id: 'g', text: '到2030年，研发经费投入强度达到3%。' }];
    const summary = summarizeClause(withCopy, { clauseText });
    verbatim(withCopy, summary);
    expect(summary.some((s) => s.opinionId === 'g')).toBe(false);
  });

  it('summarizes English and mixed opinions', () => {
    const english: SummarySource[] = [
      { id: '1', text: 'I support the OPT extension. It helps STEM students gain practical experience.' },
      {
        id: '2',
        text: 'I support the OPT extension!  It helps STEM students gain real practical experience.',
      },
      { id: '3', text: 'The rule hurts American workers. Wages will fall.' },
      { id: '4', text: '支持OPT延期。It helps STEM students gain practical experience.' },
    ];
    const summary = summarizeClause(english, { maxSentences: 3 });
    verbatim(english, summary);
    const experience = summary.find((s) => s.text.includes('practical experience'));
    expect(experience).toBeDefined();
    expect(experience!.supporting.length).toBeGreaterThanOrEqual(1);
    expect(summary.some((s) => s.opinionId === '3')).toBe(true);
  });

  it('handles no sources, empty texts, emoji and one-character texts', () => {
    expect(summarizeClause([])).toEqual([]);
    expect(
      summarizeClause([
        { id: 'x', text: '' },
        { id: 'y', text: '👍' },
        { id: 'z', text: '好' },
      ]),
    ).toEqual([]);
  });

  it('handles a 100 KB opinion and many form letters quickly', () => {
    const long = '建议加强湿地保护，划定生态保护红线。'.repeat(3000) + '另外应建设城市绿道。';
    const many: SummarySource[] = [
      { id: 'long', text: long },
      ...Array.from({ length: 2000 }, (_, i) => ({
        id: `f${i}`,
        text: `Please protect the wetlands near the river, number ${i % 7}. Thank you.`,
      })),
    ];
    const summary = summarizeClause(many);
    verbatim(many, summary);
    expect(summary.length).toBeGreaterThan(0);
    const wetlands = summary.find((s) => s.text.startsWith('Please protect the wetlands'));
    expect(wetlands!.supporting.length).toBeGreaterThan(1000);
  });
});

describe('summarizeClause: long sentences', () => {
  it('quotes a long comma-chained sentence by its clauses, still verbatim', () => {
    const clauses = Array.from({ length: 30 }, (_, i) => `第${i + 1}项措施要求加强湿地保护和生态修复工作`);
    const sources: SummarySource[] = [{ id: 'a', text: `${clauses.join('，')}。` }];
    const summary = summarizeClause(sources, { maxSentences: 3 });
    expect(summary.length).toBeGreaterThan(0);
    verbatim(sources, summary);
    for (const sentence of summary) {
      expect(sentence.text.length).toBeLessThanOrEqual(160);
    }
  });
});
