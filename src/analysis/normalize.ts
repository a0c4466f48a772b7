/*
 * Display-independent text for analysis. `normalize` folds the forms under which the same words reach us:
 * Unicode compatibility forms (NFKC: full-width letters, digits and punctuation become half-width, CJK
 * compatibility ideographs their unified forms), traditional Chinese (Taiwan and Hong Kong variants
 * included) to simplified, invisible format characters removed, every run of white space one space,
 * trimmed. `similarityKey` adds lower case: it is the text the near-duplicate similarity is defined on.
 *
 * Traditional → simplified conversion (OpenCC dictionaries) costs far more than the rest, so a text is
 * converted only when it holds a character that can start a conversion; for any other text the
 * conversion is the identity and is skipped (see `needsConversion`). Even then only the parts of the
 * text around such characters are converted (see `convertParts`).
 *
 * Hashing and shingling read the normalised text as UTF-16 code units (`normalizeCodes`). ASCII text and
 * most Chinese text are normalised character by character as they are copied; only the rest goes
 * through the string functions (NFKC, conversion, regular expressions, lower case).
 */
import { Buffer } from 'node:buffer';
import * as OpenCC from 'opencc-js';

export interface NormalizeOptions {
  /** Convert traditional Chinese to simplified (default true). */
  traditionalToSimplified?: boolean;
}

type DictLike = string | readonly (readonly [string, string])[];

/** The part of opencc-js used here (its bundled declarations do not resolve under NodeNext). */
interface OpenCCApi {
  ConverterFactory: (...dictGroups: DictLike[][]) => (text: string) => string;
  Locale: {
    from: Record<string, readonly (readonly DictLike[])[] | undefined>;
    configs: Record<string, { conversionChain: readonly (readonly DictLike[])[] } | undefined>;
  };
}

const opencc = OpenCC as unknown as OpenCCApi;

/** Variant dictionaries (Taiwan, Hong Kong → OpenCC traditional), then traditional → simplified. */
const VARIANT_DICTS: DictLike[] = [
  ...(opencc.Locale.from.tw?.[0] ?? []),
  ...(opencc.Locale.from.hk?.[0] ?? []),
];
const SIMPLIFY_DICTS: DictLike[] = [...(opencc.Locale.configs.t2s?.conversionChain[0] ?? [])];

let converter: ((text: string) => string) | null = null;
interface StartSet {
  bmp: Uint8Array;
  astral: Set<number>;
  /** The lowest code point in the set: the scan passes over anything below it at once. */
  min: number;
  /** What each UTF-16 code unit is to the conversion of a part of a text (see `convertParts`). */
  parts: Uint8Array;
}

/** A code unit found in some dictionary entry, or one that makes a part of a text none of the others. */
const IN_ENTRIES = 0;
/** In no entry of either step: no match spans it, so the conversion of a text restarts after it. */
const OUTSIDE = 1;
/** In the start set, or half of a surrogate pair: its part of the text is converted. */
const MAY_CHANGE = 2;
/**
 * An ideographic description character (U+2FF0–U+2FFF): the converter passes over a whole description
 * sequence at once, whatever characters it holds, so such a text is converted whole.
 */
const DESCRIPTION = 3;

let startSet: StartSet | null = null;

function entriesOf(dict: DictLike): (readonly [string, string])[] {
  if (typeof dict !== 'string') {
    return [...dict];
  }
  const entries: [string, string][] = [];
  for (const line of dict.split('|')) {
    const [from = '', to = ''] = line.split(' ');
    entries.push([from, to]);
  }
  return entries;
}

function getConverter(): (text: string) => string {
  converter ??= opencc.ConverterFactory(VARIANT_DICTS, SIMPLIFY_DICTS);
  return converter;
}

/**
 * The characters whose presence may change a text under conversion. A text holding none of them can
 * match only entries that map to themselves, or a variant character that the second step maps straight
 * back, so converting it is the identity. The set holds every single character mapped to something else
 * (except those round trips: 才 → 纔 → 才), and for each changing phrase made only of other characters,
 * the first character it changes.
 */
