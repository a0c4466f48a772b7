/** Pure helpers of a discussion thread: merging live messages into a page, unread counts, @ mentions. */

export interface SeqMessage {
  id: string;
  seq: number;
}

/**
 * The messages of a thread with `incoming` merged in: one per id (the later copy wins, so an edit or a
 * deletion replaces the message), in order of seq. Live events may arrive twice or before the page loads.
 */
export function mergeMessages<T extends SeqMessage>(existing: readonly T[], incoming: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const message of [...existing, ...incoming]) {
    byId.set(message.id, message);
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** Messages by others after the reader's marker (what a badge counts). */
export function countUnread(
  messages: readonly (SeqMessage & { authorId: string | null; deletedAt: string | null })[],
  lastReadSeq: number,
  me: string | null,
): number {
  return messages.filter((m) => m.seq > lastReadSeq && m.authorId !== me && m.deletedAt === null).length;
}

export interface MentionPerson {
  id: string;
  login: string;
  name: string;
}

/**
 * The people who match what follows an @: by login or name, those whose login or name starts with it
 * first; at most `limit`.
 */
export function matchPeople<T extends MentionPerson>(people: readonly T[], typed: string, limit = 8): T[] {
  const q = typed.trim().toLowerCase();
  if (q === '') {
    return people.slice(0, limit);
  }
  const scored = people
    .map((p) => {
      const login = p.login.toLowerCase();
      const name = p.name.toLowerCase();
      const rank =
        login.startsWith(q) || name.startsWith(q) ? 0 : login.includes(q) || name.includes(q) ? 1 : -1;
      return { p, rank };
    })
    .filter((x) => x.rank >= 0);
  return scored
    .sort((a, b) => a.rank - b.rank || a.p.name.localeCompare(b.p.name, 'zh-CN'))
    .slice(0, limit)
    .map((x) => x.p);
}
