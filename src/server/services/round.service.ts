import { AppError, isAppError } from '../../domain/errors.ts';
import type { RoundPeriod, TargetedQuestion } from '../../domain/round-rules.ts';
import {
  DEFAULT_MAX_OBJECTION_ROUNDS,
  DEFAULT_OBJECTION_WINDOW_DAYS,
  assertNoDuplicates,
  checkCalendarCoverage,
  clausesInScope,
  computeRoundPeriod,
  decideUrgency,
  generateTargetedQuestions,
} from '../../domain/round-rules.ts';
import type { RoundEvent } from '../../domain/state-machines.ts';
import { canTransition, invitationMachine, roundMachine, transition } from '../../domain/state-machines.ts';
import {
  chinaDate,
  endOfChinaDay,
  isDateString,
  isWorkingDay,
  workingDaysBetween,
} from '../../domain/working-days.ts';
import type { Tx } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import type { RoundStatus, RoundTable, SilencePolicy, Visibility } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import type { PlanScope } from '../policies/plan.policy.ts';
import {
  canActForUnit,
  canDecideUrgent,
  canForwardTo,
  canManageRound,
  canReadRound,
  canSeeInvitation,
} from '../policies/round.policy.ts';
import { findVersion } from '../repositories/draft.repository.ts';
import type { ExtensionRecord, InvitationRecord, RoundRecord } from '../repositories/round.repository.ts';
import {
  countInvitations,
  decideExtension,
  findExtension,
  findInvitation,
  findRound,
  hasPendingExtension,
  insertExtension,
  insertInvitations,
  insertRound,
  listExtensionsOfRound,
  listInvitations,
  listInvitationsOfUnit,
  listRoundIdsInvitingUnit,
  listRoundsDueToOpen,
  listRoundsOfPlan,
  listRoundsPastCloseTime,
  listVersionClauses,
  nextRoundSeq,
  recordReminder,
  setInvitationDeadline,
  updateInvitation,
  updateRound,
} from '../repositories/round.repository.ts';
import { findUnitRecord, listUnitSubtreeIds } from '../repositories/unit.repository.ts';
import type { CalendarService } from './calendar.service.ts';
import { followUpPilotsOfRound } from './conflict.service.ts';
import { recordManualReminder } from './reminder.service.ts';
import type { Actor, ServiceContext } from './context.ts';
import { SYSTEM_ACTOR, actorRef } from './context.ts';
import { notify } from './notification.service.ts';
import type { PlanService } from './plan.service.ts';

export type RoundView = RoundRecord;

export interface InvitationView extends Omit<InvitationRecord, 'deadline'> {
  /** The day this unit's reply is due: its own after an extension, else the round's. */
  deadline: string;
  extended: boolean;
}

export type ExtensionView = ExtensionRecord & {
  unitId: string;
  /** Working days the requested date lies beyond the round's own deadline. */
  extraWorkingDays: number;
};

/** One solicitation in a unit's inbox. */
export interface MyInvitationView extends InvitationView {
  roundTitle: string;
  roundSeq: number;
  roundStatus: string;
  roundKind: 'internal' | 'public';
  planId: string;
  planName: string;
  versionId: string;
  /** Working days from today (counted if a working day) to the deadline; negative: working days overdue. */
  workingDaysLeft: number;
}

export interface InvitationInput {
  unitId: string;
  mandatory?: boolean;
  questions?: TargetedQuestion[];
}

export interface RoundInput {
  versionId: string;
  title: string;
  kind: 'internal' | 'public';
  opensAt: string;
  workingDays?: number | null;
  deadline?: string | null;
  scope: string[] | null;
  visibility: Visibility;
  silencePolicy: SilencePolicy;
  objectionWindowDays?: number;
  maxObjectionRounds?: number;
  urgent?: { reason: string } | null;
  invitations?: InvitationInput[];
}

export type RoundPatch = Partial<Omit<RoundInput, 'versionId' | 'invitations'>>;

export interface TickResult {
  opened: string[];
  closed: string[];
}

type Clauses = Awaited<ReturnType<typeof listVersionClauses>>;

function parseInstant(value: string, field: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw new AppError('validation_failed', `${field} must be an ISO date and time.`, { field });
  }
  return date;
}

const TERMINAL_REPLY: ReadonlySet<string> = new Set(['sent']);

/** A unit has replied once it sent a version (even if it now drafts the next) or was deemed to have. */
const hasReplied = (invitation: Pick<InvitationRecord, 'status' | 'replyVersion'>): boolean =>
  invitation.status === 'sent' || invitation.status === 'deemed_no_objection' || invitation.replyVersion > 0;

/**
 * Solicitation rounds (征求轮次) on a draft version: creation with invitations and targeted questions,
 * deadlines on the working-day calendar with minimum periods and urgent approval, the state machine, the
 * automatic open/close tick, cascade forwarding and deadline extensions.
 */
