import { crc32 } from 'node:zlib';
import {
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx';
import { describe, expect, it } from 'vitest';
import {
  fixturesAvailable,
  importFixture,
  listFixtures,
  readFixture,
  warnIfFixturesAbsent,
} from '../../test/fixtures.ts';
import { toChineseNumber } from '../domain/chinese-numerals.ts';
import type { ClauseKind, ParsedClause } from '../domain/clause.ts';
import { countByKind, flattenClauses, NUMBERED_KIND_RANK, walkClauses } from '../domain/clause.ts';
import { isAppError } from '../domain/errors.ts';
import type { ErrorCode } from '../domain/errors.ts';
import {
  decodeText,
  detectFormat,
  htmlToBlocks,
  importDraftDocument,
  markdownToBlocks,
  readDocument,
} from './read-document.ts';

const DRAFTS = 'drafts';
const STATE_COUNCIL = 'drafts/state_council_policies_2018-2019_part1.json';
const haveFixtures = warnIfFixturesAbsent(
  'Markdown laws and State Council documents in read-document.test.ts',
);

async function expectAppError(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isAppError(error), `expected AppError ${code}, got ${String(error)}`).toBe(true);
  if (isAppError(error)) {
    expect(error.code).toBe(code);
    expect(error.details).toMatchObject({ field: 'file' });
  }
}

// ------------------------------------------------------------------------------------------- fixtures

interface LawFacts {
  chapters: number;
  sections: number;
  articles: number;
  items: number;
}

/** Counted by hand from the published texts; the test also recounts them from the raw lines. */
const KNOWN_LAWS: Record<string, LawFacts> = {
  '个人信息保护法(2021-08-20).md': { chapters: 8, sections: 3, articles: 74, items: 62 },
  '数据安全法(2021-06-10).md': { chapters: 7, sections: 0, articles: 55, items: 0 },
  '环境保护法(2014-04-24).md': { chapters: 7, sections: 0, articles: 70, items: 15 },
  '优化营商环境条例(2019-10-22).md': { chapters: 7, sections: 0, articles: 72, items: 19 },
  '上海市优化营商环境条例(2020-04-10).md': { chapters: 8, sections: 0, articles: 80, items: 5 },
  '上海市优化营商环境条例(2024-09-27).md': { chapters: 8, sections: 0, articles: 97, items: 5 },
};

const CN_DIGITS = '[一二三四五六七八九十百零〇]+';

/** An independent count over the raw Markdown lines. */
function countLines(markdown: string): LawFacts & { articleRests: string[] } {
  const rows = markdown.split(/\r?\n/);
  const articleRe = new RegExp(`^第${CN_DIGITS}条[\\s\\u3000]+(.*)$`);
  const articleRests: string[] = [];
  for (const row of rows) {
    const m = articleRe.exec(row);
    if (m) {
      articleRests.push((m[1] ?? '').replace(/\s+/g, ' ').trim());
    }
  }
  return {
    chapters: rows.filter((r) => new RegExp(`^##\\s+第${CN_DIGITS}章`).test(r)).length,
    sections: rows.filter((r) => new RegExp(`^###\\s+第${CN_DIGITS}节`).test(r)).length,
    articles: articleRests.length,
    items: rows.filter((r) => new RegExp(`^[（(]${CN_DIGITS}[）)]`).test(r)).length,
    articleRests,
  };
}

