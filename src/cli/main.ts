import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { AppError } from '../domain/errors.ts';
import { loadConfig } from '../server/config.ts';
import type { Database } from '../server/db/database.ts';
import type { Role } from '../server/db/schema.ts';
import { ROLES } from '../server/db/schema.ts';
import { newSecret } from '../server/lib/ids.ts';
import { CLI_ACTOR } from '../server/services/context.ts';
import type { ClauseNode } from '../server/services/draft.service.ts';
import type { Services } from '../server/services/index.ts';
import { registerAnalyzeCommand } from './analyze-command.ts';
import { registerImportCommands } from './import-comments-command.ts';
import { registerIntegrationCommands } from './integration-commands.ts';
import type { Output } from './output.ts';
import { createOutput, reportError } from './output.ts';
import type { DemoResult } from '../demo/load-demo.ts';

const program = new Command();
program
  .name('concord')
  .description('Concord (共识): solicit and integrate opinions on draft plans')
  .option('--json', 'print one JSON document')
  .showHelpAfterError()
  .exitOverride();

const output = (): Output => createOutput(Boolean(program.opts<{ json?: boolean }>().json));

async function readInput(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError(
      'bad_request',
      code === 'ENOENT' ? `No such file: ${path}` : `Cannot read ${path}: ${code ?? 'error'}`,
      {
        field: 'FILE',
      },
    );
  }
}

/*
 * The database, the services and the demonstration are loaded by the commands that use them: a command
 * such as `analyze` starts without them.
 */
const loadDatabase = () => import('../server/db/database.ts');
const loadMigrations = () => import('../server/db/migrate.ts');
const loadDemoModule = () => import('../demo/load-demo.ts');

