import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Task } from '../../src/api/task.js';
import { scriptedModel, type ScriptedModel } from '../../src/model/scripted.js';
import { openTelemetryListener } from '../../src/observe/otel.js';
import { runsOf } from '../../src/orchestrate/metrics.js';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import type { OrchestrateOptions } from '../../src/orchestrate/options.js';
import type { RunResult } from '../../src/orchestrate/types.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { defineTool } from '../../src/tools/define-tool.js';
import { manualClock } from '../../src/util/clock.js';
import { AGENTS } from '../orchestrate/helpers.js';
import { teamScript, type Script } from '../orchestrate/script.js';

/** The top run plans a0 and deep0 (in parallel); deep0 is decomposed into a sub-run that plans b1 and c1 (in parallel). */
const PLANS: Script['plans'] = {
  L1: [{ id: 'b1', capabilities: ['research'] }, { id: 'c1', capabilities: ['writing'] }],
  bikes: [{ id: 'a0', capabilities: ['research'] }, { id: 'deep0', decomposable: true, instructions: 'Go to L1.', capabilities: ['analysis'] }],
};
/** The runtime clock starts here, so span times can be told from the wall clock. */
const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
/** A priced model id, so calls have a cost. */
const MODEL = 'claude-haiku-4-5';

const lookup = defineTool({ name: 'lookup', description: 'Looks up a fact', input: z.object({ q: z.string() }), execute: ({ q }) => `${q}: 42` });

/** ada looks something up in a0, then answers; every other worker call answers at once. */
const work: Script['work'] = (call) =>
  call.title === 'Do a0' && call.toolResults.length === 0 ? { toolCalls: [{ name: 'lookup', input: { q: 'motors' } }] } : `${call.agent} did ${call.title}.`;

/** A real orchestrated run (scripted model, offline) watched by the listener; its spans, in an in-memory exporter. */
async function tracedRun(script: Script, listenerOptions: { recordContent?: boolean } = {}, extra: Partial<OrchestrateOptions<unknown>> = {}) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const model: ScriptedModel = scriptedModel({ replies: teamScript(script), modelId: MODEL });
  let result: RunResult<unknown> | undefined;
  let error: unknown;
  try {
    result = await orchestrate('Write about bikes', {
      // A provider config (not a ready Model): the runtime builds the model, so its call events reach the bus.
      model: { provider: model },
      agents: AGENTS,
      builtinAgents: false,
      tools: [lookup],
      seed: 7,
      clock: manualClock(T0),
      onEvent: openTelemetryListener({ tracer: provider.getTracer('test'), ...listenerOptions }),
      ...extra,
    });
  } catch (caught) {
    error = caught;
  }
  await provider.forceFlush();
  // Read before shutdown: shutting down clears an in-memory exporter.
  const spans = new SpanTree([...exporter.getFinishedSpans()]);
  await provider.shutdown();
  return { result, error, model, spans };
}

/** Finished spans as a tree, for assertions on its shape. */
class SpanTree {
  constructor(readonly all: readonly ReadableSpan[]) {}
  parentOf(span: ReadableSpan): ReadableSpan | undefined {
    const parentId = span.parentSpanContext?.spanId;
    return this.all.find((s) => s.spanContext().spanId === parentId);
  }
  childrenOf(span: ReadableSpan): ReadableSpan[] {
    return this.all.filter((s) => s.parentSpanContext?.spanId === span.spanContext().spanId);
  }
  names(spans: readonly ReadableSpan[]): string[] {
    return spans.map((s) => s.name).sort();
  }
  roots(): ReadableSpan[] {
    return this.all.filter((s) => this.parentOf(s) === undefined);
  }
  one(name: string, attributes: Record<string, unknown> = {}): ReadableSpan {
    const found = this.all.filter((s) => s.name === name && Object.entries(attributes).every(([k, v]) => s.attributes[k] === v));
    if (found.length !== 1) throw new Error(`expected one span "${name}" ${JSON.stringify(attributes)}, found ${found.length}`);
    return found[0]!;
  }
  named(prefix: string): ReadableSpan[] {
    return this.all.filter((s) => s.name.startsWith(prefix));
  }
}

