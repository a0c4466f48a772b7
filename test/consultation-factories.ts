import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/server/config.ts';
import type { Database } from '../src/server/db/database.ts';
import type {
  OpinionKind,
  OpinionStatus,
  RoundKind,
  RoundStatus,
  SilencePolicy,
  UnitLevel,
  Visibility,
} from '../src/server/db/schema.ts';
import { newId } from '../src/server/lib/ids.ts';
import { CLI_ACTOR } from '../src/server/services/context.ts';
import { createServices } from '../src/server/services/index.ts';
import type { TestUnit, TestUser } from './factories.ts';
import { createUnit, createUser } from './factories.ts';

/*
 * Builds a consultation in any state directly, for tests of the later steps: a plan with a real imported
 * draft, a round, invited units with their people, and opinions. Tests of rounds themselves go through the
 * API instead.
 */

export const SAMPLE_DRAFT = [
  '# 某省数字经济发展规划（征求意见稿）',
  '',
  '## 第一章 总体要求',
  '',
  '第一条 坚持创新驱动，推动数字经济和实体经济深度融合。',
  '',
  '第二条 到2030年，全省数字经济核心产业增加值占地区生产总值比重达到15%。',
  '',
  '## 第二章 重点任务',
  '',
  '第三条 加快新型基础设施建设，推进5G网络和算力中心布局，有下列任务：',
  '',
  '（一）建设省级算力调度平台；',
  '',
  '（二）推进工业互联网标识解析节点建设。',
  '',
  '第四条 加强数据要素市场培育，建立公共数据授权运营制度。',
  '',
  '## 第三章 保障措施',
  '',
  '第五条 各地各部门应当加大财政支持力度，落实用地、用能等要素保障。',
].join('\n');

export interface TestClause {
  id: string;
  stableId: string;
  number: string | null;
  kind: string;
  text: string;
}

export interface InvitedUnit {
  unit: TestUnit;
  invitationId: string;
  liaison: TestUser;
  head: TestUser;
}

export interface TestRound {
  planId: string;
  versionId: string;
  roundId: string;
  ownerUnit: TestUnit;
  organizer: TestUser;
  leader: TestUser;
  clauses: TestClause[];
  /** The article clauses, in order (第一条 … 第五条). */
  articles: TestClause[];
  invited: InvitedUnit[];
}

const stamp = (): string => new Date().toISOString();

/** Inserts a round row directly (the factories and the bench build rounds in any state this way). */
export async function insertRoundRow(
  database: Database,
  r: {
    id: string;
    planId: string;
    versionId: string;
    title: string;
    status: RoundStatus;
    opensAt: string;
    closesAt: string;
    createdBy: string;
    createdAt?: string;
    closedAt?: string | null;
    kind?: RoundKind;
    visibility?: Visibility;
    silencePolicy?: SilencePolicy;
    objectionWindowDays?: number;
    maxObjectionRounds?: number;
  },
): Promise<void> {
  const createdAt = r.createdAt ?? stamp();
  await database.db
    .insertInto('round')
    .values({
      id: r.id,
      plan_id: r.planId,
      version_id: r.versionId,
      seq: 1,
      title: r.title,
      kind: r.kind ?? 'internal',
      status: r.status,
      scope: null,
      visibility: r.visibility ?? 'after_close',
      silence_policy: r.silencePolicy ?? 'no_reply',
      opens_at: r.opensAt,
      deadline: r.closesAt.slice(0, 10),
      closes_at: r.closesAt,
      working_days: 10,
      urgent: 0,
      urgent_reason: null,
      urgent_status: 'none',
      urgent_decided_by: null,
      objection_window_days: r.objectionWindowDays ?? 5,
      max_objection_rounds: r.maxObjectionRounds ?? 2,
      previous_round_id: null,
      created_by: r.createdBy,
      created_at: createdAt,
      updated_at: createdAt,
      opened_at: r.opensAt,
      closed_at: r.closedAt ?? null,
      finished_at: null,
    })
    .execute();
}

/** Inserts an invitation of a unit to a round, not yet acknowledged. */
export async function insertInvitationRow(
  database: Database,
  r: { id: string; roundId: string; unitId: string; level: UnitLevel; mandatory: boolean; at?: string },
): Promise<void> {
  const at = r.at ?? stamp();
  await database.db
    .insertInto('round_invitation')
    .values({
      id: r.id,
      round_id: r.roundId,
      unit_id: r.unitId,
      mandatory: r.mandatory ? 1 : 0,
      level: r.level,
      forwarded_by_unit_id: null,
      questions: '[]',
      status: 'invited',
      deadline: null,
      acknowledged_at: null,
      acknowledged_by: null,
      reply_version: 0,
      late: 0,
      created_at: at,
      updated_at: at,
    })
    .execute();
}

