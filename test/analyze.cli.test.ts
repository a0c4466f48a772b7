/*
 * `concord analyze` through the real CLI (a child process, worker threads included) on small files
 * written here: JSON Lines and CSV, Chinese and English, duplicates, learning stance and topics from
 * labels, and the errors a user meets.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.ts';
import { ANALYZE_LINE_FIELDS } from './analyze-output.ts';
import { driftingLetters } from './analysis-app.ts';

const dir = mkdtempSync(join(tmpdir(), 'concord-analyze-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

interface OutputLine {
  id: string;
  cluster: string | null;
  clusterSize: number;
  duplicateOf: string | null;
  similarTo?: string[];
  topics: { label: string; score: number }[];
  stance: { label: string; score: number };
  quality: { score: number; flags: string[] };
  keyphrases: string[];
  figures: { text: string; value: number; unit: string }[];
}

function readOutput(path: string): OutputLine[] {
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as OutputLine);
}

const LETTER_ZH =
  '坚决支持将城市轨道交通覆盖率提高到百分之七十，建议在2027年前完成新线路建设，方便市民出行。';
const EDITED_ZH = `${LETTER_ZH}谢谢！`;
const LETTER_EN =
  'I strongly oppose the repeal of net neutrality. Internet providers must not block, throttle or charge for lawful content.';

/** A form letter in each language with copies and edited copies, and some other comments. */
const COMMENTS = [
  { id: 'z1', text: LETTER_ZH, target: '第十二条' },
  { id: 'e1', text: LETTER_EN, target: 'repeal' },
  { id: 'z2', text: LETTER_ZH, target: '第十二条' },
  { id: 'e2', text: LETTER_EN.replace('lawful', 'legal'), target: 'repeal' },
  { id: 'z3', text: EDITED_ZH, target: '第十二条' },
  { id: 'o1', text: '建议删除第五条中“原则上”三字，明确牵头单位。', target: '第五条' },
  { id: 'o2', text: 'Please add a bike lane on Main Street 🚲', target: null },
  { id: 'o3', text: '', target: null },
  { id: 'o4', text: '好', target: null },
];

