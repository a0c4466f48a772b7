/**
 * Chinese numerals as they appear in clause numbers (第一百三十三条, （十二）, 二〇二〇年) and their inverse.
 */

const DIGITS: ReadonlyMap<string, number> = new Map([
  ['零', 0],
  ['〇', 0],
  ['○', 0],
  ['Ｏ', 0],
  ['一', 1],
  ['壹', 1],
  ['弌', 1],
  ['二', 2],
  ['贰', 2],
  ['貳', 2],
  ['两', 2],
  ['兩', 2],
  ['三', 3],
  ['叁', 3],
  ['參', 3],
  ['四', 4],
  ['肆', 4],
  ['五', 5],
  ['伍', 5],
  ['六', 6],
  ['陆', 6],
  ['陸', 6],
  ['七', 7],
  ['柒', 7],
  ['八', 8],
  ['捌', 8],
  ['九', 9],
  ['玖', 9],
]);

/** Units inside a four-digit group. */
const SMALL_UNITS: ReadonlyMap<string, number> = new Map([
  ['十', 10],
  ['拾', 10],
  ['百', 100],
  ['佰', 100],
  ['千', 1000],
  ['仟', 1000],
]);

/** Units that close a four-digit group. */
const BIG_UNITS: ReadonlyMap<string, number> = new Map([
  ['万', 1e4],
  ['萬', 1e4],
  ['亿', 1e8],
  ['億', 1e8],
]);

/** Shorthand tens: 廿 = 20, 卅 = 30, 卌 = 40. */
const TENS_SHORTHAND: ReadonlyMap<string, number> = new Map([
  ['廿', 20],
  ['卅', 30],
  ['卌', 40],
]);

/** Every character that may occur in a Chinese numeral, for building patterns elsewhere. */
export const CHINESE_NUMERAL_CHARS: string = [
  ...DIGITS.keys(),
  ...SMALL_UNITS.keys(),
  ...BIG_UNITS.keys(),
  ...TENS_SHORTHAND.keys(),
].join('');

const ZEROS = new Set(['零', '〇', '○', 'Ｏ']);

/** Converts full-width digits (０–９) to ASCII. */
export function toAsciiDigits(s: string): string {
  return s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30));
}

/**
 * Parses a number written in Chinese numerals (一百三十三, 十二, 一千零五, 两百, 壹佰贰拾, 二〇二〇),
 * Arabic digits (133) or full-width digits (１３３). Returns null when the string is not a well-formed number.
 */
export function parseChineseNumber(input: string): number | null {
  const s = input.trim();
  if (s === '') {
    return null;
  }
  const ascii = toAsciiDigits(s);
  if (/^[0-9]+$/.test(ascii)) {
    const n = Number(ascii);
    return Number.isSafeInteger(n) ? n : null;
  }
  const chars = [...s];
  if (!chars.every((c) => DIGITS.has(c) || SMALL_UNITS.has(c) || BIG_UNITS.has(c) || TENS_SHORTHAND.has(c))) {
    return null;
  }
  // Digits only, no units: positional (二〇二〇 → 2020, 一 → 1).
  if (chars.every((c) => DIGITS.has(c))) {
    if (chars.length > 1 && chars.some((c) => c === '两' || c === '兩')) {
      return null;
    }
    let n = 0;
    for (const c of chars) {
      n = n * 10 + (DIGITS.get(c) ?? 0);
    }
    return n;
  }
  return parseWithUnits(chars);
}

const WAN_YI = '万亿';

/** Splits at the last 万亿, then 亿, then 万: 三亿四千万 = 三 × 10^8 + 四千 × 10^4. */
function parseWithUnits(input: readonly string[]): number | null {
  // 万亿 (10^12) is one unit: 九千万亿 is 9000 × 10^12, not (9000 × 10^4) × 10^8 read twice.
  const chars: string[] = [];
  for (const c of input) {
    const last = chars.at(-1);
    if (BIG_UNITS.get(c) === 1e8 && last !== undefined && BIG_UNITS.get(last) === 1e4) {
      chars[chars.length - 1] = WAN_YI;
    } else {
      chars.push(c);
    }
  }
  return parseTokens(chars);
}

function unitOf(token: string): number | undefined {
  return token === WAN_YI ? 1e12 : BIG_UNITS.get(token);
}

