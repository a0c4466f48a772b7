import { describe, expect, it } from 'vitest';
import { makeCsv, makeXlsx } from '../../test/library-factories.ts';
import { parseIndicatorRows, readIndicatorTable } from './indicator-table.ts';

const rows = (cells: string[][]) => cells.map((c, i) => ({ number: i + 1, cells: c }));

describe('indicator tables', () => {
  it('maps Chinese and English headers in any order and reads kinds, percents and years', () => {
    expect(
      parseIndicatorRows(
        rows([
          ['属性', '年份', '指标名称', '目标值', '地区'],
          ['约束性', '2025年', '森林覆盖率', '40.5%', '全省'],
          ['预期性', '2030', '常住人口城镇化率 🏙️', '1,234.5', ''],
        ]),
      ),
    ).toEqual([
      {
        row: 2,
        name: '森林覆盖率',
        value: 40.5,
        unit: '%',
        year: 2025,
        region: '全省',
        source: null,
        kind: 'binding',
      },
      {
        row: 3,
        name: '常住人口城镇化率 🏙️',
        value: 1234.5,
        unit: null,
        year: 2030,
        region: null,
        source: null,
        kind: 'expected',
      },
    ]);
  });

  it('names the row and column of the first bad cell', () => {
    const table = [
      ['name', 'value', 'year', 'kind'],
      ['GDP growth', '6', '2025', 'expected'],
    ];
    expect(() => parseIndicatorRows(rows([...table, ['CO2', '18', '2025', 'maybe']]))).toThrow(
      'Row 3, column "kind"',
    );
    expect(() => parseIndicatorRows(rows([...table, ['', '1', '2025', 'binding']]))).toThrow(
      'Row 3, column "name"',
    );
    expect(() => parseIndicatorRows(rows([...table, ['X', '1', '25', 'binding']]))).toThrow(
      'Row 3, column "year"',
    );
    expect(() =>
      parseIndicatorRows(
        rows([
          ['name', 'value', 'year'],
          ['x', '1', '2025'],
        ]),
      ),
    ).toThrow(/kind/);
    expect(() => parseIndicatorRows(rows([]))).toThrow(/empty/);
    expect(() => parseIndicatorRows(rows([table[0]!]))).toThrow(/no indicators/);
  });

  it('reads .xlsx and .csv files and refuses other types', async () => {
    const xlsx = await makeXlsx([
      ['指标', '数值', '年度', '性质'],
      ['研发投入强度', 2.8, 2025, '预期性'],
    ]);
    expect(await readIndicatorTable({ fileName: 'a.xlsx', data: xlsx })).toMatchObject([
      { row: 2, name: '研发投入强度', value: 2.8 },
    ]);
    const csv = makeCsv([
      ['name', 'value', 'year', 'kind'],
      ['Forest, coverage', '40', '2025', 'binding'],
    ]);
    expect(await readIndicatorTable({ fileName: 'a.csv', data: csv })).toMatchObject([
      { name: 'Forest, coverage' },
    ]);
    await expect(readIndicatorTable({ fileName: 'a.txt', data: csv })).rejects.toMatchObject({ status: 415 });
  });
});
