import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { AppError } from '../domain/errors.ts';
import type { Database } from '../server/db/database.ts';
import type { CommentImportProgress, ImportedComment } from '../server/services/comment-import.service.ts';
import { CLI_ACTOR } from '../server/services/context.ts';
import type { Services } from '../server/services/index.ts';
import type { Output } from './output.ts';
import { estimateRecordCount, fieldText, readRecordBatches, resolveFields } from './records.ts';

const PHASES: Record<CommentImportProgress['phase'], string> = {
  analyze: 'analysing',
  verify: 'verifying',
  cluster: 'grouping ',
  link: 'linking  ',
  write: 'analysing',
  store: 'storing  ',
};

/** A progress bar on stderr when it is a terminal; otherwise a line per phase and per tenth. */
export function progressReporter(out: Output): {
  update: (phase: string, done: number, total: number) => void;
  stop: () => void;
} {
  if (out.json) {
    return { update: () => undefined, stop: () => undefined };
  }
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: '{phase} {bar} {percentage}% {value}/{total} {eta_formatted}', stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    let current = '';
    return {
      update(phase, done, total) {
        if (phase !== current) {
          if (current) {
            bar.stop();
          }
          current = phase;
          bar.start(total, done, { phase });
        } else {
          bar.update(done, { phase });
        }
      },
      stop: () => (current ? bar.stop() : undefined),
    };
  }
  let last = '';
  return {
    update(phase, done, total) {
      const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
      const key = `${phase}:${tenth}`;
      if (key !== last) {
        last = key;
        process.stderr.write(`${phase.trim()} ${done}/${total}\n`);
      }
    },
    stop: () => undefined,
  };
}

/**
 * The comments of a CSV or JSON Lines file, a batch at a time as it is read: one per record, its text and
 * (when present) its id.
 */
export async function* readComments(
  path: string,
  fields: { textField?: string; idField?: string },
): AsyncGenerator<ImportedComment[]> {
  let resolved: { textField: string; idField: string | null } | null = null;
  for await (const batch of readRecordBatches(path)) {
    const comments: ImportedComment[] = [];
    for (const { record, line } of batch) {
      resolved ??= resolveFields(record, fields, path);
      const text = fieldText(record[resolved.textField]);
      if (text === null) {
        throw new AppError(
          'validation_failed',
          `Record ${line} of ${path} has no text in "${resolved.textField}".`,
          {
            field: resolved.textField,
            line,
          },
        );
      }
      const ref = resolved.idField === null ? null : fieldText(record[resolved.idField]);
      comments.push({ ref: ref === null || ref === '' ? null : ref, text });
    }
    yield comments;
  }
}

/** `concord import comments --round ID FILE`: bulk intake of public comments, analysed on the way in. */
export function registerImportCommands(
  program: Command,
  tools: {
    withServices: <T>(fn: (services: Services, database: Database) => Promise<T>) => Promise<T>;
    output: () => Output;
  },
): void {
  const importing = program.command('import').description('bulk intake');
  importing
    .command('comments')
    .description('import public comments (CSV or JSON Lines) into a public round, analysed on the way in')
    .argument('<file>', 'CSV with a header row, or JSON Lines')
    .requiredOption('--round <id>', 'round id')
    .option('--text-field <name>', 'field holding the comment (default: text, comment, content, 意见 …)')
    .option('--id-field <name>', 'field holding the comment’s own id; comments already imported are skipped')
    .option(
      '--links',
      'store the near-duplicate links the clusters keep apart too (merge suggestions; otherwise the round’s next analysis finds them)',
    )
    .option('--workers <n>', 'worker threads for the analysis (default: one per core)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 64) {
        throw new AppError('validation_failed', '--workers takes a whole number from 1 to 64.', {
          field: 'workers',
        });
      }
      return n;
    })
    .action(
      async (
        file: string,
        opts: { round: string; textField?: string; idField?: string; workers?: number; links?: boolean },
      ) => {
        const out = tools.output();
        const progress = progressReporter(out);
        try {
          const expected = await estimateRecordCount(file);
          const comments = readComments(file, {
            ...(opts.textField ? { textField: opts.textField } : {}),
            ...(opts.idField ? { idField: opts.idField } : {}),
          });
          // Loaded here: the import service is not needed by the other commands.
          const [{ CommentImportService }, { withSoleAccess }] = await Promise.all([
            import('../server/services/comment-import.service.ts'),
            import('../server/db/sole-access.ts'),
          ]);
          await tools.withServices(async (services, database) => {
            // An SQLite file nothing else is using is written without its write-ahead log (sole-access.ts).
            const result = await withSoleAccess(database, () =>
              new CommentImportService(services.ctx, services.plans, services.analysis).importComments(
                CLI_ACTOR,
                opts.round,
                comments,
                {
                  expected,
                  source: file,
                  ...(opts.workers ? { workers: opts.workers } : {}),
                  links: opts.links === true,
                  onProgress: (p) => progress.update(PHASES[p.phase], p.done, p.total),
                },
              ),
            );
            progress.stop();
            out.result(result, () =>
              [
                `Imported ${result.imported} comments into round ${result.roundId}` +
                  (result.firstRegNo ? ` (${result.firstRegNo} … ${result.lastRegNo})` : '') +
                  (result.skipped ? `; ${result.skipped} already there, skipped` : ''),
                `Near-duplicate clusters: ${result.clusters}` +
                  (result.largestClusters.length ? ` (largest ${result.largestClusters.join(', ')})` : '') +
                  `; exact duplicates: ${result.exactDuplicates}` +
                  (opts.links === true ? `; near-duplicate links: ${result.links}` : ''),
              ].join('\n'),
            );
          });
        } finally {
          progress.stop();
        }
      },
    );
}
