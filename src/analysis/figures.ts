/**
 * Figures in opinions and clauses (数字指标): a number with its unit, the direction it is asked to move in,
 * the year it is set for and what it is about, so that opinions can be compared with each other and with
 * the clause ("提升20%", "不低于15%", "2027年达到100亿元", "at least 15 percent", "reach $10 billion by 2027").
 *
 * Choices:
 * - A number is a figure when it has a unit, a multiplier (万, 亿, million …) or a direction; a bare number
 *   ("section 3", "之一") is not. Chinese numerals need a unit, and a lone 一 needs a direction too
 *   (一个, 一批 are articles more often than counts).
 * - Years ("2025年", "by 2030") are not figures; they give the year of the figures in their sentence (the
 *   last one before the figure, else the first one after it). A year becomes a figure only after a verb
 *   that sets it ("提前至2025年", "推迟到2030年"), with unit '年'.
 * - Durations and dates (年, 月, 天, 小时 …) are figures only with a direction ("延长至5年"): "五年规划",
 *   "3月1日" are not.
 * - Clause numbers ("第十条", "Section 3") and codes ("5G", "GB50180") are not figures.
 * - A range ("10%-15%", "10至15个", "10 to 15 percent") is one figure whose value is the lower bound and
 *   whose `upper` is the upper bound; its span covers both numbers.
 * - "提升至/提高到/降至 X" set a level: direction 'reach'. "提升/增加 X" move by X: 'increase'. A bound
 *   written after the figure (以上, 以内, "or more") turns a level into at_least/at_most; growth stays growth.
 * - Values are scaled by their multiplier (100亿元 → 1e10 元); percentages keep their number (百分之五十 →
 *   50 '%'); 成 is ten per cent (三成 → 30 '%'); 百分点 (percentage points) is a unit of its own.
 */
import { parseChineseNumber, toAsciiDigits } from '../domain/chinese-numerals.ts';
import { normalize } from './normalize.ts';

export type FigureDirection = 'increase' | 'decrease' | 'at_least' | 'at_most' | 'reach' | 'equal';

export interface Figure {
  /** The matched span as written, e.g. "提升20%". */
  text: string;
  /** UTF-16 offsets into the input text: `input.slice(start, end) === text`. */
  start: number;
  end: number;
  /** What the figure is about (the nearest preceding noun phrase, normalised); null if none. */
  target: string | null;
  /** The value scaled by its multiplier; the lower bound of a range. */
  value: number;
  /** Canonical unit ('%', '元', '公里', '人', '$', …); '' when bare. */
  unit: string;
  direction: FigureDirection | null;
  year: number | null;
  /** The upper bound when the figure is a range ("10%-15%" → value 10, upper 15). */
  upper?: number;
}

// ---------------------------------------------------------------------------------------------------
// Patterns, compiled once.

/**
 * Small sets of characters, tested on code units: each set is a bit of CHAR_SETS. Many patterns below
 * come with the characters their matches begin or end with, so that they run only where they may match.
 */
type CharSet = number;
const CHAR_SETS = new Uint16Array(0x10000);
let unusedSetBit = 1;

function charSet(chars: Iterable<string>): CharSet {
  const bit = unusedSetBit;
  if (bit > 0x8000) {
    throw new Error('CHAR_SETS holds 16 sets at most');
  }
  unusedSetBit <<= 1;
  for (const c of chars) {
    CHAR_SETS[c.charCodeAt(0)]! |= bit;
  }
  return bit;
}

/** True when the code unit (NaN past the end of a text) is in the set. */
const inSet = (set: CharSet, code: number): boolean => ((CHAR_SETS[code] ?? 0) & set) !== 0;

const CN_NUMERAL = '零〇○一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億';
const EN_NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ['one', 1],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['five', 5],
  ['six', 6],
  ['seven', 7],
  ['eight', 8],
  ['nine', 9],
  ['ten', 10],
  ['eleven', 11],
  ['twelve', 12],
  ['thirteen', 13],
  ['fourteen', 14],
  ['fifteen', 15],
  ['sixteen', 16],
  ['seventeen', 17],
  ['eighteen', 18],
  ['nineteen', 19],
  ['twenty', 20],
  ['thirty', 30],
  ['forty', 40],
  ['fifty', 50],
  ['sixty', 60],
  ['seventy', 70],
  ['eighty', 80],
  ['ninety', 90],
  ['hundred', 100],
]);
const EN_WORD_ALTERNATION = [...EN_NUMBER_WORDS.keys()].join('|');

/**
 * Anything that may start a number. extractFigures reads only texts with one of them (a quirk kept: a
 * number word glued to an underscore or a digit does not count, "_ten percent").
 */
const ANY_DIGIT = new RegExp(`[0-9０-９${CN_NUMERAL}]`, 'iu');
const ANY_NUMBER_WORD = new RegExp(`\\b(?:${EN_WORD_ALTERNATION})\\b`, 'iu');

/**
 * One number: an optional 百分之/千分之 prefix, then Arabic digits (thousands separators, decimals), or
 * a Chinese numeral (with 点 decimals), or an English number word. Sticky: it is tried where a scan
 * (nextNumberInHan, nextNumberInLatin) finds that a number may begin.
 */
const NUMBER = new RegExp(
  `(?<frac>百分之|千分之)?(?:(?<arabic>[0-9０-９]+(?:,[0-9]{3}(?![0-9]))*(?:[.．][0-9０-９]+)?)|(?<cn>[${CN_NUMERAL}]+(?:点[零〇一二三四五六七八九]+)?)|(?<![a-z])(?<word>${EN_WORD_ALTERNATION})(?:-(?<word2>one|two|three|four|five|six|seven|eight|nine))?(?![a-z]))`,
  'iuy',
);

/**
 * Code units for the scan: an Arabic digit or a Chinese numeral (where NUMBER always matches; some
 * numerals are decimal digits after 点 too), or a letter.
 */
const SCAN_DIGIT = 1;
const SCAN_NUMERAL = 2;
const SCAN_DECIMAL = 4;
const SCAN_LETTER = 8;
const SCAN_CLASS: Uint8Array = (() => {
  const table = new Uint8Array(0x10000);
  for (const c of '0123456789０１２３４５６７８９') {
    table[c.charCodeAt(0)] = SCAN_DIGIT;
  }
  for (const c of CN_NUMERAL) {
    table[c.charCodeAt(0)] = SCAN_NUMERAL;
  }
  for (const c of '零〇一二三四五六七八九') {
    table[c.charCodeAt(0)] = SCAN_NUMERAL | SCAN_DECIMAL;
  }
  for (let code = 0x41; code <= 0x5a; code++) {
    table[code] = SCAN_LETTER;
    table[code + 0x20] = SCAN_LETTER;
  }
  // [a-z] under the i and u flags also takes ſ (long s) for s and K (Kelvin sign) for k.
  table[0x17f] = SCAN_LETTER;
  table[0x212a] = SCAN_LETTER;
  return table;
})();

/** A letter's place in the alphabet, 1 to 26, as the i and u flags read it. */
function letterIndex(code: number): number {
  if (code === 0x17f) {
    return 19; // s
  }
  if (code === 0x212a) {
    return 11; // k
  }
  return (code | 0x20) - 0x60;
}

/** A word of up to 10 letters as one number: its letters in base 32. */
const LONGEST_NUMBER_WORD = 10;
const wordKey = (word: string): number =>
  [...word].reduce((key, c) => key * 32 + letterIndex(c.charCodeAt(0)), 0);
