import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDatabase } from '../src/server/db/database.ts';
import type { Database } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { describeCli, runCli } from './cli.ts';
import { createRound } from './consultation-factories.ts';
import type { TestRound } from './consultation-factories.ts';
import { chain } from './drifting-texts.ts';

const FORM_LETTER =
  'I support the proposed rule extending the STEM OPT program to twenty four months because it keeps talented graduates working in the United States and strengthens our economy.';

async function withDatabase<T>(
  url: string,
  given: Database | null,
  fn: (db: Database) => Promise<T>,
): Promise<T> {
  const database = given ?? openDatabase(url, { poolSize: 1 });
  try {
    await migrateToLatest(database);
    return await fn(database);
  } finally {
    if (!given) {
      await database.close();
    }
  }
}

function commentsFile(name: string, body: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'concord-comments-')), name);
  writeFileSync(path, body);
  return path;
}

describeCli('concord import comments', (target) => {
  const publicRound = (): Promise<TestRound> =>
    withDatabase(target().url, target().database, (db) =>
      createRound(db, { kind: 'public', status: 'open' }),
    );

  it('imports a CSV, analyses it on the way in and skips what it already has', async () => {
    const round = await publicRound();
    const rows = [
      ['c1', FORM_LETTER],
      ['c2', FORM_LETTER.replace('talented', 'very talented')],
      ['c3', FORM_LETTER],
      ['c4', '建议将2027年新能源汽车充电桩覆盖率提升至不低于90%，并明确各地市的建设责任。'],
      ['c5', '反对在老城区拓宽道路，会破坏历史街区风貌。'],
    ];
    const csv = `id,comment\n${rows.map(([id, text]) => `${id},"${text}"`).join('\n')}\n`;
    const file = commentsFile('comments.csv', csv);
    const env = { CONCORD_DATABASE_URL: target().url };

    const first = await runCli(
      ['import', 'comments', '--round', round.roundId, file, '--json', '--workers', '1'],
      env,
    );
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const result = first.json<{
      imported: number;
      skipped: number;
      clusters: number;
      largestClusters: number[];
      exactDuplicates: number;
      links: number;
    }>();
    expect(result).toMatchObject({
      imported: 5,
      skipped: 0,
      clusters: 1,
      largestClusters: [3],
      exactDuplicates: 1,
      links: 0,
    });

    await withDatabase(target().url, target().database, async (db) => {
      const opinions = await db.db
        .selectFrom('opinion')
        .leftJoin('opinion_analysis', 'opinion_analysis.opinion_id', 'opinion.id')
        .select([
          'opinion.external_ref',
          'opinion.reg_no',
          'opinion.status',
          'opinion.unit_id',
          'opinion_analysis.cluster_id',
          'opinion_analysis.figures',
          'opinion_analysis.duplicate_of',
        ])
        .where('opinion.round_id', '=', round.roundId)
        .orderBy('opinion.reg_no')
        .execute();
      expect(opinions.map((o) => o.external_ref)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
      expect(opinions.every((o) => o.status === 'submitted' && o.unit_id === null)).toBe(true);
      expect(opinions[0]!.reg_no).toMatch(/^\d+-P-0000001$/);
      // The three form letters share a cluster; the two Chinese comments stand alone.
      const clusterIds = opinions.map((o) => o.cluster_id);
      expect(clusterIds[0]).not.toBeNull();
      expect(clusterIds[1]).toBe(clusterIds[0]);
      expect(clusterIds[2]).toBe(clusterIds[0]);
      expect(clusterIds[3]).toBeNull();
      expect(opinions[2]!.duplicate_of).not.toBeNull();
      const figures = JSON.parse(opinions[3]!.figures!) as { value: number; unit: string }[];
      expect(figures.some((f) => f.value === 90 && f.unit === '%')).toBe(true);
      const cluster = await db.db
        .selectFrom('duplicate_cluster')
        .selectAll()
        .where('round_id', '=', round.roundId)
        .execute();
      expect(cluster).toHaveLength(1);
      expect(cluster[0]!.size).toBe(3);
      const events = await db.db
        .selectFrom('ledger_event')
        .select(['event'])
        .where('event', '=', 'comments.imported')
        .execute();
      expect(events).toHaveLength(1);
    });

    const again = await runCli(
      ['import', 'comments', '--round', round.roundId, file, '--json', '--workers', '1'],
      env,
    );
    expect(again.code).toBe(0);
    expect(again.json()).toMatchObject({ imported: 0, skipped: 5 });
  });

  it('imports beside a server that has the database open, and leaves the file shared', async () => {
    const round = await publicRound();
    const file = commentsFile(
      'beside.jsonl',
      [FORM_LETTER, FORM_LETTER.replace('talented', 'gifted'), '反对在老城区拓宽道路，会破坏历史街区风貌。']
        .map((text, k) => JSON.stringify({ id: `b${k}`, text }))
        .join('\n'),
    );
    // Held open (and read) for the whole import, as a running server holds it.
    const server = target().database ?? openDatabase(target().url, { poolSize: 1 });
    try {
      const opinions = () =>
        server.db.selectFrom('opinion').select('id').where('round_id', '=', round.roundId).execute();
      expect(await opinions()).toHaveLength(0);
      const run = await runCli(
        ['import', 'comments', '--round', round.roundId, file, '--json', '--workers', '1'],
        { CONCORD_DATABASE_URL: target().url },
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.json()).toMatchObject({ imported: 3, clusters: 1 });
      expect(await opinions()).toHaveLength(3);
      if (server.sqlite !== null) {
        expect(server.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      }
    } finally {
      if (target().database === null) {
        await server.close();
      }
    }
  });

  it('stores and reports the near-duplicate links the clusters keep apart, with --links', async () => {
    const round = await publicRound();
    // A letter and two edits of it, each similar to it and not to the other: one joins its cluster.
    const texts = chain();
    const file = commentsFile(
      'chain.jsonl',
      texts.map((text, k) => JSON.stringify({ id: `t${k}`, text })).join('\n'),
    );
    const env = { CONCORD_DATABASE_URL: target().url };
    const run = await runCli(
      ['import', 'comments', '--round', round.roundId, file, '--workers', '1', '--links'],
      env,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Near-duplicate clusters: 1 (largest 2)');
    expect(run.stdout).toContain('near-duplicate links: 1');
    await withDatabase(target().url, target().database, async (db) => {
      const links = await db.db
        .selectFrom('duplicate_link')
        .innerJoin('opinion as a', 'a.id', 'duplicate_link.opinion_id')
        .innerJoin('opinion as b', 'b.id', 'duplicate_link.similar_id')
        .select(['a.external_ref as earlier', 'b.external_ref as later'])
        .where('duplicate_link.round_id', '=', round.roundId)
        .execute();
      expect(links).toEqual([{ earlier: 't0', later: 't2' }]);
    });
    // Without --links, none are looked for.
    const other = await publicRound();
    const plain = await runCli(['import', 'comments', '--round', other.roundId, file, '--workers', '1'], env);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain('links');
    await withDatabase(target().url, target().database, async (db) => {
      const links = await db.db
        .selectFrom('duplicate_link')
        .select('opinion_id')
        .where('round_id', '=', other.roundId)
        .execute();
      expect(links).toEqual([]);
    });
  });

  it('reads JSON Lines with named fields and refuses bad input with a clear message', async () => {
    const round = await publicRound();
    const env = { CONCORD_DATABASE_URL: target().url };
    const jsonl = commentsFile(
      'comments.jsonl',
      [
        { no: 1, body: '支持开放二胎政策' },
        { no: 2, body: '😀 emoji only 表情' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const ok = await runCli(
      [
        'import',
        'comments',
        '--round',
        round.roundId,
        jsonl,
        '--text-field',
        'body',
        '--id-field',
        'no',
        '--json',
        '--workers',
        '1',
      ],
      env,
    );
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({ imported: 2 });

    const missingField = await runCli(
      ['import', 'comments', '--round', round.roundId, jsonl, '--text-field', 'nope'],
      env,
    );
    expect(missingField.code).toBe(1);
    expect(missingField.stderr).toContain('"nope"');

    const broken = commentsFile('broken.jsonl', '{"text": "好"}\n{not json}\n');
    const bad = await runCli(['import', 'comments', '--round', round.roundId, broken], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Line 2');

    const missing = await runCli(
      ['import', 'comments', '--round', round.roundId, '/nonexistent/comments.csv'],
      env,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No such file');

    const internal = await withDatabase(target().url, target().database, (db) =>
      createRound(db, { status: 'open' }),
    );
    const refused = await runCli(
      ['import', 'comments', '--round', internal.roundId, jsonl, '--text-field', 'body'],
      env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('public rounds');

    await withDatabase(target().url, target().database, async (db) => {
      const count = await db.db
        .selectFrom('opinion')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('round_id', '=', internal.roundId)
        .where('unit_id', 'is', null)
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(0);
    });
  });
});
