import type { z } from 'zod';
import type { TaskforceEvent } from '../events/types.js';
import { ConfigError } from '../errors/taskforce-error.js';
import type { PlanSpecInput, TaskTree } from '../plan/types.js';
import { buildTaskTree } from '../plan/tree.js';
import { createStrategy, STRATEGY_NAMES, type StrategyConfig, type StrategyName } from '../../strategies/index.js';
import { UnknownStrategyError } from '../../strategies/errors.js';
import type { Budgets } from '../runtime/budget.js';
import { WorkflowSchema, type Workflow } from '../workflow/types.js';
import type { RunStore } from '../store/run-store.js';
import type { RuntimeConfig } from '../runtime/runtime.js';
import type { Runtime } from '../runtime/runtime-types.js';
import type { FailurePolicy, RetryPolicy } from '../scheduler/types.js';
import type { Strategy } from '../../strategies/strategy.js';
import { direct } from '../../strategies/direct.js';
import type { AgentRunner, PlannerSettings } from './orchestration.js';
import type { SchemaInput } from '../model/schema-adapter.js';
import { checkRefineOptions, type RefineOptions } from './refine.js';
import { checkReplanOptions, type ReplanOptions } from './replan.js';

/**
 * Settings of the runtime `orchestrate` creates when it is not given one. They describe the
 * environment work runs in (models, agents, tools, limits, reproducibility), shared by every run on a
 * runtime; with `runtime` set they must be left out (set them on the runtime instead).
 */
export type OrchestrateRuntimeSettings = Pick<
  RuntimeConfig,
  'model' | 'models' | 'modelOptions' | 'agents' | 'agentsDir' | 'strictAgents' | 'builtinAgents' | 'tools' | 'mcpServers' | 'toolGrants' | 'approveToolCall' | 'limits' | 'seed' | 'clock' | 'random' | 'ids' | 'store' | 'storePath' | 'runStore'
>;

const RUNTIME_KEYS = ['model', 'models', 'modelOptions', 'agents', 'agentsDir', 'strictAgents', 'builtinAgents', 'tools', 'mcpServers', 'toolGrants', 'approveToolCall', 'limits', 'seed', 'clock', 'random', 'ids', 'store', 'storePath', 'runStore'] as const;