const NUMBER_WORD_KEYS: ReadonlySet<number> = new Set([...EN_NUMBER_WORDS.keys()].map(wordKey));

const isNumeral = (code: number): boolean => (SCAN_CLASS[code]! & SCAN_NUMERAL) !== 0;
const isDecimal = (code: number): boolean => (SCAN_CLASS[code]! & SCAN_DECIMAL) !== 0;
const POINT = '点'.charCodeAt(0);
const HUNDRED = '百'.charCodeAt(0);
const THOUSAND = '千'.charCodeAt(0);

/** NUMBER at `at`, or null. */
function numberAt(text: string, at: number): RegExpExecArray | null {
  NUMBER.lastIndex = at;
  return NUMBER.exec(text);
}

/**
 * Where a Chinese numeral that starts at `at` ends when no unit follows it (一些, 统一, 进一步: most
 * numerals in Chinese text are parts of words, never figures); -1 when it may be a figure.
 */
function unitlessNumeralEnd(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if ((first === HUNDRED || first === THOUSAND) && text.startsWith('分之', at + 1)) {
    return -1; // 百分之, 千分之
  }
  let end = at + 1;
  while (end < text.length && isNumeral(text.charCodeAt(end))) {
    end++;
  }
  if (text.charCodeAt(end) === POINT && isDecimal(text.charCodeAt(end + 1))) {
    end += 2;
    while (end < text.length && isDecimal(text.charCodeAt(end))) {
      end++;
    }
  }
  return inSet(CN_UNIT_START, text.charCodeAt(end)) ? -1 : end;
}

/**
 * The next NUMBER match at or after `from` in a text with Chinese characters, as a global search would
 * find it, but read in one pass over the text: NUMBER is tried only at a digit, at a Chinese numeral
 * followed by a unit, and at a word that is a number word. Chinese numerals without a unit (skipped by
 * extractFigures anyway) are passed over.
 */
function nextNumberInHan(text: string, from: number): RegExpExecArray | null {
  let i = from;
  while (i < text.length) {
    const kind = SCAN_CLASS[text.charCodeAt(i)]!;
    if ((kind & (SCAN_DIGIT | SCAN_NUMERAL)) !== 0) {
      const skip = kind === SCAN_DIGIT ? -1 : unitlessNumeralEnd(text, i);
      const match = skip < 0 ? numberAt(text, i) : null;
      if (match !== null) {
        return match;
      }
      i = Math.max(skip, i + 1);
    } else if (kind === SCAN_LETTER) {
      // A run of letters: NUMBER's word must be all of it ((?<![a-z]) and (?![a-z]) around it).
      let end = i;
      let key = 0;
      for (; end < text.length && SCAN_CLASS[text.charCodeAt(end)] === SCAN_LETTER; end++) {
        if (end - i < LONGEST_NUMBER_WORD) {
          key = key * 32 + letterIndex(text.charCodeAt(end));
        }
      }
      const atStart = i === 0 || SCAN_CLASS[text.charCodeAt(i - 1)] !== SCAN_LETTER;
      if (atStart && end - i <= LONGEST_NUMBER_WORD && NUMBER_WORD_KEYS.has(key)) {
        const match = numberAt(text, i);
        if (match !== null) {
          return match;
        }
      }
      i = end;
    } else {
      i++;
    }
  }
  return null;
}

/** A text without a character of this block holds no Chinese numeral but ○ and 〇 (see LATIN_STOP). */
const HAN_BLOCK = /[\u3400-\u9fff]/;

/**
 * Where a number may begin in a text without Chinese characters: a digit, ○ or 〇 (LATIN_STOP), or a
 * number word (LATIN_WORD). Two regexes find them much faster than a loop over the code units of a long
 * English text, and faster than one regex for both. \b misses a word right after a digit, an underscore
 * or ſ, and a word that begins with ſ: underscores and ſ are stops too, and the place right after a
 * number is tried first.
 */
const LATIN_STOP = /[0-9０-９○〇_ſ]/g;
const LATIN_WORD = new RegExp(`\\b(?:${EN_WORD_ALTERNATION})(?![a-zſ\u212a])`, 'gi');

const isDigitOrUnderscore = (code: number): boolean => (code >= 0x30 && code <= 0x39) || code === 0x5f;

/** The first match of a global pattern at or after `from`: its index, or Infinity without one. */
function firstAt(pattern: RegExp, text: string, from: number): number {
  pattern.lastIndex = from;
  return pattern.exec(text)?.index ?? Infinity;
}

/** What the scan of a text without Chinese characters has found ahead: the next stop and number word. */
interface LatinScan {
  stop: number;
  word: number;
}

/**
 * nextNumberInHan for a text without Chinese characters. `scan` keeps the next stop and number word
 * from one call to the next: the calls go forward through the text.
 */
function nextNumberInLatin(text: string, start: number, scan: LatinScan): RegExpExecArray | null {
  let from = start;
  if (from > 0 && isDigitOrUnderscore(text.charCodeAt(from - 1))) {
    const glued = numberAt(text, from); // "5ten"
    if (glued !== null) {
      return glued;
    }
  }
  for (;;) {
    if (scan.stop < from) {
      scan.stop = firstAt(LATIN_STOP, text, from);
    }
    if (scan.word < from) {
      scan.word = firstAt(LATIN_WORD, text, from);
    }
    const at = Math.min(scan.stop, scan.word);
    if (at === Infinity) {
      return null;
    }
    const code = text.charCodeAt(at);
    const stop = at === scan.stop;
    const skip = stop && (code === 0x25cb || code === 0x3007) ? unitlessNumeralEnd(text, at) : -1;
    // After an underscore, the number word that \b does not see.
    const match = skip >= 0 ? null : numberAt(text, stop && code === 0x5f ? at + 1 : at);
    if (match !== null) {
      return match;
    }
    from = Math.max(skip, at + 1);
  }
}

/** The next NUMBER match at or after `from`; `latin`: the scan of a text without Chinese characters. */
const nextNumber = (text: string, from: number, latin: LatinScan | null): RegExpExecArray | null =>
  latin === null ? nextNumberInHan(text, from) : nextNumberInLatin(text, from, latin);

/** A word character to \b under the i and u flags: [A-Za-z0-9_], ſ and K. */
const isWordChar = (code: number): boolean =>
  SCAN_CLASS[code] === SCAN_LETTER || (code >= 0x30 && code <= 0x39) || code === 0x5f;

/**
 * Whether the text has a digit, a numeral or a number word (ANY_DIGIT, ANY_NUMBER_WORD), given the first
 * number of the text: when it is a digit or numeral, or a number word standing alone, it tells.
 */
function hasNumberStart(text: string, first: RegExpExecArray): boolean {
  const word = first.groups!.word;
  if (word === undefined) {
    return true;
  }
  const before = first.index > 0 ? text.charCodeAt(first.index - 1) : 0x20;
  const afterAt = first.index + word.length;
  const after = afterAt < text.length ? text.charCodeAt(afterAt) : 0x20;
  if (!isWordChar(before) && !isWordChar(after)) {
    return true;
  }
  return ANY_DIGIT.test(text) || ANY_NUMBER_WORD.test(text);
}