export async function createRound(
  database: Database,
  options: {
    status?: RoundStatus;
    kind?: RoundKind;
    visibility?: Visibility;
    silencePolicy?: SilencePolicy;
    /** How many units to invite (default 2), each with a liaison and a unit head. */
    units?: number;
    opensAt?: string;
    closesAt?: string;
    objectionWindowDays?: number;
    maxObjectionRounds?: number;
  } = {},
): Promise<TestRound> {
  const services = createServices({
    database,
    config: loadConfig({ CONCORD_DATABASE_URL: 'sqlite::memory:' }),
  });
  const ownerUnit = await createUnit(database, {
    level: 'province',
    name: `省发展改革委${randomBytes(2).toString('hex')}`,
  });
  const organizer = await createUser(database, { roles: ['organizer'], unitId: ownerUnit.id });
  const leader = await createUser(database, { roles: ['leader'], unitId: ownerUnit.id });
  const plan = await services.plans.createPlan(CLI_ACTOR, {
    name: '数字经济发展规划',
    ownerUnitId: ownerUnit.id,
  });
  const imported = await services.drafts.importVersion(CLI_ACTOR, {
    planId: plan.id,
    fileName: 'draft.md',
    data: Buffer.from(SAMPLE_DRAFT),
  });
  const versionId = imported.version.id;
  const rows = await database.db
    .selectFrom('clause')
    .select(['id', 'stable_id', 'number', 'kind', 'text'])
    .where('version_id', '=', versionId)
    .orderBy('position')
    .execute();
  const clauses = rows.map((r) => ({
    id: r.id,
    stableId: r.stable_id,
    number: r.number,
    kind: r.kind,
    text: r.text,
  }));
  const roundId = newId();
  const now = stamp();
  const opensAt = options.opensAt ?? new Date(Date.now() - 3 * 86400_000).toISOString();
  const closesAt = options.closesAt ?? new Date(Date.now() + 10 * 86400_000).toISOString();
  await insertRoundRow(database, {
    id: roundId,
    planId: plan.id,
    versionId,
    title: '第一轮征求意见',
    status: options.status ?? 'open',
    opensAt,
    closesAt,
    createdBy: organizer.id,
    createdAt: now,
    ...(options.kind ? { kind: options.kind } : {}),
    ...(options.visibility ? { visibility: options.visibility } : {}),
    ...(options.silencePolicy ? { silencePolicy: options.silencePolicy } : {}),
    ...(options.objectionWindowDays !== undefined
      ? { objectionWindowDays: options.objectionWindowDays }
      : {}),
    ...(options.maxObjectionRounds !== undefined ? { maxObjectionRounds: options.maxObjectionRounds } : {}),
  });
  const invited: InvitedUnit[] = [];
  for (let i = 0; i < (options.units ?? 2); i++) {
    const unit = await createUnit(database, {
      level: 'province',
      name: `省直部门${i + 1}-${randomBytes(2).toString('hex')}`,
    });
    const invitationId = newId();
    await insertInvitationRow(database, {
      id: invitationId,
      roundId,
      unitId: unit.id,
      level: unit.level,
      mandatory: i === 0,
      at: now,
    });
    invited.push({
      unit,
      invitationId,
      liaison: await createUser(database, { roles: ['liaison'], unitId: unit.id }),
      head: await createUser(database, { roles: ['unit_head'], unitId: unit.id }),
    });
  }
  return {
    planId: plan.id,
    versionId,
    roundId,
    ownerUnit,
    organizer,
    leader,
    clauses,
    articles: clauses.filter((c) => c.kind === 'article'),
    invited,
  };
}

let regCounter = 0;

/** An opinion in a given state, inserted directly (quality fields filled with plausible values). */
export async function createOpinion(
  database: Database,
  round: TestRound,
  options: {
    invited?: InvitedUnit;
    clause?: TestClause | null;
    status?: OpinionStatus;
    suggestion?: string;
    reasons?: string | null;
    proposedText?: string | null;
    kind?: OpinionKind;
    blocking?: boolean;
  } = {},
): Promise<{ id: string; regNo: string | null }> {
  const invited = options.invited ?? round.invited[0]!;
  const clause = options.clause === undefined ? round.articles[1]! : options.clause;
  const status = options.status ?? 'submitted';
  const id = newId();
  const now = stamp();
  regCounter += 1;
  const regNo = status === 'draft' ? null : `T${String(regCounter).padStart(5, '0')}`;
  await database.db
    .insertInto('opinion')
    .values({
      id,
      round_id: round.roundId,
      invitation_id: invited.invitationId,
      unit_id: invited.unit.id,
      author_id: invited.liaison.id,
      reg_no: regNo,
      clause_stable_id: clause?.stableId ?? null,
      clause_id: clause?.id ?? null,
      quote: null,
      suggestion: options.suggestion ?? '建议将“达到15%”修改为“达到12%”，与全省产业基础相适应。',
      reasons:
        options.reasons === undefined
          ? '2025年全省核心产业增加值占比约为9.8%，年均提高1个百分点以上难度较大。'
          : options.reasons,
      proposed_text:
        options.proposedText === undefined
          ? '到2030年，全省数字经济核心产业增加值占地区生产总值比重达到12%。'
          : options.proposedText,
      kind: options.kind ?? 'substantive',
      blocking: options.blocking ? 1 : 0,
      status,
      quality_score: 0.9,
      quality_flags: '[]',
      priority: null,
      assignee_id: null,
      level: invited.unit.level,
      forwarded_by_unit_id: null,
      carried_from_id: null,
      disposition_status: 'pending',
      created_at: now,
      updated_at: now,
      submitted_at: status === 'draft' ? null : now,
      withdrawn_at: status === 'withdrawn' ? now : null,
    })
    .execute();
  return { id, regNo };
}
