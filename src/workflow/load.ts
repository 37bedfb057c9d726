import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { closestNames } from '../util/edit-distance.js';
import { readDataDocument, type DataFormat, type DataPath } from '../util/data-document.js';
import { issueMessage } from '../util/zod-issues.js';
import { parsePlan } from '../plan/load.js';
import { unknownKeyHint } from '../plan/nearest.js';
import { formatPath } from '../plan/problems.js';
import type { TaskTree } from '../plan/types.js';
import type { ValidatePlanOptions } from '../plan/validate.js';
import { WorkflowFileError } from './errors.js';
import type { WorkflowProblem, WorkflowProblemKind } from './problems.js';
import { TaskStep, WorkflowSchema, type Step, type Workflow } from './types.js';

export interface ParseWorkflowOptions {
  /** Name used in error messages (usually the file path); default `"<workflow>"`. */
  readonly source?: string;
  /** `json` or `yaml`; default: from the source's extension, else JSON when the text starts with `{`. */
  readonly format?: DataFormat;
  /** Folder `workflow: <path>` references are resolved from; default the source's folder, else the working directory. */
  readonly baseDir?: string;
}

/** What a run file holds: a plan (`tasks`, run as today) or a workflow (`steps`). */
export type RunFile = { readonly kind: 'plan'; readonly tree: TaskTree } | { readonly kind: 'workflow'; readonly workflow: Workflow };

/**
 * Reads a workflow file (`{ goal, steps: [...] }` in YAML or JSON), checks it and returns it, with
 * every `workflow: <path>` reference replaced by the workflow that file holds (loaded the same way,
 * relative to the folder of the file that names it).
 *
 * Every problem is a `WorkflowFileError` (code `WORKFLOW_FILE_INVALID`) naming the file, the line, the
 * step (path such as `steps[2].parallel[0]`, and id) and the field: bad syntax, a wrong shape, an
 * unknown key (with the closest known one), a step with no or two kind keys, duplicate step ids, an
 * `inputs` / `goto` / `cancel` naming no step, a `goto` to a step that is not earlier in its sequence,
 * a reference that cannot be read or that loops back to a file that references it.
 *
 * Step ids are scoped to one workflow: a nested workflow (inline or referenced) has its own.
 */
export async function loadWorkflowFile(path: string): Promise<Workflow> {
  const text = await readSource(path);
  return parseWorkflowIn(text, { source: path }, [resolve(path)]);
}

/** Like `loadWorkflowFile`, for a workflow already in memory (references still read from `baseDir`). */
export async function parseWorkflow(text: string, options: ParseWorkflowOptions = {}): Promise<Workflow> {
  return parseWorkflowIn(text, options, options.source !== undefined ? [resolve(options.baseDir ?? '.', options.source)] : []);
}

/**
 * Reads a file to run: a workflow when it has `steps`, a plan when it has `tasks` (`parsePlan`, with
 * `options`); one with both or neither is a `WorkflowFileError`.
 */
export async function loadRunFile(path: string, options: ValidatePlanOptions = {}): Promise<RunFile> {
  const text = await readSource(path);
  const read = readDataDocument(text, { source: path });
  // A file that does not parse cannot say what it is: a workflow if it seems to have `steps`, else a
  // plan, whose loader reports the syntax error as it always has (PLAN_FILE_INVALID).
  if (!read.ok) {
    if (/^\s*"?steps"?\s*:/m.test(text)) throw syntaxError(path, read);
    return { kind: 'plan', tree: parsePlan(text, { ...options, source: path }) };
  }
  const data = read.data;
  const has = (key: string) => isRecord(data) && key in data;
  if (has('steps') && has('tasks'))
    throw new WorkflowFileError(path, [
      {
        kind: 'file-kind',
        source: path,
        path: ['tasks'],
        message: 'the file has both "steps" (a workflow) and "tasks" (a plan): a file is one or the other',
        ...lineField(read.lineOfKey(['tasks'])),
      },
    ]);
  if (has('steps')) return { kind: 'workflow', workflow: await parseWorkflowIn(text, { source: path }, [resolve(path)]) };
  if (has('tasks')) return { kind: 'plan', tree: parsePlan(text, { ...options, source: path }) };
  throw new WorkflowFileError(path, [
    { kind: 'file-kind', source: path, message: 'the file has neither "steps" (a workflow) nor "tasks" (a plan)', ...lineField(read.lineOf([])) },
  ]);
}

// ---------------------------------------------------------------------------------------------------
// Keys of each part of the language.

