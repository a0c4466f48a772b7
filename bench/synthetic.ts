import { toChineseNumber } from '../src/domain/chinese-numerals.ts';

const PHRASES = [
  '加强统筹协调',
  '完善体制机制',
  '推进数字化转型',
  '提升公共服务水平',
  '优化营商环境',
  '强化要素保障',
  '健全监测评估制度',
  '落实主体责任',
  '推动区域协同发展',
  '加大财政支持力度',
];

/** A plan-sized Markdown draft: chapters of articles with items, deterministic for a given size. */
export function syntheticDraft(options: {
  chapters: number;
  articlesPerChapter: number;
  variant?: number;
}): string {
  const lines = ['# 某某省“十五五”发展规划（征求意见稿）', ''];
  let article = 0;
  for (let c = 1; c <= options.chapters; c++) {
    lines.push(`## 第${toChineseNumber(c)}章 ${PHRASES[c % PHRASES.length]!}`, '');
    for (let a = 0; a < options.articlesPerChapter; a++) {
      article += 1;
      const p = (i: number) =>
        PHRASES[(article * 7 + i + (options.variant ?? 0) * (article % 5 === 0 ? 1 : 0)) % PHRASES.length]!;
      lines.push(
        `第${toChineseNumber(article)}条 ${p(0)}，${p(1)}，到2030年${p(2)}指标提升${(article % 30) + 5}%，${p(3)}。`,
        '',
      );
      if (article % 4 === 0) {
        lines.push(`（一）${p(4)}；`, '', `（二）${p(5)}。`, '');
      }
    }
  }
  return lines.join('\n');
}