function ordinalsOf(clauses: readonly ParsedClause[], kind: ClauseKind): number[] {
  const out: number[] = [];
  walkClauses(clauses, (c) => {
    if (c.kind === kind) {
      out.push(c.ordinal ?? -1);
    }
  });
  return out;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe.skipIf(!haveFixtures)('Markdown laws (shared fixtures)', () => {
  const files = listFixtures(DRAFTS, '.md');

  it('finds every law the facts table knows', () => {
    expect(files.map((f) => f.split('/').at(-1)).sort()).toEqual(Object.keys(KNOWN_LAWS).sort());
  });

  it.each(files)(
    '%s: chapters, sections and articles match the raw lines and the known facts',
    async (file) => {
      const name = file.split('/').at(-1) ?? file;
      const doc = await importFixture(file);
      const raw = readFixture(file).toString('utf8');
      const lines = countLines(raw);
      const counts = countByKind(doc);

      expect(doc.format).toBe('markdown');
      expect(doc.title).toBe(/^#\s+(.*)$/m.exec(raw)?.[1]?.trim());
      expect({
        chapters: counts.chapter,
        sections: counts.section,
        articles: counts.article,
        items: counts['cn-paren'],
      }).toEqual({
        chapters: lines.chapters,
        sections: lines.sections,
        articles: lines.articles,
        items: lines.items,
      });
      expect({
        chapters: counts.chapter,
        sections: counts.section,
        articles: counts.article,
        items: counts['cn-paren'],
      }).toEqual(KNOWN_LAWS[name]);
      expect(counts.part + counts['cn-enum'] + counts.arabic + counts.box + counts.heading).toBe(0);
      expect(doc.warnings).toEqual([]);

      // Ordinals run 1..n (articles and chapters through the whole law), and the number is the ordinal written out.
      expect(ordinalsOf(doc.clauses, 'article')).toEqual(range(lines.articles));
      expect(ordinalsOf(doc.clauses, 'chapter')).toEqual(range(lines.chapters));
      const flat = flattenClauses(doc);
      for (const c of flat) {
        if (c.kind === 'article') {
          expect(c.number).toBe(`第${toChineseNumber(c.ordinal ?? 0)}条`);
        }
        if (c.kind === 'chapter') {
          expect(c.number).toBe(`第${toChineseNumber(c.ordinal ?? 0)}章`);
          expect(c.heading).not.toMatch(/\s/);
        }
      }
      for (const chapter of doc.clauses.filter((c) => c.kind === 'chapter')) {
        const sections = chapter.children.filter((c) => c.kind === 'section');
        expect(sections.map((s) => s.ordinal)).toEqual(range(sections.length));
      }

      // Each article's first line is the text after its marker in the raw file; items are its children.
      const articles = flat.filter((c) => c.kind === 'article');
      expect(articles.map((a) => a.text.split('\n')[0])).toEqual(lines.articleRests);
      walkClauses(doc.clauses, (c, parent) => {
        if (c.kind === 'article') {
          expect(['chapter', 'section']).toContain(parent?.kind);
        }
        if (c.kind === 'cn-paren') {
          expect(parent?.kind).toBe('article');
          expect(c.heading).toBeNull();
        }
        if (c.kind === 'section') {
          expect(parent?.kind).toBe('chapter');
        }
      });
      // The metadata lines before the first chapter form one preamble paragraph.
      expect(doc.clauses[0]?.kind).toBe('paragraph');
      expect(doc.clauses.slice(1).every((c) => c.kind === 'chapter')).toBe(true);
    },
  );

  it('reads 第X条 numbers of three characters and more (第七十四条, 第九十七条)', async () => {
    const pipl = flattenClauses(await importFixture(`${DRAFTS}/个人信息保护法(2021-08-20).md`));
    const last = pipl.filter((c) => c.kind === 'article').at(-1);
    expect(last).toMatchObject({ number: '第七十四条', ordinal: 74 });
    expect(last?.path).toBe('第八章/第七十四条');
    const sections = pipl.filter((c) => c.kind === 'section');
    expect(sections.map((s) => s.path)).toEqual(['第二章/第一节', '第二章/第二节', '第二章/第三节']);
    const shanghai = flattenClauses(await importFixture(`${DRAFTS}/上海市优化营商环境条例(2024-09-27).md`));
    expect(shanghai.filter((c) => c.kind === 'article').at(-1)).toMatchObject({
      number: '第九十七条',
      ordinal: 97,
    });
  });
});

interface StateCouncilDocument {
  id: number;
  title: string;
  text: string;
}

function markerLineCounts(text: string): Partial<Record<ClauseKind, number>> {
  const rows = text.split('\n').map((r) => r.trim());
  const count = (re: RegExp): number => rows.filter((r) => re.test(r)).length;
  return {
    'cn-enum': count(/^[一二三四五六七八九十]+、/),
    'cn-paren': count(/^[（(][一二三四五六七八九十]+[）)]/),
    arabic: count(/^[0-9]{1,3}(?:[.．](?![0-9])|、)/),
    'arabic-paren': count(/^[（(][0-9]{1,3}[）)]/),
    article: count(/^第[一二三四五六七八九十百]+条\s/),
    chapter: count(/^第[一二三四五六七八九十]+章/),
  };
}

describe.skipIf(!fixturesAvailable(STATE_COUNCIL))(
  'State Council documents as plain text (shared fixtures)',
  () => {
    const documents = fixturesAvailable(STATE_COUNCIL)
      ? (JSON.parse(readFixture(STATE_COUNCIL).toString('utf8')) as StateCouncilDocument[])
      : [];

    it('has 30 documents', () => {
      expect(documents).toHaveLength(30);
    });

    it('imports all 30 with 一、 → （一） → 1. → （1） nesting, each marker line becoming one clause', async () => {
      let enumWithParenChildren = 0;
      let parenWithArabicChildren = 0;
      let titles = 0;
      let unstructured = 0;
      for (const source of documents) {
        const doc = await importDraftDocument({
          fileName: `${source.id}.txt`,
          data: Buffer.from(source.text, 'utf8'),
        });
        expect(doc.format).toBe('text');
        expect(doc.clauses.length).toBeGreaterThan(0);
        if (doc.title === source.title) {
          titles += 1;
        }
        const counts = countByKind(doc);
        if (doc.warnings.some((w) => w.startsWith('No clause numbering'))) {
          unstructured += 1;
          expect(counts.paragraph).toBe(doc.clauses.length);
          continue;
        }
        expect(counts, `document ${source.id}`).toMatchObject(markerLineCounts(source.text));

        let hasEnumParen = false;
        let hasParenArabic = false;
        walkClauses(doc.clauses, (clause, parent) => {
          const rank = NUMBERED_KIND_RANK[clause.kind];
          const parentRank = parent === null ? undefined : NUMBERED_KIND_RANK[parent.kind];
          if (rank !== undefined && parentRank !== undefined) {
            expect(
              parentRank,
              `${parent?.number ?? ''} > ${clause.number ?? ''} in ${source.id}`,
            ).toBeLessThan(rank);
          }
          if (clause.kind === 'cn-paren') {
            expect(['cn-enum', 'article', 'heading', 'box', 'chapter', 'section', undefined]).toContain(
              parent?.kind,
            );
            hasEnumParen ||= parent?.kind === 'cn-enum';
          }
          if (clause.kind === 'arabic') {
            expect(['cn-paren', 'cn-enum', 'article', 'heading', 'box', 'section', undefined]).toContain(
              parent?.kind,
            );
            hasParenArabic ||= parent?.kind === 'cn-paren';
          }
          if (clause.kind === 'arabic-paren') {
            expect(['arabic', 'cn-paren', 'cn-enum', 'article', 'box']).toContain(parent?.kind);
          }
          if (clause.kind === 'paragraph') {
            expect(parent).toBeNull();
            expect(clause.children).toEqual([]);
          }
        });
        if (hasEnumParen) {
          enumWithParenChildren += 1;
        }
        if (hasParenArabic) {
          parenWithArabicChildren += 1;
        }
      }
      expect(enumWithParenChildren).toBe(16);
      expect(parenWithArabicChildren).toBe(4);
      expect(unstructured).toBe(7);
      // Titles broken over two or three lines are joined back.
      expect(titles).toBe(30);
    });

    it('gives the closing signature its own clause and heads items with their short first sentence', async () => {
      const first = documents[0];
      if (first === undefined) {
        return;
      }
      const doc = await importDraftDocument({ fileName: 'first.txt', data: Buffer.from(first.text, 'utf8') });
      const last = doc.clauses.at(-1);
      expect(last?.kind).toBe('paragraph');
      expect(last?.text.split('\n')).toHaveLength(3);
      const flat = flattenClauses(doc);
      const parens = flat.filter((c) => c.kind === 'cn-paren');
      expect(parens.length).toBe(10);
      for (const clause of parens) {
        expect(clause.heading).not.toBeNull();
        expect(clause.text.length).toBeGreaterThan(0);
        expect(clause.path).toMatch(/^[一二三四]、\/（[一二三四五六七]）$/);
      }
    });
  },
);

// --------------------------------------------------------------------------- docx and Markdown twins

type Piece =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; rows: string[][] };

const SAMPLE: Piece[] = [
  { kind: 'title', text: '某县乡村振兴促进办法' },
  { kind: 'paragraph', text: '（草案征求意见稿）' },
  { kind: 'heading', level: 2, text: '第一章 总 则' },
  { kind: 'paragraph', text: '第一条 为了全面推进乡村振兴，根据有关法律法规，结合本县实际，制定本办法。' },
  { kind: 'paragraph', text: '第二条 乡村振兴应当坚持以下原则：' },
  { kind: 'paragraph', text: '（一）坚持农业农村优先发展；' },
  { kind: 'paragraph', text: '（二）坚持农民主体地位；' },
  { kind: 'paragraph', text: '（三）坚持因地制宜、循序渐进。' },
  { kind: 'paragraph', text: '县人民政府应当定期评估本条规定的落实情况。' },
  { kind: 'heading', level: 2, text: '第二章 产业发展' },
  { kind: 'heading', level: 3, text: '第一节 特色产业' },
  { kind: 'paragraph', text: '第三条 县人民政府支持发展茶叶、中药材等特色产业。' },
  {
    kind: 'table',
    rows: [
      ['专栏1', '特色产业工程'],
      ['茶叶基地', '新增一万亩'],
    ],
  },
  { kind: 'heading', level: 3, text: '第二节 融合发展' },
  { kind: 'paragraph', text: '第四条 鼓励发展乡村旅游、休闲农业和农村电子商务。' },
  { kind: 'heading', level: 2, text: '附录说明' },
  { kind: 'paragraph', text: '本办法由县农业农村局负责解释。' },
];

function toMarkdown(pieces: readonly Piece[]): string {
  return pieces
    .map((piece) => {
      switch (piece.kind) {
        case 'title':
          return `# ${piece.text}`;
        case 'heading':
          return `${'#'.repeat(piece.level)} ${piece.text}`;
        case 'paragraph':
          return piece.text;
        case 'table':
          return [
            `| ${piece.rows[0]?.join(' | ') ?? ''} |`,
            `|${piece.rows[0]?.map(() => '---').join('|') ?? ''}|`,
            ...piece.rows.slice(1).map((row) => `| ${row.join(' | ')} |`),
          ].join('\n');
      }
    })
    .join('\n\n');
}

const HEADING_LEVELS = {
  1: HeadingLevel.HEADING_1,
  2: HeadingLevel.HEADING_2,
  3: HeadingLevel.HEADING_3,
} as const;

async function toDocx(pieces: readonly Piece[]): Promise<Buffer> {
  const children = pieces.map((piece) => {
    switch (piece.kind) {
      case 'title':
        return new Paragraph({ text: piece.text, heading: HeadingLevel.TITLE });
      case 'heading':
        return new Paragraph({ text: piece.text, heading: HEADING_LEVELS[piece.level] });
      case 'paragraph': {
        // Split the text into runs with some formatting, as Word does.
        const middle = Math.floor(piece.text.length / 2);
        return new Paragraph({
          children: [
            new TextRun(piece.text.slice(0, middle)),
            new TextRun({ text: piece.text.slice(middle), bold: true }),
          ],
        });
      }
      case 'table':
        return new Table({
          rows: piece.rows.map(
            (row) =>
              new TableRow({
                children: row.map((cell) => new TableCell({ children: [new Paragraph(cell)] })),
              }),
          ),
        });
    }
  });
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

describe('docx and Markdown', () => {
  it('parse the same content to the same tree', async () => {
    const fromDocx = await importDraftDocument({
      fileName: '乡村振兴促进办法.docx',
      data: await toDocx(SAMPLE),
    });
    const fromMarkdown = await importDraftDocument({
      fileName: '乡村振兴促进办法.md',
      data: Buffer.from(toMarkdown(SAMPLE), 'utf8'),
    });
    expect(fromDocx.format).toBe('docx');
    expect(fromMarkdown.format).toBe('markdown');
    expect(fromDocx.title).toBe('某县乡村振兴促进办法');
    expect(fromDocx.clauses).toEqual(fromMarkdown.clauses);
    expect(fromDocx.warnings).toEqual(fromMarkdown.warnings);

    const flat = flattenClauses(fromDocx);
    expect(flat.map((c) => `${c.path} ${c.kind}`)).toEqual([
      '¶1 paragraph',
      '第一章 chapter',
      '第一章/第一条 article',
      '第一章/第二条 article',
      '第一章/第二条/（一） cn-paren',
      '第一章/第二条/（二） cn-paren',
      '第一章/第二条/（三） cn-paren',
      '第二章 chapter',
      '第二章/第一节 section',
      '第二章/第一节/第三条 article',
      '第二章/第一节/第三条/专栏1 box',
      '第二章/第二节 section',
      '第二章/第二节/第四条 article',
      '附录说明 heading',
    ]);
    expect(flat.find((c) => c.kind === 'box')).toMatchObject({
      heading: '特色产业工程',
      text: '茶叶基地\t新增一万亩',
    });
    expect(flat.find((c) => c.number === '第二条')?.text).toBe(
      '乡村振兴应当坚持以下原则：\n县人民政府应当定期评估本条规定的落实情况。',
    );
    expect(flat.find((c) => c.kind === 'chapter')?.heading).toBe('总则');
  });

  it('reads Word line breaks, lists, nested lists and footnotes', async () => {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({
              children: [new TextRun('一、总体要求'), new TextRun({ text: '坚持统筹推进。', break: 1 })],
            }),
            new Paragraph({ text: '（一）完善机制', bullet: { level: 0 } }),
            new Paragraph({ text: '1.建立台账', bullet: { level: 1 } }),
          ],
        },
      ],
    });
    const { blocks } = await readDocument({ fileName: 'x.docx', data: await Packer.toBuffer(doc) });
    expect(blocks).toEqual([
      { type: 'paragraph', text: '一、总体要求' },
      { type: 'paragraph', text: '坚持统筹推进。' },
      { type: 'paragraph', text: '（一）完善机制' },
      { type: 'paragraph', text: '1.建立台账' },
    ]);
    const warnings: string[] = [];
    expect(
      htmlToBlocks(
        '<p>第一条 正文<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup>。</p>' +
          '<ol><li>甲<ul><li>乙</li></ul></li></ol>' +
          '<table><tr><th>项目</th><th>内容</th></tr><tr><td><p>A</p><p>B</p></td><td></td></tr></table>' +
          '<ol><li id="footnote-1"><p>注释 <a href="#footnote-ref-1">↑</a></p></li></ol>',
        warnings,
      ),
    ).toEqual([
      { type: 'paragraph', text: '第一条 正文。' },
      { type: 'paragraph', text: '甲' },
      { type: 'paragraph', text: '乙' },
      { type: 'paragraph', text: '项目\t内容' },
      { type: 'paragraph', text: 'A B' },
    ]);
    expect(warnings).toEqual([
      '1 paragraph(s) use Word automatic numbering, which is not part of the text: convert the numbering to text in Word if those paragraphs are numbered clauses.',
      '1 footnote(s), endnote(s) or comment(s) were left out of the clause text.',
    ]);
  });
});