/** The kind keys, in the order of `StepSchema`'s union branches (a union issue's `errors[i]` is branch i). */
const KIND_KEYS = ['instructions', 'sequence', 'parallel', 'choice', 'multi_choice', 'first', 'merge', 'repeat', 'goto', 'for_each', 'region', 'cancel', 'race', 'workflow', 'goal'] as const;
type KindKey = (typeof KIND_KEYS)[number];
const WORKFLOW_KEYS = ['workflow', 'goal', 'steps'];
const TASK_KEYS: readonly string[] = Object.keys(TaskStep.shape);
/** Keys of the object under a kind key (for kinds whose value is an object), and of a branch. */
const SPEC_KEYS: Readonly<Partial<Record<KindKey, readonly string[]>>> = {
  choice: ['branches', 'otherwise', 'decide'],
  first: ['branches', 'rest'],
  merge: ['branches', 'then'],
  repeat: ['steps', 'until', 'max'],
  goto: ['to', 'when', 'max'],
  for_each: ['in', 'as', 'concurrency', 'steps'],
};
const BRANCH_KEYS = ['when', 'label', 'steps'];
const RACE_BRANCH_KEYS = ['after', 'approval', 'label', 'steps'];
const DECIDE_KEYS = ['agent', 'question'];

function stepKeys(kind: KindKey): readonly string[] {
  if (kind === 'instructions') return TASK_KEYS;
  return kind === 'cancel' ? ['id', 'cancel', 'when'] : ['id', kind];
}

/**
 * Where a step holds steps, relative to it (`#` is an index): `steps[2].parallel[0]` is a step, so is
 * `steps[0].choice.branches[1].steps[0]`. Names problems by the step they are in.
 */
const CHILD_STEPS: readonly (readonly string[])[] = [
  ['sequence', '#'],
  ['parallel', '#'],
  ['region', '#'],
  ['choice', 'branches', '#', 'steps', '#'],
  ['choice', 'otherwise', '#'],
  ['multi_choice', '#', 'steps', '#'],
  ['first', 'branches', '#'],
  ['merge', 'branches', '#'],
  ['merge', 'then', '#'],
  ['repeat', 'steps', '#'],
  ['for_each', 'steps', '#'],
  ['race', '#', 'steps', '#'],
  ['workflow', 'steps', '#'],
];

/** Lengths of the prefixes of `path` that end at a step, shortest first. */
function stepEnds(path: DataPath): number[] {
  if (path[0] !== 'steps' || typeof path[1] !== 'number') return [];
  const ends = [2];
  for (let at = 2; ; ) {
    const pattern = CHILD_STEPS.find((parts) => parts.every((part, i) => (part === '#' ? typeof path[at + i] === 'number' : path[at + i] === part)));
    if (!pattern) return ends;
    at += pattern.length;
    ends.push(at);
  }
}

/** `steps[2].parallel[0] (step "draft") field "agnet"`, `field "goal"` or `the workflow`. */
function describe(path: DataPath, data: unknown): { where: string; stepId?: string } {
  const end = stepEnds(path).at(-1);
  if (end === undefined) return { where: path.length > 0 ? `field "${formatPath(path)}"` : 'the workflow' };
  const stepPath = path.slice(0, end);
  const step = valueAt(data, stepPath);
  const id = isRecord(step) && typeof step.id === 'string' && step.id.length > 0 ? step.id : undefined;
  const rest = path.slice(end);
  const where = `${formatPath(stepPath)}${id !== undefined ? ` (step "${id}")` : ''}${rest.length > 0 ? ` field "${formatPath(rest)}"` : ''}`;
  return { where, ...(id !== undefined ? { stepId: id } : {}) };
}

// ---------------------------------------------------------------------------------------------------

interface Context {
  readonly source: string;
  readonly data: unknown;
  readonly lineOf: (path: DataPath) => number | undefined;
  readonly lineOfKey: (path: DataPath) => number | undefined;
  readonly problems: WorkflowProblem[];
}

function report(ctx: Context, kind: WorkflowProblemKind, path: DataPath, what: string, options: { key?: boolean; separator?: string } = {}): void {
  const { where, stepId } = describe(path, ctx.data);
  const line = options.key ? ctx.lineOfKey(path) : ctx.lineOf(path);
  ctx.problems.push({
    kind,
    source: ctx.source,
    path,
    message: `${where}${options.separator ?? ': '}${what}`,
    ...(stepId !== undefined ? { stepId } : {}),
    ...lineField(line),
  });
}

