import type { Database } from '../src/server/db/database.ts';
import { newId } from '../src/server/lib/ids.ts';
import type { InvitedUnit, TestRound } from './consultation-factories.ts';
import { createOpinion, createRound, insertInvitationRow } from './consultation-factories.ts';
import {
  createDisposition,
  createFeedbackResponse,
  createReply,
  flagOpinion,
} from './integration-factories.ts';

/*
 * A hand-built assessment period: one plan with two rounds whose deadlines fall in 2026-03-01…2026-04-30
 * and a third round before it that must not count.
 *
 * Round A (deadline 2026-03-10; u1, u2, u3 invited): u1 replies on time with two valid opinions, one
 * adopted and rated, one not adopted; u2 replies late with one vague opinion, partially adopted; u3 never
 * replies. Round B (deadline 2026-04-20; u1, u2): u1 does not reply; u2 replies on time with one valid
 * opinion, adopted and rated. Round C (deadline 2025-12-01; u3): u3 replies on time — outside the period.
 *
 * By hand, with the default weights (on time 30, completeness 20, validity 20, adoption 20, feedback 10):
 *   u1: on time 1/2, completeness 1/2, validity 2/2, adoption 1/2, feedback 1/2 → 15+10+20+10+5 = 60
 *   u2: on time 1/2, completeness 2/2, validity 1/2, adoption 2/2, feedback 1/2 → 15+20+10+20+5 = 70
 *   u3: on time 0/1, completeness 0/1, nothing else known → 0 (renormalised over 50)
 */
export interface AssessmentPeriod {
  round: TestRound;
  u1: InvitedUnit;
  u2: InvitedUnit;
  u3: InvitedUnit;
  roundB: string;
  roundC: string;
}

/** The same unit invited to another round of the plan. */
async function inviteAgain(database: Database, roundId: string, invited: InvitedUnit): Promise<InvitedUnit> {
  const invitationId = newId();
  await insertInvitationRow(database, {
    id: invitationId,
    roundId,
    unitId: invited.unit.id,
    level: invited.unit.level,
    mandatory: true,
  });
  return { ...invited, invitationId };
}

/** A further, finished round of the same plan (the row helper numbers every round 1, so it is written here). */
async function addRound(
  database: Database,
  round: TestRound,
  r: { seq: number; title: string; opensAt: string; closesAt: string },
): Promise<string> {
  const id = newId();
  const template = await database.db
    .selectFrom('round')
    .selectAll()
    .where('id', '=', round.roundId)
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('round')
    .values({
      ...template,
      id,
      seq: r.seq,
      title: r.title,
      status: 'finished',
      opens_at: r.opensAt,
      opened_at: r.opensAt,
      deadline: r.closesAt.slice(0, 10),
      closes_at: r.closesAt,
      closed_at: r.closesAt,
    })
    .execute();
  return id;
}

export async function createAssessmentPeriod(database: Database): Promise<AssessmentPeriod> {
  const round = await createRound(database, {
    units: 3,
    status: 'assessing',
    opensAt: '2026-03-01T00:00:00.000Z',
    closesAt: '2026-03-10T09:00:00.000Z',
  });
  const [u1, u2, u3] = round.invited as [InvitedUnit, InvitedUnit, InvitedUnit];
  await database.db.updateTable('unit').set({ level: 'county' }).where('id', '=', u3.unit.id).execute();
  await database.db
    .updateTable('round_invitation')
    .set({ level: 'county' })
    .where('id', '=', u3.invitationId)
    .execute();

  // Round A
  await createReply(database, u1, { sentAt: '2026-03-08T02:00:00.000Z' });
  const a1 = await createOpinion(database, round, { invited: u1 });
  const a2 = await createOpinion(database, round, { invited: u1 });
  await createDisposition(database, round, a1.id, { code: 'adopted' });
  await createDisposition(database, round, a2.id, { code: 'not_adopted' });
  await createFeedbackResponse(database, round, u1, a1.id, 'satisfied');
  await createReply(database, u2, { late: true, sentAt: '2026-03-12T02:00:00.000Z' });
  const a3 = await createOpinion(database, round, { invited: u2, suggestion: '同意', reasons: null });
  await flagOpinion(database, a3.id, ['vague', 'no_reasons']);
  await createDisposition(database, round, a3.id, { code: 'partially_adopted' });
  // A draft is not an opinion yet: it must not count.
  await createOpinion(database, round, { invited: u3, status: 'draft' });

  // Round B
  const roundB = await addRound(database, round, {
    seq: 2,
    title: '第二轮征求意见',
    opensAt: '2026-04-10T00:00:00.000Z',
    closesAt: '2026-04-20T09:00:00.000Z',
  });
  const roundBView: TestRound = { ...round, roundId: roundB };
  await inviteAgain(database, roundB, u1);
  const b2 = await inviteAgain(database, roundB, u2);
  await createReply(database, b2, { sentAt: '2026-04-18T02:00:00.000Z' });
  const b = await createOpinion(database, roundBView, { invited: b2 });
  await createDisposition(database, roundBView, b.id, { code: 'adopted' });
  await createFeedbackResponse(database, roundBView, b2, b.id, 'basically_satisfied');

  // Round C, before the period
  const roundC = await addRound(database, round, {
    seq: 3,
    title: '早前一轮',
    opensAt: '2025-11-20T00:00:00.000Z',
    closesAt: '2025-12-01T09:00:00.000Z',
  });
  const c3 = await inviteAgain(database, roundC, u3);
  await createReply(database, c3, { sentAt: '2025-11-25T02:00:00.000Z' });

  return { round, u1, u2, u3, roundB, roundC };
}

export const PERIOD = 'from=2026-03-01&to=2026-04-30';
