import { WorkflowExpressionError } from './errors.js';

// The safe expression language of workflows: the strings in `when`, `until` and `in`, evaluated over
// the outputs of earlier steps. A hand-written tokenizer, a Pratt parser and a tree-walking evaluator:
// nothing here ever reaches `eval`, `new Function` or `vm`, and an expression can only read the names
// of its scope, own data properties of the values in it, and call a fixed set of pure functions.
//
// Grammar, from the loosest binding to the tightest:
//
//   c ? a : b                          conditional (right-associative)
//   a || b, a or b                     short-circuit, gives a boolean
//   a && b, a and b                    short-circuit, gives a boolean
//   a == b, a != b                     deep equality of lists and objects, no coercion (null == undefined)
//   <  <=  >  >=  contains  in  matches    comparisons (numbers with numbers, strings with strings) and tests
//   a + b, a - b                       + adds numbers, concatenates strings or lists
//   a * b, a / b, a % b                numbers only; dividing by zero is an error
//   !a, not a, -a                      prefix; binds tighter than every binary operator
//   a.name, a[expr], f(x)              member access and calls of the functions in FUNCTIONS
//
// `contains`, `in` and `matches` share the level of `<` (as `in` does in JavaScript and Python), so
// `"a" in tags == true` reads as `("a" in tags) == true`. `not` binds tight, as the brief's grammar
// says: write `not (tags contains "x")`, not `not tags contains "x"`.
//
// Step ids may contain "-", which is also the minus sign: write `outputs["fetch-data"]` for those.

// ---------------------------------------------------------------------------------------------- AST

/** A literal value. */
export type LiteralValue = null | boolean | number | string;

/** `42`, `"text"`, `true`, `null`. */
export interface LiteralNode {
  readonly kind: 'literal';
  readonly value: LiteralValue;
  readonly at: number;
}
/** `[a, b]`. */
export interface ListNode {
  readonly kind: 'list';
  readonly items: readonly Expression[];
  readonly at: number;
}
/** A top-level name of the scope, e.g. `outputs`. */
export interface NameNode {
  readonly kind: 'name';
  readonly name: string;
  readonly at: number;
}
/** `object.name` (property is a string literal) or `object[property]`. */
export interface MemberNode {
  readonly kind: 'member';
  readonly object: Expression;
  readonly property: Expression;
  readonly at: number;
}
/** `len(x)`: one of FUNCTIONS. */
export interface CallNode {
  readonly kind: 'call';
  readonly callee: FunctionName;
  readonly args: readonly Expression[];
  readonly at: number;
}
export type UnaryOperator = '!' | '-';
export interface UnaryNode {
  readonly kind: 'unary';
  readonly operator: UnaryOperator;
  readonly operand: Expression;
  readonly at: number;
}
export type BinaryOperator = '*' | '/' | '%' | '+' | '-' | '<' | '<=' | '>' | '>=' | '==' | '!=' | 'contains' | 'in' | 'matches';
export interface BinaryNode {
  readonly kind: 'binary';
  readonly operator: BinaryOperator;
  readonly left: Expression;
  readonly right: Expression;
  readonly at: number;
}
/** `&&`/`and` and `||`/`or` (the words are stored as the symbols). */
export type LogicalOperator = '&&' | '||';
export interface LogicalNode {
  readonly kind: 'logical';
  readonly operator: LogicalOperator;
  readonly left: Expression;
  readonly right: Expression;
  readonly at: number;
}
/** `test ? consequent : alternate`. */
export interface ConditionalNode {
  readonly kind: 'conditional';
  readonly test: Expression;
  readonly consequent: Expression;
  readonly alternate: Expression;
  readonly at: number;
}

/**
 * A parsed expression: plain data (JSON-serialisable), so it can be stored, compared and walked.
 * `at` is the 0-based offset in the source of the token that makes the node (the operator of a binary
 * node, the name of a call), used to point at the problem when evaluation fails.
 */
export type Expression = LiteralNode | ListNode | NameNode | MemberNode | CallNode | UnaryNode | BinaryNode | LogicalNode | ConditionalNode;

