import type { UnitCsvProblem, UnitCsvResult, UnitCsvRow } from '../../documents/unit-csv.ts';
import {
  MAX_LIST_ITEMS,
  MAX_LIST_ITEM_LENGTH,
  MAX_UNIT_NAME_LENGTH,
  UNIT_CODE_PATTERN,
  levelFitsUnder,
  normalizeResponsibilityList,
  parseUnitCsv,
} from '../../documents/unit-csv.ts';
import { AppError } from '../../domain/errors.ts';
import type { Tx } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import type { UnitLevel } from '../db/schema.ts';
import { UNIT_LEVELS } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { canManageUnits, canReadUnits } from '../policies/unit.policy.ts';
import { lockLedgerHead } from '../repositories/ledger.repository.ts';
import type { UnitRecord, UnitReferences } from '../repositories/unit.repository.ts';
import {
  countUnitReferences,
  deleteUnit,
  findUnitByCode,
  findUnitRecord,
  insertUnit,
  listChildUnits,
  listUnitSubtreeIds,
  listUnits,
  updateUnit,
} from '../repositories/unit.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';

export interface CreateUnitInput {
  code: string;
  name: string;
  parentId?: string | null;
  level: UnitLevel;
  areas?: string[];
  keywords?: string[];
}

export type UpdateUnitInput = Partial<CreateUnitInput>;

export interface ImportUnitsResult {
  /** Units added, units whose fields changed, and data rows read (unchanged rows are counted only here). */
  created: number;
  updated: number;
  rows: number;
}

/** The fields of a unit the ledger records. */
type UnitSnapshot = Pick<UnitRecord, 'code' | 'name' | 'parentId' | 'level' | 'areas' | 'keywords'>;

const SNAPSHOT_KEYS: readonly (keyof UnitSnapshot)[] = [
  'code',
  'name',
  'parentId',
  'level',
  'areas',
  'keywords',
];

const snapshotOf = (unit: UnitSnapshot): UnitSnapshot => ({
  code: unit.code,
  name: unit.name,
  parentId: unit.parentId,
  level: unit.level,
  areas: unit.areas,
  keywords: unit.keywords,
});

/** The fields that differ, as before and after halves for the ledger; null when nothing changed. */
function diffUnit(
  before: UnitSnapshot,
  after: UnitSnapshot,
): { before: Partial<UnitSnapshot>; after: Partial<UnitSnapshot> } | null {
  const changed = SNAPSHOT_KEYS.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
  if (changed.length === 0) {
    return null;
  }
  return {
    before: Object.fromEntries(changed.map((key) => [key, before[key]])),
    after: Object.fromEntries(changed.map((key) => [key, after[key]])),
  };
}

function checkCode(code: string): string {
  const trimmed = code.trim();
  if (!UNIT_CODE_PATTERN.test(trimmed)) {
    throw new AppError('validation_failed', 'code must be 1–64 letters, digits or . _ -', { field: 'code' });
  }
  return trimmed;
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > MAX_UNIT_NAME_LENGTH) {
    throw new AppError('validation_failed', `name must be 1–${MAX_UNIT_NAME_LENGTH} characters.`, {
      field: 'name',
    });
  }
  return trimmed;
}

function checkLevel(level: string): UnitLevel {
  const known = UNIT_LEVELS.find((l) => l === level);
  if (!known) {
    throw new AppError('validation_failed', 'level must be province, city or county.', { field: 'level' });
  }
  return known;
}

function checkList(items: readonly string[], field: 'areas' | 'keywords'): string[] {
  const list = normalizeResponsibilityList(items);
  if (list.length > MAX_LIST_ITEMS || list.some((item) => item.length > MAX_LIST_ITEM_LENGTH)) {
    throw new AppError(
      'validation_failed',
      `${field} takes at most ${MAX_LIST_ITEMS} items of at most ${MAX_LIST_ITEM_LENGTH} characters.`,
      { field },
    );
  }
  return list;
}

function levelMismatch(field: 'level' | 'parentId', message: string): AppError {
  return new AppError('validation_failed', message, { field });
}

export class UnitService {
  constructor(private readonly ctx: ServiceContext) {}

  async listUnits(actor: Actor): Promise<UnitRecord[]> {
    this.requireRead(actor);
    return listUnits(this.ctx.database.db);
  }

