import { describe, expect, it } from 'vitest';
import { findDuplicates } from './dedupe/cluster.ts';
import { exactHash } from './normalize.ts';
import type { AnalysisRows, RowValues } from './parallel/rows.ts';
import { rowValues } from './parallel/rows.ts';
import type { AnalysisInput, CorpusChunk, CorpusProgress, RecordAnalysis } from './pipeline.ts';
import {
  analyzeCorpus,
  analyzeCorpusClusters,
  analyzeCorpusClustersStream,
  analyzeCorpusToJsonLines,
  analyzeRecord,
  analyzeTokenized,
  analyzeTokenizedAll,
} from './pipeline.ts';
import { trainStanceModel } from './stance/model.ts';
import { tokenize } from './tokenize.ts';
import { trainTopicModel } from './topics/model.ts';
import type { Taxonomy } from './topics/taxonomy.ts';
import { ANALYZE_LINE_FIELDS } from '../../test/analyze-output.ts';
import { drifting, han } from '../../test/drifting-texts.ts';

const taxonomy: Taxonomy = {
  topics: [
    { id: 'transport', name: '交通', keywords: ['地铁', '公交', 'subway'] },
    { id: 'housing', name: '住房', keywords: ['住房', '电梯', 'housing'] },
  ],
};

describe('analyzeRecord', () => {
  it('analyses a Chinese opinion: stance, topics by keyword, figures, key phrases, quality', () => {
    const text = '建议修改第十二条，将地铁覆盖率由60%提高到不低于75%，理由是现有线路严重不足。';
    const result = analyzeRecord({ id: 'o1', text, target: 'c12' }, { taxonomy });
    expect(result.id).toBe('o1');
    expect(result.textHash).toBe(exactHash(text));
    expect(result.textHash).toMatch(/^[0-9a-f]{16}$/u);
    expect(result.stance).toMatchObject({ label: 'modify', source: 'lexicon' });
    expect(result.topics.map((t) => t.label)).toEqual(['transport']);
    expect(result.figures.length).toBeGreaterThan(0);
    expect(result.figures.some((f) => f.unit === '%' && f.value === 75)).toBe(true);
    expect(result.keyphrases.length).toBeGreaterThan(0);
    expect(result.keyphrases.length).toBeLessThanOrEqual(5);
    expect(result.quality.score).toBeGreaterThan(0);
    expect(result.quality.score).toBeLessThanOrEqual(1);
  });

  it('analyses an English opinion and honours the key-phrase limit', () => {
    const text =
      'I strongly oppose the repeal of net neutrality. Internet service providers must not block or throttle lawful content.';
    const result = analyzeRecord({ id: 'e1', text }, { taxonomy, keyphraseLimit: 2 });
    expect(result.stance.label).toBe('oppose');
    expect(result.keyphrases.length).toBeLessThanOrEqual(2);
    expect(result.topics).toEqual([]);
  });

  it('gives every field for empty, one-character, emoji and mixed-script text', () => {
    for (const text of ['', '   ', '好', 'a', '👍', '👍🏽支持！', '支持 the plan 👍 第3条']) {
      const result = analyzeRecord({ id: 'x', text });
      expect(result.id).toBe('x');
      expect(result.textHash).toBe(exactHash(text));
      expect(Array.isArray(result.topics)).toBe(true);
      expect(['support', 'oppose', 'modify', 'none']).toContain(result.stance.label);
      expect(Array.isArray(result.quality.flags)).toBe(true);
      expect(Array.isArray(result.keyphrases)).toBe(true);
      expect(Array.isArray(result.figures)).toBe(true);
    }
    expect(analyzeRecord({ id: 'e', text: '' }).keyphrases).toEqual([]);
    expect(analyzeRecord({ id: 'e', text: '' }).figures).toEqual([]);
  });

  it('analyses a 100 KB text', () => {
    const text = '建议提高公交分担率至60%，增加地铁线路。Please add more subway lines. '.repeat(2000);
    expect(new TextEncoder().encode(text).length).toBeGreaterThan(100_000);
    const result = analyzeRecord({ id: 'big', text }, { taxonomy });
    expect(result.topics.map((t) => t.label)).toContain('transport');
    expect(result.figures.length).toBeGreaterThan(100);
  });

  it('uses the learned models when given', () => {
    const rows: [string, 'support' | 'oppose'][] = [
      ['支持延长开放时间', 'support'],
      ['赞成晚上开放', 'support'],
      ['同意这一条', 'support'],
      ['很好，支持', 'support'],
      ['非常赞成', 'support'],
      ['反对延长开放', 'oppose'],
      ['不同意夜间开放', 'oppose'],
      ['坚决反对', 'oppose'],
      ['扰民，反对', 'oppose'],
      ['不赞成', 'oppose'],
    ];
    const stanceModel = trainStanceModel(
      rows.map(([text, stance]) => ({ doc: tokenize(text), target: 'c1', stance })),
    );
    const result = analyzeRecord({ id: 's', text: '我支持延长开放时间', target: 'c1' }, { stanceModel });
    expect(result.stance).toMatchObject({ label: 'support', source: 'machine' });
    // Without a taxonomy the topic model's own topics are assigned.
    const labelled = [
      ...['地铁太挤', '公交太少', '增开地铁', '公交线路不足', '地铁票价高'].map((t) => ({
        text: t,
        labels: ['transport'],
      })),
      ...['房租太高', '加装电梯', '住房保障不足', '公租房太少', '老旧小区改造'].map((t) => ({
        text: t,
        labels: ['housing'],
      })),
    ];
    const topicModel = trainTopicModel({
      taxonomy: {
        topics: [
          { id: 'transport', name: 'transport' },
          { id: 'housing', name: 'housing' },
        ],
        minLabels: 5,
      },
      labelled: labelled.map((l) => ({ doc: tokenize(l.text), labels: l.labels })),
    });
    expect(topicModel).not.toBeNull();
    const topics = analyzeRecord({ id: 't', text: '地铁太挤了，建议增开地铁' }, { topicModel }).topics;
    expect(topics[0]?.label).toBe('transport');
  });
});

