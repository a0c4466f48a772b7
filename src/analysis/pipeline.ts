/*
 * The analysis of opinions, one at a time or a whole corpus.
 *
 * `analyzeRecord` is what a job runs per submitted opinion: the text is tokenised once and the same
 * TokenizedText feeds stance, topics and key phrases; figures feed the quality check. It is pure and
 * synchronous.
 *
 * `analyzeCorpus`, `analyzeCorpusClusters` (`…Stream` for records read as it goes) and
 * `analyzeCorpusToJsonLines` (from ./parallel, Node only: worker threads) add the near-duplicate clusters
 * and spread the work over the cores.
 */
import type { Figure } from './figures.ts';
import { extractFigures } from './figures.ts';
import type { Keyphrase } from './keyphrases.ts';
import { extractKeyphrases } from './keyphrases.ts';
import { exactHash } from './normalize.ts';
import { assessQuality } from './quality.ts';
import type { Stance } from './stance/lexicon.ts';
import type { StanceModel } from './stance/model.ts';
import { predictStance } from './stance/model.ts';
import type { TokenizedText } from './tokenize.ts';
import { tokenize } from './tokenize.ts';
import { assignTopics } from './topics/assign.ts';
import type { TopicModel } from './topics/model.ts';
import type { Taxonomy } from './topics/taxonomy.ts';

export interface AnalysisInput {
  id: string;
  text: string;
  /** What the stance is taken toward (a clause id); records without one share the model's shared part. */
  target?: string | null;
  reasons?: string | null;
  proposedText?: string | null;
}

export interface AnalysisContext {
  /** The plan's topics; without it, the topics a topic model has learned (or none). */
  taxonomy?: Taxonomy | null;
  topicModel?: TopicModel | null;
  /** Without it the stance lexicon decides. */
  stanceModel?: StanceModel | null;
  /** Key phrases per opinion (default 5). */
  keyphraseLimit?: number;
}

export interface RecordAnalysis {
  id: string;
  /** exactHash of the text: equal for texts that differ only in form. */
  textHash: string;
  topics: { label: string; score: number }[];
  stance: { label: Stance; score: number; source: 'machine' | 'lexicon' };
  quality: { score: number; flags: string[] };
  keyphrases: string[];
  figures: Figure[];
}

export const DEFAULT_KEYPHRASE_LIMIT = 5;

/** The target key used when a record names none. */
const NO_TARGET = '';

const derivedTaxonomies = new WeakMap<TopicModel, Taxonomy>();

/** The taxonomy topics are assigned from: the given one, else one made of the model's learned topics. */
function taxonomyOf(context: AnalysisContext): Taxonomy | null {
  if (context.taxonomy) {
    return context.taxonomy;
  }
  const model = context.topicModel;
  if (!model) {
    return null;
  }
  let taxonomy = derivedTaxonomies.get(model);
  if (taxonomy === undefined) {
    taxonomy = { topics: model.topics.map((id) => ({ id, name: id })) };
    derivedTaxonomies.set(model, taxonomy);
  }
  return taxonomy;
}

/**
 * The analysis of an already tokenised record. `textHash` may be given when already known (the corpus
 * pipeline has it from the record's signature); it must equal `exactHash(input.text)`.
 */
export function analyzeTokenized(
  input: AnalysisInput,
  doc: TokenizedText,
  context: AnalysisContext = {},
  textHash: string = exactHash(input.text),
): RecordAnalysis {
  return analyzeTokenizedAll([input], [doc], context, [textHash])[0]!;
}

/**
 * `analyzeTokenized` of several records at once (`docs[i]` the tokens of `inputs[i]`, `textHashes[i]`
 * its hash), one analysis at a time over all of them: each analysis's tables and code then stay in the
 * processor's caches from one record to the next, where going through every analysis for each record in
 * turn brings them back for each (in the corpus pipeline, slices of 128 records, the analyses' share of
 * a thread's time fell by about 5 % of itself so). The same results as one record at a time.
 */
export function analyzeTokenizedAll(
  inputs: readonly AnalysisInput[],
  docs: readonly TokenizedText[],
  context: AnalysisContext,
  textHashes: readonly string[],
): RecordAnalysis[] {
  const count = inputs.length;
  const taxonomy = taxonomyOf(context);
  const limit = context.keyphraseLimit ?? DEFAULT_KEYPHRASE_LIMIT;
  const topics = new Array<RecordAnalysis['topics']>(count);
  for (let i = 0; i < count; i++) {
    topics[i] =
      taxonomy === null
        ? []
        : assignTopics({ doc: docs[i]!, taxonomy, model: context.topicModel ?? null }).map((t) => ({
            label: t.label,
            score: t.score,
          }));
  }
  const stances = new Array<RecordAnalysis['stance']>(count);
  for (let i = 0; i < count; i++) {
    const prediction = predictStance(context.stanceModel ?? null, docs[i]!, inputs[i]!.target ?? NO_TARGET);
    stances[i] = { label: prediction.stance, score: prediction.score, source: prediction.source };
  }
  const figures = new Array<Figure[]>(count);
  for (let i = 0; i < count; i++) {
    figures[i] = extractFigures(inputs[i]!.text);
  }
  const keyphrases = new Array<Keyphrase[]>(count);
  for (let i = 0; i < count; i++) {
    keyphrases[i] = extractKeyphrases(docs[i]!, { limit });
  }
  const analyses = new Array<RecordAnalysis>(count);
  for (let i = 0; i < count; i++) {
    const input = inputs[i]!;
    const quality = assessQuality({
      text: input.text,
      reasons: input.reasons ?? null,
      proposedText: input.proposedText ?? null,
      figures: figures[i]!,
      keyphrases: keyphrases[i]!,
    });
    analyses[i] = {
      id: input.id,
      textHash: textHashes[i]!,
      topics: topics[i]!,
      stance: stances[i]!,
      quality: { score: quality.score, flags: [...quality.flags] },
      keyphrases: keyphrases[i]!.map((k) => k.text),
      figures: figures[i]!,
    };
  }
  return analyses;
}

/** The analysis of one opinion: topics, stance, quality, key phrases and figures. Pure and synchronous. */
export function analyzeRecord(input: AnalysisInput, context: AnalysisContext = {}): RecordAnalysis {
  return analyzeTokenized(input, tokenize(input.text), context);
}

export type {
  CorpusChunk,
  CorpusClusters,
  CorpusOptions,
  CorpusProgress,
  CorpusRecordResult,
  CorpusStreamOptions,
  CorpusSummary,
} from './parallel/corpus.ts';
export {
  analyzeCorpus,
  analyzeCorpusClusters,
  analyzeCorpusClustersStream,
  analyzeCorpusToJsonLines,
} from './parallel/corpus.ts';
