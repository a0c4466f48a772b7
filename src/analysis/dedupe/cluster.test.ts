import { describe, expect, it } from 'vitest';
import { similarityKey } from '../normalize.ts';
import {
  PartitionClusterer,
  SignatureClusterer,
  clusterSignatures,
  findDuplicates,
  groupBands,
  partitionPlan,
  planClustering,
  planClusteringSplit,
  textsToVerify,
} from './cluster.ts';
import { jaccard, packShingleSets, packedShinglesOf, shingleSet } from './shingles.ts';
import { computeSignatures, concatSignatures } from './signature.ts';
import { createRandom } from '../classify/random.ts';

const ZH_LETTER =
  '我们坚决支持本规划关于加快建设数字经济的目标，建议进一步明确各部门职责分工，加大财政资金支持力度，' +
  '建立健全考核评价机制，确保各项任务按期完成，让人民群众有更多获得感。同时建议在第三章增加数据要素市场' +
  '培育的内容，完善公共数据开放共享制度，支持中小企业数字化转型。';
const EN_LETTER =
  'I strongly support the proposed rule. International students in science and engineering bring skills ' +
  'that American employers need, and a longer practical training period lets them contribute for longer.';
const OTHER_ZH = '建议删除第十二条中“原则上”三字，明确牵头单位和配套资金来源，并补充分年度实施安排。';
const OTHER_EN =
  'The agency should require every employer to file a training plan and report on it each year.';

const similarity = (a: string, b: string): number =>
  jaccard(shingleSet(similarityKey(a)), shingleSet(similarityKey(b)));