describe('analyzeTokenizedAll', () => {
  it('gives each record what analyzeTokenized gives it alone, in order', () => {
    const records: AnalysisInput[] = [
      ...campaign(),
      {
        id: 'reasons',
        text: '建议增加公交线路',
        reasons: '晚高峰公交满载率超过120%',
        proposedText: '增开夜班公交',
      },
    ];
    const docs = records.map((r) => tokenize(r.text));
    const hashes = records.map((r) => exactHash(r.text));
    const context = { taxonomy, keyphraseLimit: 3 };
    const together = analyzeTokenizedAll(records, docs, context, hashes);
    expect(together).toHaveLength(records.length);
    expect(together.map((a) => a.id)).toEqual(records.map((r) => r.id));
    records.forEach((record, i) => {
      expect(together[i]).toEqual(analyzeTokenized(record, docs[i]!, context, hashes[i]));
    });
    // The records differ: a batch that gave every record the first one's results would fail above.
    expect(new Set(together.map((a) => JSON.stringify(a.figures))).size).toBeGreaterThan(2);
    expect(analyzeTokenizedAll([], [], context, [])).toEqual([]);
  });
});

/** A small campaign: a Chinese and an English form letter with copies, edited copies and other texts. */
function campaign(): AnalysisInput[] {
  const zh =
    '我们坚决支持将城市轨道交通覆盖率提高到百分之七十，并建议在二〇二七年前完成新线路建设，保障市民出行便利。';
  const en =
    'I support the proposal to extend the optional practical training for students with STEM degrees. It keeps talent in our economy and helps American companies compete.';
  const records: AnalysisInput[] = [];
  for (let i = 0; i < 40; i++) {
    const kind = i % 4;
    const text =
      kind === 0
        ? zh
        : kind === 1
          ? `${en} Thank you.`
          : kind === 2
            ? `${zh.slice(0, 20)}${zh.slice(21)}`
            : `Comment number ${i}: the subway fares rose ${i} percent this year 😀`;
    records.push({ id: `r${i}`, text, target: kind < 2 ? 'c1' : null });
  }
  records.push({ id: 'empty', text: '' }, { id: 'one', text: '好' }, { id: 'emoji', text: '👍' });
  return records;
}

