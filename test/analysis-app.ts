import type { Database } from '../src/server/db/database.ts';
import { ANALYSIS_OPINION, ANALYSIS_ROUND } from '../src/server/jobs/analysis.jobs.ts';
import { createHandlers } from '../src/server/jobs/handlers.ts';
import type { Job, JobOutcome } from '../src/server/jobs/queue.ts';
import type { TestApp } from './app.ts';
import type { InvitedUnit, TestClause, TestRound } from './consultation-factories.ts';
import { createOpinion } from './consultation-factories.ts';

/*
 * Helpers of the analysis tests: submitted opinions with exactly the text given, and a worker that runs
 * the analysis jobs due now until none is left, the way the server's worker would.
 */

export type RanJob = { kind: string; payload: Job['payload']; id: string } & JobOutcome;

/** Runs every due analysis job (and those they queue) to the end; returns what each did, in order. */
export async function drainAnalysisJobs(t: TestApp, limit = 200): Promise<RanJob[]> {
  const handlers = createHandlers(t.services);
  const ran: RanJob[] = [];
  for (let i = 0; i < limit; i++) {
    const job = await t.services.jobs.claim('analysis-test', [ANALYSIS_OPINION, ANALYSIS_ROUND]);
    if (!job) {
      return ran;
    }
    const outcome = await handlers[job.kind]!(job, {
      progress: (fraction) => t.services.jobs.reportProgress(job.id, fraction),
      signal: new AbortController().signal,
    });
    await t.services.jobs.complete(job.id, outcome);
    ran.push({ kind: job.kind, payload: job.payload, id: job.id, ...outcome });
  }
  throw new Error(`analysis jobs did not settle after ${limit} runs`);
}

let sequence = 0;

/**
 * A submitted opinion whose text is exactly `suggestion` (no reasons or proposed text unless given).
 * Each comes a second after the one before, so the order they came in is the order they were made.
 */
export async function submitOpinion(
  database: Database,
  round: TestRound,
  options: {
    invited?: InvitedUnit;
    clause?: TestClause | null;
    suggestion: string;
    reasons?: string | null;
    proposedText?: string | null;
  },
): Promise<{ id: string; regNo: string | null }> {
  const opinion = await createOpinion(database, round, { reasons: null, proposedText: null, ...options });
  sequence += 1;
  const at = new Date(Date.UTC(2026, 2, 1) + sequence * 1000).toISOString();
  await database.db
    .updateTable('opinion')
    .set({ created_at: at, submitted_at: at, updated_at: at })
    .where('id', '=', opinion.id)
    .execute();
  return opinion;
}

/** A campaign's form letter and copies of it with small edits (all near-duplicates at 0.8). */
export const FORM_LETTER =
  '我们强烈建议保留第三条关于算力中心建设的财政补贴政策。算力中心是全省数字经济发展的基础设施，取消补贴将使中小企业难以承担算力成本，影响产业转型升级。请省发展改革委认真研究，保持现有补贴标准不变，并在此基础上适当加大支持力度。';

export const FORM_COPIES = [
  FORM_LETTER,
  FORM_LETTER.replace('强烈建议', '郑重建议'),
  FORM_LETTER.replace('中小企业', '小微企业'),
  FORM_LETTER.replace('适当加大', '适度加大'),
  `${FORM_LETTER}🙏`,
];

/**
 * A longer letter and three copies, each with one clause rewritten in a different place: each copy is a
 * near-duplicate of the letter (Jaccard about 0.82), no two copies are (about 0.68).
 */
export function driftingLetters(): { base: string; start: string; middle: string; end: string } {
  const base = `${FORM_LETTER}同时建议在第五章增加数据要素市场培育的内容，完善公共数据开放共享制度，支持中小企业数字化转型，建立算力资源统筹调度平台，推动东西部算力协同发展。`;
  const patch = (at: number, text: string): string => base.slice(0, at) + text + base.slice(at + text.length);
  return {
    base,
    start: patch(8, '删除关于数据中心能耗的限制'),
    middle: patch(60, '补充绿色电力交易的配套措施'),
    end: patch(125, '增加对人才引进的住房保障安排'),
  };
}
