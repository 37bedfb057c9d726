import { startAgentWorker } from '../../distributed/agent-worker.js';
import { DEFAULT_QUEUE } from '../../distributed/connection.js';
import { parsePerWindow } from '../../distributed/per-window.js';
import { sharedRateLimit } from '../../distributed/shared-rate-limit.js';
import { sharedTokenLimit } from '../../distributed/shared-token-limit.js';
import { sharedCallLimit } from '../../distributed/shared-call-limit.js';
import { numberFlag, parseCommandArgs, requirePositionals, stringFlag, stringList, type FlagSpec, type ParsedArgs } from '../args.js';
import { UsageError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { println, type CliIo } from '../io.js';
import { AGENT_SOURCES_HELP } from '../agent-sources-help.js';
import { DB_FLAG, DB_FLAG_HELP, openCliStore } from '../journal.js';
import { MODEL_FLAGS, MODEL_FLAGS_HELP, resolveCliModel } from '../model-flags.js';
import { withTaskforce } from '../session.js';
import { METRICS_PORT_HELP, startCliMetrics } from '../metrics-port.js';
import { registerQueueMetrics } from '../../distributed/queue-metrics.js';

export const WORKER_HELP = `Usage: taskforce worker --redis URL [options]

Takes agent runs from a BullMQ queue on Redis and runs them with this process's model, agents
and tools, until Ctrl-C or SIGTERM (the runs in hand finish first). Runs started with
"taskforce run --redis URL" send their agents here; planning, strategies, synthesis and the
journal stay with the run. In a durable run, the model calls a worker completed are journaled
in the run store (--db, shared with the run), so a job taken over from a worker that died does
not repeat them. Each model call reserves in the run's budgets, kept in Redis for the run and
all its workers.

Options:
  --redis URL         the Redis server (default: TASKFORCE_REDIS_URL)
  --queue NAME        the queue (default ${DEFAULT_QUEUE})
  --concurrency N     agent runs at once in this worker (default 4)
  --lock-ms N         how long a job stays locked to this worker without a renewal; the jobs of
                      a worker that died run again elsewhere after this (default 30000)
  --rate-limit N[/MS] at most N provider requests in any MS ms (default a minute), shared by every
                      worker given the same limit on this Redis
  --token-limit N[/MS]
                      at most N tokens (input + output cap) in the calls let through in any MS ms
                      (default a minute), shared the same way
  --max-in-flight N   at most N model calls in flight at once over all the workers given it
${METRICS_PORT_HELP}
                      (with the queue's depth by state and the number of workers connected)
${MODEL_FLAGS_HELP}
${AGENT_SOURCES_HELP}
${DB_FLAG_HELP}
  -h, --help          show this help

Exit codes: 0 stopped with Ctrl-C or SIGTERM, 2 usage or configuration error.

Example:
  taskforce worker --redis redis://127.0.0.1:6379 --db /shared/taskforce.db --concurrency 8`;

const FLAGS = {
  redis: { type: 'string' },
  queue: { type: 'string' },
  concurrency: { type: 'string' },
  'lock-ms': { type: 'string' },
  'rate-limit': { type: 'string' },
  'token-limit': { type: 'string' },
  'max-in-flight': { type: 'string' },
  'metrics-port': { type: 'string' },
  ...MODEL_FLAGS,
  agents: { type: 'string', multiple: true },
  ...DB_FLAG,
} as const satisfies FlagSpec;

/** `taskforce worker`. */
export async function workerCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(args, FLAGS, WORKER_HELP);
  if (parsed.help) return (println(io.stdout, WORKER_HELP), EXIT.OK);
  requirePositionals(parsed, [], WORKER_HELP);
  const redis = stringFlag(parsed, 'redis') ?? io.env.TASKFORCE_REDIS_URL;
  if (!redis) throw new UsageError('missing --redis URL (or TASKFORCE_REDIS_URL)', WORKER_HELP);
  const concurrency = numberFlag(parsed, 'concurrency', WORKER_HELP, { integer: true, min: 1 }) ?? 4;
  const lockDurationMs = numberFlag(parsed, 'lock-ms', WORKER_HELP, { integer: true, min: 100 });
  const queue = stringFlag(parsed, 'queue') ?? DEFAULT_QUEUE;
  const rate = perWindowFlag(parsed, 'rate-limit', 'requests');
  const tokens = perWindowFlag(parsed, 'token-limit', 'tokens');
  const inFlight = numberFlag(parsed, 'max-in-flight', WORKER_HELP, { integer: true, min: 1 });
  const metricsPort = numberFlag(parsed, 'metrics-port', WORKER_HELP, { integer: true, min: 0, max: 65535 });
  const model = await resolveCliModel('worker', parsed, io, WORKER_HELP);
  const store = await openCliStore(io, parsed);
  const rateLimit = rate ? await sharedRateLimit({ redis, ...rate, key: `taskforce:rate:${queue}` }) : undefined;
  const tokenLimit = tokens ? await sharedTokenLimit({ redis, ...tokens, key: `taskforce:tokens:${queue}` }) : undefined;
  const callLimit = inFlight !== undefined ? await sharedCallLimit({ redis, max: inFlight, key: `taskforce:in-flight:${queue}` }) : undefined;
  try {
    await withTaskforce(io, { model, agentsDirs: stringList(parsed, 'agents'), json: true }, async (taskforce) => {
      const metrics = metricsPort !== undefined ? await startCliMetrics(io, metricsPort) : undefined;
      metrics?.attach(taskforce.runtime.events);
      const queueMetrics = metrics ? await registerQueueMetrics(metrics.registry, { redis, queue }) : undefined;
      const worker = await startAgentWorker({
        redis,
        queue,
        concurrency,
        runtime: taskforce.runtime,
        store,
        ...(lockDurationMs !== undefined ? { lockDurationMs } : {}),
        ...(rateLimit ? { rateLimit } : {}),
        ...(tokenLimit ? { tokenLimit } : {}),
        ...(callLimit ? { callLimit } : {}),
      });
      println(io.stderr, `worker ready: queue ${queue} on ${redis.replace(/\/\/[^@]*@/, '//')}, ${concurrency} at once, pid ${process.pid}`);
      if (!io.interrupt.aborted) await new Promise<void>((resolve) => io.interrupt.addEventListener('abort', () => resolve(), { once: true }));
      println(io.stderr, `worker stopping: finishing the runs in hand (${worker.completed()} done)`);
      await worker.close();
      await queueMetrics?.close();
      await metrics?.close();
    });
  } finally {
    await rateLimit?.close();
    await tokenLimit?.close();
    await callLimit?.close();
    await store.close();
  }
  return EXIT.OK;
}

/** `--rate-limit` / `--token-limit`: N or N/MS, `what` per window of MS ms. */
function perWindowFlag(parsed: ParsedArgs, flag: 'rate-limit' | 'token-limit', what: string) {
  const text = stringFlag(parsed, flag);
  if (text === undefined) return undefined;
  const limit = parsePerWindow(text);
  if (!limit || limit.max < 1 || limit.windowMs < 1) throw new UsageError(`--${flag} takes N or N/MS (${what} per window in ms), got "${text}"`, WORKER_HELP);
  return limit;
}
