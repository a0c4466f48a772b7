import type { Clause } from '../plans/api.ts';

/** A version's clause tree in reading order. */
export function flattenClauses(clauses: readonly Clause[]): Clause[] {
  return clauses.flatMap((c) => [c, ...flattenClauses(c.children)]);
}

/** How a clause is named in a list: its number and heading, else the start of its text. */
export function clauseName(clause: Pick<Clause, 'number' | 'heading' | 'text'>, chars = 24): string {
  const named = [clause.number, clause.heading].filter(Boolean).join(' ');
  if (named) {
    return named;
  }
  const text = Array.from(clause.text.trim());
  return text.length > chars ? `${text.slice(0, chars).join('')}…` : text.join('');
}

/**
 * The clauses to offer in a picker: those with text, opinions counted from `counts` when known, with the
 * ones that drew opinions listed first (in reading order within each group).
 */
export function clauseChoices(
  clauses: readonly Clause[],
  counts: ReadonlyMap<string, number>,
): { value: string; label: string; count: number }[] {
  const rows = flattenClauses(clauses)
    .filter((c) => c.text.trim() !== '' || c.heading)
    .map((c, index) => ({
      value: c.stableId,
      label: clauseName(c),
      count: counts.get(c.stableId) ?? 0,
      index,
    }));
  return rows
    .sort((a, b) => Number(b.count > 0) - Number(a.count > 0) || a.index - b.index)
    .map(({ value, label, count }) => ({ value, label, count }));
}

/** Round states before a round opens: no opinion can be in them yet. */
const NOT_OPENED: ReadonlySet<string> = new Set(['draft', 'scheduled']);

/**
 * The rounds to offer for a clause's summary, latest first, and the one to show at first: the latest that
 * has opened (a round still in draft has no opinions to summarise), else the latest.
 */
export function summaryRounds<R extends { id: string; seq: number; status: string }>(
  rounds: readonly R[],
): { rounds: R[]; initial: string | undefined } {
  const latest = [...rounds].sort((a, b) => b.seq - a.seq);
  return { rounds: latest, initial: (latest.find((r) => !NOT_OPENED.has(r.status)) ?? latest[0])?.id };
}