// ------------------------------------------------------------------------------------------- limits

/** Longest source accepted: expressions are conditions, not programs. */
export const MAX_SOURCE_LENGTH = 2_000;
/** Deepest nesting of sub-expressions (parentheses, lists, calls, operands) the parser follows. */
export const MAX_DEPTH = 64;
/** Most evaluation steps (one per node, plus one per list element or value visited by a function). */
export const MAX_STEPS = 100_000;
/** Longest `matches` pattern. */
export const MAX_PATTERN_LENGTH = 200;
/** Longest text `matches` tests, so a pattern's backtracking stays bounded. */
export const MAX_MATCH_INPUT = 10_000;

/** Deepest nesting of data `==`, `contains` and `in` compare; deeper (or cyclic) data is an error, not a stack overflow. */
export const MAX_DATA_DEPTH = 1_000;
/** Member names that lead to JavaScript internals rather than data: refused everywhere. */
const FORBIDDEN_MEMBERS: ReadonlySet<string> = new Set(['constructor', '__proto__', 'prototype']);

// ----------------------------------------------------------------------------------------- tokenizer

type TokenKind = 'number' | 'string' | 'word' | 'punct' | 'end';
interface Token {
  readonly kind: TokenKind;
  /** The token as written (for `string`, the decoded value). */
  readonly text: string;
  readonly at: number;
}

/** Punctuation and symbolic operators, longest first so `<=` wins over `<`. */
const PUNCTUATION = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '+', '-', '*', '/', '%', '(', ')', '[', ']', ',', '.', '?', ':'];
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r' };
const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) i++;
    else if (DIGIT.test(ch)) i = readNumber(source, i, tokens);
    else if (ch === '"' || ch === "'") i = readString(source, i, tokens);
    else if (WORD_START.test(ch)) i = readWord(source, i, tokens);
    else i = readPunctuation(source, i, tokens);
  }
  tokens.push({ kind: 'end', text: '', at: source.length });
  return tokens;
}

/** Digits with an optional decimal part; a sign is the unary minus operator, not part of the number. */
function readNumber(source: string, start: number, tokens: Token[]): number {
  let i = start;
  while (i < source.length && DIGIT.test(source[i]!)) i++;
  if (source[i] === '.' && DIGIT.test(source[i + 1] ?? '')) {
    i++;
    while (i < source.length && DIGIT.test(source[i]!)) i++;
  }
  tokens.push({ kind: 'number', text: source.slice(start, i), at: start });
  return i;
}

function readString(source: string, start: number, tokens: Token[]): number {
  const quote = source[start]!;
  let value = '';
  let i = start + 1;
  for (;;) {
    if (i >= source.length) throw new WorkflowExpressionError('unterminated string', source, start + 1);
    const ch = source[i]!;
    if (ch === quote) break;
    if (ch === '\\') {
      const escaped = ESCAPES[source[i + 1] ?? ''];
      if (escaped === undefined) throw new WorkflowExpressionError(`unknown escape "\\${source[i + 1] ?? ''}" (use \\\\, \\', \\", \\n, \\t or \\r)`, source, i + 1);
      value += escaped;
      i += 2;
    } else {
      value += ch;
      i++;
    }
  }
  tokens.push({ kind: 'string', text: value, at: start });
  return i + 1;
}

function readWord(source: string, start: number, tokens: Token[]): number {
  let i = start + 1;
  while (i < source.length && WORD_PART.test(source[i]!)) i++;
  tokens.push({ kind: 'word', text: source.slice(start, i), at: start });
  return i;
}

function readPunctuation(source: string, start: number, tokens: Token[]): number {
  const text = PUNCTUATION.find((p) => source.startsWith(p, start));
  if (text === undefined) {
    const ch = source[start]!;
    const hint = ch === '=' ? ' (did you mean "=="?)' : ch === '&' ? ' (did you mean "&&"?)' : ch === '|' ? ' (did you mean "||"?)' : '';
    throw new WorkflowExpressionError(`unexpected character "${ch}"${hint}`, source, start + 1);
  }
  tokens.push({ kind: 'punct', text, at: start });
  return start + text.length;
}

