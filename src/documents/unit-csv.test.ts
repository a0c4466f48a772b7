import { describe, expect, it } from 'vitest';
import {
  decodeCsv,
  levelFitsUnder,
  parseUnitCsv,
  parseUnitLevel,
  splitResponsibilityList,
} from './unit-csv.ts';

const GB18030_ENCODER: Record<string, number[]> = {
  // 编码,名称,层级 / 省 in GB18030, so the test needs no encoder library.
  编: [0xb1, 0xe0],
  码: [0xc2, 0xeb],
  名: [0xc3, 0xfb],
  称: [0xb3, 0xc6],
  层: [0xb2, 0xe3],
  级: [0xbc, 0xb6],
  省: [0xca, 0xa1],
  发: [0xb7, 0xa2],
  改: [0xb8, 0xc4],
  委: [0xce, 0xaf],
};

function gb18030(text: string): Buffer {
  return Buffer.from([...text].flatMap((ch) => GB18030_ENCODER[ch] ?? [...Buffer.from(ch, 'ascii')]));
}

describe('parseUnitCsv', () => {
  it('reads English headers, lists with every separator, and line numbers', () => {
    const result = parseUnitCsv(
      [
        'code,name,parent_code,level,areas,keywords',
        'P1,省发展改革委,,province,发展规划;投资|价格,规划；项目、投资',
        '',
        'C1,市发展改革委,P1,City, 发展规划 ,',
      ].join('\n'),
    );
    expect(result.problems).toEqual([]);
    expect(result.hasParentColumn).toBe(true);
    expect(result.rows).toEqual([
      {
        line: 2,
        code: 'P1',
        name: '省发展改革委',
        parentCode: null,
        level: 'province',
        areas: ['发展规划', '投资', '价格'],
        keywords: ['规划', '项目', '投资'],
      },
      {
        line: 4,
        code: 'C1',
        name: '市发展改革委',
        parentCode: 'P1',
        level: 'city',
        areas: ['发展规划'],
        keywords: [],
      },
    ]);
  });

  it('reads Chinese headers and levels, with a BOM and CRLF line ends', () => {
    const text =
      '\uFEFF编码,名称,上级编码,层级,职责领域,关键词\r\n330000,浙江省,,省,,\r\n330100,杭州市,330000,市,,\r\n330106,西湖区,330100,县级,,\r\n';
    const result = parseUnitCsv(Buffer.from(text, 'utf8'));
    expect(result.problems).toEqual([]);
    expect(result.rows.map((r) => [r.line, r.code, r.level, r.parentCode])).toEqual([
      [2, '330000', 'province', null],
      [3, '330100', 'city', '330000'],
      [4, '330106', 'county', '330100'],
    ]);
  });

  it('counts the start line of a record whose quoted field spans lines', () => {
    const result = parseUnitCsv('code,name,level\nA,"第一行\n第二行",省\nB,乙,bad\n');
    expect(result.rows[0]).toMatchObject({ line: 2, name: '第一行\n第二行' });
    expect(result.problems).toEqual([
      { row: 4, field: 'level', problem: expect.stringContaining('unknown level "bad"') },
    ]);
  });

  it('reports every bad row: missing name, unknown level, duplicate code, wrong column count', () => {
    const result = parseUnitCsv(
      [
        'code,name,parent_code,level',
        'A,甲,,省',
        'B,,A,市',
        'C,丙,A,乡',
        'A,甲二,,省',
        'D,丁,A',
        ',戊,,县',
      ].join('\n'),
    );
    expect(result.rows.map((r) => r.code)).toEqual(['A']);
    expect(result.codes).toEqual(['A', 'B', 'C']);
    expect(result.problems).toEqual([
      { row: 3, field: 'name', problem: 'missing name' },
      { row: 4, field: 'level', problem: expect.stringContaining('unknown level "乡"') },
      { row: 5, field: 'code', problem: expect.stringContaining('duplicate code "A" (first on line 2)') },
      { row: 6, field: 'columns', problem: 'has 3 columns, the header has 4' },
      { row: 7, field: 'code', problem: 'missing code' },
    ]);
  });

  it('refuses unknown, repeated and missing header columns', () => {
    expect(parseUnitCsv('code,name,colour\nA,甲,red\n').problems).toEqual([
      { row: 1, field: 'colour', problem: 'unknown column' },
      { row: 1, field: 'level', problem: 'missing column' },
    ]);
    expect(parseUnitCsv('code,编码,name,level\n').problems).toEqual([
      { row: 1, field: '编码', problem: 'repeated column' },
    ]);
    expect(parseUnitCsv('').problems).toEqual([
      { row: 1, field: 'file', problem: 'the file is empty (no header row)' },
    ]);
  });

  it('reports a broken quote with its line instead of throwing', () => {
    const result = parseUnitCsv('code,name,level\nA,"甲,省\n');
    expect(result.rows).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ field: 'file' });
  });

  it('leaves optional columns out as null so an update keeps them', () => {
    const result = parseUnitCsv('code,name,level\nA,甲,province\n');
    expect(result.hasParentColumn).toBe(false);
    expect(result.rows[0]).toMatchObject({ parentCode: null, areas: null, keywords: null });
  });

  it('refuses a unit that is its own parent', () => {
    expect(parseUnitCsv('code,name,parent_code,level\nA,甲,A,省\n').problems).toEqual([
      { row: 2, field: 'parent_code', problem: 'a unit cannot be its own parent' },
    ]);
  });
});

describe('decodeCsv', () => {
  it('reads UTF-8 with or without a BOM, and GB18030 when the bytes are not UTF-8', () => {
    expect(decodeCsv(Buffer.from('\uFEFF编码', 'utf8'))).toBe('编码');
    expect(decodeCsv(Buffer.from('编码', 'utf8'))).toBe('编码');
    expect(decodeCsv('\uFEFF编码')).toBe('编码');
    expect(decodeCsv(gb18030('编码'))).toBe('编码');
  });

  it('parses a whole GB18030 file as Excel saves it', () => {
    const result = parseUnitCsv(gb18030('编码,名称,层级\r\nP1,省发改委,省\r\n'));
    expect(result.problems).toEqual([]);
    expect(result.rows[0]).toMatchObject({ code: 'P1', name: '省发改委', level: 'province' });
  });
});

describe('helpers', () => {
  it('reads levels in Chinese and English', () => {
    expect(parseUnitLevel('省')).toBe('province');
    expect(parseUnitLevel('市级')).toBe('city');
    expect(parseUnitLevel(' COUNTY ')).toBe('county');
    expect(parseUnitLevel('乡')).toBeNull();
  });

  it('splits lists on ; ； 、 and |, dropping blanks and repeats', () => {
    expect(splitResponsibilityList(' 交通 ;；水利、交通|| 能源 ')).toEqual(['交通', '水利', '能源']);
    expect(splitResponsibilityList('')).toEqual([]);
  });

  it('orders levels province > city > county', () => {
    expect(levelFitsUnder('city', 'province')).toBe(true);
    expect(levelFitsUnder('city', 'city')).toBe(true);
    expect(levelFitsUnder('province', 'county')).toBe(false);
  });
});
