import { runAgent } from '../agents/loop.js';
import type { AgentDefinition } from '../agents/types.js';
import { childPath, RunJournal } from '../durable/journal.js';
import { journaledModel } from '../durable/model-journal.js';
import { toolCallJournal } from '../durable/tool-journal.js';
import { createCallLog } from '../runtime/call-log.js';
import type { Runtime } from '../runtime/runtime-types.js';
import { scopedRuntime } from '../orchestrate/scope.js';
import type { RemoteAgentRequest, RemoteAgentResult, RemoteStop } from '../orchestrate/orchestration.js';
import { BudgetExceededError } from '../errors/budget-errors.js';
import { AbortedError } from '../errors/taskforce-error.js';
import { createBudgetTracker, type BudgetTracker, type ExternalLedger } from '../runtime/budget.js';
import type { RunStore } from '../store/run-store.js';
import { importOptional } from '../util/import-optional.js';
import { DEFAULT_QUEUE, redisConnection } from './connection.js';
import { connectRedisScripts, type RedisScripts } from './redis-scripts.js';
import { sharedBudgetLedger } from './shared-budget.js';
import type { SharedRateLimit } from './shared-rate-limit.js';
import type { SharedCallLimit } from './shared-call-limit.js';
import type { SharedTokenLimit } from './shared-token-limit.js';

export interface AgentWorkerOptions {
  readonly redis: string;
  readonly queue?: string;
  /** Agent runs at once in this worker; default 4. */
  readonly concurrency?: number;
  /** The runtime whose agents, tools and models run the jobs. */
  readonly runtime: Runtime;
  /** The store durable runs journal in (shared with the coordinator): completed calls come from it. */
  readonly store?: RunStore;
  /** How long a job stays locked without this worker renewing it; a dead worker's jobs run again after it. Default 30 s. */
  readonly lockDurationMs?: number;
  /** A provider rate limit shared with the other workers: each model call takes its place in the window last, just before it goes. */
  readonly rateLimit?: SharedRateLimit;
  /** A provider tokens-per-minute limit shared with the other workers: each model call reserves in it. */
  readonly tokenLimit?: SharedTokenLimit;
  /** A cap on model calls in flight shared with the other workers: each model call holds a place in it. */
  readonly callLimit?: SharedCallLimit;
}

/** A running worker: close it to stop taking jobs (the ones in hand finish first). */
export interface AgentWorker {
  /** Jobs finished so far by this worker. */
  readonly completed: () => number;
  close(): Promise<void>;
}

/**
 * Takes agent runs from the queue and runs them with `runtime`'s agents, tools and models. In a durable
 * run its model and tool calls are journaled in `store` under the task's path, the same keys an
 * in-process run uses, so a job run again after its worker died answers completed calls from the journal.
 * Each model call reserves in the run's shared budget (when the run sent one), `tokenLimit`,
 * `callLimit` and `rateLimit` before it is made; a budget reached or a run stopped ends the job with the stop, which the run
 * takes as its own (the job is not tried again).
 */
export async function startAgentWorker(options: AgentWorkerOptions): Promise<AgentWorker> {
  const bullmq = await importOptional('bullmq', 'running agents on worker processes', () => import('bullmq'));
  const { runtime, store } = options;
  await connectModels(runtime);
  const scripts = await connectRedisScripts(options.redis, 'budgets shared by workers');
  // Reserved in after the run's budget, in this order: a place in flight, then in the rate window,
  // are taken last, once the call may go.
  const limits: ExternalLedger[] = [];
  for (const limit of [options.tokenLimit, options.callLimit, options.rateLimit]) if (limit) limits.push(limit);
  let completed = 0;
  const worker = new bullmq.Worker<RemoteAgentRequest, RemoteAgentResult>(
    options.queue ?? DEFAULT_QUEUE,
    async (job, _token, signal) => {
      const request = job.data;
      // A fresh journal per job: another worker may have journaled calls of this run since.
      const journal = store && request.journalRunId !== undefined ? await RunJournal.open(store, request.journalRunId, runtime.clock) : undefined;
      const result = await runJob(runtime, request, { scripts, limits, signal: signal ?? runtime.signal, ...(journal ? { journal } : {}) });
      completed++;
      return result;
    },
    { connection: redisConnection(options.redis), concurrency: options.concurrency ?? 4, lockDuration: options.lockDurationMs ?? 30_000, stalledInterval: Math.max(500, Math.floor((options.lockDurationMs ?? 30_000) / 2)), maxStalledCount: 3 },
  );
  await worker.waitUntilReady();
  return {
    completed: () => completed,
    async close() {
      await worker.close();
      await scripts.close();
    },
  };
}

