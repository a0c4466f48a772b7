import type { OpinionKind, UnitLevel } from '../server/db/schema.ts';

/** Demonstration units over three levels, with responsibility areas and keywords (职责清单). */
export interface DemoUnit {
  code: string;
  name: string;
  parent: string | null;
  level: UnitLevel;
  areas: string[];
  keywords: string[];
}

export const DEMO_OWNER_CODE = 'YJ-FGW';

export const DEMO_UNITS: DemoUnit[] = [
  {
    code: 'YJ-FGW',
    name: '云江省发展和改革委员会',
    parent: null,
    level: 'province',
    areas: ['发展规划', '综合协调'],
    keywords: ['规划', '投资', '重大项目'],
  },
  {
    code: 'YJ-GXT',
    name: '云江省工业和信息化厅',
    parent: null,
    level: 'province',
    areas: ['工业', '信息化'],
    keywords: ['制造业', '工业', '数字化改造', '工业互联网', '5G'],
  },
  {
    code: 'YJ-KJT',
    name: '云江省科学技术厅',
    parent: null,
    level: 'province',
    areas: ['科技创新'],
    keywords: ['科技', '研发', '创新', '实验室', '高新技术企业'],
  },
  {
    code: 'YJ-CZT',
    name: '云江省财政厅',
    parent: null,
    level: 'province',
    areas: ['财政'],
    keywords: ['财政', '资金', '要素保障'],
  },
  {
    code: 'YJ-ZRZYT',
    name: '云江省自然资源厅',
    parent: null,
    level: 'province',
    areas: ['国土空间', '自然资源'],
    keywords: ['土地', '用地', '生态保护修复', '国土空间'],
  },
  {
    code: 'YJ-STHJT',
    name: '云江省生态环境厅',
    parent: null,
    level: 'province',
    areas: ['生态环境'],
    keywords: ['生态环境', '空气质量', '水质', '碳排放', '污染'],
  },
  {
    code: 'YJ-NYNCT',
    name: '云江省农业农村厅',
    parent: null,
    level: 'province',
    areas: ['农业农村'],
    keywords: ['粮食', '乡村振兴', '高标准农田', '农业', '乡村'],
  },
  {
    code: 'YJ-JYT',
    name: '云江省教育厅',
    parent: null,
    level: 'province',
    areas: ['教育'],
    keywords: ['教育', '学前', '义务教育', '职业院校', '高校'],
  },
  {
    code: 'YJ-WJW',
    name: '云江省卫生健康委员会',
    parent: null,
    level: 'province',
    areas: ['卫生健康'],
    keywords: ['医疗', '卫生', '医师', '养老', '健康'],
  },
  {
    code: 'YJ-RST',
    name: '云江省人力资源和社会保障厅',
    parent: null,
    level: 'province',
    areas: ['就业', '社会保障'],
    keywords: ['就业', '人才', '失业率', '社会保障'],
  },
  {
    code: 'YJ-ZJT',
    name: '云江省住房和城乡建设厅',
    parent: null,
    level: 'province',
    areas: ['城乡建设'],
    keywords: ['城镇化', '城市', '住房', '县城'],
  },
  {
    code: 'YJ-SJJ',
    name: '云江省数据局',
    parent: null,
    level: 'province',
    areas: ['数据', '数字经济'],
    keywords: ['数据', '算力', '数字经济', '公共数据'],
  },
  {
    code: 'JZ-GOV',
    name: '江州市人民政府',
    parent: null,
    level: 'city',
    areas: ['市域发展'],
    keywords: ['都市圈', '城市', '产业'],
  },
  {
    code: 'YS-FGW',
    name: '云山市发展和改革委员会',
    parent: null,
    level: 'city',
    areas: ['市域发展'],
    keywords: ['区域中心城市', '县城', '乡村振兴'],
  },
  {
    code: 'JZ-LJ',
    name: '江州市临江县人民政府',
    parent: 'JZ-GOV',
    level: 'county',
    areas: ['县域发展'],
    keywords: ['县城', '乡村', '粮食'],
  },
  {
    code: 'YS-QS',
    name: '云山市青石县人民政府',
    parent: 'YS-FGW',
    level: 'county',
    areas: ['县域发展'],
    keywords: ['县城', '生态', '养老'],
  },
];