/** Multipliers right after a number. 千米/千克/千瓦 and 百分点 are units, not 千/百. */
const CN_MULTIPLIER = /万亿|千万|百万|十万|万|亿|千(?![米克瓦])|百(?!分)/y;
/* Each sticky pattern below comes with the characters its matches begin with (see stickyAt). */
const CN_MULTIPLIER_FIRST = charSet('万千百十亿');
const CN_MULTIPLIERS: ReadonlyMap<string, number> = new Map([
  ['万亿', 1e12],
  ['千万', 1e7],
  ['百万', 1e6],
  ['十万', 1e5],
  ['万', 1e4],
  ['亿', 1e8],
  ['千', 1e3],
  ['百', 1e2],
]);
const EN_MULTIPLIER = /[ \t]*(thousand|million|billion|trillion|bn|mn|k)(?![a-z])/iy;
/** After blanks. */
const EN_MULTIPLIER_FIRST = charSet('tmbkTMBK');
const EN_MULTIPLIERS: ReadonlyMap<string, number> = new Map([
  ['thousand', 1e3],
  ['k', 1e3],
  ['million', 1e6],
  ['mn', 1e6],
  ['billion', 1e9],
  ['bn', 1e9],
  ['trillion', 1e12],
]);

/** Units written right after the number, as written → canonical. */
const CN_UNITS: ReadonlyMap<string, string> = new Map([
  ['个百分点', '百分点'],
  ['百分点', '百分点'],
  ['%', '%'],
  ['％', '%'],
  ['‰', '‰'],
  ['成', '成'],
  ['人民币', '元'],
  ['美元', '$'],
  ['欧元', '€'],
  ['元', '元'],
  ['块钱', '元'],
  ['平方公里', '平方公里'],
  ['平方千米', '平方公里'],
  ['平方米', '平方米'],
  ['平米', '平方米'],
  ['㎡', '平方米'],
  ['立方米', '立方米'],
  ['公里', '公里'],
  ['千米', '公里'],
  ['米', '米'],
  ['公顷', '公顷'],
  ['亩', '亩'],
  ['吨', '吨'],
  ['微克/立方米', 'μg/m³'],
  ['微克每立方米', 'μg/m³'],
  ['毫克/立方米', 'mg/m³'],
  ['微克', '微克'],
  ['毫克', '毫克'],
  ['千克', '千克'],
  ['公斤', '千克'],
  ['千瓦时', '千瓦时'],
  ['度电', '千瓦时'],
  ['千瓦', '千瓦'],
  ['兆瓦', '兆瓦'],
  ['个工作日', '天'],
  ['个小时', '小时'],
  ['个月', '月'],
  ['小时', '小时'],
  ['分钟', '分钟'],
  ['工作日', '天'],
  ['年', '年'],
  ['月', '月'],
  ['周', '周'],
  ['天', '天'],
  ['日', '天'],
  ['岁', '岁'],
  ['倍', '倍'],
  ['人次', '人次'],
  ['人', '人'],
  ['名', '人'],
  ['位', '人'],
  ['户', '户'],
  ['家', '家'],
  ['个', '个'],
  ['项', '项'],
  ['所', '所'],
  ['座', '座'],
  ['辆', '辆'],
  ['台', '台'],
  ['套', '套'],
  ['张', '张'],
  ['条', '条'],
  ['处', '处'],
  ['批', '批'],
  ['件', '件'],
  ['次', '次'],
  ['床', '床'],
  ['栋', '栋'],
  ['间', '间'],
  ['场', '场'],
]);
const EN_UNITS: ReadonlyMap<string, string> = new Map([
  ['percentage points', '百分点'],
  ['percentage point', '百分点'],
  ['percent', '%'],
  ['per cent', '%'],
  ['pct', '%'],
  ['dollars', '$'],
  ['dollar', '$'],
  ['usd', '$'],
  ['yuan', '元'],
  ['rmb', '元'],
  ['euros', '€'],
  ['euro', '€'],
  ['people', '人'],
  ['persons', '人'],
  ['residents', '人'],
  ['workers', '人'],
  ['students', '人'],
  ['employees', '人'],
  ['kilometers', '公里'],
  ['kilometres', '公里'],
  ['kilometer', '公里'],
  ['kilometre', '公里'],
  ['km', '公里'],
  ['square meters', '平方米'],
  ['square metres', '平方米'],
  ['meters', '米'],
  ['metres', '米'],
  ['meter', '米'],
  ['metre', '米'],
  ['m', '米'],
  ['miles', 'mile'],
  ['mile', 'mile'],
  ['tonnes', '吨'],
  ['tonne', '吨'],
  ['tons', '吨'],
  ['ton', '吨'],
  ['hectares', '公顷'],
  ['hectare', '公顷'],
  ['acres', 'acre'],
  ['acre', 'acre'],
  ['years', '年'],
  ['year', '年'],
  ['months', '月'],
  ['month', '月'],
  ['weeks', '周'],
  ['week', '周'],
  ['days', '天'],
  ['day', '天'],
  ['hours', '小时'],
  ['hour', '小时'],
  ['times', '倍'],
  ['fold', '倍'],
]);

const byLengthDesc = (a: string, b: string): number => b.length - a.length;
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const CN_UNIT = new RegExp(`(?:${[...CN_UNITS.keys()].sort(byLengthDesc).map(escape).join('|')})`, 'y');
const EN_UNIT = new RegExp(
  `[ \\t]?(?:${[...EN_UNITS.keys()]
    .sort(byLengthDesc)
    .map((u) => escape(u).replace(' ', '[ \\t]+'))
    .join('|')})(?![a-z])`,
  'iy',
);
/** First characters of the Chinese units: a Chinese numeral followed by none of them is no figure. */
const CN_UNIT_START = charSet([...CN_UNITS.keys()].map((unit) => unit[0]!));
/** After a blank, if any. */
const EN_UNIT_FIRST = charSet([...EN_UNITS.keys()].flatMap((unit) => [unit[0]!, unit[0]!.toUpperCase()]));
/** Time units: a figure in them needs a direction (五年规划, 3月1日 are not figures). */
const TIME_UNITS = new Set(['年', '月', '周', '天', '小时', '分钟', '岁']);

const CURRENCY_PREFIX: ReadonlyMap<string, string> = new Map([
  ['US$', '$'],
  ['$', '$'],
  ['￥', '元'],
  ['¥', '元'],
  ['€', '€'],
  ['£', '£'],
]);
const CURRENCY_BEFORE = /(?:US\$|\$|￥|¥|€|£)[ \t]?$/u;
const CURRENCY_SIGNS = '$￥¥€£';
/** What CURRENCY_BEFORE ends with, but for a blank. */
const CURRENCY_LAST = charSet(CURRENCY_SIGNS);

/** A direction written before the number, with what may stand between it and the number. */
const CN_BOUND_WORDS =
  '不得低于|不低于|不少于|不小于|至少|最少|最低|起码|不得高于|不得超过|不高于|不超过|不多于|不大于|至多|最多|最高|控制在|低于|少于|小于|高于|超过|多于|大于|≥|≤|>=|<=|＞|＜|>|<';
/** Verbs that set a level with 至/到 after them. */
const CN_MOVE_VERBS =
  '提升|提高|增加|增长|上升|扩大|增|升|上调|降低|减少|下降|压减|削减|缩减|缩小|下调|减|降|调整|修改|改|延长|缩短|提前|推迟|延迟|延后';
const CN_CHANGE_WORDS =
  '达到|达|实现|突破|提升|提高|增加|增长|上升|扩大|增|上调|翻|降低|减少|下降|压减|削减|缩减|缩小|下调|减|降|延长|缩短|调整为|修改为|改为|确定为|设定为|设为|定为|约为|为|占|保持在|保持|维持在|维持';
