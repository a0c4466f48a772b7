import { describe, expect, it } from 'vitest';
import { exportHref, PER_UNIT_EXPORTS } from './exports.ts';

describe('exportHref', () => {
  it('addresses a whole-round export in a format', () => {
    expect(exportHref('r1', 'report', 'docx')).toBe('/api/v1/rounds/r1/exports/report?format=docx');
  });

  it('narrows to one unit when given, encoding the ids', () => {
    expect(exportHref('r 1', 'opinions', 'xlsx', 'u/2')).toBe(
      '/api/v1/rounds/r%201/exports/opinions?format=xlsx&unitId=u%2F2',
    );
    expect(exportHref('r1', 'opinions', 'xlsx', '')).toBe('/api/v1/rounds/r1/exports/opinions?format=xlsx');
  });

  it('offers per unit exactly the tables the server narrows', () => {
    expect(PER_UNIT_EXPORTS.map((e) => e.kind)).toEqual(['opinions', 'dispositions']);
  });
});
