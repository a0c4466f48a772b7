#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader, so `npx concord` always matches src/.
import { spawn } from 'node:child_process';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

/*
 * The bulk commands keep every core busy with analysis threads. V8's own helper threads for garbage
 * collection (parallel scavenges, concurrent marking and sweeping) would take turns on the same cores,
 * at a cost: these commands run with each thread collecting its own garbage. V8 takes that setting only
 * when the process starts, so they run in a process of their own, started with it.
 */
const BULK_COMMANDS = new Set(['analyze', 'import']);
const OWN_GC = '--single-threaded-gc';

const args = process.argv.slice(2);
const command = args.find((arg) => !arg.startsWith('-'));

/** Under a debugger (`node --inspect …`) the command runs here, where the debugger is. */
const debugged = process.execArgv.some((arg) => arg.startsWith('--inspect'));

if (command !== undefined && BULK_COMMANDS.has(command) && !debugged && !process.execArgv.includes(OWN_GC)) {
  const child = spawn(
    process.execPath,
    [...process.execArgv, OWN_GC, fileURLToPath(import.meta.url), ...args],
    { stdio: 'inherit' },
  );
  /** @param {NodeJS.Signals} signal */
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, forward);
  }
  child.on('error', (error) => {
    process.stderr.write(`concord: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal !== null) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
