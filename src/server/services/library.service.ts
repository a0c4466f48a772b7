import { createHash } from 'node:crypto';
import { tokenize } from '../../analysis/tokenize.ts';
import type { Token } from '../../analysis/tokenize.ts';
import { extractText } from '../../documents/extract-text.ts';
import { readIndicatorTable } from '../../documents/indicator-table.ts';
import { AppError } from '../../domain/errors.ts';
import type { Executor } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import type {
  CitationFromKind,
  IndicatorKind,
  LibraryDocumentKind,
  LibraryVisibility,
} from '../db/tables/library.ts';
import { newId } from '../lib/ids.ts';
import type { LibraryItemScope, LibraryReader } from '../policies/library.policy.ts';
import {
  canAddToLibrary,
  canCite,
  canDeleteLibraryItem,
  canReadLibraryItem,
} from '../policies/library.policy.ts';
import type {
  CitationRecord,
  DocumentRecord,
  IndicatorRecord,
  LibraryScope,
  PassageRecord,
  SearchQuery,
} from '../repositories/library.repository.ts';
import {
  citingItemExists,
  deleteDocument,
  findDocument,
  findDocumentFile,
  findIndicator,
  findPassage,
  insertCitation,
  insertDocument,
  insertIndicators,
  isUnitInvitedToPlan,
  listCitationsFrom,
  listDocuments,
  listIndicators,
  listPassageRange,
  listPlanIdsOfUnits,
  searchPassages,
} from '../repositories/library.repository.ts';
import { findPlan } from '../repositories/plan.repository.ts';
import { listUnitSubtreeIds } from '../repositories/unit.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';

export interface DocumentMetadata {
  title?: string;
  source?: string | null;
  year?: number | null;
  issuingBody?: string | null;
  kind: LibraryDocumentKind;
  visibility: LibraryVisibility;
  planId?: string | null;
  /** Administrators only: the unit the document belongs to (others add to their own unit). */
  ownerUnitId?: string | null;
}

/** A stretch of text to mark: UTF-16 offsets into the text it comes with. */
export interface Highlight {
  start: number;
  end: number;
}

export interface Snippet {
  /** Plain text, never markup: the client marks the highlights itself. */
  text: string;
  /** Where the snippet starts in the passage. */
  offset: number;
  highlights: Highlight[];
}

export interface SearchResult {
  document: DocumentRecord;
  passage: PassageRecord;
  score: number;
  snippet: Snippet;
}

export interface PassageView {
  document: DocumentRecord;
  passage: PassageRecord;
  before: PassageRecord[];
  after: PassageRecord[];
}

export interface CitationView extends CitationRecord {
  document: Pick<DocumentRecord, 'id' | 'title' | 'kind' | 'year' | 'source'> | null;
  passage: Pick<PassageRecord, 'id' | 'ordinal' | 'page' | 'label'> | null;
  indicator: Pick<IndicatorRecord, 'id' | 'name' | 'value' | 'unit' | 'year' | 'region' | 'kind'> | null;
}

const SEARCHABLE: ReadonlySet<Token['kind']> = new Set(['han', 'word', 'number']);

/** Character pairs of a long Chinese word, so that a part of it ("老旧小区" in "老旧小区改造") finds it too. */
function bigrams(word: string): string[] {
  const chars = Array.from(word);
  const pairs: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) {
    pairs.push(`${chars[i]}${chars[i + 1]}`);
  }
  return pairs;
}

/** The tokens a passage is indexed with: its words (jieba for Chinese) and the pairs of its long Chinese words. */
export function indexTokens(text: string): string {
  const out: string[] = [];
  for (const token of tokenize(text).tokens) {
    if (!SEARCHABLE.has(token.kind)) {
      continue;
    }
    out.push(token.text);
    if (token.kind === 'han' && Array.from(token.text).length >= 3) {
      out.push(...bigrams(token.text));
    }
  }
  return out.join(' ');
}

