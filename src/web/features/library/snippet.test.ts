import { describe, expect, it } from 'vitest';
import { acceptsFile, extensionOf, formatBytes, highlightSegments, titleFromFileName } from './snippet.ts';

const marked = (text: string, ranges: { start: number; end: number }[]) =>
  highlightSegments(text, ranges)
    .map((s) => (s.mark ? `[${s.text}]` : s.text))
    .join('');

describe('highlightSegments', () => {
  it('marks Chinese and English matches from offsets', () => {
    expect(marked('数字经济核心产业增加值', [{ start: 0, end: 4 }])).toBe('[数字经济]核心产业增加值');
    expect(
      marked('the growth target of 15%', [
        { start: 4, end: 10 },
        { start: 21, end: 24 },
      ]),
    ).toBe('the [growth] target of [15%]');
  });

  it('merges overlapping and touching ranges given in any order', () => {
    expect(
      marked('abcdefgh', [
        { start: 4, end: 6 },
        { start: 1, end: 3 },
        { start: 2, end: 4 },
      ]),
    ).toBe('a[bcdef]gh');
  });

  it('clamps ranges outside the text and drops empty ones', () => {
    expect(
      marked('增速', [
        { start: -3, end: 1 },
        { start: 1, end: 99 },
      ]),
    ).toBe('[增速]');
    expect(marked('增速', [{ start: 1, end: 1 }])).toBe('增速');
    expect(highlightSegments('', [{ start: 0, end: 3 }])).toEqual([{ text: '', mark: false }]);
    expect(marked('x', [{ start: 0, end: 1 }])).toBe('[x]');
  });

  it('never cuts an emoji in half', () => {
    const text = '目标🚀达成';
    // 🚀 is two UTF-16 units at 2–3; a range ending inside it takes the whole emoji.
    expect(marked(text, [{ start: 0, end: 3 }])).toBe('[目标🚀]达成');
    expect(marked(text, [{ start: 3, end: 5 }])).toBe('目标[🚀达]成');
  });

  it('keeps markup-looking text as text', () => {
    const segments = highlightSegments('<b>年鉴</b>', [{ start: 3, end: 5 }]);
    expect(segments).toEqual([
      { text: '<b>', mark: false },
      { text: '年鉴', mark: true },
      { text: '</b>', mark: false },
    ]);
  });

  it('handles a 100 KB passage with many highlights', () => {
    const text = '统计年鉴 yearbook '.repeat(7000);
    const ranges = Array.from({ length: 7000 }, (_, i) => ({ start: i * 14, end: i * 14 + 4 }));
    const segments = highlightSegments(text, ranges);
    expect(segments.filter((s) => s.mark)).toHaveLength(7000);
    expect(segments.map((s) => s.text).join('')).toBe(text);
  });
});

describe('files', () => {
  it('reads extensions and sizes', () => {
    expect(extensionOf('统计年鉴.PDF')).toBe('pdf');
    expect(extensionOf('noext')).toBe('');
    expect(extensionOf('.hidden')).toBe('');
    expect(acceptsFile('政策.docx', ['pdf', 'docx'])).toBe(true);
    expect(acceptsFile('image.png', ['pdf', 'docx'])).toBe(false);
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(4300)).toBe('4.2 KB');
    expect(formatBytes(100 * 1024 * 1024)).toBe('100 MB');
    expect(formatBytes(-1)).toBe('—');
    expect(titleFromFileName('2024年统计年鉴.pdf')).toBe('2024年统计年鉴');
    expect(titleFromFileName('a')).toBe('a');
  });
});