/** Record k's row read back through the accessors of its chunk's rows. */
function rowOf(rows: AnalysisRows, k: number): RowValues {
  const topics = rows.topics(k);
  return {
    strings: [
      rows.textHash(k),
      rows.stance(k),
      rows.qualityFlags(k),
      rows.keyphrases(k),
      rows.figures(k),
      topics.length === 0 ? '[]' : JSON.stringify(topics),
    ],
    qualityScore: rows.qualityScore(k),
    stanceScore: rows.stanceScore(k),
  };
}

/** `count` campaigns one after another, the records numbered r0, r1, … */
const campaigns = (count: number): AnalysisInput[] =>
  Array.from({ length: count }, () => campaign())
    .flat()
    .map((r, i) => ({ ...r, id: `r${i}` }));

describe('analyzeCorpus', () => {
  it('keeps input order and each record its own id, with clusters that match findDuplicates', async () => {
    const records = campaign();
    const phases = new Set<CorpusProgress['phase']>();
    const results = await analyzeCorpus(records, { workers: 0, onProgress: (p) => phases.add(p.phase) });
    expect(results.map((r) => r.id)).toEqual(records.map((r) => r.id));
    expect([...phases]).toEqual(['analyze', 'verify', 'cluster']);
    const reference = findDuplicates(records.map((r) => r.text));
    records.forEach((_, i) => {
      const c = reference.clusterOf[i]!;
      const cluster = c === -1 ? null : records[reference.clusters[c]!.representative]!.id;
      expect(results[i]!.cluster).toBe(cluster);
      expect(results[i]!.clusterSize).toBe(c === -1 ? 1 : reference.clusters[c]!.members.length);
      const original = reference.exactDuplicateOf[i]!;
      expect(results[i]!.duplicateOf).toBe(original === -1 ? null : records[original]!.id);
    });
    // The Chinese letter, its edited copies and the English copies form clusters with the first copy.
    expect(results[0]).toMatchObject({ cluster: 'r0', duplicateOf: null });
    expect(results[4]).toMatchObject({ cluster: 'r0', duplicateOf: 'r0' });
    expect(results[2]!.cluster).toBe('r0');
    expect(results[5]).toMatchObject({ cluster: 'r1', clusterSize: 10, duplicateOf: 'r1' });
    expect(results.find((r) => r.id === 'empty')).toMatchObject({
      cluster: null,
      clusterSize: 1,
      duplicateOf: null,
    });
    expect(results.find((r) => r.id === 'one')!.cluster).toBeNull();
    // Every record has its own analysis, identical texts the same.
    expect(results[4]!.textHash).toBe(results[0]!.textHash);
    expect(results[4]!.keyphrases).toEqual(results[0]!.keyphrases);
    expect(results[3]!.figures.length).toBeGreaterThan(0);
  });

  it('gives the same results on worker threads as on this thread', { timeout: 60_000 }, async () => {
    const records = campaign();
    const inline = await analyzeCorpus(records, { workers: 0 });
    const threaded = await analyzeCorpus(records, { workers: 2 });
    expect(threaded).toEqual(inline);
    // With a second thread clustering half of the groups of alike texts.
    const split = await analyzeCorpus(records, { workers: 2, parallelClusteringFrom: 0 });
    expect(split).toEqual(inline);
  });

  it('respects the threshold', async () => {
    const records = campaign();
    const strict = await analyzeCorpus(records, { workers: 0, threshold: 1 });
    // At 1 only identical normalised texts cluster: the edited Chinese copies stand apart.
    expect(strict[2]!.cluster).not.toBe('r0');
    expect(strict[4]!.cluster).toBe('r0');
    await expect(analyzeCorpus(records, { workers: 0, threshold: 0 })).rejects.toThrow(/threshold/u);
  });

  it(
    'hands each record’s analysis over in input order before the clusters are known',
    { timeout: 60_000 },
    async () => {
      const records = campaigns(6);
      for (const workers of [0, 2]) {
        const taken: { id: string; first: number; k: number }[] = [];
        const phases: CorpusProgress['phase'][] = [];
        let calls = 0;
        const results = await analyzeCorpus(records, {
          workers,
          onProgress: (p) => phases.push(p.phase),
          onAnalyses: async (analyses, first) => {
            calls++;
            // Taken while the records are still being analysed: no verification has begun.
            expect(phases).not.toContain('verify');
            await new Promise((resolve) => setTimeout(resolve, 1));
            analyses.forEach((a, k) => taken.push({ id: a.id, first, k }));
          },
        });
        expect(taken.map((t) => t.id)).toEqual(records.map((r) => r.id));
        taken.forEach((t, i) => expect(t.first + t.k).toBe(i));
        expect(calls).toBeGreaterThan(workers === 0 ? 0 : 1);
        expect(results.map((r) => r.id)).toEqual(records.map((r) => r.id));
      }
    },
  );

  it(
    'gives only the clusters when the analyses are taken as they come, the same as analyzeCorpus',
    { timeout: 60_000 },
    async () => {
      const records = campaigns(4);
      for (const workers of [0, 2]) {
        const full = await analyzeCorpus(records, { workers });
        const taken: RecordAnalysis[] = [];
        const clusters = await analyzeCorpusClusters(records, {
          workers,
          onAnalyses: (analyses) => void taken.push(...analyses),
        });
        expect(taken).toEqual(full.map(({ cluster: _c, clusterSize: _s, duplicateOf: _d, ...a }) => a));
        expect(clusters.ids).toEqual(records.map((r) => r.id));
        const ref = (i: number): string | null => (i === -1 ? null : clusters.ids[i]!);
        expect(
          records.map((_, i) => ({
            cluster: ref(clusters.representativeOf[i]!),
            clusterSize: clusters.sizeOf[i]!,
            duplicateOf: ref(clusters.exactDuplicateOf[i]!),
          })),
        ).toEqual(
          full.map(({ cluster, clusterSize, duplicateOf }) => ({ cluster, clusterSize, duplicateOf })),
        );
        // The campaign's copies form clusters, with exact copies among them.
        expect(clusters.sizeOf.some((size) => size > 2)).toBe(true);
        expect(clusters.exactDuplicateOf.some((original) => original !== -1)).toBe(true);
      }
    },
  );

  it(
    'reads records given in batches as it goes, with the results of the same records given whole',
    { timeout: 60_000 },
    async () => {
      const records = campaigns(4);
      async function* batches(): AsyncGenerator<AnalysisInput[]> {
        // Uneven batches, one of them empty.
        yield records.slice(0, 7);
        yield [];
        for (let k = 7; k < records.length; k += 50) {
          yield records.slice(k, k + 50);
        }
      }
      for (const workers of [undefined, 2]) {
        const whole: RecordAnalysis[] = [];
        const expected = await analyzeCorpusClusters(records, {
          ...(workers === undefined ? {} : { workers }),
          onAnalyses: (analyses) => void whole.push(...analyses),
        });
        const taken: RowValues[] = [];
        const firsts: number[] = [];
        const streamed = await analyzeCorpusClustersStream(batches(), {
          ...(workers === undefined ? {} : { workers }),
          onRows: (rows, first) => {
            firsts.push(first);
            for (let k = 0; k < rows.count; k++) {
              taken.push(rowOf(rows, k));
            }
          },
        });
        // Each record's row holds its analysis, the lists as JSON.
        expect(taken).toEqual(whole.map(rowValues));
        expect(taken.some((row) => row.strings[3] !== '[]' && row.strings[4] !== '[]')).toBe(true);
        expect(firsts[0]).toBe(0);
        expect(streamed).toEqual(expected);
        expect(streamed.sizeOf.some((size) => size > 2)).toBe(true);
      }
    },
  );

  it('stops with the error of a batch that cannot be read, and lets the source go', async () => {
    let closed = false;
    async function* failing(): AsyncGenerator<AnalysisInput[]> {
      try {
        yield campaign();
        throw new Error('line 9 is not JSON');
      } finally {
        closed = true;
      }
    }
    await expect(
      analyzeCorpusClustersStream(failing(), { workers: 0, onRows: () => undefined }),
    ).rejects.toThrow('line 9 is not JSON');
    expect(closed).toBe(true);
    // A failure of the analysis itself lets go of a source that has more to give.
    let released = false;
    async function* endless(): AsyncGenerator<AnalysisInput[]> {
      try {
        for (;;) {
          yield campaign();
        }
      } finally {
        released = true;
      }
    }
    await expect(
      analyzeCorpusClustersStream(endless(), {
        workers: 0,
        onRows: () => {
          throw new Error('cannot store');
        },
      }),
    ).rejects.toThrow('cannot store');
    expect(released).toBe(true);
  });

  it('stops with the error of the step that takes the analyses', async () => {
    await expect(
      analyzeCorpus(campaign(), {
        workers: 0,
        onAnalyses: () => {
          throw new Error('cannot store');
        },
      }),
    ).rejects.toThrow('cannot store');
  });

  it('handles no records at all', async () => {
    expect(await analyzeCorpus([], { workers: 0 })).toEqual([]);
  });
});

