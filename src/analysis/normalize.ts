/*
 * Display-independent text for analysis. `normalize` folds the forms under which the same words reach us:
 * Unicode compatibility forms (NFKC: full-width letters, digits and punctuation become half-width, CJK
 * compatibility ideographs their unified forms), traditional Chinese (Taiwan and Hong Kong variants
 * included) to simplified, invisible format characters removed, every run of white space one space,
 * trimmed. `similarityKey` adds lower case: it is the text the near-duplicate similarity is defined on.
 *
 * Traditional → simplified conversion (OpenCC dictionaries) costs far more than the rest, so a text is
 * converted only when it holds a character that can start a conversion; for any other text the
 * conversion is the identity and is skipped (see `needsConversion`).
 */
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
}

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
  const changes = (dicts: DictLike[]): { chars: Map<string, string>; phrases: [string[], string[]][] } => {
    const chars = new Map<string, string>();
    const phrases: [string[], string[]][] = [];
    for (const dict of dicts) {
      for (const [from, to] of entriesOf(dict)) {
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
  startSet = { bmp, astral, min };
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
  return needsConversion(text) ? getConverter()(text) : text;
}

// Invisible format characters that change no meaning: zero-width space, word joiner, byte order mark,
// soft hyphen.
const INVISIBLE = /[\u200b\u2060\ufeff\u00ad]/g;
const WHITESPACE = /\s+/g;
/** White space that collapsing would change: anything but a plain space, or two in a row. */
const UNCOLLAPSED = /[^\S ]| {2}/;
const NON_ASCII = /[\u0080-\uffff]/;

/** NFKC, traditional → simplified, invisible characters removed, white space collapsed, trimmed. */
export function normalize(text: string, options: NormalizeOptions = {}): string {
  let out = text;
  if (NON_ASCII.test(out)) {
    out = out.normalize('NFKC');
    if (options.traditionalToSimplified !== false) {
      out = toSimplified(out);
    }
    out = out.replace(INVISIBLE, '');
  }
  if (UNCOLLAPSED.test(out)) {
    out = out.replace(WHITESPACE, ' ');
  }
  return out.trim();
}

/**
 * The text the near-duplicate similarity is defined on: the normalised text in lower case (NFKC, lower
 * case, white space collapsed; traditional characters simplified so both scripts of one letter match).
 */
export function similarityKey(text: string, options: NormalizeOptions = {}): string {
  return normalize(text, options).toLowerCase();
}

/**
 * A 64-bit hash of a string as two 32-bit halves written to `out[offset]` and `out[offset + 1]`: two
 * independent mixes (FNV-1a and Murmur3 rounds) over the UTF-16 code units.
 */
export function hash64Into(text: string, out: Uint32Array, offset: number): void {
  let a = 0x811c9dc5 ^ text.length;
  let b = 0x9747b28c ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    let k = Math.imul(c, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    b ^= Math.imul(k, 0x1b873593);
    b = (b << 13) | (b >>> 19);
    b = (Math.imul(b, 5) + 0xe6546b64) | 0;
  }
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

/** The 64-bit hash (16 hex digits) of the normalised text: equal for texts that differ only in form. */
export function exactHash(text: string, options: NormalizeOptions = {}): string {
  hash64Into(normalize(text, options), hashScratch, 0);
  return (
    (hashScratch[0] ?? 0).toString(16).padStart(8, '0') + (hashScratch[1] ?? 0).toString(16).padStart(8, '0')
  );
}
