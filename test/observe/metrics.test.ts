import { afterEach, describe, expect, it } from 'vitest';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { createMetrics } from '../../src/observe/metrics.js';
import { serveMetrics, type MetricsServer } from '../../src/observe/metrics-server.js';
import type { Clock } from '../../src/util/clock.js';
import { scripted } from '../orchestrate/helpers.js';
import type { Script } from '../orchestrate/script.js';

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A two-task plan whose workers each take 250 ms on a clock that only moves when they work. */
function timedRun() {
  let now = 0;
  const clock: Clock = { now: () => now, sleep: () => Promise.reject(new Error('this run should not sleep')) };
  const script: Script = {
    plans: { bikes: [{ id: 'a' }, { id: 'b', dependsOn: ['a'] }] },
    work: ({ agent, title }) => {
      now += 250;
      return `${agent} did ${title}.`;
    },
  };
  const { provider, options } = scripted(script, { clock });
  // The scripted provider as a spec, so the runtime builds the model with createModel and its events.
  return { ...options, model: { provider } };
}

/** The value of the one series `name{labels}` in a Prometheus text exposition. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (line === undefined) throw new Error(`no series ${series} in:\n${text}`);
  return Number(line.slice(series.length + 1));
}

describe('metrics from a run', () => {
  it('counts a real run, its tasks, model calls, tokens and latencies, and serves them over loopback', async () => {
    const metrics = createMetrics();
    const options = timedRun();
    const result = await orchestrate('Write about bikes', { ...options, onEvent: metrics.listener });
    expect(result.stoppedBy).toBeUndefined();

    const server = await serveMetrics(metrics, { port: 0 });
    servers.push(server);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(metrics.registry.contentType);
    const text = await response.text();

    expect(text).toContain('# TYPE taskforce_runs_total counter');
    expect(text).toContain('# TYPE taskforce_task_duration_seconds histogram');
    expect(sample(text, 'taskforce_runs_started_total{level="root"}')).toBe(1);
    expect(sample(text, 'taskforce_runs_total{level="root",outcome="completed"}')).toBe(1);
    expect(sample(text, 'taskforce_tasks_total{status="completed"}')).toBe(result.metrics.tasks.completed);
    expect(result.metrics.tasks.completed).toBe(2);

    // Model calls and tokens, summed over providers and models, equal the run's own metrics.
    const sum = (pattern: RegExp) =>
      text
        .split('\n')
        .filter((l) => pattern.test(l))
        .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
    expect(sum(/^taskforce_model_calls_total\{.*outcome="finished"\}/)).toBe(result.metrics.modelCalls);
    expect(sum(/^taskforce_model_calls_total\{.*outcome="failed"\}/)).toBe(0);
    expect(sum(/^taskforce_tokens_total\{.*type="input"\}/)).toBe(result.metrics.usage.inputTokens);
    expect(sum(/^taskforce_tokens_total\{.*type="output"\}/)).toBe(result.metrics.usage.outputTokens);
    expect(sum(/^taskforce_cost_usd_total\{/)).toBeCloseTo(result.metrics.costUsd, 10);
    expect(text).toMatch(/^taskforce_model_calls_total\{provider="[^"]+",model="[^"]+",outcome="finished"\} \d+$/m);

    // Each task took 250 ms of the run's clock: both in the 0.5 s bucket, none in the 0.1 s one.
    expect(sample(text, 'taskforce_task_duration_seconds_bucket{le="0.1",status="completed"}')).toBe(0);
    expect(sample(text, 'taskforce_task_duration_seconds_bucket{le="0.5",status="completed"}')).toBe(2);
    expect(sample(text, 'taskforce_task_duration_seconds_count{status="completed"}')).toBe(2);
    expect(sample(text, 'taskforce_task_duration_seconds_sum{status="completed"}')).toBe(0.5);
    // Slots are all given back once the run is over.
    expect(sample(text, 'taskforce_slots_in_use{resource="scheduler.slot"}')).toBe(0);
  });

  it('answers 404 off /metrics and refuses a port out of range', async () => {
    const server = await serveMetrics(createMetrics(), { port: 0 });
    servers.push(server);
    const other = await fetch(server.url.replace('/metrics', '/'));
    expect(other.status).toBe(404);
    await other.text();
    await expect(serveMetrics(createMetrics(), { port: 70000 })).rejects.toThrow(/metrics port must be an integer from 0 to 65535, got 70000/);
    const port = Number(new URL(server.url).port);
    await expect(serveMetrics(createMetrics(), { port })).rejects.toMatchObject({ code: 'CONFIG_ERROR' });
  });

  it('keeps each metrics object apart: its own registry, nothing in the global one', async () => {
    const { register } = await import('prom-client');
    const first = createMetrics();
    const second = createMetrics();
    first.listener({ type: 'run.started', at: 0, runId: 'r1', goal: 'g', depth: 0 });
    expect(await first.text()).toMatch(/^taskforce_runs_started_total\{level="root"\} 1$/m);
    expect(await second.text()).not.toMatch(/^taskforce_runs_started_total\{/m);
    expect(register.getSingleMetric('taskforce_runs_started_total')).toBeUndefined();
  });

  it('tracks breaker state per endpoint, retries and failed calls', async () => {
    const metrics = createMetrics();
    const at = 0;
    metrics.listener({ type: 'model.breaker', at, endpoint: 'openai:gpt-5-mini', from: 'closed', to: 'open' });
    metrics.listener({ type: 'model.breaker', at, endpoint: 'anthropic:claude-haiku-4-5', from: 'open', to: 'half-open' });
    metrics.listener({ type: 'model.retry', at, callId: 'c1', provider: 'openai', model: 'gpt-5-mini', attempt: 1, delayMs: 100, reason: 'rate limit' });
    metrics.listener({ type: 'model.call.failed', at, callId: 'c1', provider: 'openai', model: 'gpt-5-mini', error: 'boom' });
    const text = await metrics.text();
    expect(sample(text, 'taskforce_breaker_state{endpoint="openai:gpt-5-mini"}')).toBe(2);
    expect(sample(text, 'taskforce_breaker_state{endpoint="anthropic:claude-haiku-4-5"}')).toBe(1);
    expect(sample(text, 'taskforce_model_retries_total{provider="openai",model="gpt-5-mini"}')).toBe(1);
    expect(sample(text, 'taskforce_model_calls_total{provider="openai",model="gpt-5-mini",outcome="failed"}')).toBe(1);
  });

  it('times a retried task per attempt and counts it once, by its final status', async () => {
    const metrics = createMetrics();
    const task = { runId: 'r1', taskId: 't', title: 'T' };
    metrics.listener({ type: 'task.started', at: 0, ...task, attempt: 1 });
    metrics.listener({ type: 'task.failed', at: 2000, runId: 'r1', taskId: 't', error: 'x', willRetry: true });
    metrics.listener({ type: 'task.retried', at: 2000, runId: 'r1', taskId: 't', attempt: 2, delayMs: 0 });
    metrics.listener({ type: 'task.started', at: 3000, ...task, attempt: 2 });
    metrics.listener({ type: 'task.completed', at: 3500, runId: 'r1', taskId: 't', durationMs: 500 });
    const text = await metrics.text();
    expect(sample(text, 'taskforce_tasks_total{status="completed"}')).toBe(1);
    expect(text).not.toMatch(/^taskforce_tasks_total\{status="failed"\}/m);
    expect(sample(text, 'taskforce_task_retries_total')).toBe(1);
    expect(sample(text, 'taskforce_task_duration_seconds_sum{status="failed"}')).toBe(2);
    expect(sample(text, 'taskforce_task_duration_seconds_sum{status="completed"}')).toBe(0.5);
  });
});
