import { describe, expect, it } from 'vitest';
import { parseUnitCsv } from '../../../documents/unit-csv.ts';
import {
  csvDataUrl,
  csvField,
  csvHeader,
  importProblemsOf,
  unitCsvTemplate,
  unitsToCsv,
} from './unit-csv.ts';
import type { UnitLike } from './unit-tree.ts';

describe('the unit CSV template', () => {
  for (const language of ['zh-CN', 'en'] as const) {
    it(`is read by the server's importer without a problem (${language})`, () => {
      const parsed = parseUnitCsv(unitCsvTemplate(language));
      expect(parsed.problems).toEqual([]);
      expect(parsed.hasParentColumn).toBe(true);
      expect(parsed.rows.map((r) => r.level)).toEqual(['province', 'city', 'county']);
      expect(parsed.rows[1]?.parentCode).toBe(parsed.rows[0]?.code);
      expect(parsed.rows[2]?.parentCode).toBe(parsed.rows[1]?.code);
      expect(parsed.rows[0]?.areas?.length).toBe(2);
    });
  }

  it('uses Chinese headers in Chinese and the English column names otherwise', () => {
    expect(csvHeader('zh-CN')).toEqual(['编码', '名称', '上级编码', '层级', '职责领域', '关键词']);
    expect(csvHeader('en')).toEqual(['code', 'name', 'parent_code', 'level', 'areas', 'keywords']);
    expect(unitCsvTemplate('zh-CN').split('\r\n')[0]).toBe('编码,名称,上级编码,层级,职责领域,关键词');
  });

  it('quotes fields with commas, quotes and line breaks', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('makes a UTF-8 data URL with a BOM for Excel', () => {
    const url = csvDataUrl('编码\r\n');
    expect(url.startsWith('data:text/csv;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe('\uFEFF编码\r\n');
  });
});

describe('exporting the directory', () => {
  const units: UnitLike[] = [
    {
      id: 'c',
      code: 'C',
      name: '市, "委"',
      parentId: 'p',
      level: 'city',
      areas: ['交通', '水利'],
      keywords: [],
    },
    { id: 'p', code: 'P', name: '省委', parentId: null, level: 'province', areas: [], keywords: ['规划'] },
  ];

  it('writes parents first, and reads back as the same units', () => {
    const text = unitsToCsv(units, 'en');
    expect(text.split('\r\n')[1]).toBe('P,省委,,province,,规划');
    const parsed = parseUnitCsv(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.rows).toEqual([
      expect.objectContaining({ code: 'P', parentCode: null, level: 'province', keywords: ['规划'] }),
      expect.objectContaining({ code: 'C', name: '市, "委"', parentCode: 'P', areas: ['交通', '水利'] }),
    ]);
    expect(parseUnitCsv(unitsToCsv(units, 'zh-CN')).rows[1]).toMatchObject({
      level: 'city',
      areas: ['交通', '水利'],
    });
  });
});

describe('importProblemsOf', () => {
  it('keeps well-formed problems of an invalid_csv error and nothing else', () => {
    expect(
      importProblemsOf([
        { row: 3, field: 'parent_code', problem: 'unknown parent code "X"' },
        { row: 'x', field: 'a', problem: 'b' },
        null,
      ]),
    ).toEqual([{ row: 3, field: 'parent_code', problem: 'unknown parent code "X"' }]);
    expect(importProblemsOf({ field: 'file' })).toEqual([]);
    expect(importProblemsOf(undefined)).toEqual([]);
  });
});
