import { orchestrate } from './orchestrate.js';
import type { OrchestrateOptions, OrchestrateRunOptions } from '../orchestrate/options.js';
import type { RunResult } from '../orchestrate/types.js';
import { RunNotFoundError } from '../store/errors.js';
import { openRunStore } from '../store/open-run-store.js';
import type { RunStore } from '../store/run-store.js';

/**
 * Continues durable run `runId` where it stopped (a crash, a cancel, a budget, an approval given):
 * its goal and stored options (strategy, limits, plan...) come from the store, `options` adds what
 * cannot be stored (models, tools, hooks) and may override the rest. Completed tasks are not run again
 * and completed model calls are answered from the journal. `options.durable` names the store (default
 * `TASKFORCE_DB`, else `.taskforce/taskforce.db`).
 *
 * @throws RunNotFoundError when the store has no such run; RunLeasedError when another process holds it.
 *
 * @example
 * ```ts
 * import { resumeRun } from 'taskforce-agents';
 *
 * const result = await resumeRun('run_quiet-owl', { model: 'anthropic:claude-haiku-4-5' });
 * console.log(result.output, result.durable?.replayedCalls);
 * ```
 */
export function resumeRun<T = string>(runId: string, options: OrchestrateOptions<T> = {}): Promise<RunResult<T>> {
  return resumeWith(orchestrate, runId, options);
}

/** `resumeRun` through `run` (`orchestrate`, or a Taskforce's own `orchestrate` on its runtime). */
export async function resumeWith<T, O extends OrchestrateRunOptions<T>>(
  run: (goal: string, options: O) => Promise<RunResult<T>>,
  runId: string,
  options: O,
): Promise<RunResult<T>> {
  const given = options.durable;
  const owned = typeof given === 'object' ? undefined : await openRunStore(typeof given === 'string' ? { path: given } : {});
  const store: RunStore = owned ?? (given as RunStore);
  try {
    const record = await store.getRun(runId);
    if (!record) throw new RunNotFoundError(runId, store.location);
    return await run(record.goal, { ...(record.options as O), ...options, runId, durable: store });
  } finally {
    await owned?.close();
  }
}
