import { describe, expect, it } from 'vitest';
import type { ConflictCandidate, ConflictOpinion } from './conflicts.ts';
import { findConflictCandidates } from './conflicts.ts';
import type { Figure } from './figures.ts';

function opinion(id: string, unitId: string | null, fields: Partial<ConflictOpinion> = {}): ConflictOpinion {
  return { id, unitId, clauseId: 'c1', text: '', figures: [], ...fields };
}

function figure(target: string, value: number, fields: Partial<Figure> = {}): Figure {
  return {
    text: `${target}${value}`,
    start: 0,
    end: 1,
    target,
    value,
    unit: '%',
    direction: 'increase',
    year: null,
    ...fields,
  };
}

const pairs = (candidates: ConflictCandidate[]): string[] => candidates.map((c) => `${c.a}-${c.b}`);

describe('findConflictCandidates: reasons', () => {
  it('pairs support or modify with oppose, from different units', () => {
    const result = findConflictCandidates([
      opinion('s', 'energy', { stance: 'support', text: '支持加快充电桩建设。' }),
      opinion('o', 'finance', { stance: 'oppose', text: '反对，财政难以承担。' }),
      opinion('m', 'housing', { stance: 'modify', text: '建议修改为分阶段推进。' }),
      opinion('n', 'ecology', { stance: 'none', text: '无意见。' }),
      opinion('s2', 'transport', { stance: 'support', text: 'I support this clause.' }),
    ]);
    expect(pairs(result).sort()).toEqual(['o-m', 'o-s2', 's-o']);
    expect(result.every((c) => c.reasons.join() === 'opposite_stance' && c.clauseId === 'c1')).toBe(true);
    // Support against opposition disagrees more than a modification against it.
    expect(result.at(-1)).toMatchObject({ a: 'o', b: 'm' } satisfies Partial<ConflictCandidate>);
  });

  it('never pairs two opinions of the same unit, but pairs two members of the public', () => {
    expect(
      findConflictCandidates([
        opinion('a', 'energy', { stance: 'support' }),
        opinion('b', 'energy', { stance: 'oppose' }),
      ]),
    ).toEqual([]);
    expect(
      pairs(
        findConflictCandidates([
          opinion('a', null, { stance: 'support' }),
          opinion('b', null, { stance: 'oppose' }),
        ]),
      ),
    ).toEqual(['a-b']);
  });

  it('compares opinions of the same clause only', () => {
    expect(
      findConflictCandidates([
        opinion('a', 'u1', { stance: 'support', clauseId: 'c1' }),
        opinion('b', 'u2', { stance: 'oppose', clauseId: 'c2' }),
      ]),
    ).toEqual([]);
  });

  it('finds incompatible replacement texts', () => {
    const result = findConflictCandidates([
      opinion('a', 'u1', { proposedText: '本条删除。' }),
      opinion('b', 'u2', { proposedText: '保留本条，并将适用范围扩大到全市所有新建住宅小区。' }),
    ]);
    expect(result).toHaveLength(1);
    expect(result[0]!.reasons).toEqual(['incompatible_text']);
    expect(result[0]!.textSimilarity).toBeLessThan(0.85);
  });

  it('does not count texts that are the same apart from form, or where one contains the other', () => {
    const result = findConflictCandidates([
      opinion('a', 'u1', { proposedText: '加快推进充电基础设施建设。' }),
      opinion('b', 'u2', { proposedText: '加快推進充電基礎設施建設' }),
      opinion('c', 'u3', { proposedText: '加快推进充电基础设施建设，并明确资金来源。' }),
      opinion('d', 'u4', { proposedText: 'Speed up CHARGING infrastructure.' }),
      opinion('e', 'u5', { proposedText: 'speed up charging   infrastructure' }),
    ]);
    expect(pairs(result).sort()).toEqual(['a-d', 'a-e', 'b-d', 'b-e', 'c-d', 'c-e'].sort());
    expect(result.every((c) => c.reasons.join() === 'incompatible_text')).toBe(true);
  });

  it('honours the text threshold', () => {
    const texts = [
      opinion('a', 'u1', { proposedText: '到2027年建成公共充电桩5万个，实现城区全覆盖。' }),
      opinion('b', 'u2', { proposedText: '到2027年建成公共充电桩5万个，实现乡镇全覆盖。' }),
    ];
    expect(findConflictCandidates(texts)).toEqual([]);
    const strict = findConflictCandidates(texts, { textThreshold: 0.95 });
    expect(strict[0]!.reasons).toEqual(['incompatible_text']);
    expect(strict[0]!.textSimilarity).toBeGreaterThan(0.85);
  });

  it('finds different figures for the same target, from given figures', () => {
    const result = findConflictCandidates([
      opinion('a', 'u1', { figures: [figure('新能源汽车销量', 20)] }),
      opinion('b', 'u2', { figures: [figure('新能源汽车销量', 15)] }),
      opinion('c', 'u3', { figures: [figure('新能源汽车销量', 20)] }),
      opinion('d', 'u4', { figures: [figure('绿地率', 15)] }),
    ]);
    expect(pairs(result).sort()).toEqual(['a-b', 'b-c']);
    expect(result[0]!.reasons).toEqual(['different_figures']);
    expect(result[0]!.figures![0]!.a.value).not.toBe(result[0]!.figures![0]!.b.value);
  });

  it('does not count a figure both opinions state, as when both quote the clause', () => {
    const clauseFigure = figure('公共充电桩', 5, { unit: '万个', direction: 'reach' });
    const result = findConflictCandidates([
      opinion('a', 'u1', {
        figures: [clauseFigure, figure('公共充电桩', 8, { unit: '万个', direction: 'reach' })],
      }),
      opinion('b', 'u2', {
        figures: [clauseFigure, figure('公共充电桩', 8, { unit: '万个', direction: 'reach' })],
      }),
      opinion('c', 'u3', {
        figures: [clauseFigure, figure('公共充电桩', 3, { unit: '万个', direction: 'reach' })],
      }),
    ]);
    expect(pairs(result).sort()).toEqual(['a-c', 'b-c']);
    expect(result[0]!.figures!.map((f) => [f.a.value, f.b.value])).toEqual([[8, 3]]);
  });

  it('extracts figures from the text and the proposed text when none are given', () => {
    const result = findConflictCandidates([
      { id: 'a', unitId: 'u1', clauseId: 'c1', text: '建议新能源汽车销量提升20%。' },
      { id: 'b', unitId: 'u2', clauseId: 'c1', text: '目标过高。', proposedText: '新能源汽车销量提升15%' },
    ]);
    expect(result).toHaveLength(1);
    expect(result[0]!.reasons).toContain('different_figures');
    expect(result[0]!.figures!.map((f) => [f.a.value, f.b.value])).toEqual([[20, 15]]);
  });

  it('ranks more reasons first, then stronger stances and more different figures', () => {
    const result = findConflictCandidates([
      opinion('all3-a', 'u1', {
        stance: 'support',
        proposedText: '到2027年公共充电桩达到8万个。',
        figures: [figure('公共充电桩', 8, { unit: '万个' })],
      }),
      opinion('all3-b', 'u2', {
        stance: 'oppose',
        proposedText: '删除本条具体数量，改为“适度发展”。',
        figures: [figure('公共充电桩', 3, { unit: '万个' })],
      }),
      opinion('weak-a', 'u3', { stance: 'support', stanceScore: 0.3 }),
      opinion('strong-b', 'u4', { stance: 'oppose', stanceScore: 0.9 }),
      opinion('fig1-a', 'u5', { figures: [figure('绿地率', 30)] }),
      opinion('fig2-b', 'u6', { figures: [figure('绿地率', 25), figure('林木覆盖率', 40)] }),
      opinion('fig2-c', 'u7', { figures: [figure('绿地率', 35), figure('林木覆盖率', 45)] }),
    ]);
    expect(result[0]).toMatchObject({ a: 'all3-a', b: 'all3-b' });
    expect(result[0]!.reasons).toEqual(['opposite_stance', 'incompatible_text', 'different_figures']);
    expect(result[0]!.score).toBeGreaterThan(2 / 3);
    for (let i = 1; i < result.length; i++) {
      expect(result[i]!.score).toBeLessThanOrEqual(result[i - 1]!.score);
    }
    const score = (a: string, b: string): number => result.find((c) => c.a === a && c.b === b)!.score;
    expect(score('fig2-b', 'fig2-c')).toBeGreaterThan(score('fig1-a', 'fig2-b'));
    expect(score('all3-a', 'strong-b')).toBeGreaterThan(score('weak-a', 'strong-b'));
  });

  it('ranks a conflict between units before one between members of the public at equal score', () => {
    const result = findConflictCandidates([
      opinion('p1', null, { stance: 'support' }),
      opinion('p2', null, { stance: 'oppose' }),
      opinion('u1', 'unit-1', { stance: 'support' }),
      opinion('u2', 'unit-2', { stance: 'oppose' }),
    ]);
    expect(result[0]).toMatchObject({ a: 'u1', b: 'u2' });
  });
});

