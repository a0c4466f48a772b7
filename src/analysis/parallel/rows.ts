/*
 * Analyses as a database row holds them: the lists as JSON text. Worker threads hand a chunk's rows over
 * as one flat array of strings and one of numbers, which cross between threads far more cheaply than the
 * analyses as objects, and the thread that stores them has no JSON to write.
 */
import type { RecordAnalysis } from '../pipeline.ts';
import type { Stance } from '../stance/lexicon.ts';

/** JSON of a list, most often empty. */
export const listJson = (list: readonly unknown[]): string =>
  list.length === 0 ? '[]' : JSON.stringify(list);

/** Strings of a record's row: text hash, stance, quality flags, key phrases, figures, topics. */
export const ROW_STRINGS = 6;
/** Numbers of a record's row: quality score, stance score. */
export const ROW_NUMBERS = 2;

/** A record's row: its strings (ROW_STRINGS of them, in order) and its two scores. */
export interface RowValues {
  strings: string[];
  qualityScore: number;
  stanceScore: number;
}

export function rowValues(analysis: RecordAnalysis): RowValues {
  return {
    strings: [
      analysis.textHash,
      analysis.stance.label,
      listJson(analysis.quality.flags),
      listJson(analysis.keyphrases),
      listJson(analysis.figures),
      listJson(analysis.topics),
    ],
    qualityScore: analysis.quality.score,
    stanceScore: analysis.stance.score,
  };
}

/** The rows of a chunk's records, record k's strings from `strings[k * ROW_STRINGS]`. */
export class AnalysisRows {
  constructor(
    readonly count: number,
    private readonly strings: readonly string[],
    private readonly numbers: Float64Array,
  ) {}

  textHash(k: number): string {
    return this.strings[k * ROW_STRINGS]!;
  }

  stance(k: number): Stance {
    return this.strings[k * ROW_STRINGS + 1] as Stance;
  }

  /** JSON. */
  qualityFlags(k: number): string {
    return this.strings[k * ROW_STRINGS + 2]!;
  }

  /** JSON. */
  keyphrases(k: number): string {
    return this.strings[k * ROW_STRINGS + 3]!;
  }

  /** JSON. */
  figures(k: number): string {
    return this.strings[k * ROW_STRINGS + 4]!;
  }

  topics(k: number): RecordAnalysis['topics'] {
    const json = this.strings[k * ROW_STRINGS + 5]!;
    return json === '[]' ? [] : (JSON.parse(json) as RecordAnalysis['topics']);
  }

  qualityScore(k: number): number {
    return this.numbers[k * ROW_NUMBERS]!;
  }

  stanceScore(k: number): number {
    return this.numbers[k * ROW_NUMBERS + 1]!;
  }
}