const CN_PARTICLES = '了|约|近|逾|在|大约|将近';
const CN_DIRECTION_BEFORE = new RegExp(
  `(${CN_BOUND_WORDS}|(?:${CN_MOVE_VERBS})(?:至|到)|${CN_CHANGE_WORDS})(?:${CN_PARTICLES})?(?:(?:[0-9０-９]{4}|[〇零一二三四五六七八九]{4})年(?:底|末)?的?)?[ \\t]*$`,
  'u',
);
/** What CN_DIRECTION_BEFORE can end with, but for blanks: a direction word, a particle, a year. */
const CN_DIRECTION_LAST = charSet(
  [CN_BOUND_WORDS, CN_CHANGE_WORDS, CN_PARTICLES, '至|到|年|底|末|的']
    .join('|')
    .split('|')
    .map((word) => word.at(-1)!),
);
const CN_DIRECTIONS: readonly (readonly [RegExp, FigureDirection])[] = [
  [/^(?:不得低于|不低于|不少于|不小于|至少|最少|最低|起码|高于|超过|多于|大于|≥|>=|＞|>|突破)/u, 'at_least'],
  [
    /^(?:不得高于|不得超过|不高于|不超过|不多于|不大于|至多|最多|最高|控制在|低于|少于|小于|≤|<=|＜|<)/u,
    'at_most',
  ],
  [/(?:至|到)$|^(?:达到|达|实现)/u, 'reach'],
  [/^(?:提升|提高|增加|增长|上升|扩大|增|上调|翻|延长)/u, 'increase'],
  [/^(?:降低|减少|下降|压减|削减|缩减|缩小|下调|减|降|缩短)/u, 'decrease'],
  [/^(?:调整为|修改为|改为|确定为|设定为|设为|定为|约为|为|占|保持在|保持|维持在|维持)/u, 'equal'],
];
/** Verbs after which a year is itself the figure ("提前至2025年"). */
const SETS_YEAR = /^(?:调整|修改|改|提前|推迟|延迟|延后|延长|缩短)/u;

const EN_DIRECTION_PHRASES =
  'at least|no less than|not less than|no fewer than|not fewer than|a minimum of|minimum of|more than|greater than|over|above|exceeding|exceed|at most|no more than|not more than|no greater than|up to|a maximum of|maximum of|less than|fewer than|under|below|not exceed|not to exceed|not exceeding|capped at|cap at|reach|reaches|reached|reaching|achieve|achieves|achieved|hit|target of|to|by|is|are|be|equal to|of';
const EN_ABOUT = 'about |approximately |around |nearly |roughly |some |an estimated ';
const EN_DIRECTION_BEFORE = new RegExp(`(?:^|[^a-z])(${EN_DIRECTION_PHRASES})[ \\t]+(?:${EN_ABOUT})?$`, 'iu');
/** The words EN_DIRECTION_BEFORE can end with (before blanks), in lower case. */
const EN_DIRECTION_LAST_WORDS: ReadonlySet<string> = new Set(
  `${EN_DIRECTION_PHRASES}|${EN_ABOUT}`.split('|').map((phrase) => phrase.trim().split(' ').at(-1)!),
);
const EN_INCREASE = /(?<![a-z])(?:increas|rais|grow|boost|expand|extend|doubl|up(?![a-z]))[a-z]*/giu;
const EN_DECREASE =
  /(?<![a-z])(?:reduc|cut|decreas|lower|declin|drop|shrink|down(?![a-z])|fall|limit|shorten)[a-z]*/giu;
/** A direction verb as a whole word (anchored versions of the two above). */
const EN_VERB_WORD =
  /^(?:(?:increas|rais|grow|boost|expand|extend|doubl|reduc|cut|decreas|lower|declin|drop|shrink|fall|limit|shorten)[a-z]*|up|down)$/iu;
const EN_FIXED: ReadonlyMap<string, FigureDirection> = new Map([
  ['at least', 'at_least'],
  ['no less than', 'at_least'],
  ['not less than', 'at_least'],
  ['no fewer than', 'at_least'],
  ['not fewer than', 'at_least'],
  ['a minimum of', 'at_least'],
  ['minimum of', 'at_least'],
  ['more than', 'at_least'],
  ['greater than', 'at_least'],
  ['over', 'at_least'],
  ['above', 'at_least'],
  ['exceeding', 'at_least'],
  ['exceed', 'at_least'],
  ['at most', 'at_most'],
  ['no more than', 'at_most'],
  ['not more than', 'at_most'],
  ['no greater than', 'at_most'],
  ['up to', 'at_most'],
  ['a maximum of', 'at_most'],
  ['maximum of', 'at_most'],
  ['less than', 'at_most'],
  ['fewer than', 'at_most'],
  ['under', 'at_most'],
  ['below', 'at_most'],
  ['not exceed', 'at_most'],
  ['not to exceed', 'at_most'],
  ['not exceeding', 'at_most'],
  ['capped at', 'at_most'],
  ['cap at', 'at_most'],
  ['reach', 'reach'],
  ['reaches', 'reach'],
  ['reached', 'reach'],
  ['reaching', 'reach'],
  ['achieve', 'reach'],
  ['achieves', 'reach'],
  ['achieved', 'reach'],
  ['hit', 'reach'],
  ['target of', 'reach'],
  ['is', 'equal'],
  ['are', 'equal'],
  ['be', 'equal'],
  ['equal to', 'equal'],
]);

/** Written after the unit: 20%以上, 5年以内. */
const CN_DIRECTION_AFTER = /(?:及以上|以上|及以下|以下|以内|之内|左右)/y;
const CN_DIRECTION_AFTER_FIRST = charSet('及以之左');
const EN_DIRECTION_AFTER =
  /[ \t]+(?:or more|or higher|or above|and above|at least|or less|or fewer|or lower|at most|and below)(?![a-z])/iy;

/** A range connector between two numbers. */
const RANGE = /[ \t]*(?:-|–|—|~|～|〜|至|到)[ \t]*/y;
/** After blanks. */
const RANGE_FIRST = charSet('-–—~～〜至到');
const RANGE_EN = /[ \t]+to[ \t]+/iy;
/** After one blank or more (see blanksEnd), as for EN_DIRECTION_AFTER. */
const RANGE_EN_FIRST = charSet('tT');
const EN_DIRECTION_AFTER_FIRST = charSet('oaOA');
/** A change's starting value comes after these; the value after "to"/到 is then its own figure. */
const CHANGE_FROM = /(?:(?<![a-z])from|由|从)[ \t]*(?:US\$|\$|￥|¥|€|£)?[ \t]*$/iu;

/** Sentence ends: years and inherited targets do not cross them. */
const SENTENCE_ENDS = '。！？!?；;\n';
/** Ends of a clause of a sentence: a target does not reach across them. */
const CLAUSE_ENDS = `${SENTENCE_ENDS}，,：:、（）()“”"「」《》【】`;
const SENTENCE_END = 1;
const CLAUSE_END = 2;
/** Per code unit: SENTENCE_END, CLAUSE_END (a sentence end is one too) or 0. */
const ENDS: Uint8Array = (() => {
  const table = new Uint8Array(0x10000);
  for (const c of CLAUSE_ENDS) {
    table[c.charCodeAt(0)] = SENTENCE_ENDS.includes(c) ? SENTENCE_END | CLAUSE_END : CLAUSE_END;
  }
  return table;
})();

