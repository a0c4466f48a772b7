import { expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.ts';
import { CLI_ACTOR } from '../src/server/services/context.ts';
import type { ClauseNode } from '../src/server/services/draft.service.ts';
import { createServices } from '../src/server/services/index.ts';
import { describeDb } from './db.ts';
import { fixturesAvailable, readFixture } from './fixtures.ts';

const FILE = 'drafts/state_council_policies_2018-2019_part1.json';
const available = fixturesAvailable(FILE);
if (!available) {
  console.warn(`fixtures absent (${FILE}): the State Council import test is SKIPPED`);
}

// The numbering levels of a policy document, outermost first.
const RANK: Record<string, number> = {
  chapter: 1,
  section: 2,
  article: 3,
  'cn-enum': 4,
  'cn-paren': 5,
  arabic: 6,
  'arabic-paren': 7,
  circled: 8,
};

describeDb('import of the State Council documents', (db) => {
  it.skipIf(!available)(
    'imports all 30 into trees whose levels follow 一、 → （一） → 1. → （1）',
    async () => {
      const documents = JSON.parse(readFixture(FILE).toString('utf8')) as { title: string; text: string }[];
      expect(documents).toHaveLength(30);
      const services = createServices({
        database: db(),
        config: loadConfig({ CONCORD_DATABASE_URL: 'sqlite::memory:' }),
      });
      let nestedDocuments = 0;
      for (const [i, document] of documents.entries()) {
        const plan = await services.plans.createPlan(CLI_ACTOR, { name: document.title });
        const result = await services.drafts.importVersion(CLI_ACTOR, {
          planId: plan.id,
          fileName: `policy-${i}.txt`,
          data: Buffer.from(document.text),
        });
        expect(result.version.clauseCount, document.title).toBeGreaterThan(0);
        const { clauses } = await services.drafts.getClauseTree(CLI_ACTOR, result.version.id);
        let nested = false;
        const check = (nodes: ClauseNode[], parent: ClauseNode | null) => {
          for (const node of nodes) {
            const rank = RANK[node.kind];
            const parentRank = parent ? RANK[parent.kind] : undefined;
            if (rank !== undefined && parentRank !== undefined) {
              expect(parentRank, `${document.title}: ${node.path}`).toBeLessThan(rank);
              nested = true;
            }
            check(node.children, node);
          }
        };
        check(clauses, null);
        if (nested) {
          nestedDocuments += 1;
        }
      }
      // Most of these documents number at two or more levels.
      expect(nestedDocuments).toBeGreaterThanOrEqual(10);
      const verify = await services.ledger.verify();
      expect(verify).toMatchObject({ ok: true, checked: 60 });
    },
  );
});
