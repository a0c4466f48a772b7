import { afterEach, expect, it } from 'vitest';
import type { TestApp, TestClient } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createOpinion } from './consultation-factories.ts';
import { describeDb } from './db.ts';
import { createRoundApp } from './round-app.ts';

const GOOD = {
  kind: 'substantive',
  suggestion: '建议将“达到15%”修改为“达到12%”，与全省产业基础相适应。',
  reasons: '2025年全省核心产业增加值占比约为9.8%，年均提高1个百分点以上难度较大。',
  proposedText: '到2030年，全省数字经济核心产业增加值占地区生产总值比重达到12%。',
};

describeDb('unit replies API', (db) => {
  let t: TestApp;
  afterEach(() => t.close());

  const setup = async (options: Parameters<typeof createRoundApp>[1] = {}) => {
    const { unitA, ...app } = await createRoundApp(db(), options);
    t = app.t;
    const { round, liaisonB: otherLiaison, organizer } = app;
    return { round, ...unitA, otherLiaison, organizer };
  };

  const invitationRow = (id: string) =>
    db().db.selectFrom('round_invitation').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  /** drafting → review → sign-off, ready to send. */
  const signOff = async (liaison: TestClient, head: TestClient, invitationId: string) => {
    const status = (await invitationRow(invitationId)).status;
    if (status !== 'drafting') {
      expect((await liaison.post(`/api/v1/invitations/${invitationId}/start-drafting`)).statusCode).toBe(200);
    }
    expect((await liaison.post(`/api/v1/invitations/${invitationId}/submit-for-review`)).statusCode).toBe(
      200,
    );
    expect((await head.post(`/api/v1/invitations/${invitationId}/sign-off`)).statusCode).toBe(200);
  };

  const draft = (client: TestClient, round: TestRound, extra: Record<string, unknown> = {}) =>
    client.post(`/api/v1/rounds/${round.roundId}/opinions`, {
      ...GOOD,
      clauseStableId: round.articles[1]!.stableId,
      ...extra,
    });

  it('drafts, reviews, signs off and sends a reply whose receipt is the ledger event', async () => {
    const { round, invitationId, liaison, head, otherLiaison, organizer } = await setup();
    expect((await otherLiaison.post(`/api/v1/invitations/${invitationId}/start-drafting`)).statusCode).toBe(
      403,
    );
    expect((await organizer.post(`/api/v1/invitations/${invitationId}/start-drafting`)).statusCode).toBe(403);
    expect((await t.anonymous.post(`/api/v1/invitations/${invitationId}/start-drafting`)).statusCode).toBe(
      401,
    );
    const started = await liaison.post(`/api/v1/invitations/${invitationId}/start-drafting`);
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({ status: 'drafting' });
    const opinion = (await draft(liaison, round)).json();

    expect((await head.post(`/api/v1/invitations/${invitationId}/submit-for-review`)).statusCode).toBe(403);
    expect((await liaison.post(`/api/v1/invitations/${invitationId}/submit-for-review`)).statusCode).toBe(
      200,
    );
    // Under review the content is frozen.
    expect((await liaison.patch(`/api/v1/opinions/${opinion.id}`, { blocking: true })).statusCode).toBe(409);
    expect((await liaison.post(`/api/v1/invitations/${invitationId}/sign-off`)).statusCode).toBe(403);
    expect((await head.post(`/api/v1/invitations/${invitationId}/return`, { note: '' })).statusCode).toBe(
      400,
    );
    const returned = await head.post(`/api/v1/invitations/${invitationId}/return`, {
      note: '请补充数据来源',
    });
    expect(returned.json()).toMatchObject({ status: 'drafting' });
    // Sending before sign-off is refused by the state machine.
    const early = await liaison.post(`/api/v1/invitations/${invitationId}/send`, {
      position: 'agree_with_amendments',
    });
    expect(early.statusCode).toBe(409);
    await signOff(liaison, head, invitationId);
    expect(
      (
        await otherLiaison.post(`/api/v1/invitations/${invitationId}/send`, {
          position: 'agree_with_amendments',
        })
      ).statusCode,
    ).toBe(403);

    const sent = await liaison.post(`/api/v1/invitations/${invitationId}/send`, {
      position: 'agree_with_amendments',
      summary: '原则同意，提出一条修改意见。',
    });
    expect(sent.statusCode).toBe(201);
    const receipt = sent.json();
    expect(receipt).toMatchObject({ version: 1, late: false });
    // Invitations made in the same instant are ordered by id: the unit ordinal is 001 or 002.
    expect(receipt.number).toMatch(/^R1-00[12]-v1$/);
    const ordinal = (receipt.number as string).slice(3, 6);
    const event = await db()
      .db.selectFrom('ledger_event')
      .selectAll()
      .where('seq', '=', receipt.ledger.seq)
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ event: 'reply.sent', hash: receipt.ledger.hash, alg: receipt.ledger.alg });
    const verify = await t.services.ledger.verify();
    expect(verify.ok).toBe(true);

    const stored = await db()
      .db.selectFrom('opinion')
      .select(['status', 'reg_no'])
      .where('id', '=', opinion.id)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe('submitted');
    expect(stored.reg_no).toBe(`1-${ordinal}-0001`);
    expect(await invitationRow(invitationId)).toMatchObject({ status: 'sent', reply_version: 1, late: 0 });

    const replies = await organizer.get(`/api/v1/invitations/${invitationId}/replies`);
    expect(replies.statusCode).toBe(200);
    expect(replies.json()).toHaveLength(1);
    expect(replies.json()[0]).toMatchObject({
      position: 'agree_with_amendments',
      opinionIds: [opinion.id],
      signedOffBy: round.invited[0]!.head.id,
      receipt,
    });
    expect(replies.json()[0].snapshot[0]).toMatchObject({ id: opinion.id, regNo: stored.reg_no });
    expect((await otherLiaison.get(`/api/v1/invitations/${invitationId}/replies`)).statusCode).toBe(403);
    const one = await head.get(`/api/v1/replies/${receipt.replyId}`);
    expect(one.json().receipt).toEqual(receipt);
    expect((await otherLiaison.get(`/api/v1/replies/${receipt.replyId}`)).statusCode).toBe(403);
  });

  it('refuses 不同意 without a blocking opinion and 有修改意见 without any opinion', async () => {
    const { round, invitationId, liaison, head } = await setup();
    await liaison.post(`/api/v1/invitations/${invitationId}/start-drafting`);
    await signOff(liaison, head, invitationId);
    const empty = await liaison.post(`/api/v1/invitations/${invitationId}/send`, {
      position: 'agree_with_amendments',
    });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error.details).toMatchObject({ field: 'position' });

    await head.post(`/api/v1/invitations/${invitationId}/return`, { note: '补充意见' });
    const opinion = (await draft(liaison, round)).json();
    await signOff(liaison, head, invitationId);
    const ledgerBefore = await db().db.selectFrom('ledger_event').select('seq').execute();
    const refused = await head.post(`/api/v1/invitations/${invitationId}/send`, { position: 'disagree' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details).toMatchObject({ field: 'position' });
    expect(await db().db.selectFrom('ledger_event').select('seq').execute()).toHaveLength(
      ledgerBefore.length,
    );
    expect(await db().db.selectFrom('unit_reply').select('id').execute()).toHaveLength(0);
    expect((await invitationRow(invitationId)).status).toBe('signed_off');

    await head.post(`/api/v1/invitations/${invitationId}/return`, { note: '作为否决性意见' });
    expect((await liaison.patch(`/api/v1/opinions/${opinion.id}`, { blocking: true })).statusCode).toBe(200);
    await signOff(liaison, head, invitationId);
    const accepted = await head.post(`/api/v1/invitations/${invitationId}/send`, { position: 'disagree' });
    expect(accepted.statusCode).toBe(201);
  });

  it('refuses a send after close unless marked late, then accepts it and marks it late', async () => {
    const closesAt = new Date(Date.now() - 86400_000).toISOString();
    const { round, invitationId, liaison, head } = await setup({ status: 'closed', closesAt });
    expect((await draft(liaison, round)).statusCode).toBe(201);
    await signOff(liaison, head, invitationId);
    const refused = await liaison.post(`/api/v1/invitations/${invitationId}/send`, {
      position: 'agree_with_amendments',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details).toMatchObject({ field: 'late' });
    expect(await db().db.selectFrom('unit_reply').select('id').execute()).toHaveLength(0);
    const late = await liaison.post(`/api/v1/invitations/${invitationId}/send`, {
      position: 'agree_with_amendments',
      late: true,
    });
    expect(late.statusCode).toBe(201);
    expect(late.json()).toMatchObject({ late: true, version: 1 });
    expect(await invitationRow(invitationId)).toMatchObject({ status: 'sent', late: 1 });
    const reply = await db().db.selectFrom('unit_reply').select('late').executeTakeFirstOrThrow();
    expect(reply.late).toBe(1);
  });

  it('treats an open round past its closing time as closed for sending', async () => {
    const closesAt = new Date(Date.now() - 3600_000).toISOString();
    const { invitationId, liaison, head } = await setup({ status: 'open', closesAt });
    await signOff(liaison, head, invitationId);
    expect(
      (await liaison.post(`/api/v1/invitations/${invitationId}/send`, { position: 'no_opinion' })).statusCode,
    ).toBe(422);
    expect(
      (
        await liaison.post(`/api/v1/invitations/${invitationId}/send`, { position: 'no_opinion', late: true })
      ).json(),
    ).toMatchObject({ late: true });
  });

  it('re-sends as version 2 and keeps version 1, without withdrawn opinions', async () => {
    const { round, invitationId, liaison, head, organizer } = await setup();
    const first = (await draft(liaison, round)).json();
    const second = (await draft(liaison, round, { clauseStableId: round.articles[3]!.stableId })).json();
    await signOff(liaison, head, invitationId);
    const v1 = (
      await liaison.post(`/api/v1/invitations/${invitationId}/send`, { position: 'agree_with_amendments' })
    ).json();
    expect((await liaison.post(`/api/v1/opinions/${second.id}/withdraw`)).statusCode).toBe(200);
    // Sent content cannot change without a new drafting step.
    expect((await draft(liaison, round)).statusCode).toBe(409);
    expect((await liaison.post(`/api/v1/invitations/${invitationId}/start-drafting`)).statusCode).toBe(200);
    const third = (await draft(liaison, round, { clauseStableId: round.articles[4]!.stableId })).json();
    await signOff(liaison, head, invitationId);
    const v2 = await liaison.post(`/api/v1/invitations/${invitationId}/send`, {
      position: 'agree_with_amendments',
    });
    expect(v2.statusCode).toBe(201);
    expect(v2.json()).toMatchObject({ version: 2, number: (v1.number as string).replace(/v1$/, 'v2') });
    const ordinal = (v1.number as string).slice(3, 6);
    expect(v2.json().ledger.seq).toBeGreaterThan(v1.ledger.seq);

    const replies = (await organizer.get(`/api/v1/invitations/${invitationId}/replies`)).json();
    expect(replies.map((r: { version: number }) => r.version)).toEqual([1, 2]);
    expect(replies[0].opinionIds).toEqual([first.id, second.id]);
    expect(replies[0].receipt).toEqual(v1);
    expect(replies[1].opinionIds).toEqual([first.id, third.id]);
    const regNos = await db()
      .db.selectFrom('opinion')
      .select(['id', 'reg_no', 'status'])
      .where('round_id', '=', round.roundId)
      .execute();
    const byId = new Map(regNos.map((r) => [r.id, r]));
    expect(byId.get(first.id)).toMatchObject({ reg_no: `1-${ordinal}-0001`, status: 'submitted' });
    expect(byId.get(second.id)).toMatchObject({ reg_no: `1-${ordinal}-0002`, status: 'withdrawn' });
    expect(byId.get(third.id)).toMatchObject({ reg_no: `1-${ordinal}-0003`, status: 'submitted' });
    expect(await invitationRow(invitationId)).toMatchObject({ reply_version: 2 });
  });

  it('numbers opinions by unit ordinal and never reuses a number within the round', async () => {
    const { round, liaison, head } = await setup();
    const b = round.invited[1]!;
    const bLiaison = await t.signIn(b.liaison);
    const bHead = await t.signIn(b.head);
    await createOpinion(db(), round, { invited: b, status: 'draft' });
    await draft(liaison, round);
    await signOff(bLiaison, bHead, b.invitationId);
    await signOff(liaison, head, round.invited[0]!.invitationId);
    await bLiaison.post(`/api/v1/invitations/${b.invitationId}/send`, { position: 'agree_with_amendments' });
    await liaison.post(`/api/v1/invitations/${round.invited[0]!.invitationId}/send`, {
      position: 'agree_with_amendments',
    });
    const numbers = (await db().db.selectFrom('opinion').select('reg_no').execute())
      .map((r) => r.reg_no)
      .sort();
    expect(numbers).toEqual(['1-001-0001', '1-002-0001']);
  });
});
