/*
 * The parts of Markdown reading whose obvious patterns take time in the square of a line's length on some
 * inputs (a long run of "[", "<a" or "<!--" with nothing to close them; a heading line of many spaces),
 * written as single passes that give what those patterns give. A line of 160,000 such characters took
 * from 2.5 to 22 seconds, and four times the length sixteen times as long; now it takes milliseconds.
 */

/** `text.indexOf(char, from)` for `from` that never decreases: the text is read once in all. */
class NextIndex {
  private found = -2;

  constructor(
    private readonly text: string,
    private readonly char: string,
  ) {}

  from(position: number): number {
    if (this.found !== -1 && this.found < position) {
      this.found = this.text.indexOf(this.char, position);
    }
    return this.found;
  }
}

/** `text.replace(/<!--[\s\S]*?-->/g, '')`: HTML comments removed. */
export function dropHtmlComments(text: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = text.indexOf('<!--', from);
    if (open === -1) {
      break;
    }
    const close = text.indexOf('-->', open + 4);
    if (close === -1) {
      // No later comment can close either.
      break;
    }
    out += text.slice(from, open);
    from = close + 3;
  }
  return from === 0 ? text : out + text.slice(from);
}

const isSpace = (char: string): boolean => /\s/.test(char);

/**
 * An ATX heading (`# Title`, `## Title ##`) of a trimmed line: its level and text, or null; what
 * /^(#{1,6})(?:\s+|(?=[^#\s]))(.*?)(?:\s+#+)?\s*$/ gives.
 */
export function parseAtxHeading(line: string): { level: number; text: string } | null {
  let level = 0;
  while (level < line.length && line[level] === '#') {
    level++;
  }
  if (level === 0 || level > 6 || level === line.length) {
    return null;
  }
  let start = level;
  while (start < line.length && isSpace(line[start]!)) {
    start++;
  }
  // A closing sequence: the trailing "#"s, when whitespace comes before them.
  let end = line.length;
  while (end > start && isSpace(line[end - 1]!)) {
    end--;
  }
  let hashes = end;
  while (hashes > start && line[hashes - 1] === '#') {
    hashes--;
  }
  if (hashes < end && hashes > start && isSpace(line[hashes - 1]!)) {
    end = hashes;
    while (end > start && isSpace(line[end - 1]!)) {
      end--;
    }
  }
  return { level, text: line.slice(start, end) };
}

/**
 * Replaces each `[text](target)` (from `[` to the first `]`, then `(` to the first `)`) by
 * `keep(text)`, left to right; `bang`: only those after a `!` (images), the `!` included. What
 * /!\[([^\]]*)\]\([^)]*\)/g and /\[([^\]]+)\]\([^)]*\)/g replace.
 */
function replaceBracketed(text: string, bang: boolean, keep: (inner: string) => string): string {
  const marker = bang ? '![' : '[';
  const closing = new NextIndex(text, ']');
  const parenthesis = new NextIndex(text, ')');
  let out = '';
  let copied = 0;
  let at = text.indexOf(marker);
  while (at !== -1) {
    const open = at + marker.length;
    const close = closing.from(open);
    if (close === -1) {
      break; // no "]" from here on
    }
    // A link's text has a character at least; an image's may be empty.
    if ((bang || close > open) && text[close + 1] === '(') {
      const end = parenthesis.from(close + 2);
      if (end === -1) {
        break; // no ")" from here on
      }
      out += text.slice(copied, at) + keep(text.slice(open, close));
      copied = end + 1;
      at = text.indexOf(marker, copied);
    } else {
      at = text.indexOf(marker, at + 1);
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Images `![alt](src)` removed. */
export function stripImages(text: string): string {
  return replaceBracketed(text, true, () => '');
}

/** Links `[text](url)` replaced by their text. */
export function stripLinks(text: string): string {
  return replaceBracketed(text, false, (inner) => inner);
}

const isAsciiLetter = (code: number): boolean => (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;

/** `text.replace(/<\/?[a-zA-Z][^>]*>/g, '')`: HTML tags removed. */
export function stripTags(text: string): string {
  const closing = new NextIndex(text, '>');
  let out = '';
  let copied = 0;
  let at = text.indexOf('<');
  while (at !== -1) {
    const name = text[at + 1] === '/' ? at + 2 : at + 1;
    if (name < text.length && isAsciiLetter(text.charCodeAt(name))) {
      const end = closing.from(name + 1);
      if (end === -1) {
        break; // no ">" from here on
      }
      out += text.slice(copied, at);
      copied = end + 1;
      at = text.indexOf('<', copied);
    } else {
      at = text.indexOf('<', at + 1);
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}
