/*
 * `concord import comments` of a corpus file into a fresh SQLite database, analysed on the way in: wall
 * time from spawn to exit, peak resident memory (`/usr/bin/time -v` when present) and what it stored.
 * Target for a million comments: ≤ 120 s. Then the round's analysis job over what was imported, as a
 * server runs it, and the longest its event loop went without a turn meanwhile; then once more, when it
 * finds nothing new.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { loadConfig } from '../src/server/config.ts';
import { createServices } from '../src/server/services/index.ts';
import { createBenchRound } from './fixtures.ts';

const BIN = new URL('../bin/concord.js', import.meta.url).pathname;

export interface CommentImportFigures {
  wallSeconds: number;
  cpuSeconds: number | null;
  peakMiB: number | null;
  databaseMiB: number;
  imported: number;
  clusters: number;
  largestClusters: number[];
  exactDuplicates: number;
  /** Near-duplicate links stored. */
  links: number;
  /**
   * The round's analysis job afterwards, as a server runs it on a submission (`processRound`): its wall
   * time, and the longest stretch it kept this thread from anything else (a server's requests wait that
   * long).
   */
  roundJob: {
    wallSeconds: number;
    longestStallMs: number;
    /** Whether it wrote anything: the links an import leaves to it, or what the import got wrong. */
    changed: boolean;
  };
  /** The same job run again at once, with nothing new to find: what each later submission costs. */
  roundJobAgain: CommentImportFigures['roundJob'];
  target: { wallSeconds: number };
  targetMet: boolean;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

export async function benchCommentImport(file: string): Promise<CommentImportFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'concord-import-'));
  try {
    const url = `sqlite:${join(dir, 'concord.db')}`;
    const database = openDatabase(url, { poolSize: 1 });
    let roundId: string;
    try {
      await migrateToLatest(database);
      const round = await createBenchRound(database, {
        units: 0,
        articles: 20,
        status: 'open',
        title: '公开征求意见',
      });
      await database.db
        .updateTable('round')
        .set({ kind: 'public' })
        .where('id', '=', round.roundId)
        .execute();
      roundId = round.roundId;
    } finally {
      await database.close();
    }
    const timed = existsSync('/usr/bin/time');
    const command = timed ? '/usr/bin/time' : process.execPath;
    const args = [
      ...(timed ? ['-v', process.execPath] : []),
      BIN,
      '--json',
      'import',
      'comments',
      '--round',
      roundId,
      file,
    ];
    const start = performance.now();
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile(
        command,
        args,
        {
          env: { ...process.env, CONCORD_DATABASE_URL: url, CONCORD_LOG_LEVEL: 'warn' },
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, out, err) =>
          error
            ? reject(new Error(`concord import comments failed: ${err.slice(-2000) || error.message}`))
            : resolve({ stdout: out, stderr: err }),
      );
    });
    const wallSeconds = round2((performance.now() - start) / 1000);
    const field = (name: string): number | null => {
      const match = new RegExp(`${name}: ([\\d.]+)`, 'u').exec(stderr);
      return match ? Number(match[1]) : null;
    };
    const user = field('User time \\(seconds\\)');
    const system = field('System time \\(seconds\\)');
    const rssKb = field('Maximum resident set size \\(kbytes\\)');
    const result = JSON.parse(stdout) as {
      imported: number;
      clusters: number;
      largestClusters: number[];
      exactDuplicates: number;
      links: number;
    };
    const roundJob = await measureRoundJob(url, roundId);
    const roundJobAgain = await measureRoundJob(url, roundId);
    const target = { wallSeconds: 120 };
    return {
      wallSeconds,
      cpuSeconds: user === null || system === null ? null : round2(user + system),
      peakMiB: rssKb === null ? null : Math.round(rssKb / 1024),
      databaseMiB: Math.round(statSync(join(dir, 'concord.db')).size / 2 ** 20),
      imported: result.imported,
      clusters: result.clusters,
      largestClusters: result.largestClusters,
      exactDuplicates: result.exactDuplicates,
      links: result.links,
      roundJob,
      roundJobAgain,
      target,
      targetMet: wallSeconds <= target.wallSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the round's analysis job in this process, as the server's job worker would, and measures how long
 * the event loop went without a turn meanwhile: a timer asks every 20 ms.
 */
async function measureRoundJob(url: string, roundId: string): Promise<CommentImportFigures['roundJob']> {
  // As the server opens it (server/main.ts): its write-ahead log is checkpointed on a thread of its own,
  // not by the commit that fills it.
  const database = openDatabase(url, { poolSize: 1, backgroundCheckpoint: true });
  try {
    const services = createServices({
      database,
      config: loadConfig({ CONCORD_DATABASE_URL: url, CONCORD_LOG_LEVEL: 'warn' }),
    });
    let last = performance.now();
    let longest = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 20);
    const start = performance.now();
    try {
      const result = await services.analysis.processRound(roundId, { reanalyze: false });
      longest = Math.max(longest, performance.now() - last);
      return {
        wallSeconds: round2((performance.now() - start) / 1000),
        longestStallMs: Math.round(longest),
        changed: result?.changed ?? false,
      };
    } finally {
      clearInterval(timer);
    }
  } finally {
    await database.close();
  }
}
