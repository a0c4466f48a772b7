/**
 * The cold-start stance lexicon: cue words and patterns for support, opposition and proposed changes,
 * in Chinese and English, with negation (不反对 counts as support, 不支持 as opposition). It decides a
 * stance when no labels exist yet and gives the learned model a few target-independent features.
 */
import type { TokenizedText } from '../tokenize.ts';
import { wordTable, wordTableOf } from '../word-table.ts';

export type Stance = 'support' | 'oppose' | 'modify' | 'none';

export const STANCES: readonly Stance[] = ['support', 'oppose', 'modify', 'none'];

/** Words of agreement with the text under discussion. */
const SUPPORT_WORDS = `
支持 赞成 同意 赞同 拥护 认同 认可 肯定 点赞 叫好 称赞 欢迎 期待 期盼 盼望 早该 终于 英明 明智 正确 合理 必要 有必要
好事 好政策 利国利民 大快人心 深得人心 势在必行 值得 值得肯定 很好 非常好 挺好 不错 靠谱 给力 加油 顶 赞 威武 完全同意
举双手赞成 双手赞成 坚决支持 大力支持 全力支持 表示支持 十分必要 非常必要 切实可行 符合实际 顺应民意
support supports supported supporting agree agrees agreed endorse endorses welcome welcomes approve approves
favor favour favors favours applaud commend praise great excellent necessary reasonable`;

/** Words of disagreement. */
const OPPOSE_WORDS = `
反对 抵制 抗议 质疑 不满 失望 荒唐 荒谬 离谱 扯淡 胡闹 瞎搞 折腾 懒政 一刀切 坑 坑人 坑爹 扰民 劳民伤财 弊大于利
得不偿失 不合理 不公平 不可行 不现实 不切实际 脱离实际 强烈反对 坚决反对 表示反对 不敢苟同 有待商榷 凭什么 废除 取缔
撤销 叫停 收回成命 滚 呵呵 垃圾 恶心 可笑 无语 糟糕 太差 愚蠢 脑残 奇葩
oppose opposes opposed opposing against disagree disagrees disagreed object objects objection reject rejects
rejected deny denies unfair unreasonable unacceptable ridiculous absurd withdraw scrap repeal condemn terrible`;

/** Words that propose a change of the wording rather than take a side. */
const MODIFY_WORDS = `
修改 修订 改为 改成 修改为 调整为 更改为 表述为 删除 删去 删掉 去掉 增加 增设 增补 补充 新增 添加 加上 明确 细化 完善
调整 替换 合并 拆分 措辞 表述 提法 条款 建议修改 建议删除 建议增加 建议补充 建议明确 建议调整 建议完善 建议将
amend amends amendment revise revision modify modification replace delete remove insert add clarify specify rephrase
reword change changes`;

/** Words that reverse the cue that follows them. */
const NEGATORS = new Set(
  `不 没 没有 无 非 别 未 勿 莫 不要 不必 不用 并非 并不 绝不 决不 从不 毫不 not no never don't doesn't didn't isn't
  aren't wasn't won't cannot can't hardly`.split(/\s+/u),
);

/** General positive and negative words and Weibo emoticons: target-independent sentiment features. */
const POSITIVE_WORDS = `
好 很好 棒 赞 喜欢 爱 开心 高兴 快乐 幸福 漂亮 美 优秀 厉害 强 完美 满意 舒服 方便 便宜 实惠 划算 精致 流畅 惊喜
感动 温暖 希望 成功 正义 和平 安全 健康 进步 有效 好看 好用 喜庆 热闹 祝福 团圆 平安 吉祥 欢乐 可爱 聪明 伟大 光荣
感谢 谢谢 理解 好事 有利 利于 保护 改善 提高 提升 繁荣 稳定 文明 干净 good nice love like best happy`;

const NEGATIVE_WORDS = `
差 烂 坏 讨厌 恨 难过 伤心 生气 愤怒 无聊 丑 难看 贵 骗 骗子 假 卡 慢 累 烦 吵 噪音 污染 雾霾 危险 死 伤 痛 可怜
悲剧 可惜 担心 害怕 恐怖 麻烦 困难 混乱 乱 战争 蠢 傻 笨 无耻 虚伪 压力 负担 穷 失业 罚款 不便 堵 事故 火灾 爆炸
不好 不行 不妥 不当 不利 bad worst hate awful stupid sad angry`;

