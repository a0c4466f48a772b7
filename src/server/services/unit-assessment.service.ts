import { buildDocx } from '../../documents/export-docx.ts';
import type { DocBlock } from '../../documents/export-docx.ts';
import { AppError } from '../../domain/errors.ts';
import type { MetricCounts } from '../../domain/metrics.ts';
import { EMPTY_COUNTS, addCounts } from '../../domain/metrics.ts';
import type { AssessmentWeightSet, ComponentRates } from '../../domain/unit-assessment.ts';
import {
  ASSESSMENT_COMPONENTS,
  COMPONENT_LABELS_ZH,
  DEFAULT_UNIT_ASSESSMENT_WEIGHTS,
  componentRates,
  describeComponents,
  rankByScore,
  validateWeights,
  weightedScore,
} from '../../domain/unit-assessment.ts';
import { chinaDate } from '../../domain/working-days.ts';
import { inTransaction } from '../db/executor.ts';
import type { UnitLevel } from '../db/schema.ts';
import { countByUnitAndLevel, listUnitsByIds } from '../repositories/metrics.repository.ts';
import { findUnitRecord } from '../repositories/unit.repository.ts';
import type { PeriodRound } from '../repositories/unit-assessment.repository.ts';
import {
  GLOBAL_WEIGHTS_KEY,
  deleteWeightSet,
  findWeightSet,
  listRoundsInPeriod,
  upsertWeightSet,
} from '../repositories/unit-assessment.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import { actorRef } from './context.ts';
import type { PlanService } from './plan.service.ts';

export interface AssessmentQuery {
  /** First and last China-local day of the period (`YYYY-MM-DD`); rounds count by their deadline. */
  from?: string | null;
  to?: string | null;
  level?: UnitLevel | null;
  /** Only plans owned by this unit, scored with its weights. */
  ownerUnitId?: string | null;
}

export interface EffectiveWeights {
  /** The unit whose override was asked for; null for the global default. */
  unitId: string | null;
  weights: AssessmentWeightSet;
  /** Where the weights come from: built-in default, the stored global default, or the unit's override. */
  source: 'default' | 'global' | 'unit';
  updatedAt: string | null;
}

export interface UnitRoundLine {
  roundId: string;
  planId: string;
  planName: string;
  title: string;
  deadline: string;
  counts: MetricCounts;
  components: ComponentRates;
  score: number | null;
}

export interface UnitAssessmentRow {
  unitId: string;
  name: string;
  code: string;
  level: UnitLevel;
  /** Rounds of the period the unit took part in (was invited to or gave opinions in). */
  rounds: number;
  counts: MetricCounts;
  components: ComponentRates;
  score: number | null;
  /** Competition rank among the listed units (ties share); null without a score or for a unit's own view. */
  rank: number | null;
}

export interface UnitAssessment {
  period: { from: string; to: string };
  level: UnitLevel | null;
  ownerUnitId: string | null;
  weights: EffectiveWeights;
  roundCount: number;
  /** Units with a score, i.e. those the ranks are out of. */
  rankedCount: number;
  /** True when the actor sees only their own unit (liaisons, unit heads, experts). */
  ownUnitOnly: boolean;
  units: UnitAssessmentRow[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Actors who oversee consultations (and so may compare units): administrators, organizers, leaders. */
const oversees = (actor: Actor): boolean =>
  actor.roles.some((r) => r === 'admin' || r === 'organizer' || r === 'leader');

const pct = (value: number | null): string => (value === null ? '—' : `${Math.round(value * 1000) / 10}%`);

/** 部门考核: weighted per-unit scores over a period, their weights, and a report per unit. */
export class UnitAssessmentService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly plans: PlanService,
  ) {}

