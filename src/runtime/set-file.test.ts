import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisInput } from '../analysis/pipeline.ts';
import { analyzeCorpusClusters, analyzeCorpusToJsonLines } from '../analysis/pipeline.ts';
import { MemorySetStore } from '../analysis/parallel/set-store.ts';
import {
  FileSetStore,
  makeScratchDirectory,
  removeScratchDirectory,
  removeScratchDirectoryLater,
} from './set-file.ts';

/** A form letter sent 30 times with one word changed each time, among other comments: 45 records. */
function campaign(): AnalysisInput[] {
  const letter =
    'As a parent and a taxpayer I ask the city to keep the bus line that serves our school open in the evening, because many students depend on it to get home safely after their classes and activities.';
  const records: AnalysisInput[] = [];
  for (let i = 0; i < 45; i++) {
    const text =
      i % 3 === 2
        ? `Comment ${i}: 请在第${i}条中明确责任单位和完成时限。`
        : letter.replace('evening', ['evening', 'night', 'late evening', 'weekend evening'][i % 4]!);
    records.push({ id: `r${i}`, text, target: 'c1' });
  }
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

  it('keeps a copy of what is appended, and counts what it holds', () => {
    const store = make();
    expect(store.size).toBe(0);
    const values = Uint32Array.of(1, 2, 3);
    store.append(values);
    values.fill(9);
    store.append(values.subarray(0, 1));
    expect(store.size).toBe(4);
    const all = new Uint32Array(4);
    store.read(0, all);
    expect(Array.from(all)).toEqual([1, 2, 3, 9]);
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

  it('can be removed off the calling thread, the promise settling once they are gone', async () => {
    const scratch = makeScratchDirectory('concord-test-');
    new FileSetStore(scratch).append(Uint32Array.of(1, 2, 3));
    const removed = removeScratchDirectoryLater(scratch);
    await removed;
    expect(() => readdirSync(scratch)).toThrow();
    await expect(removeScratchDirectoryLater(scratch)).resolves.toBeUndefined();
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
        // So too when only the clusters are asked for.
        const clusters = await analyzeCorpusClusters(records, { workers: 2, onAnalyses: () => undefined });
        expect(clusters.ids).toHaveLength(records.length);
        expect(readdirSync(temporary)).toEqual([]);
        // And when the lines cannot be written.
        const failing = analyzeCorpusToJsonLines([{ jsonl: encode(records), firstLine: 1 }], {
          workers: 2,
          write: () => {
            throw new Error('no space left on device');
          },
        });
        await expect(failing).rejects.toThrow('no space left on device');
        expect(readdirSync(temporary)).toEqual([]);
        expect(threaded).toBe(await run(0));
        expect(threaded.trimEnd().split('\n')).toHaveLength(records.length);
        expect(threaded).toContain('"id":"r1","cluster":"r0"');
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
