import type { Figure } from '../../analysis/figures.ts';
import { extractFigures } from '../../analysis/figures.ts';
import type { DocBlock } from '../../documents/export-docx.ts';
import { buildDocx } from '../../documents/export-docx.ts';
import type { SheetInput } from '../../domain/calculation.ts';
import { evaluateSheet, loadCalculator, validateInputs } from '../../domain/calculation.ts';
import type { ConflictMetrics, ConflictStatus, Rung } from '../../domain/conflict-rules.ts';
import {
  DEFAULT_LADDER,
  ageInDays,
  assertMayDecideAt,
  conflictMachine,
  conflictMetrics,
  highestRung,
  isSettled,
  nextLevel,
  validateLadder,
  validateParties,
} from '../../domain/conflict-rules.ts';
import type { DispositionCode } from '../../domain/disposition-rules.ts';
import { validateDisposition } from '../../domain/disposition-rules.ts';
import { AppError } from '../../domain/errors.ts';
import { dispositionMachine, transition } from '../../domain/state-machines.ts';
import type { Executor, Tx } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import type { RoundStatus } from '../db/schema.ts';
import type { ConflictMethodKind, ConflictMethodStatus } from '../db/tables/conflict.ts';
import { newId } from '../lib/ids.ts';
import {
  canManageConflicts,
  canReadAllConflicts,
  canReadConflictAsParty,
  mayClimbLadder,
} from '../policies/conflict.policy.ts';
import type { PlanScope } from '../policies/plan.policy.ts';
import type {
  ConflictEscalationRow,
  ConflictMethodRow,
  ConflictPartyRow,
  ConflictRow,
} from '../repositories/conflict.repository.ts';
import {
  findConflict,
  findMethod,
  findUnsettledConflictsOf,
  insertConflict,
  insertEscalation,
  insertMethod,
  insertParties,
  listConflictIdsOfUnit,
  listConflictsForMetrics,
  listEscalatedLevels,
  listEscalations,
  listLadderRungs,
  listMethods,
  listOpinionRows,
  listOpinionsWithFollowUp,
  listParties,
  listRoundConflicts,
  listRunningPilots,
  listUnitNames,
  mapAnalysedFigures,
  mapClauses,
  replaceLadderRungs,
  updateConflict,
  updateMethod,
  updateParty,
} from '../repositories/conflict.repository.ts';
import {
  findDisposition,
  findDispositionInStatus,
  insertFollowUp,
  updateDisposition,
} from '../repositories/disposition.repository.ts';
import { findPlan } from '../repositories/plan.repository.ts';
import { listUnitAncestorIds } from '../repositories/unit.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';
import type { RoundContext } from './disposition.service.ts';
import { applyApproval, insertProposal, loadRoundContext } from './disposition.service.ts';
import { notify } from './notification.service.ts';

/*
 * 分歧事项 and their resolution: conflicts opened by a person or confirmed from the analysis' candidates,
 * resolution methods (协调会, 数据论证, 专家咨询, 试点验证), escalation up the plan's ladder (高层协调), and
 * the decision written back into the parties' dispositions. Every change is one transaction with a
 * ledger event.
 */

// ---- records and views ----------------------------------------------------------------------------------

export interface MeetingRecord {
  agenda: string[];
  startsAt: string | null;
  place: string | null;
  attendees: { unitId: string | null; unitName: string | null; people: string[] }[];
  minutes: string | null;
  decisions: string[];
  actions: { text: string; ownerUnitId: string | null; due: string | null; done: boolean }[];
}

export interface SheetRecord {
  question: string | null;
  inputs: SheetInput[];
  formula: string;
  resultUnit: string | null;
  result: { value: number; shown: string; calculatedAt: string } | null;
  conclusion: string | null;
}

export interface PilotRecord {
  scope: string;
  unitIds: string[];
  startsOn: string | null;
  endsOn: string | null;
  successCriteria: string;
  result: string | null;
  /** Follow-ups opened for the conflict's opinions when the round ended with the pilot still running. */
  followUpIds: string[];
}

export interface MethodRecords {
  meeting?: MeetingRecord;
  sheet?: SheetRecord;
  pilot?: PilotRecord;
  note?: string | null;
}