/** [a-z] under the i and u flags: ASCII letters, ſ and K. */
const LATIN_LETTER = charSet('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZſ\u212a');
/**
 * What ORDINAL_BEFORE, CURRENCY_BEFORE and CHANGE_FROM can end with (before blanks): a number after
 * anything else needs none of them, which is the case of most numbers.
 */
const ORDINAL_LAST = charSet('第.#§本nertmhNERTMH');
const CHANGE_FROM_LAST = charSet(`由从mM${CURRENCY_SIGNS}`);

const isBlank = (code: number): boolean => code === 0x20 || code === 0x09;

/** The first position at or after `at` that holds no space or tab. */
function skipBlanks(text: string, at: number): number {
  let i = at;
  while (i < text.length && isBlank(text.charCodeAt(i))) {
    i++;
  }
  return i;
}

/** The end of the blanks at `at`; -1 when there are none (a pattern that needs one cannot match). */
const blanksEnd = (text: string, at: number): number =>
  isBlank(text.charCodeAt(at)) ? skipBlanks(text, at) : -1;

/** The last code unit before `at` that is not a space or a tab, from `from` on; NaN if none. */
function lastNonBlank(text: string, from: number, at: number): number {
  let i = at - 1;
  while (i >= from && isBlank(text.charCodeAt(i))) {
    i--;
  }
  return i >= from ? text.charCodeAt(i) : NaN;
}

/**
 * The match of a sticky pattern at `at`, or null; `first`: the characters its matches begin with, or
 * have at `firstAt` (after blanks), so that it runs only where it may match.
 */
function stickyAt(
  pattern: RegExp,
  first: CharSet,
  text: string,
  at: number,
  firstAt = at,
): RegExpExecArray | null {
  if (!inSet(first, text.charCodeAt(firstAt))) {
    return null;
  }
  pattern.lastIndex = at;
  return pattern.exec(text);
}

const ORDINAL_BEFORE =
  /(?:第|No\.|no\.|#|§|Art\.|art\.|section|article|chapter|item|part|rule|docket|page|paragraph|para\.|版本)[ \t]*$/iu;

// ---------------------------------------------------------------------------------------------------

interface Candidate {
  start: number;
  end: number;
  value: number;
  upper?: number;
  unit: string;
  direction: FigureDirection | null;
  /** Where the text before the figure (its target) ends: the start of the direction or number. */
  targetEnd: number;
  isYear: boolean;
}

interface ParsedNumber {
  start: number;
  end: number;
  value: number;
  chinese: boolean;
  word: boolean;
  /** Percent prefix: 百分之 → '%', 千分之 → '‰'. */
  fraction: string | null;
  digits: string;
}

function roundValue(value: number): number {
  if (Number.isInteger(value) && value > 0 && value < 1e12) {
    return value; // twelve digits at most: nothing to round
  }
  return Number(value.toPrecision(12));
}

/** True when the digits are ASCII, with at most a '.': Number reads them as they are. */
function isPlainNumber(digits: string): boolean {
  for (let i = 0; i < digits.length; i++) {
    const code = digits.charCodeAt(i);
    if ((code < 0x30 || code > 0x39) && code !== 0x2e) {
      return false;
    }
  }
  return true;
}

function parseNumberMatch(match: RegExpExecArray): ParsedNumber | null {
  const groups = match.groups!;
  const start = match.index;
  const end = start + match[0].length;
  const fraction = groups.frac === undefined ? null : groups.frac === '百分之' ? '%' : '‰';
  if (groups.arabic !== undefined) {
    const arabic = groups.arabic;
    const value = Number(
      isPlainNumber(arabic) ? arabic : toAsciiDigits(arabic).replace('．', '.').replaceAll(',', ''),
    );
    return Number.isFinite(value)
      ? { start, end, value, chinese: false, word: false, fraction, digits: groups.arabic }
      : null;
  }
  if (groups.cn !== undefined) {
    const [whole = '', decimals] = groups.cn.split('点');
    const integer = parseChineseNumber(whole);
    if (integer === null) {
      return null;
    }
    let value = integer;
    if (decimals !== undefined) {
      const fractionDigits = [...decimals].map((c) => parseChineseNumber(c) ?? 0).join('');
      value = Number(`${integer}.${fractionDigits}`);
    }
    return { start, end, value, chinese: true, word: false, fraction, digits: groups.cn };
  }
  if (groups.word !== undefined) {
    const value =
      (EN_NUMBER_WORDS.get(groups.word.toLowerCase()) ?? 0) +
      (groups.word2 === undefined ? 0 : (EN_NUMBER_WORDS.get(groups.word2.toLowerCase()) ?? 0));
    return { start, end, value, chinese: false, word: true, fraction, digits: groups.word };
  }
  return null;
}

const isAsciiLetter = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isHan = (code: number): boolean => code >= 0x3400 && code <= 0x9fff;

/** Reads a multiplier and a unit after a number at `at`. */
function readUnit(
  text: string,
  at: number,
  number: ParsedNumber,
  currency: string | null,
): { end: number; multiplier: number; unit: string | null } {
  let end = at;
  let multiplier = 1;
  if (!number.chinese) {
    const cn = stickyAt(CN_MULTIPLIER, CN_MULTIPLIER_FIRST, text, end);
    if (cn !== null) {
      multiplier = CN_MULTIPLIERS.get(cn[0]) ?? 1;
      end = CN_MULTIPLIER.lastIndex;
    } else {
      const en = stickyAt(EN_MULTIPLIER, EN_MULTIPLIER_FIRST, text, end, skipBlanks(text, end));
      if (en !== null) {
        multiplier = EN_MULTIPLIERS.get(en[1]!.toLowerCase()) ?? 1;
        end = EN_MULTIPLIER.lastIndex;
      } else if (
        currency !== null &&
        (text[end] === 'm' || text[end] === 'M') &&
        !isAsciiLetter(text.charCodeAt(end + 1))
      ) {
        // "$5m": after a currency sign, m is million, not metres.
        multiplier = 1e6;
        end += 1;
      }
    }
  }
  if (number.fraction !== null) {
    return { end, multiplier, unit: number.fraction };
  }
  const cn = stickyAt(CN_UNIT, CN_UNIT_START, text, end);
  if (cn !== null) {
    const unit = CN_UNITS.get(cn[0]) ?? '';
    // 成 is a unit only after a Chinese numeral (三成); after digits it is mostly a verb (建成).
    if (unit !== '成' || number.chinese) {
      return { end: CN_UNIT.lastIndex, multiplier, unit };
    }
  }
  if (!number.chinese) {
    const en = stickyAt(EN_UNIT, EN_UNIT_FIRST, text, end, isBlank(text.charCodeAt(end)) ? end + 1 : end);
    if (en !== null) {
      const written = en[0].trim().toLowerCase().replace(/\s+/gu, ' ');
      const unit = EN_UNITS.get(written) ?? '';
      // "5 m" is metres; a lone m right after a word number is not ("five m…" is not a unit).
      if (!(written === 'm' && (number.word || currency !== null))) {
        return { end: EN_UNIT.lastIndex, multiplier, unit };
      }
    }
  }
  return { end, multiplier, unit: null };
}

function directionFromChinese(word: string): FigureDirection | null {
  for (const [pattern, direction] of CN_DIRECTIONS) {
    if (pattern.test(word)) {
      return direction;
    }
  }
  return null;
}

/**
 * The direction before a number and where it starts; English verbs may stand a few words back. Neither
 * reaches across the end of a clause.
 */
function readDirectionBefore(
  text: string,
  numberStart: number,
): { direction: FigureDirection | null; start: number; setsYear: boolean; english: boolean } {
  const from = findClauseStart(text, numberStart, Math.max(0, numberStart - 24));
  const window = text.slice(from, numberStart);
  const cn = inSet(CN_DIRECTION_LAST, lastNonBlank(text, from, numberStart))
    ? CN_DIRECTION_BEFORE.exec(window)
    : null;
  if (cn !== null) {
    const word = cn[1]!;
    return {
      direction: directionFromChinese(word),
      start: from + cn.index,
      setsYear: SETS_YEAR.test(word),
      english: false,
    };
  }
  const en = mayEndEnglishDirection(text, from, numberStart) ? EN_DIRECTION_BEFORE.exec(window) : null;
  if (en !== null) {
    const phrase = en[1]!.toLowerCase();
    const start = from + en.index + en[0].indexOf(en[1]!);
    const fixed = EN_FIXED.get(phrase);
    if (fixed !== undefined) {
      return { direction: fixed, start, setsYear: false, english: true };
    }
    if (phrase === 'of') {
      return { direction: null, start: numberStart, setsYear: false, english: true };
    }
    // "to"/"by": the verb may stand a few words back ("increase the renewable share to 30%"). The window
    // holds no end of a clause, so the clause of the number is that of `start`.
    const backStart = findClauseStart(text, start, Math.max(0, start - 60));
    const back = text.slice(backStart, start);
    const increase = lastMatch(EN_INCREASE, back);
    const decrease = lastMatch(EN_DECREASE, back);
    if (increase < 0 && decrease < 0) {
      return phrase === 'to'
        ? { direction: 'reach', start, setsYear: false, english: true }
        : { direction: null, start: numberStart, setsYear: false, english: true };
    }
    const verbDirection: FigureDirection = increase > decrease ? 'increase' : 'decrease';
    const verbAt = backStart + Math.max(increase, decrease);
    const direction: FigureDirection = phrase === 'to' ? 'reach' : verbDirection;
    // The span starts at the verb only when it is adjacent ("increase by 20%"); else at the preposition.
    const between = text.slice(verbAt, start);
    const adjacent = /^[a-z]+[ \t]*$/iu.test(between);
    return { direction, start: adjacent ? verbAt : start, setsYear: false, english: true };
  }
  return { direction: null, start: numberStart, setsYear: false, english: false };
}

/**
 * False when text[from, at) cannot match EN_DIRECTION_BEFORE: it does not end with blanks after one of
 * the words that pattern ends with. A word with ſ or K (s and k to the pattern) is left to the pattern.
 */
function mayEndEnglishDirection(text: string, from: number, at: number): boolean {
  if (at <= from || !isBlank(text.charCodeAt(at - 1))) {
    return false;
  }
  let end = at - 1;
  while (end > from && isBlank(text.charCodeAt(end - 1))) {
    end--;
  }
  let start = end;
  while (start > from && inSet(LATIN_LETTER, text.charCodeAt(start - 1))) {
    start--;
  }
  const word = text.slice(start, end);
  return /[^A-Za-z]/.test(word) || EN_DIRECTION_LAST_WORDS.has(word.toLowerCase());
}

/** Index of the last match of a global pattern in a text, -1 if none. */
function lastMatch(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  let last = -1;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    last = m.index;
  }
  return last;
}