  /** The weights in force for a unit (its override, else the global default), or the global default. */
  async getWeights(_actor: Actor, unitId: string | null = null): Promise<EffectiveWeights> {
    const db = this.ctx.database.db;
    if (unitId) {
      const own = await findWeightSet(db, unitId);
      if (own) {
        return {
          unitId,
          weights: validateWeights(own.weights as object),
          source: 'unit',
          updatedAt: own.updatedAt,
        };
      }
    }
    const global = await findWeightSet(db, GLOBAL_WEIGHTS_KEY);
    return global
      ? {
          unitId,
          weights: validateWeights(global.weights as object),
          source: 'global',
          updatedAt: global.updatedAt,
        }
      : { unitId, weights: { ...DEFAULT_UNIT_ASSESSMENT_WEIGHTS }, source: 'default', updatedAt: null };
  }

  /**
   * Sets the global default (administrators) or one owning unit's override (administrators and that
   * unit's organizers). Refuses weights out of 0..100 or not adding up to 100, naming the field.
   */
  async setWeights(
    actor: Actor,
    input: { unitId?: string | null; weights: Record<string, unknown> },
  ): Promise<EffectiveWeights> {
    const unitId = input.unitId ?? null;
    this.assertMayConfigure(actor, unitId);
    const weights = validateWeights(input.weights);
    if (unitId && !(await findUnitRecord(this.ctx.database.db, unitId))) {
      throw new AppError('not_found', 'No such unit.', { field: 'unitId' });
    }
    const scopeKey = unitId ?? GLOBAL_WEIGHTS_KEY;
    const at = this.ctx.now().toISOString();
    await inTransaction(this.ctx.database, async (tx) => {
      const before = await findWeightSet(tx, scopeKey);
      await upsertWeightSet(tx, { scopeKey, unitId, weights, updatedBy: actor.userId, at });
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'assessment_weight_set',
        id: scopeKey,
        event: 'unit_assessment.weights_set',
        payload: { unitId, before: before?.weights ?? null, after: weights },
      });
    });
    return this.getWeights(actor, unitId);
  }

  /** Drops a unit's override, so the global default applies to it again. */
  async clearWeights(actor: Actor, unitId: string): Promise<EffectiveWeights> {
    this.assertMayConfigure(actor, unitId);
    await inTransaction(this.ctx.database, async (tx) => {
      const before = await findWeightSet(tx, unitId);
      if (!before) {
        throw new AppError('not_found', 'This unit has no weights of its own.', { field: 'unitId' });
      }
      await deleteWeightSet(tx, unitId);
      await this.ctx.ledger.append(tx, {
        actor: actorRef(actor),
        entity: 'assessment_weight_set',
        id: unitId,
        event: 'unit_assessment.weights_cleared',
        payload: { unitId, before: before.weights },
      });
    });
    return this.getWeights(actor, unitId);
  }

  private assertMayConfigure(actor: Actor, unitId: string | null): void {
    if (actor.roles.includes('admin')) {
      return;
    }
    if (unitId === null) {
      throw new AppError('forbidden', 'Only administrators set the default assessment weights.');
    }
    if (!actor.roles.includes('organizer') || actor.unitId !== unitId) {
      throw new AppError('forbidden', "Only the unit's organizers set its assessment weights.");
    }
  }

  /**
   * The weighted score of every unit over the rounds whose deadline falls in the period, of the plans the
   * actor oversees, ranked. Liaisons, unit heads and experts see only their own unit, unranked.
   */
  async assess(actor: Actor, query: AssessmentQuery): Promise<UnitAssessment> {
    const { lines: _lines, ...result } = await this.compute(actor, query);
    return result;
  }

  private async compute(
    actor: Actor,
    query: AssessmentQuery,
  ): Promise<UnitAssessment & { lines: Map<string, UnitRoundLine[]> }> {
    const period = this.period(query);
    const ownerUnitId = query.ownerUnitId ?? null;
    const ownUnitOnly = !oversees(actor);
    if (ownUnitOnly && !actor.unitId) {
      throw new AppError('forbidden', 'Only members of a unit see its assessment.');
    }
    const db = this.ctx.database.db;
    const planIds = ownUnitOnly
      ? null
      : actor.roles.includes('admin')
        ? null
        : (await this.plans.listPlans(actor)).map((p) => p.id);
    const rounds = await listRoundsInPeriod(db, {
      ...period,
      planIds,
      ownerUnitId,
      invitedUnitId: ownUnitOnly ? actor.unitId : null,
    });
    const weights = await this.getWeights(actor, ownerUnitId ?? (ownUnitOnly ? null : actor.unitId));

    const perUnit = await this.countPerUnit(rounds);
    const unitIds = [...perUnit.keys()].filter((id) => !ownUnitOnly || id === actor.unitId);
    const units = (await listUnitsByIds(db, unitIds)).filter((u) => !query.level || u.level === query.level);
    const scored = units.map((unit) => {
      const entry = perUnit.get(unit.id)!;
      const components = componentRates(entry.total);
      return {
        unitId: unit.id,
        name: unit.name,
        code: unit.code,
        level: unit.level,
        rounds: entry.lines.length,
        counts: entry.total,
        components,
        score: weightedScore(components, weights.weights),
        lines: entry.lines.map((line) => ({
          ...line,
          score: weightedScore(line.components, weights.weights),
        })),
      };
    });
    const ranks = rankByScore(scored.map((s) => s.score));
    const rows = scored
      .map((s, i) => ({ ...s, rank: ownUnitOnly ? null : (ranks[i] ?? null) }))
      .sort(
        (a, b) =>
          (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
          a.code.localeCompare(b.code) ||
          a.name.localeCompare(b.name),
      );
    return {
      period,
      level: query.level ?? null,
      ownerUnitId,
      weights,
      roundCount: rounds.length,
      rankedCount: ownUnitOnly ? 0 : scored.filter((s) => s.score !== null).length,
      ownUnitOnly,
      units: rows.map(({ lines: _lines, ...row }) => row),
      lines: new Map(rows.map((r) => [r.unitId, r.lines])),
    };
  }

  /** A unit's assessment report (.docx) for a leader to hand out. */
  async unitReport(
    actor: Actor,
    unitId: string,
    query: AssessmentQuery,
  ): Promise<{ fileName: string; contentType: string; data: Buffer }> {
    if (!oversees(actor) && actor.unitId !== unitId) {
      throw new AppError('forbidden', "You may see only your own unit's assessment.");
    }
    const result = await this.compute(actor, query);
    const row = result.units.find((u) => u.unitId === unitId);
    if (!row) {
      throw new AppError('not_found', 'This unit took part in no round of the period you may see.', {
        field: 'unitId',
      });
    }
    const lines = result.lines.get(unitId) ?? [];
    const { from, to } = result.period;
    const data = await buildDocx({
      title: `${row.name}征求意见工作考核报告`,
      subtitle: `考核期间：${from} 至 ${to}`,
      blocks: reportBlocks(result, row, lines),
    });
    return {
      fileName: `${row.name}-部门考核报告-${from}至${to}.docx`,
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      data,
    };
  }

  private period(query: AssessmentQuery): { from: string; to: string } {
    const today = chinaDate(this.ctx.now());
    const from = query.from ?? `${today.slice(0, 4)}-01-01`;
    const to = query.to ?? today;
    for (const [field, value] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
        throw new AppError('validation_failed', `${field} must be a date YYYY-MM-DD.`, { field });
      }
    }
    if (from > to) {
      throw new AppError('validation_failed', 'The period ends before it starts.', { field: 'to' });
    }
    return { from, to };
  }

  /** Each unit's counts per round and summed, from the metrics repository's per-round aggregates. */
  private async countPerUnit(
    rounds: readonly PeriodRound[],
  ): Promise<Map<string, { total: MetricCounts; lines: Omit<UnitRoundLine, 'score'>[] }>> {
    const db = this.ctx.database.db;
    const out = new Map<string, { total: MetricCounts; lines: Omit<UnitRoundLine, 'score'>[] }>();
    for (const round of rounds) {
      const { groups } = await countByUnitAndLevel(db, { roundId: round.id });
      const byUnit = new Map<string, MetricCounts>();
      for (const g of groups) {
        if (g.unitId) {
          byUnit.set(g.unitId, addCounts(byUnit.get(g.unitId) ?? EMPTY_COUNTS, g));
        }
      }
      for (const [unitId, counts] of byUnit) {
        const entry = out.get(unitId) ?? { total: EMPTY_COUNTS, lines: [] };
        entry.total = addCounts(entry.total, counts);
        entry.lines.push({
          roundId: round.id,
          planId: round.planId,
          planName: round.planName,
          title: round.title,
          deadline: round.deadline,
          counts,
          components: componentRates(counts),
        });
        out.set(unitId, entry);
      }
    }
    return out;
  }
}

