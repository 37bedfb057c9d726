import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BreakerState, TaskforceEvent } from '../events/types.js';

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Labels added to every series (e.g. `{ service: 'research-bot' }`). */
  readonly defaultLabels?: Readonly<Record<string, string>>;
  /** Upper bounds, in seconds, of the task latency histogram's buckets. */
  readonly taskBuckets?: readonly number[];
  /** Upper bounds, in seconds, of the model call latency histogram's buckets. */
  readonly modelCallBuckets?: readonly number[];
}

/** Prometheus metrics fed by a runtime's events. */
export interface TaskforceMetrics {
  /** Give it to `onEvent` (or `events.on`): it updates the metrics from each event (a bus reports, and never rethrows, what a listener throws). */
  readonly listener: (event: TaskforceEvent) => void;
  /** The registry holding the metrics: this object's own, never prom-client's global default. */
  readonly registry: Registry;
  /** The metrics in Prometheus text format (`registry.contentType`). */
  text(): Promise<string>;
}

/** Default task latency buckets: a task is one or more agent runs, seconds to minutes. */
const TASK_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
/** Default model call latency buckets. */
const MODEL_CALL_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Breaker states as numbers, so a gauge can hold them and an alert can compare (`> 0`: not closed). */
export const BREAKER_STATE_VALUE: Readonly<Record<BreakerState, number>> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * Counters, gauges and histograms of runs, tasks, model calls, tokens, cost, retries, breakers, slots
 * and latencies, computed from a runtime's events, in a prom-client `Registry` of their own. The state
 * that pairs events (a task's start with its end) lives in this call, so two metrics objects never
 * share anything.
 *
 * @example
 * ```ts
 * const metrics = createMetrics();
 * const result = await orchestrate('Compare three e-bike motors', { onEvent: metrics.listener });
 * console.log(await metrics.text()); // taskforce_runs_total{level="root",outcome="completed"} 1 ...
 * ```
 */
export function createMetrics(options: MetricsOptions = {}): TaskforceMetrics {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels({ ...options.defaultLabels });
  const registers = [registry];

  const runsStarted = new Counter({ name: 'taskforce_runs_started_total', help: 'Runs started (level: root or sub).', labelNames: ['level'], registers });
  const runs = new Counter({
    name: 'taskforce_runs_total',
    help: 'Runs ended, by level and outcome (completed, stopped early by a budget, cap, failure or cancellation, or failed).',
    labelNames: ['level', 'outcome'],
    registers,
  });
  const runDuration = new Histogram({
    name: 'taskforce_run_duration_seconds',
    help: 'Duration of completed runs on the runtime clock.',
    labelNames: ['level'],
    buckets: [...(options.taskBuckets ?? TASK_BUCKETS)],
    registers,
  });
  const tasks = new Counter({ name: 'taskforce_tasks_total', help: 'Tasks by final status.', labelNames: ['status'], registers });
  const taskRetries = new Counter({ name: 'taskforce_task_retries_total', help: 'Task attempts retried after a failure.', registers });
  const taskDuration = new Histogram({
    name: 'taskforce_task_duration_seconds',
    help: 'Task attempt latency, from task.started to task.completed or task.failed, on the runtime clock.',
    labelNames: ['status'],
    buckets: [...(options.taskBuckets ?? TASK_BUCKETS)],
    registers,
  });
  const modelCalls = new Counter({
    name: 'taskforce_model_calls_total',
    help: 'Model calls by provider, model and outcome (finished or failed).',
    labelNames: ['provider', 'model', 'outcome'],
    registers,
  });
  const modelCallDuration = new Histogram({
    name: 'taskforce_model_call_duration_seconds',
    help: 'Latency of finished model calls.',
    labelNames: ['provider', 'model'],
    buckets: [...(options.modelCallBuckets ?? MODEL_CALL_BUCKETS)],
    registers,
  });
  const tokens = new Counter({
    name: 'taskforce_tokens_total',
    help: 'Tokens of finished model calls by provider, model and type (input, output, cache_read, cache_write).',
    labelNames: ['provider', 'model', 'type'],
    registers,
  });
  const cost = new Counter({ name: 'taskforce_cost_usd_total', help: 'Cost of finished model calls in US dollars.', labelNames: ['provider', 'model'], registers });
  const modelRetries = new Counter({ name: 'taskforce_model_retries_total', help: 'Model call attempts retried.', labelNames: ['provider', 'model'], registers });
  const concurrencyWaits = new Counter({
    name: 'taskforce_model_concurrency_waits_total',
    help: "Model calls that queued for a slot of their endpoint's max concurrency.",
    labelNames: ['provider', 'model'],
    registers,
  });
  const rateLimitWaits = new Counter({
    name: 'taskforce_model_ratelimit_waits_total',
    help: 'Waits for a rate limit (reason: requests or tokens).',
    labelNames: ['provider', 'model', 'reason'],
    registers,
  });
  const breakerState = new Gauge({ name: 'taskforce_breaker_state', help: 'Circuit breaker state per endpoint: 0 closed, 1 half-open, 2 open.', labelNames: ['endpoint'], registers });
  const breakerTransitions = new Counter({
    name: 'taskforce_breaker_transitions_total',
    help: 'Circuit breaker state changes per endpoint and new state.',
    labelNames: ['endpoint', 'to'],
    registers,
  });
  const slotsInUse = new Gauge({
    name: 'taskforce_slots_in_use',
    help: 'Slots taken now, summed over runs (resource: slot for the runtime, scheduler.slot for the schedulers).',
    labelNames: ['resource'],
    registers,
  });
  const slotsCapacity = new Gauge({ name: 'taskforce_slots_capacity', help: 'Slots of a resource (the last capacity reported).', labelNames: ['resource'], registers });

  // Pairing state, per metrics object: when each task attempt started, and each run's level.
  const started = new Map<string, number>();
  const levels = new Map<string, 'root' | 'sub'>();
  // Slots in use per resource and run (each scheduler counts its own), summed into the gauge.
  const inUse = new Map<string, Map<string, number>>();

  const taskKey = (runId: string | undefined, taskId: string) => `${runId ?? ''}\u0000${taskId}`;
  const levelOf = (runId: string | undefined) => (runId !== undefined ? levels.get(runId) : undefined) ?? 'root';
  const endAttempt = (event: { runId?: string; taskId: string; at: number }, status: 'completed' | 'failed' | undefined) => {
    const key = taskKey(event.runId, event.taskId);
    const from = started.get(key);
    started.delete(key);
    if (from !== undefined && status !== undefined) taskDuration.observe({ status }, Math.max(0, event.at - from) / 1000);
  };
  const setSlots = (resource: string, runId: string | undefined, count: number, capacity: number) => {
    const byRun = inUse.get(resource) ?? new Map<string, number>();
    inUse.set(resource, byRun);
    if (count > 0) byRun.set(runId ?? '', count);
    else byRun.delete(runId ?? '');
    let sum = 0;
    for (const n of byRun.values()) sum += n;
    slotsInUse.set({ resource }, sum);
    slotsCapacity.set({ resource }, capacity);
  };

  const listener = (event: TaskforceEvent): void => {
    switch (event.type) {
      case 'run.started': {
        const level = event.depth > 0 ? 'sub' : 'root';
        if (event.runId !== undefined) levels.set(event.runId, level);
        runsStarted.inc({ level });
        return;
      }
      case 'run.completed': {
        const level = levelOf(event.runId);
        runs.inc({ level, outcome: event.stoppedBy ? 'stopped' : 'completed' });
        runDuration.observe({ level }, event.durationMs / 1000);
        if (event.runId !== undefined) levels.delete(event.runId);
        return;
      }
      case 'run.failed':
        runs.inc({ level: levelOf(event.runId), outcome: 'failed' });
        if (event.runId !== undefined) levels.delete(event.runId);
        return;
      case 'task.started':
        started.set(taskKey(event.runId, event.taskId), event.at);
        return;
      case 'task.completed':
        endAttempt(event, 'completed');
        tasks.inc({ status: 'completed' });
        return;
      case 'task.failed':
        endAttempt(event, 'failed');
        if (!event.willRetry) tasks.inc({ status: 'failed' });
        return;
      case 'task.retried':
        taskRetries.inc();
        return;
      case 'task.skipped':
      case 'task.cancelled':
        endAttempt(event, undefined);
        tasks.inc({ status: event.type === 'task.skipped' ? 'skipped' : 'cancelled' });
        return;
      case 'model.call.finished': {
        const labels = { provider: event.provider, model: event.model };
        modelCalls.inc({ ...labels, outcome: 'finished' });
        modelCallDuration.observe(labels, event.durationMs / 1000);
        tokens.inc({ ...labels, type: 'input' }, event.usage.inputTokens);
        tokens.inc({ ...labels, type: 'output' }, event.usage.outputTokens);
        if (event.usage.cacheReadTokens) tokens.inc({ ...labels, type: 'cache_read' }, event.usage.cacheReadTokens);
        if (event.usage.cacheWriteTokens) tokens.inc({ ...labels, type: 'cache_write' }, event.usage.cacheWriteTokens);
        cost.inc(labels, event.costUsd);
        return;
      }
      case 'model.call.failed':
        modelCalls.inc({ provider: event.provider, model: event.model, outcome: 'failed' });
        return;
      case 'model.retry':
        modelRetries.inc({ provider: event.provider, model: event.model });
        return;
      case 'model.concurrency.wait':
        concurrencyWaits.inc({ provider: event.provider, model: event.model });
        return;
      case 'model.ratelimit.wait':
        rateLimitWaits.inc({ provider: event.provider, model: event.model, reason: event.reason });
        return;
      case 'model.breaker':
        breakerState.set({ endpoint: event.endpoint }, BREAKER_STATE_VALUE[event.to]);
        breakerTransitions.inc({ endpoint: event.endpoint, to: event.to });
        return;
      case 'resource.allocated':
      case 'resource.released':
        setSlots(event.resource, event.runId, event.inUse, event.capacity);
        return;
      default:
        return;
    }
  };

  return {
    listener,
    registry,
    text: () => registry.metrics(),
  };
}