function findClauseStart(text: string, at: number, limit: number): number {
  for (let i = at - 1; i >= limit; i--) {
    if ((ENDS[text.charCodeAt(i)]! & CLAUSE_END) !== 0) {
      return i + 1;
    }
  }
  return limit;
}

function sameSentence(text: string, a: number, b: number): boolean {
  const [from, to] = a < b ? [a, b] : [b, a];
  if (to - from > 400) {
    return false;
  }
  for (let i = from; i < to; i++) {
    if ((ENDS[text.charCodeAt(i)]! & SENTENCE_END) !== 0) {
      return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------
// Targets.

const CN_LEADING =
  /^(?:(?:建议|期间|时期|以来|今后|未来|调整为|修改为|改为|我们|我单位|本单位|认为|希望|将|把|对|要|应当|应该|应|需要|需|必须|力争|争取|确保|截至|截止|到|至|在|于|从|由|使|让|其中|同时|并|和|及|而|且|全省|全市|全区|全县|全国|我省|我市|我区|我县|本省|本市)|(?:[0-9０-９]{4}|[〇零一二三四五六七八九]{4})年(?:底|末|前|以前|内|起)?)+/u;
const CN_TRAILING =
  /(?:调整为|修改为|改为|调整|修改|要|应当|应该|应|需要|需|将|力争|争取|确保|年均|平均|每年|累计|再|分别|总计|合计|共|比上年|同比|较上年|比|较|由|从|的|约|不|得|了|在|可|能|上|从而|并|等|(?:[0-9０-９]{4}|[〇零一二三四五六七八九]{4})年(?:底|末|前|以前|内|起)?)+$/u;
const EN_SKIP = new Set([
  'the',
  'a',
  'an',
  'to',
  'by',
  'of',
  'at',
  'in',
  'for',
  'on',
  'and',
  'or',
  'that',
  'this',
  'its',
  'their',
  'our',
  'should',
  'shall',
  'must',
  'will',
  'would',
  'could',
  'can',
  'may',
  'be',
  'is',
  'are',
  'was',
  'were',
  'we',
  'i',
  'it',
  'they',
  'from',
  'with',
  'than',
  'least',
  'most',
  'more',
  'less',
  'no',
  'not',
  'up',
  'about',
  'approximately',
  'around',
  'nearly',
  'total',
]);
const MAX_TARGET_CHARS = 24;
/** Counters: what they count usually follows them (建成3个省级算力枢纽, 培育100家专精特新企业). */
const COUNTER_UNITS = new Set([
  '个',
  '项',
  '所',
  '座',
  '辆',
  '台',
  '套',
  '张',
  '条',
  '处',
  '批',
  '件',
  '家',
  '户',
  '床',
  '栋',
  '间',
  '场',
  '次',
  '人次',
]);
/** The noun phrase right after a figure: Han letters up to a verb, particle or conjunction. */
const FOLLOWING_TARGET =
  /^[ \t]*的?([\p{Script=Han}A-Za-z0-9]{2,12}?)(?=用于|用|是|为|将|要|应|和|及|与|等|的|以|在|并|由|从|到|达|[^\p{Script=Han}A-Za-z0-9]|$)/u;
const CN_VERB_START =
  /^(?:建成|建设|新增|增加|提高|提升|达到|降低|减少|以上|以下|以内|左右|之内|左右|内|前|后|起|期间)/u;
const MAX_TARGET_WORDS = 4;

function cleanTarget(raw: string): string | null {
  if (raw.length === 0) {
    return null;
  }
  if (!NOT_PRINTABLE_ASCII.test(raw)) {
    return englishTarget(raw);
  }
  let text = normalize(raw).toLowerCase();
  text = text.replace(/[\p{P}\p{S}]+/gu, ' ').trim();
  if (text === '') {
    return null;
  }
  if (countHan(text) > 0) {
    let han = text.replace(/\s+/gu, '');
    han = han.replace(CN_LEADING, '').replace(CN_TRAILING, '');
    han = han.replace(/^[0-9.]+|[0-9.]+$/gu, '');
    if (han.length > MAX_TARGET_CHARS) {
      han = han.slice(han.length - MAX_TARGET_CHARS);
    }
    return han.length >= 2 ? han : null;
  }
  const words = text.split(/\s+/u);
  let i = words.length;
  return keptWords(() => (i > 0 ? words[--i]! : null));
}

/**
 * The target in the words before a figure, given from the last back (`previous` gives the word before
 * the last one given, null at the start): its last content words. Direction verbs at the start are
 * dropped ("increase the renewable share").
 */
function keptWords(previous: () => string | null): string | null {
  const kept: string[] = [];
  for (let word = previous(); word !== null && kept.length < MAX_TARGET_WORDS; word = previous()) {
    if (/^[0-9.,]+$/u.test(word)) {
      kept.length = 0; // the words after a number are its unit ("from 12 months to 24 months")
      continue;
    }
    if (EN_SKIP.has(word)) {
      if (kept.length > 0) {
        break;
      }
      continue;
    }
    if (EN_FIXED.has(word) || EN_VERB_WORD.test(word)) {
      if (kept.length > 0) {
        break;
      }
      continue;
    }
    kept.unshift(word);
  }
  const target = kept.join(' ');
  return target.length >= 2 ? target : null;
}

/** Anything but a printable ASCII character or a space. */
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

const isAsciiAlnum = (code: number): boolean => isAsciiLetter(code) || (code >= 0x30 && code <= 0x39);

/**
 * cleanTarget of printable ASCII, read from the end: normalised, such a text is its own form but for
 * spaces, and its words (after punctuation and symbols become spaces) are its runs of letters and
 * digits, in lower case. Only the last few are read.
 */
function englishTarget(raw: string): string | null {
  let at = raw.length;
  return keptWords(() => {
    let end = at;
    while (end > 0 && !isAsciiAlnum(raw.charCodeAt(end - 1))) {
      end--;
    }
    let start = end;
    while (start > 0 && isAsciiAlnum(raw.charCodeAt(start - 1))) {
      start--;
    }
    at = start;
    return start < end ? raw.slice(start, end).toLowerCase() : null;
  });
}

/** The noun phrase after a figure in Chinese (百分之五十的资金 → 资金), or null. */
function followingTarget(text: string, end: number): string | null {
  const after = text.slice(end, end + 24);
  const match = FOLLOWING_TARGET.exec(after);
  if (match === null || countHan(match[1]!) < 2 || CN_VERB_START.test(match[1]!)) {
    return null;
  }
  return cleanTarget(match[1]!);
}

function countHan(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    if (isHan(text.charCodeAt(i))) {
      n++;
    }
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------

/**
 * The figures of a text, in order. The text is scanned for the places where a number may begin; most
 * tests on a number run only when a character around it allows them to match.
 */
export function extractFigures(text: string): Figure[] {
  const latin = HAN_BLOCK.test(text) ? null : { stop: -1, word: -1 };
  const first = nextNumber(text, 0, latin);
  if (first === null || !hasNumberStart(text, first)) {
    return [];
  }
  const candidates: Candidate[] = [];
  const years: { at: number; year: number }[] = [];
  let lastEnd = 0;
  /** Where the search for the next number goes on when that is past the end of the number (0: not). */
  let resumeAt = 0;
  for (
    let match: RegExpExecArray | null = first;
    match !== null;
    match = nextNumber(text, Math.max(resumeAt, match.index + match[0].length), latin)
  ) {
    if (match.index < lastEnd) {
      continue;
    }
    // Most Chinese numerals are parts of words (一些, 统一, 进一步): a unit must follow, else skip early.
    if (match.groups!.cn !== undefined && match.groups!.frac === undefined) {
      if (!inSet(CN_UNIT_START, text.charCodeAt(match.index + match[0].length))) {
        continue;
      }
    }
    const number = parseNumberMatch(match);
    if (number === null) {
      continue;
    }
    const before = number.start > 0 ? text.charCodeAt(number.start - 1) : 0;
    const after = number.end < text.length ? text.charCodeAt(number.end) : 0;
    // Codes and identifiers: GB50180, COVID-19, v2, 5G (unless the letters are a unit, checked below).
    if (!number.chinese && number.fraction === null && (isAsciiLetter(before) || before === 0x2d) /* - */) {
      if (before !== 0x2d || isAsciiLetter(text.charCodeAt(number.start - 2))) {
        continue;
      }
    }
    const headStart = Math.max(0, number.start - 12);
    const head = text.slice(headStart, number.start);
    const headLast = lastNonBlank(text, headStart, number.start);
    if (inSet(ORDINAL_LAST, headLast) && ORDINAL_BEFORE.test(head)) {
      continue;
    }
    const currencyMatch =
      number.chinese || !inSet(CURRENCY_LAST, headLast) ? null : CURRENCY_BEFORE.exec(head);
    const currency = currencyMatch === null ? null : (CURRENCY_PREFIX.get(currencyMatch[0].trim()) ?? null);
    const unitRead = readUnit(text, number.end, number, currency);
    let end = unitRead.end;
    let unit = unitRead.unit ?? currency ?? null;
    if (unitRead.unit === null && !number.chinese && isAsciiLetter(after) && unitRead.multiplier === 1) {
      continue; // 5G, 3D, 2nd
    }
    let value = number.value * unitRead.multiplier;
    if (unit === '成') {
      value *= 10;
      unit = '%';
    }
    if (currency !== null && unit !== null && unit !== currency && unitRead.unit !== null) {
      unit = currency; // a currency sign decides: the figure is money whatever word follows
    }
    const numberStart = currencyMatch === null ? number.start : number.start - currencyMatch[0].length;

    // Years: 2025年, 二〇三五年, "by 2030".
    const isYearValue =
      Number.isInteger(number.value) &&
      number.value >= 1900 &&
      number.value <= 2100 &&
      unitRead.multiplier === 1 &&
      number.fraction === null &&
      currency === null &&
      (number.chinese
        ? /^[〇零○一二三四五六七八九]{4}$/u.test(number.digits)
        : /^[0-9０-９]{4}$/u.test(number.digits));
    if (isYearValue && (unit === '年' || (unit === null && !number.chinese))) {
      const direction = readDirectionBefore(text, numberStart);
      if (direction.setsYear) {
        lastEnd = end;
        candidates.push({
          start: direction.start,
          end,
          value: number.value,
          unit: '年',
          direction: 'equal',
          targetEnd: direction.start,
          isYear: true,
        });
      } else {
        years.push({ at: number.start, year: number.value });
        lastEnd = end;
        resumeAt = dateEnd(text, end) ?? resumeAt;
      }
      continue;
    }

    // A range: 10%-15%, 10-15%, 10至15个.
    // Not after "from"/由/从: "from 12 to 24 months" is a change, read as two figures.
    let upper: number | undefined;
    const change = inSet(CHANGE_FROM_LAST, headLast) && CHANGE_FROM.test(head);
    let range = change ? null : stickyAt(RANGE, RANGE_FIRST, text, end, skipBlanks(text, end));
    if (range === null && (unit === null || unit === '') && !number.chinese && !change) {
      range = stickyAt(RANGE_EN, RANGE_EN_FIRST, text, end, blanksEnd(text, end));
    }
    if (range !== null) {
      const connectorEnd = range.index + range[0].length;
      const second = numberAt(text, connectorEnd);
      if (second !== null) {
        const secondNumber = parseNumberMatch(second);
        if (secondNumber !== null && secondNumber.chinese === number.chinese) {
          const secondUnit = readUnit(text, secondNumber.end, secondNumber, currency);
          const secondValueUnit = secondUnit.unit;
          if (
            (unit === null || secondValueUnit === null || secondValueUnit === unit) &&
            (unit !== null ||
              secondValueUnit !== null ||
              unitRead.multiplier !== 1 ||
              secondUnit.multiplier !== 1)
          ) {
            const firstMultiplier = unitRead.multiplier === 1 ? secondUnit.multiplier : unitRead.multiplier;
            value = number.value * firstMultiplier;
            upper = roundValue(secondNumber.value * secondUnit.multiplier);
            unit = unit ?? secondValueUnit;
            end = secondUnit.end;
          }
        }
      }
      resumeAt = end;
    }
    if (unit === '成') {
      value *= 10;
      upper = upper === undefined ? undefined : upper * 10;
      unit = '%';
    }

    const directionBefore = readDirectionBefore(text, numberStart);
    let direction = directionBefore.direction;
    const cnAfter = stickyAt(CN_DIRECTION_AFTER, CN_DIRECTION_AFTER_FIRST, text, end);
    if (cnAfter !== null) {
      const word = cnAfter[0];
      end = CN_DIRECTION_AFTER.lastIndex;
      if (word !== '左右' && (direction === null || direction === 'reach' || direction === 'equal')) {
        direction = word.includes('上') ? 'at_least' : 'at_most';
      }
    } else {
      const enAfter = stickyAt(EN_DIRECTION_AFTER, EN_DIRECTION_AFTER_FIRST, text, end, blanksEnd(text, end));
      if (enAfter !== null) {
        end = EN_DIRECTION_AFTER.lastIndex;
        if (direction === null || direction === 'reach' || direction === 'equal') {
          direction = /more|higher|above|least/iu.test(enAfter[0]) ? 'at_least' : 'at_most';
        }
      }
    }

    // What makes a number a figure: a unit, a multiplier or a direction (see the header).
    const hasUnit = unit !== null && unit !== '';
    if (number.chinese || number.word) {
      if (!hasUnit) {
        continue;
      }
      if (number.chinese && number.digits === '一' && (direction === null || direction === 'equal')) {
        continue; // 一个平台, 为一项制度: an article
      }
      // A Chinese numeral glued to the Han word before it is part of that word (统一, 之一), unless a verb.
      if (number.chinese && directionBefore.direction === null && isHan(before) && number.fraction === null) {
        const prev = text[number.start - 1]!;
        if ('统唯之万第逐单同专'.includes(prev)) {
          continue;
        }
      }
    } else if (
      !hasUnit &&
      unitRead.multiplier <= 1e3 &&
      (direction === null || (direction === 'equal' && directionBefore.english))
    ) {
      continue; // "section 3", "there are 3 issues"; but "容积率为2.5", "no more than 3"
    }
    if (unit !== null && TIME_UNITS.has(unit) && direction === null) {
      continue;
    }
    const start = Math.min(directionBefore.start, numberStart);
    lastEnd = end;
    candidates.push({
      start,
      end,
      value: roundValue(value),
      ...(upper === undefined ? {} : { upper }),
      unit: unit ?? '',
      direction,
      targetEnd: start,
      isYear: false,
    });
  }
  return finish(text, candidates, years);
}

/** The month and day that follow a year (2025年3月1日): where they end, so they are not read as figures. */
const DATE = /[0-9０-９一二三四五六七八九十]{1,3}月(?:[0-9０-９一二三四五六七八九十]{1,3}[日号])?/y;

function dateEnd(text: string, at: number): number | null {
  DATE.lastIndex = at;
  return DATE.exec(text) === null ? null : DATE.lastIndex;
}

function finish(
  text: string,
  candidates: readonly Candidate[],
  years: readonly { at: number; year: number }[],
): Figure[] {
  const figures: Figure[] = [];
  let previous: Figure | null = null;
  let nextYear = 0;
  for (const candidate of candidates) {
    // The target: the text from the start of the clause (or the previous figure) to the figure.
    const limit = previous === null ? 0 : previous.end;
    const clauseStart = findClauseStart(
      text,
      candidate.targetEnd,
      Math.max(limit, candidate.targetEnd - 120),
    );
    let target: string | null = null;
    const preferFollowing = COUNTER_UNITS.has(candidate.unit);
    if (preferFollowing) {
      target = followingTarget(text, candidate.end);
    }
    target ??= cleanTarget(text.slice(clauseStart, candidate.targetEnd));
    if (target === null && !preferFollowing) {
      target = followingTarget(text, candidate.end);
    }
    if (
      target === null &&
      clauseStart <= limit &&
      previous !== null &&
      sameSentence(text, previous.end, candidate.start)
    ) {
      target = previous.target; // 由15%提高到20%: the second figure is about the same thing
    }
    // The year written inside the figure (提高到2025年的68%), else the last before it in the sentence,
    // else the first after it. Candidates come in order, so one pointer walks the year mentions.
    while (nextYear < years.length && years[nextYear]!.at < candidate.start) {
      nextYear++;
    }
    let year: number | null = null;
    const inside = years[nextYear];
    if (inside !== undefined && inside.at < candidate.end) {
      year = inside.year;
    }
    const before = years[nextYear - 1];
    if (year === null && before !== undefined && sameSentence(text, before.at, candidate.start)) {
      year = before.year;
    }
    if (year === null) {
      let k = nextYear;
      while (k < years.length && years[k]!.at < candidate.end) {
        k++;
      }
      const after = years[k];
      if (after !== undefined && sameSentence(text, candidate.end, after.at)) {
        year = after.year;
      }
    }
    const figure: Figure = {
      text: text.slice(candidate.start, candidate.end),
      start: candidate.start,
      end: candidate.end,
      target,
      value: candidate.value,
      unit: candidate.unit,
      direction: candidate.direction,
      year: candidate.isYear ? null : year,
      ...(candidate.upper === undefined ? {} : { upper: candidate.upper }),
    };
    figures.push(figure);
    previous = figure;
  }
  return figures;
}

// ---------------------------------------------------------------------------------------------------
// Comparison.

/** Units that measure the same thing. */
function comparableUnits(a: string, b: string): boolean {
  return a === b;
}

/** Same target (normalised, allowing one to contain the other) and comparable unit. */
export function sameTarget(a: Figure, b: Figure): boolean {
  if (a.target === null || b.target === null || !comparableUnits(a.unit, b.unit)) {
    return false;
  }
  return a.target.includes(b.target) || b.target.includes(a.target);
}

/** reach, equal and no direction all state a level; the others are kinds of their own. */
function directionClass(direction: FigureDirection | null): string {
  return direction === null || direction === 'reach' || direction === 'equal' ? 'level' : direction;
}

const sameValue = (a: number, b: number): boolean =>
  Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Same target and unit but a different value, direction or year: the figures disagree. */
export function figuresConflict(a: Figure, b: Figure): boolean {
  if (!sameTarget(a, b)) {
    return false;
  }
  if (!sameValue(a.value, b.value) || !sameValue(a.upper ?? a.value, b.upper ?? b.value)) {
    return true;
  }
  if (directionClass(a.direction) !== directionClass(b.direction)) {
    return true;
  }
  return a.year !== null && b.year !== null && a.year !== b.year;
}
