import { orchestrate as orchestrateHere } from '../orchestrate/orchestrate.js';
import type { OrchestrateOptions } from '../orchestrate/options.js';
import type { RunResult } from '../orchestrate/types.js';
import type { Workflow } from '../workflow/types.js';
import { withQueueRunner } from './queue-runner.js';

/**
 * One goal (or a workflow) in, one finished result out, done by a team of agents: see the
 * orchestrate layer's `orchestrate` for the whole contract. Here, `options.redis` also sends the
 * run's agents to `taskforce worker` processes (docs/workers.md).
 *
 * @example
 * ```ts
 * import { orchestrate } from 'taskforce-agents';
 *
 * const result = await orchestrate('Compare three e-bike motors', { model: 'openai:gpt-5-mini', redis: 'redis://127.0.0.1:6379', budgets: { maxCostUsd: 1 } });
 * ```
 */
export function orchestrate<T = string>(goalOrWorkflow: string | Workflow, options: OrchestrateOptions<T> = {}): Promise<RunResult<T>> {
  return withQueueRunner(options, (withRunner) => orchestrateHere<T>(goalOrWorkflow, withRunner));
}
