/**
 * The unit directory as CSV, in the columns the server's importer reads (POST /units/import): code, name,
 * parent code, level, responsibility areas and keywords, with English or Chinese headers.
 */
import type { UnitLevel, UnitLike } from './unit-tree.ts';
import { buildUnitTree } from './unit-tree.ts';

export type CsvLanguage = 'zh-CN' | 'en';

export type UnitCsvColumn = 'code' | 'name' | 'parent_code' | 'level' | 'areas' | 'keywords';

export const UNIT_CSV_COLUMNS: readonly UnitCsvColumn[] = [
  'code',
  'name',
  'parent_code',
  'level',
  'areas',
  'keywords',
];

/** The Chinese headers the importer accepts for each column. */
export const CHINESE_HEADERS: Record<UnitCsvColumn, string> = {
  code: '编码',
  name: '名称',
  parent_code: '上级编码',
  level: '层级',
  areas: '职责领域',
  keywords: '关键词',
};

const LEVEL_WORDS: Record<CsvLanguage, Record<UnitLevel, string>> = {
  'zh-CN': { province: '省', city: '市', county: '县' },
  en: { province: 'province', city: 'city', county: 'county' },
};

/** Items of a list cell: the importer splits on ; ； 、 or |. */
const LIST_SEPARATOR: Record<CsvLanguage, string> = { 'zh-CN': '、', en: ';' };

/** One CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const csvLine = (fields: readonly string[]): string => fields.map(csvField).join(',');

export function csvHeader(language: CsvLanguage): string[] {
  return UNIT_CSV_COLUMNS.map((c) => (language === 'zh-CN' ? CHINESE_HEADERS[c] : c));
}

interface CsvUnit {
  code: string;
  name: string;
  parentCode: string;
  level: UnitLevel;
  areas: string[];
  keywords: string[];
}

function toCsv(rows: readonly CsvUnit[], language: CsvLanguage): string {
  const separator = LIST_SEPARATOR[language];
  const lines = [
    csvLine(csvHeader(language)),
    ...rows.map((row) =>
      csvLine([
        row.code,
        row.name,
        row.parentCode,
        LEVEL_WORDS[language][row.level],
        row.areas.join(separator),
        row.keywords.join(separator),
      ]),
    ),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

const EXAMPLES: Record<CsvLanguage, CsvUnit[]> = {
  'zh-CN': [
    {
      code: '330000-FGW',
      name: '浙江省发展和改革委员会',
      parentCode: '',
      level: 'province',
      areas: ['发展规划', '投资管理'],
      keywords: ['规划', '重大项目'],
    },
    {
      code: '330100-FGW',
      name: '杭州市发展和改革委员会',
      parentCode: '330000-FGW',
      level: 'city',
      areas: ['发展规划'],
      keywords: ['杭州'],
    },
    {
      code: '330106-FGJ',
      name: '西湖区发展和改革局',
      parentCode: '330100-FGW',
      level: 'county',
      areas: [],
      keywords: [],
    },
  ],
  en: [
    {
      code: 'P-DRC',
      name: 'Provincial Development and Reform Commission',
      parentCode: '',
      level: 'province',
      areas: ['Development planning', 'Investment'],
      keywords: ['planning'],
    },
    {
      code: 'C-DRC',
      name: 'City Development and Reform Commission',
      parentCode: 'P-DRC',
      level: 'city',
      areas: ['Development planning'],
      keywords: [],
    },
    {
      code: 'K-DRB',
      name: 'County Development and Reform Bureau',
      parentCode: 'C-DRC',
      level: 'county',
      areas: [],
      keywords: [],
    },
  ],
};

/** A template to fill in: the header and three example rows, a province, a city under it and a county. */
export function unitCsvTemplate(language: CsvLanguage): string {
  return toCsv(EXAMPLES[language], language);
}

/** The directory as it stands, parents before children: edit it in a spreadsheet and import it back. */
export function unitsToCsv(units: readonly UnitLike[], language: CsvLanguage): string {
  const codeOf = new Map(units.map((u) => [u.id, u.code]));
  const rows: CsvUnit[] = [];
  const walk = (nodes: ReturnType<typeof buildUnitTree>) => {
    for (const node of nodes) {
      rows.push({
        code: node.code,
        name: node.name,
        parentCode: node.parentId === null ? '' : (codeOf.get(node.parentId) ?? ''),
        level: node.level,
        areas: node.areas,
        keywords: node.keywords,
      });
      walk(node.children ?? []);
    }
  };
  walk(buildUnitTree(units));
  return toCsv(rows, language);
}

/** A link target for downloading CSV text; the BOM makes Excel read it as UTF-8. */
export function csvDataUrl(text: string): string {
  return `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${text}`)}`;
}

/** One problem the importer found: the line of the file (the header is line 1), the column, and what. */
export interface ImportProblem {
  row: number;
  field: string;
  problem: string;
}

/** The problems of a refused import (an `invalid_csv` error's details); [] for anything else. */
export function importProblemsOf(details: unknown): ImportProblem[] {
  if (!Array.isArray(details)) {
    return [];
  }
  return details.flatMap((item: unknown) => {
    const candidate = item as Partial<ImportProblem> | null;
    return candidate &&
      typeof candidate.row === 'number' &&
      typeof candidate.field === 'string' &&
      typeof candidate.problem === 'string'
      ? [{ row: candidate.row, field: candidate.field, problem: candidate.problem }]
      : [];
  });
}
