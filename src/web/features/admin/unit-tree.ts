/** The unit directory as a tree, from the flat list the API gives (each unit with its parent's id). */

export type UnitLevel = 'province' | 'city' | 'county';

export const UNIT_LEVELS: readonly UnitLevel[] = ['province', 'city', 'county'];

export interface UnitLike {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  level: UnitLevel;
  areas: string[];
  keywords: string[];
}

/** A unit with its sub-units; `children` is absent on a leaf, so a tree table shows no expander there. */
export type UnitNode<U extends UnitLike = UnitLike> = U & { children?: UnitNode<U>[] };

const LEVEL_RANK: Record<UnitLevel, number> = { province: 0, city: 1, county: 2 };

/** A child sits at its parent's level or below (province > city > county), as the server requires. */
export const levelFitsUnder = (child: UnitLevel, parent: UnitLevel): boolean =>
  LEVEL_RANK[child] >= LEVEL_RANK[parent];

const byCode = (a: UnitLike, b: UnitLike): number => a.code.localeCompare(b.code);

/**
 * Nests the units under their parents, each level ordered by code. A unit whose parent is unknown is a
 * root; units caught in a cycle (which the server refuses, but data may predate the rule) are shown as
 * roots rather than lost.
 */
export function buildUnitTree<U extends UnitLike>(units: readonly U[]): UnitNode<U>[] {
  const ids = new Set(units.map((u) => u.id));
  const childrenOf = new Map<string | null, U[]>();
  for (const unit of units) {
    const parent = unit.parentId !== null && ids.has(unit.parentId) ? unit.parentId : null;
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), unit]);
  }
  const placed = new Set<string>();
  const build = (unit: U): UnitNode<U> => {
    placed.add(unit.id);
    const children = [...(childrenOf.get(unit.id) ?? [])]
      .filter((child) => !placed.has(child.id))
      .sort(byCode)
      .map(build);
    return children.length > 0 ? { ...unit, children } : { ...unit };
  };
  const roots = [...(childrenOf.get(null) ?? [])].sort(byCode).map(build);
  const stranded = units.filter((u) => !placed.has(u.id)).sort(byCode);
  for (const unit of stranded) {
    if (!placed.has(unit.id)) {
      roots.push(build(unit));
    }
  }
  return roots;
}

/** Whether a unit's name, code or responsibility list contains the text (case-insensitive). */
export function unitMatches(unit: UnitLike, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '') {
    return true;
  }
  return [unit.name, unit.code, ...unit.areas, ...unit.keywords].some((value) =>
    value.toLowerCase().includes(needle),
  );
}

/** The tree pruned to the units that match and the units above them, so every match keeps its path. */
export function filterUnitTree<U extends UnitLike>(
  nodes: readonly UnitNode<U>[],
  text: string,
): UnitNode<U>[] {
  if (text.trim() === '') {
    return [...nodes];
  }
  const result: UnitNode<U>[] = [];
  for (const node of nodes) {
    const children = filterUnitTree(node.children ?? [], text);
    if (children.length > 0) {
      result.push({ ...node, children });
    } else if (unitMatches(node, text)) {
      result.push({ ...node, children: undefined });
    }
  }
  return result;
}

/** The ids of every node of a tree that has children: what "expand all" expands. */
export function branchIds(nodes: readonly UnitNode[]): string[] {
  return nodes.flatMap((node) => (node.children ? [node.id, ...branchIds(node.children)] : []));
}

/** A unit and every unit below it. */
export function subtreeIds(units: readonly UnitLike[], id: string): Set<string> {
  const result = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const unit of units) {
      if (unit.parentId !== null && result.has(unit.parentId) && !result.has(unit.id)) {
        result.add(unit.id);
        grew = true;
      }
    }
  }
  return result;
}

/**
 * Whether `parent` may be chosen as the parent of a unit of `level` (being edited: `unitId`): not the
 * unit itself or one of its sub-units, and not at a lower level.
 */
export function canBeParent(
  units: readonly UnitLike[],
  parent: UnitLike,
  child: { unitId?: string | null; level: UnitLevel },
): boolean {
  if (child.unitId && subtreeIds(units, child.unitId).has(parent.id)) {
    return false;
  }
  return levelFitsUnder(child.level, parent.level);
}

/** The names from the root down to the unit, e.g. 浙江省发改委 / 杭州市发改委. */
export function unitPath(units: readonly UnitLike[], id: string): string[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const path: string[] = [];
  const seen = new Set<string>();
  let cursor = byId.get(id);
  while (cursor && !seen.has(cursor.id)) {
    seen.add(cursor.id);
    path.unshift(cursor.name);
    cursor = cursor.parentId === null ? undefined : byId.get(cursor.parentId);
  }
  return path;
}
