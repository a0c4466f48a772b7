/*
 * The bulk commands (`concord analyze`, `concord import`) run in a process of their own, started with
 * V8's garbage collection kept on each thread: the launching process waits for it, and a signal that
 * ends the launcher ends it too. Linux only: the processes are looked for in /proc.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli.ts';

const BIN = new URL('../bin/concord.js', import.meta.url).pathname;

/** The processes whose parent is `parent`, with their command lines. */
function childrenOf(parent: number): { pid: number; args: string[] }[] {
  const children: { pid: number; args: string[] }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/u.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: the command name may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) {
        children.push({ pid: Number(entry), args: commandLine(Number(entry)) });
      }
    } catch {
      // The process ended while it was read.
    }
  }
  return children;
}

function commandLine(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

/**
 * The first child of `parent` once it runs a program of its own: until its exec is done, a child's
 * command line is a copy of its parent's, or empty while the new program is being loaded.
 */
async function waitForChild(parent: number): Promise<{ pid: number; args: string[] }> {
  const parentArgs = commandLine(parent).join('\0');
  let seen: string[] | undefined;
  for (let tries = 0; tries < 500; tries++) {
    const [child] = childrenOf(parent);
    seen = child?.args;
    if (child !== undefined && child.args.length > 0 && child.args.join('\0') !== parentArgs) {
      return child;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`process ${parent} started no program of its own (last seen: ${JSON.stringify(seen)})`);
}

/**
 * An input of one comment, and an output that is a named pipe nothing reads: an analysis of them waits
 * to open its output for as long as the test needs.
 */
function waitingAnalysis(dir: string, text: string): { input: string; output: string } {
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, `${JSON.stringify({ id: 'a', text })}\n`);
  const output = join(dir, 'out.jsonl');
  execFileSync('mkfifo', [output]);
  return { input, output };
}

describe.runIf(process.platform === 'linux')(
  'bulk commands in a process of their own',
  { timeout: 60_000 },
  () => {
    let dir = '';
    let launcher: ChildProcess | null = null;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'concord-bulk-'));
    });
    afterEach(() => {
      // A command left waiting on its pipe goes too, not only the launcher.
      if (launcher?.pid !== undefined) {
        for (const child of childrenOf(launcher.pid)) {
          process.kill(child.pid, 'SIGKILL');
        }
      }
      launcher?.kill('SIGKILL');
      launcher = null;
      rmSync(dir, { recursive: true, force: true });
    });

    it('starts `concord analyze` with its own collection, waits for it, and ends it with a signal', async () => {
      const { input, output } = waitingAnalysis(dir, '建议提高公交覆盖率。');
      const parent = spawn(process.execPath, [BIN, '--json', 'analyze', '--in', input, '--out', output], {
        stdio: 'ignore',
      });
      launcher = parent;
      const child = await waitForChild(parent.pid!);
      expect(child.args).toContain('--single-threaded-gc');
      expect(child.args.slice(-6)).toEqual(['--json', 'analyze', '--in', input, '--out', output]);
      expect(parent.exitCode).toBeNull();

      const exited = once(parent, 'exit');
      parent.kill('SIGTERM');
      const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
      expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
      expect(existsSync(`/proc/${child.pid}`)).toBe(false);
    });

    it('passes on the exit code and the output of the command it started', async () => {
      const missing = join(dir, 'missing.jsonl');
      const result = await runCli(['analyze', '--in', missing, '--out', join(dir, 'o')], {});
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`No such file: ${missing}`);
    });

    it('keeps a bulk command under a debugger in the process the debugger is attached to', async () => {
      const { input, output } = waitingAnalysis(dir, 'Add a bike lane.');
      const parent = spawn(
        process.execPath,
        ['--inspect=127.0.0.1:0', BIN, 'analyze', '--in', input, '--out', output],
        { stdio: 'ignore' },
      );
      launcher = parent;
      const seen: string[][] = [];
      for (let look = 0; look < 50; look++) {
        seen.push(...childrenOf(parent.pid!).map((child) => child.args));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // A child forked for a program of its own (esbuild, under tsx) shows the parent's command line
      // until its exec is done; a relaunch of the command would carry --single-threaded-gc.
      const own = ['--inspect=127.0.0.1:0', BIN, 'analyze', '--in', input, '--out', output].join('\0');
      const relaunched = seen.filter((args) => args.includes(BIN) && args.slice(1).join('\0') !== own);
      expect(relaunched).toEqual([]);
      // Still waiting for the output pipe: the analysis itself runs here.
      expect(parent.exitCode).toBeNull();
    });

    it('runs other commands in the launching process itself', async () => {
      const parent = spawn(process.execPath, [BIN, '--help'], { stdio: ['ignore', 'pipe', 'ignore'] });
      launcher = parent;
      let stdout = '';
      parent.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const seen: string[][] = [];
      const watch = setInterval(() => seen.push(...childrenOf(parent.pid!).map((c) => c.args)), 5);
      const [code] = (await once(parent, 'exit')) as [number | null];
      clearInterval(watch);
      expect(code).toBe(0);
      expect(stdout).toContain('analyze');
      expect(seen.filter((args) => args.includes(BIN))).toEqual([]);
    });
  },
);