/** Opens the configured database, migrated, with the services over it, for one command. */
async function withServices<T>(fn: (services: Services, database: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const [{ openDatabase }, { migrateToLatest }, { createServices }] = await Promise.all([
    loadDatabase(),
    loadMigrations(),
    import('../server/services/index.ts'),
  ]);
  const database = openDatabase(config.databaseUrl, { poolSize: 2 });
  try {
    await migrateToLatest(database);
    return await fn(createServices({ database, config }), database);
  } finally {
    await database.close();
  }
}

/** Finds a unit by its code or id. */
async function resolveUnit(services: Services, ref: string): Promise<string> {
  const units = await services.units.listUnits(CLI_ACTOR);
  const unit = units.find((u) => u.code === ref || u.id === ref);
  if (!unit) {
    throw new AppError('validation_failed', `Unknown unit "${ref}" (give its code or id).`, {
      field: 'unit',
    });
  }
  return unit.id;
}

program
  .command('serve')
  .description('start the HTTP server (port from PORT, default 3000)')
  .option('--demo', 'load the demonstration into an empty database first')
  .action(async (opts: { demo?: boolean }) => {
    const out = output();
    if (opts.demo) {
      const { isEmptyWorkspace, loadDemo } = await loadDemoModule();
      await withServices(async (_services, database) => {
        if (await isEmptyWorkspace(database)) {
          printDemo(
            out,
            await loadDemo({ database, config: loadConfig(), onProgress: (s) => out.info(`demo: ${s}`) }),
          );
        } else {
          out.info('demo: the database already has plans; not loading the demonstration.');
        }
      });
    }
    const { ensureWebBuilt } = await import('../server/web-build.ts');
    await ensureWebBuilt(() => out.info('Building the web app (first start, or its sources changed)…'));
    const { startServer } = await import('../server/main.ts');
    const server = await startServer(loadConfig());
    if (server.firstAdmin) {
      out.info(
        `\nFirst administrator created. Sign in as "${server.firstAdmin.login}" with the one-time password:\n\n    ${server.firstAdmin.password}\n\nYou will be asked to change it.\n`,
      );
    }
    out.info(
      `Concord is listening on ${server.url} (database: ${server.database.dialect}); API reference at ${server.url}/api/docs`,
    );
    const shutdown = (): void => {
      void server.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });

function printDemo(out: Output, result: DemoResult): void {
  out.result({ plans: result.plans, logins: result.logins }, () =>
    [
      `Demonstration loaded: plan ${result.plans[0]?.id ?? ''}, ${result.opinions} opinions in two rounds.`,
      'Sign in with any of these accounts:',
      ...result.logins.map(
        (l) => `  ${l.username.padEnd(18)} ${l.password.padEnd(14)} ${l.role.padEnd(10)} ${l.unit}`,
      ),
    ].join('\n'),
  );
}

program
  .command('demo')
  .description(
    'load a realistic demonstration (a provincial 十五五 plan, 16 units, two rounds) into an empty database',
  )
  .action(async () => {
    const out = output();
    const { loadDemo } = await loadDemoModule();
    await withServices(async (_services, database) => {
      printDemo(
        out,
        await loadDemo({ database, config: loadConfig(), onProgress: (s) => out.info(`demo: ${s}`) }),
      );
    });
  });

const db = program.command('db').description('database maintenance');
db.command('migrate')
  .description('apply pending migrations')
  .action(async () => {
    const config = loadConfig();
    const [{ openDatabase }, { migrateToLatest }] = await Promise.all([loadDatabase(), loadMigrations()]);
    const database = openDatabase(config.databaseUrl, { poolSize: 1 });
    try {
      const applied = await migrateToLatest(database);
      output().result({ applied, dialect: database.dialect }, () =>
        applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.',
      );
    } finally {
      await database.close();
    }
  });

const user = program.command('user').description('accounts');
user
  .command('create')
  .description('create an account')
  .requiredOption('--login <login>', 'login name')
  .requiredOption('--name <name>', 'display name')
  .addOption(new Option('--role <role...>', 'roles').choices(ROLES as string[]).makeOptionMandatory())
  .option('--unit <unit>', 'unit code or id')
  .option('--email <email>', 'e-mail address')
  .option('--password <password>', 'initial password (default: a generated one-time password)')
  .action(
    async (opts: {
      login: string;
      name: string;
      role: Role[];
      unit?: string;
      email?: string;
      password?: string;
    }) => {
      await withServices(async (services) => {
        const generated = opts.password ? null : newSecret(12);
        const created = await services.users.createUser(CLI_ACTOR, {
          login: opts.login,
          name: opts.name,
          roles: opts.role,
          email: opts.email ?? null,
          unitId: opts.unit ? await resolveUnit(services, opts.unit) : null,
          password: opts.password ?? generated!,
          mustChangePassword: generated !== null,
        });
        output().result(
          { id: created.id, login: created.login, ...(generated ? { password: generated } : {}) },
          () =>
            generated
              ? `Created ${created.login} (${created.id}); one-time password: ${generated}`
              : `Created ${created.login} (${created.id})`,
        );
      });
    },
  );

const unit = program.command('unit').description('units (单位)');
unit
  .command('import')
  .description('import or update units from a CSV file (code,name,parent_code,level,areas,keywords)')
  .argument('<file>', 'CSV file')
  .action(async (file: string) => {
    const data = await readInput(file);
    await withServices(async (services) => {
      const result = await services.units.importUnits(CLI_ACTOR, data);
      output().result(
        result,
        () => `Imported ${file}: ${result.created} created, ${result.updated} updated.`,
      );
    });
  });

const plan = program.command('plan').description('plans (规划)');
plan
  .command('create')
  .description('start a plan')
  .requiredOption('--name <name>', 'plan name')
  .option('--description <text>', 'description')
  .option('--unit <unit>', 'lead unit code or id')
  .action(async (opts: { name: string; description?: string; unit?: string }) => {
    await withServices(async (services) => {
      const created = await services.plans.createPlan(CLI_ACTOR, {
        name: opts.name,
        description: opts.description ?? null,
        ownerUnitId: opts.unit ? await resolveUnit(services, opts.unit) : null,
      });
      output().result({ id: created.id }, () => `Created plan ${created.id}: ${created.name}`);
    });
  });

const draft = program.command('draft').description('draft versions (草案)');
draft
  .command('import')
  .description("import a .docx, Markdown or text file as the plan's next version")
  .requiredOption('--plan <id>', 'plan id')
  .option('--label <label>', 'version label (default v1, v2 …)')
  .argument('<file>', 'the draft')
  .action(async (file: string, opts: { plan: string; label?: string }) => {
    const data = await readInput(file);
    await withServices(async (services) => {
      const result = await services.drafts.importVersion(CLI_ACTOR, {
        planId: opts.plan,
        fileName: basename(file),
        data,
        ...(opts.label ? { label: opts.label } : {}),
      });
      for (const warning of result.warnings) {
        output().info(`warning: ${warning}`);
      }
      const doc = { versionId: result.version.id, counts: result.counts, match: result.match };
      output().result(doc, () => {
        const counts = Object.entries(result.counts)
          .map(([kind, n]) => `${kind} ${n}`)
          .join(', ');
        const match = result.match
          ? `\nmatched ${result.match.matched}, changed ${result.match.changed}, new ${result.match.new}, removed ${result.match.removed}, uncertain ${result.match.uncertain}`
          : '';
        return `Imported ${file} as ${result.version.label} (${result.version.id}): ${counts}${match}`;
      });
    });
  });

const printTree = (nodes: ClauseNode[], depth = 0): string[] =>
  nodes.flatMap((n) => [
    `${'  '.repeat(depth)}${[n.number, n.heading].filter(Boolean).join(' ')}${n.text ? ` ${n.text.split('\n')[0]!.slice(0, 60)}` : ''}`,
    ...printTree(n.children, depth + 1),
  ]);

const strip = (nodes: ClauseNode[]): unknown[] =>
  nodes.map((n) => ({
    id: n.id,
    stableId: n.stableId,
    kind: n.kind,
    number: n.number,
    heading: n.heading,
    text: n.text,
    children: strip(n.children),
  }));

draft
  .command('show')
  .description('print a version as a clause tree')
  .argument('<version>', 'version id')
  .action(async (versionId: string) => {
    await withServices(async (services) => {
      const { clauses } = await services.drafts.getClauseTree(CLI_ACTOR, versionId);
      output().result({ clauses: strip(clauses) }, () => printTree(clauses).join('\n'));
    });
  });

const ledger = program.command('ledger').description('the hash-chained ledger (存证)');
ledger
  .command('verify')
  .description('walk the chain; exit non-zero naming the first altered, inserted or removed event')
  .action(async () => {
    const out = output();
    await withServices(async (services) => {
      const bar =
        !out.json && process.stderr.isTTY
          ? new cliProgress.SingleBar(
              { format: 'verifying {bar} {value}/{total}', stream: process.stderr },
              cliProgress.Presets.shades_classic,
            )
          : null;
      let started = false;
      const result = await services.ledger.verify((checked, total) => {
        if (bar && !started) {
          bar.start(total, 0);
          started = true;
        }
        bar?.update(checked);
      });
      bar?.stop();
      out.result(result, () =>
        result.ok
          ? `Ledger intact: ${result.checked} events verified (${result.alg.join(', ') || 'empty'}).`
          : `Ledger BROKEN at event ${result.break!.seq}: ${result.break!.message}`,
      );
      if (!result.ok) {
        process.stderr.write(
          `concord: ledger broken at event ${result.break!.seq}: ${result.break!.message}\n`,
        );
        process.exitCode = 1;
      }
    });
  });

registerIntegrationCommands(program, { withServices, output, resolveUnit });
registerImportCommands(program, { withServices, output });
registerAnalyzeCommand(program, { output });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    process.exitCode = reportError(error, Boolean(program.opts<{ json?: boolean }>().json));
  }
}
