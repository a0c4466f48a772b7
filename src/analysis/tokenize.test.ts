import { afterEach, describe, expect, it } from 'vitest';
import { PLANNING_TERMS } from './planning-terms.ts';
import { CHINESE_STOP_WORDS, ENGLISH_STOP_WORDS, isStopWord } from './stopwords.ts';
import {
  RunWords,
  addUserTerms,
  PreparedRuns,
  getChineseSegmenterName,
  tokenizeAll,
  segmentChinese,
  segmentNewRuns,
  selectChineseSegmenter,
  tokenize,
  tokenizeEnglish,
} from './tokenize.ts';

afterEach(() => {
  selectChineseSegmenter('jieba');
});

function checkOffsets(text: string): void {
  for (const token of tokenize(text).tokens) {
    const original = text.slice(token.start, token.end).normalize('NFKC').toLowerCase().replaceAll('’', "'");
    expect(original).toBe(token.text);
  }
}

describe('tokenize', () => {
  it('segments Chinese with jieba and keeps planning terms whole', () => {
    expect(getChineseSegmenterName()).toBe('jieba');
    const { words } = tokenize('推动高质量发展，促进城乡融合，持续优化营商环境，编制“十五五”规划。');
    expect(words).toEqual(
      expect.arrayContaining(['推动', '高质量发展', '城乡融合', '营商环境', '十五五', '规划']),
    );
    expect(words).not.toContain('，');
  });

  it('tokenises English in lower case with numbers and inner apostrophes', () => {
    const { tokens } = tokenize("The Plan's target: 2,025.5 tonnes by 2030, don't delay!");
    expect(tokens.map((t) => t.text)).toEqual([
      'the',
      "plan's",
      'target',
      '2,025.5',
      'tonnes',
      'by',
      '2030',
      "don't",
      'delay',
    ]);
    expect(tokens.find((t) => t.text === '2030')?.kind).toBe('number');
    expect(tokens.find((t) => t.text === 'the')?.stop).toBe(true);
  });

  it('gives nothing for empty or blank text', () => {
    expect(tokenize('').tokens).toEqual([]);
    expect(tokenize('  \n\t ').words).toEqual([]);
    expect(tokenize('，。！？').terms).toEqual([]);
  });

  it('handles one-character texts', () => {
    expect(tokenize('好').tokens).toEqual([{ text: '好', start: 0, end: 1, kind: 'han', stop: false }]);
    expect(tokenize('a').words).toEqual(['a']);
    expect(tokenize('7').tokens[0]?.kind).toBe('number');
    expect(tokenize('的').terms).toEqual([]);
  });

  it('keeps emoji sequences as single tokens', () => {
    const { tokens } = tokenize('支持👍🏽👨‍👩‍👧🇨🇳😀');
    expect(tokens.map((t) => [t.text, t.kind])).toEqual([
      ['支持', 'han'],
      ['👍🏽', 'emoji'],
      ['👨‍👩‍👧', 'emoji'],
      ['🇨🇳', 'emoji'],
      ['😀', 'emoji'],
    ]);
  });

  it('splits mixed scripts and normalises full-width letters', () => {
    const text = 'iPhone SE真的被低估了，ＡＰＰ体验5G网络 café';
    const { tokens, words } = tokenize(text);
    expect(words).toEqual(expect.arrayContaining(['iphone', 'se', '低估', 'app', '5g', '网络', 'café']));
    expect(tokens.find((t) => t.text === 'iphone')?.kind).toBe('word');
    checkOffsets(text);
  });

  it('offsets point into the original text', () => {
    checkOffsets('建议将第十二条修改为：到2030年，全省数字经济核心产业增加值占比达到15%。Hello, world 👋');
  });

  it('separates terms from stop words and numbers', () => {
    const { terms } = tokenize('我们的建议是在2025年前完成');
    expect(terms).not.toContain('我们');
    expect(terms).not.toContain('的');
    expect(terms).not.toContain('2025');
    expect(terms).toContain('建议');
  });

  it('tokenises 100 KB of text completely', () => {
    const unit = '推进新型城镇化，Support the plan 👍 第3条建议删除。';
    const text = unit.repeat(Math.ceil(100_000 / unit.length));
    const { tokens } = tokenize(text);
    const perUnit = tokenize(unit).tokens.length;
    expect(tokens.length).toBe(perUnit * Math.ceil(100_000 / unit.length));
    expect(tokens.at(-1)!.end).toBeLessThanOrEqual(text.length);
  });

  it('is deterministic', () => {
    const text = '开放二胎政策利国利民，但配套的托育服务要跟上。';
    expect(tokenize(text)).toEqual(tokenize(text));
  });
});

