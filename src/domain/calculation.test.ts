import { beforeAll, describe, expect, it } from 'vitest';
import type { SheetInput } from './calculation.ts';
import { evaluateSheet, loadCalculator, validateInputs } from './calculation.ts';
import { AppError } from './errors.ts';

const caught = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected an AppError');
};

const forecast: SheetInput[] = [
  {
    name: 'base2025',
    label: '2025年核心产业增加值',
    value: 5200,
    unit: '亿元',
    source: { itemId: 'yb-2025' },
  },
  { name: 'forecast2030', label: '2030年预测值', value: 5980, unit: '亿元', source: null },
];

describe('calculation sheets', () => {
  beforeAll(loadCalculator);

  it('shows that the forecast series supports +15%, not +20%', () => {
    const result = evaluateSheet({ inputs: forecast, formula: '(forecast2030 / base2025 - 1) * 100' });
    expect(result.value).toBe(15);
    expect(result.shown).toBe('(5980 / 5200 - 1) * 100');
  });

  it('allows arithmetic functions and percentages, and shows the values put in', () => {
    const inputs: SheetInput[] = [
      { name: 'a', value: 3 },
      { name: 'b', value: 4 },
    ];
    expect(evaluateSheet({ inputs, formula: 'sqrt(pow(a, 2) + b^2)' })).toEqual({
      value: 5,
      shown: 'sqrt(pow(3, 2) + 4 ^ 2)',
    });
    expect(evaluateSheet({ inputs, formula: 'round(a / 7, 3)' }).value).toBe(0.429);
    expect(evaluateSheet({ inputs, formula: 'max(a, b, 10) - min(a, b)' }).value).toBe(7);
    expect(evaluateSheet({ inputs, formula: 'a * 20%' }).value).toBeCloseTo(0.6);
    expect(evaluateSheet({ inputs, formula: '-a + +b' }).value).toBe(1);
    expect(evaluateSheet({ inputs: [], formula: '1' }).value).toBe(1);
  });

  it('refuses division by zero, naming the divisor', () => {
    const error = caught(() =>
      evaluateSheet({
        inputs: [
          { name: 'x', value: 2 },
          { name: 'y', value: 0 },
        ],
        formula: 'x / y',
      }),
    );
    expect(error.status).toBe(400);
    expect(error.message).toBe('Division by zero: the divisor 0 is 0.');
    expect(error.details).toMatchObject({ field: 'formula', operator: '/' });
    expect(
      caught(() => evaluateSheet({ inputs: [{ name: 'x', value: 1 }], formula: 'x / (x - x)' })).message,
    ).toBe('Division by zero: the divisor (1 - 1) is 0.');
  });

  it('refuses a missing input and an unknown symbol, naming them', () => {
    const missing = caught(() =>
      evaluateSheet({ inputs: [{ name: 'base', value: null, unit: '亿元' }], formula: 'base * 1.15' }),
    );
    expect(missing.message).toBe('The input "base" has no value.');
    expect(missing.details).toMatchObject({ field: 'inputs', input: 'base' });
    const unknown = caught(() => evaluateSheet({ inputs: [{ name: 'a', value: 1 }], formula: 'a + growth' }));
    expect(unknown.message).toContain('"growth", which is not one of the inputs');
    expect(unknown.details).toMatchObject({ symbol: 'growth' });
  });

  it('refuses what is not arithmetic', () => {
    const inputs: SheetInput[] = [{ name: 'a', value: 1 }];
    for (const [formula, fault] of [
      ['a = 2', 'AssignmentNode'],
      ['a.b', 'AccessorNode'],
      ['[1, 2]', 'ArrayNode'],
      ['a ? 1 : 2', 'ConditionalNode'],
      ['f(x) = x', 'FunctionAssignmentNode'],
    ] as const) {
      expect(caught(() => evaluateSheet({ inputs, formula })).details).toMatchObject({ node: fault });
    }
    expect(caught(() => evaluateSheet({ inputs, formula: 'evaluate("1")' })).message).toContain(
      'The function "evaluate" is not allowed',
    );
    expect(caught(() => evaluateSheet({ inputs, formula: 'a > 0' })).details).toMatchObject({
      operator: '>',
    });
    expect(caught(() => evaluateSheet({ inputs, formula: '5 mod 2' })).message).toContain('% is not allowed');
    expect(caught(() => evaluateSheet({ inputs, formula: '"text"' })).message).toContain('Only numbers');
    expect(caught(() => evaluateSheet({ inputs, formula: 'pow(a)' })).message).toBe(
      'pow takes 2–2 arguments, not 1.',
    );
  });

  it('refuses empty, unreadable, overlong and non-finite formulas', () => {
    expect(caught(() => evaluateSheet({ inputs: [], formula: '' })).message).toBe('The formula is empty.');
    expect(caught(() => evaluateSheet({ inputs: [], formula: '   ' })).message).toBe('The formula is empty.');
    expect(caught(() => evaluateSheet({ inputs: [], formula: '(1 +' })).message).toMatch(/cannot be read/);
    // One character, Chinese text and emoji are not formulas.
    expect(caught(() => evaluateSheet({ inputs: [], formula: '+' })).message).toMatch(/cannot be read/);
    expect(caught(() => evaluateSheet({ inputs: [], formula: '增长率 * 2' })).details).toMatchObject({
      field: 'formula',
    });
    expect(caught(() => evaluateSheet({ inputs: [], formula: '🙂 + 1' })).details).toMatchObject({
      field: 'formula',
    });
    expect(caught(() => evaluateSheet({ inputs: [], formula: '1+'.repeat(50_000) + '1' })).message).toBe(
      'The formula is longer than 2000 characters.',
    );
    expect(caught(() => evaluateSheet({ inputs: [], formula: 'log(0)' })).message).toBe(
      'The result of log(0) is not a finite number.',
    );
    expect(caught(() => evaluateSheet({ inputs: [], formula: '10 ^ 400' })).message).toMatch(/not a finite/);
  });

  it('checks input names and values', () => {
    expect([...validateInputs(forecast).keys()]).toEqual(['base2025', 'forecast2030']);
    expect(caught(() => validateInputs([{ name: '基数', value: 1 }])).details).toMatchObject({
      field: 'inputs.0.name',
    });
    expect(caught(() => validateInputs([{ name: 'sqrt', value: 1 }])).details).toMatchObject({
      field: 'inputs.0.name',
    });
    expect(
      caught(() =>
        validateInputs([
          { name: 'a', value: 1 },
          { name: 'a', value: 2 },
        ]),
      ).message,
    ).toBe('Two inputs are named "a".');
    expect(caught(() => validateInputs([{ name: 'a', value: Number.NaN }])).details).toMatchObject({
      field: 'inputs.0.value',
    });
  });
});
