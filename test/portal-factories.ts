import type { Database } from '../src/server/db/database.ts';
import type { DispositionCode } from '../src/server/db/schema.ts';
import { newId } from '../src/server/lib/ids.ts';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createRound } from './consultation-factories.ts';

/** A public round (open for 30 days) with its organizer signed in, CAPTCHA off unless asked for. */
export async function createPortalApp(
  database: Database,
  options: { captcha?: boolean; moderation?: 'pre' | 'post'; env?: Record<string, string> } = {},
): Promise<{ t: TestApp; round: TestRound; organizer: TestClient }> {
  const round = await createRound(database, {
    kind: 'public',
    units: 0,
    opensAt: new Date(Date.now() - 86400_000).toISOString(),
    closesAt: new Date(Date.now() + 30 * 86400_000).toISOString(),
  });
  const t = await createTestApp(database, {
    env: { CONCORD_PORTAL_CAPTCHA: options.captcha ? 'on' : 'off', ...options.env },
  });
  const organizer = await t.signIn(round.organizer);
  if (options.moderation) {
    const response = await organizer.put(`/api/v1/rounds/${round.roundId}/portal`, {
      moderation: options.moderation,
    });
    if (response.statusCode !== 200) {
      throw new Error(`moderation setting failed: ${response.statusCode} ${response.body}`);
    }
  }
  return { t, round, organizer };
}

let address = 0;
/** A client from its own address (the app trusts X-Forwarded-For from its proxy). */
export const fromAddress = (t: TestApp, ip?: string): TestClient =>
  t.anonymous.with({ 'x-forwarded-for': ip ?? `198.51.100.${(address++ % 250) + 1}` });

export const comment = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  clauseStableId: null,
  suggestion: '建议将“达到15%”修改为“达到12%”，与全省产业基础相适应。',
  reasons: '2025年全省核心产业增加值占比约为9.8%，年均提高1个百分点以上难度较大。',
  anonymous: true,
  consent: true,
  ...overrides,
});

/** An approved disposition of an opinion, inserted directly (the disposition workflow is tested elsewhere). */
export async function approveDisposition(
  database: Database,
  options: { opinionId: string; code: DispositionCode; reason: string | null; by: string },
): Promise<void> {
  const at = new Date().toISOString();
  await database.db
    .insertInto('disposition')
    .values({
      id: newId(),
      opinion_id: options.opinionId,
      code: options.code,
      reason: options.reason,
      basis: options.reason === null ? null : 'other',
      status: 'approved',
      proposed_by: options.by,
      proposed_at: at,
      decided_by: options.by,
      decided_at: at,
      objection_id: null,
      created_at: at,
    })
    .execute();
}