function getStartSet(): StartSet {
  if (startSet !== null) {
    return startSet;
  }
  const bmp = new Uint8Array(0x10000);
  const astral = new Set<number>();
  let min = 0x10ffff;
  const add = (char: string): void => {
    const cp = char.codePointAt(0) ?? 0;
    min = Math.min(min, cp);
    if (cp < 0x10000) {
      bmp[cp] = 1;
    } else {
      astral.add(cp);
    }
  };
  const has = (char: string): boolean => {
    const cp = char.codePointAt(0) ?? 0;
    return cp < 0x10000 ? bmp[cp] === 1 : astral.has(cp);
  };
  // See `convertParts`: entries that map to themselves take part in the matching all the same.
  const parts = new Uint8Array(0x10000).fill(OUTSIDE);
  const changes = (dicts: DictLike[]): { chars: Map<string, string>; phrases: [string[], string[]][] } => {
    const chars = new Map<string, string>();
    const phrases: [string[], string[]][] = [];
    for (const dict of dicts) {
      for (const [from, to] of entriesOf(dict)) {
        for (let i = 0; i < from.length; i++) {
          parts[from.charCodeAt(i)] = IN_ENTRIES;
        }
        const fromChars = [...from];
        if (from === to || fromChars.length === 0) {
          continue;
        }
        if (fromChars.length === 1) {
          // The first dictionary of a group wins, as in the converter.
          if (!chars.has(from)) {
            chars.set(from, to);
          }
        } else {
          phrases.push([fromChars, [...to]]);
        }
      }
    }
    return { chars, phrases };
  };
  const variants = changes(VARIANT_DICTS);
  const simplify = changes(SIMPLIFY_DICTS);
  const inPhrase = (char: string, phrases: [string[], string[]][]): boolean =>
    phrases.some(([from]) => from.includes(char));
  for (const char of simplify.chars.keys()) {
    add(char);
  }
  for (const [char, variant] of variants.chars) {
    const roundTrip =
      simplify.chars.get(variant) === char &&
      !inPhrase(variant, simplify.phrases) &&
      !inPhrase(char, variants.phrases);
    if (!roundTrip) {
      add(char);
    }
  }
  for (const [from, to] of [...variants.phrases, ...simplify.phrases]) {
    if (from.some(has)) {
      continue;
    }
    // The first character the phrase changes: the traditional one, rare in simplified text.
    const changed = from.findIndex((char, i) => char !== to[i]);
    add(from[Math.max(0, changed)] ?? '');
  }
  for (let code = bmp.indexOf(1); code !== -1; code = bmp.indexOf(1, code + 1)) {
    parts[code] = MAY_CHANGE;
  }
  parts.fill(MAY_CHANGE, 0xd800, 0xe000);
  parts.fill(DESCRIPTION, 0x2ff0, 0x3000);
  startSet = { bmp, astral, min, parts };
  return startSet;
}

/** True when the text holds a character that traditional → simplified conversion may change. */
export function needsConversion(text: string): boolean {
  const { bmp, astral, min } = getStartSet();
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < min) {
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const cp = text.codePointAt(i) ?? code;
      i++;
      if (astral.has(cp)) {
        return true;
      }
    } else if (bmp[code] === 1) {
      return true;
    }
  }
  return false;
}

/** Traditional (Taiwan, Hong Kong or OpenCC standard) Chinese to simplified; other text unchanged. */
export function toSimplified(text: string): string {
  return needsConversion(text) ? convertParts(text) : text;
}

/**
 * The conversion of a text, done on the parts that need it only. The converter matches the longest
 * dictionary entry at each place in turn (first step, then second step over its output); a character in
 * no entry of either step is matched by none, passed through, and starts the matching afresh after it.
 * Such characters (punctuation, ASCII, most other scripts) cut a text into parts converted independently,
 * and a part without a character of the start set converts to itself (see `getStartSet`). Clauses in
 * simplified Chinese that only hold a start character such as 么 are thus the only ones converted.
 */
function convertParts(text: string): string {
  const kinds = getStartSet().parts;
  const convert = getConverter();
  let out = '';
  // text[0..done) is in `out`; the current part begins at `start`.
  let done = 0;
  let start = 0;
  let changes = false;
  for (let i = 0; i < text.length; i++) {
    const kind = kinds[text.charCodeAt(i)];
    if (kind === OUTSIDE) {
      if (changes) {
        out += text.slice(done, start) + convert(text.slice(start, i));
        done = i;
        changes = false;
      }
      start = i + 1;
    } else if (kind === MAY_CHANGE) {
      changes = true;
    } else if (kind === DESCRIPTION) {
      return convert(text);
    }
  }
  if (changes) {
    return out + text.slice(done, start) + convert(text.slice(start));
  }
  return done === 0 ? text : out + text.slice(done);
}

