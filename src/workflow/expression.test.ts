import { describe, expect, it } from 'vitest';
import { TaskforceError } from '../errors/taskforce-error.js';
import { WorkflowExpressionError } from './errors.js';
import { evaluate, MAX_DATA_DEPTH, MAX_DEPTH, MAX_MATCH_INPUT, MAX_SOURCE_LENGTH, MAX_STEPS, parseExpression, referencedOutputs, truthy, type Expression } from './expression.js';

const scope = {
  outputs: {
    a: { count: 3, text: 'About 12 owls', tags: ['x', 'y'], nested: { deep: [1, { k: 'v' }] } },
    b: { ok: true, none: null },
  },
  item: 'Owl',
  iteration: 2,
  list: [1, 2, 3],
  flags: [true, 0, 'x'],
};

/** The first line of an error's message (the rest is the caret excerpt). */
function errorOf(run: () => unknown): WorkflowExpressionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowExpressionError);
    return error as WorkflowExpressionError;
  }
  throw new Error('expected a WorkflowExpressionError, nothing was thrown');
}
const firstLine = (run: () => unknown): string => errorOf(run).message.split('\n')[0]!;

describe('evaluate', () => {
  const cases: readonly [string, unknown][] = [
    // literals
    ['42', 42],
    ['3.25', 3.25],
    ['-7', -7],
    ['"double"', 'double'],
    ["'single'", 'single'],
    [String.raw`'it\'s \\ "q" \n'`, 'it\'s \\ "q" \n'],
    [String.raw`"say \"hi\"\t"`, 'say "hi"\t'],
    ['true', true],
    ['false', false],
    ['null', null],
    ['[1, "a", [true]]', [1, 'a', [true]]],
    ['[]', []],
    // names and members
    ['iteration', 2],
    ['outputs.a.count', 3],
    ['outputs["a"]["count"]', 3],
    ['outputs.a.nested.deep[1].k', 'v'],
    ['list[0]', 1],
    ['list[5]', undefined],
    ['list.length', 3],
    ['item.length', 3],
    ['item[0]', 'O'],
    ['outputs.missing', undefined],
    ['outputs.missing.deeper.still', undefined],
    ['outputs.b.none.x', undefined],
    ['outputs.missing.x == null', true],
    ['outputs.a.count.toFixed', undefined],
    ['outputs.a.toString', undefined],
    // arithmetic
    ['2 * 3', 6],
    ['7 / 2', 3.5],
    ['7 % 4', 3],
    ['2 + 3', 5],
    ['2 - 3', -1],
    ['"ab" + "cd"', 'abcd'],
    ['[1] + [2, 3]', [1, 2, 3]],
    ['-outputs.a.count', -3],
    // comparison
    ['1 < 2', true],
    ['2 < 2', false],
    ['2 <= 2', true],
    ['3 > 2', true],
    ['2 > 2', false],
    ['2 >= 2', true],
    ['"a" < "b"', true],
    // equality: deep, no coercion, null == missing
    ['1 == 1', true],
    ['1 == "1"', false],
    ['0 == false', false],
    ['null == false', false],
    ['1 != 2', true],
    ['1 != 1', false],
    ['[1, [2]] == [1, [2]]', true],
    ['[1, 2] == [2, 1]', false],
    ['outputs.a.nested == outputs.a.nested', true],
    ['outputs.b == outputs.a', false],
    ['outputs.b.none == null', true],
    // contains / in / matches
    ['outputs.a.text contains "12"', true],
    ['outputs.a.text contains "about"', false],
    ['outputs.a.tags contains "x"', true],
    ['outputs.a.tags contains "z"', false],
    ['[[1], [2]] contains [2]', true],
    ['"y" in outputs.a.tags', true],
    ['"z" in outputs.a.tags', false],
    ['"owl" in "towel"', false],
    ['"wel" in "towel"', true],
    ['"count" in outputs.a', true],
    ['"toString" in outputs.a', false],
    ['item matches "^O[a-z]+$"', true],
    ['item matches "^o"', false],
    ['outputs.a.text matches "(foo|owls)"', true],
    // logic
    ['!true', false],
    ['not 0', true],
    ['!!"x"', true],
    ['true && false', false],
    ['true and 1', true],
    ['false || 0', false],
    ['0 or "x"', true],
    ['1 && "x"', true],
    // conditional
    ['true ? 1 : 2', 1],
    ['[] ? 1 : 2', 2],
    ['iteration > 1 ? "again" : "first"', 'again'],
    // functions
    ['len("abc")', 3],
    ['len(list)', 3],
    ['len(outputs.a)', 4],
    ['lower("AbC")', 'abc'],
    ['upper("AbC")', 'ABC'],
    ['trim("  a b  ")', 'a b'],
    ['number(outputs.a.text)', 12],
    ['number("it is -2.5 degrees")', -2.5],
    ['number("none")', null],
    ['number(7)', 7],
    ['number(outputs.missing)', null],
    ['json("{\\"a\\": [1, 2]}")', { a: [1, 2] }],
    ['json("{not json")', null],
    ['keys(outputs.b)', ['ok', 'none']],
    ['any(flags)', true],
    ['any([0, "", null])', false],
    ['all(flags)', false],
    ['all([1, "x"])', true],
    ['all([])', true],
    ['sum(list)', 6],
    ['sum([])', 0],
  ];
  it.each(cases)('%s → %j', (source, expected) => {
    expect(evaluate(source, scope)).toEqual(expected);
  });

  it('evaluates a parsed AST the same as its source', () => {
    const tree = parseExpression('outputs.a.count * 2 + 1');
    expect(evaluate(tree, scope)).toBe(7);
    expect(JSON.parse(JSON.stringify(tree))).toEqual(tree);
  });
});

