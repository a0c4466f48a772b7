import { describe, expect, it } from 'vitest';
import {
  SHANGHAI_2020,
  SHANGHAI_2024,
  clausesOfLines,
  fixturesAvailable,
  importFixture,
  warnIfFixturesAbsent,
} from '../../test/fixtures.ts';
import { toChineseNumber } from './chinese-numerals.ts';
import type { ClauseKind, FlatClause } from './clause.ts';
import { flattenClauses } from './clause.ts';
import type { MatchOutcome } from './clause-match.ts';
import { clauseContent, matchClauses, normalizeForMatch, textSimilarity } from './clause-match.ts';

const havePair =
  warnIfFixturesAbsent('the Shanghai 2020 → 2024 matching test', SHANGHAI_2020) &&
  fixturesAvailable(SHANGHAI_2024);

const flat = clausesOfLines;

/** The previous version, with stable ids 'old-0', 'old-1', … */
function withIds(clauses: readonly FlatClause[], prefix = 'old'): FlatClause[] {
  return clauses.map((c, i) => ({ ...c, stableId: `${prefix}-${i}` }));
}

function idOf(clauses: readonly FlatClause[], number: string): string | undefined {
  return clauses.find((c) => c.number === number)?.stableId;
}

function resultFor(outcome: MatchOutcome, clauses: readonly FlatClause[], number: string) {
  const key = clauses.find((c) => c.number === number)?.key;
  return outcome.results.find((r) => r.key === key);
}

function expectCountsAddUp(
  outcome: MatchOutcome,
  previous: readonly FlatClause[],
  next: readonly FlatClause[],
): void {
  const { matched, changed, uncertain, removed } = outcome.counts;
  expect(matched + changed + uncertain + outcome.counts.new).toBe(next.length);
  expect(matched + changed + uncertain + removed).toBe(previous.length);
  expect(outcome.removed).toHaveLength(removed);
  expect(outcome.results.map((r) => r.key)).toEqual(next.map((c) => c.key));
  // No previous clause is used twice.
  const used = outcome.results.map((r) => r.stableId ?? r.candidateStableId).filter((id) => id !== undefined);
  expect(new Set([...used, ...outcome.removed]).size).toBe(used.length + outcome.removed.length);
}

const ARTICLES = [
  '为了规范城市绿化管理，改善生态环境，制定本办法。',
  '本办法适用于本市行政区域内绿地的规划、建设、保护和管理。',
  '市绿化主管部门负责全市绿化工作的统筹协调和监督管理。',
  '新建居住区绿地面积不得低于用地总面积的百分之三十。',
  '任何单位和个人不得擅自占用城市绿地。',
];

function law(articles: readonly string[], chapter = '总则'): string {
  return [`第一章 ${chapter}`, ...articles.map((text, i) => `第${toChineseNumber(i + 1)}条 ${text}`)].join(
    '\n',
  );
}

describe('normalisation and similarity', () => {
  it('ignores whitespace, full-width punctuation and quote styles', () => {
    expect(normalizeForMatch('本办法适用于全市（含新区）， “绿地” 。')).toBe(
      normalizeForMatch('本办法适用于全市(含新区),"绿地"。'),
    );
    expect(clauseContent({ heading: '总 则', text: '' })).toBe('总则');
    expect(clauseContent({ heading: null, text: '' })).toBe('');
  });

  it('scores character bigrams with the Dice coefficient', () => {
    expect(textSimilarity('城市绿化管理', '城市绿化管理')).toBe(1);
    expect(textSimilarity('城市绿化管理', '农村道路建设')).toBe(0);
    // 城市绿化 vs 城市美化: bigrams 城市 市绿 绿化 vs 城市 市美 美化 → 2·1 / 6
    expect(textSimilarity('城市绿化', '城市美化')).toBeCloseTo(1 / 3, 5);
  });
});