function parseTokens(chars: readonly string[]): number | null {
  for (const unit of [1e12, 1e8, 1e4]) {
    const at = findLastIndex(chars, (c) => unitOf(c) === unit);
    if (at < 0) {
      continue;
    }
    const high = parseTokens(chars.slice(0, at));
    const low = parseTokens(chars.slice(at + 1));
    if (high === null || low === null || high === 0 || high >= 1e4 || low >= unit) {
      return null;
    }
    const value = high * unit + low;
    return Number.isSafeInteger(value) ? value : null;
  }
  return parseGroup(chars);
}

function findLastIndex(chars: readonly string[], predicate: (c: string) => boolean): number {
  for (let i = chars.length - 1; i >= 0; i--) {
    if (predicate(chars[i] ?? '')) {
      return i;
    }
  }
  return -1;
}

/** 0–9999 written with 千百十 (and 零 between them); '' is 0. */
function parseGroup(chars: readonly string[]): number | null {
  let group = 0;
  let pending: number | null = null; // a digit waiting for its unit
  let lastUnit = Infinity; // units must descend: 千 > 百 > 十
  for (const c of chars) {
    const digit = DIGITS.get(c);
    if (digit !== undefined) {
      if (pending !== null) {
        return null; // two digits without a unit between them
      }
      if (!ZEROS.has(c)) {
        pending = digit;
      }
      continue;
    }
    const shorthand = TENS_SHORTHAND.get(c);
    if (shorthand !== undefined) {
      if (pending !== null || lastUnit <= 10) {
        return null;
      }
      group += shorthand;
      lastUnit = 10;
      continue;
    }
    const unit = SMALL_UNITS.get(c);
    if (unit === undefined || unit >= lastUnit) {
      return null; // 十十, 十百, or a 万/亿 out of place
    }
    // 十二 = 12 and 一百十 = 110 omit the 一 before 十; no other unit may stand alone.
    if (pending === null && unit !== 10) {
      return null;
    }
    group += (pending ?? 1) * unit;
    pending = null;
    lastUnit = unit;
  }
  return group + (pending ?? 0);
}

const DIGIT_CHARS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;
const GROUP_UNITS = ['', '万', '亿', '万亿'] as const;

/** Writes a non-negative integer in Chinese numerals: 133 → 一百三十三, 10 → 十, 1005 → 一千零五. */
export function toChineseNumber(n: number): string {
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`toChineseNumber needs a safe integer, got ${n}`);
  }
  if (n < 0) {
    return `负${toChineseNumber(-n)}`;
  }
  if (n === 0) {
    return '零';
  }
  const groups: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 10000)) {
    groups.push(rest % 10000);
  }
  if (groups.length > GROUP_UNITS.length) {
    throw new RangeError(`toChineseNumber supports numbers below 10^16, got ${n}`);
  }
  let out = '';
  let needZero = false;
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i] ?? 0;
    if (g === 0) {
      needZero = out !== '';
      continue;
    }
    if (out !== '' && (needZero || g < 1000)) {
      out += '零';
    }
    out += groupToChinese(g) + (GROUP_UNITS[i] ?? '');
    needZero = false;
  }
  // 一十二 → 十二 at the very start (10–19, 十万, 十五万 …).
  return out.startsWith('一十') ? out.slice(1) : out;
}

function groupToChinese(g: number): string {
  const digits = [Math.floor(g / 1000), Math.floor(g / 100) % 10, Math.floor(g / 10) % 10, g % 10];
  const units = ['千', '百', '十', ''];
  let out = '';
  let zeroPending = false;
  for (let i = 0; i < 4; i++) {
    const d = digits[i] ?? 0;
    if (d === 0) {
      zeroPending = out !== '';
      continue;
    }
    if (zeroPending) {
      out += '零';
      zeroPending = false;
    }
    out += (DIGIT_CHARS[d] ?? '') + (units[i] ?? '');
  }
  return out;
}

const CIRCLED_RANGES: ReadonlyArray<readonly [number, number, number]> = [
  [0x2460, 0x2473, 1], // ①–⑳
  [0x3251, 0x325f, 21], // ㉑–㉟
  [0x32b1, 0x32bf, 36], // ㊱–㊿
];

/** ① → 1 … ㊿ → 50; null for any other character. */
export function parseCircledNumber(c: string): number | null {
  const code = c.codePointAt(0);
  if (code === undefined || [...c].length !== 1) {
    return null;
  }
  for (const [from, to, base] of CIRCLED_RANGES) {
    if (code >= from && code <= to) {
      return base + (code - from);
    }
  }
  return null;
}

/** A character class body matching circled numbers ①–㊿, for use inside a RegExp. */
export const CIRCLED_CLASS = '\\u2460-\\u2473\\u3251-\\u325f\\u32b1-\\u32bf';