describe('precedence and associativity', () => {
  const cases: readonly [string, unknown][] = [
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['2 * 3 % 4', 2],
    ['12 / 3 / 2', 2],
    ['-2 * 3', -6],
    ['2 - -3', 5],
    ['1 + 2 < 4', true],
    ['1 < 2 == true', true],
    ['"x" in outputs.a.tags == true', true],
    ['!false == true', true],
    ['not 1 == false', true],
    ['true || false && false', true],
    ['(true || false) && false', false],
    ['false && true || true', true],
    ['true ? 1 : true ? 2 : 3', 1],
    ['false ? 1 : false ? 2 : 3', 3],
    ['false ? 1 : 2 + 3', 5],
    ['false || true ? "y" : "n"', 'y'],
    ['-list[0]', -1],
    ['"a" + "b" == "ab"', true],
  ];
  it.each(cases)('%s → %j', (source, expected) => {
    expect(evaluate(source, scope)).toEqual(expected);
  });
});

describe('short-circuit', () => {
  const exploding = (): Readonly<Record<string, unknown>> => ({
    yes: true,
    no: false,
    get boom(): unknown {
      throw new Error('the right side was evaluated');
    },
  });
  const cases: readonly [string, unknown][] = [
    ['no && boom', false],
    ['no and boom', false],
    ['yes || boom', true],
    ['yes or boom', true],
    ['yes ? 1 : boom', 1],
    ['no ? boom : 2', 2],
  ];
  it.each(cases)('%s does not read boom', (source, expected) => {
    expect(evaluate(source, exploding())).toBe(expected);
  });
  it('does evaluate the right side when the left does not decide (the getter works)', () => {
    expect(() => evaluate('yes && boom', exploding())).toThrow('the right side was evaluated');
  });
});

describe('truthy', () => {
  const cases: readonly [unknown, boolean][] = [
    [false, false],
    [null, false],
    [undefined, false],
    [0, false],
    [Number.NaN, false],
    ['', false],
    [[], false],
    [{}, false],
    [true, true],
    [1, true],
    [-1, true],
    ['0', true],
    ['false', true],
    [[0], true],
    [{ a: undefined }, true],
  ];
  it.each(cases)('%j → %s', (value, expected) => {
    expect(truthy(value)).toBe(expected);
  });
});

