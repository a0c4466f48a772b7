import type { Database } from '../src/server/db/database.ts';
import type { TestApp, TestClient } from './app.ts';
import { createTestApp } from './app.ts';
import type { TestRound } from './consultation-factories.ts';
import { createRound } from './consultation-factories.ts';

export interface RoundApp {
  t: TestApp;
  round: TestRound;
  /** The first invited unit's invitation, liaison and unit head. */
  unitA: { invitationId: string; liaison: TestClient; head: TestClient };
  /** The second invited unit's liaison. */
  liaisonB: TestClient;
  organizer: TestClient;
}

/**
 * A round (see createRound) on a fresh app, with the first invited unit's liaison and head, the second
 * unit's liaison and the organizer signed in.
 */
export async function createRoundApp(
  database: Database,
  options: Parameters<typeof createRound>[1] = {},
): Promise<RoundApp> {
  const round = await createRound(database, options);
  const t = await createTestApp(database);
  const [a, b] = round.invited;
  return {
    t,
    round,
    unitA: {
      invitationId: a!.invitationId,
      liaison: await t.signIn(a!.liaison),
      head: await t.signIn(a!.head),
    },
    liaisonB: await t.signIn(b!.liaison),
    organizer: await t.signIn(round.organizer),
  };
}
