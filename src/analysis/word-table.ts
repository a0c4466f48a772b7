/**
 * Fixed tables of words, each word with a small number (a flag set, a category), for lookups made once
 * per token: built once, read many times.
 *
 * A Set or Map lookup hashes the whole key, which for the fresh strings the tokenizer makes means
 * reading every character each time. These tables place a word by its first and last UTF-16 units and
 * its length only, in an open-addressing array kept at most 1/8 full, and keep each slot's word length
 * and number in one integer. Most words a table does not hold land on an empty slot, which a bit set of
 * the taken slots (small enough to stay in the processor's nearest cache) tells after one read; a held
 * word is found with one string comparison. A table is a closure over its arrays, which V8 optimises
 * better than a class instance's fields.
 */

/** The number of a word in a table, or -1 when the table does not hold it. */
export type WordTable = (word: string) => number;

/** Table size per entry, at least: keeps probe sequences short. */
const SPARSENESS = 8;
const MIN_BITS = 4;
/** A slot's integer: the word's length above these bits, its number in them; 0 for an empty slot. */
const VALUE_BITS = 8;
const VALUE_MASK = (1 << VALUE_BITS) - 1;
const MAX_LENGTH = 2 ** (31 - VALUE_BITS) - 1;

/**
 * A copy of a word as one plain run of characters. A word cut from a longer string, or joined from
 * others, is kept by V8 as a reference to them; the lookup code is optimised for the kinds of string it
 * meets, and meeting such words while the table is built makes every later lookup slower.
 */
function flatCopy(word: string): string {
  return [...word].join('');
}

/**
 * A 32-bit hash of a word from its first and last UTF-16 units and its length only: cheap for the fresh
 * strings of tokens, and telling most words apart. Its high bits are the best mixed.
 */
export function endsHash(word: string): number {
  return (
    (Math.imul(word.charCodeAt(0), 0x9e3779b1) ^
      Math.imul(word.charCodeAt(word.length - 1) + word.length, 0x85ebca6b)) >>>
    0
  );
}

/**
 * A table of words with their numbers (0–255); the first entry of a word wins. No word may be empty
 * (nor longer than 8 million characters).
 */
export function wordTable(entries: Iterable<readonly [string, number]>): WordTable {
  const list = [...entries];
  let bits = MIN_BITS;
  while (1 << bits < list.length * SPARSENESS) {
    bits++;
  }
  const mask = (1 << bits) - 1;
  const shift = 32 - bits;
  const keys = new Array<string>(mask + 1).fill('');
  const slots = new Int32Array(mask + 1);
  /** One bit per slot, set when it is taken: most lookups stop here, in an array a 32nd of the size. */
  const taken = new Int32Array(((mask + 1) >>> 5) + 1);
  const slotOf = (word: string): number => endsHash(word) >>> shift;
  const get = (word: string): number => {
    const length = word.length;
    if (length === 0) {
      return -1;
    }
    let slot = slotOf(word);
    if ((taken[slot >>> 5]! & (1 << (slot & 31))) === 0) {
      return -1;
    }
    for (; ; slot = (slot + 1) & mask) {
      const held = slots[slot]!;
      if (held >>> VALUE_BITS === length && keys[slot] === word) {
        return held & VALUE_MASK;
      }
      if (held === 0) {
        return -1;
      }
    }
  };
  for (const [listed, value] of list) {
    const word = flatCopy(listed);
    if (word.length === 0 || word.length > MAX_LENGTH) {
      throw new RangeError(`a word table holds no word of ${word.length} characters`);
    }
    if (!Number.isInteger(value) || value < 0 || value > VALUE_MASK) {
      throw new RangeError(`a word table holds numbers 0–${VALUE_MASK}, not ${value}`);
    }
    if (get(word) >= 0) {
      continue;
    }
    let slot = slotOf(word);
    while (slots[slot] !== 0) {
      slot = (slot + 1) & mask;
    }
    keys[slot] = word;
    slots[slot] = (word.length << VALUE_BITS) | value;
    taken[slot >>> 5]! |= 1 << (slot & 31);
  }
  return get;
}

/** A table of words, each numbered 0: a set (a word is in it when its number is not -1). */
export function wordTableOf(words: Iterable<string>): WordTable {
  const entries: [string, number][] = [];
  for (const word of words) {
    entries.push([word, 0]);
  }
  return wordTable(entries);
}
