import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/server/config.ts';
import type { Database, Dialect } from '../src/server/db/database.ts';
import type {
  DispositionBasis,
  DispositionCode,
  OpinionKind,
  RoundStatus,
  UnitLevel,
} from '../src/server/db/schema.ts';
import type { Insertable } from 'kysely';
import type { DB } from '../src/server/db/schema.ts';
import { inTransaction } from '../src/server/db/executor.ts';
import { newId } from '../src/server/lib/ids.ts';
import type { Actor } from '../src/server/services/context.ts';
import { CLI_ACTOR } from '../src/server/services/context.ts';
import { createServices } from '../src/server/services/index.ts';
import type { TestUser } from '../test/factories.ts';
import { insertInvitationRow, insertRoundRow } from '../test/consultation-factories.ts';
import { createUnit, createUser } from '../test/factories.ts';
import { syntheticDraft } from './synthetic.ts';
import { opinionText, prng } from './texts.ts';

/*
 * Bench fixtures: a plan with a plan-sized imported draft, a round with invited units over three levels and
 * their people (through the services and the test factories), and bulk rounds of opinions inserted through
 * Kysely in batched transactions — the setup is not what is measured.
 */

export const PG_ADMIN_URL = process.env.CONCORD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, empty PostgreSQL database `name` (dropped first), or null when the server is unreachable. */
export async function freshPgUrl(name: string): Promise<string | null> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The database URL of a fresh bench database: a new SQLite file under `dir`, or a recreated PostgreSQL one. */
export async function freshDatabaseUrl(dialect: Dialect, dir: string, name: string): Promise<string | null> {
  return dialect === 'sqlite' ? `sqlite:${join(dir, `${name}-${Date.now()}.db`)}` : freshPgUrl(name);
}

export interface BenchUnit {
  unitId: string;
  invitationId: string;
  level: UnitLevel;
  liaison: TestUser;
}

export interface BenchRound {
  planId: string;
  versionId: string;
  roundId: string;
  organizer: Actor;
  leaderId: string;
  articles: { id: string; stableId: string }[];
  units: BenchUnit[];
}

const LEVELS: readonly UnitLevel[] = ['province', 'city', 'county'];
const DAY = 86400_000;

export const actorOfUser = (user: TestUser, via: Actor['via'] = 'cli'): Actor => ({
  userId: user.id,
  login: user.login,
  name: user.name,
  roles: user.roles,
  unitId: user.unitId,
  via,
});

/** A plan with a synthetic draft of `articles` articles, and a round inviting `units` units (a third per level). */
export async function createBenchRound(
  database: Database,
  options: { units: number; articles: number; status: RoundStatus; title: string },
): Promise<BenchRound> {
  const services = createServices({
    database,
    config: loadConfig({ CONCORD_DATABASE_URL: 'sqlite::memory:' }),
  });
  const stamp = Date.now().toString(36);
  const ownerUnit = await createUnit(database, { level: 'province', name: `省发展改革委-${stamp}` });
  const organizer = await createUser(database, { roles: ['organizer'], unitId: ownerUnit.id });
  const leader = await createUser(database, { roles: ['leader'], unitId: ownerUnit.id });
  const plan = await services.plans.createPlan(CLI_ACTOR, {
    name: `某某省“十五五”发展规划（${options.title}）`,
    ownerUnitId: ownerUnit.id,
  });
  const imported = await services.drafts.importVersion(CLI_ACTOR, {
    planId: plan.id,
    fileName: 'draft.md',
    data: Buffer.from(
      syntheticDraft({ chapters: Math.max(1, Math.ceil(options.articles / 20)), articlesPerChapter: 20 }),
    ),
  });
  const versionId = imported.version.id;
  const articles = await database.db
    .selectFrom('clause')
    .select(['id', 'stable_id as stableId'])
    .where('version_id', '=', versionId)
    .where('kind', '=', 'article')
    .orderBy('position')
    .execute();
  const closed = options.status !== 'open';
  const now = Date.now();
  const opensAt = new Date(now - (closed ? 40 : 3) * DAY).toISOString();
  const closesAt = new Date(now + (closed ? -25 : 10) * DAY).toISOString();
  const roundId = newId();
  await insertRoundRow(database, {
    id: roundId,
    planId: plan.id,
    versionId,
    title: options.title,
    status: options.status,
    opensAt,
    closesAt,
    createdBy: organizer.id,
    createdAt: opensAt,
    closedAt: closed ? closesAt : null,
  });
  const units: BenchUnit[] = [];
  for (let i = 0; i < options.units; i++) {
    const level = LEVELS[Math.floor((i * LEVELS.length) / options.units)]!;
    const unit = await createUnit(database, { level, name: `${level}单位${i + 1}-${stamp}` });
    const invitationId = newId();
    await insertInvitationRow(database, {
      id: invitationId,
      roundId,
      unitId: unit.id,
      level,
      mandatory: i % 3 === 0,
      at: opensAt,
    });
    units.push({
      unitId: unit.id,
      invitationId,
      level,
      liaison: await createUser(database, { roles: ['liaison'], unitId: unit.id }),
    });
  }
  return {
    planId: plan.id,
    versionId,
    roundId,
    organizer: actorOfUser(organizer),
    leaderId: leader.id,
    articles,
    units,
  };
}

