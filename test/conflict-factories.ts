import type { Database } from '../src/server/db/database.ts';
import type { TestRound } from './consultation-factories.ts';
import { createOpinion, createRound } from './consultation-factories.ts';
import type { TestUser } from './factories.ts';
import { createUser } from './factories.ts';

/*
 * A round in which two units disagree about a figure of one clause (第二条: +20% against +15%), a third
 * unit that has no part in it, a second organizer (four-eyes) and three leaders for the rungs of a ladder.
 */

export interface FigureConflictRound {
  round: TestRound;
  clauseStableId: string;
  /** Unit 1 asks for +20%. */
  high: { id: string };
  /** Unit 2 asks for +15%. */
  low: { id: string };
  assessor: TestUser;
  leaders: [TestUser, TestUser, TestUser];
}

export async function createFigureConflictRound(database: Database): Promise<FigureConflictRound> {
  const round = await createRound(database, { status: 'open', units: 3 });
  const clause = round.articles[1]!;
  const high = await createOpinion(database, round, {
    invited: round.invited[0]!,
    clause,
    suggestion: '建议将数字经济核心产业增加值年均增速目标提高到20%，体现跨越发展要求。',
    reasons: '近三年我省核心产业增速均高于全国平均水平。',
    proposedText: '到2030年，全省数字经济核心产业增加值年均增长20%。',
  });
  const low = await createOpinion(database, round, {
    invited: round.invited[1]!,
    clause,
    suggestion: 'We suggest keeping the growth target at 15%, as the forecast series supports.',
    reasons: '统计局预测序列显示2030年增加值约为5980亿元。',
    proposedText: '到2030年，全省数字经济核心产业增加值年均增长15%。',
  });
  const leader = () => createUser(database, { roles: ['leader'], unitId: round.ownerUnit.id });
  return {
    round,
    clauseStableId: clause.stableId,
    high,
    low,
    assessor: await createUser(database, { roles: ['organizer'], unitId: round.ownerUnit.id }),
    leaders: [await leader(), await leader(), await leader()],
  };
}
