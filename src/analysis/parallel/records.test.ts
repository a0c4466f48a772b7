import { describe, expect, it } from 'vitest';
import { JsonLineReader, parseJsonLines, readRecord } from './records.ts';

const fields = { id: 'id', text: 'text', target: 'target' };

describe('parseJsonLines', () => {
  it('reads records in order, skipping blank lines, in Chinese, English, emoji and mixed scripts', () => {
    const block = [
      '{"id":"a","text":"支持本条","target":"第三条"}',
      '',
      '{"id":7,"text":"I agree 👍","target":null}',
      '   ',
      '{"id":"c","text":"","extra":1}',
      '{"id":"d","text":"好 ok 👍🏽 第3条","target":12}',
    ].join('\r\n');
    expect(parseJsonLines(block)).toEqual([
      { id: 'a', text: '支持本条', target: '第三条' },
      { id: '7', text: 'I agree 👍', target: null },
      { id: 'c', text: '', target: null },
      { id: 'd', text: '好 ok 👍🏽 第3条', target: '12' },
    ]);
    expect(parseJsonLines('')).toEqual([]);
  });

  it('reads a 100 KB text', () => {
    const text = '长文本 long text '.repeat(8000);
    expect(parseJsonLines(JSON.stringify({ id: 'x', text }))[0]!.text).toBe(text);
  });

  it('uses other field names, or the line number when there is no id field', () => {
    const block = '{"body":"一","clause":"c1"}\n{"body":"二"}';
    expect(
      parseJsonLines(block, { fields: { id: null, text: 'body', target: 'clause' }, firstLine: 41 }),
    ).toEqual([
      { id: '41', text: '一', target: 'c1' },
      { id: '42', text: '二', target: null },
    ]);
  });

  it('names the file and line of a bad record', () => {
    const options = { fields, firstLine: 10, source: 'in.jsonl' };
    expect(() => parseJsonLines('{"id":"a","text":"x"}\n\n{"id":"b",', options)).toThrow(
      /^Line 12 of in\.jsonl is not valid JSON/u,
    );
    expect(() => parseJsonLines('[1,2]', options)).toThrow('Line 10 of in.jsonl is not a JSON object.');
    expect(() => parseJsonLines('{"id":"a","body":"x"}', options)).toThrow(
      'Line 10 of in.jsonl has no "text" field (name the text field with --text-field).',
    );
    expect(() => parseJsonLines('{"id":"a","text":5}', options)).toThrow(/has no text in "text"/u);
    expect(() => parseJsonLines('{"text":"x"}', options)).toThrow(/has no id in "id"/u);
    expect(() => parseJsonLines('{"id":"a","text":"x","target":{}}', options)).toThrow(
      /"target" that is neither text nor a number/u,
    );
  });
});

describe('JsonLineReader', () => {
  const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

  it('reads one record at a time, each line numbered in its file', () => {
    const reader = new JsonLineReader(encode('{"body":"一"}\n\n{"body":"二 👍"}\n'), {
      fields: { id: null, text: 'body', target: 'clause' },
      firstLine: 5,
    });
    expect(reader.next()).toEqual({ id: '5', text: '一', target: null });
    expect(reader.next()).toEqual({ id: '7', text: '二 👍', target: null });
    expect(reader.next()).toBeUndefined();
    expect(reader.next()).toBeUndefined();
  });

  it('reads a last line without a line feed, and no record from nothing', () => {
    const reader = new JsonLineReader(encode('{"id":1,"text":"a"}\n{"id":2,"text":"b"}'));
    expect([reader.next()?.id, reader.next()?.id, reader.next()]).toEqual(['1', '2', undefined]);
    expect(new JsonLineReader(new Uint8Array(0)).next()).toBeUndefined();
  });

  it('gives the records before a bad line, then names it', () => {
    const reader = new JsonLineReader(encode('{"id":"a","text":"好"}\n{"id":"b",\n'), {
      source: 'in.jsonl',
      firstLine: 3,
    });
    expect(reader.next()).toEqual({ id: 'a', text: '好', target: null });
    expect(() => reader.next()).toThrow(/^Line 4 of in\.jsonl is not valid JSON/u);
  });
});

describe('readRecord', () => {
  it('reads a CSV row (all strings), an empty target meaning none', () => {
    expect(readRecord({ id: 'r1', text: 'Hello', target: '' }, fields, { source: 'a.csv', line: 2 })).toEqual(
      {
        id: 'r1',
        text: 'Hello',
        target: null,
      },
    );
  });
});