describe('tokenize: normal forms and memory of runs', () => {
  it('normalises full-width digits, accents and curly apostrophes, keeping offsets', () => {
    const text = 'Ｃafé’s ２０２５年 rock’n’roll ⺮豈 50%';
    const { tokens } = tokenize(text);
    expect(tokens.map((t) => [t.text, t.kind])).toEqual(
      expect.arrayContaining([
        ["café's", 'word'],
        ['2025', 'number'],
        ["rock'n'roll", 'word'],
        ['50%', 'number'],
      ]),
    );
    checkOffsets(text);
  });

  it('keeps words and terms in step with the tokens', () => {
    for (const text of [
      '',
      '好',
      'a',
      '7',
      '👍',
      '我们的建议是在2025年前完成 the plan 👍',
      'Mixed 中文 and English，第3条',
    ]) {
      const { tokens, words, terms } = tokenize(text);
      expect(words).toEqual(tokens.map((t) => t.text));
      expect(terms).toEqual(tokens.filter((t) => !t.stop && t.kind !== 'number').map((t) => t.text));
    }
  });

  it('segments a run the same wherever it recurs', () => {
    const sentence = '持续优化营商环境';
    const alone = tokenize(sentence).words;
    const first = tokenize(`第一，${sentence}。`);
    const again = tokenize(`Again: ${sentence}! 👍 ${sentence}`);
    expect(first.words).toEqual(['第一', ...alone]);
    expect(again.words).toEqual(['again', ...alone, '👍', ...alone]);
    checkOffsets(`Again: ${sentence}! 👍 ${sentence}`);
    expect(tokenize(`第一，${sentence}。`)).toEqual(first);
  });

  it('gives the words and terms of its tokens, made once when first asked for', () => {
    const doc = tokenize('我们支持2027年建成5条地铁线路 and the plan 👍');
    expect(doc.words).toEqual(doc.tokens.map((t) => t.text));
    expect(doc.terms).toEqual(doc.tokens.filter((t) => !t.stop && t.kind !== 'number').map((t) => t.text));
    expect(doc.terms).toContain('地铁');
    expect(doc.terms).not.toContain('the');
    expect(doc.terms).not.toContain('2027');
    expect(doc.words).toBe(doc.words);
    expect(doc.terms).toBe(doc.terms);
    expect(tokenize('').words).toEqual([]);
    expect(tokenize('').terms).toEqual([]);
  });

  it('returns results whose tokens can be kept and compared as plain objects', () => {
    const { tokens } = tokenize('好 ok');
    expect(JSON.parse(JSON.stringify(tokens))).toEqual([
      { text: '好', start: 0, end: 1, kind: 'han', stop: false },
      { text: 'ok', start: 2, end: 4, kind: 'word', stop: false },
    ]);
    expect({ ...tokens[1] }).toEqual({ text: 'ok', start: 2, end: 4, kind: 'word', stop: false });
  });
});