export interface MethodView {
  id: string;
  conflictId: string;
  kind: ConflictMethodKind;
  title: string;
  status: ConflictMethodStatus;
  meeting: MeetingRecord | null;
  sheet: SheetRecord | null;
  pilot: PilotRecord | null;
  note: string | null;
  consultationId: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PartyView {
  id: string;
  opinionId: string;
  regNo: string | null;
  unitId: string | null;
  unitName: string | null;
  side: string;
  position: string | null;
  suggestion: string;
  proposedText: string | null;
  figures: Figure[];
  outcomeCode: DispositionCode | null;
  dispositionId: string | null;
}

export interface EscalationView {
  fromLevel: number | null;
  toLevel: number;
  fromName: string | null;
  toName: string;
  by: string | null;
  reason: string;
  at: string;
}

export interface ConflictSummaryView {
  id: string;
  planId: string;
  roundId: string;
  clauseStableId: string;
  clauseNumber: string | null;
  title: string;
  status: ConflictStatus;
  level: number | null;
  levelName: string | null;
  createdFrom: 'person' | 'candidate';
  units: { id: string; name: string }[];
  parties: number;
  methods: number;
  openedAt: string;
  settledAt: string | null;
  ageDays: number;
}

export interface ConflictView extends Omit<ConflictSummaryView, 'parties' | 'methods'> {
  summary: string | null;
  clauseText: string | null;
  createdBy: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decision: string | null;
  decisionCode: DispositionCode | null;
  updatedAt: string;
  sides: { side: string; parties: PartyView[] }[];
  methods: MethodView[];
  escalations: EscalationView[];
  ladder: Rung[];
  /** What the reader may do now. */
  can: { manage: boolean; escalate: boolean; resolve: boolean; decide: boolean };
}

export interface ConflictInput {
  opinionIds: string[];
  title?: string | null;
  summary?: string | null;
  createdFrom?: 'person' | 'candidate';
  /** Sides by opinion id; by default one side per unit, in the order given. */
  sides?: Record<string, string>;
  /** Positions by opinion id; by default the opinion's suggestion. */
  positions?: Record<string, string>;
}

export interface DecisionInput {
  decision: string;
  /** The code for every party without one of its own. */
  code?: DispositionCode | null;
  outcomes?: { opinionId: string; code: DispositionCode; reason?: string | null }[];
}

export type MeetingInput = Partial<Omit<MeetingRecord, 'attendees'>> & {
  attendees?: { unitId: string | null; unitName?: string | null; people: string[] }[];
};

export interface MethodInput {
  kind: ConflictMethodKind;
  title?: string | null;
  status?: ConflictMethodStatus;
  meeting?: MeetingInput;
  sheet?: Partial<Omit<SheetRecord, 'result'>>;
  pilot?: Partial<Omit<PilotRecord, 'followUpIds'>>;
  note?: string | null;
  consultationId?: string | null;
}

export type MethodPatch = Omit<MethodInput, 'kind'>;

export interface AgendaView {
  conflictId: string;
  title: string;
  items: string[];
  parties: { side: string; unitName: string | null; position: string | null; figures: string[] }[];
  text: string;
}

const SETTLEABLE_ROUNDS: readonly RoundStatus[] = ['open', 'closed', 'assessing', 'feedback'];
const ENDED_ROUNDS: readonly RoundStatus[] = ['feedback', 'finished'];
const KIND_TITLES: Record<ConflictMethodKind, string> = {
  meeting: '协调会',
  data: '数据论证',
  expert: '专家咨询',
  pilot: '试点验证',
};

const parseJson = <T>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

const trimOrNull = (s: string | null | undefined): string | null => (s?.trim() ? s.trim() : null);

function toMethodView(row: ConflictMethodRow): MethodView {
  const record = parseJson<MethodRecords>(row.record, {});
  return {
    id: row.id,
    conflictId: row.conflict_id,
    kind: row.kind,
    title: row.title,
    status: row.status,
    meeting: record.meeting ?? null,
    sheet: record.sheet ?? null,
    pilot: record.pilot ?? null,
    note: record.note ?? null,
    consultationId: row.consultation_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const settledAt = (row: ConflictRow): string | null =>
  row.status === 'decided' ? row.decided_at : row.status === 'resolved' ? row.resolved_at : null;

/** Refuses (409) the final disposition of an opinion held by an unsettled conflict, naming the conflict. */
export async function assertNoUnsettledConflict(db: Executor, opinionId: string): Promise<void> {
  const [held] = await findUnsettledConflictsOf(db, [opinionId]);
  if (held) {
    throw new AppError(
      'conflict',
      `The opinion is in the unresolved conflict "${held.title}" (${held.status.replaceAll('_', ' ')}); its disposition is decided when that conflict is resolved.`,
      { field: 'opinionId', conflictId: held.id, conflictStatus: held.status },
    );
  }
}

// ---- the service ---------------------------------------------------------------------------------------

export class ConflictService {
  constructor(private readonly ctx: ServiceContext) {}

  private now(): string {
    return this.ctx.now().toISOString();
  }

  private async planScope(db: Executor, planId: string): Promise<PlanScope> {
    const plan = await findPlan(db, planId);
    if (!plan) {
      throw new AppError('not_found', 'No such plan.', { field: 'planId' });
    }
    return {
      ownerUnitId: plan.ownerUnitId,
      ownerUnitLineage: plan.ownerUnitId
        ? [plan.ownerUnitId, ...(await listUnitAncestorIds(db, plan.ownerUnitId))]
        : [],
    };
  }

  /** The plan's ladder, or the default one. */
  private async ladder(db: Executor, planId: string): Promise<Rung[]> {
    const rows = await listLadderRungs(db, planId);
    if (rows.length === 0) {
      return DEFAULT_LADDER.map((r) => ({ ...r, userIds: [...r.userIds] }));
    }
    return rows.map((r) => ({
      rank: r.rank,
      name: r.name,
      role: r.role,
      userIds: parseJson<string[]>(r.user_ids, []),
    }));
  }

  private async loadConflict(db: Executor, id: string): Promise<{ conflict: ConflictRow } & RoundContext> {
    const conflict = await findConflict(db, id);
    if (!conflict) {
      throw new AppError('not_found', 'No such conflict.', { field: 'conflictId' });
    }
    return { conflict, ...(await loadRoundContext(db, conflict.round_id)) };
  }

  private assertManager(actor: Actor, scope: PlanScope, what: string): void {
    if (!canManageConflicts(actor, scope)) {
      throw new AppError('forbidden', `Only the plan's organizers ${what}.`);
    }
  }

  // ---- conflicts ------------------------------------------------------------------------------------

  /** Opens a conflict among opinions of at least two units on one clause (by a person or from a candidate). */
  async openConflict(actor: Actor, roundId: string, input: ConflictInput): Promise<ConflictView> {
    const id = newId();
    await inTransaction(this.ctx.database, async (tx) => {
      const { round, scope } = await loadRoundContext(tx, roundId);
      this.assertManager(actor, scope, 'open conflicts');
      const wanted = [...new Set(input.opinionIds)];
      const opinions = await listOpinionRows(tx, wanted);
      const found = new Map(opinions.map((o) => [o.id, o]));
      const invalid = wanted.filter(
        (o) => found.get(o)?.round_id !== roundId || found.get(o)?.status !== 'submitted',
      );
      if (invalid.length > 0) {
        throw new AppError(
          'validation_failed',
          `${invalid.length} of the opinions are not submitted opinions of this round; nothing was written.`,
          { field: 'opinionIds', invalid },
        );
      }
      const ordered = wanted.map((o) => found.get(o)!);
      const clauseStableId = validateParties(
        ordered.map((o) => ({ id: o.id, unitId: o.unit_id, clauseStableId: o.clause_stable_id })),
      );
      const held = await findUnsettledConflictsOf(tx, wanted);
      if (held.length > 0) {
        throw new AppError(
          'conflict',
          `An opinion is in at most one open conflict; ${held.length} of these already are (first: "${held[0]!.title}").`,
          {
            field: 'opinionIds',
            conflictIds: [...new Set(held.map((h) => h.id))],
            opinionIds: held.map((h) => h.opinion_id),
          },
        );
      }
      const analysed = await mapAnalysedFigures(tx, wanted);
      const unitSides = new Map<string, string>();
      const sideOf = (unitId: string | null): string => {
        const key = unitId ?? '';
        if (!unitSides.has(key)) {
          unitSides.set(key, String.fromCharCode(97 + Math.min(unitSides.size, 25)));
        }
        return unitSides.get(key)!;
      };
      const unitNames = await listUnitNames(
        tx,
        ordered.map((o) => o.unit_id).filter((u): u is string => !!u),
      );
      const at = this.now();
      const clauses = await mapClauses(tx, round.version_id, [clauseStableId]);
      const clause = clauses.get(clauseStableId);
      const title =
        trimOrNull(input.title) ??
        `${clause?.number ?? '条款'}：${[...new Set(ordered.map((o) => unitNames.get(o.unit_id ?? '') ?? '?'))].join(' 与 ')}意见分歧`;
      await insertConflict(tx, {
        id,
        plan_id: round.plan_id,
        round_id: roundId,
        clause_stable_id: clauseStableId,
        title,
        summary: trimOrNull(input.summary),
        status: 'open',
        level: null,
        created_from: input.createdFrom ?? 'person',
        created_by: actor.userId,
        opened_at: at,
        resolved_at: null,
        resolved_by: null,
        decided_at: null,
        decided_by: null,
        decision: null,
        decision_code: null,
        updated_at: at,
      });
      const parties = ordered.map((o) => {
        const stored = analysed.get(o.id);
        const figures = stored
          ? parseJson<Figure[]>(stored, [])
          : extractFigures(o.proposed_text ? `${o.suggestion}\n${o.proposed_text}` : o.suggestion);
        return {
          id: newId(),
          conflict_id: id,
          opinion_id: o.id,
          unit_id: o.unit_id,
          side: trimOrNull(input.sides?.[o.id]) ?? sideOf(o.unit_id),
          position: trimOrNull(input.positions?.[o.id]) ?? o.suggestion,
          figures: JSON.stringify(figures),
          outcome_code: null,
          disposition_id: null,
        };
      });
      if (new Set(parties.map((p) => p.side)).size < 2) {
        throw new AppError('validation_failed', 'A conflict has at least two sides.', { field: 'sides' });
      }
      await insertParties(tx, parties);
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'conflict',
        id,
        event: 'conflict.opened',
        payload: {
          roundId,
          clauseStableId,
          createdFrom: input.createdFrom ?? 'person',
          parties: parties.map((p) => ({ opinionId: p.opinion_id, unitId: p.unit_id, side: p.side })),
        },
      });
    });
    return this.getConflict(actor, id);
  }

  /** The conflict board of a round: filters by clause, unit, unit pair and status, with age in days. */
  async listConflicts(
    actor: Actor,
    roundId: string,
    filter: { clauseStableId?: string; status?: ConflictStatus; unitIds?: string[] } = {},
  ): Promise<{ items: ConflictSummaryView[] }> {
    const db = this.ctx.database.db;
    const { round, scope } = await loadRoundContext(db, roundId);
    let conflictIds: string[] | undefined;
    if (!canReadAllConflicts(actor, scope)) {
      if (!actor.unitId) {
        throw new AppError('forbidden', 'This plan belongs to another unit; you may not see its conflicts.');
      }
      conflictIds = await listConflictIdsOfUnit(db, roundId, actor.unitId);
    }
    const rows = await listRoundConflicts(db, roundId, {
      ...(filter.clauseStableId ? { clauseStableId: filter.clauseStableId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(conflictIds ? { conflictIds } : {}),
    });
    const ids = rows.map((r) => r.id);
    const [parties, methods, ladder, clauses] = await Promise.all([
      listParties(db, ids),
      listMethods(db, ids),
      this.ladder(db, round.plan_id),
      mapClauses(db, round.version_id, [...new Set(rows.map((r) => r.clause_stable_id))]),
    ]);
    const now = this.ctx.now();
    const wantedUnits = filter.unitIds ?? [];
    const items: ConflictSummaryView[] = [];
    for (const row of rows) {
      const own = parties.filter((p) => p.conflict_id === row.id);
      const units = new Map<string, string>();
      for (const p of own) {
        if (p.unit_id) {
          units.set(p.unit_id, p.unit_name ?? '');
        }
      }
      if (!wantedUnits.every((u) => units.has(u))) {
        continue;
      }
      items.push({
        id: row.id,
        planId: row.plan_id,
        roundId: row.round_id,
        clauseStableId: row.clause_stable_id,
        clauseNumber: clauses.get(row.clause_stable_id)?.number ?? null,
        title: row.title,
        status: row.status,
        level: row.level,
        levelName: row.level === null ? null : (ladder[row.level]?.name ?? null),
        createdFrom: row.created_from,
        units: [...units].map(([id, name]) => ({ id, name })),
        parties: own.length,
        methods: methods.filter((m) => m.conflict_id === row.id).length,
        openedAt: row.opened_at,
        settledAt: settledAt(row),
        ageDays: ageInDays(row.opened_at, settledAt(row), now),
      });
    }
    return { items };
  }

  async getConflict(actor: Actor, id: string): Promise<ConflictView> {
    const db = this.ctx.database.db;
    const { conflict, round, scope } = await this.loadConflict(db, id);
    const parties = await listParties(db, [id]);
    const readsAll = canReadAllConflicts(actor, scope);
    if (
      !readsAll &&
      !canReadConflictAsParty(
        actor,
        parties.map((p) => p.unit_id),
      )
    ) {
      throw new AppError('forbidden', 'You may see only the conflicts your unit’s opinions are in.');
    }
    const [opinions, methods, escalations, ladder, clauses] = await Promise.all([
      listOpinionRows(
        db,
        parties.map((p) => p.opinion_id),
      ),
      readsAll ? listMethods(db, [id]) : Promise.resolve([]),
      listEscalations(db, [id]),
      this.ladder(db, conflict.plan_id),
      mapClauses(db, round.version_id, [conflict.clause_stable_id]),
    ]);
    return this.present({ actor, scope, conflict, parties, opinions, methods, escalations, ladder, clauses });
  }

  private present(o: {
    actor: Actor;
    scope: PlanScope;
    conflict: ConflictRow;
    parties: (ConflictPartyRow & { unit_name: string | null })[];
    opinions: { id: string; reg_no: string | null; suggestion: string; proposed_text: string | null }[];
    methods: ConflictMethodRow[];
    escalations: ConflictEscalationRow[];
    ladder: Rung[];
    clauses: Map<string, { number: string | null; text: string }>;
  }): ConflictView {
    const { conflict: c, ladder, actor, scope } = o;
    const opinionById = new Map(o.opinions.map((x) => [x.id, x]));
    const partyViews: PartyView[] = o.parties.map((p) => {
      const opinion = opinionById.get(p.opinion_id);
      return {
        id: p.id,
        opinionId: p.opinion_id,
        regNo: opinion?.reg_no ?? null,
        unitId: p.unit_id,
        unitName: p.unit_name,
        side: p.side,
        position: p.position,
        suggestion: opinion?.suggestion ?? '',
        proposedText: opinion?.proposed_text ?? null,
        figures: parseJson<Figure[]>(p.figures, []),
        outcomeCode: p.outcome_code as DispositionCode | null,
        dispositionId: p.disposition_id,
      };
    });
    const sides = [...new Set(partyViews.map((p) => p.side))].map((side) => ({
      side,
      parties: partyViews.filter((p) => p.side === side),
    }));
    const units = new Map<string, string>();
    for (const p of partyViews) {
      if (p.unitId) {
        units.set(p.unitId, p.unitName ?? '');
      }
    }
    const manage = canManageConflicts(actor, scope);
    const own = mayClimbLadder(actor, scope) || manage ? highestRung(ladder, actor) : null;
    const settled = isSettled(c.status);
    const clause = o.clauses.get(c.clause_stable_id);
    return {
      id: c.id,
      planId: c.plan_id,
      roundId: c.round_id,
      clauseStableId: c.clause_stable_id,
      clauseNumber: clause?.number ?? null,
      clauseText: clause?.text ?? null,
      title: c.title,
      summary: c.summary,
      status: c.status,
      level: c.level,
      levelName: c.level === null ? null : (ladder[c.level]?.name ?? null),
      createdFrom: c.created_from,
      createdBy: c.created_by,
      units: [...units].map(([id, name]) => ({ id, name })),
      openedAt: c.opened_at,
      settledAt: settledAt(c),
      ageDays: ageInDays(c.opened_at, settledAt(c), this.ctx.now()),
      resolvedBy: c.resolved_by,
      resolvedAt: c.resolved_at,
      decidedBy: c.decided_by,
      decidedAt: c.decided_at,
      decision: c.decision,
      decisionCode: c.decision_code as DispositionCode | null,
      updatedAt: c.updated_at,
      sides,
      methods: o.methods.map(toMethodView),
      escalations: o.escalations.map((e) => ({
        fromLevel: e.from_level,
        toLevel: e.to_level,
        fromName: e.from_level === null ? null : (ladder[e.from_level]?.name ?? null),
        toName: ladder[e.to_level]?.name ?? String(e.to_level),
        by: e.by,
        reason: e.reason,
        at: e.at,
      })),
      ladder,
      can: {
        manage,
        escalate:
          !settled &&
          (c.level ?? 0) + 1 < ladder.length &&
          (manage || (own !== null && c.level !== null && own >= c.level)),
        resolve: manage && (c.status === 'open' || c.status === 'in_resolution'),
        decide: c.status === 'escalated' && own !== null && c.level !== null && own >= c.level,
      },
    };
  }

  /** Moves a conflict one rung up the ladder, with a reason. */
  async escalate(actor: Actor, id: string, input: { reason: string }): Promise<ConflictView> {
    await inTransaction(this.ctx.database, async (tx) => {
      const { conflict, scope } = await this.loadConflict(tx, id);
      const ladder = await this.ladder(tx, conflict.plan_id);
      if (!canManageConflicts(actor, scope)) {
        if (!mayClimbLadder(actor, scope) || conflict.status !== 'escalated') {
          throw new AppError(
            'forbidden',
            "Only the plan's organizers or the deciders at its rung escalate a conflict.",
          );
        }
        assertMayDecideAt(ladder, actor, conflict.level ?? 0);
      }
      const reason = trimOrNull(input.reason);
      if (!reason) {
        throw new AppError('validation_failed', 'An escalation says why.', { field: 'reason' });
      }
      const status = transition(conflictMachine, conflict.status, 'escalate');
      const level = nextLevel(ladder, conflict.level);
      const at = this.now();
      await updateConflict(tx, id, { status, level, updated_at: at });
      await insertEscalation(tx, {
        id: newId(),
        conflict_id: id,
        from_level: conflict.level,
        to_level: level,
        by: actor.userId,
        reason,
        at,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'conflict',
        id,
        event: 'conflict.escalated',
        payload: {
          before: { status: conflict.status, level: conflict.level },
          after: { status, level, rung: ladder[level]!.name },
          reason,
        },
      });
      await notify(tx, this.ctx, {
        userIds: ladder[level]!.userIds,
        kind: 'conflict_escalated',
        subject: {
          zh: `分歧已提交${ladder[level]!.name}协调`,
          en: `A conflict was escalated to ${ladder[level]!.name}`,
        },
        body: { zh: reason, en: reason },
        link: `/conflicts/${id}`,
        entity: { kind: 'conflict', id },
        dedupeKey: `conflict.escalated:${id}:${level}`,
      });
    });
    return this.getConflict(actor, id);
  }

  /** Resolves at the team level (organizers), writing the decision back into the dispositions. */
  async resolve(actor: Actor, id: string, input: DecisionInput): Promise<ConflictView> {
    await inTransaction(this.ctx.database, async (tx) => {
      const { conflict, round, scope } = await this.loadConflict(tx, id);
      this.assertManager(actor, scope, 'resolve conflicts at the team level');
      const status = transition(conflictMachine, conflict.status, 'resolve');
      await this.settle(tx, {
        actor,
        conflict,
        roundStatus: round.status,
        status,
        input,
        event: 'conflict.resolved',
      });
    });
    return this.getConflict(actor, id);
  }

  /** Decides an escalated conflict, by someone entitled at its rung or above. */
  async decide(actor: Actor, id: string, input: DecisionInput): Promise<ConflictView> {
    await inTransaction(this.ctx.database, async (tx) => {
      const { conflict, round, scope } = await this.loadConflict(tx, id);
      if (!mayClimbLadder(actor, scope) && !canManageConflicts(actor, scope)) {
        throw new AppError(
          'forbidden',
          'Escalated conflicts are decided by the leaders on the plan’s ladder.',
        );
      }
      const status = transition(conflictMachine, conflict.status, 'decide');
      const ladder = await this.ladder(tx, conflict.plan_id);
      assertMayDecideAt(ladder, actor, conflict.level ?? 0);
      await this.settle(tx, {
        actor,
        conflict,
        roundStatus: round.status,
        status,
        input,
        event: 'conflict.decided',
      });
    });
    return this.getConflict(actor, id);
  }

  /**
   * Settles a conflict in an open transaction: each party opinion gets a new approved disposition with
   * basis 'conflict' and the decision as its reason (superseding what it had), linked from its party row.
   */
  private async settle(
    tx: Tx,
    o: {
      actor: Actor;
      conflict: ConflictRow;
      roundStatus: RoundStatus;
      status: ConflictStatus;
      input: DecisionInput;
      event: 'conflict.resolved' | 'conflict.decided';
    },
  ): Promise<void> {
    const { actor, conflict, input } = o;
    if (!SETTLEABLE_ROUNDS.includes(o.roundStatus)) {
      throw new AppError(
        'conflict',
        `Conflicts are settled while the round is open to feedback, not ${o.roundStatus}.`,
        {
          field: 'status',
          state: o.roundStatus,
        },
      );
    }
    const decision = trimOrNull(input.decision);
    if (!decision) {
      throw new AppError('validation_failed', 'A decision is written down.', { field: 'decision' });
    }
    const parties = await listParties(tx, [conflict.id]);
    const partyIds = new Set(parties.map((p) => p.opinion_id));
    const outcomes = new Map((input.outcomes ?? []).map((x) => [x.opinionId, x]));
    const stray = [...outcomes.keys()].filter((k) => !partyIds.has(k));
    if (stray.length > 0) {
      throw new AppError(
        'validation_failed',
        'An outcome names an opinion that is not a party to the conflict.',
        {
          field: 'outcomes',
          invalid: stray,
        },
      );
    }
    const opinions = new Map((await listOpinionRows(tx, [...partyIds])).map((x) => [x.id, x]));
    const at = this.now();
    const written: { opinionId: string; code: DispositionCode; dispositionId: string }[] = [];
    for (const party of parties) {
      const outcome = outcomes.get(party.opinion_id);
      const code = outcome?.code ?? input.code ?? null;
      if (!code) {
        throw new AppError(
          'validation_failed',
          'Every party opinion needs a disposition code: give `code` for all or an outcome for this one.',
          { field: 'outcomes', opinionId: party.opinion_id },
        );
      }
      const opinion = opinions.get(party.opinion_id);
      if (opinion?.status !== 'submitted') {
        throw new AppError(
          'conflict',
          'A party opinion was withdrawn; the conflict cannot write its disposition.',
          {
            field: 'outcomes',
            opinionId: party.opinion_id,
          },
        );
      }
      const valid = validateDisposition({
        code,
        reason: trimOrNull(outcome?.reason) ?? decision,
        basis: 'conflict',
      });
      const earlier = await findDispositionInStatus(tx, opinion.id, 'proposed');
      if (earlier) {
        await updateDisposition(tx, earlier.id, {
          status: transition(dispositionMachine, earlier.status, 'supersede'),
        });
      }
      const dispositionId = await insertProposal(tx, {
        opinionId: opinion.id,
        disposition: valid,
        objectionId: null,
        actor,
        at,
        ledger: this.ctx.ledger,
        extra: { supersedes: earlier?.id ?? null, conflictId: conflict.id },
      });
      await applyApproval(tx, {
        disposition: (await findDisposition(tx, dispositionId))!,
        opinion,
        planId: conflict.plan_id,
        actor,
        at,
        ledger: this.ctx.ledger,
      });
      await updateParty(tx, party.id, { outcome_code: code, disposition_id: dispositionId });
      written.push({ opinionId: opinion.id, code, dispositionId });
    }
    const decided = o.event === 'conflict.decided';
    await updateConflict(tx, conflict.id, {
      status: o.status,
      decision,
      decision_code: input.code ?? null,
      updated_at: at,
      ...(decided
        ? { decided_at: at, decided_by: actor.userId }
        : { resolved_at: at, resolved_by: actor.userId }),
    });
    await this.ctx.ledger.append(tx, {
      actor: actorRef(actor),
      entity: 'conflict',
      id: conflict.id,
      event: o.event,
      payload: {
        before: { status: conflict.status, level: conflict.level },
        after: { status: o.status, level: conflict.level },
        decision,
        outcomes: written,
      },
    });
  }

  // ---- methods --------------------------------------------------------------------------------------

  private async meetingRecord(
    db: Executor,
    conflict: ConflictRow,
    input: MeetingInput,
    base: MeetingRecord | null,
  ): Promise<MeetingRecord> {
    const attendees = input.attendees ?? base?.attendees ?? [];
    const names = await listUnitNames(
      db,
      attendees.map((a) => a.unitId).filter((u): u is string => !!u),
    );
    const unknown = attendees.filter((a) => a.unitId && !names.has(a.unitId));
    if (unknown.length > 0) {
      throw new AppError('validation_failed', 'An attendee names a unit that does not exist.', {
        field: 'meeting.attendees',
        invalid: unknown.map((a) => a.unitId),
      });
    }
    return {
      agenda: input.agenda ?? base?.agenda ?? (await this.draftAgenda(db, conflict)).items,
      startsAt: input.startsAt !== undefined ? input.startsAt : (base?.startsAt ?? null),
      place: input.place !== undefined ? input.place : (base?.place ?? null),
      attendees: attendees.map((a) => ({
        unitId: a.unitId,
        unitName: a.unitId ? names.get(a.unitId)! : (a.unitName ?? null),
        people: a.people,
      })),
      minutes: input.minutes !== undefined ? input.minutes : (base?.minutes ?? null),
      decisions: input.decisions ?? base?.decisions ?? [],
      actions: input.actions ?? base?.actions ?? [],
    };
  }

  private sheetRecord(input: Partial<Omit<SheetRecord, 'result'>>, base: SheetRecord | null): SheetRecord {
    const inputs = input.inputs ?? base?.inputs ?? [];
    validateInputs(inputs);
    const changed = input.inputs !== undefined || input.formula !== undefined;
    return {
      question: input.question !== undefined ? input.question : (base?.question ?? null),
      inputs,
      formula: input.formula ?? base?.formula ?? '',
      resultUnit: input.resultUnit !== undefined ? input.resultUnit : (base?.resultUnit ?? null),
      // A changed input or formula makes the last result stale until calculated again.
      result: changed ? null : (base?.result ?? null),
      conclusion: input.conclusion !== undefined ? input.conclusion : (base?.conclusion ?? null),
    };
  }

  private async pilotRecord(
    db: Executor,
    input: Partial<Omit<PilotRecord, 'followUpIds'>>,
    base: PilotRecord | null,
  ): Promise<PilotRecord> {
    const unitIds = input.unitIds ?? base?.unitIds ?? [];
    const names = await listUnitNames(db, unitIds);
    const unknown = unitIds.filter((u) => !names.has(u));
    if (unknown.length > 0) {
      throw new AppError('validation_failed', 'A pilot names a unit that does not exist.', {
        field: 'pilot.unitIds',
        invalid: unknown,
      });
    }
    const record: PilotRecord = {
      scope: input.scope ?? base?.scope ?? '',
      unitIds,
      startsOn: input.startsOn !== undefined ? input.startsOn : (base?.startsOn ?? null),
      endsOn: input.endsOn !== undefined ? input.endsOn : (base?.endsOn ?? null),
      successCriteria: input.successCriteria ?? base?.successCriteria ?? '',
      result: input.result !== undefined ? input.result : (base?.result ?? null),
      followUpIds: base?.followUpIds ?? [],
    };
    if (!record.scope.trim() || !record.successCriteria.trim()) {
      throw new AppError('validation_failed', 'A pilot states its scope and its success criteria.', {
        field: record.scope.trim() ? 'pilot.successCriteria' : 'pilot.scope',
      });
    }
    if (record.startsOn && record.endsOn && record.endsOn < record.startsOn) {
      throw new AppError('validation_failed', 'A pilot ends after it starts.', { field: 'pilot.endsOn' });
    }
    return record;
  }

  private async buildRecord(
    db: Executor,
    conflict: ConflictRow,
    kind: ConflictMethodKind,
    input: MethodPatch,
    base: MethodRecords,
  ): Promise<MethodRecords> {
    const note = input.note !== undefined ? trimOrNull(input.note) : (base.note ?? null);
    switch (kind) {
      case 'meeting':
        return {
          meeting: await this.meetingRecord(db, conflict, input.meeting ?? {}, base.meeting ?? null),
          note,
        };
      case 'data':
        return { sheet: this.sheetRecord(input.sheet ?? {}, base.sheet ?? null), note };
      case 'pilot':
        return { pilot: await this.pilotRecord(db, input.pilot ?? {}, base.pilot ?? null), note };
      case 'expert':
        return { note };
    }
  }

  /** Starts a resolution method on a conflict; the first one moves it into resolution. */
  async addMethod(actor: Actor, conflictId: string, input: MethodInput): Promise<MethodView> {
    const id = newId();
    await inTransaction(this.ctx.database, async (tx) => {
      const { conflict, scope } = await this.loadConflict(tx, conflictId);
      this.assertManager(actor, scope, 'work on conflicts');
      const status = transition(conflictMachine, conflict.status, 'start_method');
      const record = await this.buildRecord(tx, conflict, input.kind, input, {});
      const at = this.now();
      await insertMethod(tx, {
        id,
        conflict_id: conflictId,
        kind: input.kind,
        title: trimOrNull(input.title) ?? KIND_TITLES[input.kind],
        status: input.status ?? (input.kind === 'pilot' ? 'running' : 'planned'),
        record: JSON.stringify(record),
        consultation_id: input.kind === 'expert' ? (input.consultationId ?? null) : null,
        created_by: actor.userId,
        created_at: at,
        updated_at: at,
      });
      if (status !== conflict.status) {
        await updateConflict(tx, conflictId, { status, updated_at: at });
      }
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'conflict',
        id: conflictId,
        event: 'conflict.method_added',
        payload: { methodId: id, kind: input.kind, before: { status: conflict.status }, after: { status } },
      });
    });
    return toMethodView((await findMethod(this.ctx.database.db, id))!);
  }

  private async loadMethod(db: Executor, id: string) {
    const method = await findMethod(db, id);
    if (!method) {
      throw new AppError('not_found', 'No such method.', { field: 'methodId' });
    }
    return { method, ...(await this.loadConflict(db, method.conflict_id)) };
  }

  /** Updates a method's record (agenda, minutes, sheet, pilot result …) or status. */
  async updateMethod(actor: Actor, id: string, patch: MethodPatch): Promise<MethodView> {
    await inTransaction(this.ctx.database, async (tx) => {
      const { method, conflict, scope } = await this.loadMethod(tx, id);
      this.assertManager(actor, scope, 'work on conflicts');
      if (isSettled(conflict.status) && patch.status === undefined && method.kind !== 'pilot') {
        throw new AppError('conflict', 'The conflict is settled; its methods are kept as they were.', {
          field: 'status',
          state: conflict.status,
        });
      }
      const record = await this.buildRecord(
        tx,
        conflict,
        method.kind,
        patch,
        parseJson<MethodRecords>(method.record, {}),
      );
      const at = this.now();
      await updateMethod(tx, id, {
        title: trimOrNull(patch.title) ?? method.title,
        status: patch.status ?? method.status,
        record: JSON.stringify(record),
        ...(method.kind === 'expert' && patch.consultationId !== undefined
          ? { consultation_id: patch.consultationId }
          : {}),
        updated_at: at,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'conflict',
        id: conflict.id,
        event: 'conflict.method_updated',
        payload: {
          methodId: id,
          kind: method.kind,
          fields: Object.keys(patch).sort(),
          before: { status: method.status },
          after: { status: patch.status ?? method.status },
        },
      });
    });
    return toMethodView((await findMethod(this.ctx.database.db, id))!);
  }

  /**
   * Calculates a data argument's sheet, with optional changes to it saved only if the calculation
   * succeeds; a bad formula or input is a 400 that writes nothing.
   */
  async calculate(
    actor: Actor,
    id: string,
    changes: Partial<Omit<SheetRecord, 'result'>> = {},
  ): Promise<MethodView> {
    await loadCalculator();
    await inTransaction(this.ctx.database, async (tx) => {
      const { method, conflict, scope } = await this.loadMethod(tx, id);
      this.assertManager(actor, scope, 'work on conflicts');
      if (method.kind !== 'data') {
        throw new AppError(
          'conflict',
          `Only a data argument has a calculation sheet; this is a ${method.kind} method.`,
          {
            field: 'kind',
          },
        );
      }
      const record = parseJson<MethodRecords>(method.record, {});
      const sheet = this.sheetRecord(changes, record.sheet ?? null);
      const result = evaluateSheet(sheet);
      const at = this.now();
      const next: MethodRecords = { ...record, sheet: { ...sheet, result: { ...result, calculatedAt: at } } };
      await updateMethod(tx, id, {
        record: JSON.stringify(next),
        status: method.status === 'planned' ? 'running' : method.status,
        updated_at: at,
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'conflict',
        id: conflict.id,
        event: 'conflict.calculated',
        payload: {
          methodId: id,
          formula: sheet.formula,
          inputs: sheet.inputs.map((i) => ({
            name: i.name,
            value: i.value,
            unit: i.unit ?? null,
            source: i.source ?? null,
          })),
          result: result.value,
          resultUnit: sheet.resultUnit,
        },
      });
    });
    return toMethodView((await findMethod(this.ctx.database.db, id))!);
  }

  /** A coordination meeting's agenda drafted from the conflict: the parties, their positions and figures. */
  async agenda(actor: Actor, conflictId: string): Promise<AgendaView> {
    const db = this.ctx.database.db;
    const { conflict, scope } = await this.loadConflict(db, conflictId);
    if (!canReadAllConflicts(actor, scope)) {
      throw new AppError('forbidden', "Agendas are drafted by the plan's organizers.");
    }
    return this.draftAgenda(db, conflict);
  }

  private async draftAgenda(db: Executor, conflict: ConflictRow): Promise<AgendaView> {
    const parties = await listParties(db, [conflict.id]);
    const figuresOf = (json: string) => parseJson<Figure[]>(json, []).map((f) => f.text);
    const lines = parties.map((p) => {
      const figures = figuresOf(p.figures);
      return `${p.side.toUpperCase()}方 ${p.unit_name ?? '（未知单位）'}：${p.position ?? ''}${figures.length ? `（涉及数字：${figures.join('、')}）` : ''}`;
    });
    const items = [
      `一、通报分歧事项：${conflict.title}`,
      `二、各方陈述意见及依据：\n${lines.join('\n')}`,
      '三、数据论证与政策依据研讨',
      '四、形成协调意见，明确后续分工与时限',
    ];
    return {
      conflictId: conflict.id,
      title: `关于“${conflict.title}”的协调会议程`,
      items,
      parties: parties.map((p) => ({
        side: p.side,
        unitName: p.unit_name,
        position: p.position,
        figures: figuresOf(p.figures),
      })),
      text: items.join('\n'),
    };
  }

  /** A meeting's minutes as a Word document (会议纪要). */
  async minutesDocx(actor: Actor, methodId: string): Promise<{ fileName: string; data: Buffer }> {
    const db = this.ctx.database.db;
    const { method, conflict, scope } = await this.loadMethod(db, methodId);
    if (!canReadAllConflicts(actor, scope)) {
      throw new AppError('forbidden', "Meeting minutes are for the plan's organizers and leaders.");
    }
    if (method.kind !== 'meeting') {
      throw new AppError(
        'conflict',
        `Only a coordination meeting has minutes; this is a ${method.kind} method.`,
        {
          field: 'kind',
        },
      );
    }
    const meeting = parseJson<MethodRecords>(method.record, {}).meeting;
    const blocks: DocBlock[] = [
      { type: 'paragraph', text: `分歧事项：${conflict.title}` },
      { type: 'paragraph', text: `时间：${meeting?.startsAt ?? '—'}` },
      { type: 'paragraph', text: `地点：${meeting?.place ?? '—'}` },
      { type: 'heading', text: '一、参会单位及人员' },
      {
        type: 'table',
        columns: [
          { header: '单位', width: 2 },
          { header: '人员', width: 3 },
        ],
        rows: (meeting?.attendees ?? []).map((a) => [a.unitName ?? '', a.people.join('、')]),
      },
      { type: 'heading', text: '二、会议议程' },
      ...(meeting?.agenda ?? []).map((text): DocBlock => ({ type: 'paragraph', text })),
      { type: 'heading', text: '三、会议纪要' },
      { type: 'paragraph', text: meeting?.minutes ?? '' },
      { type: 'heading', text: '四、议定事项' },
      ...(meeting?.decisions ?? []).map((text, i): DocBlock => ({
        type: 'paragraph',
        text: `${i + 1}. ${text}`,
      })),
      { type: 'heading', text: '五、后续工作' },
    ];
    const owners = await listUnitNames(
      db,
      (meeting?.actions ?? []).map((a) => a.ownerUnitId).filter((u): u is string => !!u),
    );
    blocks.push({
      type: 'table',
      columns: [
        { header: '事项', width: 4 },
        { header: '责任单位', width: 2 },
        { header: '完成时限', width: 1 },
      ],
      rows: (meeting?.actions ?? []).map((a) => [
        a.text,
        a.ownerUnitId ? (owners.get(a.ownerUnitId) ?? '') : '',
        a.due ?? '',
      ]),
    });
    const data = await buildDocx({ title: `${method.title}纪要`, subtitle: conflict.title, blocks });
    return { fileName: `${method.title}纪要.docx`, data };
  }

  /**
   * When a round ends with pilots still running, the opinions of their conflicts become follow-ups
   * tracked into implementation. Idempotent: an opinion gets at most one follow-up.
   */
  async followUpRunningPilots(actor: Actor, roundId: string): Promise<{ followUpIds: string[] }> {
    return inTransaction(this.ctx.database, async (tx) => {
      const { round, scope } = await loadRoundContext(tx, roundId);
      this.assertManager(actor, scope, 'turn running pilots into follow-ups');
      if (!ENDED_ROUNDS.includes(round.status)) {
        throw new AppError(
          'conflict',
          `The round has not ended (it is ${round.status}); pilots still run inside it.`,
          {
            field: 'status',
            state: round.status,
          },
        );
      }
      return { followUpIds: await followUpPilotsOfRound(tx, this.ctx, actor, roundId) };
    });
  }

  // ---- ladder and metrics ---------------------------------------------------------------------------

  async getLadder(actor: Actor, planId: string): Promise<{ planId: string; custom: boolean; rungs: Rung[] }> {
    const db = this.ctx.database.db;
    if (!canReadAllConflicts(actor, await this.planScope(db, planId))) {
      throw new AppError('forbidden', 'This plan belongs to another unit; you may not see it.');
    }
    const custom = (await listLadderRungs(db, planId)).length > 0;
    return { planId, custom, rungs: await this.ladder(db, planId) };
  }

  /** Replaces a plan's ladder; an empty list returns the plan to the default ladder. */
  async setLadder(
    actor: Actor,
    planId: string,
    rungs: Omit<Rung, 'rank'>[],
  ): Promise<{ planId: string; custom: boolean; rungs: Rung[] }> {
    await inTransaction(this.ctx.database, async (tx) => {
      this.assertManager(actor, await this.planScope(tx, planId), "set the plan's escalation ladder");
      const valid = rungs.length === 0 ? [] : validateLadder(rungs);
      const before = await this.ladder(tx, planId);
      const top = Math.max(-1, ...(await listEscalatedLevels(tx, planId)));
      const after = valid.length ? valid : [...DEFAULT_LADDER];
      if (top >= after.length) {
        throw new AppError(
          'conflict',
          `A conflict is escalated to level ${top}; the ladder keeps at least ${top + 1} rungs.`,
          {
            field: 'rungs',
          },
        );
      }
      const at = this.now();
      await replaceLadderRungs(
        tx,
        planId,
        valid.map((r) => ({
          id: newId(),
          plan_id: planId,
          rank: r.rank,
          name: r.name,
          role: r.role,
          user_ids: JSON.stringify(r.userIds),
          created_by: actor.userId,
          created_at: at,
        })),
      );
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'plan',
        id: planId,
        event: 'plan.escalation_ladder_set',
        payload: { before, after },
      });
    });
    return this.getLadder(actor, planId);
  }

  /** 分歧解决时间 of a round: median and mean days from opened to settled, and counts per state. */
  async metrics(actor: Actor, roundId: string): Promise<{ roundId: string } & ConflictMetrics> {
    const db = this.ctx.database.db;
    const { scope } = await loadRoundContext(db, roundId);
    if (!canReadAllConflicts(actor, scope)) {
      throw new AppError('forbidden', 'Conflict metrics are for the plan’s organizers and leaders.');
    }
    const rows = await listConflictsForMetrics(db, roundId);
    return {
      roundId,
      ...conflictMetrics(
        rows.map((r) => ({
          status: r.status,
          openedAt: r.opened_at,
          resolvedAt: r.resolved_at,
          decidedAt: r.decided_at,
          escalations: r.escalations,
        })),
      ),
    };
  }
}

