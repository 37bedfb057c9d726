/**
 * W2 in one cold process: 10,000 tasks × `latency` ms at concurrency 64 on the system clock, through
 * one path. Raw is 64 loops awaiting timers; the scheduler's tasks await timers; Task() and
 * orchestrate() call the scripted model with that latency. orchestrate() gets no plan: its planner
 * call (answered with the 10,000-task plan) and its synthesis call are in the makespan, so its bound
 * is two calls longer.
 *
 *   node bench/cold/makespan.mjs <raw|scheduler|task|orchestrate> [tasks = 10000] [latency ms = 20]
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { emit, numberArg, timed } from './emit.mjs';
import { createPath, expectFinished } from './paths.mjs';
import { benchReplies, benchTaskforce } from './runtime.mjs';
import { independent, planOf } from './workloads.mjs';

const CONCURRENCY = 64;
const pathName = process.argv[2];
const tasks = numberArg(1, 10_000);
const latencyMs = numberArg(2, 20);

// The planner's reply is the model's output, not the framework's work: written before the clock starts.
const plannerReply = pathName === 'orchestrate' ? plannerReplyFor(tasks) : undefined;
const { ms, value: modelCalls } = await timed(() => run(pathName));
const bound = (tasks * latencyMs) / CONCURRENCY + (modelCalls - tasks) * latencyMs;
emit({ path: pathName, tasks, latencyMs, concurrency: CONCURRENCY, makespanMs: ms, boundMs: bound, efficiency: bound / ms });

/** Runs the path; returns how many calls of `latencyMs` it made (the tasks, plus planner and synthesis). */
async function run(name) {
  if (name === 'raw') {
    await loops(tasks, CONCURRENCY, () => sleep(latencyMs));
  } else if (name === 'orchestrate') {
    await orchestrateWithPlanner();
    return tasks + 2;
  } else {
    const path = await createPath(name, { latencyMs, concurrency: CONCURRENCY });
    await path.run(path.prepare(independent(tasks)));
    await path.close();
  }
  return tasks;
}

/** `workers` loops taking `n` jobs between them: the same work and concurrency, nothing else. */
async function loops(n, workers, job) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      await job();
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
}

/** The planner's answer for `n` independent tasks, as the model would write it. */
function plannerReplyFor(n) {
  const planned = planOf(independent(n)).tasks.map((t) => ({ ...t, capabilities: [], priority: 'medium', effort: 1, decomposable: false }));
  return JSON.stringify({ tasks: planned });
}

async function orchestrateWithPlanner() {
  const tf = await benchTaskforce({ replies: benchReplies(plannerReply), latencyMs, concurrency: CONCURRENCY });
  expectFinished(await tf.orchestrate('bench', { planner: { maxTasks: tasks, maxBreadth: tasks } }));
  await tf.close();
}