describe('tokenizeAll', () => {
  const texts = [
    '推动高质量发展，促进城乡融合，持续优化营商环境。',
    'I support the plan 👍',
    '',
    '好',
    '支持 the plan 👍 第3条，推动高质量发展！',
    '𠀀𠀁中文〇与⺮部',
    '推进新型城镇化，Support the plan 👍 第3条建议删除。'.repeat(500),
    '推动高质量发展，促进城乡融合，持续优化营商环境。',
  ];

  it('gives each text what tokenize gives it alone', () => {
    selectChineseSegmenter('jieba');
    const alone = texts.map((t) => tokenize(t));
    selectChineseSegmenter('jieba');
    expect(tokenizeAll(texts)).toEqual(alone);
    // Again, with every run now remembered.
    expect(tokenizeAll(texts)).toEqual(alone);
    for (const text of texts) {
      checkOffsets(text);
    }
  });

  it('segments runs of more characters than one call takes, each where it belongs', () => {
    // Distinct runs of Han characters, 20 to 59 each, several thousand characters in all.
    const han = '城乡融合发展推进新型城镇化持续优化营商环境建设现代产业体系提升公共服务水平';
    const many = Array.from({ length: 300 }, (_, k) => {
      let run = '';
      for (let c = 0; c < 20 + (k % 40); c++) {
        run += han[(k * 7 + c * ((k % 5) + 1)) % han.length]!;
      }
      return `${k}. ${run}！`;
    });
    selectChineseSegmenter('jieba');
    const alone = many.map((t) => tokenize(t));
    selectChineseSegmenter('jieba');
    const together = tokenizeAll(many);
    expect(together).toEqual(alone);
    expect(
      together.map((d) =>
        d.tokens
          .filter((t) => t.kind === 'han')
          .map((t) => t.text)
          .join(''),
      ),
    ).toEqual(many.map((t) => t.slice(t.indexOf(' ') + 1, -1)));
  });

  it('takes no stale words after new terms', () => {
    tokenizeAll(['实施青绿红蓝工程']);
    expect(tokenize('实施青绿红蓝工程').words).not.toContain('青绿红蓝工程');
    addUserTerms(['青绿红蓝工程']);
    expect(tokenizeAll(['实施青绿红蓝工程'])[0]!.words).toContain('青绿红蓝工程');
  });

  it('accepts nothing at all', () => {
    expect(tokenizeAll([])).toEqual([]);
    expect(tokenize('好').words).toEqual(['好']);
  });
});

describe('Intl.Segmenter fallback', () => {
  it('segments Chinese and still joins planning terms', () => {
    expect(selectChineseSegmenter('intl')).toBe('intl');
    const text = '推动高质量发展，促进城乡融合。';
    const { words } = tokenize(text);
    expect(words).toEqual(expect.arrayContaining(['高质量发展', '城乡融合']));
    expect(words.join('')).toBe('推动高质量发展促进城乡融合');
    checkOffsets(text);
  });

  it('handles the same edge cases', () => {
    selectChineseSegmenter('intl');
    expect(tokenize('').tokens).toEqual([]);
    expect(tokenize('好').words).toEqual(['好']);
    expect(tokenize('好👍ok').words).toEqual(['好', '👍', 'ok']);
  });
});

describe('user terms', () => {
  it('adds a plan’s own terms to the dictionary', () => {
    expect(tokenize('实施青蓝紫绿工程').words).not.toContain('青蓝紫绿工程');
    // Remembered runs are segmented again with the new terms.
    expect(tokenize('实施青蓝紫绿工程').words).not.toContain('青蓝紫绿工程');
    addUserTerms(['青蓝紫绿工程']);
    expect(tokenize('实施青蓝紫绿工程').words).toContain('青蓝紫绿工程');
    selectChineseSegmenter('intl');
    expect(tokenize('实施青蓝紫绿工程').words).toContain('青蓝紫绿工程');
  });

  it('ignores blank and known terms', () => {
    expect(() => addUserTerms(['', '  ', '高质量发展'])).not.toThrow();
  });
});

describe('segmentChinese and tokenizeEnglish', () => {
  it('returns only Chinese words', () => {
    expect(segmentChinese('优化营商环境 OK 2025')).toEqual(['优化', '营商环境']);
    expect(segmentChinese('')).toEqual([]);
    expect(segmentChinese('only english')).toEqual([]);
  });

  it('returns English words and numbers, optionally without stop words', () => {
    expect(tokenizeEnglish('The 2 plans are GOOD 好')).toEqual(['the', '2', 'plans', 'are', 'good']);
    expect(tokenizeEnglish('The 2 plans are GOOD', false)).toEqual(['2', 'plans', 'good']);
    expect(tokenizeEnglish('')).toEqual([]);
  });
});