// Invisible format characters that change no meaning: zero-width space, word joiner, byte order mark,
// soft hyphen.
const INVISIBLE = /[\u200b\u2060\ufeff\u00ad]/g;
const WHITESPACE = /\s+/g;
/**
 * Anything that may make normalisation change a text: a character outside printable ASCII and the space,
 * two spaces in a row, a space at either end. Most English comments have none (and are their own
 * normalised form); the native regex finds that out faster than a loop over the characters.
 */
const NOT_PLAIN = /[^\x21-\x7e ]| {2}|^ | $/;
/** Anything the clean-up after NFKC would change: invisible characters, white space to collapse or trim. */
const UNTIDY = /[\u200b\u2060\ufeff\u00ad]|[^\S ]| {2}|^ | $/;

/** `normalize` for a text with a character outside ASCII. */
function normalizeWide(text: string, options: NormalizeOptions): string {
  let out = text.normalize('NFKC');
  if (options.traditionalToSimplified !== false) {
    out = toSimplified(out);
  }
  return UNTIDY.test(out) ? out.replace(INVISIBLE, '').replace(WHITESPACE, ' ').trim() : out;
}

const stringScratch = createNormalizedCodes();

/** NFKC, traditional → simplified, invisible characters removed, white space collapsed, trimmed. */
export function normalize(text: string, options: NormalizeOptions = {}): string {
  if (!NOT_PLAIN.test(text)) {
    return text;
  }
  // Most texts are normalised as code units (see `normalizeCodes`), then made a string again.
  const length = normalizeSimple(text, stringScratch, options);
  return length < 0 ? normalizeWide(text, options) : stringOf(stringScratch.codes, 0, length);
}

/**
 * The text the near-duplicate similarity is defined on: the normalised text in lower case (NFKC, lower
 * case, white space collapsed; traditional characters simplified so both scripts of one letter match).
 */
export function similarityKey(text: string, options: NormalizeOptions = {}): string {
  return normalize(text, options).toLowerCase();
}

/**
 * Reusable buffers (one per thread) for the code units of a normalised text, so that hashing and
 * shingling need not build strings.
 */
export interface NormalizedCodes {
  /** Code units of the normalised text (`normalize`). */
  codes: Uint16Array;
  /**
   * Code units of the similarity key (`similarityKey`) but for the case of ASCII letters, which the
   * reader folds itself: `codes` itself, unless lower case changes more than ASCII letters.
   */
  keyCodes: Uint16Array;
  /** The number of code units in `keyCodes`. */
  keyLength: number;
  /** A second buffer, for the key when it is not `codes`, and for conversions. */
  spare: Uint16Array;
}

export function createNormalizedCodes(capacity = 1024): NormalizedCodes {
  const codes = new Uint16Array(capacity);
  return { codes, keyCodes: codes, keyLength: 0, spare: new Uint16Array(capacity) };
}

function grown(array: Uint16Array, length: number): Uint16Array {
  return array.length >= length ? array : new Uint16Array(Math.max(length, array.length * 2));
}

/** `grown`, keeping the first `used` code units. */
function grownKeeping(array: Uint16Array, used: number, length: number): Uint16Array {
  const bigger = grown(array, length);
  if (bigger !== array) {
    bigger.set(array.subarray(0, used));
  }
  return bigger;
}

/**
 * Writes the code units of `normalize(text, options)` to `into.codes` and returns their number; with
 * `withKey`, also sets `into.keyCodes` (see there). Most texts are normalised as they are copied, without
 * building a string.
 */
export function normalizeCodes(
  text: string,
  into: NormalizedCodes,
  options: NormalizeOptions = {},
  withKey = false,
): number {
  const length = normalizeSimple(text, into, options);
  if (length < 0) {
    return normalizeWideCodes(text, into, options, withKey);
  }
  into.keyCodes = into.codes;
  into.keyLength = length;
  return length;
}

/**
 * Normalises ASCII text and simple text outside ASCII (see `mapSimpleWide`) in `into.codes`, where the
 * text's code units are first copied at once; returns the number of code units, or -1 for a text that
 * needs the string functions. The loops read typed arrays, never the string: reading strings of many
 * kinds (flat, sliced, concatenated; one or two bytes a character) would make the compiled code slow.
 */