describe('Word table of contents', () => {
  it('drops paragraphs in the toc styles', async () => {
    const doc = new Document({
      styles: {
        paragraphStyles: [
          { id: 'TOC1', name: 'toc 1', run: {} },
          { id: 'TOC2', name: 'toc 2', run: {} },
        ],
      },
      sections: [
        {
          children: [
            new Paragraph({ text: '第一章 总则\t1', style: 'TOC1' }),
            new Paragraph({ text: '第一节 一般规定\t2', style: 'TOC2' }),
            new Paragraph({ text: '第一章 总则', heading: HeadingLevel.HEADING_2 }),
            new Paragraph('第一条 为了规范管理，制定本办法。'),
          ],
        },
      ],
    });
    const imported = await importDraftDocument({ fileName: 'toc.docx', data: await Packer.toBuffer(doc) });
    expect(flattenClauses(imported).map((c) => c.path)).toEqual(['第一章', '第一章/第一条']);
  });
});

describe('Word automatic numbering', () => {
  it('is not in the text, and the import says so', async () => {
    const doc = new Document({
      numbering: {
        config: [
          {
            reference: 'articles',
            levels: [{ level: 0, format: LevelFormat.CHINESE_COUNTING, text: '第%1条' }],
          },
        ],
      },
      sections: [
        {
          children: [
            new Paragraph({
              text: '为了规范管理，制定本办法。',
              numbering: { reference: 'articles', level: 0 },
            }),
            new Paragraph({
              text: '本办法自公布之日起施行。',
              numbering: { reference: 'articles', level: 0 },
            }),
          ],
        },
      ],
    });
    const imported = await importDraftDocument({ fileName: 'auto.docx', data: await Packer.toBuffer(doc) });
    expect(imported.clauses.map((c) => c.kind)).toEqual(['paragraph', 'paragraph']);
    expect(imported.warnings[0]).toMatch(/^2 paragraph\(s\) use Word automatic numbering/);
  });
});

