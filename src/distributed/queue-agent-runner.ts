import type { AgentRunner, RemoteAgentRequest, RemoteAgentResult } from '../orchestrate/orchestration.js';
import { AbortedError } from '../errors/taskforce-error.js';
import { importOptional } from '../util/import-optional.js';
import { DEFAULT_QUEUE, redisConnection } from './connection.js';
import { connectRedisScripts } from './redis-scripts.js';
import { openSharedBudget } from './shared-budget.js';

/** An agent runner on a BullMQ queue, and how to let go of it. */
export interface QueueAgentRunner extends AgentRunner {
  /** Agent runs waiting for a worker (queue depth). */
  waiting(): Promise<number>;
  close(): Promise<void>;
}

export interface QueueAgentRunnerOptions {
  /** `redis://host:port` */
  readonly redis: string;
  /** Default `taskforce-agents`. */
  readonly queue?: string;
  /** Attempts of a job whose worker failed or died (a stalled job counts too); default 3. */
  readonly attempts?: number;
}

/**
 * Sends each agent run of an `orchestrate` run to a BullMQ queue on Redis, where `taskforce worker`
 * processes (any number, any machine) take them, and waits for the result. BullMQ moves a job whose
 * worker died (its lock expired) back to the queue, and another worker runs it again: in a durable
 * run on a shared store, the model calls it had completed come from the journal. A run's budgets are
 * kept in Redis (`shareBudget`), where the run and every worker reserve each model call, so they hold
 * across all of them.
 *
 * @example
 * ```ts
 * const runner = await queueAgentRunner({ redis: 'redis://127.0.0.1:6379' });
 * const result = await orchestrate(goal, { model, agentRunner: runner, durable: 'redis://127.0.0.1:6379' });
 * await runner.close();
 * ```
 */
export async function queueAgentRunner(options: QueueAgentRunnerOptions): Promise<QueueAgentRunner> {
  const bullmq = await importOptional('bullmq', 'running agents on worker processes', () => import('bullmq'));
  const connection = redisConnection(options.redis);
  const name = options.queue ?? DEFAULT_QUEUE;
  const queue = new bullmq.Queue(name, { connection });
  const events = new bullmq.QueueEvents(name, { connection });
  // Every agent run in flight waits on these (a listener each): hundreds at once are normal, not a leak.
  queue.setMaxListeners(0);
  events.setMaxListeners(0);
  await events.waitUntilReady();
  const scripts = await connectRedisScripts(options.redis, 'budgets shared by workers');
  return {
    shareBudget: (run) => openSharedBudget(scripts, run),
    async run(request: RemoteAgentRequest, signal: AbortSignal): Promise<RemoteAgentResult> {
      if (signal.aborted) throw new AbortedError('the agent run was cancelled before it was queued');
      const job = await queue.add('agent', request, {
        attempts: options.attempts ?? 3,
        backoff: { type: 'fixed', delay: 100 },
        // Kept a while after completion: removed at once, a fast job can be gone before
        // waitUntilFinished looks for it ("Missing key for job"), and the run would fail.
        removeOnComplete: { age: 3600, count: 10_000 },
        removeOnFail: { age: 24 * 3600 },
      });
      const finished = job.waitUntilFinished(events) as Promise<RemoteAgentResult>;
      const cancelled = new Promise<never>((_, reject) => {
        const onAbort = () => reject(new AbortedError(`agent run ${job.id} was cancelled`));
        signal.addEventListener('abort', onAbort, { once: true });
        void finished.finally(() => signal.removeEventListener('abort', onAbort)).catch(() => undefined);
      });
      return Promise.race([finished, cancelled]);
    },
    waiting: () => queue.getWaitingCount(),
    async close() {
      await events.close();
      await queue.close();
      await scripts.close();
    },
  };
}