// -------------------------------------------------------------------------------------------- parser

/** Binding powers: higher binds tighter. */
const Power = { None: 0, Conditional: 1, Or: 2, And: 3, Equality: 4, Comparison: 5, Additive: 6, Multiplicative: 7, Prefix: 8, Postfix: 9 } as const;
type Power = (typeof Power)[keyof typeof Power];

type Infix =
  | { readonly kind: 'binary'; readonly operator: BinaryOperator; readonly power: Power }
  | { readonly kind: 'logical'; readonly operator: LogicalOperator; readonly power: Power }
  | { readonly kind: 'conditional' | 'member'; readonly power: Power };

/** The infix and postfix operators, by the token that starts them (symbols and words). */
const INFIX: ReadonlyMap<string, Infix> = new Map<string, Infix>([
  ['?', { kind: 'conditional', power: Power.Conditional }],
  ['||', { kind: 'logical', operator: '||', power: Power.Or }],
  ['or', { kind: 'logical', operator: '||', power: Power.Or }],
  ['&&', { kind: 'logical', operator: '&&', power: Power.And }],
  ['and', { kind: 'logical', operator: '&&', power: Power.And }],
  ...(['==', '!='] as const).map((op): [string, Infix] => [op, { kind: 'binary', operator: op, power: Power.Equality }]),
  ...(['<', '<=', '>', '>=', 'contains', 'in', 'matches'] as const).map((op): [string, Infix] => [op, { kind: 'binary', operator: op, power: Power.Comparison }]),
  ...(['+', '-'] as const).map((op): [string, Infix] => [op, { kind: 'binary', operator: op, power: Power.Additive }]),
  ...(['*', '/', '%'] as const).map((op): [string, Infix] => [op, { kind: 'binary', operator: op, power: Power.Multiplicative }]),
  ['.', { kind: 'member', power: Power.Postfix }],
  ['[', { kind: 'member', power: Power.Postfix }],
]);

/** Words that are operators or literals, so they cannot name a variable. */
const KEYWORDS: ReadonlySet<string> = new Set(['true', 'false', 'null', 'not', 'and', 'or', 'contains', 'in', 'matches']);

