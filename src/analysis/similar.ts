/**
 * "Similar opinions from earlier plans": an in-memory index over the opinion database that, for a new
 * opinion, finds those that say much the same thing.
 *
 * A text is described by two blocks of TF-IDF features (sublinear tf, smoothed idf), each scaled to unit
 * length and weighted equally: its words (tokenize(), without stop words and bare numbers) and its
 * character bigrams (which catch what segmentation splits differently, and inflections in English).
 * Both are read from the normalised text (NFKC, traditional → simplified, lower case). Similarity is the
 * cosine, computed through an inverted index: a query only visits documents sharing a feature with it.
 */
import { similarityKey } from './normalize.ts';
import { tokenize } from './tokenize.ts';

export interface SimilarDocument {
  id: string;
  text: string;
}

export interface SimilarMatch {
  id: string;
  /** Cosine similarity, 0–1. */
  score: number;
}

export interface SimilarQueryOptions {
  /** At most this many matches (default 10). */
  limit?: number;
  /** Leaves out matches below this similarity (default 0.2). */
  minScore?: number;
  /** Ids never returned (the opinion itself, opinions of the same round). */
  exclude?: ReadonlySet<string>;
}

const DEFAULT_LIMIT = 10;
const DEFAULT_MIN_SCORE = 0.2;

/** Runs of letters and digits (Han included) that the bigrams are read from. */
const RUN = /[\p{L}\p{N}]+/gu;

type Counts = Map<string, number>;

/** Feature counts: 'w' + word, 'c' + character bigram (a one-character run counts as itself). */
function countFeatures(text: string): Counts {
  const counts: Counts = new Map();
  const key = similarityKey(text);
  if (key === '') {
    return counts;
  }
  const add = (feature: string): void => {
    counts.set(feature, (counts.get(feature) ?? 0) + 1);
  };
  for (const term of tokenize(key).terms) {
    add(`w${term}`);
  }
  for (const [run] of key.matchAll(RUN)) {
    const chars = Array.from(run);
    if (chars.length === 1) {
      add(`c${run}`);
    }
    for (let i = 0; i + 1 < chars.length; i++) {
      add(`c${chars[i]!}${chars[i + 1]!}`);
    }
  }
  return counts;
}

function idfOf(documentCount: number, df: number): number {
  return 1 + Math.log((1 + documentCount) / (1 + df));
}

/**
 * The weights of a document's features (same order as `features`), each block (words, bigrams) of unit
 * length, the two weighted equally and the whole of unit length.
 */
function weigh(
  features: readonly string[],
  counts: readonly number[],
  idf: (i: number) => number,
): Float64Array {
  const weights = new Float64Array(features.length);
  let wordNorm = 0;
  let charNorm = 0;
  for (let i = 0; i < features.length; i++) {
    const value = (1 + Math.log(counts[i]!)) * idf(i);
    weights[i] = value;
    if (features[i]!.startsWith('w')) {
      wordNorm += value * value;
    } else {
      charNorm += value * value;
    }
  }
  const blocks = (wordNorm > 0 ? 1 : 0) + (charNorm > 0 ? 1 : 0);
  if (blocks === 0) {
    return weights;
  }
  const wordScale = wordNorm > 0 ? 1 / Math.sqrt(wordNorm * blocks) : 0;
  const charScale = charNorm > 0 ? 1 / Math.sqrt(charNorm * blocks) : 0;
  for (let i = 0; i < features.length; i++) {
    weights[i] = weights[i]! * (features[i]!.startsWith('w') ? wordScale : charScale);
  }
  return weights;
}

/**
 * An in-memory index for "similar opinions from earlier plans": TF-IDF over words (tokenize()) and
 * character bigrams, cosine via an inverted index (no all-pairs scan). Built once from a set of
 * documents (the idf is theirs); queries do not change it.
 */
export class SimilarityIndex {
  /** Scores of one query, reused (queries run one at a time). */
  private readonly scores: Float64Array;

  private constructor(
    private readonly ids: readonly string[],
    private readonly featureIds: ReadonlyMap<string, number>,
    private readonly df: Int32Array,
    private readonly postingDocs: readonly Int32Array[],
    private readonly postingWeights: readonly Float32Array[],
  ) {
    this.scores = new Float64Array(ids.length);
  }

