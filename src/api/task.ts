import type { AgentRunResult, AgentStep } from '../agents/types.js';
import { runAgent, type AgentEnvironment, type RunAgentOptions } from '../agents/loop.js';
import type { EventBus } from '../events/bus.js';
import { linkSignals } from '../util/signals.js';
import { ConfigError } from '../errors/taskforce-error.js';
import type { Model, Usage } from '../model/types.js';
import { RecursionCapError } from '../errors/recursion-errors.js';
import { chainModel } from '../runtime/model-chain.js';
import type { AgentAdmission } from '../runtime/work-scope.js';
import { defaultRuntime } from './default-runtime.js';
import type { Runtime } from '../runtime/runtime-types.js';

/** Options of `Task()`. */
export interface TaskOptions {
  /** The runtime to run in; default the process's default runtime (from `TASKFORCE_MODEL` etc.). */
  readonly runtime?: Runtime;
  readonly signal?: AbortSignal;
  /** Upper bound on model calls (with the agent's `maxTurns`, the smaller applies). */
  readonly maxSteps?: number;
  /** A model for this call only: a `Model`, or a spec / alias resolved like an agent's `model` field. */
  readonly model?: Model | string;
  /** Extra text put before the prompt (e.g. outputs of earlier tasks). */
  readonly context?: string;
}

/** What one `Task()` call produced. */
export interface TaskResult {
  /** The agent's final answer (its last text when it hit the step cap; see `finishReason`). */
  readonly output: string;
  /** Name of the agent that ran. */
  readonly agent: string;
  readonly usage: Usage;
  readonly costUsd: number;
  /** Every model call of the agent's loop with its tool calls; `steps.length` is the number of model calls. */
  readonly steps: readonly AgentStep[];
  /** From the call to the answer, including time spent waiting for a runtime slot. */
  readonly durationMs: number;
  /** `final`, or `max_steps` when the agent hit its step cap without answering. */
  readonly finishReason: 'final' | 'max_steps';
  /** The id on this call's `task.*`, `agent.*` and `tool.*` events. */
  readonly taskId: string;
}

/**
 * Runs one agent type on one job, the way an agent harness delegates to a sub-agent: the agent's
 * loop with its tools, each model call in one of the runtime's concurrency slots, under its budgets
 * and rate limits. Parallel calls on one runtime share all of these. Called while other work runs (from
 * a tool, a strategy, another `Task()`), it is that work's child: one level deeper (refused past
 * `maxDepth`), counted in the same agent cap, charged to the same budget, stopped by the same signal.
 *
 * Without `options.runtime` it uses the process's default runtime, created on first use from the
 * environment (`TASKFORCE_MODEL`, or a bare `ANTHROPIC_API_KEY` / `OPENAI_API_KEY` as in the CLI; see `runtimeConfigFromEnv`).
 *
 * @param description A short label for the job (events, traces).
 * @param prompt What the agent must do, self-contained.
 * @param agentType The agent's name; an unknown name is an `UnknownAgentError` listing the closest names.
 *
 * @example
 * ```ts
 * import { Task } from 'taskforce-agents';
 *
 * // TASKFORCE_MODEL=anthropic:claude-haiku-4-5 (and ANTHROPIC_API_KEY) in the environment
 * const [a, b] = await Promise.all([
 *   Task('review auth', 'Review src/auth.ts for injection bugs: ...', 'reviewer'),
 *   Task('write tests', 'Write vitest tests for parseDate: ...', 'tester'),
 * ]);
 * console.log(a.output, b.costUsd);
 * ```
 */
export function Task(description: string, prompt: string, agentType: string, options: TaskOptions = {}): Promise<TaskResult> {
  const { runtime } = options;
  return runtime ? runTask(runtime, description, prompt, agentType, options) : defaultRuntime().then((own) => runTask(own, description, prompt, agentType, options));
}

/** `Task()` on an explicit runtime (what `createTaskforce(...).task()` calls). */
export function runTask(
  runtime: Runtime,
  description: string,
  prompt: string,
  agentType: string,
  options: Omit<TaskOptions, 'runtime'> = {},
): Promise<TaskResult> {
  try {
    return startTask(runtime, description, prompt, agentType, options);
  } catch (error) {
    // Refused before it started: still a rejection, as from any async call.
    return Promise.reject(error);
  }
}

