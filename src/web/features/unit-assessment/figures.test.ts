import { describe, expect, it } from 'vitest';
import { DEFAULT_UNIT_ASSESSMENT_WEIGHTS } from '../../../domain/unit-assessment.ts';
import {
  assessmentSearch,
  compareNullable,
  defaultPeriod,
  formatShare,
  reportHref,
  weightsProblem,
  weightsSum,
} from './figures.ts';

describe('unit assessment figures', () => {
  it('builds the query and the report address, escaping ids', () => {
    expect(assessmentSearch({ from: '2026-01-01', to: '2026-06-30' })).toBe('from=2026-01-01&to=2026-06-30');
    expect(
      assessmentSearch({ from: '2026-01-01', to: '2026-06-30', level: 'county', ownerUnitId: 'u 1' }),
    ).toBe('from=2026-01-01&to=2026-06-30&level=county&ownerUnitId=u+1');
    expect(reportHref('u/2', { from: '2026-01-01', to: '2026-06-30' })).toBe(
      '/api/v1/unit-assessment/units/u%2F2/report.docx?from=2026-01-01&to=2026-06-30',
    );
  });

  it('defaults to the China-local year so far', () => {
    // 2026-12-31T17:00Z is already 1 January 2027 in Beijing.
    expect(defaultPeriod(new Date('2026-12-31T17:00:00.000Z'))).toEqual({
      from: '2027-01-01',
      to: '2027-01-01',
    });
    expect(defaultPeriod(new Date('2026-05-06T02:00:00.000Z'))).toEqual({
      from: '2026-01-01',
      to: '2026-05-06',
    });
  });

  it('checks the weights as the server does', () => {
    expect(weightsProblem(DEFAULT_UNIT_ASSESSMENT_WEIGHTS)).toBeNull();
    expect(weightsSum({ onTime: 33.3, completeness: 33.3, validity: 33.4, adoption: 0, feedback: 0 })).toBe(
      100,
    );
    expect(weightsProblem({ ...DEFAULT_UNIT_ASSESSMENT_WEIGHTS, adoption: 120 })).toBe('adoption');
    expect(weightsProblem({ ...DEFAULT_UNIT_ASSESSMENT_WEIGHTS, onTime: Number.NaN })).toBe('onTime');
    expect(weightsProblem({ ...DEFAULT_UNIT_ASSESSMENT_WEIGHTS, feedback: 20 })).toBe('sum');
  });

  it('formats shares and sorts unknown values last', () => {
    expect(formatShare(null)).toBe('—');
    expect(formatShare(2 / 3)).toBe('66.7%');
    expect(formatShare(1)).toBe('100%');
    expect([null, 3, 1].sort((a, b) => compareNullable(a, b))).toEqual([1, 3, null]);
    // A descending table reverses the comparison: null must still end up last.
    expect([null, 1, 3].sort((a, b) => -compareNullable(a, b, 'descend'))).toEqual([3, 1, null]);
  });
});
