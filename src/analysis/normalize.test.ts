import * as OpenCC from 'opencc-js';
import { describe, expect, it } from 'vitest';
import type { NormalizeOptions } from './normalize.ts';
import {
  createNormalizedCodes,
  exactHash,
  hash64CodesInto,
  hash64Into,
  needsConversion,
  normalize,
  normalizeCodes,
  similarityKey,
  toSimplified,
} from './normalize.ts';

describe('normalize', () => {
  it('folds full-width letters, digits and punctuation to half-width', () => {
    expect(normalize('ＡＢＣ１２３！')).toBe('ABC123!');
    expect(normalize('建议将目标值由１５％调整为２０％')).toBe('建议将目标值由15%调整为20%');
  });

  it('converts traditional Chinese (Taiwan and Hong Kong forms) to simplified', () => {
    expect(normalize('臺灣的電腦與資訊產業')).toBe('台湾的电脑与资讯产业');
    expect(normalize('這個計劃裡面著重於乾燥的天氣')).toBe('这个计划里面着重于干燥的天气');
    expect(normalize('香港的溫度很高，戶口登記')).toBe('香港的温度很高,户口登记');
  });

  it('leaves simplified Chinese as it is, phrases included', () => {
    for (const text of ['著名作家', '什么时候', '一干二净', '皇后', '反复论证', '覆盖全省']) {
      expect(normalize(text)).toBe(text);
    }
  });

  it('can keep traditional characters', () => {
    expect(normalize('臺灣', { traditionalToSimplified: false })).toBe('臺灣');
  });

  it('collapses white space of every kind, removes invisible characters and trims', () => {
    expect(normalize('  a\t\tb\n\nc\u3000d  ')).toBe('a b c d');
    expect(normalize('第一条\u200b规定\ufeff')).toBe('第一条规定');
    expect(normalize('one two')).toBe('one two');
  });

  it('handles empty, blank and one-character text', () => {
    expect(normalize('')).toBe('');
    expect(normalize(' \n\t ')).toBe('');
    expect(normalize('好')).toBe('好');
    expect(normalize('a')).toBe('a');
  });

  it('keeps emoji and mixed scripts', () => {
    expect(normalize('支持👍  GDP增长😀')).toBe('支持👍 GDP增长😀');
    expect(normalize('Москва 東京 Paris')).toBe('Москва 东京 Paris');
  });

  it('normalises a 100 KB text', () => {
    const text = '數位經濟　ＧＤＰ  growth\n'.repeat(6000);
    expect(text.length).toBeGreaterThanOrEqual(100_000);
    const out = normalize(text);
    expect(out.startsWith('数位经济 GDP growth 数位经济')).toBe(true);
    expect(out).not.toMatch(/\s{2}/);
  });
});

describe('toSimplified and needsConversion', () => {
  it('flags a text only when conversion could change it', () => {
    expect(needsConversion('建议加强数字经济')).toBe(false);
    expect(needsConversion('Plain English text')).toBe(false);
    expect(needsConversion('數字')).toBe(true);
    expect(toSimplified('數字經濟')).toBe('数字经济');
  });

  it('changes no character it does not flag', () => {
    for (let cp = 0x4e00; cp < 0x9fff; cp += 7) {
      const char = String.fromCodePoint(cp);
      if (!needsConversion(char)) {
        expect(toSimplified(char)).toBe(char);
      }
    }
  });
});

describe('similarityKey', () => {
  it('is the normalised text in lower case', () => {
    expect(similarityKey('  Support  THE Rule ')).toBe('support the rule');
    expect(similarityKey('ＳＴＥＭ　ＯＰＴ')).toBe('stem opt');
  });

  it('gives traditional and simplified writings of a text the same key', () => {
    expect(similarityKey('我們支持這項規劃，建議加強資訊產業。')).toBe(
      similarityKey('我们支持这项规划，建议加强资讯产业。'),
    );
  });

  it('gives full-width and half-width digits the same key', () => {
    expect(similarityKey('２０３０年')).toBe(similarityKey('2030年'));
  });
});

