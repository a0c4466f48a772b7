/**
 * The revised draft as .docx with real tracked changes: every change is written as w:ins / w:del runs
 * (from a character diff of the old and new text) with an author and a date, so Word and WPS show it as a
 * revision that can be accepted or rejected, not as coloured text.
 */
import type { ParagraphChild } from 'docx';
import {
  AlignmentType,
  DeletedTextRun,
  Document,
  HeadingLevel,
  InsertedTextRun,
  Packer,
  Paragraph,
  TextRun,
} from 'docx';
import { diffText } from '../domain/clause-diff.ts';
import { BODY_FONT } from './export-docx.ts';

export interface TrackedClause {
  kind: string;
  depth: number;
  status: 'unchanged' | 'edited' | 'inserted' | 'deleted';
  number: string | null;
  heading: string | null;
  text: string;
  /** The base version's clause (null for an inserted one). */
  previous: { number: string | null; heading: string | null; text: string } | null;
}

const HEADING_KINDS = new Set(['part', 'chapter', 'section', 'heading']);

/** Renders the revised draft; `author` and `date` go on every revision mark. */
export async function buildTrackedDocx(input: {
  title: string;
  clauses: readonly TrackedClause[];
  author: string;
  date: string;
}): Promise<Buffer> {
  let nextId = 1;
  const mark = () => ({ id: nextId++, author: input.author, date: input.date });
  const ins = (text: string): ParagraphChild => new InsertedTextRun({ text, ...mark() });
  const del = (text: string): ParagraphChild => new DeletedTextRun({ text, ...mark() });

  /** Runs of `before → after`: equal text plain, deletions and insertions as revision marks. */
  const diffRuns = (before: string, after: string): ParagraphChild[] =>
    diffText(before, after).map((s) =>
      s.op === 'equal' ? new TextRun(s.text) : s.op === 'insert' ? ins(s.text) : del(s.text),
    );

  const paragraphs = input.clauses.map((clause) => {
    const label = [clause.number, clause.heading].filter((s) => s !== null && s !== '').join(' ');
    const previousLabel = clause.previous
      ? [clause.previous.number, clause.previous.heading].filter((s) => s !== null && s !== '').join(' ')
      : '';
    const runs: ParagraphChild[] = [];
    if (clause.status === 'inserted') {
      runs.push(ins([label, clause.text].filter(Boolean).join(' ')));
    } else if (clause.status === 'deleted') {
      runs.push(del([previousLabel, clause.previous?.text ?? clause.text].filter(Boolean).join(' ')));
    } else {
      if (label || previousLabel) {
        runs.push(...(label === previousLabel ? [new TextRun(label)] : diffRuns(previousLabel, label)));
        if (clause.text) {
          runs.push(new TextRun(' '));
        }
      }
      runs.push(
        ...(clause.status === 'edited' && clause.previous
          ? diffRuns(clause.previous.text, clause.text)
          : clause.text
            ? [new TextRun(clause.text)]
            : []),
      );
    }
    const heading = HEADING_KINDS.has(clause.kind);
    return new Paragraph({
      ...(heading ? { heading: clause.depth === 0 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2 } : {}),
      ...(heading ? { alignment: AlignmentType.CENTER } : { indent: { firstLine: 480 } }),
      children: runs,
    });
  });
  const doc = new Document({
    creator: input.author,
    title: input.title,
    features: { trackRevisions: true },
    styles: { default: { document: { run: { font: BODY_FONT, size: 28 } } } },
    sections: [
      {
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            heading: HeadingLevel.TITLE,
            children: [new TextRun(input.title)],
          }),
          ...paragraphs,
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