/**
 * Loads the SDKs and builds the clients of the models the agents use before the first job: a call let
 * through a shared rate limit then goes out at once, not after an SDK import that lets the calls
 * behind it catch up and reach the provider together.
 */
async function connectModels(runtime: Runtime): Promise<void> {
  const { base } = runtime.models;
  const modelOf = (agent: AgentDefinition) => {
    try {
      return base.forAgent(agent);
    } catch {
      return undefined; // an agent whose model cannot be built fails when it is run, as in process
    }
  };
  const models = new Set([base.worker, ...runtime.agents.list().map(modelOf)]);
  await Promise.all([...models].map((model) => model?.connect?.()));
}

/** Where a job runs: the run's journal, the shared limits, and the job's signal. */
interface JobContext {
  readonly scripts: RedisScripts;
  /** The worker's shared limits, in the order a call reserves in them. */
  readonly limits: readonly ExternalLedger[];
  readonly signal: AbortSignal;
  readonly journal?: RunJournal;
}

/** One agent run as a job: the agent, in a scope of the runtime for the task's node, journaled when durable. */
async function runJob(runtime: Runtime, request: RemoteAgentRequest, context: JobContext): Promise<RemoteAgentResult> {
  const { journal, signal } = context;
  const agent = runtime.agents.require(request.agent);
  const log = createCallLog(`${request.runId}/${request.taskId}`);
  // The journal keys of this agent run: its task and its number there, the same on every worker that runs it.
  const site = `${request.taskId}@${request.agent}#${request.run}`;
  const node = childPath(request.path, site);
  const budget = jobBudget(runtime, request, context);
  const scope = scopedRuntime(runtime, {
    events: runtime.events.child(request.runId),
    log,
    node: { runId: request.runId, taskId: request.taskId },
    budget,
    maxDepth: runtime.limits.maxDepth,
    signal,
    ...(journal ? { journal: (model) => journaledModel(model, journal, node) } : {}),
  });
  const toolJournal = journal
    ? toolCallJournal(journal, { path: request.path, taskId: site }, new Map(), { tools: scope.tools, clock: scope.clock, signal, events: scope.events })
    : undefined;
  try {
    const result = await runAgent(scope, agent, request.prompt, {
      taskId: request.taskId,
      signal,
      ...(request.system !== undefined ? { system: request.system } : {}),
      ...(toolJournal ? { toolJournal } : {}),
    });
    return { result, calls: log.records };
  } catch (error) {
    // The run's budget reached, or the run stopped: the run's stop, reported as data. The job's own
    // signal (this worker shutting down) is not: the job fails and another worker takes it.
    const stop = signal.aborted ? undefined : remoteStop(error);
    if (stop) return { stop, calls: log.records };
    throw error;
  } finally {
    if (budget !== runtime.budget) budget.dispose();
  }
}

/** The job's budget: the runtime's, with the run's shared budget and the worker's shared limits as external ledgers. */
function jobBudget(runtime: Runtime, request: RemoteAgentRequest, context: JobContext): BudgetTracker {
  const external = request.budget ? [sharedBudgetLedger(context.scripts, request.budget.key, request.budget.limits), ...context.limits] : context.limits;
  return external.length > 0 ? createBudgetTracker({}, { clock: runtime.clock, parent: runtime.budget, external }) : runtime.budget;
}

/** `error` as a stop the run takes as its own, if it is one. */
function remoteStop(error: unknown): RemoteStop | undefined {
  if (error instanceof BudgetExceededError)
    return { code: 'BUDGET_EXCEEDED', budget: error.budget, used: error.used, limit: error.limit, ...(error.needed !== undefined ? { needed: error.needed } : {}) };
  if (error instanceof AbortedError) return { code: 'ABORTED', message: error.message };
  return undefined;
}