async function parseWorkflowIn(text: string, options: ParseWorkflowOptions, chain: readonly string[]): Promise<Workflow> {
  const source = options.source ?? '<workflow>';
  const read = readDataDocument(text, { ...(options.format !== undefined ? { format: options.format } : {}), source: options.source });
  if (!read.ok) throw syntaxError(source, read);
  const ctx: Context = { source, data: read.data, lineOf: read.lineOf, lineOfKey: read.lineOfKey, problems: [] };

  // 1. Keys and kinds, before zod: its union of fifteen step kinds would only say "Invalid input".
  checkWorkflowKeys(ctx, read.data, []);
  if (ctx.problems.length > 0) throw new WorkflowFileError(source, ctx.problems);

  // 2. The shape.
  const parsed = WorkflowSchema.safeParse(read.data);
  if (!parsed.success) {
    for (const issue of flattenIssues(parsed.error.issues, [], read.data)) {
      const missing = issue.code === 'invalid_type' && / received undefined$/.test(issue.message);
      const what = missing ? `is missing (${issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')})` : issue.message;
      report(ctx, 'schema', issue.path, what, { separator: missing ? ' ' : ': ' });
    }
    throw new WorkflowFileError(source, ctx.problems);
  }

  // 3. The rules: ids, references between steps.
  const workflow = parsed.data;
  checkRules(ctx, workflow, []);
  if (ctx.problems.length > 0) throw new WorkflowFileError(source, ctx.problems);

  // 4. `workflow: <path>` references, loaded in place (zod's output is a fresh copy, ours to change).
  const baseDir = options.baseDir ?? (options.source !== undefined ? dirname(resolve(options.source)) : process.cwd());
  for (const site of referenceSites(workflow.steps, ['steps'])) {
    const file = resolve(baseDir, site.ref);
    if (chain.includes(file)) {
      report(ctx, 'reference-cycle', [...site.path, 'workflow'], `workflow reference cycle: ${[...chain.slice(chain.indexOf(file)), file].join(' → ')}`);
      continue;
    }
    let nested: string;
    try {
      nested = await readFile(file, 'utf8');
    } catch (error) {
      report(ctx, 'reference', [...site.path, 'workflow'], `cannot read the referenced workflow ${file} (${errorReason(error)})`);
      continue;
    }
    // A problem inside the referenced file is that file's error, naming its own lines.
    (site.step as { workflow: string | Workflow }).workflow = await parseWorkflowIn(nested, { source: file }, [...chain, file]);
  }
  if (ctx.problems.length > 0) throw new WorkflowFileError(source, ctx.problems);
  return workflow;
}

// ---------------------------------------------------------------------------------------------------
// 1. Keys and kinds.

function checkKeys(ctx: Context, value: Record<string, unknown>, path: DataPath, known: readonly string[], hint?: (key: string) => string | undefined): void {
  for (const key of Object.keys(value))
    if (!known.includes(key)) report(ctx, 'unknown-key', [...path, key], `unknown key; ${hint?.(key) ?? unknownKeyHint(key, known)}`, { key: true });
}

function checkWorkflowKeys(ctx: Context, value: unknown, path: DataPath): void {
  if (!isRecord(value)) return;
  checkKeys(ctx, value, path, WORKFLOW_KEYS);
  checkSteps(ctx, value.steps, [...path, 'steps']);
}

function checkSteps(ctx: Context, steps: unknown, path: DataPath): void {
  if (Array.isArray(steps)) steps.forEach((step, i) => checkStep(ctx, step, [...path, i]));
}

function checkBranches(ctx: Context, branches: unknown, path: DataPath, known: readonly string[]): void {
  if (!Array.isArray(branches)) return;
  branches.forEach((branch, i) => {
    if (!isRecord(branch)) return;
    checkKeys(ctx, branch, [...path, i], known);
    checkSteps(ctx, branch.steps, [...path, i, 'steps']);
  });
}

const KIND_LIST = `"instructions" (a task), ${KIND_KEYS.slice(1).map((k) => `"${k}"`).join(', ')}`;

