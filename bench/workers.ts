/**
 * Workers benchmark (issue 19): agents on worker processes through BullMQ on Redis. The bench starts
 * its own `redis-server` (Debian: `apt-get install -y redis-server`) and measures:
 *
 *   1. the added wall time per task of the queue path: `orchestrate()` of a user plan of 200 independent
 *      tasks (zero-latency scripted model, concurrency 16), in process vs with `agentRunner:
 *      queueAgentRunner(...)` and one in-process `startAgentWorker` (concurrency 16, a runtime of its own
 *      with the same scripted replies); repetitions alternate, reported as (queue − in-process) / N;
 *      and what a run budget shared through Redis adds on the queue path (every model call, the
 *      coordinator's and the worker's, reserves in and settles to the ledger on Redis);
 *   2. throughput with 1, 2 and 3 worker PROCESSES (the built CLI, `taskforce worker --concurrency 4`)
 *      against a loopback OpenAI-compatible provider that answers after 50 ms, the coordinator in this
 *      process (concurrency 48, so the workers are the bottleneck); tasks/s and the scaling vs 1 worker
 *      (targets: 2 workers ≥ 1.8×, 3 workers ≥ 2.6×).
 *
 * (2) needs the built CLI (`npm run build`). It never fails on a number.
 *
 *   npm run bench                                   (all benchmarks)
 *   node --expose-gc --import tsx bench/workers.ts
 *   BENCH_QUICK=1 ...                               (fewer repeats)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { startAgentWorker } from '../src/distributed/agent-worker.js';
import { queueAgentRunner } from '../src/distributed/queue-agent-runner.js';
import { modelFromProvider } from '../src/model/model.js';
import { scriptedModel } from '../src/model/scripted.js';
import type { AgentRunner } from '../src/orchestrate/orchestration.js';
import { orchestrate } from '../src/orchestrate/orchestrate.js';
import type { PlanSpecInput } from '../src/plan/types.js';
import { createRuntime } from '../src/runtime/runtime.js';
import { figure, measureGroup, type Figure } from './users/figure.js';
import { printTable, writeResults } from './users/report.js';
import { ROOT } from './users/spawn.js';
import { pairedDifferences, summarise } from './users/stats.js';
import { BENCH_AGENTS, benchReplies, timedRun } from './support/bench-team.js';
import { startRedisServer, stopProcess } from '../test/support/redis-server.js';

const REPEATS = {
  full: { overheadRuns: 9, throughputRounds: 3, throughputTasks: 240 },
  quick: { overheadRuns: 5, throughputRounds: 1, throughputTasks: 120 },
};
const OVERHEAD_TASKS = 200;
const OVERHEAD_CONCURRENCY = 16;
const LATENCY_MS = 50;
const WORKER_CONCURRENCY = 4;
const COORDINATOR_CONCURRENCY = 48;
const WORKER_COUNTS = [1, 2, 3] as const;
const SCALING_TARGET: Record<number, number> = { 2: 1.8, 3: 2.6 };
const CLI = join(ROOT, 'dist/pkg/cli/main.js');
/** Its own file: `bench/results/latest.json` is the users' benchmark's, rewritten whole on each run. */
export const RESULTS_PATH = join(ROOT, 'bench/results/workers.json');
const REPORTED = 'target: none — reported';

export async function main(): Promise<Figure[]> {
  const quick = process.env.BENCH_QUICK === '1';
  const r = quick ? REPEATS.quick : REPEATS.full;
  const started = performance.now();
  const figures: Figure[] = [];
  const group = (name: string, measure: () => Promise<Figure[]>) => measureGroup(figures, name, measure);
  const redis = await startRedisServer();
  console.log(`node ${process.version}, ${cpus().length} CPUs, redis-server on ${redis.url}${quick ? ', BENCH_QUICK=1' : ''}`);
  try {
    await group('queue path overhead per task', () => measureOverhead(redis.url, r.overheadRuns));
    await group('throughput with 1, 2, 3 worker processes', () => measureThroughput(redis.url, r.throughputRounds, r.throughputTasks));
  } finally {
    await redis.stop();
  }
  const durationS = (performance.now() - started) / 1000;
  console.log(`\nIndependent tasks, maxDepth 0; worker processes at concurrency ${WORKER_CONCURRENCY} against a ${LATENCY_MS} ms loopback provider. ${durationS.toFixed(0)} s.\n`);
  printTable(figures);
  writeResults(RESULTS_PATH, figures, { node: process.version, cpus: cpus().length, quick, repeats: r, durationS, date: new Date().toISOString() });
  console.log(`\nwritten to ${RESULTS_PATH}`);
  return figures;
}