/**
 * Opinions of a round's pilots that are still running when the round ends become follow-ups tracked
 * into implementation, inside the caller's transaction. Pilots already followed up are left alone.
 */
export async function followUpPilotsOfRound(
  tx: Tx,
  ctx: Pick<ServiceContext, 'ledger' | 'now'>,
  actor: Actor,
  roundId: string,
): Promise<string[]> {
  const pilots = await listRunningPilots(tx, roundId);
  const created: string[] = [];
  const at = ctx.now().toISOString();
  for (const pilot of pilots) {
    const parties = await listParties(tx, [pilot.conflict_id]);
    const opinionIds = parties.map((p) => p.opinion_id);
    const existing = await listOpinionsWithFollowUp(tx, opinionIds);
    const record = parseJson<MethodRecords>(pilot.record, {});
    const ids: string[] = [];
    for (const opinionId of opinionIds.filter((o) => !existing.has(o))) {
      const followUpId = newId();
      await insertFollowUp(tx, {
        id: followUpId,
        plan_id: pilot.plan_id,
        opinion_id: opinionId,
        status: 'open',
        note: `试点验证进行中：${pilot.title}${record.pilot?.endsOn ? `（至${record.pilot.endsOn}）` : ''}`,
        created_at: at,
        updated_at: at,
      });
      ids.push(followUpId);
    }
    if (ids.length === 0) {
      continue;
    }
    const pilotRecord = record.pilot
      ? { ...record.pilot, followUpIds: [...record.pilot.followUpIds, ...ids] }
      : undefined;
    await updateMethod(tx, pilot.id, {
      record: JSON.stringify({ ...record, ...(pilotRecord ? { pilot: pilotRecord } : {}) }),
      updated_at: at,
    });
    await ctx.ledger.append(tx, {
      actor: actorRef(actor),
      entity: 'conflict',
      id: pilot.conflict_id,
      event: 'conflict.pilot_followed_up',
      payload: { methodId: pilot.id, roundId, followUpIds: ids },
    });
    created.push(...ids);
  }
  return created;
}
