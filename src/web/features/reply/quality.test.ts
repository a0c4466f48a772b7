import { describe, expect, it } from 'vitest';
import { qualityView, shouldCheckQuality } from './quality.ts';

describe('qualityView', () => {
  it('is all clear without flags, with the score rounded', () => {
    expect(qualityView({ score: 91.6, flags: [], hints: [] })).toEqual({ kind: 'ok', score: 92 });
  });

  it('lists each flag by its translation key, falling back to the server hint, then to the flag', () => {
    expect(
      qualityView({ score: 42.4, flags: ['vague', 'no_reason', 'odd'], hints: ['表述笼统', '缺少理由'] }),
    ).toEqual({
      kind: 'warning',
      score: 42,
      items: [
        { flag: 'vague', key: 'reply.quality.flags.vague', fallback: '表述笼统' },
        { flag: 'no_reason', key: 'reply.quality.flags.no_reason', fallback: '缺少理由' },
        { flag: 'odd', key: 'reply.quality.flags.odd', fallback: 'odd' },
      ],
    });
  });
});

describe('shouldCheckQuality', () => {
  it('asks the server only once a suggestion has been typed', () => {
    expect(shouldCheckQuality(null)).toBe(false);
    expect(shouldCheckQuality({ suggestion: '' })).toBe(false);
    expect(shouldCheckQuality({ suggestion: '建议' })).toBe(true);
  });
});