function independentPlan(tasks: number): PlanSpecInput {
  return {
    goal: 'bench',
    tasks: Array.from({ length: tasks }, (_, i) => ({
      id: `t${i}`,
      title: `Part ${i}`,
      instructions: `Work out part ${i} of the report.`,
      capabilities: [i % 2 ? 'research' : 'writing'],
      dependsOn: [],
    })),
  };
}

// ---- 1. the queue path's overhead over the in-process path --------------------------------------

/** A token budget no run reaches: every call still reserves in it (in Redis, on the queue path). */
const UNREACHED_BUDGET = { maxTokens: 1e12 };

/** One scripted run; returns wall ms. */
async function scriptedRun(plan: PlanSpecInput, agentRunner?: AgentRunner, budgets?: typeof UNREACHED_BUDGET): Promise<number> {
  const options = {
    model: modelFromProvider(scriptedModel({ replies: benchReplies('t0') })),
    agents: BENCH_AGENTS,
    builtinAgents: false,
    limits: { maxAgents: 1e9 },
    plan,
    maxDepth: 0,
    concurrency: OVERHEAD_CONCURRENCY,
    ...(agentRunner ? { agentRunner } : {}),
    ...(budgets ? { budgets } : {}),
  };
  return timedRun(options, OVERHEAD_TASKS);
}

async function measureOverhead(redis: string, rounds: number): Promise<Figure[]> {
  const plan = independentPlan(OVERHEAD_TASKS);
  const queue = `bench-overhead-${process.pid}`;
  const runtime = await createRuntime({ model: modelFromProvider(scriptedModel({ replies: benchReplies('t0') })), agents: BENCH_AGENTS, builtinAgents: false, limits: { maxAgents: 1e9 } });
  const worker = await startAgentWorker({ redis, queue, runtime, concurrency: OVERHEAD_CONCURRENCY });
  const runner = await queueAgentRunner({ redis, queue });
  const ms = { local: [] as number[], queue: [] as number[], budgeted: [] as number[] };
  // A queue run that fails is counted and its round run again (up to `rounds` times in all): a failure
  // is a finding to print, not a reason to lose the figure.
  const failures: string[] = [];
  const queueRun = async (budgets?: typeof UNREACHED_BUDGET): Promise<number | undefined> => {
    try {
      return await scriptedRun(plan, runner, budgets);
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
      if (failures.length > rounds) throw new Error(`${failures.length} queue runs failed, the last: ${failures.at(-1)}`);
      return undefined;
    }
  };
  try {
    await scriptedRun(plan); // warm the JIT, and the queue's connections
    await queueRun();
    await queueRun(UNREACHED_BUDGET);
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['local', 'queue', 'budgeted'] as const) : (['budgeted', 'queue', 'local'] as const);
      const took: Partial<Record<(typeof order)[number], number>> = {};
      for (const kind of order) took[kind] = kind === 'local' ? await scriptedRun(plan) : await queueRun(kind === 'budgeted' ? UNREACHED_BUDGET : undefined);
      if (took.queue === undefined || took.budgeted === undefined) {
        round--; // the round again
        continue;
      }
      ms.local.push(took.local!);
      ms.queue.push(took.queue);
      ms.budgeted.push(took.budgeted);
    }
  } finally {
    await runner.close();
    await worker.close();
    await runtime.close();
  }
  const perTask = pairedDifferences(ms.queue, ms.local).map((d) => (d * 1000) / OVERHEAD_TASKS);
  const fromMedians = (((summarise(ms.queue).median - summarise(ms.local).median) * 1000) / OVERHEAD_TASKS).toFixed(0);
  return [
    figure(`${OVERHEAD_TASKS}-task run, in process`, 'ms', ms.local, { note: `${rounds} rounds, order alternating; concurrency ${OVERHEAD_CONCURRENCY}, zero-latency scripted model; ${REPORTED}` }),
    figure(`${OVERHEAD_TASKS}-task run, queue + 1 in-process worker`, 'ms', ms.queue, {
      note:
        `worker concurrency ${OVERHEAD_CONCURRENCY}; ` +
        (failures.length > 0 ? `${failures.length} queue run(s) FAILED and were run again, first: ${failures[0]}; ` : 'no queue run failed; ') +
        REPORTED,
    }),
    figure('added per task, queue path', 'µs', perTask, { note: `(queue − in process) / ${OVERHEAD_TASKS}, paired by round; from the medians: ${fromMedians} µs; ${REPORTED}` }),
    figure('added per task, run budget shared through Redis', 'µs', pairedDifferences(ms.budgeted, ms.queue).map((d) => (d * 1000) / OVERHEAD_TASKS), {
      note: `(queue with budgets − queue) / ${OVERHEAD_TASKS}, paired by round: a reserve and a settle script per model call; ${REPORTED}`,
    }),
  ];
}

