import { describe, expect, it } from 'vitest';
import { findHighlights, indexTokens, makeSnippet, parseSearchQuery } from './library.service.ts';

describe('library search text', () => {
  it('indexes words and the character pairs of long Chinese words', () => {
    const tokens = indexTokens('推进城市更新行动，Digital economy 🚀').split(' ');
    expect(tokens).toContain('城市更新');
    expect(tokens).toContain('市更');
    expect(tokens).toContain('digital');
    expect(tokens).not.toContain('🚀');
    expect(indexTokens('')).toBe('');
    expect(indexTokens('字')).toBe('字');
  });

  it('parses a query into terms, dropping stop words and emoji, with pairs as the alternative', () => {
    expect(parseSearchQuery('the digital economy 🚀')).toEqual({
      terms: ['digital', 'economy'],
      query: [[['digital']], [['economy']]],
    });
    const chinese = parseSearchQuery('老旧小区改造');
    expect(chinese.query[0]).toEqual([['老旧小区改造'], ['老旧', '旧小', '小区', '区改', '改造']]);
    expect(parseSearchQuery('🚀').query).toEqual([]);
    expect(parseSearchQuery('的').terms).toEqual(['的']);
  });

  it('highlights whole Latin words case-insensitively and Chinese anywhere', () => {
    const text = 'Core industries; the score of 数字经济核心产业 rose. CORE';
    const spans = findHighlights(text, ['core', '核心']).map((h) => text.slice(h.start, h.end));
    expect(spans).toEqual(['Core', '核心', 'CORE']);
    expect(findHighlights('', ['x'])).toEqual([]);
  });

  it('cuts a snippet around the first match of a 100 KB passage without splitting an emoji', () => {
    const text = `${'😀'.repeat(30_000)}目标${'文'.repeat(40_000)}`;
    const snippet = makeSnippet(text, ['目标'], 100);
    expect(snippet.text.length).toBeLessThanOrEqual(102);
    expect(text.slice(snippet.offset, snippet.offset + snippet.text.length)).toBe(snippet.text);
    expect(snippet.highlights.map((h) => snippet.text.slice(h.start, h.end))).toEqual(['目标']);
    expect(/^[\udc00-\udfff]/.test(snippet.text)).toBe(false);
    expect(makeSnippet('一', [])).toEqual({ text: '一', offset: 0, highlights: [] });
  });
});