// Each case starts the CLI (and its worker threads) once or more: generous time on a busy machine.
describe('concord analyze', { timeout: 120_000 }, () => {
  it('analyses JSON Lines on worker threads: one line per record, in order, with clusters', async () => {
    const input = file('comments.jsonl', `${COMMENTS.map((c) => JSON.stringify(c)).join('\n')}\n`);
    const out = join(dir, 'out.jsonl');
    const result = await runCli(['--json', 'analyze', '--in', input, '--out', out], {});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = result.json<{
      records: number;
      clusters: number;
      workers: number;
      maxRssMiB: number;
    }>();
    expect(summary).toMatchObject({ records: COMMENTS.length, clusters: 2, workers: 2 });
    expect(summary.maxRssMiB).toBeGreaterThan(0);
    const lines = readOutput(out);
    expect(lines.map((l) => l.id)).toEqual(COMMENTS.map((c) => c.id));
    expect(Object.keys(lines[0]!)).toEqual(ANALYZE_LINE_FIELDS);
    const byId = new Map(lines.map((l) => [l.id, l]));
    expect(byId.get('z1')).toMatchObject({ cluster: 'z1', clusterSize: 3, duplicateOf: null });
    expect(byId.get('z2')).toMatchObject({ cluster: 'z1', clusterSize: 3, duplicateOf: 'z1' });
    expect(byId.get('z3')).toMatchObject({ cluster: 'z1', duplicateOf: null });
    expect(byId.get('e2')).toMatchObject({ cluster: 'e1', clusterSize: 2, duplicateOf: null });
    expect(byId.get('o1')).toMatchObject({ cluster: null, clusterSize: 1, duplicateOf: null });
    expect(byId.get('o3')).toMatchObject({ cluster: null, clusterSize: 1, keyphrases: [], figures: [] });
    expect(byId.get('e1')!.stance.label).toBe('oppose');
    expect(byId.get('o1')!.stance.label).toBe('modify');
    expect(byId.get('z1')!.figures.some((f) => f.unit === '%' && f.value === 70)).toBe(true);
    expect(byId.get('z1')!.keyphrases.length).toBeGreaterThan(0);
    expect(byId.get('e1')!.keyphrases.length).toBeGreaterThan(0);
  });

  it('reads CSV with named fields, quoted line breaks and a BOM, and prints a human summary', async () => {
    const quote = (s: string): string => `"${s.replaceAll('"', '""')}"`;
    const csv = [
      'ref,body,clause',
      ...COMMENTS.map((c) => [c.id, quote(c.text), c.target ?? ''].join(',')),
      `x1,${quote('第一行\n第二行：建议提高到不低于15%')},第七条`,
    ].join('\r\n');
    const input = file('comments.csv', `\uFEFF${csv}\r\n`);
    const out = join(dir, 'csv-out.jsonl');
    const result = await runCli(
      [
        'analyze',
        '--in',
        input,
        '--out',
        out,
        '--text-field',
        'body',
        '--id-field',
        'ref',
        '--target-field',
        'clause',
        '--workers',
        '1',
      ],
      {},
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Analysed 10 records in [\d.]+ s \(1 workers\); wrote /u);
    expect(result.stdout).toMatch(/Near-duplicate clusters: 2 holding 5 records/u);
    // Not a terminal: progress as plain lines.
    expect(result.stderr).toMatch(/^analysing /mu);
    const lines = readOutput(out);
    expect(lines.map((l) => l.id)).toEqual([...COMMENTS.map((c) => c.id), 'x1']);
    expect(lines[2]).toMatchObject({ cluster: 'z1', duplicateOf: 'z1' });
    expect(lines[9]!.figures.map((f) => f.value)).toContain(15);
  });

  it('learns stance per target from labels first', async () => {
    const labelled = [
      ['支持延长公园开放时间', 'support'],
      ['赞成晚上开放，散步方便', 'support'],
      ['同意，夜间开放很好', 'support'],
      ['公园晚上开放非常好', 'FAVOR'],
      ['希望早日实施夜间开放', 'support'],
      ['反对夜间开放，噪音扰民', 'oppose'],
      ['不同意，晚上安全隐患大', 'oppose'],
      ['夜里开放吵到居民', 'AGAINST'],
      ['不赞成延长，管理成本太高', 'oppose'],
      ['延长开放纯属浪费', 'oppose'],
    ].map(([text, label], i) => JSON.stringify({ id: `l${i}`, text, label, target: 'park' }));
    const train = file('stance-labels.jsonl', `${labelled.join('\n')}\n`);
    const input = file(
      'park.jsonl',
      [
        { id: 'p1', text: '我支持公园晚上开放', target: 'park' },
        { id: 'p2', text: '反对，晚上开放太吵', target: 'park' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const out = join(dir, 'stance-out.jsonl');
    const result = await runCli(
      ['analyze', '--in', input, '--out', out, '--train', train, '--task', 'stance', '--workers', '0'],
      {},
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/learned stance from 10 labelled records/u);
    const lines = readOutput(out);
    expect(lines.map((l) => l.stance.label)).toEqual(['support', 'oppose']);
  });

  it('learns topics from labels, the labels being the taxonomy', async () => {
    const labelled = [
      ...[
        '地铁早高峰太挤',
        '公交线路太少',
        '增开地铁夜班车',
        '公交站点太远',
        '地铁票价偏高',
        'The subway is too crowded',
        'More bus routes please',
        'Bus stops are too far apart',
        'Subway fares are high',
        'Add night buses',
      ].map((text) => ({ text, label: 'transport' })),
      ...[
        '房租上涨太快',
        '老旧小区加装电梯',
        '公租房申请太难',
        '人才公寓不足',
        '保障性住房太少',
        'Rent is too high',
        'Build more public housing',
        'Elevators for old buildings',
        'Housing subsidies please',
        'Too few affordable homes',
      ].map((text) => ({ text, label: ['housing'] })),
    ].map((r, i) => JSON.stringify({ id: `t${i}`, ...r }));
    const train = file('topic-labels.jsonl', `${labelled.join('\n')}\n`);
    const input = file(
      'city.jsonl',
      [
        { id: 'c1', text: '地铁太挤了，建议增开班次' },
        { id: 'c2', text: 'Rents keep rising; we need more public housing' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const out = join(dir, 'topic-out.jsonl');
    const result = await runCli(
      ['analyze', '--in', input, '--out', out, '--train', train, '--task', 'topic', '--workers', '0'],
      {},
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/learned topic from 20 labelled records of .* and 2 unlabelled of /u);
    const lines = readOutput(out);
    expect(lines[0]!.topics[0]?.label).toBe('transport');
    expect(lines[1]!.topics[0]?.label).toBe('housing');
    expect(lines[0]!.topics[0]!.score).toBeGreaterThan(0.5);
  });

  it('with --links, lists per comment the earlier ones outside its cluster that are near-duplicates of it', async () => {
    const { base, start, middle, end } = driftingLetters();
    // The letter and one copy form a cluster; two copies like the letter but unlike that copy stay out.
    const comments = [
      { id: 'L1', text: base },
      { id: 'L2', text: start },
      { id: 'L3', text: end },
      { id: 'L4', text: end },
      { id: 'L5', text: middle },
      { id: 'other', text: 'Please add a bike lane on Main Street 🚲' },
    ];
    const input = file('drifting.jsonl', `${comments.map((c) => JSON.stringify(c)).join('\n')}\n`);
    const out = join(dir, 'links-out.jsonl');
    const result = await runCli(['analyze', '--in', input, '--out', out, '--links'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Near-duplicate links between records the clusters keep apart: [1-9]/u);
    const lines = readOutput(out);
    expect(Object.keys(lines[0]!)).toEqual([
      ...ANALYZE_LINE_FIELDS.slice(0, 4),
      'similarTo',
      ...ANALYZE_LINE_FIELDS.slice(4),
    ]);
    const byId = new Map(lines.map((l) => [l.id, l]));
    expect(byId.get('L1')).toMatchObject({ cluster: 'L1', clusterSize: 2, similarTo: [] });
    expect(byId.get('L2')).toMatchObject({ cluster: 'L1', similarTo: [] });
    expect(byId.get('L3')).toMatchObject({ cluster: 'L3', clusterSize: 2 });
    expect(byId.get('L3')!.similarTo).toContain('L1');
    // A copy lists what its first copy lists.
    expect(byId.get('L4')).toMatchObject({ duplicateOf: 'L3', similarTo: byId.get('L3')!.similarTo });
    expect(byId.get('other')!.similarTo).toEqual([]);
    for (const line of lines) {
      for (const id of line.similarTo!) {
        expect(comments.findIndex((c) => c.id === id)).toBeLessThan(
          comments.findIndex((c) => c.id === line.id),
        );
        expect(byId.get(id)!.cluster === null || byId.get(id)!.cluster !== line.cluster).toBe(true);
      }
    }
    // Without --links the lines are as before.
    const plain = join(dir, 'plain-out.jsonl');
    expect((await runCli(['analyze', '--in', input, '--out', plain, '--workers', '0'], {})).code).toBe(0);
    expect(Object.keys(readOutput(plain)[0]!)).toEqual(ANALYZE_LINE_FIELDS);
  });

  describe('errors', () => {
    const good = (): string => file('good.jsonl', `${JSON.stringify({ id: 'a', text: '好' })}\n`);

    it('a missing input file', async () => {
      const out = join(dir, 'never.jsonl');
      const result = await runCli(['analyze', '--in', join(dir, 'absent.jsonl'), '--out', out], {});
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('No such file');
      expect(existsSync(out)).toBe(false);
    });

    it('bad JSON on a line, named by its number; no output left behind', async () => {
      const input = file('bad.jsonl', '{"id":"a","text":"好"}\n\n{"id":"b","text":"坏"\n');
      const out = join(dir, 'bad-out.jsonl');
      const result = await runCli(['analyze', '--in', input, '--out', out, '--workers', '1'], {});
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Line 3 of .*bad\.jsonl is not valid JSON/u);
      expect(existsSync(out)).toBe(false);
    });

    it('a missing text field, in the first record or a later one', async () => {
      const first = file('notext.jsonl', `${JSON.stringify({ id: 'a', body: '好' })}\n`);
      let result = await runCli(
        ['analyze', '--in', first, '--out', join(dir, 'x.jsonl'), '--text-field', 'text'],
        {},
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/has no "text" field \(fields: id, body\)/u);
      const later = file(
        'later.jsonl',
        `${JSON.stringify({ id: 'a', text: '好' })}\n${JSON.stringify({ id: 'b', body: '坏' })}\n`,
      );
      result = await runCli(['analyze', '--in', later, '--out', join(dir, 'x.jsonl'), '--workers', '0'], {});
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Line 2 of .*later\.jsonl has no "text" field/u);
    });

    it('a bad --task, --train without --task, a bad stance label, a bad threshold', async () => {
      const input = good();
      const out = join(dir, 'x.jsonl');
      let result = await runCli(
        ['analyze', '--in', input, '--out', out, '--train', input, '--task', 'sentiment'],
        {},
      );
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/--task.*sentiment.*topic, stance/u);
      result = await runCli(['analyze', '--in', input, '--out', out, '--train', input], {});
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('--train and --task go together');
      const labels = file('labels.jsonl', `${JSON.stringify({ id: 'l', text: '好', label: 'maybe' })}\n`);
      result = await runCli(
        ['analyze', '--in', input, '--out', out, '--train', labels, '--task', 'stance'],
        {},
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Line 1 of .*labels\.jsonl: "maybe" is not a stance/u);
      result = await runCli(['analyze', '--in', input, '--out', out, '--threshold', '1.5'], {});
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('--threshold takes a number in (0, 1]');
    });

    it('--link-candidates without --links, or out of range', async () => {
      const input = good();
      const out = join(dir, 'x.jsonl');
      let result = await runCli(['analyze', '--in', input, '--out', out, '--link-candidates', '8'], {});
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('--link-candidates goes with --links');
      result = await runCli(
        ['analyze', '--in', input, '--out', out, '--links', '--link-candidates', '0'],
        {},
      );
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('--link-candidates takes a whole number from 1 to 10000');
      expect(existsSync(out)).toBe(false);
    });
  });
});
