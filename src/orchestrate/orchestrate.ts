import { randomUUID } from 'node:crypto';
import { createRuntime, type ManagedRuntime } from '../runtime/runtime.js';
import type { Runtime } from '../runtime/runtime-types.js';
import { metricsOf } from './metrics.js';
import { runtimeSettingsOf, type OrchestrateOptions, type OrchestrateRunOptions } from './options.js';
import { runGoal } from './run-goal.js';
import { resolveRunSettings } from './run-settings.js';
import { checkBudgets } from '../runtime/budget.js';
import type { SharedRunBudget } from './orchestration.js';
import type { RunResult, StoppedBy } from './types.js';
import type { Workflow } from '../workflow/types.js';
import type { DurableRun } from '../durable/durable-run.js';
import { errorMessage } from '../errors/error-info.js';
import { defineLazy } from '../util/lazy-property.js';
import { compensate } from './compensate.js';
import { openFailures } from './replan.js';
import { openDurableSession, runStatusOf, wantsDurable } from './durable-session.js';

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
export async function orchestrate<T = string>(goalOrWorkflow: string | Workflow, options: OrchestrateOptions<T> = {}): Promise<RunResult<T>> {
  const [goal, withWorkflow] = goalOf(goalOrWorkflow, options);
  options = withWorkflow;
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
export async function runOrchestration<T = string>(runtime: Runtime, goalOrWorkflow: string | Workflow, options: OrchestrateRunOptions<T> = {}): Promise<RunResult<T>> {
  const [goal, withWorkflow] = goalOf(goalOrWorkflow, options);
  options = withWorkflow;
  const unsubscribe = options.onEvent ? runtime.events.on(options.onEvent) : undefined;
  try {
    if (!wantsDurable(options)) return await runOnce<T>(runtime, goal, options.runId ?? runtime.ids.next('run'), options);
    // A new durable run's id must be unique in its store, across processes: not from seeded ids.
    const runId = options.runId ?? `run_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const session = await openDurableSession(runtime, goal, runId, options as OrchestrateRunOptions<unknown>);
    try {
      return await runDurably<T>(runtime, goal, session.run, options);
    } finally {
      await session.close();
    }
  } finally {
    unsubscribe?.();
  }
}

/**
 * One durable run in this process: a run its journal says completed is answered from the journal;
 * any other continues where it stopped. The run record ends with the run's status, spend and counts.
 */
async function runDurably<T>(runtime: Runtime, goal: string, durable: DurableRun, options: OrchestrateRunOptions<T>): Promise<RunResult<T>> {
  const { journal } = durable;
  const finished = journal.entry('run.finished', '', RUN_FINISHED_KEY);
  const retriedSince = finished && journal.all('task.retry').some((entry) => entry.seq > finished.seq);
  if (finished && !retriedSince) {
    await durable.end({ status: 'completed' });
    const stored = finished.data as RunResult<T>;
    const restoredTasks = journal.all('task.completed').length;
    return { ...stored, durable: { runId: durable.runId, store: durable.store.location, resumed: true, restoredTasks, replayedCalls: 0 } };
  }
  if (durable.resumed) runtime.events.child(durable.runId).emit({ type: 'journal.resumed', completedTasks: journal.all('task.completed').length, journaledCalls: journal.all('model.call').length });
  let result: RunResult<T> | undefined;
  try {
    result = await runOnce<T>(runtime, goal, durable.runId, options, durable);
  } catch (error) {
    await durable.end({ status: 'failed', detail: errorMessage(error) });
    throw error;
  }
  const status = runStatusOf(result, false);
  if (status === 'completed') await journal.append('run.finished', '', RUN_FINISHED_KEY, result);
  const tasks = result.tree.tasks;
  await durable.end({
    status,
    costUsd: result.metrics.costUsd,
    tasksCompleted: tasks.filter((t) => t.status === 'completed').length,
    tasksTotal: tasks.length,
    ...(result.stoppedBy ? { detail: result.stoppedBy.detail } : {}),
  });
  return result;
}

/** `orchestrate(workflow)` is `orchestrate(workflow.goal, { workflow })`. */
function goalOf<O extends OrchestrateRunOptions<unknown>>(goal: string | Workflow, options: O): [string, O] {
  return typeof goal === 'string' ? [goal, options] : [goal?.goal, { ...options, workflow: goal }];
}

/** The journal key of a run's final result. */
const RUN_FINISHED_KEY = 'result';

/** One run of the goal in this process, journaled when `durable` is given. */
async function runOnce<T>(runtime: Runtime, goal: string, rootRunId: string, options: OrchestrateRunOptions<T>, durable?: DurableRun): Promise<RunResult<T>> {
  let dispose: (() => void) | undefined;
  const shared = await shareBudget(rootRunId, options, durable);
  try {
    const startedAt = runtime.clock.now();
    const resolved = resolveRunSettings(runtime, goal, rootRunId, options as OrchestrateRunOptions<unknown>, durable?.journal, shared);
    dispose = resolved.dispose;
    const { settings, final, tree, workflow } = resolved;
    const { guard } = settings;
    // The caller's cancel, the runtime closing, and the run budget's deadline all stop the run.
    const signal = AbortSignal.any([runtime.signal, settings.budget.signal, ...(options.signal ? [options.signal] : [])]);
    // ...and the agent runs in flight on workers, at their next model call.
    if (shared) signal.addEventListener('abort', () => void shared.stop(errorMessage(signal.reason)).catch(() => undefined), { once: true });
    const outcome = await runGoal(settings, {
      runId: rootRunId,
      path: '',
      goal,
      depth: 0,
      signal,
      ...(tree ? { tree } : {}),
      ...(workflow ? { workflow } : {}),
      final,
    });
    const root = { runId: rootRunId, goal, events: runtime.events.child(rootRunId) };
    const { node } = outcome;
    const failed = outcome.failure !== undefined || node.stoppedBy?.kind === 'failure' || openFailures(node).length > 0;
    const compensations = failed || node.stoppedBy?.kind === 'cancelled' ? await compensate(settings, root) : [];
    if (outcome.failure) throw outcome.failure.error;
    const capStop = guard.agentCapReached;
    const stoppedBy: StoppedBy | undefined = node.stoppedBy ?? (capStop ? { kind: 'cap', cap: 'maxAgents', detail: capStop.detail } : undefined);
    const result: Omit<RunResult<T>, 'lineage'> = {
      output: (outcome.value ?? node.output) as T | string,
      tree: node,
      metrics: metricsOf(node, { wallTimeMs: runtime.clock.now() - startedAt, agentsSpawned: guard.agentsSpawned }),
      ...(stoppedBy ? { stoppedBy } : {}),
      caps: [...guard.caps],
      ...(compensations.length > 0 ? { compensations } : {}),
      ...(durable
        ? {
            durable: {
              runId: durable.runId,
              store: durable.store.location,
              resumed: durable.resumed,
              restoredTasks: settings.completions.filter((c) => c.restored).length,
              replayedCalls: durable.journal.replayedCalls,
            },
          }
        : {}),
    };
    // Built when first read (see lineageOf in run-goal.ts).
    return defineLazy(result, 'lineage', () => ({ rootRunId, runs: outcome.lineage() }));
  } finally {
    dispose?.();
    await shared?.stop('the run ended').catch(() => undefined);
  }
}

/** The run's budgets in the agent runner's shared ledger, when it has one and the run has budgets. */
async function shareBudget(rootRunId: string, options: OrchestrateRunOptions<unknown>, durable: DurableRun | undefined): Promise<SharedRunBudget | undefined> {
  if (!options.budgets || !options.agentRunner?.shareBudget) return undefined;
  const limits = checkBudgets(options.budgets, 'orchestrate: budgets');
  return options.agentRunner.shareBudget({ runId: durable?.runId ?? rootRunId, limits, durable: durable !== undefined, resumed: durable?.resumed ?? false });
}
