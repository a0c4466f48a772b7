/**
 * The spans of a text that become tokens, tried in this order at each character: a Han run (with 〇),
 * which the Chinese segmenter cuts into words; a decimal number; an emoji sequence (flags, keycaps,
 * modifiers, ZWJ sequences); a word of other letters and digits (apostrophes inside kept). That is, the
 * first alternative that matches of
 *
 *   ([\p{Script=Han}\u3007]+) | (\p{Nd}+(?:[.,:]\p{Nd}+)*%?(?![\p{L}\p{Nd}])) | (EMOJI)
 *   | ((?:(?!\p{Script=Han})[\p{L}\p{Nd}])(?:(?!\p{Script=Han})[\p{L}\p{M}\p{Nd}])*(?:['’](?:(?!\p{Script=Han})\p{L})+)*)
 *
 * scanned by hand over a table of character classes, which makes no match object and no string. Only
 * the emoji alternative, rare and intricate, runs as a regex.
 */

const EMOJI =
  /\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3|\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F)?(?:\u200D\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F)?)*/uy;

/** Character classes: bits of one byte per code point. */
const HAN_RUN = 1;
const HAN_SCRIPT = 2;
const LETTER = 4;
const MARK = 8;
const DIGIT = 16;
const EMOJI_START = 32;
/** The code point takes two UTF-16 units. */
const ASTRAL = 64;
/** Set for every code point classified, so that 0 in a table means not classified yet. */
const CLASSIFIED = 128;
const WORD_PART = LETTER | MARK | DIGIT;
/** Classes of the code points a span may start with. */
const MAY_START = HAN_RUN | LETTER | DIGIT | EMOJI_START;

