import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskforceEvent } from '../../src/events/types.js';
import { createMetrics, openTelemetryListener, readTrace, serveMetrics } from '../../src/observe/index.js';
import { runCli } from '../cli/run-cli.js';
import { autoClock } from '../support/auto-clock.js';

// The demo run, as `npm run demo` makes it, watched by the OpenTelemetry listener and the metrics: its
// trace (every event of the run) is fed to both, as `onEvent` would have fed them live.
describe('the demo run, observed', () => {
  let dir: string;
  let events: TaskforceEvent[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'taskforce-demo-observed-'));
    const trace = join(dir, 'demo.jsonl');
    const demo = await runCli(['demo', '--trace', trace], { clock: autoClock() });
    expect(demo.code, demo.stderr).toBe(0);
    events = await readTrace(trace);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('produces OpenTelemetry spans nested as the work was', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const listener = openTelemetryListener({ tracer: provider.getTracer('demo') });
    for (const event of events) listener(event);
    const spans = exporter.getFinishedSpans();
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const parent = (s: ReadableSpan) => byId.get(s.parentSpanContext?.spanId ?? '');
    const runs = spans.filter((s) => s.name === 'taskforce.run');
    const tasks = spans.filter((s) => s.name.startsWith('taskforce.task '));
    const chats = spans.filter((s) => s.name.startsWith('chat '));

    expect(runs).toHaveLength(2); // the goal, and the funding sub-run
    const root = runs.find((s) => parent(s) === undefined)!;
    const sub = runs.find((s) => s !== root)!;
    expect(parent(sub)?.name).toBe('taskforce.task funding');
    expect(tasks.map((s) => s.name.slice('taskforce.task '.length)).sort()).toEqual(['costs', 'funding', 'income', 'inventory', 'membership', 'timeline']);
    for (const task of tasks) expect([root, sub]).toContain(parent(task));
    expect(chats).toHaveLength(events.filter((e) => e.type === 'model.call.finished').length);
    expect(chats.every((s) => (s.attributes['gen_ai.usage.input_tokens'] as number) > 0)).toBe(true);
    expect(chats.every((s) => Array.isArray(s.attributes['gen_ai.response.finish_reasons']))).toBe(true);
    expect(new Set(chats.map((s) => s.attributes['gen_ai.operation.name']))).toEqual(new Set(['chat']));
  });

  it('produces Prometheus metrics, scraped over loopback', async () => {
    const metrics = createMetrics();
    for (const event of events) metrics.listener(event);
    const server = await serveMetrics(metrics, { port: 0 });
    try {
      const text = await (await fetch(`${server.url}`)).text();
      expect(text).toMatch(/^taskforce_tasks_total\{status="completed"\} 6$/m);
      const calls = events.filter((e) => e.type === 'model.call.finished').length;
      const served = [...text.matchAll(/^taskforce_model_calls_total\{[^}]*outcome="finished"[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
      expect(served).toBe(calls);
    } finally {
      await server.close();
    }
  });
});
