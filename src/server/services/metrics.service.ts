import type {
  DailyReplies,
  DispositionCounts,
  MetricCounts,
  MetricRates,
  RatingCounts,
} from '../../domain/metrics.ts';
import {
  EMPTY_COUNTS,
  addCounts,
  computeRates,
  countDispositionCodes,
  countRatings,
  daysBetween,
  meanOf,
  sumRepliesByChinaDay,
  unitScore,
} from '../../domain/metrics.ts';
import { AppError } from '../../domain/errors.ts';
import type { ObjectionStatus, UnitLevel } from '../db/schema.ts';
import { canViewRevision } from '../policies/revision.policy.ts';
import type { MetricsScope, RoundBasics } from '../repositories/metrics.repository.ts';
import {
  countByUnitAndLevel,
  countDispositionsByUnitAndCode,
  countFeedbackResponses,
  countFirstRepliesByHour,
  findRoundBasics,
  listRoundCycles,
  listUnitsByIds,
} from '../repositories/metrics.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import type { PlanService } from './plan.service.ts';

export type GroupMetrics = MetricCounts & MetricRates;

export interface UnitMetrics extends GroupMetrics {
  unitId: string;
  name: string;
  code: string;
  level: UnitLevel;
  /** 部门考核: weighted timeliness, validity and adoption, 0..100. */
  score: number | null;
  /** The unit's approved dispositions per code. */
  byCode: DispositionCounts;
}

export interface LevelMetrics extends GroupMetrics {
  level: UnitLevel;
}

export interface ObjectionOutcome {
  raised: number;
  open: number;
  reviewed: number;
  upheld: number;
  changed: number;
  escalated: number;
  dissent: number;
}

export interface RoundCycleMetrics {
  roundId: string;
  seq: number;
  title: string;
  status: string;
  opensAt: string;
  /** The last China-local day on which a reply counts as on time. */
  deadline: string;
  closesAt: string;
  openedAt: string | null;
  closedAt: string | null;
  solicitationDays: number | null;
  integrationDays: number | null;
}

export interface Metrics extends MetricRates {
  scope: { kind: 'round' | 'plan'; id: string; planId: string };
  counts: MetricCounts;
  solicitationDays: number | null;
  integrationDays: number | null;
  /** Median and maximum days from conflict opened to resolved; null until conflicts are recorded. */
  conflictResolutionDays: { median: number; max: number } | null;
  objections: ObjectionOutcome;
  rounds: RoundCycleMetrics[];
  byUnit: UnitMetrics[];
  byLevel: LevelMetrics[];
  /** Units' first replies per China-local day, on time or late (one count per replying invitation). */
  timeline: DailyReplies[];
  /** Approved dispositions per code. */
  byCode: DispositionCounts;
  /** Feedback responses: ratings, confirmations, objections. */
  ratings: RatingCounts;
}

const LEVEL_ORDER: readonly UnitLevel[] = ['province', 'city', 'county'];