  async getUnit(actor: Actor, id: string): Promise<UnitRecord> {
    this.requireRead(actor);
    const unit = await findUnitRecord(this.ctx.database.db, id);
    if (!unit) {
      throw new AppError('not_found', 'No such unit.', { field: 'id' });
    }
    return unit;
  }

  async createUnit(actor: Actor, input: CreateUnitInput): Promise<UnitRecord> {
    this.requireManage(actor);
    const unit: UnitSnapshot = {
      code: checkCode(input.code),
      name: checkName(input.name),
      parentId: input.parentId ?? null,
      level: checkLevel(input.level),
      areas: checkList(input.areas ?? [], 'areas'),
      keywords: checkList(input.keywords ?? [], 'keywords'),
    };
    const id = newId();
    await inTransaction(this.ctx.database, async (tx) => {
      if (await findUnitByCode(tx, unit.code)) {
        throw new AppError('conflict', `The unit code "${unit.code}" is taken.`, { field: 'code' });
      }
      if (unit.parentId) {
        const parent = await findUnitRecord(tx, unit.parentId);
        if (!parent) {
          throw new AppError('validation_failed', `Unknown parent unit "${unit.parentId}".`, {
            field: 'parentId',
          });
        }
        if (!levelFitsUnder(unit.level, parent.level)) {
          throw levelMismatch('level', `A ${unit.level} unit cannot sit under a ${parent.level} unit.`);
        }
      }
      const now = this.ctx.now().toISOString();
      await insertUnit(tx, { id, ...unit }, now);
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'unit',
        id,
        event: 'unit.created',
        payload: { after: unit },
      });
    });
    return (await findUnitRecord(this.ctx.database.db, id))!;
  }

  async updateUnit(actor: Actor, id: string, input: UpdateUnitInput): Promise<UnitRecord> {
    this.requireManage(actor);
    const changes: Partial<UnitSnapshot> = {
      ...(input.code === undefined ? {} : { code: checkCode(input.code) }),
      ...(input.name === undefined ? {} : { name: checkName(input.name) }),
      ...(input.parentId === undefined ? {} : { parentId: input.parentId }),
      ...(input.level === undefined ? {} : { level: checkLevel(input.level) }),
      ...(input.areas === undefined ? {} : { areas: checkList(input.areas, 'areas') }),
      ...(input.keywords === undefined ? {} : { keywords: checkList(input.keywords, 'keywords') }),
    };
    return inTransaction(this.ctx.database, async (tx) => {
      await this.serialiseHierarchyChanges(tx);
      const current = await findUnitRecord(tx, id);
      if (!current) {
        throw new AppError('not_found', 'No such unit.', { field: 'id' });
      }
      const next: UnitSnapshot = { ...snapshotOf(current), ...changes };
      if (next.code !== current.code && (await findUnitByCode(tx, next.code))) {
        throw new AppError('conflict', `The unit code "${next.code}" is taken.`, { field: 'code' });
      }
      await this.checkPlacement(tx, id, current, next);
      const diff = diffUnit(snapshotOf(current), next);
      if (!diff) {
        return current;
      }
      await updateUnit(tx, id, {
        code: next.code,
        name: next.name,
        parent_id: next.parentId,
        level: next.level,
        areas: JSON.stringify(next.areas),
        keywords: JSON.stringify(next.keywords),
        updated_at: this.ctx.now().toISOString(),
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'unit',
        id,
        event: 'unit.updated',
        payload: diff,
      });
      return (await findUnitRecord(tx, id))!;
    });
  }

  /**
   * Removes a unit entered by mistake. A unit that anything refers to (sub-units, accounts, plans,
   * invitations, opinions, feedback letters) stays: its history must keep pointing at it. The refusal's
   * details count the references, so the administrator knows what to move first.
   */
  async deleteUnit(actor: Actor, id: string): Promise<void> {
    this.requireManage(actor);
    await inTransaction(this.ctx.database, async (tx) => {
      await this.serialiseHierarchyChanges(tx);
      const current = await findUnitRecord(tx, id);
      if (!current) {
        throw new AppError('not_found', 'No such unit.', { field: 'id' });
      }
      const references = nonZero(await countUnitReferences(tx, id));
      if (Object.keys(references).length > 0) {
        throw unitInUse(current, references);
      }
      const outcome = await deleteUnit(tx, id);
      if (outcome === 'referenced') {
        throw unitInUse(current, {});
      }
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'unit',
        id,
        event: 'unit.deleted',
        payload: { before: snapshotOf(current) },
      });
    });
  }

  /**
   * Upserts units by code from a CSV file, all or nothing. Every bad row is reported at once, with its line
   * number, as an `invalid_csv` error whose details are `{row, field, problem}`.
   */
  async importUnits(actor: Actor, csv: string | Uint8Array): Promise<ImportUnitsResult> {
    this.requireManage(actor);
    const parsed = parseUnitCsv(csv);
    if (parsed.problems.some((p) => p.row === 1)) {
      throw invalidCsv(parsed.problems);
    }
    return inTransaction(this.ctx.database, async (tx) => {
      await this.serialiseHierarchyChanges(tx);
      const existing = await listUnits(tx);
      const plan = planImport(existing, parsed);
      const problems = [...parsed.problems, ...plan.problems];
      if (problems.length > 0) {
        throw invalidCsv(problems);
      }
      const now = this.ctx.now().toISOString();
      const ids = new Map(existing.map((u) => [u.code, u.id]));
      const byCode = new Map(existing.map((u) => [u.code, u]));
      let created = 0;
      let updated = 0;
      // Parents first, so every parent_id written already exists.
      for (const row of plan.ordered) {
        const prior = byCode.get(row.code);
        const parentCode = plan.parentCodeOf.get(row.code) ?? null;
        const parentId = parentCode === null ? null : (ids.get(parentCode) ?? null);
        const next: UnitSnapshot = {
          code: row.code,
          name: row.name,
          parentId,
          level: row.level,
          areas: row.areas ?? prior?.areas ?? [],
          keywords: row.keywords ?? prior?.keywords ?? [],
        };
        if (!prior) {
          const id = newId();
          ids.set(row.code, id);
          await insertUnit(tx, { id, ...next }, now);
          await this.ctx.ledger.append(tx, {
            actor: actorRef(actor),
            entity: 'unit',
            id,
            event: 'unit.imported',
            payload: { row: row.line, created: true, after: next },
          });
          created++;
          continue;
        }
        const diff = diffUnit(snapshotOf(prior), next);
        if (!diff) {
          continue;
        }
        await updateUnit(tx, prior.id, {
          name: next.name,
          parent_id: next.parentId,
          level: next.level,
          areas: JSON.stringify(next.areas),
          keywords: JSON.stringify(next.keywords),
          updated_at: now,
        });
        await this.ctx.ledger.append(tx, {
          actor: actorRef(actor),
          entity: 'unit',
          id: prior.id,
          event: 'unit.imported',
          payload: { row: row.line, created: false, ...diff },
        });
        updated++;
      }
      return { created, updated, rows: parsed.rows.length };
    });
  }

  /** A unit's parent and level must keep the tree a tree, and levels descending (province > city > county). */
  private async checkPlacement(tx: Tx, id: string, current: UnitRecord, next: UnitSnapshot): Promise<void> {
    if (next.parentId !== current.parentId || next.level !== current.level) {
      if (next.parentId) {
        const parent = await findUnitRecord(tx, next.parentId);
        if (!parent) {
          throw new AppError('validation_failed', `Unknown parent unit "${next.parentId}".`, {
            field: 'parentId',
          });
        }
        if ((await listUnitSubtreeIds(tx, id)).includes(parent.id)) {
          throw levelMismatch(
            'parentId',
            'A unit cannot be placed under itself or one of its own sub-units.',
          );
        }
        if (!levelFitsUnder(next.level, parent.level)) {
          throw levelMismatch('level', `A ${next.level} unit cannot sit under a ${parent.level} unit.`);
        }
      }
    }
    if (next.level !== current.level) {
      const above = (await listChildUnits(tx, id)).find((child) => !levelFitsUnder(child.level, next.level));
      if (above) {
        throw levelMismatch(
          'level',
          `Sub-unit "${above.code}" is a ${above.level} unit and cannot sit under a ${next.level} unit.`,
        );
      }
    }
  }

  /**
   * Hierarchy checks read the tree and then write it; two concurrent re-parentings could each pass and
   * together form a cycle. Taking the ledger head lock (which every change takes at its end anyway)
   * first makes them run one after the other on PostgreSQL; SQLite already serialises writers.
   */
  private async serialiseHierarchyChanges(tx: Tx): Promise<void> {
    await lockLedgerHead(tx, this.ctx.database.dialect);
  }

  private requireRead(actor: Actor): void {
    if (!canReadUnits(actor)) {
      throw new AppError('forbidden', 'You may not see the unit directory.');
    }
  }

  private requireManage(actor: Actor): void {
    if (!canManageUnits(actor)) {
      throw new AppError('forbidden', 'Only administrators manage units.');
    }
  }
}

