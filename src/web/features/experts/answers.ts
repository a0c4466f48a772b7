/** Pure helpers of expert consultation: the answer form's checks and the summary's figures. */

export interface AnswerDraft {
  recommendation?: string;
  feasibility?: number | null;
  reasons?: string;
  answers?: (string | undefined)[];
}

export type AnswerProblem =
  { field: 'recommendation' | 'reasons' | 'feasibility' } | { field: 'answers'; index: number };

/**
 * What keeps an answer from being sent: an empty recommendation or reasons, a feasibility score that is
 * not a whole number from 1 to 5, or a question left unanswered. Blank-only text counts as empty.
 */
export function answerProblems(draft: AnswerDraft, questionCount: number): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  if (!draft.recommendation?.trim()) {
    problems.push({ field: 'recommendation' });
  }
  const score = draft.feasibility;
  if (typeof score !== 'number' || !Number.isInteger(score) || score < 1 || score > 5) {
    problems.push({ field: 'feasibility' });
  }
  if (!draft.reasons?.trim()) {
    problems.push({ field: 'reasons' });
  }
  for (let index = 0; index < questionCount; index += 1) {
    if (!draft.answers?.[index]?.trim()) {
      problems.push({ field: 'answers', index });
    }
  }
  return problems;
}

/** The answer as sent: text trimmed, one answer per question. */
export function answerBody(draft: AnswerDraft, questionCount: number) {
  return {
    recommendation: (draft.recommendation ?? '').trim(),
    feasibility: draft.feasibility ?? 0,
    reasons: (draft.reasons ?? '').trim(),
    answers: Array.from({ length: questionCount }, (_, i) => (draft.answers?.[i] ?? '').trim()),
  };
}

/** Experts grouped by field for picking, each expert under every field they have ("" = no profile yet). */
export function expertsByField<E extends { id: string; fields: string[] }>(
  experts: readonly E[],
): Map<string, E[]> {
  const byField = new Map<string, E[]>();
  for (const expert of experts) {
    for (const field of expert.fields.length > 0 ? expert.fields : ['']) {
      byField.set(field, [...(byField.get(field) ?? []), expert]);
    }
  }
  return byField;
}

/** Bar widths of the score distribution (index 0 = score 1), as percentages of the largest bar. */
export function scoreBars(counts: readonly number[]): number[] {
  const max = Math.max(0, ...counts);
  return counts.map((c) => (max === 0 ? 0 : Math.round((c / max) * 100)));
}
