import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { AppError } from '../domain/errors.ts';
import type { Database } from '../server/db/database.ts';
import { CLI_ACTOR } from '../server/services/context.ts';
import type { ExportFormat, ExportKind } from '../server/services/export-kinds.ts';
import { EXPORT_KINDS } from '../server/services/export-kinds.ts';
import type { Services } from '../server/services/index.ts';
import type { Output } from './output.ts';

const percent = (value: number | null): string => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);

/** `concord export` and `concord metrics`: the round's documents and figures. */
export function registerIntegrationCommands(
  program: Command,
  tools: {
    withServices: <T>(fn: (services: Services, database: Database) => Promise<T>) => Promise<T>;
    output: () => Output;
    resolveUnit: (services: Services, ref: string) => Promise<string>;
  },
): void {
  program
    .command('export')
    .description('export a round: opinions, dispositions, comparison, revision, report or ledger')
    .addArgument(program.createArgument('<kind>', 'what to export').choices([...EXPORT_KINDS]))
    .requiredOption('--round <id>', 'round id')
    .addOption(new Option('--format <format>', 'file format').choices(['xlsx', 'docx', 'jsonl']))
    .option('--unit <unit>', 'only this unit’s rows (code or id)')
    .requiredOption('--out <file>', 'where to write the file')
    .action(
      async (
        kind: ExportKind,
        opts: { round: string; format?: ExportFormat; unit?: string; out: string },
      ) => {
        await tools.withServices(async (services) => {
          const file = await services.exports.exportRound(CLI_ACTOR, {
            roundId: opts.round,
            kind,
            ...(opts.format ? { format: opts.format } : {}),
            ...(opts.unit ? { unitId: await tools.resolveUnit(services, opts.unit) } : {}),
          });
          try {
            await writeFile(opts.out, file.data);
          } catch (error) {
            throw new AppError(
              'bad_request',
              `Cannot write ${opts.out}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
              {
                field: 'out',
              },
            );
          }
          tools
            .output()
            .result(
              { file: opts.out, bytes: file.data.length },
              () => `Wrote ${file.fileName} to ${opts.out} (${file.data.length} bytes)`,
            );
        });
      },
    );

  program
    .command('metrics')
    .description('the consultation metrics (参与率, 回收率, 采纳率, 满意度 …) of a round or a plan')
    .option('--round <id>', 'round id')
    .option('--plan <id>', 'plan id')
    .action(async (opts: { round?: string; plan?: string }) => {
      if (!opts.round === !opts.plan) {
        throw new AppError('validation_failed', 'Give exactly one of --round and --plan.', {
          field: 'round',
        });
      }
      await tools.withServices(async (services) => {
        const metrics = opts.round
          ? await services.metrics.roundMetrics(CLI_ACTOR, opts.round)
          : await services.metrics.planMetrics(CLI_ACTOR, opts.plan!);
        tools
          .output()
          .result(metrics, () =>
            [
              `参与率 ${percent(metrics.participationRate)}  回收率 ${percent(metrics.onTimeRate)}  有效意见占比 ${percent(metrics.validOpinionRatio)}`,
              `采纳率 ${percent(metrics.adoptionRate)}  满意度 ${percent(metrics.satisfaction)}  征求周期 ${metrics.solicitationDays ?? '—'} 天  整合周期 ${metrics.integrationDays ?? '—'} 天`,
              `异议 ${metrics.objections.raised}: 维持 ${metrics.objections.upheld}, 改变 ${metrics.objections.changed}, 仍有分歧 ${metrics.objections.dissent}`,
              ...metrics.byUnit.map(
                (u) =>
                  `  ${u.name}: 回复 ${u.sent}/${u.invited}, 意见 ${u.opinions}, 有效 ${u.valid}, 采纳 ${u.adopted + u.partiallyAdopted}, 得分 ${u.score ?? '—'}`,
              ),
            ].join('\n'),
          );
      });
    });
}