/** Demonstration opinions, by the clause path they address; the units are filled in by the loader. */
export interface DemoOpinion {
  /** A clause path in the demo draft, e.g. '第二章/三、/（二）'; null for the whole draft. */
  path: string | null;
  unit: string;
  suggestion: string;
  reasons: string | null;
  proposedText: string | null;
  kind: OpinionKind;
  blocking?: boolean;
}

export const DEMO_OPINIONS: DemoOpinion[] = [
  {
    path: '第二章/三、/（二）',
    unit: 'YJ-KJT',
    suggestion: '建议将研发经费投入强度目标由2.8%调整为2.6%。',
    reasons: '2025年全省研发经费投入强度为2.31%，按近五年年均提高0.06个百分点测算，2030年达到2.6%较为可行。',
    proposedText:
      '（二）科技创新能力显著增强。全社会研发经费投入强度达到2.6%，每万人口高价值发明专利拥有量达到18件。',
    kind: 'substantive',
  },
  {
    path: '第二章/三、/（二）',
    unit: 'YJ-CZT',
    suggestion: '建议保留2.8%的目标，同时明确财政科技投入稳定增长机制。',
    reasons: '目标体现全省创新驱动战略导向，与国家要求衔接；财政科技支出已连续三年增长10%以上。',
    proposedText: null,
    kind: 'substantive',
  },
  {
    path: '第二章/三、/（三）',
    unit: 'YJ-STHJT',
    suggestion: '建议增加“单位地区生产总值二氧化碳排放降低”指标。',
    reasons: '国家已明确“十五五”时期实施碳排放双控，规划指标体系应与之衔接。',
    proposedText:
      '（三）绿色转型取得重大进展。单位地区生产总值能源消耗降低13.5%，单位地区生产总值二氧化碳排放降低18%，非化石能源消费比重达到25%。',
    kind: 'substantive',
  },
  {
    path: '第二章/三、/（四）',
    unit: 'YJ-RST',
    suggestion: '建议将城镇调查失业率目标表述为“控制在5.5%左右”。',
    reasons: '与国家规划纲要表述保持一致，留有弹性。',
    proposedText:
      '（四）民生福祉持续增进。城镇调查失业率控制在5.5%左右，居民人均可支配收入增长与经济增长同步。',
    kind: 'editorial',
  },
  {
    path: '专栏1',
    unit: 'YJ-SJJ',
    suggestion: '建议将数字经济核心产业增加值占比目标由12%提高到15%。',
    reasons: '全省数字经济核心产业近三年年均增长14%，算力网络建成后增速将进一步加快。',
    proposedText: '2. 数字经济核心产业增加值占地区生产总值比重达到15%（预期性）。',
    kind: 'substantive',
  },
  {
    path: '专栏1',
    unit: 'YJ-GXT',
    suggestion: '数字经济核心产业占比12%的目标较为适宜，不宜再提高。',
    reasons: '部分传统产业数字化转型仍处起步阶段，12%已需年均提高0.8个百分点。',
    proposedText: null,
    kind: 'substantive',
  },
  {
    path: '第三章/一、',
    unit: 'YJ-GXT',
    suggestion: '建议将规模以上工业企业数字化改造覆盖率目标由90%调整为80%。',
    reasons: '目前覆盖率约为55%，中小企业改造资金和人才缺口较大。',
    proposedText:
      '实施制造业重点产业链高质量发展行动，培育新能源汽车、新型储能、生物医药等先进制造业集群，到2030年规模以上工业企业数字化改造覆盖率达到80%。',
    kind: 'substantive',
  },
  {
    path: '第三章/二、/（一）',
    unit: 'YJ-SJJ',
    suggestion: '建议补充“建设省级算力调度平台”的内容。',
    reasons: '算力网络需要统一调度才能提高利用率，避免重复建设。',
    proposedText:
      '（一）夯实数字基础设施。建成全省一体化算力网络和省级算力调度平台，新建5G基站3万个，实现行政村5G网络全覆盖。',
    kind: 'substantive',
  },
  {
    path: '第三章/二、/（一）',
    unit: 'JZ-LJ',
    suggestion: '建议对山区行政村5G覆盖给予专项资金支持。',
    reasons: '我县山区行政村基站建设成本是平原地区的2倍以上，运营商投资意愿不足。',
    proposedText: null,
    kind: 'substantive',
  },
  {
    path: '第三章/二、/（三）',
    unit: 'YJ-SJJ',
    suggestion: '建议将“组建省级数据交易场所”修改为“规范发展省级数据交易场所”。',
    reasons: '我省已设立数据交易中心，重点应是规范运营。',
    proposedText: '（三）培育数据要素市场。建立公共数据授权运营制度，规范发展省级数据交易场所。',
    kind: 'editorial',
  },
  {
    path: '第四章/一、',
    unit: 'YJ-KJT',
    suggestion: '建议将省实验室数量由10家调整为8家，突出质量。',
    reasons: '现有省实验室运行经费保障不足，宜以提质为主。',
    proposedText: '争取国家实验室基地落户，建设省实验室8家，支持高校和科研院所建设概念验证中心。',
    kind: 'substantive',
  },
  {
    path: '第四章/二、',
    unit: 'YJ-KJT',
    suggestion: '同意。',
    reasons: null,
    proposedText: null,
    kind: 'substantive',
  },
  {
    path: '第四章/三、',
    unit: 'YJ-RST',
    suggestion: '建议在科技人才评价中增加“以创新价值、能力、贡献为导向”的表述。',
    reasons: '与人才发展体制机制改革要求一致。',
    proposedText:
      '推进科技成果转化“赋权改革”，健全以创新价值、能力、贡献为导向的科技人才评价体系，扩大科研经费使用自主权。',
    kind: 'editorial',
  },
  {
    path: '第五章/二、',
    unit: 'YJ-ZJT',
    suggestion: '建议将常住人口城镇化率目标由65%调整为63%。',
    reasons: '2025年为58.6%，按年均提高0.9个百分点测算，2030年约为63%。',
    proposedText:
      '全面放开城区常住人口300万以下城市落户限制，推动基本公共服务由常住地供给，常住人口城镇化率达到63%。',
    kind: 'substantive',
  },
  {
    path: '第五章/二、',
    unit: 'JZ-GOV',
    suggestion: '建议城镇化率目标保持65%，并加大省会都市圈人口承载能力建设。',
    reasons: '省会都市圈新增就业岗位多，人口集聚趋势明显。',
    proposedText: null,
    kind: 'substantive',
  },
  {
    path: '第五章/三、/（一）',
    unit: 'YJ-NYNCT',
    suggestion: '建议将高标准农田建设目标由2500万亩提高到2800万亩。',
    reasons: '国家新一轮高标准农田建设规划分解我省任务为2800万亩。',
    proposedText: '（一）保障粮食安全。粮食播种面积稳定在4000万亩以上，建成高标准农田2800万亩。',
    kind: 'substantive',
    blocking: true,
  },
  {
    path: '第五章/三、/（一）',
    unit: 'YJ-ZRZYT',
    suggestion: '建议补充“严守耕地保护红线”的表述。',
    reasons: '耕地保护是粮食安全的基础，规划应予明确。',
    proposedText:
      '（一）保障粮食安全。严守耕地保护红线，粮食播种面积稳定在4000万亩以上，建成高标准农田2500万亩。',
    kind: 'substantive',
  },
  {
    path: '第五章/三、/（三）',
    unit: 'YS-QS',
    suggestion: '建议对偏远山区农村卫生厕所改造目标实行差异化要求。',
    reasons: '我县部分山区缺水，水冲式厕所改造难度大。',
    proposedText: null,
    kind: 'substantive',
  },
  {
    path: '第六章/一、',
    unit: 'YJ-STHJT',
    suggestion: '建议将地表水国控断面水质优良比例目标由98%调整为96%。',
    reasons: '部分断面受上游来水影响，98%的目标实现难度较大。',
    proposedText:
      '深入打好蓝天、碧水、净土保卫战，地级城市空气质量优良天数比率保持在95%以上，地表水国控断面水质优良比例达到96%。',
    kind: 'substantive',
  },
  {
    path: '第六章/二、',
    unit: 'YJ-GXT',
    suggestion: '建议进一步完善。',
    reasons: null,
    proposedText: null,
    kind: 'substantive',
  },
  {
    path: '第六章/三、',
    unit: 'YJ-ZRZYT',
    suggestion: '建议增加“推进历史遗留矿山生态修复”的内容。',
    reasons: '全省历史遗留矿山图斑约1.2万个，修复任务重。',
    proposedText:
      '实施重要生态系统保护和修复重大工程，推进历史遗留矿山生态修复和长江流域重点水域禁捕退捕长效管理。',
    kind: 'substantive',
  },
  {
    path: '第七章/一、',
    unit: 'YJ-RST',
    suggestion: '建议将城镇新增就业目标表述为“每年50万人左右”。',
    reasons: '受经济增速放缓和人口结构变化影响，保持弹性更为稳妥。',
    proposedText: '每年城镇新增就业50万人左右，完善高校毕业生、退役军人和农民工就业支持体系。',
    kind: 'editorial',
  },
  {
    path: '第七章/二、/（一）',
    unit: 'YJ-JYT',
    suggestion: '建议将公办园在园幼儿占比目标由60%提高到65%。',
    reasons: '2025年已达58%，部分地市已超过65%。',
    proposedText: '（一）推进学前教育普及普惠。公办园在园幼儿占比达到65%。',
    kind: 'substantive',
  },
  {
    path: '第七章/二、/（二）',
    unit: 'YS-FGW',
    suggestion: '建议对欠发达县义务教育优质均衡给予财政倾斜。',
    reasons: '欠发达县教师和校舍缺口较大，靠自身财力难以达标。',
    proposedText: null,
    kind: 'substantive',
  },
  {
    path: '第七章/三、',
    unit: 'YJ-WJW',
    suggestion: '建议将每千人口执业（助理）医师数目标由3.6人调整为3.5人。',
    reasons: '医学院校培养周期较长，按现有培养规模测算2030年约为3.5人。',
    proposedText: '深化医药卫生体制改革，每千人口拥有执业（助理）医师数达到3.5人，建设省级区域医疗中心8个。',
    kind: 'substantive',
  },
  {
    path: '第七章/四、',
    unit: 'YJ-WJW',
    suggestion: '建议补充“发展老年医学，加强老年病医院建设”。',
    reasons: '人口老龄化加快，老年医疗服务供给不足。',
    proposedText:
      '发展普惠型养老服务，养老机构护理型床位占比达到65%，推进医养结合，加强老年医学学科和老年病医院建设。',
    kind: 'substantive',
  },
  {
    path: '第七章/四、',
    unit: 'YS-QS',
    suggestion: '建议加大农村互助养老服务支持力度。',
    reasons: '农村老年人口占比高，机构养老覆盖不足。',
    proposedText: null,
    kind: 'substantive',
  },
  {
    path: '第八章/二、',
    unit: 'YJ-CZT',
    suggestion: '建议将“统筹财政资金”修改为“统筹各级财政资金和政府债券”。',
    reasons: '政府专项债券是重大项目建设的重要资金来源。',
    proposedText: '统筹各级财政资金和政府债券、土地、能耗等要素向规划确定的重大项目倾斜。',
    kind: 'editorial',
  },
  {
    path: '第八章/三、',
    unit: 'YJ-FGW',
    suggestion: '规划实施评估由谁牵头？',
    reasons: null,
    proposedText: null,
    kind: 'question',
  },
  {
    path: null,
    unit: 'YJ-ZJT',
    suggestion: '无意见。',
    reasons: null,
    proposedText: null,
    kind: 'substantive',
  },
];