/** The §5 metrics of a round or of a whole plan, per unit and per level. */
export class MetricsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly plans: PlanService,
  ) {}

  /** Loads a round, refusing actors who may not see the plan's analysis. */
  async loadRound(actor: Actor, roundId: string): Promise<RoundBasics> {
    const round = await findRoundBasics(this.ctx.database.db, roundId);
    if (!round) {
      throw new AppError('not_found', 'No such round.', { field: 'roundId' });
    }
    const { scope } = await this.plans.loadPlan(actor, round.planId);
    if (!canViewRevision(actor, scope)) {
      throw new AppError('forbidden', "Only the plan's organizers and leaders see its metrics.");
    }
    return round;
  }

  async roundMetrics(actor: Actor, roundId: string): Promise<Metrics> {
    const round = await this.loadRound(actor, roundId);
    return this.compute({ roundId }, { kind: 'round', id: round.id, planId: round.planId });
  }

  async planMetrics(actor: Actor, planId: string): Promise<Metrics> {
    const { scope } = await this.plans.loadPlan(actor, planId);
    if (!canViewRevision(actor, scope)) {
      throw new AppError('forbidden', "Only the plan's organizers and leaders see its metrics.");
    }
    return this.compute({ planId }, { kind: 'plan', id: planId, planId });
  }

  /** The computation itself, for callers that already checked access (exports). */
  async compute(scope: MetricsScope, label: Metrics['scope']): Promise<Metrics> {
    const db = this.ctx.database.db;
    const [{ groups, objections }, cycles, hourly, codes, responses] = await Promise.all([
      countByUnitAndLevel(db, scope),
      listRoundCycles(db, scope),
      countFirstRepliesByHour(db, scope),
      countDispositionsByUnitAndCode(db, scope),
      countFeedbackResponses(db, scope),
    ]);
    const total = groups.reduce((acc, g) => addCounts(acc, g), EMPTY_COUNTS);

    const unitIds = [...new Set(groups.map((g) => g.unitId).filter((id): id is string => id !== null))];
    const units = new Map((await listUnitsByIds(db, unitIds)).map((u) => [u.id, u]));
    const byUnitCounts = new Map<string, MetricCounts>();
    const byLevelCounts = new Map<UnitLevel, MetricCounts>();
    for (const g of groups) {
      if (g.unitId) {
        byUnitCounts.set(g.unitId, addCounts(byUnitCounts.get(g.unitId) ?? EMPTY_COUNTS, g));
      }
      if (g.level) {
        byLevelCounts.set(g.level, addCounts(byLevelCounts.get(g.level) ?? EMPTY_COUNTS, g));
      }
    }
    const byUnit: UnitMetrics[] = [...byUnitCounts.entries()]
      .map(([unitId, counts]) => {
        const unit = units.get(unitId);
        const rates = computeRates(counts);
        const byCode = countDispositionCodes(codes.filter((c) => c.unitId === unitId));
        return {
          unitId,
          name: unit?.name ?? unitId,
          code: unit?.code ?? '',
          level: unit?.level ?? 'province',
          ...counts,
          ...rates,
          score: unitScore({
            timeliness: rates.onTimeRate,
            validity: rates.validOpinionRatio,
            adoption: rates.adoptionRate,
          }),
          byCode,
        };
      })
      .sort(
        (a, b) =>
          LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level) ||
          a.code.localeCompare(b.code) ||
          a.name.localeCompare(b.name),
      );
    const byLevel: LevelMetrics[] = LEVEL_ORDER.filter((level) => byLevelCounts.has(level)).map((level) => {
      const counts = byLevelCounts.get(level)!;
      return { level, ...counts, ...computeRates(counts) };
    });

    const count = (status: ObjectionStatus): number =>
      objections.filter((o) => o.status === status).reduce((n, o) => n + o.n, 0);
    const raised = objections.reduce((n, o) => n + o.n, 0);
    const outcome: ObjectionOutcome = {
      raised,
      open: count('open'),
      reviewed: raised - count('open'),
      upheld: count('upheld'),
      changed: count('changed'),
      escalated: count('escalated'),
      dissent: count('dissent_recorded'),
    };
    const rounds = cycles.map((c) => ({
      roundId: c.roundId,
      seq: c.seq,
      title: c.title,
      status: c.status,
      opensAt: c.opensAt,
      deadline: c.deadline,
      closesAt: c.closesAt,
      openedAt: c.openedAt,
      closedAt: c.closedAt,
      solicitationDays: daysBetween(c.openedAt, c.closedAt),
      integrationDays:
        c.closedAt && c.lastApprovalAt && c.lastApprovalAt > c.closedAt
          ? daysBetween(c.closedAt, c.lastApprovalAt)
          : c.closedAt && c.lastApprovalAt
            ? 0
            : null,
    }));
    return {
      scope: label,
      counts: total,
      ...computeRates(total),
      solicitationDays: meanOf(rounds.map((r) => r.solicitationDays)),
      integrationDays: meanOf(rounds.map((r) => r.integrationDays)),
      conflictResolutionDays: null,
      objections: outcome,
      rounds,
      byUnit,
      byLevel,
      timeline: sumRepliesByChinaDay(hourly),
      byCode: countDispositionCodes(codes),
      ratings: countRatings(responses),
    };
  }
}