const CODES: [DispositionCode, number][] = [
  ['adopted', 0.35],
  ['partially_adopted', 0.2],
  ['not_adopted', 0.15],
  ['already_reflected', 0.1],
  ['explained', 0.1],
  ['for_reference', 0.05],
  ['out_of_scope', 0.05],
];
const BASES: DispositionBasis[] = ['law_policy', 'data', 'responsibilities', 'conflict', 'other'];
const KINDS: OpinionKind[] = ['substantive', 'substantive', 'substantive', 'editorial', 'question'];

function weighted<T>(random: () => number, list: [T, number][]): T {
  let r = random();
  for (const [value, weight] of list) {
    r -= weight;
    if (r < 0) {
      return value;
    }
  }
  return list[list.length - 1]![0];
}

/**
 * Fills a closed round with `opinions` submitted opinions spread unevenly over its units, every unit's reply
 * (a tenth late, a tenth silent), approved dispositions on ~60% of the opinions and proposed ones on ~10%,
 * feedback on half the approved ones and objections on ~1%. Batched multi-row inserts, one transaction per
 * `perTransaction` opinions.
 */
export async function fillRound(
  database: Database,
  round: BenchRound,
  options: { opinions: number; seed?: number; perStatement?: number; perTransaction?: number },
): Promise<{ opinions: number; dispositions: number; approved: number; rows: number; seconds: number }> {
  const random = prng(options.seed ?? 42);
  const perStatement = options.perStatement ?? 500;
  const perTransaction = options.perTransaction ?? 10_000;
  const started = performance.now();
  const base = Date.now() - 40 * DAY;
  const iso = (offsetDays: number): string => new Date(base + offsetDays * DAY).toISOString();
  // Uneven shares: some units write a lot, most a little; silent units write nothing.
  const silent = new Set(round.units.filter((_, i) => i % 10 === 9).map((u) => u.unitId));
  const active = round.units.filter((u) => !silent.has(u.unitId));
  const weights = active.map((_, i) => 1 / (1 + (i % 7)));
  const total = weights.reduce((a, b) => a + b, 0);
  const shares = active.map((u, i) => [u, weights[i]! / total] as [BenchUnit, number]);
  const letters = new Map<string, string>();
  const opinionIds = new Map<string, string[]>();
  await inTransaction(database, async (tx) => {
    for (const unit of active) {
      const id = newId();
      letters.set(unit.unitId, id);
      await tx
        .insertInto('feedback_letter')
        .values({
          id,
          round_id: round.roundId,
          unit_id: unit.unitId,
          status: 'sent',
          sent_by: round.organizer.userId,
          sent_at: iso(30),
          objection_deadline: iso(35).slice(0, 10),
          created_at: iso(29),
        })
        .execute();
    }
  });
  let dispositions = 0;
  let approved = 0;
  let rowCount = 0;
  for (let done = 0; done < options.opinions; done += perTransaction) {
    const count = Math.min(perTransaction, options.opinions - done);
    await inTransaction(database, async (tx) => {
      for (let s = 0; s < count; s += perStatement) {
        const rows: Insertable<DB['opinion']>[] = [];
        const dispositionRows: Insertable<DB['disposition']>[] = [];
        const responses: Insertable<DB['feedback_response']>[] = [];
        const objections: Insertable<DB['objection']>[] = [];
        for (let i = s; i < Math.min(count, s + perStatement); i++) {
          const n = done + i;
          const unit = weighted(random, shares);
          const article = round.articles[Math.floor(random() * round.articles.length)]!;
          const text = opinionText(random);
          const id = newId();
          const submittedAt = iso(1 + random() * 14);
          const r = random();
          const status = r < 0.6 ? 'approved' : r < 0.7 ? 'proposed' : 'pending';
          const flagged = random() < 0.12;
          rows.push({
            id,
            round_id: round.roundId,
            invitation_id: unit.invitationId,
            unit_id: unit.unitId,
            author_id: unit.liaison.id,
            reg_no: `R1-${String(n + 1).padStart(6, '0')}`,
            clause_stable_id: article.stableId,
            clause_id: article.id,
            quote: null,
            suggestion: text.suggestion,
            reasons: text.reasons,
            proposed_text: text.proposedText,
            kind: KINDS[n % KINDS.length]!,
            blocking: random() < 0.03 ? 1 : 0,
            status: 'submitted',
            quality_score: flagged ? 0.55 : 0.9,
            quality_flags: flagged ? '["no_reason"]' : '[]',
            priority: null,
            assignee_id: null,
            level: unit.level,
            forwarded_by_unit_id: null,
            carried_from_id: null,
            disposition_status: status,
            created_at: submittedAt,
            updated_at: submittedAt,
            submitted_at: submittedAt,
            withdrawn_at: null,
          });
          (opinionIds.get(unit.unitId) ?? opinionIds.set(unit.unitId, []).get(unit.unitId)!).push(id);
          if (status === 'pending') {
            continue;
          }
          const code = weighted(random, CODES);
          const adopted = code === 'adopted' || code === 'already_reflected';
          const dispositionId = newId();
          dispositionRows.push({
            id: dispositionId,
            opinion_id: id,
            code,
            reason: adopted ? null : fill(random),
            basis: adopted ? null : BASES[Math.floor(random() * BASES.length)]!,
            status,
            proposed_by: round.organizer.userId,
            proposed_at: iso(18 + random() * 5),
            decided_by: status === 'approved' ? round.leaderId : null,
            decided_at: status === 'approved' ? iso(24 + random() * 5) : null,
            objection_id: null,
            created_at: iso(18),
          });
          if (status !== 'approved' || random() < 0.5) {
            continue;
          }
          const objected = random() < 0.02;
          responses.push({
            id: newId(),
            letter_id: letters.get(unit.unitId)!,
            opinion_id: id,
            response: objected ? 'objected' : 'rated',
            rating: objected ? null : random() < 0.85 ? 'satisfied' : 'unsatisfied',
            responded_by: unit.liaison.id,
            responded_at: iso(31 + random() * 3),
          });
          if (objected) {
            objections.push({
              id: newId(),
              opinion_id: id,
              disposition_id: dispositionId,
              round_no: 1,
              reasons: text.reasons,
              evidence: '[]',
              status: random() < 0.5 ? 'upheld' : 'changed',
              raised_by: unit.liaison.id,
              raised_at: iso(32),
              reviewer_id: round.leaderId,
              reviewed_at: iso(34),
              review_note: '经复核，维持原处理意见。',
            });
          }
        }
        await tx.insertInto('opinion').values(rows).execute();
        if (dispositionRows.length > 0) {
          await tx.insertInto('disposition').values(dispositionRows).execute();
        }
        if (responses.length > 0) {
          await tx.insertInto('feedback_response').values(responses).execute();
        }
        if (objections.length > 0) {
          await tx.insertInto('objection').values(objections).execute();
        }
        dispositions += dispositionRows.length;
        approved += dispositionRows.filter((d) => d.status === 'approved').length;
        rowCount += rows.length + dispositionRows.length + responses.length + objections.length;
      }
    });
  }
  // Every unit that wrote replied (a tenth of them late); silent units stay invited.
  await inTransaction(database, async (tx) => {
    for (const [i, unit] of active.entries()) {
      const late = i % 10 === 4 ? 1 : 0;
      const ids = opinionIds.get(unit.unitId) ?? [];
      await tx
        .insertInto('unit_reply')
        .values({
          id: newId(),
          invitation_id: unit.invitationId,
          version: 1,
          number: `R1-${String(i + 1).padStart(3, '0')}-v1`,
          position: ids.length > 0 ? 'agree_with_amendments' : 'agree_in_principle',
          summary: `共提出意见${ids.length}条。`,
          opinion_ids: JSON.stringify(ids),
          snapshot: '{}',
          signed_off_by: null,
          signed_off_at: null,
          sent_by: unit.liaison.id,
          sent_at: iso(late ? 17 : 12),
          late,
          ledger_seq: 0,
          ledger_hash: '',
        })
        .execute();
      await tx
        .updateTable('round_invitation')
        .set({ status: 'sent', late, reply_version: 1 })
        .where('id', '=', unit.invitationId)
        .execute();
    }
  });
  return {
    opinions: options.opinions,
    dispositions,
    approved,
    rows: rowCount,
    seconds: (performance.now() - started) / 1000,
  };
}

const REASON_TEMPLATES = [
  '经研究，该目标值已综合考虑全省发展基础和国家下达任务，暂不调整。',
  '该事项已在第三章相关条款中体现，不再重复表述。',
  '相关职责分工将在规划实施方案中予以明确。',
  '该建议涉及具体项目安排，将在专项规划中统筹考虑。',
  '根据国家有关政策要求，本条表述保持不变。',
];

function fill(random: () => number): string {
  return REASON_TEMPLATES[Math.floor(random() * REASON_TEMPLATES.length)]!;
}