describe('exactHash', () => {
  it('is 16 hex digits, equal for texts that differ only in form', () => {
    const hash = exactHash('Ｈｅｌｌｏ　世界');
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(exactHash('Hello 世界')).toBe(hash);
    expect(exactHash('  Hello\n世界 ')).toBe(hash);
    expect(exactHash('臺灣')).toBe(exactHash('台湾'));
  });

  it('differs for different texts, case included', () => {
    expect(exactHash('Hello 世界')).not.toBe(exactHash('hello 世界'));
    expect(exactHash('a')).not.toBe(exactHash('b'));
    expect(exactHash('')).not.toBe(exactHash(' a'));
  });

  it('spreads 200,000 short keys without a collision', () => {
    const out = new Uint32Array(2);
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) {
      hash64Into(`意见${i}`, out, 0);
      seen.add(`${out[0]}:${out[1]}`);
    }
    expect(seen.size).toBe(200_000);
  });
});

// opencc-js's bundled declarations do not resolve under NodeNext: type the parts used.
type Dicts = (string | [string, string][])[];
const opencc = OpenCC as unknown as {
  ConverterFactory: (...groups: Dicts[]) => (text: string) => string;
  Locale: { from: Record<string, Dicts[]>; configs: Record<string, { conversionChain: Dicts[] }> };
};
const wholeTextConverter = opencc.ConverterFactory(
  [...opencc.Locale.from.tw![0]!, ...opencc.Locale.from.hk![0]!],
  [...opencc.Locale.configs.t2s!.conversionChain[0]!],
);

/** `normalize` as it is defined: string functions only, and the converter over the whole text. */
function reference(text: string, traditionalToSimplified = true): string {
  let out = text;
  if (/[\u0080-\uffff]/.test(out)) {
    out = out.normalize('NFKC');
    if (traditionalToSimplified && needsConversion(out)) {
      out = wholeTextConverter(out);
    }
    out = out.replace(/[\u200b\u2060\ufeff\u00ad]/g, '');
  }
  return out.replace(/\s+/g, ' ').trim();
}

function referenceHash(text: string): string {
  const out = new Uint32Array(2);
  hash64Into(reference(text), out, 0);
  return Array.from(out, (half) => half.toString(16).padStart(8, '0')).join('');
}

/** The code units `normalizeCodes` wrote, as strings: the normalised text and the key (ASCII letters not yet folded). */
function viaCodes(text: string, options: NormalizeOptions = {}): { text: string; key: string } {
  const into = createNormalizedCodes(4);
  const length = normalizeCodes(text, into, options, true);
  return {
    text: String.fromCharCode(...into.codes.subarray(0, length)),
    key: String.fromCharCode(...into.keyCodes.subarray(0, into.keyLength)),
  };
}

const foldAscii = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

const POOL = [
  ...'abcXYZ019 .,!?-',
  ...' \t\n\r\u000b\u000c\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\u0085\u180e',
  ...'\u200b\u2060\ufeff\u00ad\u0000\u0001\u007f',
  ...'ＡＢａｂ０１！，。（）％　…①㈱ﬁ²½ｶﾞ',
  ...'中文数字经济发展的是了什么怎么那么吃户温坏脱么',
  ...'臺灣這個說國會後發髮裡乾著為於才纔',
  ...'ΣσςΑΒİıǅÅéèÖ',
  ...'\u0301\u0300\u0308\u3099\u309a',
  ...'가각\u1100\u1161\u11a8ㄱ',
  ...'⿰⿱',
  '😀',
  '👍🏽',
  '\ud800',
  '\udc00',
  '𠀾',
];

function randomTexts(count: number, seed: number): string[] {
  let state = seed;
  const next = (n: number): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
  return Array.from({ length: count }, () => {
    let text = '';
    const length = next(40);
    for (let i = 0; i < length; i++) {
      text += POOL[next(POOL.length)];
    }
    return text;
  });
}

