import { resolve } from 'node:path';
import pLimit from 'p-limit';
import { STRATEGY_NAMES } from '../../strategies/index.js';
import { errorMessage } from '../errors/error-info.js';
import type { TaskforceEvent } from '../events/types.js';
import { TaskforceError } from '../errors/taskforce-error.js';
import { createModel } from '../model/create-model.js';
import type { ModelEnv } from '../model/spec.js';
import { createTaskforce } from '../api/create-taskforce.js';
import { judgeAnswer } from '../synthesis/judge.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { CaseResult } from './case-result.js';
import { runCheck, type CheckResult, type JudgeFn } from './checks.js';
import { EvalSuiteError } from './errors.js';
import { resolveModelSource, type ModelSource, type Provenance, type ResolvedModelSource } from './model-source.js';
import { summarizeReport, type EvalReport } from './report.js';
import { suiteFromSpec } from './load-suite.js';
import type { CaseSpec, LoadedSuite, ModelSourceInput, SuiteSpec } from './types.js';

/** Every strategy `--strategy all` runs when the suite names none. */
export const ALL_STRATEGIES: readonly string[] = ['direct', ...STRATEGY_NAMES];


export interface RunSuiteOptions {
  /** `all`: every strategy of the suite (or `ALL_STRATEGIES`); a name: that one; absent: each case's own (default `direct`). */
  readonly strategy?: string;
  /** Cases in flight at once; default the suite's `concurrency`, else 4. */
  readonly concurrency?: number;
  /** Replaces every case's and suite's model (e.g. `--model` to run a scripted suite for real). */
  readonly model?: ModelSource;
  /** Used for cases that name no model, when the suite names none either (e.g. from `TASKFORCE_MODEL`). */
  readonly fallbackModel?: ModelSource;
  readonly env?: ModelEnv;
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  /** Called as each case finishes (for progress output). */
  readonly onCase?: (result: CaseResult) => void;
  /** Receives every event of every case's run (e.g. a metrics or tracing listener). */
  readonly onEvent?: (event: TaskforceEvent) => void;
  /** Folder that relative paths of a suite given as a spec (`defineSuite`) resolve against; default the working directory. */
  readonly baseDir?: string;
}

/**
 * Runs every case of a suite (under each strategy asked for), at most `concurrency` at once, each
 * on a runtime of its own, checks each output, and returns the report: pass rate, tokens, cost and
 * latency per case and per strategy. A case whose run throws fails with the error; the suite goes on.
 *
 * @example
 * ```ts
 * const suite = await loadSuite('evals/launch-plan.yaml');
 * const report = await runSuite(suite, { strategy: 'all' });
 * console.log(report.passRate, report.ok);
 *
 * // or a suite declared in code
 * await runSuite(defineSuite({ name: 'smoke', model: { replies: ['Paris'] }, cases: [...] }));
 * ```
 */
export async function runSuite(given: LoadedSuite | SuiteSpec, options: RunSuiteOptions = {}): Promise<EvalReport> {
  // A spec straight from defineSuite() (no `spec`/`baseDir` wrapper) is validated and wrapped here.
  const suite = isLoadedSuite(given) ? given : suiteFromSpec(given, options.baseDir);
  const clock = options.clock ?? systemClock();
  const env = options.env ?? process.env;
  const limit = pLimit(options.concurrency ?? suite.spec.concurrency ?? 4);
  const units = suite.spec.cases.flatMap((spec) => strategiesFor(spec, suite, options.strategy).map((strategy) => ({ spec, strategy })));
  const results = await Promise.all(
    units.map(({ spec, strategy }) =>
      limit(async () => {
        const result = await runCase(spec, strategy, suite, { ...options, clock, env });
        options.onCase?.(result);
        return result;
      }),
    ),
  );
  return summarizeReport(suite, results);
}

function isLoadedSuite(value: LoadedSuite | SuiteSpec): value is LoadedSuite {
  const candidate = value as Partial<LoadedSuite> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.spec === 'object' && typeof candidate.baseDir === 'string';
}

function strategiesFor(spec: CaseSpec, suite: LoadedSuite, asked: string | undefined): string[] {
  if (spec.task) return ['task'];
  if (asked === 'all') return [...(suite.spec.strategies ?? ALL_STRATEGIES)];
  return [asked ?? spec.strategy ?? 'direct'];
}

/** The model source a suite input names, with files relative to the suite's folder. */
export function sourceOf(input: ModelSourceInput, baseDir: string): ModelSource {
  if (typeof input === 'string') return { kind: 'spec', spec: input };
  if ('scripted' in input) return { kind: 'scripted', path: resolve(baseDir, input.scripted) };
  if ('cassette' in input) return { kind: 'cassette', path: resolve(baseDir, input.cassette) };
  return { kind: 'replies', ...input };
}