describe('matchClauses', () => {
  it('keeps every id when an article is inserted at the start (renumbering)', () => {
    const previous = withIds(flat(law(ARTICLES)));
    const next = flat(law(['本办法所称绿地，包括公园绿地、防护绿地和附属绿地。', ...ARTICLES]));
    const outcome = matchClauses(previous, next);
    expect(outcome.counts).toEqual({ matched: 6, changed: 0, new: 1, removed: 0, uncertain: 0 });
    expect(resultFor(outcome, next, '第一条')).toMatchObject({ status: 'new', stableId: null });
    ARTICLES.forEach((_, i) => {
      const oldNumber = `第${toChineseNumber(i + 1)}条`;
      const newNumber = `第${toChineseNumber(i + 2)}条`;
      expect(resultFor(outcome, next, newNumber)).toMatchObject({
        status: 'matched',
        stableId: idOf(previous, oldNumber),
        pass: 'exact',
      });
    });
    expect(resultFor(outcome, next, '第一章')).toMatchObject({ status: 'matched', stableId: 'old-0' });
    expectCountsAddUp(outcome, previous, next);
  });

  it('reports a small edit as changed and keeps the id', () => {
    const previous = withIds(flat(law(ARTICLES)));
    const edited = [...ARTICLES];
    edited[3] = '新建居住区绿地面积不得低于用地总面积的百分之三十五。';
    const next = flat(law(edited));
    const outcome = matchClauses(previous, next);
    const result = resultFor(outcome, next, '第四条');
    expect(result).toMatchObject({ status: 'changed', stableId: idOf(previous, '第四条'), pass: 'similar' });
    expect(result?.score).toBeGreaterThanOrEqual(0.8);
    expect(outcome.counts).toEqual({ matched: 5, changed: 1, new: 0, removed: 0, uncertain: 0 });
  });

  it('offers a partly rewritten clause as uncertain, never silently', () => {
    const previous = withIds(flat(law(ARTICLES)));
    const rewritten = [...ARTICLES];
    rewritten[2] = '区绿化主管部门负责本区绿化工作的监督管理和考核。';
    const next = flat(law(rewritten));
    const outcome = matchClauses(previous, next, { alignedThreshold: 1 });
    const result = resultFor(outcome, next, '第三条');
    expect(result?.status).toBe('uncertain');
    expect(result?.stableId).toBeNull();
    expect(result?.candidateStableId).toBe(idOf(previous, '第三条'));
    expect(result?.pass).toBe('similar');
    expect(result?.score).toBeGreaterThanOrEqual(0.5);
    expect(result?.score).toBeLessThan(0.8);
    expectCountsAddUp(outcome, previous, next);
  });

  it('keeps the id of a fairly similar clause that stays between the same neighbours, and only there', () => {
    const previous = withIds(flat(law(ARTICLES)));
    const rewritten = [...ARTICLES];
    rewritten[2] = '区绿化主管部门负责本区绿化工作的监督管理和考核。';
    const score = textSimilarity(ARTICLES[2] ?? '', rewritten[2] ?? '');
    expect(score).toBeGreaterThanOrEqual(0.5);
    const inPlace = flat(law(rewritten));
    const aligned = matchClauses(previous, inPlace, { alignedThreshold: Math.min(score, 0.79) - 0.01 });
    expect(resultFor(aligned, inPlace, '第三条')).toMatchObject({
      status: 'changed',
      stableId: idOf(previous, '第三条'),
      pass: 'aligned',
    });
    // The same text moved to the end, past clauses that came after it: the order breaks, a person decides.
    const movedOrder = [ARTICLES[0], ARTICLES[1], ARTICLES[3], ARTICLES[4], rewritten[2]].map((a) => a ?? '');
    const moved = flat(law(movedOrder));
    const outcome = matchClauses(previous, moved, { alignedThreshold: Math.min(score, 0.79) - 0.01 });
    expect(resultFor(outcome, moved, '第五条')).toMatchObject({
      status: 'uncertain',
      candidateStableId: idOf(previous, '第三条'),
    });
    expectCountsAddUp(outcome, previous, moved);
  });

  it('offers a clause rewritten in place by position, and calls a rewritten clause elsewhere new', () => {
    const previous = withIds(flat(law(ARTICLES)));
    const inPlace = [...ARTICLES];
    inPlace[4] = '违反本办法规定的，由城市管理部门责令限期改正，并处以罚款。';
    const next = flat(law(inPlace));
    // This rewrite shares almost nothing with the old text: by default it is simply new.
    expect(resultFor(matchClauses(previous, next), next, '第五条')).toMatchObject({ status: 'new' });
    const outcome = matchClauses(previous, next, { positionMinScore: 0 });
    expect(resultFor(outcome, next, '第五条')).toMatchObject({
      status: 'uncertain',
      stableId: null,
      candidateStableId: idOf(previous, '第五条'),
      pass: 'position',
    });
    expect(outcome.counts.removed).toBe(0);

    // Deleted at the end and a different text inserted at the start: no shared position, no similarity.
    const moved = flat(law([inPlace[4] ?? '', ...ARTICLES.slice(0, 4)]));
    const second = matchClauses(previous, moved);
    expect(resultFor(second, moved, '第一条')).toMatchObject({ status: 'new', stableId: null });
    expect(second.removed).toEqual([idOf(previous, '第五条')]);
    expect(second.counts).toEqual({ matched: 5, changed: 0, new: 1, removed: 1, uncertain: 0 });
    expect(matchClauses(previous, next, { positionPass: false }).counts).toMatchObject({
      new: 1,
      removed: 1,
    });
    expect(matchClauses(previous, next, { positionMinScore: 0.3 }).counts).toMatchObject({
      new: 1,
      removed: 1,
    });
  });

  it('matches through whitespace and punctuation width but not across kinds', () => {
    const previous = withIds(flat('第一条 本办法适用于全市（含新区）。\n一、本办法适用于全市。'));
    const next = flat('第一条  本办法适用于全市(含新区)。\n第二条 本办法适用于全市。');
    const outcome = matchClauses(previous, next);
    expect(outcome.results.map((r) => r.status)).toEqual(['matched', 'new']);
    expect(outcome.removed).toEqual(['old-1']);
  });

  it('pairs repeated texts in order, preferring the same parent', () => {
    const previous = withIds(
      flat(`
        第一条 有下列情形之一的，不予登记：
        （一）材料不全的；
        （二）法律、行政法规规定的其他情形。
        第二条 有下列情形之一的，应当注销：
        （一）主体终止的；
        （二）法律、行政法规规定的其他情形。
        第三条 同上。
        第四条 同上。
      `),
    );
    const next = flat(`
      第一条 有下列情形之一的，应当注销：
      （一）主体终止的；
      （二）法律、行政法规规定的其他情形。
      第二条 同上。
      第三条 同上。
      第四条 同上。
    `);
    const outcome = matchClauses(previous, next);
    const ids = outcome.results.map((r) => r.stableId);
    const prevItem = previous.find((c) => c.path === '第二条/（二）')?.stableId;
    expect(ids[2]).toBe(prevItem);
    // Two 同上 articles before, three now: the first two keep theirs in order, the third is new.
    expect(ids.slice(3)).toEqual([idOf(previous, '第三条'), idOf(previous, '第四条'), null]);
    expect(outcome.results[5]?.status).toBe('new');
    expect(outcome.removed).toEqual(previous.slice(0, 3).map((c) => c.stableId));
    expectCountsAddUp(outcome, previous, next);
  });

  it('uses an old clause once even when the new version repeats it', () => {
    const previous = withIds(flat(law(ARTICLES.slice(0, 2))));
    const next = flat(law([ARTICLES[0] ?? '', ARTICLES[0] ?? '', ARTICLES[1] ?? '']));
    const outcome = matchClauses(previous, next);
    const ids = outcome.results.map((r) => r.stableId ?? r.candidateStableId ?? null);
    expect(ids.filter((id) => id === idOf(previous, '第一条'))).toHaveLength(1);
    expectCountsAddUp(outcome, previous, next);
  });

  it('requires stable ids on the previous version', () => {
    expect(() => matchClauses(flat(law(ARTICLES)), [])).toThrow(/stableId/);
    const dup = withIds(flat(law(ARTICLES))).map((c) => ({ ...c, stableId: 'same' }));
    expect(() => matchClauses(dup, [])).toThrow(/twice/);
    expect(matchClauses([], flat(law(ARTICLES))).counts.new).toBe(6);
    expect(matchClauses(withIds(flat(law(ARTICLES))), []).counts.removed).toBe(6);
  });

  it('matches 2,000 × 2,000 clauses', () => {
    const random = seeded(42);
    const pool = Array.from({ length: 900 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 37) % 5000)));
    const words = Array.from({ length: 400 }, () => pick(random, pool) + pick(random, pool));
    const sentence = (n: number): string =>
      Array.from({ length: n }, () => pick(random, words)).join('') + '。';
    const kinds: ClauseKind[] = ['article', 'cn-paren', 'arabic'];
    const previous: FlatClause[] = Array.from({ length: 2000 }, (_, i) => ({
      key: `p${i}`,
      stableId: `s${i}`,
      parentKey: null,
      kind: kinds[i % 3] ?? 'article',
      number: null,
      heading: null,
      text: sentence(20 + Math.floor(random() * 80)),
      siblingIndex: i,
      path: `${i}`,
    }));
    // Every clause edited a little (all through pass 2), a few deleted and new ones inserted.
    const next: FlatClause[] = [];
    previous.forEach((c, i) => {
      if (i % 40 === 0) {
        return;
      }
      const chars = [...c.text];
      for (let k = 0; k < 3; k++) {
        chars.splice(Math.floor(random() * chars.length), 1, pick(random, pool));
      }
      next.push({
        ...c,
        key: `n${next.length}`,
        stableId: undefined,
        text: chars.join(''),
        siblingIndex: next.length,
      });
      if (i % 40 === 1) {
        next.push({
          ...c,
          key: `n${next.length}`,
          stableId: undefined,
          text: sentence(50),
          siblingIndex: next.length,
        });
      }
    });
    const outcome = matchClauses(previous, next);
    expect(outcome.counts.changed).toBe(1950);
    expect(outcome.counts.new).toBe(50);
    expect(outcome.counts.removed).toBe(50);
    expectCountsAddUp(outcome, previous, next);
    next.forEach((c, i) => {
      const r = outcome.results[i];
      if (r?.status === 'changed') {
        expect(r.stableId).toBe(`s${c.path}`);
      }
    });
  });
});

