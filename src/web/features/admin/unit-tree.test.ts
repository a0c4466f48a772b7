import { describe, expect, it } from 'vitest';
import { levelFitsUnder as serverLevelFitsUnder } from '../../../documents/unit-csv.ts';
import type { UnitLevel, UnitLike } from './unit-tree.ts';
import {
  branchIds,
  buildUnitTree,
  canBeParent,
  filterUnitTree,
  levelFitsUnder,
  subtreeIds,
  UNIT_LEVELS,
  unitMatches,
  unitPath,
} from './unit-tree.ts';

const unit = (id: string, parentId: string | null, level: UnitLevel, extra: Partial<UnitLike> = {}) => ({
  id,
  code: id,
  name: `单位${id}`,
  parentId,
  level,
  areas: [],
  keywords: [],
  ...extra,
});

const directory = [
  unit('K2', 'C1', 'county'),
  unit('C1', 'P', 'city', { areas: ['交通运输'] }),
  unit('P', null, 'province', { name: '浙江省发改委' }),
  unit('K1', 'C1', 'county', { keywords: ['水利'] }),
  unit('C2', 'P', 'city'),
  unit('Q', null, 'province'),
];

const shape = (nodes: ReturnType<typeof buildUnitTree>): unknown =>
  nodes.map((n) => (n.children ? { [n.id]: shape(n.children) } : n.id));

describe('buildUnitTree', () => {
  it('nests units under their parents, each level by code, leaves without children', () => {
    const tree = buildUnitTree(directory);
    expect(shape(tree)).toEqual([{ P: [{ C1: ['K1', 'K2'] }, 'C2'] }, 'Q']);
    expect(tree[1]).not.toHaveProperty('children');
    expect(tree[0]?.name).toBe('浙江省发改委');
  });

  it('makes a unit with an unknown parent a root, and keeps units caught in a cycle', () => {
    const tree = buildUnitTree([unit('X', 'gone', 'city'), unit('A', 'B', 'city'), unit('B', 'A', 'city')]);
    expect(shape(tree)).toEqual(['X', { A: ['B'] }]);
  });

  it('gives an empty tree for no units', () => {
    expect(buildUnitTree([])).toEqual([]);
  });
});

describe('filterUnitTree', () => {
  const tree = buildUnitTree(directory);

  it('keeps the matches and the path down to them', () => {
    expect(shape(filterUnitTree(tree, '水利'))).toEqual([{ P: [{ C1: ['K1'] }] }]);
    expect(shape(filterUnitTree(tree, 'c1'))).toEqual([{ P: ['C1'] }]);
    expect(shape(filterUnitTree(tree, '交通'))).toEqual([{ P: ['C1'] }]);
  });

  it('returns the whole tree for blank text and nothing when nothing matches', () => {
    expect(filterUnitTree(tree, '  ')).toEqual(tree);
    expect(filterUnitTree(tree, '没有这个')).toEqual([]);
  });

  it('matches name, code and responsibilities, ignoring case', () => {
    expect(unitMatches(directory[1]!, '交通')).toBe(true);
    expect(unitMatches(directory[3]!, 'k1')).toBe(true);
    expect(unitMatches(directory[3]!, '交通')).toBe(false);
  });
});

describe('hierarchy helpers', () => {
  it('lists branch ids for expanding everything', () => {
    expect(branchIds(buildUnitTree(directory))).toEqual(['P', 'C1']);
  });

  it('finds a subtree, the unit included', () => {
    expect([...subtreeIds(directory, 'P')].sort()).toEqual(['C1', 'C2', 'K1', 'K2', 'P']);
    expect([...subtreeIds(directory, 'K1')]).toEqual(['K1']);
  });

  it('offers as parents only units above or at the level, outside the unit’s own subtree', () => {
    const byId = new Map(directory.map((u) => [u.id, u]));
    const p = byId.get('P')!;
    const c1 = byId.get('C1')!;
    const k1 = byId.get('K1')!;
    expect(canBeParent(directory, p, { level: 'city' })).toBe(true);
    expect(canBeParent(directory, k1, { level: 'city' })).toBe(false);
    expect(canBeParent(directory, c1, { level: 'county' })).toBe(true);
    expect(canBeParent(directory, k1, { unitId: 'C1', level: 'city' })).toBe(false);
    expect(canBeParent(directory, c1, { unitId: 'C1', level: 'city' })).toBe(false);
    expect(canBeParent(directory, byId.get('Q')!, { unitId: 'C1', level: 'city' })).toBe(true);
  });

  it('agrees with the server on which levels fit under which', () => {
    for (const child of UNIT_LEVELS) {
      for (const parent of UNIT_LEVELS) {
        expect(levelFitsUnder(child, parent)).toBe(serverLevelFitsUnder(child, parent));
      }
    }
  });

  it('names the path from the root', () => {
    expect(unitPath(directory, 'K1')).toEqual(['浙江省发改委', '单位C1', '单位K1']);
    expect(unitPath(directory, 'nope')).toEqual([]);
  });
});