/** The JSON Lines of `records` in blocks of `size` records. */
function jsonlBlocks(records: readonly AnalysisInput[], size: number): CorpusChunk[] {
  const blocks: CorpusChunk[] = [];
  for (let from = 0; from < records.length; from += size) {
    const lines = records
      .slice(from, from + size)
      .map((r) => JSON.stringify({ id: r.id, text: r.text, target: r.target }));
    blocks.push({
      jsonl: new TextEncoder().encode(`${lines.join('\n')}\n`),
      firstLine: from + 1,
      source: 'a.jsonl',
    });
  }
  return blocks;
}

/** Expects the written `chunks` to be the lines of `records`, as analyzeCorpus gives them. */
async function expectLinesOf(
  chunks: readonly Uint8Array[],
  records: readonly AnalysisInput[],
): Promise<void> {
  const out = Buffer.concat(chunks)
    .toString('utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(out.map((o) => o.id)).toEqual(records.map((r) => r.id));
  expect(Object.keys(out[0]!)).toEqual(ANALYZE_LINE_FIELDS);
  const objects = await analyzeCorpus(records, { workers: 0 });
  out.forEach((o, i) => {
    const r = objects[i]!;
    expect(o).toEqual({
      id: r.id,
      cluster: r.cluster,
      clusterSize: r.clusterSize,
      duplicateOf: r.duplicateOf,
      topics: r.topics,
      stance: { label: r.stance.label, score: r.stance.score },
      quality: r.quality,
      keyphrases: r.keyphrases,
      figures: r.figures,
    });
  });
}

describe('analyzeCorpusToJsonLines', () => {
  it('writes one line per record in input order from JSON Lines blocks parsed by the workers', async () => {
    const records = campaign();
    const chunks: Uint8Array[] = [];
    const summary = await analyzeCorpusToJsonLines(jsonlBlocks(records, Math.floor(records.length / 2)), {
      workers: 0,
      write: (data) => void chunks.push(data.slice()),
    });
    await expectLinesOf(chunks, records);
    expect(summary).toMatchObject({ records: records.length, workers: 0 });
    expect(summary.clusters).toBeGreaterThanOrEqual(2);
    expect(summary.reused).toBeGreaterThan(0);
  });

  it('writes the line of a copy whose first record another worker analysed', async () => {
    // Copies of the same texts in every block, the blocks shared by two workers in whatever order.
    const records = campaigns(12);
    const chunks: Uint8Array[] = [];
    const summary = await analyzeCorpusToJsonLines(jsonlBlocks(records, 16), {
      workers: 2,
      write: (data) => void chunks.push(data.slice()),
    });
    await expectLinesOf(chunks, records);
    expect(summary).toMatchObject({ records: records.length, workers: 2 });
    // Each worker analyses a text once at most, whatever the order the blocks were taken in.
    const distinct = new Set(records.map((r) => `${r.target ?? ''}\u0000${r.text}`)).size;
    expect(summary.reused).toBeGreaterThanOrEqual(records.length - 2 * distinct);
  });

  it('writes ids that JSON must escape, and refers to them as clusters and originals', async () => {
    const letter =
      'I strongly support extending the greenway along the river to the new district, with lighting and benches.';
    const ids = ['意见"一"', 'a\\b', 'line\nbreak', 42, '\u2028—👍'];
    const lines = ids.map((id, k) =>
      JSON.stringify({ id, text: k === 4 ? `${letter} Thanks.` : letter, target: 'greenway' }),
    );
    const chunks: Uint8Array[] = [];
    await analyzeCorpusToJsonLines(
      [{ jsonl: new TextEncoder().encode(`${lines.join('\n')}\n`), firstLine: 1, source: 'ids.jsonl' }],
      { workers: 0, write: (data) => void chunks.push(data.slice()) },
    );
    const out = Buffer.concat(chunks)
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as { id: string; cluster: string; clusterSize: number; duplicateOf: string },
      );
    expect(out.map((o) => o.id)).toEqual(ids.map(String));
    expect(out.map((o) => o.cluster)).toEqual(ids.map(() => '意见"一"'));
    expect(out.map((o) => o.clusterSize)).toEqual([5, 5, 5, 5, 5]);
    expect(out.map((o) => o.duplicateOf)).toEqual([null, '意见"一"', '意见"一"', '意见"一"', null]);
  });

  it('writes batches one at a time, in order, and raises a failed write', async () => {
    const lines = Array.from({ length: 300 }, (_, i) =>
      JSON.stringify({
        id: `r${i}`,
        text: `The plan should extend the greenway by ${i} km to the river district.`,
      }),
    );
    const jsonl = new TextEncoder().encode(`${lines.join('\n')}\n`);
    const written: Uint8Array[] = [];
    const buffers = new Set<ArrayBufferLike>();
    let inFlight = 0;
    let mostInFlight = 0;
    await analyzeCorpusToJsonLines([{ jsonl, firstLine: 1, source: 'w.jsonl' }], {
      workers: 0,
      writeBatch: 4096,
      write: async (data) => {
        buffers.add(data.buffer);
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        written.push(data.slice());
        inFlight--;
      },
    });
    expect(written.length).toBeGreaterThan(2);
    expect(mostInFlight).toBe(1);
    // Two batches take turns: one is filled while the other is written.
    expect(buffers.size).toBe(2);
    const ids = Buffer.concat(written)
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: string }).id);
    expect(ids).toEqual(lines.map((_, i) => `r${i}`));

    let calls = 0;
    await expect(
      analyzeCorpusToJsonLines([{ jsonl, firstLine: 1, source: 'w.jsonl' }], {
        workers: 0,
        writeBatch: 4096,
        write: async () => {
          calls++;
          await new Promise((resolve) => setTimeout(resolve, 1));
          if (calls === 1) {
            throw new Error('disk full');
          }
        },
      }),
    ).rejects.toThrow('disk full');
  });

  it('names the line of a record it cannot read', async () => {
    const data = new TextEncoder().encode('{"id":"a","text":"好"}\n\n{"id":"b","text":\n');
    await expect(
      analyzeCorpusToJsonLines([{ jsonl: data, firstLine: 10, source: 'x.jsonl' }], {
        workers: 0,
        write: () => undefined,
      }),
    ).rejects.toThrow(/^Line 12 of x\.jsonl is not valid JSON/u);
  });

  it('reports a worker thread’s error as the same AppError', { timeout: 60_000 }, async () => {
    const data = new TextEncoder().encode('{"id":"a","body":"好"}\n');
    await expect(
      analyzeCorpusToJsonLines([{ jsonl: data, firstLine: 1, source: 'y.jsonl' }], {
        workers: 1,
        write: () => undefined,
      }),
    ).rejects.toMatchObject({
      name: 'AppError',
      code: 'validation_failed',
      message: expect.stringMatching(/^Line 1 of y\.jsonl has no "text" field/u),
    });
  });
});

