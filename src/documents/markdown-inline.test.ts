import { describe, expect, it } from 'vitest';
import { randomStrings } from '../../test/random-strings.ts';
import { dropHtmlComments, parseAtxHeading, stripImages, stripLinks, stripTags } from './markdown-inline.ts';

describe('Markdown inline parts in one pass', () => {
  it('drop HTML comments as the comment pattern does', () => {
    expect(dropHtmlComments('a<!-- note -->b<!--c')).toBe('ab<!--c');
    for (const text of randomStrings(['<!--', '-->', '<!-->', '-', '>', 'a', '\n'], 5_000, 8)) {
      expect(dropHtmlComments(text), JSON.stringify(text)).toBe(text.replace(/<!--[\s\S]*?-->/g, ''));
    }
  });

  it('read ATX headings as the heading pattern does', () => {
    expect(parseAtxHeading('## 第一章 总则 ##')).toEqual({ level: 2, text: '第一章 总则' });
    expect(parseAtxHeading('#标题')).toEqual({ level: 1, text: '标题' });
    expect(parseAtxHeading('####### 七级')).toBeNull();
    expect(parseAtxHeading('#')).toBeNull();
    const pattern = /^(#{1,6})(?:\s+|(?=[^#\s]))(.*?)(?:\s+#+)?\s*$/;
    for (const raw of randomStrings(['#', '#', ' ', '\t', '\u3000', 'a', '题'], 20_000, 10)) {
      const line = raw.trim();
      const match = pattern.exec(line);
      const expected = match === null ? null : { level: match[1]!.length, text: match[2]! };
      expect(parseAtxHeading(line), JSON.stringify(line)).toEqual(expected);
    }
  });

  it('strip images, links and tags as their patterns do', () => {
    expect(stripImages('图![示意](a.png)止')).toBe('图止');
    expect(stripLinks('见[规划](https://example.cn/p)全文')).toBe('见规划全文');
    // An image may have no alt text; a link needs some.
    expect(stripImages('a![](x.png)b')).toBe('ab');
    expect(stripLinks('a[](x)b')).toBe('a[](x)b');
    expect(stripTags('<b>加粗</b><br/>行<1>')).toBe('加粗行<1>');
    const alphabet = ['!', '[', ']', '(', ')', '<', '>', '/', 'a', 'B', '1', ' '];
    for (const text of randomStrings(alphabet, 20_000, 10)) {
      const shown = JSON.stringify(text);
      expect(stripImages(text), shown).toBe(text.replace(/!\[([^\]]*)\]\([^)]*\)/g, ''));
      expect(stripLinks(text), shown).toBe(text.replace(/\[([^\]]+)\]\([^)]*\)/g, '$1'));
      expect(stripTags(text), shown).toBe(text.replace(/<\/?[a-zA-Z][^>]*>/g, ''));
    }
  });

  it('read a long line of openers with nothing to close them in one pass', () => {
    const n = 200_000;
    expect(stripLinks('['.repeat(n))).toHaveLength(n);
    expect(stripImages('!['.repeat(n))).toHaveLength(2 * n);
    expect(stripTags('<a'.repeat(n))).toHaveLength(2 * n);
    expect(dropHtmlComments('<!--'.repeat(n))).toHaveLength(4 * n);
    expect(parseAtxHeading(`# a${' '.repeat(n)}b`)?.text).toHaveLength(n + 2);
  });
});