const sum = (spans: readonly ReadableSpan[], attribute: string) => spans.reduce((n, s) => n + Number(s.attributes[attribute] ?? 0), 0);

describe('openTelemetryListener: spans of a real orchestrated run', () => {
  it('nests spans as the work was: run → tasks → agent → chat and tools; a sub-run under the task that spawned it', async () => {
    const { result, spans, model } = await tracedRun({ plans: PLANS, work });
    const [top, sub] = runsOf(result!.tree);

    // One trace, rooted at the top-level run.
    const roots = spans.roots();
    expect(roots.map((s) => s.name)).toEqual(['taskforce.run']);
    const root = roots[0]!;
    expect(root.attributes).toMatchObject({ 'taskforce.run.id': top!.runId, 'taskforce.depth': 0 });
    expect(new Set(spans.all.map((s) => s.spanContext().traceId)).size).toBe(1);

    // The top run: its planner and synthesizer calls, and its two tasks as siblings.
    expect(spans.names(spans.childrenOf(root))).toEqual([`chat ${MODEL}`, `chat ${MODEL}`, 'taskforce.task a0', 'taskforce.task deep0']);
    const a0 = spans.one('taskforce.task a0');
    const deep0 = spans.one('taskforce.task deep0');
    expect(spans.parentOf(a0)).toBe(root);
    expect(spans.parentOf(deep0)).toBe(root);

    // a0: one agent invocation, which made two model calls and one tool call.
    expect(spans.names(spans.childrenOf(a0))).toEqual(['invoke_agent ada']);
    const ada = spans.childrenOf(a0)[0]!;
    expect(spans.names(spans.childrenOf(ada))).toEqual([`chat ${MODEL}`, `chat ${MODEL}`, 'execute_tool lookup']);

    // deep0 ran as a sub-run: the sub-run's span is under the task's, and the sub-run's tasks are siblings under it.
    expect(spans.names(spans.childrenOf(deep0))).toEqual(['taskforce.run']);
    const subRun = spans.childrenOf(deep0)[0]!;
    expect(subRun.attributes).toMatchObject({ 'taskforce.run.id': sub!.runId, 'taskforce.depth': 1, 'taskforce.parent.task.id': 'deep0' });
    expect(spans.names(spans.childrenOf(subRun))).toEqual([`chat ${MODEL}`, `chat ${MODEL}`, 'taskforce.task b1', 'taskforce.task c1']);
    const b1 = spans.one('taskforce.task b1');
    expect(spans.names(spans.childrenOf(b1))).toEqual(['invoke_agent ada']);
    expect(spans.names(spans.childrenOf(spans.childrenOf(b1)[0]!))).toEqual([`chat ${MODEL}`]);
    expect(spans.names(spans.childrenOf(spans.one('taskforce.task c1')))).toEqual(['invoke_agent cy']);

    // Every model call is one chat span; nothing failed; times are the runtime clock's.
    expect(spans.named('chat ')).toHaveLength(model.calls);
    expect(spans.all.filter((s) => s.status.code === SpanStatusCode.ERROR)).toEqual([]);
    for (const span of spans.all) {
      expect(span.startTime).toEqual([T0 / 1000, 0]);
      expect(span.endTime).toEqual([T0 / 1000, 0]);
    }
  });

  it('puts the GenAI conventions\' attributes and Taskforce\'s own on the spans', async () => {
    const { result, spans } = await tracedRun({ plans: PLANS, work });
    const [top, sub] = runsOf(result!.tree);

    // Model calls: operation, provider, model, tokens, cost; the ones an agent made name it.
    const chats = spans.named('chat ');
    for (const chat of chats) {
      expect(chat.kind).toBe(SpanKind.CLIENT);
      expect(chat.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'scripted',
        'gen_ai.system': 'scripted',
        'gen_ai.request.model': MODEL,
        'gen_ai.response.model': MODEL,
      });
      expect(chat.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
      expect(chat.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
      expect(chat.attributes['taskforce.cost_usd']).toBeGreaterThan(0);
      expect(chat.attributes['taskforce.call.id']).toMatch(/^call_/);
    }
    expect(sum(chats, 'gen_ai.usage.input_tokens') + sum(chats, 'gen_ai.usage.output_tokens')).toBe(result!.metrics.tokens);
    expect(sum(chats, 'taskforce.cost_usd')).toBeCloseTo(result!.metrics.costUsd, 12);
    const b1Chat = spans.childrenOf(spans.childrenOf(spans.one('taskforce.task b1'))[0]!)[0]!;
    expect(b1Chat.attributes).toMatchObject({ 'gen_ai.agent.name': 'ada', 'taskforce.run.id': sub!.runId, 'taskforce.task.id': 'b1' });

    // Runs: ids, depth, and the subtree's tokens and cost.
    const root = spans.roots()[0]!;
    expect(root.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': result!.tree.usage.subtree.usage.inputTokens,
      'gen_ai.usage.output_tokens': result!.tree.usage.subtree.usage.outputTokens,
      'taskforce.cost_usd': result!.metrics.costUsd,
    });
    expect(spans.one('taskforce.run', { 'taskforce.depth': 1 }).attributes['taskforce.cost_usd']).toBe(sub!.usage.subtree.costUsd);

    // Tasks: run, id, attempt, depth, the strategy and its decision.
    const a0 = spans.one('taskforce.task a0');
    expect(a0.attributes).toMatchObject({ 'taskforce.run.id': top!.runId, 'taskforce.task.id': 'a0', 'taskforce.task.attempt': 1, 'taskforce.depth': 0, 'taskforce.strategy': 'direct' });
    expect(JSON.parse(String(a0.attributes['taskforce.decision']))).toMatchObject({ strategy: 'direct', agent: 'ada' });
    expect(spans.one('taskforce.task c1').attributes).toMatchObject({ 'taskforce.run.id': sub!.runId, 'taskforce.depth': 1 });

    // Agents: invoke_agent with the agent's name, its tokens, cost and steps.
    const ada = spans.one('invoke_agent ada', { 'taskforce.task.id': 'a0' });
    expect(ada.attributes).toMatchObject({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'ada', 'taskforce.strategy': 'direct', 'taskforce.agent.steps': 2 });
    const adaChats = spans.childrenOf(ada).filter((s) => s.name.startsWith('chat '));
    expect(ada.attributes['gen_ai.usage.input_tokens']).toBe(sum(adaChats, 'gen_ai.usage.input_tokens'));
    expect(ada.attributes['taskforce.cost_usd']).toBeCloseTo(sum(adaChats, 'taskforce.cost_usd'), 12);

    // Tools: execute_tool with the tool's name and call id.
    expect(spans.one('execute_tool lookup').attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'lookup',
      'gen_ai.tool.call.id': expect.any(String),
      'gen_ai.agent.name': 'ada',
      'taskforce.tool.is_error': false,
    });

    // No user text unless asked for.
    const content = ['taskforce.goal', 'taskforce.task.title', 'taskforce.task.output'];
    expect(spans.all.filter((s) => content.some((name) => name in s.attributes))).toEqual([]);
  });

  it('records the goal, task titles and task outputs only with recordContent', async () => {
    const { spans } = await tracedRun({ plans: PLANS }, { recordContent: true });
    expect(spans.roots()[0]!.attributes['taskforce.goal']).toBe('Write about bikes');
    expect(spans.one('taskforce.task a0').attributes).toMatchObject({ 'taskforce.task.title': 'Do a0', 'taskforce.task.output': 'ada did Do a0.' });
  });

  it('puts what is left of a budget on the run once a budget warning fires', async () => {
    const { result, spans, model } = await tracedRun({ plans: PLANS }, {}, { budgets: { maxModelCalls: 8 } });
    expect(result!.stoppedBy).toBeUndefined();
    const root = spans.roots()[0]!;
    expect(root.events.map((e) => e.name)).toContain('budget.warning');
    const used = Number(root.attributes['taskforce.budget.modelCalls.used']);
    expect(used).toBeGreaterThan(0);
    expect(used).toBeLessThanOrEqual(model.calls);
    expect(root.attributes).toMatchObject({ 'taskforce.budget.modelCalls.limit': 8, 'taskforce.budget.modelCalls.remaining': 8 - used });
  });

  it('marks a failed model call, its agent and its task with ERROR and the message', async () => {
    const failing: Script = { plans: { bikes: [{ id: 'a0', capabilities: ['research'] }] }, work: () => ({ error: new Error('the model fell over') }) };
    const { spans } = await tracedRun(failing);

    const chat = spans.all.find((s) => s.name.startsWith('chat ') && s.attributes['taskforce.task.id'] === 'a0')!;
    expect(chat.status).toEqual({ code: SpanStatusCode.ERROR, message: 'the model fell over' });
    expect(chat.attributes['error.type']).toBe('_OTHER'); // the convention's value for an error without a known type
    expect(spans.parentOf(chat)!.name).toBe('invoke_agent ada');
    const tasks = spans.named('taskforce.task a0');
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks) expect(task.status.code).toBe(SpanStatusCode.ERROR);
    // Every span was ended, even the agent whose loop threw; the run says it stopped on a failure.
    expect(spans.named('invoke_agent ada').length).toBe(tasks.length);
    expect(spans.roots()[0]!.status).toMatchObject({ code: SpanStatusCode.ERROR, message: expect.stringContaining('the model fell over') });
    expect(spans.roots()[0]!.attributes['taskforce.stopped_by']).toBe('failure');
  });
});

