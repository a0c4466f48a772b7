import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SIGNATURE_OPTIONS } from '../dedupe/signature.ts';
import { packShingleSets } from '../dedupe/shingles.ts';
import { makeScratchDirectory, removeScratchDirectory } from '../../runtime/set-file.ts';
import { AnalysisPool } from './pool.ts';
import type { AnalyzeReply, PackReply } from './protocol.ts';
import { chunkPart } from './runner.ts';

const texts = [
  '建议将第十二条的公交分担率目标提高到百分之六十，理由是通勤时间过长。',
  'I support extending the practical training period for STEM graduates to 24 months.',
  '建议将第十二条的公交分担率目标提高到百分之六十五，理由是通勤时间过长。',
  'Please keep the rule: it helps universities attract international students.',
];

let directory = '';
beforeAll(() => {
  directory = makeScratchDirectory('concord-pool-test-');
});
afterAll(() => {
  removeScratchDirectory(directory);
});

describe('the analysis worker pool', { timeout: 60_000 }, () => {
  it('starts its workers with the young generation asked for, else with the engine default', async () => {
    const init = { context: {}, signature: DEFAULT_SIGNATURE_OPTIONS };
    const sized = new AnalysisPool(2, init, { youngGenerationMb: 96 });
    const plain = new AnalysisPool(1, init);
    try {
      expect(sized.resourceLimits().map((limits) => limits.maxYoungGenerationSizeMb)).toEqual([96, 96]);
      expect(plain.resourceLimits()).toHaveLength(1);
      expect(plain.resourceLimits()[0]!.maxYoungGenerationSizeMb).not.toBe(96);
      // Tasks run on this thread report none.
      expect(new AnalysisPool(0, init).resourceLimits()).toEqual([]);
    } finally {
      await Promise.all([sized.close(), plain.close()]);
    }
  });

  it("packs, on a fresh thread, the sets a closed pool's worker stored in its file", async () => {
    const analysts = new AnalysisPool(1, {
      context: {},
      signature: DEFAULT_SIGNATURE_OPTIONS,
      setDirectory: directory,
    });
    const jsonl = new TextEncoder().encode(
      texts.map((text, i) => JSON.stringify({ id: `t${i}`, text })).join('\n') + '\n',
    );
    const analyzed = await analysts.run<AnalyzeReply>(0, {
      type: 'analyze',
      job: 1,
      format: 'json',
      jsonl,
      firstLine: 1,
      fields: { id: 'id', text: 'text', target: 'target' },
      source: 'test.jsonl',
    });
    await analysts.close();
    const packers = new AnalysisPool(1, { context: {}, signature: DEFAULT_SIGNATURE_OPTIONS });
    try {
      const local = new Int32Array([0, 2, 3]);
      const packed = await packers.run<PackReply>(0, {
        type: 'pack',
        job: 2,
        parts: [chunkPart(analyzed, local, 10)],
      });
      const expected = packShingleSets(texts, { indexes: local, offset: 10 });
      expect(Array.from(packed.sets[0]!.indexes)).toEqual([10, 12, 13]);
      expect(Array.from(packed.sets[0]!.offsets)).toEqual(Array.from(expected.offsets));
      expect(Array.from(packed.sets[0]!.values)).toEqual(Array.from(expected.values));
    } finally {
      await packers.close();
    }
  });
});