function checkStep(ctx: Context, step: unknown, path: DataPath): void {
  if (!isRecord(step)) return;
  const kinds = KIND_KEYS.filter((key) => key in step);
  if (kinds.length === 0) {
    // A misspelt kind key is the likely cause: say which.
    for (const key of Object.keys(step)) {
      if (key === 'id' || key === 'when' || TASK_KEYS.includes(key)) continue;
      const [closest] = closestNames(key, KIND_KEYS, 1);
      if (closest !== undefined) report(ctx, 'unknown-key', [...path, key], `unknown key; did you mean "${closest}"?`, { key: true });
    }
    report(ctx, 'step-kind', path, `has no kind key: a step needs exactly one of ${KIND_LIST}`, { separator: ' ' });
    return;
  }
  if (kinds.length > 1) {
    const names = kinds.map((k) => `"${k}"`);
    const listed = names.length === 2 ? `two kind keys, ${names[0]} and ${names[1]}` : `${names.length} kind keys, ${names.join(', ')}`;
    report(ctx, 'step-kind', [...path, kinds[1]!], `the step has ${listed}: a step is exactly one kind; make them separate steps (or nest one in the other)`, { key: true });
    return;
  }
  const kind = kinds[0]!;
  checkKeys(ctx, step, path, stepKeys(kind), (key) =>
    kind === 'instructions' && (key === 'depends_on' || key === 'dependsOn')
      ? 'did you mean "inputs"? (a workflow task lists the steps whose outputs it reads in "inputs"; order comes from the steps\' structure)'
      : undefined,
  );
  const value = step[kind];
  const at = [...path, kind];
  const spec = SPEC_KEYS[kind];
  if (spec !== undefined && isRecord(value)) checkKeys(ctx, value, at, spec);
  switch (kind) {
    case 'sequence':
    case 'parallel':
    case 'region':
      return checkSteps(ctx, value, at);
    case 'choice':
      if (!isRecord(value)) return;
      checkBranches(ctx, value.branches, [...at, 'branches'], BRANCH_KEYS);
      checkSteps(ctx, value.otherwise, [...at, 'otherwise']);
      if (isRecord(value.decide)) checkKeys(ctx, value.decide, [...at, 'decide'], DECIDE_KEYS);
      return;
    case 'multi_choice':
      return checkBranches(ctx, value, at, BRANCH_KEYS);
    case 'race':
      return checkBranches(ctx, value, at, RACE_BRANCH_KEYS);
    case 'first':
      if (isRecord(value)) checkSteps(ctx, value.branches, [...at, 'branches']);
      return;
    case 'merge':
      if (!isRecord(value)) return;
      checkSteps(ctx, value.branches, [...at, 'branches']);
      checkSteps(ctx, value.then, [...at, 'then']);
      return;
    case 'repeat':
    case 'for_each':
      if (isRecord(value)) checkSteps(ctx, value.steps, [...at, 'steps']);
      return;
    case 'workflow':
      return checkWorkflowKeys(ctx, value, at);
    default:
      return;
  }
}

// ---------------------------------------------------------------------------------------------------
// 2. Zod issues, with unions narrowed to the branch the value was meant for.

interface FlatIssue {
  readonly code: string;
  readonly path: DataPath;
  readonly message: string;
}

function flattenIssues(issues: readonly z.core.$ZodIssue[], prefix: DataPath, data: unknown): FlatIssue[] {
  return issues.flatMap((issue): FlatIssue[] => {
    const path = [...prefix, ...issue.path.filter((part): part is string | number => typeof part !== 'symbol')];
    if (issue.code === 'invalid_union') {
      const branch = unionBranch(issue.errors, valueAt(data, path));
      if (branch !== undefined) return flattenIssues(branch, path, data);
    }
    return [{ code: issue.code, path, message: issueMessage(issue) }];
  });
}

/** The errors of the union branch a value was meant for: a step's by its kind key, else the one branch not refusing the value's type. */
function unionBranch(errors: readonly (readonly z.core.$ZodIssue[])[], value: unknown): readonly z.core.$ZodIssue[] | undefined {
  if (errors.length === KIND_KEYS.length && isRecord(value)) {
    const kinds = KIND_KEYS.filter((key) => key in value);
    if (kinds.length === 1) return errors[KIND_KEYS.indexOf(kinds[0]!)];
  }
  const typed = errors.filter((branch) => !branch.every((issue) => issue.code === 'invalid_type' && issue.path.length === 0));
  return typed.length === 1 ? typed[0] : undefined;
}

// ---------------------------------------------------------------------------------------------------
// 3. The rules.