// ----------------------------------------------------------------------------------------- failures

/** A minimal stored (uncompressed) zip archive. */
function makeZip(files: ReadonlyArray<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const crc = crc32(file.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(file.data.length, 18);
    local.writeUInt32LE(file.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(file.data.length, 20);
    central.writeUInt32LE(file.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, file.data);
    centrals.push(central, name);
    offset += local.length + name.length + file.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Deterministic pseudo-random bytes. */
function noise(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('errors', () => {
  it('refuses unknown extensions with unsupported_type', async () => {
    await expectAppError(
      readDocument({ fileName: 'draft.pdf', data: Buffer.from('%PDF-1.7') }),
      'unsupported_type',
    );
    await expectAppError(readDocument({ fileName: 'draft.doc', data: Buffer.alloc(10) }), 'unsupported_type');
    await expectAppError(readDocument({ fileName: 'README', data: Buffer.from('text') }), 'unsupported_type');
    await expectAppError(
      importDraftDocument({ fileName: 'a.xlsx', data: Buffer.alloc(4) }),
      'unsupported_type',
    );
    expect(() => detectFormat('plan.DOC')).toThrow(/\.docx/);
    expect(detectFormat('规划.DOCX')).toBe('docx');
    expect(detectFormat('dir.v2/规划.Markdown')).toBe('markdown');
    expect(detectFormat('a.TXT')).toBe('text');
  });

  it('refuses a .docx that is random bytes or a zip without a Word document', async () => {
    await expectAppError(readDocument({ fileName: 'bad.docx', data: noise(2048, 7) }), 'invalid_document');
    const notDocx = makeZip([{ name: 'hello.txt', data: Buffer.from('not a word document') }]);
    await expectAppError(readDocument({ fileName: 'zip.docx', data: notDocx }), 'invalid_document');
    const real = await toDocx(SAMPLE);
    await expectAppError(
      readDocument({ fileName: 'cut.docx', data: real.subarray(0, 300) }),
      'invalid_document',
    );
    const corrupt = Buffer.concat([real.subarray(0, 4), noise(real.length - 4, 3)]);
    await expectAppError(readDocument({ fileName: 'corrupt.docx', data: corrupt }), 'invalid_document');
  });

  it('refuses documents without text with empty_document', async () => {
    const empty = await Packer.toBuffer(new Document({ sections: [{ children: [] }] }));
    await expectAppError(readDocument({ fileName: 'empty.docx', data: empty }), 'empty_document');
    const blank = await Packer.toBuffer(
      new Document({ sections: [{ children: [new Paragraph(''), new Paragraph('   ')] }] }),
    );
    await expectAppError(importDraftDocument({ fileName: 'blank.docx', data: blank }), 'empty_document');
    await expectAppError(readDocument({ fileName: 'empty.txt', data: Buffer.alloc(0) }), 'empty_document');
    await expectAppError(
      readDocument({ fileName: 'blank.txt', data: Buffer.from(' \n\u3000\r\n\t') }),
      'empty_document',
    );
    await expectAppError(
      readDocument({ fileName: 'comment.md', data: Buffer.from('<!-- 空 -->\n') }),
      'empty_document',
    );
    await expectAppError(
      importDraftDocument({ fileName: 'title.md', data: Buffer.from('# 只有标题\n') }),
      'empty_document',
    );
  });

  it('refuses binary content in a text file with invalid_document', async () => {
    const docx = await toDocx(SAMPLE);
    await expectAppError(readDocument({ fileName: 'renamed.txt', data: docx }), 'invalid_document');
    await expectAppError(
      readDocument({ fileName: 'nul.md', data: Buffer.from('第一条\u0000正文') }),
      'invalid_document',
    );
  });
});

// ------------------------------------------------------------------------------------------ encodings

/** GB18030 encoder for the test, built by inverting the platform's decoder over the two-byte range. */
function encodeGb18030(text: string): Buffer {
  const decoder = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) {
        continue;
      }
      const char = decoder.decode(Uint8Array.from([lead, trail]));
      if (!table.has(char)) {
        table.set(char, [lead, trail]);
      }
    }
  }
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) {
      bytes.push(code);
      continue;
    }
    const pair = table.get(char);
    if (pair === undefined) {
      throw new Error(`cannot encode ${char}`);
    }
    bytes.push(...pair);
  }
  return Buffer.from(bytes);
}