describe('near-duplicate links in the corpus analysis', () => {
  /**
   * Drifting copies of three letters, in two families that share no band key (so that a second thread
   * can cluster one of them), exact copies among them.
   */
  function driftingRecords(): AnalysisInput[] {
    const texts = [...drifting(150, 11), ...drifting(150, 12).map((text) => `${text}${han(0x8000, 40)}`)];
    const records = texts.map((text, k) => ({ id: `d${k}`, text }));
    records.push({ id: 'copy', text: texts[7]! }, { id: 'empty', text: '' }, { id: 'one', text: '好' });
    return records;
  }

  /**
   * Per record, the ids of the earlier records its text is linked to, from `findDuplicates`, and the
   * linked pairs of texts.
   */
  function expectedLinks(records: readonly AnalysisInput[]): { perRecord: string[][]; pairs: number } {
    const reference = findDuplicates(
      records.map((r) => r.text),
      { links: true },
    );
    const byText = records.map((): string[] => []);
    const pairs = reference.links!.pairs;
    for (let k = 0; k < pairs.length; k += 2) {
      byText[pairs[k + 1]!]!.push(records[pairs[k]!]!.id);
    }
    const perRecord = records.map((_, i) => {
      const original = reference.exactDuplicateOf[i]!;
      return byText[original === -1 ? i : original]!;
    });
    return { perRecord, pairs: pairs.length / 2 };
  }

  it(
    'lists per record the earlier records outside its cluster that are near-duplicates of it, on any thread',
    { timeout: 60_000 },
    async () => {
      const records = driftingRecords();
      const expected = expectedLinks(records).perRecord;
      expect(expected.filter((ids) => ids.length > 0).length).toBeGreaterThan(10);
      // The exact copy lists what its first copy lists.
      expect(expected[records.length - 3]).toEqual(expected[7]);
      const inline = await analyzeCorpus(records, { workers: 0, links: true });
      expect(inline.map((r) => r.similarTo)).toEqual(expected);
      const threaded = await analyzeCorpus(records, { workers: 2, links: true });
      expect(threaded).toEqual(inline);
      const split = await analyzeCorpus(records, { workers: 2, links: true, parallelClusteringFrom: 0 });
      expect(split).toEqual(inline);
      // A linked record is never in the cluster of a record it lists.
      const byId = new Map(inline.map((r) => [r.id, r]));
      for (const record of inline) {
        for (const id of record.similarTo!) {
          const other = byId.get(id)!;
          expect(record.cluster === null || record.cluster !== other.cluster).toBe(true);
        }
      }
      // Without links, no record has the field.
      const plain = await analyzeCorpus(records, { workers: 0 });
      expect(plain.some((r) => 'similarTo' in r)).toBe(false);
      expect(plain.map((r) => r.cluster)).toEqual(inline.map((r) => r.cluster));
    },
  );

  it(
    'writes them as similarTo in each line, and counts them in the summary',
    { timeout: 60_000 },
    async () => {
      const records = driftingRecords();
      const { perRecord: expected, pairs } = expectedLinks(records);
      for (const parallelClusteringFrom of [0, 50_000]) {
        const chunks: Uint8Array[] = [];
        const phases = new Set<CorpusProgress['phase']>();
        const summary = await analyzeCorpusToJsonLines(jsonlBlocks(records, 64), {
          workers: 2,
          links: true,
          onProgress: (p) => phases.add(p.phase),
          linkCandidates: 32,
          parallelClusteringFrom,
          write: (data) => void chunks.push(data.slice()),
        });
        const out = Buffer.concat(chunks)
          .toString('utf8')
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        expect(Object.keys(out[0]!)).toEqual([
          ...ANALYZE_LINE_FIELDS.slice(0, 4),
          'similarTo',
          ...ANALYZE_LINE_FIELDS.slice(4),
        ]);
        expect(out.map((o) => o.similarTo)).toEqual(expected);
        expect(summary.links).toMatchObject({ pairs });
        expect(summary.links!.verifications).toBeGreaterThanOrEqual(pairs);
        expect([...phases]).toEqual(['analyze', 'verify', 'cluster', 'link', 'write']);
      }
    },
  );
});
