import { describe, expect, it } from 'vitest';
import type { SpanKind } from './spans.ts';
import { randomStrings } from '../../test/random-strings.ts';
import { HanRunScanner, SpanScanner } from './spans.ts';

/** The alternation the scanner stands for, run as a regex: the reference its spans must equal. */
const SPAN =
  /([\p{Script=Han}\u3007]+)|(\p{Nd}+(?:[.,:]\p{Nd}+)*%?(?![\p{L}\p{Nd}]))|(\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3|\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F)?(?:\u200D\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F)?)*)|((?:(?!\p{Script=Han})[\p{L}\p{Nd}])(?:(?!\p{Script=Han})[\p{L}\p{M}\p{Nd}])*(?:['’](?:(?!\p{Script=Han})\p{L})+)*)/gu;

type Span = [text: string, start: number, kind: SpanKind];

function reference(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(SPAN)) {
    const kind: SpanKind =
      match[1] !== undefined
        ? 'han'
        : match[2] !== undefined
          ? 'number'
          : match[3] !== undefined
            ? 'emoji'
            : /^\p{Nd}+$/u.test(match[0])
              ? 'number'
              : 'word';
    spans.push([match[0], match.index, kind]);
  }
  return spans;
}

function scan(text: string): Span[] {
  const spans: Span[] = [];
  const scanner = new SpanScanner(text);
  while (scanner.next()) {
    const span = text.slice(scanner.start, scanner.end);
    // A span said to be ASCII letters and digits alone must be.
    if (scanner.ascii && !/^[A-Za-z0-9]+$/.test(span)) {
      throw new Error(`${JSON.stringify(span)} is not ASCII letters and digits alone`);
    }
    spans.push([span, scanner.start, scanner.kind]);
  }
  return spans;
}

function asciiFlags(text: string): [string, boolean][] {
  const flags: [string, boolean][] = [];
  const scanner = new SpanScanner(text);
  while (scanner.next()) {
    flags.push([text.slice(scanner.start, scanner.end), scanner.ascii]);
  }
  return flags;
}

describe('SpanScanner', () => {
  it('finds Han runs, numbers, emoji and words in order', () => {
    expect(scan('支持第3条，2,025.5吨 by 2030 👍🏽 don’t')).toEqual([
      ['支持第', 0, 'han'],
      ['3', 3, 'number'],
      ['条', 4, 'han'],
      // Digits right before a letter (Han ones too) give their last group back.
      ['2,025', 6, 'number'],
      ['5', 12, 'number'],
      ['吨', 13, 'han'],
      ['by', 15, 'word'],
      ['2030', 18, 'number'],
      ['👍🏽', 23, 'emoji'],
      ['don’t', 28, 'word'],
    ]);
  });

  it('tells which words are ASCII letters and digits alone', () => {
    expect(asciiFlags("Plan2030 B don't café naïve x’y ok 中文 2030 A")).toEqual([
      ['Plan2030', true],
      ['B', true],
      ["don't", false],
      ['café', false],
      ['naïve', false],
      ['x’y', false],
      ['ok', true],
      ['中文', false],
      ['2030', false],
      ['A', true],
    ]);
    // Before ASCII that cannot continue a word the word is known to end; before an apostrophe or other
    // characters it is left to the general rules, and not said to be ASCII alone.
    expect(asciiFlags("abc，def-ghi. x'")).toEqual([
      ['abc', false],
      ['def', true],
      ['ghi', true],
      ['x', false],
    ]);
  });

  it('gives nothing for empty, blank or punctuation-only text', () => {
    expect(scan('')).toEqual([]);
    expect(scan(' \n\t ')).toEqual([]);
    expect(scan('，。！？…')).toEqual([]);
  });

  it('handles one character', () => {
    expect(scan('好')).toEqual([['好', 0, 'han']]);
    expect(scan('a')).toEqual([['a', 0, 'word']]);
    expect(scan('7')).toEqual([['7', 0, 'number']]);
    expect(scan('😀')).toEqual([['😀', 0, 'emoji']]);
    expect(scan('#')).toEqual([]);
  });

  it('backtracks numbers as the regex does', () => {
    for (const text of [
      '1.5x',
      '2015年',
      '50%off',
      '3.14%',
      '1,2,3.',
      '12:30pm',
      '5%%',
      '１２３',
      '٣٫٤',
      '1️⃣ #️⃣',
    ]) {
      expect(scan(text)).toEqual(reference(text));
    }
    expect(scan('1.5x')).toEqual([
      ['1', 0, 'number'],
      ['5x', 2, 'word'],
    ]);
    expect(scan('2015年')).toEqual([
      ['2015', 0, 'number'],
      ['年', 4, 'han'],
    ]);
  });

  it('keeps emoji sequences, flags and keycaps whole', () => {
    expect(scan('👨‍👩‍👧🇨🇳#️⃣ℹ️').map(([text, , kind]) => [text, kind])).toEqual([
      ['👨‍👩‍👧', 'emoji'],
      ['🇨🇳', 'emoji'],
      ['#️⃣', 'emoji'],
      ['ℹ️', 'emoji'],
    ]);
  });

  it('reads characters beyond the BMP and lone surrogates', () => {
    for (const text of ['𠀀𠀁中文', '𝐀𝐁c', 'a\uD800b', '\uDC00中', 'x𝟘y']) {
      expect(scan(text)).toEqual(reference(text));
    }
  });

  it('agrees with the regex on random mixed-script text', () => {
    const alphabet = [
      'a',
      'Z',
      'q',
      '1',
      '9',
      '0',
      '.',
      ',',
      ':',
      '%',
      "'",
      '’',
      '-',
      ' ',
      '\n',
      'é',
      'e\u0301',
      'ß',
      'İ',
      'ﬁ',
      'Ａ',
      '５',
      '٣',
      '〇',
      '中',
      '国',
      '的',
      '⺮',
      '⼀',
      '豈',
      '𠀀',
      '😀',
      '👍',
      '🏽',
      '\u200D',
      '\uFE0F',
      '\u20E3',
      '#',
      '*',
      '🇨',
      '🇳',
      'ℹ',
      '©',
      '™',
      '，',
      '。',
      'Ⅻ',
      '½',
      '²',
      '\uD800',
      '\uDC00',
      'ǅ',
      'ﾊ',
      '가',
      'ب',
      '\u0300',
      '\u0903',
      '𝐀',
      '𝟘',
    ];
    let seed = 7;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    for (let n = 0; n < 20_000; n++) {
      let text = '';
      const length = 1 + Math.floor(random() * 12);
      for (let k = 0; k < length; k++) {
        text += alphabet[Math.floor(random() * alphabet.length)]!;
      }
      expect(scan(text), JSON.stringify(text)).toEqual(reference(text));
    }
  });

  it('scans long text completely', () => {
    const text = '推进新型城镇化，Support the plan 👍 第3条建议删除。'.repeat(3000);
    const spans = scan(text);
    expect(spans).toEqual(reference(text));
    expect(spans.length).toBe(3000 * scan('推进新型城镇化，Support the plan 👍 第3条建议删除。').length);
  });
});

describe('HanRunScanner', () => {
  const hanRuns = (text: string): [number, number][] => {
    const runs: [number, number][] = [];
    const scanner = new HanRunScanner().reset(text);
    while (scanner.next()) {
      runs.push([scanner.start, scanner.end]);
    }
    return runs;
  };
  const hanSpans = (text: string): [number, number][] => {
    const spans: [number, number][] = [];
    const scanner = new SpanScanner(text);
    while (scanner.next()) {
      if (scanner.kind === 'han') {
        spans.push([scanner.start, scanner.end]);
      }
    }
    return spans;
  };

  it('finds the Han runs that SpanScanner finds, astral characters and 〇 included', () => {
    expect(hanRuns('规划a〇二𠀀年😀ab的')).toEqual([
      [0, 2],
      [3, 8],
      [12, 13],
    ]);
    expect(hanRuns('')).toEqual([]);
    expect(hanRuns('no Han at all')).toEqual([]);
    const alphabet = [
      '规',
      '划',
      '〇',
      '𠀀',
      'a',
      'B',
      '1',
      ' ',
      '😀',
      '１',
      '々',
      'ー',
      '\ud840',
      '\udc00',
      '，',
    ];
    for (const text of randomStrings(alphabet, 20_000, 9)) {
      expect(hanRuns(text), JSON.stringify(text)).toEqual(hanSpans(text));
    }
  });

  it('starts over on each text it is given', () => {
    const scanner = new HanRunScanner().reset('一a二');
    expect(scanner.next()).toBe(true);
    scanner.reset('b三四');
    expect([scanner.next(), scanner.start, scanner.end, scanner.next()]).toEqual([true, 1, 3, false]);
  });
});