const PLAIN_LAW =
  '某县河长制实施办法\r\n第一章 总则\r\n第一条 为了落实河长制，制定本办法。\r\n第二条 本办法自发布之日起施行。\r\n';

describe('text encodings', () => {
  it('decodes GB18030 (GBK) files', async () => {
    const data = encodeGb18030(PLAIN_LAW);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(data)).toThrow();
    const doc = await importDraftDocument({ fileName: 'gbk.txt', data });
    expect(doc.title).toBe('某县河长制实施办法');
    expect(flattenClauses(doc).map((c) => `${c.path} ${c.text}`)).toEqual([
      '第一章 ',
      '第一章/第一条 为了落实河长制，制定本办法。',
      '第一章/第二条 本办法自发布之日起施行。',
    ]);
    expect(doc.warnings).toEqual(['gbk.txt is not UTF-8; it was read as GB18030 (GBK).']);
  });

  it('strips a UTF-8 BOM and reads UTF-16 with a BOM', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(PLAIN_LAW, 'utf8')]);
    const utf8 = await readDocument({ fileName: 'bom.txt', data: bom });
    expect(utf8.blocks[0]).toEqual({ type: 'paragraph', text: '某县河长制实施办法' });
    expect(utf8.warnings).toEqual([]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(PLAIN_LAW, 'utf16le')]);
    expect((await readDocument({ fileName: 'u16.txt', data: utf16 })).blocks).toEqual(utf8.blocks);
    expect(decodeText({ fileName: 'x.md', data: Buffer.from([0xef, 0xbb, 0xbf, 0x41]) })).toBe('A');
  });

  it('normalises paragraphs: trims, full-width spaces, whitespace runs', async () => {
    const { blocks } = await readDocument({
      fileName: 'spaces.txt',
      data: Buffer.from(
        '\u3000\u3000第一条　　为了   规范管理，制定本办法。\u3000\n\n\t\n第二条 其他。',
        'utf8',
      ),
    });
    expect(blocks).toEqual([
      { type: 'paragraph', text: '第一条 为了 规范管理，制定本办法。' },
      { type: 'paragraph', text: '第二条 其他。' },
    ]);
  });
});