describe('stop words and planning terms', () => {
  it('covers function words of both languages but no stance words', () => {
    expect(isStopWord('的')).toBe(true);
    expect(isStopWord('the')).toBe(true);
    for (const word of ['不', '没有', '反对', '支持', 'not', 'against']) {
      expect(isStopWord(word)).toBe(false);
    }
    expect(CHINESE_STOP_WORDS.size).toBeGreaterThan(100);
    expect(ENGLISH_STOP_WORDS.size).toBeGreaterThan(100);
  });

  it('lists a few hundred distinct planning terms', () => {
    expect(PLANNING_TERMS.length).toBeGreaterThan(300);
    expect(new Set(PLANNING_TERMS).size).toBe(PLANNING_TERMS.length);
    expect(PLANNING_TERMS).toEqual(expect.arrayContaining(['高质量发展', '碳达峰', '十五五', '新型城镇化']));
  });
});

describe('RunWords', () => {
  it('finds a run where it lies in a longer text, by its characters alone', () => {
    const memory = new RunWords(10);
    memory.set('城乡融合', ['城乡融合']);
    memory.set('营商环境', ['营商', '环境']);
    const text = '推动城乡融合，优化营商环境。';
    expect(memory.find(text, 2, 6)).toEqual(['城乡融合']);
    expect(memory.find(text, 9, 13)).toEqual(['营商', '环境']);
    // The same length, other characters; a prefix of a remembered run; an empty stretch.
    expect(memory.find('推动城乡发展', 2, 6)).toBeUndefined();
    expect(memory.find(text, 2, 5)).toBeUndefined();
    expect(memory.find(text, 3, 3)).toBeUndefined();
  });

  it('keeps two generations: a run found in the older lives on, the others go', () => {
    const memory = new RunWords(2);
    memory.set('甲甲', ['甲甲']);
    memory.set('乙乙', ['乙乙']);
    // The newer is full: 丙丙 starts a new one, and 甲甲 and 乙乙 are in the older.
    memory.set('丙丙', ['丙丙']);
    expect(memory.find('甲甲', 0, 2)).toEqual(['甲甲']);
    // 甲甲 moved to the newer, which is full again: 丁丁 starts another, and 乙乙 is dropped.
    memory.set('丁丁', ['丁丁']);
    expect(memory.find('乙乙', 0, 2)).toBeUndefined();
    expect(memory.find('甲甲', 0, 2)).toEqual(['甲甲']);
    expect(memory.find('丙丙', 0, 2)).toEqual(['丙丙']);
    expect(memory.find('丁丁', 0, 2)).toEqual(['丁丁']);
  });

  it('remembers a run offered from its second offer on, and only words that spell it', () => {
    const memory = new RunWords(10);
    const text = '推动城乡融合，优化营商环境。';
    memory.offer('城乡融合', ['城乡', '融合']);
    expect(memory.find(text, 2, 6)).toBeUndefined();
    memory.offer('城乡融合', ['城乡', '融合']);
    expect(memory.find(text, 2, 6)).toEqual(['城乡', '融合']);
    // Words of other characters than the run's are never remembered for it.
    memory.offer('营商环境', ['营商', '坏境']);
    memory.offer('营商环境', ['营商', '坏境']);
    expect(memory.find(text, 9, 13)).toBeUndefined();
  });

  it('forgets the runs it has seen once when cleared', () => {
    const memory = new RunWords(10);
    memory.offer('高质量发展', ['高质量', '发展']);
    memory.clear();
    memory.offer('高质量发展', ['高质量', '发展']);
    expect(memory.find('高质量发展', 0, 5)).toBeUndefined();
    memory.offer('高质量发展', ['高质量', '发展']);
    expect(memory.find('高质量发展', 0, 5)).toEqual(['高质量', '发展']);
  });

  it('still tells runs seen once from runs seen twice after many runs were seen once', () => {
    // Ten thousand runs seen once fill the sightings of a memory of 100 runs many times over.
    const memory = new RunWords(100);
    for (let i = 0; i < 10_000; i++) {
      const run = String.fromCharCode(0x4e00 + (i % 1000), 0x4e00 + Math.floor(i / 1000));
      memory.offer(run, [run]);
    }
    memory.offer('碳达峰', ['碳达峰']);
    memory.offer('碳达峰', ['碳达峰']);
    expect(memory.find('碳达峰', 0, 3)).toEqual(['碳达峰']);
    expect(memory.find(String.fromCharCode(0x4e00, 0x4e00), 0, 2)).toBeUndefined();
  });

  it('holds many runs of one length apart, and forgets them all when cleared', () => {
    const memory = new RunWords(5000);
    const runs = Array.from({ length: 5000 }, (_, i) =>
      String.fromCharCode(0x4e00 + (i % 500), 0x4e00 + Math.floor(i / 500)),
    );
    runs.forEach((run, i) => memory.set(run, [run, String(i)]));
    runs.forEach((run, i) => expect(memory.find(`，${run}。`, 1, 3)).toEqual([run, String(i)]));
    memory.clear();
    expect(runs.some((run) => memory.find(run, 0, 2) !== undefined)).toBe(false);
  });
});