const IS_HAN = /^\p{Script=Han}$/u;
const IS_LETTER = /^\p{L}$/u;
const IS_MARK = /^\p{M}$/u;
const IS_DIGIT = /^\p{Nd}$/u;
const IS_EMOJI_START = /^(?:\p{Regional_Indicator}|\p{Extended_Pictographic}|[#*0-9])$/u;
const IDEOGRAPHIC_ZERO = 0x3007;

function classify(codePoint: number): number {
  const char = String.fromCodePoint(codePoint);
  let classes = codePoint > 0xffff ? CLASSIFIED | ASTRAL : CLASSIFIED;
  if (IS_HAN.test(char)) {
    classes |= HAN_SCRIPT | HAN_RUN;
  } else if (codePoint === IDEOGRAPHIC_ZERO) {
    classes |= HAN_RUN;
  }
  // Letters, marks and decimal digits are general categories: a code point is in one at most.
  if (IS_LETTER.test(char)) {
    classes |= LETTER;
  } else if (IS_MARK.test(char)) {
    classes |= MARK;
  } else if (IS_DIGIT.test(char)) {
    classes |= DIGIT;
  }
  if (IS_EMOJI_START.test(char)) {
    classes |= EMOJI_START;
  }
  return classes;
}

/** Classes of the UTF-16 units met so far (0: not yet), and of the code points above U+FFFF. */
const unitClasses = new Uint8Array(0x10000);
const astralClasses = new Map<number, number>();

function classifyUnit(unit: number): number {
  const classes = classify(unit);
  unitClasses[unit] = classes;
  return classes;
}

function classifyPair(text: string, i: number): number {
  const codePoint = text.codePointAt(i)!;
  if (codePoint <= 0xffff) {
    return unitClasses[codePoint] || classifyUnit(codePoint);
  }
  let classes = astralClasses.get(codePoint);
  if (classes === undefined) {
    classes = classify(codePoint);
    astralClasses.set(codePoint, classes);
  }
  return classes;
}

/** Classes of ASCII, most of English text, filled in up front: no test for a missing entry. */
const asciiClasses = Uint8Array.from({ length: 0x80 }, (_, unit) => classifyUnit(unit));

/** Classes of the code point at `i`, which must lie inside the text. */
function classAt(text: string, i: number): number {
  const unit = text.charCodeAt(i);
  if (unit < 0x80) {
    return asciiClasses[unit]!;
  }
  if ((unit & 0xf800) === 0xd800) {
    return classifyPair(text, i);
  }
  return unitClasses[unit] || classifyUnit(unit);
}

/** UTF-16 length of a code point of these classes. */
const widthOf = (classes: number): number => ((classes & ASTRAL) === 0 ? 1 : 2);

/** End of the code points from `i` that all have one of the classes `wanted` and none of `unwanted`. */
function runEnd(text: string, i: number, wanted: number, unwanted: number): number {
  let end = i;
  while (end < text.length) {
    const classes = classAt(text, end);
    if ((classes & wanted) === 0 || (classes & unwanted) !== 0) {
      break;
    }
    end += widthOf(classes);
  }
  return end;
}

/** True when the code point at `i` (if any) has one of the classes `wanted`. */
function isAt(text: string, i: number, wanted: number): boolean {
  return i < text.length && (classAt(text, i) & wanted) !== 0;
}

const isNumberSeparator = (c: number): boolean => c === 0x2e || c === 0x2c || c === 0x3a;

/**
 * End of the number `\p{Nd}+(?:[.,:]\p{Nd}+)*%?(?![\p{L}\p{Nd}])` at `i`, or -1 when none starts there.
 * The regex's backtracking, worked out: digit runs are maximal, so the number fails only on a letter
 * right after its last group, which is then given back (with no group to give back, there is no number);
 * a '%' whose next character is a letter or digit stays out of the number.
 */
function numberEnd(text: string, i: number): number {
  let end = runEnd(text, i, DIGIT, 0);
  let withoutLastGroup = -1;
  while (isNumberSeparator(text.charCodeAt(end)) && isAt(text, end + 1, DIGIT)) {
    withoutLastGroup = end;
    end = runEnd(text, end + 1, DIGIT, 0);
  }
  if (text.charCodeAt(end) === 0x25) {
    return isAt(text, end + 1, LETTER | DIGIT) ? end : end + 1;
  }
  return isAt(text, end, LETTER) ? withoutLastGroup : end;
}

/**
 * End of the word whose first character (a letter or digit) ends at `i`: letters, marks and digits of
 * any script but Han, then any apostrophe followed by letters.
 */
function wordEnd(text: string, i: number): number {
  let end = runEnd(text, i, WORD_PART, HAN_SCRIPT);
  for (;;) {
    const c = text.charCodeAt(end);
    if (c !== 0x27 && c !== 0x2019) {
      return end;
    }
    const after = runEnd(text, end + 1, LETTER, HAN_SCRIPT);
    if (after === end + 1) {
      return end;
    }
    end = after;
  }
}

function isAllDigits(text: string, start: number, end: number): boolean {
  return runEnd(text, start, DIGIT, 0) === end;
}

export type SpanKind = 'han' | 'word' | 'number' | 'emoji';

/**
 * The spans of a text, one after another: `next()` moves to the next span and tells whether there is
 * one; `start`, `end` and `kind` describe it.
 */
export class SpanScanner {
  start = 0;
  end = 0;
  kind: SpanKind = 'word';
  /** The span is known to hold ASCII letters and digits only (false: it may hold others). */
  ascii = false;

  constructor(private readonly text: string) {}

  next(): boolean {
    const text = this.text;
    const length = text.length;
    let i = this.end;
    while (i < length) {
      const unit = text.charCodeAt(i);
      if (unit < 0x80) {
        const ascii = asciiClasses[unit]!;
        if ((ascii & MAY_START) === 0) {
          i++;
          continue;
        }
        if ((ascii & LETTER) !== 0) {
          // An ASCII letter starts a word (no other span starts with one): its ASCII letters and digits
          // are passed over here; what follows them, if it may continue the word, is left to wordEnd.
          let end = i + 1;
          let after = 0;
          while (
            end < length &&
            (after = text.charCodeAt(end)) < 0x80 &&
            (asciiClasses[after]! & WORD_PART) !== 0
          ) {
            end++;
          }
          this.start = i;
          this.ascii = end === length || (after < 0x80 && after !== 0x27);
          this.end = this.ascii ? end : wordEnd(text, end);
          this.kind = 'word';
          return true;
        }
      }
      const classes = classAt(text, i);
      if ((classes & MAY_START) !== 0) {
        const end = this.spanAt(i, classes);
        if (end !== -1) {
          this.ascii = false;
          this.start = i;
          this.end = end;
          return true;
        }
      }
      i += widthOf(classes);
    }
    this.start = this.end = text.length;
    return false;
  }

  /** End of the span starting at `i` (whose first code point has `classes`), its kind set; else -1. */
  private spanAt(i: number, classes: number): number {
    const text = this.text;
    if ((classes & HAN_RUN) !== 0) {
      this.kind = 'han';
      return runEnd(text, i, HAN_RUN, 0);
    }
    if ((classes & DIGIT) !== 0) {
      const end = numberEnd(text, i);
      if (end !== -1) {
        this.kind = 'number';
        return end;
      }
    }
    if ((classes & EMOJI_START) !== 0) {
      EMOJI.lastIndex = i;
      if (EMOJI.test(text)) {
        this.kind = 'emoji';
        return EMOJI.lastIndex;
      }
    }
    if ((classes & (LETTER | DIGIT)) !== 0) {
      const end = wordEnd(text, i + widthOf(classes));
      this.kind = (classes & DIGIT) !== 0 && isAllDigits(text, i, end) ? 'number' : 'word';
      return end;
    }
    return -1;
  }
}

/** A Han character or 〇: what starts a Han run (global, for its lastIndex). */
const HAN_RUN_START = /[\p{Script=Han}\u3007]/gu;

/**
 * The Han runs of a text alone, as SpanScanner finds them (no other span can hold a Han character or
 * 〇, so they are the maximal runs of them), one after another: `start` and `end` after each `next()`.
 * The next run is looked for by a pattern, which passes over other text faster than a loop would.
 */
export class HanRunScanner {
  start = 0;
  end = 0;
  private text = '';

  /** Starts over on `text`. */
  reset(text: string): this {
    this.text = text;
    this.start = this.end = 0;
    return this;
  }

  next(): boolean {
    const text = this.text;
    HAN_RUN_START.lastIndex = this.end;
    if (!HAN_RUN_START.test(text)) {
      this.start = this.end = text.length;
      return false;
    }
    const after = HAN_RUN_START.lastIndex;
    // The character found is one or two code units long.
    const last = text.charCodeAt(after - 1);
    this.start = last >= 0xdc00 && last <= 0xdfff ? after - 2 : after - 1;
    this.end = runEnd(text, this.start, HAN_RUN, 0);
    return true;
  }
}
