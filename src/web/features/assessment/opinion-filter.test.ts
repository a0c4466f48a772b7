import { describe, expect, it } from 'vitest';
import { activeFilters, filterQuery, opinionQuery, withFilter } from './opinion-filter.ts';

describe('opinionQuery', () => {
  it('turns every set filter into its query parameter, in a stable order, with the page size', () => {
    const query = opinionQuery(
      {
        dispositionStatus: 'pending',
        priority: 'core',
        quality: 'no_reasons',
        kind: 'substantive',
        status: 'submitted',
        level: 'county',
        unit: 'u1',
        clause: 'c1',
        hasProposal: true,
      },
      { limit: 200 },
    );
    expect(query.toString()).toBe(
      'clause=c1&unit=u1&level=county&status=submitted&kind=substantive&quality=no_reasons&priority=core&dispositionStatus=pending&hasProposal=true&limit=200',
    );
  });

  it('leaves out unset and empty filters, and adds the cursor of later pages', () => {
    expect(opinionQuery({ clause: '', quality: undefined }, { limit: 50 }).toString()).toBe('limit=50');
    expect(opinionQuery({ priority: 'none' }, { limit: 50, cursor: 'abc=' }).toString()).toBe(
      'priority=none&limit=50&cursor=abc%3D',
    );
    expect(opinionQuery({}, { limit: 50, cursor: null }).has('cursor')).toBe(false);
  });

  it('sends a false proposal filter, which narrows the list as much as a true one', () => {
    expect(filterQuery({ hasProposal: false }).toString()).toBe('hasProposal=false');
    expect(filterQuery({ hasProposal: undefined }).toString()).toBe('');
  });

  it('gives the count the same filters without paging', () => {
    expect(filterQuery({ quality: 'valid', level: 'city' }).toString()).toBe('level=city&quality=valid');
    expect(filterQuery({}).toString()).toBe('');
  });

  it('encodes what it is given rather than trusting it', () => {
    expect(opinionQuery({ clause: 'a&b=c' }, { limit: 1 }).get('clause')).toBe('a&b=c');
    expect(opinionQuery({ clause: 'a&b=c' }, { limit: 1 }).toString()).toBe('clause=a%26b%3Dc&limit=1');
  });
});

describe('withFilter and activeFilters', () => {
  it('sets a filter, and removes it when cleared, without touching the others', () => {
    const base = { kind: 'editorial' as const };
    const set = withFilter(base, 'priority', 'core');
    expect(set).toEqual({ kind: 'editorial', priority: 'core' });
    expect(base).toEqual({ kind: 'editorial' });
    expect(withFilter(set, 'priority', undefined)).toEqual({ kind: 'editorial' });
    expect(withFilter(set, 'priority', null)).toEqual({ kind: 'editorial' });
    expect(activeFilters(set)).toBe(2);
    expect(activeFilters({})).toBe(0);
    expect(activeFilters({ clause: '' })).toBe(0);
    expect(activeFilters({ hasProposal: false })).toBe(1);
    expect(withFilter({}, 'hasProposal', false)).toEqual({ hasProposal: false });
    expect(withFilter({ hasProposal: true }, 'hasProposal', undefined)).toEqual({});
  });
});
