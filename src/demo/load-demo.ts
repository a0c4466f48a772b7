import { AppError } from '../domain/errors.ts';
import type { Config } from '../server/config.ts';
import type { Database } from '../server/db/database.ts';
import type { DispositionBasis, DispositionCode, ReplyPosition, Role } from '../server/db/schema.ts';
import { newSecret } from '../server/lib/ids.ts';
import type { Actor } from '../server/services/context.ts';
import { CLI_ACTOR } from '../server/services/context.ts';
import type { Services } from '../server/services/index.ts';
import { createServices } from '../server/services/index.ts';
import type { DemoOpinion, DemoUnit } from './demo-data.ts';
import { DEMO_OPINIONS, DEMO_OWNER_CODE, DEMO_UNITS } from './demo-data.ts';
import { DEMO_PLAN_TITLE, DEMO_PLAN_V1 } from './plan-text.ts';

/*
 * Loads the demonstration: the 云江省 十五五 plan outline, 16 units over three levels, two rounds and some
 * 170 opinions in every state of the loop. Everything goes through the services, so the rules, the ledger
 * and the numbering are the real ones; a private clock walks the story from seven weeks ago to today.
 */

export interface DemoLogin {
  username: string;
  password: string;
  role: Role;
  unit: string;
}

export interface DemoResult {
  plans: { id: string; rounds: { id: string }[] }[];
  logins: DemoLogin[];
  opinions: number;
}

const DAY = 24 * 60 * 60 * 1000;

interface Person {
  actor: Actor;
  login: DemoLogin;
}

interface UnitPeople {
  unit: DemoUnit;
  id: string;
  liaison: Person;
  head: Person;
}