describe('parse errors', () => {
  const cases: readonly [string, number, string][] = [
    ['outputs.a.count >', 17, 'expected a value after ">"'],
    ['', 1, 'the expression is empty'],
    ['(1 + 2', 7, 'expected ")" to close the "(" at column 1, found the end'],
    ['[1, 2', 6, 'expected "]" to close the "[" at column 1, found the end'],
    ['a ? b', 6, 'expected ":" after the "?" at column 3, found the end'],
    ['1 2', 3, 'expected an operator or the end, found "2"'],
    ['a = 1', 3, 'unexpected character "=" (did you mean "=="?)'],
    ['a & b', 3, 'unexpected character "&" (did you mean "&&"?)'],
    ['a @ b', 3, 'unexpected character "@"'],
    ['"open', 1, 'unterminated string'],
    [String.raw`"bad \q"`, 6, String.raw`unknown escape "\q" (use \\, \', \", \n, \t or \r)`],
    ['1 + * 2', 5, 'expected a value, found "*"'],
    ['a and or b', 7, 'expected a value, found "or"'],
    ['a.', 3, 'expected a member name after ".", found the end'],
    ['a.1', 3, 'expected a member name after ".", found "1"'],
    ['eval("1")', 1, 'unknown function "eval" (the functions are all, any, json, keys, len, lower, number, sum, trim, upper)'],
    ['len()', 1, 'function "len" takes 1 argument, got 0'],
    ['len(1, 2)', 1, 'function "len" takes 1 argument, got 2'],
    ['item matches item', 14, '"matches" needs a quoted pattern on its right, found "item"'],
    ['item matches "("', 14, 'invalid pattern: Invalid regular expression: /(/: Unterminated group'],
    ['item matches "(a+)+$"', 14, 'the pattern repeats a group that repeats or alternates inside, which can take exponential time'],
    ['item matches "(a|aa)*"', 14, 'the pattern repeats a group that repeats or alternates inside, which can take exponential time'],
    [String.raw`item matches "(a)\\1"`, 14, 'backreferences are not allowed in a pattern'],
  ];
  it.each(cases)('%s → column %i: %s', (source, column, problem) => {
    const error = errorOf(() => parseExpression(source));
    expect(error.message.split('\n')[0]).toBe(`expression "${source}" at column ${column}: ${problem}`);
    expect(error.column).toBe(column);
    expect(error.source).toBe(source);
    expect(error.problem).toBe(problem);
    expect(error.code).toBe('WORKFLOW_EXPRESSION_INVALID');
    expect(TaskforceError.isInstance(error)).toBe(true);
  });

  it('shows the source with a caret under the problem', () => {
    expect(errorOf(() => parseExpression('outputs.a.count >')).message).toBe(
      'expression "outputs.a.count >" at column 17: expected a value after ">"\n  outputs.a.count >\n                  ^',
    );
  });

  it('keeps the caret aligned when the source spans lines', () => {
    const error = errorOf(() => parseExpression('a &&\n\t>'));
    expect(error.message).toBe('expression "a &&  >" at column 7: expected a value, found ">"\n  a &&  >\n        ^');
    expect(error.source).toBe('a &&\n\t>');
  });

  it('accepts the patterns that do not backtrack badly', () => {
    expect(() => parseExpression('item matches "^(ab)+[a-z]*(?:x|y)$"')).not.toThrow();
  });
});