export class RoundService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly plans: PlanService,
    private readonly calendar: CalendarService,
  ) {}

  // ---- access ------------------------------------------------------------------------------------------

  /** The plan scope when the actor may read the plan, else null (the actor may still be an invited unit). */
  private async planScope(actor: Actor, planId: string): Promise<PlanScope | null> {
    try {
      return (await this.plans.loadPlan(actor, planId)).scope;
    } catch (error) {
      if (isAppError(error) && error.code === 'forbidden') {
        return null;
      }
      throw error;
    }
  }

  private async loadRound(id: string): Promise<RoundRecord> {
    const round = await findRound(this.ctx.database.db, id);
    if (!round) {
      throw new AppError('not_found', 'No such round.', { field: 'roundId' });
    }
    return round;
  }

  /** Loads a round the actor manages (the plan's organizers and administrators). */
  private async loadManagedRound(
    actor: Actor,
    id: string,
  ): Promise<{ round: RoundRecord; scope: PlanScope }> {
    const round = await this.loadRound(id);
    const { scope } = await this.plans.loadPlan(actor, round.planId);
    if (!canManageRound(actor, scope)) {
      throw new AppError('forbidden', "Only the plan's organizers manage its rounds.");
    }
    return { round, scope };
  }

  private async loadReadableRound(
    actor: Actor,
    id: string,
  ): Promise<{ round: RoundRecord; scope: PlanScope | null }> {
    const round = await this.loadRound(id);
    const scope = await this.planScope(actor, round.planId);
    const invited =
      !scope && actor.unitId
        ? await listRoundIdsInvitingUnit(this.ctx.database.db, round.planId, actor.unitId)
        : [];
    const invitedUnitIds = invited.includes(round.id) && actor.unitId ? [actor.unitId] : [];
    if (!canReadRound(actor, { plan: scope, status: round.status, invitedUnitIds })) {
      throw new AppError('forbidden', 'You may not see this round.');
    }
    return { round, scope };
  }

  private async loadInvitation(id: string): Promise<{ invitation: InvitationRecord; round: RoundRecord }> {
    const invitation = await findInvitation(this.ctx.database.db, id);
    if (!invitation) {
      throw new AppError('not_found', 'No such invitation.', { field: 'invitationId' });
    }
    return { invitation, round: await this.loadRound(invitation.roundId) };
  }

  private present(round: RoundRecord, invitation: InvitationRecord): InvitationView {
    const deadline = invitation.deadline ?? round.deadline;
    const overdue =
      !TERMINAL_REPLY.has(invitation.status) && this.ctx.now().toISOString() >= endOfChinaDay(deadline);
    return {
      ...invitation,
      deadline,
      extended: invitation.deadline !== null,
      late: invitation.late || overdue,
    };
  }

  // ---- reading -----------------------------------------------------------------------------------------

  async getRound(actor: Actor, id: string): Promise<RoundView> {
    return (await this.loadReadableRound(actor, id)).round;
  }

  /** A plan's rounds: all for readers of the plan, the rounds inviting their unit for invited units. */
  async listRounds(actor: Actor, planId: string): Promise<RoundView[]> {
    const db = this.ctx.database.db;
    const scope = await this.planScope(actor, planId);
    const rounds = await listRoundsOfPlan(db, planId);
    if (scope) {
      return rounds;
    }
    const invited = new Set(actor.unitId ? await listRoundIdsInvitingUnit(db, planId, actor.unitId) : []);
    if (invited.size === 0) {
      throw new AppError('forbidden', 'This plan belongs to another unit; you may not see it.');
    }
    return rounds.filter((r) => invited.has(r.id));
  }

  /** The round monitor: every invitation for the plan's readers; an invited unit sees its own (and forwards). */
  async listInvitations(actor: Actor, roundId: string): Promise<InvitationView[]> {
    const { round, scope } = await this.loadReadableRound(actor, roundId);
    const invitations = await listInvitations(this.ctx.database.db, round.id);
    return invitations
      .filter((i) =>
        canSeeInvitation(actor, { plan: scope, unitId: i.unitId, forwardedByUnitId: i.forwardedByUnitId }),
      )
      .map((i) => this.present(round, i));
  }

  /** The caller's inbox: the invitations of their unit across rounds that have left draft. */
  async listMyInvitations(actor: Actor): Promise<MyInvitationView[]> {
    if (!actor.unitId) {
      return [];
    }
    const rows = await listInvitationsOfUnit(this.ctx.database.db, actor.unitId);
    if (rows.length === 0) {
      return [];
    }
    const calendar = await this.calendar.loadCalendar();
    const today = chinaDate(this.ctx.now());
    return rows.map(({ invitation, round, planName }) => {
      const view = this.present(round, invitation);
      const left =
        view.deadline >= today
          ? workingDaysBetween(calendar, today, view.deadline) + (isWorkingDay(calendar, today) ? 1 : 0)
          : -workingDaysBetween(calendar, view.deadline, today);
      return {
        ...view,
        roundTitle: round.title,
        roundSeq: round.seq,
        roundStatus: round.status,
        roundKind: round.kind,
        planId: round.planId,
        planName,
        versionId: round.versionId,
        workingDaysLeft: left,
      };
    });
  }

  async listExtensions(actor: Actor, roundId: string): Promise<ExtensionView[]> {
    const { round, scope } = await this.loadReadableRound(actor, roundId);
    const db = this.ctx.database.db;
    const unitOf = new Map((await listInvitations(db, round.id)).map((i) => [i.id, i] as const));
    const visible = (await listExtensionsOfRound(db, round.id)).filter((e) => {
      const invitation = unitOf.get(e.invitationId);
      return (
        invitation !== undefined &&
        canSeeInvitation(actor, {
          plan: scope,
          unitId: invitation.unitId,
          forwardedByUnitId: invitation.forwardedByUnitId,
        })
      );
    });
    const calendar = visible.length > 0 ? await this.calendar.loadCalendar() : null;
    return visible.map((e) => ({
      ...e,
      unitId: unitOf.get(e.invitationId)?.unitId ?? '',
      extraWorkingDays: calendar ? workingDaysBetween(calendar, round.deadline, e.requestedUntil) : 0,
    }));
  }

  /** An extension request as the API shows it, with its unit and the working days it adds. */
  private async presentExtension(
    round: RoundRecord,
    invitation: InvitationRecord,
    extensionId: string,
  ): Promise<ExtensionView> {
    const extension = (await findExtension(this.ctx.database.db, extensionId))!;
    const calendar = await this.calendar.loadCalendar();
    return {
      ...extension,
      unitId: invitation.unitId,
      extraWorkingDays: workingDaysBetween(calendar, round.deadline, extension.requestedUntil),
    };
  }

  // ---- creating and editing ----------------------------------------------------------------------------

  private async computePeriod(
    tx: Tx,
    input: {
      kind: 'internal' | 'public';
      opensAt: Date;
      workingDays: number | null;
      deadline: string | null;
    },
    urgentReason: string | null,
  ): Promise<{ period: RoundPeriod; urgentStatus: 'none' | 'pending' }> {
    const calendar = await this.calendar.loadCalendar(tx);
    const field = input.deadline !== null ? 'deadline' : 'workingDays';
    const period = computeRoundPeriod(calendar, {
      opensAt: input.opensAt,
      workingDays: input.workingDays,
      deadline: input.deadline,
    });
    checkCalendarCoverage(calendar, period, field);
    return { period, urgentStatus: decideUrgency(input.kind, period, { field, urgentReason }) };
  }

  private checkScope(scope: string[] | null, clauses: Clauses): void {
    if (scope === null) {
      return;
    }
    if (scope.length === 0) {
      throw new AppError(
        'validation_failed',
        'scope is null (the whole draft) or names at least one clause.',
        {
          field: 'scope',
        },
      );
    }
    assertNoDuplicates(scope, 'scope');
    const known = new Set(clauses.map((c) => c.stableId));
    const unknown = scope.find((id) => !known.has(id));
    if (unknown) {
      throw new AppError('validation_failed', `"${unknown}" is not a clause of this version.`, {
        field: 'scope',
        value: unknown,
      });
    }
  }

  /**
   * Builds invitation rows: units must exist and appear once; given questions must target clauses in the
   * round's scope; missing questions are generated from the unit's responsibility keywords.
   */
  private async buildInvitations(
    tx: Tx,
    options: {
      roundId: string;
      scope: string[] | null;
      clauses: Clauses;
      invitations: InvitationInput[];
      alreadyInvited: ReadonlySet<string>;
      forwardedByUnitId?: string | null;
      deadline?: string | null;
    },
  ) {
    assertNoDuplicates(
      options.invitations.map((i) => i.unitId),
      'invitations',
    );
    const inScope = clausesInScope(options.clauses, options.scope);
    const scopeIds = new Set(inScope.map((c) => c.stableId));
    const now = this.ctx.now().toISOString();
    const rows = [];
    for (const [index, input] of options.invitations.entries()) {
      const unit = await findUnitRecord(tx, input.unitId);
      if (!unit) {
        throw new AppError('validation_failed', `Unknown unit "${input.unitId}".`, {
          field: `invitations.${index}.unitId`,
        });
      }
      if (options.alreadyInvited.has(unit.id)) {
        throw new AppError('conflict', `${unit.name} is already invited to this round.`, {
          field: `invitations.${index}.unitId`,
        });
      }
      let questions = input.questions ?? [];
      for (const q of questions) {
        if (!scopeIds.has(q.clauseStableId)) {
          throw new AppError(
            'validation_failed',
            `"${q.clauseStableId}" is not a clause in the round's scope.`,
            {
              field: `invitations.${index}.questions`,
            },
          );
        }
      }
      if (questions.length === 0) {
        questions = generateTargetedQuestions(unit.keywords, inScope);
      }
      rows.push({
        id: newId(),
        round_id: options.roundId,
        unit_id: unit.id,
        mandatory: input.mandatory ? 1 : 0,
        level: unit.level,
        forwarded_by_unit_id: options.forwardedByUnitId ?? null,
        questions: JSON.stringify(questions),
        status: 'invited' as const,
        deadline: options.deadline ?? null,
        acknowledged_at: null,
        acknowledged_by: null,
        reply_version: 0,
        late: 0,
        created_at: now,
        updated_at: now,
      });
    }
    return rows;
  }

  async createRound(actor: Actor, planId: string, input: RoundInput): Promise<RoundView> {
    const { plan, scope } = await this.plans.loadPlan(actor, planId);
    if (!canManageRound(actor, scope)) {
      throw new AppError('forbidden', "Only the plan's organizers open rounds on it.");
    }
    const title = input.title.trim();
    if (!title) {
      throw new AppError('validation_failed', 'title must not be empty.', { field: 'title' });
    }
    const opensAt = parseInstant(input.opensAt, 'opensAt');
    const urgentReason = input.urgent?.reason.trim() || null;
    const id = newId();
    await inTransaction(this.ctx.database, async (tx) => {
      const version = await findVersion(tx, input.versionId);
      if (!version || version.planId !== plan.id) {
        throw new AppError('validation_failed', 'versionId is not a draft version of this plan.', {
          field: 'versionId',
        });
      }
      const clauses = await listVersionClauses(tx, version.id);
      this.checkScope(input.scope, clauses);
      const { period, urgentStatus } = await this.computePeriod(
        tx,
        {
          kind: input.kind,
          opensAt,
          workingDays: input.workingDays ?? null,
          deadline: input.deadline ?? null,
        },
        urgentReason,
      );
      const invitations = await this.buildInvitations(tx, {
        roundId: id,
        scope: input.scope,
        clauses,
        invitations: input.invitations ?? [],
        alreadyInvited: new Set(),
      });
      const now = this.ctx.now().toISOString();
      const seq = await nextRoundSeq(tx, plan.id);
      const row: RoundTable = {
        id,
        plan_id: plan.id,
        version_id: version.id,
        seq,
        title,
        kind: input.kind,
        status: 'draft',
        scope: input.scope ? JSON.stringify(input.scope) : null,
        visibility: input.visibility,
        silence_policy: input.silencePolicy,
        opens_at: opensAt.toISOString(),
        deadline: period.deadline,
        closes_at: period.closesAt,
        working_days: period.workingDays,
        urgent: urgentStatus === 'pending' ? 1 : 0,
        urgent_reason: urgentStatus === 'pending' ? urgentReason : null,
        urgent_status: urgentStatus,
        urgent_decided_by: null,
        objection_window_days: input.objectionWindowDays ?? DEFAULT_OBJECTION_WINDOW_DAYS,
        max_objection_rounds: input.maxObjectionRounds ?? DEFAULT_MAX_OBJECTION_ROUNDS,
        previous_round_id: null,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
        opened_at: null,
        closed_at: null,
        finished_at: null,
        dedupe_threshold: null,
      };
      await insertRound(tx, row);
      await insertInvitations(tx, invitations);
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'round',
        id,
        event: 'round.created',
        payload: {
          planId: plan.id,
          versionId: version.id,
          seq,
          title,
          kind: input.kind,
          opensAt: row.opens_at,
          deadline: row.deadline,
          closesAt: row.closes_at,
          workingDays: row.working_days,
          calendarDays: period.calendarDays,
          scope: input.scope,
          visibility: input.visibility,
          silencePolicy: input.silencePolicy,
          urgent: urgentStatus === 'pending' ? { reason: urgentReason } : null,
          units: invitations.map((i) => i.unit_id),
        },
      });
      for (const invitation of invitations) {
        await this.appendInvitationCreated(tx, actor, invitation);
      }
    });
    return this.loadRound(id);
  }

  private async appendInvitationCreated(
    tx: Tx,
    actor: Actor,
    invitation: {
      id: string;
      round_id: string;
      unit_id: string;
      mandatory: number;
      level: string;
      questions: string;
    },
  ): Promise<void> {
    await this.ctx.ledger.append(tx, {
      actor: actorRef(actor),
      entity: 'round_invitation',
      id: invitation.id,
      event: 'invitation.created',
      payload: {
        roundId: invitation.round_id,
        unitId: invitation.unit_id,
        mandatory: invitation.mandatory === 1,
        level: invitation.level,
        questions: JSON.parse(invitation.questions) as unknown,
      },
    });
  }

  /** Edits a round while it is a draft; a changed period is checked again (and needs a new urgent approval). */
  async updateRound(actor: Actor, id: string, patch: RoundPatch): Promise<RoundView> {
    const { round } = await this.loadManagedRound(actor, id);
    await inTransaction(this.ctx.database, async (tx) => {
      if (round.status !== 'draft') {
        throw new AppError('conflict', `Only a draft round can be edited; this one is ${round.status}.`, {
          field: 'status',
          state: round.status,
        });
      }
      const changes: Partial<RoundTable> = {};
      if (patch.title !== undefined) {
        const title = patch.title.trim();
        if (!title) {
          throw new AppError('validation_failed', 'title must not be empty.', { field: 'title' });
        }
        changes.title = title;
      }
      if (patch.scope !== undefined) {
        this.checkScope(patch.scope, await listVersionClauses(tx, round.versionId));
        changes.scope = patch.scope ? JSON.stringify(patch.scope) : null;
      }
      if (patch.visibility !== undefined) {
        changes.visibility = patch.visibility;
      }
      if (patch.silencePolicy !== undefined) {
        changes.silence_policy = patch.silencePolicy;
      }
      if (patch.objectionWindowDays !== undefined) {
        changes.objection_window_days = patch.objectionWindowDays;
      }
      if (patch.maxObjectionRounds !== undefined) {
        changes.max_objection_rounds = patch.maxObjectionRounds;
      }
      const timing =
        patch.kind !== undefined ||
        patch.opensAt !== undefined ||
        patch.workingDays !== undefined ||
        patch.deadline !== undefined ||
        patch.urgent !== undefined;
      if (timing) {
        const kind = patch.kind ?? round.kind;
        const opensAt =
          patch.opensAt !== undefined ? parseInstant(patch.opensAt, 'opensAt') : new Date(round.opensAt);
        const byDeadline = patch.deadline !== undefined && patch.deadline !== null;
        const byDays = patch.workingDays !== undefined && patch.workingDays !== null;
        if (byDeadline && byDays) {
          throw new AppError('validation_failed', 'Give either workingDays or deadline (one of the two).', {
            field: 'workingDays',
          });
        }
        const urgentReason =
          patch.urgent === undefined
            ? round.urgentReason
            : patch.urgent
              ? patch.urgent.reason.trim() || null
              : null;
        const { period, urgentStatus } = await this.computePeriod(
          tx,
          {
            kind,
            opensAt,
            workingDays: byDeadline ? null : byDays ? patch.workingDays! : round.workingDays,
            deadline: byDeadline ? patch.deadline! : null,
          },
          urgentReason,
        );
        Object.assign(changes, {
          kind,
          opens_at: opensAt.toISOString(),
          deadline: period.deadline,
          closes_at: period.closesAt,
          working_days: period.workingDays,
          urgent: urgentStatus === 'pending' ? 1 : 0,
          urgent_reason: urgentStatus === 'pending' ? urgentReason : null,
          urgent_status: urgentStatus,
          urgent_decided_by: null,
        } satisfies Partial<RoundTable>);
      }
      const before = Object.fromEntries(
        Object.keys(changes).map((k) => [k, this.rowValue(round, k)] as const),
      );
      await this.updateAndRecord(tx, actor, round, changes, {
        event: 'round.updated',
        payload: { before, after: changes },
      });
    });
    return this.loadRound(round.id);
  }

  private rowValue(round: RoundRecord, column: string): unknown {
    const map: Record<string, unknown> = {
      title: round.title,
      scope: round.scope ? JSON.stringify(round.scope) : null,
      visibility: round.visibility,
      silence_policy: round.silencePolicy,
      objection_window_days: round.objectionWindowDays,
      max_objection_rounds: round.maxObjectionRounds,
      kind: round.kind,
      opens_at: round.opensAt,
      deadline: round.deadline,
      closes_at: round.closesAt,
      working_days: round.workingDays,
      urgent: round.urgent ? 1 : 0,
      urgent_reason: round.urgentReason,
      urgent_status: round.urgentStatus,
      urgent_decided_by: round.urgentDecidedBy,
    };
    return map[column] ?? null;
  }

  // ---- the state machine -------------------------------------------------------------------------------

  /**
   * Applies one round event inside `tx`: the machine decides the next state, the update applies only if
   * the round is still where it was, and the ledger records it.
   */
  private async applyRoundEvent(
    tx: Tx,
    actor: Actor,
    round: RoundRecord,
    event: RoundEvent,
    extra: { changes?: Partial<RoundTable>; ledgerEvent: string; payload?: Record<string, unknown> },
  ): Promise<RoundStatus> {
    const next = transition(roundMachine, round.status, event);
    await this.updateAndRecord(
      tx,
      actor,
      round,
      { ...extra.changes, status: next },
      { event: extra.ledgerEvent, payload: { before: round.status, after: next, ...extra.payload } },
    );
    return next;
  }

  /**
   * Updates the round only if it is still in the status it was loaded in (a conflict otherwise) and
   * records `entry` in the ledger.
   */
  private async updateAndRecord(
    tx: Tx,
    actor: Actor,
    round: RoundRecord,
    changes: Partial<RoundTable>,
    entry: { event: string; payload: Record<string, unknown> },
  ): Promise<void> {
    const ok = await updateRound(tx, round.id, round.status, {
      ...changes,
      updated_at: this.ctx.now().toISOString(),
    });
    if (!ok) {
      throw new AppError('conflict', 'The round changed meanwhile; load it again.', { field: 'status' });
    }
    await this.ctx.ledger.append(tx, {
      actor: actorRef(actor),
      entity: 'round',
      id: round.id,
      event: entry.event,
      payload: entry.payload,
    });
  }

  /** Loads a round its actor manages, runs `step` on it in one transaction and returns the round anew. */
  private async changeManagedRound(
    actor: Actor,
    id: string,
    step: (tx: Tx, round: RoundRecord) => Promise<unknown>,
  ): Promise<RoundView> {
    const { round } = await this.loadManagedRound(actor, id);
    await inTransaction(this.ctx.database, (tx) => step(tx, round));
    return this.loadRound(id);
  }

  async scheduleRound(actor: Actor, id: string): Promise<RoundView> {
    return this.changeManagedRound(actor, id, async (tx, round) => {
      transition(roundMachine, round.status, 'schedule');
      if ((await countInvitations(tx, round.id)) === 0) {
        throw new AppError('conflict', 'Invite at least one unit before scheduling the round.', {
          field: 'invitations',
        });
      }
      if (round.urgentStatus === 'pending' || round.urgentStatus === 'refused') {
        throw new AppError(
          'conflict',
          round.urgentStatus === 'pending'
            ? 'This urgent round waits for a leader to approve its shortened period.'
            : 'A leader refused the shortened period: lengthen it or give a new reason.',
          { field: 'urgent', urgentStatus: round.urgentStatus },
        );
      }
      await this.applyRoundEvent(tx, actor, round, 'schedule', {
        ledgerEvent: 'round.scheduled',
        payload: { opensAt: round.opensAt, closesAt: round.closesAt },
      });
    });
  }

  async unscheduleRound(actor: Actor, id: string): Promise<RoundView> {
    return this.changeManagedRound(actor, id, (tx, round) =>
      this.applyRoundEvent(tx, actor, round, 'unschedule', { ledgerEvent: 'round.unscheduled' }),
    );
  }

  /** Opens a scheduled round now (before its opening time). */
  async openRound(actor: Actor, id: string): Promise<RoundView> {
    return this.changeManagedRound(actor, id, (tx, round) => this.open(tx, actor, round, 'manual'));
  }

  private async open(tx: Tx, actor: Actor, round: RoundRecord, how: 'manual' | 'scheduled'): Promise<void> {
    const now = this.ctx.now().toISOString();
    await this.applyRoundEvent(tx, actor, round, 'open', {
      changes: { opened_at: now },
      ledgerEvent: 'round.opened',
      payload: { how, openedAt: now, closesAt: round.closesAt },
    });
    await notify(tx, this.ctx, {
      unitIds: (await listInvitations(tx, round.id)).map((i) => i.unitId),
      kind: 'invited',
      subject: { zh: `征求意见：${round.title}`, en: `Request for comments: ${round.title}` },
      body: {
        zh: `请于 ${round.deadline.slice(0, 10)} 前提交意见。`,
        en: `Please reply by ${round.deadline.slice(0, 10)}.`,
      },
      link: `/rounds/${round.id}`,
      entity: { kind: 'round', id: round.id },
      dedupeKey: `round.opened:${round.id}`,
    });
  }

  /** Closes an open round now; silence is recorded for every unit that has not sent its reply. */
  async closeRound(actor: Actor, id: string): Promise<RoundView> {
    return this.changeManagedRound(actor, id, (tx, round) => this.close(tx, actor, round, 'manual'));
  }

  private async close(tx: Tx, actor: Actor, round: RoundRecord, how: 'manual' | 'deadline'): Promise<void> {
    const now = this.ctx.now().toISOString();
    await this.applyRoundEvent(tx, actor, round, 'close', {
      changes: { closed_at: now },
      ledgerEvent: 'round.closed',
      payload: { how, closedAt: now },
    });
    const event = round.silencePolicy === 'deemed_no_objection' ? 'deem_no_objection' : 'record_silence';
    for (const invitation of await listInvitations(tx, round.id)) {
      const state = invitation.status;
      if (!canTransition(invitationMachine, state, event)) {
        continue;
      }
      const next = transition(invitationMachine, state, event);
      if (await updateInvitation(tx, invitation.id, invitation.status, { status: next, updated_at: now })) {
        await this.ctx.ledger.append(tx, {
          actor: actorRef(actor),
          entity: 'round_invitation',
          id: invitation.id,
          event: next === 'silent' ? 'invitation.silent' : 'invitation.deemed_no_objection',
          payload: { roundId: round.id, unitId: invitation.unitId, before: invitation.status, after: next },
        });
      }
    }
  }

  async startAssessment(actor: Actor, id: string): Promise<RoundView> {
    return this.changeManagedRound(actor, id, (tx, round) =>
      this.applyRoundEvent(tx, actor, round, 'start_assessment', { ledgerEvent: 'round.assessment_started' }),
    );
  }

  /** Finishes a round whose feedback has gone out (feedback → finished): the round is closed for good. */
  async finishRound(actor: Actor, id: string): Promise<RoundView> {
    return this.changeManagedRound(actor, id, async (tx, round) => {
      const now = this.ctx.now().toISOString();
      const view = await this.applyRoundEvent(tx, actor, round, 'finish', {
        changes: { finished_at: now },
        ledgerEvent: 'round.finished',
        payload: { finishedAt: now },
      });
      // Pilots that outlive the round leave their opinions as follow-ups.
      await followUpPilotsOfRound(tx, this.ctx, actor, id);
      return view;
    });
  }

  /** A leader of the plan's lineage approves or refuses the shortened period of an urgent round. */
  async decideUrgent(actor: Actor, id: string, decision: 'approve' | 'refuse'): Promise<RoundView> {
    const round = await this.loadRound(id);
    const { scope } = await this.plans.loadPlan(actor, round.planId);
    if (!canDecideUrgent(actor, scope)) {
      throw new AppError(
        'forbidden',
        "Only a leader of the plan's unit or a unit above it decides urgent rounds.",
      );
    }
    await inTransaction(this.ctx.database, async (tx) => {
      if (round.urgentStatus !== 'pending') {
        throw new AppError(
          'conflict',
          `No urgent request waits for a decision (urgency: ${round.urgentStatus}).`,
          {
            field: 'urgent',
            urgentStatus: round.urgentStatus,
          },
        );
      }
      const urgentStatus = decision === 'approve' ? 'approved' : 'refused';
      await this.updateAndRecord(
        tx,
        actor,
        round,
        { urgent_status: urgentStatus, urgent_decided_by: actor.userId },
        {
          event: decision === 'approve' ? 'round.urgent_approved' : 'round.urgent_refused',
          payload: { before: 'pending', after: urgentStatus, reason: round.urgentReason },
        },
      );
    });
    return this.loadRound(id);
  }

  /**
   * Opens the scheduled rounds whose time has come and closes the open rounds whose deadline has passed
   * (and every extended unit deadline with it). Each round changes in its own transaction; running twice
   * changes nothing more.
   */
  async tick(): Promise<TickResult> {
    const db = this.ctx.database.db;
    const now = this.ctx.now().toISOString();
    const result: TickResult = { opened: [], closed: [] };
    for (const id of await listRoundsDueToOpen(db, now)) {
      const done = await inTransaction(this.ctx.database, async (tx) => {
        const round = await findRound(tx, id);
        if (!round || round.status !== 'scheduled' || ['pending', 'refused'].includes(round.urgentStatus)) {
          return false;
        }
        await this.open(tx, SYSTEM_ACTOR, round, 'scheduled');
        return true;
      }).catch(ignoreConflict);
      if (done) {
        result.opened.push(id);
      }
    }
    for (const id of await listRoundsPastCloseTime(db, now)) {
      const done = await inTransaction(this.ctx.database, async (tx) => {
        const round = await findRound(tx, id);
        if (!round || round.status !== 'open') {
          return false;
        }
        const invitations = await listInvitations(tx, round.id);
        const lastClose = invitations.reduce(
          (latest, i) =>
            i.deadline && endOfChinaDay(i.deadline) > latest ? endOfChinaDay(i.deadline) : latest,
          round.closesAt,
        );
        if (lastClose > now) {
          return false;
        }
        await this.close(tx, SYSTEM_ACTOR, round, 'deadline');
        return true;
      }).catch(ignoreConflict);
      if (done) {
        result.closed.push(id);
      }
    }
    return result;
  }

  // ---- invitations -------------------------------------------------------------------------------------

  /** Invites more units while the round is a draft, scheduled or open. */
  async addInvitations(
    actor: Actor,
    roundId: string,
    invitations: InvitationInput[],
  ): Promise<InvitationView[]> {
    const { round } = await this.loadManagedRound(actor, roundId);
    if (!['draft', 'scheduled', 'open'].includes(round.status)) {
      throw new AppError('conflict', `Units cannot be invited to a round that is ${round.status}.`, {
        field: 'status',
        state: round.status,
      });
    }
    if (invitations.length === 0) {
      throw new AppError('validation_failed', 'Name at least one unit.', { field: 'invitations' });
    }
    const ids = await inTransaction(this.ctx.database, async (tx) => {
      const existing = await listInvitations(tx, round.id);
      const rows = await this.buildInvitations(tx, {
        roundId: round.id,
        scope: round.scope,
        clauses: await listVersionClauses(tx, round.versionId),
        invitations,
        alreadyInvited: new Set(existing.map((i) => i.unitId)),
      });
      await insertInvitations(tx, rows);
      for (const row of rows) {
        await this.appendInvitationCreated(tx, actor, row);
      }
      return new Set(rows.map((r) => r.id));
    });
    return (await listInvitations(this.ctx.database.db, round.id))
      .filter((i) => ids.has(i.id))
      .map((i) => this.present(round, i));
  }

  private async loadOwnInvitation(
    actor: Actor,
    invitationId: string,
  ): Promise<{ invitation: InvitationRecord; round: RoundRecord }> {
    const loaded = await this.loadInvitation(invitationId);
    if (!canActForUnit(actor, loaded.invitation.unitId)) {
      throw new AppError('forbidden', "Only the invited unit's liaison or head acts on its invitation.");
    }
    return loaded;
  }

  async acknowledge(actor: Actor, invitationId: string): Promise<InvitationView> {
    const { invitation, round } = await this.loadOwnInvitation(actor, invitationId);
    await inTransaction(this.ctx.database, async (tx) => {
      if (round.status !== 'scheduled' && round.status !== 'open') {
        throw new AppError('conflict', `A round that is ${round.status} cannot be acknowledged.`, {
          field: 'status',
          state: round.status,
        });
      }
      const next = transition(invitationMachine, invitation.status, 'acknowledge');
      const now = this.ctx.now().toISOString();
      const ok = await updateInvitation(tx, invitation.id, invitation.status, {
        status: next,
        acknowledged_at: now,
        acknowledged_by: actor.userId,
        updated_at: now,
      });
      if (!ok) {
        throw new AppError('conflict', 'The invitation changed meanwhile; load it again.', {
          field: 'status',
        });
      }
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'round_invitation',
        id: invitation.id,
        event: 'invitation.acknowledged',
        payload: { roundId: round.id, unitId: invitation.unitId, before: invitation.status, after: next },
      });
    });
    return this.present(round, (await findInvitation(this.ctx.database.db, invitationId))!);
  }

  /**
   * Cascade (基层意见直通车): an invited unit forwards the round to units below it while the round is
   * open; their invitations carry their own level and the forwarding unit, and their replies go straight to
   * the organizers.
   */
  async forward(actor: Actor, invitationId: string, unitIds: string[]): Promise<InvitationView[]> {
    const { invitation, round } = await this.loadOwnInvitation(actor, invitationId);
    if (unitIds.length === 0) {
      throw new AppError('validation_failed', 'Name at least one unit to forward to.', { field: 'unitIds' });
    }
    assertNoDuplicates(unitIds, 'unitIds');
    const ids = await inTransaction(this.ctx.database, async (tx) => {
      if (round.status !== 'open') {
        throw new AppError('conflict', `Only an open round can be forwarded; this one is ${round.status}.`, {
          field: 'status',
          state: round.status,
        });
      }
      const subtree = await listUnitSubtreeIds(tx, invitation.unitId);
      const outside = unitIds.find((id) => !canForwardTo(subtree, invitation.unitId, id));
      if (outside) {
        throw new AppError('forbidden', 'A unit forwards only to the units below it.', {
          field: 'unitIds',
          value: outside,
        });
      }
      const existing = await listInvitations(tx, round.id);
      const rows = await this.buildInvitations(tx, {
        roundId: round.id,
        scope: round.scope,
        clauses: await listVersionClauses(tx, round.versionId),
        invitations: unitIds.map((unitId) => ({ unitId })),
        alreadyInvited: new Set(existing.map((i) => i.unitId)),
        forwardedByUnitId: invitation.unitId,
        deadline: invitation.deadline,
      });
      await insertInvitations(tx, rows);
      for (const row of rows) {
        await this.ctx.ledger.append(tx, {
          actor: actorRef(actor),
          entity: 'round_invitation',
          id: row.id,
          event: 'invitation.forwarded',
          payload: {
            roundId: round.id,
            unitId: row.unit_id,
            level: row.level,
            forwardedByUnitId: invitation.unitId,
            fromInvitationId: invitation.id,
            questions: JSON.parse(row.questions) as unknown,
          },
        });
      }
      return new Set(rows.map((r) => r.id));
    });
    return (await listInvitations(this.ctx.database.db, round.id))
      .filter((i) => ids.has(i.id))
      .map((i) => this.present(round, i));
  }

  /**
   * Reminds an invited unit that has not sent its reply, while the round is open: counted and stamped on the
   * invitation, recorded in the ledger and as a reminder of the round monitor, and handed to the unit's
   * notification channels, in one transaction.
   */
  async remind(actor: Actor, invitationId: string, input: { note?: string | null }): Promise<InvitationView> {
    const { invitation } = await this.loadInvitation(invitationId);
    const { round } = await this.loadManagedRound(actor, invitation.roundId);
    const note = input.note?.trim() || null;
    await inTransaction(this.ctx.database, async (tx) => {
      if (round.status !== 'open') {
        throw new AppError(
          'conflict',
          `Units are reminded only while the round is open, not ${round.status}.`,
          {
            field: 'status',
            state: round.status,
          },
        );
      }
      if (hasReplied(invitation)) {
        throw new AppError('conflict', `${invitation.unitName} has already sent its reply.`, {
          field: 'status',
          state: invitation.status,
        });
      }
      const now = this.ctx.now().toISOString();
      if (!(await recordReminder(tx, invitation.id, invitation.status, now))) {
        throw new AppError('conflict', 'The invitation changed meanwhile; load it again.', {
          field: 'status',
        });
      }
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'round_invitation',
        id: invitation.id,
        event: 'invitation.reminded',
        payload: {
          roundId: round.id,
          unitId: invitation.unitId,
          status: invitation.status,
          deadline: invitation.deadline ?? round.deadline,
          reminder: invitation.reminderCount + 1,
          note,
        },
      });
      await recordManualReminder(tx, this.ctx, { invitationId: invitation.id, actor, note, at: now });
    });
    return this.present(round, (await findInvitation(this.ctx.database.db, invitationId))!);
  }

  // ---- extensions --------------------------------------------------------------------------------------

  async requestExtension(
    actor: Actor,
    invitationId: string,
    input: { until: string; reason: string },
  ): Promise<ExtensionView> {
    const { invitation, round } = await this.loadOwnInvitation(actor, invitationId);
    const reason = input.reason.trim();
    if (!reason) {
      throw new AppError('validation_failed', 'Give the reason for more time.', { field: 'reason' });
    }
    if (!isDateString(input.until)) {
      throw new AppError('validation_failed', 'until must be a date (YYYY-MM-DD).', { field: 'until' });
    }
    const current = invitation.deadline ?? round.deadline;
    if (input.until <= current) {
      throw new AppError('validation_failed', `until must come after the current deadline ${current}.`, {
        field: 'until',
      });
    }
    const id = newId();
    await inTransaction(this.ctx.database, async (tx) => {
      if (round.status !== 'open' && round.status !== 'closed') {
        throw new AppError('conflict', `More time cannot be asked for in a round that is ${round.status}.`, {
          field: 'status',
          state: round.status,
        });
      }
      if (TERMINAL_REPLY.has(invitation.status)) {
        throw new AppError('conflict', 'The reply was already sent.', {
          field: 'status',
          state: invitation.status,
        });
      }
      if (await hasPendingExtension(tx, invitation.id)) {
        throw new AppError('conflict', 'A request for more time already waits for a decision.', {
          field: 'until',
        });
      }
      await insertExtension(tx, {
        id,
        invitation_id: invitation.id,
        requested_until: input.until,
        reason,
        status: 'pending',
        requested_by: actor.userId,
        decided_by: null,
        decided_at: null,
        created_at: this.ctx.now().toISOString(),
      });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'extension_request',
        id,
        event: 'extension.requested',
        payload: {
          invitationId: invitation.id,
          roundId: round.id,
          unitId: invitation.unitId,
          until: input.until,
          reason,
        },
      });
    });
    return this.presentExtension(round, invitation, id);
  }

  /**
   * The plan's organizers grant or refuse a request for more time. Granting gives the unit its own deadline
   * and opens a closed round again so that it can reply.
   */
  async decideExtension(
    actor: Actor,
    extensionId: string,
    decision: 'grant' | 'refuse',
  ): Promise<ExtensionView> {
    const extension = await findExtension(this.ctx.database.db, extensionId);
    if (!extension) {
      throw new AppError('not_found', 'No such extension request.', { field: 'extensionId' });
    }
    const { invitation } = await this.loadInvitation(extension.invitationId);
    const { round } = await this.loadManagedRound(actor, invitation.roundId);
    await inTransaction(this.ctx.database, async (tx) => {
      if (extension.status !== 'pending') {
        throw new AppError('conflict', `This request was already ${extension.status}.`, {
          field: 'status',
          state: extension.status,
        });
      }
      const now = this.ctx.now().toISOString();
      if (decision === 'grant' && round.status !== 'open') {
        // Reopening is the only way to give more time once the round has closed; a later state refuses it.
        await this.applyRoundEvent(tx, actor, round, 'reopen', {
          changes: { closed_at: null },
          ledgerEvent: 'round.reopened',
          payload: { extensionId: extension.id, unitId: invitation.unitId, until: extension.requestedUntil },
        });
      }
      const ok = await decideExtension(tx, extension.id, {
        status: decision === 'grant' ? 'granted' : 'refused',
        decidedBy: actor.userId,
        decidedAt: now,
      });
      if (!ok) {
        throw new AppError('conflict', 'This request was decided meanwhile.', { field: 'status' });
      }
      if (decision === 'grant') {
        await setInvitationDeadline(tx, invitation.id, extension.requestedUntil, now);
      }
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'extension_request',
        id: extension.id,
        event: decision === 'grant' ? 'extension.granted' : 'extension.refused',
        payload: {
          invitationId: invitation.id,
          roundId: round.id,
          unitId: invitation.unitId,
          before: invitation.deadline ?? round.deadline,
          after: decision === 'grant' ? extension.requestedUntil : (invitation.deadline ?? round.deadline),
        },
      });
    });
    return this.presentExtension(round, invitation, extensionId);
  }
}

/** A tick racing another instance's tick (or a person) loses quietly: the other one made the change. */
function ignoreConflict(error: unknown): false {
  if (isAppError(error) && error.code === 'conflict') {
    return false;
  }
  throw error;
}