/** `runTask` up to the agent run, which it starts: all of it synchronous, so nothing of it waits with the run. */
function startTask(runtime: Runtime, description: string, prompt: string, agentType: string, options: Omit<TaskOptions, 'runtime'>): Promise<TaskResult> {
  if (typeof prompt !== 'string' || prompt.trim() === '')
    throw new ConfigError(`Task("${description}", …, "${agentType}"): the prompt must be a non-empty string`);
  const agent = runtime.agents.require(agentType);
  // Called while other work runs (from a tool, a strategy), this call is that work's child: one level
  // deeper, under its caps, budget and signal. Outside any work, it is a top-level call of the runtime.
  const parent = runtime.work.current();
  const depth = parent.depth + 1;
  const taskId = runtime.ids.next('task');
  if (depth > parent.maxDepth) {
    const detail = `Task("${description}", …, "${agentType}") would run at depth ${depth}, past maxDepth ${parent.maxDepth}; not started`;
    runtime.events.emit({ type: 'recursion.capped', taskId, cap: 'maxDepth', detail });
    throw new RecursionCapError({ cap: 'maxDepth', runId: parent.runId, taskId: parent.taskId ?? taskId, depth: parent.depth, agent: agent.name, detail });
  }
  const admission = parent.admitAgent(agent.name, prompt, taskId);
  const link = linkSignals([parent.signal, options.signal]);
  const { signal } = link;
  // Each model call takes a runtime slot (never the whole run), so a Task() nested in a tool never waits
  // for a slot its parent holds; the agent loop tags each request with the task and agent. A top-level
  // call on the agent's own model uses the runtime's chained model (slot + runtime budget) as it is.
  const model =
    options.model === undefined && parent.budget === runtime.budget
      ? runtime.models.forAgent(agent)
      : chainModel(typeof options.model === 'string' ? runtime.models.base.forAgent({ ...agent, model: options.model }) : (options.model ?? runtime.models.base.forAgent(agent)), {
          budget: parent.budget,
          slot: runtime.slot,
          events: runtime.events,
        });
  const startedAt = runtime.clock.now();
  const observed = runtime.events.hasListeners();
  if (observed) {
    runtime.events.emit({ type: 'task.started', taskId, title: description, attempt: 1 });
    runtime.events.emit({ type: 'agent.assigned', taskId, agent: agent.name, reason: 'named by Task()' });
  }
  let running: AgentRunResult | Promise<AgentRunResult>;
  if (admission.kind === 'reuse') running = admission.result;
  else {
    // The runtime is the agent's environment as it is, unless this run has a signal of its own.
    const environment: AgentEnvironment =
      signal === runtime.signal
        ? runtime
        : { models: runtime.models, tools: runtime.tools, toolAccess: runtime.toolAccess, limits: runtime.limits, events: runtime.events, clock: runtime.clock, signal };
    const agentOptions: RunAgentOptions = {
      taskId,
      signal,
      model,
      // Streamed as it is written when someone listens (`answer.delta` events with this task's id).
      onText: observed ? answerDeltas(runtime.events, taskId) : undefined,
      maxSteps: options.maxSteps,
      context: options.context,
    };
    // Only a tool can start a Task() from inside an agent run: without tools, no child needs a scope.
    running =
      runtime.tools.size === 0
        ? runAgent(environment, agent, prompt, agentOptions)
        : runtime.work.run({ depth, maxDepth: parent.maxDepth, budget: parent.budget, signal, runId: parent.runId, taskId, admitAgent: parent.admitAgent }, () =>
            runAgent(environment, agent, prompt, agentOptions),
          );
  }
  return settleTask(runtime, taskId, admission, running, link.release, startedAt, observed);
}

function answerDeltas(events: EventBus, taskId: string): (text: string, draft: number) => void {
  return (text, draft) => events.emit({ type: 'answer.delta', taskId, draft, text });
}

/**
 * Reports how the agent run ended, then lets go of its signal link. Reactions on the run's promise, not
 * an async function: thousands of runs may wait at once, and a suspended async frame holds about twice
 * as much as these two closures.
 */
function settleTask(
  runtime: Runtime,
  taskId: string,
  admission: AgentAdmission,
  running: AgentRunResult | Promise<AgentRunResult>,
  release: () => void,
  startedAt: number,
  observed: boolean,
): Promise<TaskResult> {
  const fail = (error: unknown): never => {
    try {
      throw failed(runtime, taskId, admission, error);
    } finally {
      release();
    }
  };
  return Promise.resolve(running).then((result) => {
    let report: TaskResult;
    try {
      report = completed(runtime, taskId, admission, result, startedAt, observed);
    } catch (error) {
      return fail(error);
    }
    release();
    return report;
  }, fail);
}

/** Releases the run's admission and reports the failure; returns the error to rethrow. */
function failed(runtime: Runtime, taskId: string, admission: AgentAdmission, error: unknown): unknown {
  if (admission.kind === 'run') admission.ticket.release();
  runtime.events.emit({ type: 'task.failed', taskId, error: error instanceof Error ? error.message : String(error), willRetry: false });
  return error;
}

function completed(runtime: Runtime, taskId: string, admission: AgentAdmission, result: AgentRunResult, startedAt: number, observed: boolean): TaskResult {
  if (admission.kind === 'run') admission.ticket.done(result);
  const durationMs = runtime.clock.now() - startedAt;
  if (observed) runtime.events.emit({ type: 'task.completed', taskId, durationMs });
  return {
    output: result.output,
    agent: result.agent,
    usage: result.usage,
    costUsd: result.costUsd,
    steps: result.steps,
    durationMs,
    finishReason: result.finishReason,
    taskId,
  };
}
