import { queueAgentRunner } from '../distributed/queue-agent-runner.js';
import type { OrchestrateRunOptions } from '../orchestrate/options.js';

/**
 * Runs `run` with `options`, its agents on worker processes when `options.redis` names a Redis (and
 * no `agentRunner` was given): a queue runner is opened for the run and closed after it, however it ends.
 */
export async function withQueueRunner<O extends Pick<OrchestrateRunOptions<unknown>, 'redis' | 'queue' | 'agentRunner'>, R>(
  options: O,
  run: (options: O) => Promise<R>,
): Promise<R> {
  if (options.redis === undefined || options.agentRunner) return run(options);
  const runner = await queueAgentRunner({ redis: options.redis, ...(options.queue !== undefined ? { queue: options.queue } : {}) });
  try {
    return await run({ ...options, agentRunner: runner });
  } finally {
    await runner.close();
  }
}
