import { BASIS_LABELS, DISPOSITION_LABELS } from '../../domain/disposition-rules.ts';
import { AppError } from '../../domain/errors.ts';
import type { RevisedClause } from '../../domain/revision.ts';
import type { DocBlock } from '../../documents/export-docx.ts';
import { buildDocx } from '../../documents/export-docx.ts';
import type { XlsxColumn, XlsxValue } from '../../documents/export-xlsx.ts';
import { buildXlsx } from '../../documents/export-xlsx.ts';
import { buildTrackedDocx } from '../../documents/tracked-changes.ts';
import type { DispositionCode, OpinionKind, OpinionStatus, UnitLevel } from '../db/schema.ts';
import { canViewRevision } from '../policies/revision.policy.ts';
import { findVersion } from '../repositories/draft.repository.ts';
import type { OpinionExportRow } from '../repositories/export.repository.ts';
import {
  countDispositionsByCode,
  listDissent,
  listOpinionLabels,
  listOpinionsForExport,
  listRoundLedgerEvents,
} from '../repositories/export.repository.ts';
import type { RoundBasics } from '../repositories/metrics.repository.ts';
import { findRoundBasics } from '../repositories/metrics.repository.ts';
import { isUnitInvited } from '../repositories/round.repository.ts';
import { findUnitById } from '../repositories/unit.repository.ts';
import { latestRevisionOnVersion } from '../repositories/revision.repository.ts';
import type { Actor, ServiceContext } from './context.ts';
import type { MetricsService } from './metrics.service.ts';
import type { PlanService } from './plan.service.ts';
import type { RevisionService } from './revision.service.ts';

import type { ExportFormat, ExportKind } from './export-kinds.ts';

export { EXPORT_KINDS } from './export-kinds.ts';
export type { ExportFormat, ExportKind } from './export-kinds.ts';

export interface ExportFile {
  fileName: string;
  contentType: string;
  data: Buffer;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  jsonl: 'application/x-ndjson; charset=utf-8',
};

/** The formats each kind comes in; the first is the default. */
const FORMATS: Record<ExportKind, readonly ExportFormat[]> = {
  opinions: ['xlsx', 'docx'],
  dispositions: ['xlsx', 'docx'],
  comparison: ['docx'],
  revision: ['docx'],
  report: ['docx'],
  ledger: ['jsonl'],
};

/** Kinds a unit's own people may export, narrowed to their unit's rows. */
const PER_UNIT: ReadonlySet<ExportKind> = new Set(['opinions', 'dispositions']);

const KIND_LABELS: Record<OpinionKind, string> = {
  substantive: '实质性',
  editorial: '文字性',
  question: '询问',
};
const STATUS_LABELS: Record<OpinionStatus, string> = {
  draft: '草稿',
  submitted: '已提交',
  withdrawn: '已撤回',
};
export const LEVEL_LABELS: Record<UnitLevel, string> = { province: '省级', city: '市级', county: '县级' };

