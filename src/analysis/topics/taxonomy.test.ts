import { describe, expect, it } from 'vitest';
import { validateTaxonomy } from './taxonomy.ts';

describe('validateTaxonomy', () => {
  it('accepts a valid taxonomy', () => {
    const taxonomy = { topics: [{ id: 'a', name: 'A' }], threshold: 0.7, minLabels: 5 };
    expect(validateTaxonomy(taxonomy)).toBe(taxonomy);
  });

  it('refuses no topics, blank or repeated ids, a bad threshold or minLabels', () => {
    expect(() => validateTaxonomy({ topics: [] })).toThrow('at least one topic');
    expect(() => validateTaxonomy({ topics: [{ id: ' ', name: 'x' }] })).toThrow('needs an id');
    expect(() =>
      validateTaxonomy({
        topics: [
          { id: 'a', name: 'A' },
          { id: 'a', name: 'B' },
        ],
      }),
    ).toThrow('appears twice');
    expect(() => validateTaxonomy({ topics: [{ id: 'a', name: 'A' }], threshold: 0 })).toThrow('threshold');
    expect(() => validateTaxonomy({ topics: [{ id: 'a', name: 'A' }], minLabels: 0.5 })).toThrow('minLabels');
  });
});