describe.skipIf(!havePair)('Shanghai 2020 → 2024 (shared fixtures)', () => {
  it('carries ids over a real revision and the counts add up', async () => {
    const previous = withIds(flattenClauses(await importFixture(SHANGHAI_2020)), 'sh2020');
    const next = flattenClauses(await importFixture(SHANGHAI_2024));
    const outcome = matchClauses(previous, next);
    expectCountsAddUp(outcome, previous, next);

    // Independent expectation for pass 1: a clause keeps an id when the same kind and the same text
    // (whitespace and punctuation width aside) occur in both versions, as often as they occur on both sides.
    const norm = (c: FlatClause): string =>
      `${c.kind}|${(c.heading ?? '').normalize('NFKC').replace(/\s/g, '')}|${c.text.normalize('NFKC').replace(/\s/g, '')}`;
    const before = new Map<string, number>();
    for (const c of previous) {
      before.set(norm(c), (before.get(norm(c)) ?? 0) + 1);
    }
    const after = new Map<string, number>();
    for (const c of next) {
      after.set(norm(c), (after.get(norm(c)) ?? 0) + 1);
    }
    let identical = 0;
    for (const [key, n] of after) {
      identical += Math.min(n, before.get(key) ?? 0);
    }
    expect(outcome.counts.matched).toBe(identical);

    // Every 2024 article whose text equals a 2020 article's gets that article's id.
    const prevArticles = previous.filter((c) => c.kind === 'article');
    let sameTextArticles = 0;
    let renumbered = 0;
    next.forEach((c, i) => {
      if (c.kind !== 'article') {
        return;
      }
      const twins = prevArticles.filter((p) => norm(p) === norm(c));
      if (twins.length > 0) {
        sameTextArticles += 1;
        const result = outcome.results[i];
        expect(result?.status).toBe('matched');
        expect(twins.map((t) => t.stableId)).toContain(result?.stableId);
        if (twins[0]?.number !== c.number) {
          renumbered += 1;
        }
      }
    });
    expect(sameTextArticles).toBe(20);
    expect(renumbered).toBeGreaterThan(0);

    // The figures of this revision (2020: 94 clauses, 2024: 111).
    expect(previous).toHaveLength(94);
    expect(next).toHaveLength(111);
    expect(outcome.counts).toEqual({ matched: 32, changed: 44, new: 19, removed: 2, uncertain: 16 });
    const articleResults = outcome.results.filter((_, i) => next[i]?.kind === 'article');
    const changed = articleResults.filter((r) => r.status === 'changed');
    expect(changed.filter((r) => r.pass === 'similar').every((r) => (r.score ?? 0) >= 0.8)).toBe(true);
    expect(changed.filter((r) => r.pass === 'aligned').every((r) => (r.score ?? 0) >= 0.65)).toBe(true);
    expect(changed.filter((r) => r.pass === 'aligned').length).toBe(14);
    expect(
      articleResults
        .filter((r) => r.status === 'uncertain')
        .every((r) => r.stableId === null && r.candidateStableId !== undefined),
    ).toBe(true);
  });
});

function seeded(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) {
    throw new Error('empty list');
  }
  return item;
}