const percent = (value: number | null): string => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);
const days = (value: number | null): string => (value === null ? '—' : `${value} 天`);
const safeName = (name: string): string => name.replace(/[\\/:*?"<>|\r\n]+/g, '_').slice(0, 120);

type OpinionColumn = XlsxColumn & { value: (r: OpinionExportRow) => XlsxValue };

const REG_NO_COLUMN: OpinionColumn = { header: '登记号', key: 'regNo', width: 12, value: (r) => r.regNo };
const UNIT_COLUMN: OpinionColumn = { header: '提出单位', key: 'unit', width: 22, value: (r) => r.unitName };
const CLAUSE_COLUMN: OpinionColumn = {
  header: '条款',
  key: 'clause',
  width: 14,
  value: (r) => r.clauseNumber ?? (r.clausePath ? null : '全文'),
};

const OPINION_COLUMNS: OpinionColumn[] = [
  REG_NO_COLUMN,
  UNIT_COLUMN,
  { header: '层级', key: 'level', width: 8, value: (r) => (r.level ? LEVEL_LABELS[r.level] : null) },
  CLAUSE_COLUMN,
  { header: '条款位置', key: 'path', width: 22, value: (r) => r.clausePath },
  { header: '具体建议', key: 'suggestion', width: 48, value: (r) => r.suggestion },
  { header: '理由依据', key: 'reasons', width: 40, value: (r) => r.reasons },
  { header: '建议修改为', key: 'proposed', width: 40, value: (r) => r.proposedText },
  { header: '类别', key: 'kind', width: 10, value: (r) => KIND_LABELS[r.kind] },
  { header: '状态', key: 'status', width: 10, value: (r) => STATUS_LABELS[r.status] },
];

const DISPOSITION_COLUMNS: OpinionColumn[] = [
  REG_NO_COLUMN,
  UNIT_COLUMN,
  CLAUSE_COLUMN,
  { header: '意见摘要', key: 'suggestion', width: 48, value: (r) => r.suggestion },
  {
    header: '处理意见',
    key: 'code',
    width: 14,
    value: (r) =>
      r.status === 'withdrawn'
        ? '已撤回'
        : r.dispositionCode
          ? DISPOSITION_LABELS[r.dispositionCode]
          : '待处理',
  },
  { header: '理由', key: 'reason', width: 44, value: (r) => r.dispositionReason },
  {
    header: '依据类别',
    key: 'basis',
    width: 18,
    value: (r) => (r.dispositionBasis ? BASIS_LABELS[r.dispositionBasis] : null),
  },
];

/** The documents people expect from a round: tables in .xlsx/.docx, the redline, the report, the ledger. */
export class ExportService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly plans: PlanService,
    private readonly deps: { revisions: RevisionService; metrics: MetricsService },
  ) {}

  async exportRound(
    actor: Actor,
    input: { roundId: string; kind: ExportKind; format?: ExportFormat; unitId?: string },
  ): Promise<ExportFile> {
    const db = this.ctx.database.db;
    const round = await findRoundBasics(db, input.roundId);
    if (!round) {
      throw new AppError('not_found', 'No such round.', { field: 'roundId' });
    }
    const { plan, scope } = await this.plans.loadPlan(actor, round.planId).catch(async (error: unknown) => {
      // People of an invited unit reach the plan through the round, for their own rows.
      if (actor.unitId && PER_UNIT.has(input.kind) && (await isUnitInvited(db, round.id, actor.unitId))) {
        return { plan: null, scope: null };
      }
      throw error;
    });
    if (input.unitId !== undefined && !PER_UNIT.has(input.kind)) {
      throw new AppError(
        'validation_failed',
        `${input.kind} is exported for the whole round; unitId narrows only ${[...PER_UNIT].join(' and ')}.`,
        { field: 'unitId' },
      );
    }
    const full = scope !== null && canViewRevision(actor, scope);
    let unitId = input.unitId;
    if (full && unitId !== undefined && !(await isUnitInvited(db, round.id, unitId))) {
      throw new AppError('validation_failed', 'unitId is not a unit invited to this round.', {
        field: 'unitId',
      });
    }
    if (!full) {
      const ownUnit =
        PER_UNIT.has(input.kind) &&
        actor.unitId !== null &&
        (actor.roles.includes('liaison') || actor.roles.includes('unit_head')) &&
        (await isUnitInvited(db, round.id, actor.unitId));
      if (!ownUnit || (unitId !== undefined && unitId !== actor.unitId)) {
        throw new AppError(
          'forbidden',
          "Only the plan's organizers export this; a unit exports its own rows only.",
        );
      }
      unitId = actor.unitId ?? undefined;
    }
    const formats = FORMATS[input.kind];
    const format = input.format ?? formats[0]!;
    if (!formats.includes(format)) {
      throw new AppError('validation_failed', `${input.kind} is exported as ${formats.join(' or ')}.`, {
        field: 'format',
      });
    }
    const planName = plan?.name ?? '';
    const base = { round, planName, unitId, format };
    switch (input.kind) {
      case 'opinions':
        return this.opinionTable(base, '意见汇总表', OPINION_COLUMNS);
      case 'dispositions':
        return this.opinionTable(base, '意见采纳情况表', DISPOSITION_COLUMNS);
      case 'comparison':
        return this.comparison(base);
      case 'revision':
        return this.revisedDraft(base, actor);
      case 'report':
        return this.report(base);
      case 'ledger':
        return this.ledger(round);
    }
  }

  private file(name: string, format: ExportFormat, data: Buffer): ExportFile {
    return { fileName: `${safeName(name)}.${format}`, contentType: CONTENT_TYPES[format], data };
  }

  private async unitName(unitId: string | undefined): Promise<string | null> {
    return unitId ? ((await findUnitById(this.ctx.database.db, unitId))?.name ?? null) : null;
  }

  private async opinionTable(
    base: { round: RoundBasics; planName: string; unitId: string | undefined; format: ExportFormat },
    title: string,
    columns: OpinionColumn[],
  ): Promise<ExportFile> {
    const rows = await listOpinionsForExport(this.ctx.database.db, base.round.id, base.unitId);
    const unitName = await this.unitName(base.unitId);
    const name = [title, base.round.title, unitName].filter(Boolean).join('-');
    if (base.format === 'xlsx') {
      const data = await buildXlsx({
        tables: [
          {
            sheetName: title,
            columns,
            rows: rows.map((r) => Object.fromEntries(columns.map((c) => [c.key, c.value(r)]))),
          },
        ],
      });
      return this.file(name, 'xlsx', data);
    }
    const data = await buildDocx({
      title,
      subtitle: [base.planName, base.round.title, unitName].filter(Boolean).join(' · '),
      landscape: true,
      blocks: [
        {
          type: 'table',
          columns: columns.map((c) => ({ header: c.header, width: c.width })),
          rows: rows.map((r) => columns.map((c) => String(c.value(r) ?? ''))),
        },
      ],
    });
    return this.file(name, 'docx', data);
  }

  /** The revision of the round's version (the latest one), with its resulting clauses. */
  private async revisionOf(round: RoundBasics, actor: Actor) {
    const revision = await latestRevisionOnVersion(this.ctx.database.db, round.versionId);
    if (!revision) {
      throw new AppError('not_found', 'No revision has been started on this round’s draft yet.', {
        field: 'kind',
      });
    }
    return this.deps.revisions.getRevision(actor, revision.id);
  }

  private async comparison(base: { round: RoundBasics; planName: string }): Promise<ExportFile> {
    const { changes, clauses } = await this.revisionOf(base.round, this.systemLike());
    const opinionLabels = new Map(
      (await listOpinionLabels(this.ctx.database.db, [...new Set(changes.flatMap((c) => c.opinionIds))])).map(
        (o) => [o.id, o],
      ),
    );
    const changeOf = new Map(changes.map((c) => [c.id, c]));
    const changed = clauses.filter((c) => c.status !== 'unchanged' && c.changeId !== null);
    const label = (c: RevisedClause): string => {
      if (c.status === 'inserted') {
        return `${c.number ?? ''}（新增）`.trim();
      }
      const before = c.previous?.number ?? null;
      if (c.status === 'deleted') {
        return `${before ?? c.path}（删除）`;
      }
      return before && c.number && before !== c.number
        ? `原${before}（现${c.number}）`
        : (c.number ?? c.path);
    };
    const rows = changed.map((c) => {
      const change = changeOf.get(c.changeId!)!;
      const basis = change.opinionIds
        .map((id) => opinionLabels.get(id))
        .filter((o) => o !== undefined)
        .map((o) => `${o.regNo ?? ''}${o.unitName ? `（${o.unitName}）` : ''}`);
      const reason = [change.reason, basis.length > 0 ? `依据意见：${basis.join('、')}` : null]
        .filter(Boolean)
        .join('\n');
      return [
        label(c),
        c.status === 'inserted' ? '（无）' : (c.previous?.text ?? ''),
        c.status === 'deleted' ? '（删除）' : c.text,
        reason,
      ];
    });
    const data = await buildDocx({
      title: '修改对照表',
      subtitle: [base.planName, base.round.title].filter(Boolean).join(' · '),
      landscape: true,
      blocks: [
        {
          type: 'table',
          columns: [
            { header: '条款', width: 2 },
            { header: '原文', width: 5 },
            { header: '修改后', width: 5 },
            { header: '修改理由/依据意见', width: 4 },
          ],
          rows,
        },
      ],
    });
    return this.file(`修改对照表-${base.round.title}`, 'docx', data);
  }

  private async revisedDraft(
    base: { round: RoundBasics; planName: string },
    actor: Actor,
  ): Promise<ExportFile> {
    const { revision, clauses } = await this.revisionOf(base.round, this.systemLike());
    const version = await findVersion(this.ctx.database.db, revision.baseVersionId);
    const title = version?.title ?? base.planName;
    const data = await buildTrackedDocx({
      title: `${title}（修改稿）`,
      clauses,
      author: actor.name || '编制组',
      date: (revision.publishedAt ?? this.ctx.now().toISOString()).replace(/\.\d{3}Z$/, 'Z'),
    });
    return this.file(`${title}-修改稿（修订模式）`, 'docx', data);
  }

  private async report(base: { round: RoundBasics; planName: string }): Promise<ExportFile> {
    const db = this.ctx.database.db;
    const round = base.round;
    const [metrics, byCode, dissent] = await Promise.all([
      this.deps.metrics.compute({ roundId: round.id }, { kind: 'round', id: round.id, planId: round.planId }),
      countDispositionsByCode(db, round.id),
      listDissent(db, round.id),
    ]);
    const c = metrics.counts;
    const blocks: DocBlock[] = [
      { type: 'heading', text: '一、征求意见基本情况' },
      {
        type: 'paragraph',
        text:
          `${base.planName}（${round.title}）于${round.openedAt?.slice(0, 10) ?? '—'}开始征求意见，` +
          `${round.closedAt ? `${round.closedAt.slice(0, 10)}截止` : `截止日期为${round.deadline}`}，征求周期${days(metrics.solicitationDays)}。` +
          `共征求${c.invited}家单位意见，${c.sent}家单位回复（含无意见），参与率${percent(metrics.participationRate)}；` +
          `按期回复${c.onTime}家，意见回收率${percent(metrics.onTimeRate)}。`,
      },
      { type: 'heading', text: '二、意见收集情况' },
      {
        type: 'paragraph',
        text: `共收到意见${c.opinions}条，其中有效意见${c.valid}条，有效意见占比${percent(metrics.validOpinionRatio)}。`,
      },
      {
        type: 'table',
        columns: [
          { header: '层级' },
          { header: '征求单位' },
          { header: '回复单位' },
          { header: '意见条数' },
          { header: '采纳及部分采纳' },
          { header: '层级适配率' },
        ],
        rows: metrics.byLevel.map((l) => [
          LEVEL_LABELS[l.level],
          String(l.invited),
          String(l.sent),
          String(l.opinions),
          String(l.adopted + l.partiallyAdopted),
          percent(l.levelFit),
        ]),
      },
      { type: 'heading', text: '三、意见采纳情况' },
      {
        type: 'paragraph',
        text:
          `已审定处理意见${c.disposed}条，采纳${c.adopted}条、部分采纳${c.partiallyAdopted}条，采纳率${percent(metrics.adoptionRate)}；` +
          `整合周期${days(metrics.integrationDays)}。`,
      },
      {
        type: 'table',
        columns: [{ header: '处理意见' }, { header: '条数' }],
        rows: (Object.keys(DISPOSITION_LABELS) as DispositionCode[]).map((code) => [
          DISPOSITION_LABELS[code],
          String(byCode.find((b) => b.code === code)?.n ?? 0),
        ]),
      },
      { type: 'heading', text: '四、反馈与异议复核情况' },
      {
        type: 'paragraph',
        text:
          `收到满意度评价${c.rated}条，满意及基本满意占${percent(metrics.satisfaction)}。` +
          `提出异议${metrics.objections.raised}件，已复核${metrics.objections.reviewed}件，其中维持原处理意见${metrics.objections.upheld}件、` +
          `改变处理意见${metrics.objections.changed}件、提请上级协调${metrics.objections.escalated}件，仍有分歧${metrics.objections.dissent}件。`,
      },
      { type: 'heading', text: '五、仍有分歧的事项' },
      ...(dissent.length === 0
        ? [{ type: 'paragraph', text: '无。' } as const]
        : [
            {
              type: 'table' as const,
              columns: [
                { header: '登记号', width: 1 },
                { header: '单位', width: 2 },
                { header: '条款', width: 1 },
                { header: '意见', width: 4 },
                { header: '处理意见及理由', width: 3 },
                { header: '异议理由', width: 3 },
                { header: '复核意见', width: 3 },
              ],
              rows: dissent.map((d) => [
                d.regNo ?? '',
                d.unitName ?? '',
                d.clauseNumber ?? '全文',
                d.suggestion,
                `${DISPOSITION_LABELS[d.dispositionCode]}${d.dispositionReason ? `：${d.dispositionReason}` : ''}`,
                d.objectionReasons,
                d.reviewNote ?? '',
              ]),
            },
          ]),
      { type: 'heading', text: '六、各单位反馈情况' },
      {
        type: 'table',
        columns: [
          { header: '单位', width: 3 },
          { header: '层级', width: 1 },
          { header: '回复', width: 1 },
          { header: '按期', width: 1 },
          { header: '意见条数', width: 1 },
          { header: '有效', width: 1 },
          { header: '采纳', width: 1 },
          { header: '考核得分', width: 1 },
        ],
        rows: metrics.byUnit.map((u) => [
          u.name,
          LEVEL_LABELS[u.level],
          u.sent > 0 ? '是' : '否',
          u.onTime > 0 ? '是' : '否',
          String(u.opinions),
          String(u.valid),
          String(u.adopted + u.partiallyAdopted),
          u.score === null ? '—' : String(u.score),
        ]),
      },
    ];
    const data = await buildDocx({
      title: '征求意见情况说明',
      subtitle: [base.planName, round.title].filter(Boolean).join(' · '),
      blocks,
    });
    return this.file(`征求意见情况说明-${round.title}`, 'docx', data);
  }

  /** The round's ledger events with their hash-chain proofs (alg, prevHash, hash), one JSON object a line. */
  private async ledger(round: RoundBasics): Promise<ExportFile> {
    const lines: string[] = [];
    let afterSeq = 0;
    for (;;) {
      const page = await listRoundLedgerEvents(this.ctx.database.db, round, { afterSeq, limit: 2000 });
      for (const e of page) {
        lines.push(
          JSON.stringify({
            seq: Number(e.seq),
            at: e.at,
            actor: e.actor,
            entity: e.entity,
            id: e.entity_id,
            event: e.event,
            payload: JSON.parse(e.payload) as unknown,
            alg: e.alg,
            prevHash: e.prev_hash,
            hash: e.hash,
          }),
        );
      }
      const last = page.at(-1);
      if (!last || page.length < 2000) {
        break;
      }
      afterSeq = Number(last.seq);
    }
    return this.file(
      `存证-${round.title}`,
      'jsonl',
      Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8'),
    );
  }

  /** Access was checked by exportRound; the revision is read with the service's own rights. */
  private systemLike(): Actor {
    return { userId: null, login: 'export', name: 'export', roles: ['admin'], unitId: null, via: 'system' };
  }
}
