import type { MathNode } from 'mathjs';
import { AppError } from './errors.ts';

/*
 * 数据论证 calculation sheets: named inputs with units and sources, one formula, its result. mathjs only
 * parses the formula; the tree is evaluated here over plain numbers with an allow-list, so a formula can
 * do arithmetic on its inputs and nothing else (no assignment, no property access, no unit or matrix
 * magic), and every failure names the input or the part of the formula at fault.
 */

export interface SheetInput {
  /** An identifier used in the formula: letters, digits and _, starting with a letter. */
  name: string;
  label?: string | null;
  value: number | null;
  unit?: string | null;
  /** The data-library item and passage the value comes from. */
  source?: { itemId: string; passage?: string | null } | null;
}

export interface SheetResult {
  value: number;
  /** The formula with each input's value put in, as shown on the sheet. */
  shown: string;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

const FUNCTIONS: Readonly<Record<string, { arity: [number, number]; fn: (...a: number[]) => number }>> = {
  pow: { arity: [2, 2], fn: (a, b) => a ** b },
  sqrt: { arity: [1, 1], fn: Math.sqrt },
  abs: { arity: [1, 1], fn: Math.abs },
  min: { arity: [1, 50], fn: Math.min },
  max: { arity: [1, 50], fn: Math.max },
  // round(x) or round(x, digits), like a spreadsheet.
  round: {
    arity: [1, 2],
    fn: (x, digits = 0) => {
      const f = 10 ** digits;
      return Math.round(x * f) / f;
    },
  },
  floor: { arity: [1, 1], fn: Math.floor },
  ceil: { arity: [1, 1], fn: Math.ceil },
  exp: { arity: [1, 1], fn: Math.exp },
  log: { arity: [1, 1], fn: Math.log },
  log10: { arity: [1, 1], fn: Math.log10 },
};

const BINARY: Readonly<Record<string, (a: number, b: number) => number>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '^': (a, b) => a ** b,
};

const invalid = (message: string, details: Record<string, unknown> = {}): AppError =>
  new AppError('validation_failed', message, { field: 'formula', ...details });

/** Checks the inputs: unique identifiers, finite values. Missing values are reported when used. */
export function validateInputs(inputs: readonly SheetInput[]): Map<string, SheetInput> {
  const byName = new Map<string, SheetInput>();
  inputs.forEach((input, index) => {
    if (!NAME.test(input.name) || input.name in FUNCTIONS) {
      throw new AppError(
        'validation_failed',
        `Input ${index + 1} "${input.name}" needs a name of letters, digits and _ starting with a letter, and not a function name.`,
        { field: `inputs.${index}.name`, input: input.name },
      );
    }
    if (byName.has(input.name)) {
      throw new AppError('validation_failed', `Two inputs are named "${input.name}".`, {
        field: `inputs.${index}.name`,
        input: input.name,
      });
    }
    if (input.value !== null && !Number.isFinite(input.value)) {
      throw new AppError('validation_failed', `Input "${input.name}" is not a finite number.`, {
        field: `inputs.${index}.value`,
        input: input.name,
      });
    }
    byName.set(input.name, input);
  });
  return byName;
}

let mathParse: ((expression: string) => MathNode) | null = null;

/** Loads the formula parser (mathjs is large, so it comes on first use, not with the server or the CLI). */
export async function loadCalculator(): Promise<void> {
  mathParse ??= (await import('mathjs')).parse;
}

function parseFormula(formula: string): MathNode {
  const text = formula.trim();
  if (!text) {
    throw invalid('The formula is empty.');
  }
  if (text.length > 2000) {
    throw invalid('The formula is longer than 2000 characters.');
  }
  if (mathParse === null) {
    throw new Error('loadCalculator() must be awaited before a sheet is evaluated');
  }
  try {
    return mathParse(text);
  } catch (error) {
    throw invalid(`The formula cannot be read: ${error instanceof Error ? error.message : String(error)}.`);
  }
}