describe('findConflictCandidates: edge cases', () => {
  it('returns nothing for no opinions, one opinion, or a zero limit', () => {
    expect(findConflictCandidates([])).toEqual([]);
    expect(findConflictCandidates([opinion('a', 'u1', { stance: 'support' })])).toEqual([]);
    expect(
      findConflictCandidates(
        [opinion('a', 'u1', { stance: 'support' }), opinion('b', 'u2', { stance: 'oppose' })],
        {
          limit: 0,
        },
      ),
    ).toEqual([]);
  });

  it('handles empty and one-character texts, emoji and mixed scripts', () => {
    const result = findConflictCandidates([
      opinion('empty', 'u1', { text: '', proposedText: '' }),
      opinion('one', 'u2', { text: '好', proposedText: '好', stance: 'support' }),
      opinion('emoji', 'u3', { text: '👎👎', proposedText: '👎', stance: 'oppose' }),
      opinion('mixed', 'u4', { text: 'EV充电桩 should be 免费 🚗', proposedText: 'EV充电桩免费开放' }),
    ]);
    expect(pairs(result).sort()).toEqual(['emoji-mixed', 'one-emoji', 'one-mixed'].sort());
    expect(result.find((c) => c.a === 'one' && c.b === 'emoji')!.reasons).toEqual([
      'opposite_stance',
      'incompatible_text',
    ]);
  });

  it('compares 100 KB texts', () => {
    const long = '建议加快老旧小区充电桩建设。'.repeat(8_000);
    expect(long.length).toBeGreaterThan(100_000);
    const result = findConflictCandidates([
      opinion('a', 'u1', { text: long, proposedText: long, stance: 'support' }),
      opinion('b', 'u2', { text: long, proposedText: `${long}另行规定。`, stance: 'oppose' }),
      opinion('c', 'u3', { text: '删除', proposedText: '删除本条', stance: 'oppose' }),
    ]);
    expect(result.find((c) => c.a === 'a' && c.b === 'b')!.reasons).toEqual(['opposite_stance']);
    expect(result.find((c) => c.a === 'a' && c.b === 'c')!.reasons).toEqual([
      'opposite_stance',
      'incompatible_text',
    ]);
  });

  it('stays within the limit and the per-opinion cap for 10,000 public comments on one clause', () => {
    const opinions: ConflictOpinion[] = [];
    for (let i = 0; i < 10_000; i++) {
      const kind = i % 4;
      opinions.push(
        opinion(`p${i}`, null, {
          stance: kind === 0 ? 'support' : kind === 1 ? 'oppose' : kind === 2 ? 'modify' : 'none',
          stanceScore: 0.5 + ((i * 7919) % 500) / 1000,
          proposedText: kind === 2 ? `建议修改为：到2027年建成充电桩${i % 50}万个` : null,
          figures: kind === 2 ? [figure('充电桩', i % 50, { unit: '万个' })] : [],
        }),
      );
    }
    // One pair that disagrees in every way; it must come first.
    opinions.push(
      opinion('unit-a', 'energy', {
        stance: 'support',
        proposedText: '全面取消燃油车限行措施并同步新建停车设施',
        figures: [figure('新能源汽车销量', 20)],
      }),
      opinion('unit-b', 'police', {
        stance: 'oppose',
        proposedText: '本条删除',
        figures: [figure('新能源汽车销量', 10)],
      }),
    );
    const result = findConflictCandidates(opinions, { limit: 150, perOpinion: 3 });
    expect(result).toHaveLength(150);
    expect(result[0]).toMatchObject({ a: 'unit-a', b: 'unit-b' });
    expect(result[0]!.reasons).toHaveLength(3);
    const uses = new Map<string, number>();
    for (const c of result) {
      expect(c.a).not.toBe(c.b);
      uses.set(c.a, (uses.get(c.a) ?? 0) + 1);
      uses.set(c.b, (uses.get(c.b) ?? 0) + 1);
    }
    expect(Math.max(...uses.values())).toBeLessThanOrEqual(3);
    expect(new Set(pairs(result)).size).toBe(150);
    for (let i = 1; i < result.length; i++) {
      expect(result[i]!.score).toBeLessThanOrEqual(result[i - 1]!.score);
    }
    // Modifications with different figures and texts outrank a bare opposite stance.
    expect(result[1]!.reasons.length).toBeGreaterThanOrEqual(2);
    expect(findConflictCandidates(opinions)).toHaveLength(200);
  });
});