/** Parse an expression into its AST. Throws WorkflowExpressionError with the column of the problem. */
export function parseExpression(source: string): Expression {
  if (source.length > MAX_SOURCE_LENGTH) throw new WorkflowExpressionError(`the expression is ${source.length} characters long, more than the ${MAX_SOURCE_LENGTH} allowed`);
  return new Parser(source, tokenize(source)).parseAll();
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  parseAll(): Expression {
    const expression = this.expression(Power.None);
    const next = this.peek();
    if (next.kind !== 'end') this.fail(`expected an operator or the end, found ${describe(next)}`, next);
    return expression;
  }

  /** Pratt loop: a prefix, then every infix operator that binds tighter than `minPower`. */
  private expression(minPower: Power): Expression {
    this.enter();
    let left = this.prefix();
    for (;;) {
      const token = this.peek();
      const infix = token.kind === 'word' || token.kind === 'punct' ? INFIX.get(token.text) : undefined;
      if (infix === undefined || infix.power <= minPower) break;
      this.index++;
      left = this.infix(left, infix, token);
    }
    this.depth--;
    return left;
  }

  /** Counts nesting so a deeply nested source fails cleanly instead of overflowing the stack. */
  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`the expression nests deeper than ${MAX_DEPTH} levels`, this.peek());
  }

  private prefix(): Expression {
    const token = this.next();
    switch (token.kind) {
      case 'number':
        return { kind: 'literal', value: Number(token.text), at: token.at };
      case 'string':
        return { kind: 'literal', value: token.text, at: token.at };
      case 'word':
        return this.word(token);
      case 'punct':
        return this.punctuation(token);
      case 'end':
        return this.missingValue(token);
    }
  }

  private word(token: Token): Expression {
    switch (token.text) {
      case 'true':
        return { kind: 'literal', value: true, at: token.at };
      case 'false':
        return { kind: 'literal', value: false, at: token.at };
      case 'null':
        return { kind: 'literal', value: null, at: token.at };
      case 'not':
        return { kind: 'unary', operator: '!', operand: this.expression(Power.Prefix), at: token.at };
    }
    if (KEYWORDS.has(token.text)) this.fail(`expected a value, found ${describe(token)}`, token);
    if (this.peek().text === '(' && this.peek().kind === 'punct') return this.call(token);
    return { kind: 'name', name: token.text, at: token.at };
  }

  private punctuation(token: Token): Expression {
    switch (token.text) {
      case '!':
      case '-':
        return { kind: 'unary', operator: token.text, operand: this.expression(Power.Prefix), at: token.at };
      case '(': {
        const inner = this.expression(Power.None);
        this.expect(')', token);
        return inner;
      }
      case '[':
        return { kind: 'list', items: this.sequence(']', token), at: token.at };
    }
    return this.fail(`expected a value, found ${describe(token)}`, token);
  }

  /** At the end of the source: point at the operator left without its operand, as people read it. */
  private missingValue(end: Token): never {
    const previous = this.tokens[this.index - 1];
    if (previous === undefined) this.fail('the expression is empty', end);
    return this.fail(`expected a value after ${describe(previous)}`, previous);
  }

  private call(name: Token): Expression {
    if (!isFunctionName(name.text)) this.fail(`unknown function "${name.text}" (the functions are ${FUNCTION_NAMES.join(', ')})`, name);
    const open = this.next();
    const args = this.sequence(')', open);
    if (args.length !== 1) this.fail(`function "${name.text}" takes 1 argument, got ${args.length}`, name);
    return { kind: 'call', callee: name.text, args, at: name.at };
  }

  /** Comma-separated expressions up to `close` (the opening token is already consumed). */
  private sequence(close: string, open: Token): Expression[] {
    const items: Expression[] = [];
    if (this.accept(close)) return items;
    do items.push(this.expression(Power.None));
    while (this.accept(','));
    this.expect(close, open);
    return items;
  }

  private infix(left: Expression, infix: Infix, token: Token): Expression {
    switch (infix.kind) {
      case 'member':
        return this.member(left, token);
      case 'conditional': {
        const consequent = this.expression(Power.None);
        this.expect(':', token);
        // Right-associative: `a ? b : c ? d : e` is `a ? b : (c ? d : e)`.
        const alternate = this.expression(Power.None);
        return { kind: 'conditional', test: left, consequent, alternate, at: token.at };
      }
      case 'logical':
        return { kind: 'logical', operator: infix.operator, left, right: this.expression(infix.power), at: token.at };
      case 'binary': {
        const right = infix.operator === 'matches' ? this.pattern(token) : this.expression(infix.power);
        return { kind: 'binary', operator: infix.operator, left, right, at: token.at };
      }
    }
  }

  private member(object: Expression, token: Token): Expression {
    let property: Expression;
    if (token.text === '.') {
      // Any word may follow a dot, keywords included (`item.in`): there it can only be a name.
      const name = this.next();
      if (name.kind !== 'word') this.fail(`expected a member name after ".", found ${describe(name)}`, name);
      property = { kind: 'literal', value: name.text, at: name.at };
    } else {
      property = this.expression(Power.None);
      this.expect(']', token);
    }
    // Refused here when the name is written out; a computed name is refused when evaluated.
    if (property.kind === 'literal' && typeof property.value === 'string' && FORBIDDEN_MEMBERS.has(property.value)) this.fail(forbiddenMember(property.value), property);
    return { kind: 'member', object, property, at: property.at };
  }

  /** The right of `matches`: a string literal, checked here so a bad pattern fails before any run. */
  private pattern(operator: Token): LiteralNode {
    const token = this.next();
    if (token.kind !== 'string') this.fail(`"matches" needs a quoted pattern on its right, found ${describe(token)}`, token.kind === 'end' ? operator : token);
    const problem = patternProblem(token.text);
    if (problem !== undefined) this.fail(problem, token);
    return { kind: 'literal', value: token.text, at: token.at };
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }
  /** The current token, moving past it (but never past the end). */
  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== 'end') this.index++;
    return token;
  }
  private accept(text: string): boolean {
    const token = this.peek();
    if (token.kind !== 'punct' || token.text !== text) return false;
    this.index++;
    return true;
  }
  private expect(text: string, open: Token): void {
    if (this.accept(text)) return;
    const found = this.peek();
    const what = open.text === '?' ? `":" after the "?" at column ${open.at + 1}` : `"${text}" to close the "${open.text}" at column ${open.at + 1}`;
    this.fail(`expected ${what}, found ${describe(found)}`, found);
  }
  private fail(problem: string, where: { readonly at: number }): never {
    throw new WorkflowExpressionError(problem, this.source, where.at + 1);
  }
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end';
  if (token.kind === 'string') return `the string ${JSON.stringify(token.text)}`;
  return `"${token.text}"`;
}

