import { z } from 'zod';
import type { ScriptedReply, ScriptFn } from '../model/scripted.js';

/** Anything with zod's `safeParse`: a zod schema given to a `json-schema` check in a JS/TS suite. */
export interface ZodLike {
  safeParse(value: unknown): { success: boolean; error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** What a custom check function receives. */
export interface CheckContext {
  /** The case's goal, or its Task prompt. */
  readonly input: string;
  readonly caseName: string;
  readonly strategy: string;
}

/** A custom check's verdict: a boolean, or a verdict with a message saying why. */
export type CustomCheckResult = boolean | { readonly pass: boolean; readonly message?: string };
export type CustomCheckFn = (output: string, context: CheckContext) => CustomCheckResult | Promise<CustomCheckResult>;

const isFunction = (v: unknown): v is (...args: never[]) => unknown => typeof v === 'function';

/**
 * Where a case's model replies come from, as written in a suite: a spec string
 * (`anthropic:claude-haiku-4-5`), `{ scripted: FILE }`, `{ replies: [...] }` or `{ cassette: FILE }`.
 * Files are relative to the suite file.
 */
export const ModelSourceInput = z.union([
  z.string().min(1),
  z.object({ scripted: z.string().min(1) }).strict(),
  z
    .object({
      replies: z.union([z.array(z.union([z.string(), z.record(z.string(), z.unknown())])), z.custom<ScriptFn>(isFunction)]),
      latencyMs: z.number().nonnegative().optional(),
      modelId: z.string().optional(),
    })
    .strict(),
  z.object({ cassette: z.string().min(1) }).strict(),
]);
export type ModelSourceInput =
  | string
  | { readonly scripted: string }
  | { readonly replies: readonly ScriptedReply[] | ScriptFn; readonly latencyMs?: number; readonly modelId?: string }
  | { readonly cassette: string };

const named = { name: z.string().min(1).optional() };

/** One check of a case's output. */
export const CheckSpec = z.discriminatedUnion('type', [
  z.object({ type: z.literal('contains'), ...named, value: z.union([z.string(), z.array(z.string()).min(1)]), ignoreCase: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('not-contains'), ...named, value: z.union([z.string(), z.array(z.string()).min(1)]), ignoreCase: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('regex'), ...named, pattern: z.string().min(1), flags: z.string().regex(/^[dgimsuvy]*$/, 'regex flags: any of d g i m s u v y').optional() }).strict(),
  z
    .object({
      type: z.literal('json-schema'),
      ...named,
      /** A JSON Schema object, or (in JS/TS suites) a zod schema. */
      schema: z.union([z.custom<ZodLike>((v) => typeof (v as ZodLike | null)?.safeParse === 'function'), z.record(z.string(), z.unknown())]),
    })
    .strict(),
  z.object({ type: z.literal('custom'), name: z.string().min(1), fn: z.custom<CustomCheckFn>(isFunction, 'must be a function (output, context) => boolean | { pass, message }') }).strict(),
  z
    .object({
      type: z.literal('llm-judge'),
      ...named,
      rubric: z.string().min(1),
      /** The judge's model; default the suite's `judge`, else the case's model. */
      model: ModelSourceInput.optional(),
    })
    .strict(),
]);
export type CheckSpec =
  | { readonly type: 'contains' | 'not-contains'; readonly name?: string; readonly value: string | readonly string[]; readonly ignoreCase?: boolean }
  | { readonly type: 'regex'; readonly name?: string; readonly pattern: string; readonly flags?: string }
  | { readonly type: 'json-schema'; readonly name?: string; readonly schema: ZodLike | Readonly<Record<string, unknown>> }
  | { readonly type: 'custom'; readonly name: string; readonly fn: CustomCheckFn }
  | { readonly type: 'llm-judge'; readonly name?: string; readonly rubric: string; readonly model?: ModelSourceInput };

/** A `Task()` call as an eval case's input. */
export const TaskCallSpec = z.object({ agent: z.string().min(1), prompt: z.string().min(1), description: z.string().optional() }).strict();
export type TaskCallSpec = z.infer<typeof TaskCallSpec>;

/** One case: a goal (orchestrated) or a Task call, the model, and the checks its output must pass. */
export const CaseSpec = z
  .object({
    name: z.string().min(1),
    goal: z.string().min(1).optional(),
    task: TaskCallSpec.optional(),
    model: ModelSourceInput.optional(),
    /** The strategy when the run does not ask for one (`--strategy`); default `direct`. */
    strategy: z.string().min(1).optional(),
    maxDepth: z.number().int().nonnegative().optional(),
    /** Refine rounds on the answer (critique → revise), at most this many. */
    refine: z.number().int().positive().optional(),
    budgetUsd: z.number().positive().optional(),
    seed: z.number().int().optional(),
    checks: z.array(CheckSpec).min(1),
  })
  .strict()
  .refine((c) => (c.goal === undefined) !== (c.task === undefined), { message: 'a case needs exactly one of "goal" or "task"' });
export type CaseSpec = {
  readonly name: string;
  readonly goal?: string;
  readonly task?: TaskCallSpec;
  readonly model?: ModelSourceInput;
  readonly strategy?: string;
  readonly maxDepth?: number;
  readonly refine?: number;
  readonly budgetUsd?: number;
  readonly seed?: number;
  readonly checks: readonly CheckSpec[];
};

/** A suite: cases, defaults for them, and the pass rate it must reach. */
export const SuiteSpec = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    /** Pass rate (0..1) below which `taskforce eval` exits 1; default 1.0. */
    threshold: z.number().min(0).max(1).optional(),
    /** Cases run at once; default 4. */
    concurrency: z.number().int().positive().optional(),
    /** Default model of the cases. */
    model: ModelSourceInput.optional(),
    /** Default model of `llm-judge` checks. */
    judge: ModelSourceInput.optional(),
    /** Strategies `--strategy all` runs; default every built-in one plus `direct`. */
    strategies: z.array(z.string().min(1)).min(1).optional(),
    cases: z.array(CaseSpec).min(1),
  })
  .strict();
export type SuiteSpec = {
  readonly name: string;
  readonly description?: string;
  readonly threshold?: number;
  readonly concurrency?: number;
  readonly model?: ModelSourceInput;
  readonly judge?: ModelSourceInput;
  readonly strategies?: readonly string[];
  readonly cases: readonly CaseSpec[];
};

/** A suite as loaded: the spec, and the folder its relative file paths are resolved against. */
export interface LoadedSuite {
  readonly spec: SuiteSpec;
  readonly file: string;
  readonly baseDir: string;
}

/**
 * Declares a suite in a JS/TS module (`export default defineSuite({...})`): the same shape as a
 * YAML/JSON suite, plus `custom` checks with functions and zod schemas in `json-schema` checks.
 *
 * @example
 * ```ts
 * import { defineSuite } from 'taskforce-agents';
 *
 * export default defineSuite({
 *   name: 'smoke',
 *   model: { replies: ['Paris'] },
 *   cases: [{ name: 'capital', task: { agent: 'researcher', prompt: 'Capital of France?' },
 *             checks: [{ type: 'custom', name: 'short', fn: (out) => out.length < 20 }] }],
 * });
 * ```
 */
export function defineSuite(suite: SuiteSpec): SuiteSpec {
  return suite;
}