/** True when the database has no plan yet: the demo goes only into an empty workspace. */
export async function isEmptyWorkspace(database: Database): Promise<boolean> {
  const row = await database.db.selectFrom('plan').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

export async function loadDemo(options: {
  database: Database;
  config: Config;
  onProgress?: (step: string) => void;
}): Promise<DemoResult> {
  if (!(await isEmptyWorkspace(options.database))) {
    throw new AppError('conflict', 'The demo loads only into an empty database (this one has plans).');
  }
  const progress = options.onProgress ?? (() => undefined);
  let clock = Date.now() - 49 * DAY;
  const at = (): Date => new Date(clock);
  const advance = (days: number): void => {
    clock += days * DAY;
  };
  const services = createServices({ database: options.database, config: options.config, now: at });
  const logins: DemoLogin[] = [];

  progress('units and accounts');
  const csv = [
    'code,name,parent_code,level,areas,keywords',
    ...DEMO_UNITS.map((u) =>
      [u.code, u.name, u.parent ?? '', u.level, u.areas.join(';'), u.keywords.join(';')].join(','),
    ),
  ].join('\n');
  await services.units.importUnits(CLI_ACTOR, csv);
  const unitIds = new Map((await services.units.listUnits(CLI_ACTOR)).map((u) => [u.code, u.id]));
  const unitId = (code: string): string => {
    const id = unitIds.get(code);
    if (!id) {
      throw new Error(`demo unit ${code} missing`);
    }
    return id;
  };
  const person = async (login: string, name: string, role: Role, code: string): Promise<Person> => {
    const password = newSecret(9);
    const user = await services.users.createUser(CLI_ACTOR, {
      login,
      name,
      roles: [role],
      unitId: unitId(code),
      password,
    });
    const entry = {
      username: login,
      password,
      role,
      unit: DEMO_UNITS.find((u) => u.code === code)?.name ?? code,
    };
    logins.push(entry);
    return {
      actor: { userId: user.id, login, name, roles: [role], unitId: user.unitId, via: 'cli' },
      login: entry,
    };
  };
  const organizer = await person('zhang.wei', '张伟', 'organizer', DEMO_OWNER_CODE);
  const approver = await person('li.na', '李娜', 'organizer', DEMO_OWNER_CODE);
  const leader = await person('wang.qiang', '王强', 'leader', DEMO_OWNER_CODE);
  const people = new Map<string, UnitPeople>();
  for (const [i, unit] of DEMO_UNITS.entries()) {
    if (unit.code === DEMO_OWNER_CODE) {
      continue;
    }
    const slug = unit.code.toLowerCase();
    people.set(unit.code, {
      unit,
      id: unitId(unit.code),
      liaison: await person(`${slug}.liaison`, `联络员${i}`, 'liaison', unit.code),
      head: await person(`${slug}.head`, `负责人${i}`, 'unit_head', unit.code),
    });
  }
  const unitPeople = (code: string): UnitPeople => {
    const p = people.get(code);
    if (!p) {
      throw new Error(`demo unit ${code} has no people`);
    }
    return p;
  };

  progress('plan and first draft');
  const plan = await services.plans.createPlan(organizer.actor, {
    name: DEMO_PLAN_TITLE.replace('（征求意见稿）', ''),
    description: '全省“十五五”规划纲要编制，面向省直部门和市县征求意见。',
    ownerUnitId: unitId(DEMO_OWNER_CODE),
  });
  const v1 = await services.drafts.importVersion(organizer.actor, {
    planId: plan.id,
    fileName: '规划纲要（征求意见稿）.md',
    data: Buffer.from(DEMO_PLAN_V1),
    label: '征求意见稿',
  });

  // ---- Round 1: closed, assessed, fed back, objected to, revised --------------------------------------
  progress('first round');
  const invitedCodes = DEMO_UNITS.filter((u) => u.code !== DEMO_OWNER_CODE && u.level !== 'county').map(
    (u) => u.code,
  );
  const round1 = await services.rounds.createRound(organizer.actor, plan.id, {
    versionId: v1.version.id,
    title: '第一轮部门意见征求',
    kind: 'internal',
    opensAt: new Date(clock + 60 * 60 * 1000).toISOString(),
    workingDays: 10,
    scope: null,
    visibility: 'after_close',
    silencePolicy: 'no_reply',
    invitations: invitedCodes.map((code, i) => ({ unitId: unitId(code), mandatory: i < 6 })),
  });
  await services.rounds.scheduleRound(organizer.actor, round1.id);
  advance(1 / 12);
  await services.rounds.openRound(organizer.actor, round1.id);
  const invitations1 = new Map(
    (await services.rounds.listInvitations(organizer.actor, round1.id)).map((inv) => [inv.unitCode, inv.id]),
  );
  // The cities forward to their counties (基层意见直通车).
  for (const city of ['JZ-GOV', 'YS-FGW']) {
    const county = DEMO_UNITS.find((u) => u.parent === city)!;
    const forwarded = await services.rounds.forward(unitPeople(city).liaison.actor, invitations1.get(city)!, [
      unitId(county.code),
    ]);
    for (const inv of forwarded) {
      invitations1.set(inv.unitCode, inv.id);
    }
  }

  const clauses = await services.drafts.getClauseTree(organizer.actor, v1.version.id);
  const flat: { stableId: string; path: string; heading: string | null; text: string }[] = [];
  const walk = (nodes: typeof clauses.clauses): void => {
    for (const n of nodes) {
      flat.push({ stableId: n.stableId, path: n.path, heading: n.heading, text: n.text });
      walk(n.children);
    }
  };
  walk(clauses.clauses);
  const clauseAt = (path: string | null): string | null => {
    if (path === null) {
      return null;
    }
    const found = flat.find((c) => c.path === path || c.path.endsWith(`/${path}`));
    if (!found) {
      throw new Error(`demo clause ${path} missing`);
    }
    return found.stableId;
  };

  const opinionIds: { id: string; unit: string; template: DemoOpinion | null }[] = [];
  const draft = async (
    code: string,
    o: Omit<DemoOpinion, 'unit'>,
    roundId: string,
    template: DemoOpinion | null,
  ) => {
    const created = await services.opinions.createOpinion(unitPeople(code).liaison.actor, roundId, {
      clauseStableId: clauseAt(o.path),
      suggestion: o.suggestion,
      reasons: o.reasons,
      proposedText: o.proposedText,
      kind: o.kind,
      blocking: o.blocking ?? false,
    });
    opinionIds.push({ id: created.id, unit: code, template });
    return created.id;
  };
  for (const template of DEMO_OPINIONS) {
    if (template.unit !== DEMO_OWNER_CODE && invitations1.has(template.unit)) {
      await draft(template.unit, template, round1.id, template);
    }
  }
  // Each unit also comments on the clauses its responsibilities touch.
  for (const code of invitations1.keys()) {
    const p = unitPeople(code);
    const touched = flat.filter((c) => c.text && p.unit.keywords.some((k) => c.text.includes(k))).slice(0, 4);
    for (const clause of touched) {
      const keyword = p.unit.keywords.find((k) => clause.text.includes(k))!;
      await draft(
        code,
        {
          path: clause.path,
          suggestion: `建议在“${clause.heading ?? clause.path}”中进一步明确${keyword}方面的量化目标、牵头单位和完成时限。`,
          reasons: `${p.unit.name}承担${p.unit.areas.join('、')}职责，现有表述较为原则，难以分解落实和考核评估。`,
          proposedText: null,
          kind: 'substantive',
        },
        round1.id,
        null,
      );
    }
  }

  // And a few editorial remarks, as every real round has.
  const editorial = [
    ['建议将“进一步”等表述删去，使文字更加简洁。', '规划文本宜精炼，避免同义反复。'],
    ['建议统一指标表述，明确“预期性”或“约束性”属性。', '与专栏1指标表述保持一致，便于考核。'],
    ['建议补充有关数据的统计口径和基期年份。', '便于后续监测评估时对照核算。'],
  ] as const;
  const textual = flat.filter((c) => c.text.length > 20);
  for (const [i, code] of [...invitations1.keys()].entries()) {
    for (let k = 0; k < editorial.length; k++) {
      const clause = textual[(i * 7 + k * 11) % textual.length]!;
      const [suggestion, reasons] = editorial[(i + k) % editorial.length]!;
      await draft(
        code,
        { path: clause.path, suggestion, reasons, proposedText: null, kind: 'editorial' },
        round1.id,
        null,
      );
    }
  }

  progress('replies');
  const positionOf = (code: string): ReplyPosition => {
    const mine = opinionIds.filter((o) => o.unit === code);
    if (mine.some((o) => o.template?.blocking)) {
      return 'disagree';
    }
    return mine.length > 0 ? 'agree_with_amendments' : 'no_opinion';
  };
  const sendReply = async (code: string, invitationId: string, late = false) => {
    const p = unitPeople(code);
    if (late) {
      // The round closed on this unit (recorded silent): its late reply starts drafting again.
      await services.replies.startDrafting(p.liaison.actor, invitationId);
    }
    await services.replies.submitForReview(p.liaison.actor, invitationId);
    await services.replies.signOff(p.head.actor, invitationId);
    await services.replies.send(p.liaison.actor, invitationId, { position: positionOf(code), late });
  };
  const silent = 'YS-QS';
  const lateUnit = 'JZ-LJ';
  for (const [code, invitationId] of invitations1) {
    if (code === silent || code === lateUnit) {
      continue;
    }
    advance(0.4);
    await sendReply(code, invitationId);
  }
  // One opinion is withdrawn before the round closes.
  const withdrawn = opinionIds.find(
    (o) => o.unit === 'YJ-GXT' && o.template?.suggestion.startsWith('建议进一步完善'),
  );
  if (withdrawn) {
    await services.opinions.withdrawOpinion(unitPeople('YJ-GXT').liaison.actor, withdrawn.id);
  }

  advance(12);
  await services.rounds.closeRound(organizer.actor, round1.id);
  advance(1);
  await sendReply(lateUnit, invitations1.get(lateUnit)!, true);
  await services.rounds.startAssessment(organizer.actor, round1.id);

  progress('assessment');
  const submitted1 = await database(services)
    .selectFrom('opinion')
    .select(['id', 'suggestion', 'proposed_text', 'kind', 'quality_flags'])
    .where('round_id', '=', round1.id)
    .where('status', '=', 'submitted')
    .orderBy('reg_no')
    .execute();
  const decide = (
    o: (typeof submitted1)[number],
    i: number,
  ): { code: DispositionCode; reason?: string; basis?: DispositionBasis } => {
    if (o.kind === 'question') {
      return {
        code: 'explained',
        reason: '规划实施评估由省发展改革委牵头，会同有关部门组织开展。',
        basis: 'responsibilities',
      };
    }
    if ((JSON.parse(o.quality_flags) as string[]).length > 0) {
      return { code: 'already_reflected', reason: '相关内容已在规划有关章节中体现。', basis: 'other' };
    }
    if (o.proposed_text) {
      return i % 3 === 2
        ? { code: 'partially_adopted', reason: '吸收了调整方向，具体指标按全省测算结果确定。', basis: 'data' }
        : { code: 'adopted' };
    }
    const rest: { code: DispositionCode; reason: string; basis: DispositionBasis }[] = [
      {
        code: 'for_reference',
        reason: '具体举措将在专项规划和年度计划中细化落实。',
        basis: 'responsibilities',
      },
      { code: 'not_adopted', reason: '规划纲要侧重战略导向，不宜规定过细的量化任务。', basis: 'law_policy' },
      { code: 'already_reflected', reason: '第八章规划实施保障已明确分工落实机制。', basis: 'other' },
      {
        code: 'out_of_scope',
        reason: '属于部门日常工作范畴，建议在部门工作计划中落实。',
        basis: 'out_of_scope',
      },
    ];
    return rest[i % rest.length]!;
  };
  for (const [i, o] of submitted1.entries()) {
    await services.dispositions.assessOpinion(organizer.actor, o.id, {
      priority: o.proposed_text ? 'core' : 'secondary',
      assigneeId: (i % 2 === 0 ? organizer : approver).actor.userId,
    });
    const proposal = await services.dispositions.proposeDisposition(organizer.actor, o.id, decide(o, i));
    await services.dispositions.approveDisposition(approver.actor, proposal.id);
  }

  progress('feedback and objections');
  advance(3);
  const letters = await services.feedback.sendFeedback(organizer.actor, round1.id);
  advance(1);
  const objections: string[] = [];
  for (const letter of letters) {
    const code = [...people.values()].find((p) => p.id === letter.unitId)?.unit.code;
    if (!code) {
      continue;
    }
    const view = await services.feedback.getLetter(unitPeople(code).liaison.actor, letter.id);
    // The first four units object to one item each that was not adopted; the rest confirm or rate.
    const disputedId =
      objections.length < 4
        ? view.items.find((item) => item.disposition?.code !== 'adopted')?.opinion.id
        : undefined;
    for (const [j, item] of view.items.entries()) {
      const disputed = item.opinion.id === disputedId;
      const outcome = await services.feedback.respond(unitPeople(code).liaison.actor, letter.id, {
        opinionId: item.opinion.id,
        response: disputed ? 'objected' : j % 3 === 0 ? 'confirmed' : 'rated',
        rating:
          disputed || j % 3 === 0
            ? null
            : j % 5 === 4
              ? 'unsatisfied'
              : j % 3 === 1
                ? 'satisfied'
                : 'basically_satisfied',
        reasons: disputed ? '处理理由未回应我单位提供的测算依据，请予复核。' : null,
      });
      if (outcome.objection) {
        objections.push(outcome.objection.id);
      }
    }
  }
  advance(1);
  const [upheld, changed, escalated] = objections;
  if (upheld) {
    await services.feedback.reviewObjection(leader.actor, upheld, {
      outcome: 'uphold',
      note: '经复核，维持原处理意见。',
    });
  }
  if (changed) {
    await services.feedback.reviewObjection(leader.actor, changed, {
      outcome: 'change',
      note: '采纳异议理由，调整处理意见。',
      newDisposition: { code: 'partially_adopted', reason: '根据补充测算，部分采纳。', basis: 'data' },
    });
  }
  if (escalated) {
    await services.feedback.reviewObjection(organizer.actor, escalated, {
      outcome: 'escalate',
      note: '涉及指标调整，提请领导小组研究。',
    });
    await services.feedback.decideObjection(leader.actor, escalated, {
      outcome: 'record_dissent',
      note: '维持原指标，分歧意见在征求意见情况说明中列明。',
    });
  }

  progress('revision');
  advance(2);
  const revision = await services.revisions.startRevision(organizer.actor, plan.id);
  const adopted = await database(services)
    .selectFrom('opinion')
    .innerJoin('disposition', 'disposition.opinion_id', 'opinion.id')
    .select(['opinion.id'])
    .where('opinion.round_id', '=', round1.id)
    .where('disposition.status', '=', 'approved')
    .where('disposition.code', 'in', ['adopted', 'partially_adopted'])
    .where('opinion.proposed_text', 'is not', null)
    .execute();
  const acceptedClauses = new Set<string>();
  for (const o of adopted) {
    const row = await database(services)
      .selectFrom('opinion')
      .select('clause_stable_id')
      .where('id', '=', o.id)
      .executeTakeFirstOrThrow();
    if (row.clause_stable_id && !acceptedClauses.has(row.clause_stable_id)) {
      acceptedClauses.add(row.clause_stable_id);
      await services.revisions.acceptOpinion(organizer.actor, revision.revision.id, o.id);
    }
  }
  advance(1);
  await services.revisions.submitRevision(organizer.actor, revision.revision.id);
  advance(1);
  await services.revisions.approveRevision(leader.actor, revision.revision.id);
  const published = await services.revisions.publish(organizer.actor, revision.revision.id, {
    label: '送审稿',
  });

  // ---- Round 2: open now, replies in every state -------------------------------------------------------
  progress('second round');
  clock = Date.now() - 4 * DAY;
  const round2 = await services.rounds.createRound(organizer.actor, plan.id, {
    versionId: published.version.id,
    title: '第二轮征求意见（修改稿）',
    kind: 'internal',
    opensAt: new Date(clock + 60 * 60 * 1000).toISOString(),
    workingDays: 10,
    scope: null,
    visibility: 'always',
    silencePolicy: 'deemed_no_objection',
    invitations: invitedCodes.map((code, i) => ({ unitId: unitId(code), mandatory: i < 6 })),
  });
  await services.rounds.scheduleRound(organizer.actor, round2.id);
  advance(1 / 12);
  await services.rounds.openRound(organizer.actor, round2.id);
  const invitations2 = new Map(
    (await services.rounds.listInvitations(organizer.actor, round2.id)).map((inv) => [inv.unitCode, inv.id]),
  );
  const clauses2 = await services.drafts.getClauseTree(organizer.actor, published.version.id);
  flat.length = 0;
  walk(clauses2.clauses);
  const states = [
    'sent',
    'sent',
    'sent',
    'signed_off',
    'in_review',
    'drafting',
    'drafting',
    'acknowledged',
    'invited',
  ];
  for (const [i, code] of [...invitations2.keys()].entries()) {
    const target = states[i % states.length]!;
    const invitationId = invitations2.get(code)!;
    const p = unitPeople(code);
    if (target === 'invited') {
      continue;
    }
    if (target === 'acknowledged') {
      await services.rounds.acknowledge(p.liaison.actor, invitationId);
      continue;
    }
    advance(0.2);
    const mine = DEMO_OPINIONS.filter((o) => o.unit === code && o.path !== null).slice(0, 2);
    const touched = flat.filter((c) => c.text && p.unit.keywords.some((k) => c.text.includes(k))).slice(0, 5);
    for (const t of mine) {
      await draft(code, { ...t, suggestion: `（修改稿）${t.suggestion}` }, round2.id, t);
    }
    for (const clause of touched) {
      await draft(
        code,
        {
          path: clause.path,
          suggestion: `建议对“${clause.heading ?? clause.path}”补充年度推进安排和考核评价要求。`,
          reasons: '修改稿已吸收我单位第一轮意见，建议进一步增强可操作性。',
          proposedText: null,
          kind: 'substantive',
        },
        round2.id,
        null,
      );
    }
    if (target === 'drafting') {
      continue;
    }
    await services.replies.submitForReview(p.liaison.actor, invitationId);
    if (target === 'in_review') {
      continue;
    }
    await services.replies.signOff(p.head.actor, invitationId);
    if (target === 'signed_off') {
      continue;
    }
    await services.replies.send(p.liaison.actor, invitationId, { position: positionOf(code) });
  }
  // Parallel assessment (并行处理): some sent opinions already have proposals, one approved.
  const submitted2 = await database(services)
    .selectFrom('opinion')
    .select('id')
    .where('round_id', '=', round2.id)
    .where('status', '=', 'submitted')
    .orderBy('reg_no')
    .limit(6)
    .execute();
  for (const [i, o] of submitted2.entries()) {
    const proposal = await services.dispositions.proposeDisposition(organizer.actor, o.id, {
      code: 'for_reference',
      reason: '将在年度实施计划中统筹考虑。',
      basis: 'responsibilities',
    });
    if (i === 0) {
      await services.dispositions.approveDisposition(approver.actor, proposal.id);
    } else if (i === 1) {
      await services.dispositions.rejectDisposition(approver.actor, proposal.id, '理由不充分，请重新研判。');
    }
  }

  const count = await database(services)
    .selectFrom('opinion')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  progress('done');
  return {
    plans: [{ id: plan.id, rounds: [{ id: round1.id }, { id: round2.id }] }],
    logins,
    opinions: Number(count.n),
  };
}

const database = (services: Services) => services.ctx.database.db;