/** Options of one run. Everything is optional. */
export interface OrchestrateRunOptions<T = string> {
  /** How agents are coordinated on each task: a name, a name with options, or a `Strategy`. Default `'direct'` (the best-matched agent). */
  readonly strategy?: 'direct' | StrategyName | StrategyConfig | Strategy;
  /** Deepest sub-run level (0 = no sub-runs). Default the runtime's `limits.maxDepth` (3), which it may not exceed. */
  readonly maxDepth?: number;
  /** Budgets of this run, across all its levels, on top of any the runtime has. */
  readonly budgets?: Budgets;
  /** Receives every event of the runtime while this run is in flight. */
  readonly onEvent?: (event: TaskforceEvent) => void;
  /** Cancels the run; what finished is kept and `stoppedBy` says `cancelled`. */
  readonly signal?: AbortSignal;
  /** A plan to run instead of asking the planner: a `TaskTree`, or a plan object (validated here). */
  readonly plan?: TaskTree | PlanSpecInput;
  /**
   * A workflow to run instead of a plan: steps with control flow (parallel, choice, loops, for_each,
   * regions, races, sub-workflows), validated here; load one from a file with `loadWorkflowFile`.
   * Its tasks run through the strategy like a plan's. See docs/workflows.md.
   */
  readonly workflow?: Workflow;
  /** The final answer is a JSON value matching this schema: zod 4, zod 3 or Standard Schema (synthesis re-asks until it does). */
  readonly outputSchema?: SchemaInput<T>;
  /** Criteria a judge checks the final answer against. */
  readonly rubric?: string;
  /** Throw `SynthesisError` when no synthesis attempt passes its checks, instead of returning the best one. */
  readonly strict?: boolean;
  /** Critique → revise rounds on the final (text) answer until it converges. */
  readonly refine?: RefineOptions;
  /** `fail-fast` (default) or `continue`, at every level. */
  readonly failurePolicy?: FailurePolicy;
  /** Tasks in flight at once per run level. Default the runtime's `limits.concurrency`. */
  readonly concurrency?: number;
  /** Retries of failed tasks (budget errors and cancellation are never retried). */
  readonly retry?: RetryPolicy;
  /** Planner limits and re-asks, for every level. */
  readonly planner?: PlannerSettings;
  /**
   * Re-planning, at every level (off by default): when a task fails for good (its retries used up;
   * not a budget stop, a cancellation or a rejected approval), the planner is asked to replace it and
   * every task that depends on it, given the completed tasks' outputs; the level then runs the new
   * tasks (completed ones are not run again). `maxReplans` (an integer ≥ 1) bounds the re-plans per
   * level. Recorded as `RunNode.replans` and `plan.replanned` events.
   */
  readonly replan?: ReplanOptions;
  /**
   * Awaited before each model call of this run, at every level: pacing of your own, or a reader's
   * backpressure (`orchestrateStream` waits here while its reader lags).
   */
  readonly beforeModelCall?: () => Promise<void>;
  /** Synthesis attempts and output tokens, for every level. */
  readonly synthesis?: { readonly maxAttempts?: number; readonly maxTokens?: number };
  /**
   * Journal the run so that it survives a crash: `true` for the default store (`TASKFORCE_DB`, else
   * `.taskforce/taskforce.db`), a database path, or a `RunStore`. Resume with the same `runId`.
   */
  readonly durable?: boolean | string | RunStore;
  /**
   * The run's id. In a durable run, an id already in the store resumes that run: completed tasks are
   * not run again and completed model calls are answered from the journal. Setting it makes the run
   * durable unless `durable` is `false`. Default: a new id.
   */
  readonly runId?: string;
  /**
   * Plain JSON kept in a new durable run's record as `options.metadata`, for the caller's own use when it
   * resumes the run (the CLI keeps its flags there: model source, agent folders, seed...). Ignored by the
   * run itself, and by a resume (the record keeps what the run that created it stored).
   */
  readonly journalMetadata?: Readonly<Record<string, unknown>>;
  /**
   * Runs the agents of this run's tasks elsewhere, e.g. a `queueAgentRunner` on worker processes
   * (docs/workers.md). Planning, strategies, synthesis and the journal stay in this process.
   */
  readonly agentRunner?: AgentRunner;
  /**
   * A Redis URL (`redis://host:port`): the run's agents go to `taskforce worker` processes through a
   * BullMQ queue on it, as with `agentRunner: await queueAgentRunner({ redis, queue })`, opened for the
   * run and closed after it. Not stored with a durable run (it may hold credentials): give it again to
   * resume. Ignored when `agentRunner` is given.
   */
  readonly redis?: string;
  /** The queue's name, with `redis`; default `taskforce-agents`. */
  readonly queue?: string;
}

/** Options of `orchestrate`: one run's options, plus a runtime to reuse or the settings of a new one. */
export interface OrchestrateOptions<T = string> extends OrchestrateRunOptions<T>, OrchestrateRuntimeSettings {
  /** Reuse this runtime (its models, agents, slots, rate limits and budgets). Otherwise one is created and closed at the end. */
  readonly runtime?: Runtime;
}

/** Splits options: throws `ConfigError` when a runtime is given together with settings that belong to a runtime. */
export function runtimeSettingsOf(options: OrchestrateOptions<unknown>): OrchestrateRuntimeSettings | undefined {
  const given = RUNTIME_KEYS.filter((key) => options[key] !== undefined);
  if (options.runtime) {
    if (given.length > 0)
      throw new ConfigError(
        `orchestrate: ${given.map((k) => `"${k}"`).join(', ')} configure a runtime, but "runtime" was given; ` +
          'set them when creating the runtime, or leave out "runtime"',
      );
    return undefined;
  }
  return Object.fromEntries(given.map((key) => [key, options[key]])) as OrchestrateRuntimeSettings;
}