describe('evaluation errors', () => {
  const cases: readonly [string, number, string][] = [
    ['1 + "a"', 3, 'operator "+" cannot apply to number and string (it takes two numbers, two strings or two lists)'],
    ['"a" - 1', 5, 'operator "-" cannot apply to string and number (it takes two numbers)'],
    ['true * 2', 6, 'operator "*" cannot apply to boolean and number (it takes two numbers)'],
    ['1 / 0', 3, 'operator "/": division by zero'],
    ['1 % 0', 3, 'operator "%": division by zero'],
    ['1 < "2"', 3, 'operator "<" cannot apply to number and string (it takes two numbers or two strings)'],
    ['null >= 1', 6, 'operator ">=" cannot apply to null and number (it takes two numbers or two strings)'],
    ['-"a"', 1, 'operator "-" needs a number, got string'],
    ['outputs.a contains "x"', 11, 'operator "contains" cannot apply to object and string (it takes a string and a string, or a list and any value)'],
    ['1 in outputs.a', 3, 'operator "in" cannot apply to number and object (it takes any value and a list, a string and a string, or a string and an object)'],
    ['iteration matches "2"', 11, 'operator "matches" cannot apply to number and string (it takes a string and a pattern)'],
    ['len(null)', 1, 'function "len" takes a string, list or object, got null'],
    ['lower(1)', 1, 'function "lower" takes a string, got number'],
    ['upper([])', 1, 'function "upper" takes a string, got list'],
    ['trim(outputs.missing)', 1, 'function "trim" takes a string, got undefined'],
    ['number(true)', 1, 'function "number" takes a string or number, got boolean'],
    ['json(1)', 1, 'function "json" takes a string, got number'],
    ['keys(list)', 1, 'function "keys" takes an object, got list'],
    ['any("x")', 1, 'function "any" takes a list, got string'],
    ['all(null)', 1, 'function "all" takes a list, got null'],
    ['sum(["1"])', 1, 'function "sum" takes a list of numbers, got list'],
    ['list[true]', 6, 'a member name must be a string or number, got boolean'],
    ['nope + 1', 1, 'unknown name "nope" (known names: flags, item, iteration, list, outputs)'],
  ];
  it.each(cases)('%s → column %i: %s', (source, column, problem) => {
    expect(firstLine(() => evaluate(source, scope))).toBe(`expression "${source}" at column ${column}: ${problem}`);
  });

  it('says when the scope has no names', () => {
    expect(firstLine(() => evaluate('x', {}))).toBe('expression "x" at column 1: unknown name "x" (no names are defined)');
  });

  it('names the column, without the source, for an AST', () => {
    expect(firstLine(() => evaluate(parseExpression('1 + true'), {}))).toBe(
      'expression at column 3: operator "+" cannot apply to number and boolean (it takes two numbers, two strings or two lists)',
    );
  });

  it('checks a hand-built AST as the parser would', () => {
    const call: Expression = { kind: 'call', callee: 'len', args: [], at: 0 };
    expect(firstLine(() => evaluate(call, {}))).toBe('expression at column 1: function "len" takes 1 argument, got 0');
    const regex: Expression = { kind: 'binary', operator: 'matches', left: { kind: 'literal', value: 'aaa', at: 0 }, right: { kind: 'literal', value: '(a*)*', at: 10 }, at: 4 };
    expect(errorOf(() => evaluate(regex, {})).problem).toMatch(/exponential/);
  });
});

describe('safety', () => {
  const forbidden = ['constructor', '__proto__', 'prototype'];

  it.each(forbidden)('refuses the member %s, written out, at parse time', (name) => {
    expect(firstLine(() => parseExpression(`outputs.${name}`))).toBe(`expression "outputs.${name}" at column 9: member "${name}" is not allowed (it reaches JavaScript internals, not data)`);
    expect(firstLine(() => parseExpression(`outputs["${name}"]`))).toMatch(`member "${name}" is not allowed`);
  });

  it.each(forbidden)('refuses the member %s, computed, at evaluation time', (name) => {
    expect(firstLine(() => evaluate('outputs[key]', { outputs: {}, key: name }))).toBe(
      `expression "outputs[key]" at column 9: member "${name}" is not allowed (it reaches JavaScript internals, not data)`,
    );
    expect(firstLine(() => evaluate('item[key + ""]', { item: 'text', key: name }))).toMatch(`member "${name}" is not allowed`);
  });

  it('refuses "__proto__" even when it is an own key (JSON.parse makes those)', () => {
    const data = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    expect(Object.hasOwn(data as object, '__proto__')).toBe(true);
    expect(() => evaluate('data["__proto__"]', { data })).toThrow(WorkflowExpressionError);
  });

  it.each(['process', 'globalThis', 'Function', 'eval', 'require', 'constructor', 'toString', 'hasOwnProperty', 'Object'])('%s is an unknown name', (name) => {
    expect(firstLine(() => evaluate(name, { outputs: {} }))).toBe(`expression "${name}" at column 1: unknown name "${name}" (known names: outputs)`);
  });

  it('reads only own properties of the values in scope', () => {
    const inherited = Object.create({ secret: 1 }) as Record<string, unknown>;
    expect(evaluate('value.secret', { value: inherited })).toBeUndefined();
    expect(evaluate('"secret" in value', { value: inherited })).toBe(false);
    expect(evaluate('text.toUpperCase', { text: 'a' })).toBeUndefined();
    expect(evaluate('list.map', { list: [] })).toBeUndefined();
  });
});