function normalizeSimple(text: string, into: NormalizedCodes, options: NormalizeOptions): number {
  const codes = (into.codes = grown(into.codes, text.length));
  writeCodes(text, codes, 0);
  const length = collapseAscii(codes, text.length);
  if (length >= 0) {
    return length;
  }
  if (length === MOVED) {
    writeCodes(text, codes, 0);
  }
  return mapSimpleWide(into, text.length, options);
}

/** `normalizeCodes` through the string functions, for any text outside ASCII. */
function normalizeWideCodes(
  text: string,
  into: NormalizedCodes,
  options: NormalizeOptions,
  withKey: boolean,
): number {
  const normalized = normalizeWide(text, options);
  const length = writeCodes(normalized, (into.codes = grown(into.codes, normalized.length)), 0);
  if (withKey) {
    // Outside ASCII, lower case is Unicode's: one character may become two, Σ depends on its place.
    const key = normalized.toLowerCase();
    into.keyCodes = into.spare = grown(into.spare, key.length);
    into.keyLength = writeCodes(key, into.keyCodes, 0);
  }
  return length;
}

/**
 * Per UTF-16 code unit, what NFKC makes of it when it stands among such units only: the one code unit
 * it becomes (0x20 for white space), plus STARTS_CONVERSION when that is in the start set of the
 * traditional → simplified conversion; 0 where `mapSimpleWide` gives up. Filled in blocks of 256 code
 * units as texts first hold them (UNKNOWN until then): a text uses few blocks.
 */
const UNKNOWN = 0xffffffff;
const simpleWide = new Uint32Array(0x10000).fill(UNKNOWN);
const STARTS_CONVERSION = 0x10000;

const MARK = /\p{M}/u;
const IS_SPACE = /\s/;
const INVISIBLE_CODES = [0x200b, 0x2060, 0xfeff, 0x00ad];

function fillSimpleWideBlock(block: number): void {
  const { bmp: starts, parts } = getStartSet();
  for (let code = block << 8; code < (block + 1) << 8; code++) {
    simpleWide[code] = simpleWideOf(code, starts, parts);
  }
}

/**
 * The entry of `simpleWide` for a code unit: only for those NFKC maps one to one, without regard to their
 * neighbours. NFKC looks at neighbours only to reorder combining marks and to compose a character with a
 * following mark or Hangul jamo; a text without marks and jamo is normalised character by character.
 * Kept out besides: characters NFKC makes two or more of, upper case (lower case may then depend on the
 * neighbours, as for Σ), invisible characters, surrogates, ideographic description characters (see
 * `DESCRIPTION`).
 */
function simpleWideOf(code: number, starts: Uint8Array, parts: Uint8Array): number {
  if (code === 0) {
    return 0;
  }
  if (code < 0x80 || isUnifiedIdeograph(code)) {
    // Their own NFKC, no marks, no case but ASCII letters': known without asking.
    return ASCII_SPACE[code] === 1 ? 0x20 : code | (starts[code] === 1 ? STARTS_CONVERSION : 0);
  }
  if (
    (code >= 0xd800 && code <= 0xdfff) ||
    isHangul(code) ||
    INVISIBLE_CODES.includes(code) ||
    parts[code] === DESCRIPTION
  ) {
    return 0;
  }
  const char = String.fromCharCode(code);
  const folded = char.normalize('NFKC');
  if (folded.length !== 1) {
    return 0;
  }
  const to = folded.charCodeAt(0);
  if (IS_SPACE.test(folded)) {
    return 0x20;
  }
  const simple =
    !isHangul(to) &&
    parts[to] !== DESCRIPTION &&
    !MARK.test(char) &&
    !MARK.test(folded) &&
    // ASCII letters are folded by the reader of the key.
    (folded.toLowerCase() === folded || (to >= 0x41 && to <= 0x5a));
  return simple ? to | (starts[to] === 1 ? STARTS_CONVERSION : 0) : 0;
}

/** CJK unified ideographs of the basic plane (extension A and the main block). */
function isUnifiedIdeograph(code: number): boolean {
  return (code >= 0x3400 && code <= 0x4dbf) || (code >= 0x4e00 && code <= 0x9fff);
}