describe('openTelemetryListener on a runtime', () => {
  it('traces a Task() given createRuntime({ onEvent }): task → agent → chat and tool', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const model = scriptedModel({ replies: [{ toolCalls: [{ name: 'lookup', input: { q: 'motors' } }] }, 'Motors: 42.'], modelId: MODEL });
    const runtime = await createRuntime({
      model: { provider: model },
      agents: AGENTS,
      builtinAgents: false,
      tools: [lookup],
      seed: 3,
      clock: manualClock(T0),
      onEvent: openTelemetryListener({ tracer: provider.getTracer('test') }),
    });
    try {
      const result = await Task('look up motors', 'How many motors?', 'ada', { runtime });
      expect(result.output).toBe('Motors: 42.');
    } finally {
      await runtime.close();
    }
    const spans = new SpanTree([...exporter.getFinishedSpans()]);
    const [task] = spans.roots();
    expect(spans.roots()).toHaveLength(1);
    expect(task!.name).toMatch(/^taskforce\.task /);
    expect(spans.names(spans.childrenOf(task!))).toEqual(['invoke_agent ada']);
    const agent = spans.childrenOf(task!)[0]!;
    expect(spans.names(spans.childrenOf(agent))).toEqual([`chat ${MODEL}`, `chat ${MODEL}`, 'execute_tool lookup']);
    expect(agent.attributes['gen_ai.usage.output_tokens']).toBe(sum(spans.named('chat '), 'gen_ai.usage.output_tokens'));
  });
});

describe('openTelemetryListener without an OpenTelemetry SDK', () => {
  it('is a no-op: the run gives the same result and nothing is recorded', async () => {
    expect(trace.getTracer('taskforce').startSpan('probe').isRecording()).toBe(false);
    const run = (onEvent?: ReturnType<typeof openTelemetryListener>) =>
      orchestrate('Write about bikes', {
        model: { provider: scriptedModel({ replies: teamScript({ plans: PLANS }), modelId: MODEL }) },
        agents: AGENTS,
        builtinAgents: false,
        seed: 7,
        clock: manualClock(T0),
        ...(onEvent ? { onEvent } : {}),
      });

    const watched = await run(openTelemetryListener());
    const plain = await run();

    expect(watched.output).toBe(plain.output);
    expect(watched.metrics).toEqual(plain.metrics);
  });
});
