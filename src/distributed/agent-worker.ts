import { runAgent } from '../agents/loop.js';
import { childPath, RunJournal } from '../durable/journal.js';
import { journaledModel } from '../durable/model-journal.js';
import { toolCallJournal } from '../durable/tool-journal.js';
import { createCallLog } from '../runtime/call-log.js';
import type { Runtime } from '../runtime/runtime-types.js';
import { scopedRuntime } from '../orchestrate/scope.js';
import type { RemoteAgentRequest, RemoteAgentResult } from '../orchestrate/orchestration.js';
import type { RunStore } from '../store/run-store.js';
import { importOptional } from '../util/import-optional.js';
import { DEFAULT_QUEUE, redisConnection } from './connection.js';
import type { SharedRateLimit } from './shared-rate-limit.js';

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
  /** A provider rate limit shared with the other workers: awaited before each model call. */
  readonly rateLimit?: SharedRateLimit;
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
 */
export async function startAgentWorker(options: AgentWorkerOptions): Promise<AgentWorker> {
  const bullmq = await importOptional('bullmq', 'running agents on worker processes', () => import('bullmq'));
  const { runtime, store } = options;
  let completed = 0;
  const worker = new bullmq.Worker<RemoteAgentRequest, RemoteAgentResult>(
    options.queue ?? DEFAULT_QUEUE,
    async (job, _token, signal) => {
      const request = job.data;
      // A fresh journal per job: another worker may have journaled calls of this run since.
      const journal = store && request.journalRunId !== undefined ? await RunJournal.open(store, request.journalRunId, runtime.clock) : undefined;
      const result = await runJob(runtime, request, journal, signal ?? runtime.signal, options.rateLimit);
      completed++;
      return result;
    },
    { connection: redisConnection(options.redis), concurrency: options.concurrency ?? 4, lockDuration: options.lockDurationMs ?? 30_000, stalledInterval: Math.max(500, Math.floor((options.lockDurationMs ?? 30_000) / 2)), maxStalledCount: 3 },
  );
  await worker.waitUntilReady();
  return { completed: () => completed, close: () => worker.close() };
}

/** One agent run as a job: the agent, in a scope of the runtime for the task's node, journaled when durable. */
async function runJob(runtime: Runtime, request: RemoteAgentRequest, journal: RunJournal | undefined, signal: AbortSignal, rateLimit?: SharedRateLimit): Promise<RemoteAgentResult> {
  const agent = runtime.agents.require(request.agent);
  const log = createCallLog(`${request.runId}/${request.taskId}`);
  // The journal keys of this agent run: its task and its number there, the same on every worker that runs it.
  const site = `${request.taskId}@${request.agent}#${request.run}`;
  const node = childPath(request.path, site);
  const scope = scopedRuntime(runtime, {
    events: runtime.events.child(request.runId),
    log,
    node: { runId: request.runId, taskId: request.taskId },
    budget: runtime.budget,
    maxDepth: runtime.limits.maxDepth,
    signal,
    ...(rateLimit ? { gate: () => rateLimit.acquire(signal) } : {}),
    ...(journal ? { journal: (model) => journaledModel(model, journal, node) } : {}),
  });
  const toolJournal = journal
    ? toolCallJournal(journal, { path: request.path, taskId: site }, new Map(), { tools: scope.tools, clock: scope.clock, signal, events: scope.events })
    : undefined;
  const result = await runAgent(scope, agent, request.prompt, {
    taskId: request.taskId,
    signal,
    ...(request.system !== undefined ? { system: request.system } : {}),
    ...(toolJournal ? { toolJournal } : {}),
  });
  return { result, calls: log.records };
}
