import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeCli, runCli } from './cli.ts';
import { fixturePath, fixturesAvailable, listFixtures } from './fixtures.ts';

/*
 * `concord draft import` on the real laws of ../shared/fixtures/drafts: every chapter, section and article
 * that the file's Markdown headings and 第X条 lines mark is found, none extra, none missing. The expected
 * counts come from an independent line count over the raw file.
 */

const available = fixturesAvailable('drafts');
if (!available) {
  console.warn('fixtures absent (../shared/fixtures): the real-draft import tests are SKIPPED');
}

const ARTICLE_LINE = /^第[零〇一二三四五六七八九十百千两]+条(?:\s|\u3000|$)/u;

function lineCounts(text: string): { chapter: number; section: number; article: number } {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  return {
    chapter: lines.filter((l) => /^#{1,6}\s*第[零〇一二三四五六七八九十百千两]+章/u.test(l)).length,
    section: lines.filter((l) => /^#{1,6}\s*第[零〇一二三四五六七八九十百千两]+节/u.test(l)).length,
    article: lines.filter((l) => ARTICLE_LINE.test(l)).length,
  };
}

interface Node {
  stableId: string;
  number: string | null;
  text: string;
  children: Node[];
}

const flatten = (nodes: Node[]): Node[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

/** Each article's block of lines (its own lines up to the next article or heading), normalised. */
function articleBlocks(text: string): Map<string, string> {
  const blocks = new Map<string, string>();
  let current: { number: string; lines: string[] } | null = null;
  const flush = () => {
    if (current) {
      blocks.set(current.number, current.lines.join('\n').replace(/\s+/g, ''));
    }
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const article = ARTICLE_LINE.exec(line);
    if (article) {
      flush();
      const number = line.slice(0, line.indexOf('条') + 1);
      current = { number, lines: [line.slice(number.length)] };
    } else if (line.startsWith('#')) {
      flush();
      current = null;
    } else if (current && line && !line.startsWith('<!--')) {
      current.lines.push(line);
    }
  }
  flush();
  return blocks;
}

describeCli('draft import of real laws', (target) => {
  const env = () => ({ CONCORD_DATABASE_URL: target().url });

  it.skipIf(!available)(
    'finds every chapter, section and article of each law, none extra',
    async () => {
      const files = listFixtures('drafts', '.md');
      expect(files.length).toBeGreaterThanOrEqual(6);
      for (const file of files) {
        // Each law in a plan of its own, so every import is a first version.
        const plan = (await runCli(['plan', 'create', '--name', file, '--json'], env())).json<{
          id: string;
        }>();
        const result = await runCli(
          ['draft', 'import', '--plan', plan.id, fixturePath(file), '--json'],
          env(),
        );
        expect(result.code, `${file}: ${result.stderr}`).toBe(0);
        const { counts, versionId } = result.json<{ counts: Record<string, number>; versionId: string }>();
        const expected = lineCounts(readFileSync(fixturePath(file), 'utf8'));
        expect({
          file,
          chapter: counts.chapter ?? 0,
          section: counts.section ?? 0,
          article: counts.article ?? 0,
        }).toEqual({
          file,
          ...expected,
        });
        const { clauses } = (await runCli(['draft', 'show', versionId, '--json'], env())).json<{
          clauses: Node[];
        }>();
        const articles = flatten(clauses).filter((c) => c.number?.endsWith('条'));
        expect(articles).toHaveLength(expected.article);
      }
      // Four CLI processes per law, each starting Node and TypeScript: slow on a busy machine.
    },
    120_000,
  );

  it.skipIf(!available)(
    'matches each unchanged article of 上海市优化营商环境条例 2024 to its 2020 id',
    async () => {
      const v2020 = 'drafts/上海市优化营商环境条例(2020-04-10).md';
      const v2024 = 'drafts/上海市优化营商环境条例(2024-09-27).md';
      const { id } = (
        await runCli(['plan', 'create', '--name', '上海市优化营商环境条例', '--json'], env())
      ).json<{ id: string }>();
      const first = (
        await runCli(['draft', 'import', '--plan', id, fixturePath(v2020), '--json'], env())
      ).json<{ versionId: string }>();
      const secondRun = await runCli(['draft', 'import', '--plan', id, fixturePath(v2024), '--json'], env());
      expect(secondRun.code, secondRun.stderr).toBe(0);
      const second = secondRun.json<{
        versionId: string;
        match: { matched: number; changed: number; new: number; removed: number; uncertain: number };
      }>();

      const before = flatten(
        (await runCli(['draft', 'show', first.versionId, '--json'], env())).json<{ clauses: Node[] }>()
          .clauses,
      );
      const after = flatten(
        (await runCli(['draft', 'show', second.versionId, '--json'], env())).json<{ clauses: Node[] }>()
          .clauses,
      );
      const { matched, changed, new: added, removed, uncertain } = second.match;
      expect(matched + changed + uncertain + added).toBe(after.length);
      expect(matched + changed + uncertain + removed).toBe(before.length);
      // The report of this revision: 94 clauses in 2020, 111 in 2024.
      expect([before.length, after.length]).toEqual([94, 111]);
      expect(second.match).toEqual({ matched: 32, changed: 44, new: 19, removed: 2, uncertain: 16 });

      // Independently: articles whose whole block of text is the same in both files.
      const oldBlocks = articleBlocks(readFileSync(fixturePath(v2020), 'utf8'));
      const newBlocks = articleBlocks(readFileSync(fixturePath(v2024), 'utf8'));
      const oldByBlock = new Map<string, string[]>();
      for (const [number, block] of oldBlocks) {
        oldByBlock.set(block, [...(oldByBlock.get(block) ?? []), number]);
      }
      const oldArticle = new Map(before.filter((c) => c.number?.endsWith('条')).map((c) => [c.number!, c]));
      const newArticle = new Map(after.filter((c) => c.number?.endsWith('条')).map((c) => [c.number!, c]));
      let unchanged = 0;
      for (const [number, block] of newBlocks) {
        const olds = oldByBlock.get(block);
        if (olds?.length !== 1) {
          continue;
        }
        unchanged += 1;
        expect(newArticle.get(number)?.stableId, `${number} (was ${olds[0]})`).toBe(
          oldArticle.get(olds[0]!)?.stableId,
        );
      }
      expect(unchanged).toBeGreaterThanOrEqual(10);
      // Every exactly unchanged article is counted as matched, and renumbering does not break identity.
      expect(matched).toBeGreaterThanOrEqual(unchanged);
      const renumbered = [...newBlocks].filter(([number, block]) => {
        const olds = oldByBlock.get(block);
        return olds?.length === 1 && olds[0] !== number;
      });
      expect(renumbered.length).toBeGreaterThan(0);
    },
  );
});