const nonZero = (references: UnitReferences): Partial<UnitReferences> =>
  Object.fromEntries(Object.entries(references).filter(([, n]) => n > 0));

function unitInUse(unit: UnitRecord, references: Partial<UnitReferences>): AppError {
  const what = Object.entries(references)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  return new AppError(
    'conflict',
    `The unit "${unit.code}" is in use${what ? ` (${what})` : ''}; it cannot be deleted.`,
    { field: 'id', references },
  );
}

function invalidCsv(problems: UnitCsvProblem[]): AppError {
  const sorted = [...problems].sort((a, b) => a.row - b.row);
  const rows = new Set(sorted.map((p) => p.row)).size;
  return new AppError(
    'invalid_csv',
    `The CSV file has problems on ${rows} row(s); nothing was imported.`,
    sorted.map((p) => ({ ...p })),
  );
}

interface ImportPlan {
  problems: UnitCsvProblem[];
  /** The file's rows, parents before children. */
  ordered: UnitCsvRow[];
  /** The parent code each imported unit ends up with. */
  parentCodeOf: Map<string, string | null>;
}

/**
 * Checks the file's rows against the directory as it will be after the import: parents exist (in the file
 * or the database), levels descend along every changed link, and no row closes a cycle.
 */
function planImport(existing: UnitRecord[], parsed: UnitCsvResult): ImportPlan {
  const { rows, hasParentColumn } = parsed;
  // Codes of rows already refused by the parser: their children are not "unknown parent" as well.
  const refusedCodes = new Set(parsed.codes);
  const codeOfId = new Map(existing.map((u) => [u.id, u.code]));
  const priorParentCode = (unit: UnitRecord | undefined): string | null =>
    unit?.parentId ? (codeOfId.get(unit.parentId) ?? null) : null;
  const byCode = new Map(existing.map((u) => [u.code, u]));
  interface Node {
    level: UnitLevel;
    parentCode: string | null;
    line: number | null;
  }
  const final = new Map<string, Node>();
  for (const unit of existing) {
    final.set(unit.code, { level: unit.level, parentCode: priorParentCode(unit), line: null });
  }
  const parentCodeOf = new Map<string, string | null>();
  for (const row of rows) {
    const parentCode = hasParentColumn ? row.parentCode : priorParentCode(byCode.get(row.code));
    parentCodeOf.set(row.code, parentCode);
    final.set(row.code, { level: row.level, parentCode, line: row.line });
  }

  const problems: UnitCsvProblem[] = [];
  for (const row of rows) {
    const parentCode = parentCodeOf.get(row.code);
    if (parentCode && !final.has(parentCode) && !refusedCodes.has(parentCode)) {
      problems.push({ row: row.line, field: 'parent_code', problem: `unknown parent code "${parentCode}"` });
    }
  }
  for (const [code, node] of final) {
    const parent = node.parentCode ? final.get(node.parentCode) : undefined;
    if (!parent || (node.line === null && parent.line === null) || levelFitsUnder(node.level, parent.level)) {
      continue;
    }
    if (node.line !== null) {
      problems.push({
        row: node.line,
        field: 'level',
        problem: `a ${node.level} unit cannot sit under "${node.parentCode}", a ${parent.level} unit`,
      });
    } else if (parent.line !== null) {
      problems.push({
        row: parent.line,
        field: 'level',
        problem: `existing sub-unit "${code}" is a ${node.level} unit and cannot sit under a ${parent.level} unit`,
      });
    }
  }
  const depth = new Map<string, number>();
  for (const row of rows) {
    let steps = 0;
    let cursor = final.get(row.code)?.parentCode ?? null;
    while (cursor !== null && steps <= final.size) {
      if (cursor === row.code) {
        problems.push({
          row: row.line,
          field: 'parent_code',
          problem: 'the parent chain loops back to this unit',
        });
        break;
      }
      steps++;
      cursor = final.get(cursor)?.parentCode ?? null;
    }
    depth.set(row.code, steps);
  }
  const ordered = [...rows].sort((a, b) => (depth.get(a.code) ?? 0) - (depth.get(b.code) ?? 0));
  return { problems, ordered, parentCodeOf };
}
