import { describe, expect, it } from 'vitest';
import { buildPhraseStats, clauseKeyphrases, extractKeyphrases } from './keyphrases.ts';
import { tokenize } from './tokenize.ts';

const texts = (phrases: { text: string }[]): string[] => phrases.map((p) => p.text);

describe('extractKeyphrases', () => {
  it('joins adjacent Chinese words into phrases and keeps planning terms whole', () => {
    const phrases = texts(extractKeyphrases('老旧小区改造应同步增设充电桩和电梯，解决老年人出行难问题。'));
    expect(phrases[0]).toBe('老旧小区改造');
    expect(phrases).toContain('同步增设充电桩');
    expect(phrases).toContain('电梯');
    // No phrase is listed together with a part of it.
    expect(phrases).not.toContain('充电桩');
    expect(phrases).not.toContain('老旧小区');
  });

  it('ranks a specific planning phrase above boilerplate verbs and drops stock words', () => {
    const phrases = texts(
      extractKeyphrases('建议设立中小企业数字化转型专项资金，每年不少于2亿元，支持中小企业数字化转型。'),
    );
    expect(phrases[0]).toBe('中小企业数字化转型');
    expect(phrases).toContain('专项资金');
    for (const stock of ['建议', '支持', '亿元', '2']) {
      expect(phrases).not.toContain(stock);
    }
  });

  it('joins English words with a space and skips stop words and frame words', () => {
    const phrases = texts(
      extractKeyphrases(
        'Please increase the renewable energy share to 30% and expand public transit service.',
      ),
    );
    expect(phrases).toContain('renewable energy share');
    expect(phrases).toContain('public transit service');
    for (const word of ['please', 'the', '30', 'to']) {
      expect(phrases).not.toContain(word);
    }
  });

  it('never returns a single Chinese character, a number, an emoji or a clause number', () => {
    const phrases = texts(extractKeyphrases('👍 第三条 市 区 县 2027 年 建 🚀 一 个'));
    expect(phrases).toEqual([]);
  });

  it('does not join Chinese and English words, nor a unit to its number', () => {
    const phrases = texts(extractKeyphrases('AI应用场景开放，2027年前建成3个省级算力枢纽'));
    expect(phrases.some((p) => /ai/u.test(p) && /\p{Script=Han}/u.test(p))).toBe(false);
    expect(phrases.some((p) => p.startsWith('年前') || p.startsWith('个'))).toBe(false);
    expect(phrases).toContain('应用场景开放');
  });

  it('handles empty, one-character and emoji-only text', () => {
    expect(extractKeyphrases('')).toEqual([]);
    expect(extractKeyphrases('好')).toEqual([]);
    expect(extractKeyphrases('a')).toEqual([]);
    expect(extractKeyphrases('👍👍')).toEqual([]);
    expect(extractKeyphrases('湿地')).toEqual([{ text: '湿地', score: 1 }]);
  });

  it('accepts a tokenized text and gives the same answer', () => {
    const text = '加强湿地保护，建设城市绿道和口袋公园。Protect urban wetlands.';
    expect(extractKeyphrases(tokenize(text))).toEqual(extractKeyphrases(text));
  });

  it('respects the limit, is deterministic and orders best first', () => {
    const text = '建设城市绿道，增设口袋公园，完善慢行系统，改造老旧管网，推进海绵城市建设。';
    const all = extractKeyphrases(text);
    expect(extractKeyphrases(text)).toEqual(all);
    expect(extractKeyphrases(text, { limit: 2 })).toEqual(all.slice(0, 2));
    expect(extractKeyphrases(text, { limit: 0 })).toEqual([]);
    for (let i = 1; i < all.length; i++) {
      expect(all[i]!.score).toBeLessThanOrEqual(all[i - 1]!.score);
    }
    expect(texts(all)).toContain('海绵城市');
  });

  it('counts repetition: a phrase said three times outranks one said once', () => {
    const phrases = extractKeyphrases('湿地保护很重要。湿地保护要立法。湿地保护需资金。停车场。');
    expect(phrases[0]!.text).toBe('湿地保护');
  });

  it('uses corpus statistics: a phrase every document has ranks below a rare one', () => {
    const corpus = [
      ...Array.from({ length: 50 }, (_, i) => `交通拥堵问题严重，建议治理${i}`),
      '交通拥堵问题严重，建议建设智慧停车场',
    ];
    const stats = buildPhraseStats(corpus);
    expect(stats.documents).toBe(51);
    expect(stats.documentFrequency.get('交通拥堵')).toBe(51);
    const phrases = texts(extractKeyphrases(corpus.at(-1)!, { stats }));
    expect(phrases[0]).toContain('停车场');
  });

  it('handles a 100 KB text', () => {
    const unit = '加强湿地保护，建设城市绿道。Protect urban wetlands and expand bike lanes. ';
    const text = unit.repeat(Math.ceil(100_000 / unit.length));
    const phrases = extractKeyphrases(text, { limit: 5 });
    expect(phrases.length).toBeGreaterThan(0);
    expect(phrases.length).toBeLessThanOrEqual(5);
    expect(
      texts(phrases).some(
        (p) => p === '湿地保护' || p === 'urban wetlands' || p === 'protect urban wetlands',
      ),
    ).toBe(true);
  });
});