function forbiddenMember(name: string): string {
  return `member "${name}" is not allowed (it reaches JavaScript internals, not data)`;
}

/**
 * Why a `matches` pattern is refused, if it is. Besides length and syntax, refuses the shapes that
 * make backtracking regex engines exponential: a repeated group that itself repeats or alternates
 * (`(a+)+`, `(a|aa)*`), and backreferences. A heuristic, not a proof, so the input is capped too.
 */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `the pattern is ${pattern.length} characters long, more than the ${MAX_PATTERN_LENGTH} allowed`;
  try {
    new RegExp(pattern);
  } catch (error) {
    return `invalid pattern: ${(error as Error).message}`;
  }
  return backtrackingProblem(pattern);
}

interface Group {
  repeats: boolean;
  alternates: boolean;
}

function backtrackingProblem(pattern: string): string | undefined {
  const groups: Group[] = [{ repeats: false, alternates: false }];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    const top = groups[groups.length - 1]!;
    if (ch === '\\') {
      if (/[1-9k]/.test(pattern[i + 1] ?? '')) return 'backreferences are not allowed in a pattern';
      i++;
    } else if (ch === '[') i = classEnd(pattern, i);
    else if (ch === '(') groups.push({ repeats: false, alternates: false });
    else if (ch === '|') top.alternates = true;
    else if (ch === '*' || ch === '+' || ch === '{' || (ch === '?' && pattern[i - 1] !== '(')) top.repeats = true;
    else if (ch === ')') {
      const group = groups.pop()!;
      const parent = groups[groups.length - 1]!;
      const repeated = /[*+{]/.test(pattern[i + 1] ?? '');
      if (repeated && (group.repeats || group.alternates)) return 'the pattern repeats a group that repeats or alternates inside, which can take exponential time';
      parent.repeats ||= group.repeats;
    }
  }
  return undefined;
}

/** Index of the `]` closing the character class that opens at `start`. */
function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
  return i;
}

// ----------------------------------------------------------------------------------------- functions