const POSITIVE_EMOTICON =
  /\[(?:哈哈|嘻嘻|赞|good|鼓掌|爱你|心|太开心|偷笑|耶|威武|给力|笑cry|憧憬|酷|可爱)\]|[😀😁😂😃😄😊😍👍👏❤]/giu;
const NEGATIVE_EMOTICON =
  /\[(?:怒|泪|衰|鄙视|吐|抓狂|生气|悲伤|失望|晕|汗|哼|怒骂|拜拜|弱|伤心|白眼|允悲|费解|挖鼻|黑线|可怜)\]|[😠😡😢😭😞👎💔]/giu;

/** What every emoticon starts with: a bracket, ❤, or the high surrogate of the emoji listed (U+1F4xx–1F6xx). */
const EMOTICON_START = /[[\u2764\uD83D]/;

function wordSet(list: string): Set<string> {
  return new Set(list.split(/\s+/u).filter((w) => w !== ''));
}

const SUPPORT = wordSet(SUPPORT_WORDS);
const OPPOSE = wordSet(OPPOSE_WORDS);
const MODIFY = wordSet(MODIFY_WORDS);
const POSITIVE = wordSet(POSITIVE_WORDS);
const NEGATIVE = wordSet(NEGATIVE_WORDS);

/** "建议将 X 改为 Y", "X 应当修改为 Y", "replace X with Y", "X should read Y": a proposed rewording. */
const REWORDING_ZH = [
  /建议(?:将|把|对)?.{0,60}?(?:改为|改成|修改为|调整为|更改为|表述为|替换为|删除|删去|增加|补充|明确)/su,
  /(?:应当?|宜|需要?|可)(?:修改|调整|表述|改)为/u,
  /(?:第[一二三四五六七八九十百零〇\d]+条|第[一二三四五六七八九十百零〇\d]+款).{0,30}?(?:修改|删除|增加|补充|改为)/su,
];
/** Text each Chinese pattern cannot match without: a cheap search skips most patterns in most texts. */
const REWORDING_ZH_NEEDS = ['建议', '为', '第'];
const REWORDING_EN = [
  /\b(?:replace|substitute)\b.{1,80}?\bwith\b/isu,
  /\bshould (?:read|be amended|be revised|be changed|be deleted|be removed|include|add)\b/iu,
];
/*
 * Where the English patterns can start. Case-insensitive Unicode matching is slow, so the patterns are
 * tried, anchored (sticky), only where a cheap necessary part of them occurs: "replace" (pattern 0 starts
 * there), "titute" (pattern 0 starts 4 before: "subs"), "hould" (pattern 1 starts 1 before). The parts
 * skip the letters s and k, which also match ſ and K (Kelvin sign) in the patterns, and ſ takes one code
 * unit like s, so these offsets hold for every text a pattern matches.
 */
const REWORDING_EN_HINT = /replace|titute|hould/gi;
const REWORDING_EN_AT = REWORDING_EN.map((pattern) => new RegExp(pattern.source, `${pattern.flags}y`));
/** Each English pattern holds an ASCII letter. */
const ASCII_LETTER = /[A-Za-z]/;

/** How many of the English patterns match the text (0–2). */
function englishRewordings(text: string): number {
  let found = 0;
  const hint = REWORDING_EN_HINT;
  hint.lastIndex = 0;
  for (let match = hint.exec(text); match !== null && found !== 3; match = hint.exec(text)) {
    const part = match[0].length;
    const pattern = part === 5 ? 1 : 0; // "hould" belongs to pattern 1, the others to pattern 0
    if ((found & (1 << pattern)) !== 0) {
      continue;
    }
    const start = match.index - (part === 5 ? 1 : part === 6 ? 4 : 0);
    const anchored = REWORDING_EN_AT[pattern]!;
    anchored.lastIndex = start;
    if (start >= 0 && anchored.test(text)) {
      found |= 1 << pattern;
    }
  }
  return (found & 1) + ((found >> 1) & 1);
}

/** How far back (in tokens) a negator reaches. */
const NEGATION_WINDOW = 2;

export interface LexiconScores {
  support: number;
  oppose: number;
  modify: number;
  /** General sentiment, negations applied. */
  positive: number;
  negative: number;
}

/** The cues by number, in the order of LexiconScores; and the number of the cue a negator turns each into. */
const CUE_WORDS = [SUPPORT, OPPOSE, MODIFY, POSITIVE, NEGATIVE];
const FLIPPED = [1, 0, 2, 4, 3];

/** Every cue word with its cue's number (the first list holding a word wins): one lookup per word. */
const CUES = wordTable(
  CUE_WORDS.flatMap((words, cue) => [...words].map((word): [string, number] => [word, cue])),
);
const NEGATOR_WORDS = wordTableOf([...NEGATORS].filter((word) => word !== ''));

/** Counts matches of a global pattern without collecting them. */
function countMatches(pattern: RegExp, text: string): number {
  let count = 0;
  pattern.lastIndex = 0;
  while (pattern.test(text)) {
    count++;
  }
  return count;
}

/** Counts the cues of each stance and sentiment in a tokenised text, negations applied. */
export function countStanceCues(doc: TokenizedText): LexiconScores {
  const counts = [0, 0, 0, 0, 0];
  // The tokens' words, read from the tokens: the list of words need not be made.
  const tokens = doc.tokens;
  for (let i = 0; i < tokens.length; i++) {
    let cue = CUES(tokens[i]!.text);
    if (cue < 0) {
      continue;
    }
    let negated = false;
    for (let j = Math.max(0, i - NEGATION_WINDOW); j < i; j++) {
      if (NEGATOR_WORDS(tokens[j]!.text) >= 0) {
        negated = !negated;
      }
    }
    if (negated) {
      cue = FLIPPED[cue]!;
    }
    counts[cue]!++;
  }
  const text = doc.text;
  // Patterns that cannot match are skipped: most texts are in one language.
  for (let i = 0; i < REWORDING_ZH.length; i++) {
    if (text.includes(REWORDING_ZH_NEEDS[i]!) && REWORDING_ZH[i]!.test(text)) {
      counts[2]! += 2;
    }
  }
  if (ASCII_LETTER.test(text)) {
    counts[2]! += 2 * englishRewordings(text);
  }
  if (EMOTICON_START.test(text)) {
    counts[3]! += countMatches(POSITIVE_EMOTICON, text);
    counts[4]! += countMatches(NEGATIVE_EMOTICON, text);
  }
  const [support, oppose, modify, positive, negative] = counts as [number, number, number, number, number];
  return { support, oppose, modify, positive, negative };
}

export interface StanceDecision {
  stance: Stance;
  /** Confidence in [0, 1]. */
  score: number;
}

/**
 * The lexicon's stance: the stance with most cues (a proposed rewording wins over bare agreement, since
 * "同意，但建议将…改为…" asks for a change), none without cues. The score grows with the margin.
 */
export function decideStanceByLexicon(doc: TokenizedText): StanceDecision {
  const { support, oppose, modify } = countStanceCues(doc);
  const total = support + oppose + modify;
  if (total === 0) {
    return { stance: 'none', score: 0.5 };
  }
  // The most cues wins; among equals, modify before oppose before support.
  let best: Stance;
  let top: number;
  let second: number;
  if (modify >= oppose && modify >= support) {
    [best, top, second] = ['modify', modify, Math.max(oppose, support)];
  } else if (oppose >= support) {
    [best, top, second] = ['oppose', oppose, Math.max(modify, support)];
  } else {
    [best, top, second] = ['support', support, Math.max(modify, oppose)];
  }
  if (top === second && best !== 'modify') {
    return { stance: 'none', score: 0.5 };
  }
  const margin = (top - second) / total;
  return { stance: best, score: Number((0.5 + 0.5 * margin).toFixed(4)) };
}