/** Hangul jamo and syllables, which NFKC composes with their neighbours. */
function isHangul(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x11ff) ||
    (code >= 0x3130 && code <= 0x318f) ||
    (code >= 0xa960 && code <= 0xa97f) ||
    (code >= 0xac00 && code <= 0xd7ff) ||
    (code >= 0xffa0 && code <= 0xffdf)
  );
}

/**
 * `normalize` of a text outside ASCII done character by character, in place over its `length` code
 * units in `into.codes`, when every character allows it (see `simpleWideOf`): most Chinese comments,
 * whose full-width punctuation NFKC makes ASCII. Their similarity key is the same code units, ASCII
 * letters aside. Returns the number of code units, or -1 when the text needs the full normalisation.
 */
function mapSimpleWide(into: NormalizedCodes, length: number, options: NormalizeOptions): number {
  const map = simpleWide;
  const codes = into.codes;
  let n = 0;
  let gap = false;
  let seen = 0;
  for (let i = 0; i < length; i++) {
    const code = codes[i]!;
    let mapped = map[code]!;
    if (mapped === UNKNOWN) {
      fillSimpleWideBlock(code >>> 8);
      mapped = map[code]!;
    }
    if (mapped === 0) {
      return -1;
    }
    seen |= mapped;
    if (mapped === 0x20) {
      gap = n > 0;
    } else {
      if (gap) {
        codes[n++] = 0x20;
        gap = false;
      }
      codes[n++] = mapped & 0xffff;
    }
  }
  if ((seen & STARTS_CONVERSION) !== 0 && options.traditionalToSimplified !== false) {
    return simplifyCodes(into, n);
  }
  return n;
}

/**
 * `toSimplified` over the code units `into.codes[0..length)` (which hold no surrogate, invisible
 * character or ideographic description character), part by part as in `convertParts`: white space is
 * in no dictionary entry, so collapsing it first changes nothing. The converted characters are Chinese,
 * without case. Returns the new number of code units.
 */
function simplifyCodes(into: NormalizedCodes, length: number): number {
  const kinds = getStartSet().parts;
  const convert = getConverter();
  const codes = into.codes;
  let out: Uint16Array | null = null;
  let n = 0;
  // codes[0..done) is in `out`; the current part begins at `start`.
  let done = 0;
  let start = 0;
  let changes = false;
  for (let i = 0; i <= length; i++) {
    const kind = i < length ? kinds[codes[i]!] : OUTSIDE;
    if (kind === MAY_CHANGE) {
      changes = true;
    } else if (kind === OUTSIDE) {
      if (changes) {
        const part = stringOf(codes, start, i);
        const converted = convert(part);
        if (converted !== part) {
          out = grownKeeping(out ?? into.spare, n, n + (start - done) + converted.length + (length - i));
          out.set(codes.subarray(done, start), n);
          n += start - done;
          n += writeCodes(converted, out, n);
          done = i;
        }
        changes = false;
      }
      start = i + 1;
    }
  }
  if (out === null) {
    return length;
  }
  out.set(codes.subarray(done, length), n);
  n += length - done;
  into.spare = codes;
  into.codes = out;
  return n;
}

const utf16 = new TextDecoder('utf-16le', { ignoreBOM: true });
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The string of the code units `codes[start..end)`, which are no lone surrogates. */
function stringOf(codes: Uint16Array, start: number, end: number): string {
  if (LITTLE_ENDIAN) {
    return utf16.decode(codes.subarray(start, end));
  }
  let text = '';
  for (let at = start; at < end; at += 4096) {
    const chunk = codes.subarray(at, Math.min(end, at + 4096));
    text += String.fromCharCode.apply(null, chunk as unknown as number[]);
  }
  return text;
}

const byteViews = new WeakMap<Uint16Array, Buffer>();

/**
 * Writes the code units of `text` to `codes` from `offset` on (there must be room) and returns their
 * number: at once, by Node's UTF-16 encoder, which copies lone surrogates as they are.
 */
export function writeCodes(text: string, codes: Uint16Array, offset: number): number {
  if (!LITTLE_ENDIAN) {
    for (let i = 0; i < text.length; i++) {
      codes[offset + i] = text.charCodeAt(i);
    }
    return text.length;
  }
  let bytes = byteViews.get(codes);
  if (bytes === undefined) {
    bytes = Buffer.from(codes.buffer, codes.byteOffset, codes.byteLength);
    byteViews.set(codes, bytes);
  }
  bytes.write(text, offset * 2, 'utf16le');
  return text.length;
}