const fraction = (n: number, d: number): string => (d === 0 ? '—' : `${n}/${d}`);

function componentFraction(key: (typeof ASSESSMENT_COMPONENTS)[number], c: MetricCounts): string {
  switch (key) {
    case 'onTime':
      return fraction(c.onTime, c.invited);
    case 'completeness':
      return fraction(c.sent, c.invited);
    case 'validity':
      return fraction(c.valid, c.opinions);
    case 'adoption':
      return fraction(c.adopted + c.partiallyAdopted, c.disposed);
    case 'feedback':
      return fraction(c.rated, c.disposed);
  }
}

function reportBlocks(
  result: UnitAssessment,
  row: UnitAssessmentRow,
  lines: readonly UnitRoundLine[],
): DocBlock[] {
  const weights = result.weights.weights;
  const score = row.score === null ? '暂无得分（期间内无可计算的指标）' : `综合得分${row.score}分`;
  const rank = row.rank === null ? '' : `，在${result.rankedCount}个参评单位中排名第${row.rank}位`;
  const { strengths, weaknesses } = describeComponents(row.components, weights);
  return [
    { type: 'heading', text: '一、总体情况' },
    {
      type: 'paragraph',
      text: `考核期间（${result.period.from}至${result.period.to}），${row.name}共参加${row.rounds}轮征求意见，${score}${rank}。`,
    },
    {
      type: 'paragraph',
      text: `得分：${row.score ?? '—'}；排名：${row.rank === null ? '—' : `第${row.rank}名`}`,
    },
    { type: 'heading', text: '二、分项指标' },
    {
      type: 'table',
      columns: [
        { header: '指标', width: 3 },
        { header: '权重', width: 1 },
        { header: '完成情况', width: 2 },
        { header: '比率', width: 2 },
      ],
      rows: ASSESSMENT_COMPONENTS.map((key) => [
        COMPONENT_LABELS_ZH[key],
        `${weights[key]}%`,
        componentFraction(key, row.counts),
        pct(row.components[key]),
      ]),
    },
    { type: 'heading', text: '三、各轮次情况' },
    lines.length === 0
      ? { type: 'paragraph', text: '考核期间无轮次。' }
      : {
          type: 'table',
          columns: [
            { header: '规划', width: 3 },
            { header: '轮次', width: 2 },
            { header: '截止日期', width: 2 },
            { header: '按时反馈', width: 1 },
            { header: '意见（有效）', width: 2 },
            { header: '采纳', width: 1 },
            { header: '得分', width: 1 },
          ],
          rows: lines.map((l) => [
            l.planName,
            l.title,
            l.deadline,
            l.counts.onTime > 0 ? '是' : l.counts.sent > 0 ? '逾期' : '未反馈',
            `${l.counts.opinions}（${l.counts.valid}）`,
            fraction(l.counts.adopted + l.counts.partiallyAdopted, l.counts.disposed),
            l.score === null ? '—' : String(l.score),
          ]),
        },
    { type: 'heading', text: '四、主要优点' },
    ...(strengths.length > 0 ? strengths : ['各项指标均未达到90%，暂无突出优点。']).map((text): DocBlock => ({
      type: 'paragraph',
      text,
    })),
    { type: 'heading', text: '五、存在不足及建议' },
    ...(weaknesses.length > 0 ? weaknesses : ['各项指标均不低于60%，未发现明显不足。']).map(
      (text): DocBlock => ({ type: 'paragraph', text }),
    ),
    {
      type: 'paragraph',
      text: `说明：综合得分按${ASSESSMENT_COMPONENTS.map((k) => `${COMPONENT_LABELS_ZH[k]}${weights[k]}%`).join('、')}加权计算，无数据的指标不计入，其余权重按比例折算。`,
    },
  ];
}