/** The strategy for a name, config or object; `'direct'` (and nothing) is the default single-agent coordination. */
export function resolveStrategy(spec: OrchestrateRunOptions['strategy']): Strategy {
  if (spec === undefined || spec === 'direct') return direct();
  if (typeof spec === 'string' && !(STRATEGY_NAMES as readonly string[]).includes(spec))
    throw new UnknownStrategyError(spec, ['direct', ...STRATEGY_NAMES]);
  return createStrategy(spec);
}

/** Checks the run options that need the runtime; returns the depth cap and the user plan as a tree. */
export function checkRunOptions(
  goal: string,
  options: OrchestrateRunOptions<unknown>,
  runtime: Runtime,
): { readonly maxDepth: number; readonly tree?: TaskTree; readonly workflow?: Workflow; readonly concurrency: number } {
  if (typeof goal !== 'string' || goal.trim() === '') throw new ConfigError('orchestrate: the goal must be a non-empty string');
  const cap = runtime.limits.maxDepth;
  const maxDepth = options.maxDepth ?? cap;
  if (!Number.isInteger(maxDepth) || maxDepth < 0) throw new ConfigError(`orchestrate: maxDepth must be a non-negative integer, got ${String(maxDepth)}`);
  if (maxDepth > cap)
    throw new ConfigError(`orchestrate: maxDepth ${maxDepth} is above the runtime's limits.maxDepth ${cap}, which is a hard cap; raise the runtime's limit`);
  const concurrency = options.concurrency ?? runtime.limits.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new ConfigError(`orchestrate: concurrency must be a positive integer, got ${String(concurrency)}`);
  if (options.refine && options.outputSchema)
    throw new ConfigError('orchestrate: "refine" revises a text answer and cannot be combined with "outputSchema"; leave one out');
  if (options.refine !== undefined) checkRefineOptions(options.refine);
  if (options.replan !== undefined) checkReplanOptions(options.replan);
  if (options.plan !== undefined && options.workflow !== undefined)
    throw new ConfigError('orchestrate: give a "plan" or a "workflow", not both');
  const tree = options.plan === undefined ? undefined : userPlan(options.plan, runtime);
  const workflow = options.workflow === undefined ? undefined : checkedWorkflow(options.workflow);
  return { maxDepth, concurrency, ...(tree ? { tree } : {}), ...(workflow ? { workflow } : {}) };
}

/** A workflow object checked like a file (its sub-workflow references must already be loaded). */
function checkedWorkflow(workflow: Workflow): Workflow {
  const parsed = WorkflowSchema.safeParse(workflow);
  if (!parsed.success)
    throw new ConfigError(`orchestrate: the workflow is invalid: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function userPlan(plan: TaskTree | PlanSpecInput, runtime: Runtime): TaskTree {
  const agents = runtime.agents.list().map((a) => a.name);
  const tree = 'analysis' in plan ? plan : buildTaskTree(plan, { knownAgents: agents });
  for (const task of tree.tasks) {
    if (task.agent !== undefined && !runtime.agents.has(task.agent))
      throw new ConfigError(`orchestrate: plan task "${task.id}" is pinned to agent "${task.agent}", which the runtime does not have (agents: ${agents.join(', ')})`);
    checkCompensation(task, runtime, agents);
  }
  return tree;
}

/** A compensation must name a tool or agent the runtime has: found out now, not when the run has already failed. */
function checkCompensation(task: TaskTree['tasks'][number], runtime: Runtime, agents: readonly string[]): void {
  const action = task.compensate;
  if (!action) return;
  if ('tool' in action && !runtime.tools.has(action.tool))
    throw new ConfigError(`orchestrate: plan task "${task.id}" compensates with tool "${action.tool}", which the runtime does not have (tools: ${[...runtime.tools.keys()].join(', ') || 'none'})`);
  if ('agent' in action && !runtime.agents.has(action.agent))
    throw new ConfigError(`orchestrate: plan task "${task.id}" compensates with agent "${action.agent}", which the runtime does not have (agents: ${agents.join(', ')})`);
}
