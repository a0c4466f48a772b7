/**
 * The cold-start stance lexicon: cue words and patterns for support, opposition and proposed changes,
 * in Chinese and English, with negation (不反对 counts as support, 不支持 as opposition). It decides a
 * stance when no labels exist yet and gives the learned model a few target-independent features.
 */
import type { TokenizedText } from '../tokenize.ts';

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
const REWORDING_EN = [
  /\b(?:replace|substitute)\b.{1,80}?\bwith\b/isu,
  /\bshould (?:read|be amended|be revised|be changed|be deleted|be removed|include|add)\b/iu,
];
/*
 * Cheap necessary conditions of the English patterns, tried first: case-insensitive Unicode matching is
 * slow. They skip the letters s and k, which also match ſ and K (Kelvin sign) in those patterns, so that a
 * text they reject can match no pattern.
 */
const REWORDING_EN_HINT = [/replace|titute/i, /hould/i];
/** Each Chinese pattern starts with one of these characters; each English one holds an ASCII letter. */
const REWORDING_ZH_START = /[建应宜需可第]/u;
const ASCII_LETTER = /[A-Za-z]/;

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

const FLIP: Partial<Record<keyof LexiconScores, keyof LexiconScores>> = {
  support: 'oppose',
  oppose: 'support',
  positive: 'negative',
  negative: 'positive',
};

type Cue = keyof LexiconScores;

/** Every cue word with its cue (the first list holding a word wins): one lookup per word. */
const CUES: ReadonlyMap<string, Cue> = (() => {
  const cues = new Map<string, Cue>();
  const lists: [Set<string>, Cue][] = [
    [SUPPORT, 'support'],
    [OPPOSE, 'oppose'],
    [MODIFY, 'modify'],
    [POSITIVE, 'positive'],
    [NEGATIVE, 'negative'],
  ];
  for (const [words, cue] of lists) {
    for (const word of words) {
      if (!cues.has(word)) {
        cues.set(word, cue);
      }
    }
  }
  return cues;
})();

/** Counts the cues of each stance and sentiment in a tokenised text, negations applied. */
export function countStanceCues(doc: TokenizedText): LexiconScores {
  const scores: LexiconScores = { support: 0, oppose: 0, modify: 0, positive: 0, negative: 0 };
  const words = doc.words;
  words.forEach((word, i) => {
    let cue = CUES.get(word);
    if (cue === undefined) {
      return;
    }
    let negated = false;
    for (let j = Math.max(0, i - NEGATION_WINDOW); j < i; j++) {
      if (NEGATORS.has(words[j]!)) {
        negated = !negated;
      }
    }
    if (negated) {
      cue = FLIP[cue] ?? cue;
    }
    scores[cue] += 1;
  });
  // Patterns that cannot match are skipped: most texts are in one language.
  if (REWORDING_ZH_START.test(doc.text)) {
    for (const pattern of REWORDING_ZH) {
      if (pattern.test(doc.text)) {
        scores.modify += 2;
      }
    }
  }
  if (ASCII_LETTER.test(doc.text)) {
    REWORDING_EN.forEach((pattern, i) => {
      if (REWORDING_EN_HINT[i]!.test(doc.text) && pattern.test(doc.text)) {
        scores.modify += 2;
      }
    });
  }
  if (EMOTICON_START.test(doc.text)) {
    scores.positive += doc.text.match(POSITIVE_EMOTICON)?.length ?? 0;
    scores.negative += doc.text.match(NEGATIVE_EMOTICON)?.length ?? 0;
  }
  return scores;
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
  const cues = countStanceCues(doc);
  const total = cues.support + cues.oppose + cues.modify;
  if (total === 0) {
    return { stance: 'none', score: 0.5 };
  }
  const ranked = (['modify', 'oppose', 'support'] as const)
    .map((stance) => ({ stance, count: cues[stance] }))
    .sort((a, b) => b.count - a.count);
  const best = ranked[0]!;
  const second = ranked[1]!;
  if (best.count === second.count && best.stance !== 'modify') {
    return { stance: 'none', score: 0.5 };
  }
  const margin = (best.count - second.count) / total;
  return { stance: best.stance, score: Number((0.5 + 0.5 * margin).toFixed(4)) };
}
