import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readComments } from '../src/cli/import-comments-command.ts';
import type { ImportedComment } from '../src/server/services/comment-import.service.ts';
import { estimateRecordCount, readRecordBatches, readRecords } from '../src/cli/records.ts';

function file(name: string, body: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'concord-records-')), name);
  writeFileSync(path, body);
  return path;
}

/** The comments of a file, every batch of them. */
async function comments(path: string): Promise<ImportedComment[]> {
  const out: ImportedComment[] = [];
  for await (const batch of readComments(path, {})) {
    out.push(...batch);
  }
  return out;
}

async function all(path: string): Promise<{ record: Record<string, unknown>; line: number }[]> {
  const out: { record: Record<string, unknown>; line: number }[] = [];
  for await (const item of readRecords(path)) {
    out.push(item);
  }
  return out;
}

describe('reading JSON Lines', () => {
  it('takes LF, CRLF and lone CR line ends, a byte order mark, blank lines and a last line without an end', async () => {
    const path = file(
      'mixed.jsonl',
      '\uFEFF{"id":1,"text":"一"}\r\n\r\n{"id":2,"text":"二"}\r{"id":3,"text":"three"}\n  \n{"id":4,"text":"四"}',
    );
    const records = await all(path);
    expect(records.map((r) => [r.record.id, r.record.text, r.line])).toEqual([
      [1, '一', 1],
      [2, '二', 3],
      [3, 'three', 4],
      [4, '四', 6],
    ]);
  });

  it('decodes characters split between the blocks it reads, across a large file', async () => {
    // Lines of Chinese text (3 bytes a character) that run over several 4 MiB blocks at odd offsets.
    const lines: string[] = [];
    let bytes = 0;
    for (let i = 0; bytes < 9 * 1024 * 1024; i++) {
      const line = JSON.stringify({
        id: `c${i}`,
        text: `第${i}条意见：${'规划建设'.repeat(1 + (i % 37))}😀`,
      });
      lines.push(line);
      bytes += Buffer.byteLength(line) + 1;
    }
    const path = file('large.jsonl', `${lines.join('\n')}\n`);
    const read: string[] = [];
    const misnumbered: number[] = [];
    let batches = 0;
    for await (const batch of readRecordBatches(path)) {
      batches += 1;
      for (const { record, line } of batch) {
        read.push(JSON.stringify(record));
        if (line !== read.length) {
          misnumbered.push(line);
        }
      }
    }
    expect(misnumbered).toEqual([]);
    expect(read.length).toBe(lines.length);
    expect(read.join('\n')).toBe(lines.join('\n'));
    expect(batches).toBeGreaterThan(2);
  });

  it('names the line that is not JSON, or not an object', async () => {
    await expect(all(file('bad.jsonl', '{"text":"好"}\n\n{not json}\n'))).rejects.toThrow(
      /Line 3 of .* is not valid JSON/,
    );
    await expect(all(file('array.jsonl', '{"text":"好"}\r\n[1, 2]\r\n'))).rejects.toThrow(
      /Line 2 of .* is not a JSON object/,
    );
  });

  it('gives comments with their ids, numbers written out and empty ids as none', async () => {
    const path = file(
      'comments.jsonl',
      [
        { id: 7, text: '支持' },
        { id: '', text: 'no id' },
        { id: 'x-1', text: '' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    expect(await comments(path)).toEqual([
      { ref: '7', text: '支持' },
      { ref: null, text: 'no id' },
      { ref: 'x-1', text: '' },
    ]);
    await expect(comments(file('notext.jsonl', '{"text":"a"}\n{"text":5}\n{"text":null}\n'))).rejects.toThrow(
      /Record 3 of .* has no text in "text"/,
    );
  });
});

describe('counting records for progress', () => {
  it('counts the lines of a JSON Lines file and the records after a CSV header', async () => {
    expect(await estimateRecordCount(file('a.jsonl', '{"text":"a"}\n{"text":"b"}\n'))).toBe(2);
    expect(await estimateRecordCount(file('b.jsonl', '{"text":"a"}\n{"text":"b"}'))).toBe(2);
    expect(await estimateRecordCount(file('c.csv', 'id,text\n1,a\n2,b\n3,c'))).toBe(3);
    expect(await estimateRecordCount(file('d.csv', ''))).toBe(0);
    await expect(estimateRecordCount('/nonexistent/comments.csv')).rejects.toThrow('No such file');
  });
});

describe('reading CSV', () => {
  it('reads records with a header, quoted fields and a byte order mark', async () => {
    const path = file('comments.csv', '\uFEFFid,comment\n1,"第一条, 建议"\n2,"say ""yes"""\n');
    expect(await comments(path)).toEqual([
      { ref: '1', text: '第一条, 建议' },
      { ref: '2', text: 'say "yes"' },
    ]);
  });
});
