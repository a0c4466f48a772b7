import { describe, expect, it } from 'vitest';
import { tokenize } from '../tokenize.ts';
import { crossValidateStance } from './evaluate.ts';
import type { StanceExample } from './model.ts';

function examples(): StanceExample[] {
  const out: StanceExample[] = [];
  const support = ['支持', '赞成', '同意', '拥护', '点赞'];
  const oppose = ['反对', '抵制', '不同意', '不赞成', '质疑'];
  for (const target of ['t1', 't2']) {
    for (let i = 0; i < 15; i++) {
      out.push({ target, stance: 'support', doc: tokenize(`${support[i % 5]!}这项规定第${i}条`) });
      out.push({ target, stance: 'oppose', doc: tokenize(`${oppose[i % 5]!}这项规定第${i}条`) });
      out.push({ target, stance: 'none', doc: tokenize(`今天第${i}次路过这里看到新闻`) });
    }
  }
  return out;
}

describe('crossValidateStance', () => {
  it('reports F_avg per target and their mean, deterministically', () => {
    let clock = 0;
    const result = crossValidateStance({ examples: examples(), folds: 5, seed: 7, now: () => (clock += 5) });
    expect(Object.keys(result.perTarget).sort()).toEqual(['t1', 't2']);
    expect(result.mean).toBeGreaterThan(0.9);
    expect(result.meanPooled).toBeGreaterThan(0.9);
    expect(result.folds).toBe(5);
    expect(result.trainSeconds).toBeCloseTo(0.025);
    const again = crossValidateStance({ examples: examples(), folds: 5, seed: 7 });
    expect(again.perTarget).toEqual(result.perTarget);
  });
});