/**
 * A search box's text as a query: every word must match; a long Chinese word matches itself or all its
 * character pairs, since the passage may have been segmented differently around it. Stop words are dropped
 * when other words remain.
 */
export function parseSearchQuery(text: string): { query: SearchQuery; terms: string[] } {
  const tokens = tokenize(text.slice(0, 500)).tokens.filter((t) => SEARCHABLE.has(t.kind));
  const content = tokens.filter((t) => !t.stop);
  const chosen = content.length > 0 ? content : tokens;
  const terms = [...new Set(chosen.map((t) => t.text))];
  const query = terms.map((term) => {
    const alternatives = [[term]];
    if (/\p{Script=Han}/u.test(term) && Array.from(term).length >= 3) {
      alternatives.push(bigrams(term));
    }
    return alternatives;
  });
  return { query, terms };
}

const isWordChar = (char: string | undefined): boolean =>
  char !== undefined && /[\p{L}\p{N}]/u.test(char) && !/\p{Script=Han}/u.test(char);

/** Where the terms occur in a text (case-insensitive; Latin words only as whole words), merged and sorted. */
export function findHighlights(text: string, terms: readonly string[]): Highlight[] {
  const lowered = text.toLowerCase();
  // Lower-casing keeps offsets except for a handful of letters (e.g. "İ"); then the text is searched as is.
  const haystack = lowered.length === text.length ? lowered : text;
  const found: Highlight[] = [];
  for (const term of terms) {
    if (!term) {
      continue;
    }
    const latin = /^[\p{L}\p{N}]/u.test(term) && !/\p{Script=Han}/u.test(term);
    for (let at = haystack.indexOf(term); at !== -1; at = haystack.indexOf(term, at + term.length)) {
      const end = at + term.length;
      if (latin && (isWordChar(haystack[at - 1]) || isWordChar(haystack[end]))) {
        continue;
      }
      found.push({ start: at, end });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Highlight[] = [];
  for (const h of found) {
    const last = merged.at(-1);
    if (last && h.start <= last.end) {
      last.end = Math.max(last.end, h.end);
    } else {
      merged.push({ ...h });
    }
  }
  return merged;
}

/** A window of the passage around its first highlight, with the highlights inside it. */
export function makeSnippet(text: string, terms: readonly string[], width = 160): Snippet {
  const highlights = findHighlights(text, terms);
  const first = highlights[0];
  let start = first ? Math.max(0, first.start - Math.floor(width / 3)) : 0;
  let end = Math.min(text.length, start + width);
  start = Math.max(0, Math.min(start, end - width));
  // Never cut a surrogate pair at either edge.
  if (start > 0 && /[\udc00-\udfff]/.test(text[start] ?? '')) {
    start -= 1;
  }
  if (end < text.length && /[\ud800-\udbff]/.test(text[end - 1] ?? '')) {
    end += 1;
  }
  return {
    text: text.slice(start, end),
    offset: start,
    highlights: highlights
      .filter((h) => h.start < end && h.end > start)
      .map((h) => ({ start: Math.max(h.start, start) - start, end: Math.min(h.end, end) - start })),
  };
}

const MAX_PASSAGES_PER_DOCUMENT = 50_000;
const MAX_INDICATORS_PER_IMPORT = 10_000;

export class LibraryService {
  constructor(private readonly ctx: ServiceContext) {}

  // ---------------------------------------------------------------------------------- documents

  async uploadDocument(
    actor: Actor,
    file: { fileName: string; data: Buffer },
    metadata: DocumentMetadata,
  ): Promise<DocumentRecord> {
    if (!canAddToLibrary(actor)) {
      throw new AppError('forbidden', 'Only members of a unit and administrators add to the data library.');
    }
    const fileName = file.fileName.trim().slice(0, 255);
    if (!fileName) {
      throw new AppError('validation_failed', 'The file needs a name.', { field: 'file' });
    }
    if (file.data.length === 0) {
      throw new AppError('validation_failed', 'The file is empty.', { field: 'file' });
    }
    const db = this.ctx.database.db;
    const owner = await this.placeItem(db, actor, metadata);
    // Extraction throws 415/422 before anything is written.
    const extracted = await extractText({ fileName, data: file.data });
    if (extracted.passages.length > MAX_PASSAGES_PER_DOCUMENT) {
      throw new AppError(
        'rule_violated',
        `${fileName} has more than ${MAX_PASSAGES_PER_DOCUMENT} passages.`,
        {
          field: 'file',
        },
      );
    }
    const title = (metadata.title ?? '').trim() || fileName.replace(/\.[^.]+$/, '');
    const id = newId();
    const sha256 = createHash('sha256').update(file.data).digest('hex');
    const passages = extracted.passages.map((passage, ordinal) => ({
      id: newId(),
      document_id: id,
      ordinal,
      page: passage.page,
      label: passage.label,
      text: passage.text,
      tokens: indexTokens(passage.text),
    }));
    await inTransaction(this.ctx.database, async (tx) => {
      const now = this.ctx.now().toISOString();
      await insertDocument(
        tx,
        {
          id,
          owner_unit_id: owner.ownerUnitId,
          plan_id: owner.planId,
          visibility: metadata.visibility,
          kind: metadata.kind,
          title: title.slice(0, 300),
          source: metadata.source?.trim() || null,
          year: metadata.year ?? null,
          issuing_body: metadata.issuingBody?.trim() || null,
          file_name: fileName,
          format: extracted.format,
          content_type: extracted.contentType,
          size: file.data.length,
          sha256,
          data: file.data,
          page_count: extracted.pageCount,
          passage_count: passages.length,
          char_count: extracted.charCount,
          warnings: JSON.stringify(extracted.warnings),
          uploaded_by: actor.userId,
          created_at: now,
        },
        passages,
      );
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'library_document',
        id,
        event: 'library.document_added',
        payload: {
          title,
          fileName,
          format: extracted.format,
          size: file.data.length,
          sha256,
          kind: metadata.kind,
          visibility: metadata.visibility,
          planId: owner.planId,
          ownerUnitId: owner.ownerUnitId,
          passages: passages.length,
        },
      });
    });
    return (await findDocument(db, id))!;
  }

  async listDocuments(
    actor: Actor,
    filter: {
      kind?: LibraryDocumentKind;
      year?: number;
      planId?: string;
      text?: string;
      limit?: number;
      offset?: number;
    },
  ): Promise<{ items: DocumentRecord[]; total: number }> {
    const db = this.ctx.database.db;
    return listDocuments(db, await this.scopeOf(db, actor), {
      ...filter,
      limit: filter.limit ?? 50,
      offset: filter.offset ?? 0,
    });
  }

  async getDocument(actor: Actor, id: string): Promise<DocumentRecord> {
    return this.loadReadableDocument(this.ctx.database.db, actor, id);
  }

  async getDocumentFile(
    actor: Actor,
    id: string,
  ): Promise<{ fileName: string; contentType: string; sha256: string; data: Buffer }> {
    const db = this.ctx.database.db;
    await this.loadReadableDocument(db, actor, id);
    return (await findDocumentFile(db, id))!;
  }

  async deleteDocument(actor: Actor, id: string): Promise<void> {
    await inTransaction(this.ctx.database, async (tx) => {
      const document = await this.loadReadableDocument(tx, actor, id);
      if (!canDeleteLibraryItem(actor, { ...document, addedBy: document.uploadedBy })) {
        throw new AppError(
          'forbidden',
          'Only whoever added a document, its unit’s organizers or an administrator remove it.',
        );
      }
      await deleteDocument(tx, id);
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'library_document',
        id,
        event: 'library.document_deleted',
        payload: { title: document.title, fileName: document.fileName, sha256: document.sha256 },
      });
    });
  }

  // ------------------------------------------------------------------------------------- search

  async search(
    actor: Actor,
    input: { q: string; kind?: LibraryDocumentKind; year?: number; planId?: string; limit?: number },
  ): Promise<{ query: string; terms: string[]; results: SearchResult[] }> {
    const q = input.q.trim();
    if (!q) {
      throw new AppError('validation_failed', 'Type something to search for.', { field: 'q' });
    }
    const { query, terms } = parseSearchQuery(q);
    const db = this.ctx.database.db;
    const hits = await searchPassages(db, this.ctx.database.dialect, {
      query,
      scope: await this.scopeOf(db, actor),
      filter: {
        ...(input.kind ? { kind: input.kind } : {}),
        ...(input.year !== undefined ? { year: input.year } : {}),
        ...(input.planId ? { planId: input.planId } : {}),
        limit: input.limit ?? 20,
      },
    });
    return {
      query: q,
      terms,
      results: hits.map((hit) => ({ ...hit, snippet: makeSnippet(hit.passage.text, terms) })),
    };
  }

  /** A passage with its neighbours, as a citation opens it. */
  async getPassage(actor: Actor, id: string, around = 2): Promise<PassageView> {
    const db = this.ctx.database.db;
    const passage = await findPassage(db, id);
    if (!passage) {
      throw new AppError('not_found', 'No such passage.', { field: 'id' });
    }
    const document = await this.loadReadableDocument(db, actor, passage.documentId, 'id');
    const range = await listPassageRange(db, document.id, {
      from: passage.ordinal - around,
      to: passage.ordinal + around,
    });
    return {
      document,
      passage,
      before: range.filter((p) => p.ordinal < passage.ordinal),
      after: range.filter((p) => p.ordinal > passage.ordinal),
    };
  }

  // --------------------------------------------------------------------------------- indicators

  async importIndicators(
    actor: Actor,
    file: { fileName: string; data: Buffer },
    options: {
      visibility: LibraryVisibility;
      planId?: string | null;
      documentId?: string | null;
      ownerUnitId?: string | null;
    },
  ): Promise<{ importId: string; count: number; items: IndicatorRecord[] }> {
    if (!canAddToLibrary(actor)) {
      throw new AppError('forbidden', 'Only members of a unit and administrators add to the data library.');
    }
    const db = this.ctx.database.db;
    const owner = await this.placeItem(db, actor, options);
    if (options.documentId) {
      await this.loadReadableDocument(db, actor, options.documentId, 'documentId');
    }
    // Every row is checked before anything is written: an error names its row and column.
    const rows = await readIndicatorTable(file);
    if (rows.length > MAX_INDICATORS_PER_IMPORT) {
      throw new AppError('rule_violated', `Import at most ${MAX_INDICATORS_PER_IMPORT} indicators at once.`, {
        field: 'file',
      });
    }
    const importId = newId();
    await inTransaction(this.ctx.database, async (tx) => {
      const now = this.ctx.now().toISOString();
      await insertIndicators(
        tx,
        rows.map((row) => ({
          id: newId(),
          owner_unit_id: owner.ownerUnitId,
          plan_id: owner.planId,
          visibility: options.visibility,
          document_id: options.documentId ?? null,
          import_id: importId,
          row_number: row.row,
          name: row.name,
          value: row.value,
          unit: row.unit,
          year: row.year,
          region: row.region,
          source: row.source,
          kind: row.kind,
          created_by: actor.userId,
          created_at: now,
        })),
      );
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'library_import',
        id: importId,
        event: 'library.indicators_imported',
        payload: {
          fileName: file.fileName,
          count: rows.length,
          visibility: options.visibility,
          planId: owner.planId,
          ownerUnitId: owner.ownerUnitId,
          documentId: options.documentId ?? null,
        },
      });
    });
    const { items } = await listIndicators(db, { all: true }, { importId, limit: 200, offset: 0 });
    return { importId, count: rows.length, items };
  }

  async listIndicators(
    actor: Actor,
    filter: {
      name?: string;
      year?: number;
      region?: string;
      kind?: IndicatorKind;
      planId?: string;
      documentId?: string;
      limit?: number;
      offset?: number;
    },
  ): Promise<{ items: IndicatorRecord[]; total: number }> {
    const db = this.ctx.database.db;
    return listIndicators(db, await this.scopeOf(db, actor), {
      ...filter,
      limit: filter.limit ?? 100,
      offset: filter.offset ?? 0,
    });
  }

  // ---------------------------------------------------------------------------------- citations

  async createCitation(
    actor: Actor,
    input: {
      fromKind: CitationFromKind;
      fromId: string;
      documentId?: string | null;
      passageId?: string | null;
      indicatorId?: string | null;
      quote?: string | null;
    },
  ): Promise<CitationView> {
    if (!canCite(actor)) {
      throw new AppError('forbidden', 'Only members of a unit and administrators cite the data library.');
    }
    if (!input.documentId && !input.passageId && !input.indicatorId) {
      throw new AppError('validation_failed', 'Cite a document, a passage or an indicator.', {
        field: 'documentId',
      });
    }
    const id = newId();
    await inTransaction(this.ctx.database, async (tx) => {
      if (!(await citingItemExists(tx, input.fromKind, input.fromId))) {
        throw new AppError('not_found', `No such ${input.fromKind}.`, { field: 'fromId' });
      }
      let documentId = input.documentId ?? null;
      let passage: PassageRecord | undefined;
      if (input.passageId) {
        passage = await findPassage(tx, input.passageId);
        if (!passage) {
          throw new AppError('not_found', 'No such passage.', { field: 'passageId' });
        }
        if (documentId && documentId !== passage.documentId) {
          throw new AppError('validation_failed', 'The passage is not part of that document.', {
            field: 'passageId',
          });
        }
        documentId = passage.documentId;
      }
      if (input.indicatorId) {
        const indicator = await findIndicator(tx, input.indicatorId);
        // An indicator the actor may not see is answered like one that does not exist.
        if (!indicator || !canReadLibraryItem(await this.readerOf(tx, actor), indicator)) {
          throw new AppError('not_found', 'No such indicator.', { field: 'indicatorId' });
        }
        documentId ??= indicator.documentId;
      }
      if (documentId) {
        await this.loadReadableDocument(tx, actor, documentId, input.passageId ? 'passageId' : 'documentId');
      }
      const quote = input.quote?.trim() || null;
      if (quote && passage && !passage.text.includes(quote)) {
        throw new AppError('validation_failed', 'The quote is not in the cited passage.', { field: 'quote' });
      }
      await insertCitation(tx, {
        id,
        from_kind: input.fromKind,
        from_id: input.fromId,
        document_id: documentId,
        passage_id: input.passageId ?? null,
        indicator_id: input.indicatorId ?? null,
        quote,
        created_by: actor.userId,
        created_at: this.ctx.now().toISOString(),
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'citation',
        id,
        event: 'library.citation_added',
        payload: {
          fromKind: input.fromKind,
          fromId: input.fromId,
          documentId,
          passageId: input.passageId ?? null,
          indicatorId: input.indicatorId ?? null,
          quote,
        },
      });
    });
    const views = await this.listCitations(actor, input.fromKind, input.fromId);
    return views.find((view) => view.id === id)!;
  }

  /** The citations made from one item, leaving out those whose source the actor may not see. */
  async listCitations(actor: Actor, fromKind: CitationFromKind, fromId: string): Promise<CitationView[]> {
    const db = this.ctx.database.db;
    const reader = await this.readerOf(db, actor);
    const views: CitationView[] = [];
    for (const citation of await listCitationsFrom(db, { kind: fromKind, id: fromId })) {
      const document = citation.documentId ? await findDocument(db, citation.documentId) : undefined;
      if (document && !canReadLibraryItem(reader, document)) {
        continue;
      }
      const indicator = citation.indicatorId ? await findIndicator(db, citation.indicatorId) : undefined;
      if (indicator && !canReadLibraryItem(reader, indicator)) {
        continue;
      }
      const passage = citation.passageId ? await findPassage(db, citation.passageId) : undefined;
      views.push({
        ...citation,
        document: document
          ? {
              id: document.id,
              title: document.title,
              kind: document.kind,
              year: document.year,
              source: document.source,
            }
          : null,
        passage: passage
          ? { id: passage.id, ordinal: passage.ordinal, page: passage.page, label: passage.label }
          : null,
        indicator: indicator
          ? {
              id: indicator.id,
              name: indicator.name,
              value: indicator.value,
              unit: indicator.unit,
              year: indicator.year,
              region: indicator.region,
              kind: indicator.kind,
            }
          : null,
      });
    }
    return views;
  }

  // ------------------------------------------------------------------------------------ helpers

  private async readerOf(db: Executor, actor: Actor): Promise<LibraryReader> {
    if (actor.roles.includes('admin') || !actor.unitId) {
      return { actor, planIds: [] };
    }
    const units = actor.roles.includes('leader') ? await listUnitSubtreeIds(db, actor.unitId) : [];
    return { actor, planIds: await listPlanIdsOfUnits(db, [...new Set([actor.unitId, ...units])]) };
  }

  private async scopeOf(db: Executor, actor: Actor): Promise<LibraryScope> {
    if (actor.roles.includes('admin')) {
      return { all: true };
    }
    const reader = await this.readerOf(db, actor);
    return { all: false, unitId: actor.unitId, planIds: [...reader.planIds] };
  }

  /** Loads a document; one the actor may not see is answered as missing, so its existence does not leak. */
  private async loadReadableDocument(
    db: Executor,
    actor: Actor,
    id: string,
    field = 'id',
  ): Promise<DocumentRecord> {
    const document = await findDocument(db, id);
    if (!document || !canReadLibraryItem(await this.readerOf(db, actor), document)) {
      throw new AppError('not_found', 'No such document in the data library.', { field });
    }
    return document;
  }

  /** The unit an item belongs to and the plan it is shared with, checked against the actor. */
  private async placeItem(
    db: Executor,
    actor: Actor,
    input: { visibility: LibraryVisibility; planId?: string | null; ownerUnitId?: string | null },
  ): Promise<LibraryItemScope> {
    const isAdmin = actor.roles.includes('admin');
    if (input.ownerUnitId && !isAdmin && input.ownerUnitId !== actor.unitId) {
      throw new AppError('forbidden', 'Add to the library for your own unit only.', { field: 'ownerUnitId' });
    }
    const planId = input.planId ?? null;
    let ownerUnitId = input.ownerUnitId ?? actor.unitId;
    if (planId) {
      const plan = await findPlan(db, planId);
      const takesPart =
        plan !== null &&
        (isAdmin ||
          (actor.unitId !== null &&
            (plan.ownerUnitId === actor.unitId || (await isUnitInvitedToPlan(db, planId, actor.unitId)))));
      if (!plan || !takesPart) {
        throw new AppError('not_found', 'No such plan.', { field: 'planId' });
      }
      ownerUnitId ??= plan.ownerUnitId;
    } else if (input.visibility === 'plan') {
      throw new AppError('validation_failed', 'Sharing with a plan needs the plan (planId).', {
        field: 'planId',
      });
    }
    if (!ownerUnitId) {
      throw new AppError('validation_failed', 'Name the unit the item belongs to (ownerUnitId).', {
        field: 'ownerUnitId',
      });
    }
    return { ownerUnitId, planId, visibility: input.visibility };
  }
}
