import { createRuntime, type ManagedRuntime, type RuntimeConfig } from '../runtime/runtime.js';
import type { Runtime } from '../runtime/runtime-types.js';
import { runTask, type TaskOptions, type TaskResult } from './task.js';
import { planGoal, type PlanGoalOptions } from '../plan/planner.js';
import type { TaskTree } from '../plan/types.js';
import { runOrchestration } from '../orchestrate/orchestrate.js';
import { withQueueRunner } from './queue-runner.js';
import { resumeWith } from './resume.js';
import type { OrchestrateRunOptions } from '../orchestrate/options.js';
import type { RunResult } from '../orchestrate/types.js';
import type { Workflow } from '../workflow/types.js';

/** Options of `taskforce.task()`: those of `Task()` without `runtime` (it is bound). */
export type TaskforceTaskOptions = Omit<TaskOptions, 'runtime'>;

/**
 * Taskforce bound to one runtime. Every method shares the runtime's concurrency slots, rate limits,
 * budgets and events.
 */
export interface Taskforce {
  readonly runtime: Runtime;
  /** `Task()` on this runtime. */
  task(description: string, prompt: string, agentType: string, options?: TaskforceTaskOptions): Promise<TaskResult>;
  /** `orchestrate()` on this runtime: only per-run options (the runtime's settings are fixed). */
  orchestrate<T = string>(goal: string | Workflow, options?: OrchestrateRunOptions<T>): Promise<RunResult<T>>;
  /** `resumeRun()` on this runtime: continues a durable run where it stopped. */
  resume<T = string>(runId: string, options?: OrchestrateRunOptions<T>): Promise<RunResult<T>>;
  /** Plans `goal` with the runtime's planner model and agents: the validated, analysed `TaskTree`, nothing run. */
  plan(goal: string, options?: PlanGoalOptions): Promise<TaskTree>;
  /** Closes the runtime: work in flight stops with `AbortedError`, new work is refused. */
  close(reason?: unknown): Promise<void>;
}

/**
 * Creates a runtime from `config` (or wraps one you made) and returns Taskforce bound to it.
 *
 * @example
 * ```ts
 * import { createTaskforce } from 'taskforce-agents';
 *
 * const tf = await createTaskforce({ model: 'openai:gpt-4o-mini', limits: { concurrency: 4 } });
 * const { output } = await tf.task('summarise', 'Summarise this changelog: ...', 'writer');
 * const tree = await tf.plan('Write a migration guide for v2');           // planned, nothing run
 * const run = await tf.orchestrate('Write a migration guide for v2', { plan: tree, maxDepth: 1 });
 * console.log(run.output, run.metrics.costUsd);
 * await tf.close();
 * ```
 */
export async function createTaskforce(config: RuntimeConfig | { readonly runtime: ManagedRuntime }): Promise<Taskforce> {
  const runtime = 'runtime' in config ? config.runtime : await createRuntime(config);
  // Each method is a thin binding of a free function to the runtime, so `.plan()` and
  // `.orchestrate()` join here the same way without this object holding any logic.
  return {
    runtime,
    task: (description, prompt, agentType, options) => runTask(runtime, description, prompt, agentType, options),
    orchestrate: (goal, options = {}) => withQueueRunner(options, (o) => runOrchestration(runtime, goal, o)),
    resume: <T>(runId: string, options: OrchestrateRunOptions<T> = {}) =>
      resumeWith<T, OrchestrateRunOptions<T>>((goal, opts) => withQueueRunner(opts, (o) => runOrchestration<T>(runtime, goal, o)), runId, {
        ...(runtime.runStore ? { durable: runtime.runStore } : {}),
        ...options,
      }),
    plan: (goal, options) => planGoal(goal, { model: runtime.models.planner, agents: runtime.agents.list(), events: runtime.events, signal: runtime.signal }, options),
    close: (reason) => runtime.close(reason),
  };
}
