import type { Routing } from './api.ts';

/** A targeted question to one invited unit about one clause (定向问题), as the round takes it. */
export interface QuestionDraft {
  clauseStableId: string;
  question: string;
  /** The suggested wording it started from: the same question however a person rewords it. */
  suggestion?: string;
}

/** The questions chosen so far, by unit id. */
export type QuestionsByUnit = Readonly<Record<string, readonly QuestionDraft[]>>;

/** The server's limits on an invitation's questions. */
export const MAX_QUESTIONS_PER_UNIT = 50;
export const MAX_QUESTION_CHARS = 2000;

/** The suggested units not invited yet, most concerned first (the order the server ranks them in). */
export function unitsToInvite(routing: Pick<Routing, 'invitees'>, invited: readonly string[]): string[] {
  const already = new Set(invited);
  return routing.invitees
    .map((i) => i.unitId)
    .filter((id, i, all) => !already.has(id) && all.indexOf(id) === i);
}

/** Two drafts are one question when they are on one clause and started from the same wording. */
const same = (a: QuestionDraft, b: QuestionDraft): boolean =>
  a.clauseStableId === b.clauseStableId &&
  (a.suggestion ?? a.question).trim() === (b.suggestion ?? b.question).trim();

/** Two questions sent are one when they ask the same on the same clause. */
const sameText = (a: QuestionDraft, b: QuestionDraft): boolean =>
  a.clauseStableId === b.clauseStableId && a.question.trim() === b.question.trim();

export function hasQuestion(questions: QuestionsByUnit, unitId: string, question: QuestionDraft): boolean {
  return (questions[unitId] ?? []).some((q) => same(q, question));
}

/** Adds (once) or removes a question of a unit, leaving the others as they are. */
export function toggleQuestion(
  questions: QuestionsByUnit,
  unitId: string,
  question: QuestionDraft,
  on: boolean,
): QuestionsByUnit {
  const current = questions[unitId] ?? [];
  const without = current.filter((q) => !same(q, question));
  const next = on ? [...without, question] : without;
  const rest = Object.fromEntries(Object.entries(questions).filter(([id]) => id !== unitId));
  return next.length > 0 ? { ...rest, [unitId]: next } : rest;
}

/** Rewords the `index`th question of a unit (a suggestion is a start, not the final wording). */
export function rewordQuestion(
  questions: QuestionsByUnit,
  unitId: string,
  index: number,
  text: string,
): QuestionsByUnit {
  const current = questions[unitId] ?? [];
  if (index < 0 || index >= current.length) {
    return questions;
  }
  return { ...questions, [unitId]: current.map((q, i) => (i === index ? { ...q, question: text } : q)) };
}

/**
 * The invitations of a new round: each checked unit, whether it must reply, and its questions, trimmed,
 * without blanks or repeats and within the server's limits. Questions of units no longer checked are
 * dropped.
 */
export function invitationsWithQuestions(
  checked: readonly string[],
  mandatory: ReadonlySet<string>,
  questions: QuestionsByUnit,
): { unitId: string; mandatory: boolean; questions?: { clauseStableId: string; question: string }[] }[] {
  return checked.map((unitId) => {
    const kept: { clauseStableId: string; question: string }[] = [];
    for (const q of questions[unitId] ?? []) {
      const question = q.question.trim().slice(0, MAX_QUESTION_CHARS);
      const draft = { clauseStableId: q.clauseStableId, question };
      if (question !== '' && !kept.some((k) => sameText(k, draft))) {
        kept.push(draft);
      }
    }
    const capped = kept.slice(0, MAX_QUESTIONS_PER_UNIT);
    return capped.length > 0
      ? { unitId, mandatory: mandatory.has(unitId), questions: capped }
      : { unitId, mandatory: mandatory.has(unitId) };
  });
}

/** How many questions are chosen in all, for the units still checked. */
export const questionCount = (questions: QuestionsByUnit, checked: readonly string[]): number =>
  checked.reduce((sum, id) => sum + (questions[id]?.length ?? 0), 0);
