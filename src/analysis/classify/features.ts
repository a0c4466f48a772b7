/**
 * Features of a tokenised text for the linear models: word unigrams and bigrams over the tokens, and
 * character n-grams over the normalised text (they catch what segmentation misses in short, informal
 * posts). A vectoriser learned from a corpus maps them to TF-IDF weights (sublinear tf, smoothed idf),
 * each block (words, characters) scaled to unit length, into a fixed dictionary of feature indices.
 */
import type { TokenizedText } from '../tokenize.ts';
import type { SparseVector } from './sparse.ts';
import { createSortedSparseVector } from './sparse.ts';

export interface FeatureOptions {
  /** Word n-grams up to this order over all tokens (0: none, 1: unigrams, 2: and bigrams). */
  wordNgrams: number;
  /** Character n-grams from `[0]` to `[1]` characters over the normalised text; null for none. */
  charNgrams: readonly [number, number] | null;
  /** Leaves stop words out of word unigrams (bigrams keep them: 不 支持). */
  dropStopWords: boolean;
  /** Keeps features seen in at least this many training documents. */
  minDf: number;
  /** tf → 1 + ln(tf). */
  sublinearTf: boolean;
  /** Relative weight of the character block against the word block (both unit length before). */
  charWeight: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  wordNgrams: 2,
  charNgrams: [1, 3],
  dropStopWords: false,
  minDf: 1,
  sublinearTf: true,
  charWeight: 1,
};

/** Raw counts of a document's named features ('w:' word n-grams, 'c:' character n-grams). */
export type FeatureCounts = Map<string, number>;

/** A learned feature dictionary with inverse document frequencies: plain data, serialisable to JSON. */
export interface Vectorizer {
  options: FeatureOptions;
  features: string[];
  idf: number[];
}

const URL = /https?:\/\/\S+|www\.\S+/giu;
const SPACE = /\s+/gu;

/** The text the character n-grams read: NFKC, lower case, without links, whitespace collapsed. */
export function normalizeForCharacters(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(URL, ' ').replace(SPACE, ' ').trim();
}

function increment(counts: FeatureCounts, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Counts a document's features. */
export function countFeatures(
  doc: TokenizedText,
  options: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
): FeatureCounts {
  const counts: FeatureCounts = new Map();
  if (options.wordNgrams >= 1) {
    for (const token of doc.tokens) {
      if (!(options.dropStopWords && token.stop)) {
        increment(counts, `w:${token.text}`);
      }
    }
  }
  const words = doc.words;
  for (let n = 2; n <= options.wordNgrams; n++) {
    for (let i = 0; i + n <= words.length; i++) {
      increment(counts, `w:${words.slice(i, i + n).join(' ')}`);
    }
  }
  if (options.charNgrams !== null) {
    const [min, max] = options.charNgrams;
    const chars = Array.from(normalizeForCharacters(doc.text));
    for (let i = 0; i < chars.length; i++) {
      let gram = '';
      for (let n = 1; n <= max && i + n <= chars.length; n++) {
        gram += chars[i + n - 1]!;
        if (n >= min && !(n === 1 && gram === ' ')) {
          increment(counts, `c:${gram}`);
        }
      }
    }
  }
  return counts;
}

/** Learns the feature dictionary and idf from the documents' feature counts. */
export function fitVectorizerFromCounts(
  docs: readonly FeatureCounts[],
  options: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
): Vectorizer {
  const df = new Map<string, number>();
  for (const counts of docs) {
    for (const key of counts.keys()) {
      df.set(key, (df.get(key) ?? 0) + 1);
    }
  }
  // Frequent features first: their weights then sit close together in memory, which speeds training.
  const features = [...df]
    .filter(([, n]) => n >= options.minDf)
    .sort((a, b) => b[1] - a[1])
    .map(([key]) => key);
  const n = docs.length;
  const idf = features.map((key) => 1 + Math.log((1 + n) / (1 + df.get(key)!)));
  return { options: { ...options }, features, idf };
}

/** Learns the feature dictionary and idf from tokenised documents. */
export function fitVectorizer(
  docs: readonly TokenizedText[],
  options: Partial<FeatureOptions> = {},
): Vectorizer {
  const full = { ...DEFAULT_FEATURE_OPTIONS, ...options };
  return fitVectorizerFromCounts(
    docs.map((doc) => countFeatures(doc, full)),
    full,
  );
}

const indexCache = new WeakMap<Vectorizer, Map<string, number>>();

function featureIndex(vectorizer: Vectorizer): Map<string, number> {
  let index = indexCache.get(vectorizer);
  if (index === undefined) {
    index = new Map(vectorizer.features.map((key, i) => [key, i]));
    indexCache.set(vectorizer, index);
  }
  return index;
}

/** Number of features (the dimension of the vectors). */
export function countDimensions(vectorizer: Vectorizer): number {
  return vectorizer.features.length;
}

/** TF-IDF vector of feature counts; features unknown to the vectoriser are ignored. */
export function vectorizeCounts(vectorizer: Vectorizer, counts: FeatureCounts): SparseVector {
  const index = featureIndex(vectorizer);
  const { sublinearTf, charWeight } = vectorizer.options;
  const found: number[] = [];
  const raw: number[] = [];
  const isChar: boolean[] = [];
  let wordNorm = 0;
  let charNorm = 0;
  for (const [key, count] of counts) {
    const i = index.get(key);
    if (i === undefined) {
      continue;
    }
    const tf = sublinearTf ? 1 + Math.log(count) : count;
    const value = tf * vectorizer.idf[i]!;
    const char = key.startsWith('c:');
    if (char) {
      charNorm += value * value;
    } else {
      wordNorm += value * value;
    }
    found.push(i);
    raw.push(value);
    isChar.push(char);
  }
  const total = Math.sqrt((wordNorm > 0 ? 1 : 0) + (charNorm > 0 ? charWeight * charWeight : 0));
  const wordScale = wordNorm > 0 ? 1 / Math.sqrt(wordNorm) / total : 0;
  const charScale = charNorm > 0 ? charWeight / Math.sqrt(charNorm) / total : 0;
  for (let k = 0; k < raw.length; k++) {
    raw[k] = raw[k]! * (isChar[k] ? charScale : wordScale);
  }
  return createSortedSparseVector(found, raw);
}

/** TF-IDF vector of a tokenised document. */
export function vectorize(vectorizer: Vectorizer, doc: TokenizedText): SparseVector {
  return vectorizeCounts(vectorizer, countFeatures(doc, vectorizer.options));
}
