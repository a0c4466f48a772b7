/*
 * Stance and topics measured on the NLPCC 2016 stance training set (2,986 labelled Weibo posts, 5 targets):
 * stance F_avg = (F1 FAVOR + F1 AGAINST) / 2 per target by stratified 5-fold cross-validation (seed 42),
 * and topics (the post's target) learned from 20 labelled posts per target, mean over 5 seeds.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NLPCC_STANCE_FIXTURE, evaluateNlpcc, parseNlpccStance } from '../bench/analysis-classify.ts';
import { createRandom, shuffleInPlace } from '../src/analysis/classify/random.ts';
import { runCli } from './cli.ts';
import { readFixture, warnIfFixturesAbsent } from './fixtures.ts';

const available = warnIfFixturesAbsent('the NLPCC stance and topic evaluation', NLPCC_STANCE_FIXTURE);

describe.skipIf(!available)('NLPCC 2016 stance training set', () => {
  it('parses 2,986 labelled posts over 5 targets', () => {
    const posts = parseNlpccStance(readFixture(NLPCC_STANCE_FIXTURE));
    expect(posts).toHaveLength(2986);
    expect(new Set(posts.map((p) => p.target)).size).toBe(5);
    expect(posts.find((p) => p.id === '1708')?.text.startsWith('“以色列')).toBe(true);
  });

  it('reaches the measured stance F_avg and topic accuracy', { timeout: 120_000 }, () => {
    const posts = parseNlpccStance(readFixture(NLPCC_STANCE_FIXTURE));
    const figures = evaluateNlpcc(posts);
    console.log(JSON.stringify({ stance: figures.stance, topics: figures.topics }, null, 2));
    // An ensemble of diverse linear members reaches 0.700 here (a plain SVM: 0.681; the two-member
    // ensemble before it: 0.687); linear models over word and character n-grams level out near it.
    expect(figures.stance.fAvgMean).toBeGreaterThanOrEqual(0.695);
    for (const value of Object.values(figures.stance.fAvgPerTarget)) {
      expect(value).toBeGreaterThan(0.6);
    }
    expect(figures.stance.trainSecondsPerFold).toBeLessThan(15);
    // A plain TF-IDF + logistic regression from the same 20 labels per target: 0.955.
    expect(figures.topics.accuracyMean).toBeGreaterThanOrEqual(0.97);
    for (const accuracy of figures.topics.accuracies) {
      expect(accuracy).toBeGreaterThanOrEqual(0.965);
    }
  });

  it(
    'learns topics in `concord analyze` from 20 labels per target, reading the input unlabelled',
    { timeout: 180_000 },
    async () => {
      const posts = parseNlpccStance(readFixture(NLPCC_STANCE_FIXTURE));
      const random = createRandom(7);
      const labelled = new Set<string>();
      for (const target of new Set(posts.map((p) => p.target))) {
        const ids = posts.filter((p) => p.target === target).map((p) => p.id);
        for (const id of shuffleInPlace(ids, random).slice(0, 20)) {
          labelled.add(id);
        }
      }
      const dir = mkdtempSync(join(tmpdir(), 'concord-nlpcc-'));
      try {
        const lines = (rows: object[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
        const train = join(dir, 'labels.jsonl');
        writeFileSync(
          train,
          lines(
            posts.filter((p) => labelled.has(p.id)).map((p) => ({ id: p.id, text: p.text, label: p.target })),
          ),
        );
        const input = join(dir, 'posts.jsonl');
        writeFileSync(input, lines(posts.map((p) => ({ id: p.id, text: p.text }))));
        const out = join(dir, 'out.jsonl');
        const result = await runCli(
          ['analyze', '--in', input, '--out', out, '--train', train, '--task', 'topic'],
          {},
        );
        expect(result.code, result.stderr).toBe(0);
        expect(result.stderr).toMatch(
          /learned topic from 100 labelled records of .* and 2,?986 unlabelled of /u,
        );
        const byId = new Map(posts.map((p) => [p.id, p.target]));
        const scored = readFileSync(out, 'utf8')
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as { id: string; topics: { label: string }[] })
          .filter((line) => !labelled.has(line.id));
        expect(scored).toHaveLength(posts.length - 100);
        const right = scored.filter((line) => line.topics[0]?.label === byId.get(line.id)).length;
        // From the labels alone (without the input read unlabelled) this draw reaches 0.813; with it, 0.976.
        console.log(
          `topics from 20 labels per target in concord analyze: accuracy ${(right / scored.length).toFixed(4)}`,
        );
        expect(right / scored.length).toBeGreaterThanOrEqual(0.97);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