  static build(documents: Iterable<SimilarDocument>): SimilarityIndex {
    const ids: string[] = [];
    const featureIds = new Map<string, number>();
    const featureNames: string[] = [];
    const dfList: number[] = [];
    const docFeatures: Int32Array[] = [];
    const docCounts: Int32Array[] = [];
    for (const doc of documents) {
      ids.push(doc.id);
      const counts = countFeatures(doc.text);
      const features = new Int32Array(counts.size);
      const values = new Int32Array(counts.size);
      let k = 0;
      for (const [feature, count] of counts) {
        let id = featureIds.get(feature);
        if (id === undefined) {
          id = featureNames.length;
          featureIds.set(feature, id);
          featureNames.push(feature);
          dfList.push(0);
        }
        dfList[id]! += 1;
        features[k] = id;
        values[k] = count;
        k++;
      }
      docFeatures.push(features);
      docCounts.push(values);
    }
    const n = ids.length;
    const df = Int32Array.from(dfList);
    const postingDocs = dfList.map((count) => new Int32Array(count));
    const postingWeights = dfList.map((count) => new Float32Array(count));
    const filled = new Int32Array(df.length);
    for (let d = 0; d < n; d++) {
      const features = docFeatures[d]!;
      const weights = weigh(
        Array.from(features, (f) => featureNames[f]!),
        Array.from(docCounts[d]!),
        (i) => idfOf(n, df[features[i]!]!),
      );
      for (let i = 0; i < features.length; i++) {
        const f = features[i]!;
        const at = filled[f]!;
        postingDocs[f]![at] = d;
        postingWeights[f]![at] = weights[i]!;
        filled[f] = at + 1;
      }
    }
    return new SimilarityIndex(ids, featureIds, df, postingDocs, postingWeights);
  }

  /** Number of documents in the index. */
  get size(): number {
    return this.ids.length;
  }

  /** The documents most similar to a text, best first (ties in the order the documents were given). */
  query(text: string, options: SimilarQueryOptions = {}): SimilarMatch[] {
    const limit = Math.max(0, Math.floor(options.limit ?? DEFAULT_LIMIT));
    const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
    const counts = countFeatures(text);
    if (limit === 0 || counts.size === 0 || this.ids.length === 0) {
      return [];
    }
    const features = [...counts.keys()];
    const n = this.ids.length;
    // Features the index has never seen still count in the query's length: they are what it does not
    // share with any document.
    const weights = weigh(features, [...counts.values()], (i) => {
      const id = this.featureIds.get(features[i]!);
      return idfOf(n, id === undefined ? 0 : this.df[id]!);
    });
    const scores = this.scores;
    const touched: number[] = [];
    for (let i = 0; i < features.length; i++) {
      const id = this.featureIds.get(features[i]!);
      if (id === undefined) {
        continue;
      }
      const q = weights[i]!;
      const docs = this.postingDocs[id]!;
      const values = this.postingWeights[id]!;
      for (let k = 0; k < docs.length; k++) {
        const d = docs[k]!;
        if (scores[d] === 0) {
          touched.push(d);
        }
        scores[d] = scores[d]! + q * values[k]!;
      }
    }
    const found: { doc: number; score: number }[] = [];
    for (const d of touched) {
      // Float32 postings may sum a hair over 1 for identical texts.
      const score = Math.min(1, scores[d]!);
      scores[d] = 0;
      if (score >= minScore && score > 0 && !options.exclude?.has(this.ids[d]!)) {
        found.push({ doc: d, score });
      }
    }
    found.sort((a, b) => b.score - a.score || a.doc - b.doc);
    const matches: SimilarMatch[] = [];
    const seen = new Set<string>();
    for (const { doc, score } of found) {
      const id = this.ids[doc]!;
      // A document given twice under one id is one opinion: its best match stands for it.
      if (seen.has(id)) {
        continue;
      }
      seen.add(id);
      matches.push({ id, score: Math.round(score * 10_000) / 10_000 });
      if (matches.length >= limit) {
        break;
      }
    }
    return matches;
  }
}
