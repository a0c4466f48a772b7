/*
 * Deterministic, varied opinion texts for the benchmarks: a unit's suggestion, its reasons and the
 * proposed wording, recombined from fragments written in the manner of real replies (100–300 characters
 * each), so that rows differ in length and content as they do in a real round.
 */

/** A small seeded PRNG (mulberry32): the same seed gives the same data set. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOPICS = [
  '数字经济核心产业增加值',
  '研发经费投入强度',
  '高技术制造业占比',
  '城乡居民人均可支配收入',
  '单位地区生产总值能耗',
  '常住人口城镇化率',
  '新建5G基站数量',
  '省级算力调度平台',
  '公共数据授权运营',
  '工业互联网标识解析节点',
  '农村生活污水治理率',
  '普惠性幼儿园覆盖率',
  '县域医共体建设',
  '养老服务床位数',
  '高标准农田建设面积',
  '重点流域水质优良比例',
];

const ACTIONS = [
  '建议将目标值由{a}%调整为{b}%',
  '建议增加“{t}”的分年度实施安排',
  '建议删除“原则上”三字，明确责任主体',
  '建议在本条末尾增加“由省有关部门按职责分工负责”',
  '建议将“到2030年”修改为“到2029年底前”',
  '建议补充{t}的统计口径和考核办法',
  '建议将“鼓励”修改为“支持”，并明确配套资金来源',
  '建议把{t}纳入省级重点项目清单统筹推进',
  '建议与国家相关专项规划的表述保持一致',
  '建议对{t}设置预期性指标而非约束性指标',
];

const REASONS = [
  '{y}年全省{t}约为{a}%，按近三年年均增幅测算，达到{b}%难度较大。',
  '我单位负责的{t}工作已纳入部门年度计划，与本条表述存在交叉，需进一步厘清职责边界。',
  '根据国家部委{y}年印发的指导意见，{t}已有统一口径，本条表述与之不一致。',
  '经征求市县意见，基层普遍反映{t}的资金和用地保障不足，目标过高难以落实。',
  '本条未明确牵头单位，实际执行中容易出现推诿，影响{t}的推进。',
  '据第三方评估，{t}的实施周期一般为三至五年，时间节点偏紧。',
  '该项工作涉及发展改革、财政、自然资源等多个部门，建议建立联席会议机制。',
  '参照周边省份做法，{t}普遍采用分阶段目标，便于监测评估。',
];

const PROPOSALS = [
  '到2030年，全省{t}达到{b}%左右。',
  '统筹推进{t}，由省有关部门按职责分工负责，各市县抓好落实。',
  '加快推进{t}，力争到2029年底前取得阶段性成效，2030年全面完成。',
  '稳步提升{t}，建立年度监测评估和动态调整机制。',
];

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

function fill(template: string, random: () => number): string {
  const a = 5 + Math.floor(random() * 40);
  return template
    .replaceAll('{t}', pick(random, TOPICS))
    .replaceAll('{a}', String(a))
    .replaceAll('{b}', String(a + 1 + Math.floor(random() * 8)))
    .replaceAll('{y}', String(2022 + Math.floor(random() * 4)));
}

export interface OpinionText {
  suggestion: string;
  reasons: string;
  proposedText: string | null;
}

/** One opinion's texts: a suggestion of one or two actions, one to three reasons, often a proposed wording. */
export function opinionText(random: () => number): OpinionText {
  const actions = 1 + Math.floor(random() * 2);
  const reasons = 1 + Math.floor(random() * 3);
  const suggestion = Array.from({ length: actions }, () => fill(pick(random, ACTIONS), random)).join('；');
  return {
    suggestion: `${suggestion}。`,
    reasons: Array.from({ length: reasons }, () => fill(pick(random, REASONS), random)).join(''),
    proposedText: random() < 0.7 ? fill(pick(random, PROPOSALS), random) : null,
  };
}