describe('limits', () => {
  it(`refuses a source longer than ${MAX_SOURCE_LENGTH} characters`, () => {
    const atLimit = `1${' + 1'.repeat((MAX_SOURCE_LENGTH - 1) / 4)}`.padEnd(MAX_SOURCE_LENGTH, ' ');
    expect(atLimit).toHaveLength(MAX_SOURCE_LENGTH);
    expect(() => parseExpression(atLimit)).not.toThrow();
    expect(errorOf(() => parseExpression(`${atLimit} `)).message).toBe(`expression: the expression is ${MAX_SOURCE_LENGTH + 1} characters long, more than the ${MAX_SOURCE_LENGTH} allowed`);
  });

  it(`refuses nesting deeper than ${MAX_DEPTH}`, () => {
    const nested = (depth: number): string => `${'('.repeat(depth - 1)}1${')'.repeat(depth - 1)}`;
    expect(evaluate(nested(MAX_DEPTH), {})).toBe(1);
    const error = errorOf(() => parseExpression(nested(MAX_DEPTH + 1)));
    expect(error.problem).toBe(`the expression nests deeper than ${MAX_DEPTH} levels`);
    expect(error.column).toBe(MAX_DEPTH + 1);
    expect(errorOf(() => parseExpression(`${'-'.repeat(MAX_DEPTH)}1`)).problem).toBe(`the expression nests deeper than ${MAX_DEPTH} levels`);
    expect(errorOf(() => parseExpression(`${'['.repeat(MAX_DEPTH + 1)}${']'.repeat(MAX_DEPTH + 1)}`)).problem).toBe(`the expression nests deeper than ${MAX_DEPTH} levels`);
  });

  it('keeps long flat chains, which do not nest', () => {
    expect(evaluate(`1${' + 1'.repeat(400)}`, {})).toBe(401);
  });

  it(`stops an evaluation after ${MAX_STEPS} steps`, () => {
    const big = Array.from({ length: MAX_STEPS }, () => 1);
    expect(evaluate('len(big)', { big })).toBe(MAX_STEPS);
    expect(errorOf(() => evaluate('sum(big)', { big })).problem).toBe(`the evaluation took more than ${MAX_STEPS} steps`);
    expect(errorOf(() => evaluate('big contains 2', { big })).problem).toBe(`the evaluation took more than ${MAX_STEPS} steps`);
    expect(evaluate('sum(small)', { small: big.slice(0, MAX_STEPS - 10) })).toBe(MAX_STEPS - 10);
  });

  it('stops comparing cyclic data instead of looping forever', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    const b: Record<string, unknown> = {};
    b.self = b;
    expect(errorOf(() => evaluate('a == b', { a, b })).problem).toBe(`the values compared are nested deeper than ${MAX_DATA_DEPTH} levels (or contain themselves)`);
    expect(errorOf(() => evaluate('list contains a', { list: [a], a: b })).problem).toMatch('nested deeper');
  });

  it(`refuses to match text longer than ${MAX_MATCH_INPUT} characters`, () => {
    expect(evaluate('text matches "b$"', { text: `${'a'.repeat(MAX_MATCH_INPUT - 1)}b` })).toBe(true);
    expect(errorOf(() => evaluate('text matches "b$"', { text: `${'a'.repeat(MAX_MATCH_INPUT)}b` })).problem).toBe(
      `operator "matches": the text is ${MAX_MATCH_INPUT + 1} characters long, more than the ${MAX_MATCH_INPUT} allowed`,
    );
  });

  it('refuses a pattern longer than 200 characters', () => {
    expect(() => parseExpression(`item matches "${'a'.repeat(200)}"`)).not.toThrow();
    expect(errorOf(() => parseExpression(`item matches "${'a'.repeat(201)}"`)).problem).toBe('the pattern is 201 characters long, more than the 200 allowed');
  });
});

describe('referencedOutputs', () => {
  const cases: readonly [string, string[]][] = [
    ['outputs.a.count > 1', ['a']],
    ['outputs.b.ok && outputs["c"].x || outputs.a == outputs.b', ['b', 'c', 'a']],
    ['outputs["fetch-data"].ok', ['fetch-data']],
    ['len(outputs.x) ? [outputs.y] : -outputs.z.n', ['x', 'y', 'z']],
    ['outputs[item]', []],
    ['keys(outputs)', []],
    ['item.outputs.a', []],
    ['iteration < 3', []],
  ];
  it.each(cases)('%s → %j', (source, expected) => {
    expect(referencedOutputs(source)).toEqual(expected);
    expect(referencedOutputs(parseExpression(source))).toEqual(expected);
  });
});
