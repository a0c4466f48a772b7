import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { expect, it } from 'vitest';
import { describeCli, runCli } from './cli.ts';

const DRAFT = [
  '# 示范办法',
  '',
  '## 第一章 总则',
  '',
  '第一条 为了规范工作，制定本办法。',
  '',
  '第二条 本办法适用于：',
  '',
  '（一）省级部门；',
  '',
  '（二）市级部门。',
  '',
  '## 第二章 附则',
  '',
  '第三条 本办法自发布之日起施行。',
].join('\n');

function tempFile(name: string, content: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'concord-draft-')), name);
  writeFileSync(path, content);
  return path;
}

interface Node {
  id: string;
  stableId: string;
  number: string | null;
  heading: string | null;
  text: string;
  children: Node[];
}

async function runSql(url: string, statement: string): Promise<void> {
  if (url.startsWith('sqlite:')) {
    const db = new SQLite(url.slice('sqlite:'.length));
    db.exec(statement);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(statement);
  await client.end();
}

describeCli('concord CLI', (target) => {
  const env = () => ({ CONCORD_DATABASE_URL: target().url });

  it('creates a plan, imports a draft and shows its clause tree as JSON', async () => {
    const plan = await runCli(['plan', 'create', '--name', '示范规划', '--json'], env());
    expect(plan.code).toBe(0);
    const { id } = plan.json<{ id: string }>();
    expect(id).toBeTruthy();
    const imported = await runCli(
      ['draft', 'import', '--plan', id, tempFile('办法.md', DRAFT), '--json'],
      env(),
    );
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const result = imported.json<{ versionId: string; counts: Record<string, number>; match: unknown }>();
    expect(result.counts).toEqual({ chapter: 2, article: 3, 'cn-paren': 2 });
    expect(result.match).toBeNull();
    const shown = await runCli(['draft', 'show', result.versionId, '--json'], env());
    expect(shown.code).toBe(0);
    const { clauses } = shown.json<{ clauses: Node[] }>();
    expect(clauses.map((c) => [c.number, c.heading])).toEqual([
      ['第一章', '总则'],
      ['第二章', '附则'],
    ]);
    const article2 = clauses[0]!.children[1]!;
    expect(article2).toMatchObject({ number: '第二条', text: '本办法适用于：' });
    expect(article2.children.map((c) => c.number)).toEqual(['（一）', '（二）']);
    expect(Object.keys(article2)).toEqual(
      expect.arrayContaining(['id', 'stableId', 'number', 'heading', 'text', 'children']),
    );
  });

  it('reports the match of a next version', async () => {
    const { id } = (await runCli(['plan', 'create', '--name', '示范规划', '--json'], env())).json<{
      id: string;
    }>();
    await runCli(['draft', 'import', '--plan', id, tempFile('v1.md', DRAFT)], env());
    const next = DRAFT.replace(
      '第三条 本办法自发布之日起施行。',
      '第三条 各部门应当按时反馈意见。\n\n第四条 本办法自发布之日起施行。',
    );
    const second = await runCli(['draft', 'import', '--plan', id, tempFile('v2.md', next), '--json'], env());
    expect(second.code).toBe(0);
    expect(second.json<{ match: Record<string, number> }>().match).toEqual({
      matched: 7,
      changed: 0,
      new: 1,
      removed: 0,
      uncertain: 0,
    });
  });

  it('fails with one clear line and a non-zero exit on bad input', async () => {
    const missingPlan = await runCli(['draft', 'import', '--plan', 'nope', tempFile('a.md', DRAFT)], env());
    expect(missingPlan.code).not.toBe(0);
    expect(missingPlan.stderr.trim().split('\n')).toEqual(['concord: No such plan.']);
    const { id } = (await runCli(['plan', 'create', '--name', 'x', '--json'], env())).json<{ id: string }>();
    const missingFile = await runCli(['draft', 'import', '--plan', id, '/no/such/file.md'], env());
    expect(missingFile.code).not.toBe(0);
    expect(missingFile.stderr).toContain('No such file: /no/such/file.md');
    const wrongType = await runCli(
      ['draft', 'import', '--plan', id, tempFile('a.pdf', '%PDF'), '--json'],
      env(),
    );
    expect(wrongType.code).not.toBe(0);
    expect(wrongType.json<{ error: { code: string } }>().error.code).toBe('unsupported_type');
    const badUrl = await runCli(['db', 'migrate'], { CONCORD_DATABASE_URL: 'mysql://x' });
    expect(badUrl.code).not.toBe(0);
    expect(badUrl.stderr).toContain('CONCORD_DATABASE_URL');
  });

  it('verifies the ledger, and names the event whose row was edited by hand', async () => {
    for (const name of ['规划一', '规划二', '规划三']) {
      expect((await runCli(['plan', 'create', '--name', name], env())).code).toBe(0);
    }
    const intact = await runCli(['ledger', 'verify', '--json'], env());
    expect(intact.code).toBe(0);
    expect(intact.json()).toMatchObject({ ok: true, checked: 3, lastSeq: 3, alg: ['sm3'] });

    await runSql(
      target().url,
      `update ledger_event set payload = replace(payload, '规划二', '规划贰') where seq = 2`,
    );
    const broken = await runCli(['ledger', 'verify'], env());
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/ledger broken at event 2:.*altered/);
    expect(broken.stdout).toContain('event 2');
  });

  it('names a removed event', async () => {
    for (const name of ['规划一', '规划二', '规划三']) {
      await runCli(['plan', 'create', '--name', name], env());
    }
    await runSql(target().url, 'delete from ledger_event where seq = 2');
    const broken = await runCli(['ledger', 'verify', '--json'], env());
    expect(broken.code).toBe(1);
    expect(broken.json()).toMatchObject({ ok: false, break: { seq: 2, problem: 'removed' } });
  });

  it('migrates on demand and creates users', async () => {
    const migrated = await runCli(['db', 'migrate', '--json'], env());
    expect(migrated.code).toBe(0);
    const again = await runCli(['db', 'migrate', '--json'], env());
    expect(again.json()).toMatchObject({ applied: [] });
    const user = await runCli(
      ['user', 'create', '--login', 'zhang.san', '--name', '张三', '--role', 'organizer', '--json'],
      env(),
    );
    expect(user.code).toBe(0);
    expect(user.json<{ password: string }>().password.length).toBeGreaterThanOrEqual(12);
    const duplicate = await runCli(
      ['user', 'create', '--login', 'zhang.san', '--name', '张三', '--role', 'organizer'],
      env(),
    );
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('zhang.san');
  });

  it('imports units from CSV and binds users and plans to them', async () => {
    const csv = tempFile(
      'units.csv',
      '编码,名称,上级编码,层级,职责领域,关键词\nGZ,省发展改革委,,省,发展规划,规划；投资\nGZ-CS,市发展改革委,GZ,市,发展规划,项目\n',
    );
    const imported = await runCli(['unit', 'import', csv, '--json'], env());
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.json()).toMatchObject({ created: 2, updated: 0 });
    const user = await runCli(
      [
        'user',
        'create',
        '--login',
        'li.si',
        '--name',
        '李四',
        '--role',
        'organizer',
        'liaison',
        '--unit',
        'GZ-CS',
        '--json',
      ],
      env(),
    );
    expect(user.code, user.stderr).toBe(0);
    const plan = await runCli(['plan', 'create', '--name', '市规划', '--unit', 'GZ-CS', '--json'], env());
    expect(plan.code, plan.stderr).toBe(0);
    const unknownUnit = await runCli(['plan', 'create', '--name', 'x', '--unit', 'NOPE'], env());
    expect(unknownUnit.code).toBe(1);
    expect(unknownUnit.stderr).toContain('Unknown unit "NOPE"');

    const bad = tempFile(
      'bad.csv',
      'code,name,parent_code,level\nA,甲,,province\nB,乙,ZZZ,city\nC,丙,A,village\n',
    );
    const refused = await runCli(['unit', 'import', bad], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/row: 3/);
    expect(refused.stderr).toMatch(/row: 4/);
    const again = await runCli(['unit', 'import', csv, '--json'], env());
    expect(again.json()).toMatchObject({ created: 0 });
  });
});
