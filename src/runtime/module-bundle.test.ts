import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { analysisWorkerBundle } from '../analysis/parallel/pool.ts';
import type { BundleOptions } from './module-bundle.ts';
import { bundleModule } from './module-bundle.ts';

const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A small project: an entry importing a module of its own and a package. */
function project(): BundleOptions {
  const root = mkdtempSync(join(tmpdir(), 'concord-bundle-'));
  made.push(root);
  writeFileSync(join(root, 'part.ts'), 'export const greeting: string = "你好";\n');
  writeFileSync(
    join(root, 'entry.ts'),
    'import { basename } from "node:path";\nimport { greeting } from "./part.ts";\nexport const said = `${greeting} ${basename("/a/b.txt")}`;\n',
  );
  return { root, entry: join(root, 'entry.ts'), cache: join(root, 'cache'), name: 'entry' };
}

const load = async (file: string): Promise<{ said: string }> =>
  (await import(`${pathToFileURL(file).href}?${statSync(file).mtimeMs}`)) as { said: string };

describe('bundleModule', () => {
  it('bundles an entry with its own modules, and lists them beside it', async () => {
    const options = project();
    const file = bundleModule(options);
    expect((await load(file)).said).toBe('你好 b.txt');
    const manifest = JSON.parse(readFileSync(join(options.cache, 'entry.json'), 'utf8')) as {
      inputs: string[];
    };
    expect(manifest.inputs.sort()).toEqual(['entry.ts', 'part.ts']);
  });

  it('reuses the bundle while its inputs are unchanged, and makes another when one changes', async () => {
    const options = project();
    const first = bundleModule(options);
    const written = statSync(first).mtimeMs;
    expect(bundleModule(options)).toBe(first);
    expect(statSync(first).mtimeMs).toBe(written);
    writeFileSync(join(options.root, 'part.ts'), 'export const greeting: string = "hello";\n');
    const second = bundleModule(options);
    expect(second).not.toBe(first);
    expect(existsSync(first)).toBe(false);
    expect((await load(second)).said).toBe('hello b.txt');
  });

  it('refuses an entry that does not compile', () => {
    const options = project();
    writeFileSync(join(options.root, 'entry.ts'), 'export const = ;\n');
    expect(() => bundleModule(options)).toThrow();
  });
});

describe('analysisWorkerBundle', () => {
  it('gives the analysis worker as one module of this project', () => {
    const url = analysisWorkerBundle();
    expect(url).not.toBeNull();
    const code = readFileSync(url!, 'utf8');
    expect(code).toContain('// src/analysis/parallel/worker.ts');
    expect(code).toMatch(/var AnalysisRunner = class/u);
    // Packages stay outside: the native segmenter is required from node_modules.
    expect(code).toContain('@node-rs/jieba');
  });
});
