import { solveChallenge } from 'altcha-lib/v1';
import { afterEach, expect, it } from 'vitest';
import type { Database } from '../src/server/db/database.ts';
import { CLI_ACTOR } from '../src/server/services/context.ts';
import { openCommenter } from '../src/server/services/portal-contacts.ts';
import type { TestApp } from './app.ts';
import { describeDb } from './db.ts';
import { approveDisposition, comment, createPortalApp, fromAddress } from './portal-factories.ts';

interface Receipt {
  receiptNo: string;
  status: string;
  message: { zh: string; en: string };
}

const count = async (database: Database, table: 'opinion' | 'portal_comment' | 'portal_commenter' | 'job') =>
  Number(
    (
      await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describeDb('public comment portal API', (db) => {
  let t: TestApp;
  afterEach(() => t.close());

  it('takes an anonymous comment into the pre-moderation queue; approval makes it an analysed opinion', async () => {
    const app = await createPortalApp(db());
    t = app.t;
    const { round, organizer } = app;
    const clause = round.articles[1]!;

    const page = await t.anonymous.get(`/api/v1/public/rounds/${round.roundId}`);
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ accepting: true, moderation: 'pre', comments: 0 });
    expect(page.json<{ clauses: { stableId: string }[] }>().clauses.map((c) => c.stableId)).toContain(
      clause.stableId,
    );

    const sent = await fromAddress(t).post(
      `/api/v1/public/rounds/${round.roundId}/comments`,
      comment({ clauseStableId: clause.stableId, proposedText: '到2030年，比重达到12%。' }),
    );
    expect(sent.statusCode).toBe(201);
    const receipt = sent.json<Receipt>();
    expect(receipt.status).toBe('pending');
    expect(receipt.receiptNo).toMatch(/^P(-[A-Z2-9]{4}){3}$/);
    expect(receipt.message.zh).toContain('审核');
    expect(await count(db(), 'opinion')).toBe(0);
    // Nothing is shown before approval.
    const shown = await t.anonymous.get(`/api/v1/public/rounds/${round.roundId}/comments`);
    expect(shown.json()).toMatchObject({ total: 0 });

    const queue = await organizer.get(`/api/v1/rounds/${round.roundId}/portal/comments?status=pending`);
    expect(queue.statusCode).toBe(200);
    const [item] = queue.json<{ items: { id: string; named: boolean; anonymous: boolean }[] }>().items;
    expect(item).toMatchObject({ named: false, anonymous: true });

    const approved = await organizer.post(`/api/v1/portal/comments/${item!.id}/moderate`, {
      action: 'approve',
    });
    expect(approved.statusCode).toBe(200);
    const opinionId = approved.json<{ opinionId: string }>().opinionId;
    const opinion = await db()
      .db.selectFrom('opinion')
      .selectAll()
      .where('id', '=', opinionId)
      .executeTakeFirstOrThrow();
    expect(opinion).toMatchObject({
      unit_id: null,
      reg_no: '1-P-0000001',
      clause_stable_id: clause.stableId,
    });
    const jobs = await db().db.selectFrom('job').select('dedupe_key').execute();
    expect(jobs.map((j) => j.dedupe_key)).toContain(`analysis.opinion:${opinionId}`);

    const after = await t.anonymous.get(`/api/v1/public/rounds/${round.roundId}`);
    expect(after.json<{ comments: number }>().comments).toBe(1);
    const status = await t.anonymous.get(`/api/v1/public/receipts/${receipt.receiptNo}`);
    expect(status.json()).toMatchObject({ status: 'published', reason: null });
    // Approving twice is refused.
    expect(
      (await organizer.post(`/api/v1/portal/comments/${item!.id}/moderate`, { action: 'approve' }))
        .statusCode,
    ).toBe(409);
  });

  it('keeps a named commenter’s name and contact apart and never returns them', async () => {
    const app = await createPortalApp(db(), { moderation: 'post' });
    t = app.t;
    const { round, organizer } = app;
    const name = '王小明';
    const contact = 'wang.xm@example.com';
    const sent = await fromAddress(t).post(
      `/api/v1/public/rounds/${round.roundId}/comments`,
      comment({
        anonymous: false,
        name,
        contact,
        suggestion: 'Please extend the 5G plan to rural townships. 👍',
      }),
    );
    expect(sent.statusCode).toBe(201);
    expect(sent.json<Receipt>().status).toBe('published');
    const stored = await db().db.selectFrom('portal_commenter').selectAll().executeTakeFirstOrThrow();
    // Stored sealed (see portal-privacy.http.test.ts for the encryption under a key).
    expect(openCommenter(stored, t.config.secretKey)).toEqual({ name, contact });
    const opinion = await db().db.selectFrom('opinion').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(opinion)).not.toContain(name);
    expect(JSON.stringify(opinion)).not.toContain(contact);

    const bodies = [
      sent.body,
      (await t.anonymous.get(`/api/v1/public/rounds/${round.roundId}`)).body,
      (await t.anonymous.get(`/api/v1/public/rounds/${round.roundId}/comments`)).body,
      (await t.anonymous.get(`/api/v1/public/receipts/${sent.json<Receipt>().receiptNo}`)).body,
      (await organizer.get(`/api/v1/rounds/${round.roundId}/portal/comments`)).body,
    ];
    for (const body of bodies) {
      expect(body).not.toContain(name);
      expect(body).not.toContain(contact);
    }
    expect(bodies[2]).toContain('rural townships. 👍');
    expect(JSON.parse(bodies[4]!).items[0]).toMatchObject({ named: true, anonymous: false });
    const ledger = await db().db.selectFrom('ledger_event').select('payload').execute();
    expect(ledger.map((e) => e.payload).join()).not.toContain(contact);

    // A named comment needs a usable contact.
    const bad = await fromAddress(t).post(
      `/api/v1/public/rounds/${round.roundId}/comments`,
      comment({ anonymous: false, name, contact: 'call me' }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { details: { field: 'contact' } } });
  });

  it('requires a solved CAPTCHA, once', async () => {
    const app = await createPortalApp(db(), {
      captcha: true,
      env: { CONCORD_PORTAL_CAPTCHA_MAX_NUMBER: '1000' },
    });
    t = app.t;
    const { round } = app;
    const url = `/api/v1/public/rounds/${round.roundId}/comments`;
    const missing = await fromAddress(t).post(url, comment());
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ error: { details: { field: 'captcha' } } });
    const forged = await fromAddress(t).post(
      url,
      comment({ captcha: Buffer.from('{"number":1}').toString('base64') }),
    );
    expect(forged.statusCode).toBe(400);

    const challenge = (await t.anonymous.get('/api/v1/public/captcha')).json<{
      enabled: boolean;
      algorithm: string;
      challenge: string;
      salt: string;
      signature: string;
      maxnumber: number;
    }>();
    expect(challenge.enabled).toBe(true);
    const solution = await solveChallenge(
      challenge.challenge,
      challenge.salt,
      challenge.algorithm,
      challenge.maxnumber,
    ).promise;
    expect(solution).not.toBeNull();
    const captcha = Buffer.from(
      JSON.stringify({
        algorithm: challenge.algorithm,
        challenge: challenge.challenge,
        number: solution!.number,
        salt: challenge.salt,
        signature: challenge.signature,
      }),
    ).toString('base64');
    expect((await fromAddress(t).post(url, comment({ captcha }))).statusCode).toBe(201);
    const replay = await fromAddress(t).post(url, comment({ captcha }));
    expect(replay.statusCode).toBe(400);
    expect(replay.json<{ error: { message: string } }>().error.message).toContain('used already');
    expect(await count(db(), 'portal_comment')).toBe(1);
  });

  it('limits comments per client address with 429 and Retry-After, leaving other addresses alone', async () => {
    const app = await createPortalApp(db());
    t = app.t;
    const url = `/api/v1/public/rounds/${app.round.roundId}/comments`;
    const abuser = fromAddress(t, '203.0.113.9');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push(
        (await abuser.post(url, comment({ suggestion: `第${i}条意见：建议增加农村5G基站。` }))).statusCode,
      );
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
    const refused = await abuser.post(url, comment());
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json<{ error: { code: string } }>().error.code).toBe('rate_limited');
    expect((await fromAddress(t, '203.0.113.10').post(url, comment())).statusCode).toBe(201);
    expect(await count(db(), 'portal_comment')).toBe(6);
  });

  it('takes concurrent comments together: refused ones alone fail, numbers stay consecutive', async () => {
    const app = await createPortalApp(db(), { moderation: 'post' });
    t = app.t;
    const url = `/api/v1/public/rounds/${app.round.roundId}/comments`;
    const abuser = fromAddress(t, '203.0.113.77');
    const responses = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 2 === 0
          ? abuser.post(url, comment({ suggestion: `Flood ${i} 洪水` }))
          : fromAddress(t).post(url, comment({ suggestion: `第${i}条：建议增加农村充电桩。` })),
      ),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s, i) => i % 2 === 1 && s === 201)).toHaveLength(12);
    expect(statuses.filter((s, i) => i % 2 === 0 && s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    const regNos = (
      await db().db.selectFrom('opinion').select('reg_no').where('round_id', '=', app.round.roundId).execute()
    )
      .map((r) => r.reg_no)
      .sort();
    expect(regNos).toEqual(Array.from({ length: 17 }, (_, i) => `1-P-${String(i + 1).padStart(7, '0')}`));
    const receipts = responses.filter((r) => r.statusCode === 201).map((r) => r.json<Receipt>().receiptNo);
    expect(new Set(receipts).size).toBe(17);
    expect(await count(db(), 'portal_comment')).toBe(17);
  });

  it('rejects and hides with reasons the commenter sees; hiding withdraws the opinion', async () => {
    const app = await createPortalApp(db(), { moderation: 'pre' });
    t = app.t;
    const { round, organizer } = app;
    const url = `/api/v1/public/rounds/${round.roundId}/comments`;
    const first = (
      await fromAddress(t).post(url, comment({ suggestion: '广告：低价出售发票' }))
    ).json<Receipt>();
    const queue = await organizer.get(`/api/v1/rounds/${round.roundId}/portal/comments?status=pending`);
    const id = queue.json<{ items: { id: string }[] }>().items[0]!.id;
    const noReason = await organizer.post(`/api/v1/portal/comments/${id}/moderate`, { action: 'reject' });
    expect(noReason.statusCode).toBe(400);
    const rejected = await organizer.post(`/api/v1/portal/comments/${id}/moderate`, {
      action: 'reject',
      reason: '与本规划无关的广告内容',
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected', opinionId: null });
    const receipt = await t.anonymous.get(`/api/v1/public/receipts/${first.receiptNo}`);
    expect(receipt.json()).toMatchObject({ status: 'rejected', reason: '与本规划无关的广告内容' });

    await organizer.put(`/api/v1/rounds/${round.roundId}/portal`, { moderation: 'post' });
    const second = await fromAddress(t).post(url, comment());
    expect(second.json<Receipt>().status).toBe('published');
    const published = await organizer.get(`/api/v1/rounds/${round.roundId}/portal/comments?status=published`);
    const item = published.json<{ items: { id: string; opinionId: string }[] }>().items[0]!;
    const hidden = await organizer.post(`/api/v1/portal/comments/${item.id}/moderate`, {
      action: 'hide',
      reason: 'Personal attack',
    });
    expect(hidden.json()).toMatchObject({ status: 'hidden', moderationReason: 'Personal attack' });
    const opinion = await db()
      .db.selectFrom('opinion')
      .select('status')
      .where('id', '=', item.opinionId)
      .executeTakeFirstOrThrow();
    expect(opinion.status).toBe('withdrawn');
    expect((await t.anonymous.get(`/api/v1/public/rounds/${round.roundId}/comments`)).json()).toMatchObject({
      total: 0,
    });
    // Only the plan's organizers moderate; the public routes refuse nothing but do not moderate.
    expect(
      (
        await t.anonymous.post(`/api/v1/portal/comments/${item.id}/moderate`, {
          action: 'restore',
          reason: 'x',
        })
      ).statusCode,
    ).toBe(401);
    const restored = await organizer.post(`/api/v1/portal/comments/${item.id}/moderate`, {
      action: 'restore',
      reason: '误操作',
    });
    expect(restored.json()).toMatchObject({ status: 'published', opinionId: item.opinionId });
  });

  it('redacts personal data from the comment and its opinion, recording the reason', async () => {
    const app = await createPortalApp(db(), { moderation: 'post' });
    t = app.t;
    const { round, organizer } = app;
    const text =
      '我住在幸福小区，电话13812345678，身份证110101199003071234，邮箱li@example.cn，建议增设公交站。';
    await fromAddress(t).post(
      `/api/v1/public/rounds/${round.roundId}/comments`,
      comment({ suggestion: text }),
    );
    const queue = await organizer.get(`/api/v1/rounds/${round.roundId}/portal/comments`);
    const item = queue.json<{ items: { id: string; opinionId: string; personalData: boolean }[] }>()
      .items[0]!;
    expect(item.personalData).toBe(true);
    const redacted = await organizer.post(`/api/v1/portal/comments/${item.id}/redact`, {
      reason: '含个人联系方式和身份证号',
      spans: ['幸福小区'],
    });
    expect(redacted.statusCode).toBe(200);
    const body = redacted.json<{
      suggestion: string;
      redacted: boolean;
      personalData: boolean;
      redactions: unknown[];
    }>();
    expect(body.suggestion).not.toMatch(/13812345678|110101199003071234|li@example\.cn|幸福小区/);
    expect(body.suggestion).toContain('建议增设公交站');
    expect(body).toMatchObject({ redacted: true, personalData: false });
    expect(body.redactions).toEqual([
      expect.objectContaining({
        reason: '含个人联系方式和身份证号',
        count: 4,
        kinds: expect.arrayContaining(['phone', 'id_card', 'email']),
      }),
    ]);
    const opinion = await db()
      .db.selectFrom('opinion')
      .select('suggestion')
      .where('id', '=', item.opinionId)
      .executeTakeFirstOrThrow();
    expect(opinion.suggestion).toBe(body.suggestion);
    const events = await db().db.selectFrom('ledger_event').select(['event', 'payload']).execute();
    const event = events.find((e) => e.event === 'portal.comment_redacted');
    expect(event?.payload).not.toContain('13812345678');
    // Nothing left to redact.
    expect(
      (await organizer.post(`/api/v1/portal/comments/${item.id}/redact`, { reason: 'again' })).statusCode,
    ).toBe(409);
  });

  it('refuses oversized bodies, keeps a script as text, and answers bad input clearly', async () => {
    const app = await createPortalApp(db(), { moderation: 'post' });
    t = app.t;
    const { round } = app;
    const url = `/api/v1/public/rounds/${round.roundId}/comments`;
    const huge = await fromAddress(t).post(url, comment({ suggestion: '长'.repeat(100_000) }));
    expect(huge.statusCode).toBe(413);
    const long = await fromAddress(t).post(url, comment({ suggestion: 'a'.repeat(5001) }));
    expect(long.statusCode).toBe(400);
    expect((await fromAddress(t).post(url, comment({ suggestion: '' }))).statusCode).toBe(400);
    expect((await fromAddress(t).post(url, comment({ suggestion: '   ' }))).statusCode).toBe(400);
    expect((await fromAddress(t).post(url, comment({ consent: false }))).json()).toMatchObject({
      error: { details: { field: 'consent' } },
    });
    expect((await fromAddress(t).post(url, comment({ clauseStableId: 'no-such-clause' }))).statusCode).toBe(
      400,
    );
    expect((await fromAddress(t).post(url, comment({ extra: 1 }))).statusCode).toBe(400);

    const script = '<script>alert("x")</script><img src=x onerror=alert(1)> 好';
    expect((await fromAddress(t).post(url, comment({ suggestion: script }))).statusCode).toBe(201);
    expect((await fromAddress(t).post(url, comment({ suggestion: '好' }))).statusCode).toBe(201);
    const shown = await t.anonymous.get(`/api/v1/public/rounds/${round.roundId}/comments`);
    expect(shown.headers['content-type']).toContain('application/json');
    expect(shown.json<{ items: { suggestion: string }[] }>().items.map((i) => i.suggestion)).toEqual([
      '好',
      script,
    ]);
    expect(await count(db(), 'opinion')).toBe(2);
  });

  it('shows only public rounds, and takes no comment once the round is closed', async () => {
    const app = await createPortalApp(db());
    t = app.t;
    const { round } = app;
    await db().db.updateTable('round').set({ kind: 'internal' }).where('id', '=', round.roundId).execute();
    expect((await t.anonymous.get(`/api/v1/public/rounds/${round.roundId}`)).statusCode).toBe(404);
    expect(
      (await fromAddress(t).post(`/api/v1/public/rounds/${round.roundId}/comments`, comment())).statusCode,
    ).toBe(404);
    await db()
      .db.updateTable('round')
      .set({ kind: 'public', status: 'closed' })
      .where('id', '=', round.roundId)
      .execute();
    const closed = await fromAddress(t).post(`/api/v1/public/rounds/${round.roundId}/comments`, comment());
    expect(closed.statusCode).toBe(409);
    expect((await t.anonymous.get(`/api/v1/public/rounds/${round.roundId}`)).json()).toMatchObject({
      accepting: false,
    });
    expect((await t.anonymous.get('/api/v1/public/rounds/nope')).statusCode).toBe(404);
  });

  it('publishes the summary after the round: clusters with counts and what was done', async () => {
    const app = await createPortalApp(db(), { moderation: 'post' });
    t = app.t;
    const { round, organizer } = app;
    const url = `/api/v1/public/rounds/${round.roundId}/comments`;
    const clause = round.articles[1]!;
    const campaign = '强烈建议把数字经济核心产业占比目标从15%下调到12%，目前基础太弱，难以实现。';
    for (let i = 0; i < 3; i++) {
      await fromAddress(t).post(
        url,
        comment({ clauseStableId: clause.stableId, suggestion: campaign, reasons: null }),
      );
    }
    await fromAddress(t).post(
      url,
      comment({
        clauseStableId: clause.stableId,
        suggestion: 'Add a target for rural broadband coverage.',
        reasons: null,
      }),
    );
    expect((await t.anonymous.get(`/api/v1/public/rounds/${round.roundId}/summary`)).statusCode).toBe(404);
    expect((await organizer.post(`/api/v1/rounds/${round.roundId}/portal/summary`)).statusCode).toBe(409);

    await t.services.analysis.processRound(round.roundId, { reanalyze: false });
    const opinions = await db().db.selectFrom('opinion').select(['id', 'suggestion']).execute();
    const campaignIds = opinions.filter((o) => o.suggestion === campaign).map((o) => o.id);
    for (const opinionId of campaignIds) {
      await approveDisposition(db(), {
        opinionId,
        code: 'partially_adopted',
        reason: '目标调整为13%，兼顾发展基础与引领作用',
        by: round.organizer.id,
      });
    }
    await t.services.rounds.closeRound(CLI_ACTOR, round.roundId);
    const published = await organizer.post(`/api/v1/rounds/${round.roundId}/portal/summary`);
    expect(published.statusCode).toBe(200);
    const summary = (await t.anonymous.get(`/api/v1/public/rounds/${round.roundId}/summary`)).json<{
      comments: number;
      clauses: {
        clauseStableId: string;
        comments: number;
        clusters: {
          size: number;
          representative: string;
          response: { code: string; reason: string } | null;
        }[];
      }[];
    }>();
    expect(summary.comments).toBe(4);
    const entry = summary.clauses.find((c) => c.clauseStableId === clause.stableId)!;
    expect(entry.comments).toBe(4);
    expect(entry.clusters[0]).toMatchObject({
      size: 3,
      representative: campaign,
      response: { code: 'partially_adopted', reason: '目标调整为13%，兼顾发展基础与引领作用' },
    });
    expect(entry.clusters[1]).toMatchObject({ size: 1, response: null });
    expect((await t.anonymous.get(`/api/v1/public/rounds/${round.roundId}`)).json()).toMatchObject({
      summaryPublished: true,
    });
  });
});
