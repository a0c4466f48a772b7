import { describe, expect, it } from 'vitest';
import { DEFAULT_SIGNATURE_OPTIONS, computeSignatures } from '../dedupe/signature.ts';
import { analyzeRecord } from '../pipeline.ts';
import type { AnalysisInput } from '../pipeline.ts';
import { partitionPlan, planClustering, planClusteringSplit } from '../dedupe/cluster.ts';
import type {
  AnalyzeReply,
  AnalyzeTask,
  BandsGroupedReply,
  ClusterResultReply,
  ClusteredReply,
  ErrorReply,
  PackReply,
} from './protocol.ts';
import { createClaims } from './claims.ts';
import { AnalysisRunner, TailSpaces, TextMemory, chunkPart, lineTail } from './runner.ts';
import { packShingleSets } from '../dedupe/shingles.ts';
import { makeScratchDirectory, removeScratchDirectory } from '../../runtime/set-file.ts';

const fields = { id: 'id', text: 'text', target: 'target' };

function runner(): AnalysisRunner {
  return new AnalysisRunner({ context: {}, signature: DEFAULT_SIGNATURE_OPTIONS });
}

function jsonlTask(job: number, records: object[], format: 'json' | 'objects' = 'json'): AnalyzeTask {
  const jsonl = new TextEncoder().encode(records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return { type: 'analyze', job, format, jsonl, firstLine: 1, fields, source: 'test.jsonl' };
}

/** Runs `body` with a runner keeping its sets in memory (`where` null) or in a file of a scratch directory. */
function withRunner(where: string | null, body: (run: AnalysisRunner) => void): void {
  const directory = where === null ? null : makeScratchDirectory('concord-runner-test-');
  try {
    body(new AnalysisRunner({ context: {}, signature: DEFAULT_SIGNATURE_OPTIONS, setDirectory: directory }));
  } finally {
    if (directory !== null) {
      removeScratchDirectory(directory);
    }
  }
}

/** The line tails of a reply, decoded. */
/** The strings of UTF-8 `bytes`, string k ending at `ends[k]`. */
function strings(bytes: Uint8Array, ends: Uint32Array): string[] {
  const decoder = new TextDecoder();
  const out: string[] = [];
  let from = 0;
  for (const end of ends) {
    out.push(decoder.decode(bytes.subarray(from, end)));
    from = end;
  }
  return out;
}

const tails = (reply: AnalyzeReply): string[] => strings(reply.lines!, reply.lineEnds!);

/** Expects a JSON Lines reply to answer `inputs` as each is analysed alone, signatures and all. */
function expectAnswered(analyzed: AnalyzeReply, inputs: readonly AnalysisInput[]): void {
  expect(analyzed.count).toBe(inputs.length);
  // The ids come as JSON, ready for the output lines.
  expect(analyzed.ids).toBeUndefined();
  expect(strings(analyzed.idJson!, analyzed.idEnds!)).toEqual(inputs.map((r) => JSON.stringify(r.id)));
  expect(tails(analyzed)).toEqual(inputs.map((r) => lineTail(analyzeRecord(r))));
  const expected = computeSignatures(
    inputs.map((r) => r.text),
    DEFAULT_SIGNATURE_OPTIONS,
  );
  expect(analyzed.bandKeys).toEqual(expected.bandKeys);
  expect(analyzed.exactHashes).toEqual(expected.exactHashes);
  expect(analyzed.shingleCounts).toEqual(expected.shingleCounts);
}

const long = '推进新型城镇化，Support the plan 👍 第3条建议删除。'.repeat(400);
const records: AnalysisInput[] = [
  { id: 'a', text: '支持本条，建议把公交分担率提高到60%。', target: 'c1' },
  { id: 'b', text: 'I strongly oppose the repeal of net neutrality.', target: 'FCC' },
  { id: 'c', text: '支持本条，建议把公交分担率提高到60%。', target: 'c1' },
  { id: 'd', text: '支持本条，建议把公交分担率提高到60%。', target: 'c2' },
  { id: 'e', text: '', target: null },
  { id: 'f', text: '好', target: null },
  { id: 'g', text: '👍🏽', target: null },
  { id: 'h', text: '支持 the plan 👍 第3条', target: null },
  { id: 'i', text: long, target: null },
  { id: 'j', text: 'I strongly oppose the repeal of net neutrality.', target: 'FCC' },
  // Many figures: a line tail longer than the space first set aside for the chunk's lines.
  {
    id: 'k',
    text: Array.from({ length: 300 }, (_, n) => `第${n + 1}项增加${n + 5}%`).join('；'),
    target: null,
  },
];

describe('lineTail', () => {
  it('is the JSON of the output fields after the cluster fields', () => {
    const analyses = records.map((r) => analyzeRecord(r));
    analyses.push({
      ...analyses[0]!,
      topics: [{ label: '交通 "quotes" \\ \u0001', score: 0.5 }],
      stance: { label: 'oppose', score: 1e-7, source: 'machine' },
      quality: { score: 0, flags: ['vague', 'no_reason'] },
      keyphrases: ['a"b', '换行\n'],
    });
    analyses.push({
      ...analyses[0]!,
      stance: { label: 'support', score: Number.NaN, source: 'machine' },
      quality: { score: 0.123456789, flags: [] },
      keyphrases: ['lone \ud800 surrogate', 'pair 👍', 'tab\there', 'line\u2028separator', '\u007f', ''],
    });
    expect(analyses.some((a) => a.figures.length > 0)).toBe(true);
    for (const a of analyses) {
      const whole = JSON.stringify({
        topics: a.topics,
        stance: { label: a.stance.label, score: a.stance.score },
        quality: a.quality,
        keyphrases: a.keyphrases,
        figures: a.figures,
      });
      expect(lineTail(a)).toBe(whole.slice(1));
    }
  });
});

describe('TextMemory', () => {
  it('keys values by target and text', () => {
    const memory = new TextMemory<number>({ texts: 10, characters: 1000 });
    memory.set('c1', '同一段文字', 1);
    memory.set('c2', '同一段文字', 2);
    expect(memory.get('c1', '同一段文字')).toBe(1);
    expect(memory.get('c2', '同一段文字')).toBe(2);
    expect(memory.get('c3', '同一段文字')).toBeUndefined();
    expect(memory.get('c1', '另一段')).toBeUndefined();
  });

  it('keeps two generations of texts, and a text found in the older lives on in the newer', () => {
    const memory = new TextMemory<string>({ texts: 2, characters: 1000 });
    memory.set('', 'a', 'A');
    memory.set('', 'b', 'B');
    // Full: c starts a new generation; a and b are older but still found.
    memory.set('', 'c', 'C');
    expect(memory.get('', 'a')).toBe('A');
    // a moved to the newer generation (c, a); b stays in the older, then goes with it.
    memory.set('', 'd', 'D');
    expect(memory.get('', 'b')).toBeUndefined();
    expect(memory.get('', 'a')).toBe('A');
    expect(memory.get('', 'c')).toBe('C');
    expect(memory.get('', 'd')).toBe('D');
  });

  it('counts its generations, and tells of each value it moves to the newer', () => {
    const moved: string[] = [];
    const memory = new TextMemory<string>({ texts: 2, characters: 1000 }, (value) => {
      moved.push(value);
      // Told once the value is in the newer generation.
      expect(memory.get('', value.toLowerCase())).toBe(value);
    });
    const first = memory.generation;
    memory.set('', 'a', 'A');
    memory.set('', 'b', 'B');
    expect(memory.generation).toBe(first);
    memory.set('', 'c', 'C');
    expect(memory.generation).toBe(first + 1);
    expect(memory.get('', 'c')).toBe('C');
    expect(moved).toEqual([]);
    expect(memory.get('', 'b')).toBe('B');
    expect(moved).toEqual(['B']);
    memory.clear();
    expect(memory.generation).toBe(first + 2);
  });

  it('starts a new generation when its texts reach the character budget', () => {
    const memory = new TextMemory<number>({ texts: 100, characters: 10 });
    memory.set('', 'x'.repeat(6), 1);
    memory.set('', 'y'.repeat(6), 2);
    // 12 characters filled the first generation: z begins the second, w and v (2 + 10) fill it.
    memory.set('', 'z', 3);
    memory.set('', 'w', 4);
    memory.set('', 'v'.repeat(10), 5);
    // u begins a third: the first is dropped, the second is found.
    memory.set('', 'u', 6);
    expect(memory.get('', 'y'.repeat(6))).toBeUndefined();
    expect(memory.get('', 'z')).toBe(3);
    expect(memory.get('', 'u')).toBe(6);
    memory.clear();
    expect(memory.get('', 'u')).toBeUndefined();
    expect(memory.get('', 'z')).toBeUndefined();
  });
});

describe('TailSpaces', () => {
  it('gives each generation a space, and the spaces of generations let go to later ones', () => {
    const spaces = new TailSpaces();
    const first = spaces.of(1);
    expect(spaces.of(1)).toBe(first);
    first.write('第一代');
    const second = spaces.of(2);
    expect(second).not.toBe(first);
    spaces.of(3);
    // Generations 2 and 3 are held; 1 is not.
    spaces.retire(2);
    expect(spaces.counts).toEqual({ used: 2, spare: 1 });
    const fourth = spaces.of(4);
    expect(fourth).toBe(first);
    expect(fourth.used).toBe(0);
    expect(spaces.counts).toEqual({ used: 3, spare: 0 });
    spaces.retire(3);
    expect(spaces.of(5)).toBe(second);
  });
});

describe('AnalysisRunner', () => {
  it('answers JSON Lines with each record’s line tail, band keys and hashes, reusing repeated texts', () => {
    const { reply } = runner().run(jsonlTask(1, records));
    expect(reply.type).toBe('analyzed');
    const analyzed = reply as AnalyzeReply;
    expectAnswered(analyzed, records);
    // c repeats a (same text and target), j repeats b; d has another target.
    expect(analyzed.reused).toBe(2);
  });

  it('answers records as objects, each with its own id, equal to analyzeRecord', () => {
    const { reply } = runner().run({ type: 'analyze', job: 1, format: 'objects', records });
    const analyzed = reply as AnalyzeReply;
    expect(analyzed.analyses).toEqual(records.map((r) => analyzeRecord(r)));
    // A reused analysis is a copy, not the first record's object.
    expect(analyzed.analyses![2]).not.toBe(analyzed.analyses![0]);
  });

  it('reuses texts of earlier chunks, and records with reasons never', () => {
    const run = runner();
    run.run(jsonlTask(1, records.slice(0, 2)));
    const { reply } = run.run(jsonlTask(2, [records[0]!, records[1]!, records[5]!]));
    expect((reply as AnalyzeReply).reused).toBe(2);
    const withReasons = { id: 'r', text: records[0]!.text, target: 'c1', reasons: '因为线路不足' };
    const again = run.run({
      type: 'analyze',
      job: 3,
      format: 'objects',
      records: [withReasons],
    });
    expect((again.reply as AnalyzeReply).reused).toBe(0);
    expect((again.reply as AnalyzeReply).analyses).toEqual([analyzeRecord(withReasons)]);
  });

  it('leaves a text claimed by another runner for an earlier record to that record, for lines only', () => {
    const claims = createClaims(1024);
    const make = (): AnalysisRunner =>
      new AnalysisRunner({ context: {}, signature: DEFAULT_SIGNATURE_OPTIONS, claims });
    const [first, second, third] = [make(), make(), make()];
    // Chunk 4 is analysed first: its records claim their texts. Chunk 2 comes before it in the input,
    // so it analyses its own copy of a, and takes the claim over.
    const later = first.run(jsonlTask(4, [records[1]!, records[0]!])).reply as AnalyzeReply;
    expect(later.copies).toBeUndefined();
    const earlier = second.run(jsonlTask(2, [records[0]!])).reply as AnalyzeReply;
    expect(earlier.copies).toBeUndefined();
    expectAnswered(earlier, [records[0]!]);
    // Chunk 5 holds copies of a (record 0 of chunk 2) and b (record 0 of chunk 4), and d (another
    // target) and f.
    const inputs = [records[3]!, { ...records[0]!, id: 'a2' }, records[5]!, { ...records[1]!, id: 'b2' }];
    const copying = third.run(jsonlTask(5, inputs)).reply as AnalyzeReply;
    expect(Array.from(copying.copies!)).toEqual([1, 2, 0, 3, 4, 0]);
    expect(copying.reused).toBe(2);
    // A copy's line tail is empty and its signature zero: the pipeline takes the earlier record's.
    expect(tails(copying)).toEqual(
      ['d', '', 'f', ''].map((id, k) => (id === '' ? '' : lineTail(analyzeRecord(inputs[k]!)))),
    );
    expect(copying.shingleCounts[1]).toBe(0);
    expect(copying.exactHashes.subarray(2, 4)).toEqual(new Uint32Array(2));
    expect(strings(copying.idJson!, copying.idEnds!)).toEqual(inputs.map((r) => JSON.stringify(r.id)));
    // A later copy in the same runner is left to chunk 2 as well.
    const again = third.run(jsonlTask(6, [records[0]!])).reply as AnalyzeReply;
    expect(Array.from(again.copies!)).toEqual([0, 2, 0]);
    // Results as objects are the runner's own.
    const objects = make().run({ type: 'analyze', job: 7, format: 'objects', records: [records[0]!] })
      .reply as AnalyzeReply;
    expect(objects.copies).toBeUndefined();
    expect(objects.analyses).toEqual([analyzeRecord(records[0]!)]);
  });

  it('writes the lines of a chunk of many slices right when the claims stand in for its memory', () => {
    const run = new AnalysisRunner({
      context: {},
      signature: DEFAULT_SIGNATURE_OPTIONS,
      claims: createClaims(1024),
    });
    // 60 texts over 500 records, long enough that a slice's line tails outgrow their first space.
    const texts = Array.from(
      { length: 60 },
      (_, k) => `第${k}条：${'建议将公交分担率提高到60%，理由是通勤时间过长。'.repeat(40)}Route ${k}.`,
    );
    const many = Array.from({ length: 500 }, (_, n) => ({
      id: `m${n}`,
      text: texts[(n * 7) % 60]!,
      target: null,
    }));
    const analyzed = run.run(jsonlTask(3, many)).reply as AnalyzeReply;
    const firstOf = new Map<string, number>();
    const expected: number[] = [];
    many.forEach((r, n) => {
      const first = firstOf.get(r.text);
      if (first === undefined) {
        firstOf.set(r.text, n);
      } else {
        expected.push(n, 3, first);
      }
    });
    expect(Array.from(analyzed.copies!)).toEqual(expected);
    expect(analyzed.reused).toBe(500 - 60);
    const copies = new Set(expected.filter((_, k) => k % 3 === 0));
    expect(tails(analyzed)).toEqual(many.map((r, n) => (copies.has(n) ? '' : lineTail(analyzeRecord(r)))));
  });

  it('finds repeated texts in its memory once no more texts can be claimed', () => {
    // Four slots: three claims fill the table.
    const run = new AnalysisRunner({
      context: {},
      signature: DEFAULT_SIGNATURE_OPTIONS,
      claims: createClaims(4),
    });
    const texts = ['建议增加公交线路', 'Please extend the bus lines', '反对收费', '支持第三条'];
    const at = (id: string, k: number): AnalysisInput => ({ id, text: texts[k]!, target: null });
    const first = run.run(jsonlTask(1, [at('1', 0), at('2', 1), at('3', 2)])).reply as AnalyzeReply;
    expect(first.reused).toBe(0);
    // Text 0 is still found among the claims; text 3, claimed by no one, is remembered.
    const chunk = [at('4', 3), at('5', 0), at('6', 3)];
    const second = run.run(jsonlTask(2, chunk)).reply as AnalyzeReply;
    expect(Array.from(second.copies!)).toEqual([1, 1, 0]);
    expect(second.reused).toBe(2);
    expect(tails(second)).toEqual([
      lineTail(analyzeRecord(chunk[0]!)),
      '',
      lineTail(analyzeRecord(chunk[2]!)),
    ]);
  });

  it('reuses the line of a text kept through generations of its memory', () => {
    // Two texts a generation: a text found in the older one moves to the newer, its line with it.
    const run = new AnalysisRunner(
      { context: {}, signature: DEFAULT_SIGNATURE_OPTIONS },
      {
        texts: 2,
        characters: 10_000,
      },
    );
    const texts = ['建议增加公交线路', 'Please extend the bus lines', '反对收费', '同意', '支持第三条'];
    const at = (id: string, k: number): AnalysisInput => ({ id, text: texts[k]!, target: null });
    const chunks = [
      [at('1', 0), at('2', 1)],
      [at('3', 2), at('4', 0)],
      [at('5', 3), at('6', 0), at('7', 4)],
      [at('8', 0), at('9', 1), at('10', 0)],
    ];
    const reused: number[] = [];
    chunks.forEach((chunk, job) => {
      const { reply } = run.run(jsonlTask(job, chunk));
      const analyzed = reply as AnalyzeReply;
      reused.push(analyzed.reused);
      expect(tails(analyzed)).toEqual(chunk.map((r) => lineTail(analyzeRecord(r))));
    });
    // Text 0 is found each time it comes back; text 1, two generations on, is gone.
    expect(reused).toEqual([0, 1, 1, 2]);
  });

  it('keeps every line right while the spaces of dropped generations are written again', () => {
    // Two texts a generation, and texts long enough that a space fills and grows: the spaces of the
    // generations dropped are used again, and no line still wanted may be written over.
    const run = new AnalysisRunner(
      { context: {}, signature: DEFAULT_SIGNATURE_OPTIONS },
      { texts: 2, characters: 10_000 },
    );
    const texts = Array.from({ length: 7 }, (_, k) =>
      `第${k}条建议：将绿道延长${k + 3}公里，目标在2027年达到${10 * (k + 1)}%的覆盖率。`.repeat(k + 1),
    );
    let id = 0;
    for (let job = 0; job < 12; job++) {
      // Each chunk repeats a text of the last chunk (still remembered) and brings new ones.
      const chunk = [job, job + 3, job + 1, job].map((k) => ({
        id: String(id++),
        text: texts[k % texts.length]!,
        target: null,
      }));
      const analyzed = run.run(jsonlTask(job, chunk)).reply as AnalyzeReply;
      expect(tails(analyzed)).toEqual(chunk.map((r) => lineTail(analyzeRecord(r))));
    }
  });

  it('answers a change of format from a fresh memory', () => {
    const run = runner();
    run.run(jsonlTask(1, records.slice(0, 2)));
    const { reply } = run.run({
      type: 'analyze',
      job: 2,
      format: 'objects',
      records: records.slice(0, 3),
    });
    expect((reply as AnalyzeReply).reused).toBe(1);
    expect((reply as AnalyzeReply).analyses).toEqual(records.slice(0, 3).map((r) => analyzeRecord(r)));
    const back = run.run(jsonlTask(3, records.slice(0, 3)));
    expect(tails(back.reply as AnalyzeReply)).toEqual(
      records.slice(0, 3).map((r) => lineTail(analyzeRecord(r))),
    );
  });

  it('names the bad line, and goes on with the next chunk', () => {
    const run = runner();
    const bad = new TextEncoder().encode('{"id":"a","text":"支持"}\n{"id":"b",\n');
    const { reply } = run.run({ ...jsonlTask(1, []), jsonl: bad });
    expect(reply.type).toBe('error');
    expect((reply as ErrorReply).error.message).toMatch(/^Line 2 of test\.jsonl is not valid JSON/u);
    const next = run.run(jsonlTask(2, records.slice(0, 3)));
    expect(tails(next.reply as AnalyzeReply)).toEqual(
      records.slice(0, 3).map((r) => lineTail(analyzeRecord(r))),
    );
  });

  it('gives nothing for an empty chunk', () => {
    const { reply } = runner().run(jsonlTask(1, []));
    expect(reply).toMatchObject({ type: 'analyzed', count: 0, reused: 0 });
    expect((reply as AnalyzeReply).lines!.length).toBe(0);
    expect((reply as AnalyzeReply).idJson!.length).toBe(0);
    expect((reply as AnalyzeReply).ids).toBeUndefined();
  });

  it('packs the shingle sets of texts it keeps', () => {
    const run = runner();
    const analyzed = run.run(jsonlTask(7, records)).reply as AnalyzeReply;
    const local = new Int32Array([0, 8]);
    const { reply } = run.run({ type: 'pack', job: 8, parts: [chunkPart(analyzed, local, 100)] });
    const [set] = (reply as PackReply).sets;
    expect(Array.from(set!.indexes)).toEqual([100, 108]);
  });

  it.each([
    ['in memory', null],
    ['in a file', 'file'],
  ])('packs the same sets as packShingleSets from the sets it kept %s', (_, where) => {
    withRunner(where, (run) => {
      run.run(jsonlTask(3, records.slice(0, 5)));
      const analyzed = run.run(jsonlTask(4, records)).reply as AnalyzeReply;
      // Records 0 and 2 of chunk 4 repeat texts of chunk 3: their sets are the ones kept then.
      const local = new Int32Array([0, 1, 2, 4, 5, 6, 7, 8, 10]);
      const { reply } = run.run({ type: 'pack', job: 5, parts: [chunkPart(analyzed, local, 20)] });
      const [set] = (reply as PackReply).sets;
      const expected = packShingleSets(
        records.map((r) => r.text),
        { indexes: local, offset: 20 },
      );
      expect(Array.from(set!.indexes)).toEqual(Array.from(expected.indexes));
      expect(Array.from(set!.offsets)).toEqual(Array.from(expected.offsets));
      expect(Array.from(set!.values)).toEqual(Array.from(expected.values));
    });
  });

  it.each([
    ['in memory', null],
    ['in a file', 'file'],
  ])('analyses a chunk of many slices as record by record, its sets kept in place %s', (_, where) => {
    withRunner(where, (run) => {
      // 700 records, a few hundred to a slice: texts repeated within a slice, across slices and from
      // the chunk before; a blank line among them.
      const many = Array.from({ length: 700 }, (_, n) => ({
        id: `m${n}`,
        text:
          n % 7 === 0
            ? records[n % records.length]!.text
            : `第${n % 250}条：建议将公交分担率提高到${n % 250}%，理由是通勤时间过长。Route ${n % 250} needs more buses.`,
        target: null,
      }));
      run.run(
        jsonlTask(
          1,
          records.slice(0, 2).map((r) => ({ ...r, target: null })),
        ),
      );
      const jsonl = new TextEncoder().encode(
        many.map((r, n) => (n === 300 ? `\n${JSON.stringify(r)}` : JSON.stringify(r))).join('\n') + '\n',
      );
      const { reply } = run.run({ ...jsonlTask(2, []), jsonl });
      const analyzed = reply as AnalyzeReply;
      expectAnswered(analyzed, many);
      const distinct = new Set(many.map((r) => r.text)).size;
      expect(analyzed.reused).toBe(many.length - distinct + 2);
      const local = Int32Array.from({ length: many.length }, (_, k) => k);
      const packed = run.run({ type: 'pack', job: 3, parts: [chunkPart(analyzed, local, 0)] })
        .reply as PackReply;
      const sets = packShingleSets(
        many.map((r) => r.text),
        { indexes: local, offset: 0 },
      );
      expect(Array.from(packed.sets[0]!.offsets)).toEqual(Array.from(sets.offsets));
      expect(Array.from(packed.sets[0]!.values)).toEqual(Array.from(sets.values));
    });
  });

  it('answers many records as objects slice by slice, in order', () => {
    const many = Array.from({ length: 300 }, (_, n) => records[n % records.length]!);
    const { reply } = runner().run({ type: 'analyze', job: 1, format: 'objects', records: many });
    const analyzed = reply as AnalyzeReply;
    expect(analyzed.analyses!.map((a) => a.id)).toEqual(many.map((r) => r.id));
    expect(analyzed.analyses).toEqual(many.map((r) => analyzeRecord(r)));
    expect(analyzed.ids).toEqual(many.map((r) => r.id));
  });

  it('names a bad line after many good ones, and forgets what it began', () => {
    const run = runner();
    const good = Array.from({ length: 200 }, (_, n) => JSON.stringify({ id: `g${n}`, text: `第${n}条很好` }));
    const bad = new TextEncoder().encode([...good, '{"id":"x",'].join('\n') + '\n');
    const { reply } = run.run({ ...jsonlTask(1, []), jsonl: bad });
    expect((reply as ErrorReply).error.message).toMatch(/^Line 201 of test\.jsonl is not valid JSON/u);
    // The texts of the failed chunk are analysed afresh.
    const again = run.run(jsonlTask(2, [{ id: 'g0', text: '第0条很好' }]));
    expect((again.reply as AnalyzeReply).reused).toBe(0);
    expect(tails(again.reply as AnalyzeReply)).toEqual([
      lineTail(analyzeRecord({ id: 'g0', text: '第0条很好' })),
    ]);
  });

  it("tells where it stored a chunk's shingles: a file of its directory, or its memory", () => {
    withRunner('file', (run) => {
      const reply = run.run(jsonlTask(1, records)).reply as AnalyzeReply;
      expect(reply.setFile).toMatch(/concord-runner-test-[^/]*\/sets-/u);
      expect(reply.setAt.length).toBe(records.length);
      expect(reply.setSize.length).toBe(records.length);
      expect(Math.max(...reply.setSize)).toBeGreaterThan(0);
    });
    const inMemory = runner().run(jsonlTask(1, records)).reply as AnalyzeReply;
    expect(inMemory.setFile).toBeNull();
  });

  it('packs the sets another runner stored in a file, as that runner would', () => {
    withRunner('file', (writer) => {
      writer.run(jsonlTask(1, records.slice(0, 4)));
      const analyzed = writer.run(jsonlTask(2, records)).reply as AnalyzeReply;
      const local = new Int32Array([0, 3, 5, 8, 10]);
      const part = chunkPart(analyzed, local, 40);
      const elsewhere = runner().run({ type: 'pack', job: 3, parts: [part] }).reply as PackReply;
      const own = writer.run({ type: 'pack', job: 4, parts: [part] }).reply as PackReply;
      const expected = packShingleSets(
        records.map((r) => r.text),
        { indexes: local, offset: 40 },
      );
      for (const packed of [elsewhere, own]) {
        expect(Array.from(packed.sets[0]!.indexes)).toEqual(Array.from(expected.indexes));
        expect(Array.from(packed.sets[0]!.offsets)).toEqual(Array.from(expected.offsets));
        expect(Array.from(packed.sets[0]!.values)).toEqual(Array.from(expected.values));
      }
    });
  });

  it('names the file it cannot read the sets from', () => {
    const part = { local: new Int32Array([0]), base: 0, at: Float64Array.of(0), size: Uint32Array.of(3) };
    const { reply } = runner().run({
      type: 'pack',
      job: 1,
      parts: [{ ...part, file: '/nonexistent/sets-x' }],
    });
    expect((reply as ErrorReply).error.message).toMatch(/\/nonexistent\/sets-x/u);
  });

  it('packs the sets of each clustering thread apart', () => {
    const run = runner();
    const analyzed = run.run(jsonlTask(7, records)).reply as AnalyzeReply;
    const local = new Int32Array([0, 1, 8]);
    const owners = new Uint8Array([1, 0, 1]);
    const part = { ...chunkPart(analyzed, local, 0), owners };
    const { reply } = run.run({ type: 'pack', job: 8, parts: [part] });
    const packed = reply as PackReply;
    expect(packed.owners).toEqual([0, 1]);
    expect(packed.sets.map((set) => Array.from(set.indexes))).toEqual([[1], [0, 8]]);
  });

  it("groups the bands of a plan it is given, in the planner's memory", async () => {
    const letter =
      'I strongly support the proposed rule, which lets international students train for longer.';
    const texts = [letter, letter.replace('strongly', 'fully'), 'Another comment.', letter];
    const signatures = computeSignatures(texts);
    const run = runner();
    let job = 0;
    const plan = await planClusteringSplit({ ...signatures }, async (grouping, first, last) => {
      const { reply } = run.run({ type: 'group-bands', job: job++, grouping, first, last });
      return (reply as BandsGroupedReply).groups;
    });
    expect(job).toBe(1);
    const whole = planClustering(signatures);
    expect(plan.groups).toBe(whole.groups);
    expect(Array.from(plan.groupOf)).toEqual(Array.from(whole.groupOf));
    expect(Array.from(plan.verify)).toEqual([0, 1]);
  });

  it('clusters a partition as its sets arrive, and refuses sets without one', () => {
    const texts = [
      '我们坚决支持本规划关于加快建设数字经济的目标，建议进一步明确各部门职责分工，加大财政资金支持力度。',
      'I strongly support the proposed rule, which lets international students train for longer.',
      '我们完全支持本规划关于加快建设数字经济的目标，建议进一步明确各部门职责分工，加大财政资金支持力度。',
      'I fully support the proposed rule, which lets international students train for longer.',
    ];
    const chunk = texts.map((text, i) => ({ id: `t${i}`, text }));
    const run = runner();
    const analyzed = run.run(jsonlTask(1, chunk)).reply as AnalyzeReply;
    expect(run.run({ type: 'cluster-sets', job: 2, sets: [] }).reply).toMatchObject({
      type: 'error',
      error: { message: expect.stringMatching(/no partition/u) as unknown },
    });
    const signatures = { ...DEFAULT_SIGNATURE_OPTIONS, ...analyzed };
    const plan = planClustering(signatures);
    const [, other] = partitionPlan(plan, 2);
    expect(other!.texts.length).toBe(2);
    run.run({ type: 'cluster-start', job: 3, partition: other!, count: 4, threshold: 0.8 });
    const packed = run.run({
      type: 'pack',
      job: 4,
      parts: [chunkPart(analyzed, other!.texts.slice(), 0)],
    }).reply as PackReply;
    const step = run.run({ type: 'cluster-sets', job: 5, sets: packed.sets }).reply as ClusteredReply;
    expect(step.position).toBe(2);
    const done = run.run({ type: 'cluster-finish', job: 6 }).reply as ClusterResultReply;
    // The second text of the partition joins the first.
    expect(Array.from(done.founders)).toEqual([other!.texts[0], other!.texts[0]]);
    expect(done.verified).toBeGreaterThan(0);
  });
});
