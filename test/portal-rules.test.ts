import { describe, expect, it } from 'vitest';
import { REDACTION_MARK, redactPersonalData } from '../src/server/policies/portal.policy.ts';
import { buildSummary } from '../src/server/services/portal.service.ts';
import type { SummarySource } from '../src/server/repositories/portal.repository.ts';

describe('redaction of personal data', () => {
  it('removes mobile and landline numbers, ID card numbers and e-mail addresses in Chinese text', () => {
    const result = redactPersonalData(
      '我的电话是13812345678，座机010-12345678，身份证11010119900307123X，邮箱zhang.san@example.com.cn，请联系。',
    );
    expect(result.text).toBe(
      `我的电话是${REDACTION_MARK}，座机${REDACTION_MARK}，身份证${REDACTION_MARK}，邮箱${REDACTION_MARK}，请联系。`,
    );
    expect(result.count).toBe(4);
    expect(result.kinds.sort()).toEqual(['email', 'id_card', 'phone']);
  });

  it('handles English, +86 prefixes, spaced numbers and marked spans', () => {
    const result = redactPersonalData(
      'Call me on +86 138 1234 5678 or mail a@b.io. I live at Green Street.',
      ['Green Street'],
    );
    expect(result.text).toBe(
      `Call me on ${REDACTION_MARK} or mail ${REDACTION_MARK}. I live at ${REDACTION_MARK}.`,
    );
    expect(result.count).toBe(3);
  });

  it('leaves figures, years, percentages and short numbers alone', () => {
    const text = '到2030年比重达到15%，新建5G基站12000个，投资1234567890元。';
    expect(redactPersonalData(text)).toEqual({ text, kinds: [], count: 0 });
  });

  it('copes with empty, one-character, emoji, mixed-script and 100 KB texts', () => {
    expect(redactPersonalData('')).toEqual({ text: '', kinds: [], count: 0 });
    expect(redactPersonalData('好')).toEqual({ text: '好', kinds: [], count: 0 });
    expect(redactPersonalData('👍 call 13912345678 🙏').text).toBe(`👍 call ${REDACTION_MARK} 🙏`);
    expect(redactPersonalData('电话13912345678abc').count).toBe(1);
    const big = `${'建议加快农村5G建设。'.repeat(10_000)}13812345678`;
    const result = redactPersonalData(big);
    expect(result.count).toBe(1);
    expect(result.text.endsWith(REDACTION_MARK)).toBe(true);
  });
});

describe('the published summary', () => {
  const source = (over: Partial<SummarySource> & { opinionId: string }): SummarySource => ({
    clauseStableId: 'c2',
    suggestion: '建议下调目标',
    clusterId: null,
    representativeId: null,
    dispositionCode: null,
    dispositionReason: null,
    decidedAt: null,
    ...over,
  });

  it('groups by clause in draft order and by cluster, largest first, with what was done', () => {
    const summary = buildSummary({
      round: { id: 'r', title: 'Round' },
      publishedAt: '2026-12-01T00:00:00.000Z',
      clauses: [
        {
          id: '1',
          stableId: 'c1',
          kind: 'article',
          number: '第一条',
          heading: null,
          text: '坚持创新驱动。',
          depth: 1,
        },
        {
          id: '2',
          stableId: 'c2',
          kind: 'article',
          number: '第二条',
          heading: null,
          text: '比重达到15%。',
          depth: 1,
        },
      ],
      sources: [
        source({ opinionId: 'a', clusterId: 'k', representativeId: 'b' }),
        source({
          opinionId: 'b',
          clusterId: 'k',
          representativeId: 'b',
          suggestion: '代表',
          dispositionCode: 'adopted',
          decidedAt: '1',
        }),
        // A later approved disposition of the same opinion replaces the earlier one.
        source({
          opinionId: 'b',
          clusterId: 'k',
          representativeId: 'b',
          suggestion: '代表',
          dispositionCode: 'not_adopted',
          dispositionReason: '数据不支持',
          decidedAt: '2',
        }),
        source({ opinionId: 'c', clauseStableId: 'c1', suggestion: 'Keep it 👍' }),
        source({ opinionId: 'd', clauseStableId: null, suggestion: '整体很好' }),
      ],
    });
    expect(summary.comments).toBe(4);
    expect(summary.clauses.map((c) => c.clauseStableId)).toEqual([null, 'c1', 'c2']);
    const second = summary.clauses[2]!;
    expect(second).toMatchObject({ number: '第二条', comments: 2 });
    expect(second.clusters).toEqual([
      {
        size: 2,
        representative: '代表',
        dispositions: [
          { code: 'not_adopted', count: 1 },
          { code: 'pending', count: 1 },
        ],
        response: { code: 'not_adopted', reason: '数据不支持' },
      },
    ]);
    expect(summary.clauses[1]!.clusters[0]).toMatchObject({
      size: 1,
      representative: 'Keep it 👍',
      response: null,
    });
  });

  it('is empty when nobody commented', () => {
    expect(
      buildSummary({ round: { id: 'r', title: 'R' }, publishedAt: 'x', clauses: [], sources: [] }),
    ).toEqual({
      roundId: 'r',
      title: 'R',
      publishedAt: 'x',
      comments: 0,
      clauses: [],
    });
  });
});
