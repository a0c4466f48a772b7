import { describe, expect, it } from 'vitest';
import {
  exactHash,
  hash64Into,
  needsConversion,
  normalize,
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