/** 1 for the ASCII white space characters (what `\s` matches below 0x80), else 0. */
const ASCII_SPACE = new Uint8Array(0x80);
for (const code of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]) {
  ASCII_SPACE[code] = 1;
}

/**
 * What `collapseAscii` returns at a character outside ASCII: the code units are in their places (white
 * space made a space, which `mapSimpleWide` reads the same), or moved.
 */
const KEPT = -1;
const MOVED = -2;

/**
 * Collapses each run of white space in the ASCII text of `codes[0..length)` to one space, none at either
 * end, in place; returns the new number of code units, or KEPT or MOVED at the first character outside
 * ASCII. Without a branch on white space, which comes too irregularly to predict: each character is
 * written, a space counts only after another character.
 */
function collapseAscii(codes: Uint16Array, length: number): number {
  let n = 0;
  // Whether the last character was white space; the start counts as such, so none is kept there.
  let afterSpace = 1;
  for (let i = 0; i < length; i++) {
    const code = codes[i]!;
    if (code >= 0x80) {
      return n === i ? KEPT : MOVED;
    }
    const space = ASCII_SPACE[code]!;
    codes[n] = code ^ ((code ^ 0x20) & -space);
    n += 1 - (space & afterSpace);
    afterSpace = space;
  }
  // A space at the end was counted: take it back.
  return n > 0 ? n - afterSpace : 0;
}

/**
 * A 64-bit hash of a string as two 32-bit halves written to `out[offset]` and `out[offset + 1]`: two
 * independent mixes (FNV-1a and Murmur3 rounds) over the UTF-16 code units.
 */
export function hash64Into(text: string, out: Uint32Array, offset: number): void {
  let a = fnvSeed(text.length);
  let b = murmurSeed(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = fnvStep(a, c);
    b = murmurStep(b, c);
  }
  hash64Finish(a, b, out, offset);
}

/** `hash64Into` of the string made of `codes[0..length)`. */
export function hash64CodesInto(codes: Uint16Array, length: number, out: Uint32Array, offset: number): void {
  let a = fnvSeed(length);
  let b = murmurSeed(length);
  for (let i = 0; i < length; i++) {
    const c = codes[i]!;
    a = fnvStep(a, c);
    b = murmurStep(b, c);
  }
  hash64Finish(a, b, out, offset);
}

/** The steps of `hash64Into` (the seeds and the finish serve a pass that hashes along with other work). */
export function fnvSeed(length: number): number {
  return 0x811c9dc5 ^ length;
}

export function murmurSeed(length: number): number {
  return 0x9747b28c ^ length;
}

export function fnvStep(a: number, code: number): number {
  return Math.imul(a ^ code, 0x01000193);
}

function murmurStep(b: number, code: number): number {
  let k = Math.imul(code, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  const mixed = b ^ Math.imul(k, 0x1b873593);
  return (Math.imul((mixed << 13) | (mixed >>> 19), 5) + 0xe6546b64) | 0;
}

export function hash64Finish(a: number, b: number, out: Uint32Array, offset: number): void {
  out[offset] = fmix32(a ^ Math.imul(b, 0x85ebca6b));
  out[offset + 1] = fmix32(b ^ Math.imul(a, 0xc2b2ae35));
}

/** Murmur3's 32-bit finaliser: a bijection that spreads every input bit over the output. */
export function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const hashScratch = new Uint32Array(2);
const exactScratch = createNormalizedCodes();
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Eight lower-case hex digits of a 32-bit value. */
function hex32(value: number): string {
  return (
    HEX_BYTES[value >>> 24]! +
    HEX_BYTES[(value >>> 16) & 0xff]! +
    HEX_BYTES[(value >>> 8) & 0xff]! +
    HEX_BYTES[value & 0xff]!
  );
}

/** The 64-bit hash (16 hex digits) of the normalised text: equal for texts that differ only in form. */
export function exactHash(text: string, options: NormalizeOptions = {}): string {
  const length = normalizeCodes(text, exactScratch, options);
  hash64CodesInto(exactScratch.codes, length, hashScratch, 0);
  return hex32(hashScratch[0]!) + hex32(hashScratch[1]!);
}