describe('normalize agrees with its definition', () => {
  it('for every UTF-16 code unit, among ASCII, Chinese and full-width neighbours', () => {
    for (let code = 0; code < 0x10000; code++) {
      const char = String.fromCharCode(code);
      const text = `A${char}中${char}，${char} ${char}`;
      expect(normalize(text)).toBe(reference(text));
      expect(normalize(text, { traditionalToSimplified: false })).toBe(reference(text, false));
    }
  });

  it('for characters that compose with the one before', () => {
    for (let code = 0x80; code < 0x10000; code++) {
      const decomposed = String.fromCharCode(code).normalize('NFD');
      if (decomposed.length < 2) {
        continue;
      }
      const [first = '', ...rest] = decomposed;
      for (const second of rest) {
        const fullWidth = /[!-~]/.test(first) ? String.fromCharCode(first.charCodeAt(0) + 0xfee0) : first;
        for (const text of [first + second, `${fullWidth}${second}中`, `中${first}${second}`]) {
          expect(normalize(text)).toBe(reference(text));
        }
      }
    }
  });

  it('for random mixes of scripts, white space, marks and emoji', () => {
    for (const text of randomTexts(5000, 7)) {
      expect(normalize(text)).toBe(reference(text));
      expect(normalize(text, { traditionalToSimplified: false })).toBe(reference(text, false));
      expect(similarityKey(text)).toBe(reference(text).toLowerCase());
      expect(exactHash(text)).toBe(referenceHash(text));
    }
  });

  it('for long texts', () => {
    const long = randomTexts(400, 11).join('');
    expect(normalize(long)).toBe(reference(long));
    const english = 'The  rule\textends OPT.\n'.repeat(5000);
    expect(normalize(english)).toBe(reference(english));
  });
});

describe('normalizeCodes', () => {
  it('writes the code units of the normalised text, and of the key but for ASCII letters', () => {
    const texts = [
      '',
      ' ',
      'a',
      '  Support  THE Rule ',
      '好',
      '😀',
      'ＳＴＥＭ　ＯＰＴ，这么说',
      '這個計劃裡面',
      'İSTANBUL ΟΔΟΣ',
      'x\u200by',
      ...randomTexts(2000, 3),
    ];
    for (const text of texts) {
      const codes = viaCodes(text);
      expect(codes.text).toBe(normalize(text));
      expect(foldAscii(codes.key)).toBe(similarityKey(text));
      expect(viaCodes(text, { traditionalToSimplified: false }).text).toBe(
        normalize(text, { traditionalToSimplified: false }),
      );
    }
  });

  it('hashes the code units as hash64Into hashes the string', () => {
    const into = createNormalizedCodes();
    const fromCodes = new Uint32Array(2);
    const fromString = new Uint32Array(2);
    for (const text of ['', 'a', '数字经济 GDP', '😀😁', '\ud800x', 'long '.repeat(1000)]) {
      const length = normalizeCodes(text, into);
      hash64CodesInto(into.codes, length, fromCodes, 0);
      hash64Into(normalize(text), fromString, 0);
      expect(Array.from(fromCodes)).toEqual(Array.from(fromString));
    }
  });
});

describe('toSimplified', () => {
  it('converts part by part as the converter does the whole text', () => {
    const texts = [
      '这个规划什么时候实施？我们怎么参与呢！',
      '我們吃飯, 什麼時候 去台灣? 户口 温度',
      '⿰氵青 什么 這個',
      '什\u200b么 和 什么',
      '😀這個😀 𠀾 什么',
      ...randomTexts(3000, 5).map((text) => text.normalize('NFKC')),
    ];
    for (const text of texts) {
      expect(toSimplified(text)).toBe(needsConversion(text) ? wholeTextConverter(text) : text);
    }
  });
});

describe('exactHash', () => {
  it('keeps its values', () => {
    expect(exactHash('')).toBe('9a1dc9c6526edffb');
    expect(exactHash('a')).toBe('df2d62770464c18c');
    expect(exactHash('好')).toBe('9dc1952662ec1ed1');
    expect(exactHash('😀')).toBe('47b665264df6c5a9');
    expect(exactHash('I support the proposed rule.')).toBe('ef0a765911b97afe');
    expect(exactHash('  I  support\tthe\nproposed rule.  ')).toBe('ef0a765911b97afe');
    expect(exactHash('建议将目标值由１５％调整为２０％，并补充统计口径。')).toBe('8725033019838d01');
    expect(exactHash('这个规划什么时候实施？我们怎么参与呢！')).toBe('52e9da631035e289');
    expect(exactHash('臺灣的電腦與資訊產業，這個計劃裡面著重於乾燥的天氣。')).toBe('76c198da36214bc1');
    expect(exactHash('Москва 東京 Paris ΣΟΦΙΑ ΟΔΟΣ')).toBe('14a4766cd81836e9');
    expect(exactHash('第一条\u200b规定\ufeff\u00a0第二条\u3000第三条\u2028end')).toBe('840af05974013e72');
    expect(exactHash('数位经济 ＧＤＰ growth\n'.repeat(50))).toBe('104628644a1aa3a4');
  });
});
