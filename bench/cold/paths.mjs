/**
 * The four paths a workload can take, side by side: raw promises, the bare scheduler (plan building
 * included), `Task()` calls, and `orchestrate()` with the workload as a user plan. Each path has
 * `prepare(deps)` (the input a user would already hold: untimed) and `run(input)` (timed).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTaskTree, runTaskTree } from '../../dist/src/index.js';
import { AGENT, benchTaskforce } from './runtime.mjs';
import { planOf } from './workloads.mjs';

export const PATH_NAMES = ['raw', 'scheduler', 'task', 'orchestrate'];

/** Starts `job(i)` for every task once its dependencies' jobs have settled; resolves when all have. */
export async function promiseGraph(deps, job) {
  const done = new Array(deps.length);
  for (let i = 0; i < deps.length; i++) {
    const list = deps[i];
    done[i] = list.length === 0 ? job(i) : Promise.all(list.map((d) => done[d])).then(() => job(i));
  }
  await Promise.all(done);
}

/** The job of the raw and scheduler paths: nothing, or a timer of `latencyMs`. */
function bareJob(latencyMs) {
  return latencyMs > 0 ? () => sleep(latencyMs) : async () => 'ok';
}

/** Path `name`; `latencyMs` is the model's (or the bare job's) latency, `concurrency` the cap. */
export async function createPath(name, { latencyMs = 0, concurrency = 64 } = {}) {
  const identity = (deps) => deps;
  switch (name) {
    case 'raw':
      return { prepare: identity, run: (deps) => promiseGraph(deps, bareJob(latencyMs)), close: async () => {} };
    case 'scheduler':
      return {
        prepare: planOf,
        run: async (plan) => expectCompleted(await runTaskTree(buildTaskTree(plan), bareJob(latencyMs), { concurrency })),
        close: async () => {},
      };
    case 'task': {
      const tf = await benchTaskforce({ latencyMs, concurrency });
      return { prepare: identity, run: (deps) => promiseGraph(deps, () => tf.task('bench', 'Do the task.', AGENT)), close: () => tf.close() };
    }
    case 'orchestrate': {
      const tf = await benchTaskforce({ latencyMs, concurrency });
      return { prepare: planOf, run: async (plan) => expectFinished(await tf.orchestrate('bench', { plan })), close: () => tf.close() };
    }
    default:
      throw new Error(`bench: unknown path "${name}" (paths: ${PATH_NAMES.join(', ')})`);
  }
}

function expectCompleted(result) {
  if (result.status !== 'completed') throw new Error(`bench: the scheduler run ended ${result.status}`);
}

/** An orchestrate() run that stopped early would measure less work than it claims. */
export function expectFinished(run) {
  if (run.stoppedBy) throw new Error(`bench: orchestrate() stopped early: ${JSON.stringify(run.stoppedBy)}`);
}