async function runCase(
  spec: CaseSpec,
  strategy: string,
  suite: LoadedSuite,
  options: RunSuiteOptions & { clock: Clock; env: ModelEnv },
): Promise<CaseResult> {
  const { clock, env } = options;
  const input = spec.goal ?? spec.task!.prompt;
  const base = { case: spec.name, strategy, tokens: 0, costUsd: 0, modelCalls: 0, judgeTokens: 0, judgeCostUsd: 0 };
  // Latency is the run's own: from the call to orchestrate() / Task() until it returns, without the
  // per-case setup (loading the model source and agents), which no user of the system waits for twice.
  let startedAt = clock.now();
  const failed = (error: unknown, extra: Partial<CaseResult> = {}): CaseResult => ({
    ...base,
    ...extra,
    pass: false,
    checks: [],
    output: '',
    latencyMs: clock.now() - startedAt,
    error: { message: errorMessage(error), ...(TaskforceError.isInstance(error) ? { code: error.code } : {}) },
  });

  const sourceInput = options.model ?? (spec.model ?? suite.spec.model ? sourceOf((spec.model ?? suite.spec.model)!, suite.baseDir) : options.fallbackModel);
  if (!sourceInput)
    return failed(new EvalSuiteError(suite.file, `case "${spec.name}": no model: give the case or the suite a "model", or run with --model / TASKFORCE_MODEL`));
  let model: ResolvedModelSource;
  try {
    model = await resolveModelSource(sourceInput, { env, baseDir: suite.baseDir });
  } catch (error) {
    return failed(error);
  }
  const described = { provenance: model.provenance, model: model.label };

  let output: string;
  let spend: { tokens: number; costUsd: number; modelCalls: number };
  const taskforce = await createTaskforce({
    model: model.model,
    ...(model.modelOptions ? { modelOptions: model.modelOptions } : {}),
    seed: spec.seed ?? 1,
    clock,
    ...(spec.maxDepth !== undefined ? { limits: { maxDepth: spec.maxDepth } } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  }).catch((error: unknown) => error as Error);
  if (taskforce instanceof Error) return failed(taskforce, described);
  startedAt = clock.now();
  try {
    if (spec.task) {
      const result = await taskforce.task(spec.task.description ?? spec.name, spec.task.prompt, spec.task.agent);
      output = result.output;
      spend = { tokens: result.usage.inputTokens + result.usage.outputTokens, costUsd: result.costUsd, modelCalls: result.steps.length };
    } else {
      const result = await taskforce.orchestrate(spec.goal!, {
        strategy: strategy as 'direct',
        ...(spec.maxDepth !== undefined ? { maxDepth: spec.maxDepth } : {}),
        ...(spec.refine !== undefined ? { refine: { maxRounds: spec.refine } } : {}),
        ...(spec.budgetUsd !== undefined ? { budgets: { maxCostUsd: spec.budgetUsd } } : {}),
      });
      if (result.stoppedBy) {
        await taskforce.close();
        return failed(new Error(`the run stopped early (${result.stoppedBy.kind}: ${result.stoppedBy.detail})`), {
          ...described,
          tokens: result.metrics.tokens,
          costUsd: result.metrics.costUsd,
          modelCalls: result.metrics.modelCalls,
        });
      }
      output = typeof result.output === 'string' ? result.output : JSON.stringify(result.output);
      spend = { tokens: result.metrics.tokens, costUsd: result.metrics.costUsd, modelCalls: result.metrics.modelCalls };
    }
  } catch (error) {
    await taskforce.close();
    return failed(error, described);
  }
  await taskforce.close();
  const latencyMs = clock.now() - startedAt;

  const judge = judgeFor(spec, suite, options, env);
  const checks: CheckResult[] = [];
  for (const check of spec.checks) checks.push(await runCheck(check, output, { input, caseName: spec.name, strategy }, { judge }));
  return {
    ...base,
    ...described,
    ...spend,
    output,
    latencyMs,
    checks,
    pass: checks.every((c) => c.pass),
    judgeTokens: checks.reduce((n, c) => n + (c.tokens ?? 0), 0),
    judgeCostUsd: checks.reduce((n, c) => n + (c.costUsd ?? 0), 0),
  };
}

/** The judge for a case's `llm-judge` checks: the check's model, else the suite's judge, else the case's model. */
function judgeFor(spec: CaseSpec, suite: LoadedSuite, options: RunSuiteOptions, env: ModelEnv): JudgeFn {
  return async (check, { goal, output }) => {
    const input = check.model ?? suite.spec.judge ?? spec.model ?? suite.spec.model;
    const source = options.model ?? (input !== undefined ? sourceOf(input, suite.baseDir) : options.fallbackModel);
    if (!source)
      throw new EvalSuiteError(
        suite.file,
        `case "${spec.name}": no judge model for llm-judge check${check.name ? ` "${check.name}"` : ''}: give the check, the suite ("judge") or the case a model`,
      );
    const resolved = await resolveModelSource(source, { env, baseDir: suite.baseDir });
    const judge = createModel(resolved.model, { ...resolved.modelOptions, ...(options.clock ? { clock: options.clock } : {}) });
    const { verdict, usage, costUsd } = await judgeAnswer({ judge, goal, rubric: check.rubric, answer: output, ...(options.signal ? { signal: options.signal } : {}) });
    return { pass: verdict.pass, reasons: verdict.reasons, tokens: usage.inputTokens + usage.outputTokens, costUsd };
  };
}
