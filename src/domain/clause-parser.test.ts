import { describe, expect, it } from 'vitest';
import type { Block, ParsedClause } from './clause.ts';
import { countByKind, flattenClauses, NUMBERED_KIND_RANK, walkClauses } from './clause.ts';
import {
  collapseHeading,
  detectMarker,
  NO_STRUCTURE_WARNING,
  normalizeBlockText,
  parseClauses,
  splitEnumerationHeading,
} from './clause-parser.ts';

const p = (text: string): Block => ({ type: 'paragraph', text });
const h = (level: number, text: string): Block => ({ type: 'heading', level, text });
const lines = (text: string): Block[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map(p);

/** A compact picture of a tree: 'kind number {heading} text' with children indented. */
function outline(clauses: readonly ParsedClause[]): string[] {
  const out: string[] = [];
  walkClauses(clauses, (c, _parent, depth) => {
    const parts = [
      c.kind,
      c.number ?? '',
      c.heading === null ? '' : `{${c.heading}}`,
      c.text.replace(/\n/g, '⏎'),
    ];
    out.push(
      '  '.repeat(depth) +
        parts
          .filter((s) => s !== '')
          .join(' ')
          .trim(),
    );
  });
  return out;
}

describe('detectMarker', () => {
  it.each([
    ['第一编 总则', 'part', '第一编', 1, '总则'],
    ['第二篇 创新驱动', 'part', '第二篇', 2, '创新驱动'],
    ['第三部分 保障措施', 'part', '第三部分', 3, '保障措施'],
    ['第十二章 附 则', 'chapter', '第十二章', 12, '附 则'],
    ['第一章总则', 'chapter', '第一章', 1, '总则'],
    ['第 三 章 法律责任', 'chapter', '第三章', 3, '法律责任'],
    ['第二节 一般规定', 'section', '第二节', 2, '一般规定'],
    ['第一百三十三条 本办法自公布之日起施行。', 'article', '第一百三十三条', 133, '本办法自公布之日起施行。'],
    ['第十条之一 新增的内容。', 'article', '第十条之一', 10, '新增的内容。'],
    ['第五条【适用范围】本规定适用于全市。', 'article', '第五条', 5, '【适用范围】本规定适用于全市。'],
    ['第九条\u3000全角空格之后的正文。', 'article', '第九条', 9, '全角空格之后的正文。'],
    ['第12条 阿拉伯数字条号。', 'article', '第12条', 12, '阿拉伯数字条号。'],
    ['第七条', 'article', '第七条', 7, ''],
    ['一、总体要求', 'cn-enum', '一、', 1, '总体要求'],
    ['十一、附则', 'cn-enum', '十一、', 11, '附则'],
    ['（三）加强监督', 'cn-paren', '（三）', 3, '加强监督'],
    ['(十二) 半角括号', 'cn-paren', '(十二)', 12, '半角括号'],
    ['1.推进试点', 'arabic', '1.', 1, '推进试点'],
    ['2．全角点', 'arabic', '2．', 2, '全角点'],
    ['3、顿号', 'arabic', '3、', 3, '顿号'],
    ['10. 带空格', 'arabic', '10.', 10, '带空格'],
    ['（1）细项', 'arabic-paren', '（1）', 1, '细项'],
    ['(２) 全角数字', 'arabic-paren', '(２)', 2, '全角数字'],
    ['①第一小项', 'circled', '①', 1, '第一小项'],
    ['⑳ 第二十项', 'circled', '⑳', 20, '第二十项'],
    ['专栏1 重大工程', 'box', '专栏1', 1, '重大工程'],
    ['专栏 2：重点项目', 'box', '专栏2', 2, '重点项目'],
    ['专栏三', 'box', '专栏三', 3, ''],
  ])('%s → %s', (text, kind, number, ordinal, rest) => {
    expect(detectMarker(text)).toEqual({ kind, number, ordinal, rest });
  });

  it.each([
    '第二十三条规定的情形，不适用本条。',
    '第三章的规定适用于前款情形。',
    '第二节所列事项由市政府确定。',
    '1.5亿元专项资金用于试点。',
    '2020年以来，各项工作稳步推进。',
    '2020、2021年连续两年完成目标。',
    '3.14是圆周率的近似值。',
    '一是加强领导，二是落实责任。',
    '（此件公开发布）',
    '（2021年6月10日通过）',
    '专栏作家的来信',
    '第一时间处置。',
    '0.项目',
    '',
  ])('%j is not a marker', (text) => {
    expect(detectMarker(text)).toBeNull();
  });

  it('takes 第X条 without a space only when asked', () => {
    expect(detectMarker('第一条为了规范管理，制定本办法。')).toBeNull();
    expect(detectMarker('第一条为了规范管理，制定本办法。', { allowUnspacedArticle: true })?.kind).toBe(
      'article',
    );
    expect(detectMarker('第二十三条规定的情形', { allowUnspacedArticle: true })).toBeNull();
  });
});

describe('text helpers', () => {
  it('normalises whitespace', () => {
    expect(normalizeBlockText('\u3000\u3000第一条  为了\u200b规范。 \u3000')).toBe('第一条 为了规范。');
    expect(normalizeBlockText('专栏1 \t 重大工程\t\t说明')).toBe('专栏1\t重大工程\t说明');
  });

  it('collapses the spaces of short headings only', () => {
    expect(collapseHeading('总 则')).toBe('总则');
    expect(collapseHeading('附  则')).toBe('附则');
    expect(collapseHeading('5G 网络建设')).toBe('5G 网络建设');
    expect(collapseHeading('加快建设 现代化产业体系 推动经济体系优化升级')).toBe(
      '加快建设 现代化产业体系 推动经济体系优化升级',
    );
  });

  it('splits enumeration headings', () => {
    expect(splitEnumerationHeading('加强组织领导。')).toEqual({ heading: '加强组织领导', text: '' });
    expect(splitEnumerationHeading('加强组织领导')).toEqual({ heading: '加强组织领导', text: '' });
    expect(splitEnumerationHeading('强化考核。各区要把任务纳入年度考核，定期通报进展。')).toEqual({
      heading: '强化考核',
      text: '各区要把任务纳入年度考核，定期通报进展。',
    });
    const long =
      '各区要把优化营商环境工作纳入年度考核体系，建立健全定期通报和督查制度，确保各项任务落到实处。';
    expect(splitEnumerationHeading(long)).toEqual({ heading: null, text: long });
    expect(splitEnumerationHeading('目标：到年底完成。')).toEqual({
      heading: null,
      text: '目标：到年底完成。',
    });
  });
});

const LAW: Block[] = [
  h(1, '某市河道管理条例'),
  p('（2023年5月1日市人大常委会通过）'),
  h(2, '第一章 总 则'),
  p('第一条 为了加强河道管理，保障防洪安全，制定本条例。'),
  p('第二条 本条例适用于本市行政区域内河道的整治、利用和保护。'),
  p('本条例所称河道，包括湖泊、人工水道和行洪区。'),
  h(2, '第二章 河道整治'),
  h(3, '第一节 规划'),
  p('第三条 河道整治应当符合下列要求：'),
  p('（一）符合流域综合规划；'),
  p('（二）兼顾上下游、左右岸；'),
  p('（三）其他法定要求。'),
  p('违反前款规定的，由水务部门责令改正。'),
  p('第四条【规划编制】市水务部门负责编制河道整治规划。'),
  h(3, '第二节 实施'),
  p('第五条 第三条规定的规划由区人民政府组织实施。'),
  p('第三条规定的要求，适用于所有整治工程。'),
  p('第一百三十三条 本条例自2024年1月1日起施行。'),
];

describe('parseClauses: laws', () => {
  const doc = parseClauses(LAW);

  it('takes the first H1 as the title and builds 章/节/条/项', () => {
    expect(doc.title).toBe('某市河道管理条例');
    expect(outline(doc.clauses)).toEqual([
      'paragraph （2023年5月1日市人大常委会通过）',
      'chapter 第一章 {总则}',
      '  article 第一条 为了加强河道管理，保障防洪安全，制定本条例。',
      '  article 第二条 本条例适用于本市行政区域内河道的整治、利用和保护。⏎本条例所称河道，包括湖泊、人工水道和行洪区。',
      'chapter 第二章 {河道整治}',
      '  section 第一节 {规划}',
      '    article 第三条 河道整治应当符合下列要求：⏎违反前款规定的，由水务部门责令改正。',
      '      cn-paren （一） 符合流域综合规划；',
      '      cn-paren （二） 兼顾上下游、左右岸；',
      '      cn-paren （三） 其他法定要求。',
      '    article 第四条 {规划编制} 市水务部门负责编制河道整治规划。',
      '  section 第二节 {实施}',
      '    article 第五条 第三条规定的规划由区人民政府组织实施。⏎第三条规定的要求，适用于所有整治工程。',
      '    article 第一百三十三条 本条例自2024年1月1日起施行。',
    ]);
  });

  it('records ordinals and warns about the jump from 第五条 to 第一百三十三条', () => {
    const flat = flattenClauses(doc);
    const last = flat.find((c) => c.number === '第一百三十三条');
    expect(last?.ordinal).toBe(133);
    expect(last?.path).toBe('第二章/第二节/第一百三十三条');
    expect(doc.warnings).toEqual(['Numbering jumps from 第五条 to 第一百三十三条.']);
  });

  it('flattens in pre-order with keys, parent keys and paths', () => {
    const flat = flattenClauses(doc, { keyPrefix: 'v1:' });
    expect(flat.map((c) => c.key)).toEqual([
      'v1:0',
      'v1:1',
      'v1:1.0',
      'v1:1.1',
      'v1:2',
      'v1:2.0',
      'v1:2.0.0',
      'v1:2.0.0.0',
      'v1:2.0.0.1',
      'v1:2.0.0.2',
      'v1:2.0.1',
      'v1:2.1',
      'v1:2.1.0',
      'v1:2.1.1',
    ]);
    const item = flat[8];
    expect(item).toMatchObject({
      parentKey: 'v1:2.0.0',
      kind: 'cn-paren',
      number: '（二）',
      siblingIndex: 1,
      path: '第二章/第一节/第三条/（二）',
      depth: 3,
    });
    expect(flat[0]?.path).toBe('¶1');
    expect(countByKind(doc)).toMatchObject({
      chapter: 2,
      section: 2,
      article: 6,
      'cn-paren': 3,
      paragraph: 1,
    });
    expect(countByKind(flat)).toEqual(countByKind(doc.clauses));
  });

  it('reads a law written as plain lines (no heading blocks)', () => {
    const plain = parseClauses(
      lines(`
        某市河道管理条例
        第一章 总则
        第一条 为了加强河道管理，制定本条例。
        第二章 附则
        第二条 本条例自公布之日起施行。
      `),
    );
    expect(plain.title).toBe('某市河道管理条例');
    expect(outline(plain.clauses)).toEqual([
      'chapter 第一章 {总则}',
      '  article 第一条 为了加强河道管理，制定本条例。',
      'chapter 第二章 {附则}',
      '  article 第二条 本条例自公布之日起施行。',
    ]);
  });

  it('accepts articles without a space when the whole document writes them so', () => {
    const unspaced = parseClauses(
      lines(`
        第一条为了规范停车管理，制定本办法。
        第二条本办法适用于城市道路停车。
        第三条规定的收费标准另行公布。
        第三条停车收费实行政府定价。
        第四条本办法自公布之日起施行。
      `),
    );
    expect(outline(unspaced.clauses)).toEqual([
      'article 第一条 为了规范停车管理，制定本办法。',
      'article 第二条 本办法适用于城市道路停车。⏎第三条规定的收费标准另行公布。',
      'article 第三条 停车收费实行政府定价。',
      'article 第四条 本办法自公布之日起施行。',
    ]);
    expect(unspaced.warnings[0]).toMatch(/without a space/);
  });

  it('keeps enumerations inside articles as text, with 款 after 项 back on the article', () => {
    const doc2 = parseClauses(
      lines(`
        第一条 有下列情形之一的，不予登记：
        （一）材料不齐全。
        （二）逾期申请：
        1.超过三十日；
        2.超过六十日。
        前款第二项的期限，自通知之日起计算。
      `),
    );
    expect(outline(doc2.clauses)).toEqual([
      'article 第一条 有下列情形之一的，不予登记：⏎前款第二项的期限，自通知之日起计算。',
      '  cn-paren （一） 材料不齐全。',
      '  cn-paren （二） 逾期申请：',
      '    arabic 1. 超过三十日；',
      '    arabic 2. 超过六十日。',
    ]);
  });
});

const POLICY = `
关于加快推进社区养老服务的
实施意见
各区人民政府，市政府各委、办、局：
为进一步完善养老服务体系，现提出如下意见。
一、总体要求
以满足老年人需求为导向，统筹推进社区养老服务设施建设。
二、主要任务
（一）完善设施布局。
新建住宅小区按标准配建养老服务设施。
1.加强规划引导。各区编制养老设施专项规划，明确布点。
（1）中心城区每个街道至少一处。
（2）郊区每个镇至少一处。
2.盘活存量资源
①利用闲置校舍；
②利用闲置厂房。
（二）提升服务质量。建立服务质量评价制度，定期向社会公布评价结果。
三、保障措施
各区要加强组织领导，落实经费保障，确保各项任务按期完成。
市民政局
2024年3月1日
（此件公开发布）
`;

describe('parseClauses: policy documents', () => {
  const doc = parseClauses(lines(POLICY));

  it('nests 一、 → （一） → 1. → （1） → ① and splits short headings from text', () => {
    expect(doc.title).toBe('关于加快推进社区养老服务的实施意见');
    expect(outline(doc.clauses)).toEqual([
      'paragraph 各区人民政府，市政府各委、办、局：⏎为进一步完善养老服务体系，现提出如下意见。',
      'cn-enum 一、 {总体要求} 以满足老年人需求为导向，统筹推进社区养老服务设施建设。',
      'cn-enum 二、 {主要任务}',
      '  cn-paren （一） {完善设施布局} 新建住宅小区按标准配建养老服务设施。',
      '    arabic 1. {加强规划引导} 各区编制养老设施专项规划，明确布点。',
      '      arabic-paren （1） {中心城区每个街道至少一处}',
      '      arabic-paren （2） {郊区每个镇至少一处}',
      '    arabic 2. {盘活存量资源}',
      '      circled ① 利用闲置校舍；',
      '      circled ② 利用闲置厂房。',
      '  cn-paren （二） {提升服务质量} 建立服务质量评价制度，定期向社会公布评价结果。',
      'cn-enum 三、 {保障措施} 各区要加强组织领导，落实经费保障，确保各项任务按期完成。',
      'paragraph 市民政局⏎2024年3月1日⏎（此件公开发布）',
    ]);
    expect(doc.warnings).toEqual([]);
  });

  it('every numbered clause sits under a shallower rank', () => {
    walkClauses(doc.clauses, (clause, parent) => {
      const rank = NUMBERED_KIND_RANK[clause.kind];
      const parentRank = parent === null ? undefined : NUMBERED_KIND_RANK[parent.kind];
      if (rank !== undefined && parentRank !== undefined) {
        expect(parentRank).toBeLessThan(rank);
      }
    });
  });

  it('takes the next short line as the heading of a bare marker', () => {
    const bare = parseClauses(
      lines(`
        一、医疗质量
        （一）
        功能定位
        1.门诊人次数与出院人次数比
        （二）
        本项的说明文字较长，不是标题，而是正文内容，应当作为正文处理。
      `),
    );
    expect(outline(bare.clauses)).toEqual([
      'cn-enum 一、 {医疗质量}',
      '  cn-paren （一） {功能定位}',
      '    arabic 1. {门诊人次数与出院人次数比}',
      '  cn-paren （二） 本项的说明文字较长，不是标题，而是正文内容，应当作为正文处理。',
    ]);
  });

  it('puts an attachment (附件) and what follows it under its own heading', () => {
    const withAttachment = parseClauses(
      lines(`
        一、工作任务
        做好试点工作。
        附件：试点名单
        市政府办公厅
        2024年1月2日
        附件
        试点名单
        一、第一批
        东区、西区。
      `),
    );
    expect(outline(withAttachment.clauses)).toEqual([
      'cn-enum 一、 {工作任务} 做好试点工作。⏎附件：试点名单',
      'paragraph 市政府办公厅⏎2024年1月2日',
      'heading {附件} 试点名单',
      '  cn-enum 一、 {第一批} 东区、西区。',
    ]);
  });
});

describe('parseClauses: headings and boxes', () => {
  it('nests unnumbered Markdown headings by level above the numbered content that follows', () => {
    const doc = parseClauses([
      h(1, '某区十五五规划纲要'),
      p('本纲要阐明规划期内的发展目标。'),
      h(2, '发展基础'),
      h(3, '主要成就'),
      p('经济总量稳步增长。'),
      p('一、产业升级'),
      p('（一）制造业。制造业增加值年均增长百分之六。'),
      h(3, '面临挑战'),
      p('外部环境更趋复杂。'),
      h(2, '第一章 总体要求'),
      h(3, '指导思想'),
      p('第一条 坚持稳中求进。'),
      h(2, '第二章 重点任务'),
      p('第二条 推进产业升级。'),
    ]);
    expect(outline(doc.clauses)).toEqual([
      'paragraph 本纲要阐明规划期内的发展目标。',
      'heading {发展基础}',
      '  heading {主要成就} 经济总量稳步增长。',
      '    cn-enum 一、 {产业升级}',
      '      cn-paren （一） {制造业} 制造业增加值年均增长百分之六。',
      '  heading {面临挑战} 外部环境更趋复杂。',
      'chapter 第一章 {总体要求}',
      '  heading {指导思想}',
      '    article 第一条 坚持稳中求进。',
      'chapter 第二章 {重点任务}',
      '  article 第二条 推进产业升级。',
    ]);
    expect(doc.clauses[1]?.level).toBe(2);
    expect(doc.clauses[1]?.children[0]?.level).toBe(3);
  });

  it('uses the marker of a numbered heading (## 一、…) and keeps its rest as the heading', () => {
    const doc = parseClauses([
      h(2, '一、总体要求'),
      h(3, '（一）指导思想。'),
      p('坚持以人民为中心。'),
      p('（二）基本原则。坚持统筹兼顾，坚持改革创新，坚持共建共享，坚持依法行政。'),
      h(2, '二、主要任务'),
    ]);
    expect(outline(doc.clauses)).toEqual([
      'cn-enum 一、 {总体要求}',
      '  cn-paren （一） {指导思想。} 坚持以人民为中心。',
      '  cn-paren （二） {基本原则} 坚持统筹兼顾，坚持改革创新，坚持共建共享，坚持依法行政。',
      'cn-enum 二、 {主要任务}',
    ]);
  });

  it('holds the paragraphs and deeper items after 专栏 until its parent level resumes', () => {
    const doc = parseClauses(
      lines(`
        第三章 建设现代交通体系
        第一节 完善路网
        加快构建快速路网。
        专栏1 交通重大工程
        1.轨道交通：建成三条线路。
        2.高速公路：新建两条通道。
        说明：以上工程滚动实施。
        第二节 提升枢纽
        建设综合客运枢纽。
        （一）推进站城融合
        专栏2 枢纽工程
        东站改造。
        （二）优化换乘
      `),
    );
    expect(outline(doc.clauses)).toEqual([
      'chapter 第三章 {建设现代交通体系}',
      '  section 第一节 {完善路网} 加快构建快速路网。',
      '    box 专栏1 {交通重大工程}',
      '      arabic 1. 轨道交通：建成三条线路。',
      '      arabic 2. 高速公路：新建两条通道。⏎说明：以上工程滚动实施。',
      '  section 第二节 {提升枢纽} 建设综合客运枢纽。',
      '    cn-paren （一） {推进站城融合}',
      '      box 专栏2 {枢纽工程} 东站改造。',
      '    cn-paren （二） {优化换乘}',
    ]);
  });

  it('puts a 专栏 after body items beside them, under their section', () => {
    const doc = parseClauses(
      lines(`
        三、主要目标
        （一）经济发展。地区生产总值年均增长5.5%左右。
        （二）绿色转型。单位地区生产总值能源消耗降低13.5%。
        专栏1 主要指标
        1. 地区生产总值年均增长5.5%左右。
        四、实施保障
      `),
    );
    expect(outline(doc.clauses)).toEqual([
      'cn-enum 三、 {主要目标}',
      '  cn-paren （一） {经济发展} 地区生产总值年均增长5.5%左右。',
      '  cn-paren （二） {绿色转型} 单位地区生产总值能源消耗降低13.5%。',
      '  box 专栏1 {主要指标}',
      '    arabic 1. {地区生产总值年均增长5.5%左右}',
      'cn-enum 四、 {实施保障}',
    ]);
  });

  it('closes a box at the next item of the level its parent already uses', () => {
    const doc = parseClauses(
      lines(`
        （一）推进项目
        1.项目甲。
        专栏3 重点项目表
        项目名称\t投资额
        轨道交通\t100亿元
        2.项目乙。
      `),
    );
    expect(outline(doc.clauses)).toEqual([
      'cn-paren （一） {推进项目}',
      '  arabic 1. {项目甲}',
      '    box 专栏3 {重点项目表} 项目名称\t投资额⏎轨道交通\t100亿元',
      '  arabic 2. {项目乙}',
    ]);
  });
});

describe('parseClauses: tables of contents', () => {
  it('leaves out a 目录 and its entries', () => {
    const doc = parseClauses(
      lines(`
        某市国土空间总体规划
        目 录
        第一章 总则 1
        第二章\t发展目标\t5
        附件 重点项目表 12
        第一章 总则
        第一条 为了统筹国土空间开发保护，编制本规划。
        第二章 发展目标
        第二条 到2035年，基本实现国土空间治理现代化。
      `),
    );
    expect(doc.title).toBe('某市国土空间总体规划');
    expect(outline(doc.clauses)).toEqual([
      'chapter 第一章 {总则}',
      '  article 第一条 为了统筹国土空间开发保护，编制本规划。',
      'chapter 第二章 {发展目标}',
      '  article 第二条 到2035年，基本实现国土空间治理现代化。',
    ]);
    expect(doc.warnings).toEqual(['A table of contents (4 lines) was left out of the clauses.']);
  });

  it('leaves out entries with dot leaders but keeps table rows that end in numbers', () => {
    const doc = parseClauses(
      lines(`
        第一章 总则……………………1
        第二章 发展目标………………4
        第三章 保障措施………………9
        第一章 总则
        （一）项目甲\t10
        （二）项目乙\t20
        （三）项目丙\t30
      `),
    );
    expect(outline(doc.clauses)).toEqual([
      'chapter 第一章 {总则}',
      '  cn-paren （一） 项目甲\t10',
      '  cn-paren （二） 项目乙\t20',
      '  cn-paren （三） 项目丙\t30',
    ]);
  });
});

describe('parseClauses: documents without structure', () => {
  it('makes one clause per paragraph and warns', () => {
    const doc = parseClauses(
      lines(`
        致全市居民的一封信
        近期我市将开展垃圾分类宣传活动。
        请各位居民积极参与，共同维护城市环境。
      `),
    );
    expect(doc.title).toBe('致全市居民的一封信');
    expect(outline(doc.clauses)).toEqual([
      'paragraph 近期我市将开展垃圾分类宣传活动。',
      'paragraph 请各位居民积极参与，共同维护城市环境。',
    ]);
    expect(doc.warnings).toEqual([NO_STRUCTURE_WARNING]);
  });

  it('returns nothing for nothing', () => {
    expect(parseClauses([p('  '), p('\u3000')])).toEqual({ title: null, clauses: [], warnings: [] });
  });

  it('warns about gaps and repeats in enumerations', () => {
    const doc = parseClauses(lines('一、甲\n二、乙\n四、丁\n（一）子项\n（一）重复'));
    expect(doc.warnings).toEqual([
      'Numbering jumps from 二、 to 四、.',
      'Numbering jumps from （一） to （一） (in 四、).',
    ]);
  });
});