// ---- 2. throughput with 1, 2, 3 worker processes --------------------------------------------------

async function measureThroughput(redis: string, rounds: number, tasks: number): Promise<Figure[]> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const provider = await startLatencyProvider(LATENCY_MS);
  const dir = mkdtempSync(join(tmpdir(), 'taskforce-bench-workers-'));
  const processes: WorkerProcess[] = [];
  const killAll = () => {
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  };
  process.once('exit', killAll); // should this process die before `finally`
  try {
    // One pool per worker count, each on its own queue, all started up front: rounds then alternate.
    const queues = new Map<number, string>();
    for (const count of WORKER_COUNTS) {
      const queue = `bench-workers-${process.pid}-${count}`;
      queues.set(count, queue);
      for (let i = 0; i < count; i++) processes.push(startWorker(redis, queue, provider.baseURL(`w${count}_${i}`), dir));
    }
    await Promise.all(processes.map((p) => p.ready));
    const plan = independentPlan(tasks);
    const runners = new Map<number, AgentRunner & { close(): Promise<void> }>();
    for (const [count, queue] of queues) runners.set(count, await queueAgentRunner({ redis, queue }));
    const rate = new Map<number, number[]>(WORKER_COUNTS.map((c) => [c, []]));
    const wallRate = new Map<number, number[]>(WORKER_COUNTS.map((c) => [c, []]));
    try {
      const run = async (count: number) => {
        provider.reset();
        const start = performance.now();
        const result = await orchestrate('bench', {
          model: { provider: 'openai', model: 'gpt-4o-mini', baseURL: provider.baseURL('coordinator'), apiKey: 'test-key' },
          limits: { maxAgents: 1e9 },
          plan,
          maxDepth: 0,
          concurrency: COORDINATOR_CONCURRENCY,
          agentRunner: runners.get(count)!,
        });
        const wallS = (performance.now() - start) / 1000;
        if (result.stoppedBy) throw new Error(`orchestrate() stopped early: ${JSON.stringify(result.stoppedBy)}`);
        if (result.tree.tasks.length !== tasks || result.tree.tasks.some((t) => t.status !== 'completed')) throw new Error('not every task completed');
        const window = provider.workerWindow();
        if (window.requests !== tasks) throw new Error(`the workers sent ${window.requests} model calls for ${tasks} tasks`);
        return { rate: tasks / ((window.lastAnsweredAt - window.firstArrivedAt) / 1000), wallRate: tasks / wallS };
      };
      for (const count of WORKER_COUNTS) await run(count); // warm-up: each pool's first jobs, the coordinator's JIT
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? WORKER_COUNTS : [...WORKER_COUNTS].reverse();
        for (const count of order) {
          const measured = await run(count);
          rate.get(count)!.push(measured.rate);
          wallRate.get(count)!.push(measured.wallRate);
        }
      }
    } finally {
      for (const runner of runners.values()) await runner.close();
    }
    const ceiling = (count: number) => ((count * WORKER_CONCURRENCY * 1000) / LATENCY_MS).toFixed(0);
    const figures: Figure[] = [];
    for (const count of WORKER_COUNTS)
      figures.push(
        figure(`throughput, ${count} worker process${count > 1 ? 'es' : ''}`, 'tasks/s', rate.get(count)!, {
          note:
            `${tasks} independent tasks per run, ${rounds} rounds (order alternating); from the first worker model call's arrival at the provider to its last reply; ` +
            `ceiling ${ceiling(count)} tasks/s (${count}×${WORKER_CONCURRENCY} calls of ${LATENCY_MS} ms at once); whole orchestrate() incl. synthesis: ${summarise(wallRate.get(count)!).median.toFixed(0)} tasks/s; ${REPORTED}`,
        }),
      );
    const one = rate.get(1)!;
    for (const count of WORKER_COUNTS.slice(1)) {
      const ratios = pairedRatios(rate.get(count)!, one);
      const wallRatio = summarise(wallRate.get(count)!).median / summarise(wallRate.get(1)!).median;
      figures.push(
        figure(`scaling, ${count} workers vs 1`, '', ratios, {
          target: { op: '>=', value: SCALING_TARGET[count]! },
          note: `throughput ratio, paired by round; from the medians: ${(summarise(rate.get(count)!).median / summarise(one).median).toFixed(2)}×; whole orchestrate(): ${wallRatio.toFixed(2)}×`,
        }),
      );
    }
    return figures;
  } finally {
    await Promise.all(processes.map((p) => stopProcess(p.child)));
    process.removeListener('exit', killAll);
    await provider.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  return a.slice(0, b.length).map((value, i) => value / b[i]!);
}

