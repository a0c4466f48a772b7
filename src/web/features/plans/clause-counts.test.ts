import { describe, expect, it } from 'vitest';
import { countByClause } from './clause-counts.ts';

type Counted = Parameters<typeof countByClause>[0][number];

const opinion = (overrides: Partial<Counted> = {}): Counted => ({
  clauseStableId: 'c1',
  status: 'submitted',
  blocking: false,
  proposedText: null,
  quality: { score: 90, flags: [] },
  ...overrides,
});

describe('countByClause', () => {
  it('counts opinions, blocking ones, proposed texts and quality flags per clause', () => {
    const counts = countByClause([
      opinion(),
      opinion({ blocking: true }),
      opinion({ proposedText: '修改为：……' }),
      opinion({ quality: { score: 40, flags: ['vague', 'no_reason'] } }),
      opinion({ clauseStableId: 'c2', blocking: true, proposedText: '新文本' }),
    ]);
    expect(counts.get('c1')).toEqual({ total: 4, blocking: 1, proposals: 1, flagged: 1 });
    expect(counts.get('c2')).toEqual({ total: 1, blocking: 1, proposals: 1, flagged: 0 });
    expect(counts.size).toBe(2);
  });

  it('leaves out withdrawn opinions and opinions on the whole draft', () => {
    const counts = countByClause([
      opinion({ status: 'withdrawn' }),
      opinion({ clauseStableId: null }),
      opinion({ status: 'draft' }),
    ]);
    expect(counts.get('c1')).toEqual({ total: 1, blocking: 0, proposals: 0, flagged: 0 });
    expect(counts.size).toBe(1);
  });

  it('does not count an empty proposed text as a proposal', () => {
    expect(countByClause([opinion({ proposedText: '' })]).get('c1')!.proposals).toBe(0);
  });

  it('is empty for no opinions', () => {
    expect(countByClause([]).size).toBe(0);
  });
});
