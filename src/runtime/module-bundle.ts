/*
 * A module of the TypeScript sources and the project modules it imports as one JavaScript file, made
 * with esbuild, for a worker thread: a worker that loads the sources through the TypeScript loader spends
 * over a second resolving and compiling some thirty modules before its first task; bundled, the same
 * code loads in a fraction of that. A bundle is named by a hash of its inputs' contents (listed beside
 * it) and made again when one of them changes. Packages stay outside the bundle and resolve from
 * node_modules as before.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

interface Manifest {
  hash: string;
  /** Inputs of the bundle, relative to the project's root. */
  inputs: string[];
}

export interface BundleOptions {
  /** The project's root: inputs are recorded relative to it, packages resolve from its node_modules. */
  root: string;
  /** The entry module (absolute path). */
  entry: string;
  /** Directory of the bundles and their manifest. */
  cache: string;
  /** Name of the bundle's files: `<name>-<hash>.mjs` and `<name>.json`. */
  name: string;
}

interface EsbuildModule {
  version: string;
  buildSync(options: Record<string, unknown>): {
    outputFiles?: { text: string }[];
    metafile?: { inputs: Record<string, unknown> };
  };
}

function hashOf(root: string, inputs: readonly string[], version: string): string {
  const hash = createHash('sha256').update(`esbuild ${version}\n`);
  for (const input of inputs) {
    hash
      .update(`${input}\n`)
      .update(readFileSync(join(root, input)))
      .update('\n');
  }
  return hash.digest('hex').slice(0, 20);
}

const bundleFile = (options: BundleOptions, hash: string): string =>
  join(options.cache, `${options.name}-${hash}.mjs`);
const manifestFile = (options: BundleOptions): string => join(options.cache, `${options.name}.json`);

/** The bundle named in the manifest, if every input still has the contents it was made from. */
function current(options: BundleOptions, version: string): string | null {
  try {
    const manifest = JSON.parse(readFileSync(manifestFile(options), 'utf8')) as Manifest;
    const file = bundleFile(options, manifest.hash);
    return existsSync(file) && hashOf(options.root, manifest.inputs, version) === manifest.hash ? file : null;
  } catch {
    return null;
  }
}

/** Writes a file whole or not at all (other processes may be reading or writing the same name). */
function writeAtomically(file: string, data: string): void {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(temporary, data);
  renameSync(temporary, file);
}

function build(options: BundleOptions, esbuild: EsbuildModule): string {
  const result = esbuild.buildSync({
    absWorkingDir: options.root,
    entryPoints: [options.entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    outfile: join(options.cache, `${options.name}.mjs`),
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles?.[0]?.text;
  // Relative to the working directory, the project's root.
  const inputs = Object.keys(result.metafile?.inputs ?? {});
  if (code === undefined || inputs.length === 0) {
    throw new Error('esbuild returned no bundle');
  }
  const hash = hashOf(options.root, inputs, esbuild.version);
  mkdirSync(options.cache, { recursive: true });
  const file = bundleFile(options, hash);
  writeAtomically(file, code);
  writeAtomically(manifestFile(options), JSON.stringify({ hash, inputs } satisfies Manifest));
  // Earlier bundles are of no more use (one being loaded elsewhere is already read: unlinking is safe).
  for (const name of readdirSync(options.cache)) {
    if (name.startsWith(`${options.name}-`) && join(options.cache, name) !== file) {
      rmSync(join(options.cache, name), { force: true });
    }
  }
  return file;
}

/**
 * The path of a bundle of `entry` and the project modules it imports, up to date with their contents:
 * the cached one, or one made now. Throws when esbuild is absent or the cache cannot be written.
 */
export function bundleModule(options: BundleOptions): string {
  const esbuild = createRequire(import.meta.url)('esbuild') as EsbuildModule;
  return current(options, esbuild.version) ?? build(options, esbuild);
}
