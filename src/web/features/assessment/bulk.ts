/*
 * Bulk disposition (批量处理): which rows may be picked, when to ask before applying, and what a bulk
 * proposal did. The API applies one disposition to at most BULK_MAX opinions, all or nothing: when some
 * of them cannot take a disposition it writes nothing and names them, and the rest can be sent again.
 */

/** The most opinions one bulk proposal takes (the API's limit). */
export const BULK_MAX = 1000;

/** From this many opinions on, the organizer confirms before the proposal is applied. */
export const BULK_CONFIRM_AT = 10;

/** Only submitted opinions take a disposition; drafts and withdrawn ones cannot be picked. */
export const isSelectable = (row: { status: string }): boolean => row.status === 'submitted';

/** The ids of the rows that may be picked, in table order. */
export const selectableIds = (rows: readonly { id: string; status: string }[]): string[] =>
  rows.filter(isSelectable).map((r) => r.id);

export const needsConfirmation = (count: number): boolean => count >= BULK_CONFIRM_AT;

/** What came back from `POST /rounds/:id/dispositions/bulk`. */
export type BulkOutcome =
  | { ok: true; created: readonly { opinionId: string }[] }
  | { ok: false; error: { message: string; details?: unknown } };

export interface BulkSummary {
  /** Opinions that now carry the proposed disposition. */
  applied: number;
  /** Opinions that could not take it, by id and registration number; nothing was written for any. */
  failed: { id: string; regNo: string | null }[];
  /** The rest, which can be proposed again without the failed ones. */
  retryIds: string[];
  /** A refusal of the whole request (state, rights, template), as the server worded it. */
  error: string | null;
}

function invalidIds(details: unknown): string[] | null {
  if (typeof details !== 'object' || details === null) {
    return null;
  }
  const { field, invalid } = details as { field?: unknown; invalid?: unknown };
  return field === 'opinionIds' && Array.isArray(invalid) && invalid.every((v) => typeof v === 'string')
    ? invalid
    : null;
}

/** Sums up a bulk proposal of `requested` (id and registration number of each) from its outcome. */
export function summarizeBulk(
  requested: readonly { id: string; regNo: string | null }[],
  outcome: BulkOutcome,
): BulkSummary {
  if (outcome.ok) {
    const done = new Set(outcome.created.map((d) => d.opinionId));
    const failed = requested.filter((r) => !done.has(r.id)).map(({ id, regNo }) => ({ id, regNo }));
    return { applied: done.size, failed, retryIds: [], error: null };
  }
  const invalid = invalidIds(outcome.error.details);
  if (!invalid) {
    return { applied: 0, failed: [], retryIds: [], error: outcome.error.message };
  }
  const bad = new Set(invalid);
  const regNo = new Map(requested.map((r) => [r.id, r.regNo] as const));
  return {
    applied: 0,
    failed: invalid.map((id) => ({ id, regNo: regNo.get(id) ?? null })),
    retryIds: requested.filter((r) => !bad.has(r.id)).map((r) => r.id),
    error: null,
  };
}
