import { describe, expect, it } from 'vitest';
import {
  SHANGHAI_2020,
  SHANGHAI_2024,
  clausesOfLines,
  fixturesAvailable,
  importFixture,
  warnIfFixturesAbsent,
} from '../../test/fixtures.ts';
import type { FlatClause } from './clause.ts';
import { flattenClauses } from './clause.ts';
import type { ClauseDiff, DiffSegment } from './clause-diff.ts';
import { diffText, diffVersions, summarizeDiff } from './clause-diff.ts';
import { matchClauses } from './clause-match.ts';

const havePair =
  warnIfFixturesAbsent('the Shanghai 2020 → 2024 diff test', SHANGHAI_2020) &&
  fixturesAvailable(SHANGHAI_2024);

const flat = clausesOfLines;

/** Gives clauses stable ids by their text, so that the same text keeps the same id in both versions. */
function idsByLabel(clauses: readonly FlatClause[], ids: Record<string, string>): FlatClause[] {
  return clauses.map((c) => {
    const id = ids[c.text] ?? ids[c.heading ?? ''];
    return id === undefined ? { ...c } : { ...c, stableId: id };
  });
}

const oldSide = (segments: readonly DiffSegment[]): string =>
  segments
    .filter((s) => s.op !== 'insert')
    .map((s) => s.text)
    .join('');
const newSide = (segments: readonly DiffSegment[]): string =>
  segments
    .filter((s) => s.op !== 'delete')
    .map((s) => s.text)
    .join('');

describe('diffText', () => {
  it('marks insertions and deletions at character level', () => {
    expect(diffText('不得低于百分之三十。', '不得低于百分之三十五。')).toEqual([
      { op: 'equal', text: '不得低于百分之三十' },
      { op: 'insert', text: '五' },
      { op: 'equal', text: '。' },
    ]);
    expect(diffText('市场主体', '经营主体')).toEqual([
      { op: 'delete', text: '市场' },
      { op: 'insert', text: '经营' },
      { op: 'equal', text: '主体' },
    ]);
    expect(diffText('', '新增')).toEqual([{ op: 'insert', text: '新增' }]);
    expect(diffText('删除', '')).toEqual([{ op: 'delete', text: '删除' }]);
    expect(diffText('同', '同')).toEqual([{ op: 'equal', text: '同' }]);
    expect(diffText('', '')).toEqual([]);
  });

  it('folds one-character matches stranded between changes', () => {
    const segments = diffText('甲乙丙丁', '戊乙己丁');
    expect(segments).toEqual([
      { op: 'delete', text: '甲乙丙' },
      { op: 'insert', text: '戊乙己' },
      { op: 'equal', text: '丁' },
    ]);
  });

  it('always rebuilds both texts from its segments', () => {
    let seed = 11;
    const random = (): number => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const alphabet = [...'市场主体经营营商环境优化，。的'];
    const text = (n: number): string =>
      Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)] ?? '').join('');
    for (let k = 0; k < 200; k++) {
      const a = text(Math.floor(random() * 40));
      const b = random() < 0.5 ? text(Math.floor(random() * 40)) : a.slice(0, 10) + text(5) + a.slice(15);
      const segments = diffText(a, b);
      expect(oldSide(segments)).toBe(a);
      expect(newSide(segments)).toBe(b);
      for (let i = 1; i < segments.length; i++) {
        expect(segments[i]?.op === 'equal' && segments[i - 1]?.op === 'equal').toBe(false);
      }
    }
  });
});