describe('findDuplicates', () => {
  it('clusters form letters with small edits, Chinese and English, and leaves other texts alone', () => {
    const texts = [
      ZH_LETTER,
      OTHER_ZH,
      ZH_LETTER.replace('坚决', '完全'),
      EN_LETTER,
      ZH_LETTER.replace('让人民群众', '使群众'),
      EN_LETTER.replace('strongly', 'fully'),
      OTHER_EN,
      `${EN_LETTER} Thank you.`,
    ];
    const result = findDuplicates(texts);
    expect(result.clusters).toHaveLength(2);
    const [zh, en] = result.clusters;
    expect(zh).toEqual({ id: 0, representative: 0, members: [0, 2, 4] });
    expect(en).toEqual({ id: 1, representative: 3, members: [3, 5, 7] });
    expect(Array.from(result.clusterOf)).toEqual([0, -1, 0, 1, 0, 1, -1, 1]);
    expect(result.stats).toMatchObject({ texts: 8, clusters: 2, clusteredTexts: 6, largestCluster: 3 });
  });

  it('finds exact duplicates of the normalised text and puts them in their original’s cluster', () => {
    const texts = [
      '同意本方案。',
      '同意本方案。 ',
      '同意本方案.',
      'Ｓｅｅ ａｔｔａｃｈｅｄ',
      'See  attached',
      'see attached',
    ];
    const result = findDuplicates(texts);
    expect(Array.from(result.exactDuplicateOf)).toEqual([-1, 0, -1, -1, 3, -1]);
    expect(result.stats.exactDuplicates).toBe(2);
    // "See attached" and "see attached" share a similarity key (lower case): one cluster of three.
    expect(result.clusterOf[3]).toBe(result.clusterOf[5]);
    expect(result.clusterOf[4]).toBe(result.clusterOf[3]);
    expect(result.clusterOf[0]).toBe(result.clusterOf[1]);
  });

  it('never makes empty texts duplicates', () => {
    const result = findDuplicates(['', '  ', '\n', 'x', '']);
    expect(Array.from(result.clusterOf)).toEqual([-1, -1, -1, -1, -1]);
    expect(Array.from(result.exactDuplicateOf)).toEqual([-1, -1, -1, -1, -1]);
    expect(result.stats.emptyTexts).toBe(4);
    expect(result.clusters).toEqual([]);
  });

  it('handles one-character texts and emoji', () => {
    const result = findDuplicates(['好', '行', '好', '👍', '👍', '👎', '支持👍👍👍！', '支持👍👍👍!']);
    expect(result.clusterOf[0]).toBe(result.clusterOf[2]);
    expect(result.clusterOf[1]).toBe(-1);
    expect(result.clusterOf[3]).toBe(result.clusterOf[4]);
    expect(result.clusterOf[5]).toBe(-1);
    // Full-width and half-width exclamation marks are one text after normalisation.
    expect(result.exactDuplicateOf[7]).toBe(6);
  });

  it('clusters traditional and simplified copies of a letter', () => {
    const result = findDuplicates([
      '我們堅決支持本規劃關於加快建設數字經濟的目標，建議進一步明確各部門職責分工。',
      ZH_LETTER.slice(0, 36),
    ]);
    expect(result.clusterOf[0]).toBe(0);
    expect(result.clusterOf[1]).toBe(0);
  });

  it('handles mixed scripts and 100 KB texts', () => {
    const long = Array.from({ length: 5000 }, (_, i) => `第${i}条 GDP增长${i % 97}% Москва`).join('；');
    expect(long.length).toBeGreaterThan(100_000);
    const edited = `${long.slice(0, 100_000)}（修改）${long.slice(100_010)}`;
    const result = findDuplicates([long, OTHER_ZH, edited]);
    expect(Array.from(result.clusterOf)).toEqual([0, -1, 0]);
  });

  it('takes the threshold per call', () => {
    const a = EN_LETTER;
    const b = EN_LETTER.replace('International students in science', 'Foreign graduates of technical');
    const j = similarity(a, b);
    expect(j).toBeGreaterThan(0.6);
    expect(j).toBeLessThan(0.8);
    expect(findDuplicates([a, b]).clusters).toHaveLength(0);
    expect(findDuplicates([a, b], { threshold: 0.6 }).clusters).toHaveLength(1);
    expect(findDuplicates([a, a.replace('strongly', 'fully')], { threshold: 0.95 }).clusters).toHaveLength(0);
    expect(() => findDuplicates([a], { threshold: 0 })).toThrow(/threshold/);
    expect(() => findDuplicates([a], { threshold: 1.5 })).toThrow(/threshold/);
  });

  it('does not chain texts that are each similar to the representative but not to each other', () => {
    const base = Array.from({ length: 200 }, (_, i) => String.fromCodePoint(0x4e00 + i * 3)).join('');
    const patch = Array.from({ length: 12 }, (_, i) => String.fromCodePoint(0x6000 + i)).join('');
    const patch2 = Array.from({ length: 12 }, (_, i) => String.fromCodePoint(0x7000 + i)).join('');
    const start = `${base.slice(0, 20)}${patch}${base.slice(32)}`;
    const end = `${base.slice(0, 160)}${patch2}${base.slice(172)}`;
    expect(similarity(base, start)).toBeGreaterThanOrEqual(0.8);
    expect(similarity(base, end)).toBeGreaterThanOrEqual(0.8);
    expect(similarity(start, end)).toBeLessThan(0.8);
    const complete = findDuplicates([base, start, end]);
    expect(complete.clusterOf[1]).toBe(0);
    expect(complete.clusterOf[2]).toBe(-1);
    // Checking the representative only lets both in: every member is similar to the representative.
    const star = findDuplicates([base, start, end], { coreSize: 1 });
    expect(Array.from(star.clusterOf)).toEqual([0, 0, 0]);
  });

  it('finds a campaign of a thousand edited copies among unrelated texts', () => {
    const next = createRandom(42);
    const words = `${EN_LETTER} ${EN_LETTER.replace('I strongly support', 'We support')}`.split(' ');
    const vocabulary = [
      'data',
      'rule',
      'work',
      'jobs',
      'study',
      'labor',
      'wage',
      'skill',
      'visa',
      'year',
      'plan',
    ];
    const texts: string[] = [];
    const copy: boolean[] = [];
    for (let i = 0; i < 2000; i++) {
      if (i % 2 === 0) {
        const edited = [...words];
        edited[Math.floor(next() * edited.length)] = vocabulary[Math.floor(next() * vocabulary.length)]!;
        texts.push(edited.join(' '));
        copy.push(true);
      } else {
        texts.push(
          Array.from({ length: 25 }, () => vocabulary[Math.floor(next() * vocabulary.length)]!).join(' '),
        );
        copy.push(false);
      }
    }
    const result = findDuplicates(texts);
    const campaign = result.clusters.reduce((a, b) => (b.members.length > a.members.length ? b : a));
    expect(campaign.members.length).toBeGreaterThanOrEqual(950);
    expect(campaign.members.every((i) => copy[i])).toBe(true);
  });
});

