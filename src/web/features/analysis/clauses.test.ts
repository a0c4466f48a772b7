import { describe, expect, it } from 'vitest';
import type { Clause } from '../plans/api.ts';
import { clauseChoices, clauseName, flattenClauses, summaryRounds } from './clauses.ts';

const clause = (stableId: string, over: Partial<Clause> = {}, children: Clause[] = []): Clause => ({
  id: stableId,
  stableId,
  kind: 'article',
  number: null,
  heading: null,
  text: '',
  path: '',
  children,
  ...over,
});

describe('clauses in pickers', () => {
  const tree = [
    clause('ch1', { kind: 'chapter', number: '第一章', heading: '总体要求' }, [
      clause('a1', { number: '第一条', text: '坚持创新驱动。' }),
      clause('a2', { number: '第二条', text: '到2030年比重达到15%。' }),
    ]),
    clause('a3', {
      text: 'Build a provincial computing platform 💻 for every city and county in the province.',
    }),
    clause('empty'),
  ];

  it('reads the tree in order', () => {
    expect(flattenClauses(tree).map((c) => c.stableId)).toEqual(['ch1', 'a1', 'a2', 'a3', 'empty']);
    expect(flattenClauses([])).toEqual([]);
  });

  it('names a clause by number and heading, else by the start of its text', () => {
    expect(clauseName(tree[0]!)).toBe('第一章 总体要求');
    expect(clauseName(clause('x', { text: '坚持创新驱动' }))).toBe('坚持创新驱动');
    expect(clauseName(clause('x', { text: '😀'.repeat(30) }), 5)).toBe('😀😀😀😀😀…');
    expect(clauseName(clause('x', { text: '' }))).toBe('');
    expect(clauseName(clause('x', { text: '长'.repeat(100_000) })).length).toBe(25);
  });

  it('lists clauses with opinions first, and leaves out empty ones', () => {
    const choices = clauseChoices(
      tree,
      new Map([
        ['a2', 4],
        ['a3', 1],
      ]),
    );
    expect(choices.map((c) => [c.value, c.count])).toEqual([
      ['a2', 4],
      ['a3', 1],
      ['ch1', 0],
      ['a1', 0],
    ]);
  });
});

describe('the round of a clause summary', () => {
  it('starts from the latest round that has opened', () => {
    const rounds = [
      { id: 'r1', seq: 1, status: 'finished' },
      { id: 'r3', seq: 3, status: 'draft' },
      { id: 'r2', seq: 2, status: 'open' },
    ];
    const { rounds: ordered, initial } = summaryRounds(rounds);
    expect(ordered.map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
    expect(initial).toBe('r2');
  });

  it('falls back to the latest, and to nothing without rounds', () => {
    expect(summaryRounds([{ id: 'a', seq: 1, status: 'scheduled' }]).initial).toBe('a');
    expect(summaryRounds([])).toEqual({ rounds: [], initial: undefined });
  });
});
