/** Pure helpers of the data library's views: search snippets marked from offsets, sizes, file kinds. */

export interface Range {
  start: number;
  end: number;
}

export interface Segment {
  text: string;
  mark: boolean;
}

/**
 * Splits a snippet into plain and marked pieces from the server's highlight ranges (UTF-16 offsets), so
 * that matches are shown with <mark> around text nodes and never by injecting markup. Ranges are clamped
 * to the text, merged where they overlap or touch, and moved off the middle of a surrogate pair so an
 * emoji is never cut in two.
 */
export function highlightSegments(text: string, highlights: readonly Range[]): Segment[] {
  const isLow = (i: number) => {
    const code = text.charCodeAt(i);
    return code >= 0xdc00 && code <= 0xdfff;
  };
  const snap = (i: number, forward: boolean) => {
    const clamped = Math.max(0, Math.min(text.length, Math.trunc(i)));
    return clamped > 0 && clamped < text.length && isLow(clamped) ? clamped + (forward ? 1 : -1) : clamped;
  };
  const ranges = highlights
    .filter((r) => Number.isFinite(r.start) && Number.isFinite(r.end))
    .map((r) => ({ start: snap(r.start, false), end: snap(r.end, true) }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
  const merged: Range[] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r.start <= last.end) {
      last.end = Math.max(last.end, r.end);
    } else {
      merged.push({ ...r });
    }
  }
  const segments: Segment[] = [];
  let at = 0;
  for (const r of merged) {
    if (r.start > at) {
      segments.push({ text: text.slice(at, r.start), mark: false });
    }
    segments.push({ text: text.slice(r.start, r.end), mark: true });
    at = r.end;
  }
  if (at < text.length || segments.length === 0) {
    segments.push({ text: text.slice(at), mark: false });
  }
  return segments.filter((s, i) => s.text !== '' || (i === 0 && segments.length === 1));
}

/** A byte count as people read it: 812 B, 4.2 KB, 1.3 MB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) {
    return '—';
  }
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export const DOCUMENT_EXTENSIONS = ['pdf', 'docx', 'xlsx', 'txt'] as const;
export const INDICATOR_EXTENSIONS = ['xlsx', 'csv'] as const;

/** The extension of a file name in lower case, or '' ("统计年鉴.PDF" → "pdf"). */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 || dot === fileName.length - 1 ? '' : fileName.slice(dot + 1).toLowerCase();
}

/** Whether a file may be sent at all: the server still reads it and refuses a corrupt one. */
export const acceptsFile = (fileName: string, allowed: readonly string[]): boolean =>
  allowed.includes(extensionOf(fileName));

/** A title from a file name when the uploader gives none: the name without its extension. */
export function titleFromFileName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return (dot > 0 ? fileName.slice(0, dot) : fileName).trim();
}