interface Evaluated {
  value: number;
  shown: string;
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(12))));

function evaluateNode(node: MathNode, inputs: Map<string, SheetInput>): Evaluated {
  switch (node.type) {
    case 'ConstantNode': {
      const value = (node as unknown as { value: unknown }).value;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw invalid(`Only numbers may appear in a formula, not ${JSON.stringify(value)}.`);
      }
      return { value, shown: fmt(value) };
    }
    case 'SymbolNode': {
      const name = (node as unknown as { name: string }).name;
      const input = inputs.get(name);
      if (!input) {
        throw invalid(`The formula uses "${name}", which is not one of the inputs.`, { symbol: name });
      }
      if (input.value === null) {
        throw new AppError('validation_failed', `The input "${name}" has no value.`, {
          field: 'inputs',
          input: name,
        });
      }
      return { value: input.value, shown: fmt(input.value) };
    }
    case 'ParenthesisNode': {
      const inner = evaluateNode((node as unknown as { content: MathNode }).content, inputs);
      return { value: inner.value, shown: `(${inner.shown})` };
    }
    case 'OperatorNode': {
      const { op, fn, args } = node as unknown as { op: string; fn: string; args: MathNode[] };
      if (args.length === 1 && (fn === 'unaryMinus' || fn === 'unaryPlus')) {
        const a = evaluateNode(args[0]!, inputs);
        return fn === 'unaryMinus' ? { value: -a.value, shown: `-${a.shown}` } : a;
      }
      const apply = BINARY[op];
      if (!apply || args.length !== 2) {
        throw invalid(
          op === '%' || op === 'mod'
            ? 'A percentage is written as a fraction (20% → 0.2 or 20/100); % is not allowed.'
            : `The operator "${op}" is not allowed; use + - * / ^ and the functions ${Object.keys(FUNCTIONS).join(', ')}.`,
          { operator: op },
        );
      }
      const a = evaluateNode(args[0]!, inputs);
      const b = evaluateNode(args[1]!, inputs);
      if (op === '/' && b.value === 0) {
        throw invalid(`Division by zero: the divisor ${b.shown} is 0.`, { operator: '/', divisor: b.shown });
      }
      return { value: apply(a.value, b.value), shown: `${a.shown} ${op} ${b.shown}` };
    }
    case 'FunctionNode': {
      const { fn, args } = node as unknown as { fn: MathNode; args: MathNode[] };
      const name = fn.type === 'SymbolNode' ? (fn as unknown as { name: string }).name : null;
      const spec = name ? FUNCTIONS[name] : undefined;
      if (!name || !spec) {
        throw invalid(
          `The function "${name ?? '?'}" is not allowed; use ${Object.keys(FUNCTIONS).join(', ')}.`,
          { function: name },
        );
      }
      if (args.length < spec.arity[0] || args.length > spec.arity[1]) {
        throw invalid(`${name} takes ${spec.arity.join('–')} arguments, not ${args.length}.`, {
          function: name,
        });
      }
      const values = args.map((a) => evaluateNode(a, inputs));
      return {
        value: spec.fn(...values.map((v) => v.value)),
        shown: `${name}(${values.map((v) => v.shown).join(', ')})`,
      };
    }
    default:
      throw invalid(`"${node.toString()}" is not arithmetic; a formula combines inputs and numbers only.`, {
        node: node.type,
      });
  }
}

/**
 * Evaluates a sheet's formula over its inputs. Throws a 400 naming the input (unknown, missing value) or
 * the fault of the formula (syntax, disallowed operation, division by zero, a non-finite result).
 */
export function evaluateSheet(sheet: { inputs: readonly SheetInput[]; formula: string }): SheetResult {
  const inputs = validateInputs(sheet.inputs);
  const { value, shown } = evaluateNode(parseFormula(sheet.formula), inputs);
  if (!Number.isFinite(value)) {
    throw invalid(`The result of ${shown} is not a finite number.`, { shown });
  }
  return { value: Number(value.toPrecision(15)), shown };
}
