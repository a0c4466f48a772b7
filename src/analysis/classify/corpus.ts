/**
 * A corpus whose feature counts are encoded once as integer ids, so that vectorisers for many subsets
 * (the folds of a cross-validation, the training part of a model selection) are learned and applied
 * without hashing feature names again. Vectors come out identical to `vectorizeCounts`.
 */
import type { FeatureCounts, FeatureOptions, Vectorizer } from './features.ts';
import { DEFAULT_FEATURE_OPTIONS } from './features.ts';
import type { SparseVector } from './sparse.ts';
import { createSortedSparseVector } from './sparse.ts';

export interface EncodedDocument {
  ids: Uint32Array;
  counts: Float64Array;
}

export interface EncodedCorpus {
  keys: string[];
  /** 1 where the key is a character n-gram. */
  isChar: Uint8Array;
  docs: EncodedDocument[];
}

/** Encodes the documents' feature counts against one dictionary of all their keys. */
export function encodeCorpus(counts: readonly FeatureCounts[]): EncodedCorpus {
  const ids = new Map<string, number>();
  const keys: string[] = [];
  const docs = counts.map((doc) => {
    const docIds = new Uint32Array(doc.size);
    const docCounts = new Float64Array(doc.size);
    let k = 0;
    for (const [key, count] of doc) {
      let id = ids.get(key);
      if (id === undefined) {
        id = keys.length;
        ids.set(key, id);
        keys.push(key);
      }
      docIds[k] = id;
      docCounts[k] = count;
      k++;
    }
    return { ids: docIds, counts: docCounts };
  });
  return { keys, isChar: Uint8Array.from(keys, (key) => (key.startsWith('c:') ? 1 : 0)), docs };
}

export interface SubsetVectorizer {
  vectorizer: Vectorizer;
  /** The TF-IDF vector of any document of the corpus (by its position). */
  vectorizeDocument(doc: number): SparseVector;
}

/** Learns a vectoriser from the documents at `subset` (same rules as `fitVectorizerFromCounts`). */
export function fitSubsetVectorizer(
  corpus: EncodedCorpus,
  subset: readonly number[],
  options: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
): SubsetVectorizer {
  const df = new Uint32Array(corpus.keys.length);
  const firstSeen = new Int32Array(corpus.keys.length).fill(-1);
  let seen = 0;
  for (const d of subset) {
    for (const id of corpus.docs[d]!.ids) {
      if (df[id] === 0) {
        firstSeen[id] = seen++;
      }
      df[id]!++;
    }
  }
  const kept: number[] = [];
  for (let id = 0; id < df.length; id++) {
    if (df[id]! >= options.minDf && df[id]! > 0) {
      kept.push(id);
    }
  }
  // The order of fitVectorizerFromCounts: by document frequency, then first appearance.
  kept.sort((a, b) => df[b]! - df[a]! || firstSeen[a]! - firstSeen[b]!);
  const position = new Int32Array(corpus.keys.length).fill(-1);
  kept.forEach((id, i) => {
    position[id] = i;
  });
  const n = subset.length;
  const idf = kept.map((id) => 1 + Math.log((1 + n) / (1 + df[id]!)));
  const vectorizer: Vectorizer = {
    options: { ...options },
    features: kept.map((id) => corpus.keys[id]!),
    idf,
  };
  const { sublinearTf, charWeight } = options;
  return {
    vectorizer,
    vectorizeDocument(d) {
      const doc = corpus.docs[d]!;
      const found: number[] = [];
      const raw: number[] = [];
      const char: number[] = [];
      let wordNorm = 0;
      let charNorm = 0;
      for (let k = 0; k < doc.ids.length; k++) {
        const id = doc.ids[k]!;
        const i = position[id]!;
        if (i < 0) {
          continue;
        }
        const count = doc.counts[k]!;
        const value = (sublinearTf ? 1 + Math.log(count) : count) * idf[i]!;
        const isChar = corpus.isChar[id]!;
        if (isChar === 1) {
          charNorm += value * value;
        } else {
          wordNorm += value * value;
        }
        found.push(i);
        raw.push(value);
        char.push(isChar);
      }
      const total = Math.sqrt((wordNorm > 0 ? 1 : 0) + (charNorm > 0 ? charWeight * charWeight : 0));
      const wordScale = wordNorm > 0 ? 1 / Math.sqrt(wordNorm) / total : 0;
      const charScale = charNorm > 0 ? charWeight / Math.sqrt(charNorm) / total : 0;
      for (let k = 0; k < raw.length; k++) {
        raw[k] = raw[k]! * (char[k] === 1 ? charScale : wordScale);
      }
      return createSortedSparseVector(found, raw);
    },
  };
}