describe('markdownToBlocks', () => {
  it('reads headings, drops comments and reduces inline Markdown to text', () => {
    const md = [
      '# 标题 #',
      '<!-- 元数据',
      '多行注释 -->',
      '##第一章 总则',
      '',
      '第一条 **加粗**与*强调*、[链接](http://example.com)和`代码`。',
      '- 列表项',
      '> 引用段落',
      '',
      '| 指标 | 目标值 |',
      '| :--- | ---: |',
      '| 覆盖率 | 95% |',
      '---',
      '副标题',
      '======',
      '```',
      '代码块内容',
      '```',
      '1. 有序列表项',
    ].join('\n');
    expect(markdownToBlocks(md)).toEqual([
      { type: 'heading', level: 1, text: '标题' },
      { type: 'heading', level: 2, text: '第一章 总则' },
      { type: 'paragraph', text: '第一条 加粗与强调、链接和代码。' },
      { type: 'paragraph', text: '列表项' },
      { type: 'paragraph', text: '引用段落' },
      { type: 'paragraph', text: '指标\t目标值' },
      { type: 'paragraph', text: '覆盖率\t95%' },
      { type: 'heading', level: 1, text: '副标题' },
      { type: 'paragraph', text: '代码块内容' },
      { type: 'paragraph', text: '1. 有序列表项' },
    ]);
  });
});