/** The only callable functions: pure, one argument each. */
export const FUNCTION_NAMES = ['all', 'any', 'json', 'keys', 'len', 'lower', 'number', 'sum', 'trim', 'upper'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

function isFunctionName(name: string): name is FunctionName {
  return (FUNCTION_NAMES as readonly string[]).includes(name);
}

/** What a function gets besides its argument: a way to fail on the wrong type, and the step budget. */
interface CallContext {
  wrongType(expected: string): never;
  charge(steps: number): void;
}

const FUNCTIONS: Readonly<Record<FunctionName, (value: unknown, context: CallContext) => unknown>> = {
  len(value, context) {
    if (typeof value === 'string' || Array.isArray(value)) return value.length;
    if (isRecord(value)) return Object.keys(value).length;
    return context.wrongType('a string, list or object');
  },
  lower: (value, context) => (typeof value === 'string' ? value.toLowerCase() : context.wrongType('a string')),
  upper: (value, context) => (typeof value === 'string' ? value.toUpperCase() : context.wrongType('a string')),
  trim: (value, context) => (typeof value === 'string' ? value.trim() : context.wrongType('a string')),
  number(value, context) {
    // Agents answer in prose: "about 12 owls" is 12. No number in the text, or no text, is null.
    if (typeof value === 'number') return value;
    if (value === null || value === undefined) return null;
    if (typeof value !== 'string') return context.wrongType('a string or number');
    const match = /-?\d+(?:\.\d+)?/.exec(value);
    return match === null ? null : Number(match[0]);
  },
  json(value, context) {
    if (typeof value !== 'string') return context.wrongType('a string');
    context.charge(Math.ceil(value.length / 100));
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return null;
    }
  },
  keys: (value, context) => (isRecord(value) ? Object.keys(value) : context.wrongType('an object')),
  any: (value, context) => list(value, context).some((item) => truthy(item)),
  all: (value, context) => list(value, context).every((item) => truthy(item)),
  sum(value, context) {
    let total = 0;
    for (const item of list(value, context)) {
      if (typeof item !== 'number') return context.wrongType('a list of numbers');
      total += item;
    }
    return total;
  },
};

/** The argument as a list, its length charged to the step budget. */
function list(value: unknown, context: CallContext): readonly unknown[] {
  if (!Array.isArray(value)) return context.wrongType('a list');
  context.charge(value.length);
  return value;
}

// ---------------------------------------------------------------------------------------- evaluation

