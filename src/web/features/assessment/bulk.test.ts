import { describe, expect, it } from 'vitest';
import { BULK_CONFIRM_AT, needsConfirmation, selectableIds, summarizeBulk } from './bulk.ts';

const requested = [
  { id: 'a', regNo: '1-001-0001' },
  { id: 'b', regNo: '1-001-0002' },
  { id: 'c', regNo: null },
];

describe('selectableIds and needsConfirmation', () => {
  it('lets only submitted opinions be picked, keeping the table order', () => {
    expect(
      selectableIds([
        { id: 'x', status: 'submitted' },
        { id: 'y', status: 'withdrawn' },
        { id: 'z', status: 'draft' },
        { id: 'w', status: 'submitted' },
      ]),
    ).toEqual(['x', 'w']);
  });

  it('asks first from the threshold on', () => {
    expect(needsConfirmation(BULK_CONFIRM_AT - 1)).toBe(false);
    expect(needsConfirmation(BULK_CONFIRM_AT)).toBe(true);
  });
});

describe('summarizeBulk', () => {
  it('counts what was applied', () => {
    const created = requested.map((r) => ({ opinionId: r.id }));
    expect(summarizeBulk(requested, { ok: true, created })).toEqual({
      applied: 3,
      failed: [],
      retryIds: [],
      error: null,
    });
  });

  it('names each opinion the server refused, and offers the rest again', () => {
    const summary = summarizeBulk(requested, {
      ok: false,
      error: { message: '1 of the opinions …', details: { field: 'opinionIds', invalid: ['b', 'gone'] } },
    });
    expect(summary).toEqual({
      applied: 0,
      failed: [
        { id: 'b', regNo: '1-001-0002' },
        { id: 'gone', regNo: null },
      ],
      retryIds: ['a', 'c'],
      error: null,
    });
  });

  it('reports a refusal of the whole request as an error, with nothing to retry', () => {
    for (const details of [undefined, { field: 'templateId' }, { field: 'opinionIds', invalid: 'a' }]) {
      expect(
        summarizeBulk(requested, { ok: false, error: { message: 'The template is for 采纳', details } }),
      ).toEqual({ applied: 0, failed: [], retryIds: [], error: 'The template is for 采纳' });
    }
  });
});
