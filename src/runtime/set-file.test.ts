import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisInput } from '../analysis/pipeline.ts';
import { analyzeCorpusToJsonLines } from '../analysis/pipeline.ts';
import { MemorySetStore } from '../analysis/parallel/set-store.ts';
import { FileSetStore, makeScratchDirectory, removeScratchDirectory } from './set-file.ts';

/** Near-duplicates in Chinese and English, and others, 45 records. */
function campaign(): AnalysisInput[] {
  const zh =
    '我们坚决支持将城市轨道交通覆盖率提高到百分之七十，并建议在二〇二七年前完成新线路建设，保障市民出行便利。';
  const en =
    'I support the proposal to extend the optional practical training for students with STEM degrees. It keeps talent in our economy and helps American companies compete.';
  const records: AnalysisInput[] = [];
  for (let i = 0; i < 40; i++) {
    const kind = i % 4;
    const text =
      kind === 0
        ? zh
        : kind === 1
          ? `${en} Thank you.`
          : kind === 2
            ? `${zh.slice(0, 20)}${zh.slice(21)}`
            : `Comment number ${i}: the subway fares rose ${i} percent this year 😀`;
    records.push({ id: `r${i}`, text, target: kind < 2 ? 'c1' : null });
  }
  records.push({ id: 'empty', text: '' }, { id: 'one', text: '好' }, { id: 'emoji', text: '👍' });
  return records;
}

let directory = '';
beforeAll(() => {
  directory = makeScratchDirectory('concord-test-');
});
afterAll(() => {
  removeScratchDirectory(directory);
});

describe.each([
  ['a file', () => new FileSetStore(directory)],
  ['memory', () => new MemorySetStore()],
])('sets kept in %s', (_, make) => {
  it('reads back any range of what was appended, across appends', () => {
    const store = make();
    expect(store.append(Uint32Array.of(1, 2, 3))).toBe(0);
    expect(store.append(new Uint32Array(0))).toBe(3);
    expect(store.append(Uint32Array.of(4, 5))).toBe(3);
    expect(store.append(Uint32Array.of(0xffffffff, 7).subarray(1))).toBe(5);
    const all = new Uint32Array(6);
    store.read(0, all);
    expect(Array.from(all)).toEqual([1, 2, 3, 4, 5, 7]);
    const middle = new Uint32Array(3);
    store.read(2, middle);
    expect(Array.from(middle)).toEqual([3, 4, 5]);
    store.read(6, new Uint32Array(0));
  });

  it('refuses to read past the end', () => {
    const store = make();
    store.append(Uint32Array.of(1, 2));
    expect(() => store.read(1, new Uint32Array(2))).toThrow(/shingle sets end/u);
  });
});

describe('scratch directories', () => {
  it('are made under the temporary directory and removed with their files', () => {
    const scratch = makeScratchDirectory('concord-test-');
    expect(scratch.startsWith(tmpdir())).toBe(true);
    new FileSetStore(scratch).append(Uint32Array.of(1));
    expect(readdirSync(scratch)).toHaveLength(1);
    removeScratchDirectory(scratch);
    expect(() => readdirSync(scratch)).toThrow();
    // Removing what is gone is no error.
    removeScratchDirectory(scratch);
  });
});

describe('the corpus pipeline', () => {
  it(
    'keeps shingle sets in files of a temporary directory on worker threads, removed after the run',
    { timeout: 60_000 },
    async () => {
      const records = campaign();
      const encode = (part: AnalysisInput[]): Uint8Array =>
        new TextEncoder().encode(`${part.map((r) => JSON.stringify(r)).join('\n')}\n`);
      const parts = [records.slice(0, 15), records.slice(15, 30), records.slice(30)];
      const run = async (workers: number, onVerify?: () => void): Promise<string> => {
        const out: Uint8Array[] = [];
        let line = 1;
        const chunks = parts.map((part) => {
          const chunk = { jsonl: encode(part), firstLine: line };
          line += part.length;
          return chunk;
        });
        await analyzeCorpusToJsonLines(chunks, {
          workers,
          write: (data) => void out.push(data.slice()),
          onProgress: (p) => {
            if (p.phase === 'verify') {
              onVerify?.();
            }
          },
        });
        return Buffer.concat(out).toString('utf8');
      };
      const temporary = mkdtempSync(join(tmpdir(), 'concord-test-'));
      const before = process.env.TMPDIR;
      process.env.TMPDIR = temporary;
      try {
        let held: string[] = [];
        const threaded = await run(2, () => {
          held = readdirSync(temporary, { recursive: true }).map(String);
        });
        // While verifying, each worker's sets are in a file of the run's directory; nothing is left after.
        expect(held.filter((name) => /^concord-analysis-[^/]+\/sets-/u.test(name))).toHaveLength(2);
        expect(readdirSync(temporary)).toEqual([]);
        expect(threaded).toBe(await run(0));
        expect(threaded.trimEnd().split('\n')).toHaveLength(records.length);
        expect(threaded).toContain('"id":"r4","cluster":"r0"');
      } finally {
        if (before === undefined) {
          delete process.env.TMPDIR;
        } else {
          process.env.TMPDIR = before;
        }
        rmSync(temporary, { recursive: true, force: true });
      }
    },
  );
});