/**
 * Truthiness, as `when`, `until`, `!`, `&&`, `||`, `?:`, `any` and `all` use it. Like JavaScript's,
 * except that empty lists and empty objects are false too, so `outputs.search.results` reads as
 * "there are results":
 *
 *   false: false, null, undefined, 0, NaN, "", [], {}
 *   true:  everything else (including "false", "0" and [0])
 */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isRecord(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

/**
 * Evaluate an expression (its source or its AST) over a scope: the scope's own top-level names are
 * the expression's variables (e.g. `outputs`, `item`, `iteration`), and nothing else is reachable.
 * Throws WorkflowExpressionError for an unknown name, an operator or function on the wrong types, or
 * more than MAX_STEPS steps.
 */
export function evaluate(expression: Expression | string, scope: Readonly<Record<string, unknown>>): unknown {
  const source = typeof expression === 'string' ? expression : undefined;
  const tree = typeof expression === 'string' ? parseExpression(expression) : expression;
  return new Evaluator(scope, source).run(tree);
}

class Evaluator {
  private steps = 0;

  constructor(
    private readonly scope: Readonly<Record<string, unknown>>,
    private readonly source: string | undefined,
  ) {}

  run(node: Expression): unknown {
    this.charge(1, node);
    switch (node.kind) {
      case 'literal':
        return node.value;
      case 'list':
        return node.items.map((item) => this.run(item));
      case 'name':
        return this.lookup(node);
      case 'member':
        return this.member(node);
      case 'call':
        return this.call(node);
      case 'unary':
        return this.unary(node);
      case 'binary':
        return this.binary(node);
      case 'logical':
        // Short-circuit: the right side is not evaluated when the left decides.
        if (node.operator === '&&') return truthy(this.run(node.left)) && truthy(this.run(node.right));
        return truthy(this.run(node.left)) || truthy(this.run(node.right));
      case 'conditional':
        return truthy(this.run(node.test)) ? this.run(node.consequent) : this.run(node.alternate);
    }
  }

  private charge(steps: number, node: Expression): void {
    this.steps += steps;
    if (this.steps > MAX_STEPS) this.fail(`the evaluation took more than ${MAX_STEPS} steps`, node);
  }

  /** Own names of the scope only: never the prototype (`toString`) nor a global (`process`). */
  private lookup(node: NameNode): unknown {
    if (Object.hasOwn(this.scope, node.name)) return this.scope[node.name];
    const known = Object.keys(this.scope).sort();
    const listing = known.length === 0 ? 'no names are defined' : `known names: ${known.join(', ')}`;
    return this.fail(`unknown name "${node.name}" (${listing})`, node);
  }

  private member(node: MemberNode): unknown {
    const object = this.run(node.object);
    const key = this.run(node.property);
    if (typeof key !== 'string' && typeof key !== 'number') return this.fail(`a member name must be a string or number, got ${typeName(key)}`, node);
    if (typeof key === 'string' && FORBIDDEN_MEMBERS.has(key)) return this.fail(forbiddenMember(key), node);
    return memberOf(object, key);
  }

  private call(node: CallNode): unknown {
    if (node.args.length !== 1) return this.fail(`function "${node.callee}" takes 1 argument, got ${node.args.length}`, node);
    const argument = this.run(node.args[0]!);
    const context: CallContext = {
      wrongType: (expected) => this.fail(`function "${node.callee}" takes ${expected}, got ${typeName(argument)}`, node),
      charge: (steps) => this.charge(steps, node),
    };
    return FUNCTIONS[node.callee](argument, context);
  }

  private unary(node: UnaryNode): unknown {
    const operand = this.run(node.operand);
    if (node.operator === '!') return !truthy(operand);
    if (typeof operand !== 'number') return this.fail(`operator "-" needs a number, got ${typeName(operand)}`, node);
    return -operand;
  }

  private binary(node: BinaryNode): unknown {
    const left = this.run(node.left);
    const right = this.run(node.right);
    const wrong = (expected: string): never => this.fail(`operator "${node.operator}" cannot apply to ${typeName(left)} and ${typeName(right)} (it takes ${expected})`, node);
    switch (node.operator) {
      case '==':
        return this.equal(left, right, node);
      case '!=':
        return !this.equal(left, right, node);
      case '+':
        return this.plus(left, right, node, wrong);
      case '-':
      case '*':
      case '/':
      case '%':
        return this.arithmetic(node, left, right, wrong);
      case '<':
      case '<=':
      case '>':
      case '>=':
        return compare(node.operator, left, right, wrong);
      case 'contains':
        return this.contains(left, right, node, wrong);
      case 'in':
        return this.isIn(left, right, node, wrong);
      case 'matches':
        return this.matches(left, right, node, wrong);
    }
  }

  private plus(left: unknown, right: unknown, node: Expression, wrong: (expected: string) => never): unknown {
    if (typeof left === 'number' && typeof right === 'number') return left + right;
    if (typeof left === 'string' && typeof right === 'string') return left + right;
    if (Array.isArray(left) && Array.isArray(right)) {
      this.charge(left.length + right.length, node);
      return [...left, ...right];
    }
    return wrong('two numbers, two strings or two lists');
  }

  private arithmetic(node: BinaryNode, left: unknown, right: unknown, wrong: (expected: string) => never): number {
    if (typeof left !== 'number' || typeof right !== 'number') return wrong('two numbers');
    // Infinity and NaN are not JSON and would only confuse the next comparison: say so here instead.
    if ((node.operator === '/' || node.operator === '%') && right === 0) return this.fail(`operator "${node.operator}": division by zero`, node);
    if (node.operator === '-') return left - right;
    if (node.operator === '*') return left * right;
    return node.operator === '/' ? left / right : left % right;
  }

  private contains(left: unknown, right: unknown, node: Expression, wrong: (expected: string) => never): boolean {
    if (typeof left === 'string' && typeof right === 'string') return left.includes(right);
    if (Array.isArray(left)) return this.listHas(left, right, node);
    return wrong('a string and a string, or a list and any value');
  }

  private isIn(left: unknown, right: unknown, node: Expression, wrong: (expected: string) => never): boolean {
    if (Array.isArray(right)) return this.listHas(right, left, node);
    if (typeof right === 'string' && typeof left === 'string') return right.includes(left);
    if (isRecord(right) && typeof left === 'string') return Object.hasOwn(right, left);
    return wrong('any value and a list, a string and a string, or a string and an object');
  }

  private matches(left: unknown, right: unknown, node: Expression, wrong: (expected: string) => never): boolean {
    if (typeof left !== 'string' || typeof right !== 'string') return wrong('a string and a pattern');
    if (left.length > MAX_MATCH_INPUT) return this.fail(`operator "matches": the text is ${left.length} characters long, more than the ${MAX_MATCH_INPUT} allowed`, node);
    // A hand-built AST skips the parser's check of the pattern: check it here as well.
    const problem = patternProblem(right);
    if (problem !== undefined) return this.fail(problem, node);
    return new RegExp(right).test(left);
  }

  private listHas(items: readonly unknown[], wanted: unknown, node: Expression): boolean {
    return items.some((item) => this.equal(item, wanted, node));
  }

  /** Deep equality without coercion; null and undefined are equal (a missing output `== null`). */
  private equal(a: unknown, b: unknown, node: Expression, depth = 0): boolean {
    this.charge(1, node);
    if (depth > MAX_DATA_DEPTH) this.fail(`the values compared are nested deeper than ${MAX_DATA_DEPTH} levels (or contain themselves)`, node);
    if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
    if (Array.isArray(a) || Array.isArray(b)) {
      if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
      return a.every((item, i) => this.equal(item, b[i], node, depth + 1));
    }
    if (isRecord(a) && isRecord(b)) {
      const keys = Object.keys(a);
      if (keys.length !== Object.keys(b).length) return false;
      return keys.every((key) => Object.hasOwn(b, key) && this.equal(a[key], b[key], node, depth + 1));
    }
    return a === b;
  }

  private fail(problem: string, node: Expression): never {
    throw new WorkflowExpressionError(problem, this.source, node.at + 1);
  }
}

function compare(operator: '<' | '<=' | '>' | '>=', left: unknown, right: unknown, wrong: (expected: string) => never): boolean {
  const comparable = (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  if (!comparable) return wrong('two numbers or two strings');
  const [a, b] = [left as number | string, right as number | string];
  if (operator === '<') return a < b;
  if (operator === '<=') return a <= b;
  if (operator === '>') return a > b;
  return a >= b;
}

/**
 * A member of a value: own data only. Objects give their own properties, lists their elements by
 * index and `length`, strings their characters and `length`; anything else (a missing output's
 * `undefined`, `null`, a number) gives undefined, so `outputs.x.missing == null` works.
 */
function memberOf(object: unknown, key: string | number): unknown {
  if (Array.isArray(object) || typeof object === 'string') {
    if (key === 'length') return object.length;
    return typeof key === 'number' && Number.isInteger(key) && key >= 0 ? object[key] : undefined;
  }
  if (isRecord(object)) {
    const name = String(key);
    return Object.hasOwn(object, name) ? object[name] : undefined;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The language's name for a value's type, for error messages. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  return typeof value;
}

// ------------------------------------------------------------------------------------ static checks

/**
 * The step ids an expression reads as `outputs.<id>` or `outputs["<id>"]`, each once, in order of
 * appearance: for checking that a `when` reads only steps that ran before it. A computed id
 * (`outputs[item]`) or `outputs` as a whole (`keys(outputs)`) names no step and is not listed.
 */
export function referencedOutputs(expression: Expression | string): string[] {
  const tree = typeof expression === 'string' ? parseExpression(expression) : expression;
  const ids = new Set<string>();
  visit(tree, (node) => {
    if (node.kind === 'member' && node.object.kind === 'name' && node.object.name === 'outputs' && node.property.kind === 'literal' && typeof node.property.value === 'string')
      ids.add(node.property.value);
  });
  return [...ids];
}

/** Calls `visitor` on every node, parents before children, left to right. */
function visit(node: Expression, visitor: (node: Expression) => void): void {
  visitor(node);
  for (const child of children(node)) visit(child, visitor);
}

function children(node: Expression): readonly Expression[] {
  switch (node.kind) {
    case 'literal':
    case 'name':
      return [];
    case 'list':
      return node.items;
    case 'member':
      return [node.object, node.property];
    case 'call':
      return node.args;
    case 'unary':
      return [node.operand];
    case 'binary':
    case 'logical':
      return [node.left, node.right];
    case 'conditional':
      return [node.test, node.consequent, node.alternate];
  }
}