interface WorkerProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
}

/** `taskforce worker` from the built CLI, its model the loopback provider, nothing of this shell's model settings. */
function startWorker(redis: string, queue: string, baseURL: string, cwd: string): WorkerProcess {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(TASKFORCE_|ANTHROPIC_|OPENAI_)/.test(key) && key !== 'NODE_OPTIONS') env[key] = value;
  Object.assign(env, { TASKFORCE_DB: ':memory:', OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: baseURL });
  const args = [CLI, 'worker', '--redis', redis, '--queue', queue, '--concurrency', String(WORKER_CONCURRENCY), '--model', 'openai:gpt-4o-mini'];
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (/worker ready/.test(stderr)) resolve();
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`worker on ${queue} exited before it was ready (code ${code}, signal ${signal}):\n${stderr.slice(-2000)}`)));
  });
  ready.catch(() => undefined); // awaited by the caller; not an unhandled rejection meanwhile
  return { child, ready };
}


// ---- a loopback OpenAI-compatible provider with latency -------------------------------------------

interface LatencyProvider {
  /** The base URL a client is given: `/<client>/v1`, so requests are told apart by who sent them. */
  baseURL(client: string): string;
  /** The worker processes' calls (clients `w…`) since the last reset: how many, first arrival, last reply. */
  workerWindow(): { requests: number; firstArrivedAt: number; lastAnsweredAt: number };
  reset(): void;
  close(): Promise<void>;
}

const COMPLETION = { id: 'chatcmpl-bench', created: 0, model: 'gpt-4o-mini' };
const LOOPBACK_USAGE = { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 };

/** Answers every chat request with a short reply after `latencyMs` (like `test/durable/counting-provider.ts`, smaller). */
async function startLatencyProvider(latencyMs: number): Promise<LatencyProvider> {
  let window = { requests: 0, firstArrivedAt: Infinity, lastAnsweredAt: 0 };
  const server = createServer((request, response) => void answer(request, response));
  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const fromWorker = (request.url ?? '').startsWith('/w');
    if (fromWorker) {
      window.requests++;
      window.firstArrivedAt = Math.min(window.firstArrivedAt, performance.now());
    }
    let raw = '';
    for await (const chunk of request) raw += String(chunk);
    const body = JSON.parse(raw) as { stream?: boolean };
    await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const content = 'Done: the part is worked out.';
    const done = () => {
      if (fromWorker) window.lastAnsweredAt = Math.max(window.lastAnsweredAt, performance.now());
    };
    if (!body.stream) {
      response.writeHead(200, { 'content-type': 'application/json' });
      const message = { role: 'assistant', content };
      response.end(JSON.stringify({ ...COMPLETION, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: 'stop' }], usage: LOOPBACK_USAGE }), done);
      return;
    }
    const chunk = (extra: object) => `data: ${JSON.stringify({ ...COMPLETION, object: 'chat.completion.chunk', ...extra })}\n\n`;
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(chunk({ choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null }] }));
    response.write(chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
    response.write(chunk({ choices: [], usage: LOOPBACK_USAGE }));
    response.end('data: [DONE]\n\n', done);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: (client) => `http://127.0.0.1:${port}/${client}/v1`,
    workerWindow: () => ({ ...window }),
    reset: () => (window = { requests: 0, firstArrivedAt: Infinity, lastAnsweredAt: 0 }),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