/** The step arrays a step holds, with their paths (a nested workflow's are its own scope: not here). */
function childSteps(step: Step, path: DataPath): [readonly Step[], DataPath][] {
  if ('sequence' in step) return [[step.sequence, [...path, 'sequence']]];
  if ('parallel' in step) return [[step.parallel, [...path, 'parallel']]];
  if ('region' in step) return [[step.region, [...path, 'region']]];
  if ('choice' in step)
    return [
      ...step.choice.branches.map((b, i): [readonly Step[], DataPath] => [b.steps, [...path, 'choice', 'branches', i, 'steps']]),
      ...(step.choice.otherwise ? [[step.choice.otherwise, [...path, 'choice', 'otherwise']] as [readonly Step[], DataPath]] : []),
    ];
  if ('multi_choice' in step) return step.multi_choice.map((b, i) => [b.steps, [...path, 'multi_choice', i, 'steps']]);
  if ('race' in step) return step.race.map((b, i) => [b.steps, [...path, 'race', i, 'steps']]);
  if ('first' in step) return [[step.first.branches, [...path, 'first', 'branches']]];
  if ('merge' in step)
    return [
      [step.merge.branches, [...path, 'merge', 'branches']],
      [step.merge.then, [...path, 'merge', 'then']],
    ];
  if ('repeat' in step) return [[step.repeat.steps, [...path, 'repeat', 'steps']]];
  if ('for_each' in step) return [[step.for_each.steps, [...path, 'for_each', 'steps']]];
  return [];
}

/** Every step of one workflow scope, with its path, the array it sits in and its index there. */
function* stepsOf(steps: readonly Step[], path: DataPath): Generator<{ step: Step; path: DataPath; siblings: readonly Step[]; index: number }> {
  for (const [index, step] of steps.entries()) {
    const at = [...path, index];
    yield { step, path: at, siblings: steps, index };
    for (const [children, childPath] of childSteps(step, at)) yield* stepsOf(children, childPath);
  }
}

function checkRules(ctx: Context, workflow: Workflow, path: DataPath): void {
  const all = [...stepsOf(workflow.steps, [...path, 'steps'])];
  const ids = new Map<string, DataPath>();
  for (const { step, path: at } of all) {
    if (step.id === undefined) continue;
    const first = ids.get(step.id);
    if (first === undefined) ids.set(step.id, at);
    else {
      const line = ctx.lineOf([...first, 'id']);
      report(ctx, 'duplicate-id', [...at, 'id'], `step id "${step.id}" is already the id of ${formatPath(first)}${line !== undefined ? ` (line ${line})` : ''}; step ids are unique across the workflow`);
    }
  }
  const unknown = (id: string) => {
    const [closest] = closestNames(id, ids.keys(), 1);
    return `no step has id "${id}"${closest !== undefined ? `; did you mean "${closest}"?` : ''}`;
  };
  for (const { step, path: at, siblings, index } of all) {
    if ('instructions' in step)
      step.inputs?.forEach((input, i) => {
        if (!ids.has(input)) report(ctx, 'unknown-step', [...at, 'inputs', i], unknown(input));
      });
    if ('goto' in step) {
      const to = step.goto.to;
      if (!siblings.slice(0, index).some((sibling) => sibling.id === to))
        report(
          ctx,
          ids.has(to) ? 'goto-target' : 'unknown-step',
          [...at, 'goto', 'to'],
          ids.has(to) ? `goto must name an earlier step of the same sequence, and "${to}" (${formatPath(ids.get(to)!)}) is not one` : unknown(to),
        );
    }
    if ('cancel' in step && step.cancel !== 'case' && !ids.has(step.cancel)) report(ctx, 'unknown-step', [...at, 'cancel'], `${unknown(step.cancel)} (or "case", the whole run)`);
    if ('workflow' in step && typeof step.workflow === 'object') checkRules(ctx, step.workflow, [...at, 'workflow']);
  }
}

/** Every `workflow: <path>` step, inline nested workflows included. */
function* referenceSites(steps: readonly Step[], path: DataPath): Generator<{ step: Step; path: DataPath; ref: string }> {
  for (const { step, path: at } of stepsOf(steps, path)) {
    if (!('workflow' in step)) continue;
    if (typeof step.workflow === 'string') yield { step, path: at, ref: step.workflow };
    else yield* referenceSites(step.workflow.steps, [...at, 'workflow', 'steps']);
  }
}

// ---------------------------------------------------------------------------------------------------

async function readSource(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new WorkflowFileError(path, [{ kind: 'unreadable', source: path, message: `cannot read the file (${errorReason(error)})` }], { cause: error });
  }
}

function syntaxError(source: string, read: { problems: readonly { message: string; line?: number }[]; cause?: unknown }): WorkflowFileError {
  return new WorkflowFileError(
    source,
    read.problems.map((problem) => ({ kind: 'syntax', source, ...problem })),
    read.cause !== undefined ? { cause: read.cause } : undefined,
  );
}

function errorReason(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

function lineField(line: number | undefined): { line?: number } {
  return line !== undefined ? { line } : {};
}

function valueAt(data: unknown, path: DataPath): unknown {
  let value = data;
  for (const part of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
