import { describe, expect, it } from 'vitest';
import { createRandom } from './classify/random.ts';
import { SimilarityIndex } from './similar.ts';

const DOCS = [
  { id: 'zh-charging', text: '建议加快老旧小区充电桩建设，明确电力增容的责任单位和资金来源。' },
  { id: 'zh-bus', text: '建议增加郊区公交线路，缩短高峰时段的发车间隔。' },
  { id: 'zh-green', text: '建议提高城市绿地率，新建小区绿地率不低于30%。' },
  { id: 'en-charging', text: 'Please require EV charging stations in every new residential building.' },
  { id: 'en-bike', text: 'Build protected bike lanes on the main roads downtown.' },
  { id: 'emoji', text: '👍👍 支持 🚲' },
  { id: 'one', text: '好' },
  { id: 'empty', text: '' },
];

const index = SimilarityIndex.build(DOCS);
const topId = (text: string): string | undefined => index.query(text)[0]?.id;

describe('SimilarityIndex', () => {
  it('counts its documents', () => {
    expect(index.size).toBe(DOCS.length);
    expect(SimilarityIndex.build([]).size).toBe(0);
    expect(SimilarityIndex.build([]).query('充电桩')).toEqual([]);
  });

  it('finds the opinion that says the same thing in other words, in Chinese', () => {
    const matches = index.query('老旧小区的充电桩建设要加快，电力增容由谁负责、钱从哪里来要写清楚。');
    expect(matches[0]!.id).toBe('zh-charging');
    expect(matches[0]!.score).toBeGreaterThan(0.3);
    expect(matches.map((m) => m.id)).not.toContain('en-bike');
  });

  it('finds the opinion that says the same thing in other words, in English', () => {
    expect(topId('New residential buildings should have charging stations for EVs.')).toBe('en-charging');
    expect(topId('bike lanes downtown, protected please')).toBe('en-bike');
  });

  it('scores an identical text 1 and ranks by similarity', () => {
    const matches = index.query(DOCS[1]!.text, { minScore: 0 });
    expect(matches[0]).toEqual({ id: 'zh-bus', score: 1 });
    for (let i = 1; i < matches.length; i++) {
      expect(matches[i]!.score).toBeLessThanOrEqual(matches[i - 1]!.score);
    }
  });

  it('matches traditional characters and full-width letters to their normal forms', () => {
    expect(topId('建議加快老舊小區充電樁建設')).toBe('zh-charging');
    expect(topId('ＥＶ ＣＨＡＲＧＩＮＧ ＳＴＡＴＩＯＮＳ')).toBe('en-charging');
  });

  it('handles empty text, one character, emoji and mixed scripts', () => {
    expect(index.query('')).toEqual([]);
    expect(index.query('   ')).toEqual([]);
    expect(topId('好')).toBe('one');
    expect(topId('👍 🚲')).toBe('emoji');
    expect(topId('小区 EV charging 充电桩 stations')).toMatch(/charging$/u);
    expect(index.query('完全无关的内容 zzz qqq')).toEqual([]);
  });

  it('applies limit, minScore and exclude', () => {
    const text = '建议加快老旧小区充电桩建设';
    expect(index.query(text, { limit: 1, minScore: 0 })).toHaveLength(1);
    expect(index.query(text, { limit: 0 })).toEqual([]);
    const all = index.query(text, { minScore: 0 });
    expect(all.length).toBeGreaterThan(1);
    expect(index.query(text, { minScore: 0.99 })).toEqual([]);
    const excluded = index.query(text, { exclude: new Set(['zh-charging']), minScore: 0 });
    expect(excluded.map((m) => m.id)).not.toContain('zh-charging');
  });

  it('returns an id given twice once, with its better score', () => {
    const twice = SimilarityIndex.build([
      { id: 'x', text: '增加公交线路' },
      { id: 'x', text: '减少停车位' },
      { id: 'y', text: '增加公交线路和站点' },
    ]);
    const matches = twice.query('增加公交线路', { minScore: 0 });
    expect(matches.map((m) => m.id)).toEqual(['x', 'y']);
    expect(matches[0]!.score).toBe(1);
  });

  it('indexes and queries a 100 KB text', () => {
    const long = '建议加快老旧小区充电桩建设。'.repeat(8_000);
    expect(long.length).toBeGreaterThan(100_000);
    const big = SimilarityIndex.build([...DOCS, { id: 'long', text: long }]);
    expect(big.query(long)[0]!.id).toBe('long');
    expect(big.query('建议加快老旧小区充电桩建设。', { minScore: 0 }).map((m) => m.id)).toContain('long');
  });

  it('answers a query over 20,000 documents', () => {
    const random = createRandom(7);
    const places = ['东城', '西城', '朝阳', '海淀', '丰台', '石景山', '通州', '顺义', '大兴', '昌平'];
    const things = [
      '公交线路',
      '充电桩',
      '绿地',
      '停车位',
      '学校',
      '医院',
      '养老机构',
      '菜市场',
      '地铁站',
      '公园',
    ];
    const verbs = ['增加', '减少', '优化', '规划', '新建', '改造'];
    const english = ['bus routes', 'parking', 'bike lanes', 'schools', 'clinics', 'parks', 'housing'];
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const docs = Array.from({ length: 20_000 }, (_, i) => ({
      id: `d${i}`,
      text:
        i % 2 === 0
          ? `建议在${pick(places)}${pick(verbs)}${pick(things)}，并${pick(verbs)}${pick(things)}。编号${i}`
          : `Please ${pick(['add', 'cut', 'improve', 'plan'])} ${pick(english)} near ${pick(english)}. #${i}`,
    }));
    docs.push({ id: 'needle', text: '建议在门头沟山区新建应急避难场所，配备卫星电话和发电机。' });
    const big = SimilarityIndex.build(docs);
    expect(big.size).toBe(20_001);
    const matches = big.query('门头沟山区应急避难场所要新建，并配备卫星电话、发电机', { limit: 5 });
    expect(matches[0]!.id).toBe('needle');
    expect(matches.length).toBeLessThanOrEqual(5);
    const englishMatches = big.query('Please improve bike lanes near schools.', { limit: 20 });
    expect(englishMatches).toHaveLength(20);
    expect(englishMatches.every((m) => Number(m.id.slice(1)) % 2 === 1)).toBe(true);
  });
});