describe('clusterSignatures', () => {
  it('gives the same clusters from signatures computed in chunks', () => {
    const texts = [
      ZH_LETTER,
      OTHER_ZH,
      ZH_LETTER.replace('坚决', '完全'),
      EN_LETTER,
      '',
      EN_LETTER.replace('strongly', 'fully'),
    ];
    const signatures = concatSignatures([
      computeSignatures(texts.slice(0, 3)),
      computeSignatures(texts.slice(3)),
    ]);
    const result = clusterSignatures(signatures, { shinglesOf: (i) => shingleSet(similarityKey(texts[i]!)) });
    expect(result).toEqual(findDuplicates(texts));
  });

  it('gives the same clusters whatever number of sets it keeps for reuse', () => {
    const next = createRandom(7);
    const words = `${EN_LETTER} ${ZH_LETTER}`.split(' ');
    const texts = Array.from({ length: 600 }, (_, i) => {
      const edited = [...words];
      edited[Math.floor(next() * edited.length)] = `w${i % 50}`;
      return i % 3 === 0 ? OTHER_ZH.repeat(1 + (i % 5)) + String(i) : edited.join(' ');
    });
    const signatures = computeSignatures(texts);
    const run = (cacheValues: number) => {
      let made = 0;
      const shinglesOf = (i: number) => {
        made++;
        return shingleSet(similarityKey(texts[i]!));
      };
      return { result: clusterSignatures(signatures, { shinglesOf, cacheValues }), made };
    };
    const roomy = run(10_000_000);
    // Room for a few sets: generations turn over all the time, and sets are made again.
    const tight = run(300);
    expect(tight.result).toEqual(roomy.result);
    expect(tight.made).toBeGreaterThan(roomy.made);
    expect(roomy.result.clusters.length).toBeGreaterThan(0);
  });

  it('verifies only texts that share a band key, whose sets can be packed in advance', () => {
    const texts = [
      ZH_LETTER,
      OTHER_ZH,
      ZH_LETTER.replace('坚决', '完全'),
      EN_LETTER,
      ZH_LETTER,
      '',
      OTHER_EN,
    ];
    const signatures = computeSignatures(texts);
    const verify = textsToVerify(signatures);
    expect(Array.from(verify)).toEqual([0, 2]);
    const packed = packShingleSets(texts, { indexes: verify, keyOf: (text) => similarityKey(text) });
    const computed: number[] = [];
    const result = clusterSignatures(signatures, {
      shinglesOf: packedShinglesOf(texts.length, [packed], (index) => {
        computed.push(index);
        return shingleSet(similarityKey(texts[index]!));
      }),
    });
    expect(computed).toEqual([]);
    expect(result).toEqual(findDuplicates(texts));
    expect(Array.from(result.clusterOf)).toEqual([0, -1, 0, -1, 0, -1, -1]);
  });

  it('clusters in steps as the sets of earlier texts arrive, with the same result', () => {
    const texts = [
      ZH_LETTER,
      OTHER_ZH,
      ZH_LETTER.replace('坚决', '完全'),
      EN_LETTER,
      ZH_LETTER,
      '',
      EN_LETTER.replace('strongly', 'fully'),
      ZH_LETTER.replace('坚决', '十分'),
      OTHER_EN,
    ];
    const signatures = computeSignatures(texts);
    const verify = new Set(textsToVerify(signatures));
    const asked: number[] = [];
    const clusterer = new SignatureClusterer(signatures, {
      shinglesOf: (i) => {
        asked.push(i);
        return shingleSet(similarityKey(texts[i]!));
      },
    });
    for (const upTo of [1, 3, 3, 7, 9]) {
      clusterer.advance(upTo);
      expect(clusterer.position).toBe(upTo);
      // Only texts to verify, and none beyond the step.
      expect(asked.every((i) => verify.has(i) && i < upTo)).toBe(true);
    }
    expect(clusterer.result()).toEqual(findDuplicates(texts));
  });

  it('plans groups of shared band keys only, for texts neither empty nor exact duplicates', () => {
    const texts = [ZH_LETTER, OTHER_EN, ZH_LETTER.replace('坚决', '完全'), ZH_LETTER, '', EN_LETTER];
    const signatures = computeSignatures(texts);
    const plan = planClustering(signatures);
    const { bands } = signatures;
    const groupsOf = (i: number): number[] => Array.from(plan.groupOf.subarray(i * bands, (i + 1) * bands));
    expect(Array.from(plan.verify)).toEqual([0, 2]);
    expect(plan.duplicates).toBe(1);
    expect(plan.emptyTexts).toBe(1);
    // The two letters share some band keys (one group each), and nothing else is shared.
    const shared = groupsOf(0).filter((g) => g !== -1);
    expect(shared.length).toBeGreaterThan(0);
    expect(plan.groups).toBe(shared.length);
    expect(groupsOf(2).filter((g) => g !== -1)).toEqual(shared);
    for (const i of [1, 3, 4, 5]) {
      expect(groupsOf(i).every((g) => g === -1)).toBe(true);
    }
    // A plan made for other signatures is refused.
    expect(
      () =>
        new SignatureClusterer(computeSignatures(texts.slice(1)), {
          plan,
          shinglesOf: () => new Uint32Array(0),
        }),
    ).toThrow(/other signatures/u);
  });

  it('makes the same plan with half the bands grouped elsewhere, in shared memory', async () => {
    const next = createRandom(7);
    const letters = [ZH_LETTER, EN_LETTER, OTHER_ZH, OTHER_EN];
    // Copies with a word or two changed, exact copies and empty texts, in a random order.
    const texts = Array.from({ length: 300 }, (_, i) => {
      const letter = letters[i % letters.length]!;
      const roll = next();
      if (roll < 0.1) {
        return '';
      }
      if (roll < 0.3) {
        return letter;
      }
      const at = Math.floor(next() * (letter.length - 4));
      return `${letter.slice(0, at)}${i}${letter.slice(at + 3)}`;
    });
    const signatures = computeSignatures(texts);
    const whole = planClustering(signatures);
    const shared = concatSignatures([signatures], true);
    const seen: { first: number; last: number; sharedMemory: boolean }[] = [];
    const split = await planClusteringSplit(shared, async (grouping, first, last) => {
      seen.push({ first, last, sharedMemory: grouping.groupOf.buffer instanceof SharedArrayBuffer });
      await new Promise((resolve) => setImmediate(resolve));
      return groupBands(grouping, first, last);
    });
    expect(seen).toEqual([{ first: signatures.bands / 2, last: signatures.bands, sharedMemory: true }]);
    expect(shared.bandKeys.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(whole.groups).toBeGreaterThan(0);
    expect(split.groups).toBe(whole.groups);
    expect(Array.from(split.groupOf)).toEqual(Array.from(whole.groupOf));
    expect(Array.from(split.verify)).toEqual(Array.from(whole.verify));
    expect(Array.from(split.exactDuplicateOf)).toEqual(Array.from(whole.exactDuplicateOf));

    // This thread's half a few bands at a time, with a pause in between: the same plan again.
    let pauses = 0;
    const paused = await planClusteringSplit(
      concatSignatures([signatures], true),
      async (grouping, first, last) => groupBands(grouping, first, last),
      async () => {
        pauses++;
        await new Promise((resolve) => setImmediate(resolve));
      },
    );
    expect(pauses).toBeGreaterThan(1);
    expect(paused.groups).toBe(whole.groups);
    expect(Array.from(paused.groupOf)).toEqual(Array.from(whole.groupOf));
    expect(Array.from(paused.verify)).toEqual(Array.from(whole.verify));
  });

  it('raises a failure of the bands grouped elsewhere', async () => {
    const signatures = concatSignatures(
      [computeSignatures([ZH_LETTER, ZH_LETTER.replace('坚决', '完全')])],
      true,
    );
    await expect(
      planClusteringSplit(signatures, () => Promise.reject(new Error('the other thread stopped'))),
    ).rejects.toThrow(/other thread stopped/u);
  });

  it('clusters partitions of the plan apart with the same result', () => {
    const texts = [
      ZH_LETTER,
      EN_LETTER,
      ZH_LETTER.replace('坚决', '完全'),
      OTHER_ZH,
      EN_LETTER.replace('strongly', 'fully'),
      ZH_LETTER,
      `${EN_LETTER} Thank you.`,
      OTHER_EN,
      ZH_LETTER.replace('让人民群众', '使群众'),
      `${OTHER_EN} Please.`,
    ];
    const signatures = computeSignatures(texts);
    const setOf = (i: number): Uint32Array => shingleSet(similarityKey(texts[i]!));
    const whole = clusterSignatures(signatures, { shinglesOf: setOf });
    const plan = planClustering(signatures);
    const [own, other] = partitionPlan(plan, 2);
    // Whole groups of texts sharing band keys, each in one partition or the other.
    const where = new Map<number, number>();
    own!.texts.forEach((i) => where.set(i, 0));
    other!.texts.forEach((i) => where.set(i, 1));
    expect([...where.keys()].sort((a, b) => a - b)).toEqual(Array.from(plan.verify));
    expect(Array.from(plan.verify)).toEqual([0, 1, 2, 4, 6, 7, 8, 9]);
    for (const group of [
      [0, 2, 8],
      [1, 4, 6],
      [7, 9],
    ]) {
      expect(new Set(group.map((i) => where.get(i))).size).toBe(1);
    }
    expect(Math.min(own!.texts.length, other!.texts.length)).toBeGreaterThan(0);
    const here = new SignatureClusterer(signatures, { plan, shinglesOf: setOf });
    here.advance(texts.length);
    const arrived = new Set<number>();
    const apart = new PartitionClusterer(other!, {
      shinglesOf: (i) => (arrived.has(i) ? setOf(i) : undefined),
    });
    // It advances as far as the sets are in, in order.
    arrived.add(other!.texts[1]!);
    apart.advance((i) => arrived.has(i));
    expect(apart.position).toBe(0);
    expect(() => apart.result()).toThrow(/stopped at text 0/u);
    for (const i of other!.texts) {
      arrived.add(i);
    }
    apart.advance((i) => arrived.has(i));
    const { founders, verifications, verified } = apart.result();
    here.adopt(other!.texts, founders, verifications, verified);
    expect(here.result()).toEqual(whole);
  });

  it('balances partitions by estimated work, not by text count', () => {
    const next = createRandom(7);
    const sentence = (length: number): string =>
      Array.from({ length }, () => String.fromCodePoint(0x4e00 + Math.floor(next() * 20000))).join('');
    // A campaign of four copies of a long letter, then twelve pairs of short texts.
    const letter = sentence(3000);
    const texts = [letter, `${letter}一`, `二${letter}`, `${letter.slice(0, 1500)}三${letter.slice(1500)}`];
    for (let pair = 0; pair < 12; pair++) {
      const text = sentence(60);
      texts.push(text, `${text}。`);
    }
    const signatures = computeSignatures(texts);
    const setOf = (i: number): Uint32Array => shingleSet(similarityKey(texts[i]!));
    const whole = clusterSignatures(signatures, { shinglesOf: setOf });
    expect(whole.clusters.map((cluster) => cluster.members.length)).toEqual([
      4,
      ...Array<number>(12).fill(2),
    ]);
    const plan = planClustering(signatures);
    expect(plan.verify).toHaveLength(28);
    const [own, other] = partitionPlan(plan, 2);
    // The four long letters weigh more than the 24 short texts together: by count they would be split
    // 14 and 14.
    expect(Array.from(own!.texts)).toEqual([0, 1, 2, 3]);
    expect(Array.from(other!.texts)).toEqual(Array.from({ length: 24 }, (_, k) => k + 4));
    const here = new SignatureClusterer(signatures, { plan, shinglesOf: setOf });
    here.advance(texts.length);
    const apart = new PartitionClusterer(other!, { shinglesOf: setOf });
    apart.advance(() => true);
    const { founders, verifications, verified } = apart.result();
    here.adopt(other!.texts, founders, verifications, verified);
    expect(here.result()).toEqual(whole);
  });

  it('numbers band groups in the order clustering meets them', () => {
    const texts = [
      ZH_LETTER,
      EN_LETTER,
      ZH_LETTER.replace('坚决', '完全'),
      EN_LETTER.replace('strongly', 'fully'),
    ];
    const signatures = computeSignatures(texts);
    const plan = planClustering(signatures);
    const met: number[] = [];
    for (const i of plan.verify) {
      for (const group of plan.groupOf.subarray(i * plan.bands, (i + 1) * plan.bands)) {
        if (group !== -1 && !met.includes(group)) {
          met.push(group);
        }
      }
    }
    expect(met).toEqual(Array.from({ length: plan.groups }, (_, k) => k));
  });

  it('refuses a result before every text is taken', () => {
    const signatures = computeSignatures([ZH_LETTER, EN_LETTER]);
    const clusterer = new SignatureClusterer(signatures, { shinglesOf: () => new Uint32Array(0) });
    clusterer.advance(1);
    expect(() => clusterer.result()).toThrow(/stopped at text 1 of 2/u);
  });
});