describe('extractKeyphrases selection', () => {
  const long =
    '建议加快建设城市绿道网络，完善慢行系统，增设口袋公园和社区花园，改造老旧管网，推进海绵城市建设，' +
    '保护湿地生态，提升滨水空间品质。Expand protected bike lanes, restore coastal wetlands, fund transit ' +
    'service upgrades, plant street trees and add public charging stations near schools and clinics.';

  it('gives, for any limit, the first phrases of a larger limit', () => {
    const all = extractKeyphrases(long, { limit: 60 });
    expect(all.length).toBeGreaterThan(17);
    for (let limit = 1; limit <= all.length + 2; limit++) {
      expect(extractKeyphrases(long, { limit })).toEqual(all.slice(0, limit));
    }
  });

  it('never lists two phrases sharing a word, even a word repeated elsewhere', () => {
    const text =
      'Protect urban wetlands. Wetlands restoration fund now. Coastal wetlands protection matters. ' +
      'Urban trees cool streets.';
    for (const limit of [3, 5, 8, 30]) {
      const words = extractKeyphrases(text, { limit }).flatMap((p) => p.text.split(' '));
      expect(new Set(words).size).toBe(words.length);
    }
  });

  it('ranks a phrase said in several places above one said once', () => {
    const text = 'Bike lanes now. Coastal restoration. Safer bike lanes. More bike lanes please.';
    expect(extractKeyphrases(text)[0]!.text).toBe('bike lanes');
  });

  it('breaks ties by position: the earlier of two equal phrases first', () => {
    const phrases = extractKeyphrases('湿地 绿道 公园');
    expect(texts(phrases)).toEqual(['湿地', '绿道', '公园']);
    expect(new Set(phrases.map((p) => p.score)).size).toBe(1);
  });

  it('answers a short text the same before and after a very long one', () => {
    const short = '加强湿地保护，建设城市绿道。Protect urban wetlands.';
    const before = extractKeyphrases(short);
    const huge = extractKeyphrases(long.repeat(400), { limit: 5 });
    expect(huge.length).toBe(5);
    expect(extractKeyphrases(short)).toEqual(before);
  });

  it('handles emoji between words, one-character words and mixed scripts', () => {
    expect(texts(extractKeyphrases('湿地👍公园'))).toEqual(['湿地', '公园']);
    expect(texts(extractKeyphrases('市 湿地 a b'))).toEqual(['湿地']);
    expect(texts(extractKeyphrases('AI湿地 wetland保护'))).toEqual(
      expect.arrayContaining(['ai', '湿地', 'wetland', '保护']),
    );
  });

  it('ranks with corpus statistics for any limit', () => {
    const corpus = [long, '建设城市绿道', 'Restore coastal wetlands', '城市绿道和口袋公园'];
    const stats = buildPhraseStats(corpus);
    const all = extractKeyphrases(long, { stats, limit: 60 });
    expect(extractKeyphrases(long, { stats, limit: 5 })).toEqual(all.slice(0, 5));
    expect(extractKeyphrases(long, { stats, limit: 20 })).toEqual(all.slice(0, 20));
  });
});

describe('clauseKeyphrases', () => {
  it('ranks phrases many opinions share first', () => {
    const opinions = [
      '建议增设充电桩，方便新能源汽车充电。',
      '小区充电桩太少，应当增设充电桩。',
      '充电桩建设要纳入老旧小区改造。',
      '建议建设口袋公园和城市绿道，丰富绿色空间，提升城市景观风貌与生态品质。',
    ];
    const phrases = clauseKeyphrases(opinions);
    expect(phrases[0]!.text).toContain('充电桩');
  });

  it('counts each opinion once per phrase, and handles no opinions', () => {
    const longOne = '湿地公园'.repeat(50);
    const phrases = clauseKeyphrases([longOne, '停车场不足。', '停车场收费高。']);
    expect(phrases[0]!.text).toBe('停车场');
    expect(clauseKeyphrases([])).toEqual([]);
    expect(clauseKeyphrases(['', '👍'])).toEqual([]);
  });

  it('accepts tokenized texts and English', () => {
    const opinions = ['Extend the OPT program.', 'The OPT program helps students.', 'Keep the OPT program.'];
    const phrases = clauseKeyphrases(opinions.map(tokenize), { limit: 3 });
    expect(phrases[0]!.text).toMatch(/^opt/u);
    expect(phrases.length).toBeLessThanOrEqual(3);
  });
});
