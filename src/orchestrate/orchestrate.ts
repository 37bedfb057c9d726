import { createRuntime, type ManagedRuntime } from '../runtime/runtime.js';
import type { Runtime } from '../runtime/runtime-types.js';
import { metricsOf } from './metrics.js';
import { runtimeSettingsOf, type OrchestrateOptions, type OrchestrateRunOptions } from './options.js';
import { runGoal } from './run-goal.js';
import { resolveRunSettings } from './run-settings.js';
import type { RunResult, StoppedBy } from './types.js';

/**
 * Turns one goal into a finished result: the planner breaks it into a task tree, the scheduler runs
 * the tasks (critical path first) and the strategy coordinates agents on each; a `decomposable` task,
 * or an agent's `delegate` call, becomes a sub-run one level deeper, down to `maxDepth`; the
 * synthesizer merges the results, citing task ids, and `refine` polishes the answer until it converges.
 *
 * Caps (depth, total agents, repeated work) and budgets hold across all levels at once. Reaching one
 * never loops and never cuts silently: it is in `caps` / `stoppedBy` and a `recursion.capped` or
 * `budget.exceeded` event, and what finished is kept. Errors that are not stops (a plan that stays
 * invalid, a bad option) are thrown.
 *
 * Without `options.runtime` a runtime is created from the runtime settings in `options` and closed at
 * the end; with it, the run shares that runtime's slots, rate limits and budgets.
 *
 * @example
 * ```ts
 * import { orchestrate } from 'taskforce-agents';
 *
 * const result = await orchestrate('Compare three e-bike motors for a city commuter', {
 *   model: 'anthropic:claude-haiku-4-5',
 *   strategy: 'consensus',
 *   budgets: { maxCostUsd: 0.5 },
 *   refine: { maxRounds: 3 },
 * });
 * console.log(result.output, result.metrics.costUsd, result.stoppedBy);
 * ```
 */
export async function orchestrate<T = string>(goal: string, options: OrchestrateOptions<T> = {}): Promise<RunResult<T>> {
  const settings = runtimeSettingsOf(options as OrchestrateOptions<unknown>);
  if (!settings) return runOrchestration<T>(options.runtime!, goal, options);
  const owned: ManagedRuntime = await createRuntime({
    ...settings,
    limits: { ...settings.limits, ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}) },
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  try {
    const { onEvent: _subscribed, ...rest } = options;
    return await runOrchestration<T>(owned, goal, rest);
  } finally {
    await owned.close();
  }
}

/** `orchestrate` on a runtime (what `createTaskforce(...).orchestrate()` calls). */
export async function runOrchestration<T = string>(runtime: Runtime, goal: string, options: OrchestrateRunOptions<T> = {}): Promise<RunResult<T>> {
  const unsubscribe = options.onEvent ? runtime.events.on(options.onEvent) : undefined;
  let dispose: (() => void) | undefined;
  try {
    const startedAt = runtime.clock.now();
    const rootRunId = runtime.ids.next('run');
    const resolved = resolveRunSettings(runtime, goal, rootRunId, options as OrchestrateRunOptions<unknown>);
    dispose = resolved.dispose;
    const { settings, final, tree } = resolved;
    const { guard } = settings;
    // The caller's cancel, the runtime closing, and the run budget's deadline all stop the run.
    const signal = AbortSignal.any([runtime.signal, settings.budget.signal, ...(options.signal ? [options.signal] : [])]);
    const outcome = await runGoal(settings, {
      runId: rootRunId,
      goal,
      depth: 0,
      signal,
      ...(tree ? { tree } : {}),
      final,
    });
    if (outcome.failure) throw outcome.failure.error;
    const { node } = outcome;
    const capStop = guard.agentCapReached;
    const stoppedBy: StoppedBy | undefined = node.stoppedBy ?? (capStop ? { kind: 'cap', cap: 'maxAgents', detail: capStop.detail } : undefined);
    return {
      output: (outcome.value ?? node.output) as T | string,
      tree: node,
      metrics: metricsOf(node, { wallTimeMs: runtime.clock.now() - startedAt, agentsSpawned: guard.agentsSpawned }),
      lineage: { rootRunId, runs: outcome.lineage },
      ...(stoppedBy ? { stoppedBy } : {}),
      caps: [...guard.caps],
    };
  } finally {
    dispose?.();
    unsubscribe?.();
  }
}
