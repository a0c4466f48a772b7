import { describe, expect, it } from 'vitest';
import type { UnitProfile } from './routing.ts';
import { routeClause, routeClauses, suggestQuestions } from './routing.ts';

const UNITS: UnitProfile[] = [
  { id: 'energy', name: '市发展改革委（能源局）', keywords: ['充电基础设施', '电网', '新能源', '能源'] },
  { id: 'transport', name: '市交通运输局', keywords: ['交通运输', '公交', '充电桩', '道路', '能源'] },
  { id: 'housing', name: '市住房城乡建设局', keywords: ['住宅小区', '老旧小区改造', '物业', '能源'] },
  { id: 'ecology', name: '市生态环境局', keywords: ['生态环境', '碳排放', '大气污染'] },
  { id: 'hangzhou', name: '杭州市人民政府', keywords: ['城市更新'], areas: ['杭州市', '西湖区'] },
  { id: 'dot', name: 'Department of Transportation', keywords: ['public transport', 'roads', 'EV'] },
];

const ids = (suggestions: { unitId: string }[]): string[] => suggestions.map((s) => s.unitId);

describe('routeClause', () => {
  it('finds the units whose keywords the clause names, the most specific first', () => {
    const clause = '加快充电基础设施建设，推动住宅小区配建充电桩，完善配套电网。';
    const result = routeClause(clause, UNITS);
    expect(ids(result)).toEqual(['energy', 'transport', 'housing']);
    expect(result[0]!.matched).toEqual(expect.arrayContaining(['充电基础设施', '电网']));
    expect(result[1]!.matched).toEqual(['充电桩']);
    expect(result[2]!.matched).toEqual(['住宅小区']);
    expect(result[0]!.score).toBeGreaterThan(result[1]!.score);
  });

  it('counts a keyword many units share for less than one that only one unit lists', () => {
    const shared = routeClause('优化能源结构。', UNITS);
    expect(ids(shared).sort()).toEqual(['energy', 'housing', 'transport']);
    const specific = routeClause('推进老旧小区改造。', UNITS);
    expect(ids(specific)).toEqual(['housing']);
    expect(specific[0]!.score).toBeGreaterThan(shared[0]!.score);
    expect(specific[0]!.score).toBeCloseTo(1, 5);
  });

  it('leaves out units with no match and returns nothing for empty or blank text', () => {
    expect(routeClause('本规划自发布之日起施行。', UNITS)).toEqual([]);
    expect(routeClause('', UNITS)).toEqual([]);
    expect(routeClause('   \n ', UNITS)).toEqual([]);
    expect(routeClause('加快充电基础设施建设。', [])).toEqual([]);
  });

  it('normalises traditional characters and full-width letters on both sides', () => {
    expect(ids(routeClause('加快充電基礎設施建設，推廣ＥＶ。', UNITS))).toEqual(['energy', 'dot']);
    const traditionalUnit: UnitProfile[] = [{ id: 't', name: '交通', keywords: ['充電樁'] }];
    expect(ids(routeClause('新建充电桩2000个。', traditionalUnit))).toEqual(['t']);
  });

  it('does not find a keyword that cuts across words of the clause', () => {
    const units: UnitProfile[] = [{ id: 'traffic', name: '交警', keywords: ['交通'] }];
    expect(routeClause('鼓励公交通勤。', units)).toEqual([]);
    expect(ids(routeClause('完善交通运输体系。', units))).toEqual(['traffic']);
  });

  it('finds a keyword through its words when they are not side by side, for less', () => {
    const units: UnitProfile[] = [{ id: 'dot', name: 'DOT', keywords: ['public transport'] }];
    const together = routeClause('Expand public transport in the suburbs.', units);
    const apart = routeClause('Transport options for the public must grow.', units);
    expect(ids(together)).toEqual(['dot']);
    expect(ids(apart)).toEqual(['dot']);
    expect(apart[0]!.score).toBeLessThan(together[0]!.score);
  });

  it('matches English keywords as whole words, singular or plural', () => {
    expect(ids(routeClause('Repair the road network.', UNITS))).toEqual(['dot']);
    expect(routeClause('A broad consensus.', UNITS)).toEqual([]);
  });

  it('matches area names with or without their administrative suffix', () => {
    const result = routeClause('支持杭州开展城市更新试点，西湖区先行。', UNITS);
    expect(ids(result)).toEqual(['hangzhou']);
    expect(result[0]!.matched).toEqual(expect.arrayContaining(['杭州市', '西湖区', '城市更新']));
  });

  it('does not count a shorter keyword found only inside a longer one of the same unit', () => {
    const units: UnitProfile[] = [
      { id: 'a', name: 'A', keywords: ['充电基础设施', '基础设施'] },
      { id: 'b', name: 'B', keywords: ['充电基础设施'] },
    ];
    const result = routeClause('加快充电基础设施建设。', units);
    expect(result.find((s) => s.unitId === 'a')!.matched).toEqual(['充电基础设施']);
    expect(result[0]!.score).toBe(result[1]!.score);
  });

  it('handles one-character text, emoji and mixed scripts', () => {
    const units: UnitProfile[] = [
      { id: 'water', name: '水务局', keywords: ['水'] },
      { id: 'car', name: '车管所', keywords: ['🚗'] },
      { id: 'telecom', name: '通信管理局', keywords: ['5G基站'] },
    ];
    expect(ids(routeClause('水', units))).toEqual(['water']);
    expect(routeClause('提升水平。', units)).toEqual([]);
    expect(ids(routeClause('鼓励绿色出行 🚗 🚲', units))).toEqual(['car']);
    expect(ids(routeClause('新建5G基站3000个 and more', units))).toEqual(['telecom']);
  });

  it('counts repeated mentions a little and respects the limit', () => {
    const once = routeClause('完善电网。', UNITS)[0]!.score;
    const thrice = routeClause('完善电网，改造电网，升级电网。', UNITS)[0]!.score;
    expect(thrice).toBeGreaterThan(once);
    expect(thrice).toBeLessThan(2 * once);
    expect(routeClause('充电桩、电网、住宅小区', UNITS, { limit: 2 })).toHaveLength(2);
    expect(routeClause('充电桩、电网、住宅小区', UNITS, { limit: 0 })).toEqual([]);
  });

  it('routes a 100 KB clause', () => {
    const text = '本条规定一般事项。'.repeat(12_000) + '加强大气污染防治。';
    expect(text.length).toBeGreaterThan(100_000);
    expect(ids(routeClause(text, UNITS))).toEqual(['ecology']);
  });
});