describe('segmentNewRuns', () => {
  it('leaves the tokens tokenizeAll gives as they are, whether or not it ran first', () => {
    const texts = [
      '建议将第三条中的“达到15%”修改为“达到12%”，并补充考核办法。',
      '同意。We support 新能源 buses（公交）and 〇 emissions by 2030年。',
      '深圳禁摩限电，交通更有序；但外卖骑手怎么办？',
      '',
      'No Chinese at all.',
    ];
    const before = tokenizeAll(texts);
    // A term none of the texts holds: the remembered runs are forgotten, the segmentation stays the same.
    addUserTerms(['测试用的术语甲乙丙']);
    const runs = segmentNewRuns(texts);
    expect(tokenizeAll(texts)).toEqual(before);
    // With the words it found, given for some of the texts, in another order.
    const some = [2, 0, 1];
    const after = tokenizeAll(
      some.map((t) => texts[t]!),
      { runs, at: some },
    );
    expect(after).toEqual(some.map((t) => before[t]));
    expect(after[2]!.tokens.map((t) => t.text)).toContain('新能源');
  });

  it('is not trusted where a text is not the one it prepared', () => {
    const runs = segmentNewRuns(['规划纲要', '交通强国']);
    const expected = tokenizeAll(['城市更新行动']);
    expect(tokenizeAll(['城市更新行动'], { runs, at: [0] })).toEqual(expected);
    expect(tokenizeAll(['一，二'], { runs, at: [1] })).toEqual(tokenizeAll(['一，二']));
  });

  it('gives a run the words prepared for it only where they span the same characters', () => {
    const text = '城市更新，行动';
    const words = (prepared: PreparedRuns): string[][] =>
      tokenizeAll([text], { runs: prepared, at: [0] }).map((doc) => doc.tokens.map((t) => t.text));
    const exact = new PreparedRuns([text]);
    exact.add(0, 4, ['城', '市更新']);
    exact.add(5, 7, ['行动']);
    exact.endText(0);
    expect(words(exact)).toEqual([['城', '市更新', '行动']]);
    // The first run prepared one character short, the second with another start: both found anew.
    const other = new PreparedRuns([text]);
    other.add(0, 3, ['城', '市更']);
    other.add(4, 7, ['，行动']);
    other.endText(0);
    expect(words(other)).toEqual([tokenize(text).tokens.map((t) => t.text)]);
  });

  it('puts the words of prepared runs among the other tokens, in compatibility forms too', () => {
    // U+F9FC (a compatibility ideograph) normalises to 識 inside a Han run.
    const texts = ['A股2030年，规划\uF9FC别率达到90%以上', 'go 城市 go 更新 go'];
    const runs = segmentNewRuns(texts);
    const docs = tokenizeAll(texts, { runs, at: [0, 1] });
    texts.forEach((text, t) => expect(docs[t]).toEqual(tokenize(text)));
    const joined = docs[0]!.tokens.map((token) => token.text).join('');
    expect(joined).toContain('識');
    expect(joined).not.toContain('\uF9FC');
    expect(docs[1]!.tokens.map((token) => token.kind)).toEqual(['word', 'han', 'word', 'han', 'word']);
  });
});