describe('diffVersions', () => {
  const before = `
    第一章 总则
    第一条 为了规范城市绿化管理，制定本办法。
    第二条 本办法适用于本市行政区域。
    第三条 任何单位不得擅自占用绿地。
    第二章 附则
    第四条 本办法自公布之日起施行。
  `;
  const after = `
    第一章 总则
    第一条 本办法所称绿地，包括公园绿地和防护绿地。
    第二条 为了规范城市绿化管理，制定本办法。
    第三条 本办法适用于本市全部行政区域。
    第二章 附则
    第四条 本办法自公布之日起施行。
  `;
  const ids = {
    总则: 'ch1',
    附则: 'ch2',
    '为了规范城市绿化管理，制定本办法。': 'a1',
    '本办法适用于本市行政区域。': 'a2',
    '本办法适用于本市全部行政区域。': 'a2',
    '任何单位不得擅自占用绿地。': 'a3',
    '本办法自公布之日起施行。': 'a4',
    '本办法所称绿地，包括公园绿地和防护绿地。': 'a5',
  };
  const previous = idsByLabel(flat(before), ids);
  const next = idsByLabel(flat(after), ids);
  const diff = diffVersions(previous, next);

  it('classifies every clause by stable id, in next order with removals after their previous sibling', () => {
    expect(diff.map((d) => `${d.stableId ?? '-'} ${d.status}`)).toEqual([
      'ch1 unchanged',
      'a5 added',
      'a1 renumbered',
      'a2 changed',
      'a3 removed',
      'ch2 unchanged',
      'a4 unchanged',
    ]);
    expect(summarizeDiff(diff)).toEqual({ unchanged: 3, changed: 1, renumbered: 1, added: 1, removed: 1 });
  });

  it('keeps both snapshots and the character diff', () => {
    const renumbered = diff.find((d) => d.stableId === 'a1');
    expect(renumbered?.previous).toMatchObject({ number: '第一条', path: '第一章/第一条' });
    expect(renumbered?.next).toMatchObject({ number: '第二条', path: '第一章/第二条' });
    expect(renumbered?.segments).toEqual([{ op: 'equal', text: '为了规范城市绿化管理，制定本办法。' }]);
    const changed = diff.find((d) => d.stableId === 'a2');
    expect(changed?.segments).toEqual([
      { op: 'equal', text: '本办法适用于本市' },
      { op: 'insert', text: '全部' },
      { op: 'equal', text: '行政区域。' },
    ]);
    expect(diff.find((d) => d.stableId === 'a3')).toMatchObject({
      status: 'removed',
      previous: { number: '第三条' },
      segments: [{ op: 'delete', text: '任何单位不得擅自占用绿地。' }],
    });
    expect(diff.find((d) => d.stableId === 'a3')?.next).toBeUndefined();
    expect(diff.find((d) => d.stableId === 'a5')?.previous).toBeUndefined();
  });

  it('diffs headings and flags clauses that moved to another parent', () => {
    const v1 = idsByLabel(flat('第一章 总 则\n第一条 甲。\n第二章 附则\n第二条 乙。'), {
      总则: 'c1',
      附则: 'c2',
      '甲。': 'x',
      '乙。': 'y',
    });
    const v2 = idsByLabel(flat('第一章 一般规定\n第一条 甲。\n第二条 乙。\n第二章 附则'), {
      '甲。': 'x',
      '乙。': 'y',
      附则: 'c2',
    }).map((c) => (c.heading === '一般规定' ? { ...c, stableId: 'c1' } : c));
    const entries = diffVersions(v1, v2);
    const chapter = entries.find((d) => d.stableId === 'c1');
    expect(chapter?.status).toBe('changed');
    expect(chapter?.headingSegments).toEqual([
      { op: 'delete', text: '总则' },
      { op: 'insert', text: '一般规定' },
    ]);
    expect(entries.find((d) => d.stableId === 'y')).toMatchObject({ status: 'unchanged', moved: true });
    expect(entries.find((d) => d.stableId === 'x')?.moved).toBeUndefined();
  });

  it('places a removed first child right after its parent, and removals at the very start first', () => {
    const v1 = idsByLabel(flat('第一条 总括。\n（一）甲项；\n（二）乙项。\n第二条 丙。'), {
      '总括。': 'a',
      '甲项；': 'i1',
      '乙项。': 'i2',
      '丙。': 'b',
    });
    const v2 = idsByLabel(flat('第一条 总括。\n（一）乙项。'), { '总括。': 'a', '乙项。': 'i2' });
    expect(diffVersions(v1, v2).map((d) => `${d.stableId ?? '-'} ${d.status}`)).toEqual([
      'a unchanged',
      'i1 removed',
      'i2 renumbered',
      'b removed',
    ]);
    const v3 = idsByLabel(flat('第一条 丙。'), { '丙。': 'b' });
    expect(diffVersions(v1, v3).map((d) => `${d.stableId ?? '-'} ${d.status}`)).toEqual([
      'a removed',
      'i1 removed',
      'i2 removed',
      'b renumbered',
    ]);
  });

  it('treats clauses without a stable id as added', () => {
    const entries = diffVersions([], flat('第一条 新条文。'));
    expect(entries).toEqual<ClauseDiff[]>([
      {
        stableId: null,
        status: 'added',
        next: { key: '0', number: '第一条', heading: null, text: '新条文。', path: '第一条' },
        segments: [{ op: 'insert', text: '新条文。' }],
      },
    ]);
  });
});

describe.skipIf(!havePair)('Shanghai 2020 → 2024 redline (shared fixtures)', () => {
  it('agrees with the match counts', async () => {
    const previous = flattenClauses(await importFixture(SHANGHAI_2020)).map((c, i) => ({
      ...c,
      stableId: `o${i}`,
    }));
    const fresh = flattenClauses(await importFixture(SHANGHAI_2024));
    const match = matchClauses(previous, fresh);
    // The caller gives new ids to new clauses and, until a person confirms them, to uncertain ones.
    const next = fresh.map((c, i) => ({ ...c, stableId: match.results[i]?.stableId ?? `n${i}` }));
    const diff = diffVersions(previous, next);
    const summary = summarizeDiff(diff);
    expect(summary.added).toBe(match.counts.new + match.counts.uncertain);
    expect(summary.removed).toBe(match.counts.removed + match.counts.uncertain);
    expect(summary.unchanged + summary.renumbered + summary.changed).toBe(
      match.counts.matched + match.counts.changed,
    );
    expect(diff.filter((d) => d.status !== 'removed').map((d) => d.next?.key)).toEqual(
      next.map((c) => c.key),
    );
    for (const entry of diff) {
      if (entry.previous && entry.segments) {
        expect(oldSide(entry.segments)).toBe(entry.previous.text);
      }
      if (entry.next && entry.segments) {
        expect(newSide(entry.segments)).toBe(entry.next.text);
      }
    }
    // Renumbering is visible: articles kept with the same text under another number.
    expect(summary.renumbered).toBeGreaterThan(0);
    expect(diff.some((d) => d.status === 'renumbered' && d.previous?.number !== d.next?.number)).toBe(true);
  });
});
