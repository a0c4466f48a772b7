/**
 * Built-in stop words for Chinese and English: function words that carry no topic. Negations and
 * stance words (不, 没有, 反对, 支持, not, against …) are deliberately absent, since stance depends on them.
 * Lists are compared against normalised tokens (NFKC, lower case).
 */
import { wordTableOf } from './word-table.ts';

const CHINESE = `
的 地 得 了 着 过 吗 呢 吧 啊 呀 哦 哟 嘛 么 啦 哈 嗯 呗 咯 喽 嘞 哇 噢 兮 矣 也 焉 哉 乎 之 其 而 且
是 在 和 与 及 以及 或 或者 并 并且 而且 而是 但 但是 然而 不过 可是 只是 因为 所以 因此 因而 于是 从而 由于 既然
如果 假如 若 要是 即使 虽然 虽 尽管 无论 不论 不管 只要 只有 除非 那么 那 这 这个 那个 这些 那些 这样 那样 这么
那么 这里 那里 这儿 那儿 此 彼 该 本 每 各 某 其他 其它 其余 另 另外 别的 之一
我 你 您 他 她 它 我们 你们 他们 她们 它们 咱们 大家 自己 自家 人家 谁 什么 哪 哪个 哪些 哪里 怎么 怎样 怎么样
为什么 如何 多少 几 啥
把 被 将 让 给 对 对于 关于 向 往 从 自 自从 由 以 用 按 按照 根据 依据 依照 通过 经过 为 为了 替 跟 同 比
到 至 于 在于 至于 就 才 都 也 还 又 再 已 已经 曾 曾经 正 正在 刚 刚刚 将要 会 能 可 可以 可能 应 应该
要 想 得以 便 即 即便 则 乃 仍 仍然 总 总是 常 常常 一直 一些 一点 一样 一般 一切 一个 一种 一下 有些 有的 所有
很 太 最 更 更加 越 越来越 比较 非常 十分 特别 极 极其 挺 还是 只 仅 仅仅 几乎 差不多 大概 也许 或许
的话 等 等等 之类 方面 上 下 中 里 内 外 前 后 时 时候 以后 以前 之后 之前 之间 其中 以上 以下 以来 左右
个 们 者 所 来 去 起来 下来 出来 进来 回来 一 二 三 有 说 看 做 让 使 使得 进行 予以 加以 有关 相关
`;

const ENGLISH = `
a about above after again all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each either few for from further had has have having he her
here hers herself him himself his how i if in into is it its itself just let me more most my myself neither
nor of off on once only or other our ours ourselves out over own same she should so some such than that the
their theirs them themselves then there these they this those through to too under until up upon us very
was we were what when where which while who whom why will with would you your yours yourself yourselves
's s t d ll m re ve etc via per
`;

function parseList(list: string): Set<string> {
  return new Set(list.split(/\s+/u).filter((word) => word !== ''));
}

/** Chinese function words. */
export const CHINESE_STOP_WORDS: ReadonlySet<string> = parseList(CHINESE);

/** English function words. */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = parseList(ENGLISH);

/** Both lists in one table: tokenize.ts asks this of every token. */
const STOP_WORDS = wordTableOf([...CHINESE_STOP_WORDS, ...ENGLISH_STOP_WORDS]);

/** True when a normalised token is a Chinese or English stop word. */
export function isStopWord(token: string): boolean {
  return STOP_WORDS(token) >= 0;
}