describe('routeClauses', () => {
  it('routes each clause by id', () => {
    const result = routeClauses(
      [
        { id: 'c1', text: '加快充电基础设施建设。' },
        { id: 'c2', text: '控制碳排放总量。' },
        { id: 'c3', text: '' },
      ],
      UNITS,
    );
    expect([...result.keys()]).toEqual(['c1', 'c2', 'c3']);
    expect(ids(result.get('c1')!)).toEqual(['energy']);
    expect(ids(result.get('c2')!)).toEqual(['ecology']);
    expect(result.get('c3')).toEqual([]);
  });
});

describe('suggestQuestions', () => {
  const suggestion = { unitId: 'energy', score: 1, matched: ['充电基础设施'] };

  it('asks about the matched keywords with the clause number', () => {
    expect(suggestQuestions({ number: '第十二条', text: '加快充电基础设施建设。' }, suggestion)).toEqual([
      '第十二条涉及“充电基础设施”，请结合贵单位职责提出具体意见。',
    ]);
    expect(suggestQuestions({ number: '12', text: '加快充电基础设施建设。' }, suggestion)[0]).toMatch(
      /^第12条涉及/u,
    );
    expect(suggestQuestions({ number: '（三）', text: '加快充电基础设施建设。' }, suggestion)[0]).toMatch(
      /^第（三）项涉及/u,
    );
    expect(suggestQuestions({ text: '加快充电基础设施建设。' }, suggestion)[0]).toMatch(/^本条涉及/u);
  });

  it('names at most three keywords', () => {
    const many = { unitId: 'u', score: 3, matched: ['甲', '乙', '丙', '丁'] };
    expect(suggestQuestions({ number: null, text: '甲乙丙丁' }, many)).toEqual([
      '本条涉及“甲”、“乙”、“丙”，请结合贵单位职责提出具体意见。',
    ]);
  });

  it('asks about each figure of the clause with what it is about', () => {
    expect(suggestQuestions({ number: '第五条', text: '2027年达到100亿元。' }, suggestion)).toEqual([
      '第五条涉及“充电基础设施”，请结合贵单位职责提出具体意见。',
      '本条提出“2027年达到100亿元”，请评估该目标的可行性。',
    ]);
    const questions = suggestQuestions(
      { text: '到2027年公共充电桩达到5万个，新能源汽车销量占比不低于15%。' },
      { unitId: 'u', score: 1, matched: [] },
    );
    expect(questions).toHaveLength(2);
    expect(questions[0]).toContain('公共充电桩达到5万个');
    expect(questions[1]).toContain('不低于15%');
    // A change "from … to …" is one target, asked about once.
    expect(
      suggestQuestions({ text: '绿地率由15%提高到20%。' }, { unitId: 'u', score: 1, matched: [] }),
    ).toEqual(['本条提出“绿地率由15%提高到20%”，请评估该目标的可行性。']);
    expect(
      suggestQuestions({ text: 'Raise the EV share to at least 15 percent by 2030.' }, suggestion)[1],
    ).toContain('at least 15 percent');
  });

  it('asks nothing when nothing matched and the clause has no figures', () => {
    expect(suggestQuestions({ text: '' }, { unitId: 'u', score: 0, matched: [] })).toEqual([]);
  });
});
