/** Pure helpers of the conflict views: grouping the board, ages, the ladder, calculation errors. */

export interface BoardItem {
  id: string;
  clauseStableId: string;
  clauseNumber: string | null;
  units: { id: string; name: string }[];
  ageDays: number;
  status: string;
}

export interface BoardGroup<T> {
  key: string;
  label: string;
  items: T[];
  /** The oldest item's age, for sorting groups that wait longest first. */
  oldest: number;
}

function grouped<T extends BoardItem>(entries: { key: string; label: string; item: T }[]): BoardGroup<T>[] {
  const groups = new Map<string, BoardGroup<T>>();
  for (const { key, label, item } of entries) {
    const group = groups.get(key) ?? { key, label, items: [], oldest: 0 };
    group.items.push(item);
    group.oldest = Math.max(group.oldest, item.ageDays);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    group.items.sort((a, b) => b.ageDays - a.ageDays);
  }
  return [...groups.values()].sort((a, b) => b.oldest - a.oldest || a.label.localeCompare(b.label, 'zh-CN'));
}

/** The board by clause: each clause's conflicts, the clause waiting longest first. */
export function groupByClause<T extends BoardItem>(items: readonly T[]): BoardGroup<T>[] {
  return grouped(
    items.map((item) => ({
      key: item.clauseStableId,
      label: item.clauseNumber ?? item.clauseStableId,
      item,
    })),
  );
}

/**
 * The board by unit pair: a conflict among n units counts for each of its pairs, named in a stable order
 * so that A–B and B–A are one pair.
 */
export function groupByUnitPair<T extends BoardItem>(items: readonly T[]): BoardGroup<T>[] {
  const entries: { key: string; label: string; item: T }[] = [];
  for (const item of items) {
    const units = [...new Map(item.units.map((u) => [u.id, u])).values()].sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    for (let i = 0; i < units.length; i += 1) {
      for (let j = i + 1; j < units.length; j += 1) {
        entries.push({
          key: `${units[i]!.id}|${units[j]!.id}`,
          label: `${units[i]!.name} ↔ ${units[j]!.name}`,
          item,
        });
      }
    }
  }
  return grouped(entries);
}

/** Whole days of an age, as the board shows them (0.4 → 0, 2.9 → 2); never negative. */
export const wholeDays = (ageDays: number): number =>
  Number.isFinite(ageDays) ? Math.max(0, Math.floor(ageDays)) : 0;

/** How urgent an age looks: a week is a warning, a month is overdue. */
export function ageTone(ageDays: number, settled: boolean): 'default' | 'warning' | 'error' {
  if (settled) {
    return 'default';
  }
  return ageDays >= 30 ? 'error' : ageDays >= 7 ? 'warning' : 'default';
}

/** The ladder's rungs with where the conflict stands: passed, current or ahead (null level = the team). */
export function ladderSteps<R extends { rank: number }>(
  rungs: readonly R[],
  level: number | null,
): { rung: R; state: 'passed' | 'current' | 'ahead' }[] {
  const current = level ?? 0;
  return [...rungs]
    .sort((a, b) => a.rank - b.rank)
    .map((rung) => ({
      rung,
      state: rung.rank < current ? 'passed' : rung.rank === current ? 'current' : 'ahead',
    }));
}

/** Where a refused calculation's error belongs: an input row, the formula, or the sheet as a whole. */
export function calculationErrorField(details: unknown): { input: string } | 'formula' | 'sheet' {
  if (details && typeof details === 'object') {
    const d = details as Record<string, unknown>;
    if (typeof d.input === 'string') {
      return { input: d.input };
    }
    if (d.field === 'formula' || typeof d.symbol === 'string') {
      return 'formula';
    }
    if (typeof d.field === 'string') {
      const match = /^inputs(?:\.|\[)(\d+)/.exec(d.field);
      if (match && typeof d.name === 'string') {
        return { input: d.name };
      }
    }
  }
  return 'sheet';
}

/** Identifiers a formula may name: what the server accepts for an input's name. */
export const INPUT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** The input names that are invalid or given twice, for marking before the sheet is sent. */
export function badInputNames(names: readonly string[]): Set<number> {
  const bad = new Set<number>();
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (!INPUT_NAME.test(name)) {
      bad.add(i);
      return;
    }
    const first = seen.get(name);
    if (first !== undefined) {
      bad.add(first);
      bad.add(i);
    } else {
      seen.set(name, i);
    }
  });
  return bad;
}

/** Lines of a text area as a list, blank lines dropped ("议程一\n\n议程二" → two items). */
export const linesOf = (text: string | undefined | null): string[] =>
  (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
